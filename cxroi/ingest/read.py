"""Reading an upload's bytes: the file as a `Table` of the kind's columns, before any rule.

* **Format.** A workbook (``.xlsx``/``.xlsm``, read with openpyxl, formulas as their saved
  results) when the bytes are a zip archive or the name says so; an old ``.xls`` is refused
  with a hint; anything else is read as CSV. (The size limit, `cxroi.ingest.MAX_UPLOAD_BYTES`,
  is checked before any of this.)
* **Encoding.** UTF-8, with or without a byte-order mark; UTF-16 with a byte-order mark; else
  Windows-1252 (Excel's "CSV" on Windows), which is said in a warning. Binary data is refused.
* **Separator.** ``,``, ``;`` or tab: whichever makes a header row appear. A ``;`` file has
  decimal commas (``Table.decimal_comma``).
* **Header.** The first row (of the first 50) that holds every required column of the kind.
  Names match ignoring case, spaces, underscores and hyphens (``Higher is better`` is
  ``higher_is_better``). Rows above it (titles) are skipped but counted, so row numbers are
  those a spreadsheet shows: the header's own row counts, and so does every title row. Extra
  columns are ignored with a warning. In a workbook, the ``sheet`` asked for, else the first
  sheet that has such a header; all sheet names are returned.
* **Rows.** Trailing empty rows are not content. A row with more cells than the header (an
  unquoted ``12,500`` in a ``,`` file) is a problem of its own, and its cells are not judged.
* **Workbook cells.** Number cells are taken as they are, except that a cell formatted as a
  percentage (Excel stores 4.2% as 0.042) counts as ``4.2%``; other cells become the text a
  CSV export would hold. Reading a workbook is bound by openpyxl (thousands of rows a second,
  not millions): for very large uploads, CSV is the format to ask for.

* **Bounds.** Work is bound by what is read, not what a file declares: at most `MAX_ROWS`
  rows; `EMPTY_RUN_ROWS` empty rows in a row end a sheet (with a warning); a workbook's parts
  are unpacked in bounded chunks before openpyxl sees them, and refused past 256 MB in all, past
  100 times a part's packed size, or with a text run over 131,072 bytes. A file mixing UTF-8
  with another encoding is refused, naming the row of the first byte that is not UTF-8.

A file that cannot be read at all raises `Refused` with a sentence saying why and what to do.
Plain number columns come back as float64 arrays (parsed by the CSV reader); every other
column as the cells' text, for `cxroi.ingest.bulk` and `cxroi.ingest.validate` to judge.

>>> table = read_table(b"Q1 figures\\nperiod;segment;metric;value\\n2026Q1;Retail;returns;4,5\\n",
...                    "q1.csv", "metrics", None, lambda fraction, message: None)
>>> table.rows.tolist(), table.decimal_comma, table.cells["value"].tolist(), table.warnings
([3], True, [4.5], ['Skipped 1 row above the header (row 2).'])
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

import numpy as np
import pandas as pd

from cxroi.ingest.cells import parse_metric
from cxroi.ingest.columns import COLUMNS, COLUMNS_BY_NAME, KINDS, RATINGS_WIDE_KEYS, header_columns
from cxroi.ingest.results import Problem, Refused
from cxroi.models import CxroiError

__all__ = ["Table", "read_table", "megabytes", "and_join", "column_letter", "number_text"]

_HEADER_SEARCH_ROWS = 50
_HEAD_BYTES = 256 * 1024
_SEPARATORS = (",", ";", "\t")
_MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
"""At most this many bytes of XML (all parts of a workbook, unpacked), counted while unpacking."""
_MAX_PACKING_RATIO = 100
"""A part unpacking to more than 4 MB may be at most this many times its packed size."""
_RATIO_FREE_BYTES = 4 * 1024 * 1024
_MAX_TEXT_BYTES = 131_072
"""The longest run of text in a workbook's XML (4 bytes per character of Excel's 32,767)."""
MAX_ROWS = 2_000_000
"""At most this many rows are read from a sheet or a CSV file."""
EMPTY_RUN_ROWS = 1_000
"""This many empty rows in a row end a sheet: what lies below is not read."""


@dataclass
class Table:
    """The cells of the kind's columns as read, before any rule is applied."""

    rows: np.ndarray                      # int64 spreadsheet row numbers
    cells: dict[str, Any]                 # column -> float64 ndarray (numbers read) or strings
    decimal_comma: bool = False
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # row-level problems found reading
    items: list[tuple[str, str, Any]] | None = None
    """A wide ratings file's item columns: (item name, header as written, cells); None for
    every other file. Cells are float64 arrays (NaN for an empty cell) or the cells' text."""


