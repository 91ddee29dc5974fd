"""What an upload would change, told before it is stored: the CX lead's last look.

`upload_impact` compares the company-wide data before and after a metrics upload (the store
computes the after in a transaction it rolls back) and names what a person would want to
know before pressing Store: the headline figures before and after, the quarter the charts
will open on, a quarter that only some segments have reported, new segment or metric names
that look like typos of known ones, values far from their normal, and company-wide rows that
replace the sum of the segments. Pure: records in, a frozen result out.

>>> from cxroi.dataset import Dataset, MetricRecord
>>> def data(*records):
...     return Dataset(1, "All", tuple(sorted({r.period for r in records})), records, (), (),
...                    ("East", "West"), {}, False, "")
>>> before = data(MetricRecord("2026Q1", "service_contacts", "count", 1000, False, 2))
>>> after = data(MetricRecord("2026Q1", "service_contacts", "count", 1000, False, 2),
...              MetricRecord("2026Q2", "service_contacts", "count", 300, False, 1))
>>> found = upload_impact(before, after, [("2026Q2", "East", "service_contacts", 300.0)],
...                       Assumptions())
>>> for sentence in found.sentences():
...     print(sentence)
The charts will open on 2026Q2 (now 2026Q1).
2026Q2: 1 of 2 segments reported; missing West. Its figures will be partial.
2026Q2 company-wide service contacts 300 is far from its normal of 1,000 (0.30x).
>>> found.headline_before.total, found.headline_after.total  # the overview: $8,000 -> $2,400
(8000.0, 2400.0)
"""

from __future__ import annotations

import difflib
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cxroi import roi
from cxroi.dataset import Dataset
from cxroi.format import number
from cxroi.models import ALL, Assumptions
from cxroi.wording import metric_label

__all__ = ["Headline", "UploadImpact", "upload_impact", "partial_quarter",
           "partial_notice", "JUMP"]

JUMP = 3.0
"""A value more than this many times its normal, or less than its inverse, is named."""
NORMAL_QUARTERS = 4
"""The normal is the median of up to this many earlier quarters."""


@dataclass(frozen=True)
class Headline:
    """The iceberg of one quarter, company-wide: what the overview leads with."""

    period: str
    visible: float
    hidden: float
    total: float
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Jump:
    period: str
    metric: str
    value: float
    normal: float


@dataclass(frozen=True)
class UploadImpact:
    """What a metrics upload changes, company-wide."""

    period_before: str | None
    period_after: str | None
    """The quarter the charts open on, before and after."""
    headline_before: Headline | None
    headline_after: Headline | None
    """What the overview leads with before and after: the iceberg of the quarter it opens on."""
    partial: tuple[tuple[str, int, int, tuple[str, ...]], ...]
    """(period, segments reported, segments expected, the missing names)."""
    new_names: tuple[tuple[str, str, str | None], ...]
    """("segment" or "metric", the new name, the known name it resembles or none)."""
    jumps: tuple[Jump, ...]
    replaced_sums: tuple[tuple[str, str, float, float], ...]
    """(period, metric, the company-wide value before, the uploaded All value)."""

    def sentences(self) -> list[str]:
        """Each finding as one plain sentence, most consequential first."""
        out = []
        if self.period_after != self.period_before and self.period_after is not None:
            was = f" (now {self.period_before})" if self.period_before else ""
            out.append(f"The charts will open on {self.period_after}{was}.")
        for period, reported, expected, missing in self.partial:
            names = f"; missing {', '.join(missing)}" if missing else ""
            out.append(f"{period}: {reported} of {expected} segments reported{names}. "
                       "Its figures will be partial.")
        for period, metric, before, uploaded in self.replaced_sums:
            out.append(f"{period} company-wide {metric_label(metric).lower()} becomes the "
                       f"uploaded All row, {number(uploaded)} (was {number(before)}).")
        for kind, name, like in self.new_names:
            hint = f"; did you mean {like}?" if like else ""
            out.append(f"New {kind} name {name}{hint}")
        for jump in self.jumps:
            out.append(f"{jump.period} company-wide {metric_label(jump.metric).lower()} "
                       f"{number(jump.value)} is far from its normal of {number(jump.normal)} "
                       f"({jump.value / jump.normal:.2f}x).")
        return out


def upload_impact(before: Dataset, after: Dataset,
                  rows: Iterable[tuple[str, str, str, float]],
                  assumptions: Assumptions) -> UploadImpact:
    """Compare the company-wide datasets around a metrics upload of ``rows``.

    ``rows`` are the upload's (period, segment, metric, value). A quarter is partial when
    fewer segments stand behind its figures than behind the previous quarter's; names are
    new when no current row has them, and resemble a known name when difflib's ratio is at
    least 0.8; a jump is a company-wide value more than `JUMP` times (or less than 1/JUMP of)
    the median of up to `NORMAL_QUARTERS` earlier quarters.
    """
    incoming = list(rows)
    period_before = before.periods[-1] if before.periods else None
    period_after = after.periods[-1] if after.periods else None
    return UploadImpact(
        period_before=period_before,
        period_after=period_after,
        headline_before=_headline(before, period_before, assumptions),
        headline_after=_headline(after, period_after, assumptions),
        partial=_partial(before, after, incoming),
        new_names=_new_names(before, incoming),
        jumps=_jumps(before, after, {r[0] for r in incoming}),
        replaced_sums=_replaced(before, incoming),
    )


