"""ui/state.py: `ensure_frame` leaves a page alone inside app.py's frame, and asks once (one
rerun) when a session's first run is a page without the frame."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

COUNTING_PAGE = '''
import streamlit as st
from ui.state import FRAME, ensure_frame

if st.session_state.get("test.in_frame"):
    st.session_state[FRAME] = {}  # what app.py does at the start of every run
st.session_state["test.runs"] = st.session_state.get("test.runs", 0) + 1
ensure_frame()
st.write("the page")
'''


def test_inside_the_frame_the_page_runs_once():
    at = AppTest.from_string(COUNTING_PAGE, default_timeout=30)
    at.session_state["test.in_frame"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["test.runs"] == 1
    assert [m.value for m in at.markdown] == ["the page"]


def test_outside_the_frame_the_page_asks_for_it_once_then_renders():
    at = AppTest.from_string(COUNTING_PAGE, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["test.runs"] == 2, "one rerun, to go through app.py"
    assert [m.value for m in at.markdown] == ["the page"]
    at.run()
    assert at.session_state["test.runs"] == 3, "asked once per session, never a loop"
