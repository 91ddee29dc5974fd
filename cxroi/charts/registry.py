"""One entry point: any chart of a `Report`, by name.

============  ================================================================================
name          what it is
============  ================================================================================
`CHARTS`      every chart `chart_for` draws, with the footnote kind that goes under it
`chart_for`   the figure of a `Report` by name, and its footnote
`chart_note`  that chart's footnote alone (a one-quarter chart names its quarter)
============  ================================================================================
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from cxroi.charts.effort import effort_figure, effort_trend, loop_figure
from cxroi.charts.iceberg import iceberg_figure
from cxroi.charts.melt import melt_figure
from cxroi.charts.relative import relative_bars, relative_circles
from cxroi.charts.snowball import snowball_quarters, snowball_steps
from cxroi.charts.theme import present
from cxroi.models import Footnote
from cxroi.report import Report
from cxroi.roi import melted

__all__ = [
    "CHARTS",
    "chart_for",
    "chart_note",
]

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


def chart_note(report: Report, kind: str, *, period: str | None = None) -> Footnote:
    """The footnote of chart ``kind`` drawn for ``period``: a one-quarter chart (an iceberg,
    its lines one by one, a department split) names that quarter; the others their span."""
    if kind not in CHARTS:
        raise ValueError(f"chart must be one of {', '.join(CHARTS)} (got {kind!r})")
    latest = report.latest_iceberg
    one_quarter = {
        "iceberg": (report.iceberg_for(period) or latest),
        "melt": (report.iceberg_for(period) or latest),
        "snowball_steps": latest,
    }
    if kind in one_quarter:
        berg = one_quarter[kind]
        return report.footnote(CHARTS[kind], period=berg.period if berg else None)
    if kind in ("effort", "loops"):
        return report.footnote("effort", period=period)
    return report.footnote(CHARTS[kind])


def chart_for(report: Report, kind: str, *, period: str | None = None,
              metrics: Sequence[str] | None = None, in_money: bool = False,
              compact: bool = False, presenting: bool = False) -> tuple[go.Figure, Footnote]:
    """The figure ``kind`` (a key of `CHARTS`) of ``report`` and its footnote.

    ``period`` picks the iceberg's quarter (icebergs; the latest when absent) or the effort
    split's (effort charts); ``metrics`` and ``in_money`` the relative bars; ``compact`` the
    thumbnail; ``presenting`` the presentation view's larger type.
    """
    note = chart_note(report, kind, period=period)
    a = report.scenario.assumptions
    berg = report.iceberg_for(period)
    splits = [s for s in report.effort if s.period == period]
    if kind == "iceberg":
        fig = iceberg_figure(berg, note, compact=compact, presenting=presenting)
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
