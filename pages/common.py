"""The glue every page shares: the store, cached loaders, the sidebar state, footnotes.

Streamlit lives here and in the pages, never in ``cxroi``. Loaders are keyed by the store's
data version, so an upload or a rollback shows at once in every session.
"""

from __future__ import annotations

import re as _re
from collections.abc import Callable as _Callable
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache as _lru_cache

import plotly.graph_objects as go
import streamlit as st

from cxroi import charts, whatif
from cxroi import export as _export
from cxroi.format import escape_markdown
from cxroi.models import ALL, BASELINES, Assumptions, CxroiError, Footnote, Scenario
from cxroi.report import Report, build_report
from cxroi.store import Dataset, Store, open_store

SCENARIO, SEGMENT, PERIOD, PRESENT = ("sidebar.scenario", "sidebar.segment", "sidebar.period",
                                     "sidebar.present")
DRAFT = "assumptions.draft"
"""Session key of the assumptions being edited (an `Assumptions`), previewed everywhere."""


def get_store() -> Store:
    """The process's one store (``$CXROI_DB`` or the default, seeded with the demo), looked
    up once per run."""
    return once_per_run("store", open_store)


def store() -> Store:
    """The store, or a plain message and a stop when it cannot be opened."""
    try:
        return get_store()
    except CxroiError as exc:
        st.error(str(exc))
        st.stop()


def load_scenarios(version: int) -> list[Scenario]:
    """Every saved scenario version, newest first (a shared list: never mutate it)."""
    return _scenarios_of(get_store(), version)


@_lru_cache(maxsize=8)
def _scenarios_of(store: Store, version: int) -> list[Scenario]:
    del version
    return store.scenarios()


def data_version() -> int:
    return store().data_version()


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
    edited_from = st.session_state.get("assumptions.base")  # EDIT_BASE, defined below
    if draft is None or draft == saved.assumptions or edited_from != saved.label:
        return saved  # no edit, or an edit of another version than the sidebar's
    return Scenario(name=f"{saved.label} (unsaved edit)", version=None, assumptions=draft)


def selected_segment() -> str:
    return st.session_state.get(SEGMENT) or ALL


def selected_period() -> str | None:
    return st.session_state.get(PERIOD) or None


def current_report(*, scenario: Scenario | None = None, baseline: str = "normal",
                   period: str | None = None, segment: str | None = None) -> Report:
    """The report behind the charts for the sidebar's choices (or those given)."""
    dataset = dataset_at(data_version(), segment or selected_segment())
    return build_report(dataset, scenario or selected_scenario(),
                        period=period or _known(selected_period(), dataset.periods),
                        baseline=baseline)


def _known(period: str | None, periods: tuple[str, ...]) -> str | None:
    return period if period in periods else None


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


# --- what-if: editing assumptions, saving and restoring scenarios ---------------------------
# Used by pages/assumptions.py and pages/scenarios.py. Saving happens in widget callbacks,
# which run before the next script run, so the sidebar's scenario can be set to the new
# version before its selectbox renders.


EDIT_BASE = "assumptions.base"
"""Label of the saved version the inputs started from; when the sidebar changes, they reset."""
FLASH = "assumptions.flash"
"""(level, text) of the message a callback leaves for the next run."""
SAVE_NAME, SAVE_NOTE = "assumptions.save_name", "assumptions.save_note"
SAVE_BY = "assumptions.save_by"
SCENARIO_FILE = "assumptions.file"


def input_key(key: str) -> str:
    """The session key of an assumption's input, e.g. ``assumptions.cost_per_contact``."""
    return f"assumptions.{key}"


def _typed() -> dict[str, float | int | None]:
    return {key: st.session_state[input_key(key)] for key in whatif.INFO
            if input_key(key) in st.session_state}


def _fill_inputs(start: Assumptions) -> None:
    for key, info in whatif.INFO.items():
        st.session_state[input_key(key)] = whatif.shown(info, getattr(start, key))


