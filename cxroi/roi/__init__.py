"""The ROI calculations: what poor customer experience costs, and what preventing it earns.

Pure Python: the standard library and `cxroi.models`, no I/O. One module per picture
(`iceberg`, `snowball`, `case`, `effort`, `relative`, `themes`, `risk`); this package
names them all, so ``from cxroi import roi`` and ``roi.iceberg(...)`` is the way in. The store hands in small
records (one value per metric, period and segment); everything here is exact arithmetic on
them, and every result is a small frozen object.

==========================  ==============================================================
function                    what it gives
==========================  ==============================================================
`iceberg`                   the nine cost lines of one period: visible tip and hidden mass
`snowball`                  how the iceberg builds: line by line, quarter by quarter, ahead
`melt`                      prevention: annual cost, yearly benefit, NPV, ROI, payback
`melted`                    the iceberg that remains after right-first-time prevention
`present_value`             discounted sum of yearly cash flows (numpy-financial's convention)
`payback_months`            months until a one-time investment is earned back
`effort_split`              TM / EM / EL shares, the EL gap in hours, the outer-loop share
`baseline`                  previous period, normal, industry benchmark or target
`relative_size`             one bar above or below its baseline
`themes_money`              each complaint theme's money inside the iceberg, Pareto, vital few
`themed_lines`              each iceberg line's money the themes explain (the themed part)
`theme_annual_cost`         a theme's year: 4 x its mean money over the latest four quarters
`plan_case`                 an action plan's yearly benefit, NPV, ROI and payback
`revenue_at_risk`           revenue detractors and passives put at risk (exposure, not cost)
==========================  ==============================================================

Conventions: ratios are decimals (0.20 = 20%); money is in the data's one currency; periods
are calendar quarters (``2026Q3``); rates are per year. Costs are positive and so are
savings: a bigger iceberg is a bigger positive number, a bigger benefit likewise.
"""

from cxroi.roi.iceberg import (
    ICEBERG_LINES,
    ICEBERG_METRICS,
    Iceberg,
    IcebergLine,
    LineSpec,
    iceberg,
    melted,
)
from cxroi.roi.snowball import (
    Snowball,
    SnowballPoint,
    SnowballStep,
    snowball,
)
from cxroi.roi.case import (
    MeltResult,
    PlanCase,
    melt,
    payback_months,
    plan_case,
    present_value,
)
from cxroi.roi.effort import (
    EffortSplit,
    effort_split,
)
from cxroi.roi.relative import (
    RelativeBar,
    baseline,
    relative_size,
)
from cxroi.roi.themes import (
    ThemeMoney,
    Themes,
    theme_annual_cost,
    theme_annual_costs,
    themed_lines,
    themes_money,
    unit_costs,
)
from cxroi.roi.risk import (
    REVENUE_AT_RISK_KEYS,
    RevenueAtRisk,
    revenue_at_risk,
)

__all__ = [
    "LineSpec",
    "ICEBERG_LINES",
    "ICEBERG_METRICS",
    "IcebergLine",
    "Iceberg",
    "iceberg",
    "melted",
    "SnowballStep",
    "SnowballPoint",
    "Snowball",
    "snowball",
    "MeltResult",
    "melt",
    "present_value",
    "payback_months",
    "EffortSplit",
    "effort_split",
    "baseline",
    "RelativeBar",
    "relative_size",
    "ThemeMoney",
    "Themes",
    "unit_costs",
    "themes_money",
    "themed_lines",
    "theme_annual_cost",
    "theme_annual_costs",
    "PlanCase",
    "plan_case",
    "REVENUE_AT_RISK_KEYS",
    "RevenueAtRisk",
    "revenue_at_risk",
]
