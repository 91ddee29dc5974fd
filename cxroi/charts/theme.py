"""The one look of every figure: the template, colours, `finish`, and the axes builders share.

User text reaches Plotly only through `plain`, because Plotly renders a subset of HTML.

======================  ==================================================================
name                    what it is
======================  ==================================================================
`TEMPLATE`              the app's one Plotly template (large type, Okabe-Ito, no junk)
`BETTER` ... `PALETTE`  the colours: good and bad direction, neutral, ink, the palette
`finish`                template + title + subtitle + footnote, for every figure
`footnote_text`         a figure's footnote annotation as drawn
`plain`                 user text made inert for Plotly's HTML-ish labels
`present`               a figure made larger for the presentation view
`blank`                 the figure that says there is nothing to draw yet
`tick`, `wrap`          user text wrapped onto short lines for a category axis
`category_axis`         category tick labels laid out without overlap
`money_ticks`           round money ticks ($1.2M); `percent_ticks`: signed ratios
======================  ==================================================================
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from cxroi.format import money, signed_percent
from cxroi.models import Footnote

__all__ = [
    "BETTER",
    "BODY_SIZE",
    "FONT",
    "FOOTNOTE_SIZE",
    "ICE",
    "ICE_EDGE",
    "INK",
    "LAYER_COLOURS",
    "MUTED",
    "NEUTRAL",
    "PALETTE",
    "SEA",
    "SEA_BANDS",
    "TEMPLATE",
    "TITLE_SIZE",
    "WORSE",
    "blank",
    "category_axis",
    "finish",
    "footnote_text",
    "money_ticks",
    "percent_ticks",
    "plain",
    "present",
    "tick",
    "wrap",
]

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

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=BODY_SIZE, color=INK),
        title=dict(font=dict(size=TITLE_SIZE, color=INK), x=0.0, xanchor="left",
                   xref="container", y=1.0, yref="container", yanchor="top",
                   pad=dict(t=14, l=12)),
        colorway=list(PALETTE),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showgrid=False, zeroline=False, showline=False, ticks="", automargin=True,
                   tickfont=dict(size=BODY_SIZE), title=dict(font=dict(size=BODY_SIZE))),
        yaxis=dict(showgrid=True, gridcolor="#EDEDED", zeroline=False, showline=False, ticks="",
                   automargin=True, tickfont=dict(size=BODY_SIZE),
                   title=dict(font=dict(size=BODY_SIZE))),
        legend=dict(font=dict(size=BODY_SIZE), orientation="h", x=0, xanchor="left", y=1.0,
                    yanchor="bottom", bgcolor="rgba(0,0,0,0)"),
        hoverlabel=dict(font=dict(size=BODY_SIZE, family=FONT)),
        margin=dict(l=80, r=40, t=110, b=60),
        separators=".,",
    )
)
"""The app's one Plotly template: large type, Okabe-Ito colours, no chart junk."""


def plain(text: object) -> str:
    """User text made inert for Plotly, which renders a subset of HTML in its labels.

    >>> plain("<script>alert(1)</script> & co")
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; co'
    """
    return html.escape(str(text), quote=False)  # Plotly shows &quot; literally; no attributes here


