"""The numbers behind each chart, as data frames, and the registry of exportable charts.

==========================  ==============================================================
name                        what it gives
==========================  ==============================================================
`CHARTS`                    every exportable chart by name (`cxroi.charts.CHARTS`' names,
                            plus ``overview`` and ``assumptions``): figure and numbers
`ChartSpec`                 one exportable chart: label, figure builder, frame, footnote
`chart_figure`              a chart's `go.Figure` for a `Report`
`chart_frame`               the numbers behind a chart, as a pandas DataFrame
`chart_footnote`            the footnote a chart carries, as plain text
==========================  ==============================================================

The deck reads the same choices the frames make (`shown_iceberg`, `effort_period`,
`effort_splits`, `company_split`, `overview_rows`), so a slide and its download agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from cxroi import charts, roi, wording
from cxroi.models import ALL, TIER_NAMES, CxroiError, assumption_info
from cxroi.report import Report
from cxroi.whatif import show as show_assumption

__all__ = [
    "CHARTS",
    "ChartSpec",
    "chart_figure",
    "chart_frame",
    "chart_footnote",
    "shown_iceberg",
    "effort_period",
    "effort_splits",
    "company_split",
    "overview_rows",
]


def shown_iceberg(report: Report) -> roi.Iceberg | None:
    """The iceberg the charts show: the report's chosen period, else the latest."""
    return report.iceberg_for(report.relative.period)


def effort_period(report: Report) -> str | None:
    """The quarter the effort charts show: the report's chosen period if it has effort
    figures, else the latest quarter that does (none without any)."""
    periods = sorted({split.period for split in report.effort})
    if not periods:
        return None
    return report.relative.period if report.relative.period in periods else periods[-1]


def effort_splits(report: Report) -> list[roi.EffortSplit]:
    """The effort splits of `effort_period`, one per department (the company included)."""
    period = effort_period(report)
    return [split for split in report.effort if split.period == period]


def company_split(report: Report) -> roi.EffortSplit | None:
    """The company-wide effort split of `effort_period`, or none."""
    return next((s for s in effort_splits(report) if s.department == ALL), None)


def overview_rows(report: Report) -> list[tuple[str, float | None, str]]:
    """The headline numbers as (label, value, unit); none without an iceberg."""
    berg, melt = shown_iceberg(report), report.melt
    if berg is None:
        return []
    return [
        (f"Cost of poor experience, {berg.period}", berg.total, "money"),
        ("Visible tip (finance sees it)", berg.visible, "money"),
        ("Hidden below the waterline", berg.hidden, "money"),
        ("Hidden as a multiple of the tip", berg.hidden_multiple, "multiple"),
        (f"Last {len(melt.periods)} quarters, annualised", melt.annual_cost, "money"),
        ("Prevention NPV", melt.npv, "money"),
        ("Prevention ROI", melt.roi, "ratio"),
        ("Payback", melt.payback_months, "months"),
    ]


def _overview_frame(report: Report) -> pd.DataFrame:
    rows = [{"segment": report.segment, "measure": label, "value": value, "unit": unit}
            for label, value, unit in overview_rows(report)]
    return pd.DataFrame(rows, columns=["segment", "measure", "value", "unit"])


def _iceberg_frame(report: Report) -> pd.DataFrame:
    berg = shown_iceberg(report)
    columns = ["period", "segment", "line", "label", "layer", "amount", "share", "formula",
               "status"]
    if berg is None:
        return pd.DataFrame(columns=columns)
    rows = [{"period": berg.period, "segment": berg.segment, "line": line.key,
             "label": line.label, "layer": line.layer, "amount": line.amount,
             "share": line.amount / berg.total if berg.total else None,
             "formula": line.formula, "status": "counted"} for line in berg.lines]
    specs = {spec.key: spec for spec in roi.ICEBERG_LINES}
    rows += [{"period": berg.period, "segment": berg.segment, "line": key,
              "label": specs[key].label, "layer": specs[key].layer, "amount": None,
              "share": None, "formula": specs[key].formula,
              "status": f"missing: no {specs[key].metric} figure"} for key in berg.missing]
    return pd.DataFrame(rows, columns=columns).astype({"amount": "float64", "share": "float64"})


def _snowball_frame(report: Report) -> pd.DataFrame:
    berg = report.latest_iceberg
    rows = [{"period": berg.period if berg else None, "segment": report.segment, "step": i,
             "line": step.key, "label": step.label, "layer": step.layer,
             "amount": step.amount, "cumulative": step.cumulative}
            for i, step in enumerate(report.snowball.steps, start=1)]
    return pd.DataFrame(rows, columns=["period", "segment", "step", "line", "label", "layer",
                                       "amount", "cumulative"])


def _quarters_frame(report: Report) -> pd.DataFrame:
    ball = report.snowball
    rows = [{"period": p.period, "segment": report.segment, "amount": p.amount,
             "cumulative": p.cumulative, "projected": p.projected}
            for p in (*ball.running, *ball.projection)]
    return pd.DataFrame(rows, columns=["period", "segment", "amount", "cumulative",
                                       "projected"])


