"""The DuckDB store: connect, migrate, read, write. All of cxroi's SQL lives here.

One read-write connection per process and database file; every use takes its own cursor,
so threads never share one. Writes are serialised by a lock and each is one transaction
that also bumps the *data version*, the key every cache uses, so a commit shows at once.
A DuckDB file has one writer process, so the version is also kept in memory (shared by every
`Store` of the file in this process) and reading it costs no query.

Uploads are never deleted. Each data row carries a ``current`` flag: a new upload
supersedes earlier rows at the grain of its kind, a rollback restores the latest earlier
rows, and an upload's ``status`` (active, superseded, rolled_back) follows from its rows.
Values are always bound; table names come only from the `GRAINS` allow-list.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from cxroi.dataset import (
    BenchmarkRecord,
    Dataset,
    EffortRecord,
    MetricRecord,
    Upload,
    UploadPreview,
)
from cxroi.models import ALL, Assumptions, CxroiError, Scenario, UploadMeta

__all__ = [
    "DEFAULT_DB",
    "GRAINS",
    "COLUMNS",
    "Store",
    "open_store",
    "forget_store",
]

_log = logging.getLogger(__name__)

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "cxroi.duckdb"

GRAINS: dict[str, tuple[str, ...]] = {
    "metrics": ("period", "segment", "metric"),
    "effort": ("period", "department"),
    "benchmarks": ("metric", "kind"),
}
"""Each kind's table and the columns at which a new upload supersedes older rows."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "metrics": ("period", "segment", "metric", "value", "unit", "higher_is_better"),
    "effort": ("period", "department", "tier", "hours", "budget", "loop"),
    "benchmarks": ("metric", "kind", "value", "unit", "source", "as_of"),
}
"""The stored columns of each kind, after ``upload_id`` and ``row_no``."""

_MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
        CREATE SEQUENCE upload_ids START 1;
        CREATE TABLE uploads (
            id INTEGER PRIMARY KEY DEFAULT nextval('upload_ids'),
            kind VARCHAR NOT NULL CHECK (kind IN ('metrics', 'effort', 'benchmarks')),
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            uploaded_at TIMESTAMP NOT NULL,
            uploaded_by VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            scope VARCHAR NOT NULL,
            row_count INTEGER NOT NULL,
            demo BOOLEAN NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('active', 'superseded', 'rolled_back')),
            rolled_back_at TIMESTAMP
        );
        CREATE TABLE metrics (
            upload_id INTEGER NOT NULL, row_no INTEGER NOT NULL,
            period VARCHAR NOT NULL, segment VARCHAR NOT NULL, metric VARCHAR NOT NULL,
            value DOUBLE NOT NULL, unit VARCHAR NOT NULL, higher_is_better BOOLEAN NOT NULL,
            current BOOLEAN NOT NULL,
            company_wide BOOLEAN NOT NULL  -- segment = 'All', kept so reads group on a flag
        );
        CREATE TABLE metric_info (  -- one unit and direction per metric, the latest upload's
            metric VARCHAR PRIMARY KEY, unit VARCHAR NOT NULL, higher_is_better BOOLEAN NOT NULL
        );
        CREATE TABLE current_segments (  -- derived on every metrics write, for fast reads
            segment VARCHAR PRIMARY KEY
        );
        CREATE TABLE effort (
            upload_id INTEGER NOT NULL, row_no INTEGER NOT NULL,
            period VARCHAR NOT NULL, department VARCHAR NOT NULL, tier VARCHAR NOT NULL,
            hours DOUBLE NOT NULL, budget DOUBLE, loop VARCHAR,
            current BOOLEAN NOT NULL
        );
        CREATE TABLE benchmarks (
            upload_id INTEGER NOT NULL, row_no INTEGER NOT NULL,
            metric VARCHAR NOT NULL, kind VARCHAR NOT NULL, value DOUBLE NOT NULL,
            unit VARCHAR NOT NULL, source VARCHAR NOT NULL, as_of VARCHAR NOT NULL,
            current BOOLEAN NOT NULL
        );
        CREATE TABLE scenarios (
            name VARCHAR NOT NULL, version INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL, note VARCHAR NOT NULL,
            assumptions VARCHAR NOT NULL,
            PRIMARY KEY (name, version)
        );
        CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
        CREATE TABLE data_version (version BIGINT NOT NULL);
        INSERT INTO data_version VALUES (0);
    """),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC for a naive UTC timestamp from the database."""
    return None if moment is None else moment.replace(tzinfo=dt.UTC).isoformat()


