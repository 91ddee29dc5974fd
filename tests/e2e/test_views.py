"""The executive views in a real Chromium: charts render, footnotes show, no error box.

Screenshots land in tests/e2e/screenshots/ (views_*.png); look at them.
"""

from __future__ import annotations

import pytest

from .conftest import assert_no_error, full_screenshot, wait_ready


def _charts_ready(page, at_least: int = 1) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {at_least}",
        timeout=30_000)
    page.wait_for_timeout(400)  # let Plotly finish its layout before the screenshot


def _footnote_in_a_chart(page) -> bool:
    texts = page.locator(".js-plotly-plot .annotation-text").all_text_contents()
    return any("DEMO DATA" in text and "Harborline" in text for text in texts)


@pytest.mark.parametrize(("path", "name", "charts", "title"), [
    ("", "overview", 3, "The cost of poor customer experience"),
    ("relative", "relative", 1, "Relative size"),
    ("iceberg", "iceberg", 1, "The cost iceberg"),
    ("effort", "effort", 3, "Effort split"),
])
def test_each_executive_page_renders_its_charts(app, page, path, name, charts, title):
    page.goto(f"{app.url}/{path}")
    wait_ready(page)
    _charts_ready(page, charts)
    full_screenshot(page, f"views_{name}")
    assert_no_error(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert title in body
    assert page.locator(".js-plotly-plot").count() >= charts
    assert _footnote_in_a_chart(page), "the footnote is drawn inside the figure"
    assert "Demo data" in body


def test_iceberg_snowball_melt_and_math(app, page):
    page.goto(f"{app.url}/iceberg")
    wait_ready(page)
    page.get_by_role("button", name="Snowball: how it builds").click()
    wait_ready(page)
    assert_no_error(page)
    page.get_by_role("button", name="Melt: right first time").click()
    wait_ready(page)
    assert_no_error(page)
    page.get_by_role("button", name="Show the math").click()
    wait_ready(page)
    _charts_ready(page, 4)
    full_screenshot(page, "views_iceberg_all")
    assert_no_error(page)
    assert page.locator(".js-plotly-plot").count() == 4
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "The snowball" in body and "The melt" in body and "The math" in body
    tables = page.locator('[data-testid="stTable"]')
    assert tables.count() == 2, "the math table, and revenue at risk's in its expander"
    math = tables.first.inner_text()
    assert "prospects_lost_per_detractor = 0.15 customers" in math  # as used, never 0.1
    assert "annual_revenue_per_customer * gross_margin * expected_lifetime_years" in math


def test_relative_page_keeps_its_baseline_in_the_link(app, page):
    page.goto(f"{app.url}/relative?baseline=benchmark&view=Bars")
    wait_ready(page)
    _charts_ready(page)
    full_screenshot(page, "views_relative_benchmark")
    assert_no_error(page)
    assert "baseline=benchmark" in page.url
    svg = " ".join(page.locator(".js-plotly-plot text").all_text_contents())
    assert "left out" in svg and "(no industry" in svg, \
        "measures without the baseline are counted, not drawn"
    assert "n/a" not in svg


def test_relative_circles(app, page):
    page.goto(f"{app.url}/relative?view=Circles")
    wait_ready(page)
    _charts_ready(page)
    full_screenshot(page, "views_relative_circles")
    assert_no_error(page)
    assert page.locator(".js-plotly-plot").count() == 1


def test_presentation_view_steps_through_the_pictures(app, page):
    page.goto(f"{app.url}/?present=1")
    wait_ready(page)
    _charts_ready(page)
    full_screenshot(page, "views_present_1")
    assert_no_error(page)
    assert page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() == 0
    assert page.get_by_role("button", name="Exit presentation").is_visible()
    assert _footnote_in_a_chart(page)
    for number in range(2, 11):  # the seven of "how big", then drivers, Pareto, plans
        page.get_by_role("button", name="Next").click()
        wait_ready(page)
        _charts_ready(page)
        page.wait_for_function(
            f"document.body.innerText.includes('{number} / 10')", timeout=20_000)
        wait_ready(page)
        full_screenshot(page, f"views_present_{number}")
        assert_no_error(page)
        assert _footnote_in_a_chart(page)
    page.get_by_role("button", name="Exit presentation").click()
    wait_ready(page)
    assert page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() >= 3
    assert "present=1" not in page.url
