"""The page that takes it to the meeting: pages/export.py, on a stand-in exporter."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroi import export
from cxroi.export import render

from .support import StandInRenderer

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def export_page(monkeypatch: pytest.MonkeyPatch, renderer: object) -> AppTest:
    """The page on ``renderer``: the pages ask `cxroi.export.exporter`; the deck and the
    PNGs ask `cxroi.export.render.exporter`, so both are the stand-in."""
    monkeypatch.setattr(export, "exporter", lambda: renderer)
    monkeypatch.setattr(render, "exporter", lambda: renderer)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/export.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def download_buttons(at: AppTest) -> list:
    return at.get("download_button")


class TestExportPage:
    def test_build_the_deck_with_progress_then_download_it(self, app_db, monkeypatch):
        fake = StandInRenderer()
        at = export_page(monkeypatch, fake)
        chart = at.selectbox(key="export.chart")
        assert chart.options == [spec.label for spec in export.CHARTS.values()]
        for name, spec in export.CHARTS.items():  # every chart's buttons, one chart at a time
            chart.set_value(name).run()
            labels = [b.proto.label for b in download_buttons(at)]
            png = ["PNG"] if spec.figure is not None else []  # a table has no picture
            assert labels == [*png, "CSV", "Excel"], (name, labels)
        chart.set_value("overview").run()
        assert not at.main.warning  # the page's own (the sidebar warns in open mode)
        at.button[0].click().run()
        assert not at.exception and not at.error
        assert at.get("status")[0].proto.label == "The PowerPoint deck is ready"
        # iceberg, snowball by quarter, melt, the plans' timeline: the rest are native
        assert fake.calls == 4
        assert fake.warmed  # the page started Chromium when it opened
        labels = [b.proto.label for b in download_buttons(at)]
        assert labels[0] == "Download the PowerPoint deck"

    def test_without_chromium_one_message_and_the_numbers_still_download(self, app_db,
                                                                          monkeypatch):
        at = export_page(monkeypatch, export.ChartExporter("/nonexistent/chromium"))
        assert [w.value for w in at.warning][0].startswith(
            "Chart images need Chromium at /nonexistent/chromium:")
        assert at.button[0].proto.disabled  # the deck needs pictures
        at.selectbox(key="export.chart").set_value("iceberg").run()
        buttons = {b.proto.label: b.proto.disabled for b in download_buttons(at)}
        assert buttons == {"PNG": True, "CSV": False, "Excel": False}

    def test_a_work_groups_slide_is_chosen_on_the_page(self, app_db, monkeypatch):
        import io

        from pptx import Presentation

        fake = StandInRenderer()
        at = export_page(monkeypatch, fake)
        captions = [c.value for c in at.caption]
        assert any(c.startswith("16 slides: ") and "the key drivers of likelihood to "
                   "recommend" in c for c in captions)
        groups = at.multiselect(key="export.groups")
        assert groups.options[:2] == ["Operations", "Finance"]
        groups.set_value(["Finance"]).run()
        assert any(c.value.startswith("17 slides: ") for c in at.caption)
        at.button[0].click().run()
        assert not at.exception and not at.error
        blob = download_buttons(at)[0].proto  # the deck's download, first on the page
        assert blob.label == "Download the PowerPoint deck"
        built = at.session_state["export.deck"][1]
        deck = Presentation(io.BytesIO(built))
        titles = [slide.shapes.title.text_frame.text for slide in deck.slides]
        assert len(titles) == 17 and titles[13].startswith("Finance: find the root causes")