def megabytes(size: int) -> str:
    """A size in bytes as a sentence says it: ``50 MB``, ``1.5 MB``."""
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def read_table(data: bytes, file_name: str, kind: str, sheet: str | None,
               report: Callable[[float, str], None]) -> Table:
    """The cells of ``kind``'s columns in the file (a workbook or CSV); `Refused` if unreadable."""
    name = file_name.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise Refused("This is an old Excel 97-2003 workbook (.xls) or another Office file, "
                      "which cannot be read: save it as .xlsx or CSV (UTF-8) and upload that.")
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        return _read_workbook(data, kind, sheet, report)
    if name.endswith(".xls"):
        raise Refused("This is not a readable .xls workbook: save it as .xlsx or CSV (UTF-8).")
    table = _read_csv(data, kind)
    if sheet is not None:
        table.warnings.append(f"A CSV file has no sheets; the sheet {sheet!r} was ignored.")
    return table


def _header_key(name: object) -> str:
    return re.sub(r"[\s_\-]+", "", str(name if name is not None else "").replace("\ufeff", "")).lower()


def column_letter(index: int) -> str:
    """A spreadsheet's name for the column at 0-based ``index``: A, B, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def and_join(names: Sequence[str]) -> str:
    """``a, b and c``."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass
class _Header:
    index: int                  # position among the rows searched (0-based)
    positions: dict[str, int]   # canonical column -> position in the row
    width: int
    extras: list[str]
    problems: list[Problem]
    items: list[tuple[int, str, str]] | None = None   # wide ratings: (position, item, header)


def _find_header(records: Sequence[Sequence[object]], kind: str) -> _Header | None:
    columns = COLUMNS[kind]
    required = header_columns(kind)
    for index, record in enumerate(records[:_HEADER_SEARCH_ROWS]):
        keys = [_header_key(cell) for cell in record]
        if not all(name.replace("_", "") in keys for name in required):
            continue
        positions: dict[str, list[int]] = {}
        extras = []
        for position, key in enumerate(keys):
            match = next((c.name for c in columns if c.name.replace("_", "") == key), None)
            if match is not None:
                positions.setdefault(match, []).append(position)
            elif key:
                extras.append(str(record[position]).strip())
        items = None
        if kind == "ratings" and not ("item" in positions and "score" in positions):
            positions, items, extras = _wide_items(record, keys, positions)
        problems = [
            Problem(None, name, f"appears more than once in the header (columns "
                                f"{and_join([column_letter(p) for p in found])})")
            for name, found in positions.items() if len(found) > 1]
        if items is not None:
            problems.extend(_item_problems(items))
        return _Header(index, {name: found[0] for name, found in positions.items()},
                       len(record), extras, problems, items)
    return None


def _wide_items(record: Sequence[object], keys: Sequence[str], positions: dict[str, list[int]]
                ) -> tuple[dict[str, list[int]], list[tuple[int, str, str]], list[str]]:
    """A wide ratings header: every non-empty column but period, segment and respondent is
    an item (named as written, trimmed and lower-cased)."""
    kept = {name: found for name, found in positions.items() if name in RATINGS_WIDE_KEYS}
    taken = {p for found in kept.values() for p in found}
    items = []
    for position, key in enumerate(keys):
        if position in taken or not key:
            continue
        written = str(record[position]).replace("\ufeff", "").strip()
        try:
            name = parse_metric(written)
        except CxroiError:
            name = ""
        items.append((position, name, written))
    return kept, items, []


