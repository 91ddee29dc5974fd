"""Benchmark: one store under mixed load: 16 readers, 2 importers, 2 scenario savers.

For ``--seconds`` (default 30) on one store: readers build the report (the pages' data);
importers read, validate and commit uploads through `cxroi.ingest`; savers write scenario
versions. Afterwards every upload and scenario version must be present, and no reader may
ever have seen part of an upload (each upload adds exactly ``ROWS_PER_UPLOAD`` units to one
company-wide total, so any other remainder would be a half-imported upload).

Prints one JSON line with reads per second and the error count. `run_load` is also used by
the test suite with a few seconds. Then the same load from two processes at once on one
DuckLake whose catalog is a throwaway PostgreSQL (`run_two_processes`; ``--no-lake`` skips
it): a second JSON line, with the same targets of 0 errors, 0 torn reads, 0 lost.
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


def run_two_processes(target: str, seconds: float, *, readers: int = 8) -> dict[str, object]:
    """The mixed load from two processes at once on one lake (``ducklake:postgres:...``):
    each runs `run_load` with ``readers`` readers, 2 importers and 2 savers. Afterwards every
    upload and scenario version of both must be there, and the company-wide total must be
    exactly both processes' uploads (none lost, none half stored)."""
    import os
    import subprocess

    store = Store(target)
    if store.is_empty():
        load_demo(store)
    store.close()
    workers = [subprocess.Popen(
        [sys.executable, __file__, "--worker", target, "--seconds", str(seconds),
         "--readers", str(readers)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env=os.environ.copy()) for _ in range(2)]
    results = [json.loads(w.communicate()[0].splitlines()[-1]) for w in workers]
    store = Store(target)
    final = store.dataset("All")
    total = sum(m.value for m in final.metrics
                if m.period == LOAD_PERIOD and m.metric == LOAD_METRIC)
    uploads = sum(r["uploads"] for r in results)
    store.close()
    return {
        "processes": 2, "reads": sum(r["reads"] for r in results),
        "reads_per_second": sum(r["reads_per_second"] for r in results),
        "uploads": uploads, "scenario_versions": sum(r["scenario_versions"] for r in results),
        "errors": [e for r in results for e in r["errors"]],
        "torn_reads": [t for r in results for t in r["torn_reads"]],
        "missing_uploads": [u for r in results for u in r["missing_uploads"]],
        "missing_versions": [v for r in results for v in r["missing_versions"]],
        "final_total_ok": total == ROWS_PER_UPLOAD * uploads,
        "seconds": max(r["seconds"] for r in results),
    }


def _lake_run(seconds: float) -> dict[str, object]:
    """Two processes on a lake whose catalog is a throwaway PostgreSQL (tests/lake.py)."""
    import os

    from tests.lake import PostgresServer

    server = PostgresServer()
    try:
        os.environ["CXROI_LAKE_DATA"] = str(server.data)
        return run_two_processes(f"ducklake:postgres:{server.libpq(server.createdb('load'))}",
                                 seconds)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--no-lake", dest="lake", action="store_false",
                        help="skip the two-process run on a DuckLake (PostgreSQL catalog)")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--readers", type=int, default=16, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:  # one of run_two_processes' processes: its result as one JSON line
        print(json.dumps(run_load(args.worker, args.seconds, readers=args.readers)))
        return
    with tempfile.TemporaryDirectory() as folder:
        result = run_load(Path(folder) / "load.duckdb", args.seconds)
    _print("mixed_load", result, readers=16)
    if args.lake:
        _print("mixed_load_two_processes_lake", _lake_run(args.seconds), readers=8)


def _print(name: str, result: dict[str, object], *, readers: int) -> None:
    print(json.dumps({
        "benchmark": name,
        "processes": result.get("processes", 1),
        "readers": readers, "importers": 2, "savers": 2,
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
