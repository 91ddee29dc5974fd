"""The arrows point one way (DESIGN.md "Architecture", STYLE.md "The shape").

Every rule is checked by parsing the source (``ast``), never by importing it, and every
rule's helper is also run on small synthetic sources, so a rule that could never fail
would be noticed.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cxroi"
CXROI_FILES = sorted(PACKAGE.rglob("*.py"))
UI_FILES = sorted(
    [ROOT / "app.py"] * (ROOT / "app.py").exists() + list((ROOT / "pages").glob("*.py"))
)
PACKAGES = {"cxroi", "pages"}
"""Packages whose ``from P import name`` may name a submodule."""

DB_MODULES = {"duckdb", "sqlite3", "sqlalchemy", "psycopg", "psycopg2"}
SQL = re.compile(
    r"\b(?:SELECT\s|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|MERGE\s+INTO\b"
    r"|CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\w*\s+)?(?:TABLE|VIEW|INDEX|SEQUENCE|MACRO)\b"
    r"|DROP\s+(?:TABLE|VIEW|INDEX)\b|ALTER\s+TABLE\b)"
)


# --- helpers -------------------------------------------------------------------------------


def _package_of(path: Path) -> str:
    """``cxroi`` for cxroi/roi.py, ``pages`` for pages/x.py, ``""`` for app.py."""
    return ".".join(path.resolve().parent.relative_to(ROOT).parts)


def imported_modules(source: str, package: str = "") -> list[str]:
    """Every module a source imports, fully qualified, wherever the import statement is.

    ``from cxroi import store`` gives ``cxroi.store``; relative imports are resolved against
    ``package``; ``importlib.import_module("x")`` and ``__import__("x")`` count too.
    """
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                module = ".".join([*base, *([module] if module else [])])
            if module in PACKAGES or not module:
                found.extend(f"{module}.{alias.name}".lstrip(".") for alias in node.names)
            else:
                found.append(module)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name in {"import_module", "__import__"} and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found.append(first.value)
    return found


def _top(module: str) -> str:
    return module.split(".")[0]


def roi_violations(source: str, package: str = "cxroi") -> list[str]:
    """Imports that break "roi imports only the standard library and cxroi.models"."""
    return [
        m for m in imported_modules(source, package)
        if not (_top(m) in sys.stdlib_module_names or m == "cxroi.models")
    ]


def streamlit_imports(source: str, package: str = "cxroi") -> list[str]:
    return [m for m in imported_modules(source, package) if _top(m) == "streamlit"]


def ui_imports(source: str, package: str = "cxroi") -> list[str]:
    """Imports of the UI layer (``app``, ``pages``) from inside the package."""
    return [m for m in imported_modules(source, package) if _top(m) in {"app", "pages"}]


def db_imports(source: str, package: str = "pages") -> list[str]:
    return [m for m in imported_modules(source, package) if _top(m) in DB_MODULES]


def sql_in(source: str) -> list[str]:
    return SQL.findall(source)


def _sources(paths: list[Path]) -> Iterator[tuple[str, str, str]]:
    for path in paths:
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"), _package_of(path)


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


# --- the real code -------------------------------------------------------------------------


def test_the_package_is_there() -> None:
    names = {p.name for p in CXROI_FILES}
    assert {"__init__.py", "models.py", "roi.py"} <= names


@pytest.mark.parametrize("path", CXROI_FILES, ids=_ids(CXROI_FILES))
def test_no_cxroi_module_imports_streamlit(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert streamlit_imports(source, _package_of(path)) == []


@pytest.mark.parametrize("path", CXROI_FILES, ids=_ids(CXROI_FILES))
def test_no_cxroi_module_imports_the_ui(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert ui_imports(source, _package_of(path)) == []


def test_roi_imports_only_stdlib_and_models() -> None:
    source = (PACKAGE / "roi.py").read_text(encoding="utf-8")
    assert roi_violations(source) == []
    assert "cxroi.models" in imported_modules(source, "cxroi")  # the helper saw the imports


@pytest.mark.parametrize("path", UI_FILES, ids=_ids(UI_FILES))
def test_ui_has_no_sql(path: Path) -> None:
    assert sql_in(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", UI_FILES, ids=_ids(UI_FILES))
def test_ui_does_not_touch_the_database_driver(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert db_imports(source, _package_of(path)) == []


# --- the helpers can fail ------------------------------------------------------------------

ROI_OK = """
from __future__ import annotations
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from cxroi.models import Assumptions, CxroiError
from cxroi import models
from .models import ALL
"""


def test_roi_rule_accepts_stdlib_and_models() -> None:
    assert roi_violations(ROI_OK) == []


@pytest.mark.parametrize(
    ("source", "culprit"),
    [
        ("import pandas as pd", "pandas"),
        ("import numpy", "numpy"),
        ("import duckdb", "duckdb"),
        ("from pydantic import BaseModel", "pydantic"),
        ("from cxroi.store import Store", "cxroi.store"),
        ("from cxroi import store", "cxroi.store"),
        ("from cxroi import models, charts", "cxroi.charts"),
        ("import cxroi.charts", "cxroi.charts"),
        ("import cxroi", "cxroi"),
        ("from . import store", "cxroi.store"),
        ("from .ingest import read_upload", "cxroi.ingest"),
        ("def f():\n    import plotly.graph_objects as go\n", "plotly.graph_objects"),
        ("import importlib\nimportlib.import_module('pandas')", "pandas"),
        ("__import__('duckdb')", "duckdb"),
        ("try:\n    import streamlit\nexcept ImportError:\n    pass\n", "streamlit"),
    ],
)
def test_roi_rule_refuses(source: str, culprit: str) -> None:
    assert culprit in roi_violations(ROI_OK + source)


@pytest.mark.parametrize(
    "source",
    ["import streamlit as st", "from streamlit import session_state",
     "import streamlit.components.v1 as components", "def f():\n    import streamlit\n"],
)
def test_streamlit_rule_can_fail(source: str) -> None:
    assert streamlit_imports(source) != []
    assert streamlit_imports("import math\nfrom cxroi.models import ALL\n") == []


@pytest.mark.parametrize(
    "source", ["from pages.common import store", "import app", "from pages import overview"])
def test_ui_rule_can_fail(source: str) -> None:
    assert ui_imports(source, "cxroi.sub") != []
    assert ui_imports("from cxroi.report import build_report\n") == []


@pytest.mark.parametrize(
    "source",
    ['con.execute("SELECT * FROM metrics")',
     'q = f"""\n    INSERT INTO uploads VALUES (?, ?)\n"""',
     'sql = "UPDATE scenarios SET note = ?"',
     'x = "DELETE FROM effort"',
     'x = "CREATE TABLE t (a INT)"',
     'x = "SELECT 1"'],
)
def test_sql_rule_can_fail(source: str) -> None:
    assert sql_in(source) != []


def test_sql_rule_ignores_ordinary_words() -> None:
    page = 'st.selectbox("Select a scenario from the list", options)\nst.write("Update")\n'
    assert sql_in(page) == []


def test_db_rule_can_fail() -> None:
    assert db_imports("import duckdb") == ["duckdb"]
    assert db_imports("from duckdb import connect") == ["duckdb"]
    assert db_imports("from cxroi.store import open_store") == []
