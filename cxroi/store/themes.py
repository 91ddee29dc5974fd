"""Themes: a segment's theme rows by period (the company-wide rule for `All`), theme names,
and the drill-down's one-snapshot read.

The company-wide figure follows the metrics rule, at the grain of the upload (period,
metric): the uploaded ``All`` rows where there are any, else the sum over segments, themes
told apart by their lower-cased name (the earliest spelling shown, the latest department).
"""

from __future__ import annotations

import duckdb

from cxroi.dataset import Drilldown, ThemeRecord
from cxroi.models import ALL, parse_period
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
            return _theme_records(cur, segment)

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
        """The segment's and the company's theme rows, the company's metrics and the latest
        version of every plan, in one snapshot.

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
                themes = _theme_records(cur, segment, mine)
                company_rows = themes if segment == ALL else _theme_records(cur, ALL, company)
                metrics = _metric_records(cur, ALL)[0]
                plans = latest_plans(cur)
            finally:
                cur.execute("COMMIT")
        return Drilldown(segment, themes, company_rows, metrics, plans)


def _theme_periods(cur: duckdb.DuckDBPyConnection, segment: str) -> list[str]:
    which = "" if segment == ALL else "AND segment = ?"
    return [r[0] for r in cur.execute(
        f"SELECT DISTINCT period FROM themes WHERE current {which} ORDER BY period",
        [] if segment == ALL else [segment]).fetchall()]


def _theme_records(cur: duckdb.DuckDBPyConnection, segment: str,
                   periods: list[str] | None = None) -> tuple[ThemeRecord, ...]:
    """The segment's current theme rows (of ``periods`` only, when given), summed per
    (period, casefolded theme, metric)."""
    within = "" if periods is None else "AND period IN (SELECT unnest($periods))"
    if segment == ALL:
        # uploaded All rows for a (period, metric), else every segment's rows summed
        source = f"""
            SELECT * FROM themes t WHERE current {within} AND (segment = $all OR NOT EXISTS (
                SELECT 1 FROM themes a WHERE a.current AND a.segment = $all
                AND a.period = t.period AND a.metric = t.metric))"""
        params: dict[str, object] = {"all": ALL}
    else:
        source = f"SELECT * FROM themes WHERE current {within} AND segment = $segment"
        params = {"segment": segment}
    if periods is not None:
        params["periods"] = periods
    rows = cur.execute(f"""
        SELECT period, arg_min(theme, {_ORDER}), metric, sum(count),
               arg_max(department, {_ORDER}) FILTER (WHERE department IS NOT NULL)
        FROM ({source}) GROUP BY period, lower(theme), metric
        ORDER BY period, lower(theme), metric
    """, params).fetchall()
    return tuple(ThemeRecord(*r) for r in rows)
