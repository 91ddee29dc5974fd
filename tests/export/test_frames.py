"""The numbers behind each chart and the chart registry: `cxroi.export.frames`."""

from __future__ import annotations

import io

import openpyxl
import pytest

from cxroi import export
from cxroi.models import CxroiError


class TestTheNumbers:
    @pytest.mark.parametrize("chart", list(export.CHARTS))
    def test_every_chart_has_its_numbers_and_downloads(self, report, chart):
        frame = export.chart_frame(report, chart)
        assert len(frame) > 0
        assert export.to_csv_bytes(frame).startswith(b"\xef\xbb\xbf")
        book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(frame, sheet=chart)))
        assert book.active.max_row == len(frame) + 1

    def test_the_relative_numbers_match_the_report(self, report):
        frame = export.chart_frame(report, "relative")
        assert list(frame["metric"]) == [bar.metric for bar in report.relative.bars]
        assert list(frame["relative"].fillna(-99)) == [-99 if b.relative is None else b.relative
                                                       for b in report.relative.bars]

    def test_unknown_chart_is_a_plain_error(self, report):
        with pytest.raises(CxroiError, match="no chart 'pie'"):
            export.chart_frame(report, "pie")
        with pytest.raises(CxroiError, match="table"):
            export.chart_figure(report, "assumptions")
