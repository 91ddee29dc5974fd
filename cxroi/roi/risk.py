"""Revenue at risk: the exposure detractors and passives carry, never a cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cxroi.models import ALL, Assumptions


REVENUE_AT_RISK_KEYS = ("detractor_revenue_at_risk", "passive_revenue_at_risk",
                        "promoter_growth_potential")
"""The assumptions of `revenue_at_risk`: they never enter the iceberg or the melt."""


@dataclass(frozen=True)
class RevenueAtRisk:
    """Revenue exposure in one period: never a cost, never added to the iceberg or summed."""

    period: str
    segment: str
    short_term: float | None
    """detractors * detractor_revenue_at_risk * annual_revenue_per_customer"""
    long_term: float | None
    """passives * passive_revenue_at_risk * annual_revenue_per_customer"""
    growth_potential: float | None
    """promoters * promoter_growth_potential * annual_revenue_per_customer"""
    inputs: Mapping[str, float]


def revenue_at_risk(metrics: Mapping[str, float], assumptions: Assumptions, *,
                    period: str = "", segment: str = ALL) -> RevenueAtRisk:
    """The revenue the current detractors and passives put at risk, and promoters could add.

    Each figure is none when its input metric is absent. ``inputs`` holds the metrics present
    and ``annual_revenue_per_customer``. It is exposure, not cost: the iceberg already prices
    customers lost and word of mouth, so these never add to it.

    >>> risk = revenue_at_risk({"detractors": 100, "passives": 200}, Assumptions())
    >>> risk.short_term, risk.long_term, risk.growth_potential
    (60000.0, 72000.0, None)
    """
    revenue = float(assumptions.annual_revenue_per_customer)
    inputs = {m: float(metrics[m]) for m in ("detractors", "passives", "promoters") if m in metrics}

    def exposure(metric: str, ratio: float) -> float | None:
        return inputs[metric] * ratio * revenue if metric in inputs else None

    return RevenueAtRisk(
        period, segment,
        exposure("detractors", assumptions.detractor_revenue_at_risk),
        exposure("passives", assumptions.passive_revenue_at_risk),
        exposure("promoters", assumptions.promoter_growth_potential),
        {**inputs, "annual_revenue_per_customer": revenue},
    )
