"""The glue every page shares: the store, cached loaders, the sidebar state, footnotes.

Streamlit lives here and in the pages, never in ``cxroi``. Loaders are keyed by the store's
data version, so an upload or a rollback shows at once in every session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from cxroi.format import escape_markdown
from cxroi.models import ALL, CxroiError, Footnote, Scenario
from cxroi.report import Report, build_report
from cxroi.store import Dataset, Store, open_store

SCENARIO, SEGMENT, PERIOD, PRESENT = ("sidebar.scenario", "sidebar.segment", "sidebar.period",
                                     "sidebar.present")
DRAFT = "assumptions.draft"
"""Session key of the assumptions being edited (an `Assumptions`), previewed everywhere."""


@st.cache_resource(show_spinner=False)
def get_store() -> Store:
    """The process's one store (``$CXROI_DB`` or the default, seeded with the demo)."""
    return open_store()


def store() -> Store:
    """The store, or a plain message and a stop when it cannot be opened."""
    try:
        return get_store()
    except CxroiError as exc:
        st.error(str(exc))
        st.stop()


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def load_dataset(version: int, segment: str) -> Dataset:
    """The segment's data at one data version (the version is the cache key)."""
    del version
    return get_store().dataset(segment)


@st.cache_data(ttl=3600, max_entries=32, show_spinner=False)
def load_scenarios(version: int) -> list[Scenario]:
    del version
    return get_store().scenarios()


def data_version() -> int:
    return store().data_version()


def scenario_labels() -> list[str]:
    return [s.label for s in load_scenarios(data_version())]


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
    if draft is None or draft == saved.assumptions:
        return saved
    return Scenario(name=f"{saved.label} (unsaved edit)", version=None, assumptions=draft)


def selected_segment() -> str:
    return st.session_state.get(SEGMENT) or ALL


def selected_period() -> str | None:
    return st.session_state.get(PERIOD) or None


def current_report(*, scenario: Scenario | None = None, baseline: str = "normal",
                   period: str | None = None, segment: str | None = None) -> Report:
    """The report behind the charts for the sidebar's choices (or those given)."""
    dataset = load_dataset(data_version(), segment or selected_segment())
    return build_report(dataset, scenario or selected_scenario(),
                        period=period or _known(selected_period(), dataset.periods),
                        baseline=baseline)


def _known(period: str | None, periods: tuple[str, ...]) -> str | None:
    return period if period in periods else None


def show_footnote(footnote: Footnote) -> None:
    """A chart's footnote, as plain text (never markup)."""
    st.caption(escape_markdown(footnote.text()))


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT))


@contextmanager
def guarded(what: str) -> Iterator[None]:
    """Turn any failure into one plain message with what to do; never a traceback."""
    try:
        yield
    except CxroiError as exc:
        st.error(f"{what}: {exc}")
    except Exception as exc:  # noqa: BLE001 - the user sees a sentence, the log the details
        st.error(f"{what} failed ({type(exc).__name__}). Reload the page; if it persists, "
                 "check the data with `python -m cxroi report --json`.")
