"""The ROI calculations: what poor customer experience costs, and what preventing it earns.

Pure Python: the standard library and `cxroi.models`, no I/O. The store hands in small
records (one value per metric, period and segment); everything here is exact arithmetic on
them, and every result is a small frozen object.

==========================  ==============================================================
function                    what it gives
==========================  ==============================================================
`iceberg`                   the nine cost lines of one period: visible tip and hidden mass
`snowball`                  how the iceberg builds: line by line, quarter by quarter, ahead
`melt`                      prevention: annual cost, yearly benefit, NPV, ROI, payback
`melted`                    the iceberg that remains after right-first-time prevention
`present_value`             discounted sum of yearly cash flows (numpy-financial's convention)
`payback_months`            months until a one-time investment is earned back
`effort_split`              TM / EM / EL shares, the EL gap in hours, the outer-loop share
`baseline`                  previous period, normal, industry benchmark or target
`relative_size`             one bar above or below its baseline
`themes_money`              each complaint theme's money inside the iceberg, Pareto, vital few
`themed_lines`              each iceberg line's money the themes explain (the themed part)
`theme_annual_cost`         a theme's year: 4 x its mean money over the latest four quarters
`plan_case`                 an action plan's yearly benefit, NPV, ROI and payback
`revenue_at_risk`           revenue detractors and passives put at risk (exposure, not cost)
==========================  ==============================================================

Conventions: ratios are decimals (0.20 = 20%); money is in the data's one currency; periods
are calendar quarters (``2026Q3``); rates are per year. Costs are positive and so are
savings: a bigger iceberg is a bigger positive number, a bigger benefit likewise.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import Protocol

from cxroi.models import (
    ALL,
    TIERS,
    Assumptions,
    CxroiError,
    next_period,
    period_index,
    previous_period,
)

__all__ = [
    "LineSpec",
    "ICEBERG_LINES",
    "ICEBERG_METRICS",
    "IcebergLine",
    "Iceberg",
    "iceberg",
    "melted",
    "SnowballStep",
    "SnowballPoint",
    "Snowball",
    "snowball",
    "MeltResult",
    "melt",
    "present_value",
    "payback_months",
    "EffortSplit",
    "effort_split",
    "baseline",
    "RelativeBar",
    "relative_size",
    "ThemeMoney",
    "Themes",
    "unit_costs",
    "themes_money",
    "themed_lines",
    "theme_annual_cost",
    "theme_annual_costs",
    "PlanCase",
    "plan_case",
    "REVENUE_AT_RISK_KEYS",
    "RevenueAtRisk",
    "revenue_at_risk",
]


# --- the iceberg ---------------------------------------------------------------------------


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
_LINE_METRIC = {spec.key: spec.metric for spec in ICEBERG_LINES}

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


# --- the snowball --------------------------------------------------------------------------


@dataclass(frozen=True)
class SnowballStep:
    """One line added to the growing snowball: its amount and the total so far."""

    key: str
    label: str
    layer: str
    amount: float
    cumulative: float


@dataclass(frozen=True)
class SnowballPoint:
    """One quarter of the snowball: that quarter's cost and the total since the first one."""

    period: str
    amount: float
    cumulative: float
    projected: bool


@dataclass(frozen=True)
class Snowball:
    """How the iceberg builds: line by line (``steps``), quarter by quarter (``running``),
    and ahead if nothing changes (``projection``)."""

    steps: tuple[SnowballStep, ...]
    running: tuple[SnowballPoint, ...]
    projection: tuple[SnowballPoint, ...]
    quarterly_run_rate: float
    """The mean quarterly total of the last four periods: what each future quarter costs."""

    @property
    def tip(self) -> float:
        """The visible tip the steps start from: the total before the first hidden line."""
        first_hidden = next((s for s in self.steps if s.layer == "hidden"), None)
        if first_hidden is not None:
            return first_hidden.cumulative - first_hidden.amount
        return self.steps[-1].cumulative if self.steps else 0.0

    @property
    def projected_cost(self) -> float:
        """What the projection's horizon costs if nothing changes."""
        return math.fsum(point.amount for point in self.projection)


