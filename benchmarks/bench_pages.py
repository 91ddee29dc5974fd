"""How long a rerun of each page takes after a widget change, against its bare twin.

For each page the app runs once on the demo data through AppTest, and its bare twin is
generated from what it drew (`benchmarks.replay.bare_script`): a script that makes the same
Streamlit calls in the same layout (titles, captions, metric cards, widgets with their keys,
columns, expanders, tabs, forms) from prebuilt parts (the same Plotly figures, their dicts
made once; the same frames), and nothing else. A widget change (the sidebar's period, back
and forth; Next / Previous in the presentation view) is then rerun on the page and on its
twin in pairs, ``REPEATS`` times after ``WARM`` uncounted pairs. The ratio is therefore
cxroi's own overhead per rerun: the frame, the loaders, the footnotes and the wording, not
the drawing every page with that content must pay. One JSON line per page:

    {"benchmark": "page_rerun", "page": "overview", "seconds": ..., "baseline_seconds": ...,
     "ratio": ..., "max_ratio": ..., "target": 1.3, "repeats": 100, "elements": 40,
     "bare_elements": 40}

``seconds`` is the median rerun; ``ratio`` the median of the pairs' ratios
(`benchmarks.timing`). Run: ``.venv/bin/python benchmarks/bench_pages.py``
(``BENCH_REPEATS`` and ``BENCH_PAGES`` narrow a run while working on one page).

A real server compiles each script once (its ScriptCache lives as long as the process);
AppTest makes a new ScriptCache on every run, which recompiles (and magic-rewrites) every
script every time, a cost that grows with the script and that no user ever pays. Both the
page and its twin therefore run here with one shared ScriptCache, as on a server.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.replay import bare_script  # noqa: E402
from benchmarks.timing import emit, line, paired  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "100"))
WARM = 4
TARGET = 1.3
ALL_PAGES = ("overview", "relative", "iceberg", "effort", "drivers", "vital_few", "plans",
             "upload", "assumptions", "scenarios", "export", "admin", "audit", "present")
PAGES = tuple(os.environ.get("BENCH_PAGES", " ".join(ALL_PAGES)).split())


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


def _elements(at) -> int:
    """How many elements (not layout blocks) a run drew, main area and sidebar."""
    def count(node) -> int:
        children = list(getattr(node, "children", {}).values())
        return sum(count(c) for c in children) if children or hasattr(node, "children") \
            else 1
    return count(at.main) + count(at.sidebar)


def _share_the_script_cache() -> None:
    """Give AppTest one ScriptCache for the whole process, like a running server has."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def _navigation_only() -> None:
    """Keep AppTest on st.navigation, like a server (not the pages folder's old mode)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def v2_only(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = v2_only


def open_page(name: str):
    """app.py on ``name`` (``present``: the presentation view), run and settled."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if name == "present":
        at.query_params["present"] = "1"
    at.run()
    if name not in ("overview", "present"):
        at.switch_page(f"pages/{name}.py").run()
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return at


def twin(name: str, at, folder: Path):
    """The page's bare twin, generated from ``at``'s elements, run once."""
    from streamlit.testing.v1 import AppTest

    source, _ = bare_script(name, at)
    path = folder / f"bare_{name}.py"
    path.write_text(source, "utf-8")
    bare = AppTest.from_file(str(path), default_timeout=60)
    bare.run()
    if bare.exception:
        raise RuntimeError(f"{path}: {bare.exception[0].value}")
    return bare


def main() -> None:
    import streamlit as st

    from cxroi.demo import load_demo
    from cxroi.store import forget_store, open_store
    from ui.loaders import clear_caches

    _navigation_only()
    _share_the_script_cache()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        load_demo(open_store(db))
        os.environ["CXROI_DB"] = str(db)
        st.cache_data.clear()
        clear_caches()
        periods = list(open_store(db).dataset("All").periods)[-2:]
        for name in PAGES:
            at = open_page(name)
            bare = twin(name, at, Path(tmp))
            change = _step_slides if name == "present" else _change_period
            timed = paired(lambda i, at=at, change=change: _rerun(at, change, periods, i),
                           lambda i, bare=bare, change=change: _rerun(bare, change, periods, i),
                           repeats=REPEATS, warm=WARM)
            emit(line("page_rerun", name, timed, TARGET, elements=_elements(at),
                      bare_elements=_elements(bare)))
        st.cache_data.clear()
        clear_caches()
        forget_store(db)


if __name__ == "__main__":
    main()
