"""Text labels placed in a chart's own coordinates so that they never overlap a line or
each other, whatever the figure's height in pixels.

==================  ======================================================================
name                what it is
==================  ======================================================================
`LINE_HEIGHT`       a text line's height as a multiple of its font size
`plot_px`           the plot area's height in pixels of a finished figure
`label_px`          a label's height in pixels: its lines at its font size, with a gap
`spread`            heights near the wanted ones, at least a gap apart, within bounds
`value_column`      horizontal bars' values in the right margin, level with their bars
==================  ======================================================================
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

__all__ = ["LINE_HEIGHT", "label_px", "plot_px", "spread", "value_column"]

LINE_HEIGHT = 1.3
"""A text line's height as a multiple of its font size (Plotly's is about 1.2)."""


def plot_px(fig: go.Figure, default_height: int = 450) -> float:
    """The plot area's height in pixels: the figure's height less its top and bottom margins."""
    margin = fig.layout.margin
    return (fig.layout.height or default_height) - (margin.t or 0) - (margin.b or 0)


def label_px(size: float, lines: int = 1, gap: float = 6.0) -> float:
    """The height a label of ``lines`` lines at font ``size`` takes, with ``gap`` pixels
    between it and its neighbour."""
    return lines * size * LINE_HEIGHT + gap


def spread(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Centres near ``wanted`` (descending), at least ``gap`` apart, within [low, high].

    When they do not all fit, the lowest sits at ``low`` and the rest go up from it (past
    ``high``): the caller makes room first.
    """
    placed: list[float] = []
    for y in wanted:
        placed.append(min(y, high if not placed else placed[-1] - gap))
    overflow = low - placed[-1] if placed else 0.0
    if overflow > 0:
        placed[-1] = low
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = max(placed[i], placed[i + 1] + gap)
    return placed


def value_column(fig: go.Figure, rows: Sequence[str], texts: Sequence[str],
                 colours: Sequence[str], size: int) -> int:
    """Each horizontal bar's value in the right margin, level with its bar, so no value ever
    crosses a bar, a target line or a name; returns the right margin (px) they need."""
    for row, text, colour in zip(rows, texts, colours, strict=True):
        fig.add_annotation(name="value", xref="paper", x=1.0, xanchor="left", xshift=8,
                           yref="y", y=row, text=f"<b>{text}</b>", showarrow=False,
                           font=dict(size=size, color=colour))
    return 16 + round(0.68 * size * max((len(text) for text in texts), default=0))
