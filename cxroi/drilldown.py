"""The drill-down's questions asked of a store: key drivers and leading indicators.

`cxroi.drivers` computes on arrays and never reaches the store; this room reads what it needs
(one period's answers, a segment's metric series), chooses the defaults the contract names
(the latest period with ratings; lag 1; segment ``All``) and turns a wrong name into one
sentence that says what there is. The command line and the Drivers page both call it, so
they refuse the same things in the same words.

=====================  ==================================================================
``drivers_for``        `key_drivers` of an outcome item for a period and segment
``leading_for``        `leading_indicators` of an outcome metric at a lag, for a segment
``metric_series``      a dataset's metric -> quarter -> value (the leading indicators' input)
``pairs``              (q, indicator at q - lag, outcome at q) for one indicator's scatter
=====================  ==================================================================
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cxroi.dataset import Dataset
from cxroi.drivers import DriverResult, LeadingResult, key_drivers, leading_indicators
from cxroi.models import ALL, CxroiError, next_period, parse_period
from cxroi.store import Store

__all__ = ["drivers_for", "leading_for", "metric_series", "pairs", "DRIVER_METHODS"]

DRIVER_METHODS: tuple[str, ...] = ("lmg", "johnson")
"""The methods a person may ask for (``auto``, the default, picks LMG up to 15 drivers)."""


def _listed(names: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def drivers_for(store: Store, outcome: str, *, period: str | None = None,
                segment: str = ALL, items: Sequence[str] | None = None,
                method: str = "auto") -> DriverResult:
    """The key drivers of ``outcome`` in ``period`` (default: the latest with ratings for the
    segment) among ``segment``'s respondents (``All`` pools every segment's).

    Refused in one sentence: no ratings at all, an unknown period or segment, an unknown
    outcome or driver item, and everything `key_drivers` refuses (too few complete
    responses, an outcome with no variance...).
    """
    if method not in (*DRIVER_METHODS, "auto"):
        raise CxroiError(f"The method must be lmg or johnson, not {method!r}.")
    segments = store.rating_segments()
    if not segments:
        raise CxroiError("There are no survey ratings yet: import a ratings file first "
                         "(python -m cxroi import ratings FILE ...).")
    if segment not in segments:
        raise CxroiError(f"There are no ratings for the segment {segment!r}; segments with "
                         f"ratings: {_listed(segments)}.")
    periods = store.rating_periods(segment)
    chosen = parse_period(period) if period else periods[-1]
    if chosen not in periods:
        raise CxroiError(f"There are no ratings for {chosen}"
                         f"{'' if segment == ALL else ' in ' + segment}; quarters with ratings: "
                         f"{_listed(periods)}.")
    answers = store.ratings_answers(chosen, segment)
    target = outcome.strip().lower()
    if not target:
        raise CxroiError("Name the outcome item (for example likelihood_to_recommend).")
    known = sorted(answers)
    for name in [target, *(i.strip().lower() for i in items or ())]:
        if name not in answers:
            raise CxroiError(f"There is no item {name!r} in the {chosen} ratings"
                             f"{'' if segment == ALL else ' of ' + segment}; items: "
                             f"{_listed(known)}.")
    if items is not None and not [i for i in items if i.strip()]:
        items = None
    return key_drivers(target, answers, items=items, method=method, period=chosen,
                       segment=segment)


def metric_series(dataset: Dataset) -> dict[str, dict[str, float]]:
    """Metric -> quarter -> value of the dataset's segment (``All``: the company-wide rule)."""
    series: dict[str, dict[str, float]] = {}
    for record in dataset.metrics:
        series.setdefault(record.metric, {})[record.period] = record.value
    return series


def leading_for(store: Store, outcome: str, *, lag: int = 1,
                segment: str = ALL) -> LeadingResult:
    """Which of ``segment``'s metrics, ``lag`` quarters earlier, move with ``outcome``."""
    segments = store.segments()
    if segment not in segments:
        raise CxroiError(f"There is no segment {segment!r}; segments: {_listed(segments)}.")
    series = metric_series(store.dataset(segment))
    if not series:
        raise CxroiError("There are no metrics yet: import a metrics file first.")
    target = outcome.strip().lower()
    if target not in series:
        raise CxroiError(f"There is no metric {target!r} for {segment}; metrics: "
                         f"{_listed(sorted(series))}.")
    return leading_indicators(target, series, lag=lag, segment=segment)


def pairs(dataset: Dataset, indicator: str, outcome: str, lag: int
          ) -> list[tuple[str, float, float]]:
    """(quarter q, indicator at q - lag, outcome at q) for the scatter of one indicator."""
    series = metric_series(dataset)
    x, y = series.get(indicator, {}), series.get(outcome, {})
    found = []
    for quarter in sorted(y):
        earlier = next_period(quarter, -lag)
        if earlier in x and np.isfinite(x[earlier]) and np.isfinite(y[quarter]):
            found.append((quarter, float(x[earlier]), float(y[quarter])))
    return found
