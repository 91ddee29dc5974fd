"""The Action plans page through AppTest: the table, the timeline, versions, the forms."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cxroi.store import forget_store, open_store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def page(*work: str) -> AppTest:
    """The page; ``work`` the forms asked for ("change", "add"), drawn only when asked."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/plans.py").run()
    if work:
        at.segmented_control(key="plans.show").set_value(list(work)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_table_timeline_and_history(app_db):
    at = page()
    assert not at.get("form") and not at.number_input  # the forms wait until asked for
    earns, watch = at.table[0].value, at.table[1].value
    assert earns["Plan"].tolist() == [1, 2, 3]
    assert earns["Status"].tolist() == ["In progress", "Planned", "Done"]
    assert earns["Overdue"].tolist() == ["", "yes", ""]
    # what a plan earns in one table narrow enough to read whole at 1280 px, then who and
    # what to watch
    assert list(earns.columns) == ["Plan", "Theme", "Status", "Due", "Overdue",
                                   "Saving a year", "NPV", "ROI", "Payback", "Theme's year"]
    assert list(watch.columns) == ["Plan", "Theme", "Owner", "Version", "Indicator", "Latest",
                                   "Target"]
    assert watch["Version"].tolist() == [2, 1, 2]
    timeline = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert timeline["layout"]["title"]["text"] == "3 action plans, 1 overdue"
    history = at.dataframe[0].value
    assert history["Version"].tolist() == [1, 2]


def test_many_plans_go_into_one_scrolling_grid_the_money_first(app_db):
    store = open_store(app_db)
    for i in range(10):  # the demo's 3 and 10 more: past the static tables' 12
        store.add_plan(theme="Late delivery", root_cause=f"cause {i}", action="fix",
                       owner="Dana", due="2027-03-31", by="test")
    forget_store(app_db)
    at = page()
    assert not at.table
    grid = at.dataframe[0].value
    assert grid["Plan"].tolist() == list(range(1, 14))
    assert list(grid.columns[:9]) == ["Plan", "Theme", "Status", "Due", "Overdue",
                                      "Saving a year", "NPV", "ROI", "Payback"]


def test_a_status_change_needs_confirmation_then_writes_a_version(app_db):
    at = page("change")
    at.selectbox(key="plans.update.id").set_value(2)
    at.selectbox(key="plans.update.status").set_value("in_progress")
    submit = [b for b in at.button if b.label == "Save as a new version"][0]
    submit.click().run()
    assert any("tick the box" in w.value for w in at.warning)
    store = open_store(app_db)
    assert len(store.plan_history(2)) == 1
    forget_store(app_db)
    at.checkbox(key="plans.update.sure").check()
    [b for b in at.button if b.label == "Save as a new version"][0].click().run()
    assert any("version 2" in s.value for s in at.success)
    store = open_store(app_db)
    assert store.plan_history(2)[-1].status == "in_progress"
    forget_store(app_db)


def test_adding_a_plan_and_a_refusal(app_db):
    at = page("add")
    submit = [b for b in at.button if b.label == "Add the plan"][0]
    submit.click().run()
    assert at.error and at.error[-1].value.replace("\\", "").startswith(
        "Nothing was stored: root_cause: must not be empty")
    at.text_area(key="plans.add.root").input("Sizes differ by brand")
    at.text_area(key="plans.add.action").input("One size chart")
    at.text_input(key="plans.add.owner").input("**Sam**")
    at.selectbox(key="plans.add.theme").set_value("Sizing confusion")
    [b for b in at.button if b.label == "Add the plan"][0].click().run()
    assert any(s.value == "Added plan 4." for s in at.success)
    at.run()                                            # the next run shows the new plan
    owner = at.table[1].value["Owner"].tolist()[-1]
    assert owner == r"\*\*Sam\*\*"  # user text shown as text: its markdown escaped


def test_a_status_needs_the_plans_role_and_money_needs_finance(app_db):
    from cxroi.store import open_store

    from .test_access import signed_in

    store = open_store(app_db)
    store.grant("lead@example.com", "cx_lead", by="root")
    store.grant("fin@example.com", "finance", by="root")
    before = [(p.id, p.version) for p in store.plans()]
    lead = signed_in("lead@example.com", "pages/plans.py")
    lead.segmented_control(key="plans.show").set_value(["change"]).run()
    lead.number_input(key="plans.update.investment").set_value(1.0)
    [b for b in lead.button if b.label == "Save as a new version"][0].click().run()
    said = " ".join(e.value.replace("\\", "") for e in lead.error)
    assert "Nothing was stored" in said and "money" in said
    assert [(p.id, p.version) for p in store.plans()] == before  # a CX lead sets no money
    money = signed_in("fin@example.com", "pages/plans.py")
    money.segmented_control(key="plans.show").set_value(["change"]).run()
    money.number_input(key="plans.update.investment").set_value(1234.0)
    [b for b in money.button if b.label == "Save as a new version"][0].click().run()
    changed = next(p for p in store.plans() if p.id == before[0][0])
    assert (changed.version, changed.investment, changed.created_by) == (
        before[0][1] + 1, 1234.0, "fin@example.com")
