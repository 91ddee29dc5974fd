"""How long a rerun of each executive page takes after a widget change, against a bare page.

For each page (overview, relative, iceberg, effort, the presentation view) the app runs
once on the demo data through AppTest, warms up, and then a widget change (the sidebar's
period, back and forth) is rerun ``REPEATS`` times. The baseline is a bare script written to
a temporary file that renders one Plotly chart of the same data after the same kind of
change, timed the same way in the same process. One JSON line per page:

    {"benchmark": "page_rerun", "page": ..., "seconds": ..., "baseline_seconds": ...,
     "ratio": ..., "target": 1.5}

``seconds`` is the median rerun. Run: ``.venv/bin/python benchmarks/bench_pages.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPEATS = 15
TARGET = 1.5
PAGES = ("overview", "relative", "iceberg", "effort", "present")

BARE = '''
import plotly.graph_objects as go
import streamlit as st

from pages.common import data_version, load_dataset

dataset = load_dataset(data_version(), "All")
period = st.selectbox("Period", list(dataset.periods), index=len(dataset.periods) - 1,
                      key="sidebar.period")
values = [m for m in dataset.metrics if m.period == period]
fig = go.Figure(go.Bar(x=[m.metric for m in values], y=[m.value for m in values]))
fig.update_layout(title=f"Metrics in {period}")
st.plotly_chart(fig)
'''


def _timed_reruns(at, periods: list[str]) -> float:
    """Median seconds of a rerun after switching the period selectbox back and forth."""
    times = []
    for i in range(REPEATS + 2):
        box = at.selectbox(key="sidebar.period")
        box.set_value(periods[i % 2])
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(at.exception[0].value)
        if i >= 2:  # the first two warm the caches for both periods
            times.append(elapsed)
    return statistics.median(times)


def _sidebar_period_page(at) -> None:
    """The presentation view has no sidebar: give it a period selectbox the same way."""


def main() -> None:
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from cxroi.demo import load_demo
    from cxroi.store import forget_store, open_store

    original = PagesManager.__init__

    def v2_only(self, *args, **kwargs):  # keep AppTest on st.navigation, like a server
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = v2_only
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        load_demo(open_store(db))
        os.environ["CXROI_DB"] = str(db)
        st.cache_data.clear()
        st.cache_resource.clear()
        periods = list(open_store(db).dataset("All").periods)[-2:]
        bare_path = Path(tmp) / "bare.py"
        bare_path.write_text(BARE)
        for name in PAGES:
            bare = AppTest.from_file(str(bare_path), default_timeout=60)
            bare.run()
            baseline = _timed_reruns(bare, periods)
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            if name == "present":
                at.query_params["present"] = "1"
                at.run()
                seconds = _present_reruns(at)
            else:
                at.run()
                if name != "overview":
                    at.switch_page(f"pages/{name}.py").run()
                seconds = _timed_reruns(at, periods)
            print(json.dumps({"benchmark": "page_rerun", "page": name,
                              "seconds": round(seconds, 4),
                              "baseline_seconds": round(baseline, 4),
                              "ratio": round(seconds / baseline, 2), "target": TARGET}),
                  flush=True)
        st.cache_data.clear()
        st.cache_resource.clear()
        forget_store(db)


def _present_reruns(at) -> float:
    """The presentation view has no sidebar: its widget change is Next / Previous."""
    times = []
    for i in range(REPEATS + 2):
        key = "present.next" if i % 2 == 0 else "present.back"
        at.button(key=key).click()
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(at.exception[0].value)
        if i >= 2:
            times.append(elapsed)
    return statistics.median(times)


if __name__ == "__main__":
    main()
