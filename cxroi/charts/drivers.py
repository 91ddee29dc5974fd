"""The drill-down's pictures: key-driver importance, the driver matrix, a leading indicator.

=======================  =====================================================================
name                     what it is
=======================  =====================================================================
`importance_figure`      each driver's share of R², signed by the direction of r; drivers
                         whose correlation is not significant are grey (never hidden or zeroed)
`matrix_figure`          importance against mean score, split into quadrants; the "fix first"
                         quadrant (important, scoring below the average) named in the title
`quadrants`              which quadrant each driver falls in, and where the lines are
`leading_figure`         an indicator at quarter q - k against the outcome at q
=======================  =====================================================================

Item and metric names are the user's text: every label goes through `plain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from cxroi.charts.theme import (
    BETTER,
    INK,
    MUTED,
    NEUTRAL,
    WORSE,
    blank,
    finish,
    plain,
    tick,
    wrap,
)
from cxroi.drivers import DriverResult, Indicator
from cxroi.format import percent
from cxroi.models import Footnote
from cxroi.wording import (
    QUADRANT_NOTES,
    QUADRANTS,
    drivers_headline,
    drivers_subtitle,
    item_label,
    matrix_headline,
    metric_label,
)

__all__ = ["Quadrants", "quadrants", "importance_figure", "matrix_figure", "leading_figure",
           "NOT_SIGNIFICANT"]

NOT_SIGNIFICANT = "#C8C8C8"
"""The grey of a driver whose correlation with the outcome is not significant."""


@dataclass(frozen=True)
class Quadrants:
    """The driver matrix's split: importance (share of R²) against mean score."""

    share_line: float
    """Every driver equally important: ``1 / p``."""
    score_line: float
    """The drivers' average mean score."""
    of_item: dict[str, str]
    """Item -> ``fix``, ``keep``, ``watch`` or ``over`` (see `cxroi.wording.QUADRANTS`)."""
    fix_first: tuple[str, ...]
    """The items in ``fix``, most important first."""


def quadrants(result: DriverResult) -> Quadrants:
    """Where each driver falls: above ``1 / p`` of R² is important; below the drivers' average
    mean score is scoring low. Important and low is "fix first".

    >>> from cxroi.drivers import key_drivers
    >>> answers = {"recommend": [9, 7, 10, 4, 8, 3, 9, 6], "delivery": [8, 7, 9, 3, 8, 4, 9, 6],
    ...            "support": [7, 5, 8, 6, 6, 2, 7, 5]}
    >>> split = quadrants(key_drivers("recommend", answers))
    >>> split.of_item, split.fix_first
    ({'delivery': 'keep', 'support': 'watch'}, ())
    """
    drivers = result.drivers
    share_line = 1 / len(drivers) if drivers else 0.0
    score_line = sum(d.mean for d in drivers) / len(drivers) if drivers else 0.0
    of_item = {}
    for d in drivers:
        important = d.share >= share_line
        low = d.mean < score_line
        of_item[d.item] = ("fix" if low else "keep") if important else ("watch" if low else "over")
    fix = tuple(d.item for d in drivers if of_item[d.item] == "fix")
    return Quadrants(share_line, score_line, of_item, fix)


def _colour(significant: bool, r: float) -> str:
    if not significant:
        return NOT_SIGNIFICANT
    return BETTER if r >= 0 else WORSE


def _label_place(driver, drivers) -> str:
    """Alternate labels above and below the dots, by mean score, so neighbours do not collide."""
    rank = sorted(drivers, key=lambda d: d.mean).index(driver)
    return "top center" if rank % 2 == 0 else "bottom center"


def importance_figure(result: DriverResult, *, footnote: Footnote | str | None,
                      compact: bool = False) -> go.Figure:
    """Share of R² per driver, most important on top, signed by the direction of r.

    Blue moves with the outcome, vermillion against it; grey is not significant (p >= 0.05)
    and still drawn at its full share. The subtitle gives n, R² and the method.
    """
    title = drivers_headline(result)
    drivers = list(result.drivers)
    height = 380 if compact else 140 + 46 * max(len(drivers), 4)
    if not drivers:
        return blank(title, "No drivers to show.", footnote, height=height, compact=compact)
    rows = drivers[::-1]                             # bottom to top: the most important on top
    names = [tick(item_label(d.item), 26) for d in rows]
    signed = [d.share if d.r >= 0 else -d.share for d in rows]
    fig = go.Figure(go.Bar(
        y=names, x=signed, orientation="h", showlegend=False,
        marker=dict(color=[_colour(d.significant, d.r) for d in rows],
                    line=dict(color=[INK if d.suppressor else "rgba(0,0,0,0)" for d in rows],
                              width=2)),
        text=[("-" if d.r < 0 else "") + percent(d.share, 1)
              + ("" if d.significant else " (n.s.)") for d in rows],
        textposition="outside", cliponaxis=False, textfont=dict(size=14 if compact else 16),
        customdata=[[d.r, d.p_value, d.beta, d.mean, d.importance] for d in rows],
        hovertemplate="%{y}<br>share of R² %{x:.1%}<br>r %{customdata[0]:.3f}, "
                      "p %{customdata[1]:.4f}<br>beta %{customdata[2]:.3f}<br>mean score "
                      "%{customdata[3]:.2f}<extra></extra>"))
    low = min(0.0, min(signed)) * 1.25
    high = max(0.0, max(signed)) * 1.25 or 0.1
    fig.add_vline(x=0, line=dict(color=INK, width=1))
    fig.update_xaxes(range=[low, high], tickformat=".0%", showgrid=True, zeroline=False,
                     title=dict(text="share of R² (negative: moves against the outcome)",
                                font=dict(size=14, color=MUTED)))
    fig.update_yaxes(showgrid=False, tickfont=dict(size=13 if compact else 15))
    longest = max(len(line) for d in rows for line in wrap(item_label(d.item), 26))
    fig.update_layout(bargap=0.28, margin=dict(l=40 + 9 * min(26, max(longest, 12)), r=40))
    return finish(fig, title=title, subtitle=None if compact else drivers_subtitle(result),
                  footnote=footnote, height=height, axis_space=64, compact=compact,
                  width_chars=60 if compact else 120)


