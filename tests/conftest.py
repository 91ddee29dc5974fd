"""What the whole suite shares: a demo database for AppTest, and no silent skips."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from cxroi.demo import load_demo
from cxroi.store import forget_store, open_store
from ui.loaders import clear_caches

from .lake import db_target, new_lake, postgres  # noqa: F401  (the two backends' fixtures)

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test is not a passing test: any skip turns a green run red."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], Path]]:
    """``use(path)``: run the app (AppTest) on the database at ``path``, with empty caches.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, and a ``pages/``
    folder then makes it run a page without app.py (Streamlit's old multipage mode) on every
    ``switch_page``; a real server turns the flag off once app.py calls ``st.navigation``,
    for good. ``ui.state.ensure_frame`` covers a server's first visit only (a session that
    has never run app.py), so AppTest, which falls back into that mode in a session that
    has, still needs this test-only patch of Streamlit's private class.
    """
    used: list[Path] = []
    original = PagesManager.__init__

    def navigation_only(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", navigation_only)

    def use(path: Path) -> Path:
        monkeypatch.setenv("CXROI_DB", str(path))
        used.append(path)
        st.cache_data.clear()
        clear_caches()
        return path

    yield use
    st.cache_data.clear()
    clear_caches()
    for path in used:
        forget_store(path)


@pytest.fixture
def app_db(tmp_path: Path, app_env: Callable[[Path], Path]) -> Path:
    """The app on a fresh demo database."""
    path = tmp_path / "app.duckdb"
    load_demo(open_store(path))
    forget_store(path)  # the app (and a CLI process) open the file themselves
    return app_env(path)
