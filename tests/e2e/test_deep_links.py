"""A pasted link is a fresh server's first visit: it must open inside app.py's frame.

Streamlit starts a process whose entrypoint has a ``pages/`` folder beside it in its old
pages-directory mode, and leaves it only when ``st.navigation`` first runs; until then
``/iceberg`` would run pages/iceberg.py alone (no sidebar, banner or URL sync).
``ui.state.ensure_frame`` turns that first run into a rerun through app.py with public
Streamlit calls only. Each test starts its own server, so its link really is the first visit.
Screenshots land in tests/e2e/screenshots/ (deep_link_*.png).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import App, assert_no_error, full_screenshot, wait_ready

SIDEBAR_CHOICES = '[data-testid="stSidebar"] [data-testid="stSelectbox"]'


@pytest.fixture
def fresh(demo_db: Path, tmp_path: Path) -> Iterator[App]:
    """A server nobody has visited yet, on a copy of the demo database."""
    copy = tmp_path / "fresh.duckdb"
    shutil.copy(demo_db, copy)
    running = App(copy)
    yield running
    running.stop()
    log = copy.with_suffix(".log").read_text()
    assert "Traceback" not in log, log


def _charts_ready(page, at_least: int = 1) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {at_least}",
        timeout=30_000)
    page.wait_for_timeout(400)


def _main(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_a_chart_page_link_gets_the_whole_frame(fresh, page):
    page.goto(f"{fresh.url}/iceberg?segment=Retail&period=2025Q4")
    wait_ready(page)
    _charts_ready(page)
    full_screenshot(page, "deep_link_iceberg")
    assert_no_error(page)
    body = _main(page)
    assert "The cost iceberg" in body and "Demo data" in body
    assert page.locator(SIDEBAR_CHOICES).count() >= 3
    assert "segment=Retail" in page.url and "period=2025Q4" in page.url
    assert "2025Q4, Retail" in " ".join(
        page.locator(".js-plotly-plot text").all_text_contents())


def test_the_upload_link_gets_the_whole_frame(fresh, page):
    page.goto(f"{fresh.url}/upload")
    wait_ready(page)
    full_screenshot(page, "deep_link_upload")
    assert_no_error(page)
    body = _main(page)
    assert "Upload a quarter" in body and "Demo data" in body and "Upload history" in body
    assert page.locator(SIDEBAR_CHOICES).count() >= 3
    assert page.url.split("?")[0].endswith("/upload"), page.url
    assert "scenario=Baseline" in page.url, "the sidebar's choices went into the link"
    assert page.locator("input[type=file]").count() == 1


def test_a_presentation_link_opens_its_slide_without_controls(fresh, page):
    page.goto(f"{fresh.url}/?present=1&slide=3")
    wait_ready(page)
    _charts_ready(page)
    full_screenshot(page, "deep_link_present")
    assert_no_error(page)
    body = _main(page)
    assert "3 / 10" in body and "Demo data" in body
    assert page.locator(SIDEBAR_CHOICES).count() == 0, "no controls in the presentation view"
    assert page.get_by_role("button", name="Exit presentation").is_visible()
    assert "present=1" in page.url and "slide=3" in page.url
    page.get_by_role("button", name="Exit presentation").click()
    wait_ready(page)
    assert page.locator(SIDEBAR_CHOICES).count() >= 3
    assert "present=1" not in page.url


def test_a_presentation_link_to_a_page_opens_the_presentation(fresh, page):
    page.goto(f"{fresh.url}/effort?present=1")
    wait_ready(page)
    _charts_ready(page)
    assert_no_error(page)
    assert "1 / 10" in _main(page)  # the demo has the drill-down's three slides
    assert page.locator(SIDEBAR_CHOICES).count() == 0
    assert "present=1" in page.url


def test_the_assumptions_link_opens_without_page_not_found(fresh, page):
    """The first page file in name order was the stand-in navigation's default, whose
    address is "/": a link to /assumptions then met "Page not found"."""
    page.goto(f"{fresh.url}/assumptions")
    wait_ready(page)
    page.wait_for_timeout(1000)
    assert "Page not found" not in page.locator("body").inner_text()
    assert_no_error(page)
    assert "Assumptions" in _main(page) and "Demo data" in _main(page)
    assert page.url.split("?")[0].endswith("/assumptions"), page.url


def test_the_overview_link_opens_without_page_not_found(fresh, page):
    page.goto(f"{fresh.url}/overview")
    wait_ready(page)
    _charts_ready(page, 3)
    page.wait_for_timeout(1000)  # Streamlit's "Page not found" dialog comes after the render
    full_screenshot(page, "deep_link_overview")
    assert_no_error(page)
    assert "Page not found" not in page.locator("body").inner_text()
    assert page.locator('[role="dialog"]').count() == 0
    assert "The cost of poor customer experience" in _main(page)
    assert page.url.split("?")[0].rstrip("/").endswith(("/overview", str(fresh.port))), \
        "the overview is the default page: its address is / or /overview"


def test_a_link_to_the_first_page_file_opens_that_page(fresh, page):
    """`ensure_frame`'s navigation has a default page of its own: the alphabetically first
    page file (admin.py) is found at its own address, with no "Page not found"."""
    page.goto(f"{fresh.url}/admin")
    wait_ready(page)
    page.wait_for_timeout(500)
    assert page.get_by_text("Page not found").count() == 0
    assert "Admin: roles" in _main(page)
    assert page.url.split("?")[0].endswith("/admin"), page.url
