"""The presentation view fits a projector: every slide, footnote included, at 1280 x 720 and
1920 x 1080 without scrolling. The demo has ratings, themes and plans, so every slide of
`ui.present.SLIDES` is shown, the drill-down's three included. Screenshots: tests/e2e/screenshots/present_*.png; the iceberg
slide's also go to docs/present-1280x720.png and docs/present-1920x1080.png."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ui.present import SLIDES

from .conftest import assert_no_error, screenshot, wait_ready

DOCS = Path(__file__).resolve().parents[2] / "docs"
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const notes = [...document.querySelectorAll('.js-plotly-plot .annotation')]
    .filter(a => a.textContent.includes('DEMO DATA'));
  return {scroll: Math.max(main.scrollHeight, document.documentElement.scrollHeight),
          view: innerHeight,
          note: notes.length ? Math.max(...notes.map(n => n.getBoundingClientRect().bottom)) : -1};
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_every_slide_fits_the_screen_without_scrolling(app, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    for number in range(1, len(SLIDES) + 1):
        page.goto(f"{app.url}/?present=1&slide={number}")
        wait_ready(page)
        page.wait_for_function(
            "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=30_000)
        page.wait_for_timeout(500)
        assert_no_error(page)
        counter = page.locator('[data-testid="stMarkdownContainer"]', has_text=" / ").first
        assert counter.inner_text().startswith(f"{number} / {len(SLIDES)}")
        assert SLIDES[number - 1][1] in counter.inner_text()
        sizes = page.evaluate(MEASURE)
        shot = screenshot(page, f"present_{width}x{height}_{number}")
        assert sizes["scroll"] <= height, f"slide {number} scrolls at {width}x{height}: {sizes}"
        assert 0 < sizes["note"] <= height, f"slide {number}'s footnote is off screen: {sizes}"
        if SLIDES[number - 1][0] == "iceberg":
            shutil.copy(shot, DOCS / f"present-{width}x{height}.png")
