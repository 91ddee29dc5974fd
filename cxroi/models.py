"""The vocabulary of cxroi: periods, metrics, assumptions, scenarios and footnotes.

Everything that comes from outside (upload rows, assumption files, CLI flags) is checked
against the models and rules here; everything inside trusts them.

Conventions used throughout the package:

* ratios are decimals (0.20 = 20%); money is in the dataset's one currency;
* periods are calendar quarters in the canonical form ``2026Q3``;
* costs are positive numbers, and so are savings.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

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


class UploadMeta(BaseModel):
    """What every upload carries besides its rows; feeds the chart footnotes."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kind: Literal["metrics", "effort", "benchmarks"]
    file_name: str = Field(min_length=1, max_length=500)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    source: str = Field(min_length=1, max_length=10_000)
    scope: str = Field(min_length=1, max_length=10_000)
    uploaded_by: str = Field(default="", max_length=10_000)
    demo: bool = False


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
            first, last = self.periods[0], self.periods[-1]
            span = first if first == last else f"{first} to {last}"
            count = len(self.periods)
            parts.append(f"Periods: {span} ({count} quarter{'s' if count != 1 else ''}).")
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


# --- upload rows (the per-row schema; bulk validation in ingest.py follows the same rules) ---
#
# The cell rules below judge one cell. Each takes the cell's trimmed, non-empty text (or, from a
# workbook, its date/number) and returns the canonical value or raises `CxroiError` whose message
# is what the upload report prints after "row N, column C: ". An empty cell is "is empty" for a
# required column and "not given" for an optional one.
#
# ingest.py applies these same functions to the *unique* values of each column (a file of a
# million rows has a few dozen distinct periods), and parses numbers in bulk with the same
# regular expressions (the NUMBER_* patterns). The row models are the readable per-row reference
# and the baseline that the bulk path is measured and tested against.

from pydantic import model_validator  # noqa: E402  (this section's only extra import)

NAME_MAX_LENGTH = 10_000
"""At most this many characters in a segment, department or metric name."""
SOURCE_MAX_LENGTH = 10_000
TRUE_WORDS: tuple[str, ...] = ("true", "yes", "y", "1")
FALSE_WORDS: tuple[str, ...] = ("false", "no", "n", "0")
NUMBER_BLANKS = " \t\r\n\u00a0\u2007\u2009\u202f"
"""The characters trimmed from a number cell (spaces, tabs, line ends, non-breaking spaces)."""
NUMBER_PLAIN = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
"""A number as a machine writes it: ``1234.5``, ``.5``, ``1e6``."""
NUMBER_COMMA_GROUPED = r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]*)?"
"""Comma thousands separators in groups of three: ``12,500``, ``1,234.50`` (``,``/tab files)."""
NUMBER_DOT_AMBIGUOUS = r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}"
"""In a ``;`` file, ``1.500`` could be 1500 or 1.5: refused rather than guessed."""
NUMBER_DOT_GROUPED = r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]*)?"
"""Dot thousands separators in a ``;`` file: ``61.250,00``, ``1.234.567``."""
NUMBER_SPACE_GROUPED = "[+-]?[1-9][0-9]{0,2}(?:[ \u00a0\u2009\u202f][0-9]{3})+(?:,[0-9]*)?"
"""Space thousands separators in a ``;`` file: ``61 250,00``."""
NUMBER_GROUP_SPACES = "[ \u00a0\u2009\u202f]"
CURRENCY_PREFIX = "^([+-]?)[ \u00a0]*[$€£][ \u00a0]*"
CURRENCY_SUFFIX = "[ \u00a0]*[$€£]$"
NON_FINITE_WORDS: frozenset[str] = frozenset(
    sign + word for sign in ("", "+", "-") for word in ("inf", "infinity", "nan"))


