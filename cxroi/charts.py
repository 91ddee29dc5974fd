"""Plotly figure builders: result objects in, ``go.Figure`` out, footnote included.

Every figure goes through `finish`, which applies the app's one template (`TEMPLATE`: large
type for a meeting-room screen, the Okabe-Ito colour-blind-safe palette, no chart junk), the
title that states the point, and the chart's footnote as an annotation under the plot, so
PNG and PPTX exports carry it too. User-supplied text (segments, metrics, departments,
sources) goes into Plotly only through `plain`, because Plotly renders a subset of HTML.

==========================  ==============================================================
builder                     the picture
==========================  ==============================================================
`finish`                    template + title + footnote, for every figure
`plain`                     user text made inert for Plotly's HTML-ish labels
`relative_bars`             bars above/below a drawn baseline line, sorted by size
`relative_circles`          the same bars as small / medium / large circles
`iceberg_figure`            the cost iceberg: area-true layers above and below the water
`snowball_steps`            the lines added one by one, visible tip to full total
`snowball_quarters`         the running total quarter by quarter, and the projection
`melt_figure`               the iceberg before and after right-first-time prevention
`effort_figure`             TM / EM / EL shares per department against the EL target line
`effort_trend`              the EL and outer-loop shares over the quarters
==========================  ==============================================================
"""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go

from cxroi.models import Footnote

__all__ = [
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
]

# --- the one template ------------------------------------------------------------------------

BETTER = "#0072B2"
"""Okabe-Ito blue: the good direction."""
WORSE = "#D55E00"
"""Okabe-Ito vermillion: the bad direction."""
NEUTRAL = "#999999"
"""Grey: no baseline, no direction, context."""
INK = "#1A1A1A"
MUTED = "#555555"
SEA = "#1F4E79"
ICE = "#DCEBF5"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
           "#000000")
"""Okabe-Ito, blue first."""
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

TITLE_SIZE = 28
BODY_SIZE = 18
FOOTNOTE_SIZE = 13
_FOOTNOTE_LINE = 18
"""Pixels one footnote line takes (13 px type plus leading)."""

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=BODY_SIZE, color=INK),
        title=dict(font=dict(size=TITLE_SIZE, color=INK), x=0.0, xanchor="left", xref="paper",
                   y=0.97, yref="container", yanchor="top"),
        colorway=list(PALETTE),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showgrid=False, zeroline=False, showline=False, ticks="",
                   tickfont=dict(size=BODY_SIZE), title=dict(font=dict(size=BODY_SIZE))),
        yaxis=dict(showgrid=True, gridcolor="#EDEDED", zeroline=False, showline=False, ticks="",
                   tickfont=dict(size=BODY_SIZE), title=dict(font=dict(size=BODY_SIZE))),
        legend=dict(font=dict(size=BODY_SIZE), orientation="h", x=0, xanchor="left", y=1.0,
                    yanchor="bottom", bgcolor="rgba(0,0,0,0)"),
        hoverlabel=dict(font=dict(size=BODY_SIZE, family=FONT)),
        margin=dict(l=40, r=40, t=110, b=60),
        separators=".,",
    )
)
"""The app's one Plotly template: large type, Okabe-Ito colours, no chart junk."""


def plain(text: object) -> str:
    """User text made inert for Plotly, which renders a subset of HTML in its labels.

    >>> plain("<script>alert(1)</script> & co")
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; co'
    """
    return html.escape(str(text), quote=True)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(20, width), break_long_words=True) or [""]


def finish(
    fig: go.Figure,
    *,
    title: str,
    footnote: Footnote | str | None,
    subtitle: str | None = None,
    height: int | None = None,
    width_chars: int = 150,
    axis_space: int = 50,
) -> go.Figure:
    """Apply the template, the point-stating title and the footnote annotation; return ``fig``.

    Parameters
    ----------
    title, subtitle
        Plain text (escaped here: never pre-escape, never pass markup). The title states the
        point ("Hidden costs are 3.8x the visible tip"); the subtitle, if any, the context.
    footnote
        The chart's `Footnote` (from ``Report.footnote``) or its text; drawn under the plot,
        wrapped to ``width_chars`` characters per line, as an annotation named ``footnote``.
    height
        Figure height in pixels; the footnote's lines are added to it.
    axis_space
        Pixels below the plot kept for the x axis' tick labels, above the footnote.
    """
    text = footnote.text() if isinstance(footnote, Footnote) else (footnote or "")
    lines = _wrap(text, width_chars) if text else []
    title_lines = _wrap(title, max(40, width_chars * FOOTNOTE_SIZE // TITLE_SIZE + 10))
    title_text = "<br>".join(plain(line) for line in title_lines)
    top = 40 + 36 * len(title_lines) + (34 if subtitle else 0) + 30
    bottom = axis_space + _FOOTNOTE_LINE * len(lines) + (20 if lines else 0)
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title_text,
                   subtitle=dict(text=plain(subtitle), font=dict(size=BODY_SIZE, color=MUTED))
                   if subtitle else None),
        margin=dict(t=top, b=bottom),
    )
    if height is not None:
        fig.update_layout(height=height + _FOOTNOTE_LINE * len(lines))
    if lines:
        fig.add_annotation(
            name="footnote",
            text="<br>".join(plain(line) for line in lines),
            xref="paper", yref="paper", x=0.0, y=0.0, xanchor="left", yanchor="top",
            yshift=-axis_space, align="left", showarrow=False,
            font=dict(size=FOOTNOTE_SIZE, color=MUTED),
        )
    return fig


def footnote_text(fig: go.Figure) -> str:
    """The footnote annotation's text as drawn (escaped, with line breaks), or ''."""
    for note in fig.layout.annotations or ():
        if note.name == "footnote":
            return note.text or ""
    return ""
