"""Session state: the namespaced keys, the pages' choices in the URL, the per-run memo, and
the frame every page runs in.

The sidebar's choices and the pages' own (`PAGE_PARAMS`) live in ``st.query_params`` too, so
a pasted link reproduces the view: app.py reads them once per session and writes them back
on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from cxroi.models import ALL, BASELINES

SCENARIO, SEGMENT, PERIOD, PRESENT = ("sidebar.scenario", "sidebar.segment", "sidebar.period",
                                     "sidebar.present")
DRAFT = "assumptions.draft"
"""Session key of the assumptions being edited (an `Assumptions`), previewed everywhere."""
EDIT_BASE = "assumptions.base"
"""Label of the saved version the inputs started from; when the sidebar changes, they reset."""

BASELINE, METRICS, REL_VIEW, IN_MONEY = ("relative.baseline", "relative.metrics",
                                         "relative.view", "relative.money")
ICEBERG_SHOW = "iceberg.show"
ICEBERG_VIEWS = {"snowball": "Snowball: how it builds", "melt": "Melt: right first time",
                 "math": "Show the math"}
"""The iceberg page's optional sections (one multi-choice control, kept in the URL)."""
SLIDE = "present.slide"
REL_VIEWS = ("Bars", "Circles")
PAGE_PARAMS: dict[str, tuple[str, tuple[str, ...] | None, object]] = {
    # session key: (query parameter, allowed values or None for any, default)
    BASELINE: ("baseline", BASELINES, "normal"),
    REL_VIEW: ("view", REL_VIEWS, "Bars"),
    METRICS: ("metrics", None, []),
    ICEBERG_SHOW: ("show", tuple(ICEBERG_VIEWS), []),
    SLIDE: ("slide", None, "1"),
}

# The Drivers page's choices (appended; kept in the URL like the others).
D_OUTCOME, D_PERIOD, D_SEGMENT, D_ITEMS, D_METHOD = (
    "drivers.outcome", "drivers.period", "drivers.segment", "drivers.items", "drivers.method")
L_OUTCOME, L_LAG, L_INDICATOR = ("leading.outcome", "leading.lag", "leading.indicator")
D_METHODS = {"auto": "Automatic", "lmg": "LMG (exact)", "johnson": "Johnson"}
L_LAGS = ("1", "2", "3", "4")
PAGE_PARAMS.update({
    D_OUTCOME: ("outcome", None, ""),
    D_PERIOD: ("survey", None, ""),
    D_SEGMENT: ("respondents", None, ALL),
    D_ITEMS: ("items", None, []),
    D_METHOD: ("method", tuple(D_METHODS), "auto"),
    L_OUTCOME: ("lead", None, ""),
    L_LAG: ("lag", L_LAGS, "1"),
    L_INDICATOR: ("indicator", None, ""),
})

# What the drill-down pages draw below their first picture only when asked (kept in the URL):
# each Plotly chart, metric card and table costs the browser time on every visit.
VITAL_SHOW = "vital.show"
VITAL_VIEWS = {"iceberg": "The iceberg's themed part", "theme": "A theme's drill-down",
               "group": "A work group's report"}
DRIVERS_SHOW = "drivers.show"
DRIVERS_VIEWS = {"leading": "Leading indicators"}
PLANS_SHOW = "plans.show"
PLANS_VIEWS = {"change": "Change a plan", "add": "Add a plan"}
SCENARIOS_TAB = "scenarios.tab"
SCENARIOS_TABS = ("Compare", "Sensitivity and break-even", "History and restore")
"""The Scenarios page's tabs: only the open one runs and draws."""
PAGE_PARAMS.update({
    VITAL_SHOW: ("vital", tuple(VITAL_VIEWS), []),
    DRIVERS_SHOW: ("more", tuple(DRIVERS_VIEWS), []),
    PLANS_SHOW: ("work", tuple(PLANS_VIEWS), []),
    SCENARIOS_TAB: ("tab", SCENARIOS_TABS, SCENARIOS_TABS[0]),
})

FRAME = "frame.run"
"""Session key of the per-run memo that app.py empties at the start of every run."""
APP_PAGES = "frame.pages"
"""Session key of app.py's navigation pages: {section: [st.Page, ...]}."""
LEFT_PAGES_MODE = "frame.left_pages_mode"
"""Set once `ensure_frame` has asked for a rerun through app.py (it asks once per session)."""
PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"


OVERVIEW_PICTURES = (("relative", "Relative size"), ("iceberg", "Cost iceberg"),
                     ("effort", "Effort split"))
"""The overview's three thumbnails (chart kind, the page it opens), in their order."""


def first_period(periods: Sequence[str]) -> str | None:
    """The period the sidebar shows until one is chosen: the latest."""
    return periods[-1] if periods else None


def selected_segment() -> str:
    return st.session_state.get(SEGMENT) or ALL


def selected_period() -> str | None:
    return st.session_state.get(PERIOD) or None


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT))


def init_page_params() -> None:
    """Start the pages' choices from the URL (once per session; unknown values ignored)."""
    for key, (param, allowed, default) in PAGE_PARAMS.items():
        if key in st.session_state:
            continue
        if isinstance(default, list):
            wanted: object = [value for value in st.query_params.get_all(param)
                              if allowed is None or value in allowed] or list(default)
        else:
            wanted = st.query_params.get(param, default)
            wanted = wanted if allowed is None or wanted in allowed else default
        st.session_state.setdefault(key, wanted)


def page_params() -> dict[str, object]:
    """The pages' choices as query parameters (only those that differ from the default)."""
    out: dict[str, object] = {}
    for key, (param, _, default) in PAGE_PARAMS.items():
        value = st.session_state.get(key)
        if value is not None and value != default and value != []:
            out[param] = list(value) if isinstance(value, list) else str(value)
    return out


def once_per_run(name: str, compute):
    """``compute()`` at most once per run of app.py (every time when a page runs alone)."""
    memo = st.session_state.get(FRAME)
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def app_page(url_path: str) -> object:
    """The navigation's page at ``url_path``, for `st.page_link` (a page object links without
    the path lookups a file name costs), or its file name when app.py has not run."""
    for group in st.session_state.get(APP_PAGES, {}).values():
        for page in group:
            if page.url_path == url_path:
                return page
    return f"pages/{url_path}.py"


def ensure_frame() -> None:
    """Run this page inside app.py's frame even when a deep link is the server's first visit.

    A process serving an entrypoint with a ``pages/`` folder beside it starts in Streamlit's
    old pages-directory mode and leaves it only when ``st.navigation`` is first called; until
    then a link such as ``/iceberg?segment=Retail`` runs the page file alone, without the
    sidebar, the banner or the query-param sync. A session that has never run app.py (no
    per-run memo) is that case: call ``st.navigation`` (documented to turn the ``pages/``
    folder off) over the same page files, so the page asked for stays the current one, and
    rerun; the rerun goes through app.py like every other visit. Asked once per session, so
    a page run alone on purpose (a test) renders after one rerun.
    """
    if FRAME in st.session_state or st.session_state.get(LEFT_PAGES_MODE):
        return
    st.session_state[LEFT_PAGES_MODE] = True
    # The default page's address is "/", not its own: a stand-in takes that place, so every
    # page file keeps its address and a link to it never meets "Page not found".
    st.navigation([st.Page(_frame_start, title="cxroi", default=True),
                   *(st.Page(path) for path in sorted(PAGES_DIR.glob("*.py")))],
                  position="hidden")
    st.rerun()


def _frame_start() -> None:
    """The stand-in default page of `ensure_frame`'s navigation (never shown: it reruns)."""
