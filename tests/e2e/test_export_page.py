"""The export page in a real browser: build the meeting deck and download it."""

from __future__ import annotations

import io

from pptx import Presentation

from .conftest import assert_no_error, full_screenshot, wait_ready


def test_the_deck_builds_and_downloads_from_the_page(app, page):
    page.goto(f"{app.url}/export")
    wait_ready(page)
    assert_no_error(page)
    # the demo's deck: how big, revenue at risk, key drivers, the vital few, the plans
    assert page.get_by_text("16 slides: the title slide").count() == 1
    groups = page.locator('[data-testid="stMultiSelect"]').first
    groups.click()
    page.keyboard.type("Operations")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_ready(page)
    assert page.get_by_text("17 slides: the title slide").count() == 1
    page.get_by_role("button", name="Build the meeting deck").click()
    download_button = page.get_by_role("button", name="Download the PowerPoint deck")
    download_button.wait_for(timeout=120_000)
    wait_ready(page)
    full_screenshot(page, "export_deck_built")
    assert_no_error(page)
    with page.expect_download() as caught:
        download_button.click()
    deck = Presentation(io.BytesIO(open(caught.value.path(), "rb").read()))
    assert len(deck.slides) == 17
    titles = [slide.shapes.title.text_frame.text for slide in deck.slides]
    assert titles[13].startswith("Operations: find the root causes of Late delivery")
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides
             if slide.has_notes_slide]
    assert any("DEMO DATA" in text for text in notes)


def test_the_scenarios_page_renders(app, page):
    page.goto(f"{app.url}/scenarios")
    wait_ready(page)
    full_screenshot(page, "scenarios_page")
    assert_no_error(page)
    assert page.locator(".js-plotly-plot").count() == 0  # one scenario: nothing to compare
    page.goto(f"{app.url}/scenarios?tab=Sensitivity+and+break-even")  # a link opens a tab
    wait_ready(page)
    full_screenshot(page, "scenarios_sensitivity")
    assert_no_error(page)
    assert page.locator(".js-plotly-plot").count() == 2  # its two tornadoes, nothing hidden
