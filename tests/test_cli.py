"""`python -m cxroi`: exit codes, messages and the contract's report JSON, to the cent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxroi.cli import main
from cxroi.demo import demo_frames
from cxroi.store import Store

from .helpers import upload

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """An embedded file; a test marked `BOTH` also runs on a DuckLake (tests/lake.py)."""
    if getattr(request, "param", "file") == "lake":
        return request.getfixturevalue("new_lake")()
    return tmp_path / "cli.duckdb"


BOTH = pytest.mark.parametrize("db", ["file", "lake"], indirect=True)


def seed(db: Path, kind: str, rows: list[tuple]) -> None:
    store = Store(db)
    try:
        upload(store, kind, rows)
    finally:
        store.close()


def write_json(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


class TestReport:
    @BOTH
    def test_designs_worked_example_through_the_cli(self, capsys, db, tmp_path):
        # Four quarters of 433,500 in refunds make 1,734,000 a year, all prevented.
        seed(db, "metrics", [(p, "All", "refunds_credits", 433_500)
                             for p in ("2025Q2", "2025Q3", "2025Q4", "2026Q1")])
        case = write_json(tmp_path, "case.json", {
            "right_first_time_gain": 1, "benefit_risk_haircut": 0,
            "prevention_investment": 50_625, "prevention_running_cost": 0,
            "discount_rate": 0, "horizon_years": 1})
        code, out, _ = run(capsys, "--db", str(db), "report", "--assumptions", str(case), "--json")
        assert code == 0
        melt = json.loads(out)["melt"]
        assert melt["annual_cost"] == 1_734_000
        assert melt["yearly_benefit"] == 1_734_000
        assert melt["npv"] == pytest.approx(1_683_375, abs=0.005)
        assert round(melt["roi"], 4) == 33.2519
        assert round(melt["payback_months"], 2) == 0.35
        assert json.loads(out)["scenario"] == {"name": "case.json", "version": None}

    @BOTH
    def test_the_json_has_designs_shape_and_formulas(self, capsys, db):
        seed(db, "metrics", [("2025Q4", "All", "service_contacts", 1400),
                             ("2026Q1", "All", "service_contacts", 1543),
                             ("2026Q1", "All", "escalations", 35)])
        seed(db, "effort", [("2026Q1", "Support", "TM", 1500, "inner"),
                            ("2026Q1", "Support", "EL", 200, "outer"),
                            ("2026Q1", "Marketing", "EM", 700),
                            ("2026Q1", "Product", "EL", 350, "outer")])
        code, out, _ = run(capsys, "--db", str(db), "report", "--json")
        assert code == 0
        report = json.loads(out)
        assert list(report) == ["scenario", "periods", "iceberg", "melt", "effort", "relative",
                                "themes", "revenue_at_risk", "plans"]
        assert report["scenario"] == {"name": "Baseline", "version": 1}
        assert report["periods"] == ["2025Q4", "2026Q1"]
        latest = report["iceberg"][-1]
        # 1,543 contacts * $8 = 12,344; 35 escalations * 3 h * $95 = 9,975
        assert [(l["key"], l["amount"]) for l in latest["lines"]] == [
            ("service_cost", 12_344.0), ("escalation_time", 9_975.0)]
        assert latest["lines"][0]["inputs"] == {"service_contacts": 1543.0,
                                                "cost_per_contact": 8.0}
        assert (latest["visible"], latest["hidden"], latest["total"]) == (12_344, 9_975, 22_319)
        assert "slower_sales" in latest["missing"] and "service_cost" not in latest["missing"]
        company = report["effort"][0]
        assert (company["period"], company["department"]) == ("2026Q1", "All")
        assert company["hours"] == {"TM": 1500.0, "EM": 700.0, "EL": 550.0}
        assert company["shares"]["EL"] == pytest.approx(0.2)
        assert company["el_gap_hours"] == 825.0
        assert company["outer_loop_share"] == pytest.approx(550 / 2050)
        assert [e["department"] for e in report["effort"]] == ["All", "Marketing", "Product",
                                                                 "Support"]
        relative = report["relative"]
        assert (relative["period"], relative["segment"], relative["baseline"]) == (
            "2026Q1", "All", "normal")
        contacts = next(b for b in relative["bars"] if b["metric"] == "service_contacts")
        assert contacts["baseline"] == 1400.0 and contacts["delta"] == 143.0
        assert contacts["relative"] == pytest.approx(143 / 1400) and contacts["worse"] is True
        escalations = next(b for b in relative["bars"] if b["metric"] == "escalations")
        assert [escalations[k] for k in ("baseline", "delta", "relative", "worse")] == [
            None, None, None, None]

    def test_segment_period_and_baseline_flags(self, capsys, db):
        seed(db, "metrics", [("2025Q3", "Retail", "returns", 80),
                             ("2025Q4", "Retail", "returns", 100),
                             ("2026Q1", "Retail", "returns", 90),
                             ("2026Q1", "Business", "returns", 5)])
        code, out, _ = run(capsys, "--db", str(db), "report", "--segment", "Retail",
                           "--period", "2025-Q4", "--baseline", "previous", "--json")
        assert code == 0
        report = json.loads(out)
        assert {b["segment"] for b in report["iceberg"]} == {"Retail"}
        assert report["iceberg"][-1]["total"] == 90 * 25.0
        bar = report["relative"]["bars"][0]
        assert (report["relative"]["period"], bar["baseline"], bar["delta"]) == ("2025Q4", 80, 20)

    def test_a_zero_baseline_gives_null_relative_never_infinity(self, capsys, db):
        seed(db, "metrics", [("2025Q4", "All", "escalations", 0),
                             ("2026Q1", "All", "escalations", 5)])
        code, out, _ = run(capsys, "--db", str(db), "report", "--json")
        bar = json.loads(out)["relative"]["bars"][0]
        assert (bar["baseline"], bar["delta"], bar["relative"], bar["worse"]) == (0, 5, None, True)

    @BOTH
    def test_an_empty_database_reports_empty_lists(self, capsys, db):
        code, out, _ = run(capsys, "--db", str(db), "report", "--json")
        report = json.loads(out)
        assert code == 0
        assert (report["periods"], report["iceberg"], report["effort"]) == ([], [], [])
        assert report["melt"]["annual_cost"] == 0 and report["melt"]["payback_months"] is None
        assert report["relative"]["bars"] == []

    @pytest.mark.parametrize("content, key", [
        ({"cost_per_contacts": 8}, "cost_per_contacts"),
        ({"gross_margin": 1.5}, "gross_margin"),
        ({"horizon_years": 2.5}, "horizon_years"),
        ({"cost_per_contact": "eight"}, "cost_per_contact"),
        ({"discount_rate": -0.1}, "discount_rate"),
    ])
    def test_bad_assumption_files_exit_1_naming_the_key(self, capsys, db, tmp_path, content, key):
        path = write_json(tmp_path, "bad.json", content)
        code, out, err = run(capsys, "--db", str(db), "report", "--assumptions", str(path),
                             "--json")
        assert code == 1 and out == ""
        assert key in err and "Traceback" not in err and err.count("\n") == 1

    def test_implausible_values_warn_on_stderr_but_report(self, capsys, db, tmp_path):
        path = write_json(tmp_path, "odd.json", {"cost_per_contact": 40})
        code, out, err = run(capsys, "--db", str(db), "report", "--assumptions", str(path),
                             "--json")
        assert code == 0 and json.loads(out)
        assert "cost_per_contact" in err and "plausible" in err

    def test_a_partial_file_keeps_the_defaults(self, capsys, db, tmp_path):
        seed(db, "metrics", [("2026Q1", "All", "service_contacts", 100)])
        path = write_json(tmp_path, "a.json", {"cost_per_contact": 7.25, "gross_margin": 0.55})
        code, out, _ = run(capsys, "--db", str(db), "report", "--assumptions", str(path), "--json")
        assert json.loads(out)["iceberg"][0]["total"] == 725.0

    @BOTH
    def test_scenario_at_version_picks_that_version(self, capsys, db, tmp_path):
        seed(db, "metrics", [("2026Q1", "All", "service_contacts", 100)])
        for cost in (9, 10):
            path = write_json(tmp_path, f"s{cost}.json", {"cost_per_contact": cost})
            assert run(capsys, "--db", str(db), "scenario", "save", "Plan", "--from",
                       str(path))[0] == 0
        first = json.loads(run(capsys, "--db", str(db), "report", "--scenario", "Plan@1",
                               "--json")[1])
        latest = json.loads(run(capsys, "--db", str(db), "report", "--scenario", "Plan",
                                "--json")[1])
        assert first["scenario"] == {"name": "Plan", "version": 1}
        assert (first["iceberg"][0]["total"], latest["iceberg"][0]["total"]) == (900.0, 1000.0)
        assert latest["scenario"] == {"name": "Plan", "version": 2}

    def test_an_unknown_scenario_exits_1(self, capsys, db):
        code, out, err = run(capsys, "--db", str(db), "report", "--scenario", "Nope", "--json")
        assert (code, out) == (1, "") and "no scenario Nope" in err


class TestDemoAndHistory:
    @BOTH
    def test_demo_loads_once_and_refuses_a_full_database_without_reset(self, capsys, db):
        assert run(capsys, "--db", str(db), "demo")[0] == 0
        code, _, err = run(capsys, "--db", str(db), "demo")
        assert code == 1 and "--reset" in err
        assert run(capsys, "--db", str(db), "demo", "--reset")[0] == 0
        uploads = json.loads(run(capsys, "--db", str(db), "uploads", "--json")[1])
        assert [u["status"] for u in uploads] == ["active"] * len(demo_frames())  # one per kind
        report = json.loads(run(capsys, "--db", str(db), "report", "--json")[1])
        assert len(report["periods"]) >= 8 and report["iceberg"][-1]["missing"] == []

    @BOTH
    def test_uploads_json_and_rollback(self, capsys, db):
        seed(db, "metrics", [("2026Q1", "Retail", "returns", 1)])
        uploads = json.loads(run(capsys, "--db", str(db), "uploads", "--json")[1])
        assert list(uploads[0]) == ["id", "kind", "file", "sha256", "uploaded_at",
                                    "uploaded_by", "source", "scope", "rows", "status"]
        code, out, _ = run(capsys, "--db", str(db), "rollback", str(uploads[0]["id"]))
        assert code == 0 and "Rolled back" in out
        assert json.loads(run(capsys, "--db", str(db), "uploads", "--json")[1])[0][
            "status"] == "rolled_back"
        code, _, err = run(capsys, "--db", str(db), "rollback", "99")
        assert code == 1 and "no upload 99" in err

    def test_usage_errors_exit_1_not_2(self, capsys, db):
        code, _, err = run(capsys, "--db", str(db), "report", "--baseline", "yesterday")
        assert code == 1 and "yesterday" in err


def test_the_module_runs_and_fails_without_a_traceback(tmp_path):
    held = tmp_path / "missing" / "x.duckdb"
    done = subprocess.run([sys.executable, "-m", "cxroi", "--db", str(held), "report", "--json"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr


class TestPlainSentences:
    """No person sees a library's exception text (pydantic's, DuckDB's, Python's)."""

    SAMPLE = ROOT / "tests" / "data" / "samples" / "metrics_clean.csv"

    def test_a_blank_source_names_the_field(self, capsys, db):
        code, _, err = run(capsys, "--db", str(db), "import", "metrics", str(self.SAMPLE),
                           "--source", " ", "--scope", "x")
        assert code == 1
        assert err == "error: source: must not be empty\n"
        assert Store(db).uploads() == []

    def test_a_source_too_long_is_one_sentence(self, capsys, db):
        code, _, err = run(capsys, "--db", str(db), "import", "metrics", str(self.SAMPLE),
                           "--source", "s" * 10_001, "--scope", "x")
        assert code == 1 and err == "error: source: is longer than 10,000 characters\n"

    def test_an_unexpected_failure_is_one_sentence_and_logged(self, capsys, db, monkeypatch,
                                                                caplog):
        import cxroi.cli.data

        def broken(args):
            raise RecursionError("maximum recursion depth exceeded")

        monkeypatch.setattr(cxroi.cli.data, "_uploads", broken)
        code, _, err = run(capsys, "--db", str(db), "uploads")
        assert code == 1 and err.count("\n") == 1
        assert "RecursionError" not in err and "--verbose" in err
        assert "RecursionError" in caplog.text

    def test_an_empty_db_path_is_refused_not_the_default(self, capsys, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        code, _, err = run(capsys, "--db", "", "uploads")
        assert code == 1 and err == "error: --db needs a database file's path (it was empty).\n"

    def test_report_json_never_prints_infinity(self, capsys, db):
        seed(db, "metrics", [("2026Q1", "Retail", "refunds_credits", 1e308),
                             ("2026Q1", "Business", "refunds_credits", 1e308)])
        code, out, err = run(capsys, "--db", str(db), "report", "--json")
        assert code == 1 and out == "" and "Infinity" not in err
        assert err.startswith("error: Some figures are too large to compute")

    def test_a_source_with_a_terminal_escape_is_refused(self, capsys, db):
        code, _, err = run(capsys, "--db", str(db), "import", "metrics", str(self.SAMPLE),
                           "--source", "Zendesk\x1b[31m red", "--scope", "x")
        assert code == 1 and "\x1b" not in err
        assert err == ("error: source: contains a control character (a NUL, an escape or a "
                       "line break)\n")

    def test_deep_json_and_a_folder_are_one_sentence_each(self, capsys, db, tmp_path):
        deep = tmp_path / "deep.json"
        deep.write_text("[" * 10_000 + "]" * 10_000)
        code, _, err = run(capsys, "--db", str(db), "scenario", "save", "X", "--from", str(deep))
        assert code == 1 and err.count("\n") == 1 and "Recursion" not in err
        assert "nests objects or lists" in err
        code, _, err = run(capsys, "--db", str(db), "scenario", "save", "X", "--from",
                           str(tmp_path))
        assert code == 1 and err == f"error: {tmp_path} is a folder, not a scenario file.\n"
        tricky = tmp_path / "tricky.json"
        tricky.write_text('{"gross_margin": 0.5, "note": "[[[{"}')  # brackets inside a string
        code, _, err = run(capsys, "--db", str(db), "scenario", "save", "X", "--from",
                           str(tricky))
        assert code == 1 and "note: unknown assumption" in err

    @BOTH
    def test_import_prints_the_warnings_the_page_shows(self, capsys, db, tmp_path):
        windows = tmp_path / "windows.csv"
        windows.write_bytes("period,segment,metric,value,unit\n2026Q1,Zürich,returns,5,count\n"
                            .encode("cp1252"))
        code, out, err = run(capsys, "--db", str(db), "import", "metrics", str(windows),
                             "--source", "s", "--scope", "x")
        assert code == 0 and "Imported 1 metrics row" in out
        assert err.startswith("warning: ") and "1252" in err
        assert "Zürich" in Store(db).segments()  # decoded as written, not "ZÃ¼rich"
