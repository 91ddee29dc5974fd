"""The connection: open, migrate, one cursor per use, serialised writes, the data version.

One read-write connection per process and database file; every use takes its own cursor,
so threads never share one. Writes are serialised by a lock and each is one transaction
that also bumps the *data version*, the key every cache uses, so a commit shows at once.
A DuckDB file has one writer process, so the version is also kept in memory (shared by every
`Store` of the file in this process) and reading it costs no query.

The same class opens a DuckLake (``ducklake:...``, `cxroi.store.lake`): several processes
write it at once, so there the data version is the lake's latest snapshot id (read from the
catalog), every write also updates the one ``data_version`` row (two processes' overlapping
writes then conflict, and the later one is rolled back whole), and a write method that loses
such a race is run again, a bounded number of times, before it is refused in one sentence.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import logging
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from cxroi.models import CxroiError
from cxroi.store import lake
from cxroi.store.errors import driver_sentence
from cxroi.store.schema import MIGRATIONS, UNIQUE_KEYS

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
        self._lake = lake.lake_spec(self.path) if lake.is_lake(self.path) else None
        self._idle: list[duckdb.DuckDBPyConnection] = []  # a lake's cursors, kept for reuse
        self._idle_lock = threading.Lock()
        self._thread = threading.local()  # per thread: commits made, a retrying call running
        self._snapshot: tuple[float, int] = (float("-inf"), 0)  # a lake's: (read at, id)
        self._writes = 0  # commits by this store (a snapshot read across one is not kept)
        if self._lake is not None:
            self.path = self._lake.display
            self._database = self._lake.key
            self._con = lake.connect_lake(self._lake)
        else:
            self._open_file()
        try:
            self._migrate()
        except duckdb.Error as exc:
            self.close()
            raise CxroiError(driver_sentence(self.path, exc, "prepared")) from None
        if self._lake is None:
            with self._cursor() as cur:  # on opening, the file's own version is the truth
                version = cur.execute("SELECT version FROM data_version").fetchone()[0]
            with _VERSIONS_LOCK:
                _VERSIONS[self._database] = version

    def _open_file(self) -> None:
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

    @property
    def is_lake(self) -> bool:
        """True on a DuckLake (`cxroi.store.lake`), false on an embedded file."""
        return self._lake is not None

    def close(self) -> None:
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for cur in idle:
            cur.close()
        self._con.close()

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._lake is not None:
            with self._lake_cursor() as cur:
                yield cur
            return
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def _lake_cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own, as on a file, but taken from the idle ones when there are:
        a new cursor must first ``USE lake``, a catalog round trip (1.6 ms on loopback)."""
        with self._idle_lock:
            cur = self._idle.pop() if self._idle else None
        if cur is None:
            cur = self._con.cursor()
            cur.execute(f"USE {lake.LAKE}")
        try:
            yield cur
        except BaseException:
            cur.close()  # its state is unknown: never reused
            raise
        with self._idle_lock:
            if len(self._idle) < _IDLE_CURSORS:
                self._idle.append(cur)
                cur = None
        if cur is not None:
            cur.close()

    @contextmanager
    def _write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One serialised transaction that bumps the data version; rolled back on error.

        On a lake the keys of `UNIQUE_KEYS` are checked before the commit, and a commit that
        loses a race to another process raises `WriteConflict` (the write method reruns)."""
        with self._write_lock, self._cursor() as raw:
            cur = raw if self._lake is None else _Tracked(raw)
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                look = getattr(self._before_commit, "look", None)
                if look is not None:
                    look(cur)  # sees the uncommitted rows; raises to undo them
                if self._lake is None:
                    version = cur.execute("UPDATE data_version SET version = version + 1 "
                                          "RETURNING version").fetchone()[0]
                else:  # DuckLake has no RETURNING; the version is the commit's snapshot
                    cur.execute("UPDATE data_version SET version = version + 1")
                    _check_unique(raw, cur.written)
                cur.execute("COMMIT")
            except BaseException as exc:
                _rollback(cur)
                if self._lake is not None and lake.is_conflict(exc):
                    _log.info("a write to %s lost a race: %s", self.path, exc)
                    raise WriteConflict(driver_sentence(self.path, exc, "written")) from None
                if isinstance(exc, duckdb.Error):
                    raise CxroiError(driver_sentence(self.path, exc, "written")) from None
                raise
            self._thread.commits = getattr(self._thread, "commits", 0) + 1
            self._writes += 1  # this write is a new snapshot: the next read asks the catalog
            self._snapshot = (float("-inf"), 0)
            if self._lake is None:
                _seen_version(self._database, version)

    def _migrate(self) -> None:
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return self._migrate_once()
            except duckdb.Error as exc:  # two processes opening a new lake at once
                if self._lake is None or not lake.is_conflict(exc) or \
                        attempt == WRITE_ATTEMPTS - 1:
                    raise
                _pause(attempt)

    def _migrate_once(self) -> None:
        on_lake = self._lake is not None
        key = "" if on_lake else " PRIMARY KEY"
        with self._write_lock, self._cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                        f"(version INTEGER NOT NULL{key}, applied_at TIMESTAMP NOT NULL)")
            applied = {row[0] for row in cur.execute("SELECT version FROM schema_migrations").fetchall()}
            for version, script in MIGRATIONS:
                if version in applied:
                    continue
                cur.execute("BEGIN TRANSACTION")
                try:
                    if on_lake:  # another process may have just applied it
                        if cur.execute("SELECT count(*) FROM schema_migrations WHERE version = ?",
                                       [version]).fetchone()[0]:
                            cur.execute("COMMIT")
                            continue
                        if applied:  # overlapping migrations conflict on this row
                            cur.execute("UPDATE data_version SET version = version + 1")
                    cur.execute(lake.lake_script(script) if on_lake else script)
                    cur.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, utc_now()])
                    self._migrated(cur, version)
                    cur.execute("COMMIT")
                    applied.add(version)
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

        Read from memory: it costs nothing on every rerun of every page. On a lake it is the
        latest snapshot id, read from the catalog (one query, its answer reused for
        `SNAPSHOT_REUSE_SECONDS`; this process's own writes renew it at once), so every
        process sees the others' commits on its next rerun."""
        if self._lake is not None:
            read_at, version = self._snapshot
            if time.monotonic() - read_at < SNAPSHOT_REUSE_SECONDS:
                return version  # one catalog query per rerun, not one per element
            writes, asked_at = self._writes, time.monotonic()
            with self._cursor() as cur:
                version = cur.execute(lake.SNAPSHOT_SQL).fetchone()[0]
            if writes == self._writes:
                self._snapshot = (asked_at, version)
            return version
        return _VERSIONS[self._database]

    def _version_sql(self) -> str:
        """The query of the data version inside a read's own transaction."""
        return lake.SNAPSHOT_SQL if self._lake is not None else "SELECT version FROM data_version"

    def checkpoint(self) -> None:
        """Write everything to the database file (before a backup copy); on a lake, its
        maintenance (DuckLake's CHECKPOINT: flush, merge and clean up files)."""
        with self._write_lock, self._cursor() as cur:
            cur.execute("CHECKPOINT")

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Every method of a room that opens a write (``self._write()``) is run again when it
        loses a race on a lake: a new room's writes are retried without a decorator."""
        super().__init_subclass__(**kwargs)
        for name, method in list(vars(cls).items()):
            if (inspect.isfunction(method) and not name.startswith("__")
                    and name not in _NOT_RETRIED and "_write" in method.__code__.co_names
                    and not hasattr(method, "__retried__")):
                setattr(cls, name, _retried(method))


