"""The connection: open, migrate, one cursor per use, serialised writes, the data version.

One read-write connection per process and database file; every use takes its own cursor,
so threads never share one. Writes are serialised by a lock and each is one transaction
that also bumps the *data version*, the key every cache uses, so a commit shows at once.
A DuckDB file has one writer process, so the version is also kept in memory (shared by every
`Store` of the file in this process) and reading it costs no query.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from cxroi.models import CxroiError
from cxroi.store.errors import driver_sentence
from cxroi.store.schema import MIGRATIONS

__all__ = ["Connection", "utc_now", "iso_utc", "arrow"]

_log = logging.getLogger("cxroi.store")


def utc_now() -> dt.datetime:
    """Now, in UTC, to the second, as the database stores it (naive)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def iso_utc(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC for a naive UTC timestamp from the database."""
    return None if moment is None else moment.replace(tzinfo=dt.UTC).isoformat()


def arrow(rows: pd.DataFrame) -> pa.Table:
    """The rows as an Arrow table: DuckDB scans it zero-copy, ten times faster than pandas."""
    return pa.Table.from_pandas(rows, preserve_index=False)


class Connection:
    """One DuckDB database: a connection, a cursor per use, serialised writes."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._write_lock = threading.RLock()
        self._before_commit = threading.local()  # `Uploads.what_if` reads, then undoes
        in_memory = self.path == ":memory:"
        # every in-memory database is its own; a file is one database however often opened
        self._database = f":memory:{id(self)}" if in_memory else str(Path(self.path).resolve())
        if not in_memory and not Path(self._database).parent.is_dir():
            raise CxroiError(f"The folder {Path(self._database).parent} for the database does "
                             "not exist.")
        try:
            if not in_memory and not Path(self._database).exists():
                _create_database(self.path)
            self._con = duckdb.connect(self.path)
        except duckdb.Error as exc:
            raise CxroiError(driver_sentence(self.path, exc, "opened")) from None
        try:
            self._migrate()
        except duckdb.Error as exc:
            self._con.close()
            raise CxroiError(driver_sentence(self.path, exc, "prepared")) from None
        with self._cursor() as cur:  # on opening, the file's own version is the truth
            version = cur.execute("SELECT version FROM data_version").fetchone()[0]
        with _VERSIONS_LOCK:
            _VERSIONS[self._database] = version

    def close(self) -> None:
        self._con.close()

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def _write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One serialised transaction that bumps the data version; rolled back on error."""
        with self._write_lock, self._cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                look = getattr(self._before_commit, "look", None)
                if look is not None:
                    look(cur)  # sees the uncommitted rows; raises to undo them
                version = cur.execute("UPDATE data_version SET version = version + 1 "
                                      "RETURNING version").fetchone()[0]
                cur.execute("COMMIT")
            except BaseException as exc:
                _rollback(cur)
                if isinstance(exc, duckdb.Error):
                    raise CxroiError(driver_sentence(self.path, exc, "written")) from None
                raise
            _seen_version(self._database, version)

    def _migrate(self) -> None:
        with self._write_lock, self._cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                        "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
            applied = {row[0] for row in cur.execute("SELECT version FROM schema_migrations").fetchall()}
            for version, script in MIGRATIONS:
                if version in applied:
                    continue
                cur.execute("BEGIN TRANSACTION")
                try:
                    cur.execute(script)
                    cur.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, utc_now()])
                    self._migrated(cur, version)
                    cur.execute("COMMIT")
                except BaseException:
                    _rollback(cur)
                    raise

    def _migrated(self, cur: duckdb.DuckDBPyConnection, version: int) -> None:
        """Data a migration brings (a subclass seeds what its tables need)."""

    def schema_version(self) -> int:
        with self._cursor() as cur:
            return cur.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]

    def data_version(self) -> int:
        """A number that changes on every write: the key of every cache of this store.

        Read from memory: it costs nothing on every rerun of every page."""
        return _VERSIONS[self._database]

    def checkpoint(self) -> None:
        """Write everything to the database file (before a backup copy)."""
        with self._write_lock, self._cursor() as cur:
            cur.execute("CHECKPOINT")


def _create_database(path: str) -> None:
    """Create a new database file in DuckDB's current storage format: it writes strings
    with DICT_FSST, a quarter faster than the 0.10-compatible default (docs/decisions.md).
    A file keeps the format it was created with; connections need no option for it."""
    duckdb.connect(path, config={"storage_compatibility_version": "latest"}).close()


_VERSIONS: dict[str, int] = {}
"""The data version of each database opened in this process (see `Connection.data_version`)."""
_VERSIONS_LOCK = threading.Lock()


def _seen_version(database: str, version: int) -> None:
    """Record a committed data version; it only grows (two threads' commits may race here)."""
    with _VERSIONS_LOCK:
        _VERSIONS[database] = max(version, _VERSIONS.get(database, version))


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction; a failed write may already have ended it (a full disk
    does), and the rollback's own complaint must never hide the write's real cause."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error as exc:
        _log.info("rollback after a failed write: %s", exc)
