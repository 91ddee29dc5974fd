"""Take it to the meeting (being built)."""

import streamlit as st

st.title("Take it to the meeting")
st.info("This page is being built.")
