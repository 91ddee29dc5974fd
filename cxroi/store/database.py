"""`Store`, the one object the app and the command line hold, and the process's open stores."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb

from cxroi.models import Assumptions
from cxroi.store.audit import record
from cxroi.store.lake import canonical
from cxroi.store.plans import Plans
from cxroi.store.ratings import Ratings
from cxroi.store.reads import Reads
from cxroi.store.roles import Roles
from cxroi.store.scenarios import BASELINE_NOTE, Scenarios, insert_scenario
from cxroi.store.schema import RESETTABLE
from cxroi.store.themes import ThemeReads
from cxroi.store.uploads import Uploads

__all__ = ["DEFAULT_DB", "Store", "open_store", "forget_store"]

DEFAULT_DB = Path(__file__).resolve().parent.parent.parent / "data" / "cxroi.duckdb"


class Store(Uploads, Reads, Scenarios, Ratings, ThemeReads, Plans, Roles):
    """A cxroi database: one DuckDB connection, a cursor per use, serialised writes.

    Each room of the store is a base class in its own module (uploads, reads, scenarios,
    audit, roles); this class adds what spans them.
    """

    def _migrated(self, cur: duckdb.DuckDBPyConnection, version: int) -> None:
        if version == 1:
            insert_scenario(cur, "Baseline", Assumptions(), "cxroi", BASELINE_NOTE)

    def reset(self, *, by: str = "") -> None:
        """Empty the database: the one deliberate deletion (``demo --reset``).

        The audit trail is kept, and records the reset."""
        with self._write() as cur:
            for table in RESETTABLE:
                cur.execute(f"DELETE FROM {table}")  # table names from this fixed list only
            insert_scenario(cur, "Baseline", Assumptions(), "cxroi", BASELINE_NOTE)
            record(cur, by, "reset", "database", "every upload, scenario and setting removed")

    def set_setting(self, key: str, value: str, *, by: str = "") -> None:
        with self._write() as cur:
            cur.execute("DELETE FROM settings WHERE key = ?", [key])  # a lake has no key
            cur.execute("INSERT INTO settings VALUES (?, ?)", [key, value])
            record(cur, by, "setting", f"setting {key}", value)


_OPEN: dict[str, Store] = {}
_OPEN_LOCK = threading.Lock()


def open_store(path: str | Path | None = None, *,
               seed: Callable[[Store], object] | None = None) -> Store:
    """The process's one `Store` for ``path`` (default: ``$CXROI_DB`` or `DEFAULT_DB`).

    ``seed`` fills the default database when it is empty on first use (the app and the CLI
    pass `cxroi.demo.load_demo`); a database named explicitly starts empty.
    """
    chosen = path or os.environ.get("CXROI_DB") or None
    resolved = canonical(chosen) if chosen else str(DEFAULT_DB)  # a lake's is not a file path
    with _OPEN_LOCK:
        if resolved in _OPEN:
            return _OPEN[resolved]
        if chosen is None:
            DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
        store = Store(resolved)
        if seed is not None and chosen is None and store.is_empty():
            seed(store)
        _OPEN[resolved] = store
        return store


def forget_store(path: str | Path) -> None:
    """Close and forget a store opened by `open_store` (tests and ``demo --reset``)."""
    with _OPEN_LOCK:
        key = canonical(path)
        if key not in _OPEN:  # a lake named as its sentences show it (password hidden)
            key = next((k for k, s in _OPEN.items() if s.path == str(path)), key)
        store = _OPEN.pop(key, None)
    if store is not None:
        store.close()
