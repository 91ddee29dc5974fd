"""Relative size (being built)."""

import streamlit as st

st.title("Relative size")
st.info("This page is being built.")
