"""The server: ``streamlit run ui/serve.py`` serves ``app.py``, warmed before the first visitor.

A fresh server answers its health check at once; a background thread then imports the
package, opens the store and builds the default report and the overview's charts, so the
first person to open the dashboard does not wait for them, and one who comes sooner waits
for the warm-up rather than building them a second time beside it (`ui.warming`).
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the frame imports ``ui`` and ``cxroi`` from the project root
    sys.path.insert(0, str(ROOT))

from ui import warming  # noqa: E402  (the standard library only: the health check never waits)

_log = logging.getLogger("ui.serve")

_WARM_IMPORTS = ("ui.present", "ui.widgets", "ui.editing", "cxroi.export", "cxroi.ingest")
"""What the pages import beyond the loaders (the deck's and the upload's packages included)."""



def warm() -> None:
    """Import what every page imports, open the store and build the default report.

    The caches it fills are the process's own (`ui.loaders`), so the first visitor finds
    them; a failure here only means the first visitor does the work, so it is logged."""
    try:
        from cxroi.models import ALL
        from ui import loaders
        from ui.state import OVERVIEW_PICTURES, first_period

        for module in _WARM_IMPORTS:
            importlib.import_module(module)

        store = loaders.get_store()
        version = store.data_version()
        baseline = loaders.load_scenarios(version)[0]
        latest = first_period(loaders.dataset_at(version, ALL).periods)
        loaders.report_at(version, ALL, loaders.scenario_key(baseline), latest, "normal",
                          baseline)
        for kind, _ in OVERVIEW_PICTURES:  # the first page's pictures, as `show_chart` asks
            loaders.figure_for(kind, version, ALL, baseline, latest, compact=True)
        _log.info("warm: the store, the default report and the overview's charts are ready")
    except Exception:  # never let warming stop the server
        _log.exception("warming the server failed; the first visitor will do it")
    finally:
        warming.done()


@asynccontextmanager
async def _warm_on_start(_app):
    warming.begin()
    threading.Thread(target=warm, name="cxroi-warm", daemon=True).start()
    yield


app = st.App(str(ROOT / "app.py"), lifespan=_warm_on_start)