def _item_problems(items: Sequence[tuple[int, str, str]]) -> list[Problem]:
    """No item column, or two columns naming the same item, or an item name too long."""
    if not items:
        return [Problem(None, None, "A ratings file needs either the columns item and score "
                        "(one row per answer) or one column per item after period, segment "
                        "and respondent (one row per respondent); this one has neither.")]
    problems = []
    seen: dict[str, list[int]] = {}
    for position, name, written in items:
        if not name:
            problems.append(Problem(None, written[:80], "is not a usable item name (too long)"))
        elif any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
            problems.append(Problem(None, repr(written)[1:-1][:80],
                                    "contains a control character"))
        else:
            seen.setdefault(name, []).append(position)
    problems.extend(
        Problem(None, name, f"appears more than once in the header (columns "
                            f"{and_join([column_letter(p) for p in found])}): item names "
                            "ignore case and surrounding spaces")
        for name, found in seen.items() if len(found) > 1)
    return problems


def _no_header(candidates: Sequence[tuple[str, Sequence[Sequence[object]], int]], kind: str) -> str:
    """The sentence explaining why no header was found (the closest row, another kind's look)."""
    required = list(header_columns(kind))
    best: tuple[int, int, str, list[str]] | None = None   # (matches, row, where, found names)
    for where, records, first_row in candidates:
        for index, record in enumerate(records[:_HEADER_SEARCH_ROWS]):
            keys = {_header_key(cell) for cell in record}
            found = [name for name in required if name.replace("_", "") in keys]
            if found and (best is None or len(found) > best[0]):
                best = (len(found), first_row + index, where, found)
            for other in KINDS:
                other_required = [c.replace("_", "") for c in header_columns(other)]
                if other != kind and all(name in keys for name in other_required):
                    return (f"This is not {_article(kind)} {kind} file: it has no row with the "
                            f"columns {and_join(required)}, and row {first_row + index}{where} "
                            f"looks like the header of {_article(other)} {other} file.")
    sentence = (f"This is not {_article(kind)} {kind} file: none of its first "
                f"{_HEADER_SEARCH_ROWS} rows has the columns {and_join(required)}")
    if best is None:
        return sentence + "."
    _, row, where, found = best
    missing = [name for name in required if name not in found]
    return f"{sentence} (row {row}{where} has {and_join(found)} but not {and_join(missing)})."


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


