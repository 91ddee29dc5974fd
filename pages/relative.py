"""Relative size: each measure as a bar above or below its baseline line (or as circles)."""

import streamlit as st

from cxroi import charts, wording
from cxroi.report import BASELINE_LABELS
from ui.loaders import view_report
from ui.state import (
    BASELINE,
    IN_MONEY,
    METRICS,
    REL_VIEW,
    REL_VIEWS,
    ensure_frame,
    init_page_params,
)
from ui.widgets import guarded, show_chart

ensure_frame()
st.title("Relative size")
st.caption("How big is it? Each measure against a baseline: above the line is more, below is "
           "less; vermillion is worse, blue is better, from each measure's own direction.")
init_page_params()

with guarded("The relative-size bars"):
    left, right = st.columns([3, 1.2])  # the four baselines need the width (1280 px)
    left.segmented_control("Baseline", list(BASELINE_LABELS), key=BASELINE, required=True,
                           format_func=lambda k: wording.BASELINE_SHORT[k].capitalize(),
                           help="Last quarter; normal (mean of up to four earlier quarters); "
                                "the industry benchmark; or your target.")
    baseline = st.session_state[BASELINE]
    view = view_report(baseline=baseline).relative
    options = [bar.metric for bar in view.bars]
    st.session_state[METRICS] = [m for m in st.session_state.get(METRICS, []) if m in options]
    st.multiselect("Measures", options, key=METRICS, format_func=wording.metric_label,
                       placeholder="All measures")
    right.segmented_control("View", REL_VIEWS, key=REL_VIEW, required=True)
    chosen = st.session_state[METRICS] or None
    if st.session_state[REL_VIEW] == "Circles":
        show_chart("relative_circles", baseline=baseline, metrics=chosen, key="chart.relative")
    else:
        in_money = charts.money_only(view, chosen) and st.toggle(
            "Draw in money", key=IN_MONEY, help="Every chosen measure is money: show the "
                                                "change in dollars instead of percent.")
        show_chart("relative", baseline=baseline, metrics=chosen, in_money=in_money,
                   key="chart.relative")
