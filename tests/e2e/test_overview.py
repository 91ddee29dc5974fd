"""The overview in a real browser: the demo's headline figures show, with no error."""

from __future__ import annotations

from cxroi.format import money

from .conftest import assert_no_error, screenshot, wait_ready


def test_overview_shows_the_demo_headline_figures(app, demo_report, page):
    report = demo_report
    latest = report["iceberg"][-1]

    page.goto(app.url)
    wait_ready(page)
    screenshot(page, "overview")

    assert_no_error(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert f"Cost of poor experience, {latest['period']}" in body
    assert money(latest["total"]) in body
    assert money(report["melt"]["npv"]) in body
    assert "Demo data" in body
