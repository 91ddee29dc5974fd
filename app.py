"""cxroi: the frame. Page config, the sign-in gate, the shared sidebar (scenario, segment,
period), navigation.

The sidebar's choices (and the pages' own, listed in ``ui.state.PAGE_PARAMS``) live in
``st.query_params`` too, so a pasted link reproduces the view. ``?present=1`` (or the
sidebar's toggle) opens the presentation view: no sidebar, no controls, one picture per
screen; ``ui.present`` renders instead of the navigation's page.
"""

import streamlit as st

from cxroi.format import escape_markdown
from ui import access, logs, present, warming
from ui.impact import show_partial_period
from ui.loaders import data_version, dataset_at, load_scenarios, store
from ui.state import (
    APP_PAGES,
    FRAME,
    PERIOD,
    PRESENT,
    SCENARIO,
    SEGMENT,
    first_period,
    init_page_params,
    once_per_run,
    page_params,
)

logs.configure()  # once per process: cxroi's and ui's records reach the server's stderr
st.session_state[FRAME] = {}  # the per-run memo (see ui.state.once_per_run)
st.session_state.setdefault(PRESENT, st.query_params.get("present") == "1")
st.set_page_config(page_title="cxroi: the cost of poor experience", page_icon=":material/ac_unit:",
                   layout="wide",
                   initial_sidebar_state="collapsed" if st.session_state[PRESENT] else "auto")


def pages() -> dict[str, list]:
    """The navigation's pages; made once per session (st.Page objects cost ~0.2 ms each, on
    every rerun otherwise) and kept per session, so no two sessions share a page object."""
    if APP_PAGES not in st.session_state:
        st.session_state[APP_PAGES] = {
            "For the meeting": [
                st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:",
                        default=True, url_path="overview"),
                st.Page("pages/relative.py", title="Relative size", icon=":material/bar_chart:",
                        url_path="relative"),
                st.Page("pages/iceberg.py", title="Cost iceberg", icon=":material/ac_unit:",
                        url_path="iceberg"),
                st.Page("pages/effort.py", title="Effort split", icon=":material/donut_large:",
                        url_path="effort"),
                st.Page("pages/drivers.py", title="Key drivers", icon=":material/insights:",
                        url_path="drivers"),
                st.Page("pages/vital_few.py", title="Vital few", icon=":material/filter_list:",
                        url_path="vital_few"),
                st.Page("pages/plans.py", title="Action plans", icon=":material/checklist:",
                        url_path="plans"),
            ],
            "For the work": [
                st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:",
                        url_path="upload"),
                st.Page("pages/assumptions.py", title="Assumptions", icon=":material/tune:",
                        url_path="assumptions"),
                st.Page("pages/scenarios.py", title="Scenarios", icon=":material/compare_arrows:",
                        url_path="scenarios"),
                st.Page("pages/export.py", title="Take it to the meeting",
                        icon=":material/slideshow:", url_path="export"),
            ],
            "Access": [  # shown to those who may open them (ui.access.visible)
                st.Page("pages/admin.py", title="Admin", icon=":material/admin_panel_settings:",
                        url_path="admin"),
                st.Page("pages/audit.py", title="Audit trail", icon=":material/history_edu:",
                        url_path="audit"),
            ],
        }
    return st.session_state[APP_PAGES]


def _from_query(key: str, param: str, options: list[str], default: str | None) -> None:
    """Start a sidebar widget from the URL when the URL names a known option."""
    if key not in st.session_state:  # the URL is read once per session
        wanted = st.query_params.get(param)
        st.session_state[key] = wanted if wanted in options else default
    if st.session_state[key] not in options:
        st.session_state[key] = default


def sidebar(*, show: bool) -> None:
    """The shared choices: from the URL, into the sidebar (unless presenting), back to the URL."""
    version = once_per_run("version", data_version)
    dataset = dataset_at(version, "All")
    scenarios = [scenario.label for scenario in load_scenarios(version)]
    segments = ["All", *dataset.segments]
    periods = list(dataset.periods)
    _from_query(SCENARIO, "scenario", scenarios, scenarios[0] if scenarios else None)
    _from_query(SEGMENT, "segment", segments, "All")
    _from_query(PERIOD, "period", periods, first_period(periods))
    init_page_params()
    if show:
        with st.sidebar:
            if dataset.company:
                st.markdown(f"**{escape_markdown(dataset.company)}**")
            st.selectbox("Scenario", scenarios, key=SCENARIO,
                         help="Finance's assumptions, by name and version.")
            st.selectbox("Segment", segments, key=SEGMENT,
                         help="All is the uploaded company-wide row, else the sum of segments.")
            if periods:
                st.selectbox("Period", periods, key=PERIOD, help="The quarter the charts show.")
            st.toggle("Presentation view", key=PRESENT,
                      help="One picture per screen, large type, no controls.")
    params = {"scenario": st.session_state[SCENARIO], "segment": st.session_state[SEGMENT],
              "period": st.session_state.get(PERIOD)}
    params = {k: v for k, v in params.items() if v}
    params.update(page_params())
    if st.session_state[PRESENT]:
        params["present"] = "1"
    current = {k: (st.query_params.get_all(k) if isinstance(v, list) else st.query_params.get(k))
               for k, v in params.items()}
    if current != params or set(st.query_params) != set(params):
        st.query_params.from_dict(params)


who = access.gate(pages())  # sign-in on: the sign-in page, or no role: one sentence; stops
warming.wait()  # a visitor who comes while the server warms up takes what it builds
store()
presenting = bool(st.session_state[PRESENT])
navigation = st.navigation(access.visible(pages(), who),  # every page listed, none folded away
                           position="hidden" if presenting else "sidebar", expanded=True)
sidebar(show=not presenting)
if not presenting:
    access.sidebar(who)
if dataset_at(once_per_run("version", data_version), "All").demo:
    st.info("Demo data: Harborline Outfitters is a fictional company. Upload your own "
            "quarter on the Upload page, or point CXROI_DB at your database.",
            icon=":material/science:")
show_partial_period()
if presenting:
    present.render()
else:
    navigation.run()
