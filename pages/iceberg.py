"""Cost iceberg (being built)."""

import streamlit as st

st.title("Cost iceberg")
st.info("This page is being built.")
