"""The upload templates: for each kind, a file a CX lead can fill in, that imports as it is.

The columns, their notes and their examples come from `cxroi.ingest.columns`, so a template
always says what validation expects (``data/templates`` holds the committed copies).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from cxroi.ingest.columns import Column, columns_of
from cxroi.ingest.read import column_letter

__all__ = ["template_csv", "template_xlsx"]


def template_csv(kind: str) -> bytes:
    """A CSV template for ``kind``: the header and one example row (UTF-8).

    >>> print(template_csv("effort").decode())
    period,department,tier,hours,budget,loop
    2026Q1,Support,EL,350,28000,outer
    <BLANKLINE>
    """
    columns = columns_of(kind)
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

    columns = columns_of(kind)
    book = openpyxl.Workbook()
    data = book.active
    data.title = "data"
    data.append([c.name for c in columns])
    data.append([_example_cell(c) for c in columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(columns):
        data.column_dimensions[column_letter(i)].width = max(12, len(column.name) + 4,
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


def _example_cell(column: Column) -> Any:
    if column.is_number:
        return float(column.example) if "." in column.example else int(column.example)
    if column.name == "as_of":
        return dt.date.fromisoformat(column.example)
    return column.example
