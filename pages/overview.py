"""Overview: the headline figures, each with its one-line takeaway, and the three pictures."""

import streamlit as st

from cxroi import wording
from cxroi.format import escape_markdown as md
from cxroi.format import money, multiple, percent
from ui.loaders import view_report
from ui.revenue import revenue_at_risk_block
from ui.state import OVERVIEW_PICTURES, app_page, ensure_frame, selected_period
from ui.widgets import guarded, show_chart

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
        st.subheader(md(wording.iceberg_headline(berg)))
        # one row of three cards, two figures each: the cost, the case for prevention, and two
        # shares (hidden, Experience Leadership); one set of columns costs a rerun less than two
        cost, case, shares = st.columns(3, border=True)
        cost.metric(f"Cost of poor experience, {berg.period}", money(berg.total))
        cost.caption(md(f"Finance sees {money(berg.visible)} of it."))
        cost.metric(f"Last {len(melt.periods)} quarters, a year's worth", money(melt.annual_cost))
        cost.caption(md(f"{money(report.snowball.projected_cost)} more over "
                        f"{a.horizon_years} years if nothing changes."))
        case.metric(md(wording.npv_label(report.scenario.label)), money(melt.npv))
        case.caption(md(wording.melt_headline(melt) + "."))
        case.metric("Prevention ROI and payback", percent(melt.roi),
                    delta=wording.pays_back(melt.payback_months),
                    delta_color="off", delta_arrow="off")
        case.caption(md(f"Risk-adjusted by {percent(a.benefit_risk_haircut)}, over "
                        f"{a.horizon_years} years at {percent(a.discount_rate)}."))
        shares.metric("Hidden below the waterline", f"{multiple(berg.hidden_multiple)} the tip")
        shares.caption(md(wording.hidden_takeaway(berg) + "."))
        shares.metric("Experience Leadership share",
                      percent(split.shares["EL"]) if split else "n/a",
                      delta=f"target {percent(a.el_target_share)}", delta_color="off",
                      delta_arrow="off")
        shares.caption(md(wording.effort_headline(split, a.el_target_share) + "."))

    revenue_at_risk_block(report, berg.period if berg else selected_period(), compact=True)
    st.subheader("The three pictures")
    for column, (kind, label) in zip(st.columns(3), OVERVIEW_PICTURES, strict=True):
        with column:
            st.page_link(app_page(kind), label=f"Open {label}")  # the page's own icon
            show_chart(kind, compact=True, key=f"chart.overview.{kind}")
