"""Controls fit a 1280 px wide screen: every option of a segmented control is wholly inside
its column and the window. Screenshots: tests/e2e/screenshots/fit_1280_*.png."""

from __future__ import annotations

from .conftest import assert_no_error, screenshot, wait_ready

INSIDE = """(label) => {
  const group = [...document.querySelectorAll('[data-testid="stButtonGroup"]')]
    .find(g => g.closest('[data-testid="stElementContainer"]').innerText.includes(label));
  const column = group.closest('[data-testid="stColumn"]') || group.parentElement;
  const edge = Math.min(column.getBoundingClientRect().right, innerWidth);
  return [...group.querySelectorAll('button')].filter(b => b.innerText.trim()).map(b => {
    const box = b.getBoundingClientRect();
    return {text: b.innerText, right: box.right, edge: edge, visible: box.width > 0};
  });
}"""


def test_every_baseline_option_shows_on_the_relative_page(app, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app.url}/relative")
    wait_ready(page)
    screenshot(page, "fit_1280_relative")
    assert_no_error(page)
    options = page.evaluate(INSIDE, "Baseline")
    assert [o["text"] for o in options] == ["Last quarter", "Normal", "Industry", "Target"]
    for option in options:
        assert option["visible"] and option["right"] <= option["edge"] + 0.5, option


def test_the_upload_page_at_1280(app, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app.url}/upload")
    wait_ready(page)
    assert_no_error(page)
    for option in page.evaluate(INSIDE, "What is in the file?"):
        assert option["visible"] and option["right"] <= option["edge"] + 0.5, option
    page.get_by_text("Upload history").scroll_into_view_if_needed()
    screenshot(page, "fit_1280_upload")


def test_the_sidebar_lists_every_page_with_none_folded_away(app, page):
    """Past a few pages Streamlit folds the rest behind "View N more": the export page and
    the access pages must stay one click away."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app.url}/upload")
    wait_ready(page)
    nav = page.locator('[data-testid="stSidebarNav"]')
    labels = nav.locator("a span[label]").evaluate_all(
        "spans => spans.map(s => s.getAttribute('label'))")
    assert {"Take it to the meeting", "Action plans", "Admin", "Audit trail"} <= \
        set(labels), labels
    assert nav.get_by_text("View", exact=False).filter(has_text="more").count() == 0
