"""Overview: the headline figures, each with its one-line takeaway, and the three pictures."""

import streamlit as st

from cxroi import charts
from cxroi.format import money, multiple, percent
from pages.common import (
    ensure_frame,
    chart,
    current_report,
    effort_for,
    effort_period,
    guarded,
    selected_period,
)

ensure_frame()
st.title("The cost of poor customer experience")

with guarded("The overview"):
    report = current_report()
    berg = report.iceberg_for(selected_period())
    melt = report.melt
    a = report.scenario.assumptions
    company = effort_for(report, effort_period(report))
    split = company[0] if company else None
    if berg is None:
        st.info("No iceberg inputs yet: upload a quarter of metrics on the Upload page.")
    else:
        st.subheader(charts.iceberg_headline(berg))
        first, second, third = st.columns(3, border=True)
        first.metric(f"Cost of poor experience, {berg.period}", money(berg.total))
        first.caption(f"Finance sees {money(berg.visible)} of it.")
        second.metric(f"Last {len(melt.periods)} quarters, a year's worth",
                      money(melt.annual_cost))
        second.caption(f"{money(report.snowball.projected_cost)} more over "
                       f"{a.horizon_years} years if nothing changes.")
        third.metric("Hidden below the waterline", f"{multiple(berg.hidden_multiple)} the tip")
        third.caption(charts.hidden_takeaway(berg) + ".")
        left, middle, right = st.columns(3, border=True)
        left.metric(f"Prevention NPV ({report.scenario.label})", money(melt.npv))
        left.caption(charts.melt_headline(melt) + ".")
        middle.metric("Prevention ROI and payback", percent(melt.roi),
                      delta=("never pays back" if melt.payback_months is None
                             else f"pays back in {melt.payback_months:,.1f} months"),
                      delta_color="off", delta_arrow="off")
        middle.caption(f"Risk-adjusted by {percent(a.benefit_risk_haircut)}, over "
                       f"{a.horizon_years} years at {percent(a.discount_rate)}.")
        right.metric("Experience Leadership share", percent(split.shares["EL"]) if split else "n/a",
                     delta=f"target {percent(a.el_target_share)}", delta_color="off",
                     delta_arrow="off")
        right.caption(charts.effort_headline(split, a.el_target_share) + ".")

    st.subheader("The three pictures")
    pics = st.columns(3)
    with pics[0]:
        chart(charts.relative_bars(report.relative, report.footnote("relative"), compact=True),
              report.footnote("relative"), key="chart.overview.relative")
        st.page_link("pages/relative.py", label="Relative size", icon=":material/bar_chart:")
    with pics[1]:
        chart(charts.iceberg_figure(berg, report.footnote("iceberg"), compact=True),
              report.footnote("iceberg"), key="chart.overview.iceberg")
        st.page_link("pages/iceberg.py", label="Cost iceberg", icon=":material/ac_unit:")
    with pics[2]:
        chart(charts.effort_figure(company, target=a.el_target_share,
                                   footnote=report.footnote("effort"), compact=True),
              report.footnote("effort"), key="chart.overview.effort")
        st.page_link("pages/effort.py", label="Effort split", icon=":material/donut_large:")
