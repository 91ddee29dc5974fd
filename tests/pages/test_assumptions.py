"""AppTest flows over the real app: edit an assumption, see the overview's headline change,
save a version, compare, restore, and load a scenario file. Each test gets its own demo
database (``CXROI_DB``) and empty Streamlit caches."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cxroi.format import money
from cxroi.models import Assumptions, Scenario, assumption_info
from cxroi.report import build_report
from cxroi.store import Store, open_store
from tests.helpers import unescaped

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DRAFT, SIDEBAR = "assumptions.draft", "sidebar.scenario"
SCENARIOS_TAB = "scenarios.tab"


@pytest.fixture
def demo(app_db: Path) -> Store:
    """The shared demo database (see conftest.py), opened as this process's store."""
    return open_store(app_db)


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open one of the Scenarios page's tabs, as a click on it does (only the open tab runs)."""
    at.session_state[SCENARIOS_TAB] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(table) -> pd.DataFrame:
    """A static table's cells as the user reads them (`static_table` escapes markdown)."""
    return table.value.map(lambda v: unescaped(v) if isinstance(v, str) else v)


def texts(elements) -> list[str]:
    """Messages as the user reads them (the page escapes markdown in user text)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in elements]


def metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def headline(store: Store, assumptions: Assumptions) -> str:
    """The overview's 'Cost of poor experience' figure for these assumptions."""
    report = build_report(store.dataset("All"), Scenario(name="x", assumptions=assumptions))
    return money(report.latest_iceberg.total)


MONEY = {info.key for info in assumption_info() if info.unit.startswith("money")}


def edit(at: AppTest, key: str, value: float | str | None) -> AppTest:
    """Type ``value`` into an input: money as text (``1234.5`` is typed "1,234.5")."""
    if key in MONEY:
        text = "" if value is None else value if isinstance(value, str) else f"{value:,}"
        at.text_input(key=f"assumptions.{key}").input(text).run()
    else:
        at.number_input(key=f"assumptions.{key}").set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def save(at: AppTest, *, name: str | None = None, note: str = "", by: str = "") -> AppTest:
    if name is not None:
        at.text_input(key="assumptions.save_name").input(name)
    at.text_input(key="assumptions.save_by").input(by)
    at.text_area(key="assumptions.save_note").input(note)
    at.button(key="FormSubmitter:assumptions.save-Save as a new version").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


class TestPages:
    def test_assumptions_and_scenarios_render_every_field(self, demo):
        at = open_page("pages/assumptions.py")
        assert len(at.number_input) + len(at.text_input) - 2 == len(Assumptions.model_fields)
        assert at.text_input(key="assumptions.prevention_investment").value == "250,000"
        assert at.text_input(key="assumptions.cost_per_contact").value == "8.00"
        assert at.number_input(key="assumptions.gross_margin").value == 60.0  # percent
        assert at.number_input(key="assumptions.horizon_years").value == 3
        captions = " ".join(texts(at.caption))
        assert "Plausible 30% to 80%" in captions and "Share of revenue kept" in captions
        assert not at.error
        at = open_page("pages/scenarios.py")
        assert [t.label for t in at.tabs] == ["Compare", "Sensitivity and break-even",
                                              "History and restore"]
        assert not at.error