def snowball(icebergs: Sequence[Iceberg], assumptions: Assumptions) -> Snowball:
    """How the cost of poor experience snowballs.

    Parameters
    ----------
    icebergs
        One iceberg per period, oldest first (periods without iceberg inputs left out).
    assumptions
        ``horizon_years`` sets how many quarters the projection runs (4 per year).

    Notes
    -----
    ``steps`` adds the latest iceberg's lines one by one, visible tip first. ``running`` is
    the cumulative total over the periods. The projection carries the mean quarterly total
    of the last four periods (fewer when there are fewer) forward for ``4 * horizon_years``
    quarters after the last period. With no icebergs everything is empty and the rate is 0.

    Examples
    --------
    Two quarters costing $100k and $140k, projected one year ahead at their mean:

    >>> bergs = [iceberg({"refunds_credits": v}, Assumptions(), period=p)
    ...          for p, v in (("2025Q4", 100_000), ("2026Q1", 140_000))]
    >>> ball = snowball(bergs, Assumptions(horizon_years=1))
    >>> [point.cumulative for point in ball.running]
    [100000.0, 240000.0]
    >>> ball.quarterly_run_rate, ball.projected_cost, ball.projection[0].period
    (120000.0, 480000.0, '2026Q2')
    """
    if not icebergs:
        return Snowball((), (), (), 0.0)
    steps, so_far = [], 0.0
    for line in icebergs[-1].lines:
        so_far += line.amount
        steps.append(SnowballStep(line.key, line.label, line.layer, line.amount, so_far))
    running, cumulative = [], 0.0
    for berg in icebergs:
        cumulative += berg.total
        running.append(SnowballPoint(berg.period, berg.total, cumulative, False))
    recent = icebergs[-4:]
    rate = math.fsum(berg.total for berg in recent) / len(recent)
    projection, last = [], icebergs[-1].period
    for step in range(1, 4 * assumptions.horizon_years + 1):
        cumulative += rate
        projection.append(SnowballPoint(next_period(last, step), rate, cumulative, True))
    return Snowball(tuple(steps), tuple(running), tuple(projection), rate)


# --- the melt: prevention's business case --------------------------------------------------


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


# --- the effort split ----------------------------------------------------------------------


@dataclass(frozen=True)
class EffortSplit:
    """Where effort goes: Touchpoint Management, Experience Management, Experience Leadership."""

    period: str
    department: str
    hours: Mapping[str, float]
    shares: Mapping[str, float]
    el_gap_hours: float
    """Hours that would have to move into EL to reach the target share (0 when it is met)."""
    inner_hours: float
    outer_hours: float
    outer_loop_share: float | None
    """``outer / (inner + outer)`` over the hours that name a loop; none when none do."""

    @property
    def total_hours(self) -> float:
        return math.fsum(self.hours.values())


def effort_split(
    rows: Iterable[tuple[str, str | None, float]],
    assumptions: Assumptions,
    *,
    period: str = "",
    department: str = ALL,
) -> EffortSplit:
    """Shares of effort by tier, the gap to the EL target, and the outer-loop share.

    Parameters
    ----------
    rows
        ``(tier, loop, hours)`` for one period and department (or every department, for the
        company): tier ``TM``/``EM``/``EL``, loop ``inner``/``outer`` or none.
    assumptions
        ``el_target_share`` (0.50 = at least half of effort on Experience Leadership).

    Notes
    -----
    ``share[t] = hours[t] / total``; with no hours every share is 0.
    ``el_gap_hours = max(0, el_target_share * total - EL)``.

    Examples
    --------
    Support spends 1,500 hours on touchpoints (inner loop) and 200 on leadership (outer),
    Marketing 700 on experience management, Product 350 on leadership (outer):

    >>> split = effort_split([("TM", "inner", 1500), ("EL", "outer", 200),
    ...                       ("EM", None, 700), ("EL", "outer", 350)], Assumptions())
    >>> split.shares["EL"], split.el_gap_hours, round(split.outer_loop_share, 4)
    (0.2, 825.0, 0.2683)
    """
    hours = dict.fromkeys(TIERS, 0.0)
    loops = {"inner": 0.0, "outer": 0.0}
    for tier, loop, amount in rows:
        if tier not in hours:
            raise CxroiError(f"tier must be one of {', '.join(TIERS)} (got {tier!r})")
        hours[tier] += float(amount)
        if loop in loops:
            loops[loop] += float(amount)
    total = math.fsum(hours.values())
    shares = {tier: (value / total if total else 0.0) for tier, value in hours.items()}
    looped = loops["inner"] + loops["outer"]
    return EffortSplit(
        period=period,
        department=department,
        hours=hours,
        shares=shares,
        el_gap_hours=max(0.0, assumptions.el_target_share * total - hours["EL"]),
        inner_hours=loops["inner"],
        outer_hours=loops["outer"],
        outer_loop_share=loops["outer"] / looped if looped else None,
    )


