"""How the iceberg snowballs: line by line, quarter by quarter, and ahead if nothing changes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cxroi.models import Assumptions, next_period
from cxroi.roi.iceberg import Iceberg


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

    >>> from cxroi.roi import iceberg
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