def _values(dataset: Dataset) -> dict[str, dict[str, float]]:
    by_period: dict[str, dict[str, float]] = defaultdict(dict)
    for record in dataset.metrics:
        by_period[record.period][record.metric] = record.value
    return by_period


def _headline(dataset: Dataset, period: str | None, assumptions: Assumptions) -> Headline | None:
    values = _values(dataset).get(period or "", {})
    if period is None or not roi.ICEBERG_METRICS & values.keys():
        return None
    berg = roi.iceberg(values, assumptions, period=period, segment=ALL)
    return Headline(period, berg.visible, berg.hidden, berg.total, tuple(berg.missing))


def partial_quarter(dataset: Dataset, period: str | None) -> tuple[int, int] | None:
    """(segments reported, segments the quarter before had) when company-wide ``period`` is
    partial, else None: fewer segments stand behind its figures than behind the previous
    quarter's, and no uploaded ``All`` row speaks for the whole company.

    >>> from cxroi.dataset import Dataset, MetricRecord
    >>> rows = (MetricRecord("2026Q1", "returns", "count", 90, False, 3),
    ...         MetricRecord("2026Q2", "returns", "count", 20, False, 1))
    >>> data = Dataset(1, "All", ("2026Q1", "2026Q2"), rows, (), (), ("A", "B", "C"), {},
    ...                False, "")
    >>> partial_quarter(data, "2026Q2"), partial_quarter(data, "2026Q1")
    ((1, 3), None)
    """
    most: dict[str, int] = defaultdict(int)
    for record in dataset.metrics:
        if record.period == period and record.company_wide:
            return None
        most[record.period] = max(most[record.period], record.segments)
    quarters = sorted(most)
    if period not in most or quarters.index(period) == 0:
        return None
    expected = most[quarters[quarters.index(period) - 1]]
    return (most[period], expected) if most[period] < expected else None


def partial_notice(period: str, reported: int, expected: int) -> str:
    """What every page says while the quarter it shows is partial.

    >>> partial_notice("2026Q4", 1, 3)
    '2026Q4 is partial: 1 of 3 segments have reported so far, so its company-wide figures add up only what has arrived.'
    """
    return (f"{period} is partial: {reported} of {expected} segments have reported so far, so "
            "its company-wide figures add up only what has arrived.")


def _partial(before: Dataset, after: Dataset, incoming: list[tuple[str, str, str, float]]
             ) -> tuple[tuple[str, int, int, tuple[str, ...]], ...]:
    sent: dict[str, set[str]] = defaultdict(set)
    for period, segment, _, _ in incoming:
        sent[period].add(segment)
    found = []
    for period in sorted(sent):
        short = partial_quarter(after, period)
        if short is not None:
            missing = tuple(s for s in before.segments if s not in sent[period]) \
                if period not in before.periods else ()
            found.append((period, *short, missing))
    return tuple(found)


def _new_names(before: Dataset, incoming: list[tuple[str, str, str, float]]
               ) -> tuple[tuple[str, str, str | None], ...]:
    known = {"segment": set(before.segments), "metric": {m.metric for m in before.metrics}}
    if not known["segment"] and not known["metric"]:
        return ()  # a first upload: every name is new, none is a typo
    seen = {"segment": {r[1] for r in incoming if r[1] != ALL}, "metric": {r[2] for r in incoming}}
    found = []
    for kind in ("segment", "metric"):
        for name in sorted(seen[kind] - known[kind]):
            like = difflib.get_close_matches(name, sorted(known[kind]), n=1, cutoff=0.8)
            found.append((kind, name, like[0] if like else None))
    return tuple(found)


def _jumps(before: Dataset, after: Dataset, periods: set[str]) -> tuple[Jump, ...]:
    history, now = _values(before), _values(after)
    order = list(after.periods)
    found = []
    for period in sorted(periods & now.keys()):
        earlier = [p for p in order[:order.index(period)] if p in history][-NORMAL_QUARTERS:]
        for metric, value in sorted(now[period].items()):
            past = [history[p][metric] for p in earlier if metric in history[p]]
            if not past:
                continue
            normal = statistics.median(past)
            if normal > 0 and not 1 / JUMP <= value / normal <= JUMP:
                found.append(Jump(period, metric, value, normal))
    return tuple(found)


def _replaced(before: Dataset, incoming: list[tuple[str, str, str, float]]
              ) -> tuple[tuple[str, str, float, float], ...]:
    had = {(r.period, r.metric): r for r in before.metrics}
    found = []
    for period, segment, metric, value in sorted(incoming):
        old = had.get((period, metric))
        if segment == ALL and old is not None and old.segments > 1:
            found.append((period, metric, old.value, value))
    return tuple(found)
