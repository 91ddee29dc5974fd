"""What a person in a meeting feels: page switches, widget changes and first paint in Chromium.

Two servers run side by side on the same machine, in the same run: cxroi (``streamlit run
ui/serve.py``, as ``make run`` serves it, on a fresh copy of the demo database) and a bare two-page Streamlit app with one
Plotly chart and one select box a page. Debian's Chromium, driven by Playwright, times:

``page_switch``   a click on a page in the sidebar to the last change on screen, for every
                  page; each cxroi switch is paired with a bare switch right after it
``widget``        a widget change to the last change on screen (the baseline on Relative
                  size, the segment in the sidebar; a select box's clock starts at the
                  click on its option) against the bare app's own select box
``first_paint``   a fresh server's first visitor, and the second visitor, from ``goto`` to
                  the last change on screen, against the bare app's; ``--first-paints``
                  fresh pairs of servers (3), one after the other

"The last change on screen" is the time of the last DOM mutation once the page has been
quiet for ``QUIET_MS``, its script has run and is not running, and Streamlit's running
indicator is gone (a page whose script runs can stay blank and quiet for longer than that).
One JSON line per measure:

    {"benchmark": "browser_page_switch", "page": "Cost iceberg", "seconds": 0.31,
     "baseline_seconds": 0.24, "ratio": 1.21, "max_ratio": 1.6, "target": 1.25}

``ratio`` is the median of the paired ratios; ``max_ratio`` the largest single switch over
the bare median (the issue's "no single switch over 2x"). Run:
``.venv/bin/python benchmarks/bench_browser.py [--repeats N] [--pages "Overview,Upload"]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import Paired, emit, line, paired  # noqa: E402
from tests.e2e.server import Server  # noqa: E402 - the browser tests' own server
CHROMIUM = "/usr/bin/chromium"
QUIET_MS = 400
MEETING_PAGES = ("Overview", "Relative size", "Cost iceberg", "Effort split", "Key drivers",
                 "Vital few", "Action plans")
"""Pages an executive shows (target 1.25x); every other page is a work page (1.5x)."""
WORK_TARGET, MEETING_TARGET, SINGLE_LIMIT = 1.5, 1.25, 2.0

BARE_PAGE = '''
import plotly.graph_objects as go
import streamlit as st

quarters = ["2026Q1", "2026Q2", "2026Q3"]
choice = st.selectbox("Quarter", quarters, key="bare.{name}")
st.title("{name}: {{}}".format(choice))
# the chart follows the choice, so the widget's rerun redraws it, as a dashboard's does
fig = go.Figure(go.Bar(x=["a", "b", "c", "d"], y=[4, 3, 2, quarters.index(choice) + 1]))
st.plotly_chart(fig)
st.caption("A footnote.")
'''
BARE_APP = '''
import streamlit as st

st.set_page_config(page_title="bare", layout="wide")
st.navigation([st.Page("one.py", title="One"), st.Page("two.py", title="Two")]).run()
'''

SETTLED = """([quiet, started]) => new Promise(resolve => {
    // busy: the script has not run yet or runs (a page can stay blank and quiet meanwhile),
    // or Streamlit shows its running indicator or a skeleton
    const busy = () => document.querySelector('[data-testid="stApp"]:is(' +
            '[data-test-script-state="initial"], [data-test-script-state="running"])') ||
        document.querySelector('[data-testid="stStatusWidget"]') ||
        document.querySelector('[data-testid="stSkeleton"]');
    let last = performance.now();
    const seen = new MutationObserver(() => { last = performance.now(); });
    seen.observe(document.body, {subtree: true, childList: true, attributes: true,
                                 characterData: true});
    const check = () => {
        const now = performance.now();
        if (!busy() && now - last >= quiet) { seen.disconnect(); resolve(last - started); }
        else setTimeout(check, 50);
    };
    setTimeout(check, 50);
})"""
"""Wait until the page is quiet; the milliseconds from ``started`` to its last mutation."""


def _seconds(page, action) -> float:
    """Run ``action`` and return the seconds until the page's last change on screen."""
    started = page.evaluate("performance.now()")
    action()
    return page.evaluate(SETTLED, [QUIET_MS, started]) / 1000


def _click_page(page, title: str) -> None:
    page.locator(f'[data-testid="stSidebarNav"] a:has(span[label="{title}"])').first.click()


def _nav_titles(page) -> list[str]:
    """The sidebar's page titles (each link's label, without its icon's name)."""
    return page.locator('[data-testid="stSidebarNav"] a span[label]').evaluate_all(
        "spans => spans.map(s => s.getAttribute('label'))")


def _open(context, url: str):
    page = context.new_page()
    seconds = _seconds(page, lambda: page.goto(url))
    return page, seconds


