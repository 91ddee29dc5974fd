"""Finance's what-if: the draft of the assumptions, saving and restoring scenario versions,
and the message a callback leaves for the next run.

Used by pages/assumptions.py and pages/scenarios.py. Saving happens in widget callbacks,
which run before the next script run, so the sidebar's scenario can be set to the new
version before its selectbox renders.
"""

from __future__ import annotations

import math

import streamlit as st

from cxroi import whatif
from cxroi.format import escape_markdown
from cxroi.models import AssumptionInfo, Assumptions, CxroiError, Scenario
from ui.access import allowed, require
from ui.loaders import saved_scenario, scenario_by_label, store
from ui.state import DRAFT, EDIT_BASE, SCENARIO

FLASH = "assumptions.flash"
"""(level, text) of the message a callback leaves for the next run."""
SAVE_NAME, SAVE_NOTE = "assumptions.save_name", "assumptions.save_note"
SAVE_BY = "assumptions.save_by"
SCENARIO_FILE = "assumptions.file"
PREVIEW = "assumptions-preview"
"""The key of the "What your edits change" panel (CSS class ``st-key-assumptions-preview``)."""
STICKY = f"""<style>
[data-testid="stColumn"]:has(.st-key-{PREVIEW}) {{ align-self: stretch; }}
[data-testid="stColumn"]:has(.st-key-{PREVIEW}) > [data-testid="stVerticalBlock"] {{
  height: 100%; }}
[data-testid="stLayoutWrapper"]:has(> .st-key-{PREVIEW}) {{
  position: sticky; top: 3.75rem; z-index: 2; }}
.st-key-{PREVIEW} {{ background: white; }}
</style>"""
"""The preview panel sticks below the app's header while the inputs beside it scroll by, so
the effect of an edit is always in view. Our own constant rule, no user text."""


def input_key(key: str) -> str:
    """The session key of an assumption's input, e.g. ``assumptions.cost_per_contact``."""
    return f"assumptions.{key}"


def typed_as_text(info: AssumptionInfo) -> bool:
    """Money is typed in a text box, shown with thousands separators ("250,000", "8.00"):
    Streamlit's number input can only show plain digits."""
    return info.unit.startswith("money")


def money_text(info: AssumptionInfo, value: float) -> str:
    """A money input's text: whole dollars for the big sums, cents for the small ones, and
    every digit of a value that has more (so showing it never changes it)."""
    if whatif.input_format(info) == "%.0f" and float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if round(value, 2) == value else f"{value:,}"