class TestLivePreview:
    def test_an_edit_changes_the_overview_headline_without_saving(self, demo):
        before = headline(demo, Assumptions())
        at = open_page("pages/assumptions.py")
        edit(at, "cost_per_contact", 20.0)
        assert at.session_state[DRAFT] == Assumptions(cost_per_contact=20.0)
        after = headline(demo, Assumptions(cost_per_contact=20.0))
        assert after != before
        assert metric(at, "Cost of poor experience") == after
        assert metric(at, "Assumptions changed") == "1"
        assert at.dataframe[0].value.iloc[0].tolist() == ["Cost per service contact", "$8", "$20"]
        at.switch_page("pages/overview.py").run()
        assert not at.exception
        assert metric(at, "Cost of poor experience") == after
        labels = [re.sub(r"\\(.)", r"\1", m.label) for m in at.metric]
        assert "Prevention NPV under Baseline@1 (unsaved edit)" in labels
        assert not any("((" in label or "))" in label for label in labels)
        assert [s.label for s in demo.scenarios()] == ["Baseline@1"]  # nothing saved

    def test_money_is_typed_and_shown_with_thousands_separators(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "prevention_investment", "$300,000")
        assert at.session_state[DRAFT].prevention_investment == 300_000
        edit(at, "prevention_investment", "12abc")
        assert any("Type a number such as 250,000" in e for e in texts(at.error))
        assert DRAFT not in at.session_state or \
            at.session_state[DRAFT].prevention_investment == 250_000  # refused, not applied

    def test_ratios_are_typed_in_percent(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "gross_margin", 45.0)
        assert at.session_state[DRAFT].gross_margin == 0.45

    def test_a_value_outside_the_hard_limits_is_refused_and_not_applied(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "cost_per_contact", 20.0)
        edit(at, "gross_margin", 150.0)
        messages = texts(at.error)
        assert any("must be at least 0% and at most 100%" in m for m in messages)
        assert at.session_state[DRAFT] == Assumptions(cost_per_contact=20.0)  # margin stays
        at.switch_page("pages/overview.py").run()
        assert metric(at, "Cost of poor experience") == headline(
            demo, Assumptions(cost_per_contact=20.0))

    def test_an_empty_value_is_refused(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "discount_rate", None)
        assert any("Enter a value" in e for e in texts(at.error))
        assert DRAFT not in at.session_state or at.session_state[DRAFT] is None

    def test_outside_the_plausible_range_is_a_warning_and_applied(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "cost_per_return", 100.0)
        assert any("plausible range" in w for w in texts(at.warning))
        assert not at.error
        assert at.session_state[DRAFT].cost_per_return == 100.0

    def test_the_draft_survives_navigation(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "cost_per_contact", 12.0)
        at.switch_page("pages/overview.py").run()
        at.switch_page("pages/assumptions.py").run()
        assert at.text_input(key="assumptions.cost_per_contact").value == "12.00"
        assert metric(at, "Assumptions changed") == "1"


class TestSave:
    def test_save_makes_a_new_version_selects_it_and_clears_the_draft(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "cost_per_contact", 12.0)
        save(at, note="Q3 cost study", by="Dana")
        saved = demo.scenario("Baseline")
        assert (saved.version, saved.assumptions) == (2, Assumptions(cost_per_contact=12.0))
        assert (saved.note, saved.created_by) == ("Q3 cost study", "Dana")
        assert demo.scenario("Baseline", 1).assumptions == Assumptions()  # not overwritten
        assert at.session_state[SIDEBAR] == "Baseline@2"
        assert at.selectbox(key=SIDEBAR).value == "Baseline@2"
        assert DRAFT not in at.session_state
        assert any("Saved Baseline@2" in s for s in texts(at.success))
        assert metric(at, "Assumptions changed") == "0"
        at.switch_page("pages/overview.py").run()
        assert metric(at, "Cost of poor experience") == headline(
            demo, Assumptions(cost_per_contact=12.0))
        assert any("Baseline@2" in m.label for m in at.metric)

    def test_a_new_name_starts_a_scenario(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "horizon_years", 5)
        save(at, name="Five years")
        assert demo.scenario("Five years").label == "Five years@1"
        assert at.session_state[SIDEBAR] == "Five years@1"

    def test_nothing_to_save_stores_nothing(self, demo):
        at = open_page("pages/assumptions.py")
        save(at)
        assert any("Nothing to save" in w for w in texts(at.warning))
        assert [s.label for s in demo.scenarios()] == ["Baseline@1"]

    def test_refused_values_block_the_save(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "cost_per_contact", 12.0)
        edit(at, "gross_margin", 150.0)
        save(at)
        assert any("fix the refused values" in e for e in texts(at.error))
        assert [s.label for s in demo.scenarios()] == ["Baseline@1"]

    def test_a_bad_name_is_a_message_and_stores_nothing(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "cost_per_contact", 12.0)
        save(at, name="Plan@2")
        assert any("cannot end in @" in e for e in texts(at.error))
        assert [s.label for s in demo.scenarios()] == ["Baseline@1"]


def flat(node) -> list:
    """Every element under ``node`` in the order the page shows them."""
    out = [node]
    for child in getattr(node, "children", {}).values():
        out += flat(child)
    return out


