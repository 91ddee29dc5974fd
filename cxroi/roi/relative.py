"""Relative size: a metric's value against its baseline, the bar above or below the line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cxroi.models import CxroiError, period_index, previous_period


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
