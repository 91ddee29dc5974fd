"""Take it to the meeting: the deck (PowerPoint or PDF), each chart as PNG, the numbers."""

import datetime as dt
import hashlib
import re

import streamlit as st

from cxroi import export
from cxroi.models import CxroiError
from ui.loaders import current_report
from ui.present import meeting_drivers
from ui.state import BASELINE, ensure_frame
from ui.widgets import chart_downloads, guarded

ensure_frame()
st.title("Take it to the meeting")
st.caption("The charts as they are on screen, each with its footnote: a 16:9 deck to present "
           "or send, every picture as a slide-size PNG, and the numbers behind them.")

DECK, FORMAT, GROUPS, CHART = "export.deck", "export.format", "export.groups", "export.chart"
FORMATS = {"PowerPoint": "pptx", "PDF": "pdf"}
MIMES = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "pdf": "application/pdf"}
st.session_state.setdefault(FORMAT, "PowerPoint")


def _deck_id(report, fmt: str, groups) -> str:
    """What the deck was built from: a changed choice or upload asks for a new build."""
    text = "|".join([fmt, *groups, report.scenario.label,
                     report.scenario.assumptions.model_dump_json(), report.segment,
                     str(report.relative.period), report.relative.baseline,
                     str(report.dataset.version), dt.date.today().isoformat()])
    return hashlib.sha256(text.encode()).hexdigest()


def _file_name(report, fmt: str) -> str:
    company = re.sub(r"[^A-Za-z0-9]+", "-", report.dataset.company or "cxroi").strip("-")
    return f"{company or 'cxroi'}-{report.relative.period or 'deck'}.{fmt}".lower()


with guarded("The export"):
    report = current_report(baseline=st.session_state.get(BASELINE) or "normal")
    problem = export.exporter().problem()
    if problem:
        st.warning(problem, icon=":material/warning:")
    else:
        export.exporter().warm()  # Chromium starts now, in the background, not on the click
    drivers = meeting_drivers(report.segment)
    groups_known = export.work_groups(report)
    st.session_state[GROUPS] = [g for g in st.session_state.get(GROUPS, ()) if g in groups_known]

    st.subheader("The meeting deck")
    left, middle, right = st.columns([2, 4, 2], vertical_alignment="bottom")
    label = left.segmented_control("Format", list(FORMATS), key=FORMAT, required=True,
                                   help="PowerPoint: bar charts stay editable. PDF: the same "
                                        "slides, to send.")
    middle.multiselect("A slide for each work group", groups_known, key=GROUPS,
                       disabled=not groups_known, placeholder="None" if groups_known else
                       "No theme names a department",
                       help="A department's themes, its top two first, and their money.")
    groups = tuple(st.session_state[GROUPS])
    st.caption(f"{export.deck_outline(report, drivers=drivers, groups=groups)} Each slide's "
               "title states the point; its footnote is on the slide and in the speaker notes.")
    fmt = FORMATS[label or "PowerPoint"]
    wanted = _deck_id(report, fmt, groups)
    if right.button("Build the meeting deck", icon=":material/slideshow:", type="primary",
                    disabled=problem is not None):
        with st.status(f"Building the {label} deck", expanded=True) as status:
            bar = st.progress(0.0, text="Starting")
            try:
                blob = export.build_deck(report, fmt, drivers=drivers, groups=groups,
                                         progress=lambda done, text: bar.progress(
                                             min(max(done, 0.0), 1.0), text=text))
            except CxroiError as exc:
                status.update(label="The deck was not built", state="error")
                st.error(str(exc), icon=":material/error:")
            else:
                st.session_state[DECK] = (wanted, blob, _file_name(report, fmt))
                status.update(label=f"The {label} deck is ready", state="complete",
                              expanded=False)
    built = st.session_state.get(DECK)
    if built and built[0] == wanted:
        st.download_button(f"Download the {label} deck", data=built[1], file_name=built[2],
                           mime=MIMES[fmt], icon=":material/download:", on_click="ignore",
                           type="primary", key="export.deck.download")
    elif built:
        st.caption("The choices changed since the last build: build the deck again.")

    st.subheader("Each chart, and the numbers behind it")
    st.caption("PNG: the chart at slide size (1600 x 900), footnote included, made when you "
               "click. CSV and Excel: the numbers, with any text that could run as a "
               "spreadsheet formula made inert.")
    # one chart's buttons at a time: thirteen rows of three buttons cost every visit
    choice, buttons = st.columns([1, 1], vertical_alignment="bottom")
    name = choice.selectbox("Chart", list(export.CHARTS), key=CHART,
                            format_func=lambda key: export.CHARTS[key].label)
    figure = (lambda: export.chart_figure(report, name)) \
        if export.CHARTS[name].figure is not None else None
    with buttons:
        chart_downloads(figure, report, name, name)
