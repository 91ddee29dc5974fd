"""The effort split: Touchpoint Management, Experience Management, Experience Leadership.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cxroi.models import ALL, TIERS, Assumptions, CxroiError


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
