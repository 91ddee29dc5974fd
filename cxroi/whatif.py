"""Finance's what-if, as plain data: assumptions as typed, checks, changes, comparisons.

The Assumptions and Scenarios pages read widgets, call these functions and render what
comes back, so no page does arithmetic. Nothing here imports streamlit or touches the
database; the math itself lives in `cxroi.roi` and `cxroi.sensitivity`.

==========================  ==============================================================
name                        what it gives
==========================  ==============================================================
`GROUPS`                    the assumptions in the order the page shows them, by theme
`shown` / `stored`          an assumption as typed (ratios in percent) and as stored
`show`                      an assumption's value as text ("60%", "$8", "3 h")
`apply_edits`               typed values -> the valid `Assumptions` and a `Check` per key
`changes`                   the assumptions that differ between two sets
`effect`                    what an edit does to the iceberg total and prevention's NPV
`history`                   every version of a scenario, with what changed from the last
`compare`                   two or three scenarios side by side; `Difference` per line
`sensitivity_for`           `sensitivity.sensitivity` and `break_even_gain` for a report
`scenario_json`             a scenario file; `read_scenario_file` reads one back
==========================  ==============================================================
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cxroi import roi, sensitivity, wording
from cxroi.format import money, percent
from cxroi.models import (
    AssumptionInfo,
    Assumptions,
    CxroiError,
    Footnote,
    Scenario,
    assumption_info,
    parse_assumptions,
)

if TYPE_CHECKING:
    from cxroi.report import Report

__all__ = [
    "GROUPS",
    "INFO",
    "MAX_SCENARIO_FILE_BYTES",
    "Check",
    "Edit",
    "Change",
    "Effect",
    "Version",
    "Comparison",
    "Difference",
    "WhatIf",
    "shown",
    "stored",
    "show",
    "signed_money",
    "unit_label",
    "range_text",
    "input_step",
    "input_format",
    "apply_edits",
    "changes",
    "changes_text",
    "effect",
    "history",
    "compare",
    "sensitivity_for",
    "break_even_text",
    "scenario_json",
    "read_scenario_file",
]

INFO: dict[str, AssumptionInfo] = {info.key: info for info in assumption_info()}
"""Every assumption's label, unit, range and note, by key."""

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Visible costs: the tip finance already sees", ("cost_per_contact", "cost_per_return")),
    ("Hidden costs: below the waterline", (
        "hours_per_escalation", "manager_hourly_cost", "annual_revenue_per_customer",
        "gross_margin", "expected_lifetime_years", "acquisition_cost_per_customer",
        "attributable_churn_share", "prospects_lost_per_detractor", "delay_cost_per_deal",
        "replacement_cost_per_employee")),
    ("Prevention: the business case", (
        "right_first_time_gain", "benefit_risk_haircut", "prevention_investment",
        "prevention_running_cost", "discount_rate", "horizon_years")),
    ("Effort targets", ("el_target_share", "outer_loop_target_share")),
    ("Revenue at risk: exposure, never added to the cost", roi.REVENUE_AT_RISK_KEYS),
)
"""Every assumption exactly once, grouped the way finance reads the iceberg."""

MAX_SCENARIO_FILE_BYTES = 100_000
"""A scenario file is a few hundred bytes; anything this big is not one."""


# --- one assumption, as typed and as shown -------------------------------------------------


def shown(info: AssumptionInfo, value: float) -> float | int:
    """The value as the input shows it: ratios in percent (0.6 -> 60.0), whole years as int."""
    if info.integer:
        return int(value)
    return round(float(value) * 100.0, 10) if info.is_ratio else float(value)


def stored(info: AssumptionInfo, typed: float) -> float | int:
    """The typed value as `Assumptions` stores it: percent back to a decimal (60 -> 0.6)."""
    if info.integer and float(typed).is_integer():
        return int(typed)
    return float(typed) / 100.0 if info.is_ratio else float(typed)


