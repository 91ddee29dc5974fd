"""The package's face: `cxroi.export` re-exports its modules' names, loads the heavy
libraries only when used, and every module's business stories run."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

from pathlib import Path

import pytest

from cxroi import export

ROOT = Path(__file__).resolve().parents[2]

MODULES = [f"cxroi.export.{m.name}" for m in pkgutil.iter_modules(export.__path__)]


def test_the_modules_are_found() -> None:
    assert {"frames", "sheets", "render", "deck", "pptx", "pdf", "build"} <= {
        name.rpartition(".")[2] for name in MODULES}


@pytest.mark.parametrize("name", export.__all__)
def test_every_public_name_is_reachable_from_the_package(name: str) -> None:
    assert getattr(export, name) is not None


def test_importing_the_package_loads_no_writer_library() -> None:
    """Start-up time: openpyxl, python-pptx, XlsxWriter, fpdf2 and kaleido load on use."""
    heavy = ("openpyxl", "pptx", "xlsxwriter", "fpdf", "kaleido")
    code = ("import sys, cxroi.export; "
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.strip()
    assert out == "[]"
