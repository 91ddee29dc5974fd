"""The melt: the iceberg before and after right-first-time prevention, and "show the math".

=============  ===============================================================================
name           what it is
=============  ===============================================================================
`melt_figure`  today's iceberg and what remains after prevention, on one scale
`math_rows`    "show the math": every line's formula, inputs and amount to the cent
=============  ===============================================================================
"""

from __future__ import annotations

import plotly.graph_objects as go

from cxroi.charts.iceberg import iceberg_layers, iceberg_traces, sea
from cxroi.charts.theme import INK, blank, finish, plain
from cxroi.format import exact, money, money_exact
from cxroi.models import CANONICAL_METRICS, Assumptions, Footnote, assumption_info
from cxroi.roi import ICEBERG_LINES, Iceberg, MeltResult
from cxroi.wording import melt_headline, melt_subtitle

__all__ = [
    "math_rows",
    "melt_figure",
]


def melt_figure(berg: Iceberg | None, after: Iceberg | None, case: MeltResult,
                footnote: Footnote | str | None) -> go.Figure:
    """Today's iceberg and what remains after right-first-time prevention, on one scale."""
    if berg is None or after is None or berg.total <= 0:
        return blank("No iceberg yet: nothing to melt",
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
    sea(fig, x_min, x_max, y_min)
    iceberg_traces(fig, before_layers, berg.total, name="before")
    outline_x = [x for layer in before_layers for x in (*layer.xs, None)]
    outline_y = [y for layer in before_layers for y in (*layer.ys, None)]
    fig.add_trace(go.Scatter(x=[x + dx if x is not None else None for x in outline_x],
                             y=outline_y, mode="lines", hoverinfo="skip", showlegend=False,
                             line=dict(color="#FFFFFF", width=1.5, dash="dot"), name="melted"))
    iceberg_traces(fig, after_layers, after.total, dx=dx, name="after")
    saving = berg.total - after.total
    for x, text in ((0.0, f"<b>{plain(berg.period)}</b><br>{money(berg.total)} a quarter"),
                    (dx, f"<b>Right first time</b><br>{money(after.total)} a quarter "
                         f"(-{money(saving)})")):
        fig.add_annotation(x=x, y=max(top, 0) + 0.04 * span, yanchor="bottom", showarrow=False,
                           text=text, font=dict(size=20, color=INK))
    fig.update_xaxes(visible=False, range=[x_min, x_max], fixedrange=True)
    fig.update_yaxes(visible=False, range=[y_min, y_max], fixedrange=True)
    fig.update_layout(margin=dict(l=12, r=12))
    return finish(fig, title=title, footnote=footnote, subtitle=melt_subtitle(berg, after, case),
                  height=600, axis_space=12)


_PER = {"money/hour": " per hour", "money/year": " per year"}


def exact_in_unit(value: float, unit: str) -> str:
    """An input exactly as the calculation uses it, with its unit: '$8.00', '0.15 customers',
    '0.5 (50%)', '3 hours', '60,898 (count)'. Never rounded to a display precision."""
    if unit.startswith("money"):
        text = money_exact(value) if round(value, 2) == value else f"${exact(value)}"
        return text + _PER.get(unit, "")
    if unit == "ratio":
        return f"{exact(value)} ({exact(value * 100)}%)"
    if unit == "percent":
        return f"{exact(value)}%"
    if unit == "count":
        return f"{exact(value)} (count)"
    return f"{exact(value)} {unit}"


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
        return f"{name} = {exact_in_unit(value, units.get(name, 'count'))}"

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