def matrix_figure(result: DriverResult, *, footnote: Footnote | str | None,
                  compact: bool = False) -> go.Figure:
    """Importance (share of R²) against performance (mean score), split into quadrants."""
    split = quadrants(result)
    title = matrix_headline(split.fix_first)
    height = 420 if compact else 600
    if not result.drivers:
        return blank(title, "No drivers to show.", footnote, height=height, compact=compact)
    colours = {"fix": WORSE, "keep": BETTER, "watch": NEUTRAL, "over": "#56B4E9"}
    drivers = result.drivers
    fig = go.Figure()
    for key in ("fix", "keep", "over", "watch"):
        chosen = [d for d in drivers if split.of_item[d.item] == key]
        if not chosen:
            continue
        fig.add_trace(go.Scatter(
            x=[d.mean for d in chosen], y=[d.share for d in chosen], mode="markers+text",
            name=f"{QUADRANTS[key]} ({QUADRANT_NOTES[key]})",
            marker=dict(size=16 if key == "fix" else 13, color=colours[key],
                        line=dict(color="white", width=1)),
            text=[plain(item_label(d.item)[:32]) for d in chosen],
            textposition=[_label_place(d, drivers) for d in chosen],
            textfont=dict(size=13 if compact else 15, color=INK),
            customdata=[[d.p_value] for d in chosen],
            hovertemplate="%{text}<br>mean score %{x:.2f}<br>share of R² %{y:.1%}"
                          "<extra></extra>"))
    means = [d.mean for d in drivers]
    shares = [d.share for d in drivers]
    pad_x = max((max(means) - min(means)) * 0.15, 0.2)
    top = max(max(shares), split.share_line) * 1.25
    x_range = [min(means) - pad_x, max(means) + pad_x]
    fig.add_vline(x=split.score_line, line=dict(color=MUTED, width=1.5, dash="dash"))
    fig.add_hline(y=split.share_line, line=dict(color=MUTED, width=1.5, dash="dash"))
    # the lower quadrants' names sit in a band below 0%, under the labels of drivers at 0%
    floor = -0.28 * top
    corners = (("fix", x_range[0], top, "left"), ("keep", x_range[1], top, "right"),
               ("watch", x_range[0], floor, "left"), ("over", x_range[1], floor, "right"))
    for key, x, y, anchor in corners:
        fig.add_annotation(x=x, y=y, text=f"<b>{QUADRANTS[key]}</b>", showarrow=False,
                           xanchor=anchor, yanchor="top" if y > 0 else "bottom",
                           font=dict(size=14 if compact else 17,
                                     color=WORSE if key == "fix" else MUTED))
    fig.update_xaxes(range=x_range, title=dict(text="mean score (performance)",
                                               font=dict(size=14, color=MUTED)))
    step = next(size for size in (0.05, 0.1, 0.2, 0.25, 0.5) if top / size <= 6)
    fig.update_yaxes(range=[floor, top], tickformat=".0%",
                     tickvals=[i * step for i in range(int(top / step) + 1)],
                     title=dict(text="importance (share of R²)", font=dict(size=14, color=MUTED)))
    fig.update_layout(showlegend=not compact,
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))
    return finish(fig, title=title, footnote=footnote, height=height, axis_space=64,
                  compact=compact, width_chars=60 if compact else 120)


def leading_figure(points: Sequence[tuple[str, float, float]], *, indicator: str, outcome: str,
                   lag: int, tested: Indicator | None,
                   footnote: Footnote | str | None) -> go.Figure:
    """The indicator at quarter q - lag (x) against the outcome at q (y), one dot a quarter."""
    earlier = "a quarter" if lag == 1 else f"{lag} quarters"
    name, target = metric_label(indicator), metric_label(outcome).lower()
    if tested is None:
        title = f"{name} {earlier} earlier against {target}: too few quarters to test"
    else:
        verdict = "leads" if tested.leading else "does not lead (after Holm)"
        title = (f"{name} {earlier} earlier against {target}: r = {tested.r:.2f}, "
                 f"{verdict}")
    if not points:
        return blank(title, "No quarter has both figures.", footnote, height=460)
    fig = go.Figure(go.Scatter(
        x=[x for _, x, _ in points], y=[y for _, _, y in points], mode="markers+text",
        text=[plain(q) for q, _, _ in points], textposition="top center",
        marker=dict(size=13, color=BETTER if tested is not None and tested.leading else NEUTRAL),
        showlegend=False,
        hovertemplate="outcome quarter %{text}<br>indicator %{x:,.4g}<br>outcome %{y:,.4g}"
                      "<extra></extra>"))
    fig.update_xaxes(title=dict(text=plain(f"{name} at quarter q - {lag}"),
                                font=dict(size=14, color=MUTED)))
    ys = [y for _, _, y in points]
    pad = (max(ys) - min(ys)) * 0.15 or abs(ys[0]) * 0.1 or 1.0
    fig.update_yaxes(range=[min(ys) - pad, max(ys) + pad],
                     title=dict(text=plain(f"{metric_label(outcome)} at quarter q"),
                                font=dict(size=14, color=MUTED)))
    return finish(fig, title=title, footnote=footnote, height=460, axis_space=64)
