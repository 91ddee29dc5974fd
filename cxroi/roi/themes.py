"""Themes' money: what each complaint theme costs inside the iceberg, counted once.

The Pareto order and the vital few, the themed part of each iceberg line, and a theme's
year (what an action plan's case is built on).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import Protocol

from cxroi.roi.iceberg import LINE_METRIC, Iceberg


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

    >>> from cxroi.models import Assumptions
    >>> from cxroi.roi import iceberg
    >>> berg = iceberg({"service_contacts": 100, "customers_lost": 2}, Assumptions())
    >>> unit_costs(berg)
    {'service_contacts': 8.0, 'customers_lost': 1640.0}
    """
    amounts: dict[str, list[float]] = {}
    values: dict[str, float] = {}
    for line in berg.lines:
        metric = LINE_METRIC[line.key]
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

    >>> from cxroi.models import Assumptions
    >>> from cxroi.roi import iceberg
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
    values = {LINE_METRIC[line.key]: float(line.inputs[LINE_METRIC[line.key]])
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

    >>> from cxroi.models import Assumptions
    >>> from cxroi.roi import iceberg
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
        metric = LINE_METRIC[line.key]
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

    >>> from cxroi.models import Assumptions
    >>> from cxroi.roi import iceberg
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

    >>> from cxroi.models import Assumptions
    >>> from cxroi.roi import iceberg
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
