"""What the ingest tests share: reading a text or a workbook, the problems as strings, the samples."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from cxroi.ingest import ParsedUpload, read_upload

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
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