def wrap(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` characters (8 at least), long words broken."""
    return textwrap.wrap(text, width=max(8, width), break_long_words=True) or [""]


def _balanced(text: str, width: int) -> list[str]:
    """Wrapped to at most ``width`` characters, in as few lines as that takes, each about as
    long as the others (no one-word last line under a long title)."""
    lines = wrap(text, width)
    if len(lines) < 2:
        return lines
    for narrower in range(math.ceil(len(text) / len(lines)), width):
        even = wrap(text, narrower)
        if len(even) == len(lines):
            return even
    return lines


def _legend_lines(fig: go.Figure, width_chars: int) -> int:
    """How many lines the horizontal legend takes at the footnote's width (0: no legend)."""
    shown = [t for t in fig.data if t.showlegend is not False]
    if len(shown) < 2 or fig.layout.showlegend is False:
        return 0
    length = sum(len(t.name or "") + 5 for t in shown) * BODY_SIZE / FOOTNOTE_SIZE
    return max(1, math.ceil(length / width_chars))


def finish(
    fig: go.Figure,
    *,
    title: str,
    footnote: Footnote | str | None,
    subtitle: str | None = None,
    height: int | None = None,
    width_chars: int = 120,
    axis_space: int = 50,
    compact: bool = False,
) -> go.Figure:
    """Apply the template, the point-stating title and the footnote annotation; return ``fig``.

    Parameters
    ----------
    title, subtitle
        Plain text (escaped here: never pre-escape, never pass markup). The title states the
        point ("Hidden costs are 3.8x the visible tip"); the subtitle, if any, the context.
        Both are wrapped to the width.
    footnote
        The chart's `Footnote` (from ``Report.footnote``) or its text; drawn under the plot,
        wrapped to ``width_chars`` characters per line, as an annotation named ``footnote``,
        so PNG and PPTX exports carry it.
    height
        Figure height in pixels without the footnote; the footnote's lines are added to it.
    width_chars
        Footnote characters per line: 120 suits a chart 900 px or wider.
    axis_space
        Pixels below the plot kept for the x axis' tick labels, above the footnote.
    compact
        A thumbnail (a third of the page): smaller title and footnote type.

    Notes
    -----
    The footnote starts at the figure's left edge: it is shifted left by the left margin,
    so builders with wide category labels set ``margin.l`` themselves (the template's is 80).
    """
    text = footnote.text() if isinstance(footnote, Footnote) else (footnote or "")
    note_size = 10 if compact else FOOTNOTE_SIZE
    note_line = note_size + 5
    title_size = 20 if compact else TITLE_SIZE
    lines = wrap(text, width_chars) if text else []
    title_lines = _balanced(title, max(24, round(width_chars * FOOTNOTE_SIZE
                                                 * (0.95 if compact else 1.08) / title_size)))
    sub_size = 13 if compact else BODY_SIZE
    sub_lines = (_balanced(subtitle, max(30, round(width_chars * (0.9 if compact else 0.72))))
                 if subtitle else [])
    title_text = "<br>".join(plain(line) for line in title_lines)
    line = round(title_size * 1.3)
    top = (16 + line * len(title_lines) + round(sub_size * 1.34) * len(sub_lines)
           + (12 if sub_lines else 0)
           + 30 * _legend_lines(fig, width_chars) + (10 if fig.data else 0) + 18)
    bottom = axis_space + note_line * len(lines) + (16 if lines else 0)
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title_text, font=dict(size=title_size),
                   # Plotly lifts every extra title line above a top anchor: pad it back down.
                   pad=dict(t=14 + line * (len(title_lines) - 1) // 2, l=12),
                   subtitle=dict(text="<br>".join(plain(line) for line in sub_lines),
                                 font=dict(size=sub_size, color=MUTED))
                   if sub_lines else None),
        margin=dict(t=top, b=bottom),
    )
    if height is not None:
        fig.update_layout(height=height + note_line * len(lines))
    if lines:
        left = fig.layout.margin.l
        left = TEMPLATE.layout.margin.l if left is None else left
        fig.add_annotation(
            name="footnote",
            text="<br>".join(plain(line) for line in lines),
            xref="paper", yref="paper", x=0.0, y=0.0, xanchor="left", yanchor="top",
            xshift=-(left - 12), yshift=-axis_space, align="left", showarrow=False,
            font=dict(size=note_size, color=MUTED),
        )
    return fig


def footnote_text(fig: go.Figure) -> str:
    """The footnote annotation's text as drawn (escaped, with line breaks), or ''."""
    for note in fig.layout.annotations or ():
        if note.name == "footnote":
            return note.text or ""
    return ""


LAYER_COLOURS = {
    "visible": ("#FFFFFF", "#E9F3FA", "#D8EAF6"),
    "hidden": ("#CFE7F6", "#B8DBF1", "#A2CFEB", "#8CC3E5", "#78B7DF", "#66ABD8"),
}
"""Ice: white above the water, deeper blues below, one shade per layer from the top."""
_SEA_TOP, _SEA_DEEP = (0x3F, 0x7F, 0xAE), (0x12, 0x36, 0x55)
SEA_BANDS = tuple(
    "#" + "".join(f"{round(a + (b - a) * i / 23):02X}" for a, b in zip(_SEA_TOP, _SEA_DEEP,
                                                                       strict=True))
    for i in range(24))
"""The sea, lighter at the surface and darker with depth, in 24 fine steps."""
ICE_EDGE = "#0B3C5D"
"""The iceberg's outline and the waterline."""


def tick(text: str, width: int = 13) -> str:
    """User text escaped and wrapped onto short lines for a category axis."""
    return "<br>".join(plain(line) for line in wrap(text, width))


def money_ticks(low: float, high: float, count: int = 5) -> tuple[list[float], list[str]]:
    """Round tick positions between ``low`` and ``high``, labelled like $1.2M."""
    span = max(high - low, 1.0)
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    values = [start + i * step for i in range(int(math.ceil((high - start) / step)) + 1)]
    return values, [money(v) if v else "$0" for v in values]


def percent_ticks(low: float, high: float, count: int = 6) -> tuple[list[float], list[str]]:
    """Round tick positions (ratios) between ``low`` and ``high`` that include 0, as '+20%'."""
    raw = max((high - low) / count, 0.01)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first, last = math.ceil(low / step), math.floor(high / step)
    values = [i * step for i in range(first, last + 1)]
    return values, [signed_percent(v) if v else "0%" for v in values]


def blank(title: str, message: str, footnote: Footnote | str | None, **kw: object) -> go.Figure:
    """A figure with nothing to draw yet: the title, ``message`` in the middle, the footnote."""
    fig = go.Figure()
    fig.add_annotation(text=plain(message), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font=dict(size=BODY_SIZE + 2, color=MUTED))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title=title, footnote=footnote, axis_space=10, **kw)


def present(fig: go.Figure) -> go.Figure:
    """The figure for the presentation view: larger type; the footnote is kept. It has no
    height of its own (it fills the screen the view leaves it, down to 720 px tall), and its
    top margin grows with its larger title."""
    scale = 1.25
    fig.update_layout(font_size=round(BODY_SIZE * scale),
                      title_font_size=round(TITLE_SIZE * scale), height=None, autosize=True)
    title_lines = (fig.layout.title.text or "").count("<br>") + 1
    fig.layout.margin.t = (fig.layout.margin.t or 0) + round(
        TITLE_SIZE * 1.3 * (scale - 1) * title_lines)
    for note in fig.layout.annotations or ():
        if (note.name or "").startswith("iceberg-label"):
            continue  # laid out at the presentation's own size by `iceberg_figure`
        size = note.font.size if note.font and note.font.size else BODY_SIZE
        note.font.size = round(size * (1.15 if note.name == "footnote" else scale))
    for axis in ("xaxis", "yaxis"):
        ax = getattr(fig.layout, axis)
        if ax.tickfont and ax.tickfont.size:
            ax.tickfont.size = round(ax.tickfont.size * scale)
    for trace in fig.data:
        if getattr(trace, "textfont", None) is not None and trace.textfont.size:
            trace.textfont.size = round(trace.textfont.size * scale)
    return fig


ANGLED_CHARS = 30
"""The most characters an angled category label shows."""


def category_axis(fig: go.Figure, labels: Sequence[str], keys: Sequence[str], *,
                  slot_chars: int) -> int:
    """Lay out category tick labels without overlap; return the pixels they need below.

    Labels that fit their slot (``slot_chars`` characters) are wrapped onto short lines and
    kept level; when a word is longer than the slot, every label is set at an angle on one
    line, cut at `ANGLED_CHARS` characters (the hover keeps the whole name).

    >>> fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    >>> category_axis(fig, ["Late delivery", "Understaffed shifts"], ["a", "b"], slot_chars=9)
    132
    >>> fig.layout.xaxis.tickangle, fig.layout.xaxis.ticktext
    (-40, ('Late delivery', 'Understaffed shifts'))
    """
    longest_word = max((len(word) for label in labels for word in label.split()), default=1)
    if longest_word <= slot_chars:
        ticks = [tick(label, slot_chars) for label in labels]
        lines = max(text.count("<br>") + 1 for text in ticks)
        fig.update_xaxes(tickangle=0, tickvals=list(keys), ticktext=ticks)
        return 24 + 18 * lines
    cut = [label if len(label) <= ANGLED_CHARS else label[:ANGLED_CHARS - 1].rstrip() + "…"
           for label in labels]
    fig.update_xaxes(tickangle=-40, tickvals=list(keys), ticktext=[plain(c) for c in cut])
    return 30 + round(0.6 * 14 * max(len(c) for c in cut) * 0.64)
