"""Effort split: Touchpoint Management / Experience Management / Experience Leadership."""

import streamlit as st

from cxroi import charts
from cxroi.format import percent
from pages.common import (
    chart,
    current_report,
    effort_for,
    effort_period,
    ensure_frame,
    guarded,
)

ensure_frame()
st.title("Effort split")
st.caption("Where the hours go: fixing one customer at a time (Touchpoint Management), "
           "running programs (Experience Management), or preventing issues for everyone "
           "(Experience Leadership). The target: at least half on Experience Leadership.")

with guarded("The effort split"):
    report = current_report()
    a = report.scenario.assumptions
    period = effort_period(report)
    splits = effort_for(report, period)
    footnote = report.footnote("effort")
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
    chart(charts.effort_figure(splits, target=a.el_target_share, footnote=footnote), footnote,
          key="chart.effort.split")
    chart(charts.loop_figure(splits, target=a.outer_loop_target_share, footnote=footnote),
          footnote, key="chart.effort.loops")
    chart(charts.effort_trend(report.company_effort(), el_target=a.el_target_share,
                              loop_target=a.outer_loop_target_share, footnote=footnote),
          footnote, key="chart.effort.trend")