def _melt_frame(report: Report) -> pd.DataFrame:
    melt, berg = report.melt, shown_iceberg(report)
    span = (f"{melt.periods[0]} to {melt.periods[-1]}" if len(melt.periods) > 1
            else "".join(melt.periods))
    rows: list[tuple[str, float | None, str]] = [
        (f"Annual cost of poor experience ({span})", melt.annual_cost, "money/year"),
        ("Yearly benefit of prevention (risk-adjusted)", melt.yearly_benefit, "money/year"),
        ("Remaining annual cost after prevention", melt.remaining_annual_cost, "money/year"),
        ("Prevention investment (year 0)", melt.investment, "money"),
        ("Prevention running cost", melt.running_cost, "money/year"),
        ("Discount rate", melt.discount_rate, "ratio"),
        ("Horizon", float(melt.horizon_years), "years"),
        ("Present value of benefits", melt.pv_benefits, "money"),
        ("Present value of costs", melt.pv_costs, "money"),
        ("NPV", melt.npv, "money"),
        ("ROI", melt.roi, "ratio"),
        ("Payback", melt.payback_months, "months"),
    ]
    rows += [(f"Net cash flow, year {year}", flow, "money")
             for year, flow in enumerate(melt.cash_flows)]
    if berg is not None:
        after = roi.melted(berg, report.scenario.assumptions)
        for today, later in zip(berg.lines, after.lines, strict=True):
            rows.append((f"{berg.period} today: {today.label}", today.amount, "money"))
            rows.append((f"{berg.period} right first time: {later.label}", later.amount,
                         "money"))
    return pd.DataFrame(
        [{"segment": report.segment, "item": item, "value": value, "unit": unit}
         for item, value, unit in rows],
        columns=["segment", "item", "value", "unit"]).astype({"value": "float64"})


def _relative_frame(report: Report) -> pd.DataFrame:
    view = report.relative
    rows = [{"period": view.period, "segment": view.segment, "baseline_kind": view.baseline,
             "metric": bar.metric, "label": wording.metric_label(bar.metric), "unit": bar.unit,
             "value": bar.value, "baseline": bar.baseline, "delta": bar.delta,
             "relative": bar.relative, "worse": bar.worse} for bar in view.bars]
    columns = ["period", "segment", "baseline_kind", "metric", "label", "unit", "value",
               "baseline", "delta", "relative", "worse"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"value": "float64", "baseline": "float64", "delta": "float64", "relative": "float64"})


def _effort_frame(report: Report) -> pd.DataFrame:
    rows = []
    for split in report.effort:
        row: dict[str, object] = {"period": split.period, "department": split.department}
        row.update({f"{tier.lower()}_hours": split.hours.get(tier, 0.0) for tier in TIER_NAMES})
        row.update({f"{tier.lower()}_share": split.shares.get(tier, 0.0)
                    for tier in TIER_NAMES})
        row.update({"el_gap_hours": split.el_gap_hours, "inner_hours": split.inner_hours,
                    "outer_hours": split.outer_hours,
                    "outer_loop_share": split.outer_loop_share})
        rows.append(row)
    columns = ["period", "department", *(f"{t.lower()}_hours" for t in TIER_NAMES),
               *(f"{t.lower()}_share" for t in TIER_NAMES), "el_gap_hours", "inner_hours",
               "outer_hours", "outer_loop_share"]
    return pd.DataFrame(rows, columns=columns).astype({"outer_loop_share": "float64"})


def _assumptions_frame(report: Report) -> pd.DataFrame:
    chosen = report.scenario.assumptions
    rows = [{"scenario": report.scenario.label, "key": info.key, "label": info.label,
             "value": float(getattr(chosen, info.key)), "unit": info.unit,
             "shown": show_assumption(info, getattr(chosen, info.key)), "note": info.note}
            for info in assumption_info()]
    return pd.DataFrame(rows, columns=["scenario", "key", "label", "value", "unit", "shown",
                                       "note"])


def _pareto_frame(report: Report) -> pd.DataFrame:
    """Each theme's money in Pareto order, then what no theme explains (the rows sum to the
    iceberg's total)."""
    themes = report.themes
    columns = ["period", "segment", "row", "theme", "department", "money", "share",
               "cumulative_share", "vital_few"]
    if themes is None:
        return pd.DataFrame(columns=columns)
    rows: list[dict[str, object]] = [
        {"period": themes.period, "segment": themes.segment, "row": "theme", "theme": t.theme,
         "department": t.department, "money": t.money, "share": t.share,
         "cumulative_share": t.cumulative_share, "vital_few": t.vital_few}
        for t in themes.items]
    rows.append({"period": themes.period, "segment": themes.segment, "row": "unattributed",
                 "theme": "Not explained by any theme", "department": None,
                 "money": themes.unattributed, "share": None, "cumulative_share": None,
                 "vital_few": None})
    return pd.DataFrame(rows, columns=columns).astype(
        {"money": "float64", "share": "float64", "cumulative_share": "float64"})


