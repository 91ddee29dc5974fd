"""The upload preview's last look: what storing the file would change, before it is stored."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxroi.format import escape_markdown, money
from cxroi.impact import UploadImpact, partial_notice, partial_quarter, upload_impact
from cxroi.models import ALL, UploadMeta
from ui.loaders import data_version, dataset_at, selected_scenario, store
from ui.state import once_per_run, selected_period

_PREVIEW_META = dict(file_name="preview", sha256="0" * 64, source="preview", scope="preview",
                     uploaded_by="preview")
"""The metadata of the trial write `Store.what_if` undoes (never stored)."""


def impact_of(kind: str, rows: pd.DataFrame) -> UploadImpact | None:
    """What a metrics upload of ``rows`` would change company-wide (other kinds: none yet)."""
    if kind != "metrics":
        return None
    meta = UploadMeta(kind=kind, **_PREVIEW_META)
    before = dataset_at(data_version(), ALL)
    after = store().what_if(meta, rows, ALL)
    incoming = rows[["period", "segment", "metric", "value"]].itertuples(index=False, name=None)
    return upload_impact(before, after, incoming, selected_scenario().assumptions)


def show_impact(found: UploadImpact | None) -> None:
    """The overview's headline before and after, and every finding as a warning."""
    if found is None:
        return
    before, after = found.headline_before, found.headline_after
    if after is not None:
        left, right = st.columns(2, border=True)
        if before is not None:
            left.metric(f"The overview now: {before.period} cost of poor experience",
                        money(before.total))
        right.metric(f"After this upload: {after.period}", money(after.total),
                     delta=None if before is None else money(after.total - before.total),
                     delta_color="off")
    for sentence in found.sentences():
        st.warning(escape_markdown(sentence), icon=":material/visibility:")


def show_partial_period() -> None:
    """A warning on every page while the quarter shown has fewer segments than the one before."""
    data = dataset_at(once_per_run("version", data_version), ALL)
    period = selected_period()
    if period not in data.periods:
        period = data.periods[-1] if data.periods else None
    short = partial_quarter(data, period)
    if short is not None:
        st.warning(partial_notice(period, *short), icon=":material/pie_chart:")