def _bare_app(folder: Path) -> Path:
    for name in ("one", "two"):
        (folder / f"{name}.py").write_text(BARE_PAGE.format(name=name.title()), "utf-8")
    (folder / "bare_app.py").write_text(BARE_APP, "utf-8")
    return folder / "bare_app.py"


def _demo(db: Path) -> None:
    subprocess.run([sys.executable, "-m", "cxroi", "--db", str(db), "demo"], cwd=ROOT,
                   check=True, capture_output=True)


def run(repeats: int, only: list[str] | None, first_paints: int = 3) -> Iterator[dict]:
    """The measures, one JSON-able line each, as they are taken."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "demo.duckdb"
        _demo(db)
        bare_script = _bare_app(folder)
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            size = {"viewport": {"width": 1280, "height": 720}}
            firsts, seconds = Paired(), Paired()
            servers: list[Server] = []
            contexts: list = []
            try:
                for _ in range(first_paints):
                    # first paint: a fresh pair of servers, each one's first visitor, then a
                    # second visitor; the last pair stays up for the switches and widgets
                    _close(servers, contexts)
                    servers = [Server(ROOT / "ui" / "serve.py", ROOT, {"CXROI_DB": str(db)}),
                               Server(bare_script, folder, {})]
                    contexts = [browser.new_context(**size) for _ in range(4)]
                    first_ours, first_bare, second_ours, second_bare = (
                        _open(context, server.url)
                        for context, server in zip(contexts, servers * 2))
                    firsts.ours.append(first_ours[1])
                    firsts.bare.append(first_bare[1])
                    seconds.ours.append(second_ours[1])
                    seconds.bare.append(second_bare[1])
                yield line("browser_first_paint", "first visitor", firsts, 1.25)
                yield line("browser_first_paint", "second visitor", seconds, 1.1)
                ours, bare = second_ours[0], second_bare[0]
                titles = [t for t in _nav_titles(ours) if only is None or t in only]
                home = _nav_titles(ours)[0]
                bare_titles = ["Two", "One"]
                for title in titles:
                    away = home if title != home else _nav_titles(ours)[1]

                    def switch(i: int, title: str = title, away: str = away) -> float:
                        _seconds(ours, lambda: _click_page(ours, away))
                        return _seconds(ours, lambda: _click_page(ours, title))

                    def bare_switch(i: int) -> float:
                        return _seconds(bare, lambda: _click_page(bare, bare_titles[i % 2]))

                    timed = paired(switch, bare_switch, repeats=repeats, warm=1)
                    target = MEETING_TARGET if title in MEETING_PAGES else WORK_TARGET
                    yield line("browser_page_switch", title, timed, target)
                yield from _widgets(ours, bare, repeats)
            finally:
                _close(servers, contexts)
                browser.close()


def _close(servers: list, contexts: list) -> None:
    """Stop a sample's servers and close its browser contexts (no page left reconnecting)."""
    for context in contexts:
        context.close()
    for server in servers:
        server.stop()


def _widgets(ours, bare, repeats: int) -> Iterator[dict]:
    """The baseline on Relative size and the sidebar's segment, against the bare select box.
    A select box is opened first and the clock starts at the click on the option: opening
    a list low on the screen (scrolling, the key that opens it) is not the app's rerun."""
    _seconds(ours, lambda: _click_page(ours, "Relative size"))
    _seconds(bare, lambda: _click_page(bare, "One"))
    cases = {
        "relative baseline": lambda i: _seconds(ours, lambda: ours.locator(
            '[data-testid="stButtonGroup"] button').nth(i % 2).click()),
        "sidebar segment": lambda i: _choose(ours, "Segment", i),
    }
    for name, change in cases.items():
        timed = paired(change, lambda i: _choose(bare, "Quarter", i), repeats=repeats, warm=1)
        yield line("browser_widget", name, timed, MEETING_TARGET)


def _choose(page, label: str, i: int) -> float:
    """Pick the first or second option of the select box ``label`` (alternating): the
    seconds from the click on the option to the last change on screen."""
    box = page.get_by_label(label, exact=True).first
    box.scroll_into_view_if_needed()
    box.click()
    options = page.locator('[role="option"]')
    if not options.count():
        box.press("ArrowDown")  # a box low on the screen may need the key to open its list
    options.first.wait_for()
    return _seconds(page, lambda: options.nth(i % 2).click())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=int(os.environ.get("BENCH_REPEATS", 7)))
    parser.add_argument("--pages", default=None, help="comma-separated page titles")
    parser.add_argument("--first-paints", type=int, default=3,
                        help="fresh server pairs whose first and second visitors are timed")
    args = parser.parse_args(argv)
    only = [p.strip() for p in args.pages.split(",")] if args.pages else None
    for record in run(args.repeats, only, args.first_paints):
        emit(record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
