"""The arrows point one way (docs/design.md "Architecture"): ``app.py``/``pages -> ui -> cxroi``.

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
    + list((ROOT / "ui").glob("*.py"))
)
PACKAGES = {"cxroi", "pages", "ui"}
"""Packages whose ``from P import name`` may name a submodule."""

PICTURES_AND_MONEY = ("cxroi.roi", "cxroi.sensitivity", "cxroi.drivers", "cxroi.report",
                      "cxroi.wording", "cxroi.dataset", "cxroi.charts", "cxroi.export")
"""What never reaches the store or the database driver, not even through another module."""
PUBLIC_STREAMLIT = {"streamlit", "streamlit.components.v1"}

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
    ``package``; ``importlib.import_module("x")`` and ``__import__("x")`` count too; imports
    under ``if TYPE_CHECKING:`` do not (they never run).
    """
    found: list[str] = []
    tree = ast.parse(source)
    typing_only = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}
                   for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue  # imports for type checkers only never run
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
    """Imports of the UI layer (``app``, ``pages``, ``ui``) from inside the package."""
    return [m for m in imported_modules(source, package) if _top(m) in {"app", "pages", "ui"}]


def page_imports(source: str, package: str = "ui") -> list[str]:
    """Imports of ``app`` or a page from the shared glue (pages use ui, never the reverse)."""
    return [m for m in imported_modules(source, package) if _top(m) in {"app", "pages"}]


def private_streamlit(source: str, package: str = "ui") -> list[str]:
    """Imports of Streamlit's own internals (anything but its documented modules)."""
    return [m for m in imported_modules(source, package)
            if _top(m) == "streamlit" and m not in PUBLIC_STREAMLIT]


def _module_name(path: Path) -> str:
    parts = path.resolve().relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(files: dict[str, str]) -> dict[str, set[str]]:
    """Module -> the package modules it imports ({module name: source}), parents included.

    Importing ``cxroi.charts.iceberg`` runs ``cxroi.charts`` first, so a module also
    depends on the ``__init__`` of every package above what it imports.
    """
    known = set(files)
    graph: dict[str, set[str]] = {}
    for name, source in files.items():
        package = name if f"{name}.__init__" in known or _is_package(name, known) else \
            name.rpartition(".")[0]
        edges: set[str] = set()
        for module in imported_modules(source, package):
            while module and module not in known:  # "cxroi.charts.BETTER" -> "cxroi.charts"
                module = module.rpartition(".")[0]
            while module:
                edges.add(module)
                module = module.rpartition(".")[0]
        edges.discard(name)
        graph[name] = {m for m in edges if m in known}
    return graph


def _is_package(name: str, known: set[str]) -> bool:
    return any(other.startswith(name + ".") for other in known)


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Pairs (a, b) with a importing b and b reaching a, parents of a module aside."""
    return sorted((a, b) for a, edges in graph.items() for b in edges
                  if not a.startswith(b + ".") and a in reachable(graph, b)
                  and not _only_through_parents(graph, b, a))


def _only_through_parents(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    """A package's ``__init__`` importing its own modules is not a circle."""
    trimmed = {m: {e for e in edges if not m.startswith(e + ".")} for m, edges in graph.items()}
    return goal not in reachable(trimmed, start)


def db_imports(source: str, package: str = "pages") -> list[str]:
    return [m for m in imported_modules(source, package) if _top(m) in DB_MODULES]


def sql_in(source: str) -> list[str]:
    return SQL.findall(source)


def _package_sources() -> dict[str, str]:
    return {_module_name(p): p.read_text(encoding="utf-8") for p in CXROI_FILES}


def _sources(paths: list[Path]) -> Iterator[tuple[str, str, str]]:
    for path in paths:
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"), _package_of(path)


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


# --- the real code -------------------------------------------------------------------------


def test_the_package_is_there() -> None:
    names = {p.name for p in CXROI_FILES}
    assert {"__init__.py", "models.py", "iceberg.py", "case.py", "themes.py"} <= names


