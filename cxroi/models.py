"""The vocabulary of cxroi: periods, metrics, assumptions, scenarios and footnotes.

Everything that comes from outside (assumption files, scenario files, CLI flags) is checked
against the models and rules here, and upload cells against the cell rules of
`cxroi.ingest.cells`; everything inside trusts them.

Conventions used throughout the package:

* ratios are decimals (0.20 = 20%); money is in the dataset's one currency;
* periods are calendar quarters in the canonical form ``2026Q3``;
* costs are positive numbers, and so are savings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = [
    "CxroiError",
    "UNITS",
    "TIERS",
    "TIER_NAMES",
    "LOOPS",
    "BASELINES",
    "BENCHMARK_KINDS",
    "ALL",
    "CanonicalMetric",
    "CANONICAL_METRICS",
    "period_span",
    "parse_period",
    "period_index",
    "previous_period",
    "next_period",
    "Assumptions",
    "AssumptionInfo",
    "assumption_info",
    "parse_assumptions",
    "Scenario",
    "Footnote",
    "UploadMeta",
    "plain_errors",
    "THEME_METRICS",
    "DEFAULT_THEME_METRIC",
    "PLAN_STATUSES",
    "PLAN_FIELDS",
    "PlanFields",
]


class CxroiError(ValueError):
    """The one domain error: its message names the rule that was broken, in plain words."""


UNITS: tuple[str, ...] = ("count", "percent", "money", "hours")
TIERS: tuple[str, ...] = ("TM", "EM", "EL")
TIER_NAMES: dict[str, str] = {
    "TM": "Touchpoint Management",
    "EM": "Experience Management",
    "EL": "Experience Leadership",
}
LOOPS: tuple[str, ...] = ("inner", "outer")
BASELINES: tuple[str, ...] = ("previous", "normal", "benchmark", "target")
BENCHMARK_KINDS: tuple[str, ...] = ("industry", "target")
ALL = "All"
"""The segment (and department) name of the company-wide figure."""


@dataclass(frozen=True)
class CanonicalMetric:
    """A metric the iceberg understands: its unit and which direction is good."""

    name: str
    unit: str
    higher_is_better: bool
    label: str


def _canonical(name: str, label: str, unit: str = "count", higher: bool = False) -> CanonicalMetric:
    return CanonicalMetric(name, unit, higher, label)


CANONICAL_METRICS: dict[str, CanonicalMetric] = {
    m.name: m
    for m in (
        _canonical("customers", "Customers", higher=True),
        _canonical("revenue", "Revenue", "money", higher=True),
        _canonical("customers_lost", "Customers lost"),
        _canonical("service_contacts", "Service contacts"),
        _canonical("escalations", "Escalations"),
        _canonical("refunds_credits", "Refunds and credits", "money"),
        _canonical("returns", "Returns"),
        _canonical("promoters", "Promoters", higher=True),
        _canonical("passives", "Passives"),
        _canonical("detractors", "Detractors"),
        _canonical("deals_delayed", "Deals delayed"),
        _canonical("frontline_leavers", "Front-line leavers"),
    )
}


# --- periods -------------------------------------------------------------------------------

_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/ ]?\s*[qQ](\d+)$")
_QUARTER_FIRST = re.compile(r"^[qQ](\d+)\s*[-/ ]?\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def parse_period(value: object) -> str:
    """Return the canonical quarter (``2026Q3``) for any accepted spelling.

    Accepts ``2026Q3``, ``2026-Q3``, ``2026 Q3``, ``Q3 2026``, ``Q3-2026``, ``q3/2026``, an
    ISO date (``2026-08-14``, with or without a time) and ``date``/``datetime`` objects, each
    mapped to its calendar quarter.

    >>> [parse_period(s) for s in ("2026-Q3", "Q3 2026", "q3/2026", "2026-08-14")]
    ['2026Q3', '2026Q3', '2026Q3', '2026Q3']
    >>> parse_period("2026Q7")
    Traceback (most recent call last):
    ...
    cxroi.models.CxroiError: '2026Q7' is not a quarter: there is no quarter 7
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year:04d}Q{(value.month - 1) // 3 + 1}"
    text = str(value).strip()
    year = quarter = None
    if m := _YEAR_FIRST.match(text):
        year, quarter = m.group(1), m.group(2)
    elif m := _QUARTER_FIRST.match(text):
        quarter, year = m.group(1), m.group(2)
    elif m := _ISO_DATE.match(text):
        try:
            return parse_period(dt.date.fromisoformat(m.group(1)))
        except ValueError:
            raise CxroiError(f"{text!r} is not a valid date") from None
    if year is None:
        raise CxroiError(f"{text!r} is not a quarter (write it like 2026Q3)")
    if not 1 <= int(quarter) <= 4:
        raise CxroiError(f"{text!r} is not a quarter: there is no quarter {int(quarter)}")
    return f"{int(year):04d}Q{int(quarter)}"


def period_index(period: str) -> int:
    """A running number for a canonical quarter: consecutive quarters differ by one."""
    return int(period[:4]) * 4 + int(period[5]) - 1


def _period_from_index(index: int) -> str:
    return f"{index // 4:04d}Q{index % 4 + 1}"


def previous_period(period: str) -> str:
    """The calendar quarter just before ``period``.

    >>> previous_period("2026Q1")
    '2025Q4'
    """
    return _period_from_index(period_index(period) - 1)


def next_period(period: str, steps: int = 1) -> str:
    """The calendar quarter ``steps`` after ``period``.

    >>> next_period("2025Q4", 2)
    '2026Q2'
    """
    return _period_from_index(period_index(period) + steps)


# --- assumptions ---------------------------------------------------------------------------


def _assumption(
    default: float,
    unit: str,
    label: str,
    note: str,
    low: float | None,
    high: float | None,
    *,
    ge: float = 0.0,
    le: float | None = None,
    gt: float | None = None,
) -> Any:
    limits: dict[str, float] = {"gt": gt} if gt is not None else {"ge": ge}
    if le is not None:
        limits["le"] = le
    return Field(
        default,
        description=f"{label} ({unit}): {note}",
        json_schema_extra={"unit": unit, "label": label, "note": note, "low": low, "high": high},
        **limits,
    )


_ILLUSTRATIVE = "Illustrative default; replace with your own figure."


class Assumptions(BaseModel):
    """Finance's unit costs and rates; every field has a unit, hard limits and a plausible range.

    Hard limits are validation: a value outside them is refused, naming the key. The plausible
    range (``low``/``high`` in the field's metadata) is guidance, a warning, and the range of
    the sensitivity analysis. Defaults are illustrative.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, strict=True)

    cost_per_contact: float = _assumption(
        8.0, "money", "Cost per service contact",
        "Fully loaded cost of one assisted service contact.", 2, 20)
    cost_per_return: float = _assumption(
        25.0, "money", "Cost per return", "Handling, freight and write-off of one return.", 5, 80)
    hours_per_escalation: float = _assumption(
        3.0, "hours", "Hours per escalation",
        "Manager and executive time spent on one escalation.", 1, 8)
    manager_hourly_cost: float = _assumption(
        95.0, "money/hour", "Manager hourly cost", "Fully loaded cost of a manager's hour.", 50, 250)
    annual_revenue_per_customer: float = _assumption(
        1200.0, "money", "Annual revenue per customer",
        "Average yearly revenue from one customer.", 600, 2400)
    gross_margin: float = _assumption(
        0.60, "ratio", "Gross margin", "Share of revenue kept after direct costs.", 0.30, 0.80,
        le=1.0)
    expected_lifetime_years: float = _assumption(
        4.0, "years", "Expected customer lifetime",
        "Remaining life of a retained customer.", 2, 8, gt=0.0, le=50.0)
    acquisition_cost_per_customer: float = _assumption(
        400.0, "money", "Acquisition cost per customer",
        "Cost to win a replacement customer.", 200, 1000)
    attributable_churn_share: float = _assumption(
        0.50, "ratio", "Churn due to poor experience",
        "Share of lost customers lost to poor experience.", 0.25, 0.75, le=1.0)
    prospects_lost_per_detractor: float = _assumption(
        0.15, "customers", "Prospects lost per detractor",
        "Would-be customers a detractor's word of mouth turns away.", 0.05, 0.30)
    delay_cost_per_deal: float = _assumption(
        500.0, "money", "Cost of a delayed deal", "Cost of a deal slowed by distrust.", 200, 1500)
    replacement_cost_per_employee: float = _assumption(
        15000.0, "money", "Replacement cost per front-line employee",
        "Hiring and ramp-up of a front-line employee.", 8000, 30000)
    right_first_time_gain: float = _assumption(
        0.20, "ratio", "Right-first-time gain",
        "Share of issue-driven volumes that prevention removes.", 0.10, 0.40, le=1.0)
    prevention_investment: float = _assumption(
        250000.0, "money", "Prevention investment",
        "One-time investment in prevention, at the start.", 150000, 400000)
    prevention_running_cost: float = _assumption(
        50000.0, "money/year", "Prevention running cost",
        "Yearly cost of keeping prevention going.", 25000, 100000)
    benefit_risk_haircut: float = _assumption(
        0.20, "ratio", "Benefit risk haircut",
        "TEI-style risk adjustment taken off the benefits.", 0.10, 0.35, le=1.0)
    discount_rate: float = _assumption(
        0.10, "ratio", "Discount rate", "Yearly rate used to discount future cash flows.",
        0.06, 0.14, le=1.0)
    horizon_years: int = _assumption(
        3, "years", "Horizon", "Whole years over which prevention is evaluated.", 2, 5,
        ge=1, le=10)
    el_target_share: float = _assumption(
        0.50, "ratio", "Experience Leadership target",
        "Share of effort that should go to Experience Leadership.", None, None, le=1.0)
    outer_loop_target_share: float = _assumption(
        0.50, "ratio", "Outer-loop target",
        "Share of effort that should go to the outer loop (preventing recurrence).",
        None, None, le=1.0)
    detractor_revenue_at_risk: float = _assumption(
        0.50, "ratio", "Revenue at risk per detractor",
        "Short-term: share of a year's revenue per customer at risk for each detractor. A "
        "published survey-platform multiplier (SurveyMonkey CX revenue impact), a general "
        "approximation across business types.", 0.30, 0.70, le=1.0)
    passive_revenue_at_risk: float = _assumption(
        0.30, "ratio", "Revenue at risk per passive",
        "Long-term: share of a year's revenue per customer at risk for each passive. A "
        "published survey-platform multiplier (SurveyMonkey CX revenue impact), a general "
        "approximation across business types.", 0.10, 0.50, le=1.0)
    promoter_growth_potential: float = _assumption(
        0.30, "ratio", "Growth potential per promoter",
        "Share of a year's revenue per customer a promoter can add through loyalty and "
        "referrals. A published survey-platform multiplier (SurveyMonkey CX revenue impact), "
        "a general approximation across business types.", 0.10, 0.50, le=2.0)

    @field_validator("horizon_years", mode="before")
    @classmethod
    def _whole_years(cls, value: object) -> object:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    @property
    def clv(self) -> float:
        """Customer lifetime value: revenue per year x gross margin x expected lifetime."""
        return self.annual_revenue_per_customer * self.gross_margin * self.expected_lifetime_years


@dataclass(frozen=True)
class AssumptionInfo:
    """What the UI shows next to an assumption: label, unit, plausible range and note."""

    key: str
    label: str
    unit: str
    note: str
    default: float
    low: float | None
    high: float | None
    minimum: float
    maximum: float | None
    integer: bool

    @property
    def is_ratio(self) -> bool:
        return self.unit == "ratio"


def assumption_info() -> tuple[AssumptionInfo, ...]:
    """Every assumption's metadata, in the model's order."""
    out = []
    for key, field in Assumptions.model_fields.items():
        extra = field.json_schema_extra or {}
        minimum = maximum = None
        for rule in field.metadata:
            for attr in ("ge", "gt"):
                if getattr(rule, attr, None) is not None:
                    minimum = getattr(rule, attr)
            if getattr(rule, "le", None) is not None:
                maximum = rule.le
        out.append(AssumptionInfo(
            key=key, label=extra["label"], unit=extra["unit"], note=extra["note"],
            default=field.default, low=extra["low"], high=extra["high"],
            minimum=float(minimum), maximum=maximum, integer=field.annotation is int,
        ))
    return tuple(out)


def parse_assumptions(data: object) -> Assumptions:
    """Validate a partial assumptions object (keys not named keep their defaults).

    Raises `CxroiError` naming every bad key: unknown, wrong type, out of limits.

    >>> parse_assumptions({"gross_margin": 0.55}).gross_margin
    0.55
    >>> parse_assumptions({"gross_margin": 1.5})
    Traceback (most recent call last):
    ...
    cxroi.models.CxroiError: gross_margin: must be at most 1 (got 1.5)
    """
    if not isinstance(data, dict):
        raise CxroiError("assumptions must be a JSON object of key: number pairs")
    try:
        return Assumptions.model_validate(data)
    except ValidationError as exc:
        raise CxroiError("; ".join(_describe(e) for e in exc.errors())) from None


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in error["loc"]) or "assumptions"
    kind, ctx, got = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "extra_forbidden":
        return f"{key}: unknown assumption (known keys: {', '.join(Assumptions.model_fields)})"
    bounds = {"greater_than_equal": "at least", "greater_than": "greater than",
              "less_than_equal": "at most", "less_than": "less than"}
    if kind in bounds:
        limit = next(iter(ctx.values()))
        return f"{key}: must be {bounds[kind]} {limit:g} (got {got!r})"
    if kind == "finite_number":
        return f"{key}: must be a finite number (got {got!r})"
    if kind.startswith("int"):
        return f"{key}: must be a whole number (got {got!r})"
    return f"{key}: must be a number (got {got!r})"


class Scenario(BaseModel):
    """One immutable version of a named set of assumptions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=10_000)
    version: int | None = Field(default=None, ge=1)
    created_at: dt.datetime | None = None
    created_by: str = ""
    note: str = ""
    assumptions: Assumptions = Field(default_factory=Assumptions)

    @property
    def label(self) -> str:
        """``name@version`` (or the name alone for an unsaved scenario)."""
        return self.name if self.version is None else f"{self.name}@{self.version}"