# --- relative size -------------------------------------------------------------------------

def baseline(
    kind: str,
    period: str,
    history: Mapping[str, float],
    *,
    industry: float | None = None,
    target: float | None = None,
) -> float | None:
    """The baseline a metric's value in ``period`` is compared with.

    Parameters
    ----------
    kind
        ``previous``: the value in the calendar quarter just before (none if absent);
        ``normal``: the mean of the values in the up to four latest earlier quarters that
        have one; ``benchmark``: the industry benchmark; ``target``: the target.
    history
        The metric's value per canonical period (any periods; later ones are ignored).

    Examples
    --------
    Contacts were 1,300, 1,400 and 1,500 in the three quarters before 2026Q1:

    >>> history = {"2025Q2": 1300, "2025Q3": 1400, "2025Q4": 1500, "2026Q1": 1543}
    >>> baseline("normal", "2026Q1", history), baseline("previous", "2026Q1", history)
    (1400.0, 1500.0)
    >>> baseline("previous", "2025Q2", history) is None
    True
    """
    if kind == "previous":
        value = history.get(previous_period(period))
        return None if value is None else float(value)
    if kind == "normal":
        current = period_index(period)
        earlier = sorted((p for p in history if period_index(p) < current), key=period_index)
        recent = [float(history[p]) for p in earlier[-4:]]
        return math.fsum(recent) / len(recent) if recent else None
    if kind == "benchmark":
        return None if industry is None else float(industry)
    if kind == "target":
        return None if target is None else float(target)
    raise CxroiError(f"baseline must be previous, normal, benchmark or target (got {kind!r})")


@dataclass(frozen=True)
class RelativeBar:
    """One metric's value against its baseline: the bar above or below the line."""

    metric: str
    unit: str
    value: float
    baseline: float | None
    delta: float | None
    relative: float | None
    """``delta / baseline`` as a decimal; none when the baseline is 0 or missing."""
    worse: bool | None
    """True when the value moved the wrong way for the metric; none without a baseline."""
    higher_is_better: bool


def relative_size(
    metric: str, value: float, base: float | None, *, unit: str, higher_is_better: bool
) -> RelativeBar:
    """How big a change is, relative to its baseline, and whether it is bad news.

    Notes
    -----
    ``delta = value - baseline``; ``relative = delta / baseline``, none (never infinity)
    when the baseline is 0 (or so close to 0 that the ratio overflows); everything but the value is none when there is no baseline.
    ``worse`` is true when ``delta`` goes against ``higher_is_better``; no change is not worse.

    Examples
    --------
    1,543 service contacts against a normal of 1,400 (fewer contacts are better):

    >>> bar = relative_size("service_contacts", 1543, 1400, unit="count",
    ...                     higher_is_better=False)
    >>> bar.delta, round(bar.relative, 4), bar.worse
    (143.0, 0.1021, True)
    """
    value = float(value)
    if base is None:
        return RelativeBar(metric, unit, value, None, None, None, None, higher_is_better)
    base = float(base)
    delta = value - base
    worse = delta < 0 if higher_is_better else delta > 0
    relative = delta / base if base else None
    if relative is not None and not math.isfinite(relative):
        relative = None  # a baseline so close to 0 that the ratio overflows
    return RelativeBar(metric, unit, value, base, delta, relative, worse, higher_is_better)


# --- the drill-down: what the themes cost, what a plan earns, revenue at risk --------------


class _ThemeRow(Protocol):
    theme: str
    metric: str
    count: float
    department: str | None


class _ThemeColumns(Protocol):
    """One period's theme counts as columns (`cxroi.dataset.ThemeCounts`)."""

    themes: Sequence[str]
    departments: Sequence[str | None]
    counts: Mapping[str, Sequence[float | None]]

    def rows(self) -> Iterable[_ThemeRow]: ...


@dataclass(frozen=True)
class ThemeMoney:
    """One theme's share of the iceberg: its money, by metric, and its place in the Pareto."""

    theme: str
    department: str | None
    money: float
    share: float
    """``money`` over the sum of every theme's money (0 when that sum is 0)."""
    cumulative_share: float
    vital_few: bool
    by_metric: Mapping[str, tuple[float, float]]
    """metric -> (count after any scaling, money)."""


