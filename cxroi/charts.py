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
`loop_figure`               inner vs outer loop per department against the outer-loop target
`chart_for`                 any of the above for a `Report`, by name (see `CHARTS`)
`present`                   a figure made larger for the presentation view
`math_rows`                 "show the math": every line's formula, inputs and amount
==========================  ==============================================================

Titles come from the same sentence builders the pages use (`iceberg_headline`,
`relative_headline`, `effort_headline`, `melt_headline`), so the title on a chart and the
takeaway next to it cannot disagree.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from cxroi.format import money, money_exact, multiple, number, percent, signed_percent
from cxroi.models import (
    ALL,
    CANONICAL_METRICS,
    TIER_NAMES,
    Assumptions,
    Footnote,
    assumption_info,
)
from cxroi.report import BASELINE_LABELS, RelativeView, Report
from cxroi.roi import (
    ICEBERG_LINES,
    EffortSplit,
    Iceberg,
    MeltResult,
    RelativeBar,
    Snowball,
    melted,
)

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
    "footnote_text",
    "present",
    "metric_label",
    "polygon_area",
    "iceberg_layers",
    "iceberg_headline",
    "hidden_takeaway",
    "iceberg_figure",
    "snowball_steps",
    "snowball_quarters",
    "melt_headline",
    "melt_figure",
    "math_rows",
    "relative_headline",
    "relative_bars",
    "relative_circles",
    "size_word",
    "money_only",
    "BASELINE_SHORT",
    "effort_headline",
    "loop_headline",
    "effort_figure",
    "loop_figure",
    "effort_trend",
    "CHARTS",
    "chart_for",
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


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(8, width), break_long_words=True) or [""]


def _balanced(text: str, width: int) -> list[str]:
    """Wrapped to at most ``width`` characters, in as few lines as that takes, each about as
    long as the others (no one-word last line under a long title)."""
    lines = _wrap(text, width)
    if len(lines) < 2:
        return lines
    for narrower in range(math.ceil(len(text) / len(lines)), width):
        even = _wrap(text, narrower)
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
    lines = _wrap(text, width_chars) if text else []
    title_lines = _balanced(title, max(24, round(width_chars * FOOTNOTE_SIZE
                                                 * (0.95 if compact else 1.08) / title_size)))
    sub_lines = _balanced(subtitle, max(30, round(width_chars * 0.72))) if subtitle else []
    title_text = "<br>".join(plain(line) for line in title_lines)
    line = round(title_size * 1.3)
    top = (16 + line * len(title_lines) + 24 * len(sub_lines) + (12 if sub_lines else 0)
           + 30 * _legend_lines(fig, width_chars) + (10 if fig.data else 0) + 18)
    bottom = axis_space + note_line * len(lines) + (16 if lines else 0)
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title_text, font=dict(size=title_size),
                   # Plotly lifts every extra title line above a top anchor: pad it back down.
                   pad=dict(t=14 + line * (len(title_lines) - 1) // 2, l=12),
                   subtitle=dict(text="<br>".join(plain(line) for line in sub_lines),
                                 font=dict(size=BODY_SIZE, color=MUTED))
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


# --- shared pieces ---------------------------------------------------------------------------

BASELINE_SHORT: dict[str, str] = {
    "previous": "last quarter",
    "normal": "normal",
    "benchmark": "industry",
    "target": "target",
}
"""How a baseline kind reads in a label ("+38% vs normal")."""

LAYER_COLOURS = {
    "visible": ("#FFFFFF", "#E9F3FA", "#D8EAF6"),
    "hidden": ("#CFE7F6", "#B8DBF1", "#A2CFEB", "#8CC3E5", "#78B7DF", "#66ABD8"),
}
"""Ice: white above the water, deeper blues below, one shade per layer from the top."""
_SEA_TOP, _SEA_DEEP = (0x3F, 0x7F, 0xAE), (0x12, 0x36, 0x55)
_SEA_BANDS = tuple(
    "#" + "".join(f"{round(a + (b - a) * i / 23):02X}" for a, b in zip(_SEA_TOP, _SEA_DEEP,
                                                                       strict=True))
    for i in range(24))
"""The sea, lighter at the surface and darker with depth, in 24 fine steps."""
_ICE_EDGE = "#0B3C5D"
_SKY = "#FFFFFF"


def metric_label(metric: str) -> str:
    """A metric's display name, plain text (the canonical label, else the name as uploaded)."""
    canonical = CANONICAL_METRICS.get(metric)
    if canonical:
        return canonical.label
    text = metric.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _tick(text: str, width: int = 13) -> str:
    """User text escaped and wrapped onto short lines for a category axis."""
    return "<br>".join(plain(line) for line in _wrap(text, width))


def _money_ticks(low: float, high: float, count: int = 5) -> tuple[list[float], list[str]]:
    """Round tick positions between ``low`` and ``high``, labelled like $1.2M."""
    span = max(high - low, 1.0)
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    values = [start + i * step for i in range(int(math.ceil((high - start) / step)) + 1)]
    return values, [money(v) if v else "$0" for v in values]


def _percent_ticks(low: float, high: float, count: int = 6) -> tuple[list[float], list[str]]:
    """Round tick positions (ratios) between ``low`` and ``high`` that include 0, as '+20%'."""
    raw = max((high - low) / count, 0.01)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first, last = math.ceil(low / step), math.floor(high / step)
    values = [i * step for i in range(first, last + 1)]
    return values, [signed_percent(v) if v else "0%" for v in values]


def _blank(title: str, message: str, footnote: Footnote | str | None, **kw: object) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=plain(message), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font=dict(size=BODY_SIZE + 2, color=MUTED))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title=title, footnote=footnote, axis_space=10, **kw)


def present(fig: go.Figure) -> go.Figure:
    """The figure for the presentation view: larger type, taller; the footnote is kept."""
    scale = 1.25
    fig.update_layout(font_size=round(BODY_SIZE * scale),
                      title_font_size=round(TITLE_SIZE * scale),
                      height=min((fig.layout.height or 600) + 60, 860))
    for note in fig.layout.annotations or ():
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


# --- the iceberg -----------------------------------------------------------------------------

# The silhouette: (x, relative height) of each edge, top to bottom. The tip is scaled
# vertically so that its area is the visible share of the whole; the underwater part is one
# unit deep. Any linear scaling keeps the areas proportional, so the picture cannot lie.
_TIP_RIGHT = ((0.06, 1.0), (0.22, 0.80), (0.30, 0.58), (0.52, 0.36), (0.60, 0.14), (0.80, 0.0))
_TIP_LEFT = ((-0.12, 1.0), (-0.28, 0.72), (-0.36, 0.48), (-0.60, 0.22), (-0.75, 0.0))
_UNDER_RIGHT = ((0.80, 0.0), (1.05, 0.18), (1.20, 0.40), (1.12, 0.62), (0.86, 0.82),
                (0.36, 1.0))
_UNDER_LEFT = ((-0.75, 0.0), (-1.00, 0.15), (-1.15, 0.38), (-1.12, 0.60), (-0.80, 0.85),
               (-0.26, 1.0))


@dataclass(frozen=True)
class _Layer:
    key: str
    label: str
    layer: str
    amount: float
    xs: tuple[float, ...]
    ys: tuple[float, ...]

    @property
    def middle(self) -> float:
        return (max(self.ys) + min(self.ys)) / 2


def _edge_x(edge: Sequence[tuple[float, float]], y: float) -> float:
    """The edge's x at height ``y`` (edges are (y, x) pairs, y descending)."""
    for (y0, x0), (y1, x1) in zip(edge, edge[1:], strict=False):
        if y1 <= y <= y0:
            return x0 if y0 == y1 else x0 + (x1 - x0) * (y0 - y) / (y0 - y1)
    return edge[0][1] if y > edge[0][0] else edge[-1][1]


Edge = list[tuple[float, float]]
"""One side of the iceberg: (y, x) pairs, top to bottom."""


