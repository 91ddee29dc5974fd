"""Presentation view: one picture per screen, large type, no sidebar; next / previous / exit.

app.py calls `render` instead of the navigation's page while ``sidebar.present`` is on
(``?present=1``); ``?slide=N`` picks the picture, so a pasted link opens the same slide.
"""

from __future__ import annotations

import streamlit as st

from ui.state import BASELINE, PRESENT, SLIDE
from ui.widgets import guarded, show_chart

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
          ("effort_trend", "Effort trend"))


def _slide() -> int:
    """The current slide number, 1-based, kept within the deck."""
    try:
        number = int(st.session_state.get(SLIDE, "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), len(SLIDES))


def _go(step: int) -> None:
    st.session_state[SLIDE] = str(min(max(_slide() + step, 1), len(SLIDES)))


def _exit() -> None:
    st.session_state[PRESENT] = False


def render() -> None:
    number = _slide()
    st.html(FIT)
    back, where, ahead, _, leave = st.columns([1.2, 3, 1.2, 2.4, 2], vertical_alignment="center")
    back.button("Previous", icon=":material/arrow_back:", on_click=_go, args=(-1,),
                disabled=number == 1, shortcut="Left", key="present.back")
    kind, name = SLIDES[number - 1]
    where.markdown(f"**{number} / {len(SLIDES)}**: {name}")
    ahead.button("Next", icon=":material/arrow_forward:", on_click=_go, args=(1,),
                 disabled=number == len(SLIDES), shortcut="Right", key="present.next")
    leave.button("Exit presentation", icon=":material/close_fullscreen:", on_click=_exit,
                 shortcut="Esc", key="present.exit", type="primary")
    with guarded("The presentation"), st.container(key=CHART_BOX, height="stretch"):
        show_chart(kind, baseline=st.session_state.get(BASELINE, "normal"), presenting=True,
                   key=f"chart.present.{number}", fill=True)
