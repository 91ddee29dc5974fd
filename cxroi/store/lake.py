"""DuckLake, the shared store: a catalog in PostgreSQL (or one file), the data as Parquet files.

``CXROI_DB=ducklake:postgres:<libpq connection string>`` with ``CXROI_LAKE_DATA=<folder>``,
or ``CXROI_DB=ducklake:PATH.ducklake`` (a one-process catalog file; its data files sit
beside it in ``PATH.ducklake.files/`` unless ``CXROI_LAKE_DATA`` names a folder). The lake
is attached to an in-memory DuckDB as ``lake`` and made every cursor's default, so every
query of the store runs on it unchanged.

The extensions load from their pinned PyPI wheels' folders (``duckdb-extension-ducklake``,
``-postgres-scanner``, ``-parquet``), with DuckDB's autoinstall and autoload off: nothing is
ever downloaded at run time.

DuckLake has no primary keys, UNIQUE, CHECK, indexes or sequences: `lake_script` derives a
migration's DDL for the lake by dropping those clauses, and the store checks the keys of
`UNIQUE_KEYS` inside each write instead (`unique_sql`).
"""

from __future__ import annotations

import importlib.util
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cxroi.models import CxroiError
from cxroi.store.errors import driver_sentence

__all__ = ["LAKE", "LakeSpec", "is_lake", "lake_spec", "canonical", "connect_lake",
           "lake_script", "unique_sql", "SNAPSHOT_SQL", "is_conflict"]

PREFIX = "ducklake:"
LAKE = "lake"
"""The name the lake is attached under (every cursor USEs it)."""

SNAPSHOT_SQL = f"SELECT id FROM ducklake_current_snapshot('{LAKE}')"
"""The lake's latest snapshot id: its data version (one catalog query, ~2 ms on loopback)."""

_EXTENSIONS = (  # (extension, the wheel's package), in loading order
    ("parquet", "duckdb_extension_parquet", "duckdb-extension-parquet"),
    ("postgres_scanner", "duckdb_extension_postgres_scanner", "duckdb-extension-postgres-scanner"),
    ("ducklake", "duckdb_extension_ducklake", "duckdb-extension-ducklake"),
)


@dataclass(frozen=True)
class LakeSpec:
    """A parsed ``ducklake:`` target."""

    catalog: str  # what follows ``ducklake:``: ``postgres:<libpq>`` or an absolute file path
    data_path: str  # the folder of the data files, ending in ``/``

    @property
    def postgres(self) -> bool:
        return self.catalog.startswith("postgres:")

    @property
    def key(self) -> str:
        """The target in one canonical spelling (the process's open stores are keyed by it)."""
        return PREFIX + self.catalog

    @property
    def display(self) -> str:
        """How sentences name the lake: a password in the connection string is never shown."""
        return PREFIX + _without_password(self.catalog)


def _without_password(text: str) -> str:
    """The text with any libpq or URI password replaced by ``***``.

    >>> _without_password("postgres:host=db password='a b' user=x")
    'postgres:host=db password=*** user=x'
    """
    text = re.sub(r"(password\s*=\s*)('[^']*'|[^\s'\"]+)", r"\1***", text, flags=re.I)
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


def is_lake(target: str | os.PathLike[str]) -> bool:
    return str(target).startswith(PREFIX)


def lake_spec(target: str, environ: Mapping[str, str] | None = None) -> LakeSpec:
    """Parse a ``ducklake:`` target (``CXROI_LAKE_DATA`` from ``environ``, default the process's).

    >>> spec = lake_spec("ducklake:postgres:dbname=cxroi host=db password=s3cret",
    ...                  {"CXROI_LAKE_DATA": "/srv/lake"})
    >>> spec.data_path, spec.display
    ('/srv/lake/', 'ducklake:postgres:dbname=cxroi host=db password=***')
    >>> lake_spec("ducklake:/srv/try.ducklake", {}).data_path
    '/srv/try.ducklake.files/'
    """
    environ = os.environ if environ is None else environ
    catalog = str(target)[len(PREFIX):].strip()
    data = (environ.get("CXROI_LAKE_DATA") or "").strip()
    if catalog.startswith("postgres:"):
        if not catalog[len("postgres:"):].strip():
            raise CxroiError("ducklake:postgres: needs a PostgreSQL connection string after it, "
                             "as in ducklake:postgres:dbname=cxroi host=db.internal user=cxroi.")
        if not data:
            raise CxroiError("A lake with a PostgreSQL catalog needs CXROI_LAKE_DATA, the folder "
                             "its data files are kept in (shared by every app process).")
    else:
        if not catalog:
            raise CxroiError("ducklake: needs a catalog after it: ducklake:PATH.ducklake or "
                             "ducklake:postgres:<connection string>.")
        catalog = str(Path(catalog).expanduser().resolve())
        data = data or catalog + ".files"
    if "://" not in data:
        data = str(Path(data).expanduser().resolve())
    return LakeSpec(catalog, data.rstrip("/") + "/")


def canonical(target: str | os.PathLike[str]) -> str:
    """A database target in one spelling: a lake's key, or a file's resolved path."""
    if is_lake(target):
        return lake_spec(str(target)).key
    return str(Path(target).resolve())


