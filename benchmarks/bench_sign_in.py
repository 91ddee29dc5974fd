"""What sign-in costs a page rerun: the same page, signed in with a role, against open mode.

The overview (and the upload page, which checks the role for its writes) is run through
AppTest twice in one process on the demo data: once in open mode (no ``[auth]``), once with
``[auth]`` in the secrets and a signed-in admin (``at.user``); both with one shared
ScriptCache as on a server (see bench_pages.py). Each signed-in rerun after a widget change
(the sidebar's period) is paired with an open-mode rerun of the same change, the two taking
turns to go first (the second of a pair finds caches the first has warmed, a bigger effect
than sign-in's). One JSON line per page:

    {"benchmark": "sign_in_rerun", "page": ..., "seconds": ..., "baseline_seconds": ...,
     "ratio": ..., "target": 1.05}

``ratio`` is the median of the pairs' ratios (`benchmarks.timing`, like every benchmark). Run:
``.venv/bin/python benchmarks/bench_sign_in.py`` (``BENCH_REPEATS`` narrows a run).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_pages import (  # noqa: E402
    _change_period,
    _navigation_only,
    _rerun,
    _share_the_script_cache,
)
from benchmarks.timing import emit, line, paired  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "100"))
WARM = 4
TARGET = 1.05
PAGES = ("overview", "upload")
SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
                    "cookie_secret": "bench-cookie-secret", "client_id": "bench",
                    "client_secret": "bench-client-secret",
                    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
           "cxroi": {"group_roles": {"cx-team": "cx_lead"}}}
USER = {"is_logged_in": True, "email": "boss@example.com", "groups": ["cx-team"]}


def main() -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from cxroi.demo import load_demo
    from cxroi.store import forget_store, open_store
    from ui.loaders import clear_caches

    _navigation_only()
    _share_the_script_cache()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        store = open_store(db)
        load_demo(store)
        store.grant(USER["email"], "admin", by="bench")
        os.environ["CXROI_DB"] = str(db)
        st.cache_data.clear()
        clear_caches()
        periods = list(store.dataset("All").periods)[-2:]
        for name in PAGES:
            runs = {}
            for mode in ("open", "signed_in"):
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
                if mode == "signed_in":
                    at.secrets = {key: dict(value) for key, value in SECRETS.items()}
                    at.user = dict(USER)
                at.run()
                if name != "overview":
                    at.switch_page(f"pages/{name}.py").run()
                runs[mode] = at
            timed = paired(  # the two take turns at going first
                lambda i, runs=runs: _rerun(runs["signed_in"], _change_period, periods, i),
                lambda i, runs=runs: _rerun(runs["open"], _change_period, periods, i),
                repeats=REPEATS, warm=WARM, alternate=True)
            emit(line("sign_in_rerun", name, timed, TARGET))
        st.cache_data.clear()
        clear_caches()
        forget_store(db)


if __name__ == "__main__":
    main()
