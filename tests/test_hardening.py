"""The hardening that goes with sign-in, each held by a test: no error details, XSRF on, the
upload limit in code, secrets kept out of git, open mode served on this machine only."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

from cxroi.ingest import MAX_UPLOAD_BYTES

ROOT = Path(__file__).resolve().parents[1]


def config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_users_never_see_error_details():
    assert config()["client"]["showErrorDetails"] == "none"


def test_xsrf_protection_is_on_even_in_open_mode():
    assert config()["server"]["enableXsrfProtection"] is True


def test_the_browser_limit_is_the_code_limit():
    assert config()["server"]["maxUploadSize"] * 1_000_000 == MAX_UPLOAD_BYTES


def test_the_upload_page_enforces_the_limit_itself(app_db, monkeypatch):
    """AppTest, like a forged request, ignores server.maxUploadSize: the page checks."""
    import cxroi.ingest

    from cxroi.store import open_store
    from tests.pages.test_access import app, choose_file, plain, stored

    store = open_store(app_db)
    before = stored(store)
    monkeypatch.setattr(cxroi.ingest, "MAX_UPLOAD_BYTES", 100)
    at = choose_file(app(secrets=None, page="pages/upload.py"), "metrics_clean.csv")
    assert any("larger than the" in e and "nothing was read or stored" in e
               for e in plain(at.error))
    assert not [b for b in at.button if b.key == "upload.commit"]
    assert stored(store) == before


def test_the_secrets_file_is_ignored_by_git():
    done = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT)
    assert done.returncode == 0
    tracked = subprocess.run(["git", "ls-files", ".streamlit"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    assert ".streamlit/secrets.toml" not in tracked


def test_the_example_has_every_key_and_only_placeholders():
    from ui.access import PROVIDER_KEYS, SHARED_KEYS, _provider

    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text())
    auth = example["auth"]
    assert set(auth) == set(SHARED_KEYS + PROVIDER_KEYS)
    assert _provider(auth) == (None, "")  # complete: sign-in would be on
    for key in ("cookie_secret", "client_id", "client_secret"):
        assert auth[key].startswith("REPLACE-WITH-"), key
    assert auth["redirect_uri"].endswith("/oauth2callback")
    for value in example["cxroi"]["group_roles"].values():
        for role in [value] if isinstance(value, str) else value:
            assert role in ("executive", "cx_lead", "finance", "admin")


def test_make_run_serves_this_machine_only():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^run:.*\n\t(.+)$", makefile, re.MULTILINE).group(1)
    assert "streamlit run ui/serve.py" in recipe  # app.py, warmed (ui/serve.py)
    assert "--server.address 127.0.0.1" in recipe


def test_the_readme_says_how_to_serve_a_team():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--server.address 0.0.0.0" in readme
    assert "docs/operations.md#sign-in" in readme


def test_sign_in_is_pinned():
    runtime = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    assert any(re.match(r"Authlib==\d+\.\d+\.\d+", line) for line in runtime)
    assert any(line.startswith("oidc-provider-mock==0.3.4") for line in dev)
