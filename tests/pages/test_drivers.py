"""The Drivers page through AppTest: the demo's survey, the numbers of ``drivers --json``,
widgets kept in the URL, and a plain sentence (never a traceback) on a refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroi.cli import main
from cxroi.store import Store, forget_store, open_store
from tests.helpers import upload

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def page(**params: str) -> AppTest:
    """The Drivers page, its leading indicators shown (``?more=leading``) unless told."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {"more": "leading", **params}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/drivers.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def cli_drivers(path: Path, capsys, *args: str) -> dict:
    forget_store(path)
    assert main(["--db", str(path), "drivers", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_leading_indicators_are_drawn_when_asked(app_db):
    at = page(more="")
    assert len(figures(at)) == 2 and not any(
        h.value == "Leading indicators" for h in at.header)  # the bars and the matrix only
    at.segmented_control(key="drivers.show").set_value(["leading"]).run()
    assert len(figures(at)) == 3 and any(h.value == "Leading indicators" for h in at.header)
    assert at.query_params["more"] in ("leading", ["leading"])  # a pasted link shows them


def test_the_bars_show_the_cli_shares_signed_and_greyed(app_db, capsys):
    at = page()
    bars, matrix, scatter = figures(at)
    expected = cli_drivers(app_db, capsys, "--outcome", "likelihood_to_recommend")
    trace = bars["data"][0]
    # bottom to top: the least important first; x is the share signed by r's direction
    shares = [d["share"] * (1 if d["r"] >= 0 else -1) for d in expected["drivers"]][::-1]
    assert trace["x"] == pytest.approx(shares)
    colours = trace["marker"]["color"]
    for driver, colour in zip(expected["drivers"][::-1], colours, strict=True):
        assert (colour == "#C8C8C8") == (not driver["significant"])   # grey, never hidden
    notes = " ".join(a["text"].replace("<br>", " ") for a in bars["layout"]["annotations"]
                     if a.get("name") == "footnote")
    assert f"n = {expected['n']:,} complete responses" in notes
    assert f"R² = {expected['r2']:.3f}" in notes and "DEMO DATA" in notes
    assert "Fix first" in matrix["layout"]["title"]["text"]
    assert scatter["data"][0]["type"] == "scatter"


def test_widgets_come_from_the_url_and_go_back_to_it(app_db, capsys):
    at = page(respondents="Business", survey="2025Q4", items=["delivery_speed", "support_helpfulness"],
              method="johnson")
    assert at.selectbox(key="drivers.segment").value == "Business"
    assert at.selectbox(key="drivers.period").value == "2025Q4"
    expected = cli_drivers(app_db, capsys, "--outcome", "likelihood_to_recommend", "--segment",
                           "Business", "--period", "2025Q4", "--items",
                           "delivery_speed,support_helpfulness", "--method", "johnson")
    trace = figures(at)[0]["data"][0]
    assert len(trace["x"]) == 2
    assert sorted(abs(x) for x in trace["x"]) == pytest.approx(
        sorted(d["share"] for d in expected["drivers"]))
    at.selectbox(key="drivers.segment").set_value("Retail").run()
    assert at.query_params["respondents"] == "Retail"
    assert list(at.query_params["items"]) == ["delivery_speed", "support_helpfulness"]


def test_a_refusal_is_one_sentence(tmp_path, app_env):
    path = app_env(tmp_path / "few.duckdb")
    store = open_store(path)
    upload(store, "ratings", [("2026Q1", "Retail", "a", "recommend", 9),
                              ("2026Q1", "Retail", "a", "delivery", 8)])
    upload(store, "metrics", [("2026Q1", "All", "customers", 10)])
    forget_store(path)
    at = page()
    errors = [e.value for e in at.error]
    # the outcome starts at the first item (there is no likelihood_to_recommend here)
    assert errors == ["The key drivers: Key drivers need at least 3 respondents who answered "
                      "'delivery' and all 1 drivers; there are 1."]
    assert "no other metric to test" in " ".join(str(s.value) for s in at.subheader)


def test_no_ratings_gives_the_empty_state(tmp_path, app_env):
    path = app_env(tmp_path / "none.duckdb")
    store = Store(path)
    upload(store, "metrics", [("2026Q1", "All", "customers", 10)])
    store.close()
    at = page()
    assert not at.error
    assert any("no survey ratings yet" in str(i.value) for i in at.info)


@pytest.mark.parametrize("name", ["iceberg", "overview"])
def test_revenue_at_risk_shows_beside_the_iceberg_as_exposure(app_db, capsys, name):
    forget_store(app_db)
    assert main(["--db", str(app_db), "report", "--json"]) == 0
    latest = json.loads(capsys.readouterr().out)["revenue_at_risk"][-1]
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if name != "overview":
        at.switch_page(f"pages/{name}.py").run()
    assert not at.exception
    from cxroi.format import escape_markdown, money

    cards = {m.label: m.value for m in at.metric}
    assert cards["Short-term risk (detractors)"] == money(latest["short_term"])
    assert cards["Long-term risk (passives)"] == money(latest["long_term"])
    assert cards["Growth potential (promoters)"] == money(latest["growth_potential"])
    text = " ".join(str(m.value) for m in at.markdown)
    assert escape_markdown("Revenue at risk: exposure, never added to the cost") in text
    if name == "iceberg":
        math = at.table[0].value
        assert "detractors * detractor_revenue_at_risk * annual_revenue_per_customer" in \
            math["Formula"].tolist()


def test_a_wide_survey_export_goes_through_the_upload_page_and_shows_on_the_drivers_page(
        app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/upload.py").run()
    at.segmented_control(key="upload.kind").set_value("ratings").run()
    at.text_input(key="upload.source").set_value("Survey tool export")
    at.text_input(key="upload.scope").set_value("Retail respondents")
    lines = ["Survey Q4 2026", "Period,Segment,Respondent,Recommend,Delivery,Support"]
    lines += [f"2026Q4,Retail,R{i},{(i * 7) % 11},{(i * 3) % 5 + 1},{'' if i % 9 == 0 else (i * i) % 5 + 1}"
              for i in range(60)]
    at.get("file_uploader")[0].set_value(("survey.csv", "\n".join(lines).encode(), "text/csv"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    facts = {m.label: m.value for m in at.metric}
    assert facts["New periods"] == "2026Q4"           # a quarter no survey had yet
    at.button(key="upload.commit").click().run()
    assert not at.exception
    at.switch_page("pages/drivers.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox(key="drivers.period").value == "2026Q4"   # the latest survey quarter
