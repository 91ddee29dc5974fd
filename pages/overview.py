"""Overview: the headline figures and the one-line takeaways."""

import streamlit as st

from cxroi.format import money, multiple, percent
from pages.common import current_report, guarded, show_footnote

st.title("The cost of poor customer experience")

with guarded("The overview"):
    report = current_report()
    berg = report.latest_iceberg
    melt = report.melt
    if berg is None:
        st.info("No iceberg inputs yet: upload a quarter of metrics on the Upload page.")
    else:
        first, second, third = st.columns(3)
        first.metric(f"Cost of poor experience, {berg.period}", money(berg.total))
        second.metric("Hidden below the waterline", multiple(berg.hidden_multiple),
                      help="Hidden costs as a multiple of the visible tip finance already sees.")
        third.metric(f"Last {len(melt.periods)} quarters, annualised", money(melt.annual_cost))
        left, middle, right = st.columns(3)
        left.metric(f"Prevention NPV ({report.scenario.label})", money(melt.npv))
        middle.metric("Prevention ROI", percent(melt.roi))
        payback = "never" if melt.payback_months is None else f"{melt.payback_months:.1f} months"
        right.metric("Payback", payback)
        show_footnote(report.footnote("iceberg"))