class TestLayout:
    def test_save_feedback_shows_next_to_the_save_button(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "cost_per_contact", 9.0)
        save(at)
        order = flat(at.main)
        button = next(i for i, e in enumerate(order) if getattr(e, "type", "") == "form"
                      or getattr(e, "id", "") == "assumptions.save")
        success = next(i for i, e in enumerate(order) if e in list(at.success))
        assert 0 < success - button <= 12, "the message follows the save form"
        first_input = next(i for i, e in enumerate(order) if e in list(at.number_input))
        assert success > first_input, "not at the top of the page, out of the button's view"

    def test_the_preview_sits_beside_the_inputs_and_sticks(self, demo):
        at = open_page("pages/assumptions.py")
        left = next(c for c in at.main.columns if c.weight == pytest.approx(2 / 3))
        right = next(c for c in at.main.columns if c.weight == pytest.approx(1 / 3))
        assert right.metric and not right.number_input, "the preview has its own column"
        assert len(left.number_input) == len(at.number_input)
        styles = [h.proto.body for h in at.get("html")]
        assert any("position: sticky" in body and "assumptions-preview" in body
                   for body in styles)


class TestCompareAndRestore:
    def test_compare_the_saved_versions(self, demo):
        demo.save_scenario("Baseline", Assumptions(cost_per_contact=12.0))
        at = open_page("pages/scenarios.py")
        # the previous version is the reference, the sidebar's version the other
        assert at.multiselect(key="scenarios.compare").value == ["Baseline@1", "Baseline@2"]
        outcomes = shown(at.table[0])
        assert list(outcomes.columns) == ["Figure", "Baseline@1", "Baseline@2", "Difference"]
        assert outcomes.iloc[0, 1] == headline(demo, Assumptions())
        assert outcomes.iloc[0, 2] == headline(demo, Assumptions(cost_per_contact=12.0))
        differing = shown(at.table[1])
        assert differing["Assumption"].tolist() == ["Cost per service contact"]
        assert len(at.get("plotly_chart")) == 1  # the difference; the hidden tabs draw nothing
        assert not at.metric and "scenarios.history" not in [w.key for w in at.selectbox]
        open_tab(at, "Sensitivity and break-even")
        assert len(at.get("plotly_chart")) == 2 and not at.table  # the two tornadoes alone

    def test_an_unsaved_edit_can_be_compared_with_its_saved_version(self, demo):
        at = open_page("pages/assumptions.py")
        edit(at, "gross_margin", 50.0)
        at.switch_page("pages/scenarios.py").run()
        assert at.multiselect(key="scenarios.compare").value == [
            "Baseline@1", "Baseline@1 (unsaved edit)"]
        assert shown(at.table[1])["Assumption"].tolist() == ["Gross margin"]

    def test_three_at_most(self, demo):
        for value in (9.0, 10.0, 11.0):
            demo.save_scenario("Baseline", Assumptions(cost_per_contact=value))
        at = open_page("pages/scenarios.py")
        at.multiselect(key="scenarios.compare").set_value(
            ["Baseline@4", "Baseline@2", "Baseline@1"]).run()
        assert not at.exception
        assert list(shown(at.table[0]).columns) == [
            "Figure", "Baseline@4", "Baseline@2", "Baseline@1", "Baseline@2 minus Baseline@4",
            "Baseline@1 minus Baseline@4"]

    def test_versions_that_differ_only_in_money_terms_compare_their_npv(self, demo):
        """Investment and discount rate leave the iceberg alone: the NPV, ROI and payback
        differ, the table says by how much, and the chart draws that, never an empty axis."""
        demo.save_scenario("Baseline", Assumptions(prevention_investment=400_000,
                                                   discount_rate=0.14))
        at = open_page("pages/scenarios.py")
        table = shown(at.table[0]).set_index("Figure")
        assert table.loc["Prevention NPV", "Difference"].startswith("-$")
        assert table.loc["Prevention ROI", "Difference"].endswith("points")
        assert table.loc["Payback", "Difference"].startswith("+")
        assert table.iloc[0]["Difference"] == "$0"  # the iceberg is the same
        fig = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert "NPV is" in fig["layout"]["title"]["text"].replace("<br>", " ")
        assert fig["data"][0]["x"][0] < 0, "the bar is the NPV's difference"
        ticks = fig["layout"]["xaxis"]["ticktext"]
        assert all(not t.endswith("m") for t in ticks), ticks  # no '-$500m' milli-dollars

    def test_a_link_opens_a_tab_and_the_open_tab_is_in_the_link(self, demo):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["tab"] = "History and restore"
        at.run()
        at.switch_page("pages/scenarios.py").run()
        assert "scenarios.history" in [w.key for w in at.selectbox] and not at.get("plotly_chart")
        assert at.query_params["tab"] == "History and restore"
        open_tab(at, "Compare")
        assert "tab" not in at.query_params  # the default tab is the plain link

    def test_sensitivity_tab_shows_the_break_even(self, demo):
        at = open_tab(open_page("pages/scenarios.py"), "Sensitivity and break-even")
        assert metric(at, "Break-even gain").endswith("%")
        assert any("breaks even" in i for i in texts(at.info))

    def test_restore_an_old_version_as_a_new_one(self, demo):
        demo.save_scenario("Baseline", Assumptions(cost_per_contact=12.0), note="study")
        at = open_tab(open_page("pages/scenarios.py"), "History and restore")
        history = shown(at.table[-1])
        assert history["Version"].tolist() == ["Baseline@2", "Baseline@1"]
        assert history["What changed"].tolist()[0] == "Cost per service contact $8 → $12"
        at.selectbox(key="scenarios.restore").set_value("Baseline@1")
        at.text_input(key="scenarios.restore_by").input("Dana")
        at.button(key="FormSubmitter:scenarios.restore_form-Restore as a new version") \
            .click().run()
        assert not at.exception
        restored = demo.scenario("Baseline")
        assert (restored.version, restored.assumptions) == (3, Assumptions())
        assert restored.note == "Restored from Baseline@1." and restored.created_by == "Dana"
        assert at.session_state[SIDEBAR] == "Baseline@3"
        assert any("Restored Baseline@1 as Baseline@3" in s for s in texts(at.success))