class _CountingLines:
    """An iterator over lines that counts how many the csv reader has taken."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines, self.taken = lines, 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.taken >= len(self.lines):
            raise StopIteration
        self.taken += 1
        return self.lines[self.taken - 1]


_UTF8_LETTER = re.compile("[\u0080-\udc7f\udd00-\U0010ffff]")
"""A character of a valid multi-byte UTF-8 sequence (surrogate escapes are the bad bytes)."""


def _decode_check(data: bytes) -> tuple[bytes, str, list[str]]:
    """(bytes without a byte-order mark, encoding for them, warnings)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):], "utf-8", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-8", []
        except UnicodeDecodeError:
            raise Refused("This is not a readable CSV file: it starts like UTF-16 text but "
                          "is not. Save it as CSV UTF-8 and upload that.") from None
    head = data[:_HEAD_BYTES]
    controls = sum(head.count(bytes([b])) for b in (*range(0, 9), *range(14, 32), 127))
    if controls > max(8, len(head) // 100):     # a stray NUL is a cell's problem
        raise Refused("This is not a readable CSV file (it looks like binary data). "
                      "Upload a CSV (UTF-8) or an Excel .xlsx file.")
    if data.isascii():
        return data, "utf-8", []
    try:
        data.decode("utf-8")
        return data, "utf-8", []
    except UnicodeDecodeError as error:
        bad = error.start
    # Not UTF-8. If some of it is (a valid multi-byte sequence), the file mixes encodings:
    # reading it as Windows-1252 would turn every UTF-8 letter into two (Zürich -> ZÃ¼rich).
    if not data[:bad].isascii() or _UTF8_LETTER.search(data.decode("utf-8", "surrogateescape"), bad):
        row = data.count(b"\n", 0, bad) + 1
        raise Refused(Problem(row, None, f"holds a byte (0x{data[bad]:02X}) that is not UTF-8, "
                                         "while the rest of the file is UTF-8: the file mixes "
                                         "two encodings. Save it as CSV UTF-8 and upload it again"))
    try:
        data.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        encoding = "latin-1"
    return data, encoding, [
        f"The file is not UTF-8; it was read as {'Windows-1252' if encoding == 'cp1252' else 'Latin-1'} "
        "(check that accented letters and symbols such as € look right)."]


_BLANK = re.compile(rb"[ \t\r\n,;]*")


def _end_of_content(data: bytes) -> int:
    """Where the file's content ends: trailing blank lines and separators are not content."""
    end = len(data)                 # from the end, 64 KB at a time: linear in the blanks
    while end:
        start = max(0, end - 65536)
        kept = data[start:end].rstrip(b" \t\r\n,;")
        if kept:
            return start + len(kept)
        end = start
    return 0


def _read_csv(data: bytes, kind: str) -> Table:
    data, encoding, warnings = _decode_check(data)
    if b"\n" not in data[:_HEAD_BYTES] and b"\r" in data[:_HEAD_BYTES]:
        data = data.replace(b"\r", b"\n")          # classic Mac line ends
    end = _end_of_content(data)                 # trailing empty rows are ignored
    if not end:
        raise Refused("The file is empty.")

    complete = end <= _HEAD_BYTES
    head = data[:min(end, _HEAD_BYTES)].decode(encoding, errors="replace")
    parts = head.split("\n")
    lines = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if complete and parts[-1] else [])
    found: list[tuple[_Header, str, list[int], list[list[str]]]] = []
    candidates = []
    for separator in _SEPARATORS:
        counter = _CountingLines(lines)
        records, taken = [], []
        try:
            for record in islice(csv.reader(counter, delimiter=separator, strict=False),
                                 _HEADER_SEARCH_ROWS + 1):
                records.append(record)
                taken.append(counter.taken)
        except csv.Error:
            pass
        candidates.append(("", records, 1))
        if header := _find_header(records, kind):
            found.append((header, separator, taken, records))
    if not found:
        if not complete and len(parts) <= _HEADER_SEARCH_ROWS:
            raise Refused(Problem(len(parts), None, f"the line is longer than "
                                  f"{_HEAD_BYTES // 1024} KB, the most a line above the data "
                                  f"may hold (the header must lie in the file's first "
                                  f"{_HEAD_BYTES // 1024} KB)"))
        raise Refused(_no_header(candidates, kind))
    header, separator, taken, records = min(found, key=lambda item: item[0].index)
    if header.problems:
        raise Refused(*header.problems)
    header_row = header.index + 1
    offset = len("".join(lines[:taken[header.index]]).encode(encoding))
    body = data[offset:end]
    if header.index:
        warnings.append(f"Skipped {header.index} row{'s' if header.index > 1 else ''} above "
                        f"the header (row {header_row}).")
    _warn_extras(warnings, header.extras, kind)
    if body.count(b"\n", 0, len(body)) >= MAX_ROWS:
        raise Refused(f"The file has more than {MAX_ROWS:,} rows, the most that is read: "
                      "split the data into several uploads.")
    table = Table(np.empty(0, np.int64), {}, decimal_comma=separator == ";", warnings=warnings)
    if _BLANK.fullmatch(body):
        _split_items(table, header)
        return table
    names = {position: name for name, position in header.positions.items()}
    for number, (position, _, _) in enumerate(header.items or ()):
        names[position] = _item_key(number)
    positions = sorted(names)
    numeric = {p for p, name in names.items()
               if name.startswith(_ITEM) or COLUMNS_BY_NAME[kind][name].is_number}
    items = [p for p, name in names.items() if name.startswith(_ITEM)]
    # A row wider than the header (an unquoted 12,500) makes the fast reader stop, and the
    # careful reader below name every such row. The fast reader would take a first data row
    # one cell wider for an index column instead, so that row is looked at here.
    width = header.width
    first = records[header.index + 1] if len(records) > header.index + 1 else []
    options: dict[str, Any] = dict(
        sep=separator, header=None, names=list(range(width)), index_col=False,
        na_filter=False, skip_blank_lines=False, encoding=encoding, quotechar='"',
        decimal="," if separator == ";" else ".", engine="c")
    if items:       # a wide ratings file: an empty score cell is unanswered (NaN), nothing else
        options.update(na_filter=True, keep_default_na=False, na_values={p: [""] for p in items})
    try:
        if len(first) > width:
            raise _TooWide
        frame = pd.read_csv(io.BytesIO(body), **options)
        columns = {names[p]: frame[p] for p in positions}
        # Text the reader took for numbers ("007" -> 7), or a column of mixed types: read again
        # as text, exactly as written.
        retext = [p for p in positions if not isinstance(frame[p].dtype, pd.StringDtype) and not (
            p in numeric and _is_plain_number(frame[p]))]
        if retext:
            again = pd.read_csv(io.BytesIO(body), **{**options, "usecols": retext,
                                                      "dtype": {p: object for p in retext}})
            columns.update({names[p]: again[p] for p in retext})
        rows = np.arange(header_row + 1, header_row + 1 + len(frame), dtype=np.int64)
    except (_TooWide, pd.errors.ParserError, ValueError, UnicodeDecodeError, csv.Error,
            OverflowError) as error:
        columns, rows = _read_csv_slowly(body.decode(encoding, errors="replace"), separator,
                                         header, names, header_row, table, error)
    table.rows = rows
    table.cells = {
        name: (cells.to_numpy(np.float64) if _is_plain_number(cells) else cells)
        for name, cells in columns.items()}
    _split_items(table, header)
    return table