def edited_assumptions(saved: Scenario) -> whatif.Edit:
    """Start the inputs from the draft (or ``saved``), check them, and write the draft.

    The valid edited `Assumptions` go to ``st.session_state[DRAFT]``, which every chart
    previews; a refused value is never applied. Choosing another saved version in the
    sidebar drops the draft and starts the inputs again from that version.
    """
    if st.session_state.get(EDIT_BASE) != saved.label:
        st.session_state.pop(DRAFT, None)
        st.session_state[EDIT_BASE] = saved.label
        _fill_inputs(saved.assumptions)
        st.session_state[SAVE_NAME] = saved.name
    start = st.session_state.get(DRAFT) or saved.assumptions
    for key, info in whatif.INFO.items():
        st.session_state.setdefault(input_key(key), whatif.shown(info, getattr(start, key)))
    st.session_state.setdefault(SAVE_NAME, saved.name)
    edit = whatif.apply_edits(saved.assumptions, _typed())
    if edit.assumptions == saved.assumptions:
        st.session_state.pop(DRAFT, None)
    else:
        st.session_state[DRAFT] = edit.assumptions
    return edit


def flash(level: str, text: str) -> None:
    st.session_state[FLASH] = (level, text)


def show_flash() -> None:
    """The message a callback left (user text escaped, never markup), shown once."""
    level, text = st.session_state.pop(FLASH, (None, ""))
    show = {"success": st.success, "warning": st.warning, "error": st.error}.get(level)
    if show is not None:
        show(escape_markdown(text), icon={"success": ":material/check_circle:",
                                          "warning": ":material/warning:"}.get(level,
                                                                               ":material/error:"))


def scenario_by_label(label: str) -> Scenario:
    for scenario in load_scenarios(data_version()):
        if scenario.label == label:
            return scenario
    raise CxroiError(f"There is no scenario {label}.")


def select_saved(scenario: Scenario) -> None:
    """Show a just-saved version everywhere: the sidebar selects it and the draft is gone."""
    st.session_state[SCENARIO] = scenario.label
    st.session_state[EDIT_BASE] = scenario.label
    st.session_state.pop(DRAFT, None)
    _fill_inputs(scenario.assumptions)
    st.session_state[SAVE_NAME] = scenario.name
    st.session_state[SAVE_NOTE] = ""


def save_draft() -> None:
    """Callback of "Save as scenario": a new immutable version of the edited assumptions."""
    saved = saved_scenario()
    edit = whatif.apply_edits(saved.assumptions, _typed())
    if edit.refused:
        labels = ", ".join(whatif.INFO[key].label for key in edit.refused)
        flash("error", f"Not saved: fix the refused values first ({labels}).")
        return
    name = str(st.session_state.get(SAVE_NAME) or "").strip()
    if name == saved.name and edit.assumptions == saved.assumptions:
        flash("warning", f"Nothing to save: these are the assumptions of {saved.label}.")
        return
    try:
        new = store().save_scenario(name, edit.assumptions,
                                    note=str(st.session_state.get(SAVE_NOTE) or "").strip(),
                                    by=str(st.session_state.get(SAVE_BY) or "").strip())
    except CxroiError as exc:
        flash("error", f"Not saved: {exc}")
        return
    select_saved(new)
    flash("success", f"Saved {new.label}; the sidebar now shows it.")


def restore_version(label: str, by: str) -> None:
    """Callback of "Restore": an old version's assumptions saved again as the newest version."""
    try:
        old = scenario_by_label(label)
        new = store().save_scenario(old.name, old.assumptions, note=f"Restored from {old.label}.",
                                    by=by.strip())
    except CxroiError as exc:
        flash("error", f"Not restored: {exc}")
        return
    select_saved(new)
    flash("success", f"Restored {old.label} as {new.label}; the sidebar now shows it.")


def load_scenario_file() -> None:
    """Callback of the scenario-file uploader: the file's assumptions go into the inputs."""
    uploaded = st.session_state.get(SCENARIO_FILE)
    if uploaded is None:
        return
    try:
        loaded = whatif.read_scenario_file(uploaded.getvalue(), uploaded.name)
    except CxroiError as exc:
        flash("error", f"{uploaded.name} was not loaded: {exc}")
        return
    _fill_inputs(loaded)
    flash("success", f"Loaded {uploaded.name} into the form: every chart previews it. Review "
                     "the changes, then save it as a scenario.")


