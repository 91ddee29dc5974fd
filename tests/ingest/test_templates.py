"""The upload templates (cxroi.ingest.templates) read back, and the committed copies in
data/templates are what the app offers.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from cxroi.ingest import COLUMNS, KINDS, read_upload, template_csv, template_xlsx


TEMPLATES = Path(__file__).resolve().parents[2] / "data" / "templates"


@pytest.mark.parametrize("kind", KINDS)
def test_the_committed_template_is_current(kind):
    assert (TEMPLATES / f"{kind}.csv").read_bytes() == template_csv(kind)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("make, name", [(template_csv, "t.csv"), (template_xlsx, "t.xlsx")])
def test_every_template_imports_cleanly(kind, make, name):
    parsed = read_upload(make(kind), name, kind)
    assert parsed.ok, parsed.problems
    assert len(parsed.rows) == 1


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
