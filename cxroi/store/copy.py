"""Copying a whole database into an empty one: an embedded file into a lake (or back).

Every table, every row, as stored: the uploads with their statuses, the rows with their
``current`` flags, every scenario version, the settings and the whole audit trail. The
source is read in one snapshot; the target is written in one transaction, so a copy is
whole or not there at all.
"""

from __future__ import annotations

import re

from cxroi.models import CxroiError
from cxroi.store.audit import record
from cxroi.store.base import Connection

__all__ = ["copy_store"]

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_BATCH_ROWS = 100_000


def copy_store(source: Connection, target: Connection, *, by: str = "") -> dict[str, int]:
    """Copy every table of ``source`` into ``target``, which must be empty; rows per table.

    Empty means nothing was ever written to it (every write is audited): no audit entry and
    no upload. Both are migrated to the same schema when opened.
    """
    if source._database == target._database:
        raise CxroiError(f"{source.path} cannot be copied into itself; name another target.")
    if source.schema_version() != target.schema_version():
        raise CxroiError(f"{source.path} and {target.path} have different schema versions; "
                         "open both with this cxroi first.")
    copied: dict[str, int] = {}
    with source._cursor() as src:
        src.execute("BEGIN TRANSACTION")  # one snapshot of the source for every table
        try:
            tables = _tables(src)
            with target._write() as cur:
                missing = sorted(set(tables) - set(_tables(cur)))
                if missing:
                    raise CxroiError(f"{target.path} has no table {missing[0]}; it cannot take "
                                     f"a copy of {source.path}.")
                written = cur.execute("SELECT (SELECT count(*) FROM audit) + "
                                      "(SELECT count(*) FROM uploads)").fetchone()[0]
                if written:
                    raise CxroiError(f"{target.path} already holds data; cxroi copies only into "
                                     "an empty database (nothing was copied).")
                for table, columns in tables.items():
                    names = ", ".join(columns)  # names from the source's catalog, checked
                    cur.execute(f"DELETE FROM {table}")  # what its migrations seeded
                    rows = src.execute(f"SELECT {names} FROM {table}")
                    cur.register("copied", rows.to_arrow_reader(_BATCH_ROWS))
                    try:
                        cur.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM copied")
                    finally:
                        cur.unregister("copied")
                    copied[table] = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                total = sum(n for t, n in copied.items() if t != "audit")
                record(cur, by, "copy", f"database {target.path}",
                       f"copied from {source.path}: {total:,} rows in {len(copied)} tables, "
                       f"{copied.get('audit', 0):,} audit entries")
        finally:
            src.execute("COMMIT")
    return copied


def _tables(cur) -> dict[str, list[str]]:
    """The database's tables and their columns in order (names checked: plain identifiers)."""
    found: dict[str, list[str]] = {}
    for table, column in cur.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main' "
            "AND NOT internal ORDER BY table_name, column_index").fetchall():
        if not (_NAME.match(table) and _NAME.match(column)):
            raise CxroiError(f"The table {table!r} has a name cxroi does not copy.")
        found.setdefault(table, []).append(column)
    return found