def _number(value: float) -> str:
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def show(info: AssumptionInfo, value: float) -> str:
    """An assumption's value in its unit, for tables and messages.

    >>> show(INFO["gross_margin"], 0.6), show(INFO["cost_per_contact"], 7.5)
    ('60%', '$7.50')
    >>> show(INFO["prevention_running_cost"], 50_000), show(INFO["horizon_years"], 3)
    ('$50,000/year', '3 years')
    """
    unit = info.unit
    if info.is_ratio:
        return f"{_number(value * 100.0)}%"
    if unit.startswith("money"):
        amount = f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"
        return amount + {"money/hour": "/hour", "money/year": "/year"}.get(unit, "")
    if unit == "hours":
        return f"{_number(value)} h"
    if unit == "years":
        return f"{_number(value)} year{'' if value == 1 else 's'}"
    return _number(value)


def signed_money(amount: float) -> str:
    """A change of money with its sign, short: '+$1.2M', '-$12k', '$0'.

    >>> signed_money(1_234_567), signed_money(-12_345), signed_money(0)
    ('+$1.2M', '-$12k', '$0')
    """
    return money(amount) if amount <= 0 else "+" + money(amount)


def unit_label(info: AssumptionInfo) -> str:
    """What the input is typed in: '%', '$', '$ per hour', 'hours', 'years', 'customers'."""
    return {"ratio": "%", "money": "$", "money/hour": "$ per hour", "money/year": "$ per year",
            "hours": "hours", "years": "years"}.get(info.unit, info.unit)


def _exclusive_minimum(key: str) -> bool:
    return any(getattr(rule, "gt", None) is not None
               for rule in Assumptions.model_fields[key].metadata)


def _limits_text(info: AssumptionInfo) -> str:
    low = f"more than {show(info, info.minimum)}" if _exclusive_minimum(info.key) \
        else f"at least {show(info, info.minimum)}"
    if info.maximum is None:
        return low
    whole = "a whole number, " if info.integer else ""
    return f"{whole}{low} and at most {show(info, info.maximum)}"


def range_text(info: AssumptionInfo) -> str:
    """The guidance under an input: plausible range, hard limits and default.

    >>> range_text(INFO["gross_margin"])
    'Plausible 30% to 80%; allowed at least 0% and at most 100%; default 60% (illustrative).'
    """
    plausible = (f"Plausible {show(info, info.low)} to {show(info, info.high)}; "
                 if info.low is not None and info.high is not None else "No plausible range; ")
    return (f"{plausible}allowed {_limits_text(info)}; default {show(info, info.default)} "
            "(illustrative).")


def input_step(info: AssumptionInfo) -> float | int:
    """The +/- step of an input: about a twentieth of the plausible range, in typed units."""
    if info.integer:
        return 1
    if info.low is None or info.high is None:
        return 1.0 if info.is_ratio else 0.01
    span = (float(shown(info, info.high)) - float(shown(info, info.low))) / 20.0
    magnitude = 10.0 ** math.floor(math.log10(span))
    return next(m * magnitude for m in (1.0, 2.0, 5.0, 10.0) if m * magnitude >= span * 0.99)


def input_format(info: AssumptionInfo) -> str:
    """The printf format of an input: whole numbers for big money and years, else decimals."""
    if info.integer:
        return "%d"
    if info.unit.startswith("money") and (info.high or 0) >= 1000:
        return "%.0f"
    return "%.1f" if info.is_ratio or info.unit in ("hours", "years") else "%.2f"


# --- an edit: typed values -> valid assumptions --------------------------------------------


@dataclass(frozen=True)
class Check:
    """What the page says under one input: ``ok``, ``warning`` (applied) or ``error`` (not)."""

    key: str
    level: str
    message: str


@dataclass(frozen=True)
class Edit:
    """The typed values, checked: the valid assumptions and a check per key."""

    assumptions: Assumptions
    """The saved assumptions with every valid typed value applied; refused ones keep theirs."""
    checks: Mapping[str, Check]

    @property
    def refused(self) -> tuple[str, ...]:
        """Keys whose typed value is empty or outside the hard limits (not applied)."""
        return tuple(key for key, check in self.checks.items() if check.level == "error")

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(key for key, check in self.checks.items() if check.level == "warning")


