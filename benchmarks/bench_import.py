"""Benchmark: importing a 1,000,000-row metrics CSV end to end (read, validate, store).

Prints three JSON lines, all measured in this run on the same generated file:
- the import as a ratio to ``pandas.read_csv`` of the file (target: within 3x);
- validating the same rows with a pydantic model per row (``MetricRow``) as a ratio to the
  import's own read-and-validate step (target: the bulk path at least 10x faster);
- the storage engine's own floor: DuckDB reading the file straight into a table of a new
  database file (``CREATE TABLE AS SELECT * FROM read_csv``: no validation, no history), as
  a ratio to ``pandas.read_csv``: the import parses the same file and writes the same
  strings, and does more (the rules, the history columns, one all-or-nothing transaction).
The import and its ``read_csv`` baseline are timed in one fresh process, both warm (see
`import_file`); the process's peak memory is in the first line.

    python benchmarks/bench_import.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

METRICS = ["customers", "customers_lost", "service_contacts", "escalations", "refunds_credits",
           "returns", "promoters", "passives", "detractors", "deals_delayed",
           "frontline_leavers", "revenue", "hold_time_hours", "billing_share"]
UNITS = {"hold_time_hours": "hours", "billing_share": "percent"}


def generate(path: Path, rows: int) -> None:
    """A metrics CSV like a CX lead's export: 40 quarters, many segments, 14 metrics."""
    per_period = rows // 40
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["period", "segment", "metric", "value", "unit"])
        for i in range(rows):
            period, rest = divmod(i, per_period)
            segment, metric = divmod(rest, len(METRICS))
            name = METRICS[metric]
            writer.writerow([f"{2017 + period // 4}Q{period % 4 + 1}", f"Segment {segment}",
                             name, f"{(i * 7919) % 100000 / 10:.1f}", UNITS.get(name, "")])


def import_file(path: Path, db: Path) -> dict[str, float]:
    """Read, validate and store ``path``; return the times of each step, and the baseline.

    Runs in a fresh process. Its first read of the file is timed on its own (``cold``: what
    a new process such as the CLI pays); then
    ``pandas.read_csv`` and the import are timed warm, in the same process, as the running
    app serves an upload.
    """
    import pandas as pd

    from cxroi.ingest import read_upload
    from cxroi.models import UploadMeta
    from cxroi.store import Store

    start = time.perf_counter()
    read_upload(path.read_bytes(), path.name, "metrics")
    cold = time.perf_counter() - start
    pd.read_csv(path)
    start = time.perf_counter()
    pd.read_csv(path)
    pandas_seconds = time.perf_counter() - start
    store = Store(db)
    start = time.perf_counter()
    data = path.read_bytes()
    parsed = read_upload(data, path.name, "metrics")
    validated = time.perf_counter()
    assert parsed.ok, parsed.problems[:3]
    meta = UploadMeta(kind="metrics", file_name=path.name,
                      sha256=hashlib.sha256(data).hexdigest(), source="bench", scope="bench")
    store.commit_upload(meta, parsed.rows)
    stored = time.perf_counter()
    store.close()
    return {"read_validate": validated - start, "total": stored - start, "cold": cold,
            "read_csv": pandas_seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def engine_floor(path: Path) -> float:
    """Seconds for DuckDB to copy the CSV into a table of a new database file, durably."""
    import duckdb

    from cxroi.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "floor.duckdb"
        Store(db).close()          # a new file, in the format the store creates
        with duckdb.connect(str(db)) as con:
            start = time.perf_counter()
            con.execute("CREATE TABLE copied AS SELECT * FROM read_csv(?)", [str(path)])
            return time.perf_counter() - start


def pydantic_per_row(path: Path) -> float:
    """Validate every row with ``MetricRow`` (dicts from the csv module), as the slow path.

    ``MetricRow`` is the per-row oracle the tests hold the bulk path to (tests/ingest/oracles.py).
    """
    from tests.ingest.oracles import MetricRow

    start = time.perf_counter()
    with path.open(newline="") as handle:
        for record in csv.DictReader(handle):
            if not record["unit"]:
                del record["unit"]
            MetricRow.model_validate(record)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(import_file(*args.measure)))
        return
    folder = ROOT / ".bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"metrics_{args.rows}.csv"
    if not path.exists():
        generate(path, args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, __file__, "--measure", str(path), str(Path(tmp) / "b.duckdb")],
            check=True, capture_output=True, text=True)
    steps = json.loads(done.stdout)
    pandas_seconds = steps["read_csv"]
    floor = engine_floor(path)
    per_row = pydantic_per_row(path)
    common = {"rows": args.rows, "date": date.today().isoformat(),
              "machine": f"{platform.machine()} {platform.python_version()}"}
    print(json.dumps({
        "benchmark": "import_vs_read_csv", **common,
        "seconds": round(steps["total"], 3), "baseline": "pandas.read_csv",
        "baseline_seconds": round(pandas_seconds, 3),
        "ratio": round(steps["total"] / pandas_seconds, 2), "target_ratio": 3.0,
        "read_validate_seconds": round(steps["read_validate"], 3),
        "read_validate_ratio": round(steps["read_validate"] / pandas_seconds, 2),
        "store_seconds": round(steps["total"] - steps["read_validate"], 3),
        "first_read_validate_seconds": round(steps["cold"], 3),
        "peak_mb": round(steps["peak_mb"]),
    }))
    print(json.dumps({
        "benchmark": "engine_floor_vs_read_csv", **common,
        "seconds": round(floor, 3), "what": "DuckDB CREATE TABLE AS read_csv, new file",
        "baseline_seconds": round(pandas_seconds, 3),
        "ratio": round(floor / pandas_seconds, 2),
    }))
    print(json.dumps({
        "benchmark": "bulk_vs_pydantic_per_row", **common,
        "seconds": round(steps["read_validate"], 3), "pydantic_seconds": round(per_row, 3),
        "speedup": round(per_row / steps["read_validate"], 1), "target_speedup": 10.0,
    }))


if __name__ == "__main__":
    main()
