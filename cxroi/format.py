"""How numbers look on screen and in exports: money as $1.2M, shares as 31%.

Only the display is rounded; every figure keeps its full value underneath.
"""

from __future__ import annotations

import math

__all__ = ["escape_markdown", "exact", "money", "money_exact", "percent", "signed_percent", "number",
           "multiple"]


def money(amount: float | None) -> str:
    """Short money for charts and headlines.

    >>> [money(x) for x in (950, 12_345, 1_234_567, -2_500_000_000, None)]
    ['$950', '$12k', '$1.2M', '-$2.5B', 'n/a']
    """
    if amount is None or not math.isfinite(amount):
        return "n/a"
    sign, size = ("-" if amount < 0 else ""), abs(amount)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            scaled = size / limit
            digits = 0 if suffix == "k" or scaled >= 100 else 1
            return f"{sign}${scaled:,.{digits}f}{suffix}"
    return f"{sign}${size:,.0f}"


def money_exact(amount: float | None) -> str:
    """Money to the cent, for the math tables.

    >>> money_exact(1683375)
    '$1,683,375.00'
    """
    if amount is None or not math.isfinite(amount):
        return "n/a"
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


def percent(ratio: float | None, digits: int = 0) -> str:
    """A decimal ratio as a percentage.

    >>> percent(0.3125), percent(None)
    ('31%', 'n/a')
    """
    if ratio is None or not math.isfinite(ratio):
        return "n/a"
    return f"{ratio * 100:,.{digits}f}%"


def signed_percent(ratio: float | None) -> str:
    """A change as a signed percentage.

    >>> signed_percent(0.38), signed_percent(-0.052)
    ('+38%', '-5%')
    """
    if ratio is None or not math.isfinite(ratio):
        return "n/a"
    return f"{ratio * 100:+,.0f}%"


def number(value: float | None, unit: str = "count") -> str:
    """A metric value in its unit.

    >>> number(1234.0), number(4.25, "percent"), number(61250, "money"), number(12.5, "hours")
    ('1,234', '4.2%', '$61k', '12.5 h')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit == "money":
        return money(value)
    if unit == "percent":
        return f"{value:,.1f}%"
    if unit == "hours":
        return f"{value:,.1f} h"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def exact(value: float | None) -> str:
    """A number exactly as used in a calculation (up to 12 significant digits), with
    thousands separators and no rounding to a display precision.

    >>> exact(0.15), exact(60898.0), exact(1234567.25), exact(0.07 * 100)
    ('0.15', '60,898', '1,234,567.25', '7')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:,.12g}"


def multiple(value: float | None) -> str:
    """A multiple such as '4.1x'.

    >>> multiple(4.06)
    '4.1x'
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:,.1f}x"


_MARKDOWN = set("\\`*_{}[]()<>#+-.!|~$:=")


def escape_markdown(text: str) -> str:
    r"""User text made inert for Streamlit's markdown: every markup character escaped.

    >>> print(escape_markdown("**bold** <b>x</b>"))
    \*\*bold\*\* \<b\>x\</b\>
    """
    return "".join("\\" + ch if ch in _MARKDOWN else ch for ch in str(text))