# --- uploads and footnotes -----------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""C0 and C1 control characters: never part of a name, a source or a scope."""


class UploadMeta(BaseModel):
    """What every upload carries besides its rows; feeds the chart footnotes."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kind: Literal["metrics", "effort", "benchmarks", "ratings", "themes"]
    file_name: str = Field(min_length=1, max_length=500)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    source: str = Field(min_length=1, max_length=10_000)
    scope: str = Field(min_length=1, max_length=10_000)
    uploaded_by: str = Field(default="", max_length=10_000)
    demo: bool = False

    @field_validator("file_name", "source", "scope", "uploaded_by")
    @classmethod
    def _no_control_characters(cls, text: str) -> str:
        if _CONTROL.search(text):
            raise ValueError("contains a control character (a NUL, an escape or a line break)")
        return text

    @classmethod
    def checked(cls, **values: object) -> UploadMeta:
        """The metadata, or `CxroiError` with one plain sentence naming each bad field.

        >>> UploadMeta.checked(kind="metrics", file_name="q1.csv", sha256="0" * 64,
        ...                    source=" ", scope="NA")
        Traceback (most recent call last):
        ...
        cxroi.models.CxroiError: source: must not be empty
        """
        try:
            return cls(**values)
        except ValidationError as exc:
            raise CxroiError(plain_errors(exc)) from None


def plain_errors(exc: ValidationError) -> str:
    """pydantic's complaint as one sentence a person can act on ("scope: must not be empty")."""
    words = {
        "string_too_short": lambda ctx: "must not be empty",
        "missing": lambda ctx: "is required",
        "string_too_long": lambda ctx: f"is longer than {ctx.get('max_length'):,} characters",
        "string_pattern_mismatch": lambda ctx: "is not in the expected form",
        "literal_error": lambda ctx: f"must be {ctx.get('expected', 'one of the known values')}",
        "extra_forbidden": lambda ctx: "is not a known field",
        "value_error": lambda ctx: str(ctx.get("error", "is not valid")),
    }
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "value"
        say = words.get(error["type"], lambda ctx: "is not valid")
        parts.append(f"{field}: {say(error.get('ctx') or {})}")
    return "; ".join(parts)


