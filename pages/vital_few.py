"""Vital few: what the complaints are about, what each theme costs, and which few to fix first."""

import streamlit as st

from cxroi import wording
from cxroi.format import escape_markdown, money, percent
from ui.state import VITAL_SHOW, VITAL_VIEWS, ensure_frame, init_page_params
from ui.themes import drill_report, iceberg_themed, metrics_of, pareto, quarters_of
from ui.widgets import chart, guarded, static_table

ensure_frame()
st.title("Vital few")
st.caption("Every theme's money inside the cost iceberg, nothing counted twice. The few themes "
           "that make 80% of it are where root causes pay back first.")
init_page_params()

with guarded("The vital few"):
    report = drill_report()
    themes = report.themes
    if themes is None:
        st.info(wording.NO_THEMES)
        st.stop()
    themed = themes.iceberg_total - themes.unattributed
    explained, remainder, few = st.columns(3, border=True)
    explained.metric("Explained by themes", money(themed))
    remainder.metric("Not explained by any theme", money(themes.unattributed))
    few.metric("Vital few", f"{len(themes.vital_few)} of {len(themes.items)} themes")
    st.text(wording.themed_part(themes))
    chart(pareto(report), report.footnote("themes"), key="chart.vital.pareto")
    for warning in themes.warnings:
        st.warning(escape_markdown(warning))
    static_table([  # a few rows: a static table draws much faster than a grid
        {"Theme": t.theme, "Department": t.department or "", "Money": money(t.money),
         "Share": percent(t.share, 1), "Cumulative": percent(t.cumulative_share, 1),
         "Vital few": "yes" if t.vital_few else ""} for t in themes.items])

    # the drill-downs wait behind one control: each chart, card and table costs the
    # browser time on every visit, and the Pareto above is what the meeting needs first
    shown = st.segmented_control("Show more", list(VITAL_VIEWS), key=VITAL_SHOW,
                                 selection_mode="multi", format_func=VITAL_VIEWS.get,
                                 label_visibility="collapsed")
    if "iceberg" in shown:
        chart(iceberg_themed(report), report.footnote("themes"), key="chart.vital.iceberg")
    if "theme" in shown:
        st.subheader("A theme's drill-down")
        names = [t.theme for t in themes.items]
        theme = st.selectbox("Theme", names, key="vital.theme")
        if theme:
            left, right = st.columns(2)
            with left:
                chart(metrics_of(report, theme), report.footnote("themes"),
                      key="chart.vital.metrics")
            with right:
                chart(quarters_of(report, theme), report.footnote("iceberg"),
                      key="chart.vital.quarters")
            plans = report.plans_of(theme)
            if plans:
                static_table([
                    {"Plan": p.record.id, "Status": wording.PLAN_STATUS_LABELS[p.record.status],
                     "Action": p.record.action, "Owner": p.record.owner,
                     "Due": str(p.record.due),
                     "NPV": money(p.case.npv), "Overdue": "yes" if p.overdue else ""}
                    for p in plans])
            else:
                st.text("No action plan for this theme yet (add one on the Action plans page).")

    if "group" in shown:
        st.subheader("A work group's report")
        departments = sorted({t.department for t in themes.items if t.department})
        if departments:
            department = st.selectbox("Department", departments, key="vital.department")
            mine = [t for t in themes.items if t.department == department]
            columns = st.columns(2, border=True)
            for column, item in zip(columns, mine[:2]):
                column.metric(item.theme, money(item.money),
                              delta=f"{percent(item.share, 1)} of the themed money",
                              delta_color="off", delta_arrow="off")
            st.text("Find the root causes of the top two first: "
                    f"{' and '.join(t.theme for t in mine[:2])}.")
            chart(pareto(report, department), report.footnote("themes"), key="chart.vital.group")
        else:
            st.text("No theme names a department: add a department column to the themes upload.")
