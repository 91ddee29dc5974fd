"""Presentation view: one picture per screen, large type, no sidebar; next / previous / exit.

app.py calls `render` instead of the navigation's page while ``sidebar.present`` is on
(``?present=1``); ``?slide=N`` picks the picture, so a pasted link opens the same slide.
The drill-down's pictures (key drivers, the vital few, the plans' timeline) are slides only
when the data have them (`slides`); `meeting_drivers` is the key-driver result the view and
the export page's deck both show.
"""

from __future__ import annotations

import threading

import plotly.graph_objects as go
import streamlit as st

from cxroi import charts
from cxroi.drivers import DriverResult
from cxroi.export import DRIVERS_OUTCOME
from cxroi.models import ALL, CxroiError
from ui.drivers import drivers_figures, drivers_result, rating_choices
from ui.loaders import Prepared, data_version, scenario_key
from ui.state import BASELINE, PRESENT, SLIDE
from ui.themes import drill_report, pareto, timeline
from ui.widgets import chart, guarded, show_chart

CHART_BOX = "present-chart"
"""The key of the container the slide's chart fills (CSS class ``st-key-present-chart``)."""
FIT = f"""<style>
[data-testid="stHeader"] {{ display: none; }}
[data-testid="stMainBlockContainer"] {{
  padding: 0.5rem 1.5rem 0.5rem; max-width: none; height: 100vh; box-sizing: border-box;
  display: flex; flex-direction: column; }}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {{
  flex: 1 1 auto; min-height: 0; gap: 0.5rem; }}
[data-testid="stMainBlockContainer"] [data-testid="stAlert"] > div {{ padding: 0.4rem 0.8rem; }}
.st-key-{CHART_BOX} {{ flex: 1 1 0; min-height: 0; }}
.st-key-{CHART_BOX} > [data-testid="stElementContainer"],
.st-key-{CHART_BOX} [data-testid="stPlotlyChart"] {{ height: 100%; }}
</style>"""
"""The slide fills the screen and no more: no header, the chart takes the height the
controls leave (the figure has no height of its own, `cxroi.charts.present`), so every
slide, footnote included, fits 1280 x 720 and 1920 x 1080 without scrolling. Our own
constant rules, no user text."""

SLIDES = (("iceberg", "Cost iceberg"), ("snowball_steps", "Snowball: line by line"),
          ("snowball_quarters", "Snowball: quarter by quarter"), ("melt", "Melt"),
          ("relative", "Relative size"), ("effort", "Effort split"),
          ("effort_trend", "Effort trend"), ("key_drivers", "Key drivers"),
          ("pareto", "Vital few"), ("plans_timeline", "Action plans"))
"""Every slide the view can show, in order; the last three only when the data have them
(`slides`). Revenue at risk has no figure of its own (it is three numbers beside the
iceberg), so it is not a slide here; the deck has it as a numbers slide."""
DRILL_DOWN = ("key_drivers", "pareto", "plans_timeline")


def meeting_drivers(segment: str) -> DriverResult | None:
    """The key drivers of the deck's outcome (`cxroi.export.DRIVERS_OUTCOME`) in the latest
    survey quarter, among ``segment``'s respondents (``All`` when it has no ratings of its
    own), automatic method; none when there are no such ratings or the analysis refuses."""
    segments, periods, items = rating_choices()
    chosen = segment if segment in segments else ALL
    if chosen not in segments:
        return None
    period = periods[chosen][-1]
    if DRIVERS_OUTCOME not in items[(period, chosen)]:
        return None
    try:
        return drivers_result(DRIVERS_OUTCOME, period, chosen, (), "auto")
    except CxroiError:
        return None


def slides() -> tuple[tuple[str, str], ...]:
    """The slides the current data have: every picture of the meeting, and the drill-down's
    where there are ratings (key drivers), themes (the vital few) or plans (the timeline)."""
    report = drill_report()
    have = {"key_drivers": bool((found := meeting_drivers(report.segment)) and found.drivers),
            "pareto": bool(report.themes and report.themes.items),
            "plans_timeline": bool(report.plans)}
    return tuple(s for s in SLIDES if have.get(s[0], True))


def _slide(count: int) -> int:
    """The current slide number, 1-based, kept within the deck."""
    try:
        number = int(st.session_state.get(SLIDE, "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), count)


def _go(step: int, count: int) -> None:
    st.session_state[SLIDE] = str(min(max(_slide(count) + step, 1), count))


def _exit() -> None:
    st.session_state[PRESENT] = False


def _drill_figure(kind: str) -> Prepared:
    """A drill-down picture at the presentation's size, built once per data version."""
    report = drill_report()
    key = repr((kind, data_version(), report.segment, scenario_key(report.scenario),
                report.relative.period))
    if kind == "key_drivers":
        return _presented(key, drivers_figures(meeting_drivers(report.segment))[0])
    return _presented(key, pareto(report) if kind == "pareto" else timeline(report))


_PRESENTED: dict[str, Prepared] = {}
_PRESENTED_LOCK = threading.Lock()


def _presented(key: str, shown: Prepared) -> Prepared:
    """``shown`` with the presentation's larger type (a copy: cached figures are shared),
    kept for the 16 latest keys."""
    with _PRESENTED_LOCK:
        found = _PRESENTED.get(key)
    if found is None:
        found = Prepared(charts.present(go.Figure(shown.figure)))
        with _PRESENTED_LOCK:
            _PRESENTED[key] = found
            while len(_PRESENTED) > 16:
                _PRESENTED.pop(next(iter(_PRESENTED)))
    return found


def render() -> None:
    st.html(FIT)
    shown = slides()
    count = len(shown)
    number = _slide(count)
    back, where, ahead, _, leave = st.columns([1.2, 3, 1.2, 2.4, 2], vertical_alignment="center")
    back.button("Previous", icon=":material/arrow_back:", on_click=_go, args=(-1, count),
                disabled=number == 1, shortcut="Left", key="present.back")
    kind, name = shown[number - 1]
    where.markdown(f"**{number} / {count}**: {name}")
    ahead.button("Next", icon=":material/arrow_forward:", on_click=_go, args=(1, count),
                 disabled=number == count, shortcut="Right", key="present.next")
    leave.button("Exit presentation", icon=":material/close_fullscreen:", on_click=_exit,
                 shortcut="Esc", key="present.exit", type="primary")
    with guarded("The presentation"), st.container(key=CHART_BOX, height="stretch"):
        if kind in DRILL_DOWN:
            chart(_drill_figure(kind), None, key=f"chart.present.{number}", fill=True)
        else:
            show_chart(kind, baseline=st.session_state.get(BASELINE, "normal"),
                       presenting=True, key=f"chart.present.{number}", fill=True)