_DRIVER_ERRORS: tuple[tuple[type[duckdb.Error], re.Pattern[str], str], ...] = (
    (duckdb.IOException, re.compile(r"^IO Error: Could not set lock on file"),
     "The database {path} is in use by another program{who}; stop the app or the other "
     "command using it, then try again."),
    (duckdb.IOException, re.compile(r"^IO Error: (Corrupt database file|The file .* exists, "
                                    r"but it is not a valid DuckDB database file)"),
     "The database {path} is damaged (its contents do not check out); restore it from a backup "
     "(docs/operations.md)."),
    (duckdb.Error, re.compile(r"^\w+ Error: Trying to read a database file with version number"),
     "The database {path} was written by a newer DuckDB than this cxroi reads; open it with "
     "the cxroi that made it."),
    (duckdb.Error, re.compile(r"No space left on device|\(errno 28\)|disk is full", re.I),
     "The disk holding the database {path} is full; nothing was stored. Free some space, then "
     "try again."),
    (duckdb.Error, re.compile(r"^\w+ Error: (Cannot open database .* in read-only mode|"
                              r"Cannot open file .*: (Permission denied|Read-only file system))"
                              r"|Permission denied|Read-only file system"),
     "The database {path} is read-only; cxroi needs to write to it (check the file's and its "
     "folder's permissions)."),
)
"""Driver errors by type and the start of DuckDB's message, each with its own sentence.

DuckDB's Python exceptions carry no error code, so the message is matched at its start
(``IO Error: Could not set lock``), never by a loose substring ("block" holds "lock")."""


def driver_sentence(path: str, error: duckdb.Error, doing: str) -> str:
    """One plain sentence for a DuckDB error while ``doing`` something (the cause is logged).

    >>> driver_sentence("x.duckdb", duckdb.IOException(
    ...     "IO Error: Corrupt database file: computed checksum 1 does not match stored "
    ...     "checksum 2 in block at location 0"), "opened")
    'The database x.duckdb is damaged (its contents do not check out); restore it from a backup (docs/operations.md).'
    """
    text = str(error).strip()
    _log.warning("database %s could not be %s: %s", path, doing, text)
    for kind, pattern, sentence in _DRIVER_ERRORS:
        if isinstance(error, kind) and pattern.search(text):
            pid = re.search(r"\(PID (\d+)\)", text)
            return sentence.format(path=path, who=f" (process {pid.group(1)})" if pid else "")
    return f"The database {path} could not be {doing}; nothing was changed."


