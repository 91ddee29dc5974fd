"""The cell rules: one cell of an upload in, its canonical value out, or what is wrong with it.

Each rule takes the cell's trimmed, non-empty text (or, from a workbook, its date or number)
and returns the canonical value, or raises `CxroiError` whose message is what the upload report
prints after ``row N, column C: ``. An empty cell is ``is empty`` in a required column and
"not given" in an optional one (the caller decides which; see `cxroi.ingest.columns`).

==============================  ============================================================
``parse_number``                a number cell: (value, written as a percentage?)
``parse_amount``                a number that must not be a percentage (hours, budget)
``parse_name``                  a segment or department name: trimmed, otherwise kept as written
``parse_metric``                a metric name: trimmed, lower-cased
``parse_source``                a benchmark's source: trimmed text
``parse_unit``                  count, percent, money or hours (any case)
``parse_flag``                  true/false, yes/no, y/n, 1/0
``parse_tier``                  TM, EM or EL, abbreviated or spelled out
``parse_loop``                  inner or outer
``parse_benchmark_kind``        industry or target
``parse_date``                  a day as ``YYYY-MM-DD``
``check_unit``                  the unit rule of a metric row (metric, unit, percentage)
``default_higher_is_better``    a metric's direction when the upload does not say
==============================  ============================================================

Periods follow `cxroi.models.parse_period`, which belongs to the vocabulary.

* **Numbers** must be finite. In ``,`` and tab files ``.`` is the decimal point and ``,`` a
  thousands separator in groups of three (``"12,500"``, ``"1,234.50"``; ``"4,2"`` is refused,
  never guessed). In ``;`` files ``,`` is the decimal mark (``61250,00``), and ``.`` or a space
  may separate thousands in groups of three (``61.250,00``, ``61 250,00``). **A lone ``.`` in a
  ``;`` file** is taken as a decimal point (``4.2``, ``61250.00``, ``0.125``: exports mixing
  locales do this), except where the number reads equally well as thousands (``1.500``: 1500
  or 1.5?); such a value is refused as ambiguous, with both readings named, rather than
  guessed, because guessing wrong is a factor of 1000 in a money figure. ``$``, ``€`` or ``£``
  may come before or after the number. A trailing ``%`` marks a percentage: ``12%`` is 12 and
  makes the unit ``percent`` (a problem if the row's unit says otherwise, or if the metric is
  canonical: none is a percentage).
* **Text.** Tiers are TM, EM, EL or spelled out; loops inner/outer; flags true/false, yes/no,
  y/n, 1/0; dates ISO, Excel dates, ``31.12.2025``, unambiguous ``31/12/2025``/``12/31/2025``
  and English month names. Segment, department and source names are trimmed and otherwise
  kept exactly as written (a leading ``=`` stays text); metric names are lower-cased.

`cxroi.ingest.bulk` applies these same functions to the *unique* values of each column (a file
of a million rows has a few dozen distinct periods), and parses numbers in bulk with the same
regular expressions (the ``NUMBER_*`` patterns here), so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from cxroi.models import (
    BENCHMARK_KINDS,
    CANONICAL_METRICS,
    LOOPS,
    TIER_NAMES,
    TIERS,
    UNITS,
    THEME_METRICS,
    CxroiError,
)

__all__ = [
    "NAME_MAX_LENGTH",
    "SOURCE_MAX_LENGTH",
    "TRUE_WORDS",
    "FALSE_WORDS",
    "NUMBER_BLANKS",
    "NUMBER_PLAIN",
    "NUMBER_COMMA_GROUPED",
    "NUMBER_DOT_AMBIGUOUS",
    "NUMBER_DOT_GROUPED",
    "NUMBER_SPACE_GROUPED",
    "NUMBER_GROUP_SPACES",
    "CURRENCY_PREFIX",
    "CURRENCY_SUFFIX",
    "NON_FINITE_WORDS",
    "parse_number",
    "parse_amount",
    "parse_name",
    "parse_metric",
    "parse_source",
    "parse_unit",
    "parse_flag",
    "parse_tier",
    "parse_loop",
    "parse_benchmark_kind",
    "parse_date",
    "check_unit",
    "default_higher_is_better",
]

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



def parse_theme_metric(value: object) -> str:
    """A theme row's metric: one of the iceberg inputs (`THEME_METRICS`), any case.

    >>> parse_theme_metric("Refunds_Credits")
    'refunds_credits'
    >>> parse_theme_metric("nps")
    Traceback (most recent call last):
    ...
    cxroi.models.CxroiError: 'nps' is not an iceberg input (use service_contacts, refunds_credits, returns, escalations, customers_lost, detractors, deals_delayed or frontline_leavers)
    """
    name = parse_metric(value)
    if name in THEME_METRICS:
        return name
    raise CxroiError(f"{name!r} is not an iceberg input (use {', '.join(THEME_METRICS[:-1])} "
                     f"or {THEME_METRICS[-1]})")
