"""Benchmark: `key_drivers` (exact LMG) on 50,000 respondents x 12 drivers.

Prints one JSON line: the analysis's time as a ratio to its floor measured in the same run
(target: within 1.5x). The floor is the bare numpy work any implementation must do: the
correlation matrix of the complete answers (``np.corrcoef``) and the 4,096 subset R² values
``r_S' R_SS^-1 r_S`` straight from it (one batched ``np.linalg.solve`` per subset size).
The answers are synthetic and seeded: scores 0..10, a few unanswered.

    python benchmarks/bench_drivers.py [--respondents N] [--drivers P] [--repeats R]
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MISSING = 0.02  # share of answers left unanswered


def answers(respondents: int, drivers: int, seed: int = 20260101) -> dict[str, np.ndarray]:
    """An outcome driven by ``drivers`` correlated 0..10 item scores, some unanswered."""
    rng = np.random.default_rng(seed)
    mood = rng.normal(size=(respondents, 1))  # what makes the items correlate
    raw = 0.6 * mood + rng.normal(size=(respondents, drivers))
    scores = np.clip(np.rint(5 + 2 * raw), 0, 10)
    outcome = np.clip(np.rint(scores @ rng.uniform(0.2, 1.0, drivers) / drivers * 1.6
                              + rng.normal(0, 1.5, respondents)), 0, 10)
    table = {"recommend": outcome, **{f"item_{j:02d}": scores[:, j] for j in range(drivers)}}
    for column in table.values():
        column[rng.random(respondents) < MISSING] = np.nan
    return table


def floor(complete: np.ndarray) -> float:
    """The correlation matrix and every subset's R², in plain numpy; returns the full R²."""
    corr = np.corrcoef(complete)
    r, among = corr[0, 1:], corr[1:, 1:]
    p = among.shape[0]
    r2 = np.zeros(1 << p)
    for size in range(1, p + 1):
        subsets = np.array(list(itertools.combinations(range(p), size)))
        block = among[subsets[:, :, None], subsets[:, None, :]]
        rhs = r[subsets]
        solved = np.linalg.solve(block, rhs[..., None])[..., 0]
        r2[(1 << subsets).sum(axis=1)] = (rhs * solved).sum(axis=1)
    return float(r2[-1])


def measure(respondents: int, drivers: int, repeats: int) -> dict[str, float]:
    """Time the analysis and its floor, alternating, in this process."""
    from cxroi.drivers import key_drivers

    table = answers(respondents, drivers)
    stacked = np.vstack(list(table.values()))
    complete = np.ascontiguousarray(stacked[:, ~np.isnan(stacked).any(axis=0)])

    result = key_drivers("recommend", table, method="lmg")
    if abs(result.r2 - floor(complete)) > 1e-9:
        raise SystemExit("The analysis and its floor disagree on R²: nothing to compare.")
    jobs: dict[str, Callable[[], object]] = {
        "drivers": lambda: key_drivers("recommend", table, method="lmg"),
        "baseline": lambda: floor(complete),
    }
    timings: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeats):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            timings[name].append(time.perf_counter() - start)
    return {"seconds": statistics.median(timings["drivers"]),
            "baseline_seconds": statistics.median(timings["baseline"]), "n": result.n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--drivers", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    result = measure(args.respondents, args.drivers, args.repeats)
    print(json.dumps({
        "benchmark": "key_drivers_lmg",
        "respondents": args.respondents,
        "drivers": args.drivers,
        "complete_responses": result["n"],
        "seconds": round(result["seconds"], 5),
        "baseline": f"np.corrcoef + {1 << args.drivers:,} subset R² by batched np.linalg.solve",
        "baseline_seconds": round(result["baseline_seconds"], 5),
        "ratio": round(result["seconds"] / result["baseline_seconds"], 2),
        "target_ratio": 1.5,
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
