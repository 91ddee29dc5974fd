"""Holds under load, faults and hostile input: nothing lost, nothing leaked, no traceback."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from benchmarks.bench_load import run_load
from cxroi.cli import main
from cxroi.demo import load_demo
from cxroi.ingest import read_upload
from cxroi.models import Assumptions, CxroiError, UploadMeta
from cxroi.store import Store

ROOT = Path(__file__).resolve().parents[1]

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "**bold** [link](http://evil.example) # heading",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1+1", "-2+3", "@SUM(A1)", "\tTabbed", "\rCarriage",
    "Robert'); DROP TABLE metrics;--",
    "x" * 10_000,
    "Zürich ☃ 北京 \u202egnp.exe \u200b",
]


def test_mixed_load_loses_nothing_and_never_shows_half_an_upload(db_target):
    result = run_load(db_target, seconds=3, readers=8)  # a file, then a lake
    assert result["errors"] == []
    assert result["torn_reads"] == []
    assert result["missing_uploads"] == [] and result["missing_versions"] == []
    assert result["uploads"] > 0 and result["scenario_versions"] > 0 and result["reads"] > 0
    assert result["final_total_ok"]


class TestKilledImports:
    def test_an_import_killed_at_random_moments_leaves_nothing_behind(self, tmp_path):
        db = tmp_path / "kill.duckdb"
        store = Store(db)
        load_demo(store)
        before = store.dataset("All").metrics
        demo_rows = store.row_counts()["metrics"]
        store.close()
        big = tmp_path / "big.csv"
        rows = ["period,segment,metric,value,unit"]
        rows += [f"2031Q{q},Seg {i},returns,{i % 97},count" for q in (1, 2) for i in range(100_000)]
        big.write_text("\n".join(rows) + "\n")
        rng = random.Random(11)
        for _ in range(10):
            process = subprocess.Popen(
                [sys.executable, "-m", "cxroi", "--db", str(db), "import", "metrics", str(big),
                 "--source", "kill test", "--scope", "all", "--force"],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.3, 3.0))
            process.send_signal(signal.SIGKILL)
            process.wait()
            store = Store(db)  # the database opens after every kill
            try:
                uploads = store.uploads()
                counts = store.row_counts()
                imported = [u for u in uploads if u.source == "kill test"]
                # every upload that exists is whole: its rows are all there
                assert counts["metrics"] == demo_rows + sum(u.rows for u in imported)
                assert all(u.rows == 200_000 for u in imported)
                # earlier data is intact
                untouched = [m for m in store.dataset("All").metrics if m.period < "2031"]
                assert untouched == list(before)
            finally:
                store.close()


class TestDatabaseFaults:
    def test_a_missing_folder_is_one_sentence_and_exit_1(self, tmp_path, capsys):
        code = main(["--db", str(tmp_path / "gone" / "x.duckdb"), "uploads"])
        err = capsys.readouterr().err
        assert code == 1 and "does not exist" in err and err.count("\n") == 1

    def test_a_read_only_database_is_one_sentence(self, tmp_path, monkeypatch):
        def refuse(*args, **kwargs):
            raise duckdb.IOException('IO Error: Cannot open file "x": Permission denied')

        monkeypatch.setattr(duckdb, "connect", refuse)
        with pytest.raises(CxroiError, match="is read-only"):
            Store(tmp_path / "x.duckdb")

    def test_a_held_database_is_exit_1_with_one_sentence_and_nothing_lost(self, tmp_path):
        db = tmp_path / "held.duckdb"
        store = Store(db)
        load_demo(store)
        before = [u.file for u in store.uploads()]
        store.close()
        quarter = tmp_path / "quarter.csv"
        quarter.write_text("period,segment,metric,value\n2026Q4,Retail,returns,5\n")
        holder = subprocess.Popen(
            [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
             "print('ready', flush=True); time.sleep(60)", str(db)],
            stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "ready"
            done = subprocess.run(
                [sys.executable, "-m", "cxroi", "--db", str(db), "import", "metrics",
                 str(quarter),
                 "--source", "s", "--scope", "s"],
                cwd=ROOT, capture_output=True, text=True)
        finally:
            holder.kill()
            holder.wait()
        assert done.returncode == 1
        assert "in use by another program" in done.stderr
        assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
        store = Store(db)
        assert [u.file for u in store.uploads()] == before  # the demo's, nothing more or less
        store.close()


class TestDriverErrorsEachGetTheirOwnSentence:
    """DuckDB's errors are told apart by type and the start of the message, not substrings."""

    def _damaged(self, tmp_path: Path) -> Path:
        good = tmp_path / "good.duckdb"
        con = duckdb.connect(str(good))
        con.execute("CREATE TABLE t AS SELECT range AS a FROM range(100000)")
        con.close()
        data = bytearray(good.read_bytes())
        data[4096 + 100:4096 + 116] = b"\xff" * 16  # a checksummed block, near "block at location"
        damaged = tmp_path / "damaged.duckdb"
        damaged.write_bytes(bytes(data))
        return damaged

    def test_a_corrupt_file_is_damaged_not_in_use(self, tmp_path, capsys, caplog):
        path = self._damaged(tmp_path)
        assert main(["--db", str(path), "uploads"]) == 1
        err = capsys.readouterr().err
        assert "is damaged" in err and "restore it from a backup" in err
        assert "in use" not in err and "checksum" not in err and err.count("\n") == 1
        assert "Corrupt database file" in caplog.text  # the cause is logged, not shown

    def test_a_file_that_is_not_a_database_is_damaged(self, tmp_path):
        path = tmp_path / "notes.duckdb"
        path.write_bytes(b"these are my meeting notes " * 1000)
        with pytest.raises(CxroiError, match="is damaged"):
            Store(path)

    @pytest.mark.parametrize(("message", "sentence"), [
        ('IO Error: Trying to read a database file with version number 99, but we can only read '
         'version 65', "written by a newer DuckDB"),
        ('TransactionContext Error: Failed to commit: Could not write file "x": No space left on '
         'device', "disk holding the database x.duckdb is full"),
        ('IO Error: Could not set lock on file "x": Conflicting lock is held in python (PID 42)',
         "in use by another program (process 42)"),
        ("IO Error: Corrupt database file: computed checksum 1 does not match stored checksum 2 "
         "in block at location 0", "is damaged"),
        ("Binder Error: something else entirely", "could not be opened; nothing was changed"),
    ])
    def test_each_cause_has_its_sentence(self, message, sentence):
        from cxroi.store import driver_sentence

        said = driver_sentence("x.duckdb", duckdb.IOException(message), "opened")
        assert sentence in said
        assert "Error" not in said and "checksum" not in said

    def test_a_full_disk_is_not_hidden_behind_the_failed_rollback(self, tmp_path, caplog):
        db = Store(tmp_path / "full.duckdb")
        with pytest.raises(CxroiError, match="is full; nothing was stored") as caught:
            with db._write() as cur:
                cur.execute("INSERT INTO settings VALUES ('k', 'v')")
                cur.execute("COMMIT")  # as a failed commit does, the transaction is gone
                raise duckdb.IOException('Could not write file "full.duckdb": No space left on '
                                         'device')
        assert "rollback" not in str(caught.value)
        assert "No space left on device" in caplog.text
        db.close()


