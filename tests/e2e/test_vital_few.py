"""The Vital few and Action plans pages in a real browser, at a laptop's and a large screen's
size; the page switch timed. Screenshots land in tests/e2e/screenshots/ (vital_few_*.png)."""

from __future__ import annotations

import time

import pytest

from .conftest import assert_no_error, screenshot, wait_ready


def _charts(page, at_least: int) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {at_least}",
        timeout=30_000)


@pytest.mark.parametrize("width, height", [(1280, 720), (1600, 1000)])
def test_vital_few_and_plans_render(app, page, demo_report, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app.url}/vital_few")
    wait_ready(page)
    _charts(page, 1)
    assert_no_error(page)
    themes = demo_report["themes"]
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert f"is explained by {len(themes['items'])} themes." in body
    assert "Not explained by any theme" in body
    screenshot(page, f"vital_few_{width}x{height}")
    started = time.monotonic()
    page.goto(f"{app.url}/plans")
    wait_ready(page)
    _charts(page, 1)
    switch = time.monotonic() - started
    assert_no_error(page)
    assert "1 overdue" in page.locator('[data-testid="stMain"]').inner_text()
    screenshot(page, f"plans_{width}x{height}")
    assert switch < 10