def period_span(periods: Sequence[str]) -> str:
    """Sorted quarters as one phrase, the way every footnote and table says them.

    >>> period_span(["2025Q4", "2026Q1"]), period_span(["2026Q3"])
    ('2025Q4 to 2026Q1 (2 quarters)', '2026Q3 (1 quarter)')
    """
    first, last, count = periods[0], periods[-1], len(periods)
    span = first if first == last else f"{first} to {last}"
    return f"{span} ({count} quarter{'s' if count != 1 else ''})"


class Footnote(BaseModel):
    """Where a chart's numbers come from; built once, rendered the same on screen and in exports."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    segments_reported: int | None = None
    segments_total: int | None = None
    baseline: str | None = None
    scenario: str | None = None
    missing: tuple[str, ...] = ()
    demo: bool = False

    def text(self) -> str:
        """One plain-text paragraph (never markup): the chart's footnote.

        >>> Footnote(sources=("Zendesk",), periods=("2025Q4", "2026Q1"),
        ...          scenario="Baseline@1").text()
        'Source: Zendesk. Periods: 2025Q4 to 2026Q1 (2 quarters). Scenario: Baseline@1.'
        """
        parts = []
        if self.demo:
            parts.append("DEMO DATA (fictional company).")
        if self.sources:
            parts.append(f"Source: {'; '.join(self.sources)}.")
        if self.scopes:
            parts.append(f"Scope: {'; '.join(self.scopes)}.")
        if self.periods:
            parts.append(f"Periods: {period_span(self.periods)}.")
        if self.segments_reported is not None:
            total = f" of {self.segments_total}" if self.segments_total else ""
            parts.append(f"Segments reporting: {self.segments_reported}{total}.")
        if self.baseline:
            parts.append(f"Baseline: {self.baseline}.")
        if self.scenario:
            parts.append(f"Scenario: {self.scenario}.")
        if self.missing:
            parts.append(f"Missing: {', '.join(self.missing)} (so this is a lower bound).")
        return " ".join(parts)


# --- the drill-down: themes and action plans -----------------------------------------------

THEME_METRICS: tuple[str, ...] = (
    "service_contacts", "refunds_credits", "returns", "escalations", "customers_lost",
    "detractors", "deals_delayed", "frontline_leavers")
"""The iceberg inputs a theme's ``count`` may be of (docs/design.md, kind ``themes``)."""

