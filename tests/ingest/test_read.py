"""Reading the bytes (cxroi.ingest.read): refused files, encodings, separators, title rows, sheets."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile

import numpy as np

import cxroi.ingest.read as reading
from cxroi.ingest import Problem, read_upload
from tests.ingest.common import HEADER, problems, read, sample, workbook


class TestRefusedFiles:
    def test_empty(self):
        assert problems(read(b"")) == ["The file is empty."]
        assert problems(read(b"\n\n  \r\n")) == ["The file is empty."]
        assert problems(read(codecs.BOM_UTF8)) == ["The file is empty."]

    def test_header_without_data(self):
        expected = ["The file has a header but no data rows."]
        assert problems(read(HEADER)) == expected
        assert problems(read(HEADER + "\n\n,,,,\n;;\n")) == expected
        assert problems(read(HEADER.rstrip("\n"))) == expected
        assert problems(read_upload(workbook({"data": [["period", "segment", "metric", "value"]]}),
                                    "x.xlsx", "metrics")) == expected

    def test_wrong_kind(self):
        effort_as_metrics = read_upload(sample("effort_clean.csv"), "e.csv", "metrics")
        assert problems(effort_as_metrics) == [
            "This is not a metrics file: it has no row with the columns period, segment, metric "
            "and value, and row 1 looks like the header of an effort file."]
        metrics_as_benchmarks = read_upload(sample("metrics_clean.csv"), "m.csv", "benchmarks")
        assert problems(metrics_as_benchmarks) == [
            "This is not a benchmarks file: it has no row with the columns metric, value, unit, "
            "source and as_of, and row 1 looks like the header of a metrics file."]
        partial = read("metric,value,unit,note\nreturns,1,count,x\n", "benchmarks")
        assert problems(partial) == [
            "This is not a benchmarks file: none of its first 50 rows has the columns metric, "
            "value, unit, source and as_of (row 1 has metric, value and unit but not source and as_of)."]

    def test_unrelated_csv(self):
        assert problems(read("name,email\nAda,ada@example.com\n")) == [
            "This is not a metrics file: none of its first 50 rows has the columns period, "
            "segment, metric and value."]

    def test_a_header_missing_one_column(self):
        assert problems(read("Quarterly figures\nperiod;segment;value\n2026Q1;Retail;5\n")) == [
            "This is not a metrics file: none of its first 50 rows has the columns period, "
            "segment, metric and value (row 2 has period, segment and value but not metric)."]

    def test_binary_garbage_named_csv(self):
        garbage = bytes(np.random.default_rng(7).integers(0, 256, 4000, dtype=np.uint8))
        assert problems(read(garbage, name="figures.csv")) == [
            "This is not a readable CSV file (it looks like binary data). Upload a CSV (UTF-8) "
            "or an Excel .xlsx file."]

    UNREADABLE = ("This is not a readable Excel workbook (.xlsx): the file is damaged or is "
                  "another kind of file. Open it in Excel, save it as .xlsx, and upload it again.")

    def test_random_bytes_named_xlsx(self):
        garbage = bytes(np.random.default_rng(8).integers(0, 256, 3000, dtype=np.uint8))
        assert problems(read(garbage, name="figures.xlsx")) == [self.UNREADABLE]
        assert problems(read(HEADER + "2026Q1,A,customers,1,count\n", name="renamed.xlsx")) == [self.UNREADABLE]

    def test_truncated_workbook(self):
        whole = workbook({"data": [["period", "segment", "metric", "value"], ["2026Q1", "A", "customers", 1]]})
        for cut in (len(whole) // 3, len(whole) // 2, len(whole) - 30):
            assert problems(read(whole[:cut], name="cut.xlsx")) == [self.UNREADABLE]

    def test_a_zip_that_is_not_a_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "period,segment,metric,value\n")
        assert problems(read(buffer.getvalue(), name="data.zip")) == [self.UNREADABLE]

    def test_a_workbook_missing_a_part(self):
        whole = workbook({"data": [["period", "segment", "metric", "value"], ["2026Q1", "A", "customers", 1]]})
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(whole)) as source, zipfile.ZipFile(buffer, "w") as target:
            for item in source.infolist():
                if item.filename != "xl/worksheets/sheet1.xml":
                    target.writestr(item, source.read(item))
        assert problems(read(buffer.getvalue(), name="broken.xlsx")) == [self.UNREADABLE]

    def test_old_xls(self):
        parsed = read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, name="old.xls")
        assert problems(parsed) == [
            "This is an old Excel 97-2003 workbook (.xls) or another Office file, which cannot "
            "be read: save it as .xlsx or CSV (UTF-8) and upload that."]

    def test_an_unclosed_quote(self):
        parsed = read(HEADER + '2026Q1,Retail,customers,5,count\n2026Q1,"Retail,returns,5,count\n'
                      "2026Q1,Retail,escalations,5,count\n")
        assert problems(parsed) == [
            'row 3: a quote (") opened in this row is never closed, so the rest of the file '
            "reads as one cell"]

    def test_a_repeated_header_column(self):
        parsed = read("period,segment,metric,value,unit,Value\n2026Q1,A,customers,1,count,2\n")
        assert problems(parsed) == ["column value: appears more than once in the header (columns D and F)"]


class TestEncodings:
    def test_cp1252_with_accents_and_euro(self):
        text = HEADER + "2026Q1,Île-de-France €,refunds_credits,100,money\n2026Q1,Café Noël,returns,2,count\n"
        parsed = read(text.encode("cp1252"))
        assert parsed.ok
        assert parsed.rows["segment"].tolist() == ["Île-de-France €", "Café Noël"]
        assert parsed.warnings == ("The file is not UTF-8; it was read as Windows-1252 (check that "
                                   "accented letters and symbols such as € look right).",)

    def test_utf8_with_bom(self):
        parsed = read(codecs.BOM_UTF8 + (HEADER + "2026Q1,Zürich,returns,2,count\n").encode())
        assert parsed.ok and parsed.rows["segment"].tolist() == ["Zürich"] and parsed.warnings == ()

    def test_utf16_with_bom(self):
        parsed = read((HEADER + "2026Q1,München,returns,2,count\n").encode("utf-16"))
        assert parsed.ok and parsed.rows["segment"].tolist() == ["München"]

    def test_line_ends(self):
        for end in ("\r\n", "\r"):
            parsed = read(HEADER.replace("\n", end) + f"2026Q1,A,returns,2,count{end}2026Q2,A,returns,3,count{end}")
            assert parsed.ok and parsed.rows["value"].tolist() == [2.0, 3.0], end


class TestCsv:
    def test_tab_separated(self):
        parsed = read("period\tsegment\tmetric\tvalue\tunit\n2026Q1\tA, B and C\treturns\t1,250\tcount\n")
        assert parsed.ok and parsed.rows[["segment", "value"]].values.tolist() == [["A, B and C", 1250.0]]

    def test_too_many_cells_an_unquoted_thousands_comma(self):
        parsed = read(HEADER + "2026Q1,A,returns,5,count\n2026Q1,B,service_contacts,12,500,count\n"
                      "2026Q1,C,returns,-1,count\n")
        assert problems(parsed) == [
            'row 3: has 6 cells but the header has 5 (a number like 12,500 needs quotes in a '
            'comma-separated file: "12,500")',
            "row 4, column value: must be 0 or more (got -1)"]

    def test_a_first_row_one_cell_wider_is_not_taken_for_an_index(self):
        parsed = read(HEADER + "2026Q1,A,returns,5,count,extra\n2026Q1,B,returns,6,count\n")
        assert problems(parsed) == ["row 2: has 6 cells but the header has 5 (a number like 12,500 "
                                    'needs quotes in a comma-separated file: "12,500")']

    def test_plain_files_take_the_fast_reader(self, monkeypatch):
        def refuse(*args, **kwargs):
            raise AssertionError("the careful reader was used")
        monkeypatch.setattr(reading, "_read_csv_slowly", refuse)
        assert read_upload(sample("metrics_clean.csv"), "m.csv", "metrics").ok
        assert read_upload(sample("metrics_european.csv"), "m.csv", "metrics").ok
        assert read(HEADER + "2026Q1,007,returns,1,count\n\n2026Q1,B,returns,-1,count\n").problems == (
            Problem(4, "value", "must be 0 or more (got -1)"),)

    def test_empty_trailing_cells_are_fine(self):
        parsed = read(HEADER + "2026Q1,A,returns,5,count,,\n2026Q1,B,returns,6,count\n")
        assert parsed.ok and parsed.rows["value"].tolist() == [5.0, 6.0]

    def test_a_multi_line_cell_is_one_row(self):
        parsed = read(HEADER + '2026Q1,"North\nAmerica",returns,1,count\n2026Q1,B,returns,-1,count\n')
        assert problems(parsed) == ["row 3, column value: must be 0 or more (got -1)"]

    def test_header_spellings_and_extra_columns(self):
        parsed = read(" PERIOD ,Segment,METRIC,Value,Unit,higher-is-better,Notes,owner\n"
                      "2026Q1,A,csat,1,count,yes,looks fine,Ann\n")
        assert parsed.ok and parsed.rows["higher_is_better"].tolist() == [True]
        assert parsed.warnings == ("Ignored 2 columns that a metrics file does not use: 'Notes', 'owner'.",)


class TestLayout:
    def test_title_rows_above_the_header_in_a_csv(self):
        parsed = read("CX figures, Q1 2026\n\nExported by Zendesk,,,\n" + HEADER +
                      "2026Q1,A,returns,1,count\n2026Q1,A,escalations,-1,count\n")
        assert problems(parsed) == ["row 6, column value: must be 0 or more (got -1)"]
        assert parsed.warnings == ("Skipped 3 rows above the header (row 4).",)

    def test_empty_rows_anywhere_are_ignored_but_counted(self):
        parsed = read(HEADER + "2026Q1,A,returns,1,count\n\n,,,,\n2026Q1,B,returns,-1,count\n"
                      "2026Q1,C,returns,3,count\n,,,,\n\n\n")
        assert problems(parsed) == ["row 5, column value: must be 0 or more (got -1)"]
        good = read(HEADER + "2026Q1,A,returns,1,count\n\n2026Q1,B,returns,2,count\n,,,,\n;;\n\n")
        assert good.ok and good.rows["row"].tolist() == [2, 4]

    def test_title_row_and_trailing_empty_rows_in_a_workbook(self):
        data = workbook({"Figures": [
            ["Quarterly metrics", None, None],
            [None],
            ["Period", "Segment", "Metric", "Value", "Unit"],
            ["2026Q1", "Retail", "customers", 12000, None],
            [dt.datetime(2026, 2, 14), "Retail", "nps", 0.042, None],
            ["Q1 2026", "Business", "refunds_credits", "1,234.50", "money"],
            [None, None, None, None, None],
            ["", "", "", None, ""],
        ]}, formats={("Figures", "D5"): "0.0%"})
        parsed = read(data, name="figures.xlsx")
        assert parsed.ok, problems(parsed)
        assert parsed.rows[["row", "period", "segment", "metric", "value", "unit"]].values.tolist() == [
            [4, "2026Q1", "Retail", "customers", 12000.0, "count"],
            [5, "2026Q1", "Retail", "nps", 4.2, "percent"],
            [6, "2026Q1", "Business", "refunds_credits", 1234.5, "money"],
        ]
        assert parsed.warnings == ("Skipped 2 rows above the header (row 3).",)

    def test_workbook_problems_name_sheet_rows(self):
        data = workbook({"data": [["title"], ["period", "segment", "metric", "value", "unit"],
                                  ["2026Q1", "A", "returns", -4, "count"],
                                  ["2026Q1", "A", "csat", True, "count"],
                                  ["2026Q1", "A", "escalations", dt.datetime(2026, 1, 1), "count"]]})
        assert problems(read(data, name="x.xlsx")) == [
            "row 3, column value: must be 0 or more (got -4)",
            "row 4, column value: must be a number (got 'TRUE')",
            "row 5, column value: must be a number (got '2026-01-01')"]

    def test_a_long_sheet_keeps_its_row_numbers(self):
        rows: list[list[object]] = [["Report"], ["period", "segment", "metric", "value", "unit", "note"]]
        rows += [["2026Q1", f"S{i}", "returns", i, "count", "x"] for i in range(150)]
        rows[101][3] = -7                       # sheet row 102
        rows += [[None], ["2026Q1", "S0", "returns", 1, "count"]]   # row 154 repeats row 3
        parsed = read(workbook({"data": rows}), name="long.xlsx")
        assert problems(parsed) == ["row 102, column value: must be 0 or more (got -7)",
                                    "row 154: duplicate of row 3 (same period, segment and metric)"]

    def test_several_sheets(self):
        data = workbook({
            "Read me": [["How to fill this in"], ["One row per metric"]],
            "Q1": [["period", "department", "tier", "hours"], ["2026Q1", "Support", "TM", 10]],
            "Q2": [["period", "department", "tier", "hours"], ["2026Q2", "Support", "EL", 20],
                   ["2026Q2", "Product", "EM", 30]],
        })
        first = read(data, "effort", name="effort.xlsx")
        assert first.ok and first.sheet == "Q1" and first.sheets == ("Read me", "Q1", "Q2")
        assert first.rows["hours"].tolist() == [10.0]
        assert "Read sheet 'Q1' of 3 ('Read me', 'Q1', 'Q2')." in first.warnings
        second = read(data, "effort", name="effort.xlsx", sheet="Q2")
        assert second.ok and second.sheet == "Q2" and second.rows["hours"].tolist() == [20.0, 30.0]
        missing = read(data, "effort", name="effort.xlsx", sheet="Q3")
        assert problems(missing) == ["The workbook has no sheet named 'Q3' (its sheets: 'Read me', 'Q1', 'Q2')."]
        assert missing.sheets == ("Read me", "Q1", "Q2") and missing.sheet is None
        wrong = read(data, "effort", name="effort.xlsx", sheet="Read me")
        assert problems(wrong) == [
            "This is not an effort file: none of its first 50 rows has the columns period, "
            "department, tier and hours."]

    def test_no_sheet_has_a_header(self):
        data = workbook({"a": [["x"]], "b": [["period", "segment"]]})
        assert problems(read(data, name="w.xlsx")) == [
            "No sheet of this workbook has a header row for a metrics file (the columns period, "
            "segment, metric and value); its sheets: 'a', 'b'."]

    def test_formulas_are_read_as_their_saved_results(self):
        import xlsxwriter  # python-pptx's dependency: writes formulas with saved results
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet("data")
        for col, name in enumerate(["period", "segment", "metric", "value", "unit"]):
            sheet.write(0, col, name)
        sheet.write_row(1, 0, ["2026Q1", "Retail", "service_contacts"])
        sheet.write_formula(1, 3, "=15000+400", None, 15400)
        sheet.write_formula(1, 1, '="Re"&"tail"', None, "Retail")
        sheet.write(1, 4, "count")
        book.close()
        parsed = read(buffer.getvalue(), name="formulas.xlsx")
        assert parsed.ok and parsed.rows[["segment", "value"]].values.tolist() == [["Retail", 15400.0]]

    def test_a_formula_without_a_saved_result_is_empty(self):
        data = workbook({"data": [["period", "segment", "metric", "value", "unit"],
                                  ["2026Q1", "Retail", "returns", "=1+2", "count"]]})
        assert problems(read(data, name="f.xlsx")) == ["row 2, column value: is empty"]

    def test_a_csv_text_cell_starting_with_equals_stays_text(self):
        parsed = read(HEADER + "2026Q1,=1+2,returns,1,count\n2026Q1,@SUM(A1),returns,1,count\n")
        assert parsed.ok and parsed.rows["segment"].tolist() == ["=1+2", "@SUM(A1)"]

    def test_a_text_number_in_a_workbook(self):
        data = workbook({"data": [["metric", "value", "unit", "source", "as_of"],
                                  ["customers", "12,500", "count", "Panel", dt.date(2025, 12, 31)],
                                  ["nps", 0.35, "percent", 2025, "2025-12-31"]]},
                        formats={("data", "B3"): "0%"})
        parsed = read(data, "benchmarks", name="b.xlsx")
        assert parsed.ok, problems(parsed)
        assert parsed.rows[["value", "source", "as_of"]].values.tolist() == [
            [12500.0, "Panel", "2025-12-31"], [35.0, "2025", "2025-12-31"]]
