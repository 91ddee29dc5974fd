"""The overview in a real browser: the demo's headline figures show, with no error."""

from __future__ import annotations

import json
import subprocess
import sys

from cxroi.format import money

from .conftest import ROOT, assert_no_error, screenshot, wait_ready


def test_overview_shows_the_demo_headline_figures(app, page):
    report = json.loads(subprocess.run(
        [sys.executable, "-m", "cxroi", "--db", str(app.db), "report", "--json"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
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