DEFAULT_THEME_METRIC = "service_contacts"

PLAN_STATUSES: tuple[str, ...] = ("planned", "in_progress", "done", "dropped")
"""An action plan's status; ``planned`` and ``in_progress`` plans can be overdue."""

PLAN_FIELDS: tuple[str, ...] = (
    "theme", "root_cause", "action", "owner", "due", "status", "investment", "running_cost",
    "expected_reduction", "indicator", "indicator_target", "note")
"""The fields of an action plan a person writes (id, version, created_at/by are given)."""

_LINE_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
"""Control characters other than a line break: never part of a plan's text."""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PlanFields(BaseModel):
    """What a person writes of an action plan (one version), checked before anything is stored.

    >>> PlanFields.checked(theme="Late delivery", root_cause="No carrier SLA",
    ...                    action="Renegotiate", owner="Dana", due="2027-03-31").status
    'planned'
    >>> PlanFields.checked(theme="Late delivery", root_cause="x", action="y", owner="z",
    ...                    due="next week")
    Traceback (most recent call last):
    ...
    cxroi.models.CxroiError: due: must be a date written YYYY-MM-DD (got 'next week').
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    theme: str = Field(min_length=1, max_length=500)
    root_cause: str = Field(min_length=1, max_length=10_000)
    action: str = Field(min_length=1, max_length=10_000)
    owner: str = Field(min_length=1, max_length=500)
    due: dt.date
    status: Literal["planned", "in_progress", "done", "dropped"] = "planned"
    investment: float = Field(default=0.0, ge=0, le=1e12, allow_inf_nan=False)
    running_cost: float = Field(default=0.0, ge=0, le=1e12, allow_inf_nan=False)
    expected_reduction: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    indicator: str | None = Field(default=None, max_length=500)
    indicator_target: float | None = Field(default=None, ge=0, le=1e12, allow_inf_nan=False)
    note: str = Field(default="", max_length=10_000)

    @field_validator("due", mode="before")
    @classmethod
    def _a_day(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            if _DATE.match(text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        raise ValueError(f"must be a date written YYYY-MM-DD (got {text!r})")

    @field_validator("indicator", mode="before")
    @classmethod
    def _a_metric(cls, value: object) -> object:
        if value is None:
            return None
        text = str(value).strip().lower()
        return text or None

    @field_validator("theme", "owner", "indicator")
    @classmethod
    def _one_line(cls, text: str | None) -> str | None:
        if text is not None and _CONTROL.search(text):
            raise ValueError("contains a control character (a NUL, an escape or a line break)")
        return text

    @field_validator("root_cause", "action", "note")
    @classmethod
    def _text(cls, text: str) -> str:
        if _LINE_CONTROL.search(text):
            raise ValueError("contains a control character (a NUL, a tab or an escape)")
        return text

    @classmethod
    def checked(cls, **values: object) -> PlanFields:
        """The fields, or `CxroiError` with one plain sentence naming each bad field."""
        try:
            return cls(**values)
        except ValidationError as exc:
            raise CxroiError(_plan_errors(exc)) from None


def _plan_errors(exc: ValidationError) -> str:
    """A plan's problems as one sentence: the field, what is wrong, what was given."""
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "value"
        kind, ctx, got = error["type"], error.get("ctx") or {}, error.get("input")
        if kind == "value_error":
            say = str(ctx.get("error", "is not valid"))
        elif kind == "literal_error":
            say = f"must be one of {', '.join(PLAN_STATUSES)} (got {got!r})"
        elif kind in ("greater_than_equal", "less_than_equal") and field == "expected_reduction":
            say = f"must be a share between 0 and 1 (got {got!r})"
        elif kind == "greater_than_equal":
            say = f"must be 0 or more (got {got!r})"
        elif kind == "less_than_equal":
            say = f"must be at most {ctx.get('le'):g} (got {got!r})"
        elif kind == "string_too_short":
            say = "must not be empty"
        elif kind == "string_too_long":
            say = f"is longer than {ctx.get('max_length'):,} characters"
        elif kind == "missing":
            say = "is required"
        elif kind == "extra_forbidden":
            say = "is not a field of an action plan"
        elif kind in ("finite_number", "float_parsing", "float_type"):
            say = f"must be a number (got {got!r})"
        else:
            say = "is not valid"
        parts.append(f"{field}: {say}")
    return "; ".join(parts) + "."
