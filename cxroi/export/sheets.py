"""Spreadsheets that cannot run formulas: the data downloads as CSV and XLSX.

==========================  ==============================================================
name                        what it gives
==========================  ==============================================================
`neutralise`                text cells made inert for spreadsheets (formula injection)
`to_csv_bytes`              a frame as UTF-8 CSV (with BOM, for Excel), neutralised
`to_xlsx_bytes`             a frame as an .xlsx workbook, neutralised
==========================  ==============================================================
"""

from __future__ import annotations

import io
import math

import pandas as pd

__all__ = ["neutralise", "to_csv_bytes", "to_xlsx_bytes"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    A text cell (or column name) starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a leading ``'``; numbers, booleans and empty cells are untouched.

    >>> neutralise(pd.DataFrame({"segment": ["=1+1", "Retail"], "value": [-5.0, 2.0]}))
      segment  value
    0   '=1+1   -5.0
    1  Retail    2.0
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            out[column] = series.map(_inert).astype(series.dtype)
    out.columns = [_inert(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV in UTF-8 with a byte-order mark (Excel reads it right), neutralised."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "data",
                  footnote: str | None = None) -> bytes:
    """``frame`` as an .xlsx workbook (one sheet), neutralised; the footnote on a second sheet.

    Every cell is written with its type set explicitly, so no text becomes a formula even
    where openpyxl would read a leading ``=`` as one.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    safe = neutralise(frame)
    book = Workbook()
    data = book.active
    data.title = _sheet_name(sheet)
    data.append([str(c) for c in safe.columns])
    for row in safe.itertuples(index=False):
        data.append([_cell(v) for v in row])
    for row in data.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
    for index, column in enumerate(safe.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in safe[column].head(200)])
        data.column_dimensions[data.cell(1, index).column_letter].width = min(60, width + 2)
    data.freeze_panes = "A2"
    if footnote:
        about = book.create_sheet("about")
        about.append(["Footnote"])
        about.append([str(_inert(footnote))])
        about["A2"].data_type = TYPE_STRING
        about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "data"
    return cleaned[:31]


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return None
    return value
