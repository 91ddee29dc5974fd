"""The columns of each upload kind: the one place the per-column rules are declared.

Reading (which header is the kind's), validation (which rule judges a cell, what is required,
what a duplicate is) and the templates (header, example, notes) all take them from here.

>>> [c.name for c in COLUMNS["effort"] if c.required]
['period', 'department', 'tier', 'hours']
>>> columns_of("assumptions")
Traceback (most recent call last):
...
cxroi.models.CxroiError: unknown upload kind 'assumptions' (use metrics, effort, benchmarks, ratings, themes)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cxroi.ingest.cells import (
    parse_benchmark_kind,
    parse_date,
    parse_flag,
    parse_loop,
    parse_metric,
    parse_name,
    parse_source,
    parse_theme_metric,
    parse_tier,
    parse_unit,
)
from cxroi.models import (
    CANONICAL_METRICS,
    DEFAULT_THEME_METRIC,
    THEME_METRICS,
    CxroiError,
    parse_period,
)

__all__ = ["KINDS", "Column", "COLUMNS", "COLUMNS_BY_NAME", "DUPLICATE_KEYS", "columns_of",
           "header_columns", "RATINGS_WIDE_KEYS"]

KINDS: tuple[str, ...] = ("metrics", "effort", "benchmarks", "ratings", "themes")


@dataclass(frozen=True)
class Column:
    """One column of an upload kind.

    ``rule`` is the cell rule of a text column (trimmed, non-empty text in; canonical value
    out, or `CxroiError` saying what is wrong); it is None for a number column, which is parsed
    by ``parse_number`` (``percent``: whether ``12%`` is allowed). An empty cell is a problem
    in a ``required`` column and "not given" in an optional one, where it takes ``default``
    when there is one (else it stays empty: None or NaN in the rows).
    """

    name: str
    required: bool
    note: str
    example: str
    rule: Callable[[Any], Any] | None = None
    percent: bool = False
    default: Any = None
    signed: bool = False
    """A number column whose values may be negative (a survey score on a -3..3 scale)."""

    @property
    def is_number(self) -> bool:
        return self.rule is None


_CANONICAL_NAMES = ", ".join(CANONICAL_METRICS)
_PERIOD_NOTE = "Calendar quarter: 2026Q3, 2026-Q3, Q3 2026, q3/2026, or any date in the quarter."

COLUMNS: dict[str, tuple[Column, ...]] = {
    "metrics": (
        Column("period", True, _PERIOD_NOTE, "2026Q1", parse_period),
        Column("segment", True, "Customer segment as you name it; All for the company-wide "
               "figure. Kept exactly as written.", "All", parse_name),
        Column("metric", True, "What is measured (any name; case does not matter). These "
               f"canonical names feed the iceberg: {_CANONICAL_NAMES}.", "service_contacts",
               parse_metric),
        Column("value", True, "A number, 0 or more: 15400, 12,500, $1,234.50, or 4.2% for a "
               "percentage.", "15400", percent=True),
        Column("unit", False, "count, percent, money or hours. Required unless the metric is "
               "canonical; a canonical metric's unit, when given, must be its own.", "count",
               parse_unit),
        Column("higher_is_better", False, "true or false (yes/no, y/n, 1/0). Optional: "
               "canonical metrics know their direction; other metrics default to false.",
               "false", parse_flag),
    ),
    "effort": (
        Column("period", True, _PERIOD_NOTE, "2026Q1", parse_period),
        Column("department", True, "Department as you name it. Kept exactly as written.",
               "Support", parse_name),
        Column("tier", True, "TM, EM or EL (Touchpoint Management, Experience Management, "
               "Experience Leadership).", "EL", parse_tier),
        Column("hours", True, "Hours spent in the quarter, 0 or more.", "350"),
        Column("budget", False, "Budget (money), 0 or more. Optional.", "28000"),
        Column("loop", False, "inner or outer (loop). Optional.", "outer", parse_loop),
    ),
    "benchmarks": (
        Column("metric", True, "The metric the benchmark is for (case does not matter).",
               "billing_complaints_share", parse_metric),
        Column("value", True, "The benchmark value, 0 or more (4.2% for a percentage).", "3.1",
               percent=True),
        Column("unit", True, "count, percent, money or hours (a canonical metric's own unit).",
               "percent", parse_unit),
        Column("source", True, "Where the figure comes from, e.g. an industry panel.",
               "Industry panel (illustrative)", parse_source),
        Column("as_of", True, "The date the figure refers to, e.g. 2025-12-31.", "2025-12-31",
               parse_date),
        Column("kind", False, "industry or target. Optional: industry when empty.", "industry",
               parse_benchmark_kind, default="industry"),
    ),
    "ratings": (
        Column("period", True, _PERIOD_NOTE, "2026Q1", parse_period),
        Column("segment", True, "Customer segment as you name it (the respondent's). Kept "
               "exactly as written.", "Retail", parse_name),
        Column("respondent", True, "The respondent's id in the survey export (any text).",
               "R-1001", parse_name),
        Column("item", True, "Long form (one row per answer): the question answered, e.g. "
               "likelihood_to_recommend (case does not matter). Wide form (one row per "
               "respondent): leave out item and score and give one column per item instead, "
               "named after it; an empty cell there is an unanswered item.",
               "likelihood_to_recommend", parse_metric),
        Column("score", True, "Long form: the answer, a number on the survey's own scale "
               "(0-10, 1-5, ...; never rescaled).", "9", signed=True),
    ),
    "themes": (
        Column("period", True, _PERIOD_NOTE, "2026Q1", parse_period),
        Column("segment", True, "Customer segment as you name it; All for the company-wide "
               "figure. Kept exactly as written.", "Retail", parse_name),
        Column("theme", True, "What the comments, returns or contacts are about. Kept as "
               "written; case does not tell two themes apart.", "Late delivery", parse_name),
        Column("count", True, "How many of the quarter's metric were about the theme, 0 or "
               "more, in the metric's own unit (money for refunds_credits).", "900"),
        Column("metric", False, "The iceberg input counted: "
               f"{', '.join(THEME_METRICS)}. Optional: {DEFAULT_THEME_METRIC} when empty.",
               DEFAULT_THEME_METRIC, parse_theme_metric, default=DEFAULT_THEME_METRIC),
        Column("department", False, "The work group that owns the theme; one theme's rows in "
               "a file name the same department. Optional.", "Logistics", parse_name),
    ),
}

COLUMNS_BY_NAME: dict[str, dict[str, Column]] = {
    kind: {c.name: c for c in columns} for kind, columns in COLUMNS.items()}
"""Each kind's columns by name."""

