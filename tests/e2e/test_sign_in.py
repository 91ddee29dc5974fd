"""A real sign-in in Chromium: a local OpenID Connect provider (``oidc-provider-mock``, started
here on 127.0.0.1), ``streamlit run`` with an ``[auth]`` secrets file the fixture writes in a
temporary folder (``--secrets.files``; nothing is written in the repository), and the
browser at exactly the redirect URI's host (``localhost``).

A cx_lead signs in through the provider's form, sees their email and role, uploads a quarter,
signs out; an executive signs in and finds the upload page read-only (no rollback). The
client secret and the cookie secret never appear on a page or in the server's log. If the
provider cannot start, the test fails: nothing here is skipped.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, _free_port, assert_no_error, screenshot, wait_ready

SAMPLE = ROOT / "tests" / "data" / "samples" / "metrics_clean.csv"
CLIENT_SECRET = "e2e-client-" + secrets.token_hex(16)
COOKIE_SECRET = "e2e-cookie-" + secrets.token_hex(24)
USERS = [{"sub": "lead@example.com", "email": "lead@example.com", "groups": ["cx-team"]},
         {"sub": "exec@example.com", "email": "exec@example.com", "groups": []}]


def _wait_for(url: str, what: str, process: subprocess.Popen, log: Path,
              timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}: "
                               f"{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer {url} within {timeout:.0f} s; see {log}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oidc-provider-mock`` on a free port of 127.0.0.1: its discovery document's URL."""
    folder = tmp_path_factory.mktemp("oidc")
    port = _free_port()
    log = folder / "provider.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port",
             str(port), *[arg for user in USERS for arg in ("--user-claims", json.dumps(user))]],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"})
    metadata = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    try:
        _wait_for(metadata, "oidc-provider-mock", process, log)
        yield metadata
    finally:
        _stop(process)


class SignedApp:
    """``streamlit run app.py`` with sign-in on, browsed at http://localhost:PORT."""

    def __init__(self, folder: Path, metadata: str) -> None:
        self.port = _free_port()
        self.url = f"http://localhost:{self.port}"
        self.db = folder / "cxroi.duckdb"
        cli = [sys.executable, "-m", "cxroi", "--db", str(self.db)]
        subprocess.run([*cli, "demo"], cwd=ROOT, check=True, capture_output=True)
        subprocess.run([*cli, "role", "grant", "exec@example.com", "executive", "--by", "e2e"],
                       cwd=ROOT, check=True, capture_output=True)
        self.secrets = folder / "secrets.toml"
        self.secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "{self.url}/oauth2callback"\n'
            f'cookie_secret = "{COOKIE_SECRET}"\n'
            'client_id = "cxroi-e2e"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{metadata}"\n'
            "[cxroi.group_roles]\n"
            '"cx-team" = "cx_lead"\n', encoding="utf-8")
        self.log = folder / "streamlit.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                 "--server.port", str(self.port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", "--server.fileWatcherType", "none",
                 "--browser.gatherUsageStats", "false", "--secrets.files", str(self.secrets),
                 "--logger.level", "debug"],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                env={**os.environ, "CXROI_DB": str(self.db), "PYTHONUNBUFFERED": "1"})
        try:
            _wait_for(f"{self.url}/_stcore/health", "streamlit", self.process, self.log)
        except BaseException:
            _stop(self.process)
            raise

    def stop(self) -> None:
        _stop(self.process)


@pytest.fixture(scope="module")
def signed_app(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignedApp]:
    running = SignedApp(tmp_path_factory.mktemp("signed"), provider)
    try:
        yield running
    finally:
        running.stop()
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()


def sidebar_text(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def sign_in(page, app: SignedApp, email: str) -> None:
    page.goto(app.url)
    wait_ready(page)
    assert "Sign in with your company account" in page.inner_text('[data-testid="stMain"]')
    no_secret_in(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('input[name="sub"]', timeout=30_000)  # the provider's form
    page.fill('input[name="sub"]', email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app.url}/**", timeout=30_000)
    wait_ready(page)
    page.wait_for_function(
        "e => document.querySelector('[data-testid=\"stSidebar\"]')?.innerText.includes(e)",
        arg=email, timeout=30_000)


def sign_out(page, app: SignedApp) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    end = page.get_by_role("button", name="End session")  # the provider's own page
    start = time.monotonic()
    while time.monotonic() - start < 30:
        if page.url.startswith(app.url) and page.get_by_role("button", name="Sign in").count():
            return
        if end.count():
            end.click()
        page.wait_for_timeout(250)
    page.goto(app.url)
    wait_ready(page)
    assert page.get_by_role("button", name="Sign in").count() == 1, "still signed in"


def no_secret_in(page) -> None:
    html = page.content()
    assert CLIENT_SECRET not in html and COOKIE_SECRET not in html


def test_sign_in_upload_sign_out_then_an_executive_cannot_roll_back(page, signed_app):
    app = signed_app
    page.set_default_timeout(30_000)
    sign_in(page, app, "lead@example.com")
    side = sidebar_text(page)
    assert "Signed in as" in side and "lead@example.com" in side and "Roles: cx_lead" in side
    assert "Open mode" not in side
    assert_no_error(page)
    no_secret_in(page)
    screenshot(page, "sign_in_cx_lead")

    page.goto(f"{app.url}/upload")
    wait_ready(page)
    assert page.get_by_label("Uploaded by", exact=True).count() == 0  # the email is the author
    for label, text in (("Source", "Zendesk export"), ("Scope", "Retail and Business")):
        page.get_by_label(label, exact=True).fill(text)
        page.get_by_label(label, exact=True).press("Enter")  # a text input takes Enter
        wait_ready(page)
    page.locator("input[type=file]").set_input_files(str(SAMPLE))
    page.get_by_text("nothing is stored yet").wait_for(timeout=60_000)
    wait_ready(page)
    page.get_by_role("button", name="Commit upload").click()
    page.get_by_text("Stored upload").wait_for(timeout=60_000)
    no_secret_in(page)
    sign_out(page, app)
    no_secret_in(page)

    sign_in(page, app, "exec@example.com")
    assert "Roles: executive" in sidebar_text(page)
    page.goto(f"{app.url}/upload")
    wait_ready(page)
    main = page.inner_text('[data-testid="stMain"]')
    assert "Read only: your role (executive) may not upload a quarter" in main
    rollback = page.get_by_role("button", name="Roll back upload")
    assert rollback.count() == 1 and rollback.is_disabled()
    assert page.locator("input[type=file]").is_disabled()
    no_secret_in(page)
    screenshot(page, "sign_in_executive_upload")
    sign_out(page, app)

    app.stop()  # the log is complete, and the database free for the command line
    log = app.log.read_text(errors="replace")
    assert CLIENT_SECRET not in log and COOKIE_SECRET not in log
    uploads = json.loads(subprocess.run(
        [sys.executable, "-m", "cxroi", "--db", str(app.db), "uploads", "--json"], cwd=ROOT,
        check=True, capture_output=True, text=True).stdout)
    assert (uploads[0]["file"], uploads[0]["uploaded_by"], uploads[0]["status"]) == (
        "metrics_clean.csv", "lead@example.com", "active")
    audit = json.loads(subprocess.run(
        [sys.executable, "-m", "cxroi", "--db", str(app.db), "audit", "--json"], cwd=ROOT,
        check=True, capture_output=True, text=True).stdout)
    assert [(e["who"], e["action"]) for e in audit[-1:]] == [("lead@example.com", "upload")]
