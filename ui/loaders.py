"""The store and what is read from it, cached by the store's data version.

Loaders are keyed by the store object and its data version, so an upload or a rollback shows
at once in every session and a reopened database never meets another's entries. They are
plain LRU caches: st.cache_resource hashes its arguments through inspect and pickle, about
0.2 ms a call, and a page makes a dozen such calls on every rerun. The data and the scenario
are frozen, so one cached object serves every session, with no copy per rerun.
"""

from __future__ import annotations

from functools import lru_cache as _lru_cache

import plotly.graph_objects as go
import streamlit as st

from cxroi import charts
from cxroi.dataset import Dataset, Drilldown, Upload
from cxroi.demo import load_demo
from cxroi.models import CxroiError, Footnote, Scenario
from cxroi.report import Report, build_report
from cxroi.store import Store, open_store
from ui.state import (
    DRAFT,
    EDIT_BASE,
    SCENARIO,
    once_per_run,
    selected_period,
    selected_segment,
)


def get_store() -> Store:
    """The process's one store (``$CXROI_DB`` or the default, seeded with the demo), looked
    up once per run."""
    return once_per_run("store", lambda: open_store(seed=load_demo))


def store() -> Store:
    """The store, or a plain message and a stop when it cannot be opened."""
    try:
        return get_store()
    except CxroiError as exc:
        st.error(str(exc))
        st.stop()


def data_version() -> int:
    return store().data_version()


def load_scenarios(version: int) -> list[Scenario]:
    """Every saved scenario version, newest first (a shared list: never mutate it)."""
    return _scenarios_of(get_store(), version)


@_lru_cache(maxsize=8)
def _scenarios_of(store: Store, version: int) -> list[Scenario]:
    del version
    return store.scenarios()


def saved_scenario() -> Scenario:
    """The sidebar's saved scenario version (the latest Baseline until one is chosen)."""
    scenarios = load_scenarios(data_version())
    chosen = st.session_state.get(SCENARIO)
    for scenario in scenarios:
        if scenario.label == chosen:
            return scenario
    return scenarios[0]


def selected_scenario() -> Scenario:
    """The scenario the charts use: the saved one, or its unsaved edit while finance edits."""
    saved = saved_scenario()
    draft = st.session_state.get(DRAFT)
    edited_from = st.session_state.get(EDIT_BASE)
    if draft is None or draft == saved.assumptions or edited_from != saved.label:
        return saved  # no edit, or an edit of another version than the sidebar's
    return Scenario(name=f"{saved.label} (unsaved edit)", version=None, assumptions=draft)


def scenario_by_label(label: str) -> Scenario:
    for scenario in load_scenarios(data_version()):
        if scenario.label == label:
            return scenario
    raise CxroiError(f"There is no scenario {label}.")


def current_report(*, scenario: Scenario | None = None, baseline: str = "normal",
                   period: str | None = None, segment: str | None = None) -> Report:
    """The report behind the charts for the sidebar's choices (or those given)."""
    version, chosen = data_version(), segment or selected_segment()
    dataset = dataset_at(version, chosen)
    return build_report(dataset, scenario or selected_scenario(),
                        period=period or _known(selected_period(), dataset.periods),
                        baseline=baseline, drilldown=drilldown_at(version, chosen))


def _known(period: str | None, periods: tuple[str, ...]) -> str | None:
    return period if period in periods else None


def upload_periods(version: int) -> dict[int, tuple[str, ...]]:
    """The quarters each upload covers, at one data version (a shared dict: never mutate it)."""
    return _periods_of(get_store(), version)


@_lru_cache(maxsize=4)
def _periods_of(store: Store, version: int) -> dict[int, tuple[str, ...]]:
    del version
    return store.upload_periods()


def upload_history(version: int) -> list[Upload]:
    """The upload history at one data version, newest first (a shared list: never mutate it);
    every upload and rollback makes a new version."""
    return _uploads_of(get_store(), version)


@_lru_cache(maxsize=4)
def _uploads_of(store: Store, version: int) -> list[Upload]:
    del version
    return store.uploads()


def dataset_at(version: int, segment: str) -> Dataset:
    """The segment's data at one data version, shared (never mutate it)."""
    return _dataset_of(get_store(), version, segment)


@_lru_cache(maxsize=32)
def _dataset_of(store: Store, version: int, segment: str) -> Dataset:
    del version
    return store.dataset(segment)


def drilldown_at(version: int, segment: str) -> Drilldown:
    """The segment's themes, the company's and the plans at one data version, shared."""
    return _drilldown_of(get_store(), version, segment)


@_lru_cache(maxsize=32)
def _drilldown_of(store: Store, version: int, segment: str) -> Drilldown:
    del version
    return store.drilldown(segment)


