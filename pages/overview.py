"""Overview: the headline figures, each with its one-line takeaway, and the three pictures."""

import streamlit as st

from cxroi import charts
from cxroi.format import escape_markdown as md
from cxroi.format import money, multiple, percent
from pages.common import (
    ensure_frame,
    guarded,
    selected_period,
    show_chart,
    view_report,
)

ensure_frame()
st.title("The cost of poor customer experience")

with guarded("The overview"):
    report = view_report()
    berg = report.iceberg_for(selected_period())
    melt = report.melt
    a = report.scenario.assumptions
    company = report.effort_in(report.effort_period(selected_period()))
    split = company[0] if company else None
    if berg is None:
        st.info("No iceberg inputs yet: upload a quarter of metrics on the Upload page.")
    else:
        st.subheader(md(charts.iceberg_headline(berg)))
        first, second, third = st.columns(3, border=True)
        first.metric(f"Cost of poor experience, {berg.period}", money(berg.total))
        first.caption(md(f"Finance sees {money(berg.visible)} of it."))
        second.metric(f"Last {len(melt.periods)} quarters, a year's worth",
                      money(melt.annual_cost))
        second.caption(md(f"{money(report.snowball.projected_cost)} more over "
                          f"{a.horizon_years} years if nothing changes."))
        third.metric("Hidden below the waterline", f"{multiple(berg.hidden_multiple)} the tip")
        third.caption(md(charts.hidden_takeaway(berg) + "."))
        left, middle, right = st.columns(3, border=True)
        left.metric(md(f"Prevention NPV ({report.scenario.label})"), money(melt.npv))
        left.caption(md(charts.melt_headline(melt) + "."))
        middle.metric("Prevention ROI and payback", percent(melt.roi),
                      delta=("never pays back" if melt.payback_months is None
                             else f"pays back in {melt.payback_months:,.1f} months"),
                      delta_color="off", delta_arrow="off")
        middle.caption(md(f"Risk-adjusted by {percent(a.benefit_risk_haircut)}, over "
                          f"{a.horizon_years} years at {percent(a.discount_rate)}."))
        right.metric("Experience Leadership share", percent(split.shares["EL"]) if split else "n/a",
                     delta=f"target {percent(a.el_target_share)}", delta_color="off",
                     delta_arrow="off")
        right.caption(md(charts.effort_headline(split, a.el_target_share) + "."))

    st.subheader("The three pictures")
    pictures = (("relative", "pages/relative.py", "Relative size", ":material/bar_chart:"),
                ("iceberg", "pages/iceberg.py", "Cost iceberg", ":material/ac_unit:"),
                ("effort", "pages/effort.py", "Effort split", ":material/donut_large:"))
    for column, (kind, target, label, icon) in zip(st.columns(3), pictures, strict=True):
        with column:
            st.page_link(target, label=f"Open {label}", icon=icon)
            show_chart(kind, compact=True, key=f"chart.overview.{kind}")