def parse_number(value: object, *, decimal_comma: bool = False) -> tuple[float, bool]:
    """A number cell's value, and whether it was written as a percentage.

    Accepts ``1234.5``, ``$1,234.50``, ``12%`` (12, a percentage) and, with ``decimal_comma``
    (``;``-separated files), ``61250,00``, ``61.250,00``, ``4,2%``. In a ``;`` file a lone
    ``.`` is a decimal point (``4.2``) unless the number reads equally well as thousands
    (``1.500``): that is refused as ambiguous rather than guessed.

    >>> parse_number("$1,234.50")
    (1234.5, False)
    >>> parse_number("4,2%", decimal_comma=True)
    (4.2, True)
    >>> parse_number("n/a")
    Traceback (most recent call last):
    ...
    cxroi.models.CxroiError: must be a number (got 'n/a')
    """
    if isinstance(value, bool):
        raise CxroiError(f"must be a number (got {value!r})")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise CxroiError(f"must be a finite number (got {value!r})")
        return float(value) + 0.0, False
    text = str(value).strip(NUMBER_BLANKS)
    if not text:
        raise CxroiError("is empty")
    percent = text.endswith("%")
    body = text[:-1].rstrip(NUMBER_BLANKS) if percent else text
    body = re.sub(CURRENCY_SUFFIX, "", re.sub(CURRENCY_PREFIX, r"\1", body))
    if body.lower() in NON_FINITE_WORDS:
        raise CxroiError(f"must be a finite number (got {text!r})")
    if decimal_comma:
        if re.fullmatch(NUMBER_DOT_AMBIGUOUS, body):
            whole, _, decimals = body.partition(".")
            raise CxroiError(
                f"is ambiguous in a ;-separated file ({text!r} could be {whole}{decimals} or "
                f"{whole}.{decimals}): write {whole}{decimals} or {whole},{decimals}")
        if re.fullmatch(NUMBER_DOT_GROUPED, body):
            body = body.replace(".", "")
        elif re.fullmatch(NUMBER_SPACE_GROUPED, body):
            body = re.sub(NUMBER_GROUP_SPACES, "", body)
        body = body.replace(",", ".")
    elif re.fullmatch(NUMBER_COMMA_GROUPED, body):
        body = body.replace(",", "")
    if not re.fullmatch(NUMBER_PLAIN, body):
        raise CxroiError(f"must be a number (got {text!r})")
    number = float(body)
    if not math.isfinite(number):
        raise CxroiError(f"must be a finite number (got {text!r})")
    return number + 0.0, percent


def parse_amount(value: object, *, decimal_comma: bool = False) -> float:
    """A number cell that must not be a percentage (hours, budget).

    >>> parse_amount("$28,000")
    28000.0
    """
    number, percent = parse_number(value, decimal_comma=decimal_comma)
    if percent:
        raise CxroiError(f"must be a plain number, not a percentage (got {str(value).strip()!r})")
    return number


def parse_name(value: object, max_length: int = NAME_MAX_LENGTH) -> str:
    """A segment or department name: trimmed, otherwise kept exactly as written."""
    text = str(value).strip()
    if not text:
        raise CxroiError("is empty")
    if len(text) > max_length:
        raise CxroiError(f"is too long ({len(text)} characters; at most {max_length})")
    return text


def parse_metric(value: object) -> str:
    """A metric name: trimmed and lower-cased (metric names are case-insensitive).

    >>> parse_metric(" Service_Contacts ")
    'service_contacts'
    """
    return parse_name(value).lower()


def parse_source(value: object) -> str:
    """A benchmark's source: trimmed text."""
    return parse_name(value, SOURCE_MAX_LENGTH)


def parse_unit(value: object) -> str:
    """One of `UNITS`, case-insensitive.

    >>> parse_unit("Percent")
    'percent'
    """
    text = str(value).strip()
    if text.lower() in UNITS:
        return text.lower()
    raise CxroiError(f"{text!r} is not a unit (use {', '.join(UNITS[:-1])} or {UNITS[-1]})")


def parse_flag(value: object) -> bool:
    """A yes/no cell: true/false, yes/no, y/n, 1/0 (any case).

    >>> parse_flag("Yes"), parse_flag("0")
    (True, False)
    """
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CxroiError(f"must be true or false (or yes/no, y/n, 1/0) (got {text!r})")


_TIER_WORDS: dict[str, str] = {
    **{tier.lower(): tier for tier in TIERS},
    **{name.lower(): tier for tier, name in TIER_NAMES.items()},
}


def parse_tier(value: object) -> str:
    """TM, EM or EL, abbreviated or spelled out, any case.

    >>> parse_tier("experience leadership"), parse_tier("tm")
    ('EL', 'TM')
    """
    text = str(value).strip()
    tier = _TIER_WORDS.get(" ".join(re.split(r"[\s_-]+", text.lower())))
    if tier is None:
        names = ", ".join(TIER_NAMES.values())
        raise CxroiError(f"must be TM, EM or EL (or {names}) (got {text!r})")
    return tier


