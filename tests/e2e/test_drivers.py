"""The Drivers page in a real browser: the demo's key drivers, at a laptop's and a large
screen's size, with the charts drawn, no error, and a switch of segment that redraws."""

from __future__ import annotations

import pytest

from .conftest import assert_no_error, full_screenshot, screenshot, wait_ready


@pytest.mark.parametrize("width, height", [(1280, 720), (1600, 1000)])
def test_the_drivers_page_shows_the_demo_drivers(app, demo_drivers, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app.url}/drivers")
    wait_ready(page)
    screenshot(page, f"drivers_{width}x{height}")
    assert_no_error(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    assert page.locator(".js-plotly-plot").count() == 2   # the bars and the matrix
    body = page.locator('[data-testid="stMain"]').inner_text()
    top = demo_drivers["drivers"][0]
    assert "Key drivers" in body and "Leading indicators" in body   # the control's label
    assert top["item"].replace("_", " ").capitalize() in page.locator(".js-plotly-plot").first \
        .inner_text()
    page.get_by_role("button", name="Leading indicators").click()   # drawn when asked
    wait_ready(page)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 3",
                           timeout=30_000)
    assert_no_error(page)
    assert page.locator('[data-testid="stHeading"]', has_text="Leading indicators").count() == 1
    assert "more=leading" in page.url
    full_screenshot(page, f"drivers_full_{width}")


def test_switching_the_segment_redraws_and_keeps_it_in_the_url(app, page):
    page.goto(f"{app.url}/drivers")
    wait_ready(page)
    page.get_by_label("Respondents").click()          # the select box of the respondents
    page.get_by_role("option", name="Business").click()
    wait_ready(page)
    assert_no_error(page)
    assert "respondents=Business" in page.url
    assert "Business:" in page.locator(".js-plotly-plot").first.inner_text()
