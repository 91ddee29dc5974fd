"""cxroi: the frame. Page config, the shared sidebar (scenario, segment, period), navigation.

The sidebar's choices live in ``st.query_params`` too, so a pasted link reproduces the view;
``?present=1`` opens the presentation view without sidebar or controls.
"""

import streamlit as st

from cxroi.format import escape_markdown
from pages.common import (
    PERIOD,
    PRESENT,
    SCENARIO,
    SEGMENT,
    data_version,
    load_dataset,
    scenario_labels,
    store,
)

st.set_page_config(page_title="cxroi: the cost of poor experience", page_icon=":material/ac_unit:",
                   layout="wide")

PAGES = {
    "For the meeting": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:",
                default=True, url_path="overview"),
        st.Page("pages/relative.py", title="Relative size", icon=":material/bar_chart:",
                url_path="relative"),
        st.Page("pages/iceberg.py", title="Cost iceberg", icon=":material/ac_unit:",
                url_path="iceberg"),
        st.Page("pages/effort.py", title="Effort split", icon=":material/donut_large:",
                url_path="effort"),
    ],
    "For the work": [
        st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:",
                url_path="upload"),
        st.Page("pages/assumptions.py", title="Assumptions", icon=":material/tune:",
                url_path="assumptions"),
        st.Page("pages/scenarios.py", title="Scenarios", icon=":material/compare_arrows:",
                url_path="scenarios"),
        st.Page("pages/export.py", title="Take it to the meeting", icon=":material/slideshow:",
                url_path="export"),
    ],
}


def _from_query(key: str, param: str, options: list[str], default: str | None) -> None:
    """Start a sidebar widget from the URL when the URL names a known option."""
    wanted = st.query_params.get(param)
    st.session_state.setdefault(key, wanted if wanted in options else default)
    if st.session_state[key] not in options:
        st.session_state[key] = default


def sidebar() -> None:
    dataset = load_dataset(data_version(), "All")
    scenarios = scenario_labels()
    segments = ["All", *dataset.segments]
    periods = list(dataset.periods)
    _from_query(SCENARIO, "scenario", scenarios, scenarios[0] if scenarios else None)
    _from_query(SEGMENT, "segment", segments, "All")
    _from_query(PERIOD, "period", periods, periods[-1] if periods else None)
    st.session_state.setdefault(PRESENT, st.query_params.get("present") == "1")
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
    if st.session_state[PRESENT]:
        params["present"] = "1"
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


store()
navigation = st.navigation(PAGES)
sidebar()
if load_dataset(data_version(), "All").demo:
    st.info("Demo data: Harborline Outfitters is a fictional company. Upload your own "
            "quarter on the Upload page, or point CXROI_DB at your database.",
            icon=":material/science:")
navigation.run()
