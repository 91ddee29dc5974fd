"""The Assumptions page in a real browser: an edit previews on the overview, unsaved.

The session's sidebar navigation keeps Streamlit's session state (a fresh ``page.goto``
would start a new session and lose the draft), so the test moves between pages by
clicking the sidebar's links. These tests run their own app on their own demo database:
the expected figures are read with the CLI before the app opens (and locks) the file, and
the shared session app stays untouched for the other browser tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxroi.format import money

from .conftest import (
    ROOT,
    App,
    assert_no_error,
    full_screenshot,
    screenshot,
    wait_ready,
)

EDIT = {"cost_per_contact": 20}


def _cli(db: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "cxroi", "--db", str(db), *args], cwd=ROOT,
                          check=True, capture_output=True, text=True, timeout=120)
    return done.stdout


@pytest.fixture(scope="module")
def whatif_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, dict, dict]]:
    """An app on its own demo database, and the CLI's report before and after the edit."""
    folder = tmp_path_factory.mktemp("e2e-whatif")
    db = folder / "cxroi.duckdb"
    _cli(db, "demo")
    edit = folder / "edited.json"
    edit.write_text(json.dumps(EDIT))
    saved = json.loads(_cli(db, "report", "--json"))
    edited = json.loads(_cli(db, "report", "--json", "--assumptions", str(edit)))
    running = App(db)
    yield running, saved, edited
    running.stop()


def _go(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    wait_ready(page)


def _metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_an_edited_assumption_changes_the_overview_headline(whatif_app, page):
    app, saved, edited = whatif_app
    period = saved["iceberg"][-1]["period"]
    before, after = money(saved["iceberg"][-1]["total"]), money(edited["iceberg"][-1]["total"])
    assert before != after

    page.goto(app.url)
    wait_ready(page)
    assert _metric(page, f"Cost of poor experience, {period}") == before

    _go(page, "Assumptions")
    assert_no_error(page)
    box = page.locator('[data-testid="stTextInput"]', has_text="Cost per service contact") \
        .locator("input")  # money is typed as text, shown with thousands separators
    box.fill("20")
    box.press("Enter")
    wait_ready(page)
    main = page.locator('[data-testid="stMain"]')
    assert _metric(page, f"Cost of poor experience, {period}") == after
    assert _metric(page, "Prevention NPV") == money(edited["melt"]["npv"])
    assert _metric(page, "Assumptions changed") == "1"
    assert "Cost per service contact" in main.inner_text()
    assert_no_error(page)
    full_screenshot(page, "assumptions-edited")

    _go(page, "Overview")
    assert_no_error(page)
    assert _metric(page, f"Cost of poor experience, {period}") == after
    assert "unsaved edit" in page.locator('[data-testid="stMain"]').inner_text()
    screenshot(page, "overview-with-edit")

    _go(page, "Scenarios")
    assert_no_error(page)
    assert page.locator(".js-plotly-plot").count() >= 1  # the difference against the saved
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=30_000)
    full_screenshot(page, "scenarios-compare-edit")
    page.get_by_role("tab", name="Sensitivity and break-even").click()
    wait_ready(page)
    assert "Prevention breaks even" in page.locator('[data-testid="stMain"]').inner_text()
    full_screenshot(page, "scenarios-sensitivity-edit")


def test_a_refused_value_shows_inline_and_is_not_applied(whatif_app, page):
    app, saved, _ = whatif_app
    period = saved["iceberg"][-1]["period"]
    page.goto(app.url)
    wait_ready(page)
    _go(page, "Assumptions")
    box = page.locator('[data-testid="stNumberInput"]', has_text="Gross margin").locator("input")
    box.fill("150")
    box.press("Enter")
    wait_ready(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Not applied: must be at least 0% and at most 100% (got 150%)." in text
    assert _metric(page, f"Cost of poor experience, {period}") == \
        money(saved["iceberg"][-1]["total"])
    assert page.locator('[data-testid="stException"]').count() == 0
    full_screenshot(page, "assumptions-refused")
