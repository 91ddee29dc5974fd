"""Paired timing for the benchmarks: each measure taken right beside its baseline, medians,
and the one JSON line every benchmark prints.

The machines are shared and noisy, so a measure is never compared with a baseline taken at
another time: `paired` runs the measure and then its baseline, ``repeats`` times (after
``warm`` uncounted rounds), optionally taking turns at going first; the ratio is the median
of the pairs' ratios, which a machine's changing load moves less than the ratio of two
medians.

| name | what |
|---|---|
| `Paired` | the two series of seconds, their medians and ratios |
| `paired` | time a measure and its baseline in pairs |
| `line` | the JSON line of one measure (``benchmark``, ``page``, ``seconds``, ...) |
| `emit` | print one line, flushed (a long run shows its lines as they come) |

    >>> p = Paired(ours=[2.0, 3.0, 4.0], bare=[1.0, 1.0, 2.0])
    >>> p.ratio, p.ratio_of_medians, p.max_ratio
    (2.0, 3.0, 4.0)
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Paired", "paired", "line", "emit", "clock"]


@dataclass(frozen=True)
class Paired:
    """Seconds of the measure (``ours``) and of its baseline (``bare``), pair by pair."""

    ours: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(self.ours)

    @property
    def baseline_seconds(self) -> float:
        return statistics.median(self.bare)

    @property
    def ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.ours, self.bare, strict=True) if b > 0]

    @property
    def ratio(self) -> float:
        """The median of the pairs' ratios."""
        return statistics.median(self.ratios)

    @property
    def ratio_of_medians(self) -> float:
        return self.seconds / self.baseline_seconds

    @property
    def max_ratio(self) -> float:
        """The slowest single measure over the baseline's median ("no single one over 2x")."""
        return max(self.ours) / self.baseline_seconds


def clock(action: Callable[[], object]) -> float:
    """Seconds ``action()`` takes, on the monotonic performance counter."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def paired(measure: Callable[[int], float], baseline: Callable[[int], float], *, repeats: int,
           warm: int = 0, alternate: bool = False) -> Paired:
    """Run ``measure(i)`` and ``baseline(i)`` (each returns its seconds) in ``warm + repeats``
    pairs; the first ``warm`` pairs warm caches and are not counted. With ``alternate`` the
    baseline goes first in every other pair (the second of a pair may find caches the first
    warmed)."""
    ours: list[float] = []
    bare: list[float] = []
    for i in range(warm + repeats):
        if alternate and i % 2:
            b = baseline(i)
            m = measure(i)
        else:
            m = measure(i)
            b = baseline(i)
        if i >= warm:
            ours.append(m)
            bare.append(b)
    return Paired(ours, bare)


def line(benchmark: str, page: str, timed: Paired, target: float, *, digits: int = 3,
         **extra: object) -> dict:
    """One measure as a JSON-able dict: medians, the median paired ratio, the slowest single
    measure over the baseline's median, the target and the number of pairs."""
    return {"benchmark": benchmark, "page": page, "seconds": round(timed.seconds, digits + 1),
            "baseline_seconds": round(timed.baseline_seconds, digits + 1),
            "ratio": round(timed.ratio, digits), "max_ratio": round(timed.max_ratio, digits),
            "target": target, "repeats": len(timed.ours), **extra}


def emit(record: dict) -> None:
    print(json.dumps(record), flush=True)
