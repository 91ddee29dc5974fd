"""How long a rerun of each executive page takes after a widget change, against a bare page.

For each page (overview, relative, iceberg, effort, the presentation view) the app runs
once on the demo data through AppTest, warms up, and then a widget change (the sidebar's
period, back and forth) is rerun ``REPEATS`` times. The baseline is a bare script written to
a temporary file that renders one Plotly chart of the same data after the same kind of
change, timed the same way in the same process. One JSON line per page:

    {"benchmark": "page_rerun", "page": ..., "seconds": ..., "baseline_seconds": ...,
     "ratio": ..., "target": 1.5}

``seconds`` is the median rerun. Run: ``.venv/bin/python benchmarks/bench_pages.py``.

A real server compiles each script once (its ScriptCache lives as long as the process);
AppTest makes a new ScriptCache on every run, which recompiles (and magic-rewrites) every
script every time, a cost that grows with the script and that no user ever pays. Both the
page and the bare script therefore run here with one shared ScriptCache, as on a server.
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

REPEATS = 30
WARM = 4
TARGET = 1.5
PAGES = ("overview", "relative", "iceberg", "effort", "present")

BARE = '''
import plotly.graph_objects as go
import streamlit as st

from pages.common import data_version, dataset_at

dataset = dataset_at(data_version(), "All")
period = st.selectbox("Period", list(dataset.periods), index=len(dataset.periods) - 1,
                      key="sidebar.period")
values = [m for m in dataset.metrics if m.period == period]
fig = go.Figure(go.Bar(x=[m.metric for m in values], y=[m.value for m in values]))
fig.update_layout(title=f"Metrics in {period}")
st.plotly_chart(fig)
'''


def _change_period(at, periods: list[str], i: int) -> None:
    at.selectbox(key="sidebar.period").set_value(periods[i % 2])


def _step_slides(at, periods: list[str], i: int) -> None:
    """The presentation view has no sidebar: its widget change is Next / Previous."""
    at.button(key="present.next" if i % 2 == 0 else "present.back").click()


def _rerun(at, change, periods: list[str], i: int) -> float:
    change(at, periods, i)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def _timed(page, bare, change, periods: list[str]) -> tuple[float, float]:
    """Median rerun seconds of the page and of the bare script, interleaved so that a busy
    machine slows both alike; the first rounds warm the caches and are not counted."""
    page_times, bare_times = [], []
    for i in range(REPEATS + WARM):
        seconds = _rerun(page, change, periods, i)
        baseline = _rerun(bare, _change_period, periods, i)
        if i >= WARM:
            page_times.append(seconds)
            bare_times.append(baseline)
    return statistics.median(page_times), statistics.median(bare_times)


def _share_the_script_cache() -> None:
    """Give AppTest one ScriptCache for the whole process, like a running server has."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


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
    _share_the_script_cache()
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
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            if name == "present":
                at.query_params["present"] = "1"
            at.run()
            if name not in ("overview", "present"):
                at.switch_page(f"pages/{name}.py").run()
            change = _step_slides if name == "present" else _change_period
            seconds, baseline = _timed(at, bare, change, periods)
            print(json.dumps({"benchmark": "page_rerun", "page": name,
                              "seconds": round(seconds, 4),
                              "baseline_seconds": round(baseline, 4),
                              "ratio": round(seconds / baseline, 2), "target": TARGET}),
                  flush=True)
        st.cache_data.clear()
        st.cache_resource.clear()
        forget_store(db)


if __name__ == "__main__":
    main()
