"""The sign-in benchmark still runs (two reruns a page): a benchmark that rots measures nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_sign_in_benchmark_prints_a_ratio_per_page():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_sign_in.py")],
                          cwd=ROOT, check=True, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "BENCH_REPEATS": "2"})
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [(line["benchmark"], line["page"]) for line in lines] == [
        ("sign_in_rerun", "overview"), ("sign_in_rerun", "upload")]
    assert all(line["ratio"] > 0 and line["target"] == 1.05 for line in lines)
