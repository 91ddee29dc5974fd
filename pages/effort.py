"""Effort split (being built)."""

import streamlit as st

st.title("Effort split")
st.info("This page is being built.")