@dataclass(frozen=True)
class _Priced:
    """Every theme's priced counts, one entry per theme (in no particular order), from
    which `Themes.items` is built on first use: a theme's year needs only the money."""

    names: Sequence[str]
    departments: Sequence[str | None]
    totals: Sequence[float]
    by_metric: Mapping[str, tuple[Sequence[float | None], Sequence[float | None]]]
    """metric -> (each theme's count after any scaling, its money; none without a row)."""

    def items(self) -> tuple[ThemeMoney, ...]:
        names, totals = self.names, self.totals
        order = sorted(range(len(names)), key=lambda i: (-totals[i], names[i]))
        whole = math.fsum(totals)
        columns = [(metric, counts, money) for metric, (counts, money)
                   in sorted(self.by_metric.items())]
        items, crossed = [], False
        for i, reached in zip(order, _running_sums([totals[i] for i in order])):
            items.append(ThemeMoney(
                theme=names[i], department=self.departments[i], money=totals[i],
                share=totals[i] / whole if whole else 0.0,
                cumulative_share=reached / whole if whole else 0.0,
                vital_few=whole > 0 and not crossed and totals[i] > 0,
                by_metric={metric: (counts[i], money[i]) for metric, counts, money in columns
                           if counts[i] is not None},
            ))
            crossed = crossed or (whole > 0 and reached * 5 >= whole * 4)  # 80%, no rounding
        return tuple(items)


@dataclass(frozen=True)
class Themes:
    """Every theme's money inside one period's iceberg, in Pareto order, and the remainder."""

    period: str
    segment: str
    iceberg_total: float
    unattributed: float
    """``iceberg_total`` minus the themes' money: what no theme accounts for."""
    warnings: tuple[str, ...]
    money: Mapping[str, float]
    """Each theme's money by casefolded name (what `theme_annual_costs` adds up)."""
    priced: _Priced = field(repr=False)

    @cached_property
    def items(self) -> tuple[ThemeMoney, ...]:
        """Every theme, by money (ties by name), with its share and the vital few marked."""
        return self.priced.items()

    @property
    def vital_few(self) -> tuple[ThemeMoney, ...]:
        return tuple(item for item in self.items if item.vital_few)


def unit_costs(berg: Iceberg) -> dict[str, float]:
    """Money per unit of each iceberg metric present in ``berg`` with a value other than 0.

    ``u(m) = (sum of the line amounts fed by m) / value(m)``: every line is linear in its
    metric, so a theme's count of ``m`` costs ``count * u(m)``. ``customers_lost`` feeds
    lost lifetime value and replacement acquisition; ``refunds_credits`` costs 1 a unit.

    >>> berg = iceberg({"service_contacts": 100, "customers_lost": 2}, Assumptions())
    >>> unit_costs(berg)
    {'service_contacts': 8.0, 'customers_lost': 1640.0}
    """
    amounts: dict[str, list[float]] = {}
    values: dict[str, float] = {}
    for line in berg.lines:
        metric = _LINE_METRIC[line.key]
        values[metric] = float(line.inputs[metric])
        amounts.setdefault(metric, []).append(line.amount)
    return {m: math.fsum(amounts[m]) / values[m] for m in amounts if values[m]}