_PLAN_COLUMNS = ["id", "version", "theme", "root_cause", "action", "owner", "due", "status",
                 "overdue", "investment", "running_cost", "expected_reduction", "indicator",
                 "indicator_target", "indicator_latest", "theme_annual_cost", "yearly_benefit",
                 "npv", "roi", "payback_months"]


def _plans_frame(report: Report) -> pd.DataFrame:
    """Each action plan's latest version and business case (the keys of ``report --json``)."""
    return pd.DataFrame([plan.as_json() for plan in report.plans], columns=_PLAN_COLUMNS)


def _pareto_figure(report: Report) -> go.Figure:
    from cxroi.charts.pareto import pareto_figure

    return pareto_figure(report.themes, report.footnote("themes"))


def _plans_figure(report: Report) -> go.Figure:
    from cxroi.charts.plans import plans_timeline

    return plans_timeline(report.plans, report.footnote("plans"))


def _drawn(kind: str) -> Callable[[Report], go.Figure]:
    """The app's own figure ``kind`` (a key of `cxroi.charts.CHARTS`) for a report: the
    iceberg charts for the report's period, the effort charts for its effort period."""
    def build(report: Report) -> go.Figure:
        return charts.chart_for(report, kind, period=_drawn_period(report, kind))[0]

    return build


def _drawn_period(report: Report, kind: str) -> str | None:
    """The quarter an exported chart shows: the effort period for the effort charts, else the
    report's chosen period."""
    return effort_period(report) if charts.CHARTS[kind] == "effort" else report.relative.period


@dataclass(frozen=True)
class ChartSpec:
    """One exportable chart: its display name, figure builder and the numbers behind it."""

    name: str
    label: str
    figure: Callable[[Report], go.Figure] | None
    frame: Callable[[Report], pd.DataFrame]
    footnote: str | None = "iceberg"
    """The `Report.footnote` kind the chart carries (none for the assumptions table)."""


def _charted(name: str, label: str, frame: Callable[[Report], pd.DataFrame]) -> ChartSpec:
    return ChartSpec(name, label, _drawn(name), frame, charts.CHARTS[name])


CHARTS: dict[str, ChartSpec] = {spec.name: spec for spec in (
    ChartSpec("overview", "Overview: the headline numbers", None, _overview_frame),
    _charted("relative", "Relative size", _relative_frame),
    _charted("relative_circles", "Relative size as circles", _relative_frame),
    _charted("iceberg", "Cost iceberg", _iceberg_frame),
    _charted("snowball_steps", "Snowball: line by line", _snowball_frame),
    _charted("snowball_quarters", "Snowball: quarter by quarter", _quarters_frame),
    _charted("melt", "Melt: right first time", _melt_frame),
    _charted("effort", "Effort split", _effort_frame),
    _charted("loops", "Inner and outer loop", _effort_frame),
    _charted("effort_trend", "Effort over the quarters", _effort_frame),
    ChartSpec("pareto", "Vital few: the themes' Pareto", _pareto_figure, _pareto_frame,
              "themes"),
    ChartSpec("plans_timeline", "Action plans: the timeline", _plans_figure, _plans_frame,
              "plans"),
    ChartSpec("assumptions", "Assumptions", None, _assumptions_frame, None),
)}
"""Every exportable chart, by name, in the order the export page lists them."""


def _spec(chart: str) -> ChartSpec:
    try:
        return CHARTS[chart]
    except KeyError:
        raise CxroiError(f"There is no chart {chart!r}; the charts are "
                         f"{', '.join(CHARTS)}.") from None


def chart_figure(report: Report, chart: str) -> go.Figure:
    """The figure of ``chart`` (a name in `CHARTS`), exactly as the app draws it."""
    spec = _spec(chart)
    if spec.figure is None:
        raise CxroiError(f"The {spec.label.lower()} is a table, not a picture.")
    return spec.figure(report)


def chart_footnote(report: Report, chart: str) -> str:
    """The footnote text ``chart`` carries (for the assumptions: the scenario used)."""
    spec = _spec(chart)
    if spec.footnote is None:
        return f"Scenario: {report.scenario.label}."
    if spec.figure is None or chart not in charts.CHARTS:
        return report.footnote(spec.footnote).text()
    return charts.chart_note(report, chart, period=_drawn_period(report, chart)).text()


def chart_frame(report: Report, chart: str) -> pd.DataFrame:
    """The numbers behind ``chart`` (a name in `CHARTS`), one row per bar, line or item.

    Money is in the data's currency, ratios are decimals (0.20 = 20%); missing values are
    empty, never zero. Hand it to `to_csv_bytes` or `to_xlsx_bytes`, which neutralise it.
    """
    return _spec(chart).frame(report)
