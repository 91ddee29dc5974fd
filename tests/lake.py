"""The store's two backends for the tests: an embedded file and a DuckLake on PostgreSQL.

One PostgreSQL per test session (Debian's ``postgresql`` binaries, run as the ``postgres``
system user, on 127.0.0.1 and a free port, in a temporary folder; stopped at the end). Each
lake test gets its own catalog database, copied from a migrated template (``createdb -T``,
~60 ms, instead of migrating a new lake, ~0.6 s); every lake of the session keeps its data
files in one folder (DuckLake names each file by a UUID, and the template's catalog records
that folder).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cxroi.store import Store, forget_store

__all__ = ["PostgresServer", "postgres", "new_lake", "db_target"]

_NAMES = itertools.count(1)


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is missing: make test installs Debian's "
                           "postgresql package (apt-get install -y postgresql).")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL cluster, trust authentication on loopback only."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="cxroi-pg-"))
        self.data = self.folder / "lake-data"  # the data files of every lake of the session
        self.data.mkdir()
        shutil.chown(self.folder, "postgres")
        self.folder.chmod(0o755)
        self.port = _free_port()
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        cluster = self.folder / "cluster"
        subprocess.run([*self._as_postgres, _bin("initdb"), "-D", str(cluster), "-A", "trust",
                        "-U", "postgres", "-E", "UTF8", "--no-sync"],
                       check=True, capture_output=True)
        subprocess.run([*self._as_postgres, _bin("pg_ctl"), "-D", str(cluster), "-w", "-l",
                        str(self.folder / "log"), "-o",
                        f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F "
                        "-c max_connections=400 -c synchronous_commit=off", "start"],
                       check=True, capture_output=True)
        self._cluster = cluster

    def libpq(self, dbname: str) -> str:
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user=postgres"

    def createdb(self, name: str, template: str | None = None) -> str:
        subprocess.run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                        "postgres", *(["-T", template] if template else []), name],
                       check=True, capture_output=True)
        return name

    def stop(self) -> None:
        subprocess.run([*self._as_postgres, _bin("pg_ctl"), "-D", str(self._cluster), "-m",
                        "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        template = server.createdb("lake_template")
        with pytest.MonkeyPatch.context() as env:
            env.setenv("CXROI_LAKE_DATA", str(server.data))
            Store(f"ducklake:postgres:{server.libpq(template)}").close()  # migrated once
        server.template = template
        yield server
    finally:
        server.stop()


@pytest.fixture
def new_lake(postgres: PostgresServer,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], str]]:
    """``new_lake()``: the target of a new, migrated, empty lake (``ducklake:postgres:...``)."""
    monkeypatch.setenv("CXROI_LAKE_DATA", str(postgres.data))
    made: list[str] = []

    def make() -> str:
        name = postgres.createdb(f"lake_{os.getpid()}_{next(_NAMES)}", postgres.template)
        made.append(f"ducklake:postgres:{postgres.libpq(name)}")
        return made[-1]

    yield make
    for target in made:  # the CLI's open stores hold catalog connections: let them go
        forget_store(target)


@pytest.fixture(params=["file", "lake"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database a test runs on, once on an embedded file and once on a DuckLake."""
    if request.param == "file":
        return str(tmp_path / "test.duckdb")
    return request.getfixturevalue("new_lake")()
