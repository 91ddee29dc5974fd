"""The vital few: the themes' Pareto chart and a theme's drill-down.

================  ================================================================================
name              what it is
================  ================================================================================
`pareto_figure`   bars of each theme's money, the cumulative share, the 80% line; vital few coloured
`theme_metrics`   one theme's money by iceberg metric
`theme_quarters`  one theme's money in each quarter with themes
================  ================================================================================

Theme names are user text: they reach Plotly only through `plain` / `tick`.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from cxroi.charts.theme import (
    INK,
    MUTED,
    NEUTRAL,
    WORSE,
    blank,
    category_axis,
    finish,
    money_ticks,
    plain,
)
from cxroi.format import money, percent
from cxroi.models import CANONICAL_METRICS, Footnote
from cxroi.roi import ThemeMoney, Themes
from cxroi.wording import pareto_subtitle, vital_few_headline

__all__ = ["pareto_figure", "theme_metrics", "theme_quarters", "VITAL", "USEFUL"]

VITAL = WORSE
"""The vital few: where the money is (the colour of what needs acting on)."""
USEFUL = NEUTRAL


def pareto_figure(themes: Themes | None, footnote: Footnote | str | None, *,
                  items: Sequence[ThemeMoney] | None = None, compact: bool = False) -> go.Figure:
    """Bars of money in Pareto order, the cumulative share on the right axis, the 80% line.

    ``items`` (default: every theme) draws a subset, e.g. one work group's themes; the
    cumulative line is then the subset's place in the whole Pareto, and its legend says so
    (a group's first bar may hold most of the group's money yet sit at 64% of all themes').
    """
    if themes is None or not themes.items:
        return blank("No themes yet", "Upload a themes file to see the vital few.", footnote,
                     height=560)
    shown = list(items if items is not None else themes.items)
    keys = [f"t{i}" for i in range(len(shown))]
    colours = [VITAL if t.vital_few else USEFUL for t in shown]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=keys, y=[t.money for t in shown], marker_color=colours, name="Money",
        text=[money(t.money) for t in shown], textposition="outside", cliponaxis=False,
        textfont=dict(size=14, color=INK), showlegend=False,
        customdata=[[plain(t.theme), plain(t.department or "no department"),
                     percent(t.share, 1)] for t in shown],
        hovertemplate="%{customdata[0]} (%{customdata[1]}): %{y:$,.0f}, "
                      "%{customdata[2]} of the themed money<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=keys, y=[t.cumulative_share for t in shown], yaxis="y2", mode="lines+markers",
        name="Cumulative share" if items is None else "Cumulative share of all themes",
        line=dict(color=INK, width=2.5), marker=dict(size=8),
        hovertemplate="cumulative %{y:.1%}<extra></extra>"))
    # legend entries for the two colours (the bars themselves carry no legend)
    for name, colour in (("Vital few", VITAL), ("Useful many", USEFUL)):
        fig.add_trace(go.Bar(x=[None], y=[None], marker_color=colour, name=name,
                             hoverinfo="skip"))
    fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y2", y0=0.8, y1=0.8,
                  line=dict(color=MUTED, width=1.5, dash="dash"))
    fig.add_annotation(xref="paper", x=1, yref="y2", y=0.8, xanchor="right", yanchor="bottom",
                       text="80%", showarrow=False, font=dict(size=14, color=MUTED))
    top = max((t.money for t in shown), default=0.0) * 1.18 or 1.0
    values, labels = money_ticks(0, top)
    fig.update_yaxes(range=[0, top], tickvals=values, ticktext=labels, title_text=None)
    fig.update_layout(
        yaxis2=dict(overlaying="y", side="right", range=[0, 1.05], tickformat=".0%",
                    tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0], showgrid=False, fixedrange=True),
        barmode="overlay", bargap=0.35,
        legend=dict(orientation="h", x=0, y=1.02, xanchor="left", yanchor="bottom"))
    fig.update_xaxes(tickfont=dict(size=14 if len(shown) > 8 else 16), fixedrange=True)
    # about 96 characters of 14 px across the narrowest plot: level labels when every word
    # fits its bar's share, else all at an angle (never one name over its neighbour's)
    axis = category_axis(fig, [t.theme for t in shown], keys,
                         slot_chars=max(8, 96 // len(shown)))
    return finish(fig, title=vital_few_headline(themes), subtitle=pareto_subtitle(themes),
                  footnote=footnote, height=380 if compact else 560, axis_space=axis,
                  compact=compact)


def theme_metrics(item: ThemeMoney | None, footnote: Footnote | str | None) -> go.Figure:
    """One theme's money by iceberg metric (counts after any scaling in the hover)."""
    if item is None or not item.by_metric:
        return blank("No theme chosen", "Pick a theme to see where its money comes from.",
                     footnote, height=360)
    rows = sorted(item.by_metric.items(), key=lambda kv: kv[1][1])
    labels = [CANONICAL_METRICS[m].label if m in CANONICAL_METRICS else m for m, _ in rows]
    fig = go.Figure(go.Bar(
        y=labels, x=[amount for _, (_, amount) in rows], orientation="h",
        marker_color=VITAL if item.vital_few else USEFUL,
        text=[money(amount) for _, (_, amount) in rows], textposition="outside",
        cliponaxis=False, customdata=[count for _, (count, _) in rows],
        hovertemplate="%{y}: %{customdata:,.0f} counted, %{x:$,.0f}<extra></extra>"))
    top = max((amount for _, (_, amount) in rows), default=0.0) * 1.25 or 1.0
    values, ticks = money_ticks(0, top)
    fig.update_xaxes(range=[0, top], tickvals=values, ticktext=ticks, fixedrange=True)
    fig.update_yaxes(fixedrange=True)
    fig.update_layout(margin=dict(l=190))
    return finish(fig, title=f"{item.theme}: {money(item.money)} in the quarter",
                  subtitle="Its money by iceberg input", footnote=footnote,
                  height=120 + 60 * len(rows))


def theme_quarters(theme: str, history: Sequence[tuple[str, float]],
                   footnote: Footnote | str | None) -> go.Figure:
    """One theme's money in each quarter with themes (0 where it was not named)."""
    if not history:
        return blank("No quarters yet", "This theme has no quarters to show.", footnote,
                     height=360)
    fig = go.Figure(go.Bar(
        x=[p for p, _ in history], y=[m for _, m in history], marker_color=VITAL,
        text=[money(m) for _, m in history], textposition="outside", cliponaxis=False,
        hovertemplate="%{x}: %{y:$,.0f}<extra></extra>"))
    top = max((m for _, m in history), default=0.0) * 1.2 or 1.0
    values, ticks = money_ticks(0, top)
    fig.update_yaxes(range=[0, top], tickvals=values, ticktext=ticks, fixedrange=True)
    fig.update_xaxes(type="category", fixedrange=True)
    return finish(fig, title=f"{theme}, quarter by quarter", footnote=footnote, height=380,
                  subtitle="Its money in each quarter with themes (0 where it was not named)")