def _check(info: AssumptionInfo, typed: float | None) -> tuple[Check, float | int | None]:
    if typed is None or (isinstance(typed, float) and not math.isfinite(typed)):
        return Check(info.key, "error", "Enter a value: an empty field is not applied."), None
    value = stored(info, typed)
    try:
        parse_assumptions({info.key: value})  # the model's own rules, so UI and model agree
    except CxroiError:
        return Check(info.key, "error",
                     f"Not applied: must be {_limits_text(info)} (got {show(info, value)})."), None
    if info.low is not None and info.high is not None and not info.low <= value <= info.high:
        return Check(info.key, "warning",
                     f"Outside the plausible range {show(info, info.low)} to "
                     f"{show(info, info.high)}: applied, but be ready to defend it."), value
    return Check(info.key, "ok", ""), value


def apply_edits(base: Assumptions, typed: Mapping[str, float | int | None]) -> Edit:
    """Check typed values (ratios in percent) and apply the valid ones to ``base``.

    A key not in ``typed`` keeps its value; an empty value or one outside the hard limits is
    refused and keeps ``base``'s value too. A typed value equal to ``base``'s as shown keeps
    ``base``'s exact value, so an untouched form is never an edit.

    >>> edit = apply_edits(Assumptions(), {"gross_margin": 55.0, "cost_per_contact": -1.0})
    >>> edit.assumptions.gross_margin, edit.assumptions.cost_per_contact, edit.refused
    (0.55, 8.0, ('cost_per_contact',))
    """
    values = base.model_dump()
    checks = {}
    for key, info in INFO.items():
        if key not in typed:
            checks[key] = Check(key, "ok", "")
            continue
        checks[key], value = _check(info, typed[key])
        if value is not None and typed[key] != shown(info, values[key]):
            values[key] = value
    return Edit(Assumptions.model_validate(values), checks)


# --- what changed --------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One assumption that differs between two sets, with both values as text."""

    key: str
    label: str
    before: float
    after: float
    before_text: str
    after_text: str


def changes(before: Assumptions, after: Assumptions) -> tuple[Change, ...]:
    """The assumptions whose values differ, in the model's order.

    >>> [c.after_text for c in changes(Assumptions(), Assumptions(gross_margin=0.5))]
    ['50%']
    """
    out = []
    for key, info in INFO.items():
        old, new = getattr(before, key), getattr(after, key)
        if old != new:
            out.append(Change(key, info.label, old, new, show(info, old), show(info, new)))
    return tuple(out)


def changes_text(found: Sequence[Change]) -> str:
    """'Gross margin 60% → 50%; Horizon 3 years → 4 years', or 'no change'."""
    return "; ".join(f"{c.label} {c.before_text} → {c.after_text}" for c in found) \
        or "no change"


@dataclass(frozen=True)
class Effect:
    """What an edit does to the two headline figures: before (saved) and after (edited)."""

    period: str | None
    """The latest iceberg's quarter."""
    total_before: float
    total_after: float
    npv_before: float
    npv_after: float

    @property
    def total_change(self) -> float:
        return self.total_after - self.total_before

    @property
    def npv_change(self) -> float:
        return self.npv_after - self.npv_before


def effect(before: Report, after: Report) -> Effect:
    """The latest iceberg total and prevention NPV of two reports on the same data."""
    old, new = before.latest_iceberg, after.latest_iceberg
    return Effect(
        period=new.period if new else None,
        total_before=old.total if old else 0.0,
        total_after=new.total if new else 0.0,
        npv_before=before.melt.npv,
        npv_after=after.melt.npv,
    )


@dataclass(frozen=True)
class Version:
    """One saved version of a scenario and what changed from the version before it."""

    scenario: Scenario
    changes: tuple[Change, ...]
    """Against the previous version; for the first version, against the defaults."""

    @property
    def first(self) -> bool:
        return self.scenario.version == 1