# --- the executive views: charts on screen, page state in the URL ----------------------------
# Each chart goes on screen through `chart` (its footnote drawn inside the figure). Page
# choices that a pasted link should reproduce are listed in `PAGE_PARAMS`; app.py
# reads them from and writes them to st.query_params with the sidebar's.


BASELINE, METRICS, REL_VIEW, IN_MONEY = ("relative.baseline", "relative.metrics",
                                         "relative.view", "relative.money")
ICEBERG_SHOW = "iceberg.show"
ICEBERG_VIEWS = {"snowball": "Snowball: how it builds", "melt": "Melt: right first time",
                 "math": "Show the math"}
"""The iceberg page's optional sections (one multi-choice control, kept in the URL)."""
SLIDE = "present.slide"
REL_VIEWS = ("Bars", "Circles")
PAGE_PARAMS: dict[str, tuple[str, tuple[str, ...] | None, object]] = {
    # session key: (query parameter, allowed values or None for any, default)
    BASELINE: ("baseline", BASELINES, "normal"),
    REL_VIEW: ("view", REL_VIEWS, "Bars"),
    METRICS: ("metrics", None, []),
    ICEBERG_SHOW: ("show", tuple(ICEBERG_VIEWS), []),
    SLIDE: ("slide", None, "1"),
}
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
                 # the camera button: a 16:9 slide-size PNG, footnote included
                 "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900,
                                          "scale": 1, "filename": "cxroi-chart"}}


def init_page_params() -> None:
    """Start the pages' choices from the URL (once per session; unknown values ignored)."""
    for key, (param, allowed, default) in PAGE_PARAMS.items():
        if key in st.session_state:
            continue
        if isinstance(default, list):
            wanted: object = [value for value in st.query_params.get_all(param)
                              if allowed is None or value in allowed] or list(default)
        else:
            wanted = st.query_params.get(param, default)
            wanted = wanted if allowed is None or wanted in allowed else default
        st.session_state.setdefault(key, wanted)


def page_params() -> dict[str, object]:
    """The pages' choices as query parameters (only those that differ from the default)."""
    out: dict[str, object] = {}
    for key, (param, _, default) in PAGE_PARAMS.items():
        value = st.session_state.get(key)
        if value is not None and value != default and value != []:
            out[param] = list(value) if isinstance(value, list) else str(value)
    return out


def chart(fig, footnote: Footnote, *, key: str | None = None) -> None:
    """A figure on screen. Its footnote is drawn inside it (`cxroi.charts.finish`), as in every
    export, so it is not repeated under it; ``footnote`` is kept for callers' symmetry."""
    del footnote
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, theme=None)


def ensure_frame() -> None:
    """Run this page inside app.py's frame even when a deep link is the server's first visit.

    Streamlit starts a process in its old ``pages/``-directory mode and only leaves it when
    app.py's ``st.navigation`` runs; until then a link such as ``/iceberg?segment=Retail``
    runs the page file alone, without the sidebar, the banner or the query-param sync. A page
    running while that mode is still on is exactly that case: switch the mode off and rerun,
    and the rerun goes through app.py like every other visit.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


APP_PAGES = "frame.pages"
"""Session key of app.py's navigation pages: {section: [st.Page, ...]}."""


def app_page(url_path: str) -> object:
    """The navigation's page at ``url_path``, for `st.page_link` (a page object links without
    the path lookups a file name costs), or its file name when app.py has not run."""
    for group in st.session_state.get(APP_PAGES, {}).values():
        for page in group:
            if page.url_path == url_path:
                return page
    return f"pages/{url_path}.py"


# --- take it to the meeting: a chart's PNG, CSV and Excel downloads -------------------------
# Every download is deferred: Streamlit calls the function only when the button is clicked
# (on a worker thread), so a page rerun costs nothing. The PNG is cached by the figure's
# JSON, so a second click is instant; it renders on the process's one Chromium exporter.


