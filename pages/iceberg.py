"""Cost iceberg: the visible tip, the hidden mass, how it snowballs and how it melts."""

import pandas as pd
import streamlit as st

from cxroi import charts, wording
from cxroi.format import escape_markdown, money, multiple, percent
from ui.loaders import view_report
from ui.revenue import revenue_at_risk_block
from ui.state import ICEBERG_SHOW, ICEBERG_VIEWS, ensure_frame, init_page_params, selected_period
from ui.widgets import guarded, show_chart

ensure_frame()
st.title("The cost iceberg")
st.caption("Finance sees the tip: service, refunds, returns. Below the waterline sit the costs "
           "nobody books to poor experience. Each layer's area is its money.")
init_page_params()

with guarded("The iceberg"):
    report = view_report()
    berg = report.iceberg_for(selected_period())
    if berg is not None:
        tip, hidden, total, times = st.columns(4, border=True)
        tip.metric("Visible tip", money(berg.visible))
        hidden.metric("Hidden below", money(berg.hidden))
        total.metric("At least" if berg.missing else "Total", money(berg.total))
        times.metric("Hidden vs tip", multiple(berg.hidden_multiple))
    show_chart("iceberg", key="chart.iceberg")

    shown = st.segmented_control("Show more", list(ICEBERG_VIEWS), key=ICEBERG_SHOW,
                                 selection_mode="multi", format_func=ICEBERG_VIEWS.get,
                                 label_visibility="collapsed")
    if "snowball" in shown:
        st.subheader("The snowball")
        show_chart("snowball_steps", key="chart.iceberg.steps")
        show_chart("snowball_quarters", key="chart.iceberg.quarters")
    if "melt" in shown:
        st.subheader("The melt")
        melt = report.melt
        saving, npv, roi, payback = st.columns(4, border=True)
        saving.metric("Saving a year (risk-adjusted)", money(melt.yearly_benefit))
        npv.metric(f"NPV over {melt.horizon_years} years", money(melt.npv))
        roi.metric("ROI", percent(melt.roi))
        payback.metric("Payback", wording.payback(melt.payback_months))
        st.caption(escape_markdown(wording.business_case_basis(melt)
                   + (f" {wording.SEGMENT_CASE}" if report.segment != "All" else "")))
        show_chart("melt", key="chart.iceberg.melt")

    if "math" in shown:
        st.subheader("The math")
        st.caption("Every line's formula and inputs, to the cent. Lines whose input is missing "
                   "are named: the iceberg is then at least this big.")
        rows = charts.math_rows(berg, report.scenario.assumptions)
        # a static table wraps long formulas and inputs instead of cutting them; it reads
        # markdown, so every cell is escaped
        st.table(pd.DataFrame(rows).map(escape_markdown), hide_index=True)
    revenue_at_risk_block(report, berg.period if berg else selected_period())
