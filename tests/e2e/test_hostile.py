"""Hostile names in the real browser: shown as text, never as markup or script."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, App, assert_no_error, screenshot, wait_ready

SEGMENT = '<img src=x id=pwned onerror="window.pwned=1">'
SOURCE = "<script>window.pwned=2</script>**bold** [click](http://evil.example)"
SCOPE = "=HYPERLINK(\"http://evil.example\")"


@pytest.fixture
def hostile_app(tmp_path: Path) -> Iterator[App]:
    db = tmp_path / "hostile.duckdb"
    data = tmp_path / "hostile.csv"
    quoted = SEGMENT.replace('"', '""')
    data.write_text("period,segment,metric,value,unit\n"
                    f'2026Q1,"{quoted}",service_contacts,1000,count\n'
                    f'2026Q2,"{quoted}",service_contacts,1300,count\n'
                    f'2026Q2,"{quoted}",escalations,40,count\n')
    subprocess.run([sys.executable, "-m", "cxroi", "--db", str(db), "import", "metrics",
                    str(data), "--source", SOURCE, "--scope", SCOPE], cwd=ROOT, check=True,
                   capture_output=True)
    running = App(db)
    yield running
    running.stop()


@pytest.mark.parametrize("path", ["", "relative", "iceberg"])
def test_hostile_names_are_text_not_markup(hostile_app, page, path):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{hostile_app.url}/{path}")
    wait_ready(page)
    screenshot(page, f"hostile_{path or 'overview'}")
    assert_no_error(page)
    assert page.locator("#pwned").count() == 0, "an injected element exists"
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("window.pwned") is None, "injected script ran"
    assert page.locator("a[href='http://evil.example']").count() == 0
    assert dialogs == []
    # the footnote inside the chart shows the source as plain text
    footnotes = " ".join(page.locator(".js-plotly-plot .annotation-text").all_text_contents())
    assert "<script>window.pwned=2</script>**bold**" in footnotes
    assert SCOPE in footnotes


def test_the_hostile_segment_is_shown_as_its_own_text(hostile_app, page):
    page.goto(hostile_app.url)
    wait_ready(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Segment").click()
    option = page.get_by_role("option", name=SEGMENT)
    assert option.count() == 1 and option.inner_text() == SEGMENT
    option.click()
    wait_ready(page)
    assert_no_error(page)
    assert page.locator("#pwned").count() == 0
    assert page.evaluate("window.pwned") is None
