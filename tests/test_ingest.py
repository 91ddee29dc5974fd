"""Reading and validating uploads (cxroi.ingest): the samples, and the files nobody has seen yet.

Every test checks exact values or exact problem strings: a report is only useful to a CX lead
if it says precisely which row and column is wrong, and the rows kept must be exactly right.
"""

from __future__ import annotations

import ast
import codecs
import datetime as dt
import doctest
import hashlib
import io
import math
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import cxroi.ingest as ingest
import cxroi.models as models
from cxroi.ingest import (
    COLUMNS,
    MAX_UPLOAD_BYTES,
    ParsedUpload,
    Problem,
    read_upload,
    template_csv,
    template_xlsx,
)
from cxroi.models import (
    CANONICAL_METRICS,
    BenchmarkRow,
    CxroiError,
    EffortRow,
    MetricRow,
    parse_number,
)

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
HEADER = "period,segment,metric,value,unit\n"


def read(text: str | bytes, kind: str = "metrics", name: str = "upload.csv", **options) -> ParsedUpload:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_upload(data, name, kind, **options)


def problems(parsed: ParsedUpload) -> list[str]:
    return [str(p) for p in parsed.problems]


def workbook(sheets: dict[str, list[list[object]]], formats: dict[tuple[str, str], str] | None = None) -> bytes:
    """An .xlsx with the given sheets (rows of cell values); ``formats`` sets number formats."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for (name, cell), number_format in (formats or {}).items():
        book[name][cell].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


# --- the samples (../shared/samples/README.md) ---------------------------------------------------


class TestSamples:
    def test_metrics_clean(self):
        parsed = read_upload(sample("metrics_clean.csv"), "metrics_clean.csv", "metrics")
        assert parsed.ok and parsed.problems == () and parsed.warnings == ()
        rows = parsed.rows
        assert len(rows) == 9
        assert list(rows.columns) == ["row", "period", "segment", "metric", "value", "unit",
                                      "higher_is_better"]
        assert rows["row"].tolist() == list(range(2, 11))
        assert set(rows["period"]) == {"2026Q1"}
        assert rows["segment"].tolist() == ["Retail"] * 4 + ["Business"] * 4 + ["All"]
        first = rows.iloc[0]
        assert (first["metric"], first["value"], first["unit"], first["higher_is_better"]) == \
            ("customers", 12000.0, "count", True)
        refunds = rows[rows.metric == "refunds_credits"].iloc[0]
        assert (refunds["value"], refunds["unit"], refunds["higher_is_better"]) == (61250.0, "money", False)
        share = rows.iloc[-1]
        assert (share["segment"], share["metric"], share["value"], share["unit"]) == \
            ("All", "billing_complaints_share", 4.2, "percent")
        by = rows[rows.segment != "All"].groupby("metric")["value"].sum()
        assert by["customers"] == 12900.0 and by["service_contacts"] == 18500.0

    def test_metrics_european(self):
        parsed = read_upload(sample("metrics_european.csv"), "metrics_european.csv", "metrics")
        assert parsed.ok
        rows = parsed.rows
        assert rows[["row", "period", "segment", "metric", "value", "unit"]].values.tolist() == [
            [2, "2026Q1", "Retail", "refunds_credits", 61250.0, "money"],
            [3, "2026Q1", "Retail", "billing_complaints_share", 4.2, "percent"],
        ]

    def test_metrics_bad_names_exactly_the_four_problems(self):
        parsed = read_upload(sample("metrics_bad.csv"), "metrics_bad.csv", "metrics")
        assert not parsed.ok and parsed.rows.empty
        assert problems(parsed) == [
            "row 3, column value: must be 0 or more (got -3)",
            "row 4, column period: '2026Q7' is not a quarter: there is no quarter 7",
            "row 5, column value: must be a number (got 'four')",
            "row 6, column unit: 'minutes' is not a unit (use count, percent, money or hours)",
        ]
        assert [(p.row, p.column) for p in parsed.problems] == [
            (3, "value"), (4, "period"), (5, "value"), (6, "unit")]

    def test_effort_clean(self):
        parsed = read_upload(sample("effort_clean.csv"), "effort_clean.csv", "effort")
        assert parsed.ok
        rows = parsed.rows
        assert list(rows.columns) == ["row", "period", "department", "tier", "hours", "budget", "loop"]
        assert rows["tier"].tolist() == ["TM", "EL", "EM", "EL"]
        assert rows["loop"].tolist() == ["inner", "outer", None, "outer"]
        assert rows["budget"].tolist() == [60000.0, 9000.0, 52000.0, 28000.0]
        total, el = rows["hours"].sum(), rows.loc[rows.tier == "EL", "hours"].sum()
        assert (total, el) == (2750.0, 550.0)
        assert 0.5 * total - el == 825.0
        outer = rows.loc[rows.loop == "outer", "hours"].sum()
        said = rows.loc[rows.loop.notna(), "hours"].sum()
        assert (outer, said) == (550.0, 2050.0)

    def test_effort_titled_workbook(self):
        parsed = read_upload(sample("effort_titled.xlsx"), "effort_titled.xlsx", "effort")
        assert parsed.ok, problems(parsed)
        assert parsed.sheets == ("Sheet",) and parsed.sheet == "Sheet"
        rows = parsed.rows
        assert rows[["row", "period", "department", "tier", "hours"]].values.tolist() == [
            [3, "2026Q1", "Support", "TM", 1500.0],
            [4, "2026Q1", "Product", "EL", 350.0],
        ]
        assert rows["budget"].isna().all() and rows["loop"].tolist() == [None, None]
        assert "Skipped 1 row above the header (row 2)." in parsed.warnings

    def test_benchmarks(self):
        parsed = read_upload(sample("benchmarks.csv"), "benchmarks.csv", "benchmarks")
        assert parsed.ok
        assert parsed.rows.values.tolist() == [
            [2, "billing_complaints_share", 3.1, "percent", "Industry panel (illustrative)",
             "2025-12-31", "industry"]]
        assert list(parsed.rows.columns) == ["row", "metric", "value", "unit", "source", "as_of", "kind"]

    def test_identity_of_the_file(self):
        data = sample("metrics_clean.csv")
        parsed = read_upload(data, "q1.csv", "metrics")
        assert parsed.sha256 == hashlib.sha256(data).hexdigest()
        assert (parsed.kind, parsed.file_name, parsed.sheets, parsed.sheet) == ("metrics", "q1.csv", (), None)
        big = data + b"\n" * (5 * 1024 * 1024)     # hashed in a thread: the same digest
        assert read_upload(big, "q1.csv", "metrics").sha256 == hashlib.sha256(big).hexdigest()


# --- the API ----------------------------------------------------------------------------------


class TestApi:
    def test_an_unknown_kind_raises(self):
        with pytest.raises(CxroiError, match="unknown upload kind 'metric'"):
            read_upload(b"x", "x.csv", "metric")
        with pytest.raises(CxroiError):
            template_csv("assumptions")
        with pytest.raises(CxroiError):
            template_xlsx("")

    def test_problem_text(self):
        assert str(Problem(3, "value", "must be 0 or more (got -3)")) == \
            "row 3, column value: must be 0 or more (got -3)"
        assert str(Problem(4, None, "duplicate of row 2 (same metric and kind)")) == \
            "row 4: duplicate of row 2 (same metric and kind)"
        assert str(Problem(None, "value", "appears twice")) == "column value: appears twice"
        assert str(Problem(None, None, "The file is empty.")) == "The file is empty."
        with pytest.raises(AttributeError):
            Problem(1, None, "x").row = 2  # type: ignore[misc]

    @pytest.mark.parametrize("kind", ["metrics", "effort", "benchmarks"])
    def test_rows_are_empty_with_the_canonical_columns_when_refused(self, kind):
        parsed = read(b"", kind)
        assert not parsed.ok and parsed.rows.empty
        assert list(parsed.rows.columns) == ["row", *(c.name for c in COLUMNS[kind])]
        assert parsed.rows["row"].dtype == np.int64

    def test_columns_follow_the_design(self):
        required = {kind: [c.name for c in columns if c.required] for kind, columns in COLUMNS.items()}
        assert required == {
            "metrics": ["period", "segment", "metric", "value"],
            "effort": ["period", "department", "tier", "hours"],
            "benchmarks": ["metric", "value", "unit", "source", "as_of"],
        }
        optional = {kind: [c.name for c in columns if not c.required] for kind, columns in COLUMNS.items()}
        assert optional == {"metrics": ["unit", "higher_is_better"], "effort": ["budget", "loop"],
                            "benchmarks": ["kind"]}
        assert all(c.note and c.example for columns in COLUMNS.values() for c in columns)

    def test_dtypes(self):
        metrics = read(HEADER + "2026Q1,Retail,customers,5,count\n").rows
        assert metrics.dtypes.astype(str).to_dict() == {
            "row": "int64", "period": "str", "segment": "str", "metric": "str",
            "value": "float64", "unit": "str", "higher_is_better": "bool"}
        effort = read("period,department,tier,hours\n2026Q1,Support,TM,5\n", "effort").rows
        assert effort.dtypes.astype(str).to_dict() == {
            "row": "int64", "period": "str", "department": "str", "tier": "str",
            "hours": "float64", "budget": "float64", "loop": "object"}

    def test_progress_goes_from_0_to_1(self):
        seen: list[tuple[float, str]] = []
        read_upload(sample("metrics_clean.csv"), "m.csv", "metrics", progress=lambda f, m: seen.append((f, m)))
        fractions = [f for f, _ in seen]
        assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
        assert all(isinstance(m, str) and m for _, m in seen)

    def test_no_streamlit_no_database_in_ingest(self):
        tree = ast.parse(Path(ingest.__file__).read_text())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
        assert not imported & {"streamlit", "duckdb"}
        assert "cxroi" in imported

    def test_doctests(self):
        for module in (ingest, models):
            result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
            assert result.failed == 0 and result.attempted > 0, module.__name__


# --- refused files: one plain sentence each ----------------------------------------------------


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

    def test_over_the_limit_before_parsing(self):
        parsed = read_upload(b"\xff" * (MAX_UPLOAD_BYTES + 1), "huge.xlsx", "metrics")
        assert problems(parsed) == [
            "The file is too large: 52,428,801 bytes, over the upload limit of 50 MB."]
        assert read_upload(b"\n" * MAX_UPLOAD_BYTES, "blank.csv", "metrics").problems == (
            Problem(None, None, "The file is empty."),)

    def test_over_a_lowered_limit(self, monkeypatch):
        monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 1024 * 1024)
        parsed = read(HEADER.encode() + b"2026Q1,Retail,customers,5,count\n" * 40_000)
        assert problems(parsed) == [
            "The file is too large: 1,280,033 bytes, over the upload limit of 1 MB."]

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


# --- reading: encodings, separators, numbers ----------------------------------------------------


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


class TestSeparatorsAndNumbers:
    def test_semicolon_with_decimal_commas(self):
        parsed = read("period;segment;metric;value;unit\n"
                      "2026Q1;A;refunds_credits;61.250,00;money\n"
                      "2026Q1;B;refunds_credits;61 250,5;money\n"
                      "2026Q1;C;refunds_credits;1.234.567;money\n"
                      "2026Q1;D;refunds_credits;4.2;money\n"
                      "2026Q1;E;refunds_credits;€ 12,5;money\n"
                      "2026Q1;F;refunds_credits;0.125;money\n"
                      "2026Q1;G;refunds_credits;7;money\n")
        assert parsed.ok, problems(parsed)
        assert parsed.rows["value"].tolist() == [61250.0, 61250.5, 1234567.0, 4.2, 12.5, 0.125, 7.0]

    def test_an_ambiguous_dot_in_a_semicolon_file_is_refused(self):
        parsed = read("period;segment;metric;value;unit\n2026Q1;A;refunds_credits;1.500;money\n"
                      "2026Q1;B;returns;12.345;count\n")
        assert problems(parsed) == [
            "row 2, column value: is ambiguous in a ;-separated file ('1.500' could be 1500 or "
            "1.500): write 1500 or 1,500",
            "row 3, column value: is ambiguous in a ;-separated file ('12.345' could be 12345 or "
            "12.345): write 12345 or 12,345"]

    def test_comma_file_quoted_thousands_money_and_percent(self):
        parsed = read(HEADER +
                      '2026Q1,A,service_contacts,"12,500",count\n'
                      '2026Q1,A,refunds_credits,"$1,234.50",money\n'
                      "2026Q1,B,refunds_credits,$1234,money\n"
                      '2026Q1,A,nps,12%,\n'
                      '2026Q1,A,billing_share, 4.5 % ,percent\n'
                      '2026Q1,C,refunds_credits,"1,234,567.5",money\n'
                      "2026Q1,C,customers,1e3,\n")
        assert parsed.ok, problems(parsed)
        assert parsed.rows[["value", "unit"]].values.tolist() == [
            [12500.0, "count"], [1234.5, "money"], [1234.0, "money"], [12.0, "percent"],
            [4.5, "percent"], [1234567.5, "money"], [1000.0, "count"]]

    def test_a_decimal_comma_in_a_comma_file_is_not_guessed(self):
        parsed = read(HEADER + '2026Q1,A,returns,"4,2",count\n2026Q1,B,returns,"12,50",count\n')
        assert problems(parsed) == ["row 2, column value: must be a number (got '4,2')",
                                    "row 3, column value: must be a number (got '12,50')"]

    def test_tab_separated(self):
        parsed = read("period\tsegment\tmetric\tvalue\tunit\n2026Q1\tA, B and C\treturns\t1,250\tcount\n")
        assert parsed.ok and parsed.rows[["segment", "value"]].values.tolist() == [["A, B and C", 1250.0]]

    def test_values_that_are_not_finite_numbers(self):
        parsed = read(HEADER + "2026Q1,A,returns,inf,count\n2026Q1,B,returns,NaN,count\n"
                      "2026Q1,C,returns,n/a,count\n2026Q1,D,returns,,count\n2026Q1,E,returns,-Infinity,count\n"
                      "2026Q1,F,returns,1e999,count\n2026Q1,G,returns,%,count\n2026Q1,H,returns,12 500,count\n")
        assert problems(parsed) == [
            "row 2, column value: must be a finite number (got 'inf')",
            "row 3, column value: must be a finite number (got 'NaN')",
            "row 4, column value: must be a number (got 'n/a')",
            "row 5, column value: is empty",
            "row 6, column value: must be a finite number (got '-Infinity')",
            "row 7, column value: must be a finite number (got '1e999')",
            "row 8, column value: must be a number (got '%')",
            "row 9, column value: must be a number (got '12 500')",
        ]

    def test_infinity_in_a_column_read_as_numbers(self):
        parsed = read(HEADER + "2026Q1,A,returns,inf,count\n2026Q1,B,returns,-2.5,count\n")
        assert problems(parsed) == ["row 2, column value: must be a finite number (got 'inf')",
                                    "row 3, column value: must be 0 or more (got -2.5)"]

    def test_negative_values(self):
        parsed = read(HEADER + "2026Q1,A,returns,-3,count\n2026Q1,B,returns,\"-$1,200\",count\n"
                      "2026Q1,C,returns,-0,count\n")
        assert problems(parsed) == ["row 2, column value: must be 0 or more (got -3)",
                                    "row 3, column value: must be 0 or more (got -$1,200)"]

    def test_negative_zero_is_zero(self):
        parsed = read(HEADER + "2026Q1,C,returns,-0,count\n")
        value = parsed.rows["value"].iloc[0]
        assert value == 0.0 and math.copysign(1, value) == 1.0

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
        monkeypatch.setattr(ingest, "_read_csv_slowly", refuse)
        assert read_upload(sample("metrics_clean.csv"), "m.csv", "metrics").ok
        assert read_upload(sample("metrics_european.csv"), "m.csv", "metrics").ok
        assert read(HEADER + "2026Q1,007,returns,1,count\n\n2026Q1,B,returns,-1,count\n").problems == (
            Problem(4, "value", "must be 0 or more (got -1)"),)

    def test_empty_trailing_cells_are_fine(self):
        parsed = read(HEADER + "2026Q1,A,returns,5,count,,\n2026Q1,B,returns,6,count\n")
        assert parsed.ok and parsed.rows["value"].tolist() == [5.0, 6.0]


# --- units, percentages, directions -------------------------------------------------------------


class TestUnits:
    def test_unit_rules(self):
        parsed = read(HEADER +
                      "2026Q1,A,customers,5,money\n"       # canonical: its own unit only
                      "2026Q1,B,customers,5%,\n"           # canonical: never a percentage
                      "2026Q1,A,nps,12%,count\n"           # % but the unit says count
                      "2026Q1,A,hold_time,5,\n"            # a free metric needs a unit
                      "2026Q1,A,satisfaction,5,Percent\n"  # units ignore case
                      "2026Q1,C,customers,5,COUNT\n"
                      "2026Q1,D,customers,5%,percent\n")   # both wrong: both said
        assert problems(parsed) == [
            "row 2, column unit: customers is measured in count, not money",
            "row 3, column value: is a percentage, but customers is measured in count",
            "row 4, column value: is a percentage, but the unit is count",
            "row 5, column unit: is empty; a metric that is not canonical needs a unit (count, "
            "percent, money or hours)",
            "row 8, column value: is a percentage, but customers is measured in count",
            "row 8, column unit: customers is measured in count, not percent",
        ]

    def test_no_unit_column_for_canonical_metrics(self):
        parsed = read("period,segment,metric,value\n2026Q1,A,Revenue,100\n2026Q1,A,RETURNS,3\n")
        assert parsed.ok
        assert parsed.rows[["metric", "unit", "higher_is_better"]].values.tolist() == [
            ["revenue", "money", True], ["returns", "count", False]]

    def test_a_near_canonical_name_is_kept_with_a_warning(self):
        parsed = read(HEADER + "2026Q1,A,Service Contacts,5,count\n")
        assert parsed.ok and parsed.rows["metric"].tolist() == ["service contacts"]
        assert parsed.warnings == ("The metric 'service contacts' is kept as written and does not "
                                   "feed the iceberg; did you mean 'service_contacts'?",)

    def test_higher_is_better_spellings_and_defaults(self):
        parsed = read("period,segment,metric,value,unit,Higher Is Better\n"
                      "2026Q1,A,csat,1,count,yes\n2026Q1,B,csat,1,count,No\n2026Q1,C,csat,1,count,Y\n"
                      "2026Q1,D,csat,1,count,n\n2026Q1,E,csat,1,count,1\n2026Q1,F,csat,1,count,0\n"
                      "2026Q1,G,csat,1,count,TRUE\n2026Q1,H,csat,1,count,false\n"
                      "2026Q1,I,csat,1,count,\n2026Q1,I,customers,1,,\n2026Q1,I,returns,1,,\n"
                      "2026Q1,J,customers,1,,no\n")
        assert parsed.ok
        assert parsed.rows["higher_is_better"].tolist() == [
            True, False, True, False, True, False, True, False, False, True, False, False]

    def test_a_bad_flag(self):
        parsed = read("period,segment,metric,value,unit,higher_is_better\n2026Q1,A,csat,1,count,maybe\n")
        assert problems(parsed) == [
            "row 2, column higher_is_better: must be true or false (or yes/no, y/n, 1/0) (got 'maybe')"]


# --- text: names kept exactly, periods, tiers, loops, dates -------------------------------------


class TestText:
    def test_names_are_kept_exactly(self):
        names = ["<b>Retail</b>", "Ünïcödé 東京 🚀", "O'Brien & Co; \"quoted\"", "=SUM(A1:A9)",
                 "+1+1", "@cmd", "-2+3", "NA", "None", "null", "007", "Line one\nline two"]
        body = "".join(f'2026Q1,"{n.replace(chr(34), chr(34) * 2)}",returns,1,count\n' for n in names)
        parsed = read(HEADER + body + '2026Q1,"  padded  ",returns,1,count\n')
        assert parsed.ok, problems(parsed)
        assert parsed.rows["segment"].tolist() == [*names, "padded"]
        assert parsed.rows["row"].tolist() == list(range(2, 2 + len(names) + 1))

    def test_numeric_looking_names_keep_their_zeros(self):
        parsed = read(HEADER + "2026Q1,007,returns,1,count\n2026Q1,1.50,returns,1,count\n")
        assert parsed.ok and parsed.rows["segment"].tolist() == ["007", "1.50"]
        effort = read("period,department,tier,hours\n2026Q1,0042,TM,1\n2026Q1,TRUE,TM,1\n", "effort")
        assert effort.ok and effort.rows["department"].tolist() == ["0042", "TRUE"]

    def test_a_multi_line_cell_is_one_row(self):
        parsed = read(HEADER + '2026Q1,"North\nAmerica",returns,1,count\n2026Q1,B,returns,-1,count\n')
        assert problems(parsed) == ["row 3, column value: must be 0 or more (got -1)"]

    def test_period_spellings(self):
        spellings = ["2026Q3", "2026-Q3", "2026 Q3", "Q3 2026", "Q3-2026", "q3/2026", "2026-08-14"]
        body = "".join(f"{s},S{i},returns,1,count\n" for i, s in enumerate(spellings))
        parsed = read(HEADER + body)
        assert parsed.ok and set(parsed.rows["period"]) == {"2026Q3"}

    def test_bad_periods(self):
        parsed = read(HEADER + "2026Q5,A,returns,1,count\n26Q1,A,returns,1,count\n"
                      ",A,returns,1,count\n2026-02-30,A,returns,1,count\n")
        assert problems(parsed) == [
            "row 2, column period: '2026Q5' is not a quarter: there is no quarter 5",
            "row 3, column period: '26Q1' is not a quarter (write it like 2026Q3)",
            "row 4, column period: is empty",
            "row 5, column period: '2026-02-30' is not a valid date",
        ]

    def test_empty_required_text(self):
        parsed = read(HEADER + "2026Q1, ,returns,1,count\n2026Q1,A,,1,count\n")
        assert problems(parsed) == ["row 2, column segment: is empty", "row 3, column metric: is empty"]

    def test_tiers_and_loops(self):
        parsed = read("period,department,tier,hours,budget,loop\n"
                      "2026Q1,A,Touchpoint Management,1,,Inner\n"
                      "2026Q1,A,experience management,2,,OUTER\n"
                      "2026Q1,A,EXPERIENCE-LEADERSHIP,3,,outer loop\n"
                      "2026Q1,B,tm,4,10,\n2026Q1,B,Em,5,,\n2026Q1,B,el,6,\"$1,000\",\n", "effort")
        assert parsed.ok, problems(parsed)
        rows = parsed.rows
        assert rows["tier"].tolist() == ["TM", "EM", "EL", "TM", "EM", "EL"]
        assert rows["loop"].tolist() == ["inner", "outer", "outer", None, None, None]
        assert rows["budget"].isna().tolist() == [True, True, True, False, True, False]
        assert rows["budget"].iloc[5] == 1000.0

    def test_bad_effort_rows(self):
        parsed = read("period,department,tier,hours,budget,loop\n"
                      "2026Q1,A,Leadership,1,,middle\n2026Q1,A,TM,12%,-5,\n2026Q1,A,EM,,,\n", "effort")
        assert problems(parsed) == [
            "row 2, column tier: must be TM, EM or EL (or Touchpoint Management, Experience "
            "Management, Experience Leadership) (got 'Leadership')",
            "row 2, column loop: must be inner or outer, or left empty (got 'middle')",
            "row 3, column hours: must be a plain number, not a percentage (got '12%')",
            "row 3, column budget: must be 0 or more (got -5)",
            "row 4, column hours: is empty",
        ]

    def test_benchmark_dates_and_kinds(self):
        parsed = read("Metric,Value,Unit,Source,As Of,Kind\n"
                      "customers,1,count,P,31/12/2025,\n"
                      "returns,1,count,P,12/31/2025,Target\n"
                      "escalations,1,count,P,31.12.2025,industry\n"
                      "detractors,1,count,P,\"Dec 31, 2025\",\n"
                      "promoters,1,count,P,31 December 2025,\n"
                      "passives,1,count,P,2025-12-31 00:00:00,\n"
                      "revenue,1,money,P,2025/12/31,\n"
                      "nps,4.5%,percent,P,2025-06-30,target\n", "benchmarks")
        assert parsed.ok, problems(parsed)
        assert set(parsed.rows["as_of"][:7]) == {"2025-12-31"}
        assert parsed.rows["kind"].tolist() == ["industry", "target", "industry", "industry",
                                                "industry", "industry", "industry", "target"]
        assert parsed.rows["value"].iloc[-1] == 4.5

    def test_bad_benchmark_rows(self):
        parsed = read("metric,value,unit,source,as_of,kind\n"
                      "customers,1,count,P,03/04/2025,goal\n"
                      "returns,1,,,2025-02-30,\n"
                      "escalations,1,count,P,yesterday,\n", "benchmarks")
        assert problems(parsed) == [
            "row 2, column as_of: '03/04/2025' is ambiguous (day 3 of month 4, or day 4 of month "
            "3?): write it as YYYY-MM-DD",
            "row 2, column kind: must be industry or target, or left empty (got 'goal')",
            "row 3, column unit: is empty",
            "row 3, column source: is empty",
            "row 3, column as_of: '2025-02-30' is not a valid date",
            "row 4, column as_of: 'yesterday' is not a date (write it like 2025-12-31)",
        ]

    def test_header_spellings_and_extra_columns(self):
        parsed = read(" PERIOD ,Segment,METRIC,Value,Unit,higher-is-better,Notes,owner\n"
                      "2026Q1,A,csat,1,count,yes,looks fine,Ann\n")
        assert parsed.ok and parsed.rows["higher_is_better"].tolist() == [True]
        assert parsed.warnings == ("Ignored 2 columns that a metrics file does not use: 'Notes', 'owner'.",)


# --- title rows, empty rows, sheets, formulas ----------------------------------------------------


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


# --- duplicates and all-or-nothing ---------------------------------------------------------------


class TestDuplicates:
    def test_after_normalising_both_rows_are_named(self):
        parsed = read(HEADER + "2026Q1,Retail,returns,1,count\n2026-Q1,Retail,Returns,2,count\n"
                      "Q1 2026,Retail,RETURNS ,3,count\n2026Q1,retail,returns,4,count\n")
        assert problems(parsed) == [
            "row 3: duplicate of row 2 (same period, segment and metric)",
            "row 4: duplicate of row 2 (same period, segment and metric)",
        ]
        assert parsed.rows.empty

    def test_effort_duplicates_include_the_loop(self):
        parsed = read("period,department,tier,hours,loop\n2026Q1,A,TM,1,\n2026Q1,A,TM,2,inner\n"
                      "2026Q1,A,Touchpoint Management,3,\n2026Q1,A,TM,4,Inner\n2026Q1,A,EM,5,\n", "effort")
        assert problems(parsed) == [
            "row 4: duplicate of row 2 (same period, department, tier and loop)",
            "row 5: duplicate of row 3 (same period, department, tier and loop)",
        ]

    def test_empty_rows_in_a_benchmarks_file_are_ignored(self):
        parsed = read("metric,value,unit,source,as_of,kind\nreturns,1,count,A,2025-12-31,\n,,,,,\n\n"
                      "escalations,1,count,A,2025-12-31,target\n", "benchmarks")
        assert parsed.ok and parsed.rows["row"].tolist() == [2, 5]
        assert parsed.rows["kind"].tolist() == ["industry", "target"]

    def test_benchmark_duplicates_use_the_default_kind(self):
        parsed = read("metric,value,unit,source,as_of,kind\nreturns,1,count,A,2025-12-31,\n"
                      "Returns,2,count,B,2025-12-31,Industry\nreturns,3,count,C,2025-12-31,target\n",
                      "benchmarks")
        assert problems(parsed) == ["row 3: duplicate of row 2 (same metric and kind)"]

    def test_rows_with_a_bad_key_are_not_duplicates(self):
        parsed = read(HEADER + "2026Q9,A,returns,1,count\n2026Q9,A,returns,1,count\n")
        assert problems(parsed) == [
            "row 2, column period: '2026Q9' is not a quarter: there is no quarter 9",
            "row 3, column period: '2026Q9' is not a quarter: there is no quarter 9"]

    def test_one_bad_row_refuses_the_file_and_every_problem_is_listed_in_order(self):
        good = "".join(f"2026Q1,S{i},returns,{i},count\n" for i in range(200))
        parsed = read(HEADER + good + "2026Q7,X,returns,-1,minutes\n" + good.replace("2026Q1", "2026Q2")
                      + "2026Q2,S5,returns,1,count\n")
        assert parsed.rows.empty and not parsed.ok
        assert problems(parsed) == [
            "row 202, column period: '2026Q7' is not a quarter: there is no quarter 7",
            "row 202, column value: must be 0 or more (got -1)",
            "row 202, column unit: 'minutes' is not a unit (use count, percent, money or hours)",
            "row 403: duplicate of row 208 (same period, segment and metric)",
        ]


# --- templates ---------------------------------------------------------------------------------


class TestTemplates:
    @pytest.mark.parametrize("kind", ["metrics", "effort", "benchmarks"])
    def test_csv_template_reads_back(self, kind):
        data = template_csv(kind)
        header, example, *rest = data.decode().split("\n")
        assert header == ",".join(c.name for c in COLUMNS[kind]) and rest == [""]
        parsed = read_upload(data, f"{kind}.csv", kind)
        assert parsed.ok and len(parsed.rows) == 1 and parsed.warnings == ()

    @pytest.mark.parametrize("kind", ["metrics", "effort", "benchmarks"])
    def test_xlsx_template_reads_back_and_explains_every_column(self, kind):
        data = template_xlsx(kind)
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.sheetnames == ["data", "notes"]
        assert [c.value for c in book["data"][1]] == [c.name for c in COLUMNS[kind]]
        notes = list(book["notes"].iter_rows(values_only=True))
        assert notes[0] == ("column", "required", "note", "example")
        assert [row[0] for row in notes[1:]] == [c.name for c in COLUMNS[kind]]
        assert [row[2] for row in notes[1:]] == [c.note for c in COLUMNS[kind]]
        parsed = read_upload(data, f"{kind}.xlsx", kind)
        assert parsed.ok and parsed.sheet == "data" and len(parsed.rows) == 1
        csv_rows = read_upload(template_csv(kind), "t.csv", kind).rows.drop(columns="row")
        assert parsed.rows.drop(columns="row").values.tolist() == csv_rows.values.tolist()


# --- the per-row models agree with the bulk path -------------------------------------------------

AGREEMENT_ROWS = [
    {"period": "2026Q1", "segment": "Retail", "metric": "customers", "value": "12000", "unit": "count"},
    {"period": "Q1 2026", "segment": "Retail", "metric": "Customers", "value": "12,000", "unit": ""},
    {"period": "2026-Q1", "segment": " Retail ", "metric": "nps", "value": "12%", "unit": ""},
    {"period": "2026Q1", "segment": "Retail", "metric": "nps", "value": "12%", "unit": "count"},
    {"period": "2026Q1", "segment": "Retail", "metric": "customers", "value": "12", "unit": "money"},
    {"period": "2026Q1", "segment": "Retail", "metric": "hold", "value": "12", "unit": ""},
    {"period": "2026Q1", "segment": "Retail", "metric": "hold", "value": "12", "unit": "minutes"},
    {"period": "2026Q7", "segment": "Retail", "metric": "returns", "value": "1", "unit": "count"},
    {"period": "2026Q1", "segment": "", "metric": "returns", "value": "1", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "returns", "value": "-3", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "returns", "value": "inf", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "returns", "value": "n/a", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "returns", "value": "$1,234.50", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "csat", "value": "4", "unit": "count",
     "higher_is_better": "yes"},
    {"period": "2026Q1", "segment": "A", "metric": "csat", "value": "4", "unit": "count",
     "higher_is_better": "maybe"},
]


def _csv_of(rows: list[dict[str, str]], columns: list[str], separator: str = ",") -> bytes:
    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'
    lines = [separator.join(columns)]
    lines += [separator.join(quote(row.get(c, "")) for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("row", AGREEMENT_ROWS, ids=range(len(AGREEMENT_ROWS)))
def test_metric_rows_are_judged_alike_by_the_model_and_the_bulk_path(row):
    columns = ["period", "segment", "metric", "value", "unit", "higher_is_better"]
    parsed = read_upload(_csv_of([row], columns), "one.csv", "metrics")
    try:
        model = MetricRow.model_validate({k: v for k, v in row.items()})
    except ValidationError:
        model = None
    assert parsed.ok == (model is not None), (problems(parsed), model)
    if model is not None:
        got = parsed.rows.iloc[0]
        assert (got["period"], got["segment"], got["metric"], got["value"], got["unit"],
                bool(got["higher_is_better"])) == (model.period, model.segment, model.metric,
                                                   model.value, model.unit, model.higher_is_better)


@pytest.mark.parametrize("row, ok", [
    ({"period": "Q1 2026", "department": "Support", "tier": "touchpoint management", "hours": "1,500",
      "budget": "", "loop": "Outer"}, True),
    ({"period": "2026Q1", "department": "Support", "tier": "XL", "hours": "1", "budget": "", "loop": ""}, False),
    ({"period": "2026Q1", "department": "Support", "tier": "EL", "hours": "12%", "budget": "", "loop": ""}, False),
    ({"period": "2026Q1", "department": "Support", "tier": "EL", "hours": "1", "budget": "-1", "loop": ""}, False),
    ({"period": "2026Q1", "department": "Support", "tier": "EL", "hours": "1", "budget": "", "loop": "x"}, False),
])
def test_effort_rows_are_judged_alike(row, ok):
    parsed = read_upload(_csv_of([row], list(row)), "one.csv", "effort")
    try:
        model = EffortRow.model_validate(row)
    except ValidationError:
        model = None
    assert parsed.ok == (model is not None) == ok
    if model is not None:
        got = parsed.rows.iloc[0]
        assert (got["period"], got["tier"], got["hours"], got["loop"]) == \
            (model.period, model.tier, model.hours, model.loop)
        assert math.isnan(got["budget"]) and model.budget is None


@pytest.mark.parametrize("row, ok", [
    ({"metric": "nps", "value": "3,1%", "unit": "percent", "source": "Panel", "as_of": "31.12.2025", "kind": ""}, True),
    ({"metric": "nps", "value": "3,1", "unit": "", "source": "Panel", "as_of": "31.12.2025", "kind": ""}, False),
    ({"metric": "customers", "value": "3", "unit": "money", "source": "Panel", "as_of": "2025-12-31", "kind": ""}, False),
    ({"metric": "customers", "value": "1.500", "unit": "count", "source": "Panel", "as_of": "2025-12-31", "kind": ""}, False),
    ({"metric": "customers", "value": "1.500,5", "unit": "count", "source": "P", "as_of": "2025-12-31", "kind": "Target"}, True),
])
def test_benchmark_rows_are_judged_alike_in_a_semicolon_file(row, ok):
    parsed = read_upload(_csv_of([row], list(row), ";"), "one.csv", "benchmarks")
    try:
        model = BenchmarkRow.model_validate(row, context={"decimal_comma": True})
    except ValidationError:
        model = None
    assert parsed.ok == (model is not None) == ok, problems(parsed)
    if model is not None:
        got = parsed.rows.iloc[0]
        assert (got["metric"], got["value"], got["unit"], got["as_of"], got["kind"]) == \
            (model.metric, model.value, model.unit, model.as_of, model.kind)


NUMBER_TEXT = st.text(alphabet="0123456789.,-+ e%$€\u00a0na", max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(NUMBER_TEXT, min_size=1, max_size=20), st.booleans())
def test_bulk_number_parsing_agrees_with_parse_number(texts, decimal_comma):
    bulk = ingest._number_column(pd.Series(texts, dtype=object), decimal_comma)
    for i, text in enumerate(texts):
        try:
            value, percent = parse_number(text, decimal_comma=decimal_comma)
        except CxroiError as error:
            assert bulk.bad[i] or (bulk.empty[i] and str(error) == "is empty"), (text, str(error))
            continue
        assert not bulk.bad[i] and not bulk.empty[i], text
        assert bulk.values[i] == value and bulk.percent[i] == percent, text


@pytest.mark.parametrize("text, decimal_comma, expected", [
    ("12,500", False, (12500.0, False)), ("$1,234.50", False, (1234.5, False)),
    ("12%", False, (12.0, True)), ("61250,00", True, (61250.0, False)),
    ("4,2%", True, (4.2, True)), ("61.250,00", True, (61250.0, False)),
    ("4.2", True, (4.2, False)), (" 7 ", False, (7.0, False)), ("-0", False, (0.0, False)),
])
def test_parse_number(text, decimal_comma, expected):
    assert parse_number(text, decimal_comma=decimal_comma) == expected


def test_every_canonical_metric_has_its_unit_in_the_rows():
    body = "".join(f"2026Q1,A,{name},1,\n" for name in CANONICAL_METRICS)
    parsed = read(HEADER + body)
    assert parsed.ok
    assert dict(zip(parsed.rows["metric"], parsed.rows["unit"])) == {
        name: m.unit for name, m in CANONICAL_METRICS.items()}
    assert dict(zip(parsed.rows["metric"], parsed.rows["higher_is_better"])) == {
        name: m.higher_is_better for name, m in CANONICAL_METRICS.items()}
