"""Relative size: bars above or below a drawn baseline line, and the same as circles.

====================  ========================================================================
name                  what it is
====================  ========================================================================
`relative_bars`       bars above/below a drawn baseline line, sorted by size (or a thumbnail)
`relative_circles`    the same comparison as small / medium / large circles
`money_only`          whether every chosen measure is money (bars can be drawn in dollars)
`sorted_bars`         the chosen bars, biggest rise first, those without a baseline last
`SIZE_CLASSES`        the circles' rows: large, medium, small, no baseline
====================  ========================================================================
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go

from cxroi.charts.labels import value_column
from cxroi.charts.theme import (
    BETTER,
    BODY_SIZE,
    INK,
    MUTED,
    NEUTRAL,
    WORSE,
    blank,
    category_axis,
    finish,
    money_ticks,
    percent_ticks,
    plain,
    tick,
    wrap,
)
from cxroi.format import money, number, signed_percent
from cxroi.models import Footnote
from cxroi.report import BASELINE_LABELS, RelativeView
from cxroi.roi import RelativeBar
from cxroi.wording import (
    BASELINE_SHORT,
    metric_label,
    plain_period,
    relative_headline,
    relative_subtitle,
    size_word,
    thumbnail_more,
)

__all__ = [
    "SIZE_CLASSES",
    "money_only",
    "relative_bars",
    "relative_circles",
    "sorted_bars",
]


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


def sorted_bars(bars: Sequence[RelativeBar], metrics: Sequence[str] | None) -> list[RelativeBar]:
    """The bars of ``metrics`` (all when None), biggest rise first, no-baseline ones last."""
    chosen = [b for b in bars if metrics is None or b.metric in metrics]
    known = sorted((b for b in chosen if b.relative is not None),
                   key=lambda b: b.relative, reverse=True)
    return known + [b for b in chosen if b.relative is None]


def _relative_compact(view: RelativeView, bars: Sequence[RelativeBar], title: str,
                      footnote: Footnote | str | None) -> go.Figure:
    """The thumbnail: the six biggest moves as horizontal bars either side of the baseline."""
    biggest = sorted((b for b in bars if b.relative is not None),
                     key=lambda b: abs(b.relative), reverse=True)[:6]
    if not biggest:
        return blank(title, "No baseline to compare with.", footnote, height=380,
                     width_chars=44, compact=True)
    rows = sorted(biggest, key=lambda b: b.relative)
    names = [tick(metric_label(b.metric), 22) for b in rows]
    colours = [WORSE if b.worse else BETTER for b in rows]
    fig = go.Figure(go.Bar(
        y=names, x=[b.relative for b in rows], orientation="h", showlegend=False,
        marker_color=colours, customdata=[signed_percent(b.relative) for b in rows],
        hovertemplate="%{y}: %{customdata}<extra></extra>"))
    values = [b.relative for b in rows]
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low or 1.0) * 0.06
    fig.add_vline(x=0, line=dict(color=INK, width=2))
    fig.update_xaxes(range=[low - pad, high + pad], tickvals=[0],
                     ticktext=[f"<b>{BASELINE_SHORT[view.baseline].capitalize()}</b>"],
                     tickfont=dict(size=13))
    fig.update_yaxes(showgrid=False, tickfont=dict(size=13))
    right = value_column(fig, names, [signed_percent(b.relative) for b in rows], colours, 13)
    longest = max(len(line) for b in rows for line in wrap(metric_label(b.metric), 22))
    fig.update_layout(bargap=0.3, margin=dict(l=24 + round(13 * 0.62 * longest), r=right))
    more = thumbnail_more(len(rows), len([b for b in bars if b.relative is not None]))
    return finish(fig, title=title, footnote=footnote, height=380, axis_space=36,
                  width_chars=44, compact=True, subtitle=more or None)


def relative_bars(view: RelativeView, footnote: Footnote | str | None, *,
                  metrics: Sequence[str] | None = None, in_money: bool = False,
                  compact: bool = False) -> go.Figure:
    """Bars above or below a drawn, labelled baseline line, sorted by size.

    Heights are the change in percent of the baseline (one zero line works for every unit);
    with ``in_money`` and only money metrics, the change in money. Blue is better, vermillion
    worse (from each metric's direction); a missing baseline is said, never drawn as zero.
    """
    picked = sorted_bars(view.bars, metrics)
    title = relative_headline(view, metrics)
    if compact:
        return _relative_compact(view, picked, title, footnote)
    if not picked:
        return blank(title, "No measures for this period and segment.", footnote, height=620)
    bars = [b for b in picked if b.baseline is not None]  # the others are counted, not drawn
    if not bars:
        return blank(title, f"No measure has a {BASELINE_SHORT[view.baseline]} baseline in "
                            f"{plain_period(view.period)}.", footnote, height=620)
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
            text=["0 base" for _ in missing], textposition="top center",
            textfont=dict(size=14, color=MUTED), name=f"{short.capitalize()} is 0",
            hoverinfo="skip"))
    values = [height_of(b) or 0.0 for b in bars]
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low or 1.0) * 0.22
    if money_mode:
        tick_values, tick_texts = money_ticks(low - pad, high + pad)
        tick_texts = [("+" + t if v > 0 else t) for v, t in zip(tick_values, tick_texts,
                                                                  strict=True)]
    else:
        tick_values, tick_texts = percent_ticks(low - pad, high + pad)
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
    axis = category_axis(fig, labels, keys, slot_chars=max(8, 96 // max(len(bars), 1)))
    fig.update_layout(barmode="overlay", bargap=0.3, uniformtext=dict(minsize=14, mode="show"),
                      margin=dict(l=max(80, 28 + round(0.62 * BODY_SIZE * len(line_label)))))
    subtitle = relative_subtitle(view, in_money=money_mode, without=len(picked) - len(bars))
    return finish(fig, title=title, footnote=footnote, subtitle=subtitle, height=620,
                  axis_space=axis)


def money_only(view: RelativeView, metrics: Sequence[str] | None = None) -> bool:
    """True when every chosen measure is money, so the bars can be drawn in dollars."""
    bars = sorted_bars(view.bars, metrics)
    return bool(bars) and all(bar.unit == "money" for bar in bars)


SIZE_CLASSES = (("large", "Large", "25% or more"), ("medium", "Medium", "10 to 25%"),
                ("small", "Small", "under 10%"), ("no baseline", "No baseline", ""))


def relative_circles(view: RelativeView, footnote: Footnote | str | None, *,
                     metrics: Sequence[str] | None = None) -> go.Figure:
    """The same comparison as small / medium / large circles, one row per size class.

    Each circle's area is the size of the change (against the biggest on the chart);
    vermillion is worse, blue better, a hollow grey ring has no baseline.
    """
    bars = sorted_bars(view.bars, metrics)
    bars = sorted(bars, key=lambda b: -abs(b.relative) if b.relative is not None else 1)
    title = relative_headline(view, metrics)
    if not bars:
        return blank(title, "No measures for this period and segment.", footnote, height=560)
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
            text=[f"<b>{tick(metric_label(bars[i].metric), 16)}</b><br>"
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