def extension_file(name: str, package: str) -> Path | None:
    """The ``.duckdb_extension`` file a wheel installed for this DuckDB, if it is there."""
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        return None
    for folder in found.submodule_search_locations:
        path = Path(folder) / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
        if path.is_file():
            return path
    return None


def connect_lake(spec: LakeSpec) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as ``lake`` and in use; one sentence if not."""
    if not spec.postgres and not Path(spec.catalog).parent.is_dir():
        raise CxroiError(f"The folder {Path(spec.catalog).parent} for the lake's catalog does "
                         "not exist.")
    if "://" not in spec.data_path:
        data = Path(spec.data_path)
        if spec.postgres and not data.is_dir():
            raise CxroiError(f"The lake's data folder {data} (CXROI_LAKE_DATA) does not exist; "
                             "create it (shared by every app process), then try again.")
        if not spec.postgres:
            try:
                data.mkdir(exist_ok=True)
            except OSError:
                raise CxroiError(f"The lake's data folder {data} cannot be created (check the "
                                 "folder's permissions).") from None
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
    try:
        for name, package, wheel in _EXTENSIONS:
            if name == "postgres_scanner" and not spec.postgres:
                continue
            path = extension_file(name, package)
            if path is None:
                raise CxroiError(f"The DuckLake store needs the {name} extension for DuckDB "
                                 f"{duckdb.__version__}: install its wheel ({wheel}=="
                                 f"{duckdb.__version__}, as in requirements.txt).")
            con.execute(f"LOAD '{_quoted(str(path))}'")  # a file of an installed wheel
        _attach(con, spec)
        con.execute(f"USE {LAKE}")
    except duckdb.Error as exc:
        con.close()
        raise CxroiError(driver_sentence(spec.display, _masked(exc, spec), "opened")) from None
    except BaseException:
        con.close()
        raise
    return con


def _attach(con: duckdb.DuckDBPyConnection, spec: LakeSpec, attempts: int = 4) -> None:
    """ATTACH the lake; the first ATTACH of a new catalog creates DuckLake's own tables, and
    two processes doing that at once collide in PostgreSQL: the later one tries again."""
    for attempt in range(attempts):
        try:
            con.execute(f"ATTACH '{_quoted(spec.key)}' AS {LAKE} "
                        f"(DATA_PATH '{_quoted(spec.data_path)}')")
            return
        except duckdb.Error as exc:
            if "Failed to initialize DuckLake" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


def _quoted(text: str) -> str:
    """A string literal's inside (ATTACH and LOAD take no bound parameters)."""
    return text.replace("'", "''")


def _masked(error: duckdb.Error, spec: LakeSpec) -> duckdb.Error:
    """The driver's error with the connection string's password hidden (the cause is logged)."""
    text = str(error)
    masked = _without_password(text)
    return error if masked == text else type(error)(masked)


def is_conflict(error: BaseException) -> bool:
    """Another process's commit won the race for the same rows (DuckLake's optimistic commit)."""
    return isinstance(error, duckdb.Error) and "Transaction conflict" in str(error)


_CLAUSES = (
    re.compile(r"--[^\n]*"),  # comments first: they may hold any word
    re.compile(r"\bCREATE\s+(UNIQUE\s+)?(SEQUENCE|INDEX)\b[^;]*;?", re.I),
    re.compile(r"\s+DEFAULT\s+nextval\s*\(\s*'[^']*'\s*\)", re.I),
    re.compile(r",\s*(PRIMARY\s+KEY|UNIQUE)\s*\([^)]*\)", re.I),  # a table's key clause
    re.compile(r"\s+(PRIMARY\s+KEY|UNIQUE)\b", re.I),  # a column's
)


def lake_script(script: str) -> str:
    """A migration's script as DuckLake takes it: no sequence, index, key or CHECK clause.

    >>> lake_script("CREATE SEQUENCE ids START 1; CREATE TABLE t (id INTEGER PRIMARY KEY "
    ...             "DEFAULT nextval('ids'), kind VARCHAR NOT NULL CHECK (kind IN ('a', 'b')), "
    ...             "PRIMARY KEY (id, kind));")
    ' CREATE TABLE t (id INTEGER, kind VARCHAR NOT NULL);'
    """
    for clause in _CLAUSES:
        script = clause.sub("", script)
    return _without_checks(script)


def _without_checks(script: str) -> str:
    """Drop every ``CHECK (...)``, however deeply its parentheses nest."""
    out, at = [], 0
    for found in re.finditer(r"\s+CHECK\s*\(", script, re.I):
        if found.start() < at:
            continue
        depth, end = 1, found.end()
        while depth and end < len(script):
            depth += {"(": 1, ")": -1}.get(script[end], 0)
            end += 1
        out.append(script[at:found.start()])
        at = end
    out.append(script[at:])
    return "".join(out)


def unique_sql(keys: Mapping[str, tuple[str, ...]]) -> str:
    """One query naming the first table (if any) whose key the open transaction duplicated.

    Table and column names come from `cxroi.store.schema.UNIQUE_KEYS` only."""
    parts = [f"SELECT * FROM (SELECT '{table}' AS clash FROM {table} "
             f"GROUP BY {', '.join(columns)} HAVING count(*) > 1 LIMIT 1)"
             for table, columns in keys.items()]
    return "SELECT clash FROM (" + " UNION ALL ".join(parts) + ") LIMIT 1"
