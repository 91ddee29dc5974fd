"""The upload templates: for each kind, a file a CX lead can fill in, that imports as it is.

The columns, their notes and their examples come from `cxroi.ingest.columns`, so a template
always says what validation expects (``data/templates`` holds the committed copies).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from cxroi.ingest.columns import RATINGS_WIDE_KEYS, Column, columns_of
from cxroi.models import CxroiError
from cxroi.ingest.read import column_letter

__all__ = ["template_csv", "template_xlsx", "FORMS", "WIDE_EXAMPLE"]

FORMS: tuple[str, ...] = ("long", "wide")
"""A template's form: ``long`` (the kind's columns) or, for ratings only, ``wide`` (one row per
respondent, one column per item, as survey tools export)."""

WIDE_EXAMPLE: tuple[tuple[str, str], ...] = (
    ("likelihood_to_recommend", "9"), ("delivery_speed", "4"), ("support_helpfulness", "5"),
    ("product_quality", ""),
)
"""The example items of the wide ratings template (an empty cell is an unanswered item)."""

_WIDE_NOTE = ("One column per survey item, named after it (case does not matter); each cell the "
              "respondent's score on the survey's own scale. An empty cell is an unanswered item.")


def _template(kind: str, form: str) -> list[tuple[str, bool, str, str]]:
    """(name, required, note, example) of each column of the template."""
    columns = columns_of(kind)
    if form not in FORMS or (form == "wide" and kind != "ratings"):
        raise CxroiError(f"A {kind} template has no {form!r} form (only ratings have a wide one).")
    if form == "long":
        return [(c.name, c.required, c.note, c.example) for c in columns]
    fixed = [(c.name, True, c.note, c.example) for c in columns if c.name in RATINGS_WIDE_KEYS]
    return fixed + [(name, False, _WIDE_NOTE, example) for name, example in WIDE_EXAMPLE]


def template_csv(kind: str, form: str = "long") -> bytes:
    """A CSV template for ``kind``: the header and one example row (UTF-8); ``form="wide"``
    gives a ratings file with one column per item.

    >>> print(template_csv("effort").decode())
    period,department,tier,hours,budget,loop
    2026Q1,Support,EL,350,28000,outer
    <BLANKLINE>
    >>> print(template_csv("ratings", "wide").decode().splitlines()[0])
    period,segment,respondent,likelihood_to_recommend,delivery_speed,support_helpfulness,product_quality
    """
    columns = _template(kind, form)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c[0] for c in columns])
    writer.writerow([c[3] for c in columns])
    return buffer.getvalue().encode("utf-8")


def template_xlsx(kind: str, form: str = "long") -> bytes:
    """An Excel template for ``kind``: sheet ``data`` (header and an example row) and sheet
    ``notes`` (one row per column: name, required, note, example); ``form`` as `template_csv`."""
    import openpyxl  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    long = form == "long"
    by_name = {c.name: c for c in columns_of(kind)}
    columns = _template(kind, form)
    book = openpyxl.Workbook()
    data = book.active
    data.title = "data"
    data.append([c[0] for c in columns])
    data.append([_example_cell(by_name[c[0]]) if long or c[0] in RATINGS_WIDE_KEYS
                 else (int(c[3]) if c[3] else None) for c in columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for i, (name, _, _, example) in enumerate(columns):
        data.column_dimensions[column_letter(i)].width = max(12, len(name) + 4, len(example) + 2)
        if name == "as_of":
            data.cell(row=2, column=i + 1).number_format = "yyyy-mm-dd"
    notes = book.create_sheet("notes")
    notes.append(["column", "required", "note", "example"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for name, required, note, example in columns:
        notes.append([name, "yes" if required else "no", note, example])
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
