"""Action plans on a timeline: a Gantt bar per plan, from creation to due date.

==================  ============================================================================
name                what it is
==================  ============================================================================
`plans_timeline`    one bar per plan, coloured by status; overdue plans marked; today's line
`STATUS_COLOURS`    the colour of each status
==================  ============================================================================

Plan text is user text: it reaches Plotly only through `plain` / `tick`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import plotly.graph_objects as go

from cxroi.charts.theme import BETTER, MUTED, NEUTRAL, PALETTE, WORSE, blank, finish, plain
from cxroi.models import Footnote
from cxroi.report import PlanView
from cxroi.wording import PLAN_STATUS_LABELS, PLANS_TIMELINE_SUBTITLE, plans_headline

__all__ = ["plans_timeline", "STATUS_COLOURS"]

STATUS_COLOURS = {"planned": PALETTE[1], "in_progress": BETTER, "done": PALETTE[2],
                  "dropped": NEUTRAL}


def plans_timeline(plans: Sequence[PlanView], footnote: Footnote | str | None, *,
                   today: dt.date | None = None) -> go.Figure:
    """Each plan from the day it was created to its due date; overdue plans outlined and
    labelled; a line at today."""
    if not plans:
        return blank("No action plans yet", "Add a plan for a theme of the vital few.",
                     footnote, height=360)
    today = today or dt.datetime.now(dt.UTC).date()
    fig = go.Figure()
    labels = [plain(f"{p.record.id}. {_short(p.record.theme)}") for p in plans]
    for status, label in PLAN_STATUS_LABELS.items():
        chosen = [i for i, p in enumerate(plans) if p.record.status == status]
        if not chosen:
            continue
        spans = [_span(plans[i]) for i in chosen]
        starts, ends = [a for a, _ in spans], [b for _, b in spans]
        fig.add_trace(go.Bar(
            y=[labels[i] for i in chosen], base=[s.isoformat() for s in starts],
            x=[max((e - s).days, 1) * 86_400_000 for s, e in zip(starts, ends)],
            orientation="h", name=label, marker_color=STATUS_COLOURS[status],
            marker_line=dict(color=[WORSE if plans[i].overdue else "rgba(0,0,0,0)"
                                    for i in chosen], width=3),
            customdata=[[plain(plans[i].record.owner), plans[i].record.due,
                         " OVERDUE" if plans[i].overdue else "",
                         plain(_short(plans[i].record.action, 80))] for i in chosen],
            hovertemplate="%{y}: %{customdata[3]}<br>owner %{customdata[0]}, due "
                          "%{customdata[1]}%{customdata[2]}<extra></extra>"))
    late = [(labels[i], p) for i, p in enumerate(plans) if p.overdue]
    if late:
        fig.add_trace(go.Scatter(
            y=[label for label, _ in late], x=[p.record.due for _, p in late],
            mode="markers+text", marker=dict(symbol="x", size=14, color=WORSE),
            text=["overdue"] * len(late), textposition="middle right",
            textfont=dict(color=WORSE, size=14), name="Overdue", hoverinfo="skip"))
    fig.add_shape(type="line", xref="x", x0=today.isoformat(), x1=today.isoformat(),
                  yref="paper", y0=0, y1=1, line=dict(color=MUTED, width=1.5, dash="dot"))
    fig.add_annotation(xref="x", x=today.isoformat(), yref="paper", y=1, yanchor="bottom",
                       text="today", showarrow=False, font=dict(color=MUTED, size=13))
    fig.update_xaxes(type="date", fixedrange=True)
    fig.update_yaxes(autorange="reversed", fixedrange=True, type="category")
    fig.update_layout(barmode="overlay", margin=dict(l=260),
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    return finish(fig, title=plans_headline(plans), footnote=footnote,
                  subtitle=PLANS_TIMELINE_SUBTITLE,
                  height=200 + 56 * len(plans))


def _span(plan: PlanView) -> tuple[dt.date, dt.date]:
    """Creation to due date (either order: a plan may be written after its due date)."""
    due = dt.date.fromisoformat(plan.record.due)
    created = dt.date.fromisoformat(plan.record.created_at[:10]) if plan.record.created_at else due
    return min(created, due), max(created, due)


def _short(text: str, limit: int = 26) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
