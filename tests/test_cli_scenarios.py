"""`python -m cxroi scenario save|list` and `report --scenario NAME[@VERSION]` (docs/design.md,
"Command line"): exit codes, one-line messages naming the bad key, versions that increment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxroi.cli import main
from cxroi.store import forget_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path):
    path = tmp_path / "cli-scenarios.duckdb"
    yield path
    forget_store(path)


def run(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def listed(capsys, db: Path) -> list[dict]:
    code, out, _ = run(capsys, db, "scenario", "list", "--json")
    assert code == 0
    return json.loads(out)


class TestSave:
    def test_versions_increment_and_never_overwrite(self, capsys, db, tmp_path):
        first = write(tmp_path, "a.json", '{"cost_per_contact": 9}')
        second = write(tmp_path, "b.json", '{"cost_per_contact": 10}')
        assert run(capsys, db, "scenario", "save", "Plan", "--from", str(first), "--note",
                   "Q3 study", "--by", "ann") == (0, "Saved scenario Plan@1.\n", "")
        assert run(capsys, db, "scenario", "save", "Plan", "--from", str(second))[:2] == \
            (0, "Saved scenario Plan@2.\n")
        assert run(capsys, db, "scenario", "save", "Plan", "--from", str(first))[:2] == \
            (0, "Saved scenario Plan@3.\n")
        plans = [s for s in listed(capsys, db) if s["name"] == "Plan"]
        assert [s["version"] for s in plans] == [3, 2, 1]
        assert plans[2]["note"] == "Q3 study" and plans[2]["created_by"] == "ann"

    def test_list_json_has_designs_keys_and_utc_times(self, capsys, db, tmp_path):
        source = write(tmp_path, "a.json", "{}")
        run(capsys, db, "scenario", "save", "Plan", "--from", str(source))
        items = listed(capsys, db)
        assert [(s["name"], s["version"]) for s in items] == [("Baseline", 1), ("Plan", 1)]
        for item in items:
            assert list(item) == ["name", "version", "created_at", "created_by", "note"]
            assert item["created_at"].endswith("+00:00")

    def test_list_text_shows_every_version(self, capsys, db, tmp_path):
        source = write(tmp_path, "a.json", "{}")
        run(capsys, db, "scenario", "save", "Plan", "--from", str(source), "--note", "why")
        run(capsys, db, "scenario", "save", "Plan", "--from", str(source))
        code, out, _ = run(capsys, db, "scenario", "list")
        assert code == 0
        assert [line.split()[0] for line in out.splitlines()] == ["Baseline@1", "Plan@2",
                                                                  "Plan@1"]

    def test_a_partial_file_keeps_the_defaults(self, capsys, db, tmp_path):
        source = write(tmp_path, "a.json", '{"gross_margin": 0.55}')
        run(capsys, db, "scenario", "save", "Plan", "--from", str(source))
        code, out, _ = run(capsys, db, "report", "--scenario", "Plan", "--json")
        assert code == 0 and json.loads(out)["scenario"] == {"name": "Plan", "version": 1}

    @pytest.mark.parametrize(("text", "named"), [
        ('{"cost_per_contakt": 9}', "cost_per_contakt: unknown assumption"),
        ('{"gross_margin": 1.5}', "gross_margin: must be at most 1 (got 1.5)"),
        ('{"cost_per_contact": -1}', "cost_per_contact: must be at least 0"),
        ('{"horizon_years": 2.5}', "horizon_years: must be a whole number"),
        ('{"horizon_years": 11}', "horizon_years: must be at most 10"),
        ('{"expected_lifetime_years": 0}', "expected_lifetime_years: must be greater than 0"),
        ('{"discount_rate": "10%"}', "discount_rate: must be a number"),
        ('{"discount_rate": Infinity}', "discount_rate: must be a finite number"),
        ("[0.5]", "must be a JSON object"),
        ("{oops", "is not valid JSON"),
    ])
    def test_a_refused_file_exits_1_naming_the_key_and_stores_nothing(self, capsys, db,
                                                                       tmp_path, text, named):
        before = listed(capsys, db)
        source = write(tmp_path, "bad.json", text)
        code, out, err = run(capsys, db, "scenario", "save", "Plan", "--from", str(source))
        assert (code, out) == (1, "")
        assert named in err
        assert err.startswith("error: ") and err.count("\n") == 1
        assert listed(capsys, db) == before

    def test_a_missing_file_exits_1(self, capsys, db, tmp_path):
        code, out, err = run(capsys, db, "scenario", "save", "Plan", "--from",
                             str(tmp_path / "nope.json"))
        assert (code, out) == (1, "") and "There is no file" in err and err.count("\n") == 1

    @pytest.mark.parametrize("name", ["", "  ", "Plan@2"])
    def test_a_bad_name_exits_1_and_stores_nothing(self, capsys, db, tmp_path, name):
        before = listed(capsys, db)
        source = write(tmp_path, "a.json", "{}")
        code, _, err = run(capsys, db, "scenario", "save", name, "--from", str(source))
        assert code == 1 and err.startswith("error: ") and err.count("\n") == 1
        assert listed(capsys, db) == before

    def test_implausible_values_are_saved_with_a_warning(self, capsys, db, tmp_path):
        source = write(tmp_path, "a.json", '{"cost_per_contact": 1}')
        code, out, err = run(capsys, db, "scenario", "save", "Plan", "--from", str(source))
        assert (code, out) == (0, "Saved scenario Plan@1.\n")
        assert "cost_per_contact = 1 is outside the plausible range 2 to 20" in err

    def test_save_without_from_is_a_usage_error_exit_1(self, capsys, db):
        try:
            code = main(["--db", str(db), "scenario", "save", "Plan"])
        except SystemExit as stopped:  # argparse's exit, made 1 by the CLI's parser
            code = stopped.code
        assert code == 1
        assert "--from" in capsys.readouterr().err


class TestReportScenario:
    def test_at_version_picks_that_version(self, capsys, db, tmp_path):
        for n, value in enumerate((9, 10), start=1):
            source = write(tmp_path, f"{n}.json", json.dumps({"cost_per_contact": value}))
            run(capsys, db, "scenario", "save", "Plan", "--from", str(source))
        code, out, _ = run(capsys, db, "report", "--scenario", "Plan@1", "--json")
        assert code == 0 and json.loads(out)["scenario"] == {"name": "Plan", "version": 1}
        code, out, _ = run(capsys, db, "report", "--scenario", "Plan", "--json")
        assert code == 0 and json.loads(out)["scenario"] == {"name": "Plan", "version": 2}

    def test_the_default_is_the_latest_baseline(self, capsys, db):
        code, out, _ = run(capsys, db, "report", "--json")
        assert code == 0 and json.loads(out)["scenario"] == {"name": "Baseline", "version": 1}

    @pytest.mark.parametrize(("ref", "message"), [
        ("Nope", "There is no scenario Nope."), ("Baseline@9", "There is no scenario Baseline@9."),
        ("Nope@1", "There is no scenario Nope@1.")])
    def test_an_unknown_scenario_exits_1_with_one_line(self, capsys, db, ref, message):
        code, out, err = run(capsys, db, "report", "--scenario", ref, "--json")
        assert (code, out, err) == (1, "", f"error: {message}\n")

    def test_one_line_and_no_traceback_from_the_real_command(self, tmp_path):
        done = subprocess.run(
            [sys.executable, "-m", "cxroi", "--db", str(tmp_path / "sub.duckdb"), "report",
             "--scenario", "Nope"], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr == "error: There is no scenario Nope.\n"
