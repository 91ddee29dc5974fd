"""Themes: a segment's theme rows by period (the company-wide rule for `All`), theme names,
and the drill-down's one-snapshot read.

The company-wide figure follows the metrics rule, at the grain of the upload (period,
metric): the uploaded ``All`` rows where there are any, else the sum over segments, themes
told apart by their lower-cased name (the earliest spelling shown, the latest department).
"""

from __future__ import annotations

from bisect import bisect_right

import duckdb

from cxroi.dataset import Drilldown, ThemeCounts, ThemeRecord
from cxroi.models import ALL, THEME_METRICS, parse_period
from cxroi.store.base import Connection
from cxroi.store.plans import latest_plans
from cxroi.store.reads import _metric_records

__all__ = ["ThemeReads"]

_ORDER = "upload_id::BIGINT * 100000000 + row_no"
"""The order rows were written in: an upload, then its rows."""


class ThemeReads(Connection):
    """The reads behind the drill-down."""

    def theme_rows(self, segment: str = ALL) -> tuple[ThemeRecord, ...]:
        """The current theme rows of ``segment`` for every period, oldest period first."""
        with self._cursor() as cur:
            return _theme_records(cur, segment, _mixed(cur, None) if segment == ALL else {})

    def theme_names(self) -> list[str]:
        """Every theme ever uploaded (current or not), by name; one spelling each."""
        with self._cursor() as cur:
            return [r[0] for r in cur.execute(
                f"SELECT arg_max(theme, {_ORDER}) FROM themes GROUP BY lower(theme) "
                "ORDER BY 1").fetchall()]

    def theme_periods(self, segment: str = ALL) -> list[str]:
        """The periods with current theme rows for ``segment`` (any segment's for `All`)."""
        with self._cursor() as cur:
            return _theme_periods(cur, segment)

    def drilldown(self, segment: str = ALL, *, period: str | None = None,
                  history: bool = True) -> Drilldown:
        """The segment's and the company's theme counts, the company's metrics (for another
        segment than `All`) and the latest version of every plan, in one snapshot.

        ``history=False`` reads only what a report needs: the segment's rows of ``period``
        (default: its latest with themes) and the company's of its four latest quarters (a
        plan's theme's year); the pages' theme histories need every quarter.
        """
        with self._cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                mine = company = None
                if not history:
                    periods = _theme_periods(cur, ALL)
                    company = periods[-4:]
                    own = periods if segment == ALL else _theme_periods(cur, segment)
                    mine = [parse_period(period)] if period else own[-1:]
                    if segment == ALL:
                        mine = company = sorted({*mine, *company})
                uploaded = _mixed(cur, company)
                themes = _theme_counts(cur, segment, mine, uploaded)
                company_rows = (themes if segment == ALL else
                                _theme_counts(cur, ALL, company, uploaded))
                # `All`'s own Dataset holds the company's metrics: not read twice
                metrics = () if segment == ALL else _metric_records(cur, ALL)[0]
                plans = latest_plans(cur)
            finally:
                cur.execute("COMMIT")
        return Drilldown(segment, themes, company_rows, metrics, plans)


def _theme_periods(cur: duckdb.DuckDBPyConnection, segment: str) -> list[str]:
    which = "" if segment == ALL else "AND segment = ?"
    return [r[0] for r in cur.execute(
        f"SELECT DISTINCT period FROM themes WHERE current {which} ORDER BY period",
        [] if segment == ALL else [segment]).fetchall()]


def _mixed(cur: duckdb.DuckDBPyConnection, periods: list[str] | None) -> dict[str, list[str]]:
    """metric -> the periods (of ``periods``, when given) where the company-wide rule drops
    rows: the (period, metric) has uploaded `All` rows and segments' rows too."""
    within = "" if periods is None else "AND list_contains($periods, period)"
    found: dict[str, list[str]] = {}
    for metric, period in cur.execute(
            f"SELECT metric, period FROM themes WHERE current {within} GROUP BY metric, period "
            "HAVING bool_or(segment = $all) AND NOT bool_and(segment = $all) ORDER BY ALL",
            {"all": ALL, **({} if periods is None else {"periods": periods})}).fetchall():
        found.setdefault(metric, []).append(period)
    return found


