"""Assumptions (being built)."""

import streamlit as st

st.title("Assumptions")
st.info("This page is being built.")
