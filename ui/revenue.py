"""Revenue at risk on screen: three figures beside the iceberg and on the overview, labelled
as exposure that is never added to the cost, with the formula and inputs under "show the math".

The figures are `Report.revenue_at_risk`'s (computed by `cxroi.roi.revenue_at_risk`); this
module only lays them out. A page calls `revenue_at_risk_block` with one line.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxroi import wording
from cxroi.format import escape_markdown, money, money_exact, number, percent
from cxroi.report import Report
from cxroi.roi import RevenueAtRisk

__all__ = ["revenue_at_risk_block", "revenue_math_rows"]

_RATIOS = {"short_term": "detractor_revenue_at_risk", "long_term": "passive_revenue_at_risk",
           "growth_potential": "promoter_growth_potential"}
_COUNTS = {"short_term": "detractors", "long_term": "passives", "growth_potential": "promoters"}


def _risk_in(report: Report, period: str | None) -> RevenueAtRisk | None:
    """The period's figures (the latest period's when it has none)."""
    found = {risk.period: risk for risk in report.revenue_at_risk}
    if period in found:
        return found[period]
    return report.revenue_at_risk[-1] if report.revenue_at_risk else None


def revenue_math_rows(risk: RevenueAtRisk, report: Report) -> list[dict[str, str]]:
    """'Show the math' for revenue at risk: each figure's formula, inputs and amount."""
    a = report.scenario.assumptions
    rows = []
    for key, formula in wording.REVENUE_AT_RISK_FORMULAS.items():
        amount = getattr(risk, key)
        count = _COUNTS[key]
        ratio = getattr(a, _RATIOS[key])
        inputs = (f"{count} = {number(risk.inputs[count])}" if count in risk.inputs
                  else f"{count}: not reported") + (
            f"; {_RATIOS[key]} = {ratio:g} ({percent(ratio, 1)}); annual_revenue_per_customer = "
            f"{money_exact(risk.inputs['annual_revenue_per_customer'])}")
        rows.append({"Figure": wording.REVENUE_AT_RISK_NAMES[key],
                     "Amount": money_exact(amount) if amount is not None else "not reported",
                     "Formula": formula, "Inputs": inputs})
    return rows


def revenue_at_risk_block(report: Report, period: str | None, *, compact: bool = False) -> None:
    """The three figures of one quarter, labelled as exposure never added to the cost."""
    risk = _risk_in(report, period)
    if risk is None:
        return
    st.markdown(f"#### {escape_markdown(wording.REVENUE_AT_RISK_LABEL)}")
    st.caption(escape_markdown(wording.revenue_at_risk_headline(risk) + ". "
                               + wording.REVENUE_AT_RISK_NOTE))
    cards = st.columns(3, border=True)
    for card, key in zip(cards, ("short_term", "long_term", "growth_potential"), strict=True):
        value = getattr(risk, key)
        card.metric(wording.REVENUE_AT_RISK_NAMES[key],
                    money(value) if value is not None else "not reported",
                    help=wording.REVENUE_AT_RISK_FORMULAS[key])
    if not compact:
        with st.expander("Show the math: revenue at risk (not part of the iceberg's total)"):
            rows = revenue_math_rows(risk, report)
            st.table(pd.DataFrame(rows).set_index("Figure"))