def _source(segment: str, periods: list[str] | None,
            uploaded: dict[str, list[str]]) -> tuple[str, dict[str, object]]:
    """The segment's current theme rows (of ``periods`` only, when given) as a subquery: for
    `All`, the uploaded All rows of a (period, metric) where there are any, else every
    segment's rows (``uploaded``: where there are both, from `_mixed`)."""
    within = "" if periods is None else "AND list_contains($periods, period)"
    params: dict[str, object] = {} if periods is None else {"periods": periods}
    if segment != ALL:
        params["segment"] = segment
        return f"SELECT * FROM themes WHERE current {within} AND segment = $segment", params
    summed = []  # metrics are from the table, but bound all the same
    for i, metric in enumerate(sorted(uploaded)):
        summed.append(f"(metric = $u{i} AND list_contains($up{i}, period))")
        params[f"u{i}"], params[f"up{i}"] = metric, uploaded[metric]
    rule = ""
    if summed:
        params["all"] = ALL
        rule = f"AND (segment = $all OR NOT ({' OR '.join(summed)}))"
    return f"SELECT * FROM themes WHERE current {within} {rule}", params


_CELLS = f"""
    SELECT period, lower(theme) AS name, metric, arg_min(theme, {_ORDER}) AS theme,
           sum(count) AS count,
           arg_max(department, {_ORDER}) FILTER (WHERE department IS NOT NULL) AS department
    FROM ({{source}}) GROUP BY period, lower(theme), metric"""
"""One cell per (period, lower-cased theme, metric): the counts summed, the earliest spelling,
the latest department."""


def _theme_records(cur: duckdb.DuckDBPyConnection, segment: str,
                   uploaded: dict[str, list[str]]) -> tuple[ThemeRecord, ...]:
    """The segment's current theme rows, summed per (period, casefolded theme, metric)."""
    source, params = _source(segment, None, uploaded)
    rows = cur.execute(f"""
        SELECT period, theme, metric, count, department FROM ({_CELLS.format(source=source)})
        ORDER BY period, name, metric
    """, params).fetchall()
    return tuple(ThemeRecord(*r) for r in rows)


def _theme_counts(cur: duckdb.DuckDBPyConnection, segment: str, periods: list[str] | None,
                  uploaded: dict[str, list[str]]) -> tuple[ThemeCounts, ...]:
    """The same cells as `_theme_records`, one `ThemeCounts` per period: one row per
    (period, lower-cased theme) with a column per metric, fetched as columns (no object per
    row).

    A theme's name and department are its first metric's (`_CELLS`); that costs two
    aggregates per row, so they are read for the themes whose rows differ in either only:
    where every row of a theme says the same, that is its name and department."""
    source, rows = _source(segment, periods, uploaded)
    metrics = sorted(THEME_METRICS)
    params = {**rows, **{f"m{i}": metric for i, metric in enumerate(metrics)}}
    counts = ", ".join(f"sum(count) FILTER (WHERE metric = $m{i}) AS c{i}"
                       for i in range(len(metrics)))
    found = cur.execute(f"""
        SELECT period, lower(theme) AS name, min(theme) AS theme, max(theme) AS spelling,
               min(department) AS department, max(department) AS other, {counts}
        FROM ({source}) GROUP BY period, lower(theme) ORDER BY period, name
    """, params).fetchnumpy()
    period, names, themes, spellings, departments, others, *columns = (
        found[key].tolist() for key in found)
    mixed = [i for i, row in enumerate(zip(themes, spellings, departments, others))
             if row[0] != row[1] or row[2] != row[3]]
    if mixed:
        keys = [f"{period[i]}|{names[i]}" for i in mixed]
        exact = {(p, n): (theme, department) for p, n, theme, department in cur.execute(f"""
            SELECT period, name, arg_min(theme, metric),
                   arg_min(department, metric) FILTER (WHERE department IS NOT NULL)
            FROM ({_CELLS.format(source=source)})
            WHERE list_contains($keys, period || '|' || name) GROUP BY period, name
        """, {**rows, "keys": keys}).fetchall()}
        for i in mixed:
            themes[i], departments[i] = exact[(period[i], names[i])]
    quarters, start = [], 0
    while start < len(period):
        end = bisect_right(period, period[start], start)  # the rows are by period
        quarters.append(ThemeCounts(
            period[start], tuple(themes[start:end]), tuple(departments[start:end]),
            {metric: tuple(column[start:end]) for metric, column in zip(metrics, columns)
             if column[start:end].count(None) < end - start}))
        start = end
    return tuple(quarters)
