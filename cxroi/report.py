"""The numbers behind every chart, for one scenario and segment: one `Report`.

`build_report` turns a store `Dataset` and a `Scenario` into the iceberg per period, the
snowball, the melt, the effort split and the relative-size bars, using `cxroi.roi` only.
The CLI prints `Report.as_json`; the pages and the exports read the same object, so a
figure on screen, in a deck and in ``report --json`` cannot disagree. `Report.footnote`
builds every chart's footnote from the data's provenance.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property

from cxroi import roi
from cxroi.models import ALL, BASELINES, CxroiError, Footnote, Scenario, parse_period
from cxroi.dataset import Dataset, Drilldown, MetricRecord, PlanRecord, ThemeCounts
from cxroi.wording import BASELINE_LABELS

__all__ = ["BASELINE_LABELS", "RelativeView", "PlanView", "Report", "build_report"]



@dataclass(frozen=True)
class RelativeView:
    """The relative-size bars of one period and segment against one baseline kind."""

    period: str | None
    segment: str
    baseline: str
    bars: tuple[roi.RelativeBar, ...]


@dataclass(frozen=True)
class PlanView:
    """One action plan (its latest version) with its business case under the Report's scenario."""

    record: PlanRecord
    case: roi.PlanCase
    overdue: bool
    indicator_latest: float | None

    def as_json(self) -> dict[str, object]:
        plan, case = self.record, self.case
        return {
            "id": plan.id, "version": plan.version, "theme": plan.theme,
            "root_cause": plan.root_cause, "action": plan.action, "owner": plan.owner,
            "due": plan.due, "status": plan.status, "investment": plan.investment,
            "running_cost": plan.running_cost, "expected_reduction": plan.expected_reduction,
            "indicator": plan.indicator, "indicator_target": plan.indicator_target,
            "indicator_latest": self.indicator_latest,
            "theme_annual_cost": case.theme_annual_cost, "yearly_benefit": case.yearly_benefit,
            "npv": case.npv, "roi": case.roi, "payback_months": case.payback_months,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class Report:
    """Everything the charts show, computed from one dataset and one scenario."""

    scenario: Scenario
    dataset: Dataset
    icebergs: tuple[roi.Iceberg, ...]
    snowball: roi.Snowball
    melt: roi.MeltResult
    effort: tuple[roi.EffortSplit, ...]
    relative: RelativeView
    revenue_at_risk: tuple[roi.RevenueAtRisk, ...] = ()
    """Per period with promoters, passives or detractors: exposure, never added to the cost."""
    themes: roi.Themes | None = None
    """The themes' money in the chosen period (none when the segment has no themes)."""
    plans: tuple[PlanView, ...] = ()
    """The latest version of each action plan, with its business case."""
    company_theme_quarters: tuple[roi.Themes, ...] = ()
    """The company's (`All`) themes' money in the up to four latest quarters with themes:
    what a plan's theme's year is taken from."""
    drilldown: Drilldown | None = field(default=None, repr=False, compare=False)

    @property
    def segment(self) -> str:
        return self.dataset.segment

    @property
    def periods(self) -> tuple[str, ...]:
        return self.dataset.periods

    @property
    def latest_iceberg(self) -> roi.Iceberg | None:
        return self.icebergs[-1] if self.icebergs else None

    def iceberg_for(self, period: str | None) -> roi.Iceberg | None:
        """The iceberg of ``period`` (the latest when none or absent)."""
        for berg in self.icebergs:
            if berg.period == period:
                return berg
        return self.latest_iceberg

    def company_effort(self) -> tuple[roi.EffortSplit, ...]:
        """The company-wide effort split per period, oldest first."""
        return tuple(split for split in self.effort if split.department == ALL)

    def effort_period(self, preferred: str | None) -> str | None:
        """``preferred`` when it has effort, else the latest quarter with effort (or none)."""
        periods = [split.period for split in self.company_effort()]
        return preferred if preferred in periods else (periods[-1] if periods else None)

    def effort_in(self, period: str | None) -> tuple[roi.EffortSplit, ...]:
        """The company's and every department's effort split in ``period``, company first."""
        return tuple(split for split in self.effort if split.period == period)

    def footnote(self, chart: str, *, period: str | None = None) -> Footnote:
        """The footnote of a chart: ``iceberg``, ``melt``, ``relative`` or ``effort``.

        ``period`` is the one quarter a chart shows (an iceberg, a department split): its
        footnote then names that quarter only, and what is missing in it.
        """
        data = self.dataset
        kinds = {"effort": ("effort",), "themes": ("metrics", "themes"),
                 "plans": ("metrics", "themes")}.get(chart, ("metrics",))
        baseline = None
        if chart == "relative":
            baseline = BASELINE_LABELS[self.relative.baseline]
            if self.relative.baseline in ("benchmark", "target"):
                kinds = ("metrics", "benchmarks")
        pairs = [pair for kind in kinds for pair in data.sources.get(kind, ())]
        if chart == "effort":
            periods = tuple(sorted({split.period for split in self.effort}))
        elif chart == "relative":
            periods = (self.relative.period,) if self.relative.period else ()
        elif chart == "melt":
            periods = self.melt.periods
        elif chart == "themes":
            periods = (self.themes.period,) if self.themes else ()
        elif chart == "plans":
            periods = tuple(q.period for q in self.company_theme_quarters)
        else:
            periods = tuple(berg.period for berg in self.icebergs)
        if period is not None and chart not in ("melt", "plans"):
            periods = (period,) if period in periods else ()
        reported = None
        if chart != "effort" and periods:
            counts = [m.segments for m in data.metrics if m.period == periods[-1]]
            reported = max(counts, default=0)
        missing: tuple[str, ...] = ()
        shown = self.iceberg_for(period) if period is not None else self.latest_iceberg
        if chart == "themes" and self.themes is not None:
            shown = self.theme_iceberg(self.themes.period)
        if chart in ("iceberg", "melt", "themes") and shown:
            labels = {spec.key: spec.label for spec in roi.ICEBERG_LINES}
            missing = tuple(labels[key] for key in shown.missing)
        return Footnote(
            sources=tuple(dict.fromkeys(source for source, _ in pairs)),
            scopes=tuple(dict.fromkeys(scope for _, scope in pairs)),
            periods=periods,
            segments_reported=reported if data.segment == ALL else None,
            segments_total=len(data.segments) or None,
            baseline=baseline,
            scenario=self.scenario.label,
            missing=missing,
            demo=data.demo,
        )

    def as_json(self) -> dict[str, object]:
        """The exact object of the contract's ``report --json``."""
        return {
            "scenario": {"name": self.scenario.name, "version": self.scenario.version},
            "periods": list(self.periods),
            "iceberg": [
                {
                    "period": berg.period,
                    "segment": berg.segment,
                    "lines": [
                        {"key": line.key, "layer": line.layer, "amount": line.amount,
                         "formula": line.formula, "inputs": dict(line.inputs)}
                        for line in berg.lines
                    ],
                    "visible": berg.visible,
                    "hidden": berg.hidden,
                    "total": berg.total,
                    "missing": list(berg.missing),
                }
                for berg in self.icebergs
            ],
            "melt": {
                "annual_cost": self.melt.annual_cost,
                "yearly_benefit": self.melt.yearly_benefit,
                "npv": self.melt.npv,
                "roi": self.melt.roi,
                "payback_months": self.melt.payback_months,
            },
            "effort": [
                {
                    "period": split.period,
                    "department": split.department,
                    "hours": dict(split.hours),
                    "shares": dict(split.shares),
                    "el_gap_hours": split.el_gap_hours,
                    "outer_loop_share": split.outer_loop_share,
                }
                for split in self.effort
            ],
            "relative": {
                "period": self.relative.period,
                "segment": self.relative.segment,
                "baseline": self.relative.baseline,
                "bars": [
                    {"metric": bar.metric, "unit": bar.unit, "value": bar.value,
                     "baseline": bar.baseline, "delta": bar.delta, "relative": bar.relative,
                     "worse": bar.worse}
                    for bar in self.relative.bars
                ],
            },
            "themes": None if self.themes is None else _themes_json(self.themes),
            "revenue_at_risk": [
                {"period": risk.period, "segment": risk.segment, "short_term": risk.short_term,
                 "long_term": risk.long_term, "growth_potential": risk.growth_potential,
                 "inputs": dict(risk.inputs)}
                for risk in self.revenue_at_risk
            ],
            "plans": [plan.as_json() for plan in self.plans],
        }

    # --- the drill-down ----------------------------------------------------------------

    def theme_iceberg(self, period: str) -> roi.Iceberg:
        """The segment's iceberg of ``period`` (an empty one when it has no iceberg input)."""
        for berg in self.icebergs:
            if berg.period == period:
                return berg
        return roi.iceberg({}, self.scenario.assumptions, period=period, segment=self.segment)

    @cached_property
    def theme_quarters(self) -> tuple[roi.Themes, ...]:
        """The themes' money in every period the segment has themes, oldest first."""
        if self.drilldown is None:
            return ()
        return tuple(roi.themes_money(self.theme_iceberg(q.period), q)
                     for q in self.drilldown.themes)

    def theme_history(self, theme: str) -> tuple[tuple[str, float], ...]:
        """(period, money) of ``theme`` in every period the segment has themes (0 where the
        theme is absent), oldest first."""
        wanted = theme.casefold()
        return tuple((q.period, q.money.get(wanted, 0.0)) for q in self.theme_quarters)

    def plans_of(self, theme: str) -> tuple[PlanView, ...]:
        wanted = theme.casefold()
        return tuple(p for p in self.plans if p.record.theme.casefold() == wanted)


def build_report(
    dataset: Dataset,
    scenario: Scenario,
    *,
    period: str | None = None,
    baseline: str = "normal",
    drilldown: Drilldown | None = None,
    today: dt.date | None = None,
) -> Report:
    """Compute every chart's numbers for ``dataset`` under ``scenario``.

    ``period`` picks the relative-size bars' quarter (default: the latest with metrics for
    the segment) and the themes' (default: the latest with themes for the segment);
    ``baseline`` the bars' baseline kind (default ``normal``). ``drilldown`` (the store's
    `Drilldown` of the same segment) brings the themes and the action plans; ``today``
    (default: today in UTC) decides which plans are overdue.
    """
    if baseline not in BASELINES:
        raise CxroiError(f"baseline must be one of {', '.join(BASELINES)} (got {baseline!r})")
    assumptions = scenario.assumptions
    by_period: dict[str, dict[str, float]] = defaultdict(dict)
    for record in dataset.metrics:
        by_period[record.period][record.metric] = record.value

    icebergs = tuple(
        roi.iceberg(values, assumptions, period=p, segment=dataset.segment)
        for p, values in sorted(by_period.items())
        if roi.ICEBERG_METRICS & values.keys()
    )
    report = Report(
        scenario=scenario,
        dataset=dataset,
        icebergs=icebergs,
        snowball=roi.snowball(icebergs, assumptions),
        melt=roi.melt(icebergs, assumptions),
        effort=_effort(dataset, scenario),
        relative=_relative(dataset, by_period, period, baseline),
        revenue_at_risk=tuple(
            roi.revenue_at_risk(values, assumptions, period=p, segment=dataset.segment)
            for p, values in sorted(by_period.items())
            if {"promoters", "passives", "detractors"} & values.keys()),
        drilldown=drilldown,
    )
    if drilldown is None:
        return report
    return _with_drilldown(report, drilldown, period, today)


def _with_drilldown(report: Report, drilldown: Drilldown, period: str | None,
                    today: dt.date | None) -> Report:
    """The report with its themes (chosen period) and its plans' business cases.

    Each quarter's themes are priced once: for `All` the chosen quarter is usually one of the
    company's four latest, and the same `roi.Themes` serves the Pareto and the plans."""
    by_period = {counts.period: counts for counts in drilldown.themes}
    chosen = parse_period(period) if period else max(by_period, default=None)
    themes = None
    if chosen is not None and chosen in by_period:
        themes = roi.themes_money(report.theme_iceberg(chosen), by_period[chosen])
    today = today or dt.datetime.now(dt.UTC).date()
    quarters = _company_quarters(drilldown, report.scenario,
                                 report.icebergs if report.segment == ALL else None,
                                 themes if report.segment == ALL else None)
    latest = _latest_values(report.dataset.metrics if report.segment == ALL
                            else drilldown.company_metrics)
    assumptions = report.scenario.assumptions
    yearly = roi.theme_annual_costs(quarters)
    today_iso = today.isoformat()
    plans = tuple(
        PlanView(
            record=plan,
            case=roi.plan_case(yearly.get(plan.theme.casefold(), 0.0),
                               investment=plan.investment, running_cost=plan.running_cost,
                               expected_reduction=plan.expected_reduction,
                               assumptions=assumptions),
            overdue=plan.status in ("planned", "in_progress") and plan.due < today_iso,
            indicator_latest=latest.get(plan.indicator) if plan.indicator else None,
        )
        for plan in drilldown.plans)
    return replace(report, themes=themes, plans=plans, company_theme_quarters=quarters)


def _company_quarters(drilldown: Drilldown, scenario: Scenario,
                      icebergs: tuple[roi.Iceberg, ...] | None,
                      priced: roi.Themes | None) -> tuple[roi.Themes, ...]:
    """The company's themes' money in the up to four latest quarters that have theme rows
    (``priced``: a quarter's themes already priced, reused when it is one of them)."""
    recent: list[ThemeCounts] = sorted(drilldown.company_themes, key=lambda q: q.period)[-4:]
    periods = [q.period for q in recent]
    if icebergs is not None:
        bergs = {berg.period: berg for berg in icebergs}
    else:
        values: dict[str, dict[str, float]] = defaultdict(dict)
        for record in drilldown.company_metrics:
            if record.period in periods:
                values[record.period][record.metric] = record.value
        bergs = {p: roi.iceberg(values[p], scenario.assumptions, period=p)
                 for p in periods if roi.ICEBERG_METRICS & values[p].keys()}
    return tuple(
        priced if priced is not None and priced.period == q.period else
        roi.themes_money(bergs.get(q.period) or roi.iceberg({}, scenario.assumptions,
                                                            period=q.period), q)
        for q in recent)


def _latest_values(records: tuple[MetricRecord, ...]) -> dict[str, float]:
    """Each metric's value in the latest period that has it."""
    latest: dict[str, tuple[str, float]] = {}
    for record in records:
        if record.metric not in latest or record.period > latest[record.metric][0]:
            latest[record.metric] = (record.period, record.value)
    return {metric: value for metric, (_, value) in latest.items()}


def _themes_json(themes: roi.Themes) -> dict[str, object]:
    return {
        "period": themes.period,
        "segment": themes.segment,
        "iceberg_total": themes.iceberg_total,
        "unattributed": themes.unattributed,
        "warnings": list(themes.warnings),
        "items": [
            {"theme": item.theme, "department": item.department, "money": item.money,
             "share": item.share, "cumulative_share": item.cumulative_share,
             "vital_few": item.vital_few,
             "by_metric": {metric: {"count": count, "money": money}
                           for metric, (count, money) in item.by_metric.items()}}
            for item in themes.items
        ],
    }


def _effort(dataset: Dataset, scenario: Scenario) -> tuple[roi.EffortSplit, ...]:
    rows: dict[str, dict[str, list[tuple[str, str | None, float]]]] = defaultdict(
        lambda: defaultdict(list))
    for record in dataset.effort:
        rows[record.period][record.department].append((record.tier, record.loop, record.hours))
    splits = []
    for period in sorted(rows):
        departments = rows[period]
        everyone = [row for dept_rows in departments.values() for row in dept_rows]
        splits.append(roi.effort_split(everyone, scenario.assumptions, period=period))
        for department in sorted(departments):
            splits.append(roi.effort_split(departments[department], scenario.assumptions,
                                           period=period, department=department))
    return tuple(splits)


def _relative(
    dataset: Dataset, by_period: dict[str, dict[str, float]], period: str | None, kind: str
) -> RelativeView:
    chosen = parse_period(period) if period else max(by_period, default=None)
    if chosen is None or chosen not in by_period:
        return RelativeView(chosen, dataset.segment, kind, ())
    records = {(r.period, r.metric): r for r in dataset.metrics}
    benchmarks = {(b.metric, b.kind): b.value for b in dataset.benchmarks}
    bars = []
    for metric in sorted(by_period[chosen]):
        history = {p: values[metric] for p, values in by_period.items() if metric in values}
        record = records[(chosen, metric)]
        base = roi.baseline(kind, chosen, history, industry=benchmarks.get((metric, "industry")),
                            target=benchmarks.get((metric, "target")))
        bars.append(roi.relative_size(metric, record.value, base, unit=record.unit,
                                      higher_is_better=record.higher_is_better))
    return RelativeView(chosen, dataset.segment, kind, tuple(bars))