def history(scenarios: Sequence[Scenario], name: str) -> tuple[Version, ...]:
    """Every saved version of scenario ``name``, newest first, each with its changes."""
    mine = sorted((s for s in scenarios if s.name == name and s.version is not None),
                  key=lambda s: s.version)
    out, previous = [], Assumptions()
    for scenario in mine:
        out.append(Version(scenario, changes(previous, scenario.assumptions)))
        previous = scenario.assumptions
    return tuple(reversed(out))


# --- comparing scenarios -------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One scenario against the reference: the latest iceberg's lines, and the NPV."""

    reference: str
    other: str
    period: str | None
    lines: tuple[tuple[str, float], ...]
    """(line label, other's amount - reference's amount), in the iceberg's order."""
    total: float
    npv: float


@dataclass(frozen=True)
class Comparison:
    """Two or three scenarios side by side (the first is the reference)."""

    labels: tuple[str, ...]
    assumptions: tuple[dict[str, object], ...]
    """Per assumption: its label, unit, each scenario's value as text, and ``Differs``."""
    outcomes: tuple[dict[str, object], ...]
    """Per figure (iceberg total, annual cost, NPV, ROI, payback): each scenario's value and
    its difference from the reference ("Difference"; with three, "B minus A", "C minus A")."""
    differences: tuple[Difference, ...]


def compare(reports: Sequence[Report]) -> Comparison:
    """Two or three reports on the same data under different scenarios, side by side."""
    if not 2 <= len(reports) <= 3:
        raise CxroiError("Compare two or three scenarios.")
    labels = tuple(r.scenario.label for r in reports)
    rows = []
    for key, info in INFO.items():
        values = [getattr(r.scenario.assumptions, key) for r in reports]
        row: dict[str, object] = {"Assumption": info.label, "Unit": unit_label(info)}
        row.update({label: show(info, v) for label, v in zip(labels, values)})
        row["Differs"] = len(set(values)) > 1
        rows.append(row)
    latest = reports[0].latest_iceberg
    period = latest.period if latest else "no data"
    figures = (  # (name, the figure, how it reads, how a difference of it reads)
        (f"Cost of poor experience, {period}",
         lambda r: r.latest_iceberg.total if r.latest_iceberg else 0.0, money, signed_money),
        ("Annual cost (last four quarters)", lambda r: r.melt.annual_cost, money, signed_money),
        ("Prevention NPV", lambda r: r.melt.npv, money, signed_money),
        ("Prevention ROI", lambda r: r.melt.roi, percent, _points),
        ("Payback", lambda r: r.melt.payback_months, wording.payback, _months),
    )
    outcomes = []
    for name, get, shown_as, change in figures:
        values = [get(r) for r in reports]
        row: dict[str, object] = {"Figure": name}
        row.update({lb: shown_as(v) for lb, v in zip(labels, values)})
        for label, value in zip(labels[1:], values[1:]):
            column = "Difference" if len(labels) == 2 else f"{label} minus {labels[0]}"
            row[column] = ("n/a" if value is None or values[0] is None
                           else change(value - values[0]))
        outcomes.append(row)
    outcomes = tuple(outcomes)
    return Comparison(labels, tuple(rows), outcomes,
                      tuple(_difference(reports[0], other) for other in reports[1:]))


def _points(change: float) -> str:
    """A change of a ratio in percentage points: '+12.5 points', 'no change'."""
    return "no change" if change == 0 else f"{change * 100:+,.1f} points"


def _months(change: float) -> str:
    """A change of payback: '+0.3 months', 'no change'."""
    return "no change" if change == 0 else f"{change:+,.1f} months"


def _difference(reference: Report, other: Report) -> Difference:
    amounts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for side, report in enumerate((reference, other)):
        berg = report.latest_iceberg
        for line in berg.lines if berg else ():
            amounts[line.label][side] = line.amount
    latest = other.latest_iceberg or reference.latest_iceberg
    lines = tuple((spec.label, amounts[spec.label][1] - amounts[spec.label][0])
                  for spec in roi.ICEBERG_LINES if spec.label in amounts)
    return Difference(
        reference=reference.scenario.label,
        other=other.scenario.label,
        period=latest.period if latest else None,
        lines=lines,
        total=math.fsum(delta for _, delta in lines),
        npv=other.melt.npv - reference.melt.npv,
    )