@pytest.mark.parametrize("path", CXROI_FILES, ids=_ids(CXROI_FILES))
def test_no_cxroi_module_imports_streamlit(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert streamlit_imports(source, _package_of(path)) == []


@pytest.mark.parametrize("path", CXROI_FILES, ids=_ids(CXROI_FILES))
def test_no_cxroi_module_imports_the_ui(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert ui_imports(source, _package_of(path)) == []


def test_sensitivity_is_as_pure_as_roi() -> None:
    source = (PACKAGE / "sensitivity.py").read_text(encoding="utf-8")
    assert [m for m in roi_violations(source) if m != "cxroi.roi"] == []


def test_wording_says_and_never_draws() -> None:
    graph = import_graph(_package_sources())
    assert not reachable(graph, "cxroi.wording") & {"cxroi.charts", "cxroi.report",
                                                    "cxroi.export", "cxroi.store"}


ROI_FILES = sorted((PACKAGE / "roi").glob("*.py"))


@pytest.mark.parametrize("path", ROI_FILES, ids=_ids(ROI_FILES))
def test_roi_imports_only_stdlib_and_models(path: Path) -> None:
    """Each room of `cxroi.roi` may lean on its siblings, and on nothing else of ours."""
    source = path.read_text(encoding="utf-8")
    package = _package_of(path)
    assert [m for m in roi_violations(source, package)
            if not m.startswith("cxroi.roi.")] == []
    assert imported_modules(source, package)  # the helper saw the imports


def test_roi_rooms_are_all_there() -> None:
    assert {p.stem for p in ROI_FILES} == {"__init__", "iceberg", "snowball", "case", "effort",
                                           "relative", "themes", "risk"}


@pytest.mark.parametrize("start", PICTURES_AND_MONEY)
def test_pictures_and_money_never_reach_the_store(start: str) -> None:
    graph = import_graph(_package_sources())
    assert start in graph
    assert "cxroi.store" not in reachable(graph, start)
    assert "cxroi.demo" not in reachable(graph, start)


def test_the_package_has_no_circle() -> None:
    graph = import_graph(_package_sources())
    assert cycles(graph) == []
    assert "cxroi.demo" not in reachable(graph, "cxroi.store")  # the store never seeds itself


@pytest.mark.parametrize("path", CXROI_FILES, ids=_ids(CXROI_FILES))
def test_pictures_and_money_import_no_database_driver(path: Path) -> None:
    if not _module_name(path).startswith(PICTURES_AND_MONEY):
        return
    assert db_imports(path.read_text(encoding="utf-8"), _package_of(path)) == []


@pytest.mark.parametrize("path", [p for p in CXROI_FILES if p.parent.name != "store"],
                         ids=_ids([p for p in CXROI_FILES if p.parent.name != "store"]))
def test_sql_lives_in_the_store(path: Path) -> None:
    assert sql_in(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", UI_FILES, ids=_ids(UI_FILES))
def test_the_ui_uses_no_streamlit_internals(path: Path) -> None:
    assert private_streamlit(path.read_text(encoding="utf-8"), _package_of(path)) == []


@pytest.mark.parametrize("path", sorted((ROOT / "ui").glob("*.py")),
                         ids=_ids(sorted((ROOT / "ui").glob("*.py"))))
def test_the_glue_never_imports_a_page(path: Path) -> None:
    assert page_imports(path.read_text(encoding="utf-8"), "ui") == []


def test_pages_hold_page_scripts_only() -> None:
    frame = (ROOT / "app.py").read_text(encoding="utf-8")
    for page in (ROOT / "pages").glob("*.py"):
        assert f'"pages/{page.name}"' in frame, f"{page.name} is not a page of the navigation"


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


def test_private_streamlit_rule_can_fail() -> None:
    assert private_streamlit("from streamlit.runtime.pages_manager import PagesManager") != []
    assert private_streamlit("import streamlit.runtime.scriptrunner") != []
    assert private_streamlit("import streamlit as st\nimport streamlit.components.v1\n") == []


def test_page_rule_can_fail() -> None:
    assert page_imports("from pages import overview") == ["pages.overview"]
    assert page_imports("import app") == ["app"]
    assert page_imports("from ui.state import PERIOD") == []


SMALL = {
    "cxroi": "",
    "cxroi.models": "",
    "cxroi.store": "from cxroi.models import ALL\n",
    "cxroi.demo": "from cxroi.store import Store\n",
    "cxroi.report": "from cxroi.dataset import Dataset\n",
    "cxroi.dataset": "",
    "cxroi.charts": "from cxroi.charts.theme import INK\n",
    "cxroi.charts.theme": "from cxroi import report\n",
}


def test_graph_follows_imports_through_packages() -> None:
    graph = import_graph(SMALL)
    assert reachable(graph, "cxroi.charts.theme") >= {"cxroi.report", "cxroi.dataset"}
    assert "cxroi.store" not in reachable(graph, "cxroi.charts")
    leaky = {**SMALL, "cxroi.dataset": "def f():\n    from cxroi.store import Store\n"}
    assert "cxroi.store" in reachable(import_graph(leaky), "cxroi.charts")


def test_type_checking_imports_do_not_count() -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cxroi.store import Store\n"
    assert "cxroi.store" not in imported_modules(source, "cxroi")
    assert "cxroi.store" in imported_modules("from cxroi.store import Store\n", "cxroi")


def test_cycle_rule_can_fail() -> None:
    assert cycles(import_graph(SMALL)) == []
    circle = {**SMALL, "cxroi.store": "from cxroi.demo import load_demo\n"}
    assert ("cxroi.demo", "cxroi.store") in cycles(import_graph(circle))
