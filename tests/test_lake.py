"""DuckLake, the shared store: targets, offline extensions, the lake's DDL, several processes,
lost races, killed imports and copying a database in (tests/lake.py starts PostgreSQL)."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cxroi.cli import main
from cxroi.demo import load_demo
from cxroi.models import Assumptions, CxroiError
from cxroi.store import Store, forget_store, open_store
from cxroi.store import base, lake, scenarios
from cxroi.store.schema import MIGRATIONS, UNIQUE_KEYS

from .helpers import upload

ROOT = Path(__file__).resolve().parents[1]


def python(*code: str, args: tuple[str, ...] = (), **kwargs) -> subprocess.Popen:
    """Another process running ``code`` with ``args`` (a stand-in for a second app server)."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent("\n".join(code)), *args],
                            cwd=ROOT, **kwargs)


class TestTargets:
    def test_a_postgres_catalog_needs_its_data_folder(self):
        with pytest.raises(CxroiError, match="needs CXROI_LAKE_DATA"):
            lake.lake_spec("ducklake:postgres:dbname=cxroi host=db", {})

    def test_a_file_catalog_keeps_its_files_beside_it_unless_told(self, tmp_path):
        beside = lake.lake_spec(f"ducklake:{tmp_path}/try.ducklake", {})
        told = lake.lake_spec(f"ducklake:{tmp_path}/try.ducklake",
                              {"CXROI_LAKE_DATA": str(tmp_path / "files")})
        assert beside.data_path == f"{tmp_path}/try.ducklake.files/"
        assert told.data_path == f"{tmp_path}/files/"
        assert lake.canonical(f"ducklake:{tmp_path}/./try.ducklake") == \
            f"ducklake:{tmp_path}/try.ducklake"

    def test_a_password_never_shows(self):
        spec = lake.lake_spec("ducklake:postgres:host=db password=s3cr3t user=x",
                              {"CXROI_LAKE_DATA": "/srv/lake"})
        assert spec.display == "ducklake:postgres:host=db password=*** user=x"
        uri = lake.lake_spec("ducklake:postgres:postgresql://ana:s3cr3t@db/cxroi",
                             {"CXROI_LAKE_DATA": "/srv/lake"})
        assert "s3cr3t" not in uri.display and "ana:***@db" in uri.display

    def test_an_unreachable_catalog_is_one_sentence_and_exit_1(self, tmp_path, capsys,
                                                                monkeypatch):
        monkeypatch.setenv("CXROI_LAKE_DATA", str(tmp_path))
        port = lake_free_port()
        target = (f"ducklake:postgres:dbname=cxroi host=127.0.0.1 port={port} user=postgres "
                  "password=hunter2 connect_timeout=3")
        assert main(["--db", target, "uploads"]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: The lake's catalog ducklake:postgres:") and \
            "cannot be reached" in err
        assert "hunter2" not in err and err.count("\n") == 1

    def test_a_missing_wheel_is_one_sentence_and_exit_1(self, tmp_path, capsys, monkeypatch):
        monkeypatch.setattr(lake, "extension_file", lambda name, package: None)
        assert main(["--db", f"ducklake:{tmp_path}/x.ducklake", "uploads"]) == 1
        err = capsys.readouterr().err
        assert "needs the parquet extension" in err and "duckdb-extension-parquet==1.5.5" in err
        assert err.count("\n") == 1

    def test_the_extensions_load_from_the_wheels_never_downloaded(self, tmp_path):
        store = Store(f"ducklake:{tmp_path}/x.ducklake")
        try:
            with store._cursor() as cur:
                loaded = {r[0] for r in cur.execute(
                    "SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()}
                autoload = cur.execute("SELECT current_setting('autoinstall_known_extensions'), "
                                       "current_setting('autoload_known_extensions')").fetchone()
        finally:
            store.close()
        assert autoload == (False, False)
        assert {"ducklake", "parquet"} <= loaded

    def test_a_data_folder_other_than_the_catalog_s_is_one_sentence(self, postgres, new_lake,
                                                                    tmp_path, monkeypatch):
        target = new_lake()
        monkeypatch.setenv("CXROI_LAKE_DATA", str(tmp_path))
        with pytest.raises(CxroiError, match="keeps its data files in another folder"):
            Store(target)


def lake_free_port() -> int:
    from .lake import _free_port

    return _free_port()


class TestLakeScript:
    def test_every_migration_loses_what_a_lake_refuses_and_keeps_the_rest(self):
        for version, script in MIGRATIONS:
            ddl = lake.lake_script(script)
            for refused in ("PRIMARY KEY", "UNIQUE", "CHECK", "SEQUENCE", "nextval", "INDEX"):
                assert refused not in ddl.upper(), (version, refused)
            assert ddl.count("NOT NULL") == script.count("NOT NULL"), version

    def test_clauses_go_wherever_they_sit(self):
        script = """
            CREATE SEQUENCE ids START 1;
            CREATE UNIQUE INDEX by_name ON t (name);
            CREATE TABLE t (
                id INTEGER PRIMARY KEY DEFAULT nextval('ids'), -- PRIMARY KEY in a comment
                name VARCHAR UNIQUE NOT NULL,
                share DOUBLE CHECK (share >= 0 AND (share <= 1 OR share IS NULL)),
                note VARCHAR DEFAULT 'none',
                PRIMARY KEY (id, name)
            );
        """
        ddl = " ".join(lake.lake_script(script).split())
        assert ddl == ("CREATE TABLE t ( id INTEGER, name VARCHAR NOT NULL, share DOUBLE, "
                       "note VARCHAR DEFAULT 'none' );")

    def test_the_checked_keys_are_the_file_s_keys(self, tmp_path):
        """Every PRIMARY KEY of the embedded schema is in UNIQUE_KEYS (and nothing else)."""
        store = Store(tmp_path / "keys.duckdb")
        with store._cursor() as cur:
            found = {t: tuple(c) for t, c in cur.execute(
                "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                "WHERE constraint_type = 'PRIMARY KEY' AND database_name = current_database()"
            ).fetchall()}
        store.close()
        assert found == UNIQUE_KEYS


class TestOneLake:
    def test_the_data_version_is_the_lake_s_snapshot(self, new_lake):
        store = Store(new_lake())
        try:
            before = store.data_version()
            with store._cursor() as cur:
                latest = cur.execute("SELECT max(snapshot_id) FROM lake.snapshots()").fetchone()[0]
            assert before == latest
            store.dataset()
            store.uploads()
            assert store.data_version() == before  # reads make no snapshot
            upload(store, "metrics", [("2026Q1", "Retail", "returns", 10)])
            assert store.data_version() == before + 1  # one write, one snapshot
            assert store.dataset().version == before + 1
        finally:
            store.close()

    def test_another_store_s_commit_shows_within_the_reuse_time_one_s_own_at_once(
            self, new_lake):
        target = new_lake()
        mine, other = Store(target), Store(target)
        try:
            seen = mine.data_version()
            other.set_setting("company", "Acme")
            time.sleep(base.SNAPSHOT_REUSE_SECONDS)
            assert mine.data_version() == seen + 1  # the other's commit
            mine.set_setting("company", "Beta")
            assert mine.data_version() == seen + 2  # at once: no waiting for one's own
            assert other.dataset().company == "Beta"
        finally:
            mine.close()
            other.close()

    def test_a_duplicate_key_is_refused_inside_the_write(self, new_lake):
        store = Store(new_lake())
        try:
            store.set_setting("company", "Acme")
            with pytest.raises(CxroiError, match="same key in settings; nothing was stored"):
                with store._write() as cur:
                    cur.execute("INSERT INTO settings VALUES ('company', 'Other')")
            assert store.dataset().company == "Acme"
            assert [e.action for e in store.audit()] == ["setting"]
        finally:
            store.close()

    def test_survey_answers_supersede_and_roll_back_on_a_lake(self, new_lake):
        store = Store(new_lake())  # the narrow ratings tables (migration 6) on PostgreSQL
        try:
            first = upload(store, "ratings", [("2026Q1", "Retail", "a", "recommend", 9),
                                              ("2026Q1", "Retail", "b", "recommend", 4),
                                              ("2026Q1", "Retail", "b", "ease", 3)])
            second = upload(store, "ratings", [("2026Q1", "Retail", "z", "recommend", 7)],
                            name="again.csv")
            assert {k: list(v) for k, v in store.ratings_answers("2026Q1").items()} == {
                "recommend": [7.0]}
            assert store.upload(first.id).status == "superseded"
            store.rollback(second.id)
            answers = store.ratings_answers("2026Q1")
            assert list(answers["recommend"]) == [9.0, 4.0]
            assert list(answers["ease"])[1] == 3.0 and store.row_counts()["ratings"] == 4
        finally:
            store.close()

    def test_the_one_file_catalog_holds_the_same_store(self, tmp_path):
        target = f"ducklake:{tmp_path}/try.ducklake"
        store = Store(target)
        load_demo(store)
        first = store.uploads()[-1]
        store.rollback(first.id, by="ana")
        store.close()
        again = Store(target)
        try:
            assert [u.status for u in again.uploads()][-1] == "rolled_back"
            assert [e.action for e in again.audit()][-1] == "rollback"
            assert (tmp_path / "try.ducklake.files").is_dir()
        finally:
            again.close()


    def test_a_one_file_catalog_held_by_another_process_is_one_sentence(self, tmp_path):
        target = f"ducklake:{tmp_path}/try.ducklake"
        Store(target).close()
        holder = python("import sys, time",
                        "from cxroi.store import Store",
                        "store = Store(sys.argv[1])",
                        "print('ready', flush=True)",
                        "time.sleep(60)", args=(target,), stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "ready"
            with pytest.raises(CxroiError, match="is in use by another program") as caught:
                Store(target)
            assert "PostgreSQL catalog for several" in str(caught.value)
        finally:
            holder.kill()
            holder.wait()


class TestLostRaces:
    """Two stores on one lake are two DuckDB instances: just what two processes are."""

    def test_a_write_that_loses_a_race_runs_again_and_lands(self, new_lake, monkeypatch):
        target = new_lake()
        mine, other = Store(target), Store(target)
        real = scenarios.insert_scenario
        raced: list[int] = []

        def racing(cur, name, *args):
            mine_version = real(cur, name, *args)  # this write has read: its snapshot is set
            if not raced:  # and now the other process commits first
                raced.append(0)
                raced[0] = other.save_scenario("Plan", Assumptions(), by="other").version
            return mine_version

        monkeypatch.setattr(scenarios, "insert_scenario", racing)
        try:
            saved = mine.save_scenario("Plan", Assumptions(cost_per_contact=9), by="me")
            assert raced == [1] and saved.version == 2  # rerun from fresh reads
            versions = [(s.version, s.created_by) for s in mine.scenarios() if s.name == "Plan"]
            assert versions == [(2, "me"), (1, "other")]
            assert [e.who for e in mine.audit() if e.action == "scenario_save"] == ["other", "me"]
        finally:
            mine.close()
            other.close()

    def test_a_write_that_always_loses_is_refused_in_one_sentence_with_nothing_stored(
            self, new_lake, monkeypatch):
        target = new_lake()
        mine, other = Store(target), Store(target)
        real = scenarios.insert_scenario
        tries: list[int] = []

        def always_racing(cur, name, *args):
            version = real(cur, name, *args)
            if name == "Mine":
                tries.append(other.save_scenario("Theirs", Assumptions()).version)
            return version

        monkeypatch.setattr(scenarios, "insert_scenario", always_racing)
        try:
            with pytest.raises(CxroiError) as caught:
                mine.save_scenario("Mine", Assumptions())
            said = str(caught.value)
            assert "at the same moment" in said and "nothing was stored" in said
            assert "\n" not in said and "conflict" not in said.lower()
            assert len(tries) == base.WRITE_ATTEMPTS
            assert [s.name for s in mine.scenarios()].count("Mine") == 0
            assert [s.version for s in mine.scenarios() if s.name == "Theirs"] == [4, 3, 2, 1]
        finally:
            mine.close()
            other.close()

    def test_a_write_with_a_commit_behind_it_is_never_repeated(self, new_lake):
        """A lost race after a commit of the same call refuses: a rerun would write twice."""
        target = new_lake()
        mine, other = Store(target), Store(target)

        def two_writes(self_):
            with self_._write() as cur:
                scenarios.insert_scenario(cur, "A", Assumptions(), "me", "")
            with self_._write() as cur:
                scenarios.insert_scenario(cur, "B", Assumptions(), "me", "")
                other.set_setting("k", "v")  # the other process wins the second one

        run = base._retried(two_writes)
        try:
            with pytest.raises(CxroiError, match="at the same moment"):
                run(mine)
            names = [s.name for s in mine.scenarios()]
            assert names.count("A") == 1 and names.count("B") == 0
        finally:
            mine.close()
            other.close()


class TestTwoProcesses:
    def test_an_import_in_one_process_shows_in_another_on_its_next_read(self, new_lake,
                                                                        tmp_path):
        target = new_lake()
        app = open_store(target)  # this process: the app server
        assert app.segments() == ["All"]
        version = app.data_version()
        quarter = tmp_path / "q.csv"
        quarter.write_text("period,segment,metric,value,unit\n2026Q3,Retail,returns,7,count\n")
        done = subprocess.run(
            [sys.executable, "-m", "cxroi", "--db", target, "import", "metrics", str(quarter),
             "--source", "Job", "--scope", "All", "--by", "scheduler"],
            cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert app.data_version() > version  # the caches' key moved: the next rerun reloads
        assert app.segments() == ["All", "Retail"]
        assert [(m.period, m.value) for m in app.dataset("Retail").metrics] == [("2026Q3", 7.0)]
        assert app.audit()[-1].who == "scheduler"

    def test_processes_opening_a_new_lake_at_once_all_open_it_migrated_once(self, postgres,
                                                                           new_lake):
        new_lake()  # CXROI_LAKE_DATA, as the fixture sets it
        name = postgres.createdb(f"fresh_{time.monotonic_ns()}")  # no catalog in it yet
        target = f"ducklake:postgres:{postgres.libpq(name)}"
        opening = [subprocess.Popen([sys.executable, "-m", "cxroi", "--db", target, "uploads"],
                                    cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True) for _ in range(3)]
        outcomes = [(p.wait(timeout=120), *p.communicate()) for p in opening]
        assert [(code, out) for code, out, _ in outcomes] == [(0, "No uploads yet.\n")] * 3, \
            outcomes
        store = Store(target)
        try:
            with store._cursor() as cur:
                assert cur.execute("SELECT version, count(*) FROM schema_migrations GROUP BY 1 "
                                   "ORDER BY 1").fetchall() == [(v, 1) for v, _ in MIGRATIONS]
                assert cur.execute("SELECT count(*) FROM data_version").fetchone()[0] == 1
            assert [s.label for s in store.scenarios()] == ["Baseline@1"]
        finally:
            store.close()
        forget_store(target)

    def test_two_processes_writing_at_once_each_commit_whole_or_are_refused(self, new_lake):
        target = new_lake()
        writer = """
            import sys, json
            from cxroi.store import Store
            from cxroi.models import Assumptions, CxroiError
            from tests.helpers import upload
            store = Store(sys.argv[1])
            print("ready", flush=True)
            sys.stdin.readline()
            done = []
            for n in range(6):
                try:
                    if n % 3:
                        done.append(["scenario", store.save_scenario(
                            "Race", Assumptions(cost_per_contact=n + 1)).version])
                    else:
                        done.append(["upload", upload(store, "metrics", [
                            (f"2027Q{n % 4 + 1}", sys.argv[2], "returns", 1)] * 1,
                            name=f"{sys.argv[2]}-{n}.csv").id])
                except CxroiError as exc:
                    done.append(["refused", str(exc)])
            print(json.dumps(done), flush=True)
        """
        procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(writer), target, seg],
                                  cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True) for seg in ("East", "West")]
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready"
        for proc in procs:  # both start writing at once
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = [json.loads(proc.communicate(timeout=120)[0].splitlines()[-1])
                   for proc in procs]
        store = Store(target)
        try:
            saved = sorted(v for r in results for kind, v in r if kind == "scenario")
            uploaded = sorted(v for r in results for kind, v in r if kind == "upload")
            refused = [v for r in results for kind, v in r if kind == "refused"]
            assert all("at the same moment" in s for s in refused)
            assert len(saved) + len(uploaded) + len(refused) == 12
            # every committed write is there, once, with its own number
            assert saved == list(range(1, len(saved) + 1))
            assert sorted(s.version for s in store.scenarios() if s.name == "Race") == saved
            assert sorted(u.id for u in store.uploads()) == uploaded == \
                list(range(1, len(uploaded) + 1))
            assert store.row_counts()["metrics"] == len(uploaded)  # each upload whole
            audit_ids = [e.target for e in store.audit()]
            assert len(audit_ids) == len(saved) + len(uploaded)
            with store._cursor() as cur:
                assert cur.execute("SELECT count(*) = count(DISTINCT id) FROM audit").fetchone()[0]
        finally:
            store.close()

    def test_an_import_killed_at_random_moments_leaves_nothing_behind(self, new_lake,
                                                                      tmp_path):
        target = new_lake()
        store = Store(target)
        load_demo(store)
        before = store.dataset("All").metrics
        demo_rows = store.row_counts()["metrics"]
        demo_uploads = len(store.uploads())
        store.close()
        big = tmp_path / "big.csv"
        rows = ["period,segment,metric,value,unit"]
        rows += [f"2031Q{q},Seg {i},returns,{i % 97},count" for q in (1, 2) for i in range(20_000)]
        big.write_text("\n".join(rows) + "\n")
        rng = random.Random(5)
        for _ in range(3):
            process = subprocess.Popen(
                [sys.executable, "-m", "cxroi", "--db", target, "import", "metrics", str(big),
                 "--source", "kill test", "--scope", "all", "--force"],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.5, 3.0))
            process.send_signal(signal.SIGKILL)
            process.wait()
            store = Store(target)  # the lake opens after every kill
            try:
                imported = [u for u in store.uploads() if u.source == "kill test"]
                assert store.row_counts()["metrics"] == demo_rows + sum(u.rows for u in imported)
                assert all(u.rows == 40_000 for u in imported)
                assert len([e for e in store.audit() if e.action == "upload"]) == \
                    demo_uploads + len(imported)
                untouched = [m for m in store.dataset("All").metrics if m.period < "2031"]
                assert untouched == list(before)
            finally:
                store.close()


class TestCopy:
    def _history(self, path: Path) -> Store:
        store = Store(path)
        load_demo(store)
        extra = upload(store, "metrics", [("2026Q1", "Retail", "returns", 99)], name="fix.csv")
        store.rollback(extra.id, by="ana")
        upload(store, "effort", [("2026Q1", "Support", "TM", 10, "inner")], name="e.csv")
        store.save_scenario("Plan", Assumptions(cost_per_contact=9), note="v1", by="fin")
        store.save_scenario("Plan", Assumptions(cost_per_contact=10), note="v2", by="fin")
        return store

    @staticmethod
    def _tables(store: Store) -> dict[str, list[tuple]]:
        with store._cursor() as cur:
            names = [r[0] for r in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = "
                "current_database() AND schema_name = 'main' ORDER BY 1").fetchall()]
            return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                    for t in names}

    def test_a_file_moves_into_a_lake_with_its_whole_history(self, new_lake, tmp_path, capsys):
        source = self._history(tmp_path / "old.duckdb")
        before = self._tables(source)
        source.close()
        assert main(["--db", str(tmp_path / "old.duckdb"), "report", "--json"]) == 0
        report = capsys.readouterr().out
        target = new_lake()
        code = main(["--db", str(tmp_path / "old.duckdb"), "copy", "--to", target, "--by", "ops"])
        out, err = capsys.readouterr()
        assert code == 0, err
        written = len(before["audit"])  # the demo's writes, then the history's 5 more
        assert out.startswith("Copied ") and f"tables, with {written} audit entries" in out
        assert written > 5
        lake_store = open_store(target)
        after = self._tables(lake_store)
        assert set(after) == set(before)
        for table in before:
            if table not in ("audit", "data_version"):
                assert after[table] == before[table], table
        assert sorted(after["audit"])[:-1] == sorted(before["audit"])  # and the copy's own:
        assert sorted(after["audit"])[-1][2:4] == ("ops", "copy")
        assert [u.status for u in lake_store.uploads()].count("rolled_back") == 1
        assert main(["--db", target, "report", "--json"]) == 0
        assert capsys.readouterr().out == report
        forget_store(tmp_path / "old.duckdb")

    def test_a_target_that_holds_data_is_refused_and_left_alone(self, new_lake, tmp_path,
                                                                capsys):
        self._history(tmp_path / "old.duckdb").close()
        target = new_lake()
        kept = Store(target)
        kept.set_setting("company", "Already here")
        before = self._tables(kept)
        kept.close()
        code = main(["--db", str(tmp_path / "old.duckdb"), "copy", "--to", target])
        err = capsys.readouterr().err
        assert code == 1 and "already holds data" in err and err.count("\n") == 1
        again = Store(target)
        try:
            after = self._tables(again)
        finally:
            again.close()
        assert after == before
        forget_store(tmp_path / "old.duckdb")
