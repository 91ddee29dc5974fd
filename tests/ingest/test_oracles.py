"""The per-row models (tests/ingest/oracles.py) and the bulk path judge every row alike."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from cxroi.ingest import read_upload
from tests.ingest.common import problems
from tests.ingest.oracles import BenchmarkRow, EffortRow, MetricRow


AGREEMENT_ROWS = [
    {"period": "2026Q1", "segment": "Retail", "metric": "customers", "value": "12000", "unit": "count"},
    {"period": "Q1 2026", "segment": "Retail", "metric": "Customers", "value": "12,000", "unit": ""},
    {"period": "2026-Q1", "segment": " Retail ", "metric": "nps", "value": "12%", "unit": ""},
    {"period": "2026Q1", "segment": "Retail", "metric": "nps", "value": "12%", "unit": "count"},
    {"period": "2026Q1", "segment": "Retail", "metric": "customers", "value": "12", "unit": "money"},
    {"period": "2026Q1", "segment": "Retail", "metric": "hold", "value": "12", "unit": ""},
    {"period": "2026Q1", "segment": "Retail", "metric": "hold", "value": "12", "unit": "minutes"},
    {"period": "2026Q7", "segment": "Retail", "metric": "returns", "value": "1", "unit": "count"},
    {"period": "2026Q1", "segment": "", "metric": "returns", "value": "1", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "returns", "value": "-3", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "returns", "value": "inf", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "returns", "value": "n/a", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "returns", "value": "$1,234.50", "unit": "count"},
    {"period": "2026Q1", "segment": "A", "metric": "csat", "value": "4", "unit": "count",
     "higher_is_better": "yes"},
    {"period": "2026Q1", "segment": "A", "metric": "csat", "value": "4", "unit": "count",
     "higher_is_better": "maybe"},
]


def _csv_of(rows: list[dict[str, str]], columns: list[str], separator: str = ",") -> bytes:
    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'
    lines = [separator.join(columns)]
    lines += [separator.join(quote(row.get(c, "")) for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("row", AGREEMENT_ROWS, ids=range(len(AGREEMENT_ROWS)))
def test_metric_rows_are_judged_alike_by_the_model_and_the_bulk_path(row):
    columns = ["period", "segment", "metric", "value", "unit", "higher_is_better"]
    parsed = read_upload(_csv_of([row], columns), "one.csv", "metrics")
    try:
        model = MetricRow.model_validate({k: v for k, v in row.items()})
    except ValidationError:
        model = None
    assert parsed.ok == (model is not None), (problems(parsed), model)
    if model is not None:
        got = parsed.rows.iloc[0]
        assert (got["period"], got["segment"], got["metric"], got["value"], got["unit"],
                bool(got["higher_is_better"])) == (model.period, model.segment, model.metric,
                                                   model.value, model.unit, model.higher_is_better)


@pytest.mark.parametrize("row, ok", [
    ({"period": "Q1 2026", "department": "Support", "tier": "touchpoint management", "hours": "1,500",
      "budget": "", "loop": "Outer"}, True),
    ({"period": "2026Q1", "department": "Support", "tier": "XL", "hours": "1", "budget": "", "loop": ""}, False),
    ({"period": "2026Q1", "department": "Support", "tier": "EL", "hours": "12%", "budget": "", "loop": ""}, False),
    ({"period": "2026Q1", "department": "Support", "tier": "EL", "hours": "1", "budget": "-1", "loop": ""}, False),
    ({"period": "2026Q1", "department": "Support", "tier": "EL", "hours": "1", "budget": "", "loop": "x"}, False),
])
def test_effort_rows_are_judged_alike(row, ok):
    parsed = read_upload(_csv_of([row], list(row)), "one.csv", "effort")
    try:
        model = EffortRow.model_validate(row)
    except ValidationError:
        model = None
    assert parsed.ok == (model is not None) == ok
    if model is not None:
        got = parsed.rows.iloc[0]
        assert (got["period"], got["tier"], got["hours"], got["loop"]) == \
            (model.period, model.tier, model.hours, model.loop)
        assert math.isnan(got["budget"]) and model.budget is None


@pytest.mark.parametrize("row, ok", [
    ({"metric": "nps", "value": "3,1%", "unit": "percent", "source": "Panel", "as_of": "31.12.2025", "kind": ""}, True),
    ({"metric": "nps", "value": "3,1", "unit": "", "source": "Panel", "as_of": "31.12.2025", "kind": ""}, False),
    ({"metric": "customers", "value": "3", "unit": "money", "source": "Panel", "as_of": "2025-12-31", "kind": ""}, False),
    ({"metric": "customers", "value": "1.500", "unit": "count", "source": "Panel", "as_of": "2025-12-31", "kind": ""}, False),
    ({"metric": "customers", "value": "1.500,5", "unit": "count", "source": "P", "as_of": "2025-12-31", "kind": "Target"}, True),
])
def test_benchmark_rows_are_judged_alike_in_a_semicolon_file(row, ok):
    parsed = read_upload(_csv_of([row], list(row), ";"), "one.csv", "benchmarks")
    try:
        model = BenchmarkRow.model_validate(row, context={"decimal_comma": True})
    except ValidationError:
        model = None
    assert parsed.ok == (model is not None) == ok, problems(parsed)
    if model is not None:
        got = parsed.rows.iloc[0]
        assert (got["metric"], got["value"], got["unit"], got["as_of"], got["kind"]) == \
            (model.metric, model.value, model.unit, model.as_of, model.kind)
