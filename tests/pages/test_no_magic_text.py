"""No page shows a stray string: Streamlit's "magic" renders any bare string statement of a
page script (outside functions) as markdown, as happened to a comment written as a string."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py")])


def bare_strings(source: str) -> list[int]:
    """Line numbers of string statements magic would render (the module docstring aside)."""
    tree = ast.parse(source)
    found: list[int] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str):
                found.append(node.lineno)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue  # magic leaves function and class bodies alone
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(node, field, None)
                    if isinstance(inner, list):
                        visit([n for n in inner if isinstance(n, ast.stmt)]
                              + [s for h in inner if isinstance(h, ast.ExceptHandler)
                                 for s in h.body])

    visit(tree.body[1:] if ast.get_docstring(tree) else tree.body)
    return found


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_no_page_has_a_bare_string(path: Path) -> None:
    assert bare_strings(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_one() -> None:
    source = '"""Doc."""\nX = 1\n"""Shown by magic."""\nwith a:\n    "also shown"\n' \
             'def f():\n    """Not shown."""\n'
    assert bare_strings(source) == [3, 5]
