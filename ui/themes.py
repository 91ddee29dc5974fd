"""The drill-down's loaders: the vital few's and the plans' figures, plan history and the
plan writes, cached by the store's data version (like `ui.loaders`)."""

from __future__ import annotations

from functools import lru_cache as _lru_cache

from cxroi import roi, wording
from cxroi.charts.iceberg import themed_iceberg
from cxroi.charts.pareto import pareto_figure, theme_metrics, theme_quarters
from cxroi.charts.plans import plans_timeline
from cxroi.dataset import PlanRecord
from cxroi.report import Report
from cxroi.store import Store
from ui.loaders import Prepared, data_version, get_store, scenario_key, view_report

__all__ = ["drill_report", "pareto", "iceberg_themed", "metrics_of", "quarters_of", "timeline", "theme_names",
           "plan_history", "add_plan", "update_plan"]


def drill_report() -> Report:
    """The sidebar's report (themes and plans included), cached by the data version."""
    return view_report()


def _key(report: Report, *parts: object) -> str:
    return repr((data_version(), report.segment, scenario_key(report.scenario),
                 report.themes.period if report.themes else None, *parts))


def pareto(report: Report, department: str | None = None) -> Prepared:
    """The Pareto chart (of one work group's themes when ``department`` is given)."""
    return _figure(_key(report, "pareto", department), _Held(lambda: pareto_figure(
        report.themes, report.footnote("themes"),
        items=None if department is None else [t for t in report.themes.items
                                               if t.department == department])))


def iceberg_themed(report: Report) -> Prepared:
    """The themes' quarter's iceberg with the part the themes explain hatched."""
    def build():
        berg = report.theme_iceberg(report.themes.period)
        return themed_iceberg(berg, roi.themed_lines(berg, report.themes),
                              report.footnote("themes"),
                              title=wording.themed_part(report.themes))
    return _figure(_key(report, "iceberg"), _Held(build))


def metrics_of(report: Report, theme: str) -> Prepared:
    item = next((t for t in report.themes.items if t.theme == theme), None) \
        if report.themes else None
    return _figure(_key(report, "metrics", theme),
                   _Held(lambda: theme_metrics(item, report.footnote("themes"))))


def quarters_of(report: Report, theme: str) -> Prepared:
    return _figure(_key(report, "quarters", theme), _Held(lambda: theme_quarters(
        theme, report.theme_history(theme), report.footnote("iceberg"))))


def timeline(report: Report) -> Prepared:
    return _figure(_key(report, "plans"),
                   _Held(lambda: plans_timeline(report.plans, report.footnote("plans"))))


class _Held:
    """A builder the cache carries but does not key on."""

    __slots__ = ("build",)

    def __init__(self, build) -> None:
        self.build = build

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Held)


@_lru_cache(maxsize=64)
def _figure(key: str, held: _Held) -> Prepared:
    return Prepared(held.build())


def theme_names() -> list[str]:
    return _theme_names(get_store(), data_version())


@_lru_cache(maxsize=8)
def _theme_names(store: Store, version: int) -> list[str]:
    del version
    return store.theme_names()


def plan_history(plan_id: int) -> tuple[PlanRecord, ...]:
    return _history(get_store(), data_version(), plan_id)


@_lru_cache(maxsize=64)
def _history(store: Store, version: int, plan_id: int) -> tuple[PlanRecord, ...]:
    del version
    return store.plan_history(plan_id)


def add_plan(*, by: str, **fields: object) -> PlanRecord:
    """Write a new plan through the store (a new data version shows it everywhere)."""
    return get_store().add_plan(by=by, **fields)


def update_plan(plan_id: int, changes: dict[str, object], *, by: str) -> PlanRecord:
    return get_store().update_plan(plan_id, changes, by=by)
