"""Action plans: one page per root cause, its money, its timeline and every version."""

import datetime as dt

import pandas as pd
import streamlit as st

from cxroi import wording
from cxroi.format import escape_markdown, money, percent
from cxroi.models import PLAN_STATUSES, CxroiError
from ui import access
from ui.state import PLANS_SHOW, PLANS_VIEWS, ensure_frame
from ui.themes import add_plan, drill_report, plan_history, theme_names, timeline, update_plan
from ui.widgets import FEW_ROWS, chart, guarded, static_table

EARNS = ("Plan", "Theme", "Status", "Due", "Overdue", "Saving a year", "NPV", "ROI", "Payback",
         "Theme's year")
WATCH = ("Plan", "Theme", "Owner", "Version", "Indicator", "Latest", "Target")


def add_plan_form(*, editable: bool, typed_by: bool) -> None:
    """A new plan for a theme: its root cause, action, owner, due date and money."""
    st.subheader("Add a plan")
    names = theme_names()
    if not names:
        st.info(wording.NO_THEMES)
    else:
        with st.form("plans.add"):
            theme = st.selectbox("Theme", names, key="plans.add.theme")
            root = st.text_area("Root cause", key="plans.add.root", max_chars=5000)
            action = st.text_area("Action", key="plans.add.action", max_chars=5000)
            owner = st.text_input("Owner", key="plans.add.owner", max_chars=200)
            due = st.date_input("Due", key="plans.add.due",
                                value=dt.date.today() + dt.timedelta(days=90))
            money_left, money_right, share = st.columns(3)
            investment = money_left.number_input("Investment ($, once)", min_value=0.0,
                                                 step=1000.0, key="plans.add.investment")
            running = money_right.number_input("Running cost ($ a year)", min_value=0.0,
                                               step=1000.0, key="plans.add.running")
            reduction = share.number_input("Expected reduction (0 to 1)", min_value=0.0,
                                           max_value=1.0, step=0.05, key="plans.add.reduction")
            indicator = st.text_input("Leading indicator (a metric, optional)",
                                      key="plans.add.indicator", max_chars=200)
            target = st.number_input("Indicator target (optional)", min_value=0.0, value=None,
                                     key="plans.add.target")
            who = st.text_input("Added by", key="plans.add.by", max_chars=200) \
                if typed_by else ""
            if st.form_submit_button("Add the plan", disabled=not editable):
                try:
                    by = access.require("plans", who)
                    if investment or running or reduction:  # money is finance's to set
                        by = access.require("plan_money", who)
                    saved = add_plan(by=by, theme=theme, root_cause=root, action=action,
                                     owner=owner, due=due, investment=investment,
                                     running_cost=running, expected_reduction=reduction,
                                     indicator=indicator or None, indicator_target=target)
                    st.success(f"Added plan {saved.id}.")
                except CxroiError as exc:
                    st.error(escape_markdown(f"Nothing was stored: {exc}"))


ensure_frame()
st.title("Action plans")
st.caption("Stop each root cause for good: an owner, a due date, the money it saves, and a "
           "leading indicator to watch. A change is a new version; nothing is overwritten.")