def read_money(text: object) -> float | None:
    """The number in a money input ("$250,000" -> 250000.0); None when empty, NaN (refused,
    never applied) when it is not a number."""
    cleaned = str(text or "").replace(",", "").replace("$", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return float("nan")


def unreadable(key: str) -> bool:
    """True when a money input holds text that is not a number (it is refused)."""
    value = read_money(st.session_state.get(input_key(key)))
    return value is not None and math.isnan(value)


def _shown(info: AssumptionInfo, value: float) -> float | int | str:
    return money_text(info, value) if typed_as_text(info) else whatif.shown(info, value)


def _typed() -> dict[str, float | int | None]:
    """The typed values; none for someone who may not edit the assumptions (a value forged
    into a disabled input is never applied)."""
    if not allowed("assumptions"):
        return {}
    return {key: read_money(st.session_state[input_key(key)]) if typed_as_text(info)
            else st.session_state[input_key(key)] for key, info in whatif.INFO.items()
            if input_key(key) in st.session_state}


def _fill_inputs(start: Assumptions) -> None:
    for key, info in whatif.INFO.items():
        st.session_state[input_key(key)] = _shown(info, getattr(start, key))


def edited_assumptions(saved: Scenario) -> whatif.Edit:
    """Start the inputs from the draft (or ``saved``), check them, and write the draft.

    The valid edited `Assumptions` go to ``st.session_state[DRAFT]``, which every chart
    previews; a refused value is never applied. Choosing another saved version in the
    sidebar drops the draft and starts the inputs again from that version.
    """
    if st.session_state.get(EDIT_BASE) != saved.label:
        st.session_state.pop(DRAFT, None)
        st.session_state[EDIT_BASE] = saved.label
        _fill_inputs(saved.assumptions)
        st.session_state[SAVE_NAME] = saved.name
    start = st.session_state.get(DRAFT) or saved.assumptions
    for key, info in whatif.INFO.items():
        st.session_state.setdefault(input_key(key), _shown(info, getattr(start, key)))
    st.session_state.setdefault(SAVE_NAME, saved.name)
    edit = whatif.apply_edits(saved.assumptions, _typed())
    if edit.assumptions == saved.assumptions:
        st.session_state.pop(DRAFT, None)
    else:
        st.session_state[DRAFT] = edit.assumptions
    return edit


def flash(level: str, text: str) -> None:
    st.session_state[FLASH] = (level, text)


def show_flash() -> None:
    """The message a callback left (user text escaped, never markup), shown once."""
    level, text = st.session_state.pop(FLASH, (None, ""))
    show = {"success": st.success, "warning": st.warning, "error": st.error}.get(level)
    if show is not None:
        show(escape_markdown(text), icon={"success": ":material/check_circle:",
                                          "warning": ":material/warning:"}.get(level,
                                                                               ":material/error:"))


def select_saved(scenario: Scenario) -> None:
    """Show a just-saved version everywhere: the sidebar selects it and the draft is gone."""
    st.session_state[SCENARIO] = scenario.label
    st.session_state[EDIT_BASE] = scenario.label
    st.session_state.pop(DRAFT, None)
    _fill_inputs(scenario.assumptions)
    st.session_state[SAVE_NAME] = scenario.name
    st.session_state[SAVE_NOTE] = ""


def save_draft() -> None:
    """Callback of "Save as scenario": a new immutable version of the edited assumptions."""
    try:
        by = require("scenarios", str(st.session_state.get(SAVE_BY) or ""))
    except CxroiError as exc:
        flash("error", f"Not saved: {exc}")
        return
    saved = saved_scenario()
    edit = whatif.apply_edits(saved.assumptions, _typed())
    if edit.refused:
        labels = ", ".join(whatif.INFO[key].label for key in edit.refused)
        flash("error", f"Not saved: fix the refused values first ({labels}).")
        return
    name = str(st.session_state.get(SAVE_NAME) or "").strip()
    if name == saved.name and edit.assumptions == saved.assumptions:
        flash("warning", f"Nothing to save: these are the assumptions of {saved.label}.")
        return
    try:
        new = store().save_scenario(name, edit.assumptions,
                                    note=str(st.session_state.get(SAVE_NOTE) or "").strip(),
                                    by=by)
    except CxroiError as exc:
        flash("error", f"Not saved: {exc}")
        return
    select_saved(new)
    flash("success", f"Saved {new.label}; the sidebar now shows it.")


def restore_version(label: str, by: str) -> None:
    """Callback of "Restore": an old version's assumptions saved again as the newest version."""
    try:
        acting = require("scenarios", by)
        old = scenario_by_label(label)
        new = store().save_scenario(old.name, old.assumptions, note=f"Restored from {old.label}.",
                                    by=acting)
    except CxroiError as exc:
        flash("error", f"Not restored: {exc}")
        return
    select_saved(new)
    flash("success", f"Restored {old.label} as {new.label}; the sidebar now shows it.")


def load_scenario_file() -> None:
    """Callback of the scenario-file uploader: the file's assumptions go into the inputs."""
    uploaded = st.session_state.get(SCENARIO_FILE)
    if uploaded is None:
        return
    try:
        require("assumptions")
    except CxroiError as exc:
        flash("error", f"{uploaded.name} was not loaded: {exc}")
        return
    try:
        loaded = whatif.read_scenario_file(uploaded.getvalue(), uploaded.name)
    except CxroiError as exc:
        flash("error", f"{uploaded.name} was not loaded: {exc}")
        return
    _fill_inputs(loaded)
    flash("success", f"Loaded {uploaded.name} into the form: every chart previews it. Review "
                     "the changes, then save it as a scenario.")