class Store:
    """A cxroi database: one DuckDB connection, a cursor per use, serialised writes."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._write_lock = threading.RLock()
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

    # --- plumbing ------------------------------------------------------------------------

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
            for version, script in _MIGRATIONS:
                if version in applied:
                    continue
                cur.execute("BEGIN TRANSACTION")
                try:
                    cur.execute(script)
                    cur.execute("INSERT INTO schema_migrations VALUES (?, ?)", [version, _now()])
                    if version == 1:
                        _insert_scenario(cur, "Baseline", Assumptions(), "cxroi",
                                         "The illustrative defaults.")
                    cur.execute("COMMIT")
                except BaseException:
                    _rollback(cur)
                    raise

    def schema_version(self) -> int:
        with self._cursor() as cur:
            return cur.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]

    def data_version(self) -> int:
        """A number that changes on every write: the key of every cache of this store.

        Read from memory: it costs nothing on every rerun of every page."""
        return _VERSIONS[self._database]

    def is_empty(self) -> bool:
        """True when nothing has ever been uploaded (scenarios do not count)."""
        with self._cursor() as cur:
            return cur.execute("SELECT count(*) FROM uploads").fetchone()[0] == 0

    def checkpoint(self) -> None:
        """Write everything to the database file (before a backup copy)."""
        with self._write_lock, self._cursor() as cur:
            cur.execute("CHECKPOINT")

    def reset(self) -> None:
        """Empty the database: the one deliberate deletion (``demo --reset``)."""
        with self._write() as cur:
            for table in ("metrics", "metric_info", "current_segments", "effort", "benchmarks", "uploads", "scenarios",
                          "settings"):
                cur.execute(f"DELETE FROM {table}")  # table names from this fixed list only
            _insert_scenario(cur, "Baseline", Assumptions(), "cxroi", "The illustrative defaults.")

    # --- settings ------------------------------------------------------------------------

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as cur:
            cur.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, value])

    # --- uploads -------------------------------------------------------------------------

    def preview(self, kind: str, rows: pd.DataFrame) -> UploadPreview:
        """What committing ``rows`` (ingest's canonical frame) would change."""
        grain = _grain(kind)
        keys, on = ", ".join(grain), _match("t", "n", grain)
        with self._cursor() as cur:
            cur.register("incoming", _arrow(rows))
            try:
                superseded = cur.execute(
                    f"SELECT count(*), list(DISTINCT t.upload_id ORDER BY t.upload_id) "
                    f"FROM {kind} t SEMI JOIN (SELECT DISTINCT {keys} FROM incoming) n ON {on} "
                    "WHERE t.current").fetchone()
                new_periods: list[str] = []
                if "period" in rows.columns:
                    new_periods = [r[0] for r in cur.execute(
                        "SELECT DISTINCT period FROM incoming WHERE period NOT IN "
                        "(SELECT period FROM metrics WHERE current UNION "
                        " SELECT period FROM effort WHERE current) ORDER BY period").fetchall()]
            finally:
                cur.unregister("incoming")
        return UploadPreview(kind, len(rows), tuple(new_periods), superseded[0],
                             tuple(superseded[1] or ()))

    def commit_upload(self, meta: UploadMeta, rows: pd.DataFrame) -> Upload:
        """Store one validated upload in one transaction; earlier rows at its grain step aside.

        ``rows`` is ingest's canonical frame: a ``row`` column (the spreadsheet row number)
        and the kind's `COLUMNS`.
        """
        kind = meta.kind
        grain = _grain(kind)
        if rows.empty:
            raise CxroiError("An upload needs at least one data row.")
        missing = [c for c in ("row", *COLUMNS[kind]) if c not in rows.columns]
        if missing:
            raise CxroiError(f"The rows lack the column(s) {', '.join(missing)}.")
        columns, on = ", ".join(COLUMNS[kind]), _match("t", "n", grain)
        with self._write() as cur:
            upload_id = cur.execute(
                "INSERT INTO uploads (kind, file_name, sha256, uploaded_at, uploaded_by, source, "
                "scope, row_count, demo, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active') "
                "RETURNING id",
                [kind, meta.file_name, meta.sha256, _now(), meta.uploaded_by, meta.source,
                 meta.scope, len(rows), meta.demo]).fetchone()[0]
            cur.register("incoming", _arrow(rows))
            try:
                cur.execute(
                    f"UPDATE {kind} t SET current = false WHERE t.current "
                    f"AND EXISTS (SELECT 1 FROM incoming n WHERE {on})")
                extra = ", company_wide" if kind == "metrics" else ""
                flag = ", segment = $all" if kind == "metrics" else ""
                cur.execute(
                    f"INSERT INTO {kind} (upload_id, row_no, {columns}, current{extra}) "
                    f"SELECT $id, row, {columns}, true{flag} FROM incoming",
                    {"id": upload_id, **({"all": ALL} if kind == "metrics" else {})})
                if kind == "metrics":
                    _check_units(cur)
                    cur.execute(
                        "INSERT OR REPLACE INTO metric_info SELECT metric, any_value(unit), "
                        "bool_or(higher_is_better) FROM incoming GROUP BY metric")
            finally:
                cur.unregister("incoming")
            _refresh_status(cur, kind)
            return _uploads(cur, "WHERE id = ?", [upload_id])[0]

    def uploads(self) -> list[Upload]:
        """The upload history, newest first."""
        with self._cursor() as cur:
            return _uploads(cur, "", [])

    def upload(self, upload_id: int) -> Upload:
        with self._cursor() as cur:
            found = _uploads(cur, "WHERE id = ?", [upload_id])
        if not found:
            raise CxroiError(f"There is no upload {upload_id}.")
        return found[0]

    def active_upload_with_hash(self, sha256: str) -> Upload | None:
        """The active upload of the same file, if any (the same file uploaded twice)."""
        with self._cursor() as cur:
            found = _uploads(cur, "WHERE sha256 = ? AND status = 'active'", [sha256])
        return found[0] if found else None

    def rollback(self, upload_id: int, *, seen_status: str | None = None) -> Upload:
        """Undo an upload: its rows step aside and the latest earlier rows come back.

        ``seen_status`` is the status the person saw when they chose this upload: if another
        session has changed it since, nothing is rolled back and the sentence says so.
        """
        with self._write() as cur:
            found = _uploads(cur, "WHERE id = ?", [upload_id])
            if not found:
                raise CxroiError(f"There is no upload {upload_id}.")
            if seen_status is not None and found[0].status != seen_status:
                raise CxroiError(f"Upload {upload_id} ({found[0].file}) is now {found[0].status}, "
                                 f"not {seen_status} as shown; nothing was rolled back. Look at "
                                 "the history again.")
            if found[0].status == "rolled_back":
                raise CxroiError(f"Upload {upload_id} is already rolled back.")
            kind = found[0].kind
            grain = _grain(kind)
            cur.execute("UPDATE uploads SET status = 'rolled_back', rolled_back_at = ? WHERE id = ?",
                        [_now(), upload_id])
            cur.execute(
                f"UPDATE {kind} t SET current = coalesce(t.upload_id = w.latest, false) FROM ("
                f"  SELECT {_cols('x', grain)}, "
                f"         max(x.upload_id) FILTER (WHERE u.status <> 'rolled_back') AS latest"
                f"  FROM {kind} x JOIN uploads u ON u.id = x.upload_id"
                f"  SEMI JOIN (SELECT DISTINCT {_cols('y', grain)} FROM {kind} y"
                f"             WHERE y.upload_id = ?) k ON {_match('x', 'k', grain)}"
                f"  GROUP BY ALL) w WHERE {_match('t', 'w', grain)}",
                [upload_id])
            _refresh_status(cur, kind)
            return _uploads(cur, "WHERE id = ?", [upload_id])[0]

    # --- reads ---------------------------------------------------------------------------

    def dataset(self, segment: str = ALL) -> Dataset:
        """Everything a report needs for ``segment``, read in one snapshot.

        For ``All``: the uploaded ``All`` row where there is one, else the sum over segments
        of count, money and hours metrics; percent metrics are never summed.
        """
        with self._cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                version = cur.execute("SELECT version FROM data_version").fetchone()[0]
                metrics, metric_periods = _metric_records(cur, segment)
                segments = tuple(r[0] for r in cur.execute(
                    "SELECT segment FROM current_segments ORDER BY segment").fetchall())
                effort = tuple(EffortRecord(*r) for r in cur.execute(
                    "SELECT period, department, tier, loop, sum(hours) FROM effort WHERE current "
                    "GROUP BY ALL ORDER BY ALL").fetchall())
                benchmarks = tuple(BenchmarkRecord(*r) for r in cur.execute(
                    "SELECT metric, kind, value, unit, source, as_of FROM benchmarks "
                    "WHERE current ORDER BY metric, kind").fetchall())
                sources: dict[str, list[tuple[str, str]]] = {k: [] for k in GRAINS}
                demo = False
                for kind, source, scope, is_demo in cur.execute(
                        "SELECT kind, source, scope, demo FROM uploads WHERE status = 'active' "
                        "GROUP BY ALL ORDER BY min(id)").fetchall():
                    sources[kind].append((source, scope))
                    demo = demo or is_demo
                company = cur.execute(
                    "SELECT value FROM settings WHERE key = 'company'").fetchone()
            finally:
                cur.execute("COMMIT")
        periods = sorted({*metric_periods, *(e.period for e in effort)})
        return Dataset(version, segment, tuple(periods), metrics, effort, benchmarks, segments,
                       {k: tuple(v) for k, v in sources.items()}, demo,
                       company[0] if company else "")

    def segments(self) -> list[str]:
        """Segment names with current metrics, ``All`` first."""
        with self._cursor() as cur:
            names = [r[0] for r in cur.execute(
                "SELECT segment FROM current_segments ORDER BY segment").fetchall()]
        return [ALL, *names]

    def row_counts(self) -> dict[str, int]:
        """Stored rows per kind, current or not (nothing is ever deleted)."""
        with self._cursor() as cur:
            return {kind: cur.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]
                    for kind in GRAINS}

    # --- scenarios -----------------------------------------------------------------------

    def save_scenario(self, name: str, assumptions: Assumptions, *, note: str = "",
                      by: str = "") -> Scenario:
        """Save ``assumptions`` as the next version of scenario ``name`` (never overwrites)."""
        name = name.strip()
        if not name:
            raise CxroiError("A scenario needs a name.")
        if len(name) > 10_000:
            raise CxroiError("A scenario name has at most 10,000 characters.")
        if re.search(r"@\d+$", name):
            raise CxroiError(f"A scenario name cannot end in @ and a number ({name}): that is "
                             "how a version is written, as in Baseline@2.")
        with self._write() as cur:
            version = _insert_scenario(cur, name, assumptions, by, note)
        return self.scenario(name, version)

    def scenarios(self) -> list[Scenario]:
        """Every version of every scenario: Baseline first, then by name; newest version first."""
        with self._cursor() as cur:
            rows = cur.execute(
                "SELECT name, version, created_at, created_by, note, assumptions FROM scenarios "
                "ORDER BY name <> 'Baseline', name, version DESC").fetchall()
        return [_scenario(row) for row in rows]

    def scenario(self, name: str, version: int | None = None) -> Scenario:
        """One scenario version; the latest when ``version`` is none."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT name, version, created_at, created_by, note, assumptions FROM scenarios "
                "WHERE name = ? AND (? IS NULL OR version = ?) ORDER BY version DESC LIMIT 1",
                [name, version, version]).fetchone()
        if row is None:
            which = name if version is None else f"{name}@{version}"
            raise CxroiError(f"There is no scenario {which}.")
        return _scenario(row)


def _create_database(path: str) -> None:
    """Create a new database file in DuckDB's current storage format: it writes strings
    with DICT_FSST, a quarter faster than the 0.10-compatible default (docs/decisions.md).
    A file keeps the format it was created with; connections need no option for it."""
    duckdb.connect(path, config={"storage_compatibility_version": "latest"}).close()


_VERSIONS: dict[str, int] = {}
"""The data version of each database opened in this process (see `Store.data_version`)."""
_VERSIONS_LOCK = threading.Lock()


def _seen_version(database: str, version: int) -> None:
    """Record a committed data version; it only grows (two threads' commits may race here)."""
    with _VERSIONS_LOCK:
        _VERSIONS[database] = max(version, _VERSIONS.get(database, version))


def _arrow(rows: pd.DataFrame) -> pa.Table:
    """The rows as an Arrow table: DuckDB scans it zero-copy, ten times faster than pandas."""
    return pa.Table.from_pandas(rows, preserve_index=False)


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction; a failed write may already have ended it (a full disk
    does), and the rollback's own complaint must never hide the write's real cause."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error as exc:
        _log.info("rollback after a failed write: %s", exc)


def _grain(kind: str) -> tuple[str, ...]:
    try:
        return GRAINS[kind]
    except KeyError:
        raise CxroiError(f"kind must be metrics, effort or benchmarks (got {kind!r})") from None


def _cols(alias: str, columns: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{c}" for c in columns)


def _match(left: str, right: str, columns: tuple[str, ...]) -> str:
    return " AND ".join(f"{left}.{c} = {right}.{c}" for c in columns)


def _check_units(cur: duckdb.DuckDBPyConnection) -> None:
    """A metric keeps one unit: refuse an upload that gives a stored metric another one."""
    clash = cur.execute(
        "SELECT i.metric, i.unit, n.unit FROM metric_info i "
        "JOIN (SELECT DISTINCT metric, unit FROM incoming) n ON n.metric = i.metric "
        "WHERE n.unit <> i.unit ORDER BY i.metric LIMIT 1").fetchone()
    if clash:
        metric, stored, given = clash
        raise CxroiError(f"metric {metric} is stored in unit {stored}, but this file gives "
                         f"{given}; use a new metric name or the stored unit.")


def _refresh_status(cur: duckdb.DuckDBPyConnection, kind: str) -> None:
    """An upload is active while any of its rows is current, else superseded.

    Also rebuilds ``current_segments``, the derived list of segments with current metrics.
    """
    if kind == "metrics":
        cur.execute("DELETE FROM current_segments")
        cur.execute("INSERT INTO current_segments SELECT DISTINCT segment FROM metrics "
                    "WHERE current AND NOT company_wide")
    cur.execute(
        f"UPDATE uploads SET status = CASE WHEN id IN "
        f"(SELECT DISTINCT upload_id FROM {kind} WHERE current) THEN 'active' ELSE 'superseded' END "
        "WHERE kind = ? AND status <> 'rolled_back'", [kind])


def _uploads(cur: duckdb.DuckDBPyConnection, where: str, params: list[object]) -> list[Upload]:
    rows = cur.execute(
        "SELECT id, kind, file_name, sha256, uploaded_at, uploaded_by, source, scope, row_count, "
        f"status, demo FROM uploads {where} ORDER BY id DESC", params).fetchall()
    return [Upload(r[0], r[1], r[2], r[3], _iso(r[4]), r[5], r[6], r[7], r[8], r[9], r[10])
            for r in rows]


def _metric_records(
    cur: duckdb.DuckDBPyConnection, segment: str
) -> tuple[tuple[MetricRecord, ...], list[str]]:
    """The segment's metric values, and every period with any current metric.

    One pass over the table: per (period, metric), the uploaded ``All`` row and the sum over
    segments; the rule then picks between them on that small result. A metric's unit and
    direction come from ``metric_info``.
    """
    which = "" if segment == ALL else "AND segment = $segment"  # a fixed string, never user text
    rows = cur.execute(f"""
        WITH parts AS MATERIALIZED (
            SELECT period, metric, company_wide, sum(value) AS value, count(*) AS segments
            FROM metrics
            WHERE current {which}
            GROUP BY period, metric, company_wide
        )
        SELECT p.period, p.metric, i.unit, p.value, i.higher_is_better,
               CASE WHEN p.company_wide THEN 1 ELSE p.segments END,
               CASE WHEN $segment <> $all OR p.company_wide THEN true
                    ELSE i.unit <> 'percent' AND NOT EXISTS (
                        SELECT 1 FROM parts a
                        WHERE a.company_wide AND a.period = p.period AND a.metric = p.metric)
               END AS chosen
        FROM parts p JOIN metric_info i ON i.metric = p.metric
        ORDER BY p.period, p.metric
    """, {"all": ALL, "segment": segment}).fetchall()
    periods = sorted({r[0] for r in rows})
    if segment != ALL:
        periods = [r[0] for r in cur.execute(
            "SELECT DISTINCT period FROM metrics WHERE current").fetchall()]
    return tuple(MetricRecord(*r[:6]) for r in rows if r[6]), periods


def _insert_scenario(cur: duckdb.DuckDBPyConnection, name: str, assumptions: Assumptions,
                     by: str, note: str) -> int:
    version = cur.execute("SELECT coalesce(max(version), 0) + 1 FROM scenarios WHERE name = ?",
                          [name]).fetchone()[0]
    cur.execute("INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?)",
                [name, version, _now(), by, note, assumptions.model_dump_json()])
    return version


def _scenario(row: tuple) -> Scenario:
    name, version, created_at, created_by, note, assumptions = row
    return Scenario(name=name, version=version, created_at=created_at.replace(tzinfo=dt.UTC),
                    created_by=created_by, note=note,
                    assumptions=Assumptions.model_validate(json.loads(assumptions)))


_OPEN: dict[str, Store] = {}
_OPEN_LOCK = threading.Lock()


def open_store(path: str | Path | None = None, *,
               seed: Callable[[Store], object] | None = None) -> Store:
    """The process's one `Store` for ``path`` (default: ``$CXROI_DB`` or `DEFAULT_DB`).

    ``seed`` fills the default database when it is empty on first use (the app and the CLI
    pass `cxroi.demo.load_demo`); a database named explicitly starts empty.
    """
    chosen = path or os.environ.get("CXROI_DB") or None
    resolved = str(Path(chosen).resolve()) if chosen else str(DEFAULT_DB)
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
        store = _OPEN.pop(str(Path(path).resolve()), None)
    if store is not None:
        store.close()