def parse_loop(value: object) -> str:
    """``inner`` or ``outer`` (any case; ``inner loop`` too)."""
    text = str(value).strip()
    word = text.lower().removesuffix("loop").strip()
    if word in LOOPS:
        return word
    raise CxroiError(f"must be inner or outer, or left empty (got {text!r})")


def parse_benchmark_kind(value: object) -> str:
    """``industry`` or ``target`` (any case)."""
    text = str(value).strip()
    if text.lower() in BENCHMARK_KINDS:
        return text.lower()
    raise CxroiError(f"must be industry or target, or left empty (got {text!r})")


_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?: ?[AaPp][Mm])?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
_DATE_YMD = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})" + _TIME)
_DATE_DOTTED = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})" + _TIME)
_DATE_SLASHED = re.compile(r"([0-9]{1,2})[/-]([0-9]{1,2})[/-]([0-9]{4})" + _TIME)
_DATE_DAY_MONTH = re.compile(r"([0-9]{1,2})[ -]([A-Za-z]+)\.?[ -,]*([0-9]{4})" + _TIME)
_DATE_MONTH_DAY = re.compile(r"([A-Za-z]+)\.? ([0-9]{1,2}),? ([0-9]{4})" + _TIME)


def parse_date(value: object) -> str:
    """A day as ISO text ``YYYY-MM-DD``.

    Accepts ISO dates (``2025-12-31``, ``2025/12/31``, with or without a time), Excel dates,
    ``31.12.2025`` (day first), ``31/12/2025`` and ``12/31/2025`` (whichever reading is the
    only possible one; ``03/04/2025`` is refused as ambiguous), and English month names
    (``31 Dec 2025``, ``December 31, 2025``).

    >>> parse_date("31/12/2025"), parse_date("Dec 31, 2025")
    ('2025-12-31', '2025-12-31')
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    year = month = day = None
    if m := _DATE_YMD.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DATE_DOTTED.fullmatch(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _DATE_SLASHED.fullmatch(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if first > 12 or first == second:
            day, month = first, second
        elif second > 12:
            month, day = first, second
        else:
            raise CxroiError(
                f"{text!r} is ambiguous (day {first} of month {second}, or day {second} of "
                f"month {first}?): write it as YYYY-MM-DD")
    elif (m := _DATE_DAY_MONTH.fullmatch(text)) and m[2].lower() in _MONTHS:
        day, month, year = int(m[1]), _MONTHS[m[2].lower()], int(m[3])
    elif (m := _DATE_MONTH_DAY.fullmatch(text)) and m[1].lower() in _MONTHS:
        month, day, year = _MONTHS[m[1].lower()], int(m[2]), int(m[3])
    if year is None:
        raise CxroiError(f"{text!r} is not a date (write it like 2025-12-31)")
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise CxroiError(f"{text!r} is not a valid date") from None


def check_unit(metric: str, unit: str | None, percent: bool) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The unit a metric row ends up with, and the (column, message) problems of the rule.

    A canonical metric has its own unit (a given unit must be it) and is never a percentage;
    another metric needs a unit, which a value written as ``12%`` supplies (``percent``).

    >>> check_unit("customers", None, False)
    ('count', ())
    >>> check_unit("nps", "count", True)
    (None, (('value', 'is a percentage, but the unit is count'),))
    """
    canonical = CANONICAL_METRICS.get(metric)
    problems: list[tuple[str, str]] = []
    if canonical is not None:
        if unit is not None and unit != canonical.unit:
            problems.append(("unit", f"{metric} is measured in {canonical.unit}, not {unit}"))
        if percent:
            problems.append(("value", f"is a percentage, but {metric} is measured in {canonical.unit}"))
        return (None if problems else canonical.unit), tuple(problems)
    if percent:
        if unit not in (None, "percent"):
            return None, (("value", f"is a percentage, but the unit is {unit}"),)
        return "percent", ()
    if unit is None:
        return None, (("unit", "is empty; a metric that is not canonical needs a unit "
                               "(count, percent, money or hours)"),)
    return unit, ()


def default_higher_is_better(metric: str) -> bool:
    """The direction of a metric when the upload does not say: canonical default, else False."""
    canonical = CANONICAL_METRICS.get(metric)
    return canonical.higher_is_better if canonical is not None else False


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
    column, as the bulk path in ingest.py does."""

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
