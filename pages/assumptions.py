"""Assumptions: every unit cost and rate explained and editable, previewed live, saved as a
scenario version."""

import streamlit as st

from cxroi import whatif
from cxroi.format import escape_markdown, money
from ui import access
from ui.editing import (
    PREVIEW,
    SAVE_BY,
    SAVE_NAME,
    SAVE_NOTE,
    SCENARIO_FILE,
    STICKY,
    edited_assumptions,
    input_key,
    load_scenario_file,
    save_draft,
    show_flash,
    typed_as_text,
    unreadable,
)
from ui.loaders import current_report, saved_scenario, selected_scenario
from ui.state import ensure_frame
from ui.widgets import guarded

ensure_frame()
st.title("Assumptions")
saved = saved_scenario()
edit = edited_assumptions(saved)
st.caption(escape_markdown(
    f"Editing {saved.label}. Every chart in the app recalculates as you type; nothing is "
    "stored until you save a new version. Ratios are typed in percent."))
editable = not access.read_only("assumptions")  # says why in one sentence when not
inputs, preview = st.columns([2, 1], gap="large")
# the preview column's panel stays in view while the inputs scroll past (ui.editing.STICKY)
with preview, guarded("The preview"), st.container(border=True, key=PREVIEW):
    st.html(STICKY)
    change = whatif.effect(current_report(scenario=saved), current_report())
    found = whatif.changes(saved.assumptions, edit.assumptions)
    st.subheader("What your edits change", anchor=False)
    st.metric(f"Cost of poor experience, {change.period or 'no data'}",
              money(change.total_after), delta=whatif.signed_money(change.total_change)
              if found else None, delta_color="inverse")
    st.metric("Prevention NPV", money(change.npv_after),
              delta=whatif.signed_money(change.npv_change) if found else None)
    st.metric("Assumptions changed", len(found),
              help="Against the saved version shown in the sidebar.")
    if found:
        st.dataframe([{"Assumption": c.label, f"Saved ({saved.label})": c.before_text,
                       "Edited": c.after_text} for c in found], hide_index=True)
    else:
        st.caption(escape_markdown(f"No edits: the charts show {saved.label} as saved."))
    if edit.refused:
        refused = ", ".join(whatif.INFO[key].label for key in edit.refused)
        st.error(f"Refused and not applied (see the inputs): {refused}.",
                 icon=":material/block:")

with inputs:
    for group, keys in whatif.GROUPS:
        st.subheader(group, anchor=False)
        columns = st.columns(2)
        for index, key in enumerate(keys):
            info, check = whatif.INFO[key], edit.checks[key]
            with columns[index % 2]:
                label = escape_markdown(f"{info.label} ({whatif.unit_label(info)})")
                if typed_as_text(info):  # money, with thousands separators
                    st.text_input(label, key=input_key(key), max_chars=40,
                                  disabled=not editable)
                    if unreadable(key):
                        st.error("Type a number such as 250,000 or 8.50.",
                                 icon=":material/block:")
                else:
                    st.number_input(label, key=input_key(key), value=None,
                                    step=whatif.input_step(info),
                                    format=whatif.input_format(info),
                                    disabled=not editable)
                st.caption(escape_markdown(f"{info.note} {whatif.range_text(info)}"))
                if check.level == "error":
                    st.error(escape_markdown(check.message), icon=":material/block:")
                elif check.level == "warning":
                    st.warning(escape_markdown(check.message), icon=":material/warning:")

    st.subheader("Save as a scenario", anchor=False)
    with st.form("assumptions.save", border=True):
        name_col, by_col = st.columns(2)
        name_col.text_input("Scenario name", key=SAVE_NAME, max_chars=200,
                            help="The same name saves its next version; a new name starts a "
                                 "scenario.")
        if not access.identity().signed_in:  # signed in: the email is recorded
            by_col.text_input("Saved by", key=SAVE_BY, max_chars=200, placeholder="Your name")
        st.text_area("Note", key=SAVE_NOTE, max_chars=2000, height=80,
                     placeholder="Why these values? Where do they come from?")
        st.form_submit_button("Save as a new version", icon=":material/save:", type="primary",
                              on_click=save_draft, disabled=not access.allowed("scenarios"))
    show_flash()  # next to the button that asked for it
    st.caption("Saved versions are never overwritten: each save adds a version, and any old "
               "version can be restored on the Scenarios page.")

    with st.expander("Scenario file (JSON)", icon=":material/data_object:"):
        current = selected_scenario()
        st.download_button(
            "Download these assumptions", data=whatif.scenario_json(current.assumptions),
            file_name=f"{saved.name}-v{saved.version}{'-edited' if found else ''}.json",
            mime="application/json", icon=":material/download:")
        st.file_uploader(
            "Load a scenario file into the form", type=["json"], key=SCENARIO_FILE,
            on_change=load_scenario_file, disabled=not editable,
            help="A JSON object of assumptions by key, as `--assumptions` reads; keys it does "
                 "not name keep their defaults. Unknown keys and values outside the limits are "
                 "refused.")