DUPLICATE_KEYS: dict[str, tuple[str, ...]] = {
    "metrics": ("period", "segment", "metric"),
    "effort": ("period", "department", "tier", "loop"),
    "benchmarks": ("metric", "kind"),
    "ratings": ("period", "segment", "respondent", "item"),
    "themes": ("period", "segment", "theme", "metric"),
}
"""The columns that make two rows of one file duplicates (after normalising)."""

RATINGS_WIDE_KEYS: tuple[str, ...] = ("period", "segment", "respondent")
"""The columns of a wide ratings file that are not items: every other column is one."""


def header_columns(kind: str) -> tuple[str, ...]:
    """The columns a row must hold to be the kind's header: its required columns, except for
    ratings, whose wide form has no ``item`` and ``score`` (a header with both is long).

    >>> header_columns("ratings")
    ('period', 'segment', 'respondent')
    """
    if kind == "ratings":
        return RATINGS_WIDE_KEYS
    return tuple(c.name for c in columns_of(kind) if c.required)


def columns_of(kind: str) -> tuple[Column, ...]:
    """The columns of ``kind``; an unknown kind raises `CxroiError`."""
    if kind not in COLUMNS:
        raise CxroiError(f"unknown upload kind {kind!r} (use {', '.join(KINDS)})")
    return COLUMNS[kind]
