"""What pages put on screen: charts, a chart's download buttons, and `guarded`, which turns
any failure into one sentence for the user and the whole traceback for the log."""

from __future__ import annotations

import logging
import re as _re
from collections.abc import Callable as _Callable
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache as _lru_cache

import pandas as pd
import streamlit as st

from cxroi import export as _export
from cxroi.format import escape_markdown
from cxroi.models import CxroiError, Footnote
from cxroi.report import Report
from ui.loaders import view_figure

log = logging.getLogger(__name__)

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
                 # the camera button: a 16:9 slide-size PNG, footnote included
                 "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900,
                                          "scale": 1, "filename": "cxroi-chart"}}


@contextmanager
def guarded(what: str) -> Iterator[None]:
    """Turn any failure into one plain message with what to do; never a traceback on screen.

    A `CxroiError` is the user's to fix and its message says how; anything else is a bug,
    logged with its traceback (``ui.widgets`` logger) while the user reads one sentence.
    """
    try:
        yield
    except CxroiError as exc:
        st.error(f"{what}: {exc}")
    except Exception as exc:  # noqa: BLE001 - the user sees a sentence, the log the details
        log.exception("%s failed", what)
        st.error(f"{what} failed ({type(exc).__name__}). Reload the page; if it persists, "
                 "check the data with `python -m cxroi report --json`.")


def chart(fig, footnote: Footnote, *, key: str | None = None, fill: bool = False) -> None:
    """A figure on screen. Its footnote is drawn inside it (`cxroi.charts.finish`), as in every
    export, so it is not repeated under it; ``footnote`` is kept for callers' symmetry.
    With ``fill`` the figure takes its container's height (the presentation view)."""
    del footnote
    st.plotly_chart(fig, width="stretch", height="stretch" if fill else "content",
                    config=PLOTLY_CONFIG, key=key, theme=None)


FEW_ROWS = 12
"""How many rows a page draws as a `static_table` before it offers the grid behind a switch."""


def static_table(rows: list[dict] | pd.DataFrame) -> None:
    """A small read-only table drawn as plain HTML, text wrapped, every text cell escaped
    (`st.table` reads markdown). In Chromium an interactive `st.dataframe` grid costs
    0.25-0.35 s of drawing on every visit to a page, more than a Plotly chart: use this for
    a page's few-row tables, and keep the grid for long ones (an upload's rows, the audit)."""
    if isinstance(rows, pd.DataFrame):
        columns = {name: rows[name].tolist() for name in rows.columns}
    else:  # a column at a time: a frame made from dicts, then mapped, cost a page ~1 ms more
        names = list(dict.fromkeys(name for row in rows for name in row))
        columns = {name: [row.get(name) for row in rows] for name in names}
    st.table(pd.DataFrame({name: [escape_markdown(v) if isinstance(v, str) else v
                                  for v in values] for name, values in columns.items()}),
             hide_index=True)


def show_chart(kind: str, *, key: str, baseline: str = "normal", fill: bool = False,
               **options: object) -> None:
    """Chart ``kind`` on screen, its footnote inside it. The chart's camera button saves a
    slide-size PNG (`PLOTLY_CONFIG`); the numbers behind it are on the export page."""
    fig, footnote = view_figure(kind, baseline=baseline, **options)
    chart(fig, footnote, key=key, fill=fill)


# Every download is deferred: Streamlit calls the function only when the button is clicked
# (on a worker thread), so a page rerun costs nothing. The PNG is cached by the figure's
# JSON, so a second click is instant; it renders on the process's one Chromium exporter.


@_lru_cache(maxsize=32)
def _png_of(fig_json: str) -> bytes:
    """A figure's slide-size PNG (1600 x 900, footnote inside), keyed by its JSON."""
    import plotly.io as pio

    return _export.figure_png(pio.from_json(fig_json, skip_invalid=True))


def _file_stem(name: str) -> str:
    return _re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "chart"


def chart_downloads(fig, report: Report, chart: str, name: str) -> None:
    """PNG, CSV and Excel download buttons for one chart, in one row.

    ``fig`` is the figure on screen (or a function returning it, built only on a click;
    none for a table); ``chart`` names the numbers behind it: a key of `cxroi.export.CHARTS`,
    which holds `cxroi.charts.CHARTS`' names (``iceberg``, ``snowball_steps``, ``loops``, ...)
    plus ``overview`` and ``assumptions``; ``name`` is the files' stem and the buttons' key,
    unique on the page. Text cells in the CSV and Excel are neutralised against formula
    injection.
    """
    stem = _file_stem(name)
    problem = _export.exporter().problem() if fig is not None else None
    png, csv, xlsx = st.columns(3)
    if fig is not None:
        build: _Callable[[], object] = fig if callable(fig) else (lambda: fig)
        png.download_button(
            "PNG", data=lambda: _png_of(build().to_json()), file_name=f"{stem}.png",
            mime="image/png", icon=":material/image:", on_click="ignore",
            disabled=problem is not None, key=f"download.{stem}.png", width="stretch",
            help=problem or "The chart at slide size (1600 x 900), footnote included.")
    csv.download_button(
        "CSV", data=lambda: _export.to_csv_bytes(_export.chart_frame(report, chart)),
        file_name=f"{stem}.csv", mime="text/csv", icon=":material/table_view:",
        on_click="ignore", key=f"download.{stem}.csv", width="stretch",
        help="The numbers behind the chart (UTF-8, opens in Excel).")
    xlsx.download_button(
        "Excel", data=lambda: _export.to_xlsx_bytes(
            _export.chart_frame(report, chart), sheet=chart,
            footnote=_export.chart_footnote(report, chart)),
        file_name=f"{stem}.xlsx", icon=":material/grid_on:", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"download.{stem}.xlsx", width="stretch",
        help="The numbers behind the chart, with its footnote on a second sheet.")
