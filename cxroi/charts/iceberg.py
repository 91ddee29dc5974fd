"""The cost iceberg: area-true layers above and below a drawn waterline.

The tip is scaled so that its area is the visible share of the whole, and every layer's
area is its money, so the picture cannot lie about the money.

==================  ======================================================================
name                what it is
==================  ======================================================================
`iceberg_figure`    the cost iceberg: layers, labels, the waterline and the sea
`themed_iceberg`    the same iceberg with the part the themes explain hatched in each layer
`iceberg_layers`    the layers as polygons whose areas are proportional to their money
`polygon_area`      a closed polygon's area (shoelace formula)
`iceberg_traces`    the layers drawn as filled shapes (shared with the melt)
`sea`               the sea, darker with depth, and the waterline (shared with the melt)
`Edge`              one side of the silhouette: (y, x) pairs, top to bottom
==================  ======================================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from cxroi.charts.labels import label_px, plot_px, spread
from cxroi.charts.theme import (
    ICE_EDGE,
    INK,
    LAYER_COLOURS,
    SEA_BANDS,
    WORSE,
    blank,
    finish,
    plain,
)
from cxroi.format import money, multiple, percent
from cxroi.models import Footnote
from cxroi.roi import Iceberg
from cxroi.wording import iceberg_headline, iceberg_subtitle

__all__ = [
    "Edge",
    "iceberg_figure",
    "iceberg_layers",
    "iceberg_traces",
    "polygon_area",
    "sea",
]

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


def iceberg_traces(fig: go.Figure, layers: Sequence[_Layer], total: float, *,
                   dx: float = 0.0, hover: bool = True, name: str = "") -> None:
    """Draw ``layers`` as filled shapes, shifted right by ``dx``, one shade per layer."""
    shade = {"visible": 0, "hidden": 0}
    for layer in layers:
        tints = LAYER_COLOURS[layer.layer]
        colour = tints[shade[layer.layer] % len(tints)]
        shade[layer.layer] += 1
        share = layer.amount / total if total else 0.0
        fig.add_trace(go.Scatter(
            x=[x + dx for x in layer.xs], y=list(layer.ys), fill="toself", mode="lines",
            fillcolor=colour, line=dict(color=ICE_EDGE, width=1.5), name=layer.key,
            legendgroup=name or layer.layer, showlegend=False,
            hoveron="fills", hoverinfo="text" if hover else "skip",
            text=f"{plain(layer.label)}: {money(layer.amount)} ({percent(share)})",
        ))


def sea(fig: go.Figure, x0: float, x1: float, bottom: float) -> None:
    """Draw the sea from ``x0`` to ``x1`` down to ``bottom``, and the waterline at y = 0."""
    step = bottom / len(SEA_BANDS)
    bands = [dict(type="rect", x0=x0, x1=x1, y0=bottom, y1=step * i, layer="below",
                  fillcolor=colour, line=dict(width=0))
             for i, colour in enumerate(SEA_BANDS)]  # each from its depth down: no seams
    surface = dict(type="line", x0=x0, x1=x1, y0=0, y1=0, layer="above",
                   line=dict(color=ICE_EDGE, width=3))
    fig.update_layout(shapes=[*fig.layout.shapes, *bands, surface])


LABEL = "iceberg-label"
"""The name of every label annotation the iceberg draws (`present` leaves their type alone)."""
PRESENT_PLOT_PX = 320
"""The smallest plot height (pixels) the presentation view draws the iceberg at (1280 x 720)."""
_WATER_PX = 6
"""Clearance kept between a label and the waterline (3 px thick), in pixels."""


def iceberg_figure(berg: Iceberg | None, footnote: Footnote | str | None, *,
                   compact: bool = False, presenting: bool = False,
                   title: str | None = None, subtitle: str | None = None) -> go.Figure:
    """The cost iceberg: the visible tip above a drawn waterline, the hidden mass below.

    Each layer is a polygon whose area is proportional to its money (see `iceberg_layers`),
    labelled with its name and amount (and, full size, its share of the whole). Labels are
    laid out in the chart's own coordinates for the smallest height the figure is drawn at
    (its own on screen, `PRESENT_PLOT_PX` when ``presenting``; exports are taller): the tip's
    labels above the waterline, the hidden layers' below it, never overlapping each other
    or the line. The y range grows when a small tip leaves no room for its labels.
    """
    height = 380 if compact else 680
    title = title or iceberg_headline(berg)
    if berg is None or berg.total <= 0:
        return blank(title, "Upload a quarter of metrics to see the iceberg.", footnote,
                     height=height)
    layers = iceberg_layers(berg)
    xs = [x for layer in layers for x in layer.xs]
    ys = [y for layer in layers for y in layer.ys]
    top, bottom = max(ys), min(ys)
    right_edge, left_edge = max(xs), min(xs)
    fig = go.Figure()
    iceberg_traces(fig, layers, berg.total)
    fig.update_layout(margin=dict(l=12, r=12), hovermode="closest")
    if subtitle is None and not compact:
        subtitle = iceberg_subtitle(berg)  # ``subtitle`` given: the caller's context instead
    finish(fig, title=title, footnote=footnote, subtitle=subtitle, height=height,
           axis_space=12, width_chars=44 if compact else 120, compact=compact)
    pixels = PRESENT_PLOT_PX if presenting else plot_px(fig)
    size = 10 if compact else (19 if presenting else 17)
    side_size = 12 if compact else (24 if presenting else 22)
    y_min, y_max = _room(layers, berg, top, bottom, pixels, size, side_size)
    if compact:
        x_min = left_edge - 0.15
        x_max = right_edge + _label_room(layers, right_edge - x_min, size)
    else:
        x_min, x_max = _full_range(layers, berg, left_edge, right_edge, size, side_size)
    sea(fig, x_min, x_max, y_min)
    _layer_labels(fig, layers, berg.total, right_edge + 0.25, (y_min, y_max), pixels, size,
                  compact=compact)
    if not compact:  # a thumbnail's title already says both sums
        _side_labels(fig, berg, left_edge - 0.2, (y_min, y_max), pixels, side_size)
    fig.update_xaxes(visible=False, range=[x_min, x_max], fixedrange=True)
    fig.update_yaxes(visible=False, range=[y_min, y_max], fixedrange=True)
    return fig


THEMED_NOTE = "Hatched: the part of each layer the themes explain."
"""What the hatching means, under the themed iceberg's subtitle."""