# --- sensitivity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    """A report's sensitivity, break-even gain and the footnotes of its two tornadoes."""

    sensitivity: sensitivity.Sensitivity
    break_even: float | None
    iceberg_footnote: Footnote
    npv_footnote: Footnote


def sensitivity_for(report: Report) -> WhatIf:
    """`sensitivity.sensitivity` and `break_even_gain` on a report's data and scenario."""
    by_period: dict[str, dict[str, float]] = defaultdict(dict)
    for record in report.dataset.metrics:
        by_period[record.period][record.metric] = record.value
    assumptions = report.scenario.assumptions
    result = sensitivity.sensitivity(sorted(by_period.items()), assumptions)
    iceberg_note = report.footnote("iceberg").model_copy(
        update={"periods": result.iceberg_total.periods})
    return WhatIf(result, sensitivity.break_even_gain(report.melt.annual_cost, assumptions),
                  iceberg_note, report.footnote("melt"))


def break_even_text(gain: float | None, assumed: float) -> str:
    """One sentence on the break-even right-first-time gain against the assumed one.

    >>> break_even_text(0.15, 0.20)
    'Prevention breaks even if it removes 15.0% of issue-driven volume; you assume 20.0%, 5.0 points above it.'
    >>> break_even_text(1.6, 0.20)
    'Prevention cannot break even: it would have to remove 160.0% of issue-driven volume, more than all of it.'
    """
    if gain is None:
        return ("No gain breaks even: there is no annual cost of poor experience to remove "
                "(or the risk haircut takes all of the benefit).")
    if gain > 1:
        return (f"Prevention cannot break even: it would have to remove {gain:.1%} of "
                "issue-driven volume, more than all of it.")
    gap = (assumed - gain) * 100.0
    side = f"{abs(gap):.1f} points {'above' if gap >= 0 else 'below'} it"
    return (f"Prevention breaks even if it removes {gain:.1%} of issue-driven volume; you "
            f"assume {assumed:.1%}, {side}.")


# --- scenario files ------------------------------------------------------------------------


def scenario_json(assumptions: Assumptions) -> str:
    """A scenario file: every assumption by key, the format ``--assumptions`` reads."""
    return json.dumps(assumptions.model_dump(), indent=2) + "\n"


def read_scenario_file(data: bytes, name: str = "the file") -> Assumptions:
    """Read a scenario file: a partial JSON object; unknown keys and bad values refused.

    >>> read_scenario_file(b'{"gross_margin": 0.5}').gross_margin
    0.5
    >>> read_scenario_file(b'{"gross_margin": 5}')
    Traceback (most recent call last):
    ...
    cxroi.models.CxroiError: gross_margin: must be at most 1 (got 5)
    """
    if len(data) > MAX_SCENARIO_FILE_BYTES:
        raise CxroiError(f"{name} is too large to be a scenario file "
                         f"(limit {MAX_SCENARIO_FILE_BYTES // 1000} KB).")
    if _depth(data) > 2:
        raise CxroiError(f"{name} is not a scenario file: it nests objects or lists, and a "
                         "scenario is one flat object of key: number pairs.")
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CxroiError(f"{name} is not valid JSON (it is not UTF-8 text).") from None
    except json.JSONDecodeError as exc:
        raise CxroiError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                         f"{exc.msg.lower()}).") from None
    return parse_assumptions(parsed)


def _depth(data: bytes) -> int:
    """How deeply brackets nest, strings aside: read before parsing, so a hostile file of ten
    thousand ``[`` never reaches the parser's recursion."""
    deepest = depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            escaped, in_string = (False, True) if escaped else (byte == 0x5C, byte != 0x22)
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest
