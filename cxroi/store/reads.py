"""What reports read: a segment's dataset in one snapshot, the segments, row counts.

The store aggregates (GROUP BY in SQL); what leaves here is small lists of plain records.
"""

from __future__ import annotations

import duckdb

from cxroi.dataset import BenchmarkRecord, Dataset, EffortRecord, MetricRecord
from cxroi.models import ALL
from cxroi.store.base import Connection
from cxroi.store.schema import GRAINS, counted

__all__ = ["Reads", "read_dataset"]


class Reads(Connection):
    """The reads behind every chart."""

    def dataset(self, segment: str = ALL) -> Dataset:
        """Everything a report needs for ``segment``, read in one snapshot.

        For ``All``: the uploaded ``All`` row where there is one, else the sum over segments
        of count, money and hours metrics; percent metrics are never summed.
        """
        with self._cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                return read_dataset(cur, segment, self._version_sql())
            finally:
                cur.execute("COMMIT")

    def segments(self) -> list[str]:
        """Segment names with current metrics, ``All`` first."""
        with self._cursor() as cur:
            names = [r[0] for r in cur.execute(
                "SELECT segment FROM current_segments ORDER BY segment").fetchall()]
        return [ALL, *names]

    def row_counts(self) -> dict[str, int]:
        """Stored rows per kind, current or not (nothing is ever deleted)."""
        with self._cursor() as cur:
            return {kind: cur.execute(f"SELECT coalesce({counted(kind, kind)}, 0) FROM {kind}"
                                      ).fetchone()[0] for kind in GRAINS}



def read_dataset(cur: duckdb.DuckDBPyConnection, segment: str,
                 version_sql: str = "SELECT version FROM data_version") -> Dataset:
    """`Reads.dataset` inside a transaction the caller holds (a snapshot, or a write's own
    uncommitted rows: `Uploads.what_if`); ``version_sql`` reads the data version there."""
    version = cur.execute(version_sql).fetchone()[0]
    metrics, metric_periods = _metric_records(cur, segment)
    segments = tuple(r[0] for r in cur.execute(
        "SELECT segment FROM current_segments ORDER BY segment").fetchall())
    effort = tuple(EffortRecord(*r) for r in cur.execute(
        "SELECT period, department, tier, loop, sum(hours) FROM effort WHERE current "
        "GROUP BY ALL ORDER BY ALL").fetchall())
    benchmarks = tuple(BenchmarkRecord(*r) for r in cur.execute(
        "SELECT metric, kind, value, unit, source, as_of FROM benchmarks "
        "WHERE current ORDER BY metric, kind").fetchall())
    sources: dict[str, list[tuple[str, str]]] = {k: [] for k in GRAINS}
    demo = False
    for kind, source, scope, is_demo in cur.execute(
            "SELECT kind, source, scope, demo FROM uploads WHERE status = 'active' "
            "GROUP BY ALL ORDER BY min(id)").fetchall():
        sources.setdefault(kind, []).append((source, scope))
        demo = demo or is_demo
    company = cur.execute("SELECT value FROM settings WHERE key = 'company'").fetchone()
    periods = sorted({*metric_periods, *(e.period for e in effort)})
    return Dataset(version, segment, tuple(periods), metrics, effort, benchmarks, segments,
                   {k: tuple(v) for k, v in sources.items()}, demo,
                   company[0] if company else "")

def _metric_records(
    cur: duckdb.DuckDBPyConnection, segment: str
) -> tuple[tuple[MetricRecord, ...], list[str]]:
    """The segment's metric values, and every period with any current metric.

    One pass over the table: per (period, metric), the uploaded ``All`` row and the sum over
    segments; the rule then picks between them on that small result. A metric's unit and
    direction come from ``metric_info``.
    """
    which = "" if segment == ALL else "AND segment = $segment"  # a fixed string, never user text
    rows = cur.execute(f"""
        WITH parts AS MATERIALIZED (
            SELECT period, metric, company_wide, sum(value) AS value, count(*) AS segments
            FROM metrics
            WHERE current {which}
            GROUP BY period, metric, company_wide
        )
        SELECT p.period, p.metric, i.unit, p.value, i.higher_is_better,
               CASE WHEN p.company_wide THEN 1 ELSE p.segments END, p.company_wide,
               CASE WHEN $segment <> $all OR p.company_wide THEN true
                    ELSE i.unit <> 'percent' AND NOT EXISTS (
                        SELECT 1 FROM parts a
                        WHERE a.company_wide AND a.period = p.period AND a.metric = p.metric)
               END AS chosen
        FROM parts p JOIN metric_info i ON i.metric = p.metric
        ORDER BY p.period, p.metric
    """, {"all": ALL, "segment": segment}).fetchall()
    periods = sorted({r[0] for r in rows})
    if segment != ALL:
        periods = [r[0] for r in cur.execute(
            "SELECT DISTINCT period FROM metrics WHERE current").fetchall()]
    return tuple(MetricRecord(*r[:7]) for r in rows if r[7]), periods
