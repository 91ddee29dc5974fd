"""What-if's arithmetic: how much each assumption moves the money, and where prevention breaks even.

Pure Python like `cxroi.roi`, on which it is built: the standard library, `cxroi.models` and
`cxroi.roi`, no I/O. `cxroi.whatif.sensitivity_for` runs these on a report.

==========================  ==============================================================
function                    what it gives
==========================  ==============================================================
`sensitivity`               tornado: each assumption alone across its plausible range
`varied_range`              that range, centred on the value in use when it lies outside
`break_even_gain`           the right-first-time gain at which prevention's NPV is zero
==========================  ==============================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cxroi.models import AssumptionInfo, Assumptions, assumption_info
from cxroi.roi import ICEBERG_METRICS, REVENUE_AT_RISK_KEYS, iceberg, melt, present_value

__all__ = ["Swing", "Tornado", "Sensitivity", "sensitivity", "varied_range", "break_even_gain"]


@dataclass(frozen=True)
class Swing:
    """One assumption moved alone across `varied_range`: the measure at each end."""

    key: str
    label: str
    unit: str
    low: float
    high: float
    """The values it was moved between: its plausible low and high, or, when the value in use
    lies outside them, a range as wide centred on it (ratios as decimals)."""
    at_low: float
    at_high: float
    """The measure (money) with the assumption at its low, and at its high."""

    @property
    def swing(self) -> float:
        """How far the measure moves across the range: ``|at_high - at_low|`` (money)."""
        return abs(self.at_high - self.at_low)


@dataclass(frozen=True)
class Tornado:
    """How one measure responds to each assumption alone: the bars of a tornado chart."""

    measure: str
    """``iceberg_total`` (the latest quarter's iceberg) or ``npv`` (prevention's NPV)."""
    periods: tuple[str, ...]
    """The quarters the measure is built from."""
    base: float
    """The measure under the assumptions as given (money)."""
    swings: tuple[Swing, ...]
    """Largest swing first; assumptions that do not move the measure come last, swing 0."""

    @property
    def moving(self) -> tuple[Swing, ...]:
        """The swings that move the measure at all."""
        return tuple(s for s in self.swings if s.swing > 0)


@dataclass(frozen=True)
class Sensitivity:
    """Two tornadoes over the same data: the latest iceberg's total, and prevention's NPV."""

    iceberg_total: Tornado
    npv: Tornado


def sensitivity(
    periods: Sequence[tuple[str, Mapping[str, float]]], assumptions: Assumptions
) -> Sensitivity:
    """Move each assumption alone from its plausible low to its high; see what moves most.

    Parameters
    ----------
    periods
        ``(period, {metric: value})`` per quarter, oldest first, with the canonical metric
        values `iceberg` takes; quarters without any iceberg input are left out, as in the
        report.
    assumptions
        The scenario being examined: every assumption not being moved keeps its value here.

    Notes
    -----
    Two measures, both money: the **latest quarter's iceberg total** (the overview's
    headline figure) and prevention's **NPV** (`melt` over the last four quarters). For each
    assumption with a plausible range (the two target shares have none, and the
    revenue-at-risk ratios enter neither measure: both are skipped), the measure is recomputed with that assumption at its ``low`` and at its ``high`` and
    every other assumption unchanged. An assumption that does not enter a measure (the
    discount rate for the iceberg) has a swing of 0. With no quarters both measures are
    built from nothing: the iceberg total is 0 and the NPV is that of no benefit.

    Examples
    --------
    A quarter with 1,000 service contacts at $8 and 10 escalations taking 3 manager hours
    at $95: $8,000 + $2,850 = $10,850. The cost per contact, from $2 to $20, matters most:

    >>> result = sensitivity([("2026Q1", {"service_contacts": 1000, "escalations": 10})],
    ...                      Assumptions())
    >>> result.iceberg_total.base
    10850.0
    >>> top = result.iceberg_total.swings[0]
    >>> top.key, top.at_low, top.at_high, top.swing
    ('cost_per_contact', 4850.0, 22850.0, 18000.0)
    >>> [s.key for s in result.iceberg_total.moving]
    ['cost_per_contact', 'hours_per_escalation', 'manager_hourly_cost']
    """
    kept = [(p, values) for p, values in periods if ICEBERG_METRICS & values.keys()]

    def measures(chosen: Assumptions) -> tuple[float, float]:
        bergs = [iceberg(values, chosen, period=p) for p, values in kept]
        return (bergs[-1].total if bergs else 0.0), melt(bergs, chosen).npv

    base_total, base_npv = measures(assumptions)
    current = assumptions.model_dump()
    by_total, by_npv = [], []
    for info in assumption_info():
        if info.low is None or info.high is None or info.key in REVENUE_AT_RISK_KEYS:
            continue
        low, high = varied_range(info, current[info.key])
        ends = [measures(Assumptions.model_validate({**current, info.key: value}))
                for value in (low, high)]
        for out, index in ((by_total, 0), (by_npv, 1)):
            out.append(Swing(info.key, info.label, info.unit, low, high, ends[0][index],
                             ends[1][index]))
    latest = (kept[-1][0],) if kept else ()
    recent = tuple(p for p, _ in kept[-4:])
    return Sensitivity(
        iceberg_total=Tornado("iceberg_total", latest, base_total,
                              tuple(sorted(by_total, key=lambda s: -s.swing))),
        npv=Tornado("npv", recent, base_npv, tuple(sorted(by_npv, key=lambda s: -s.swing))),
    )


def varied_range(info: AssumptionInfo, value: float) -> tuple[float, float]:
    """The low and high an assumption is moved between: its plausible range, or, when the value
    in use lies outside that range, a range of the same width centred on the value (kept
    within the hard limits), so the tornado always brackets what the scenario assumes.

    >>> info = next(i for i in assumption_info() if i.key == "cost_per_contact")  # 2 to 20
    >>> varied_range(info, 8), varied_range(info, 35)
    ((2.0, 20.0), (26.0, 44.0))
    """
    low, high = float(info.low), float(info.high)
    if low <= value <= high:
        return low, high
    half = (high - low) / 2
    low, high = value - half, value + half
    if low < info.minimum:  # halfway down to the floor (a floor may itself be excluded)
        low = info.minimum + (value - info.minimum) / 2
        high = low + 2 * half
    if info.maximum is not None and high > info.maximum:
        low, high = max(info.minimum, info.maximum - 2 * half), info.maximum
    if info.integer:
        low, high = float(round(low)), float(round(high))
    return low, high


def break_even_gain(annual_cost: float, assumptions: Assumptions) -> float | None:
    """The right-first-time gain at which prevention's NPV is exactly zero.

    Parameters
    ----------
    annual_cost
        What poor experience costs a year (money; `MeltResult.annual_cost`).
    assumptions
        Haircut, investment, running cost, discount rate and horizon; the gain itself is
        what is solved for, so its value here is ignored.

    Notes
    -----
    NPV is linear in the gain ``g``. With ``A`` the annual cost, ``h`` the haircut,
    ``I`` the investment, ``R`` the running cost and ``S = sum_{y=1..H} 1 / (1 + r)^y``::

        NPV(g) = -I + (A * g * (1 - h) - R) * S = 0
        g*     = (I / S + R) / (A * (1 - h))

    None when ``A * (1 - h)`` is 0 (no annual cost, or a 100% haircut): no gain breaks
    even. A result above 1 means prevention cannot break even even if it removed every
    issue; a result of 0 means it costs nothing.

    Examples
    --------
    Poor experience costs $1M a year; the business case takes a 20% haircut, $250k up
    front and $50k a year, over three undiscounted years. Prevention must remove a sixth:

    >>> gain = break_even_gain(1_000_000, Assumptions(discount_rate=0))
    >>> round(gain, 4)
    0.1667
    >>> break_even_gain(0, Assumptions()) is None
    True
    """
    per_gain = annual_cost * (1.0 - assumptions.benefit_risk_haircut)
    if per_gain <= 0:
        return None
    years = assumptions.horizon_years
    annuity = present_value(assumptions.discount_rate, [0.0] + [1.0] * years)
    needed = assumptions.prevention_investment / annuity + assumptions.prevention_running_cost
    return needed / per_gain
