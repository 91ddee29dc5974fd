"""Upload a quarter through the real browser, then see its numbers on a chart page."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxroi.demo import demo_frames
from cxroi.format import money

from .conftest import ROOT, App, assert_no_error, screenshot, wait_ready

QUARTER = """period,segment,metric,value,unit
2026Q4,Retail,service_contacts,"30,000",count
2026Q4,Retail,customers_lost,900,count
2026Q4,Online,service_contacts,"21,000",count
2026Q4,Business,escalations,410,count
"""


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[App]:
    """An app of its own: this test changes the data."""
    db = tmp_path / "upload.duckdb"
    subprocess.run([sys.executable, "-m", "cxroi", "--db", str(db), "demo"], cwd=ROOT,
                   check=True, capture_output=True)
    running = App(db)
    yield running
    running.stop()


def test_an_uploaded_quarter_shows_on_the_overview(fresh_app, page, tmp_path):
    upload = tmp_path / "q4_2026.csv"
    upload.write_text(QUARTER)
    page.goto(f"{fresh_app.url}/upload")
    wait_ready(page)
    for label, text in (("Source", "Zendesk export"), ("Scope", "All segments")):
        page.get_by_label(label, exact=True).fill(text)
        page.get_by_label(label, exact=True).press("Enter")  # a text input takes Enter
        wait_ready(page)
    page.locator("input[type=file]").set_input_files(str(upload))
    wait_ready(page)
    page.get_by_role("button", name="Commit upload").click()
    wait_ready(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    screenshot(page, "upload_committed")
    assert_no_error(page)
    after_demo = len(demo_frames()) + 1     # the demo's uploads are one per kind
    assert f"Stored upload {after_demo}: 4 metrics rows from q4_2026.csv" in body

    fresh_app.stop()  # the CLI needs the file: read the expected figure, then restart
    report = json.loads(subprocess.run(
        [sys.executable, "-m", "cxroi", "--db", str(fresh_app.db), "report", "--json"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    latest = report["iceberg"][-1]
    assert latest["period"] == "2026Q4"
    restarted = App(fresh_app.db)
    try:
        page.goto(f"{restarted.url}/?period=2026Q4")
        wait_ready(page)
        screenshot(page, "upload_overview_after")
        assert_no_error(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "2026Q4" in text and money(latest["total"]) in text
    finally:
        restarted.stop()