def _silhouette(visible_share: float) -> tuple[Edge, Edge]:
    """The iceberg's right and left edges as (y, x) pairs, top to bottom, waterline at 0."""

    def area(right: Sequence[tuple[float, float]], left: Sequence[tuple[float, float]]) -> float:
        ys = sorted({y for y, _ in right} | {y for y, _ in left}, reverse=True)
        widths = [_edge_x(right, y) - _edge_x(left, y) for y in ys]
        return math.fsum((a - b) * (wa + wb) / 2
                         for a, b, wa, wb in zip(ys, ys[1:], widths, widths[1:], strict=False))

    def tip(height: float, pts: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(t * height, x) for x, t in pts]

    def under(depth: float, pts: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(-d * depth, x) for x, d in pts]

    if visible_share >= 1.0:
        return tip(1.0, _TIP_RIGHT), tip(1.0, _TIP_LEFT)
    under_area = area(under(1.0, _UNDER_RIGHT), under(1.0, _UNDER_LEFT))
    if visible_share <= 0.0:
        return under(1.0, _UNDER_RIGHT), under(1.0, _UNDER_LEFT)
    tip_area = area(tip(1.0, _TIP_RIGHT), tip(1.0, _TIP_LEFT))
    height = visible_share / (1.0 - visible_share) * under_area / tip_area
    right = tip(height, _TIP_RIGHT) + under(1.0, _UNDER_RIGHT)[1:]
    left = tip(height, _TIP_LEFT) + under(1.0, _UNDER_LEFT)[1:]
    return right, left


def _band(right: Sequence[tuple[float, float]], left: Sequence[tuple[float, float]],
          top: float, bottom: float) -> tuple[list[float], list[float]]:
    """The closed polygon of the silhouette between heights ``top`` and ``bottom``."""
    inner_r = [(y, x) for y, x in right if bottom < y < top]
    inner_l = [(y, x) for y, x in left if bottom < y < top]
    pts = ([(_edge_x(right, top), top)] + [(x, y) for y, x in inner_r]
           + [(_edge_x(right, bottom), bottom), (_edge_x(left, bottom), bottom)]
           + [(x, y) for y, x in reversed(inner_l)] + [(_edge_x(left, top), top)])
    pts.append(pts[0])
    return [p[0] for p in pts], [p[1] for p in pts]


def _depth_for_area(right: Sequence[tuple[float, float]], left: Sequence[tuple[float, float]],
                    area: float) -> float:
    """The height y at which the silhouette above y has exactly ``area``.

    Between breakpoints the width is linear in y, so the area is quadratic: solved exactly,
    in the numerically stable form ``d = 2r / (w + sqrt(w^2 + 4kr))``.
    """
    ys = sorted({y for y, _ in right} | {y for y, _ in left}, reverse=True)
    done = 0.0
    for top, bottom in zip(ys, ys[1:], strict=False):
        w0 = _edge_x(right, top) - _edge_x(left, top)
        w1 = _edge_x(right, bottom) - _edge_x(left, bottom)
        height = top - bottom
        piece = height * (w0 + w1) / 2
        if done + piece >= area:
            rest = area - done
            k = (w1 - w0) / (2 * height)
            root = math.sqrt(max(w0 * w0 + 4 * k * rest, 0.0))
            return top - (2 * rest / (w0 + root) if w0 + root > 0 else 0.0)
        done += piece
    return ys[-1]


