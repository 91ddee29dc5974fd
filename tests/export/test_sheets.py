"""Spreadsheets that cannot run formulas: `cxroi.export.sheets`."""

from __future__ import annotations

import io

import openpyxl

from cxroi import export

from .support import HOSTILE_NAME, HOSTILE_SEGMENT


class TestHostileNames:
    def test_csv_and_xlsx_neutralise_text_cells_not_numbers(self, hostile_report):
        frame = export.chart_frame(hostile_report, "relative")
        assert set(frame["segment"]) == {HOSTILE_SEGMENT}
        assert HOSTILE_NAME in set(frame["metric"])
        text = export.to_csv_bytes(frame).decode("utf-8-sig")
        assert f"'{HOSTILE_SEGMENT}".replace('"', '""') in text
        assert "\n=" not in text and ",=" not in text
        book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(
            frame, sheet="relative", footnote=export.chart_footnote(hostile_report,
                                                                   "relative"))))
        sheet = book["relative"]
        header = [c.value for c in sheet[1]]
        cells = [c for row in book.worksheets for line in row.iter_rows() for c in line]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        segments = {row[header.index("segment")].value for row in sheet.iter_rows(min_row=2)}
        assert segments == {f"'{HOSTILE_SEGMENT}"}
        metrics = {row[header.index("metric")].value for row in sheet.iter_rows(min_row=2)}
        assert HOSTILE_NAME in metrics  # not a formula: left as written

    def test_neutralise_prefixes_every_formula_start_and_leaves_numbers(self):
        import pandas as pd

        frame = pd.DataFrame({"name": ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "fine",
                                       None], "value": [-1.0, 2.0, -3.5, 0.0, 1.0, 2.0, 3.0,
                                                        4.0]})
        out = export.neutralise(frame)
        assert list(out["name"])[:7] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx",
                                         "fine"]
        assert out["name"].isna().iloc[-1]
        assert list(out["value"]) == list(frame["value"])
        book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(frame)))
        values = [row[1].value for row in book.active.iter_rows(min_row=2)]
        assert values == [-1.0, 2.0, -3.5, 0.0, 1.0, 2.0, 3.0, 4.0]
        assert "-3.5" in export.to_csv_bytes(frame).decode("utf-8-sig")
