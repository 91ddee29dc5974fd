"""The effort split: TM / EM / EL per department, inner vs outer loop, and the trend.

================  ==========================================================================
name              what it is
================  ==========================================================================
`effort_figure`   TM / EM / EL shares per department against the EL target line
`loop_figure`     inner vs outer loop per department against the outer-loop target
`effort_trend`    the EL and outer-loop shares over the quarters
`TIER_COLOURS`    one colour per tier (EL in the good direction's blue)
================  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from cxroi.charts.labels import value_column
from cxroi.charts.theme import BETTER, INK, WORSE, blank, finish, tick, wrap
from cxroi.format import percent
from cxroi.models import ALL, TIER_NAMES, Footnote
from cxroi.roi import EffortSplit
from cxroi.wording import (
    effort_headline,
    effort_subtitle,
    effort_trend_headline,
    hours_short,
    loop_headline,
    loop_subtitle,
)

__all__ = [
    "TIER_COLOURS",
    "effort_figure",
    "effort_trend",
    "loop_figure",
]

TIER_COLOURS = {"EL": BETTER, "EM": "#56B4E9", "TM": "#BBBBBB"}


def _dept(split: EffortSplit) -> str:
    return "<b>Company</b>" if split.department == ALL else tick(split.department, 18)


def _label_margin(rows: Sequence[EffortSplit], size: int = 16) -> int:
    """Left margin (px) that fits the department names at ``size`` px."""
    longest = max((len(line) for s in rows
                   for line in wrap("Company" if s.department == ALL else s.department, 18)),
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
    colours = [WORSE if s.el_gap_hours > 0 else BETTER for s in rows]
    fig = go.Figure(go.Bar(
        y=names, x=[s.shares["EL"] for s in rows], orientation="h", showlegend=False,
        marker_color=colours, hovertemplate="%{y}: EL %{x:.0%}<extra></extra>"))
    fig.add_vline(x=target, line=dict(color=INK, width=2, dash="dash"))
    fig.update_xaxes(range=[0, 1], tickvals=[0, target, 1],
                     ticktext=["0%", f"<b>{percent(target)}</b>", "100%"], tickfont=dict(size=13))
    fig.update_yaxes(showgrid=False, tickfont=dict(size=13))
    right = value_column(fig, names, [percent(s.shares["EL"]) for s in rows], colours, 14)
    fig.update_layout(bargap=0.3, margin=dict(l=_label_margin(rows, size=13), r=right))
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
        return blank(title, "Upload effort hours to see the split.", footnote, height=height,
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
            gap = hours_short(s)
            fig.add_annotation(x=1.01, xref="paper", y=name, xanchor="left", showarrow=False,
                               text=gap,
                               font=dict(size=16, color=WORSE if s.el_gap_hours > 0 else BETTER))
    fig.update_xaxes(range=[0, 1], showgrid=False)
    fig.update_yaxes(showgrid=False, tickfont=dict(size=16))
    fig.update_layout(barmode="stack", bargap=0.35, margin=dict(l=_label_margin(rows),
                                                                r=40 if compact else 150),
                      legend=dict(traceorder="normal"))
    subtitle = None if compact else effort_subtitle(company.period if company else None, target)
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
        return blank(title, "No effort row names its loop.", footnote, height=420)
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
                  subtitle=loop_subtitle(company.period if company else None, target))


def effort_trend(company: Sequence[EffortSplit], *, el_target: float, loop_target: float,
                 footnote: Footnote | str | None) -> go.Figure:
    """The company's EL share and outer-loop share over the quarters, against their targets."""
    company = [s for s in company if s.total_hours]
    if not company:
        return blank("No effort recorded yet", "Upload effort hours.", footnote, height=520)
    last = company[-1]
    periods = [s.period for s in company]
    title = effort_trend_headline(company, el_target)
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
