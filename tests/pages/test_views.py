"""The executive views through AppTest: every page runs, and the numbers on screen are the
numbers of ``python -m cxroi report --json``.

Each test gets its own demo database (``CXROI_DB``, seeded before the app runs) and empty
Streamlit caches.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroi.format import escape_markdown, money, money_exact
from cxroi.models import Assumptions
from cxroi.store import forget_store, open_store
from ui.loaders import clear_caches

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ("overview", "relative", "iceberg", "effort")
ALL_PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
AGGRESSIVE = {"right_first_time_gain": 0.35, "cost_per_contact": 12.0, "gross_margin": 0.7}


@pytest.fixture
def db(app_db: Path) -> Path:
    """The shared demo database, plus an "Aggressive" scenario."""
    store = open_store(app_db)
    store.save_scenario("Aggressive", Assumptions(**AGGRESSIVE), note="for the tests")
    forget_store(app_db)  # the CLI opens the file in its own process
    return app_db


def cli_report(path: Path, *args: str) -> dict:
    forget_store(path)
    clear_caches()
    done = subprocess.run([sys.executable, "-m", "cxroi", "--db", str(path), "report", "--json",
                           *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def page(name: str, **params: str) -> AppTest:
    at = app(**params)
    at.run()
    if name != "overview":
        at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def param(at: AppTest, key: str) -> list[str]:
    """A query parameter's values, always as a list."""
    value = at.query_params[key]
    return list(value) if isinstance(value, list | tuple) else [value]


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def bar_values(at: AppTest) -> list[float]:
    fig = figures(at)[0]
    return [y for trace in fig["data"] if trace["type"] == "bar" for y in trace["y"]]


def footnotes(at: AppTest) -> str:
    """The footnotes drawn inside the page's figures (HTML line breaks undone)."""
    return "\n".join(a["text"].replace("<br>", " ") for fig in figures(at)
                     for a in fig["layout"]["annotations"] if a.get("name") == "footnote")


def shown(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "metric", "subheader", "title")
             for e in at.get(kind)]
    parts += [m.label for m in at.metric]
    return "\n".join(parts)


# --- smoke -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_every_executive_page_runs_in_the_app(db, name):
    at = page(name)
    assert not at.error, [e.value for e in at.error]
    assert figures(at), "at least one chart"
    assert "Demo data" in "\n".join(str(i.value) for i in at.info)


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_page_runs_alone(db, name):
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]


def test_every_chart_carries_its_footnote(db):
    for name in PAGES:
        at = page(name)
        assert figures(at), name
        for fig in figures(at):
            inside = [a for a in fig["layout"]["annotations"] if a.get("name") == "footnote"]
            assert inside and "DEMO DATA" in inside[0]["text"], name


# --- behaviour -------------------------------------------------------------------------------


def test_changing_the_baseline_changes_the_bars(db):
    at = page("relative")
    normal = bar_values(at)
    at.segmented_control(key="relative.baseline").set_value("previous").run()
    assert not at.exception
    previous = bar_values(at)
    assert previous != normal
    report = cli_report(db, "--baseline", "previous")
    expected = sorted(b["relative"] for b in report["relative"]["bars"]
                      if b["relative"] is not None)
    assert sorted(previous) == pytest.approx(expected)
    assert param(at, "baseline") == ["previous"]


def test_measures_without_the_baseline_are_left_out_and_counted(db):
    at = page("relative", baseline="target")
    fig = figures(at)[0]
    assert not [t for t in fig["data"] if t["type"] == "scatter"]  # no "n/a" marks
    report = cli_report(db, "--baseline", "target")
    without = sum(1 for b in report["relative"]["bars"] if b["baseline"] is None)
    drawn = sum(len(t["x"]) for t in fig["data"] if t["type"] == "bar")
    assert without > 0 and drawn == len(report["relative"]["bars"]) - without
    assert f"{without} left out (no target baseline)" in fig["layout"]["title"]["subtitle"]["text"]
    assert "Baseline: target." in footnotes(at)


def escape_markdown_free(text: str) -> str:
    return text.replace("\\", "")


def test_choosing_measures_and_money(db):
    at = page("relative")
    at.multiselect(key="relative.metrics").set_value(["refunds_credits", "revenue"]).run()
    assert len(bar_values(at)) == 2
    at.toggle(key="relative.money").set_value(True).run()
    report = cli_report(db)
    deltas = {b["metric"]: b["delta"] for b in report["relative"]["bars"]}
    assert sorted(bar_values(at)) == pytest.approx(sorted([deltas["refunds_credits"],
                                                           deltas["revenue"]]))
    assert param(at, "metrics") == ["refunds_credits", "revenue"]


def test_circles_view(db):
    at = page("relative", view="Circles")
    fig = figures(at)[0]
    assert fig["data"][0]["marker"]["sizemode"] == "area"


