"""Plotly figure builders: result objects in, ``go.Figure`` out, footnote included.

Every figure goes through `finish` (`theme`), which applies the app's one template (large type
for a meeting-room screen, the Okabe-Ito colour-blind-safe palette, no chart junk), the title
that states the point and the chart's footnote as an annotation under the plot, so PNG and
PPTX exports carry it too. Titles and takeaways are `cxroi.wording`'s sentences, so the title
on a chart and the takeaway beside it cannot disagree.

==========================  ==============================================================
module                      the pictures
==========================  ==============================================================
`theme`                     `TEMPLATE`, colours, `finish`, `plain`, `present`, axes
`iceberg`                   `iceberg_figure`: area-true layers above and below the water
`snowball`                  `snowball_steps`, `snowball_quarters`
`melt`                      `melt_figure`; `math_rows` ("show the math")
`relative`                  `relative_bars`, `relative_circles`
`effort`                    `effort_figure`, `loop_figure`, `effort_trend`
`registry`                  `chart_for`: any of the above for a `Report`, by name (`CHARTS`)
`whatif`                    `tornado_figure`, `scenario_difference_figure`
==========================  ==============================================================
"""

from __future__ import annotations

from cxroi.charts.effort import TIER_COLOURS, effort_figure, effort_trend, loop_figure
from cxroi.charts.iceberg import iceberg_figure, iceberg_layers, polygon_area
from cxroi.charts.melt import math_rows, melt_figure
from cxroi.charts.registry import CHARTS, chart_for, chart_note
from cxroi.charts.relative import SIZE_CLASSES, money_only, relative_bars, relative_circles
from cxroi.charts.snowball import snowball_quarters, snowball_steps
from cxroi.charts.theme import (
    BETTER,
    BODY_SIZE,
    FONT,
    FOOTNOTE_SIZE,
    ICE,
    INK,
    LAYER_COLOURS,
    MUTED,
    NEUTRAL,
    PALETTE,
    SEA,
    TEMPLATE,
    TITLE_SIZE,
    WORSE,
    finish,
    footnote_text,
    plain,
    present,
)
from cxroi.charts.whatif import HIGH_END, LOW_END, scenario_difference_figure, tornado_figure

__all__ = [
    # theme: the one template, its colours and type sizes
    "BETTER",
    "WORSE",
    "NEUTRAL",
    "INK",
    "MUTED",
    "SEA",
    "ICE",
    "PALETTE",
    "FONT",
    "TITLE_SIZE",
    "BODY_SIZE",
    "FOOTNOTE_SIZE",
    "TEMPLATE",
    "finish",
    "plain",
    "footnote_text",
    "present",
    # the pictures
    "LAYER_COLOURS",
    "polygon_area",
    "iceberg_layers",
    "iceberg_figure",
    "snowball_steps",
    "snowball_quarters",
    "melt_figure",
    "math_rows",
    "SIZE_CLASSES",
    "relative_bars",
    "relative_circles",
    "money_only",
    "TIER_COLOURS",
    "effort_figure",
    "loop_figure",
    "effort_trend",
    "LOW_END",
    "HIGH_END",
    "tornado_figure",
    "scenario_difference_figure",
    # registry: any chart of a Report, by name
    "CHARTS",
    "chart_for",
    "chart_note",
]
