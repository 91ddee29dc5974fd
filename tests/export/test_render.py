"""Chart PNGs and the one exporter: `cxroi.export.render`."""

from __future__ import annotations

import threading

import plotly.graph_objects as go
import pytest

from cxroi import charts, export
from cxroi.models import CxroiError

from .support import png_size


class TestChartPng:
    def test_a_chart_is_a_slide_size_png_with_its_footnote_inside(self, report):
        fig = export.chart_figure(report, "iceberg")
        assert charts.footnote_text(fig).startswith("DEMO DATA")  # the footnote is in it
        assert png_size(export.figure_png(fig)) == export.SLIDE_PX == (1600, 900)

    def test_threads_exporting_at_once_each_get_their_own_image(self):
        """kaleido's shared server hands images to the wrong caller; the lock prevents it.
        Each thread asks for a figure with its own title at its own size."""
        results: dict[int, tuple[int, int]] = {}
        errors: list[BaseException] = []
        start = threading.Barrier(6)

        def work(i: int) -> None:
            fig = charts.finish(go.Figure(go.Bar(x=["a", "b"], y=[i, i + 1])),
                                title=f"Thread {i} of 6", footnote=f"Footnote of thread {i}")
            try:
                start.wait()
                results[i] = png_size(export.figure_png(fig, width=400 + 24 * i,
                                                        height=300 + 10 * i))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not errors
        assert results == {i: (400 + 24 * i, 300 + 10 * i) for i in range(6)}

    def test_the_process_has_one_exporter(self):
        assert export.exporter() is export.exporter()


class TestChromiumMissing:
    def test_one_clear_message_and_the_numbers_still_work(self, report):
        broken = export.ChartExporter("/nonexistent/chromium")
        with pytest.raises(CxroiError, match=r"^Chart images need Chromium at "
                                             r"/nonexistent/chromium: "):
            broken.png(go.Figure())
        assert broken.problem().startswith("Chart images need Chromium at /nonexistent/chromium")
        with pytest.raises(CxroiError, match="Chart images need Chromium"):
            export.build_deck(report, "pptx", renderer=broken)
        assert not broken.running
        assert len(export.chart_frame(report, "iceberg")) > 0  # the rest keeps working

    def test_a_browser_that_fails_to_start_is_one_message_and_remembered(self, tmp_path):
        fake = tmp_path / "chromium"
        fake.write_text("#!/bin/sh\nexit 3\n")
        fake.chmod(0o755)
        broken = export.ChartExporter(str(fake), timeout=20)
        with pytest.raises(CxroiError, match=r"^Chart images need Chromium at .*: it failed "
                                             r"to start \("):
            broken.png(go.Figure())
        assert broken.problem().startswith("Chart images need Chromium")
        with pytest.raises(CxroiError):  # remembered: no second wait for a broken browser
            broken.png(go.Figure())
