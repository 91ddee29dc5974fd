"""Plotly figure builders: result objects in, ``go.Figure`` out, footnote included.

Every figure goes through `finish` (`theme`), which applies the app's one template (large type
for a meeting-room screen, the Okabe-Ito colour-blind-safe palette, no chart junk), the title
that states the point and the chart's footnote as an annotation under the plot, so PNG and
PPTX exports carry it too. Titles and takeaways are `cxroi.wording`'s sentences, so the title
on a chart and the takeaway beside it cannot disagree.

==========================  ==============================================================
module                      the pictures
==========================  ==============================================================
`theme`                     `TEMPLATE`, colours, `finish`, `plain`, `present`, shared axes
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

from cxroi.charts.theme import (
    BODY_SIZE,
    FOOTNOTE_SIZE,
    TITLE_SIZE,
    BETTER,
    WORSE,
    NEUTRAL,
    INK,
    MUTED,
    SEA,
    ICE,
    PALETTE,
    FONT,
    TEMPLATE,
    finish,
    plain,
    footnote_text,
    present,
    LAYER_COLOURS,
    category_axis,
    blank,
)
from cxroi.charts.iceberg import (
    polygon_area,
    iceberg_layers,
    iceberg_figure,
)
from cxroi.charts.snowball import (
    snowball_steps,
    snowball_quarters,
)
from cxroi.charts.melt import (
    melt_figure,
    math_rows,
)
from cxroi.charts.relative import (
    relative_bars,
    relative_circles,
    money_only,
    SIZE_CLASSES,
)
from cxroi.charts.effort import (
    effort_figure,
    loop_figure,
    effort_trend,
    TIER_COLOURS,
)
from cxroi.charts.registry import (
    CHARTS,
    chart_for,
)
from cxroi.charts.whatif import (
    tornado_figure,
    scenario_difference_figure,
    LOW_END,
    HIGH_END,
)

__all__ = [
    "BODY_SIZE",
    "FOOTNOTE_SIZE",
    "TITLE_SIZE",
    "BETTER",
    "WORSE",
    "NEUTRAL",
    "INK",
    "MUTED",
    "SEA",
    "ICE",
    "PALETTE",
    "FONT",
    "TEMPLATE",
    "finish",
    "plain",
    "footnote_text",
    "present",
    "polygon_area",
    "iceberg_layers",
    "iceberg_figure",
    "snowball_steps",
    "snowball_quarters",
    "melt_figure",
    "math_rows",
    "relative_bars",
    "relative_circles",
    "money_only",
    "effort_figure",
    "loop_figure",
    "effort_trend",
    "CHARTS",
    "chart_for",
    "TIER_COLOURS",
    "tornado_figure",
    "scenario_difference_figure",
    "LOW_END",
    "HIGH_END",
    "SIZE_CLASSES",
    "LAYER_COLOURS",
    "category_axis",
    "blank",
]
