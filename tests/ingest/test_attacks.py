"""Attack files: tiny uploads that would take gigabytes or minutes, refused (or cut) fast.

Every file is generated here (small on disk); each read is timed and its peak memory traced,
with loose bounds (a noisy machine passes; a 30 s / 1.5 GB regression does not).
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import openpyxl

from cxroi.ingest import read_upload
from tests.ingest.common import problems

SECONDS = 5
PEAK_BYTES = 300 * 1024 * 1024


def timed(data: bytes, name: str, kind: str = "metrics"):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        parsed = read_upload(data, name, kind)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MB"
    return parsed


def small_book(rows: list[list[object]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["period", "segment", "metric", "value", "unit"])
    for row in rows:
        sheet.append(row)
    return book


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, write) -> bytes:
    """The workbook with part ``name`` replaced by what ``write(file)`` streams into it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        with target.open(name, "w", force_zip64=True) as part:
            write(part)
    return out.getvalue()


HEADER_ROW = (b'<row r="1"><c t="inlineStr"><is><t>period</t></is></c><c t="inlineStr"><is><t>'
              b'segment</t></is></c><c t="inlineStr"><is><t>metric</t></is></c>'
              b'<c t="inlineStr"><is><t>value</t></is></c></row>')
DATA_CELLS = (b'<c t="inlineStr"><is><t>2026Q1</t></is></c><c t="inlineStr"><is><t>'
              b'Retail</t></is></c><c t="inlineStr"><is><t>customers</t></is></c><c><v>10</v></c>')