class TestScenarioFiles:
    def upload(self, at: AppTest, name: str, data: bytes) -> AppTest:
        at.file_uploader(key="assumptions.file").set_value((name, data, "application/json"))
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    def test_a_file_loads_into_the_form_and_the_preview(self, demo):
        at = open_page("pages/assumptions.py")
        self.upload(at, "plan.json", b'{"gross_margin": 0.5, "horizon_years": 4}')
        assert at.number_input(key="assumptions.gross_margin").value == 50.0
        assert at.session_state[DRAFT] == Assumptions(gross_margin=0.5, horizon_years=4)
        assert any("Loaded plan" in s for s in texts(at.success))
        assert [s.label for s in demo.scenarios()] == ["Baseline@1"]  # saved only on request

    @pytest.mark.parametrize(("data", "named"), [
        (b'{"gros_margin": 0.5}', "gros_margin: unknown assumption"),
        (b'{"gross_margin": 5}', "gross_margin: must be at most 1"),
        (b"not json", "not valid JSON"),
    ])
    def test_a_refused_file_changes_nothing(self, demo, data, named):
        at = open_page("pages/assumptions.py")
        self.upload(at, "bad.json", data)
        assert any(named in e for e in texts(at.error)), [e.value for e in at.error]
        assert DRAFT not in at.session_state or at.session_state[DRAFT] is None
        assert at.number_input(key="assumptions.gross_margin").value == 60.0
        assert [s.label for s in demo.scenarios()] == ["Baseline@1"]

    def test_the_page_offers_the_scenario_as_a_download(self, demo):
        at = open_page("pages/assumptions.py")
        assert at.get("download_button")


def test_the_environment_points_at_the_test_database(demo):
    assert os.environ["CXROI_DB"] != ""
    assert Path(os.environ["CXROI_DB"]).name == "app.duckdb"


def test_both_pages_work_on_an_empty_database(tmp_path, app_env):
    app_env(tmp_path / "empty.duckdb")
    for page in ("pages/assumptions.py", "pages/scenarios.py"):
        at = open_page(page)
        assert not at.error, texts(at.error)
    at = open_page("pages/assumptions.py")
    edit(at, "cost_per_contact", 12.0)
    assert metric(at, "Assumptions changed") == "1"
