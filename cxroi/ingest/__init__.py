"""Reading and validating uploads: a CSV or Excel file in, canonical rows or every problem out.

``read_upload(data, file_name, kind)`` reads the bytes of one upload of kind ``metrics``,
``effort`` or ``benchmarks`` and returns a `ParsedUpload`: every row in canonical form, or,
when anything is wrong, every problem as ``row N, column C: what is wrong`` and no rows at all
(all or nothing). Nothing here touches the database or the user interface: the store writes
what ``read_upload`` accepted, the pages show what it found.

====================  ========================================================================
``read_upload``       bytes -> `ParsedUpload` (canonical rows, or every problem)
``MAX_UPLOAD_BYTES``  the largest upload read, checked before anything is parsed
``template_csv``      a CSV template for a kind: the header and an example row
``template_xlsx``     the same as a workbook, with a ``notes`` sheet explaining each column
``KINDS``             the upload kinds
``COLUMNS``           each kind's columns (name, required, note, example, cell rule): the one
                      place the per-column rules are declared; validation and templates use it
``Column``            one of them
``Problem``           one thing wrong, at a row and column
``ParsedUpload``      the result: kind, file name, SHA-256, rows, problems, sheets, warnings
====================  ========================================================================

The rooms, in the order an upload goes through them:

===============  ==============================================================================
``read``         bytes -> a `Table` of the kind's columns: format, encoding, separator, title
                 rows above the header, workbooks and their sheets
``columns``      each kind's columns and their cell rules; duplicate keys
``cells``        the cell rules: one cell in, its canonical value out, or what is wrong
``bulk``         the cell rules applied to whole columns (once per distinct value; vectorised)
``validate``     every rule on every row: empty rows, units, duplicates, the canonical rows
``wide``         a wide ratings file (one column per item): the same rules, and its long rows
``results``      `ParsedUpload`, `Problem`
``templates``    the upload templates
===============  ==============================================================================

Importing a file costs a small multiple of ``pandas.read_csv`` of the same file; openpyxl is
imported only when a workbook is read or written.

Canonical rows (``ParsedUpload.rows``; the first column, ``row``, is the spreadsheet row):

==========  ==========================================================================
metrics     row, period, segment, metric, value (float), unit, higher_is_better (bool)
effort      row, period, department, tier, hours (float), budget (float, NaN if empty),
            loop ("inner", "outer" or None; object dtype)
benchmarks  row, metric, value (float), unit, source, as_of ("YYYY-MM-DD"), kind
ratings     row, period, segment, respondent, item (lower case), score (float); a wide
            file (one column per item) gives one row per answer, unanswered cells none
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

import hashlib
import threading
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from cxroi.ingest.columns import COLUMNS, KINDS, Column, columns_of
from cxroi.ingest.read import Table, read_table
from cxroi.ingest.results import ParsedUpload, Problem, Refused, shown
from cxroi.ingest.templates import template_csv, template_xlsx
from cxroi.ingest.validate import empty_rows, validate
from cxroi.ingest.wide import validate_wide

__all__ = [
    "MAX_UPLOAD_BYTES",
    "KINDS",
    "Column",
    "COLUMNS",
    "Problem",
    "ParsedUpload",
    "read_upload",
    "upload_limit",
    "template_csv",
    "template_xlsx",
]

MAX_UPLOAD_BYTES: int = 50_000_000
"""The largest upload read (bytes); checked before parsing (Streamlit's limit is not enough).

The one limit, stated once: the browser's ``server.maxUploadSize = 50`` is 50,000,000 bytes
there too, and the CLI refuses the same files.

``read_upload`` reads it here, at each call: setting ``cxroi.ingest.MAX_UPLOAD_BYTES`` (as
the tests do) lowers the limit everywhere."""


def upload_limit() -> str:
    """The upload limit as a sentence says it: '50 MB (50,000,000 bytes)'."""
    return f"{MAX_UPLOAD_BYTES / 1e6:g} MB ({MAX_UPLOAD_BYTES:,} bytes)"


def read_upload(
    data: bytes,
    file_name: str,
    kind: str,
    *,
    sheet: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ParsedUpload:
    """Read and validate one upload; never raises for a bad file (see the package docstring).

    Parameters
    ----------
    data : the file's bytes, at most `MAX_UPLOAD_BYTES`.
    file_name : the name as uploaded (its extension helps tell CSV from a workbook).
    kind : ``metrics``, ``effort``, ``benchmarks`` or ``ratings``; anything else raises
        `CxroiError`.
    sheet : for a workbook, the sheet to read (default: the first with a header).
    progress : called as ``progress(fraction, message)`` with fraction from 0 to 1.
    """
    columns_of(kind)                    # an unknown kind raises CxroiError
    data = bytes(data)
    report = progress or (lambda fraction, message: None)
    hashing = _Digest(data)

    def result(rows: pd.DataFrame | None, problems: Sequence[Problem], table: Table | None,
               warnings: Sequence[str] = ()) -> ParsedUpload:
        report(1.0, "Done")
        return ParsedUpload(
            kind=kind, file_name=file_name, sha256=hashing.hexdigest(),
            rows=rows if rows is not None and not problems else empty_rows(kind),
            problems=shown(problems),
            sheets=table.sheets if table else (), sheet=table.sheet if table else None,
            warnings=tuple(warnings))

    report(0.0, f"Reading {file_name}")
    try:
        if not data:
            raise Refused("The file is empty.")
        if len(data) > MAX_UPLOAD_BYTES:
            raise Refused(f"The file is too large: {len(data):,} bytes, over the upload limit "
                          f"of {upload_limit()}.")
        table = read_table(data, file_name, kind, sheet, report)
    except Refused as refused:
        return result(None, refused.problems, Table(np.empty(0, np.int64), {}, sheets=refused.sheets))
    report(0.5, f"Checking {len(table.rows):,} rows")
    try:
        rows, problems, warnings = (validate_wide(table) if table.items is not None
                                    else validate(table, kind))
    except Refused as refused:
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
