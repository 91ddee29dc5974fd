"""Benchmark: `report --json` with themes and plans against the same report without them.

500 themes x 8 metrics x 40 quarters (160,000 theme rows, company-wide) and 200 action plans,
on a store of 40 quarters x 3 segments of every canonical metric. Prints one JSON line: the
report's build (store reads, `build_report`, `as_json`) with the drill-down as a ratio to the
same build without it, in the same run (target: within 1.5x): medians of the clock, and of
the process's CPU time (all its threads), which other work on a shared machine moves less.
Beside it, a floor for what the drill-down adds: the plain build plus DuckDB's own bare read
of the same theme rows (one sum per period, theme and metric over the quarters the report
prices) and of every plan, so the owner can see what the extra data costs the engine itself.

    python benchmarks/bench_themes.py [--themes N] [--quarters Q] [--plans P] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(path: Path, themes: int, quarters: int, plans: int) -> None:
    import duckdb

    from cxroi.models import CANONICAL_METRICS, THEME_METRICS
    from cxroi.store import Store

    Store(path).close()
    with duckdb.connect(str(path)) as con:
        for upload, kind in ((1, "metrics"), (2, "themes")):
            con.execute("INSERT INTO uploads VALUES (?, ?, 'bench.csv', repeat('0', 64), "
                        "now()::TIMESTAMP, 'bench', 'Generated', 'Generated', 1, false, "
                        "'active', NULL)", [upload, kind])
        canonical = list(CANONICAL_METRICS)
        con.execute("""
            INSERT INTO metrics
            SELECT 1, row_number() OVER (), (2017 + q // 4)::VARCHAR || 'Q' || (q % 4 + 1),
                   s, m, 1000000 + (hash(q, s, m) % 1000), 
                   CASE WHEN m IN ('revenue', 'refunds_credits') THEN 'money' ELSE 'count' END,
                   false, true, false
            FROM range($quarters) a(q), (VALUES ('Retail'), ('Online'), ('Business')) b(s),
                 unnest($canonical) c(m)
        """, {"quarters": quarters, "canonical": canonical})
        con.execute("INSERT INTO metric_info SELECT DISTINCT ON (metric) metric, unit, "
                    "higher_is_better FROM metrics")
        con.execute("INSERT INTO current_segments SELECT DISTINCT segment FROM metrics")
        con.execute("""
            INSERT INTO themes
            SELECT 2, row_number() OVER (), (2017 + q // 4)::VARCHAR || 'Q' || (q % 4 + 1),
                   'All', 'Theme ' || lpad(t::VARCHAR, 4, '0'), 1 + hash(q, t, m) % 5, m,
                   'Department ' || (t % 12)::VARCHAR, true
            FROM range($quarters) a(q), range($themes) b(t), unnest($metrics) c(m)
        """, {"quarters": quarters, "themes": themes, "metrics": list(THEME_METRICS)})
        con.execute("""
            INSERT INTO plans
            SELECT i, 1, 'Theme ' || lpad((i % $themes)::VARCHAR, 4, '0'), 'cause', 'action',
                   'owner', DATE '2027-01-01' + i::INTEGER, 'planned', 10000, 1000, 0.5,
                   'service_contacts', 100, now()::TIMESTAMP, 'bench', ''
            FROM range(1, $plans + 1) t(i)
        """, {"plans": plans, "themes": themes})
        con.execute("CHECKPOINT")


def measure(path: Path, repeats: int) -> dict[str, float]:
    from cxroi.report import build_report
    from cxroi.store import Store

    store = Store(path)
    scenario = store.scenario("Baseline")

    def plain() -> None:
        build_report(store.dataset("All"), scenario).as_json()

    def drilled() -> None:
        build_report(store.dataset("All"), scenario,
                     drilldown=store.drilldown("All", history=False)).as_json()

    periods = store.theme_periods()[-4:]  # the quarters `history=False` prices

    def floor() -> None:
        plain()
        with store._cursor() as cur:  # the engine alone, beside the store's own reads
            cur.execute("SELECT period, theme, metric, sum(count) FROM themes WHERE current "
                        "AND list_contains(?, period) GROUP BY ALL", [periods]).fetchall()
            cur.execute("SELECT * FROM plans").fetchall()

    plain(), drilled(), floor()
    timings: dict[str, list[float]] = {"plain": [], "drilled": [], "plain_cpu": [],
                                       "drilled_cpu": [], "floor": [], "floor_cpu": []}
    for _ in range(repeats):
        for name, job in (("drilled", drilled), ("plain", plain), ("floor", floor)):
            start, cpu = time.perf_counter(), time.process_time()
            job()
            timings[name].append(time.perf_counter() - start)
            timings[f"{name}_cpu"].append(time.process_time() - cpu)
    store.close()
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--themes", type=int, default=500)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "themes.duckdb"
        generate(path, args.themes, args.quarters, args.plans)
        result = measure(path, args.repeats)
    print(json.dumps({
        "benchmark": "report_with_themes_and_plans",
        "theme_rows": args.themes * 8 * args.quarters,
        "plans": args.plans,
        "seconds": round(result["drilled"], 4),
        "baseline": "the same report --json build without themes and plans",
        "baseline_seconds": round(result["plain"], 4),
        "ratio": round(result["drilled"] / result["plain"], 2),
        "target_ratio": 1.5,
        # the process's CPU time (every thread), steadier than the clock on a shared machine
        "cpu_seconds": round(result["drilled_cpu"], 4),
        "cpu_baseline_seconds": round(result["plain_cpu"], 4),
        "cpu_ratio": round(result["drilled_cpu"] / result["plain_cpu"], 2),
        "floor": "the plain build plus DuckDB's bare read of the same theme rows and plans",
        "floor_seconds": round(result["floor"], 4),
        "ratio_to_floor": round(result["drilled"] / result["floor"], 2),
        "cpu_ratio_to_floor": round(result["drilled_cpu"] / result["floor_cpu"], 2),
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