@_lru_cache(maxsize=32)
def _png_of(fig_json: str) -> bytes:
    """A figure's slide-size PNG (1600 x 900, footnote inside), keyed by its JSON."""
    import plotly.io as pio

    return _export.figure_png(pio.from_json(fig_json, skip_invalid=True))


def _file_stem(name: str) -> str:
    return _re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "chart"


def chart_downloads(fig, report: Report, chart: str, name: str) -> None:
    """PNG, CSV and Excel download buttons for one chart, in one row.

    ``fig`` is the figure on screen (or a function returning it, built only on a click;
    none for a table); ``chart`` names the numbers behind it: a key of `cxroi.export.CHARTS`,
    which holds `cxroi.charts.CHARTS`' names (``iceberg``, ``snowball_steps``, ``loops``, ...)
    plus ``overview`` and ``assumptions``; ``name`` is the files' stem and the buttons' key,
    unique on the page. Text cells in the CSV and Excel are neutralised against formula
    injection.
    """
    stem = _file_stem(name)
    problem = _export.exporter().problem() if fig is not None else None
    png, csv, xlsx = st.columns(3)
    if fig is not None:
        build: _Callable[[], object] = fig if callable(fig) else (lambda: fig)
        png.download_button(
            "PNG", data=lambda: _png_of(build().to_json()), file_name=f"{stem}.png",
            mime="image/png", icon=":material/image:", on_click="ignore",
            disabled=problem is not None, key=f"download.{stem}.png", width="stretch",
            help=problem or "The chart at slide size (1600 x 900), footnote included.")
    csv.download_button(
        "CSV", data=lambda: _export.to_csv_bytes(_export.chart_frame(report, chart)),
        file_name=f"{stem}.csv", mime="text/csv", icon=":material/table_view:",
        on_click="ignore", key=f"download.{stem}.csv", width="stretch",
        help="The numbers behind the chart (UTF-8, opens in Excel).")
    xlsx.download_button(
        "Excel", data=lambda: _export.to_xlsx_bytes(
            _export.chart_frame(report, chart), sheet=chart,
            footnote=_export.chart_footnote(report, chart)),
        file_name=f"{stem}.xlsx", icon=":material/grid_on:", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"download.{stem}.xlsx", width="stretch",
        help="The numbers behind the chart, with its footnote on a second sheet.")


# --- cached reports and figures for the executive views -------------------------------------
# The data and the scenario are frozen, so one object serves every session, with no copy per
# rerun. Each cache is keyed by the store object and its data version, so an upload shows at
# once and a reopened database never meets another's entries. They are plain LRU caches:
# st.cache_resource hashes its arguments through inspect and pickle, about 0.2 ms a call,
# and a page makes a dozen such calls on every rerun.


def dataset_at(version: int, segment: str) -> Dataset:
    """The segment's data at one data version, shared (never mutate it)."""
    return _dataset_of(get_store(), version, segment)


@_lru_cache(maxsize=32)
def _dataset_of(store: Store, version: int, segment: str) -> Dataset:
    del version
    return store.dataset(segment)


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
                        baseline=baseline)


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
    for cache in (_scenarios_of, _dataset_of, _report_of, _figure_of):
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


FRAME = "frame.run"
"""Session key of the per-run memo that app.py empties at the start of every run."""


def once_per_run(name: str, compute):
    """``compute()`` at most once per run of app.py (every time when a page runs alone)."""
    memo = st.session_state.get(FRAME)
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


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
    options.setdefault("effort", kind in ("effort", "loops", "effort_trend"))
    settings = tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                            for k, v in options.items()))
    version, segment, scenario, scenario_id, period = _choices()
    request = (kind, version, segment, scenario_id, period, baseline, settings)
    return figure_at(repr(request), (*request, scenario))


def show_chart(kind: str, *, key: str, baseline: str = "normal", **options: object) -> None:
    """Chart ``kind`` on screen, its footnote inside it. The chart's camera button saves a
    slide-size PNG (`PLOTLY_CONFIG`); the numbers behind it are on the export page."""
    fig, footnote = view_figure(kind, baseline=baseline, **options)
    chart(fig, footnote, key=key)