class TestWorkbookBombs:
    def test_a_row_numbered_ten_million_ends_the_sheet_at_a_long_empty_run(self):
        data = replace_part(saved(small_book([])), "xl/worksheets/sheet1.xml", lambda part: part.write(
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + HEADER_ROW + b'<row r="2">' + DATA_CELLS + b'</row><row r="10000000">'
            + DATA_CELLS + b"</row></sheetData></worksheet>"))
        assert len(data) < 10_000
        parsed = timed(data, "gap.xlsx")
        assert parsed.ok, problems(parsed)
        assert parsed.rows["row"].tolist() == [2]
        assert any("1,000 empty rows in a row end the sheet" in w for w in parsed.warnings)

    def test_one_huge_shared_string_is_refused_before_openpyxl_reads_it(self):
        data = saved(small_book([["2026Q1", "Retail", "customers", 10, None]]))

        def write(part):
            part.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                       b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                       b"<si><t>")
            for _ in range(200):
                part.write(b"A" * (1024 * 1024))
            part.write(b"</t></si></sst>")

        bomb = replace_part(data, "xl/sharedStrings.xml", write)
        assert len(bomb) < 1_000_000
        parsed = timed(bomb, "string.xlsx")
        assert len(parsed.problems) == 1
        assert "unpacks to more than 256 MB (or to over 100 times its size)" in problems(parsed)[0]

    def test_a_long_text_in_a_small_part_is_refused(self):
        data = saved(small_book([["2026Q1", "Retail", "customers", 10, None]]))
        data = replace_part(data, "xl/sharedStrings.xml", lambda part: part.write(
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<si><t>" + b"x" * 200_000 + b"</t></si></sst>"))
        parsed = timed(data, "long.xlsx")
        assert problems(parsed) == [
            "This workbook holds a text longer than 131,072 bytes (a cell holds at most "
            "32,767 characters): the file is damaged or is not a spreadsheet's export."]

    def test_thirty_megabytes_of_repeated_rows_are_refused(self):
        data = saved(small_book([["2026Q1", "Retail", "customers", 10, None]]))

        def write(part):
            part.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                       b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + HEADER_ROW)
            row = b"<row>" + DATA_CELLS + b"</row>"
            block = row * 10_000
            for _ in range(30 * 1024 * 1024 // len(block) + 1):
                part.write(block)
            part.write(b"</sheetData></worksheet>")

        bomb = replace_part(data, "xl/worksheets/sheet1.xml", write)
        assert len(bomb) < 1_000_000
        parsed = timed(bomb, "rows.xlsx")
        assert len(parsed.problems) == 1
        assert "unpacks to more than" in problems(parsed)[0]


class TestCsvBombs:
    def test_fifty_megabytes_of_blank_rows_are_refused(self):  # 48 MB: just under the limit
        data = b"period,segment,metric,value,unit\n" + b",,,,\n" * 8_000_000 + \
            b"2026Q1,Retail,customers,10,count\n"
        parsed = timed(data, "blank.csv")
        assert problems(parsed) == ["The file has more than 2,000,000 rows, the most that is "
                                    "read: split the data into several uploads."]


class TestProblemReports:
    def test_a_problem_quotes_at_most_eighty_characters_of_a_cell(self):
        parsed = timed(b"period,segment,metric,value,unit\n2026Q1,Retail,returns," + b"x" * 100_000
                       + b",count\n", "long.csv")
        [problem] = problems(parsed)
        assert problem == f"row 2, column value: must be a number (got '{'x' * 80}...')"

    def test_at_most_two_hundred_problems_are_listed_then_how_many_more(self):
        data = "period,segment,metric,value,unit\n" + "".join(
            f"2026Q1,Retail,m{n},{'y' * 1000},count\n" for n in range(5_000))
        parsed = timed(data.encode(), "many.csv")
        found = problems(parsed)
        assert len(found) == 201
        assert found[-1] == "... and 4,800 more problems"
        assert max(len(p) for p in found) < 200


class TestTooLarge:
    def test_values_that_would_sum_to_infinity_are_refused(self):
        data = "period,segment,metric,value,unit\n" + "".join(
            f"2026Q1,S{n},customers,1e308,\n" for n in range(3))
        assert problems(timed(data.encode(), "huge.csv")) == [
            f"row {n}, column value: '1e+308' is too large (at most 1,000,000,000,000)"
            for n in (2, 3, 4)]

    def test_hours_and_budget_are_bounded_too(self):
        data = b"period,department,tier,hours,budget\n2026Q1,Ops,TM,2e12,1e300\n"
        assert problems(timed(data, "huge.csv", "effort")) == [
            "row 2, column hours: '2000000000000' is too large (at most 1,000,000,000,000)",
            "row 2, column budget: '1e+300' is too large (at most 1,000,000,000,000)"]

    def test_a_percentage_above_a_million_is_refused(self):
        data = b"period,segment,metric,value,unit\n2026Q1,Retail,nps,2000000,percent\n" \
               b"2026Q1,Online,nps,1000000,percent\n2026Q1,Shop,calls,2000000,count\n"
        assert problems(timed(data, "pct.csv")) == [
            "row 2, column value: '2000000' is too large (at most 1,000,000)"]

    def test_a_workbook_number_is_bounded_like_a_csv_one(self):
        from tests.ingest.common import workbook
        data = workbook({"data": [["period", "segment", "metric", "value"],
                                  ["2026Q1", "Retail", "customers", 1e308]]})
        assert problems(timed(data, "huge.xlsx")) == [
            "row 2, column value: '1e+308' is too large (at most 1,000,000,000,000)"]


class TestControlCharacters:
    def test_nul_escape_and_tab_in_text_cells_are_refused(self):
        data = ('period,segment,metric,value,unit\n'
                '2026Q1,"Re\x00tail",customers,1,\n'
                '2026Q1,"\x1b[31mRed\x1b[0m",customers,2,\n'
                '2026Q1,"Tab\there",customers,3,\n'
                '2026Q1,Shop,"cal\x85ls",4,count\n'
                '2026Q1,Shop\x07,customers,5,\n').encode()
        assert problems(timed(data, "ctl.csv")) == [
            "row 2, column segment: contains a control character",
            "row 3, column segment: contains a control character",
            "row 4, column segment: contains a control character",
            "row 5, column metric: contains a control character",
            "row 6, column segment: contains a control character"]

    def test_source_and_department_too(self):
        data = b"period,department,tier,hours\n2026Q1,Op\x01s,TM,2\n"
        assert problems(timed(data, "ctl.csv", "effort")) == [
            "row 2, column department: contains a control character"]
        data = "metric,value,unit,source,as_of\nnps,40,percent,Fo\x9brrester,2025-01-01\n".encode()
        assert problems(timed(data, "ctl.csv", "benchmarks")) == [
            "row 2, column source: contains a control character"]


class TestEncodings:
    def test_utf8_with_one_latin1_byte_is_refused_naming_its_row(self):
        data = ("period,segment,metric,value,unit\n2026Q1,Zürich,customers,1,\n").encode() + \
            b"2026Q1,M\xfcnchen,customers,2,\n"
        assert problems(timed(data, "mixed.csv")) == [
            "row 3: holds a byte (0xFC) that is not UTF-8, while the rest of the file is UTF-8: "
            "the file mixes two encodings. Save it as CSV UTF-8 and upload it again"]

    def test_the_bad_byte_before_the_utf8_is_found_too(self):
        data = b"period,segment,metric,value,unit\n2026Q1,M\xfcnchen,customers,2,\n" + \
            "2026Q1,Zürich,customers,1,\n".encode()
        assert problems(timed(data, "mixed.csv"))[0].startswith("row 2: holds a byte (0xFC)")

    def test_utf8_with_and_without_bom_and_windows_1252_still_read(self):
        text = "period,segment,metric,value,unit\n2026Q1,Zürich,customers,1,\n"
        for data in (text.encode(), b"\xef\xbb\xbf" + text.encode()):
            parsed = timed(data, "u.csv")
            assert parsed.ok and parsed.rows["segment"].tolist() == ["Zürich"]
            assert not parsed.warnings
        parsed = timed(text.encode("cp1252"), "w.csv")
        assert parsed.ok and parsed.rows["segment"].tolist() == ["Zürich"]
        assert any("Windows-1252" in w for w in parsed.warnings)


class TestLongLines:
    def test_a_header_line_over_256_kb_is_said_to_be_too_long(self):
        data = b"period,segment,metric,value,unit," + b"x" * 300_000 + b"\n2026Q1,R,customers,1,\n"
        assert problems(timed(data, "wide.csv")) == [
            "row 1: the line is longer than 256 KB, the most a line above the data may hold "
            "(the header must lie in the file's first 256 KB)"]

    def test_an_unclosed_quote_in_a_long_file_names_its_row(self):
        data = b"period,segment,metric,value,unit\n2026Q1,R,customers,1,\n2026Q1,\"R,customers,1,\n" \
            + b"2026Q1,R,customers,1,\n" * 10_000
        assert problems(timed(data, "quote.csv")) == [
            "row 3: a quoted cell is never closed (or a cell is longer than 131,072 characters)"]