SNAPSHOT_REUSE_SECONDS = 0.25
"""How long a lake's snapshot id, once read, stands for its data version: a page rerun asks
several times, and another process's commit shows a quarter of a second later at most."""
WRITE_ATTEMPTS = 4
"""How often a lake write runs before a lost race is refused: once, then three retries."""
_NOT_RETRIED = frozenset({"_write", "_migrate", "_migrate_once", "checkpoint"})
_IDLE_CURSORS = 8


class WriteConflict(CxroiError):
    """A lake write lost a race to another process's commit; nothing of it was stored."""


def _retried(method):
    """Run a write method again (up to `WRITE_ATTEMPTS` times) when it loses a race on a lake.

    Only while none of its own writes has committed yet, and only at the outermost call: the
    method then starts over from fresh reads, so what it checks is checked again."""
    @functools.wraps(method)
    def run(self: Connection, *args: object, **kwargs: object):
        thread = self._thread
        if self._lake is None or getattr(thread, "retrying", False):
            return method(self, *args, **kwargs)
        thread.retrying = True
        try:
            for attempt in range(WRITE_ATTEMPTS):
                committed = getattr(thread, "commits", 0)
                try:
                    return method(self, *args, **kwargs)
                except WriteConflict:
                    if attempt == WRITE_ATTEMPTS - 1 or getattr(thread, "commits", 0) != committed:
                        raise
                    _pause(attempt)
        finally:
            thread.retrying = False

    run.__retried__ = True
    return run


def _pause(attempt: int) -> None:
    """A short wait before a retry, longer each time, jittered so two processes part."""
    time.sleep(0.02 * 2 ** attempt * (1 + random.random()))


class _Tracked:
    """A lake write's cursor: it notes the tables the write inserts into or updates, so only
    their keys are checked before the commit (each check is a scan of the table)."""

    _INSERT = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE)\s+(\w+)", re.I)

    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        self._cur = cur
        self.written: set[str] = set()

    def execute(self, sql: str, *args: object) -> duckdb.DuckDBPyConnection:
        found = self._INSERT.match(sql)
        if found:
            self.written.add(found.group(1).lower())  # names from the store's own SQL
        return self._cur.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._cur, name)


def _check_unique(cur: duckdb.DuckDBPyConnection, written: set[str]) -> None:
    """Refuse, inside the open transaction, a write that would duplicate a key of a table it
    wrote (a lake has no PRIMARY KEY to do it)."""
    keys = {table: key for table, key in UNIQUE_KEYS.items() if table in written}
    clash = cur.execute(lake.unique_sql(keys)).fetchone() if keys else None
    if clash:
        raise CxroiError(f"This write would store two rows with the same key in {clash[0]}; "
                         "nothing was stored. Try again.")


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