def polygon_area(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The area of a closed polygon (shoelace formula)."""
    return abs(math.fsum(x0 * y1 - x1 * y0 for x0, y0, x1, y1
                         in zip(xs, ys, xs[1:], ys[1:], strict=False))) / 2


def iceberg_layers(berg: Iceberg, *, reference_total: float | None = None) -> list[_Layer]:
    """The iceberg's layers as polygons whose areas are proportional to their money.

    The visible lines sit above the waterline (y = 0), the hidden ones below, in the order of
    `cxroi.roi.ICEBERG_LINES`. With ``reference_total`` (another iceberg's total) the shape
    is drawn on that iceberg's scale, so two icebergs can be compared by area.
    """
    total = berg.total
    if total <= 0:
        return []
    right, left = _silhouette(berg.visible / total)
    scale = math.sqrt(total / (reference_total or total))
    right = [(y * scale, x * scale) for y, x in right]
    left = [(y * scale, x * scale) for y, x in left]
    whole = polygon_area(*_band(right, left, right[0][0], right[-1][0]))
    layers, done, top = [], 0.0, right[0][0]
    for line in berg.lines:
        if line.amount <= 0:
            continue
        done += line.amount
        if done >= total * (1 - 1e-12):
            bottom = right[-1][0]
        else:
            bottom = _depth_for_area(right, left, whole * done / total)
        xs, ys = _band(right, left, top, bottom)
        layers.append(_Layer(line.key, line.label, line.layer, line.amount, tuple(xs), tuple(ys)))
        top = bottom
    return layers


def _spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Label heights near ``wanted`` (descending) at least ``gap`` apart, within [low, high]."""
    placed: list[float] = []
    for y in wanted:
        y = min(y, high if not placed else placed[-1] - gap)
        placed.append(y)
    overflow = low - placed[-1] if placed else 0
    if overflow > 0:
        placed = [y + overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = max(placed[i], placed[i + 1] + gap)
    return placed


def _iceberg_traces(fig: go.Figure, layers: Sequence[_Layer], total: float, *,
                    dx: float = 0.0, hover: bool = True, name: str = "") -> None:
    shade = {"visible": 0, "hidden": 0}
    for layer in layers:
        tints = LAYER_COLOURS[layer.layer]
        colour = tints[shade[layer.layer] % len(tints)]
        shade[layer.layer] += 1
        share = layer.amount / total if total else 0.0
        fig.add_trace(go.Scatter(
            x=[x + dx for x in layer.xs], y=list(layer.ys), fill="toself", mode="lines",
            fillcolor=colour, line=dict(color=_ICE_EDGE, width=1.5), name=layer.key,
            legendgroup=name or layer.layer, showlegend=False,
            hoveron="fills", hoverinfo="text" if hover else "skip",
            text=f"{plain(layer.label)}: {money(layer.amount)} ({percent(share)})",
        ))


def _sea(fig: go.Figure, x0: float, x1: float, bottom: float) -> None:
    step = bottom / len(_SEA_BANDS)
    bands = [dict(type="rect", x0=x0, x1=x1, y0=bottom, y1=step * i, layer="below",
                  fillcolor=colour, line=dict(width=0))
             for i, colour in enumerate(_SEA_BANDS)]  # each from its depth down: no seams
    surface = dict(type="line", x0=x0, x1=x1, y0=0, y1=0, layer="above",
                   line=dict(color=_ICE_EDGE, width=3))
    fig.update_layout(shapes=[*fig.layout.shapes, *bands, surface])


def iceberg_headline(berg: Iceberg | None) -> str:
    """'Finance sees $1.2M; it really costs $5.8M (4.8x the tip)'."""
    if berg is None or berg.total <= 0:
        return "No cost of poor experience recorded yet"
    least = "at least " if berg.missing else ""
    if not berg.visible:
        return f"Finance sees nothing; it really costs {least}{money(berg.total)}"
    return (f"Finance sees {money(berg.visible)}; it really costs {least}{money(berg.total)} "
            f"({multiple(berg.total_multiple)} the tip)")


def hidden_takeaway(berg: Iceberg | None) -> str:
    """'Hidden costs are 3.8x the visible tip'."""
    if berg is None or not berg.visible:
        return "No visible tip to compare with"
    return f"Hidden costs are {multiple(berg.hidden_multiple)} the visible tip"


def iceberg_figure(berg: Iceberg | None, footnote: Footnote | str | None, *,
                   compact: bool = False) -> go.Figure:
    """The cost iceberg: the visible tip above a drawn waterline, the hidden mass below.

    Each layer is a polygon whose area is proportional to its money (see `iceberg_layers`),
    labelled with its name, amount and share of the whole.
    """
    height = 380 if compact else 680
    title = iceberg_headline(berg)
    if berg is None or berg.total <= 0:
        return _blank(title, "Upload a quarter of metrics to see the iceberg.", footnote,
                      height=height)
    layers = iceberg_layers(berg)
    total = berg.total
    xs = [x for layer in layers for x in layer.xs]
    ys = [y for layer in layers for y in layer.ys]
    top, bottom = max(ys), min(ys)
    span = top - bottom
    right_edge, left_edge = max(xs), min(xs)
    label_x = right_edge + 0.25
    x_min, x_max = left_edge - (0.35 if compact else 1.55), right_edge + (0.35 if compact else 2.9)
    y_min, y_max = bottom - 0.08 * span, max(top, 0) + 0.10 * span
    fig = go.Figure()
    _sea(fig, x_min, x_max, y_min)
    _iceberg_traces(fig, layers, total)
    if not compact:
        gap = (y_max - y_min) * 30 / height
        wanted = [layer.middle for layer in layers]
        placed = _spread(wanted, gap, y_min + gap / 2, y_max - gap / 2)
        for layer, y in zip(layers, placed, strict=True):
            edge = max(x for x, yy in zip(layer.xs, layer.ys, strict=True))
            colour = INK if y > 0 else "white"
            fig.add_shape(type="line", x0=edge - 0.05, y0=layer.middle, x1=label_x - 0.04,
                          y1=y, line=dict(color=colour, width=1))
            fig.add_annotation(
                x=label_x, y=y, xanchor="left", yanchor="middle", showarrow=False,
                text=(f"<b>{plain(layer.label)}</b>  {money(layer.amount)}"
                      f"  <span style='color:{'#555555' if y > 0 else '#D6E9F5'}'>"
                      f"{percent(layer.amount / total)}</span>"),
                font=dict(size=17, color=colour))
        side = dict(x=left_edge - 0.2, xanchor="right", showarrow=False, align="right")
        if berg.visible:
            fig.add_annotation(y=max(top, 0) * 0.45, yanchor="middle",
                               text=f"Finance sees<br><b>{money(berg.visible)}</b>",
                               font=dict(size=22, color=INK), **side)
        fig.add_annotation(y=bottom * 0.4, yanchor="middle",
                           text=(f"Hidden below<br>the waterline<br><b>{money(berg.hidden)}</b>"
                                 + (f"<br>{multiple(berg.hidden_multiple)} the tip"
                                    if berg.visible else "")),
                           font=dict(size=22, color="white"), **side)
    fig.update_xaxes(visible=False, range=[x_min, x_max], fixedrange=True)
    fig.update_yaxes(visible=False, range=[y_min, y_max], fixedrange=True)
    fig.update_layout(margin=dict(l=12, r=12), hovermode="closest")
    subtitle = None if compact else (
        f"Cost of poor experience, {berg.period}, {berg.segment}: "
        f"{hidden_takeaway(berg).lower()}. Each layer's area is its money.")
    return finish(fig, title=title, footnote=footnote, subtitle=subtitle, height=height,
                  axis_space=12, width_chars=44 if compact else 120,
                  compact=compact)


# --- the snowball and the melt ---------------------------------------------------------------


def snowball_steps(ball: Snowball, footnote: Footnote | str | None) -> go.Figure:
    """The lines added one by one, from the visible tip to the full total."""
    if not ball.steps:
        return _blank("No cost lines yet", "Upload a quarter of metrics.", footnote, height=520)
    first_hidden = next((s for s in ball.steps if s.layer == "hidden"), None)
    total = ball.steps[-1].cumulative
    tip = first_hidden.cumulative - first_hidden.amount if first_hidden else total
    labels = [s.label for s in ball.steps]
    order = [*labels, "Total"]
    fig = go.Figure()
    if first_hidden is not None and tip > 0:
        order.insert(ball.steps.index(first_hidden), "Visible tip")
        fig.add_trace(go.Bar(x=["Visible tip"], y=[tip], marker_color=MUTED, name="Visible tip",
                             text=[f"<b>{money(tip)}</b>"], textposition="outside",
                             textfont=dict(size=18), showlegend=False, cliponaxis=False,
                             hoverinfo="skip"))
    for layer, colour, name in (("visible", NEUTRAL, "Visible: finance sees it"),
                                ("hidden", WORSE, "Hidden: below the waterline")):
        idx = [i for i, s in enumerate(ball.steps) if s.layer == layer]
        if not idx:
            continue
        fig.add_trace(go.Bar(
            x=[labels[i] for i in idx], y=[ball.steps[i].amount for i in idx],
            base=[ball.steps[i].cumulative - ball.steps[i].amount for i in idx],
            marker_color=colour, name=name, text=[f"+{money(ball.steps[i].amount)}" for i in idx],
            textposition="outside", textfont=dict(size=16), cliponaxis=False,
            hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.add_trace(go.Bar(x=["Total"], y=[total], marker_color=INK, name="Total",
                         text=[f"<b>{money(total)}</b>"], textposition="outside",
                         textfont=dict(size=18), showlegend=False, cliponaxis=False,
                         hoverinfo="skip"))
    values, texts = _money_ticks(0, total * 1.12)
    fig.update_yaxes(tickvals=values, ticktext=texts, range=[0, total * 1.15])
    fig.update_xaxes(categoryorder="array", categoryarray=order, tickfont=dict(size=14))
    axis = _category_axis(fig, order, order, slot_chars=11)
    fig.update_layout(barmode="overlay", bargap=0.25)
    title = (f"The snowball: {money(tip)} finance sees grows to {money(total)} "
             "once hidden costs are counted")
    return finish(fig, title=title, footnote=footnote, height=560, axis_space=axis,
                  subtitle="The latest quarter's cost lines, added one by one")


def snowball_quarters(ball: Snowball, footnote: Footnote | str | None) -> go.Figure:
    """The running total quarter by quarter, and where it goes if nothing changes."""
    if not ball.running:
        return _blank("No quarters yet", "Upload a quarter of metrics.", footnote, height=520)
    actual, ahead = ball.running, ball.projection
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[p.period for p in actual], y=[p.cumulative for p in actual], mode="lines+markers",
        fill="tozeroy", fillcolor="rgba(213,94,0,0.25)", line=dict(color=WORSE, width=4),
        name="Cost so far", hovertemplate="%{x}: %{customdata} so far<extra></extra>",
        customdata=[money(p.cumulative) for p in actual]))
    if ahead:
        xs = [actual[-1].period] + [p.period for p in ahead]
        ys = [actual[-1].cumulative] + [p.cumulative for p in ahead]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", fill="tozeroy", fillcolor="rgba(153,153,153,0.18)",
            line=dict(color=NEUTRAL, width=4, dash="dash"), name="If nothing changes",
            hovertemplate="%{x}: %{customdata} if nothing changes<extra></extra>",
            customdata=[money(y) for y in ys]))
        fig.add_annotation(x=xs[-1], y=ys[-1], text=f"<b>{money(ys[-1])}</b><br>by {xs[-1]}",
                           showarrow=False, xanchor="right", yanchor="bottom", yshift=8,
                           font=dict(size=20, color=MUTED))
    fig.add_annotation(x=actual[-1].period, y=actual[-1].cumulative,
                       text=f"<b>{money(actual[-1].cumulative)}</b><br>so far",
                       showarrow=False, xanchor="right", yanchor="bottom", xshift=-6, yshift=8,
                       font=dict(size=20, color=WORSE))
    peak = (ahead[-1] if ahead else actual[-1]).cumulative
    values, texts = _money_ticks(0, peak * 1.15)
    fig.update_yaxes(tickvals=values, ticktext=texts, range=[0, peak * 1.2])
    periods = [p.period for p in actual] + [p.period for p in ahead]
    step = max(1, len(periods) // 8)
    fig.update_xaxes(type="category", tickvals=periods[::step], tickfont=dict(size=15))
    title = f"Poor experience has cost {money(actual[-1].cumulative)} since {actual[0].period}"
    if ahead:
        title += f"; another {money(ball.projected_cost)} by {ahead[-1].period} if nothing changes"
    return finish(fig, title=title, footnote=footnote, height=560, axis_space=50,
                  subtitle=f"Each future quarter at today's run rate of "
                           f"{money(ball.quarterly_run_rate)} a quarter")


def melt_headline(case: MeltResult) -> str:
    """'Right first time saves $3.3M a year: NPV $7.7M, ROI 2,060%, payback 0.9 months'."""
    payback = ("never pays back" if case.payback_months is None
               else f"payback {case.payback_months:,.1f} months")
    return (f"Right first time saves {money(case.yearly_benefit)} a year (risk-adjusted): "
            f"NPV {money(case.npv)}, ROI {percent(case.roi)}, {payback}")


def melt_figure(berg: Iceberg | None, after: Iceberg | None, case: MeltResult,
                footnote: Footnote | str | None) -> go.Figure:
    """Today's iceberg and what remains after right-first-time prevention, on one scale."""
    if berg is None or after is None or berg.total <= 0:
        return _blank("No iceberg yet: nothing to melt",
                      "Upload a quarter of metrics to see the melt.", footnote, height=600)
    title = melt_headline(case)
    before_layers = iceberg_layers(berg)
    after_layers = iceberg_layers(after, reference_total=berg.total)
    xs = [x for layer in before_layers for x in layer.xs]
    ys = [y for layer in before_layers for y in layer.ys]
    width = max(xs) - min(xs)
    dx = width + 0.9
    top, bottom = max(ys), min(ys)
    span = top - bottom
    x_min, x_max = min(xs) - 0.5, max(xs) + dx + 0.5
    y_min, y_max = bottom - 0.08 * span, max(top, 0) + 0.30 * span
    fig = go.Figure()
    _sea(fig, x_min, x_max, y_min)
    _iceberg_traces(fig, before_layers, berg.total, name="before")
    outline_x = [x for layer in before_layers for x in (*layer.xs, None)]
    outline_y = [y for layer in before_layers for y in (*layer.ys, None)]
    fig.add_trace(go.Scatter(x=[x + dx if x is not None else None for x in outline_x],
                             y=outline_y, mode="lines", hoverinfo="skip", showlegend=False,
                             line=dict(color="#FFFFFF", width=1.5, dash="dot"), name="melted"))
    _iceberg_traces(fig, after_layers, after.total, dx=dx, name="after")
    saving = berg.total - after.total
    for x, text in ((0.0, f"<b>Today</b><br>{money(berg.total)} a quarter"),
                    (dx, f"<b>Right first time</b><br>{money(after.total)} a quarter "
                         f"(-{money(saving)})")):
        fig.add_annotation(x=x, y=max(top, 0) + 0.04 * span, yanchor="bottom", showarrow=False,
                           text=text, font=dict(size=20, color=INK))
    fig.update_xaxes(visible=False, range=[x_min, x_max], fixedrange=True)
    fig.update_yaxes(visible=False, range=[y_min, y_max], fixedrange=True)
    fig.update_layout(margin=dict(l=12, r=12))
    subtitle = (f"{berg.period}, {berg.segment}: prevention removes "
                f"{percent(1 - after.total / berg.total)} of every line; the dotted outline "
                "is what melts away")
    return finish(fig, title=title, footnote=footnote, subtitle=subtitle, height=600,
                  axis_space=12)


def math_rows(berg: Iceberg | None, assumptions: Assumptions) -> list[dict[str, str]]:
    """'Show the math': every line's formula, inputs and amount to the cent, CLV's own
    formula, and the missing lines named (the iceberg is then at least this big)."""
    if berg is None:
        return []
    units = {info.key: info.unit for info in assumption_info()}
    units["CLV"] = "money"
    for name, metric in CANONICAL_METRICS.items():
        units.setdefault(name, metric.unit)

    def show(name: str, value: float) -> str:
        unit = units.get(name, "count")
        if unit.startswith("money"):
            text = money_exact(value)
        elif unit == "ratio":
            text = f"{value:g} ({percent(value, 1)})"
        elif unit in ("hours", "years"):
            text = f"{value:g} {unit}"
        else:
            text = number(value)
        return f"{name} = {text}"

    rows = [{"Line": line.label, "Amount": money_exact(line.amount), "Layer": line.layer,
             "Formula": line.formula,
             "Inputs": "; ".join(show(k, v) for k, v in line.inputs.items())}
            for line in berg.lines]
    labels = {spec.key: spec for spec in ICEBERG_LINES}
    for key in berg.missing:
        spec = labels[key]
        rows.append({"Line": spec.label,
                     "Amount": "not counted (the iceberg is at least this big)",
                     "Layer": spec.layer, "Formula": spec.formula,
                     "Inputs": f"missing: no {spec.metric} figure for {berg.period}"})
    a = assumptions
    rows.append({"Line": "CLV (customer lifetime value)", "Amount": money_exact(a.clv),
                 "Layer": "input",
                 "Formula": "annual_revenue_per_customer * gross_margin * expected_lifetime_years",
                 "Inputs": "; ".join(show(k, getattr(a, k)) for k in
                                     ("annual_revenue_per_customer", "gross_margin",
                                      "expected_lifetime_years"))})
    for label, amount, formula in (("Visible tip", berg.visible, "sum of visible lines"),
                                   ("Hidden below the waterline", berg.hidden,
                                    "sum of hidden lines"),
                                   ("Total", berg.total, "visible + hidden")):
        rows.append({"Line": label, "Amount": money_exact(amount), "Layer": "total",
                     "Formula": formula, "Inputs": ""})
    return rows


# --- relative size ---------------------------------------------------------------------------


def _bar_text(bar: RelativeBar, kind: str, *, long: bool) -> str:
    if bar.baseline is None:
        return f"no {BASELINE_SHORT[kind]}"
    if bar.relative is None:
        return f"{BASELINE_SHORT[kind]} is 0"
    text = signed_percent(bar.relative)
    if long:
        text += f" vs {BASELINE_SHORT[kind]}"
    if bar.unit == "money" and bar.delta is not None:
        sign = "+" if bar.delta >= 0 else ""
        text += f" ({sign}{money(bar.delta)})" if long else f"<br>{sign}{money(bar.delta)}"
    return text


def _sorted_bars(bars: Sequence[RelativeBar], metrics: Sequence[str] | None) -> list[RelativeBar]:
    chosen = [b for b in bars if metrics is None or b.metric in metrics]
    known = sorted((b for b in chosen if b.relative is not None),
                   key=lambda b: b.relative, reverse=True)
    return known + [b for b in chosen if b.relative is None]


def relative_headline(view: RelativeView, metrics: Sequence[str] | None = None) -> str:
    """'11 of 14 measures are worse than normal; biggest: Service contacts +23%'."""
    bars = _sorted_bars(view.bars, metrics)
    known = [b for b in bars if b.relative is not None]
    short = BASELINE_SHORT[view.baseline]
    if not known:
        return f"No {short} baseline to compare with in {view.period or 'this period'}"
    worst = max(known, key=lambda b: abs(b.relative))
    if len(bars) == 1:
        direction = "worse" if worst.worse else "better"
        return (f"{metric_label(worst.metric)} is {signed_percent(worst.relative)} vs {short}: "
                f"{direction}")
    worse = sum(1 for b in known if b.worse)
    verb = "is" if worse == 1 else "are"
    return (f"{worse} of {len(known)} measures {verb} worse than {short}; biggest move: "
            f"{metric_label(worst.metric)} {signed_percent(worst.relative)}")


def _relative_compact(view: RelativeView, bars: Sequence[RelativeBar], title: str,
                      footnote: Footnote | str | None) -> go.Figure:
    """The thumbnail: the six biggest moves as horizontal bars either side of the baseline."""
    biggest = sorted((b for b in bars if b.relative is not None),
                     key=lambda b: abs(b.relative), reverse=True)[:6]
    if not biggest:
        return _blank(title, "No baseline to compare with.", footnote, height=380,
                      width_chars=44, compact=True)
    rows = sorted(biggest, key=lambda b: b.relative)
    names = [_tick(metric_label(b.metric), 18) for b in rows]
    fig = go.Figure(go.Bar(
        y=names, x=[b.relative for b in rows], orientation="h", showlegend=False,
        marker_color=[WORSE if b.worse else BETTER for b in rows],
        text=[signed_percent(b.relative) for b in rows], textposition="outside",
        cliponaxis=False, textfont=dict(size=13), hovertemplate="%{y}: %{text}<extra></extra>"))
    values = [b.relative for b in rows]
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low or 1.0) * 0.3
    fig.add_vline(x=0, line=dict(color=INK, width=2))
    fig.update_xaxes(range=[low - pad, high + pad], tickvals=[0],
                     ticktext=[f"<b>{BASELINE_SHORT[view.baseline].capitalize()}</b>"],
                     tickfont=dict(size=13))
    fig.update_yaxes(showgrid=False, tickfont=dict(size=13))
    longest = max(len(line) for b in rows for line in _wrap(metric_label(b.metric), 18))
    fig.update_layout(bargap=0.3, margin=dict(l=24 + round(13 * 0.62 * longest), r=44))
    return finish(fig, title=title, footnote=footnote, height=380, axis_space=36,
                  width_chars=44, compact=True)


def _category_axis(fig: go.Figure, labels: Sequence[str], keys: Sequence[str], *,
                   slot_chars: int) -> int:
    """Lay out category tick labels without overlap; return the pixels they need below.

    Labels that fit their slot (``slot_chars`` characters) are wrapped onto short lines and
    kept level; longer ones are set at an angle on one line.
    """
    longest_word = max((len(word) for label in labels for word in label.split()), default=1)
    if longest_word <= slot_chars:
        ticks = [_tick(label, slot_chars) for label in labels]
        lines = max(tick.count("<br>") + 1 for tick in ticks)
        fig.update_xaxes(tickangle=0, tickvals=list(keys), ticktext=ticks)
        return 24 + 18 * lines
    longest = max(len(label) for label in labels)
    fig.update_xaxes(tickangle=-40)
    return 30 + round(0.6 * 14 * longest * 0.64)


def relative_bars(view: RelativeView, footnote: Footnote | str | None, *,
                  metrics: Sequence[str] | None = None, in_money: bool = False,
                  compact: bool = False) -> go.Figure:
    """Bars above or below a drawn, labelled baseline line, sorted by size.

    Heights are the change in percent of the baseline (one zero line works for every unit);
    with ``in_money`` and only money metrics, the change in money. Blue is better, vermillion
    worse (from each metric's direction); a missing baseline is said, never drawn as zero.
    """
    bars = _sorted_bars(view.bars, metrics)
    title = relative_headline(view, metrics)
    if compact:
        return _relative_compact(view, bars, title, footnote)
    if not bars:
        return _blank(title, "No measures for this period and segment.", footnote, height=620)
    money_mode = in_money and all(b.unit == "money" for b in bars)
    short = BASELINE_SHORT[view.baseline]

    def height_of(bar: RelativeBar) -> float | None:
        return bar.delta if money_mode else bar.relative

    labels = [metric_label(b.metric) for b in bars]
    keys = [plain(label) for label in labels]
    long = len(bars) <= 5
    fig = go.Figure()
    for name, colour, worse in ((f"Worse than {short}", WORSE, True),
                                (f"Better than {short}", BETTER, False)):
        chosen = [(k, b) for k, b in zip(keys, bars, strict=True)
                  if b.worse is worse and height_of(b) is not None]
        if not chosen:
            continue
        fig.add_trace(go.Bar(
            x=[k for k, _ in chosen], y=[height_of(b) for _, b in chosen], marker_color=colour,
            name=name, text=[_bar_text(b, view.baseline, long=long) for _, b in chosen],
            textposition="outside", cliponaxis=False, textfont=dict(size=17, color=colour),
            customdata=[[number(b.value, b.unit), number(b.baseline, b.unit)] for _, b in chosen],
            hovertemplate=f"%{{x}}: %{{customdata[0]}} against {short} %{{customdata[1]}}"
                          "<extra></extra>"))
    missing = [(k, b) for k, b in zip(keys, bars, strict=True) if height_of(b) is None
               or b.worse is None]
    if missing:
        fig.add_trace(go.Scatter(
            x=[k for k, _ in missing], y=[0.0] * len(missing), mode="markers+text",
            marker=dict(symbol="circle-open", size=14, color=NEUTRAL, line=dict(width=2)),
            text=["n/a" if b.baseline is None else "0 base" for _, b in missing],
            textposition="top center", textfont=dict(size=14, color=MUTED),
            name=f"No {short} baseline (n/a)", hoverinfo="skip"))
    values = [height_of(b) or 0.0 for b in bars]
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low or 1.0) * 0.22
    if money_mode:
        tick_values, tick_texts = _money_ticks(low - pad, high + pad)
        tick_texts = [("+" + t if v > 0 else t) for v, t in zip(tick_values, tick_texts,
                                                                  strict=True)]
    else:
        tick_values, tick_texts = _percent_ticks(low - pad, high + pad)
    line_label = short.capitalize()
    if len(bars) == 1 and bars[0].baseline is not None:
        line_label += f": {number(bars[0].baseline, bars[0].unit)}"
    # The baseline line is drawn and labelled where the eye reads the scale: the zero tick.
    tick_texts = [f"<b>{plain(line_label)}</b>" if abs(v) < 1e-12 else t
                  for v, t in zip(tick_values, tick_texts, strict=True)]
    fig.update_yaxes(range=[low - pad, high + pad], title_text=None, tickvals=tick_values,
                     ticktext=tick_texts)
    fig.add_hline(y=0, line=dict(color=INK, width=3))
    fig.update_xaxes(categoryorder="array", categoryarray=keys,
                     tickfont=dict(size=14 if len(bars) > 8 else 16))
    axis = _category_axis(fig, labels, keys, slot_chars=max(8, 96 // max(len(bars), 1)))
    fig.update_layout(barmode="overlay", bargap=0.3, uniformtext=dict(minsize=14, mode="show"),
                      margin=dict(l=max(80, 28 + round(0.62 * BODY_SIZE * len(line_label)))))
    unit = "change in money" if money_mode else "change in percent of the baseline"
    subtitle = (f"{plain_period(view.period)}, {view.segment}: each bar is the {unit}, "
                f"against {BASELINE_LABELS[view.baseline]}")
    if missing:
        subtitle += f"; {len(missing)} without one"
    return finish(fig, title=title, footnote=footnote, subtitle=subtitle, height=620,
                  axis_space=axis)


def money_only(view: RelativeView, metrics: Sequence[str] | None = None) -> bool:
    """True when every chosen measure is money, so the bars can be drawn in dollars."""
    bars = _sorted_bars(view.bars, metrics)
    return bool(bars) and all(bar.unit == "money" for bar in bars)


def plain_period(period: str | None) -> str:
    return period or "No period"


def size_word(relative: float | None) -> str:
    """'small' (under 10%), 'medium' (10-25%) or 'large' (25% or more) change."""
    if relative is None:
        return "no baseline"
    size = abs(relative)
    return "small" if size < 0.10 else "medium" if size < 0.25 else "large"


SIZE_CLASSES = (("large", "Large", "25% or more"), ("medium", "Medium", "10 to 25%"),
                ("small", "Small", "under 10%"), ("no baseline", "No baseline", ""))


def relative_circles(view: RelativeView, footnote: Footnote | str | None, *,
                     metrics: Sequence[str] | None = None) -> go.Figure:
    """The same comparison as small / medium / large circles, one row per size class.

    Each circle's area is the size of the change (against the biggest on the chart);
    vermillion is worse, blue better, a hollow grey ring has no baseline.
    """
    bars = _sorted_bars(view.bars, metrics)
    bars = sorted(bars, key=lambda b: -abs(b.relative) if b.relative is not None else 1)
    title = relative_headline(view, metrics)
    if not bars:
        return _blank(title, "No measures for this period and segment.", footnote, height=560)
    per_row = 6
    biggest = max((abs(b.relative) for b in bars if b.relative is not None), default=1.0) or 1.0
    places: dict[int, tuple[int, int]] = {}
    row_labels: list[tuple[int, str]] = []
    row = 0
    for word, name, span in SIZE_CLASSES:
        members = [i for i, b in enumerate(bars) if size_word(b.relative) == word]
        if not members:
            continue
        row_labels.append((row, f"<b>{name}</b>" + (f"<br>{span}" if span else "")))
        for n, i in enumerate(members):
            places[i] = (n % per_row, row + n // per_row)
        row += math.ceil(len(members) / per_row)
    fig = go.Figure()
    short = BASELINE_SHORT[view.baseline]
    for name, colour, pick in ((f"Worse than {short}", WORSE, lambda b: b.worse is True),
                               (f"Better than {short}", BETTER, lambda b: b.worse is False),
                               (f"No {short} baseline", NEUTRAL, lambda b: b.worse is None)):
        idx = [i for i, b in enumerate(bars) if pick(b)
               and (b.relative is not None or colour == NEUTRAL)]
        idx = [i for i in idx if colour == NEUTRAL or bars[i].relative is not None]
        if not idx:
            continue
        hollow = colour == NEUTRAL
        fig.add_trace(go.Scatter(
            x=[places[i][0] for i in idx], y=[-places[i][1] for i in idx], mode="markers+text",
            marker=dict(color="white" if hollow else colour, sizemode="area",
                        sizeref=biggest / (80 ** 2), sizemin=10, opacity=1.0,
                        size=[abs(bars[i].relative or 0) for i in idx],
                        line=dict(color=colour if hollow else "white", width=2)),
            text=[f"<b>{_tick(metric_label(bars[i].metric), 16)}</b><br>"
                  + _bar_text(bars[i], view.baseline, long=False) for i in idx],
            textposition="bottom center", textfont=dict(size=15, color=INK), name=name,
            hoverinfo="skip", cliponaxis=False))
    for y, text in row_labels:
        fig.add_annotation(x=-0.55, y=-y, xanchor="right", yanchor="middle", showarrow=False,
                           text=text, align="right", font=dict(size=16, color=MUTED))
    fig.update_xaxes(visible=False, range=[-1.5, per_row - 0.4])
    fig.update_yaxes(visible=False, range=[-(row - 1) - 0.95, 0.5])
    fig.update_layout(legend=dict(itemsizing="constant"), margin=dict(l=12))
    return finish(fig, title=title, footnote=footnote, height=240 + 230 * row, axis_space=10,
                  subtitle=f"{plain_period(view.period)}, {view.segment}: circle area is the "
                           f"size of the change against {BASELINE_LABELS[view.baseline]}")


# --- the effort split ------------------------------------------------------------------------

TIER_COLOURS = {"EL": BETTER, "EM": "#56B4E9", "TM": "#BBBBBB"}


def effort_headline(split: EffortSplit | None, target: float) -> str:
    """'EL is 31% of effort: 1,240 hours short of 50%'."""
    if split is None or not split.total_hours:
        return "No effort recorded yet"
    share = percent(split.shares["EL"])
    if split.el_gap_hours > 0:
        return (f"EL is {share} of effort: {split.el_gap_hours:,.0f} hours short of "
                f"{percent(target)}")
    return f"EL is {share} of effort: at or above the {percent(target)} target"


def loop_headline(split: EffortSplit | None, target: float) -> str:
    """'Outer loop is 39% of looped effort, short of 50%'."""
    if split is None or split.outer_loop_share is None:
        return "No inner / outer loop recorded"
    share = split.outer_loop_share
    verdict = "short of" if share < target else "at or above"
    return f"Outer loop is {percent(share)} of looped effort, {verdict} {percent(target)}"


def _dept(split: EffortSplit) -> str:
    return "<b>Company</b>" if split.department == ALL else _tick(split.department, 18)


def _label_margin(rows: Sequence[EffortSplit], size: int = 16) -> int:
    """Left margin (px) that fits the department names at ``size`` px."""
    longest = max((len(line) for s in rows
                   for line in _wrap("Company" if s.department == ALL else s.department, 18)),
                  default=8)
    return 24 + round(size * 0.62 * longest)


def _ordered(splits: Sequence[EffortSplit], key) -> list[EffortSplit]:
    company = [s for s in splits if s.department == ALL]
    rest = sorted((s for s in splits if s.department != ALL), key=key)
    return rest + company  # bottom to top: the company bar ends up on top


def _target_ticks(fig: go.Figure, target: float, name: str) -> None:
    """Share ticks every 25% with the target's own tick labelled in the 'worse' colour."""
    values = sorted({0.0, 0.25, 0.5, 0.75, 1.0, target} - {
        v for v in (0.0, 0.25, 0.5, 0.75, 1.0) if v != target and abs(v - target) < 0.08})
    texts = [f"<span style='color:{WORSE}'><b>{name} {percent(target)}</b></span>"
             if v == target else percent(v) for v in values]
    fig.update_xaxes(tickvals=values, ticktext=texts)


def _effort_compact(rows: Sequence[EffortSplit], *, target: float, title: str,
                    footnote: Footnote | str | None) -> go.Figure:
    """The thumbnail: each department's EL share against the target; short is vermillion."""
    names = [_dept(s) for s in rows]
    fig = go.Figure(go.Bar(
        y=names, x=[s.shares["EL"] for s in rows], orientation="h", showlegend=False,
        marker_color=[WORSE if s.el_gap_hours > 0 else BETTER for s in rows],
        text=[percent(s.shares["EL"]) for s in rows], textposition="outside", cliponaxis=False,
        textfont=dict(size=14), hovertemplate="%{y}: EL %{x:.0%}<extra></extra>"))
    fig.add_vline(x=target, line=dict(color=INK, width=2, dash="dash"))
    fig.update_xaxes(range=[0, 1], tickvals=[0, target, 1],
                     ticktext=["0%", f"<b>{percent(target)}</b>", "100%"], tickfont=dict(size=13))
    fig.update_yaxes(showgrid=False, tickfont=dict(size=13))
    fig.update_layout(bargap=0.3, margin=dict(l=_label_margin(rows, size=13), r=16))
    return finish(fig, title=title, footnote=footnote, height=380, axis_space=36,
                  width_chars=44, compact=True)


def effort_figure(splits: Sequence[EffortSplit], *, target: float,
                  footnote: Footnote | str | None, compact: bool = False) -> go.Figure:
    """TM / EM / EL shares for the company and each department, against the EL target line."""
    company = next((s for s in splits if s.department == ALL), None)
    title = effort_headline(company, target)
    height = 380 if compact else 120 + 70 * max(len(splits), 3)
    shown = [s for s in splits if s.total_hours]
    if not shown:
        return _blank(title, "Upload effort hours to see the split.", footnote, height=height,
                      compact=compact, width_chars=44 if compact else 120)
    rows = _ordered(shown, key=lambda s: s.shares["EL"])
    if compact:
        return _effort_compact(rows, target=target, title=title, footnote=footnote)
    names = [_dept(s) for s in rows]
    fig = go.Figure()
    for tier in ("EL", "EM", "TM"):
        fig.add_trace(go.Bar(
            y=names, x=[s.shares[tier] for s in rows], orientation="h", name=TIER_NAMES[tier],
            marker=dict(color=TIER_COLOURS[tier], line=dict(color="white", width=1)),
            text=[percent(s.shares[tier]) if s.shares[tier] >= 0.06 else "" for s in rows],
            textposition="inside", insidetextanchor="middle",
            textfont=dict(size=17, color="white" if tier == "EL" else INK),
            customdata=[f"{s.hours[tier]:,.0f}" for s in rows],
            hovertemplate=f"%{{y}}: {TIER_NAMES[tier]} %{{x:.0%}} (%{{customdata}} h)"
                          "<extra></extra>"))
    fig.add_vline(x=target, line=dict(color=WORSE, width=3, dash="dash"))
    _target_ticks(fig, target, "EL target")
    if not compact:
        for s, name in zip(rows, names, strict=True):
            gap = (f"{s.el_gap_hours:,.0f} h short" if s.el_gap_hours > 0 else "target met")
            fig.add_annotation(x=1.01, xref="paper", y=name, xanchor="left", showarrow=False,
                               text=gap,
                               font=dict(size=16, color=WORSE if s.el_gap_hours > 0 else BETTER))
    fig.update_xaxes(range=[0, 1], showgrid=False)
    fig.update_yaxes(showgrid=False, tickfont=dict(size=16))
    fig.update_layout(barmode="stack", bargap=0.35, margin=dict(l=_label_margin(rows),
                                                                r=40 if compact else 150),
                      legend=dict(traceorder="normal"))
    subtitle = None if compact else (
        f"{company.period if company else ''}: share of hours by tier; Experience Leadership "
        "(prevention) first, against the target")
    return finish(fig, title=title, footnote=footnote, subtitle=subtitle, height=height,
                  axis_space=45, width_chars=44 if compact else 120,
                  compact=compact)


def loop_figure(splits: Sequence[EffortSplit], *, target: float,
                footnote: Footnote | str | None) -> go.Figure:
    """Inner vs outer loop per department, against the outer-loop target line."""
    company = next((s for s in splits if s.department == ALL), None)
    title = loop_headline(company, target)
    shown = [s for s in splits if s.outer_loop_share is not None]
    height = 120 + 70 * max(len(shown), 3)
    if not shown:
        return _blank(title, "No effort row names its loop.", footnote, height=420)
    rows = _ordered(shown, key=lambda s: s.outer_loop_share)
    names = [_dept(s) for s in rows]
    fig = go.Figure()
    for name, colour, values, hours in (
            ("Outer loop: prevent recurrence", BETTER, [s.outer_loop_share for s in rows],
             [s.outer_hours for s in rows]),
            ("Inner loop: fix one customer", "#BBBBBB", [1 - s.outer_loop_share for s in rows],
             [s.inner_hours for s in rows])):
        fig.add_trace(go.Bar(
            y=names, x=values, orientation="h", name=name, marker_color=colour,
            text=[percent(v) for v in values], textposition="inside",
            insidetextanchor="middle", textfont=dict(size=17, color="white" if colour == BETTER
                                                     else INK),
            customdata=[f"{h:,.0f}" for h in hours],
            hovertemplate="%{y}: %{x:.0%} (%{customdata} h)<extra></extra>"))
    fig.add_vline(x=target, line=dict(color=WORSE, width=3, dash="dash"))
    _target_ticks(fig, target, "Outer-loop target")
    fig.update_xaxes(range=[0, 1])
    fig.update_yaxes(showgrid=False, tickfont=dict(size=16))
    fig.update_layout(barmode="stack", bargap=0.35, margin=dict(l=_label_margin(rows)),
                      legend=dict(traceorder="normal"))
    return finish(fig, title=title, footnote=footnote, height=height, axis_space=45,
                  subtitle=f"{company.period if company else ''}: share of hours that say "
                           "their loop")


def effort_trend(company: Sequence[EffortSplit], *, el_target: float, loop_target: float,
                 footnote: Footnote | str | None) -> go.Figure:
    """The company's EL share and outer-loop share over the quarters, against their targets."""
    company = [s for s in company if s.total_hours]
    if not company:
        return _blank("No effort recorded yet", "Upload effort hours.", footnote, height=520)
    first, last = company[0], company[-1]
    periods = [s.period for s in company]
    title = (f"EL share went from {percent(first.shares['EL'])} to {percent(last.shares['EL'])} "
             f"in {len(company)} quarters" if len(company) > 1
             else f"EL share is {percent(last.shares['EL'])}")
    title += "; target met" if last.shares["EL"] >= el_target else \
        f"; still short of {percent(el_target)}"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=periods, y=[s.shares["EL"] for s in company], name="EL share",
                             mode="lines+markers", line=dict(color=BETTER, width=4),
                             marker=dict(size=9),
                             hovertemplate="%{x}: EL %{y:.0%}<extra></extra>"))
    loops = [(s.period, s.outer_loop_share) for s in company if s.outer_loop_share is not None]
    if loops:
        fig.add_trace(go.Scatter(x=[p for p, _ in loops], y=[v for _, v in loops],
                                 name="Outer-loop share", mode="lines+markers",
                                 line=dict(color="#009E73", width=4, dash="dot"),
                                 marker=dict(size=9, symbol="diamond"),
                                 hovertemplate="%{x}: outer loop %{y:.0%}<extra></extra>"))
    fig.add_hline(y=el_target, line=dict(color=WORSE, width=3, dash="dash"))
    fig.add_annotation(x=0, xref="paper", y=el_target, yanchor="bottom", xanchor="left",
                       showarrow=False, text=f"<b>Target {percent(el_target)}</b>",
                       font=dict(size=16, color=WORSE))
    if loops and abs(loop_target - el_target) > 1e-9:
        fig.add_hline(y=loop_target, line=dict(color="#009E73", width=2, dash="dash"))
    fig.add_annotation(x=periods[-1], y=last.shares["EL"],
                       text=f"<b>{percent(last.shares['EL'])}</b>", showarrow=False,
                       xanchor="left", xshift=10, font=dict(size=20, color=BETTER))
    fig.update_yaxes(range=[0, max(0.75, el_target + 0.1, loop_target + 0.1)], tickformat=".0%")
    step = max(1, len(periods) // 8)
    fig.update_xaxes(type="category", tickvals=periods[::step], tickfont=dict(size=15))
    return finish(fig, title=title, footnote=footnote, height=580, axis_space=50,
                  subtitle="Company-wide share of hours on Experience Leadership, and the "
                           "outer loop's share of looped hours, per quarter")


# --- one entry point: a chart of a report, by name ---------------------------------------------

CHARTS: dict[str, str] = {
    "iceberg": "iceberg",
    "snowball_steps": "iceberg",
    "snowball_quarters": "iceberg",
    "melt": "melt",
    "relative": "relative",
    "relative_circles": "relative",
    "effort": "effort",
    "loops": "effort",
    "effort_trend": "effort",
}
"""Every chart `chart_for` draws, with the `Report.footnote` kind that goes under it."""


def chart_for(report: Report, kind: str, *, period: str | None = None,
              metrics: Sequence[str] | None = None, in_money: bool = False,
              compact: bool = False, presenting: bool = False) -> tuple[go.Figure, Footnote]:
    """The figure ``kind`` (a key of `CHARTS`) of ``report`` and its footnote.

    ``period`` picks the iceberg's quarter (icebergs; the latest when absent) or the effort
    split's (effort charts); ``metrics`` and ``in_money`` the relative bars; ``compact`` the
    thumbnail; ``presenting`` the presentation view's larger type.
    """
    if kind not in CHARTS:
        raise ValueError(f"chart must be one of {', '.join(CHARTS)} (got {kind!r})")
    note = report.footnote(CHARTS[kind])
    a = report.scenario.assumptions
    berg = report.iceberg_for(period)
    splits = [s for s in report.effort if s.period == period]
    if kind == "iceberg":
        fig = iceberg_figure(berg, note, compact=compact)
    elif kind == "snowball_steps":
        fig = snowball_steps(report.snowball, note)
    elif kind == "snowball_quarters":
        fig = snowball_quarters(report.snowball, note)
    elif kind == "melt":
        fig = melt_figure(berg, melted(berg, a) if berg else None, report.melt, note)
    elif kind == "relative":
        fig = relative_bars(report.relative, note, metrics=metrics, in_money=in_money,
                            compact=compact)
    elif kind == "relative_circles":
        fig = relative_circles(report.relative, note, metrics=metrics)
    elif kind == "effort":
        fig = effort_figure(splits, target=a.el_target_share, footnote=note, compact=compact)
    elif kind == "loops":
        fig = loop_figure(splits, target=a.outer_loop_target_share, footnote=note)
    else:
        fig = effort_trend(report.company_effort(), el_target=a.el_target_share,
                           loop_target=a.outer_loop_target_share, footnote=note)
    return (present(fig) if presenting else fig), note


# --- what-if: scenarios and sensitivity ------------------------------------------------------
# Built on `finish` and the template above; the numbers come from `cxroi.roi.sensitivity` and
# `cxroi.whatif.compare`. Each footnote says what was varied or compared.

from cxroi import whatif as _whatif  # noqa: E402 - this section's own imports
from cxroi.format import money as _money  # noqa: E402

_MEASURE_NAMES = {"iceberg_total": "the cost of poor experience", "npv": "prevention's NPV"}
LOW_END = PALETTE[4]
"""Sky blue: an assumption at the low end of its plausible range."""
HIGH_END = PALETTE[1]
"""Orange: an assumption at the high end of its plausible range."""


def _empty(fig: go.Figure, message: str) -> None:
    fig.add_annotation(text=plain(message), xref="paper", yref="paper", x=0.5, y=0.5,
                       showarrow=False, font=dict(size=BODY_SIZE, color=MUTED))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)


def tornado_figure(tornado, *, footnote: Footnote, scenario: str, top: int = 10) -> go.Figure:
    """A tornado: how far one measure moves as each assumption crosses its plausible range.

    ``tornado`` is a `cxroi.roi.Tornado`; the ``top`` biggest swings are drawn, biggest at
    the top, each as a bar from the base figure to the measure at the assumption's low (sky
    blue) and at its high (orange). Assumptions that do not move the measure are left out
    and counted in the footnote, which also says what was varied.
    """
    measure = _MEASURE_NAMES.get(tornado.measure, tornado.measure)
    swings = tornado.moving[:top]
    still = len(tornado.swings) - len(tornado.moving)
    left_out = f"; {still} assumption(s) that do not move {measure} are not shown" \
        if still else ""
    cut = f"; only the {top} biggest swings are shown" if len(tornado.moving) > top else ""
    varied = (f"Varied: each assumption alone from its plausible low to its high, the others as "
              f"in {scenario}; the two effort targets have no range and are not varied"
              f"{left_out}{cut}.")
    fig = go.Figure()
    when = f" ({tornado.periods[-1]})" if tornado.measure == "iceberg_total" and tornado.periods \
        else ""
    if not swings:
        _empty(fig, f"No assumption moves {measure}: there are no iceberg inputs yet.")
        return finish(fig, title=f"Nothing moves {measure} yet", footnote=f"{footnote.text()} "
                      f"{varied}", height=300)
    labels = [f"{plain(s.label)}<br>{plain(_whatif.show(_whatif.INFO[s.key], s.low))} to "
              f"{plain(_whatif.show(_whatif.INFO[s.key], s.high))}" for s in swings]
    # Per row, the longer bar is drawn first and the shorter on top, so both ends show even
    # when an assumption set outside its plausible range puts both on the same side.
    ends = [((s.at_low, LOW_END, "its low"), (s.at_high, HIGH_END, "its high")) for s in swings]
    rows = [sorted(pair, key=lambda end: -abs(end[0] - tornado.base)) for pair in ends]
    for layer in (0, 1):
        picked = [row[layer] for row in rows]
        same_side = [(row[0][0] - tornado.base) * (row[1][0] - tornado.base) > 0 for row in rows]
        fig.add_trace(go.Bar(
            y=labels, x=[end[0] - tornado.base for end in picked], base=tornado.base,
            orientation="h", marker_color=[end[1] for end in picked], showlegend=False,
            text=[_money(end[0]) for end in picked], cliponaxis=False,
            textposition=["inside" if layer and same else "outside" for same in same_side],
            customdata=[end[2] for end in picked],
            hovertemplate="%{y}<br>At %{customdata}: %{text}<extra></extra>",
        ))
    for name, colour in (("Assumption at its plausible low", LOW_END),
                         ("Assumption at its plausible high", HIGH_END)):
        fig.add_trace(go.Bar(y=[labels[0]], x=[None], orientation="h", name=name,
                             marker_color=colour, hoverinfo="skip"))
    fig.add_vline(x=tornado.base, line=dict(color=INK, width=2))
    ends = [v for s in swings for v in (s.at_low, s.at_high)] + [tornado.base]
    pad = (max(ends) - min(ends)) * 0.18 or abs(tornado.base) * 0.1 or 1.0
    fig.update_layout(barmode="overlay", bargap=0.35, legend=dict(y=1.0, yanchor="bottom"))
    fig.update_xaxes(title_text=plain(f"{measure[0].upper()}{measure[1:]}{when}; the black line "
                                      f"is the value as assumed, {_money(tornado.base)}"),
                     range=[min(ends) - pad, max(ends) + pad], tickformat="$~s",
                     showgrid=True, gridcolor="#EDEDED")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    first = swings[0]
    title = (f"{first.label} moves {measure}{when} most: {_money(min(first.at_low, first.at_high))}"
             f" to {_money(max(first.at_low, first.at_high))}")
    finish(fig, title=title, footnote=f"{footnote.text()} {varied}",
           height=220 + 62 * len(swings), axis_space=80)
    return fig.update_layout(title_xref="container", title_x=0.01,
                             margin_t=fig.layout.margin.t + 30)


def scenario_difference_figure(differences, *, footnote: Footnote) -> go.Figure:
    """How each compared scenario's latest iceberg differs from the reference, line by line.

    ``differences`` are `cxroi.whatif.Difference` objects (one per scenario compared with
    the first); bars right of zero mean the scenario counts more cost than the reference.
    """
    fig = go.Figure()
    if not differences:
        _empty(fig, "Choose at least two scenarios to compare.")
        return finish(fig, title="Nothing to compare yet", footnote=footnote, height=300)
    reference = differences[0].reference
    period = differences[0].period or "the latest quarter"
    moving = {label for diff in differences for label, delta in diff.lines if delta}
    for index, diff in enumerate(differences):
        labels = [label for label, delta in diff.lines if delta or label in moving] + ["Total"]
        deltas = [delta for label, delta in diff.lines if delta or label in moving] + [diff.total]
        fig.add_trace(go.Bar(
            y=labels, x=deltas, orientation="h", name=plain(f"{diff.other} minus {reference}"),
            marker_color=PALETTE[(index + 1) % len(PALETTE)],
            text=[_whatif.signed_money(d) for d in deltas], textposition="outside",
            cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>",
        ))
    fig.add_vline(x=0, line=dict(color=INK, width=1))
    fig.update_layout(barmode="group", bargap=0.3, legend=dict(y=1.0, yanchor="bottom"))
    fig.update_xaxes(tickformat="$~s", showgrid=True, gridcolor="#EDEDED", zeroline=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    if len(differences) == 1:
        total = differences[0].total
        size = "the same as" if total == 0 else \
            f"{_money(abs(total))} {'bigger' if total > 0 else 'smaller'} than"
        title = f"Under {differences[0].other}, the {period} iceberg is {size} under {reference}"
    else:
        title = f"How the {period} iceberg changes against {reference}"
    compared = ", ".join(d.other for d in differences)
    note = (f"{footnote.text()} Compared: {compared} against {reference}; each bar is the "
            f"scenario's cost minus the reference's, line by line, in {period}; lines that do "
            "not change are left out.")
    rows = len(moving) + 1
    finish(fig, title=title, footnote=note, height=200 + rows * 34 * len(differences),
           axis_space=40)
    return fig.update_layout(title_xref="container", title_x=0.01,
                             margin_t=fig.layout.margin.t + 30)