def themed_iceberg(berg: Iceberg | None, themed: Mapping[str, float], footnote: Footnote | str
                   | None, *, title: str) -> go.Figure:
    """`iceberg_figure` with, in each layer, the part the themes explain hatched: the layer's
    polygon cut by a vertical line where the area on its left is ``themed[key] / amount``
    of the layer's (`cxroi.roi.themed_lines`), so the hatched area is the themed money too.
    ``title`` says how much ("$1.9M of the $5.8M is explained by 11 themes."); the
    subtitle is the iceberg's headline and what the hatching means."""
    fig = iceberg_figure(berg, footnote, title=title,
                         subtitle=f"{iceberg_headline(berg)}. {THEMED_NOTE}")
    if berg is None or berg.total <= 0:
        return fig
    for layer in iceberg_layers(berg):
        share = min(max(themed.get(layer.key, 0.0) / layer.amount, 0.0), 1.0)
        if share <= 0:
            continue
        xs, ys = themed_part(layer.xs, layer.ys, share)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, fill="toself", mode="lines", fillcolor="rgba(0,0,0,0)",
            fillpattern=dict(shape="/", fgcolor=WORSE, size=9, solidity=0.35),
            line=dict(width=0), showlegend=False, hoveron="fills", hoverinfo="text",
            text=f"{plain(layer.label)}: {money(themed[layer.key])} explained by themes "
                 f"({percent(share)} of the layer)", name=f"themed {layer.key}"))
    return fig


