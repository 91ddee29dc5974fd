"""The doctests are the business stories in the docstrings: each runs once, collected by pytest.

``pyproject.toml`` runs ``--doctest-modules`` over ``cxroi/``; this file only holds that the
collection is on and that the modules with stories still have them.
"""

from __future__ import annotations

import doctest
import importlib
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_pytest_collects_the_package_doctests() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in options["addopts"].split()
    assert "cxroi" in options["testpaths"]


@pytest.mark.parametrize("name", [
    "cxroi.roi.iceberg", "cxroi.roi.snowball", "cxroi.roi.case", "cxroi.roi.effort",
    "cxroi.roi.relative", "cxroi.roi.themes", "cxroi.roi.risk", "cxroi.sensitivity", "cxroi.drivers", "cxroi.whatif", "cxroi.models",
    "cxroi.format", "cxroi.cli.common", "cxroi.impact", "cxroi.store.errors", "cxroi.export.sheets", "cxroi.ingest",
    "cxroi.charts.theme", "cxroi.wording",
    "cxroi.ingest.cells", "cxroi.ingest.read", "cxroi.ingest.validate",
])
def test_the_stories_are_there(name: str) -> None:
    found = doctest.DocTestFinder().find(importlib.import_module(name))
    assert sum(len(test.examples) for test in found) > 0
