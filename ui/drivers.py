"""The Drivers page's loaders: ratings choices, key drivers and leading indicators, cached by
the store's data version, and their footnotes (source, scope, period, n and R²)."""

from __future__ import annotations

from functools import lru_cache as _lru_cache

import streamlit as st

from cxroi.charts.drivers import importance_figure, leading_figure, matrix_figure
from cxroi.drilldown import drivers_for, leading_for, metric_series, pairs
from cxroi.drivers import DriverResult, LeadingResult
from cxroi.models import ALL, Footnote
from cxroi.store import Store
from ui.loaders import Prepared, data_version, dataset_at, get_store, once_per_run

__all__ = ["rating_choices", "drivers_result", "leading_result", "drivers_figures", "keep_choice",
           "leading_chart", "metric_names"]


def _version() -> int:
    return once_per_run("version", data_version)


def rating_choices() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]],
                              dict[tuple[str, str], tuple[str, ...]]]:
    """(segments with ratings, ``All`` first; periods per segment; items per (period, segment))."""
    return _choices_of(get_store(), _version())


@_lru_cache(maxsize=8)
def _choices_of(store: Store, version: int):
    del version
    segments = tuple(store.rating_segments())
    periods = {segment: tuple(store.rating_periods(segment)) for segment in segments}
    items = {(period, segment): tuple(store.rating_items(period, segment))
             for segment in segments for period in periods[segment]}
    return segments, periods, items


def drivers_result(outcome: str, period: str, segment: str, items: tuple[str, ...],
                   method: str) -> DriverResult:
    """`cxroi.drilldown.drivers_for`, cached; a refusal raises `CxroiError` (not cached)."""
    return _drivers_of(get_store(), _version(), outcome, period, segment, items, method)


@_lru_cache(maxsize=64)
def _drivers_of(store: Store, version: int, outcome: str, period: str, segment: str,
                items: tuple[str, ...], method: str) -> DriverResult:
    del version
    return drivers_for(store, outcome, period=period, segment=segment, items=items or None,
                       method=method)


def leading_result(outcome: str, lag: int, segment: str = ALL) -> LeadingResult:
    return _leading_of(get_store(), _version(), outcome, lag, segment)


@_lru_cache(maxsize=64)
def _leading_of(store: Store, version: int, outcome: str, lag: int,
                segment: str) -> LeadingResult:
    del version
    return leading_for(store, outcome, lag=lag, segment=segment)


def metric_names(segment: str = ALL) -> list[str]:
    """The segment's metrics (the outcome and indicator choices), by name."""
    return sorted(metric_series(dataset_at(_version(), segment)))


def _footnote(kind: str, periods: tuple[str, ...], extra: str) -> str:
    dataset = dataset_at(_version(), ALL)
    pairs_ = dataset.sources.get(kind, ())
    note = Footnote(sources=tuple(dict.fromkeys(s for s, _ in pairs_)),
                    scopes=tuple(dict.fromkeys(s for _, s in pairs_)), periods=periods,
                    demo=dataset.demo)
    return f"{note.text()} {extra}".strip()


def drivers_note(result: DriverResult) -> str:
    """The footnote of the drivers charts: source, scope, period, n, dropped, R², method."""
    method = "LMG (exact Shapley average)" if result.method == "lmg" else \
        "Johnson's relative weights"
    return _footnote("ratings", (result.period,),
                     f"Respondents: {result.segment}. n = {result.n:,} complete responses "
                     f"({result.n_dropped:,} dropped for a missing answer). R² = "
                     f"{result.r2:.3f}. Importance: {method}; grey: p >= 0.05.")


def drivers_figures(result: DriverResult) -> tuple[Prepared, Prepared]:
    """The importance bars and the driver matrix, built once per result."""
    return _figures_of(result, drivers_note(result))


@_lru_cache(maxsize=32)
def _figures_of(result: DriverResult, note: str) -> tuple[Prepared, Prepared]:
    return (Prepared(importance_figure(result, footnote=note)),
            Prepared(matrix_figure(result, footnote=note)))


def leading_chart(result: LeadingResult, indicator: str) -> Prepared:
    """The scatter of ``indicator`` at q - lag against the outcome at q."""
    dataset = dataset_at(_version(), result.segment)
    points = pairs(dataset, indicator, result.outcome, result.lag)
    tested = next((i for i in result.indicators if i.metric == indicator), None)
    periods = tuple(q for q, _, _ in points)
    note = _footnote("metrics", periods,
                     f"Segment: {result.segment}. {len(points)} quarter pairs, lag "
                     f"{result.lag}; p adjusted by Holm's method over "
                     f"{len(result.indicators)} metrics tested.")
    return Prepared(leading_figure(points, indicator=indicator, outcome=result.outcome,
                                   lag=result.lag, tested=tested, footnote=note))


def keep_choice(key: str, options, *, prefer: str | None = None) -> None:
    """Before a choice widget: keep its session value when it is still one of ``options``,
    else start it at ``prefer`` (when offered) or the first option."""

    options = list(options)
    if st.session_state.get(key) not in options and options:
        st.session_state[key] = prefer if prefer in options else options[0]