def report_at(version: int, segment: str, scenario_key: str, period: str | None,
              baseline: str, scenario: Scenario) -> Report:
    """The report for these choices, shared (reports are frozen). ``scenario_key`` stands
    for ``scenario`` in the cache key (see `scenario_key`)."""
    return _report_of(get_store(), version, segment, scenario_key, period, baseline,
                      _Unkeyed(scenario))


@_lru_cache(maxsize=128)
def _report_of(store: Store, version: int, segment: str, scenario_key: str, period: str | None,
               baseline: str, scenario: _Unkeyed) -> Report:
    dataset = _dataset_of(store, version, segment)
    return build_report(dataset, scenario.value, period=_known(period, dataset.periods),
                        baseline=baseline, drilldown=_drilldown_of(store, version, segment))


class _Unkeyed:
    """An argument an LRU cache carries but does not key on (like st.cache's ``_name``):
    another argument stands for it."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Unkeyed)


def clear_caches() -> None:
    """Empty the shared caches (tests; in the app, a new data version makes new keys)."""
    for cache in (_scenarios_of, _dataset_of, _drilldown_of, _report_of, _figure_of,
                  _periods_of, _uploads_of):
        cache.cache_clear()


class Prepared(go.Figure):
    """A finished figure whose plain dict is computed once, for `st.plotly_chart` only.

    st.plotly_chart calls ``to_dict()`` on a figure on every rerun: a deep copy that walks
    every array, the largest cost of a cached page. A Prepared figure hands over the dict it
    was made with. It is deliberately not initialised as a figure: read ``figure`` for that.
    """

    def __init__(self, figure: go.Figure) -> None:  # noqa: D107 - no BaseFigure.__init__
        object.__setattr__(self, "figure", figure)
        object.__setattr__(self, "_spec", figure.to_dict())

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec

    def to_json(self, *args: object, **kwargs: object) -> str:
        return self.figure.to_json(*args, **kwargs)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Prepared figure is read-only")

    def __repr__(self) -> str:
        return f"Prepared({self.figure.layout.title.text!r})"


def figure_at(key: str, request: tuple) -> tuple[Prepared, Footnote]:
    """One chart, built once and shared (figures are never mutated).

    ``key`` is ``repr`` of ``request``, which is (kind, data version, segment, scenario key,
    period, baseline, options, scenario); the scenario is not part of the key, its key is.
    """
    return _figure_of(get_store(), key, _Unkeyed(request))


@_lru_cache(maxsize=256)
def _figure_of(store: Store, key: str, request: _Unkeyed) -> tuple[Prepared, Footnote]:
    del store  # in the key only: report_at reads the same store
    kind, version, segment, scenario_id, period, baseline, options, scenario = request.value
    report = report_at(version, segment, scenario_id, period, baseline, scenario)
    settings = dict(options)
    effort = settings.pop("effort", False)
    chosen = report.effort_period(period) if effort else period
    fig, footnote = charts.chart_for(report, kind, period=chosen, **settings)
    return Prepared(fig), footnote


def scenario_key(scenario: Scenario) -> str:
    """A cheap cache key for a scenario: its name, version and every assumption's value
    (one string hashes much faster than the model or a tuple of floats)."""
    values = tuple(scenario.assumptions.model_dump().values())
    return repr((scenario.name, scenario.version, values))


def _choices() -> tuple[int, str, Scenario, str, str | None]:
    scenario = once_per_run("scenario", selected_scenario)
    return (once_per_run("version", data_version), selected_segment(), scenario,
            once_per_run("scenario_key", lambda: scenario_key(scenario)), selected_period())


def view_report(*, baseline: str = "normal") -> Report:
    """The sidebar's report, cached (like `current_report`)."""
    version, segment, scenario, key, period = _choices()
    return report_at(version, segment, key, period, baseline, scenario)


def view_figure(kind: str, *, baseline: str = "normal", **options: object
                ) -> tuple[Prepared, Footnote]:
    """Chart ``kind`` (see `cxroi.charts.CHARTS`) for the sidebar's choices, cached."""
    version, segment, scenario, scenario_id, period = _choices()
    return figure_for(kind, version, segment, scenario, period, baseline=baseline,
                      scenario_id=scenario_id, **options)


def figure_for(kind: str, version: int, segment: str, scenario: Scenario, period: str | None,
               *, baseline: str = "normal", scenario_id: str | None = None,
               **options: object) -> tuple[Prepared, Footnote]:
    """Chart ``kind`` for these choices, cached under the key `view_figure` uses (so the
    server's warm-up fills the first visitor's charts); ``scenario_id`` is
    `scenario_key` of ``scenario``, when the caller has it."""
    options.setdefault("effort", kind in ("effort", "loops", "effort_trend"))
    settings = tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                            for k, v in options.items()))
    request = (kind, version, segment, scenario_id or scenario_key(scenario), period, baseline,
               settings)
    return figure_at(repr(request), (*request, scenario))
