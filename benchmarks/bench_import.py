"""Benchmark: importing a 1,000,000-row metrics CSV end to end, against DuckDB's own floor.

The floor is DuckDB copying the same file into a table of a new database file
(``CREATE TABLE AS SELECT * FROM read_csv``: no validation, no history). The import reads,
validates every row in bulk and stores them with their history (upload id, spreadsheet row,
the ``current`` flag) in one all-or-nothing transaction. Prints four JSON lines, all measured
in this run on the same generated file (the owner's targets, issue #16):

- ``import_vs_engine_floor``: a warm import (the running app's upload) against the floor,
  the two alternating in one process; the median of the paired ratios (target: within 1.5x);
- ``import_peak_memory_vs_engine_floor``: the peak memory (``ru_maxrss``) of a fresh process
  that imports the file once, against that of a fresh process that only runs the floor
  (and imports nothing but duckdb); medians over the rounds (target: within 2x);
- ``first_import_vs_warm``: the import in a fresh process (what the CLI pays, after its
  modules are loaded; their loading is reported beside it) against the warm import
  (target: within 1.3x);
- ``bulk_vs_pydantic_per_row``: the read-and-validate step against a pydantic model per row
  (target: the bulk path at least 10x faster).

Each round runs one fresh floor process, one fresh import process and one warm process
(``--pairs`` imports alternating with floors), in turn; ``--rounds`` rounds. The machine is
shared: read the ranges, not one figure.

    python benchmarks/bench_import.py [--rows N] [--rounds R] [--pairs P]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
import statistics
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


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _floor(path: Path, folder: Path) -> float:
    """Seconds for DuckDB to copy the CSV into a table of a new database file, durably (the
    file made in the format the store creates: DuckDB's current storage format)."""
    import duckdb

    db = folder / "floor.duckdb"
    db.unlink(missing_ok=True)
    duckdb.connect(str(db), config={"storage_compatibility_version": "latest"}).close()
    with duckdb.connect(str(db)) as con:
        start = time.perf_counter()
        con.execute("CREATE TABLE copied AS SELECT * FROM read_csv(?)", [str(path)])
        return time.perf_counter() - start


def _import(path: Path, folder: Path) -> tuple[float, float]:
    """(seconds to read and validate, seconds end to end) of one import into a new store."""
    from cxroi.ingest import read_upload
    from cxroi.models import UploadMeta
    from cxroi.store import Store

    db = folder / "import.duckdb"
    db.unlink(missing_ok=True)
    store = Store(db)
    try:
        start = time.perf_counter()
        parsed = read_upload(path.read_bytes(), path.name, "metrics")
        validated = time.perf_counter()
        assert parsed.ok, parsed.problems[:3]
        meta = UploadMeta(kind="metrics", file_name=path.name, sha256=parsed.sha256,
                          source="bench", scope="bench")
        store.commit_upload(meta, parsed.rows)
        return validated - start, time.perf_counter() - start
    finally:
        store.close()


def measure(mode: str, path: Path, pairs: int) -> dict[str, object]:
    """One fresh process's measure: ``floor`` or ``first`` (one run each, and the peak
    memory), or ``warm`` (a warm-up, then ``pairs`` imports alternating with floors)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if mode == "floor":
            return {"seconds": _floor(path, folder), "peak_mb": _peak_mb()}
        start = time.perf_counter()
        import cxroi.ingest  # noqa: F401  (what a CLI import loads before it reads the file)
        import cxroi.store  # noqa: F401
        modules = time.perf_counter() - start
        if mode == "first":
            modules_mb = _peak_mb()
            validate, total = _import(path, folder)
            return {"seconds": total, "read_validate": validate, "modules_seconds": modules,
                    "modules_mb": modules_mb, "peak_mb": _peak_mb()}
        _import(path, folder)
        _floor(path, folder)
        imports, floors = [], []
        for _ in range(pairs):
            imports.append(_import(path, folder))
            floors.append(_floor(path, folder))
        return {"imports": imports, "floors": floors}


def _subprocess(mode: str, path: Path, pairs: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", mode, str(path),
                           "--pairs", str(pairs)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


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


def _span(values: list[float], digits: int = 2) -> list[float]:
    return [round(min(values), digits), round(max(values), digits)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        mode, path = args.measure
        print(json.dumps(measure(mode, Path(path), args.pairs)))
        return
    folder = ROOT / ".bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"metrics_{args.rows}.csv"
    if not path.exists():
        generate(path, args.rows)
    floors, firsts, warm = [], [], {"imports": [], "floors": []}
    for _ in range(args.rounds):
        floors.append(_subprocess("floor", path, args.pairs))
        firsts.append(_subprocess("first", path, args.pairs))
        for key, values in _subprocess("warm", path, args.pairs).items():
            warm[key].extend(values)
    totals = [total for _, total in warm["imports"]]
    paired = [total / floor for total, floor in zip(totals, warm["floors"])]
    warm_total = statistics.median(totals)
    first = [run["seconds"] for run in firsts]
    common = {"rows": args.rows, "rounds": args.rounds, "date": date.today().isoformat(),
              "machine": f"{platform.machine()} {platform.python_version()}"}
    print(json.dumps({
        "benchmark": "import_vs_engine_floor", **common,
        "seconds": round(warm_total, 3),
        "baseline": "DuckDB CREATE TABLE AS SELECT * FROM read_csv, new file, same process",
        "baseline_seconds": round(statistics.median(warm["floors"]), 3),
        "ratio": round(statistics.median(paired), 2), "ratio_range": _span(paired),
        "target_ratio": 1.5, "pairs": len(paired),
        "read_validate_seconds": round(statistics.median(v for v, _ in warm["imports"]), 3),
        "store_seconds": round(statistics.median(t - v for v, t in warm["imports"]), 3),
    }))
    peaks = [run["peak_mb"] for run in firsts]
    floor_peaks = [run["peak_mb"] for run in floors]
    peak_ratios = [a / b for a, b in zip(peaks, floor_peaks)]
    print(json.dumps({
        "benchmark": "import_peak_memory_vs_engine_floor", **common,
        "peak_mb": round(statistics.median(peaks)),
        "baseline": "a fresh process running only the floor (duckdb imported)",
        "baseline_peak_mb": round(statistics.median(floor_peaks)),
        "ratio": round(statistics.median(peak_ratios), 2), "ratio_range": _span(peak_ratios),
        "target_ratio": 2.0,
        "modules_mb": round(statistics.median(run["modules_mb"] for run in firsts)),
    }))
    cold = [seconds / warm_total for seconds in first]
    print(json.dumps({
        "benchmark": "first_import_vs_warm", **common,
        "seconds": round(statistics.median(first), 3), "warm_seconds": round(warm_total, 3),
        "ratio": round(statistics.median(cold), 2), "ratio_range": _span(cold),
        "target_ratio": 1.3,
        "first_read_validate_seconds": round(statistics.median(run["read_validate"]
                                                               for run in firsts), 3),
        "modules_seconds": round(statistics.median(run["modules_seconds"] for run in firsts), 3),
        "floor_fresh_process_seconds": round(statistics.median(run["seconds"] for run in floors), 3),
    }))
    read_validate = statistics.median(v for v, _ in warm["imports"])
    per_row = pydantic_per_row(path)
    print(json.dumps({
        "benchmark": "bulk_vs_pydantic_per_row", **common,
        "seconds": round(read_validate, 3), "pydantic_seconds": round(per_row, 3),
        "speedup": round(per_row / read_validate, 1), "target_speedup": 10.0,
    }))


if __name__ == "__main__":
    main()
