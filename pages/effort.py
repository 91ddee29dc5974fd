"""Effort split: Touchpoint Management / Experience Management / Experience Leadership."""

import streamlit as st

from cxroi.format import percent
from ui.loaders import view_report
from ui.state import ensure_frame, selected_period
from ui.widgets import guarded, show_chart

ensure_frame()
st.title("Effort split")
st.caption("Where the hours go: fixing one customer at a time (Touchpoint Management), "
           "running programs (Experience Management), or preventing issues for everyone "
           "(Experience Leadership). The target: at least half on Experience Leadership.")

with guarded("The effort split"):
    report = view_report()
    a = report.scenario.assumptions
    period = report.effort_period(selected_period())
    splits = report.effort_in(period)
    company = splits[0] if splits else None
    if company is not None:
        el, gap, loop = st.columns(3, border=True)
        el.metric(f"Experience Leadership, {period}", percent(company.shares["EL"]),
                  delta=f"target {percent(a.el_target_share)}", delta_color="off",
                  delta_arrow="off")
        gap.metric("Hours short of the target", f"{company.el_gap_hours:,.0f} h")
        loop.metric("Outer loop share", percent(company.outer_loop_share),
                    delta=f"target {percent(a.outer_loop_target_share)}", delta_color="off",
                    delta_arrow="off")
    show_chart("effort", key="chart.effort.split")
    show_chart("loops", key="chart.effort.loops")
    show_chart("effort_trend", key="chart.effort.trend")
