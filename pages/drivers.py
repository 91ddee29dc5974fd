"""Key drivers: which experiences drive loyalty, what to fix first, which metric leads."""

import pandas as pd
import streamlit as st

from cxroi import wording
from cxroi.drivers import SIGNIFICANCE
from ui.drivers import (
    drivers_figures,
    drivers_result,
    keep_choice,
    leading_chart,
    leading_result,
    metric_names,
    rating_choices,
)
from ui.state import (
    D_ITEMS,
    DRIVERS_SHOW,
    DRIVERS_VIEWS,
    D_METHOD,
    D_METHODS,
    D_OUTCOME,
    D_PERIOD,
    D_SEGMENT,
    L_INDICATOR,
    L_LAG,
    L_LAGS,
    L_OUTCOME,
    ensure_frame,
    init_page_params,
    selected_segment,
)
from ui.widgets import chart, guarded, static_table

ensure_frame()
st.title("Key drivers")
st.caption("Why it costs this much: which experiences move customers' loyalty (each driver's "
           "share of what the survey explains), which to fix first, and which internal "
           "metric moves before the symptom.")
init_page_params()

with guarded("The key drivers"):
    segments, periods, items = rating_choices()
    if not segments:
        st.info(wording.DRIVERS_EMPTY, icon=":material/info:")
    else:
        top, bottom = st.columns(4), st.columns([3, 1])
        keep_choice(D_SEGMENT, segments)
        top[2].selectbox("Respondents", segments, key=D_SEGMENT)
        shown = periods[st.session_state[D_SEGMENT]]
        keep_choice(D_PERIOD, shown[::-1])
        top[1].selectbox("Survey quarter", shown[::-1], key=D_PERIOD)
        answered = items[(st.session_state[D_PERIOD], st.session_state[D_SEGMENT])]
        keep_choice(D_OUTCOME, answered, prefer="likelihood_to_recommend")
        top[0].selectbox("Outcome", answered, key=D_OUTCOME, format_func=wording.item_label)
        top[3].selectbox("Method", list(D_METHODS), key=D_METHOD, format_func=D_METHODS.get)
        outcome = st.session_state[D_OUTCOME]
        candidates = [i for i in answered if i != outcome]
        st.session_state[D_ITEMS] = [i for i in st.session_state[D_ITEMS] if i in candidates]
        bottom[0].multiselect("Drivers", candidates, key=D_ITEMS, format_func=wording.item_label,
                              placeholder="Every other item")
        result = drivers_result(outcome, st.session_state[D_PERIOD], st.session_state[D_SEGMENT],
                                tuple(st.session_state[D_ITEMS]), st.session_state[D_METHOD])
        for warning in result.warnings:
            st.warning(warning, icon=":material/warning:")
        bars, matrix = drivers_figures(result)
        chart(bars, None, key="chart.drivers.bars")
        chart(matrix, None, key="chart.drivers.matrix")
        table = pd.DataFrame([{
            "Driver": d.item, "Share of R²": d.share, "Importance": d.importance, "r": d.r,
            "p": d.p_value, "Beta": d.beta, "Mean score": d.mean,
            "Significant": d.significant, "Suppressor": d.suppressor} for d in result.drivers])
        with st.expander("The numbers"):
            st.dataframe(table, hide_index=True, width="stretch", column_config={
                "Share of R²": st.column_config.NumberColumn(format="percent")})

more = st.segmented_control("Show more", list(DRIVERS_VIEWS), key=DRIVERS_SHOW,
                            selection_mode="multi", format_func=DRIVERS_VIEWS.get,
                            label_visibility="collapsed")  # drawn when asked: a chart, a table
if "leading" in more:
    st.header("Leading indicators")
    st.caption("Which metric, some quarters earlier, moves with the outcome: Pearson's r of the "
               "metric at q - k against the outcome at q, adjusted for testing many metrics at "
               f"once (Holm); 'leading' only when the adjusted p is below {SIGNIFICANCE:g}.")
    with guarded("The leading indicators"):
        metrics = metric_names(selected_segment())   # the sidebar's segment, as on the other pages
        if not metrics:
            st.info("Upload a few quarters of metrics to look for leading indicators.")
        else:
            left, right = st.columns([3, 1])
            keep_choice(L_OUTCOME, metrics, prefer="customers_lost")
            left.selectbox("Outcome metric", metrics, key=L_OUTCOME,
                           format_func=wording.metric_label)
            right.selectbox("Lag (quarters)", L_LAGS, key=L_LAG)
            leading = leading_result(st.session_state[L_OUTCOME], int(st.session_state[L_LAG]),
                                     selected_segment())
            st.subheader(wording.leading_headline(leading))
            if leading.indicators:
                static_table([{  # a dozen rows: a static table draws much faster than a grid
                    "Metric": i.metric, "Pairs": i.n, "r": f"{i.r:.3f}", "p": f"{i.p_value:.4f}",
                    "p (Holm)": f"{i.p_holm:.4f}", "Leading": "yes" if i.leading else ""}
                    for i in leading.indicators])
            if leading.not_tested:
                st.caption("Not tested: " + "; ".join(
                    f"{t.metric} ({t.n} pairs: {t.reason})" for t in leading.not_tested))
            others = [m for m in metrics if m != leading.outcome]
            tested = [i.metric for i in leading.indicators]
            if others:
                keep_choice(L_INDICATOR, others, prefer=tested[0] if tested else None)
                st.selectbox("Indicator to plot", others, key=L_INDICATOR,
                             format_func=wording.metric_label)
                chart(leading_chart(leading, st.session_state[L_INDICATOR]), None,
                      key="chart.leading")