def themes_money(berg: Iceberg, rows: Iterable[_ThemeRow] | _ThemeColumns) -> Themes:
    """What each complaint theme costs inside ``berg``, so nothing is counted twice.

    Parameters
    ----------
    berg
        The iceberg of the period and segment the theme rows belong to.
    rows
        Theme counts (``theme``, ``metric``, ``count`` in the metric's own unit,
        ``department``): "900 of this quarter's service contacts were about late delivery";
        or the period's counts as columns (`cxroi.dataset.ThemeCounts`: one entry per
        theme, one count per metric), the same figures without an object per row.

    Notes
    -----
    With ``c(t, m)`` a theme's count, ``C(m)`` the sum over themes and ``value(m)`` the
    iceberg's input: when ``C(m) > value(m)`` (comments coded to several themes) every count
    of ``m`` is scaled by ``k(m) = value(m) / C(m)`` and a warning names the metric.
    ``money(t) = sum over m of k(m) * c(t, m) * u(m)`` (see `unit_costs`); rows whose metric has
    no value (or 0) add nothing and are named in a warning. Themes are told apart by their
    casefolded name (the first spelling met is shown). Sorted by money (ties by name); the
    vital few are the shortest prefix whose cumulative share reaches 80%.
    ``unattributed = total - sum of money(t)``, so the themes plus the remainder are the total.
    Every sum is `math.fsum`, so the order of the rows never moves a cent.

    Examples
    --------
    4,000 of 10,000 service contacts ($8 each) are about billing, 1,000 about login:

    >>> berg = iceberg({"service_contacts": 10_000}, Assumptions())
    >>> Row = __import__("collections").namedtuple("Row", "theme metric count department")
    >>> found = themes_money(berg, [Row("Billing", "service_contacts", 4000, None),
    ...                             Row("Login", "service_contacts", 1000, None)])
    >>> [(t.theme, t.money, t.vital_few) for t in found.items], found.unattributed
    ([('Billing', 32000.0, True), ('Login', 8000.0, False)], 40000.0)
    """
    if hasattr(rows, "counts"):
        columns: _ThemeColumns = rows  # type: ignore[assignment]
        keys = [name.casefold() for name in columns.themes]
        if len(set(keys)) == len(keys):
            # one count per theme and metric: C(m) is the column's sum, a count its fsum([c])
            coded = {m: math.fsum(filter(None, column)) for m, column in columns.counts.items()}
            counts = {m: column if 0.0 not in column else  # fsum([-0.0]) is 0.0
                      [None if c is None else c + 0.0 for c in column]
                      for m, column in columns.counts.items()}
            return _priced(berg, keys, columns.themes, columns.departments, counts, coded)
        rows = columns.rows()  # two spellings of one casefolded name: merge them row by row
    return _themes_of_rows(berg, rows)  # type: ignore[arg-type]


def _themes_of_rows(berg: Iceberg, rows: Iterable[_ThemeRow]) -> Themes:
    """`themes_money` of records: the counts of a theme and metric summed, as columns."""
    coded: dict[str, list[float]] = {}
    index: dict[str, int] = {}
    names: list[str] = []
    departments: list[str | None] = []
    found: dict[str, dict[int, list[float]]] = {}
    for row in rows:
        key = row.theme.casefold()
        if key not in index:
            index[key] = len(names)
            names.append(row.theme)
            departments.append(None)
        i = index[key]
        if departments[i] is None:
            departments[i] = row.department
        count = float(row.count)
        coded.setdefault(row.metric, []).append(count)
        found.setdefault(row.metric, {}).setdefault(i, []).append(count)
    counts = {metric: [math.fsum(by[i]) if i in by else None for i in range(len(names))]
              for metric, by in found.items()}
    return _priced(berg, list(index), names, departments, counts,
                   {metric: math.fsum(values) for metric, values in coded.items()})


def _priced(berg: Iceberg, keys: Sequence[str], names: Sequence[str],
            departments: Sequence[str | None], counts: Mapping[str, Sequence[float | None]],
            coded: Mapping[str, float]) -> Themes:
    """The themes' money from one count per theme and metric (``counts``: metric -> a column
    aligned with ``names``, none where the theme has no row) and ``coded``, each metric's
    ``C(m)``."""
    costs = unit_costs(berg)
    values = {_LINE_METRIC[line.key]: float(line.inputs[_LINE_METRIC[line.key]])
              for line in berg.lines}
    scale, warnings = {}, []
    for metric in sorted(coded):
        total, value = coded[metric], values.get(metric, 0.0)
        if metric not in costs:
            warnings.append(f"{metric}: the themes name {total:,.0f} but the iceberg has no "
                            f"{metric} in {berg.period or 'this period'}; they add nothing.")
        elif total > value:
            scale[metric] = value / total
            warnings.append(f"{metric}: the themes add up to {total:,.0f}, more than the "
                            f"{value:,.0f} recorded (comments coded to several themes); each "
                            f"count is scaled by {scale[metric]:.4f}.")
    by_metric = {}
    for metric, column in counts.items():
        scaled = column  # k(m) = 1 unless scaled: c * 1.0 is c
        if metric in scale:
            scaled = [None if c is None else c * scale[metric] for c in column]
        u = costs.get(metric, 0.0)
        by_metric[metric] = (scaled, list(map(operator.mul, scaled, repeat(u)))
                             if None not in scaled else
                             [None if c is None else c * u for c in scaled])
    # a theme's money is the fsum of its metrics' money (filter drops the absent and the 0s)
    totals = [math.fsum(filter(None, money))
              for money in zip(*(money for _, money in by_metric.values()))]
    whole = math.fsum(totals)
    return Themes(berg.period, berg.segment, berg.total, berg.total - whole, tuple(warnings),
                  dict(zip(keys, totals)), _Priced(names, departments, totals, by_metric))


