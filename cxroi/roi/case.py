"""Business cases: what preventing poor experience earns, discounted over the horizon.

`melt` is the case for the whole iceberg, `plan_case` an action plan's case on one theme's
year; both share one arithmetic, so one plan and the melt agree to the cent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from cxroi.models import Assumptions, CxroiError
from cxroi.roi.iceberg import Iceberg


def present_value(rate: float, cash_flows: Sequence[float]) -> float:
    """The value today of yearly cash flows, ``cash_flows[t]`` at the end of year ``t``.

    Parameters
    ----------
    rate
        Discount rate per year, as a decimal (0.10 = 10%); must be greater than -1.
    cash_flows
        ``cash_flows[0]`` happens now (year 0) and is not discounted; ``cash_flows[t]`` is
        discounted by ``(1 + rate) ** t``. This is numpy-financial's ``npv`` convention.

    Notes
    -----
    ``sum(cash_flows[t] / (1 + rate) ** t)``; with a zero rate, the plain sum; with no
    cash flows, 0.

    Examples
    --------
    Invest $100 now, receive $60 at the end of each of two years, at 10%:

    >>> round(present_value(0.10, [-100, 60, 60]), 2)
    4.13
    """
    if rate <= -1:
        raise CxroiError(f"a discount rate must be greater than -100% (got {rate})")
    return math.fsum(flow / (1.0 + rate) ** year for year, flow in enumerate(cash_flows))


def payback_months(investment: float, yearly_net_benefit: float) -> float | None:
    """Months until ``investment`` is earned back by ``yearly_net_benefit`` (undiscounted).

    ``12 * investment / yearly_net_benefit`` when the net benefit is positive, else none
    (it never pays back).

    >>> round(payback_months(50_625, 1_734_000), 2)
    0.35
    >>> payback_months(100, 0) is None
    True
    """
    if yearly_net_benefit <= 0:
        return None
    return 12.0 * investment / yearly_net_benefit


@dataclass(frozen=True)
class MeltResult:
    """Prevention's business case: money per year, discounted over the horizon."""

    periods: tuple[str, ...]
    """The iceberg periods the annual cost is built from (the last four, or fewer)."""
    annual_cost: float
    yearly_benefit: float
    remaining_annual_cost: float
    """What is left of the annual cost after prevention (before any risk haircut)."""
    investment: float
    running_cost: float
    discount_rate: float
    horizon_years: int
    pv_benefits: float
    pv_costs: float
    npv: float
    roi: float | None
    payback_months: float | None
    cash_flows: tuple[float, ...] = field(default=())
    """Net cash flow per year, year 0 first: ``-investment``, then ``benefit - running``."""


def melt(icebergs: Sequence[Iceberg], assumptions: Assumptions) -> MeltResult:
    """The business case for melting the iceberg by getting things right the first time.

    Parameters
    ----------
    icebergs
        One iceberg per period with at least one iceberg input, oldest first.
    assumptions
        Gain, haircut, investment, running cost, discount rate and horizon.

    Notes
    -----
    ``annual_cost`` sums the totals of the last four icebergs; fewer are annualised pro
    rata (three quarters count 4/3); none gives 0. Then, with ``r`` the discount rate and
    ``H`` the horizon::

        B   = annual_cost * right_first_time_gain * (1 - benefit_risk_haircut)
        NPV = -investment + sum_{y=1..H} (B - running) / (1 + r)^y
        ROI = (PV(benefits) - PV(costs)) / PV(costs)      none when PV(costs) is 0
        payback_months = 12 * investment / (B - running)  none unless B > running

    Examples
    --------
    Four quarters costing $433,500 each make $1,734,000 a year; all of it prevented for
    $50,625, no running cost, no haircut, no discounting, one year:

    >>> from cxroi.roi import iceberg
    >>> bergs = [iceberg({"refunds_credits": 433_500}, Assumptions(), period=p)
    ...          for p in ("2025Q2", "2025Q3", "2025Q4", "2026Q1")]
    >>> case = melt(bergs, Assumptions(
    ...     right_first_time_gain=1, benefit_risk_haircut=0, prevention_investment=50_625,
    ...     prevention_running_cost=0, discount_rate=0, horizon_years=1))
    >>> case.yearly_benefit, case.npv, round(case.roi, 4), round(case.payback_months, 2)
    (1734000.0, 1683375.0, 33.2519, 0.35)
    """
    recent = list(icebergs[-4:])
    annual_cost = (
        math.fsum(berg.total for berg in recent) * 4.0 / len(recent) if recent else 0.0
    )
    gain, haircut = assumptions.right_first_time_gain, assumptions.benefit_risk_haircut
    benefit = annual_cost * gain * (1.0 - haircut)
    investment = assumptions.prevention_investment
    running = assumptions.prevention_running_cost
    case = _business_case(benefit, investment, running, assumptions)
    return MeltResult(
        periods=tuple(berg.period for berg in recent),
        annual_cost=annual_cost,
        yearly_benefit=benefit,
        remaining_annual_cost=annual_cost * (1.0 - gain),
        investment=investment,
        running_cost=running,
        discount_rate=assumptions.discount_rate,
        horizon_years=assumptions.horizon_years,
        **case,
    )


def _business_case(benefit: float, investment: float, running: float,
                   assumptions: Assumptions) -> dict[str, object]:
    """PV of benefits and costs, NPV, ROI, payback and the yearly cash flows of a case that
    earns ``benefit`` a year for ``investment`` now and ``running`` a year."""
    rate, years = assumptions.discount_rate, assumptions.horizon_years
    pv_benefits = present_value(rate, [0.0] + [benefit] * years)
    pv_costs = present_value(rate, [investment] + [running] * years)
    cash_flows = (-investment,) + (benefit - running,) * years
    return {
        "pv_benefits": pv_benefits,
        "pv_costs": pv_costs,
        "npv": present_value(rate, cash_flows),
        "roi": (pv_benefits - pv_costs) / pv_costs if pv_costs else None,
        "payback_months": payback_months(investment, benefit - running),
        "cash_flows": cash_flows,
    }


@dataclass(frozen=True)
class PlanCase:
    """An action plan's business case: the melt's arithmetic on one theme's year."""

    theme_annual_cost: float
    yearly_benefit: float
    investment: float
    running_cost: float
    npv: float
    roi: float | None
    payback_months: float | None


def plan_case(theme_cost: float, *, investment: float, running_cost: float,
              expected_reduction: float, assumptions: Assumptions) -> PlanCase:
    """What removing ``expected_reduction`` of a theme's yearly cost earns.

    Notes
    -----
    ``yearly_benefit = theme_annual_cost * expected_reduction * (1 - benefit_risk_haircut)``;
    NPV, ROI and payback exactly as `melt`, with the plan's investment and running cost and
    the scenario's discount rate and horizon.

    Examples
    --------
    Late delivery costs $200,000 a year; a $40,000 fix with $5,000 a year removes 80% of it.
    With a 20% haircut the benefit is $128,000 a year:

    >>> case = plan_case(200_000, investment=40_000, running_cost=5_000,
    ...                  expected_reduction=0.8, assumptions=Assumptions(discount_rate=0))
    >>> case.yearly_benefit, case.npv, round(case.payback_months, 2)
    (128000.0, 329000.0, 3.9)
    """
    benefit = theme_cost * expected_reduction * (1.0 - assumptions.benefit_risk_haircut)
    case = _business_case(benefit, investment, running_cost, assumptions)
    return PlanCase(theme_cost, benefit, investment, running_cost, case["npv"], case["roi"],
                    case["payback_months"])
