"""Presentation view: one picture per screen, large type, no sidebar; next / previous / exit.

app.py calls `render` instead of the navigation's page while ``sidebar.present`` is on
(``?present=1``); ``?slide=N`` picks the picture, so a pasted link opens the same slide.
"""

import streamlit as st

from cxroi import charts, roi
from pages.common import (
    BASELINE,
    PRESENT,
    SLIDE,
    chart,
    current_report,
    effort_for,
    effort_period,
    guarded,
    selected_period,
)

SLIDES = ("Cost iceberg", "Snowball: line by line", "Snowball: quarter by quarter", "Melt",
          "Relative size", "Effort split", "Effort trend")


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


def _figure(name: str):
    report = current_report(baseline=st.session_state.get(BASELINE, "normal"))
    berg = report.iceberg_for(selected_period())
    a = report.scenario.assumptions
    if name == "Cost iceberg":
        return charts.iceberg_figure(berg, report.footnote("iceberg")), report.footnote("iceberg")
    if name == "Snowball: line by line":
        return charts.snowball_steps(report.snowball, report.footnote("iceberg")), \
            report.footnote("iceberg")
    if name == "Snowball: quarter by quarter":
        return charts.snowball_quarters(report.snowball, report.footnote("iceberg")), \
            report.footnote("iceberg")
    if name == "Melt":
        after = roi.melted(berg, a) if berg else None
        return charts.melt_figure(berg, after, report.melt, report.footnote("melt")), \
            report.footnote("melt")
    if name == "Relative size":
        return charts.relative_bars(report.relative, report.footnote("relative")), \
            report.footnote("relative")
    period = effort_period(report)
    if name == "Effort split":
        return charts.effort_figure(effort_for(report, period), target=a.el_target_share,
                                    footnote=report.footnote("effort")), report.footnote("effort")
    return charts.effort_trend(report.company_effort(), el_target=a.el_target_share,
                               loop_target=a.outer_loop_target_share,
                               footnote=report.footnote("effort")), report.footnote("effort")


def render() -> None:
    number = _slide()
    back, where, ahead, _, leave = st.columns([1.2, 1.6, 1.2, 4, 2], vertical_alignment="center")
    back.button("Previous", icon=":material/arrow_back:", on_click=_go, args=(-1,),
                disabled=number == 1, shortcut="Left", key="present.back")
    where.markdown(f"**{number} / {len(SLIDES)}**: {SLIDES[number - 1]}")
    ahead.button("Next", icon=":material/arrow_forward:", on_click=_go, args=(1,),
                 disabled=number == len(SLIDES), shortcut="Right", key="present.next")
    leave.button("Exit presentation", icon=":material/close_fullscreen:", on_click=_exit,
                 shortcut="Esc", key="present.exit", type="primary")
    with guarded("The presentation"):
        fig, footnote = _figure(SLIDES[number - 1])
        chart(charts.present(fig), footnote, key=f"present.chart.{number}")


if __name__ == "__main__":
    render()
