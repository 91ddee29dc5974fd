"""Reading and validating uploads: a CSV or Excel file in, canonical rows or every problem out.

``read_upload(data, file_name, kind)`` reads the bytes of one upload of kind ``metrics``,
``effort`` or ``benchmarks`` and returns a `ParsedUpload`: every row in canonical form, or,
when anything is wrong, every problem as ``row N, column C: what is wrong`` and no rows at all
(all or nothing). Nothing here touches the database or the user interface: the store writes
what ``read_upload`` accepted, the pages show what it found.

=================  ===========================================================================
``read_upload``    bytes -> `ParsedUpload` (canonical rows, or every problem)
``template_csv``   a CSV template for a kind: the header and an example row
``template_xlsx``  the same as a workbook, with a ``notes`` sheet explaining each column
``COLUMNS``        each kind's columns (name, required, note, example, cell rule): the one
                   place the per-column rules are declared; validation and templates use it
``Problem``        one thing wrong, at a row and column
``ParsedUpload``   the result: kind, file name, SHA-256, rows, problems, sheets, warnings
=================  ===========================================================================

How a file is read
------------------
* **Format.** A workbook (``.xlsx``/``.xlsm``, read with openpyxl, formulas as their saved
  results) when the bytes are a zip archive or the name says so; an old ``.xls`` is refused
  with a hint; anything else is read as CSV. Files over `MAX_UPLOAD_BYTES` are refused first.
* **Encoding.** UTF-8, with or without a byte-order mark; UTF-16 with a byte-order mark; else
  Windows-1252 (Excel's "CSV" on Windows), which is said in a warning. Binary data is refused.
* **Separator.** ``,``, ``;`` or tab: whichever makes a header row appear.
* **Header.** The first row (of the first 50) that holds every required column of the kind.
  Names match ignoring case, spaces, underscores and hyphens (``Higher is better`` is
  ``higher_is_better``). Rows above it (titles) are skipped but counted, so row numbers are
  those a spreadsheet shows: the header's own row counts, and so does every title row. Extra
  columns are ignored with a warning. In a workbook, the ``sheet`` asked for, else the first
  sheet that has such a header; all sheet names are returned.
* **Empty rows** (no value in any of the kind's columns) are ignored wherever they are; a file
  whose header has no data rows under it is refused. A row with more cells than the header (an
  unquoted ``12,500`` in a ``,`` file) is a problem of its own, and its cells are not judged.
* **Numbers** must be finite and 0 or more. In ``,`` and tab files ``.`` is the decimal point
  and ``,`` a thousands separator in groups of three (``"12,500"``, ``"1,234.50"``; ``"4,2"``
  is refused, never guessed). In ``;`` files ``,`` is the decimal mark (``61250,00``), and ``.``
  or a space may separate thousands in groups of three (``61.250,00``, ``61 250,00``).
  **A lone ``.`` in a ``;`` file** is taken as a decimal point (``4.2``, ``61250.00``, ``0.125``:
  exports mixing locales do this), except where the number reads equally well as thousands
  (``1.500``: 1500 or 1.5?); such a value is refused as ambiguous, with both readings named,
  rather than guessed, because guessing wrong is a factor of 1000 in a money figure.
  ``$``, ``€`` or ``£`` may come before or after the number. A trailing ``%`` marks a
  percentage: ``12%`` is 12 and makes the unit ``percent`` (a problem if the row's unit says
  otherwise, or if the metric is canonical: none is a percentage). In a workbook, number cells
  are taken as they are, except that a cell formatted as a percentage (Excel stores 4.2% as
  0.042) counts as ``4.2%``; text cells follow the ``,`` rules. Reading a workbook is bound by
  openpyxl (thousands of rows a second, not millions): for very large uploads, CSV is the
  format to ask for.
* **Text.** Periods take every spelling `cxroi.models.parse_period` accepts; tiers are TM, EM,
  EL or spelled out; loops inner/outer; flags true/false, yes/no, y/n, 1/0; dates ISO, Excel
  dates, ``31.12.2025``, unambiguous ``31/12/2025``/``12/31/2025`` and English month names.
  Segment, department and source names are trimmed and otherwise kept exactly as written
  (a leading ``=`` stays text); metric names are lower-cased.
* **Duplicates** within the file (after normalising: ``2026Q1`` is ``2026-Q1``, metric names
  ignore case) are reported on the later row, naming the first: metrics by (period, segment,
  metric), effort by (period, department, tier, loop), benchmarks by (metric, kind).

The cell rules themselves (`cxroi.models.parse_period`, ``parse_unit``, ``parse_number``,
``check_unit``, ...) live in `cxroi.models`, next to the per-row pydantic models ``MetricRow``,
``EffortRow`` and ``BenchmarkRow``. This module applies them **in bulk**: text rules run once
per *distinct* value of a column (a million rows hold a few dozen periods) and are mapped back
with integer codes; numbers are parsed by the CSV reader when the column is plain, else with
vectorised regular expressions (pyarrow compute) built from the same patterns as
``parse_number``; only rows with a problem become Python objects. Importing a file costs a
small multiple of ``pandas.read_csv`` of the same file.

Canonical rows (``ParsedUpload.rows``; the first column, ``row``, is the spreadsheet row):

==========  ==========================================================================
metrics     row, period, segment, metric, value (float), unit, higher_is_better (bool)
effort      row, period, department, tier, hours (float), budget (float, NaN if empty),
            loop ("inner", "outer" or None; object dtype)
benchmarks  row, metric, value (float), unit, source, as_of ("YYYY-MM-DD"), kind
==========  ==========================================================================

>>> parsed = read_upload(b"period,segment,metric,value\\nQ1 2026,Retail,Customers,\\"12,000\\"\\n",
...                      "q1.csv", "metrics")
>>> parsed.ok, parsed.rows.to_dict("records")
(True, [{'row': 2, 'period': '2026Q1', 'segment': 'Retail', 'metric': 'customers', \
'value': 12000.0, 'unit': 'count', 'higher_is_better': True}])
>>> bad = read_upload(b"period,segment,metric,value,unit\\n2026Q1,Retail,returns,-3,count\\n",
...                   "bad.csv", "metrics")
>>> [str(p) for p in bad.problems]
['row 2, column value: must be 0 or more (got -3)']
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gc
import hashlib
import io
import math
import re
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxroi.models import (
    CANONICAL_METRICS,
    NUMBER_BLANKS,
    NUMBER_COMMA_GROUPED,
    NUMBER_DOT_AMBIGUOUS,
    NUMBER_DOT_GROUPED,
    NUMBER_GROUP_SPACES,
    NUMBER_PLAIN,
    NUMBER_SPACE_GROUPED,
    CURRENCY_PREFIX,
    CURRENCY_SUFFIX,
    UNITS,
    CxroiError,
    check_unit,
    default_higher_is_better,
    parse_amount,
    parse_benchmark_kind,
    parse_date,
    parse_flag,
    parse_loop,
    parse_metric,
    parse_name,
    parse_number,
    parse_period,
    parse_source,
    parse_tier,
    parse_unit,
)

__all__ = [
    "MAX_UPLOAD_BYTES",
    "KINDS",
    "Column",
    "COLUMNS",
    "Problem",
    "ParsedUpload",
    "read_upload",
    "template_csv",
    "template_xlsx",
]

MAX_UPLOAD_BYTES: int = 50 * 1024 * 1024
"""The largest upload read (bytes); checked before parsing (Streamlit's limit is not enough)."""

KINDS: tuple[str, ...] = ("metrics", "effort", "benchmarks")

_HEADER_SEARCH_ROWS = 50
_HEAD_BYTES = 256 * 1024
_SEPARATORS = (",", ";", "\t")
_MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
_EMPTY, _BAD = -2, -1


# --- the columns of each kind ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an upload kind.

    ``rule`` is the cell rule of a text column (trimmed, non-empty text in; canonical value
    out, or `CxroiError` saying what is wrong); it is None for a number column, which is parsed
    by ``parse_number`` (``percent``: whether ``12%`` is allowed). An empty cell is a problem
    in a ``required`` column and "not given" in an optional one, where it takes ``default``
    when there is one (else it stays empty: None or NaN in the rows).
    """

    name: str
    required: bool
    note: str
    example: str
    rule: Callable[[Any], Any] | None = None
    percent: bool = False
    default: Any = None

    @property
    def is_number(self) -> bool:
        return self.rule is None


_CANONICAL_NAMES = ", ".join(CANONICAL_METRICS)
_PERIOD_NOTE = "Calendar quarter: 2026Q3, 2026-Q3, Q3 2026, q3/2026, or any date in the quarter."

COLUMNS: dict[str, tuple[Column, ...]] = {
    "metrics": (
        Column("period", True, _PERIOD_NOTE, "2026Q1", parse_period),
        Column("segment", True, "Customer segment as you name it; All for the company-wide "
               "figure. Kept exactly as written.", "All", parse_name),
        Column("metric", True, "What is measured (any name; case does not matter). These "
               f"canonical names feed the iceberg: {_CANONICAL_NAMES}.", "service_contacts",
               parse_metric),
        Column("value", True, "A number, 0 or more: 15400, 12,500, $1,234.50, or 4.2% for a "
               "percentage.", "15400", percent=True),
        Column("unit", False, "count, percent, money or hours. Required unless the metric is "
               "canonical; a canonical metric's unit, when given, must be its own.", "count",
               parse_unit),
        Column("higher_is_better", False, "true or false (yes/no, y/n, 1/0). Optional: "
               "canonical metrics know their direction; other metrics default to false.",
               "false", parse_flag),
    ),
    "effort": (
        Column("period", True, _PERIOD_NOTE, "2026Q1", parse_period),
        Column("department", True, "Department as you name it. Kept exactly as written.",
               "Support", parse_name),
        Column("tier", True, "TM, EM or EL (Touchpoint Management, Experience Management, "
               "Experience Leadership).", "EL", parse_tier),
        Column("hours", True, "Hours spent in the quarter, 0 or more.", "350"),
        Column("budget", False, "Budget (money), 0 or more. Optional.", "28000"),
        Column("loop", False, "inner or outer (loop). Optional.", "outer", parse_loop),
    ),
    "benchmarks": (
        Column("metric", True, "The metric the benchmark is for (case does not matter).",
               "billing_complaints_share", parse_metric),
        Column("value", True, "The benchmark value, 0 or more (4.2% for a percentage).", "3.1",
               percent=True),
        Column("unit", True, "count, percent, money or hours (a canonical metric's own unit).",
               "percent", parse_unit),
        Column("source", True, "Where the figure comes from, e.g. an industry panel.",
               "Industry panel (illustrative)", parse_source),
        Column("as_of", True, "The date the figure refers to, e.g. 2025-12-31.", "2025-12-31",
               parse_date),
        Column("kind", False, "industry or target. Optional: industry when empty.", "industry",
               parse_benchmark_kind, default="industry"),
    ),
}

_COLUMNS_BY_NAME: dict[str, dict[str, Column]] = {
    kind: {c.name: c for c in columns} for kind, columns in COLUMNS.items()}


_DUPLICATE_KEYS: dict[str, tuple[str, ...]] = {
    "metrics": ("period", "segment", "metric"),
    "effort": ("period", "department", "tier", "loop"),
    "benchmarks": ("metric", "kind"),
}


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an upload: where (spreadsheet row, canonical column) and what.

    >>> str(Problem(3, "value", "must be 0 or more (got -3)"))
    'row 3, column value: must be 0 or more (got -3)'
    >>> str(Problem(None, None, "The file is empty."))
    'The file is empty.'
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column is not None:
            return f"row {self.row}, column {self.column}: {self.message}"
        if self.row is not None:
            return f"row {self.row}: {self.message}"
        if self.column is not None:
            return f"column {self.column}: {self.message}"
        return self.message


@dataclass(frozen=True, eq=False)
class ParsedUpload:
    """What `read_upload` found: canonical ``rows`` (empty if there is any problem) or problems."""

    kind: str
    file_name: str
    sha256: str
    rows: pd.DataFrame
    problems: tuple[Problem, ...] = ()
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when there is no problem (and so every row can be stored)."""
        return not self.problems


class _Refused(Exception):
    """Raised inside the readers: the file cannot be read at all (file-level problems)."""

    def __init__(self, *problems: Problem | str, sheets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.problems = [p if isinstance(p, Problem) else Problem(None, None, p) for p in problems]
        self.sheets = sheets


@dataclass
class _Table:
    """The cells of the kind's columns as read, before any rule is applied."""

    rows: np.ndarray                      # int64 spreadsheet row numbers
    cells: dict[str, Any]                 # column -> float64 ndarray (numbers read) or strings
    decimal_comma: bool = False
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # row-level problems found reading


# --- the entry point ---------------------------------------------------------------------------


def read_upload(
    data: bytes,
    file_name: str,
    kind: str,
    *,
    sheet: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ParsedUpload:
    """Read and validate one upload; never raises for a bad file (see the module docstring).

    Parameters
    ----------
    data : the file's bytes, at most `MAX_UPLOAD_BYTES`.
    file_name : the name as uploaded (its extension helps tell CSV from a workbook).
    kind : ``metrics``, ``effort`` or ``benchmarks``; anything else raises `CxroiError`.
    sheet : for a workbook, the sheet to read (default: the first with a header).
    progress : called as ``progress(fraction, message)`` with fraction from 0 to 1.
    """
    if kind not in COLUMNS:
        raise CxroiError(f"unknown upload kind {kind!r} (use {', '.join(KINDS)})")
    data = bytes(data)
    report = progress or (lambda fraction, message: None)
    hashing = _Digest(data)

    def result(rows: pd.DataFrame | None, problems: Sequence[Problem], table: _Table | None,
               warnings: Sequence[str] = ()) -> ParsedUpload:
        report(1.0, "Done")
        return ParsedUpload(
            kind=kind, file_name=file_name, sha256=hashing.hexdigest(),
            rows=rows if rows is not None and not problems else _empty_rows(kind),
            problems=tuple(problems),
            sheets=table.sheets if table else (), sheet=table.sheet if table else None,
            warnings=tuple(warnings))

    report(0.0, f"Reading {file_name}")
    try:
        if not data:
            raise _Refused("The file is empty.")
        if len(data) > MAX_UPLOAD_BYTES:
            raise _Refused(f"The file is too large: {len(data):,} bytes, over the upload limit "
                           f"of {_megabytes(MAX_UPLOAD_BYTES)}.")
        table = _read_table(data, file_name, kind, sheet, report)
    except _Refused as refused:
        return result(None, refused.problems, _Table(np.empty(0, np.int64), {}, sheets=refused.sheets))
    report(0.5, f"Checking {len(table.rows):,} rows")
    try:
        rows, problems, warnings = _validate(table, kind)
    except _Refused as refused:
        return result(None, refused.problems, table, table.warnings)
    return result(rows, problems, table, [*table.warnings, *warnings])


class _Digest:
    """SHA-256 of the upload; of a large one in a thread, while the file is parsed (hashlib
    releases the GIL), so the hash costs no wall time."""

    def __init__(self, data: bytes) -> None:
        self._hash = hashlib.sha256()
        self._thread: threading.Thread | None = None
        if len(data) < 4 * 1024 * 1024:
            self._hash.update(data)
        else:
            self._thread = threading.Thread(target=self._hash.update, args=(data,), daemon=True)
            self._thread.start()

    def hexdigest(self) -> str:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        return self._hash.hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def _read_table(data: bytes, file_name: str, kind: str, sheet: str | None,
                report: Callable[[float, str], None]) -> _Table:
    name = file_name.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _Refused("This is an old Excel 97-2003 workbook (.xls) or another Office file, "
                       "which cannot be read: save it as .xlsx or CSV (UTF-8) and upload that.")
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        return _read_workbook(data, kind, sheet, report)
    if name.endswith(".xls"):
        raise _Refused("This is not a readable .xls workbook: save it as .xlsx or CSV (UTF-8).")
    table = _read_csv(data, kind)
    if sheet is not None:
        table.warnings.append(f"A CSV file has no sheets; the sheet {sheet!r} was ignored.")
    return table


# --- the header ----------------------------------------------------------------------------------


def _header_key(name: object) -> str:
    return re.sub(r"[\s_\-]+", "", str(name if name is not None else "").replace("\ufeff", "")).lower()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _and_join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass
class _Header:
    index: int                  # position among the rows searched (0-based)
    positions: dict[str, int]   # canonical column -> position in the row
    width: int
    extras: list[str]
    problems: list[Problem]


def _find_header(records: Sequence[Sequence[object]], kind: str) -> _Header | None:
    columns = COLUMNS[kind]
    required = [c.name for c in columns if c.required]
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
        problems = [
            Problem(None, name, f"appears more than once in the header (columns "
                                f"{_and_join([_column_letter(p) for p in found])})")
            for name, found in positions.items() if len(found) > 1]
        return _Header(index, {name: found[0] for name, found in positions.items()},
                       len(record), extras, problems)
    return None


def _no_header(candidates: Sequence[tuple[str, Sequence[Sequence[object]], int]], kind: str) -> str:
    """The sentence explaining why no header was found (the closest row, another kind's look)."""
    required = [c.name for c in COLUMNS[kind] if c.required]
    best: tuple[int, int, str, list[str]] | None = None   # (matches, row, where, found names)
    for where, records, first_row in candidates:
        for index, record in enumerate(records[:_HEADER_SEARCH_ROWS]):
            keys = {_header_key(cell) for cell in record}
            found = [name for name in required if name.replace("_", "") in keys]
            if found and (best is None or len(found) > best[0]):
                best = (len(found), first_row + index, where, found)
            for other in KINDS:
                other_required = [c.name.replace("_", "") for c in COLUMNS[other] if c.required]
                if other != kind and all(name in keys for name in other_required):
                    return (f"This is not {_article(kind)} {kind} file: it has no row with the "
                            f"columns {_and_join(required)}, and row {first_row + index}{where} "
                            f"looks like the header of {_article(other)} {other} file.")
    sentence = (f"This is not {_article(kind)} {kind} file: none of its first "
                f"{_HEADER_SEARCH_ROWS} rows has the columns {_and_join(required)}")
    if best is None:
        return sentence + "."
    _, row, where, found = best
    missing = [name for name in required if name not in found]
    return f"{sentence} (row {row}{where} has {_and_join(found)} but not {_and_join(missing)})."


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


# --- CSV -------------------------------------------------------------------------------------------


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


def _decode_check(data: bytes) -> tuple[bytes, str, list[str]]:
    """(bytes without a byte-order mark, encoding for them, warnings)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):], "utf-8", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-8", []
        except UnicodeDecodeError:
            raise _Refused("This is not a readable CSV file: it starts like UTF-16 text but "
                           "is not. Save it as CSV UTF-8 and upload that.") from None
    head = data[:_HEAD_BYTES]
    controls = sum(head.count(bytes([b])) for b in (*range(0, 9), *range(14, 32), 127))
    if b"\x00" in head or controls > max(2, len(head) // 100):
        raise _Refused("This is not a readable CSV file (it looks like binary data). "
                       "Upload a CSV (UTF-8) or an Excel .xlsx file.")
    if data.isascii():
        return data, "utf-8", []
    try:
        data.decode("utf-8")
        return data, "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        encoding = "latin-1"
    return data, encoding, [
        f"The file is not UTF-8; it was read as {'Windows-1252' if encoding == 'cp1252' else 'Latin-1'} "
        "(check that accented letters and symbols such as € look right)."]


_BLANK = re.compile(rb"[ \t\r\n,;]*")
_TRAILING_BLANKS = re.compile(rb"[ \t\r\n,;]*\Z")


def _end_of_content(data: bytes) -> int:
    """Where the file's content ends: trailing blank lines and separators are not content."""
    start = max(0, len(data) - 65536)
    end = _TRAILING_BLANKS.search(data, start).start()
    return len(data.rstrip(b" \t\r\n,;")) if end == start and start else end


def _read_csv(data: bytes, kind: str) -> _Table:
    data, encoding, warnings = _decode_check(data)
    if b"\n" not in data[:_HEAD_BYTES] and b"\r" in data[:_HEAD_BYTES]:
        data = data.replace(b"\r", b"\n")          # classic Mac line ends
    end = _end_of_content(data)                 # trailing empty rows are ignored
    if not end:
        raise _Refused("The file is empty.")

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
        raise _Refused(_no_header(candidates, kind))
    header, separator, taken, records = min(found, key=lambda item: item[0].index)
    if header.problems:
        raise _Refused(*header.problems)
    header_row = header.index + 1
    offset = len("".join(lines[:taken[header.index]]).encode(encoding))
    body = data[offset:end]
    if header.index:
        warnings.append(f"Skipped {header.index} row{'s' if header.index > 1 else ''} above "
                        f"the header (row {header_row}).")
    _warn_extras(warnings, header.extras, kind)
    table = _Table(np.empty(0, np.int64), {}, decimal_comma=separator == ";", warnings=warnings)
    if _BLANK.fullmatch(body):
        return table
    positions = sorted(header.positions.values())
    names = {position: name for name, position in header.positions.items()}
    # A row wider than the header (an unquoted 12,500) makes the fast reader stop, and the
    # careful reader below name every such row. The fast reader would take a first data row
    # one cell wider for an index column instead, so that row is looked at here.
    width = header.width
    first = records[header.index + 1] if len(records) > header.index + 1 else []
    options: dict[str, Any] = dict(
        sep=separator, header=None, names=list(range(width)), index_col=False,
        na_filter=False, skip_blank_lines=False, encoding=encoding, quotechar='"',
        decimal="," if separator == ";" else ".", engine="c")
    try:
        if len(first) > width:
            raise _TooWide
        frame = pd.read_csv(io.BytesIO(body), **options)
        columns = {names[p]: frame[p] for p in positions}
        # Text the reader took for numbers ("007" -> 7), or a column of mixed types: read again
        # as text, exactly as written.
        retext = [p for p in positions if not isinstance(frame[p].dtype, pd.StringDtype) and not (
            _COLUMNS_BY_NAME[kind][names[p]].is_number and _is_plain_number(frame[p]))]
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
    return table


class _TooWide(Exception):
    """Some row has more cells than the header: read the file carefully to name each."""


def _is_plain_number(cells: Any) -> bool:
    dtype = getattr(cells, "dtype", None)
    return dtype is not None and dtype.kind in "iuf"


def _read_csv_slowly(text: str, separator: str, header: _Header, names: dict[int, str],
                     header_row: int, table: _Table, error: Exception) -> tuple[dict[str, Any], np.ndarray]:
    """The CSV module's reading, for files the fast reader refuses: rows with too many cells."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise _Refused(f"This is not a readable CSV file: row {header_row + reader.line_num} "
                       f"cannot be read ({exc}).") from None
    if "EOF inside string" in str(error) and records:
        raise _Refused(Problem(header_row + len(records), None,
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


# --- workbooks ---------------------------------------------------------------------------------


_UNREADABLE_WORKBOOK = (
    "This is not a readable Excel workbook (.xlsx): the file is damaged or is another kind of "
    "file. Open it in Excel, save it as .xlsx, and upload it again.")


def _read_workbook(data: bytes, kind: str, sheet: str | None,
                   report: Callable[[float, str], None]) -> _Table:
    unreadable = _UNREADABLE_WORKBOOK
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNZIPPED_BYTES:
                raise _Refused("This workbook unpacks to more than "
                               f"{_megabytes(_MAX_UNZIPPED_BYTES)}; save the data as CSV.")
        import openpyxl  # noqa: PLC0415  (imported here: only workbooks need it)

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _Refused:
        raise
    except Exception:  # BadZipFile, KeyError, ValueError, XML errors...: all mean unreadable
        raise _Refused(unreadable) from None
    try:
        return _read_sheets(book, kind, sheet, report)
    except _Refused:
        raise
    except Exception:
        raise _Refused(unreadable) from None
    finally:
        book.close()


def _read_sheets(book: Any, kind: str, sheet: str | None,
                 report: Callable[[float, str], None]) -> _Table:
    sheets = tuple(book.sheetnames)
    if not sheets:
        raise _Refused(_UNREADABLE_WORKBOOK)
    if sheet is not None and sheet not in sheets:
        raise _Refused(f"The workbook has no sheet named {sheet!r} (its sheets: "
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
            raise _Refused(*header.problems, sheets=sheets)
        warnings = []
        if len(sheets) > 1:
            warnings.append(f"Read sheet {name!r} of {len(sheets)} ({', '.join(repr(s) for s in sheets)}).")
        if header.index:
            warnings.append(f"Skipped {header.index} row{'s' if header.index > 1 else ''} above "
                            f"the header (row {header.index + 1}).")
        _warn_extras(warnings, header.extras, kind)
        if len(head) == _HEADER_SEARCH_ROWS:    # read on, only as wide as the columns used
            cells.close()
            cells = worksheet.iter_rows(min_row=len(head) + 1, min_col=1,
                                        max_col=max(header.positions.values()) + 1)
        table = _sheet_cells(head[header.index + 1:], cells, header, kind, header.index + 2,
                             estimate, report)
        table.sheets, table.sheet, table.warnings = sheets, name, warnings
        return table
    if len(candidates) == 1:
        raise _Refused(_no_header(candidates, kind), sheets=sheets)
    required = [c.name for c in COLUMNS[kind] if c.required]
    raise _Refused(f"No sheet of this workbook has a header row for {_article(kind)} {kind} file "
                   f"(the columns {_and_join(required)}); its sheets: "
                   f"{', '.join(repr(s) for s in sheets)}.", sheets=sheets)


def _sheet_cells(head: list[Any], rest: Iterator[Any], header: _Header, kind: str,
                 first_row: int, estimate: int, report: Callable[[float, str], None]) -> _Table:
    columns = _COLUMNS_BY_NAME[kind]
    wanted = [(name, position, columns[name].is_number) for name, position in header.positions.items()]
    values: dict[str, list[Any]] = {name: [] for name, _, _ in wanted}
    rows = []
    number = first_row - 1
    for number, row in enumerate(chain(head, rest), start=first_row):
        if number % 20000 == 0 and estimate:
            report(min(0.45, 0.45 * number / estimate), f"Reading row {number:,}")
        if not row:
            continue                             # an empty row: nothing to keep
        width = len(row)
        rows.append(number)
        for name, position, is_number in wanted:
            cell = row[position] if position < width else None
            value = cell.value if cell is not None else None
            if is_number and isinstance(value, (int, float)) and not isinstance(value, bool):
                if "%" in (getattr(cell, "number_format", None) or ""):
                    value = f"{_number_text(round(value * 100, 12))}%"
                values[name].append(value)
            else:
                values[name].append(_cell_text(value))
    cells: dict[str, Any] = {}
    for name, _, is_number in wanted:
        column = values[name]
        if is_number and all(isinstance(v, (int, float)) for v in column):
            cells[name] = np.asarray(column, dtype=np.float64)
        else:
            cells[name] = pd.Series([v if isinstance(v, str) else _number_text(v) for v in column],
                                    dtype=object)
    return _Table(np.asarray(rows, dtype=np.int64), cells)


def _number_text(value: float) -> str:
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
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- validation ----------------------------------------------------------------------------------

@dataclass
class _Text:
    """A text column after its rule: per row, a code into ``values`` (or _BAD / _EMPTY)."""

    codes: np.ndarray          # int64 per row: >= 0 valid, _BAD, _EMPTY
    values: list[Any]          # canonical values, each once
    unique_of_row: np.ndarray  # int64 per row: index into ``messages``
    messages: list[str | None]
    same: pd.Series | None = None   # the cells themselves, when each already is its canonical text
    keep: np.ndarray | None = None

    def take(self, keep: np.ndarray) -> None:
        self.codes, self.unique_of_row, self.keep = self.codes[keep], self.unique_of_row[keep], keep

    def fill_empty(self, default: Any) -> None:
        """Empty cells take ``default`` (an optional column's value when not given)."""
        empty = self.codes == _EMPTY
        if empty.any():
            if default not in self.values:
                self.values.append(default)
            self.codes = np.where(empty, self.values.index(default), self.codes)
            self.same = None

    def strings(self) -> pd.Series:
        """The canonical text of every row (valid rows only), as a ``str`` column."""
        if self.same is not None:
            same = self.same if self.keep is None else self.same[self.keep]
            return same.reset_index(drop=True)
        return _strings(self.values, self.codes)


@dataclass
class _Number:
    """A number column: values, and per row whether empty / bad / a percentage."""

    values: np.ndarray
    empty: np.ndarray
    bad: np.ndarray
    percent: np.ndarray
    cells: Any = None          # the cells as read (for messages); None when read as numbers
    index: np.ndarray | None = None   # position of each row in ``cells``

    def take(self, keep: np.ndarray) -> None:
        if self.index is None:
            self.index = np.arange(len(self.values))
        self.values, self.empty = self.values[keep], self.empty[keep]
        self.bad, self.percent, self.index = self.bad[keep], self.percent[keep], self.index[keep]

    def text(self, position: int) -> str:
        """The cell as written (trimmed), for a message."""
        if self.cells is None:
            return _number_text(float(self.values[position]))
        at = position if self.index is None else int(self.index[position])
        value = self.cells.iloc[at] if isinstance(self.cells, pd.Series) else self.cells[at]
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return ""
        return str(value).strip(NUMBER_BLANKS)


def _text_column(cells: Any, rule: Callable[[Any], Any]) -> _Text:
    codes, uniques = pd.factorize(pd.Series(cells, copy=False), use_na_sentinel=True)
    count = len(uniques)
    of_unique = np.full(count + 1, _EMPTY, dtype=np.int64)   # code -1 (missing) -> the last slot
    messages: list[str | None] = [None] * (count + 1)
    values: list[Any] = []
    index: dict[Any, int] = {}
    for i, unique in enumerate(uniques):
        text = str(unique).strip()
        if not text:
            continue
        try:
            value = rule(text)
        except CxroiError as error:
            of_unique[i], messages[i] = _BAD, str(error)
            continue
        if value not in index:
            index[value] = len(values)
            values.append(value)
        of_unique[i] = index[value]
    unique_of_row = np.where(codes < 0, count, codes).astype(np.int64, copy=False)
    text = _Text(of_unique[unique_of_row], values, unique_of_row, messages)
    series = cells if isinstance(cells, pd.Series) else None
    if (series is not None and isinstance(series.dtype, pd.StringDtype) and (codes >= 0).all()
            and (of_unique[:count] >= 0).all()
            and all(values[of_unique[i]] == unique for i, unique in enumerate(uniques))):
        text.same = series          # reuse the column read: no copy of a million strings
    return text


def _match(strings: Any, pattern: str) -> Any:
    return pc.match_substring_regex(strings, f"^(?:{pattern})$")


def _number_column(cells: Any, decimal_comma: bool) -> _Number:
    """Numbers of a column in bulk, by the rules (and regular expressions) of `parse_number`."""
    if isinstance(cells, np.ndarray):                 # read as numbers already: the fast path
        values = cells.astype(np.float64, copy=False) + 0.0
        none = np.zeros(len(values), dtype=bool)
        return _Number(values, none, ~np.isfinite(values), none)
    strings = pc.fill_null(pc.utf8_trim(pa.array(cells, type=pa.string(), from_pandas=True),
                                        NUMBER_BLANKS), "")
    n = len(strings)
    empty = _flags(pc.equal(strings, ""))
    values = np.zeros(n, dtype=np.float64)
    ok = np.zeros(n, dtype=bool)
    percent = np.zeros(n, dtype=bool)
    # Most cells are plain ("61250", "4.2"; "61250,00" in a ; file): those are cast at once,
    # and only the rest go through the whole of parse_number's syntax.
    simple = _flags(_match(strings, _SIMPLE_DECIMAL_COMMA if decimal_comma else _SIMPLE))
    if simple.any():
        at = np.flatnonzero(simple)
        plain = pc.take(strings, pa.array(at))
        if decimal_comma:
            plain = pc.replace_substring(plain, ",", ".")
        values[at], ok[at] = _cast(plain, np.ones(len(at), dtype=bool))
    rest = np.flatnonzero(~simple & ~empty)
    if len(rest):
        values[rest], ok[rest], percent[rest] = _parse_in_bulk(
            pc.take(strings, pa.array(rest)), decimal_comma)
    ok &= np.isfinite(values)
    return _Number(values + 0.0, empty, ~ok & ~empty, percent, cells)


_SIMPLE = r"[0-9]{1,15}(?:\.[0-9]{1,15})?"
_SIMPLE_DECIMAL_COMMA = r"[0-9]{1,15}(?:,[0-9]{1,15})?"


def _flags(array: Any) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def _anywhere(strings: Any, characters: str) -> bool:
    """Whether any cell holds any of ``characters`` (a cheap test that lets a step be skipped)."""
    return any(pc.any(pc.match_substring(strings, c)).as_py() for c in characters)


def _parse_in_bulk(text: Any, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, valid, percentage) of trimmed, non-empty cells: `parse_number`, vectorised."""
    percent = pc.ends_with(text, "%")
    body = pc.if_else(percent, pc.utf8_rtrim(pc.utf8_slice_codeunits(text, 0, -1), NUMBER_BLANKS),
                      text)
    if _anywhere(body, "$€£"):
        body = pc.replace_substring_regex(body, CURRENCY_PREFIX, r"\1")
        body = pc.replace_substring_regex(body, CURRENCY_SUFFIX, "")
    ambiguous = None
    if decimal_comma:
        if _anywhere(body, "."):
            ambiguous = _match(body, NUMBER_DOT_AMBIGUOUS)
            dotted = pc.and_(_match(body, NUMBER_DOT_GROUPED), pc.invert(ambiguous))
            body = pc.if_else(dotted, pc.replace_substring(body, ".", ""), body)
        else:
            dotted = pa.array(np.zeros(len(body), dtype=bool))
        if _anywhere(body, " \u00a0\u2009\u202f"):
            spaced = pc.and_(pc.invert(dotted), _match(body, NUMBER_SPACE_GROUPED))
            body = pc.if_else(spaced, pc.replace_substring_regex(body, NUMBER_GROUP_SPACES, ""), body)
        body = pc.replace_substring(body, ",", ".")
    elif _anywhere(body, ","):
        grouped = _match(body, NUMBER_COMMA_GROUPED)
        body = pc.if_else(grouped, pc.replace_substring(body, ",", ""), body)
    plain = _match(body, NUMBER_PLAIN)
    if ambiguous is not None:
        plain = pc.and_(plain, pc.invert(ambiguous))
    values, ok = _cast(body, _flags(plain))
    return values, ok, _flags(percent)


def _cast(text: Any, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float64 of the cells marked ``ok`` (machine-syntax numbers); others 0 and not ok."""
    candidates = pc.if_else(pa.array(ok), text, "0")
    try:
        values = pc.cast(candidates, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):     # e.g. a 400-digit number
        values = np.asarray([float(v) for v in candidates.to_pylist()], dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    return values, ok & np.isfinite(values)


class _Problems:
    """Problems gathered as arrays (row positions, a column, messages); objects made at the end."""

    def __init__(self, kind: str) -> None:
        self.order = {c.name: i for i, c in enumerate(COLUMNS[kind])}
        self.parts: list[tuple[np.ndarray, int, Any]] = []

    def add(self, positions: np.ndarray, column: str | None, messages: Any) -> None:
        if len(positions):
            self.parts.append((np.asarray(positions, dtype=np.int64),
                               -1 if column is None else self.order[column], messages))

    def build(self, rows: np.ndarray, first: Sequence[Problem] = ()) -> list[Problem]:
        """The Problem objects, sorted by row then column (file-level and row-level first)."""
        if not self.parts:
            return sorted(first, key=_problem_order(self.order))
        positions = np.concatenate([p for p, _, _ in self.parts])
        columns = np.concatenate([np.full(len(p), c + 1, dtype=np.int64) for p, c, _ in self.parts])
        messages: list[str] = []
        for part_positions, _, part_messages in self.parts:
            messages.extend(_render(part_messages, len(part_positions), rows))
        row_numbers = rows[positions]
        order = np.argsort(row_numbers * (len(self.order) + 1) + columns, kind="stable")
        names = [None, *self.order]
        collecting = gc.isenabled()
        gc.disable()        # a million new objects would set off the cycle collector again and again
        try:
            built = list(map(Problem, row_numbers[order].tolist(),
                             [names[c] for c in columns[order].tolist()],
                             [messages[i] for i in order.tolist()]))
        finally:
            if collecting:
                gc.enable()
        if first:
            return sorted([*first, *built], key=_problem_order(self.order))
        return built


def _render(messages: Any, count: int, rows: np.ndarray) -> list[str]:
    if isinstance(messages, str):
        return [messages] * count
    if isinstance(messages, _LazyDuplicateMessages):
        tail = f" (same {messages.what})"
        return [f"duplicate of row {r}{tail}" for r in rows[messages.first_positions].tolist()]
    return list(messages)


def _problem_order(order: dict[str, int]) -> Callable[[Problem], tuple[int, int]]:
    return lambda p: (-1 if p.row is None else p.row, -1 if p.column is None else order[p.column])


def _validate(table: _Table, kind: str) -> tuple[pd.DataFrame | None, list[Problem], list[str]]:
    """Every rule on every row, in bulk: (canonical rows or None, problems, warnings)."""
    columns = COLUMNS[kind]
    n = len(table.rows)
    texts: dict[str, _Text] = {}
    numbers: dict[str, _Number] = {}
    for column in columns:
        if column.name not in table.cells:
            continue
        cells = table.cells[column.name]
        if column.is_number:
            numbers[column.name] = _number_column(cells, table.decimal_comma)
        else:
            texts[column.name] = _text_column(cells, column.rule)

    # Empty rows (nothing in any of the kind's columns) are ignored wherever they are.
    empty = np.ones(n, dtype=bool)
    for text in texts.values():
        empty &= text.codes == _EMPTY
    for number in numbers.values():
        empty &= number.empty
    rows = table.rows
    warnings: list[str] = []
    unreadable = [p.row for p in table.problems if p.row is not None]
    skip = empty | np.isin(rows, unreadable) if unreadable else empty
    if skip.any():
        keep = ~skip
        rows = rows[keep]
        for part in (*texts.values(), *numbers.values()):
            part.take(keep)
    for column in columns:
        if column.default is not None and column.name in texts:
            texts[column.name].fill_empty(column.default)
    row_problems = table.problems
    if not len(rows):
        raise _Refused(*row_problems, *([] if row_problems else
                                        ["The file has a header but no data rows."]))
    n = len(rows)
    problems = _Problems(kind)

    for column in columns:
        if column.name in texts:
            text = texts[column.name]
            bad = np.flatnonzero(text.codes == _BAD)
            if len(bad):
                problems.add(bad, column.name, [text.messages[u] for u in text.unique_of_row[bad].tolist()])
            if column.required:
                problems.add(np.flatnonzero(text.codes == _EMPTY), column.name, "is empty")
        elif column.name in numbers:
            _number_problems(numbers[column.name], column, table.decimal_comma, problems)

    extra = _cross_rules(kind, texts, numbers, problems, n)
    _duplicate_problems(kind, texts, problems)
    warnings.extend(_metric_name_warnings(texts.get("metric")))
    found = problems.build(rows, row_problems)
    if found:
        return None, found, warnings
    return _canonical_rows(kind, rows, texts, numbers, extra), [], warnings


def _number_problems(number: _Number, column: Column, decimal_comma: bool,
                     problems: _Problems) -> None:
    name = column.name
    bad = np.flatnonzero(number.bad)
    if len(bad):
        problems.add(bad, name, [_number_message(number.text(i), decimal_comma) for i in bad.tolist()])
    if column.required:
        problems.add(np.flatnonzero(number.empty), name, "is empty")
    valid = ~number.bad & ~number.empty
    negative = np.flatnonzero(valid & (number.values < 0))
    problems.add(negative, name, [f"must be 0 or more (got {number.text(i)})" for i in negative.tolist()])
    if not column.percent:
        percent = np.flatnonzero(valid & number.percent & (number.values >= 0))
        problems.add(percent, name, [_number_message(number.text(i), decimal_comma, parse_amount)
                                     for i in percent.tolist()])


def _number_message(text: str, decimal_comma: bool,
                    rule: Callable[..., Any] = parse_number) -> str:
    """The problem with a number cell, in the words of the scalar rule (one wording only)."""
    try:
        rule(text, decimal_comma=decimal_comma)
    except CxroiError as error:
        return str(error)
    return f"must be a number (got {text!r})"      # the bulk and scalar rules disagree: refuse


def _cross_rules(kind: str, texts: dict[str, _Text], numbers: dict[str, _Number],
                 problems: _Problems, n: int) -> dict[str, np.ndarray]:
    """The unit rule (metrics, benchmarks): `check_unit` once per distinct (metric, unit, %)."""
    if kind == "effort":
        return {}
    metric, value = texts["metric"], numbers["value"]
    unit = texts.get("unit")
    unit_codes = unit.codes if unit is not None else np.full(n, _EMPTY, dtype=np.int64)
    unit_values = unit.values if unit is not None else []
    judged = (metric.codes >= 0) & ~value.bad & ~value.empty
    # A bad unit is reported already; so is an empty one where the column is required.
    judged &= (unit_codes >= 0) if _COLUMNS_BY_NAME[kind]["unit"].required else (unit_codes != _BAD)
    unit_index = np.full(n, -1, dtype=np.int64)
    everyone = bool(judged.all())
    positions = np.arange(n) if everyone else np.flatnonzero(judged)
    if len(positions):
        metric_codes, given_codes, percents = (
            (metric.codes, unit_codes, value.percent) if everyone else
            (metric.codes[positions], unit_codes[positions], value.percent[positions]))
        keys, size = _combine([
            (metric_codes, len(metric.values)),
            (np.where(given_codes >= 0, given_codes, len(unit_values)), len(unit_values) + 1),
            (percents.astype(np.int64), 2)])
        group_of_row, member = _groups(keys, size)
        units = np.full(len(member), -1, dtype=np.int64)
        for group, row in enumerate(member.tolist()):
            given = unit_values[given_codes[row]] if given_codes[row] >= 0 else None
            resolved, found = check_unit(metric.values[metric_codes[row]], given, bool(percents[row]))
            if resolved is not None:
                units[group] = UNITS.index(resolved)
            for column, message in found:
                problems.add(positions[group_of_row == group], column, message)
        if everyone:
            unit_index = units[group_of_row]
        else:
            unit_index[positions] = units[group_of_row]
    return {"unit_index": unit_index}


def _groups(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense group numbers of integer ``keys`` (in [0, size)) and one member row of each group."""
    if size <= 4 * len(keys) + 1024:
        present = np.bincount(keys, minlength=size) > 0
        group_of_row = (np.cumsum(present) - 1)[keys]
        count = int(present.sum())
    else:
        group_of_row, uniques = pd.factorize(keys)
        count = len(uniques)
    member = np.empty(count, dtype=np.int64)
    member[group_of_row] = np.arange(len(keys))     # any member will do: they share the key
    return group_of_row, member


def _duplicate_problems(kind: str, texts: dict[str, _Text], problems: _Problems) -> None:
    """Later rows with the same key as an earlier row: 'duplicate of row N (same ...)'."""
    names = _DUPLICATE_KEYS[kind]
    required = {c.name for c in COLUMNS[kind] if c.required}
    n = len(texts[names[0]].codes)
    valid = np.ones(n, dtype=bool)
    parts = []
    for name in names:
        part = texts.get(name)
        if part is None:                          # an optional column not in the file
            continue
        if name in required:                      # only rows where it is valid take part
            valid &= part.codes >= 0
            parts.append((part.codes, len(part.values)))
        else:                                     # empty is a value of its own (no loop)
            valid &= part.codes != _BAD
            parts.append((np.where(part.codes >= 0, part.codes, len(part.values)),
                          len(part.values) + 1))
    positions = np.arange(n) if valid.all() else np.flatnonzero(valid)
    if len(positions) < 2:
        return
    if len(positions) < n:
        parts = [(codes[positions], size) for codes, size in parts]
    key, size = _combine(parts)
    if size <= 4 * len(key) + 1024:
        if np.bincount(key, minlength=size).max() < 2:
            return
    elif not pd.Series(key).duplicated().any():
        return
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    first_in_order = order[np.flatnonzero(starts)][np.cumsum(starts) - 1]
    later = ~starts
    problems.add(positions[order[later]], None,
                 _LazyDuplicateMessages(positions[first_in_order[later]], _and_join(list(names))))


def _combine(parts: Sequence[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """One int64 key from several code columns (re-coded densely when the range would overflow)."""
    key, size = parts[0][0].astype(np.int64), parts[0][1]
    for codes, part_size in parts[1:]:
        if size * part_size >= 2**62:
            key, uniques = pd.factorize(key)
            key, size = key.astype(np.int64), len(uniques)
        key, size = key * part_size + codes, size * part_size
    return key, size


class _LazyDuplicateMessages:
    """Messages 'duplicate of row N (...)': row numbers known only when problems are built."""

    def __init__(self, first_positions: np.ndarray, what: str) -> None:
        self.first_positions, self.what = first_positions, what


def _metric_name_warnings(metric: _Text | None) -> list[str]:
    if metric is None:
        return []
    warnings = []
    for name in metric.values:
        if name in CANONICAL_METRICS:
            continue
        near = re.sub(r"[\s\-]+", "_", name)
        if near in CANONICAL_METRICS:
            warnings.append(f"The metric {name!r} is kept as written and does not feed the "
                            f"iceberg; did you mean {near!r}?")
    return warnings


def _strings(values: Sequence[Any], codes: np.ndarray) -> pd.Series:
    return pd.Series(pd.array(list(values), dtype="str").take(codes) if len(values)
                     else pd.array([""] * len(codes), dtype="str"))


def _unit_strings(unit: _Text | None, unit_index: np.ndarray) -> pd.Series:
    if unit is not None and unit.same is not None:     # every row gave its (valid) unit
        return unit.strings()
    return _strings(UNITS, unit_index)


def _canonical_rows(kind: str, rows: np.ndarray, texts: dict[str, _Text],
                    numbers: dict[str, _Number], extra: dict[str, np.ndarray]) -> pd.DataFrame:
    out: dict[str, Any] = {"row": rows.astype(np.int64)}
    if kind == "metrics":
        metric = texts["metric"]
        out["period"] = texts["period"].strings()
        out["segment"] = texts["segment"].strings()
        out["metric"] = metric.strings()
        out["value"] = numbers["value"].values
        out["unit"] = _unit_strings(texts.get("unit"), extra["unit_index"])
        defaults = np.asarray([default_higher_is_better(m) for m in metric.values], dtype=bool)
        direction = defaults[metric.codes]
        if "higher_is_better" in texts:
            flag = texts["higher_is_better"]
            given = np.asarray(flag.values, dtype=bool)
            direction = np.where(flag.codes >= 0, given[np.maximum(flag.codes, 0)] if len(given)
                                 else False, direction)
        out["higher_is_better"] = direction.astype(bool)
    elif kind == "effort":
        out["period"] = texts["period"].strings()
        out["department"] = texts["department"].strings()
        out["tier"] = texts["tier"].strings()
        out["hours"] = numbers["hours"].values
        budget = numbers.get("budget")
        out["budget"] = (np.where(budget.empty, np.nan, budget.values) if budget is not None
                         else np.full(len(rows), np.nan))
        loop = texts.get("loop")
        if loop is None:
            out["loop"] = pd.Series([None] * len(rows), dtype=object)
        else:
            choices = np.asarray([*loop.values, None], dtype=object)
            out["loop"] = pd.Series(choices[np.where(loop.codes >= 0, loop.codes, len(loop.values))],
                                    dtype=object)
    else:
        out["metric"] = texts["metric"].strings()
        out["value"] = numbers["value"].values
        out["unit"] = _unit_strings(texts.get("unit"), extra["unit_index"])
        out["source"] = texts["source"].strings()
        out["as_of"] = texts["as_of"].strings()
        kinds = texts.get("kind")        # empty cells already hold the default, "industry"
        out["kind"] = (kinds.strings() if kinds is not None else
                       _strings([_COLUMNS_BY_NAME[kind]["kind"].default], np.zeros(len(rows), np.int64)))
    return pd.DataFrame(out)


def _empty_rows(kind: str) -> pd.DataFrame:
    dtypes: dict[str, Any] = {"row": np.int64}
    for column in COLUMNS[kind]:
        dtypes[column.name] = np.float64 if column.is_number else "str"
    if kind == "metrics":
        dtypes["higher_is_better"] = bool
    if kind == "effort":
        dtypes["loop"] = object
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in dtypes.items()})


# --- templates -------------------------------------------------------------------------------------


def template_csv(kind: str) -> bytes:
    """A CSV template for ``kind``: the header and one example row (UTF-8).

    >>> print(template_csv("effort").decode())
    period,department,tier,hours,budget,loop
    2026Q1,Support,EL,350,28000,outer
    <BLANKLINE>
    """
    columns = _template_columns(kind)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    writer.writerow([c.example for c in columns])
    return buffer.getvalue().encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    """An Excel template for ``kind``: sheet ``data`` (header and an example row) and sheet
    ``notes`` (one row per column: name, required, note, example)."""
    import openpyxl  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    columns = _template_columns(kind)
    book = openpyxl.Workbook()
    data = book.active
    data.title = "data"
    data.append([c.name for c in columns])
    data.append([_example_cell(c) for c in columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(columns):
        data.column_dimensions[_column_letter(i)].width = max(12, len(column.name) + 4,
                                                               len(column.example) + 2)
        if column.name == "as_of":
            data.cell(row=2, column=i + 1).number_format = "yyyy-mm-dd"
    notes = book.create_sheet("notes")
    notes.append(["column", "required", "note", "example"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns:
        notes.append([column.name, "yes" if column.required else "no", column.note, column.example])
    for letter, width in zip("ABCD", (20, 10, 90, 30)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _template_columns(kind: str) -> tuple[Column, ...]:
    if kind not in COLUMNS:
        raise CxroiError(f"unknown upload kind {kind!r} (use {', '.join(KINDS)})")
    return COLUMNS[kind]


def _example_cell(column: Column) -> Any:
    if column.is_number:
        return float(column.example) if "." in column.example else int(column.example)
    if column.name == "as_of":
        return dt.date.fromisoformat(column.example)
    return column.example
