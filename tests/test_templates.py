"""The committed upload templates in data/templates are what the app offers, and they import."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxroi.ingest import KINDS, read_upload, template_csv, template_xlsx

TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "templates"


@pytest.mark.parametrize("kind", KINDS)
def test_the_committed_template_is_current(kind):
    assert (TEMPLATES / f"{kind}.csv").read_bytes() == template_csv(kind)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("make, name", [(template_csv, "t.csv"), (template_xlsx, "t.xlsx")])
def test_every_template_imports_cleanly(kind, make, name):
    parsed = read_upload(make(kind), name, kind)
    assert parsed.ok, parsed.problems
    assert len(parsed.rows) == 1
