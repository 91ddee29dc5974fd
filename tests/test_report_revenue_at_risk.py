"""``revenue_at_risk`` in ``report --json`` (docs/design.md, "Revenue at risk"), hand-computed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxroi.cli import main
from cxroi.store import Store, forget_store

from .helpers import upload


@pytest.fixture
def db(tmp_path: Path):
    path = tmp_path / "risk.duckdb"
    store = Store(path)
    try:
        upload(store, "metrics", [
            ("2025Q4", "All", "service_contacts", 1000),        # no survey counts: no entry
            ("2026Q1", "All", "detractors", 150), ("2026Q1", "All", "passives", 400),
            ("2026Q2", "All", "promoters", 900),
            ("2026Q2", "Retail", "detractors", 10),
        ])
    finally:
        store.close()
    yield path
    forget_store(path)


def report(capsys, db: Path, *args: str) -> dict:
    assert main(["--db", str(db), "report", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_one_entry_per_period_with_survey_counts_and_nulls_for_absent_inputs(capsys, db):
    risk = report(capsys, db)["revenue_at_risk"]
    # 2026Q1: 150 detractors * 0.50 * $1,200 = $90,000; 400 passives * 0.30 * $1,200 = $144,000.
    # 2026Q2 (All: no All row, so the sum over segments: Retail's 10 detractors):
    # 10 * 0.50 * 1,200 = 6,000; 900 promoters * 0.30 * 1,200 = 324,000; no passives: null.
    assert risk == [
        {"period": "2026Q1", "segment": "All", "short_term": 90_000.0, "long_term": 144_000.0,
         "growth_potential": None,
         "inputs": {"detractors": 150.0, "passives": 400.0,
                    "annual_revenue_per_customer": 1200.0}},
        {"period": "2026Q2", "segment": "All", "short_term": 6_000.0, "long_term": None,
         "growth_potential": 324_000.0,
         "inputs": {"detractors": 10.0, "promoters": 900.0,
                    "annual_revenue_per_customer": 1200.0}},
    ]


def test_the_scenario_moves_it_and_the_iceberg_never_includes_it(capsys, db, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"detractor_revenue_at_risk": 0.7,
                                "annual_revenue_per_customer": 2000}))
    found = report(capsys, db, "--assumptions", str(path))
    # 150 * 0.7 * 2,000 = 210,000; 400 * 0.30 * 2,000 = 240,000
    first = found["revenue_at_risk"][0]
    assert (first["short_term"], first["long_term"]) == (210_000.0, 240_000.0)
    assert all(line["key"] not in ("short_term", "long_term")
               for berg in found["iceberg"] for line in berg["lines"])


def test_a_segment_has_its_own(capsys, db):
    risk = report(capsys, db, "--segment", "Retail")["revenue_at_risk"]
    assert [(r["period"], r["segment"], r["short_term"]) for r in risk] == [
        ("2026Q2", "Retail", 6_000.0)]
