"""`chart_for`: every chart of a report by name, with the footnote that goes under it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cxroi import charts
from cxroi.demo import load_demo
from cxroi.report import Report, build_report
from cxroi.store import Store


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    store = Store(tmp_path_factory.mktemp("registry") / "registry.duckdb")
    load_demo(store)
    yield build_report(store.dataset(), store.scenario("Baseline"))
    store.close()


class TestChartFor:
    @pytest.mark.parametrize("kind", list(charts.CHARTS))
    def test_every_chart_carries_its_reports_footnote(self, report, kind):
        period = report.effort_period(None) if charts.CHARTS[kind] == "effort" else None
        fig, note = charts.chart_for(report, kind, period=period)
        assert note.sources and note.text()
        assert charts.footnote_text(fig).replace("<br>", " ") == note.text()
        assert fig.data and fig.layout.title.text

    def test_presenting_enlarges_the_same_figure(self, report):
        fig, _ = charts.chart_for(report, "iceberg")
        big, _ = charts.chart_for(report, "iceberg", presenting=True)
        assert big.layout.font.size > (fig.layout.font.size or charts.BODY_SIZE)
        assert charts.footnote_text(big) == charts.footnote_text(fig)

    def test_an_unknown_chart_is_refused_by_name(self, report):
        with pytest.raises(ValueError, match="chart must be one of iceberg"):
            charts.chart_for(report, "pie")