with guarded("The action plans"):
    report = drill_report()
    plans = report.plans
    editable = not access.read_only("plans")  # says why in one sentence when not
    typed_by = not access.identity().signed_in  # signed in: the email is recorded
    if not plans:
        st.info(wording.NO_PLANS)
    else:
        rows = [{
            "Plan": p.record.id, "Theme": p.record.theme,
            "Status": wording.PLAN_STATUS_LABELS[p.record.status],
            "Due": p.record.due, "Overdue": "yes" if p.overdue else "",
            "Saving a year": money(p.case.yearly_benefit), "NPV": money(p.case.npv),
            "ROI": percent(p.case.roi), "Payback": wording.payback(p.case.payback_months),
            "Theme's year": money(p.case.theme_annual_cost), "Owner": p.record.owner,
            "Version": p.record.version, "Indicator": p.record.indicator or "",
            "Latest": "" if p.indicator_latest is None else f"{p.indicator_latest:,.1f}",
            "Target": "" if p.record.indicator_target is None
            else f"{p.record.indicator_target:,.1f}",
        } for p in plans]
        if len(rows) <= FEW_ROWS:  # two static tables; more: one scrolling grid
            # a static table draws much faster than a grid: what each plan earns, then who
            # owns it and what to watch, each narrow enough to be read whole at 1280 px
            static_table([{k: row[k] for k in EARNS} for row in rows])
            static_table([{k: row[k] for k in WATCH} for row in rows])
        else:  # a long list: the grid scrolls, the money first, the plan pinned
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                         column_config={"Plan": st.column_config.NumberColumn(pinned=True)})
        st.caption(wording.PLAN_MONEY_BASIS)
        chart(timeline(report), report.footnote("plans"), key="chart.plans.timeline")

        with st.expander("Versions: every change of a plan"):  # drawn when opened
            chosen = st.selectbox("Plan", [p.record.id for p in plans], key="plans.history",
                                  format_func=lambda i: f"Plan {i}")
            st.dataframe(pd.DataFrame([{
                "Version": v.version, "Status": wording.PLAN_STATUS_LABELS[v.status],
                "Created": v.created_at, "By": v.created_by, "Due": v.due,
                "Reduction": percent(v.expected_reduction), "Investment": money(v.investment),
                "Running cost": money(v.running_cost), "Root cause": v.root_cause,
                "Action": v.action, "Note": v.note} for v in plan_history(chosen)]),
                hide_index=True, width="stretch")

    work = st.segmented_control("Work on the plans", list(PLANS_VIEWS), key=PLANS_SHOW,
                                selection_mode="multi", format_func=PLANS_VIEWS.get,
                                help="The forms are drawn when asked: a meeting sees the "
                                     "plans, the CX lead and finance change them.")
    if plans and "change" in work:
        st.subheader("Change a plan")
        with st.form("plans.update"):
            which = st.selectbox("Plan", [p.record.id for p in plans], key="plans.update.id",
                                 format_func=lambda i: f"Plan {i}")
            status = st.selectbox("Status", [None, *PLAN_STATUSES], key="plans.update.status",
                                  format_func=lambda s: "Unchanged" if s is None
                                  else wording.PLAN_STATUS_LABELS[s])
            note = st.text_input("Note", key="plans.update.note", max_chars=2000)
            money_left, money_right, share = st.columns(3)  # empty: unchanged
            money_changes = {
                "investment": money_left.number_input(
                    "New investment ($, once)", min_value=0.0, value=None, step=1000.0,
                    key="plans.update.investment"),
                "running_cost": money_right.number_input(
                    "New running cost ($ a year)", min_value=0.0, value=None, step=1000.0,
                    key="plans.update.running"),
                "expected_reduction": share.number_input(
                    "New expected reduction (0 to 1)", min_value=0.0, max_value=1.0,
                    value=None, step=0.05, key="plans.update.reduction")}
            sure = st.checkbox("Yes, change the status as chosen", key="plans.update.sure")
            who = st.text_input("Changed by", key="plans.update.by", max_chars=200) \
                if typed_by else ""
            if st.form_submit_button("Save as a new version",
                                     disabled=not (editable or access.allowed("plan_money"))):
                current = next(p.record for p in plans if p.record.id == which)
                changes: dict[str, object] = {}
                if status is not None and status != current.status:
                    changes["status"] = status
                if note.strip():
                    changes["note"] = note
                priced = {k: v for k, v in money_changes.items()
                          if v is not None and v != getattr(current, k)}
                if "status" in changes and not sure:
                    st.warning(f"Plan {which} is {wording.PLAN_STATUS_LABELS[current.status]}; "
                               "tick the box to confirm the change of status.")
                elif not changes and not priced:
                    st.info(f"Nothing to change in plan {which}.")
                else:
                    try:  # the plan's text and status are the CX lead's, its money finance's
                        by = access.require("plans", who) if changes else ""
                        by = access.require("plan_money", who) if priced else by
                        saved = update_plan(which, {**changes, **priced}, by=by)
                        st.success(f"Plan {saved.id} is now version {saved.version}.")
                    except CxroiError as exc:
                        st.error(escape_markdown(f"Nothing was stored: {exc}"))

    if "add" in work:
        add_plan_form(editable=editable, typed_by=typed_by)
