"""The audit trail: every write, recorded in the write's own transaction, append-only."""

from __future__ import annotations

import duckdb

from cxroi.dataset import AuditEntry
from cxroi.store.base import Connection, iso_utc, utc_now

__all__ = ["Audit", "record"]


def record(cur: duckdb.DuckDBPyConnection, who: str, action: str, target: str,
           detail: str = "") -> None:
    """Add one entry inside the open write transaction (it commits or rolls back with it).

    Ids are given here, under the store's write lock, not by a sequence: a shared catalog
    (DuckLake) has no sequences.
    """
    cur.execute(
        "INSERT INTO audit SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ? FROM audit",
        [utc_now(), who or "unknown", action, target, detail])


class Audit(Connection):
    """Reading the trail."""

    def audit(self) -> list[AuditEntry]:
        """Every write, oldest first."""
        with self._cursor() as cur:
            rows = cur.execute("SELECT written_at, who, action, target, detail FROM audit "
                               "ORDER BY id").fetchall()
        return [AuditEntry(iso_utc(r[0]), r[1], r[2], r[3], r[4]) for r in rows]
