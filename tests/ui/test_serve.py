"""ui/serve.py: the server answers at once and warms the store, the default report and the
overview's charts."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroi.models import ALL
from cxroi.store import forget_store
from ui import loaders, serve
from ui.state import OVERVIEW_PICTURES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    from cxroi.demo import load_demo
    from cxroi.store import Store

    path = tmp_path / "warm.duckdb"
    store = Store(path)
    load_demo(store)
    store.close()
    monkeypatch.setenv("CXROI_DB", str(path))
    loaders.clear_caches()
    yield path
    forget_store(path)
    loaders.clear_caches()


def test_warming_builds_the_report_the_first_visitor_asks_for(demo_db):
    assert loaders._report_of.cache_info().currsize == 0
    serve.warm()
    assert loaders._report_of.cache_info().currsize == 1
    assert loaders._figure_of.cache_info().currsize == len(OVERVIEW_PICTURES)
    store = loaders.get_store()
    baseline = loaders.load_scenarios(store.data_version())[0]
    latest = loaders.dataset_at(store.data_version(), ALL).periods[-1]  # the sidebar's first
    hits = loaders._report_of.cache_info().hits
    report = loaders.report_at(store.data_version(), ALL, loaders.scenario_key(baseline),
                               latest, "normal", baseline)
    assert loaders._report_of.cache_info().hits == hits + 1  # the visitor's call is a hit
    assert report.latest_iceberg is not None and report.latest_iceberg.total > 0


def test_the_first_visitors_overview_builds_no_report_and_no_chart(demo_db):
    serve.warm()
    reports, figures = loaders._report_of.cache_info(), loaders._figure_of.cache_info()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()  # the overview, as a first visitor opens it
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == len(OVERVIEW_PICTURES)
    assert loaders._report_of.cache_info().misses == reports.misses
    assert loaders._figure_of.cache_info().misses == figures.misses
    assert loaders._figure_of.cache_info().hits >= figures.hits + len(OVERVIEW_PICTURES)


def test_a_failed_warm_is_logged_and_never_raised(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("CXROI_DB", str(tmp_path / "no-such-folder" / "x.duckdb"))
    loaders.clear_caches()
    with caplog.at_level(logging.ERROR, logger="ui.serve"):
        serve.warm()
    assert "warming the server failed" in caplog.text


def test_the_lifespan_returns_before_the_warm_finishes(monkeypatch):
    started, release = [], asyncio.Event()
    import threading

    gate = threading.Event()
    monkeypatch.setattr(serve, "warm", lambda: (started.append(1), gate.wait(5)))

    async def enter() -> None:
        async with serve._warm_on_start(None):
            release.set()  # the server starts serving while the warm is still running

    runner = threading.Thread(target=asyncio.run, args=(enter(),))  # a loop of its own,
    runner.start()                                                  # whatever runs here
    runner.join(5)
    assert release.is_set() and started == [1]
    gate.set()
    assert serve.app is not None


def test_a_visitor_during_the_warm_up_waits_for_it_instead_of_building_beside_it(
        demo_db, monkeypatch):
    import threading

    from ui import warming

    builders: list[str] = []
    build = loaders.build_report

    def counted(*args, **kwargs):
        builders.append(threading.current_thread().name)
        return build(*args, **kwargs)

    monkeypatch.setattr(loaders, "build_report", counted)
    warming.begin()            # as the server's lifespan does, before anyone can visit
    try:
        later = threading.Timer(1.0, serve.warm)   # the warm-up is still running
        later.name = "cxroi-warm"
        later.start()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()                # the first visitor opens the overview at once
        later.join()
    finally:
        warming.done()
    assert not at.exception, [e.value for e in at.exception]
    assert builders == ["cxroi-warm"]       # one report, built once, by the warm-up


def test_nothing_waits_when_no_warm_up_runs():
    from ui import warming

    assert warming.wait() is True


def test_the_warm_up_and_the_overview_leave_scipy_unimported(demo_db):
    """scipy.stats costs half a second to import and only the key drivers use it, so the
    first paint must not wait for it (a fresh interpreter: this one has imported it)."""
    script = ("import sys; from streamlit.testing.v1 import AppTest; from ui import serve; "
              "serve.warm(); at = AppTest.from_file('app.py', default_timeout=60); at.run(); "
              "assert not at.exception and at.get('plotly_chart'); "
              "print(sorted(m for m in sys.modules if m.startswith('scipy'))[:3])")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
