"""Benchmark: importing a wide ratings CSV (50,000 respondents x 12 items) against DuckDB.

Prints one JSON line, measured in one fresh process on one generated file: the import
(read, validate in bulk, turn the wide rows into one row per answer, and store them in one
all-or-nothing transaction) as a ratio to DuckDB's own ``CREATE TABLE AS SELECT * FROM
read_csv(...)`` of the same file into a table of a new database file (target: within 2x).
Both are timed warm, alternating, median of the repeats; the read-and-validate step is
reported on its own too. A second floor is printed beside it: DuckDB's own ``UNPIVOT`` of the
file into one row per answer (what the contract stores), so the owner can see what storing
long rows costs the engine itself. The file is synthetic and seeded: scores 0..10, 3% unanswered.

    python benchmarks/bench_ratings_import.py [--respondents N] [--items P] [--repeats R]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

UNANSWERED = 0.03


def generate(path: Path, respondents: int, items: int, seed: int = 20261202) -> None:
    """A survey tool's wide export: period, segment, respondent, one column per item."""
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 11, size=(respondents, items)).astype(object)
    scores[rng.random((respondents, items)) < UNANSWERED] = ""
    segments = np.array(["Retail", "Online", "Business"])[rng.integers(0, 3, respondents)]
    header = ["period", "segment", "respondent", *(f"item_{j:02d}" for j in range(items))]
    lines = [",".join(header)]
    lines += [f"2026Q3,{segments[i]},R{i:07d}," + ",".join(map(str, scores[i]))
              for i in range(respondents)]
    path.write_text("\n".join(lines) + "\n")


def measure(path: Path, repeats: int) -> dict[str, float]:
    """Time the import and DuckDB's copy of the file, alternating, in this process."""
    import duckdb

    from cxroi.ingest import read_upload
    from cxroi.models import UploadMeta
    from cxroi.store import Store

    def imported(folder: Path) -> tuple[float, float, int]:
        store = Store(folder / "import.duckdb")
        start = time.perf_counter()
        data = path.read_bytes()
        parsed = read_upload(data, path.name, "ratings")
        validated = time.perf_counter()
        assert parsed.ok, parsed.problems[:3]
        meta = UploadMeta(kind="ratings", file_name=path.name,
                          sha256=hashlib.sha256(data).hexdigest(), source="bench", scope="bench")
        store.commit_upload(meta, parsed.rows)
        done = time.perf_counter()
        store.close()
        return done - start, validated - start, len(parsed.rows)

    def copied(folder: Path) -> float:
        db = folder / "floor.duckdb"
        Store(db).close()            # a new file, in the format the store creates
        with duckdb.connect(str(db)) as con:
            start = time.perf_counter()
            con.execute("CREATE TABLE copied AS SELECT * FROM read_csv(?)", [str(path)])
            return time.perf_counter() - start

    def unpivoted(folder: Path) -> float:
        """The engine's floor for long rows: one row per answer, the unanswered dropped."""
        db = folder / "long.duckdb"
        Store(db).close()
        with duckdb.connect(str(db)) as con:
            start = time.perf_counter()
            con.execute("CREATE TABLE answers AS UNPIVOT (SELECT * FROM read_csv(?)) "
                        "ON COLUMNS(* EXCLUDE (period, segment, respondent)) "
                        "INTO NAME item VALUE score", [str(path)])
            return time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:   # warm both up once
        imported(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        copied(Path(tmp)), unpivoted(Path(tmp))
    totals, validations, floors, longs, answers = [], [], [], [], 0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            total, validate, answers = imported(Path(tmp))
        with tempfile.TemporaryDirectory() as tmp:
            floors.append(copied(Path(tmp)))
        with tempfile.TemporaryDirectory() as tmp:
            longs.append(unpivoted(Path(tmp)))
        totals.append(total)
        validations.append(validate)
    return {"total": statistics.median(totals), "read_validate": statistics.median(validations),
            "floor": statistics.median(floors), "long_floor": statistics.median(longs),
            "answers": answers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeats)))
        return
    folder = ROOT / ".bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"ratings_wide_{args.respondents}x{args.items}.csv"
    if not path.exists():
        generate(path, args.respondents, args.items)
    done = subprocess.run([sys.executable, __file__, "--measure", str(path), "--repeats",
                           str(args.repeats)], check=True, capture_output=True, text=True)
    steps = json.loads(done.stdout)
    print(json.dumps({
        "benchmark": "ratings_wide_import_vs_duckdb_read_csv",
        "respondents": args.respondents, "items": args.items, "answers": steps["answers"],
        "seconds": round(steps["total"], 3),
        "baseline": "DuckDB CREATE TABLE AS SELECT * FROM read_csv, new file",
        "baseline_seconds": round(steps["floor"], 3),
        "ratio": round(steps["total"] / steps["floor"], 2), "target_ratio": 2.0,
        "read_validate_seconds": round(steps["read_validate"], 3),
        "read_validate_ratio": round(steps["read_validate"] / steps["floor"], 2),
        "store_seconds": round(steps["total"] - steps["read_validate"], 3),
        "long_floor": "DuckDB CREATE TABLE AS UNPIVOT read_csv: one row per answer, new file",
        "long_floor_seconds": round(steps["long_floor"], 3),
        "ratio_to_long_floor": round(steps["total"] / steps["long_floor"], 2),
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
