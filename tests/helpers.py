"""Small builders shared by the store, report and CLI tests."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import pytest
from hypothesis import settings

from cxroi.models import CANONICAL_METRICS, UploadMeta
from cxroi.store import Store

FAST = settings(max_examples=100, deadline=None)
"""Hypothesis for the pure money: enough examples to find an edge, no deadline."""


def exact(value: float) -> object:
    """For results whose hand arithmetic is exact (up to float rounding)."""
    return pytest.approx(value, rel=1e-12, abs=1e-9)


def cents(value: float) -> object:
    """Money to the cent."""
    return pytest.approx(value, abs=0.005)


def metrics_frame(rows: list[tuple]) -> pd.DataFrame:
    """(period, segment, metric, value[, unit]) tuples -> ingest's canonical metrics frame."""
    records = []
    for number, row in enumerate(rows, start=2):
        period, segment, metric, value, *rest = row
        canonical = CANONICAL_METRICS.get(metric)
        unit = rest[0] if rest else canonical.unit
        better = canonical.higher_is_better if canonical else False
        records.append((number, period, segment, metric, float(value), unit, better))
    return pd.DataFrame(records, columns=["row", "period", "segment", "metric", "value", "unit",
                                          "higher_is_better"])


def effort_frame(rows: list[tuple]) -> pd.DataFrame:
    """(period, department, tier, hours[, loop]) tuples -> the canonical effort frame."""
    records = []
    for number, row in enumerate(rows, start=2):
        period, department, tier, hours, *rest = row
        records.append((number, period, department, tier, float(hours), float("nan"),
                        rest[0] if rest else None))
    return pd.DataFrame(records, columns=["row", "period", "department", "tier", "hours",
                                          "budget", "loop"])


def benchmark_frame(rows: list[tuple]) -> pd.DataFrame:
    """(metric, kind, value, unit) tuples -> the canonical benchmarks frame."""
    records = [(n, m, k, float(v), u, "Panel", "2025-12-31")
               for n, (m, k, v, u) in enumerate(rows, start=2)]
    return pd.DataFrame(records, columns=["row", "metric", "kind", "value", "unit", "source",
                                          "as_of"])


def ratings_frame(rows: list[tuple]) -> pd.DataFrame:
    """(period, segment, respondent, item, score) tuples -> the canonical ratings frame."""
    records = [(n, p, s, r, i, float(v)) for n, (p, s, r, i, v) in enumerate(rows, start=2)]
    return pd.DataFrame(records, columns=["row", "period", "segment", "respondent", "item",
                                          "score"])


def themes_frame(rows: list[tuple]) -> pd.DataFrame:
    """(period, segment, theme, count[, metric[, department]]) tuples -> the themes frame."""
    records = []
    for number, row in enumerate(rows, start=2):
        period, segment, theme, count, *rest = row
        metric = rest[0] if rest else "service_contacts"
        department = rest[1] if len(rest) > 1 else None
        records.append((number, period, segment, theme, float(count), metric, department))
    return pd.DataFrame(records, columns=["row", "period", "segment", "theme", "count", "metric",
                                          "department"])


_FRAMES = {"metrics": metrics_frame, "effort": effort_frame, "benchmarks": benchmark_frame,
           "ratings": ratings_frame, "themes": themes_frame}


def upload(store: Store, kind: str, rows: list[tuple], *, name: str = "file.csv",
           source: str = "Test export", scope: str = "Test scope"):
    """Commit ``rows`` of ``kind`` as one upload; returns the `Upload`."""
    frame = _FRAMES[kind](rows)
    digest = hashlib.sha256(repr((kind, rows, name)).encode()).hexdigest()
    meta = UploadMeta(kind=kind, file_name=name, sha256=digest, source=source, scope=scope,
                      uploaded_by="tester")
    return store.commit_upload(meta, frame)


def unescaped(text: str) -> str:
    """Text as the user reads it (the page escapes markdown in file names and user text)."""
    return re.sub(r"\\(.)", r"\1", str(text))
