"""What-if figures: the tornado of one measure, and the difference between scenarios.

The numbers come from `cxroi.sensitivity` and `cxroi.whatif.compare`; each footnote says what
was varied or compared.

==============================  ==============================================================
name                            what it is
==============================  ==============================================================
`tornado_figure`                how far one measure moves as each assumption crosses its range
`scenario_difference_figure`    each scenario's latest iceberg minus the reference, by line
`LOW_END`, `HIGH_END`           the colours of an assumption's plausible low and high
==============================  ==============================================================
"""

from __future__ import annotations

import plotly.graph_objects as go

from cxroi import whatif
from cxroi.charts.theme import BODY_SIZE, INK, MUTED, PALETTE, finish, money_ticks, plain
from cxroi.format import money
from cxroi.models import Footnote
from cxroi.wording import scenario_npv_headline

__all__ = [
    "HIGH_END",
    "LOW_END",
    "scenario_difference_figure",
    "tornado_figure",
]

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
    labels = [f"{plain(s.label)}<br>{plain(whatif.show(whatif.INFO[s.key], s.low))} to "
              f"{plain(whatif.show(whatif.INFO[s.key], s.high))}" for s in swings]
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
            text=[money(end[0]) for end in picked], cliponaxis=False,
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
                                      f"is the value as assumed, {money(tornado.base)}"),
                     range=[min(ends) - pad, max(ends) + pad], tickformat="$~s",
                     showgrid=True, gridcolor="#EDEDED")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    first = swings[0]
    title = (f"{first.label} moves {measure}{when} most: {money(min(first.at_low, first.at_high))}"
             f" to {money(max(first.at_low, first.at_high))}")
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
    if not moving:
        return _npv_difference(differences, footnote)
    for index, diff in enumerate(differences):
        labels = [label for label, delta in diff.lines if delta or label in moving] + ["Total"]
        deltas = [delta for label, delta in diff.lines if delta or label in moving] + [diff.total]
        fig.add_trace(go.Bar(
            y=labels, x=deltas, orientation="h", name=plain(f"{diff.other} minus {reference}"),
            marker_color=PALETTE[(index + 1) % len(PALETTE)],
            text=[whatif.signed_money(d) for d in deltas], textposition="outside",
            cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>",
        ))
    fig.add_vline(x=0, line=dict(color=INK, width=1))
    fig.update_layout(barmode="group", bargap=0.3, legend=dict(y=1.0, yanchor="bottom"))
    _money_axis(fig, [d for diff in differences for _, d in diff.lines] +
                [diff.total for diff in differences])
    fig.update_yaxes(autorange="reversed", showgrid=False)
    if len(differences) == 1:
        total = differences[0].total
        size = "the same as" if total == 0 else \
            f"{money(abs(total))} {'bigger' if total > 0 else 'smaller'} than"
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


def _money_axis(fig: go.Figure, values: list[float]) -> None:
    """A money x axis through 0 with round ticks ($1.2M), room for the bars' labels."""
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low) * 0.25 or 1.0
    ticks, texts = money_ticks(low - pad, high + pad, count=4)
    fig.update_xaxes(range=[low - pad, high + pad], tickvals=ticks, ticktext=texts,
                     showgrid=True, gridcolor="#EDEDED", zeroline=False)


def _npv_difference(differences, footnote: Footnote) -> go.Figure:
    """When no iceberg line differs (investment, running cost, rate, horizon or haircut do):
    what does differ, prevention's NPV, one bar per compared scenario."""
    reference = differences[0].reference
    names = [plain(f"{diff.other} minus {reference}") for diff in differences]
    fig = go.Figure(go.Bar(
        y=names, x=[diff.npv for diff in differences], orientation="h", showlegend=False,
        marker_color=[PALETTE[(i + 1) % len(PALETTE)] for i in range(len(differences))],
        text=[whatif.signed_money(diff.npv) for diff in differences], textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: NPV %{text}<extra></extra>"))
    fig.add_vline(x=0, line=dict(color=INK, width=1))
    _money_axis(fig, [diff.npv for diff in differences])
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_layout(bargap=0.4, margin=dict(l=24 + round(0.62 * BODY_SIZE * max(
        len(name) for name in names))))
    compared = ", ".join(d.other for d in differences)
    note = (f"{footnote.text()} Compared: {compared} against {reference}. Every iceberg line "
            "is the same; the bars are the difference in prevention's NPV (the scenario's minus "
            "the reference's). ROI and payback are in the table.")
    finish(fig, title=scenario_npv_headline(differences), footnote=note,
           height=190 + 70 * len(differences), axis_space=40)
    return fig.update_layout(title_xref="container", title_x=0.01,
                             margin_t=fig.layout.margin.t + 30)