def themed_lines(berg: Iceberg, themes: Themes) -> dict[str, float]:
    """Each line of ``berg`` by key: the part of its money the themes explain.

    ``themed(line) = line.amount * K(m) / value(m)``, with ``K(m)`` the themes' counts of the
    line's metric after any scaling (so never more than ``value(m)``): the lines of a metric
    share its themed part in proportion, and together the lines give the themes' money
    (``iceberg_total - unattributed``). ``themes`` are `themes_money` of this ``berg``.

    >>> berg = iceberg({"service_contacts": 1000}, Assumptions(), period="2026Q1")
    >>> Row = __import__("collections").namedtuple("Row", "theme metric count department")
    >>> themes = themes_money(berg, [Row("Billing", "service_contacts", 250, None)])
    >>> themed_lines(berg, themes)  # a quarter of the contacts: $2,000 of the $8,000
    {'service_cost': 2000.0}
    """
    named = {metric: math.fsum(c for c in counts if c is not None)
             for metric, (counts, _) in themes.priced.by_metric.items()}
    found = {}
    for line in berg.lines:
        metric = _LINE_METRIC[line.key]
        value = float(line.inputs[metric])
        share = min(named.get(metric, 0.0) / value, 1.0) if value else 0.0
        found[line.key] = line.amount * share
    return found


def _running_sums(values: Sequence[float]) -> list[float]:
    """``[fsum(values[:1]), fsum(values[:2]), ...]`` exactly, in one pass.

    Shewchuk's partials (the algorithm of `math.fsum`) hold each prefix's exact sum as a few
    non-overlapping floats; `math.fsum` of them is the prefix's correctly rounded sum.

    >>> _running_sums([0.1, 0.2, 0.3]) == [math.fsum([0.1]), math.fsum([0.1, 0.2]),
    ...                                    math.fsum([0.1, 0.2, 0.3])]
    True
    """
    partials: list[float] = []
    sums = []
    for x in values:
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i += 1
            x = hi
        partials[i:] = [x]
        sums.append(math.fsum(partials))
    return sums


def theme_annual_cost(theme: str, quarters: Sequence[Themes]) -> float:
    """A theme's year: ``4 *`` the mean of its money over the up to four latest quarters.

    ``quarters`` are the periods with any theme rows for the segment, oldest first; a quarter
    without this theme counts 0. Themes are matched by casefolded name.

    >>> berg = iceberg({"service_contacts": 1000}, Assumptions(), period="2026Q1")
    >>> Row = __import__("collections").namedtuple("Row", "theme metric count department")
    >>> q1 = themes_money(berg, [Row("Billing", "service_contacts", 100, None)])
    >>> q2 = themes_money(berg, [Row("Login", "service_contacts", 100, None)])
    >>> theme_annual_cost("billing", [q1, q2])  # $800 in one quarter of two: 4 x $400
    1600.0
    """
    return theme_annual_costs(quarters).get(theme.casefold(), 0.0)


def theme_annual_costs(quarters: Sequence[Themes]) -> dict[str, float]:
    """Every theme's year at once (`theme_annual_cost`), by casefolded name.

    >>> berg = iceberg({"service_contacts": 1000}, Assumptions(), period="2026Q1")
    >>> Row = __import__("collections").namedtuple("Row", "theme metric count department")
    >>> q1 = themes_money(berg, [Row("Billing", "service_contacts", 100, None)])
    >>> q2 = themes_money(berg, [Row("Login", "service_contacts", 50, None)])
    >>> theme_annual_costs([q1, q2])
    {'billing': 1600.0, 'login': 800.0}
    """
    recent = list(quarters[-4:])
    found: dict[str, list[float]] = {}
    for quarter in recent:
        for name, money in quarter.money.items():
            found.setdefault(name, []).append(money)
    return {name: 4.0 * math.fsum(money) / len(recent) for name, money in found.items()}


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