def themed_part(xs: Sequence[float], ys: Sequence[float], share: float
                ) -> tuple[list[float], list[float]]:
    """The closed polygon left of the vertical line that leaves ``share`` of the closed
    polygon (``xs``, ``ys``) on its left (found by bisection, to a millionth of its area)."""
    whole = polygon_area(xs, ys)
    low, high = min(xs), max(xs)
    part = _left_of(xs, ys, high)
    for _ in range(60):
        middle = (low + high) / 2
        part = _left_of(xs, ys, middle)
        area = polygon_area(*part)
        if abs(area - share * whole) <= whole * 1e-6:
            break
        low, high = (middle, high) if area < share * whole else (low, middle)
    return part


def _left_of(xs: Sequence[float], ys: Sequence[float], cut: float
             ) -> tuple[list[float], list[float]]:
    """The closed polygon (``xs``, ``ys``) clipped to ``x <= cut`` (Sutherland-Hodgman)."""
    points = list(zip(xs[:-1], ys[:-1], strict=True))
    out: list[tuple[float, float]] = []
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        if x0 <= cut:
            out.append((x0, y0))
        if (x0 <= cut) != (x1 <= cut):
            out.append((cut, y0 + (cut - x0) / (x1 - x0) * (y1 - y0)))
    if not out:
        return [], []
    out.append(out[0])
    return [x for x, _ in out], [y for _, y in out]


THUMBNAIL_PX = 240
"""The narrowest plot the overview draws the thumbnail in (a third of a 1280 px page)."""


NARROWEST_PX = 790
"""The narrowest plot the full-size iceberg is drawn in (a page at 1280 px beside the
sidebar): its labels, share included, must fit there without running off the right."""


def _label_room(layers: Sequence[_Layer], width: float, size: int) -> float:
    """x units right of the iceberg that hold its thumbnail labels at `THUMBNAIL_PX` wide."""
    chars = max(len(f"{layer.label}  {money(layer.amount)}") for layer in layers)
    share = min((0.68 * size * chars + 24) / THUMBNAIL_PX, 0.75)
    return 0.25 + share * (width + 0.25) / (1 - share)


_CHAR_EM = 0.62
"""A label character's width in ems (DejaVu Sans and Source Sans, bold names included)."""


def _full_range(layers: Sequence[_Layer], berg: Iceberg, left_edge: float, right_edge: float,
                size: int, side_size: int) -> tuple[float, float]:
    """The full-size x range: the side labels' room on the left and the layer labels' on the
    right, in pixels of the narrowest plot (`NARROWEST_PX`), the iceberg the rest; never
    narrower rooms than the fixed 1.55 and 2.9 units that suit wide screens."""
    right_px = _CHAR_EM * size * max(
        len(f"{layer.label}  {money(layer.amount)}  {percent(layer.amount / berg.total)}")
        for layer in layers) + 16
    seen, hidden = _side_lines(berg, compact=False)
    left_px = _CHAR_EM * side_size * max(
        (len(re.sub("<[^>]+>", "", line)) for line in [*seen, *hidden]), default=0) + 16
    ice_units = right_edge - left_edge + 0.45  # the gaps: 0.2 left, 0.25 right of the ice
    per_unit = max(NARROWEST_PX - left_px - right_px, 0.25 * NARROWEST_PX) / ice_units
    return (left_edge - 0.2 - max(left_px / per_unit, 1.35),
            right_edge + 0.25 + max(right_px / per_unit, 2.65))


def _side_lines(berg: Iceberg, compact: bool) -> tuple[list[str], list[str]]:
    """The left-hand labels: what finance sees (above the water) and what is hidden (below)."""
    seen = ["Finance sees", f"<b>{money(berg.visible)}</b>"] if berg.visible else []
    hidden = (["Hidden", f"<b>{money(berg.hidden)}</b>"] if compact else
              ["Hidden below", "the waterline", f"<b>{money(berg.hidden)}</b>"])
    if berg.visible and berg.hidden:
        hidden.append(f"{multiple(berg.hidden_multiple)} the tip")
    return seen, (hidden if berg.hidden else [])


