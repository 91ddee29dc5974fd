"""Benchmark: `report` for all quarters on a store of 10 million metric rows.

Prints one JSON line: the report's time as a ratio to a bare DuckDB ``GROUP BY`` over the
same table in the same run (target: within 2x), and the peak memory of the measuring
process (target: under 1 GB). The table is generated once into ``.bench/`` and reused.

    python benchmarks/bench_report.py [--rows N]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PERIODS, METRICS = 40, 125  # segments follow from the row count


def generate(path: Path, rows: int) -> None:
    """Fill a migrated database with ``rows`` current metric rows from one upload."""
    import duckdb

    from cxroi.models import CANONICAL_METRICS
    from cxroi.store import Store

    Store(path).close()
    canonical = list(CANONICAL_METRICS)
    per_period = rows // PERIODS
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO uploads VALUES (1, 'metrics', 'bench.csv', repeat('0', 64), "
                    "now()::TIMESTAMP, 'bench', 'Generated', 'Generated', ?, false, 'active', "
                    "NULL)", [rows])
        con.execute("""
            INSERT INTO metrics
            SELECT 1, i + 2,
                   (2017 + (i // $per_period) // 4)::VARCHAR || 'Q' || ((i // $per_period) % 4 + 1),
                   'Segment ' || lpad(((i % $per_period) // $metrics)::VARCHAR, 5, '0'),
                   CASE WHEN i % $metrics < len($canonical) THEN $canonical[i % $metrics + 1]
                        ELSE 'metric_' || (i % $metrics)::VARCHAR END,
                   (hash(i) % 100000)::DOUBLE / 10,
                   CASE WHEN i % $metrics = $metrics - 1 THEN 'percent' ELSE 'count' END,
                   false, true, false
            FROM range($rows) t(i)
        """, {"per_period": per_period, "metrics": METRICS, "canonical": canonical,
              "rows": rows})
        con.execute("INSERT INTO metric_info SELECT DISTINCT ON (metric) metric, unit, "
                    "higher_is_better FROM metrics")
        con.execute("INSERT INTO current_segments SELECT DISTINCT segment FROM metrics")
        con.execute("CHECKPOINT")


def measure(path: Path, repeats: int) -> dict[str, float]:
    """Time the report and the bare GROUP BY, alternating, in this process."""
    from cxroi.models import Scenario
    from cxroi.report import build_report
    from cxroi.store import Store

    store = Store(path)
    scenario = Scenario(name="Baseline", version=1)
    con = store._con  # the same connection for the baseline query

    def report() -> None:
        build_report(store.dataset("All"), scenario).as_json()

    def bare_group_by() -> None:
        with con.cursor() as cur:
            cur.execute("SELECT period, metric, sum(value) FROM metrics GROUP BY period, metric"
                        ).fetchall()

    report(), bare_group_by()  # warm both
    timings: dict[str, list[float]] = {"report": [], "baseline": []}
    for _ in range(repeats):
        for name, job in (("report", report), ("baseline", bare_group_by)):
            start = time.perf_counter()
            job()
            timings[name].append(time.perf_counter() - start)
    store.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": statistics.median(timings["report"]),
            "baseline_seconds": statistics.median(timings["baseline"]), "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeats)))
        return
    folder = ROOT / ".bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"report_{args.rows}.duckdb"
    if not path.exists():
        generate(path, args.rows)
    # Measure in a fresh process so its peak memory is the report's, not the generator's.
    done = subprocess.run([sys.executable, __file__, "--measure", str(path),
                           "--repeats", str(args.repeats)],
                          check=True, capture_output=True, text=True)
    result = json.loads(done.stdout)
    print(json.dumps({
        "benchmark": "report_all_quarters",
        "rows": args.rows,
        "seconds": round(result["seconds"], 4),
        "baseline": "bare DuckDB GROUP BY period, metric",
        "baseline_seconds": round(result["baseline_seconds"], 4),
        "ratio": round(result["seconds"] / result["baseline_seconds"], 2),
        "target_ratio": 2.0,
        "peak_mb": round(result["peak_mb"]),
        "target_peak_mb": 1024,
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
