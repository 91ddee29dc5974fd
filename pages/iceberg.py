"""Cost iceberg: the visible tip, the hidden mass, how it snowballs and how it melts."""

import pandas as pd
import streamlit as st

from cxroi import charts, roi
from cxroi.format import money, multiple, percent
from pages.common import (
    ensure_frame,
    MELT,
    SNOWBALL,
    chart,
    current_report,
    guarded,
    selected_period,
)

ensure_frame()
st.title("The cost iceberg")
st.caption("Finance sees the tip: service, refunds, returns. Below the waterline sit the costs "
           "nobody books to poor experience. Each layer's area is its money.")
st.session_state.setdefault(SNOWBALL, False)
st.session_state.setdefault(MELT, False)

with guarded("The iceberg"):
    report = current_report()
    berg = report.iceberg_for(selected_period())
    a = report.scenario.assumptions
    footnote = report.footnote("iceberg")
    if berg is not None:
        tip, hidden, total, times = st.columns(4, border=True)
        tip.metric("Visible tip", money(berg.visible))
        hidden.metric("Hidden below", money(berg.hidden))
        total.metric("At least" if berg.missing else "Total", money(berg.total))
        times.metric("Hidden vs tip", multiple(berg.hidden_multiple))
    chart(charts.iceberg_figure(berg, footnote), footnote, key="chart.iceberg")

    left, right = st.columns(2)
    left.toggle("Show the snowball: how it builds", key=SNOWBALL)
    right.toggle("Show the melt: right first time", key=MELT)
    if st.session_state[SNOWBALL]:
        st.subheader("The snowball")
        chart(charts.snowball_steps(report.snowball, footnote), footnote,
              key="chart.iceberg.steps")
        chart(charts.snowball_quarters(report.snowball, footnote), footnote,
              key="chart.iceberg.quarters")
    if st.session_state[MELT]:
        st.subheader("The melt")
        melt = report.melt
        saving, npv, roi_, payback = st.columns(4, border=True)
        saving.metric("Saving a year (risk-adjusted)", money(melt.yearly_benefit))
        npv.metric(f"NPV over {melt.horizon_years} years", money(melt.npv))
        roi_.metric("ROI", percent(melt.roi))
        payback.metric("Payback", "never" if melt.payback_months is None
                       else f"{melt.payback_months:,.1f} months")
        after = roi.melted(berg, a) if berg else None
        chart(charts.melt_figure(berg, after, melt, report.footnote("melt")),
              report.footnote("melt"), key="chart.iceberg.melt")

    with st.expander("Show the math", icon=":material/calculate:"):
        st.caption("Every line's formula and inputs, to the cent. Lines whose input is missing "
                   "are named: the iceberg is then at least this big.")
        st.dataframe(pd.DataFrame(charts.math_rows(berg, a)), hide_index=True, width="stretch")
