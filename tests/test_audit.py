"""The audit trail: every write, from the command line and the store, who, when, what, which."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path

import pytest

from cxroi.cli import main
from cxroi.models import Assumptions, CxroiError
from cxroi.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "samples" / "metrics_clean.csv"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def audit_json(capsys, db: Path) -> list[dict]:
    code, out, _ = run(capsys, "--db", str(db), "audit", "--json")
    assert code == 0
    return json.loads(out)


def test_every_cli_write_is_recorded_oldest_first(capsys, tmp_path):
    db = tmp_path / "a.duckdb"
    scenario = tmp_path / "s.json"
    scenario.write_text('{"cost_per_contact": 9}', encoding="utf-8")
    assert run(capsys, "--db", str(db), "import", "metrics", str(SAMPLE), "--source", "CRM",
               "--scope", "All", "--by", "ana@example.com")[0] == 0
    assert run(capsys, "--db", str(db), "scenario", "save", "Q3", "--from", str(scenario),
               "--note", "cheaper contacts", "--by", "fin@example.com")[0] == 0
    assert run(capsys, "--db", str(db), "rollback", "1", "--by", "ana@example.com")[0] == 0
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    entries = audit_json(capsys, db)
    assert [(e["who"], e["action"], e["target"]) for e in entries] == [
        ("ana@example.com", "upload", "upload 1"),
        ("fin@example.com", "scenario_save", "scenario Q3@1"),
        ("ana@example.com", "rollback", "upload 1"),
    ]
    assert entries[0]["detail"].startswith("metrics file metrics_clean.csv, ")
    assert entries[1]["detail"] == "cheaper contacts"
    assert set(entries[0]) == {"at", "who", "action", "target", "detail"}
    for entry in entries:  # ISO 8601 in UTC, written just now
        at = dt.datetime.fromisoformat(entry["at"])
        assert at.utcoffset() == dt.timedelta(0) and at >= before.replace(microsecond=0)


def test_without_by_the_cli_names_the_login(capsys, tmp_path):
    db = tmp_path / "b.duckdb"
    assert run(capsys, "--db", str(db), "import", "metrics", str(SAMPLE), "--source", "CRM",
               "--scope", "All")[0] == 0
    login = getpass.getuser()
    assert [e["who"] for e in audit_json(capsys, db)] == [login]
    _, out, _ = run(capsys, "--db", str(db), "uploads", "--json")
    assert json.loads(out)[0]["uploaded_by"] == login


def test_a_reset_keeps_the_trail_and_records_itself(capsys, tmp_path):
    db = tmp_path / "c.duckdb"
    assert run(capsys, "--db", str(db), "import", "metrics", str(SAMPLE), "--source", "CRM",
               "--scope", "All", "--by", "ana")[0] == 0
    assert run(capsys, "--db", str(db), "demo", "--reset", "--by", "admin")[0] == 0
    entries = audit_json(capsys, db)
    assert entries[0]["target"] == "upload 1" and entries[0]["who"] == "ana"
    assert ("admin", "reset") in [(e["who"], e["action"]) for e in entries]
    assert entries.index(next(e for e in entries if e["action"] == "reset")) == 1


def test_a_failed_write_records_nothing(tmp_path):
    store = Store(tmp_path / "d.duckdb")
    try:
        with pytest.raises(CxroiError):
            store.save_scenario("bad@2", Assumptions(), by="x")
        with pytest.raises(CxroiError):
            store.rollback(99, by="x")
        assert store.audit() == []
    finally:
        store.close()


def test_an_empty_trail_says_so(capsys, tmp_path):
    code, out, _ = run(capsys, "--db", str(tmp_path / "e.duckdb"), "audit")
    assert code == 0 and out == "Nothing has been written yet.\n"
