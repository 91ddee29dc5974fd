"""Two app servers on one DuckLake: an upload through the browser on one shows on the
other's chart on its next load (tests/lake.py starts the PostgreSQL catalog)."""

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
from .test_upload import QUARTER


@pytest.fixture
def two_apps(new_lake, tmp_path: Path) -> Iterator[tuple[App, App, str]]:
    target = new_lake()
    subprocess.run([sys.executable, "-m", "cxroi", "--db", target, "demo"], cwd=ROOT,
                   check=True, capture_output=True)
    first = App(target, log=tmp_path / "first.log")
    try:
        second = App(target, log=tmp_path / "second.log")
    except BaseException:
        first.stop()
        raise
    yield first, second, target
    first.stop()
    second.stop()


def test_an_upload_on_one_app_server_shows_on_the_other(two_apps, page, tmp_path):
    first, second, target = two_apps
    page.goto(f"{second.url}/")  # the second server has drawn the overview before the upload
    wait_ready(page)
    assert_no_error(page)
    assert "2026Q4" not in page.locator('[data-testid="stMain"]').inner_text()

    upload = tmp_path / "q4_2026.csv"
    upload.write_text(QUARTER)
    page.goto(f"{first.url}/upload")
    wait_ready(page)
    for label, text in (("Source", "Zendesk export"), ("Scope", "All segments")):
        page.get_by_label(label, exact=True).fill(text)
        page.get_by_label(label, exact=True).press("Enter")
        wait_ready(page)
    page.locator("input[type=file]").set_input_files(str(upload))
    wait_ready(page)
    page.get_by_role("button", name="Commit upload").click()
    wait_ready(page)
    assert_no_error(page)
    after_demo = len(demo_frames()) + 1  # the demo's uploads are one per kind
    assert f"Stored upload {after_demo}: 4 metrics rows from q4_2026.csv" in \
        page.locator('[data-testid="stMain"]').inner_text()

    # while both servers run, a third process reads the lake (a file would be locked)
    report = json.loads(subprocess.run(
        [sys.executable, "-m", "cxroi", "--db", target, "report", "--json"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    latest = report["iceberg"][-1]
    assert latest["period"] == "2026Q4"

    page.goto(f"{second.url}/?period=2026Q4")
    wait_ready(page)
    screenshot(page, "lake_second_server_after_upload")
    assert_no_error(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "2026Q4" in text and money(latest["total"]) in text
    assert page.locator(".js-plotly-plot").count() > 0
