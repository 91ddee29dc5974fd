"""How long a rerun of each executive page takes after a widget change, against a bare page.

For each page (overview, relative, iceberg, effort, the presentation view) the app runs
once on the demo data through AppTest, warms up, and then a widget change (the sidebar's
period, back and forth) is rerun ``REPEATS`` times. The baseline is a bare script written to
a temporary file that renders one Plotly chart of the same data after the same kind of
change, timed the same way in the same process. One JSON line per page:

    {"benchmark": "page_rerun", "page": ..., "seconds": ..., "baseline_seconds": ...,
     "ratio": ..., "target": 1.5}

``seconds`` is the median rerun; ``ratio`` is the median of the ratios of paired reruns
(a page rerun and the bare one right after it), which a machine's changing load moves less
than the ratio of two medians. Run: ``.venv/bin/python benchmarks/bench_pages.py``
(``BENCH_REPEATS`` and ``BENCH_PAGES`` narrow a run while working on one page).

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

REPEATS = int(os.environ.get("BENCH_REPEATS", "100"))
WARM = 4
TARGET = 1.5
PAGES = tuple(os.environ.get("BENCH_PAGES", "overview relative iceberg effort present").split())

BARE = '''
import plotly.graph_objects as go
import streamlit as st

from ui.loaders import data_version, dataset_at

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


def _timed(page, bare, change, periods: list[str]) -> tuple[float, float, float]:
    """Median rerun seconds of the page and of the bare script, and the median of their
    ratios. Each page rerun is paired with a bare rerun right after it, so a machine that
    gets busier slows both of a pair alike; the first rounds warm the caches, uncounted."""
    page_times, bare_times = [], []
    for i in range(REPEATS + WARM):
        seconds = _rerun(page, change, periods, i)
        baseline = _rerun(bare, _change_period, periods, i)
        if i >= WARM:
            page_times.append(seconds)
            bare_times.append(baseline)
    ratios = [p / b for p, b in zip(page_times, bare_times, strict=True)]
    return (statistics.median(page_times), statistics.median(bare_times),
            statistics.median(ratios))


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
    from ui.loaders import clear_caches

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
        clear_caches()
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
            seconds, baseline, ratio = _timed(at, bare, change, periods)
            print(json.dumps({"benchmark": "page_rerun", "page": name,
                              "seconds": round(seconds, 4),
                              "baseline_seconds": round(baseline, 4),
                              "ratio": round(ratio, 2), "target": TARGET}),
                  flush=True)
        st.cache_data.clear()
        clear_caches()
        forget_store(db)


if __name__ == "__main__":
    main()
