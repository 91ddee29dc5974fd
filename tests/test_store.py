"""The DuckDB store, on temporary databases built through the real migrations."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxroi.store import database as store_module
from cxroi.demo import load_demo
from cxroi.models import Assumptions, CxroiError, UploadMeta
from cxroi.store import Store, forget_store, open_store
from cxroi.store.schema import MIGRATIONS

from .helpers import upload

LATEST = MIGRATIONS[-1][0]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(db_target: str) -> Store:
    """A store on each backend: an embedded file, then a DuckLake (tests/lake.py)."""
    store = Store(db_target)
    yield store
    store.close()


@pytest.fixture
def file_db(tmp_path: Path) -> Store:
    """A store on an embedded file, for what only a file has (its format, its lock)."""
    store = Store(tmp_path / "test.duckdb")
    yield store
    store.close()


def metric_values(store: Store, segment: str = "All") -> dict[tuple[str, str], float]:
    return {(m.period, m.metric): m.value for m in store.dataset(segment).metrics}


class TestMigrations:
    def test_a_new_database_is_migrated_and_has_the_baseline_scenario(self, db):
        assert db.schema_version() == LATEST
        baseline = db.scenario("Baseline")
        assert (baseline.version, baseline.assumptions) == (1, Assumptions())
        assert db.is_empty()

    def test_reopening_does_not_migrate_twice(self, tmp_path):
        path = tmp_path / "again.duckdb"
        Store(path).close()
        again = Store(path)
        with duckdb.connect(":memory:") as _:
            pass
        assert [s.label for s in again.scenarios()] == ["Baseline@1"]
        assert again.schema_version() == LATEST
        again.close()

    def test_a_first_version_database_keeps_its_uploads_when_migrated(self, tmp_path):
        path = tmp_path / "v1.duckdb"
        with duckdb.connect(str(path)) as con:  # what a session-3 cxroi left behind
            con.execute("CREATE TABLE schema_migrations "
                        "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
            con.execute(MIGRATIONS[0][1])
            con.execute("INSERT INTO schema_migrations VALUES (1, now())")
            con.execute("INSERT INTO uploads (kind, file_name, sha256, uploaded_at, uploaded_by, "
                        "source, scope, row_count, demo, status) VALUES ('metrics', 'q1.csv', "
                        "'ab', now(), 'ana', 'CRM', 'All', 3, false, 'active')")
        store = Store(path)
        assert store.schema_version() == LATEST
        assert [(u.id, u.file, u.uploaded_by) for u in store.uploads()] == [(1, "q1.csv", "ana")]
        store.set_setting("company", "Acme", by="ana")  # the new id comes after the old one
        assert [(e.who, e.action, e.target) for e in store.audit()] == [
            ("ana", "setting", "setting company")]
        store.close()

    def test_a_new_file_is_created_in_the_current_storage_format(self, file_db):
        with file_db._cursor() as cur:
            tags = cur.execute("SELECT tags FROM duckdb_databases() "
                               "WHERE NOT internal AND path IS NOT NULL").fetchone()[0]
        assert tags["storage_version"].startswith("v1.5")

    def test_a_missing_folder_is_one_plain_sentence(self, tmp_path):
        with pytest.raises(CxroiError, match="does not exist"):
            Store(tmp_path / "nowhere" / "x.duckdb")

    def test_a_database_held_by_another_process_is_named_not_a_traceback(self, tmp_path):
        path = tmp_path / "held.duckdb"
        Store(path).close()
        holder = subprocess.Popen(
            [sys.executable, "-c",
             "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', "
             "flush=True); time.sleep(30)", str(path)],
            stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "ready"
            with pytest.raises(CxroiError, match="in use by another program") as caught:
                Store(path)
            assert "\n" not in str(caught.value)
        finally:
            holder.kill()
            holder.wait()


class TestDataVersion:
    def test_every_write_changes_the_version(self, db):
        seen = [db.data_version()]
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 10)])
        seen.append(db.data_version())
        db.save_scenario("Plan", Assumptions(cost_per_contact=9))
        seen.append(db.data_version())
        db.rollback(first.id)
        seen.append(db.data_version())
        db.set_setting("company", "Acme")
        seen.append(db.data_version())
        assert len(set(seen)) == len(seen)

    def test_reads_do_not_change_it(self, db):
        before = db.data_version()
        db.dataset()
        db.uploads()
        db.scenarios()
        assert db.data_version() == before

    def test_the_version_in_memory_is_the_file_s(self, file_db, tmp_path):
        """Read from memory, it must still be the stored number: after writes, a rolled-back
        write, by a second store of the same file, and on reopening."""
        db = file_db
        upload(db, "metrics", [("2026Q1", "Retail", "returns", 10)])
        with pytest.raises(CxroiError):
            db.rollback(999)
        other = Store(tmp_path / "test.duckdb")
        other.save_scenario("Plan", Assumptions(cost_per_contact=9))
        stored = db.dataset().version
        assert db.data_version() == other.data_version() == stored == 2
        other.close()
        db.close()
        reopened = Store(tmp_path / "test.duckdb")
        assert reopened.data_version() == 2
        reopened.close()

    def test_each_memory_database_has_its_own_version(self):
        first, second = Store(":memory:"), Store(":memory:")
        first.set_setting("company", "Acme")
        assert (first.data_version(), second.data_version()) == (1, 0)


class TestUploads:
    def test_a_new_upload_supersedes_at_the_metric_grain_and_keeps_the_rest(self, db):
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 10),
                                       ("2026Q1", "Retail", "escalations", 4)])
        second = upload(db, "metrics", [("2026Q1", "Retail", "returns", 12)])
        assert metric_values(db, "Retail") == {("2026Q1", "returns"): 12.0,
                                               ("2026Q1", "escalations"): 4.0}
        statuses = {u.id: u.status for u in db.uploads()}
        assert statuses == {first.id: "active", second.id: "active"}
        assert db.row_counts()["metrics"] == 3  # nothing deleted

    def test_an_upload_whose_rows_are_all_superseded_is_superseded(self, db):
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 10)])
        upload(db, "metrics", [("2026Q1", "Retail", "returns", 12)])
        assert db.upload(first.id).status == "superseded"

    def test_rollback_brings_the_earlier_rows_and_status_back(self, db):
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 10)])
        second = upload(db, "metrics", [("2026Q1", "Retail", "returns", 12),
                                        ("2026Q2", "Retail", "returns", 7)])
        rolled = db.rollback(second.id)
        assert rolled.status == "rolled_back"
        assert db.upload(first.id).status == "active"
        assert metric_values(db, "Retail") == {("2026Q1", "returns"): 10.0}
        assert db.row_counts()["metrics"] == 3

    def test_rolling_back_the_earlier_upload_leaves_the_later_rows(self, db):
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 10),
                                       ("2026Q1", "Retail", "escalations", 4)])
        upload(db, "metrics", [("2026Q1", "Retail", "returns", 12)])
        db.rollback(first.id)
        assert metric_values(db, "Retail") == {("2026Q1", "returns"): 12.0}

    def test_rollback_of_the_middle_of_three_keeps_the_latest(self, db):
        a = upload(db, "metrics", [("2026Q1", "Retail", "returns", 1)])
        b = upload(db, "metrics", [("2026Q1", "Retail", "returns", 2)])
        c = upload(db, "metrics", [("2026Q1", "Retail", "returns", 3)])
        db.rollback(b.id)
        assert metric_values(db, "Retail") == {("2026Q1", "returns"): 3.0}
        db.rollback(c.id)
        assert metric_values(db, "Retail") == {("2026Q1", "returns"): 1.0}
        assert [u.status for u in db.uploads()] == ["rolled_back", "rolled_back", "active"]
        assert db.upload(a.id).status == "active"

    def test_rolling_back_twice_or_an_unknown_upload_is_refused(self, db):
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 1)])
        db.rollback(first.id)
        with pytest.raises(CxroiError, match="already rolled back"):
            db.rollback(first.id)
        with pytest.raises(CxroiError, match="no upload 99"):
            db.rollback(99)

    def test_effort_supersedes_by_period_and_department(self, db):
        upload(db, "effort", [("2026Q1", "Support", "TM", 100, "inner"),
                              ("2026Q1", "Support", "EL", 20, "outer"),
                              ("2026Q1", "Sales", "EM", 50)])
        upload(db, "effort", [("2026Q1", "Support", "EL", 60, "outer")])
        rows = {(e.department, e.tier): e.hours for e in db.dataset().effort}
        assert rows == {("Support", "EL"): 60.0, ("Sales", "EM"): 50.0}

    def test_benchmarks_supersede_by_metric_and_kind(self, db):
        upload(db, "benchmarks", [("returns", "industry", 5, "count"),
                                  ("returns", "target", 3, "count")])
        upload(db, "benchmarks", [("returns", "industry", 6, "count")])
        found = {(b.metric, b.kind): b.value for b in db.dataset().benchmarks}
        assert found == {("returns", "industry"): 6.0, ("returns", "target"): 3.0}

    def test_a_failing_commit_stores_nothing(self, db):
        upload(db, "metrics", [("2026Q1", "Retail", "returns", 10)])
        before = (db.data_version(), db.row_counts(), db.uploads())
        bad = pd.DataFrame({"row": [2], "period": ["2026Q1"], "segment": [None],
                            "metric": ["returns"], "value": [5.0], "unit": ["count"],
                            "higher_is_better": [False]})
        meta = UploadMeta(kind="metrics", file_name="bad.csv", sha256="0" * 64, source="s",
                          scope="s")
        with pytest.raises(CxroiError, match="could not be written; nothing was changed.$"):
            db.commit_upload(meta, bad)
        assert (db.data_version(), db.row_counts(), db.uploads()) == before
        assert metric_values(db, "Retail") == {("2026Q1", "returns"): 10.0}

    def test_rollback_refuses_an_upload_that_changed_since_it_was_seen(self, db):
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 10)])
        upload(db, "metrics", [("2026Q1", "Retail", "returns", 12)])  # supersedes the first
        before = (db.data_version(), db.uploads())
        with pytest.raises(CxroiError, match=f"Upload {first.id} .* is now superseded, not active"):
            db.rollback(first.id, seen_status="active")
        assert (db.data_version(), db.uploads()) == before
        assert db.rollback(first.id, seen_status="superseded").status == "rolled_back"

    def test_preview_names_new_periods_and_superseded_rows(self, db):
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 10)])
        from .helpers import metrics_frame

        preview = db.preview("metrics", metrics_frame([("2026Q1", "Retail", "returns", 11),
                                                       ("2026Q2", "Retail", "returns", 9)]))
        assert preview.new_periods == ("2026Q2",)
        assert (preview.superseded_rows, preview.superseded_uploads) == (1, (first.id,))

    def test_the_same_file_is_recognised_while_its_upload_is_active(self, db):
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 10)])
        assert db.active_upload_with_hash(first.sha256).id == first.id
        db.rollback(first.id)
        assert db.active_upload_with_hash(first.sha256) is None

    def test_history_times_are_iso_utc(self, db):
        first = upload(db, "metrics", [("2026Q1", "Retail", "returns", 10)])
        assert first.uploaded_at.endswith("+00:00")
        assert set(first.as_json()) == {"id", "kind", "file", "sha256", "uploaded_at",
                                        "uploaded_by", "source", "scope", "rows", "status"}


class TestUploadPeriods:
    def test_each_upload_names_the_quarters_its_rows_cover(self, db):
        first = upload(db, "metrics", [("2026Q2", "Retail", "returns", 1),
                                       ("2026Q1", "Online", "returns", 2)])
        effort = upload(db, "effort", [("2026Q3", "Support", "TM", 10)], name="e.csv")
        bench = upload(db, "benchmarks", [("returns", "industry", 3, "count")], name="b.csv")
        assert db.upload_periods() == {first.id: ("2026Q1", "2026Q2"), effort.id: ("2026Q3",)}
        assert bench.id not in db.upload_periods()


class TestCompanyWide:
    def test_all_is_the_sum_of_segments_for_counts_and_money(self, db):
        upload(db, "metrics", [("2026Q1", "Retail", "customers_lost", 380),
                               ("2026Q1", "Business", "customers_lost", 22),
                               ("2026Q1", "Retail", "refunds_credits", 61250.5),
                               ("2026Q1", "Business", "refunds_credits", 1000)])
        values = metric_values(db)
        assert values[("2026Q1", "customers_lost")] == 402.0
        assert values[("2026Q1", "refunds_credits")] == 62250.5
        assert {m.segments for m in db.dataset().metrics} == {2}

    def test_an_uploaded_all_row_wins_over_the_sum(self, db):
        upload(db, "metrics", [("2026Q1", "Retail", "customers_lost", 380),
                               ("2026Q1", "Business", "customers_lost", 22),
                               ("2026Q1", "All", "customers_lost", 450)])
        assert metric_values(db)[("2026Q1", "customers_lost")] == 450.0

    def test_percent_metrics_are_never_summed(self, db):
        upload(db, "metrics", [("2026Q1", "Retail", "fcr", 70, "percent"),
                               ("2026Q1", "Business", "fcr", 80, "percent"),
                               ("2026Q2", "Retail", "fcr", 71, "percent"),
                               ("2026Q2", "All", "fcr", 74, "percent")])
        values = metric_values(db)
        assert ("2026Q1", "fcr") not in values
        assert values[("2026Q2", "fcr")] == 74.0
        assert db.dataset().periods == ("2026Q1", "2026Q2")

    def test_periods_include_effort_only_quarters(self, db):
        upload(db, "metrics", [("2026Q1", "Retail", "returns", 1)])
        upload(db, "effort", [("2026Q2", "Support", "TM", 10)])
        assert db.dataset("Retail").periods == ("2026Q1", "2026Q2")

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.dictionaries(st.sampled_from(["A", "B", "C", "D"]),
                           st.integers(min_value=0, max_value=10**9), min_size=1))
    def test_all_equals_the_sum_of_segments_for_counts(self, tmp_path, counts):
        store = Store(":memory:")
        try:
            upload(store, "metrics", [("2026Q1", seg, "returns", n) for seg, n in counts.items()])
            assert metric_values(store)[("2026Q1", "returns")] == sum(counts.values())
        finally:
            store.close()


class TestScenarios:
    def test_saving_writes_a_new_version_and_never_overwrites(self, db):
        first = db.save_scenario("Plan", Assumptions(cost_per_contact=9), note="a", by="fin")
        second = db.save_scenario("Plan", Assumptions(cost_per_contact=10), note="b")
        assert (first.version, second.version) == (1, 2)
        assert db.scenario("Plan", 1).assumptions.cost_per_contact == 9
        assert db.scenario("Plan").assumptions.cost_per_contact == 10
        assert db.scenario("Plan", 1).created_by == "fin"

    def test_an_unknown_scenario_is_a_plain_error(self, db):
        with pytest.raises(CxroiError, match="no scenario Plan@3"):
            db.scenario("Plan", 3)

    def test_concurrent_saves_all_land_as_distinct_versions(self, db):
        def save(n: int) -> None:
            db.save_scenario("Busy", Assumptions(cost_per_contact=n))

        threads = [threading.Thread(target=save, args=(n,)) for n in range(1, 9)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        versions = sorted(s.version for s in db.scenarios() if s.name == "Busy")
        assert versions == list(range(1, 9))


class TestReadersAndWriters:
    def test_readers_never_see_a_half_stored_upload(self, db):
        rows = [("2026Q1", f"S{i}", "returns", 1) for i in range(2000)]
        errors: list[BaseException] = []
        seen: set[float] = set()
        done = threading.Event()

        def read() -> None:
            try:
                while not done.is_set():
                    for m in db.dataset().metrics:
                        seen.add(m.value)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        readers = [threading.Thread(target=read) for _ in range(4)]
        for thread in readers:
            thread.start()
        upload(db, "metrics", rows)
        time.sleep(0.2)
        done.set()
        for thread in readers:
            thread.join()
        assert not errors
        assert seen <= {2000.0}  # the total of the whole upload, never a part of it


class TestOpenStore:
    def test_the_default_database_is_seeded_with_the_demo(self, tmp_path, monkeypatch):
        monkeypatch.delenv("CXROI_DB", raising=False)
        monkeypatch.setattr(store_module, "DEFAULT_DB", tmp_path / "data" / "cxroi.duckdb")
        store = open_store(seed=load_demo)
        try:
            assert store.dataset().demo
            assert len(store.dataset().periods) >= 8
            assert open_store() is store  # one store per process and file
        finally:
            forget_store(store.path)

    def test_a_named_database_starts_empty(self, tmp_path, monkeypatch):
        monkeypatch.setenv("CXROI_DB", str(tmp_path / "mine.duckdb"))
        store = open_store(seed=load_demo)
        try:
            assert store.is_empty()
            assert store.dataset().periods == ()
        finally:
            forget_store(store.path)

    def test_reset_empties_everything_but_the_baseline(self, db):
        upload(db, "metrics", [("2026Q1", "Retail", "returns", 1)])
        db.save_scenario("Plan", Assumptions())
        db.reset()
        assert db.is_empty()
        assert [s.label for s in db.scenarios()] == ["Baseline@1"]
        assert db.row_counts() == {"metrics": 0, "effort": 0, "benchmarks": 0, "ratings": 0,
                                   "themes": 0}


def test_checkpoint_writes_everything_into_the_file(tmp_path):
    path = tmp_path / "backup.duckdb"
    store = Store(path)
    upload(store, "metrics", [("2026Q1", "Retail", "returns", 10)])
    store.checkpoint()
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(path.read_bytes())  # a backup is a plain copy after CHECKPOINT
    store.close()
    restored = Store(copy)
    assert [(m.period, m.value) for m in restored.dataset("Retail").metrics] == [("2026Q1", 10.0)]
    restored.close()
