"""The format-neutral deck: `cxroi.export.deck`."""

from __future__ import annotations

from cxroi import charts, export
from cxroi.export.deck import slide_figure


class TestDeckContract:
    def test_slide_pictures_drop_the_title_and_footnote_the_slide_carries(self, report):
        fig = export.chart_figure(report, "iceberg")
        picture = slide_figure(fig)
        assert charts.footnote_text(picture) == ""
        assert not picture.layout.title.text
        assert charts.footnote_text(fig)  # the original is untouched
