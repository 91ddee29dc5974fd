"""The export tests' data: the demo plus hostile names, its report, and the deck's slides.

Each is built once for the whole package (``scope="package"``), so the test modules share
one database and one report.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cxroi.demo import load_demo
from cxroi.export import DeckSlide, deck_slides
from cxroi.report import Report, build_report
from cxroi.store import Store

from ..helpers import upload
from .support import HOSTILE_NAME, HOSTILE_SEGMENT


@pytest.fixture(scope="package")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo, plus a segment and a metric with hostile names and a hostile department."""
    store = Store(tmp_path_factory.mktemp("export") / "export.duckdb")
    load_demo(store)
    upload(store, "metrics", [
        (period, HOSTILE_SEGMENT, metric, value)
        for period, scale in (("2026Q2", 1.0), ("2026Q3", 1.2))
        for metric, value in (("service_contacts", 900 * scale), ("customers_lost", 12 * scale),
                              ("refunds_credits", 4000 * scale))
    ] + [(period, HOSTILE_SEGMENT, HOSTILE_NAME, value, "count")
         for period, value in (("2026Q2", 10), ("2026Q3", 14))], name="hostile.csv",
        source=HOSTILE_NAME, scope=HOSTILE_SEGMENT)
    upload(store, "effort", [("2026Q3", HOSTILE_NAME, tier, hours, loop) for tier, hours, loop
                             in (("TM", 120, "inner"), ("EM", 60, "inner"), ("EL", 20, "outer"))],
           name="effort.csv")
    yield store
    store.close()


@pytest.fixture(scope="package")
def report(store: Store) -> Report:
    """The demo's company-wide report, its drill-down (themes, plans) included, as the CLI
    and the export page build it."""
    return build_report(store.dataset(), store.scenario("Baseline"),
                        drilldown=store.drilldown("All"))


@pytest.fixture(scope="package")
def hostile_report(store: Store) -> Report:
    return build_report(store.dataset(HOSTILE_SEGMENT), store.scenario("Baseline"),
                        drilldown=store.drilldown(HOSTILE_SEGMENT))


@pytest.fixture(scope="package")
def slides(report: Report) -> list[DeckSlide]:
    return deck_slides(report)

