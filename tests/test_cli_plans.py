"""``plan add / update / list`` and ``import themes``: sentences and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxroi.cli import main
from cxroi.store import forget_store

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
ADD = ("plan", "add", "--theme", "Late delivery", "--root-cause", "No carrier SLA",
       "--action", "Renegotiate the carrier contract", "--owner", "Dana", "--due", "2027-03-31")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys) -> str:
    path = str(tmp_path / "plans.duckdb")
    for kind, name in (("metrics", "metrics_clean.csv"), ("themes", "themes_clean.csv")):
        code, out, err = run(capsys, "--db", path, "import", kind, str(SAMPLES / name),
                             "--source", "Sample", "--scope", "Sample scope")
        assert code == 0, err
    yield path
    forget_store(path)


def test_import_themes_says_what_it_stored(tmp_path, capsys):
    path = str(tmp_path / "t.duckdb")
    code, out, _ = run(capsys, "--db", path, "import", "themes", str(SAMPLES / "themes_clean.csv"),
                       "--source", "Survey coding", "--scope", "All")
    assert (code, out) == (0, "Imported 7 themes row(s) from themes_clean.csv as upload 1.\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("period,segment,theme,count,metric,department\n"
                   "2026Q1,All,Late,-1,nps,Logistics\n2026Q1,All,late,2,,Ops\n")
    code, out, err = run(capsys, "--db", path, "import", "themes", str(bad), "--source", "s",
                         "--scope", "x")
    assert code == 1 and out == ""
    assert err.splitlines()[:2] == [
        "row 2, column count: must be 0 or more (got -1)",
        "row 2, column metric: 'nps' is not an iceberg input (use service_contacts, "
        "refunds_credits, returns, escalations, customers_lost, detractors, deals_delayed or "
        "frontline_leavers)"]
    assert "row 3, column department" in err
    forget_store(path)


def test_add_update_list(db, capsys):
    code, out, err = run(capsys, "--db", db, *ADD, "--investment", "40,000", "--running-cost",
                         "5000", "--expected-reduction", "0.8", "--indicator", "customers_lost",
                         "--target", "100", "--note", "=1+1", "--by", "dana")
    assert (code, out, err) == (0, "1\n", "")
    code, out, _ = run(capsys, "--db", db, "plan", "update", "1", "--status", "in_progress",
                       "--by", "lee")
    assert (code, out) == (0, "Updated action plan 1 to version 2 (in_progress).\n")
    code, out, _ = run(capsys, "--db", db, "plan", "list", "--json")
    plans = json.loads(out)
    assert code == 0 and len(plans) == 1
    plan = plans[0]
    assert (plan["id"], plan["version"], plan["status"], plan["investment"]) == (
        1, 2, "in_progress", 40_000.0)
    assert plan["theme_annual_cost"] == pytest.approx(192_800)
    assert plan["indicator_latest"] == 402.0
    report = json.loads(run(capsys, "--db", db, "report", "--json")[1])
    assert report["plans"] == plans
    code, out, _ = run(capsys, "--db", db, "plan", "list")
    assert code == 0 and out.startswith("   1 v2  in_progress  due 2027-03-31  Late delivery")
    audit = json.loads(run(capsys, "--db", db, "audit", "--json")[1])
    assert [(a["who"], a["action"]) for a in audit[-2:]] == [("dana", "plan_add"),
                                                             ("lee", "plan_update")]


@pytest.mark.parametrize("extra, sentence", [
    (("--expected-reduction", "1.5"), "expected_reduction: must be a share between 0 and 1"),
    (("--investment", "-1"), "investment: must be 0 or more (got -1.0)."),
    (("--investment", "lots"), "--investment must be a number (got 'lots'); nothing was stored."),
    (("--running-cost", "-3"), "running_cost: must be 0 or more"),
])
def test_a_bad_add_is_one_sentence_exit_1_nothing_stored(db, capsys, extra, sentence):
    code, out, err = run(capsys, "--db", db, *ADD, *extra)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and sentence in err and err.count("\n") == 1
    assert json.loads(run(capsys, "--db", db, "plan", "list", "--json")[1]) == []


def test_unknown_theme_and_bad_date(db, capsys):
    args = list(ADD)
    args[3] = "Rude staff"
    code, _, err = run(capsys, "--db", db, *args)
    assert code == 1 and err == ("error: There is no theme 'Rude staff' in the uploads; a plan is "
                                 "for a theme that has been uploaded (upload its rows first).\n")
    args = list(ADD)
    args[-1] = "soon"
    code, _, err = run(capsys, "--db", db, *args)
    assert (code, err) == (1, "error: due: must be a date written YYYY-MM-DD (got 'soon').\n")


def test_update_refusals(db, capsys):
    assert run(capsys, "--db", db, *ADD)[0] == 0
    for args, sentence in (
            (("7", "--status", "done"), "error: There is no action plan 7.\n"),
            (("x", "--status", "done"), "error: A plan id is a whole number (got 'x').\n"),
            (("1", "--status", "late"), "error: status: must be one of planned, in_progress, "
                                        "done, dropped (got 'late').\n"),
            (("1",), "error: Nothing to update: name at least one field, e.g. --status done.\n"),
            (("1", "--status", "planned"), "error: Action plan 1 already says that; nothing "
                                           "was stored.\n")):
        code, out, err = run(capsys, "--db", db, "plan", "update", *args)
        assert (code, out, err) == (1, "", sentence)
    assert json.loads(run(capsys, "--db", db, "plan", "list", "--json")[1])[0]["version"] == 1


def test_add_needs_its_required_flags(db, capsys):
    code, _, err = run(capsys, "--db", db, "plan", "add", "--theme", "Late delivery")
    assert code == 1 and "required" in err and "Traceback" not in err