_ITEM = "\x00item"
"""The prefix of a wide ratings file's item columns among a table's cells while reading."""


def _item_key(number: int) -> str:
    return f"{_ITEM}{number}"


def _split_items(table: Table, header: _Header) -> None:
    """Move a wide ratings file's item columns from ``cells`` to ``items``."""
    if header.items is None:
        return
    table.items = [(name, written, table.cells.pop(_item_key(number), np.empty(0)))
                   for number, (_, name, written) in enumerate(header.items)]


class _TooWide(Exception):
    """Some row has more cells than the header: read the file carefully to name each."""


def _is_plain_number(cells: Any) -> bool:
    dtype = getattr(cells, "dtype", None)
    return dtype is not None and dtype.kind in "iuf"


def _read_csv_slowly(text: str, separator: str, header: _Header, names: dict[int, str],
                     header_row: int, table: Table, error: Exception) -> tuple[dict[str, Any], np.ndarray]:
    """The CSV module's reading, for files the fast reader refuses: rows with too many cells."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise Refused(Problem(header_row + len(records) + 1, None,
                                  f"a quoted cell is never closed (or a cell is longer than "
                                  f"{csv.field_size_limit():,} characters)")) from None
        raise Refused(f"This is not a readable CSV file: row {header_row + reader.line_num} "
                      f"cannot be read ({exc}).") from None
    if "EOF inside string" in str(error) and records:
        raise Refused(Problem(header_row + len(records), None,
                              'a quote (") opened in this row is never closed, so the rest of '
                              'the file reads as one cell'))
    width = header.width
    hint = (" (a number like 12,500 needs quotes in a comma-separated file: \"12,500\")"
            if separator == "," else "")
    for number, record in enumerate(records, start=header_row + 1):
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            table.problems.append(Problem(number, None, f"has {len(record)} cells but the header "
                                                        f"has {width}{hint}"))
    columns = {
        name: pd.Series([record[p] if p < len(record) else "" for record in records], dtype=object)
        for p, name in names.items()}
    return columns, np.arange(header_row + 1, header_row + 1 + len(records), dtype=np.int64)


def _warn_extras(warnings: list[str], extras: Sequence[str], kind: str) -> None:
    if extras:
        shown = ", ".join(repr(e) for e in extras[:10]) + (", ..." if len(extras) > 10 else "")
        warnings.append(f"Ignored {len(extras)} column{'s' if len(extras) > 1 else ''} that "
                        f"{_article(kind)} {kind} file does not use: {shown}.")


_UNREADABLE_WORKBOOK = (
    "This is not a readable Excel workbook (.xlsx): the file is damaged or is another kind of "
    "file. Open it in Excel, save it as .xlsx, and upload it again.")


def _read_workbook(data: bytes, kind: str, sheet: str | None,
                   report: Callable[[float, str], None]) -> Table:
    unreadable = _UNREADABLE_WORKBOOK
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_parts(archive)
        import openpyxl  # noqa: PLC0415  (imported here: only workbooks need it)

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Refused:
        raise
    except Exception:  # BadZipFile, KeyError, ValueError, XML errors...: all mean unreadable
        raise Refused(unreadable) from None
    try:
        return _read_sheets(book, kind, sheet, report)
    except Refused:
        raise
    except Exception:
        raise Refused(unreadable) from None
    finally:
        book.close()


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts unpack to too much (declared or actual) or hold too long
    a text, before openpyxl reads any of it: each part is unpacked in bounded chunks."""
    too_large = Refused("This workbook unpacks to more than "
                        f"{megabytes(_MAX_UNZIPPED_BYTES)} (or to over {_MAX_PACKING_RATIO} "
                        "times its size): save the data as CSV (UTF-8) and upload that.")
    infos = archive.infolist()
    if sum(info.file_size for info in infos) > _MAX_UNZIPPED_BYTES:
        raise too_large
    long_text = re.compile(rb"[^<]{%d}" % (_MAX_TEXT_BYTES + 1))
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        allowed = max(_RATIO_FREE_BYTES, _MAX_PACKING_RATIO * info.compress_size)
        if info.file_size > allowed:
            raise too_large
        size = run = 0
        with archive.open(info) as part:
            while chunk := part.read(1024 * 1024):
                size += len(chunk)
                total += len(chunk)
                if size > allowed or total > _MAX_UNZIPPED_BYTES:
                    raise too_large
                first = chunk.find(b"<")
                if ((first < 0 and run + len(chunk) > _MAX_TEXT_BYTES)
                        or (first >= 0 and run + first > _MAX_TEXT_BYTES)
                        or long_text.search(chunk)):
                    raise Refused(f"This workbook holds a text longer than {_MAX_TEXT_BYTES:,} "
                                  "bytes (a cell holds at most 32,767 characters): the file "
                                  "is damaged or is not a spreadsheet's export.")
                run = run + len(chunk) if first < 0 else len(chunk) - chunk.rfind(b"<") - 1


