"""The Scenarios page's loaders: the comparison, the sensitivity analysis and their figures,
built once per data version, segment, period and set of scenarios (like `ui.loaders`).

Uncached, the page priced every scenario, moved every assumption through its range and drew
three figures on every rerun (about 50-100 ms, the slowest page of the app).
"""

from __future__ import annotations

from functools import lru_cache as _lru_cache

from cxroi import charts, whatif
from cxroi.models import Scenario
from cxroi.report import Report
from cxroi.store import Store
from ui.loaders import (
    Prepared,
    _Unkeyed,
    data_version,
    get_store,
    report_at,
    scenario_key,
)
from ui.state import once_per_run, selected_period, selected_segment

__all__ = ["scenario_report", "comparison", "sensitivity"]


def _view() -> tuple[int, str, str | None]:
    return once_per_run("version", data_version), selected_segment(), selected_period()


def scenario_report(scenario: Scenario) -> Report:
    """The sidebar's report (segment, period) under ``scenario``, shared."""
    version, segment, period = _view()
    return report_at(version, segment, scenario_key(scenario), period, "normal", scenario)


def comparison(scenarios: list[Scenario]) -> tuple[whatif.Comparison, Prepared]:
    """Two or three scenarios side by side (the first the reference) and the difference
    chart."""
    version, segment, period = _view()
    key = repr((version, segment, period, tuple(scenario_key(s) for s in scenarios)))
    return _comparison_of(get_store(), key, _Unkeyed(tuple(scenarios)))


@_lru_cache(maxsize=32)
def _comparison_of(store: Store, key: str, scenarios: _Unkeyed
                   ) -> tuple[whatif.Comparison, Prepared]:
    del store, key  # the key only: a reopened database never meets another's entries
    reports = [scenario_report(s) for s in scenarios.value]
    compared = whatif.compare(reports)
    figure = charts.scenario_difference_figure(compared.differences,
                                               footnote=reports[0].footnote("iceberg"))
    return compared, Prepared(figure)


def sensitivity(scenario: Scenario) -> tuple[whatif.WhatIf, Prepared, Prepared]:
    """The scenario's sensitivity and break-even gain, with the NPV's and the iceberg's
    tornadoes."""
    version, segment, period = _view()
    key = repr((version, segment, period, scenario_key(scenario)))
    return _sensitivity_of(get_store(), key, _Unkeyed(scenario))


@_lru_cache(maxsize=32)
def _sensitivity_of(store: Store, key: str, scenario: _Unkeyed
                    ) -> tuple[whatif.WhatIf, Prepared, Prepared]:
    del store, key
    chosen = scenario.value
    what = whatif.sensitivity_for(scenario_report(chosen))
    npv = charts.tornado_figure(what.sensitivity.npv, footnote=what.npv_footnote,
                                scenario=chosen.label)
    iceberg = charts.tornado_figure(what.sensitivity.iceberg_total,
                                    footnote=what.iceberg_footnote, scenario=chosen.label)
    return what, Prepared(npv), Prepared(iceberg)


def clear() -> None:
    """Empty these caches (tests; in the app a new data version makes new keys)."""
    _comparison_of.cache_clear()
    _sensitivity_of.cache_clear()
