"""Audit trail: every write, who, when (UTC), what and which; filtered, and as a CSV file."""

import datetime as dt

import pandas as pd
import streamlit as st

from cxroi.access import filter_audit
from cxroi.export.sheets import to_csv_bytes
from ui import access
from ui.loaders import data_version
from ui.state import ensure_frame
from ui.widgets import FEW_ROWS, static_table

WHO, ACTION, DATES = "audit.who", "audit.action", "audit.dates"
COLUMNS = ["at", "who", "action", "target", "detail"]

ensure_frame()
st.title("Audit trail")
access.page_requires("audit")
st.caption("Every write, from the app and the command line, oldest first; append-only. Times "
           "are UTC; who is the signed-in email, or the command line's --by.")
entries = access.load_audit(data_version())
if not entries:
    st.info("Nothing has been written yet.")
    st.stop()

first, last = (dt.date.fromisoformat(entries[i].at[:10]) for i in (0, -1))
who_col, action_col, date_col = st.columns(3)
who = who_col.multiselect("Who", sorted({e.who for e in entries}), key=WHO)
actions = action_col.multiselect("Action", sorted({e.action for e in entries}), key=ACTION)
days = date_col.date_input("Days (UTC)", value=(first, last), key=DATES, format="YYYY-MM-DD")
days = tuple(days) if isinstance(days, (tuple, list)) else (days, days)
kept = filter_audit(entries, who=who, actions=actions, start=days[0] if days else None,
                    end=days[-1] if days else None)

st.caption(f"{len(kept):,} of {len(entries):,} entries.")
frame = pd.DataFrame([e.as_json() for e in kept], columns=COLUMNS)
static_table(frame.tail(FEW_ROWS))  # read whole, wrapped; a grid costs a switch 0.3 s
if len(kept) > FEW_ROWS:
    st.caption(f"The {FEW_ROWS} latest of these {len(kept):,}.")
    if st.toggle(f"Every one of the {len(kept):,} in a grid, to scroll, sort and search",
                 key="audit.every"):
        st.dataframe(frame, hide_index=True, width="stretch",
                     column_config={"detail": st.column_config.TextColumn(width="large")})
st.download_button("Download as CSV", to_csv_bytes(frame), "cxroi-audit.csv", "text/csv",
                   icon=":material/download:", key="audit.download")
