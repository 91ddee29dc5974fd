"""Browser tests: a real `streamlit run` on a free port, driven by Debian's Chromium.

Each session gets its own database (seeded with the demo through the CLI), so the tests
never touch ``data/cxroi.duckdb``. Screenshots land in ``tests/e2e/screenshots/``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .server import Server
from .server import free_port as _free_port  # noqa: F401 - the sign-in tests' free port

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make test`"
    return {
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}}


class App(Server):
    """A running `streamlit run ui/serve.py` (app.py, warmed) against its own database."""

    def __init__(self, db: Path | str, log: Path | None = None) -> None:
        self.db = db  # a file, or a ``ducklake:`` target (then name the log)
        super().__init__(ROOT / "ui" / "serve.py", ROOT, {"CXROI_DB": str(db)},
                         log=log or Path(db).with_suffix(".log"))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("e2e") / "cxroi.duckdb"
    subprocess.run([sys.executable, "-m", "cxroi", "--db", str(db), "demo"], cwd=ROOT,
                   check=True, capture_output=True)
    return db


@pytest.fixture(scope="session")
def demo_report(demo_db: Path) -> dict:
    """`report --json` of the demo database, read before the app holds the file."""
    done = subprocess.run([sys.executable, "-m", "cxroi", "--db", str(demo_db), "report",
                           "--json"], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="session")
def demo_drivers(demo_db: Path) -> dict:
    """`drivers --json` of the demo's survey, read before the app holds the file."""
    done = subprocess.run([sys.executable, "-m", "cxroi", "--db", str(demo_db), "drivers",
                           "--outcome", "likelihood_to_recommend", "--json"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="session")
def app(demo_db: Path, demo_report: dict, demo_drivers: dict) -> Iterator[App]:
    """The app on the demo data, shared by the session's browser tests."""
    running = App(demo_db)
    yield running
    running.stop()


def wait_ready(page, timeout: float = 60.0) -> None:
    """Wait until Streamlit has rendered and stayed idle for a second."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        busy = page.locator('[data-testid="stStatusWidget"], [data-testid="stSkeleton"], '
                            '[data-testid="stApp"][data-test-script-state="running"]').count()
        has_content = page.locator('[data-testid="stMain"] [data-testid="stElementContainer"]').count()
        if busy == 0 and has_content:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 1.0:
                return
        else:
            quiet_since = None
        page.wait_for_timeout(150)
    raise AssertionError("the page did not finish rendering")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def full_screenshot(page, name: str) -> Path:
    """A whole-page screenshot: Streamlit scrolls inside its main area, so grow the viewport
    to the content's height first, and back after."""
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
        "[data-testid=\"stAppViewContainer\"]')].map(e => e.scrollHeight), 900)")
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(600)
    path = screenshot(page, name)
    page.set_viewport_size({"width": 1440, "height": 900})
    return path


def assert_no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, "an exception box shows"
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, "an error shows"