def _read_sheets(book: Any, kind: str, sheet: str | None,
                 report: Callable[[float, str], None]) -> Table:
    sheets = tuple(book.sheetnames)
    if not sheets:
        raise Refused(_UNREADABLE_WORKBOOK)
    if sheet is not None and sheet not in sheets:
        raise Refused(f"The workbook has no sheet named {sheet!r} (its sheets: "
                      f"{', '.join(repr(s) for s in sheets)}).", sheets=sheets)
    candidates = []
    for name in [sheet] if sheet is not None else sheets:
        worksheet = book[name]
        if not hasattr(worksheet, "iter_rows"):
            continue                            # a chart sheet
        estimate = worksheet.max_row or 0
        worksheet.reset_dimensions()            # some writers record wrong dimensions
        cells = worksheet.iter_rows(min_row=1, min_col=1)
        head = list(islice(cells, _HEADER_SEARCH_ROWS))
        texts = [[_cell_text(c.value) for c in row] for row in head]
        candidates.append((f" of sheet {name!r}", texts, 1))
        header = _find_header(texts, kind)
        if header is None:
            continue
        if header.problems:
            raise Refused(*header.problems, sheets=sheets)
        warnings = []
        if len(sheets) > 1:
            warnings.append(f"Read sheet {name!r} of {len(sheets)} ({', '.join(repr(s) for s in sheets)}).")
        if header.index:
            warnings.append(f"Skipped {header.index} row{'s' if header.index > 1 else ''} above "
                            f"the header (row {header.index + 1}).")
        _warn_extras(warnings, header.extras, kind)
        if len(head) == _HEADER_SEARCH_ROWS:    # read on, only as wide as the columns used
            cells.close()
            cells = worksheet.iter_rows(min_row=len(head) + 1, min_col=1, max_col=max(
                [*header.positions.values(), *(p for p, _, _ in header.items or ())]) + 1)
        table = _sheet_cells(head[header.index + 1:], cells, header, kind, header.index + 2,
                             estimate, report)
        table.sheets, table.sheet, table.warnings = sheets, name, [*warnings, *table.warnings]
        return table
    if len(candidates) == 1:
        raise Refused(_no_header(candidates, kind), sheets=sheets)
    required = list(header_columns(kind))
    raise Refused(f"No sheet of this workbook has a header row for {_article(kind)} {kind} file "
                  f"(the columns {and_join(required)}); its sheets: "
                  f"{', '.join(repr(s) for s in sheets)}.", sheets=sheets)