class TestHostileText:
    @pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
    def test_names_are_stored_exactly(self, db_target, text):
        store = Store(db_target)  # a file, then a lake (whose small writes go into PostgreSQL)
        try:
            csv = "period,segment,metric,value,unit\n" + \
                  f'2026Q1,"{text.replace(chr(34), chr(34) * 2)}",returns,5,count\n'
            parsed = read_upload(csv.encode(), "hostile.csv", "metrics")
            assert parsed.ok, parsed.problems
            meta = UploadMeta(kind="metrics", file_name=text[:500], sha256=parsed.sha256,
                              source=text, scope=text, uploaded_by=text)
            store.commit_upload(meta, parsed.rows)
            assert store.dataset(text.strip()).metrics[0].value == 5.0
            upload = store.uploads()[0]
            assert (upload.source, upload.scope, upload.uploaded_by) == (text.strip(),) * 3
            store.save_scenario(text, Assumptions())
            assert store.scenario(text.strip()).name == text.strip()
        finally:
            store.close()

    def test_an_upload_far_over_the_limit_is_refused_before_parsing(self, tmp_path, capsys,
                                                                     monkeypatch):
        import cxroi.ingest as ingest

        monkeypatch.setattr(ingest, "MAX_UPLOAD_BYTES", 1000)
        huge = tmp_path / "huge.csv"
        huge.write_bytes(b"\xff" * 5000)  # not even a CSV: it must never be read
        code = main(["--db", str(tmp_path / "x.duckdb"), "import", "metrics", str(huge),
                     "--source", "s", "--scope", "s"])
        err = capsys.readouterr().err
        assert code == 1 and "upload limit" in err
        parsed = ingest.read_upload(b"\xff" * 5000, "huge.csv", "metrics")
        assert not parsed.ok and "limit" in str(parsed.problems[0])
