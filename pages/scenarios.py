"""Scenarios: two or three side by side, what moves the figures most, and every version."""

import streamlit as st

from cxroi import whatif
from cxroi.format import escape_markdown, percent
from ui import access
from ui.editing import restore_version, show_flash
from ui.loaders import data_version, load_scenarios, saved_scenario, selected_scenario
from ui.state import SCENARIOS_TAB, SCENARIOS_TABS, ensure_frame
from ui.whatif import comparison, sensitivity
from ui.widgets import FEW_ROWS, guarded, static_table

COMPARE, ONLY_DIFFERENT = "scenarios.compare", "scenarios.only_different"
HISTORY, RESTORE, RESTORE_BY = "scenarios.history", "scenarios.restore", "scenarios.restore_by"

ensure_frame()
st.title("Scenarios")
show_flash()
scenarios = load_scenarios(data_version())
saved, current = saved_scenario(), selected_scenario()
by_label = {s.label: s for s in scenarios} | {current.label: current}
options = list(by_label)


def compare() -> None:
    """Two or three scenarios side by side, and what differs between them."""
    others = [label for label in options if label not in (saved.label, current.label)]
    default = [saved.label, current.label] if current.version is None \
        else [*others[:1], current.label]
    st.session_state.setdefault(COMPARE, default)
    st.session_state[COMPARE] = [label for label in st.session_state[COMPARE] if label in options]
    chosen = st.multiselect("Scenarios to compare (two or three; the first is the reference)",
                            options, key=COMPARE, max_selections=3)
    if len(chosen) < 2:
        st.info("Choose two or three scenarios to compare. To make one, edit the Assumptions "
                "page (the unsaved edit appears here) or save a new version there.",
                icon=":material/compare_arrows:")
    else:
        compared, difference = comparison([by_label[label] for label in chosen])
        static_table(list(compared.outcomes))  # a few rows, read whole: no grid to draw
        st.plotly_chart(difference, key="chart.scenarios.difference")
        only = st.toggle("Show only the assumptions that differ", value=True, key=ONLY_DIFFERENT)
        rows = [row for row in compared.assumptions if row["Differs"] or not only]
        if rows:
            static_table([{**row, "Differs": "yes" if row["Differs"] else ""} for row in rows])
        else:
            st.caption("These scenarios have the same assumptions.")


def sensitivity_and_break_even() -> None:
    """What moves the figures most, and the gain at which prevention breaks even."""
    what, npv_tornado, iceberg_tornado = sensitivity(current)
    st.caption(escape_markdown(
        f"For {current.label}: each assumption is moved alone from the low to the high end of "
        "its plausible range (see the Assumptions page) while the others stay as they are. "
        "The iceberg is the latest quarter's; the NPV is prevention's over the horizon."))
    gain, assumed = what.break_even, current.assumptions.right_first_time_gain
    first, second = st.columns([1, 3])
    first.metric("Break-even gain",
                 "none" if gain is None else ("cannot" if gain > 1 else percent(gain, 1)),
                 help="The right-first-time gain at which prevention's NPV is zero, "
                      "everything else as assumed.")
    second.info(escape_markdown(whatif.break_even_text(gain, assumed)),
                icon=":material/balance:")
    st.plotly_chart(npv_tornado, key="chart.scenarios.npv")
    st.plotly_chart(iceberg_tornado, key="chart.scenarios.iceberg")


def history_and_restore() -> None:
    """Every version of a scenario, and restoring an old one as the newest."""
    names = list(dict.fromkeys(s.name for s in scenarios))
    name = st.selectbox("Scenario", names, index=names.index(saved.name), key=HISTORY)
    versions = whatif.history(scenarios, name)
    history = [
        {"Version": v.scenario.label,
         "Saved (UTC)": f"{v.scenario.created_at:%Y-%m-%d %H:%M}" if v.scenario.created_at
         else "", "By": v.scenario.created_by or "-", "Note": v.scenario.note,
         "What changed": ("From the defaults: " if v.first else "")
         + whatif.changes_text(v.changes)}
        for v in versions]
    if len(history) <= FEW_ROWS:
        static_table(history)
    else:  # a long history: the grid scrolls
        st.dataframe(history, hide_index=True, column_config={
            "What changed": st.column_config.TextColumn(width="large")})
    older = [v.scenario.label for v in versions[1:]]
    if older:
        may_restore = not access.read_only("scenarios")
        with st.form("scenarios.restore_form"):
            pick, who = st.columns(2)
            pick.selectbox("Version to restore", older, key=RESTORE)
            if not access.identity().signed_in:  # signed in: the email is recorded
                who.text_input("Restored by", key=RESTORE_BY, max_chars=200,
                               placeholder="Your name")
            st.form_submit_button(
                "Restore as a new version", icon=":material/history:", disabled=not may_restore,
                on_click=lambda: restore_version(st.session_state[RESTORE],
                                                 st.session_state.get(RESTORE_BY) or ""))
        st.caption("Restoring never overwrites: the old values are saved again as the newest "
                   "version, and the sidebar switches to it.")
    else:
        st.caption(escape_markdown(f"{name} has one version: nothing to restore yet."))


# only the open tab runs and draws: a hidden tab's charts and tables cost every visit
tabs = st.tabs(list(SCENARIOS_TABS), key=SCENARIOS_TAB, on_change="rerun")
for tab, (what, draw) in zip(tabs, (("The comparison", compare),
                                    ("The sensitivity analysis", sensitivity_and_break_even),
                                    ("The history", history_and_restore)), strict=True):
    if tab.open:
        with tab, guarded(what):
            draw()