def test_changing_the_scenario_changes_the_iceberg_total_to_the_cli_figure(db):
    baseline = cli_report(db)["iceberg"][-1]["total"]
    aggressive = cli_report(db, "--scenario", "Aggressive")["iceberg"][-1]["total"]
    assert aggressive != baseline
    at = page("iceberg")
    assert money(baseline) in [m.value for m in at.metric]
    at.segmented_control(key="iceberg.show").set_value(["math"]).run()
    at.selectbox(key="sidebar.scenario").select("Aggressive@1").run()
    assert not at.exception
    assert money(aggressive) in [m.value for m in at.metric]
    table = at.table[0].value
    total = table.loc[table["Line"] == "Total", "Amount"].item()
    assert total == escape_markdown(money_exact(aggressive))
    assert param(at, "scenario") == ["Aggressive@1"]


def test_the_melt_matches_the_cli(db):
    melt = cli_report(db)["melt"]
    at = page("iceberg")
    at.segmented_control(key="iceberg.show").set_value(["melt"]).run()
    values = [m.value for m in at.metric]
    assert money(melt["npv"]) in values and money(melt["yearly_benefit"]) in values
    at.segmented_control(key="iceberg.show").set_value(["melt", "snowball"]).run()
    assert len(figures(at)) == 4
    assert param(at, "show") == ["melt", "snowball"]


def test_a_link_restores_the_iceberg_s_extra_views_and_ignores_unknown_ones(db):
    at = page("iceberg", show=["math", "melt", "<b>x</b>"])
    assert at.segmented_control(key="iceberg.show").value == ["math", "melt"]
    assert [h.value for h in at.subheader] == ["The melt", "The math"]
    assert len(figures(at)) == 2, "the iceberg and the melt"
    assert len(at.table) == 2, "the math table, and revenue at risk's in its expander"


def test_query_params_restore_the_view(db):
    retail = cli_report(db, "--segment", "Retail", "--period", "2025Q4")
    berg = next(b for b in retail["iceberg"] if b["period"] == "2025Q4")
    at = page("iceberg", segment="Retail", period="2025Q4")
    assert at.selectbox(key="sidebar.segment").value == "Retail"
    assert at.selectbox(key="sidebar.period").value == "2025Q4"
    assert money(berg["total"]) in [m.value for m in at.metric]
    assert param(at, "segment") == ["Retail"]


def test_unknown_query_params_fall_back(db):
    at = page("relative", segment="Nowhere", baseline="<b>x</b>")
    assert at.selectbox(key="sidebar.segment").value == "All"
    assert at.segmented_control(key="relative.baseline").value == "normal"


def test_effort_headline_matches_the_cli(db):
    effort = cli_report(db)["effort"]
    latest = [e for e in effort if e["department"] == "All"][-1]
    at = page("effort")
    fig = figures(at)[0]
    title = fig["layout"]["title"]["text"].replace("<br>", " ")
    assert f"{latest['el_gap_hours']:,.0f} hours short of 50%" in title


def test_overview_links_to_the_three_pictures(db):
    at = page("overview")
    assert len(figures(at)) == 3
    links = {link.proto.label: link.proto.page for link in at.get("page_link")}
    assert set(links) == {"Open Relative size", "Open Cost iceberg", "Open Effort split"}
    assert all(links.values())


def test_hostile_text_is_shown_as_text(tmp_path, app_env):
    from tests.helpers import upload  # the store tests' builders

    path = tmp_path / "hostile.duckdb"
    store = open_store(path)
    hostile = "<script>alert(1)</script> **bold**"
    upload(store, "metrics", [("2026Q1", hostile, "service_contacts", 100),
                              ("2026Q2", hostile, "service_contacts", 150)],
           source=hostile, scope=hostile)
    app_env(path)
    for name in PAGES:
        at = page(name, segment=hostile)
        for fig in figures(at):
            assert "<script>" not in json.dumps(fig)
        if name != "effort":  # effort has no segments
            assert html.escape(hostile, quote=False) in footnotes(at) + "\n".join(
                json.dumps(fig) for fig in figures(at)) or escape_markdown(hostile) in shown(at)
    assert os.environ["CXROI_DB"] == str(path)


def test_an_empty_database_shows_empty_states_not_errors(tmp_path, app_env):
    path = app_env(tmp_path / "empty.duckdb")
    for name in PAGES:
        at = page(name)
        assert not at.error, (name, [e.value for e in at.error])
    assert "No iceberg inputs yet" in "\n".join(str(i.value) for i in page("overview").info)
    at = app(present="1").run()
    for _ in range(6):
        at.button(key="present.next").click().run()
        assert not at.exception and not at.error
    assert open_store(path).is_empty()  # a named database is never seeded
