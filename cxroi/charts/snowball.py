"""The snowball: the cost lines added one by one, and the running total quarter by quarter.

=====================  =======================================================================
name                   what it is
=====================  =======================================================================
`snowball_steps`       the lines added one by one, visible tip to full total
`snowball_quarters`    the running total quarter by quarter, and the projection
=====================  =======================================================================
"""

from __future__ import annotations

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
)
from cxroi.format import money
from cxroi.models import Footnote
from cxroi.roi import Snowball
from cxroi.wording import (
    SNOWBALL_STEPS_SUBTITLE,
    snowball_quarters_headline,
    snowball_quarters_subtitle,
    snowball_steps_headline,
)

__all__ = [
    "snowball_quarters",
    "snowball_steps",
]


def snowball_steps(ball: Snowball, footnote: Footnote | str | None) -> go.Figure:
    """The lines added one by one, from the visible tip to the full total."""
    if not ball.steps:
        return blank("No cost lines yet", "Upload a quarter of metrics.", footnote, height=520)
    first_hidden = next((s for s in ball.steps if s.layer == "hidden"), None)
    total, tip = ball.steps[-1].cumulative, ball.tip
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
    values, texts = money_ticks(0, total * 1.12)
    fig.update_yaxes(tickvals=values, ticktext=texts, range=[0, total * 1.15])
    fig.update_xaxes(categoryorder="array", categoryarray=order, tickfont=dict(size=14))
    axis = category_axis(fig, order, order, slot_chars=11)
    fig.update_layout(barmode="overlay", bargap=0.25)
    return finish(fig, title=snowball_steps_headline(ball), footnote=footnote, height=560,
                  axis_space=axis, subtitle=SNOWBALL_STEPS_SUBTITLE)


def snowball_quarters(ball: Snowball, footnote: Footnote | str | None) -> go.Figure:
    """The running total quarter by quarter, and where it goes if nothing changes."""
    if not ball.running:
        return blank("No quarters yet", "Upload a quarter of metrics.", footnote, height=520)
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
    values, texts = money_ticks(0, peak * 1.15)
    fig.update_yaxes(tickvals=values, ticktext=texts, range=[0, peak * 1.2])
    periods = [p.period for p in actual] + [p.period for p in ahead]
    step = max(1, len(periods) // 8)
    fig.update_xaxes(type="category", tickvals=periods[::step], tickfont=dict(size=15))
    return finish(fig, title=snowball_quarters_headline(ball), footnote=footnote, height=560,
                  axis_space=50, subtitle=snowball_quarters_subtitle(ball))
