"""The per-row pydantic models of the upload kinds: the oracles the bulk path is checked against.

`cxroi.ingest` validates columns in bulk; these models apply the same cell rules
(`cxroi.ingest.cells`) one row at a time, the readable reference. The tests hold that both
judge every row alike, and ``benchmarks/bench_import.py`` measures the bulk path against
``MetricRow`` (the slow path it replaces).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cxroi.ingest.cells import (
    NUMBER_BLANKS,
    check_unit,
    default_higher_is_better,
    parse_amount,
    parse_benchmark_kind,
    parse_date,
    parse_flag,
    parse_loop,
    parse_metric,
    parse_name,
    parse_number,
    parse_source,
    parse_tier,
    parse_unit,
)
from cxroi.models import CxroiError, parse_period

__all__ = ["MetricRow", "EffortRow", "BenchmarkRow"]


def _cell(rule: Any, value: Any, *, optional: bool = False) -> Any:
    """Apply a cell rule: an empty cell is None when optional, else 'is empty'."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise CxroiError("is empty")
    return rule(value)


def _decimal_comma(info: Any) -> bool:
    return bool((info.context or {}).get("decimal_comma", False))


def _written_as_percent(value: object) -> bool:
    return isinstance(value, str) and value.strip(NUMBER_BLANKS).endswith("%")


@dataclass(frozen=True)
class _Rule:
    """How one column's cell is read: its rule, whether it may be empty, and whether it is a
    number (read with the file's decimal mark)."""

    parse: Any
    optional: bool = False
    number: bool = False


def _first(parse: Any) -> Any:
    return lambda value, **kw: parse(value, **kw)[0]


class _UploadRow(BaseModel):
    """The per-row schema: each class lists its columns' rules in ``_RULES``; one validator
    applies them (an empty optional cell takes the field's default) and names every bad
    column, as the bulk path in cxroi.ingest does."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    _RULES: ClassVar[dict[str, _Rule]] = {}

    @model_validator(mode="before")
    @classmethod
    def _cells(cls, data: Any, info: Any) -> Any:
        if not isinstance(data, dict):
            return data
        comma = _decimal_comma(info)
        cells, problems = dict(data), []
        for column, rule in cls._RULES.items():
            if column not in data:
                continue  # pydantic says "Field required", or the default applies
            parse = (lambda v, r=rule: r.parse(v, decimal_comma=comma)) if rule.number \
                else rule.parse
            try:
                value = _cell(parse, data[column], optional=rule.optional)
            except ValueError as exc:
                problems.append(f"column {column}: {exc}")
                continue
            if value is None:
                del cells[column]  # empty and optional: the field's default
            else:
                cells[column] = value
        if problems:
            raise ValueError("; ".join(problems))
        return cells


class _MeasuredRow(_UploadRow):
    """metric, value, unit: shared by metric and benchmark rows (the unit rule of `check_unit`)."""

    _RULES: ClassVar[dict[str, _Rule]] = {
        "metric": _Rule(parse_metric),
        "value": _Rule(_first(parse_number), number=True),
        "unit": _Rule(parse_unit, optional=True),
    }

    metric: str = Field(description="Metric name, lower-cased; canonical names feed the iceberg")
    value: float = Field(ge=0, description="The measure (in its unit), 0 or more")
    unit: Literal["count", "percent", "money", "hours"] | None = Field(
        default=None, description="Unit; required unless the metric is canonical")

    @model_validator(mode="wrap")
    @classmethod
    def _unit_rule(cls, data: Any, handler: Any) -> Any:
        percent = isinstance(data, dict) and _written_as_percent(data.get("value"))
        row = handler(data)
        unit, problems = check_unit(row.metric, row.unit, percent)
        if problems:
            raise ValueError("; ".join(f"column {column}: {message}" for column, message in problems))
        return row.model_copy(update={"unit": unit, **row._defaults()})

    def _defaults(self) -> dict[str, Any]:
        return {}


class MetricRow(_MeasuredRow):
    """One row of a metrics upload: a measure of one segment in one quarter.

    Give ``context={"decimal_comma": True}`` for a ``;``-separated file.

    >>> row = MetricRow.model_validate({"period": "Q1 2026", "segment": "Retail",
    ...                                 "metric": "Customers", "value": "12,000"})
    >>> row.period, row.metric, row.value, row.unit, row.higher_is_better
    ('2026Q1', 'customers', 12000.0, 'count', True)
    """

    _RULES: ClassVar[dict[str, _Rule]] = {
        **_MeasuredRow._RULES,
        "period": _Rule(parse_period),
        "segment": _Rule(parse_name),
        "higher_is_better": _Rule(parse_flag, optional=True),
    }

    period: str = Field(description="Calendar quarter, canonical form 2026Q3")
    segment: str = Field(description="Segment as written (trimmed); 'All' for company-wide")
    higher_is_better: bool | None = Field(
        default=None, description="Direction; canonical default, else False")

    def _defaults(self) -> dict[str, Any]:
        if self.higher_is_better is None:
            return {"higher_is_better": default_higher_is_better(self.metric)}
        return {}


class EffortRow(_UploadRow):
    """One row of an effort upload: a department's hours in one tier in one quarter."""

    _RULES: ClassVar[dict[str, _Rule]] = {
        "period": _Rule(parse_period),
        "department": _Rule(parse_name),
        "tier": _Rule(parse_tier),
        "hours": _Rule(parse_amount, number=True),
        "budget": _Rule(parse_amount, optional=True, number=True),
        "loop": _Rule(parse_loop, optional=True),
    }

    period: str = Field(description="Calendar quarter, canonical form 2026Q3")
    department: str = Field(description="Department as written (trimmed)")
    tier: Literal["TM", "EM", "EL"] = Field(description="Touchpoint Management, Experience "
                                                        "Management or Experience Leadership")
    hours: float = Field(ge=0, description="Hours spent (hours), 0 or more")
    budget: float | None = Field(default=None, ge=0, description="Budget (money), optional")
    loop: Literal["inner", "outer"] | None = Field(default=None, description="inner or outer loop")


class BenchmarkRow(_MeasuredRow):
    """One row of a benchmarks upload: an industry or target baseline for a metric."""

    _RULES: ClassVar[dict[str, _Rule]] = {
        **_MeasuredRow._RULES,
        "unit": _Rule(parse_unit),
        "source": _Rule(parse_source),
        "as_of": _Rule(parse_date),
        "kind": _Rule(parse_benchmark_kind, optional=True),
    }

    unit: Literal["count", "percent", "money", "hours"] = Field(
        description="Unit (required); a canonical metric's own unit")
    source: str = Field(description="Where the benchmark comes from")
    as_of: str = Field(description="Date the benchmark refers to, YYYY-MM-DD")
    kind: Literal["industry", "target"] = Field(default="industry", description="industry or target")
