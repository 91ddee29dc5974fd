"""The cost-of-poor-experience iceberg: nine cost lines, the visible tip and the hidden mass.

`iceberg` prices one period's metrics with finance's unit costs; `melted` is what remains
after right-first-time prevention.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cxroi.models import ALL, Assumptions


@dataclass(frozen=True)
class LineSpec:
    """One line of the iceberg: which metric feeds it and how it becomes money."""

    key: str
    layer: str
    label: str
    metric: str
    formula: str
    factors: tuple[str, ...]
    """The assumption names the metric is multiplied by (``clv`` is the lifetime value)."""


ICEBERG_LINES: tuple[LineSpec, ...] = (
    LineSpec("service_cost", "visible", "Service contacts", "service_contacts",
             "service_contacts * cost_per_contact", ("cost_per_contact",)),
    LineSpec("refunds_credits", "visible", "Refunds and credits", "refunds_credits",
             "refunds_credits", ()),
    LineSpec("returns_cost", "visible", "Returns", "returns",
             "returns * cost_per_return", ("cost_per_return",)),
    LineSpec("escalation_time", "hidden", "Escalation time", "escalations",
             "escalations * hours_per_escalation * manager_hourly_cost",
             ("hours_per_escalation", "manager_hourly_cost")),
    LineSpec("lost_lifetime_value", "hidden", "Lost lifetime value", "customers_lost",
             "customers_lost * attributable_churn_share * CLV",
             ("attributable_churn_share", "clv")),
    LineSpec("replacement_acquisition", "hidden", "Replacement acquisition", "customers_lost",
             "customers_lost * attributable_churn_share * acquisition_cost_per_customer",
             ("attributable_churn_share", "acquisition_cost_per_customer")),
    LineSpec("negative_word_of_mouth", "hidden", "Negative word of mouth", "detractors",
             "detractors * prospects_lost_per_detractor * CLV",
             ("prospects_lost_per_detractor", "clv")),
    LineSpec("slower_sales", "hidden", "Slower sales", "deals_delayed",
             "deals_delayed * delay_cost_per_deal", ("delay_cost_per_deal",)),
    LineSpec("frontline_turnover", "hidden", "Front-line turnover", "frontline_leavers",
             "frontline_leavers * replacement_cost_per_employee",
             ("replacement_cost_per_employee",)),
)
"""The nine lines, visible tip first, in the order the snowball adds them."""

ICEBERG_METRICS: frozenset[str] = frozenset(spec.metric for spec in ICEBERG_LINES)
"""The metrics that feed at least one iceberg line."""
LINE_METRIC: dict[str, str] = {spec.key: spec.metric for spec in ICEBERG_LINES}
"""Each line's input metric, by line key."""


@dataclass(frozen=True)
class IcebergLine:
    """One line's money, with the formula and the inputs that produced it ("show the math")."""

    key: str
    layer: str
    label: str
    amount: float
    formula: str
    inputs: Mapping[str, float]


@dataclass(frozen=True)
class Iceberg:
    """The cost of poor experience in one period and segment.

    ``lines`` holds the lines whose input metric is present; ``missing`` names the others,
    so the iceberg is *at least* this big.
    """

    period: str
    segment: str
    lines: tuple[IcebergLine, ...]
    missing: tuple[str, ...]

    @property
    def visible(self) -> float:
        """The tip: costs finance already sees."""
        return math.fsum(line.amount for line in self.lines if line.layer == "visible")

    @property
    def hidden(self) -> float:
        """The mass below the waterline."""
        return math.fsum(line.amount for line in self.lines if line.layer == "hidden")

    @property
    def total(self) -> float:
        return math.fsum(line.amount for line in self.lines)

    @property
    def hidden_multiple(self) -> float | None:
        """Hidden costs as a multiple of the visible tip (none when the tip is 0)."""
        visible = self.visible
        return self.hidden / visible if visible else None



def iceberg(
    metrics: Mapping[str, float], assumptions: Assumptions, *, period: str = "", segment: str = ALL
) -> Iceberg:
    """The cost-of-poor-experience iceberg of one period and segment.

    Parameters
    ----------
    metrics
        Canonical metric values of the period (counts, and money for ``refunds_credits``);
        metrics not named are absent, not zero.
    assumptions
        Finance's unit costs.

    Notes
    -----
    With ``CLV = annual_revenue_per_customer * gross_margin * expected_lifetime_years``, each
    line is its metric times its factors (see `ICEBERG_LINES`); a line is computed only when
    its metric is present, otherwise it is listed in ``missing``. A present metric of 0 gives
    a line of 0, not a missing one.

    Examples
    --------
    A quarter with 1,000 service contacts at $8 and 10 customers lost, half of them to poor
    experience, each worth 1,200 x 0.6 x 4 = $2,880 of margin:

    >>> berg = iceberg({"service_contacts": 1000, "customers_lost": 10}, Assumptions())
    >>> berg.visible, berg.hidden, berg.total
    (8000.0, 16400.0, 24400.0)
    >>> [line.key for line in berg.lines]
    ['service_cost', 'lost_lifetime_value', 'replacement_acquisition']
    >>> berg.missing[0]
    'refunds_credits'
    """
    values = {name: float(getattr(assumptions, name)) for name in type(assumptions).model_fields}
    values["clv"] = assumptions.clv
    lines, missing = [], []
    for spec in ICEBERG_LINES:
        if spec.metric not in metrics:
            missing.append(spec.key)
            continue
        amount = float(metrics[spec.metric])
        inputs = {spec.metric: amount}
        for name in spec.factors:
            amount *= values[name]
            inputs["CLV" if name == "clv" else name] = values[name]
        lines.append(IcebergLine(spec.key, spec.layer, spec.label, amount, spec.formula, inputs))
    return Iceberg(period, segment, tuple(lines), tuple(missing))


def melted(berg: Iceberg, assumptions: Assumptions) -> Iceberg:
    """The iceberg that remains when prevention removes ``right_first_time_gain`` of it.

    Every line shrinks by the same share, before any risk haircut: this is the picture of
    doing it right the first time, not the risk-adjusted business case (see `melt`).

    >>> berg = iceberg({"service_contacts": 1000}, Assumptions(right_first_time_gain=0.25))
    >>> melted(berg, Assumptions(right_first_time_gain=0.25)).total
    6000.0
    """
    keep = 1.0 - assumptions.right_first_time_gain
    lines = tuple(
        IcebergLine(line.key, line.layer, line.label, line.amount * keep,
                    f"({line.formula}) * (1 - right_first_time_gain)",
                    {**line.inputs, "right_first_time_gain": assumptions.right_first_time_gain})
        for line in berg.lines
    )
    return Iceberg(berg.period, berg.segment, lines, berg.missing)
