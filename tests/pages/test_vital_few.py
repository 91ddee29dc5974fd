"""The Vital few page through AppTest: its numbers are ``report --json``'s, user text is text."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cxroi.format import escape_markdown, money
from cxroi.models import UploadMeta
from cxroi.report import build_report
from cxroi.store import forget_store, open_store
from tests.helpers import themes_frame

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def expected(path: Path):
    store = open_store(path)
    report = build_report(store.dataset(), store.scenario("Baseline"),
                          drilldown=store.drilldown())
    forget_store(path)
    return report


def test_the_page_shows_the_reports_themes(app_db):
    report = expected(app_db)
    at = page("vital_few")
    metrics = {m.label: m.value for m in at.metric}
    themes = report.themes
    assert metrics["Explained by themes"] == money(themes.iceberg_total - themes.unattributed)
    assert metrics["Not explained by any theme"] == money(themes.unattributed)
    assert metrics["Vital few"] == f"{len(themes.vital_few)} of {len(themes.items)} themes"
    texts = [t.value for t in at.text]
    assert any(t.endswith(f"is explained by {len(themes.items)} themes.") for t in texts)
    pareto = figures(at)[0]
    bars = pareto["data"][0]
    assert bars["y"] == [t.money for t in themes.items]
    assert pareto["data"][1]["y"] == [t.cumulative_share for t in themes.items]
    vital = {c for c, t in zip(bars["marker"]["color"], themes.items) if t.vital_few}
    useful = {c for c, t in zip(bars["marker"]["color"], themes.items) if not t.vital_few}
    assert len(vital) == 1 and len(useful) == 1 and vital != useful
    assert any("DEMO DATA" in a["text"] for a in pareto["layout"]["annotations"]
               if a.get("name") == "footnote")
    assert len(figures(at)) == 1      # the Pareto; the drill-downs wait behind "Show more"
    assert not at.get("selectbox") or "vital.theme" not in [b.key for b in at.selectbox]
    at.segmented_control(key="vital.show").set_value(["theme", "group"]).run()
    assert len(figures(at)) == 4      # the Pareto, a theme's metrics and quarters, a group's
    assert at.query_params["vital"] == ["theme", "group"]  # a pasted link shows them too


def test_drill_down_and_work_group(app_db):
    at = page("vital_few")
    at.segmented_control(key="vital.show").set_value(["theme", "group"]).run()
    at.selectbox(key="vital.theme").set_value("Billing errors").run()
    assert figures(at)[1]["layout"]["title"]["text"].startswith("Billing errors")
    at.selectbox(key="vital.department").set_value("Finance").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels[3:5] == ["Billing errors", "Slow refunds"]     # its top two, first


def test_theme_text_is_never_markup(app_env, tmp_path):
    path = app_env(tmp_path / "x.duckdb")
    store = open_store(path)
    from tests.helpers import metrics_frame
    store.commit_upload(UploadMeta(kind="metrics", file_name="m.csv", sha256="1" * 64,
                                   source="s", scope="x"),
                        metrics_frame([("2026Q1", "All", "service_contacts", 1000)]))
    store.commit_upload(UploadMeta(kind="themes", file_name="t.csv", sha256="2" * 64,
                                   source="s", scope="x"),
                        themes_frame([("2026Q1", "All", "**bold** <b>x</b>", 100,
                                       "service_contacts", "[link](http://x)")]))
    forget_store(path)
    at = page("vital_few")
    frame = at.table[0].value  # a static table reads markdown: every mark escaped
    assert frame["Theme"].tolist() == [r"\*\*bold\*\* \<b\>x\</b\>"]
    assert frame["Department"].tolist() == [escape_markdown("[link](http://x)")]
    assert "[link]" not in frame["Department"][0]
    ticks = figures(at)[0]["layout"]["xaxis"]["ticktext"]
    assert "<b>" not in "".join(ticks) and "&lt;b&gt;" in "".join(ticks)


def test_no_themes_is_one_sentence(app_env, tmp_path):
    app_env(tmp_path / "empty.duckdb")
    at = page("vital_few")
    assert [i.value for i in at.info][-1].startswith("No themes for this segment yet")
