"""Benchmark: one store under mixed load: 16 readers, 2 importers, 2 scenario savers.

For ``--seconds`` (default 30) on one store: readers build the report (the pages' data);
importers read, validate and commit uploads through `cxroi.ingest`; savers write scenario
versions. Afterwards every upload and scenario version must be present, and no reader may
ever have seen part of an upload (each upload adds exactly ``ROWS_PER_UPLOAD`` units to one
company-wide total, so any other remainder would be a half-imported upload).

Prints one JSON line with reads per second and the error count. `run_load` is also used by
the test suite with a few seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cxroi.demo import load_demo  # noqa: E402
from cxroi.ingest import read_upload  # noqa: E402
from cxroi.models import Assumptions, UploadMeta  # noqa: E402
from cxroi.report import build_report  # noqa: E402
from cxroi.store import Store  # noqa: E402

ROWS_PER_UPLOAD = 500
LOAD_PERIOD, LOAD_METRIC = "2030Q1", "load_units"


def _upload_file(importer: int, number: int) -> bytes:
    lines = ["period,segment,metric,value,unit"]
    lines += [f"{LOAD_PERIOD},Load {importer}-{number}-{i},{LOAD_METRIC},1,count"
              for i in range(ROWS_PER_UPLOAD)]
    return ("\n".join(lines) + "\n").encode()


def run_load(path: Path, seconds: float, *, readers: int = 16, importers: int = 2,
             savers: int = 2) -> dict[str, object]:
    """Run the mixed load on a demo store at ``path``; return counts and problems."""
    store = Store(path)
    if store.is_empty():
        load_demo(store)
    scenario = store.scenario("Baseline")
    stop = threading.Event()
    errors: list[str] = []
    torn: list[float] = []
    reads = [0] * readers
    uploaded: list[int] = []
    saved: list[tuple[str, int]] = []

    def reader(index: int) -> None:
        segments = ["All", "Retail", "Online", "Business"]
        while not stop.is_set():
            try:
                dataset = store.dataset(segments[reads[index] % len(segments)])
                build_report(dataset, scenario)
                if dataset.segment == "All":
                    total = sum(m.value for m in dataset.metrics
                                if m.period == LOAD_PERIOD and m.metric == LOAD_METRIC)
                    if total % ROWS_PER_UPLOAD:
                        torn.append(total)
                reads[index] += 1
            except Exception as exc:  # counted and reported, never hidden
                errors.append(f"reader: {type(exc).__name__}: {exc}")

    def importer(index: int) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            data = _upload_file(index, number)
            try:
                parsed = read_upload(data, f"load_{index}_{number}.csv", "metrics")
                if not parsed.ok:
                    errors.append(f"importer: {parsed.problems[0]}")
                    continue
                meta = UploadMeta(kind="metrics", file_name=f"load_{index}_{number}.csv",
                                  sha256=hashlib.sha256(data).hexdigest(), source="Load test",
                                  scope="Generated", uploaded_by=f"importer {index}")
                uploaded.append(store.commit_upload(meta, parsed.rows).id)
            except Exception as exc:
                errors.append(f"importer: {type(exc).__name__}: {exc}")

    def saver(index: int) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            try:
                version = store.save_scenario(f"Load {index}", Assumptions(
                    cost_per_contact=1 + number % 19), by=f"saver {index}").version
                saved.append((f"Load {index}", version))
            except Exception as exc:
                errors.append(f"saver: {type(exc).__name__}: {exc}")
            time.sleep(0.01)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    threads += [threading.Thread(target=importer, args=(i,)) for i in range(importers)]
    threads += [threading.Thread(target=saver, args=(i,)) for i in range(savers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    history = {u.id: u for u in store.uploads()}
    missing_uploads = [i for i in uploaded if i not in history]
    versions = {(s.name, s.version) for s in store.scenarios()}
    missing_versions = [v for v in saved if v not in versions]
    final = store.dataset("All")
    total = sum(m.value for m in final.metrics
                if m.period == LOAD_PERIOD and m.metric == LOAD_METRIC)
    store.close()
    return {
        "reads": sum(reads), "reads_per_second": sum(reads) / elapsed,
        "uploads": len(uploaded), "scenario_versions": len(saved),
        "errors": errors, "torn_reads": torn,
        "missing_uploads": missing_uploads, "missing_versions": missing_versions,
        "final_total_ok": total == ROWS_PER_UPLOAD * len(uploaded),
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result = run_load(Path(folder) / "load.duckdb", args.seconds)
    print(json.dumps({
        "benchmark": "mixed_load",
        "readers": 16, "importers": 2, "savers": 2,
        "seconds": round(result["seconds"], 1),
        "reads_per_second": round(result["reads_per_second"], 1),
        "uploads": result["uploads"], "scenario_versions": result["scenario_versions"],
        "errors": len(result["errors"]), "torn_reads": len(result["torn_reads"]),
        "lost": len(result["missing_uploads"]) + len(result["missing_versions"]),
        "target_errors": 0,
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))
    if result["errors"]:
        print("\n".join(result["errors"][:5]), file=sys.stderr)


if __name__ == "__main__":
    main()