def _room(layers: Sequence[_Layer], berg: Iceberg, top: float, bottom: float, pixels: float,
          size: int, side_size: int) -> tuple[float, float]:
    """The y range: the iceberg with a margin, grown until every label fits on its side."""
    span = top - bottom
    y_min, y_max = bottom - 0.08 * span, max(top, 0) + 0.10 * span
    seen, hidden = _side_lines(berg, compact=False)
    up = sum(layer.layer == "visible" for layer in layers)
    down = len(layers) - up
    need_up = _WATER_PX + max(up * label_px(size), label_px(side_size, len(seen)) if seen else 0)
    need_down = _WATER_PX + max(down * label_px(size),
                                label_px(side_size, len(hidden)) if hidden else 0)
    if need_up + need_down >= pixels:  # nine lines fit every height drawn; never loop
        return y_min, y_max
    # y_max >= need_up px and -y_min >= need_down px, a px being (y_max - y_min) / pixels:
    for _ in range(20):  # each side's need grows with the other's room; this converges
        y_max = max(y_max, need_up * -y_min / (pixels - need_up))
        y_min = min(y_min, -need_down * y_max / (pixels - need_down))
    return y_min, y_max


def _layer_labels(fig: go.Figure, layers: Sequence[_Layer], total: float, label_x: float,
                  y_range: tuple[float, float], pixels: float, size: int, *,
                  compact: bool) -> None:
    """Each layer's name and money (and share), joined to its layer by a leader line."""
    y_min, y_max = y_range
    unit = (y_max - y_min) / pixels
    gap, clear = label_px(size) * unit, _WATER_PX * unit
    above = [layer for layer in layers if layer.layer == "visible"]
    below = [layer for layer in layers if layer.layer != "visible"]
    placed = (spread([layer.middle for layer in above], gap, clear + gap / 2, y_max - gap / 2)
              + spread([layer.middle for layer in below], gap, y_min + gap / 2,
                       -clear - gap / 2))
    for layer, y in zip([*above, *below], placed, strict=True):
        edge = max(x for x, yy in zip(layer.xs, layer.ys, strict=True))
        visible = layer.layer == "visible"
        colour = INK if visible else "white"
        fig.add_shape(type="line", x0=edge - 0.05, y0=layer.middle, x1=label_x - 0.04,
                      y1=y, line=dict(color=colour, width=1))
        share = "" if compact else (
            f"  <span style='color:{'#555555' if visible else '#D6E9F5'}'>"
            f"{percent(layer.amount / total)}</span>")
        fig.add_annotation(
            name=f"{LABEL}:{layer.key}", x=label_x, y=y, xanchor="left", yanchor="middle",
            showarrow=False, text=f"<b>{plain(layer.label)}</b>  {money(layer.amount)}{share}",
            font=dict(size=size, color=colour))


def _side_labels(fig: go.Figure, berg: Iceberg, x: float, y_range: tuple[float, float],
                 pixels: float, size: int) -> None:
    """What finance sees, centred in the room above the water; what is hidden, below."""
    y_min, y_max = y_range
    unit = (y_max - y_min) / pixels
    seen, hidden = _side_lines(berg, compact=False)
    side = dict(x=x, xanchor="right", showarrow=False, align="right", yanchor="middle")
    for lines, colour, low, high in ((seen, INK, 0.0, y_max), (hidden, "white", y_min, 0.0)):
        if not lines:
            continue
        half = label_px(size, len(lines)) * unit / 2
        clear = _WATER_PX * unit + half
        middle = min(max((low + high) / 2, low + clear if low == 0 else low + half),
                     high - clear if high == 0 else high - half)
        fig.add_annotation(name=f"{LABEL}:side", y=middle, text="<br>".join(lines),
                           font=dict(size=size, color=colour), **side)