def _sheet_cells(head: list[Any], rest: Iterator[Any], header: _Header, kind: str,
                 first_row: int, estimate: int, report: Callable[[float, str], None]) -> Table:
    columns = COLUMNS_BY_NAME[kind]
    wanted = [(name, position, columns[name].is_number) for name, position in header.positions.items()]
    wanted += [(_item_key(number), position, True)
               for number, (position, _, _) in enumerate(header.items or ())]
    values: dict[str, list[Any]] = {name: [] for name, _, _ in wanted}
    rows = []
    number = first_row - 1
    empty_run = 0
    warnings = []
    for number, row in enumerate(chain(head, rest), start=first_row):
        if number % 20000 == 0 and estimate:
            report(min(0.45, 0.45 * number / estimate), f"Reading row {number:,}")
        if number > MAX_ROWS:
            raise Refused(f"The sheet has more than {MAX_ROWS:,} rows, the most that is read: "
                          "split the data into several uploads.")
        if not row or all(cell.value is None or cell.value == "" for cell in row):
            empty_run += 1                       # an empty row: nothing to keep
            if empty_run >= EMPTY_RUN_ROWS:
                warnings.append(f"Stopped reading at row {number:,}: {EMPTY_RUN_ROWS:,} empty "
                                "rows in a row end the sheet (anything below them is ignored).")
                break
            continue
        empty_run = 0
        width = len(row)
        rows.append(number)
        for name, position, is_number in wanted:
            cell = row[position] if position < width else None
            value = cell.value if cell is not None else None
            if is_number and isinstance(value, (int, float)) and not isinstance(value, bool):
                if "%" in (getattr(cell, "number_format", None) or ""):
                    value = f"{number_text(round(value * 100, 12))}%"
                values[name].append(value)
            else:
                values[name].append(_cell_text(value))
    cells: dict[str, Any] = {}
    for name, _, is_number in wanted:
        column = values[name]
        if is_number and all(isinstance(v, (int, float)) for v in column):
            cells[name] = np.asarray(column, dtype=np.float64)
        else:
            cells[name] = pd.Series([v if isinstance(v, str) else number_text(v) for v in column],
                                    dtype=object)
    table = Table(np.asarray(rows, dtype=np.int64), cells, warnings=warnings)
    _split_items(table, header)
    return table


def number_text(value: float) -> str:
    """A number as a CSV export writes it: ``12000`` for 12000.0, else its repr."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
