"""DuckDB's errors as one plain sentence each: a person never sees the driver's text."""

from __future__ import annotations

import logging
import re

import duckdb

__all__ = ["driver_sentence"]

_log = logging.getLogger("cxroi.store")

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
    # DuckLake (cxroi/store/lake.py): the catalog's PostgreSQL, and losing a race to commit
    (duckdb.Error, re.compile(r"Unable to connect to Postgres at"),
     "The lake's catalog {path} cannot be reached (PostgreSQL refused or did not answer); "
     "check the connection string and that the server is running, then try again."),
    (duckdb.Error, re.compile(r"Transaction conflict"),
     "Another process wrote to {path} at the same moment; nothing was stored. Try again."),
    (duckdb.Error, re.compile(r"DATA_PATH parameter .* does not match existing data path"),
     "The lake {path} keeps its data files in another folder than CXROI_LAKE_DATA names; set "
     "CXROI_LAKE_DATA to the folder the lake was created with."),
    (duckdb.Error, re.compile(r"^IO Error: Failed to attach DuckLake MetaData .*Could not set "
                              r"lock on file", re.S),
     "The lake's one-file catalog {path} is in use by another program{who}; a file catalog "
     "serves one process (use a PostgreSQL catalog for several)."),
    (duckdb.Error, re.compile(r"^IO Error: Failed to attach DuckLake MetaData .*Cannot open file"),
     "The lake's catalog {path} cannot be opened (check the path and its permissions)."),
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
