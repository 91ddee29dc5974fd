"""Take it to the meeting: chart PNGs, the PowerPoint and PDF deck, and the data downloads.

Every picture is the app's own figure (`cxroi.charts`, same template, footnote inside),
rendered by kaleido with Debian's Chromium on the process's one `ChartExporter`. The deck
is a list of format-neutral `DeckSlide` objects (`deck_slides`), written as a 16:9
PowerPoint (plain bars as native, editable charts; the iceberg and the rest as pictures;
the footnote on every slide and in its speaker notes) or as a PDF with the same content.

==========================  ==============================================================
name                        what it gives
==========================  ==============================================================
`CHARTS`                    every exportable chart by name (`cxroi.charts.CHARTS`' names,
                            plus ``overview`` and ``assumptions``): figure and numbers
`chart_figure`              a chart's `go.Figure` for a `Report`
`chart_frame`               the numbers behind a chart, as a pandas DataFrame
`chart_footnote`            the footnote a chart carries, as plain text
`neutralise`                text cells made inert for spreadsheets (formula injection)
`to_csv_bytes`              a frame as UTF-8 CSV (with BOM, for Excel), neutralised
`to_xlsx_bytes`             a frame as an .xlsx workbook, neutralised
`ChartExporter`             one warm Chromium behind a lock: `png(fig)` -> bytes
`exporter`                  the process's one `ChartExporter` (stopped at exit)
`figure_png`                a figure as a PNG at slide size (1600 x 900)
`chromium_problem`          why chart images cannot be made here, or none
`deck_slides`               the deck's slides: title, overview, pictures, assumptions
`slide_spec`                a figure for a slide: title and footnote left to the slide
`build_deck`                the deck as .pptx or .pdf bytes, with a progress callback
`export_deck`               the deck written to ``OUT.pptx`` or ``OUT.pdf``
==========================  ==============================================================

Rendering goes through one exporter per process because kaleido's shared server is not
thread-safe (images come back to the wrong caller). Its sync server also waits forever when
the browser fails to start, so the exporter runs kaleido on its own event-loop thread,
where every call has a timeout and every failure becomes one `CxroiError`.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import html
import io
import math
import os
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure

from cxroi import charts, roi
from cxroi.format import money, multiple, percent
from cxroi.models import ALL, TIER_NAMES, CxroiError, assumption_info
from cxroi.report import BASELINE_LABELS, Report
from cxroi.whatif import show as show_assumption

__all__ = [
    "CHROMIUM",
    "SLIDE_PX",
    "CHARTS",
    "ChartSpec",
    "chart_figure",
    "chart_frame",
    "chart_footnote",
    "neutralise",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "ChartExporter",
    "exporter",
    "figure_png",
    "chromium_problem",
    "NativeChart",
    "DeckSlide",
    "deck_slides",
    "slide_spec",
    "build_deck",
    "export_deck",
    "Progress",
]

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium, which kaleido drives (``$BROWSER_PATH`` overrides it)."""
SLIDE_PX = (1600, 900)
"""A chart PNG's size: 16:9, slide size at scale 1."""
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

Progress = Callable[[float, str], None]
"""``progress(done, message)``: ``done`` from 0 to 1, ``message`` says what is happening."""


# --- the numbers behind each chart -----------------------------------------------------------


def _berg(report: Report) -> roi.Iceberg | None:
    """The iceberg the charts show: the report's chosen period, else the latest."""
    return report.iceberg_for(report.relative.period)


def _effort_period(report: Report) -> str | None:
    periods = sorted({split.period for split in report.effort})
    if not periods:
        return None
    return report.relative.period if report.relative.period in periods else periods[-1]


def _effort_splits(report: Report) -> list[roi.EffortSplit]:
    period = _effort_period(report)
    return [split for split in report.effort if split.period == period]


def _company_split(report: Report) -> roi.EffortSplit | None:
    return next((s for s in _effort_splits(report) if s.department == ALL), None)


def _overview_rows(report: Report) -> list[tuple[str, float | None, str]]:
    berg, melt = _berg(report), report.melt
    if berg is None:
        return []
    return [
        (f"Cost of poor experience, {berg.period}", berg.total, "money"),
        ("Visible tip (finance sees it)", berg.visible, "money"),
        ("Hidden below the waterline", berg.hidden, "money"),
        ("Hidden as a multiple of the tip", berg.hidden_multiple, "multiple"),
        (f"Last {len(melt.periods)} quarters, annualised", melt.annual_cost, "money"),
        ("Prevention NPV", melt.npv, "money"),
        ("Prevention ROI", melt.roi, "ratio"),
        ("Payback", melt.payback_months, "months"),
    ]


def _overview_frame(report: Report) -> pd.DataFrame:
    rows = [{"segment": report.segment, "measure": label, "value": value, "unit": unit}
            for label, value, unit in _overview_rows(report)]
    return pd.DataFrame(rows, columns=["segment", "measure", "value", "unit"])


def _iceberg_frame(report: Report) -> pd.DataFrame:
    berg = _berg(report)
    columns = ["period", "segment", "line", "label", "layer", "amount", "share", "formula",
               "status"]
    if berg is None:
        return pd.DataFrame(columns=columns)
    rows = [{"period": berg.period, "segment": berg.segment, "line": line.key,
             "label": line.label, "layer": line.layer, "amount": line.amount,
             "share": line.amount / berg.total if berg.total else None,
             "formula": line.formula, "status": "counted"} for line in berg.lines]
    specs = {spec.key: spec for spec in roi.ICEBERG_LINES}
    rows += [{"period": berg.period, "segment": berg.segment, "line": key,
              "label": specs[key].label, "layer": specs[key].layer, "amount": None,
              "share": None, "formula": specs[key].formula,
              "status": f"missing: no {specs[key].metric} figure"} for key in berg.missing]
    return pd.DataFrame(rows, columns=columns).astype({"amount": "float64", "share": "float64"})


def _snowball_frame(report: Report) -> pd.DataFrame:
    berg = report.latest_iceberg
    rows = [{"period": berg.period if berg else None, "segment": report.segment, "step": i,
             "line": step.key, "label": step.label, "layer": step.layer,
             "amount": step.amount, "cumulative": step.cumulative}
            for i, step in enumerate(report.snowball.steps, start=1)]
    return pd.DataFrame(rows, columns=["period", "segment", "step", "line", "label", "layer",
                                       "amount", "cumulative"])


def _quarters_frame(report: Report) -> pd.DataFrame:
    ball = report.snowball
    rows = [{"period": p.period, "segment": report.segment, "amount": p.amount,
             "cumulative": p.cumulative, "projected": p.projected}
            for p in (*ball.running, *ball.projection)]
    return pd.DataFrame(rows, columns=["period", "segment", "amount", "cumulative",
                                       "projected"])


def _melt_frame(report: Report) -> pd.DataFrame:
    melt, berg = report.melt, _berg(report)
    span = (f"{melt.periods[0]} to {melt.periods[-1]}" if len(melt.periods) > 1
            else "".join(melt.periods))
    rows: list[tuple[str, float | None, str]] = [
        (f"Annual cost of poor experience ({span})", melt.annual_cost, "money/year"),
        ("Yearly benefit of prevention (risk-adjusted)", melt.yearly_benefit, "money/year"),
        ("Remaining annual cost after prevention", melt.remaining_annual_cost, "money/year"),
        ("Prevention investment (year 0)", melt.investment, "money"),
        ("Prevention running cost", melt.running_cost, "money/year"),
        ("Discount rate", melt.discount_rate, "ratio"),
        ("Horizon", float(melt.horizon_years), "years"),
        ("Present value of benefits", melt.pv_benefits, "money"),
        ("Present value of costs", melt.pv_costs, "money"),
        ("NPV", melt.npv, "money"),
        ("ROI", melt.roi, "ratio"),
        ("Payback", melt.payback_months, "months"),
    ]
    rows += [(f"Net cash flow, year {year}", flow, "money")
             for year, flow in enumerate(melt.cash_flows)]
    if berg is not None:
        after = roi.melted(berg, report.scenario.assumptions)
        for today, later in zip(berg.lines, after.lines, strict=True):
            rows.append((f"{berg.period} today: {today.label}", today.amount, "money"))
            rows.append((f"{berg.period} right first time: {later.label}", later.amount,
                         "money"))
    return pd.DataFrame(
        [{"segment": report.segment, "item": item, "value": value, "unit": unit}
         for item, value, unit in rows],
        columns=["segment", "item", "value", "unit"]).astype({"value": "float64"})


def _relative_frame(report: Report) -> pd.DataFrame:
    view = report.relative
    rows = [{"period": view.period, "segment": view.segment, "baseline_kind": view.baseline,
             "metric": bar.metric, "label": charts.metric_label(bar.metric), "unit": bar.unit,
             "value": bar.value, "baseline": bar.baseline, "delta": bar.delta,
             "relative": bar.relative, "worse": bar.worse} for bar in view.bars]
    columns = ["period", "segment", "baseline_kind", "metric", "label", "unit", "value",
               "baseline", "delta", "relative", "worse"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"value": "float64", "baseline": "float64", "delta": "float64", "relative": "float64"})


def _effort_frame(report: Report) -> pd.DataFrame:
    rows = []
    for split in report.effort:
        row: dict[str, object] = {"period": split.period, "department": split.department}
        row.update({f"{tier.lower()}_hours": split.hours.get(tier, 0.0) for tier in TIER_NAMES})
        row.update({f"{tier.lower()}_share": split.shares.get(tier, 0.0)
                    for tier in TIER_NAMES})
        row.update({"el_gap_hours": split.el_gap_hours, "inner_hours": split.inner_hours,
                    "outer_hours": split.outer_hours,
                    "outer_loop_share": split.outer_loop_share})
        rows.append(row)
    columns = ["period", "department", *(f"{t.lower()}_hours" for t in TIER_NAMES),
               *(f"{t.lower()}_share" for t in TIER_NAMES), "el_gap_hours", "inner_hours",
               "outer_hours", "outer_loop_share"]
    return pd.DataFrame(rows, columns=columns).astype({"outer_loop_share": "float64"})


def _assumptions_frame(report: Report) -> pd.DataFrame:
    chosen = report.scenario.assumptions
    rows = [{"scenario": report.scenario.label, "key": info.key, "label": info.label,
             "value": float(getattr(chosen, info.key)), "unit": info.unit,
             "shown": show_assumption(info, getattr(chosen, info.key)), "note": info.note}
            for info in assumption_info()]
    return pd.DataFrame(rows, columns=["scenario", "key", "label", "value", "unit", "shown",
                                       "note"])


def _drawn(kind: str) -> Callable[[Report], go.Figure]:
    """The app's own figure ``kind`` (a key of `cxroi.charts.CHARTS`) for a report: the
    iceberg charts for the report's period, the effort charts for its effort period."""
    def build(report: Report) -> go.Figure:
        period = (_effort_period(report) if charts.CHARTS[kind] == "effort"
                  else report.relative.period)
        return charts.chart_for(report, kind, period=period)[0]

    return build


@dataclass(frozen=True)
class ChartSpec:
    """One exportable chart: its display name, figure builder and the numbers behind it."""

    name: str
    label: str
    figure: Callable[[Report], go.Figure] | None
    frame: Callable[[Report], pd.DataFrame]
    footnote: str | None = "iceberg"
    """The `Report.footnote` kind the chart carries (none for the assumptions table)."""


def _charted(name: str, label: str, frame: Callable[[Report], pd.DataFrame]) -> ChartSpec:
    return ChartSpec(name, label, _drawn(name), frame, charts.CHARTS[name])


CHARTS: dict[str, ChartSpec] = {spec.name: spec for spec in (
    ChartSpec("overview", "Overview: the headline numbers", None, _overview_frame),
    _charted("relative", "Relative size", _relative_frame),
    _charted("relative_circles", "Relative size as circles", _relative_frame),
    _charted("iceberg", "Cost iceberg", _iceberg_frame),
    _charted("snowball_steps", "Snowball: line by line", _snowball_frame),
    _charted("snowball_quarters", "Snowball: quarter by quarter", _quarters_frame),
    _charted("melt", "Melt: right first time", _melt_frame),
    _charted("effort", "Effort split", _effort_frame),
    _charted("loops", "Inner and outer loop", _effort_frame),
    _charted("effort_trend", "Effort over the quarters", _effort_frame),
    ChartSpec("assumptions", "Assumptions", None, _assumptions_frame, None),
)}
"""Every exportable chart, by name, in the order the export page lists them."""


def _spec(chart: str) -> ChartSpec:
    try:
        return CHARTS[chart]
    except KeyError:
        raise CxroiError(f"There is no chart {chart!r}; the charts are "
                         f"{', '.join(CHARTS)}.") from None


def chart_figure(report: Report, chart: str) -> go.Figure:
    """The figure of ``chart`` (a name in `CHARTS`), exactly as the app draws it."""
    spec = _spec(chart)
    if spec.figure is None:
        raise CxroiError(f"The {spec.label.lower()} is a table, not a picture.")
    return spec.figure(report)


def chart_footnote(report: Report, chart: str) -> str:
    """The footnote text ``chart`` carries (for the assumptions: the scenario used)."""
    spec = _spec(chart)
    if spec.footnote is None:
        return f"Scenario: {report.scenario.label}."
    return report.footnote(spec.footnote).text()


def chart_frame(report: Report, chart: str) -> pd.DataFrame:
    """The numbers behind ``chart`` (a name in `CHARTS`), one row per bar, line or item.

    Money is in the data's currency, ratios are decimals (0.20 = 20%); missing values are
    empty, never zero. Hand it to `to_csv_bytes` or `to_xlsx_bytes`, which neutralise it.
    """
    return _spec(chart).frame(report)


# --- spreadsheets that cannot run formulas ---------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    A text cell (or column name) starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a leading ``'``; numbers, booleans and empty cells are untouched.

    >>> neutralise(pd.DataFrame({"segment": ["=1+1", "Retail"], "value": [-5.0, 2.0]}))
      segment  value
    0   '=1+1   -5.0
    1  Retail    2.0
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            out[column] = series.map(_inert).astype(series.dtype)
    out.columns = [_inert(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV in UTF-8 with a byte-order mark (Excel reads it right), neutralised."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "data",
                  footnote: str | None = None) -> bytes:
    """``frame`` as an .xlsx workbook (one sheet), neutralised; the footnote on a second sheet.

    Every cell is written with its type set explicitly, so no text becomes a formula even
    where openpyxl would read a leading ``=`` as one.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    safe = neutralise(frame)
    book = Workbook()
    data = book.active
    data.title = _sheet_name(sheet)
    data.append([str(c) for c in safe.columns])
    for row in safe.itertuples(index=False):
        data.append([_cell(v) for v in row])
    for row in data.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
    for index, column in enumerate(safe.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in safe[column].head(200)])
        data.column_dimensions[data.cell(1, index).column_letter].width = min(60, width + 2)
    data.freeze_panes = "A2"
    if footnote:
        about = book.create_sheet("about")
        about.append(["Footnote"])
        about.append([str(_inert(footnote))])
        about["A2"].data_type = TYPE_STRING
        about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "data"
    return cleaned[:31]


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return None
    return value


# --- rendering: one warm Chromium per process, behind a lock --------------------------------


def _browser_path() -> str:
    return os.environ.get("BROWSER_PATH") or CHROMIUM


def chromium_problem(browser: str | None = None) -> str | None:
    """Why chart images cannot be made on this machine (a sentence), or none when they can.

    Cheap: it looks for the browser; a browser that is there but fails is reported by the
    render itself, and `ChartExporter.problem` remembers it for a while.
    """
    path = browser or _browser_path()
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        return (f"Chart images need Chromium at {path}: it is not installed (on Debian: "
                "apt-get install chromium fonts-dejavu-core). Everything else works.")
    return None


class ChartExporter:
    """A kaleido renderer on its own event-loop thread: one browser, one render at a time.

    The browser starts on the first `png` (about 4 s) and stays warm (a few tenths of a
    second per image); `close` stops it, and the process's exporter closes at exit. A
    failure to start is remembered for ``retry_after`` seconds, so a page that asks again
    does not wait for a broken browser each time.
    """

    def __init__(self, browser: str | None = None, *, timeout: float = 60.0,
                 retry_after: float = 30.0) -> None:
        self.browser = browser or _browser_path()
        self.timeout = timeout
        self.retry_after = retry_after
        self.renders = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._failure: tuple[float, str] | None = None

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def problem(self) -> str | None:
        """The last failure's message while it is remembered, else `chromium_problem`."""
        if self._failure and time.monotonic() - self._failure[0] < self.retry_after:
            return self._failure[1]
        return chromium_problem(self.browser)

    def png(self, fig: go.Figure | dict[str, Any], *, width: int = SLIDE_PX[0],
            height: int = SLIDE_PX[1], scale: float = 1.0) -> bytes:
        """``fig`` as PNG bytes, ``width`` x ``height`` layout pixels times ``scale``."""
        spec = fig.to_dict() if isinstance(fig, BaseFigure) else fig
        opts = {"format": "png", "width": int(width), "height": int(height),
                "scale": float(scale)}
        with self._lock:
            self._start()
            try:
                image = self._call(self._kaleido.calc_fig(spec, opts=opts))
            except Exception as exc:  # noqa: BLE001 - a broken browser is restarted next time
                self._stop()
                raise CxroiError(self._message(exc)) from None
            self.renders += 1
        if not isinstance(image, bytes) or not image.startswith(b"\x89PNG"):
            raise CxroiError(self._message(RuntimeError("the browser returned no PNG image")))
        return image

    def close(self) -> None:
        """Stop the browser (it starts again on the next `png`)."""
        with self._lock:
            self._stop()

    # the event-loop thread

    def _message(self, exc: BaseException, *, starting: bool = False) -> str:
        first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
        detail = (first.strip().splitlines() or [type(exc).__name__])[0].rstrip(".")
        if isinstance(exc, TimeoutError):
            detail = (f"it did not start within {self.timeout:g} s" if starting
                      else f"no image after {self.timeout:g} s")
        what = "failed to start" if starting else "failed"
        return f"Chart images need Chromium at {self.browser}: it {what} ({detail})."

    def _call(self, coro: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout or self.timeout)
        except TimeoutError:
            future.cancel()
            raise

    def _start(self) -> None:
        if self._kaleido is not None:
            return
        problem = self.problem()
        if problem:
            raise CxroiError(problem)
        import kaleido

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="cxroi-kaleido",
                                        daemon=True)
        self._thread.start()

        async def open_browser() -> Any:
            k = kaleido.Kaleido(path=self.browser, n=1, timeout=self.timeout, mathjax=False)
            try:
                await k.open()
            except BaseException:  # a half-started browser is not left behind
                with suppress(Exception):
                    await k.close()
                raise
            return k

        try:
            self._kaleido = self._call(open_browser())
        except Exception as exc:  # noqa: BLE001 - any failure to start is one message
            message = self._message(exc, starting=True)
            self._stop()
            self._failure = (time.monotonic(), message)
            raise CxroiError(message) from None
        self._failure = None

    def _stop(self) -> None:
        loop, thread, k = self._loop, self._thread, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None:
            return
        if k is not None:
            with suppress(Exception):  # closing a broken browser may fail too
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(10)
        with suppress(Exception):
            asyncio.run_coroutine_threadsafe(_cancel_pending(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(10)
        if not loop.is_running():
            loop.close()


async def _cancel_pending() -> None:
    """Cancel what the browser library left running on the loop, so it closes cleanly."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=2)


_EXPORTER: ChartExporter | None = None
_EXPORTER_LOCK = threading.Lock()


def exporter() -> ChartExporter:
    """The process's one `ChartExporter`, created on first use and closed at exit."""
    global _EXPORTER
    with _EXPORTER_LOCK:
        if _EXPORTER is None:
            _EXPORTER = ChartExporter()
            atexit.register(_EXPORTER.close)
        return _EXPORTER


def figure_png(fig: go.Figure, *, width: int = SLIDE_PX[0], height: int = SLIDE_PX[1],
               scale: float = 1.0) -> bytes:
    """``fig`` as a slide-size PNG (16:9, 1600 x 900), footnote included, on the exporter."""
    return exporter().png(fig, width=width, height=height, scale=scale)


# --- the deck, format-neutral ----------------------------------------------------------------


@dataclass(frozen=True)
class NativeChart:
    """A plain bar chart the deck draws as an editable PowerPoint chart.

    ``series`` are (name, values, colour); for a single series, ``point_colours`` colour each
    bar. Values are decimals shown with ``number_format`` (``'+0%'``, ``'0%'``).
    """

    kind: str
    """``column`` (vertical bars around a zero line) or ``stacked_bar`` (horizontal, 0-100%)."""
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...], str], ...]
    number_format: str
    point_colours: tuple[str, ...] = ()
    label_colours: tuple[str, ...] = ()
    """Per series (stacked) or per point (single series): the data labels' colour."""
    minimum: float | None = None
    maximum: float | None = None
    hide_labels_below: float = 0.0
    target: float | None = None
    """A value drawn as a dashed vermillion line across the bars (``stacked_bar`` only)."""
    target_label: str = ""


@dataclass(frozen=True)
class DeckSlide:
    """One slide (or PDF page): plain text only; user text is never markup here."""

    kind: str
    """``title``, ``numbers``, ``picture``, ``chart`` or ``assumptions``."""
    title: str
    subtitle: str = ""
    footnote: str = ""
    notes: str = ""
    figure: go.Figure | Callable[[], go.Figure] | None = None
    """The picture (``picture``), or the PDF's stand-in for a native ``chart`` (built only
    when a PDF asks for it: a function returning the figure)."""
    chart: NativeChart | None = None
    rows: tuple[tuple[str, str, str], ...] = ()
    """``numbers``: (label, value, detail); ``assumptions``: (label, value, unit)."""
    lines: tuple[str, ...] = field(default=())
    """``title``: the lines under the title."""

    def picture(self) -> go.Figure | None:
        """The slide's figure, built now if it was left for later."""
        return self.figure() if callable(self.figure) else self.figure


def _plain_title(fig: go.Figure) -> str:
    """A figure's title as plain text (its helpers escape and wrap it with ``<br>``)."""
    text = (fig.layout.title.text or "") if fig.layout.title else ""
    return html.unescape(text.replace("<br>", " "))


def _notes(slide_title: str, footnote: str, extra: Sequence[str] = ()) -> str:
    return "\n\n".join([slide_title, *extra, f"Footnote: {footnote}" if footnote else ""]
                       ).strip()


def _relative_native(report: Report) -> NativeChart | None:
    view = report.relative
    bars = [b for b in view.bars if b.relative is not None]
    bars.sort(key=lambda b: b.relative, reverse=True)
    if not bars:
        return None
    colours = tuple(charts.WORSE if b.worse else charts.BETTER if b.worse is False
                    else charts.NEUTRAL for b in bars)
    name = f"Change vs {charts.BASELINE_SHORT[view.baseline]}"
    return NativeChart(kind="column", categories=tuple(charts.metric_label(b.metric)
                                                       for b in bars),
                       series=((name, tuple(b.relative for b in bars), charts.WORSE),),
                       number_format='+0%;-0%;0%', point_colours=colours,
                       label_colours=colours)


def _department(split: roi.EffortSplit) -> str:
    return "Company" if split.department == ALL else split.department


def _ordered_splits(splits: Sequence[roi.EffortSplit], key: Callable[[roi.EffortSplit], float]
                    ) -> list[roi.EffortSplit]:
    """Departments bottom to top by ``key``, the company on top (as on screen)."""
    rest = sorted((s for s in splits if s.department != ALL), key=key)
    return rest + [s for s in splits if s.department == ALL]


def _effort_native(report: Report) -> NativeChart | None:
    splits = [s for s in _effort_splits(report) if s.total_hours]
    if not splits:
        return None
    rows = _ordered_splits(splits, key=lambda s: s.shares["EL"])
    colours = charts.TIER_COLOURS
    return NativeChart(
        kind="stacked_bar", categories=tuple(_department(s) for s in rows),
        series=tuple((TIER_NAMES[tier], tuple(s.shares[tier] for s in rows), colours[tier])
                     for tier in ("EL", "EM", "TM")),
        number_format="0%", label_colours=("#FFFFFF", charts.INK, charts.INK),
        minimum=0.0, maximum=1.0, hide_labels_below=0.06,
        target=report.scenario.assumptions.el_target_share,
        target_label=f"EL target {percent(report.scenario.assumptions.el_target_share)}")


def _loop_native(report: Report) -> NativeChart | None:
    splits = [s for s in _effort_splits(report) if s.outer_loop_share is not None]
    if not splits:
        return None
    rows = _ordered_splits(splits, key=lambda s: s.outer_loop_share or 0.0)
    return NativeChart(
        kind="stacked_bar", categories=tuple(_department(s) for s in rows),
        series=(("Outer loop: prevent recurrence", tuple(s.outer_loop_share or 0.0
                                                         for s in rows), charts.BETTER),
                ("Inner loop: fix one customer", tuple(1 - (s.outer_loop_share or 0.0)
                                                       for s in rows), "#BBBBBB")),
        number_format="0%", label_colours=("#FFFFFF", charts.INK), minimum=0.0, maximum=1.0,
        hide_labels_below=0.06, target=report.scenario.assumptions.outer_loop_target_share,
        target_label="Outer-loop target "
                     f"{percent(report.scenario.assumptions.outer_loop_target_share)}")


def _shown(value: float | None, unit: str) -> str:
    if unit == "money":
        return money(value)
    if unit == "multiple":
        return multiple(value)
    if unit == "ratio":
        return percent(value)
    if unit == "months":
        return "never" if value is None else f"{value:,.1f} months"
    return "n/a" if value is None else f"{value:,.2f}"


def deck_slides(report: Report, *, today: dt.date | None = None) -> list[DeckSlide]:
    """The meeting deck's slides for ``report``, in order.

    A title slide; the headline numbers; relative size and the effort split as native
    charts; the iceberg, the snowball (line by line and quarter by quarter) and the melt as
    pictures; and the assumptions used. Each chart slide's title is the chart's takeaway.
    """
    return list(_iter_slides(report, today=today or dt.date.today()))


def _iter_slides(report: Report, *, today: dt.date) -> Iterator[DeckSlide]:
    """`deck_slides` one at a time, so a picture can render while the next one is built."""
    data, scenario = report.dataset, report.scenario
    berg, a = _berg(report), scenario.assumptions
    period = (berg.period if berg else None) or report.relative.period or (
        report.periods[-1] if report.periods else "no data yet")
    company = data.company or "Your company"
    yield DeckSlide(
        kind="title", title="The cost of poor customer experience",
        lines=(company, f"Period: {period}",
               *((f"Segment: {report.segment}",) if report.segment != ALL else ()),
               f"Scenario: {scenario.label}", f"Date: {today.isoformat()}"),
        footnote="DEMO DATA (fictional company)." if data.demo else "",
        notes=(f"{company}. Period {period}, segment {report.segment}, scenario "
               f"{scenario.label}, prepared {today.isoformat()}."))

    iceberg_note = report.footnote("iceberg").text()
    rows = tuple((label, _shown(value, unit), unit) for label, value, unit
                 in _overview_rows(report))
    headline = charts.iceberg_headline(berg)
    yield DeckSlide(
        kind="numbers", title=headline,
        subtitle=f"{company}, segment {report.segment}, scenario {scenario.label}",
        footnote=iceberg_note, rows=rows,
        notes=_notes(headline, iceberg_note, [f"{label}: {value}" for label, value, _ in rows]))

    def slide(chart: str, title: str | None, footnote: str, native: NativeChart | None = None,
              subtitle: str | None = None, extra: Sequence[str] = ()) -> DeckSlide:
        fig: go.Figure | Callable[[], go.Figure]
        if native is not None and title and subtitle is not None:
            fig, sub = (lambda: chart_figure(report, chart)), subtitle  # the PDF's stand-in
        else:
            built = chart_figure(report, chart)
            fig, title = built, title or _plain_title(built)
            sub = subtitle if subtitle is not None else _subtitle(built)
        return DeckSlide(kind="chart" if native else "picture", title=title, subtitle=sub,
                         footnote=footnote, figure=fig, chart=native,
                         notes=_notes(title, footnote, [sub, *extra] if sub else extra))

    view = report.relative
    no_base = [charts.metric_label(b.metric) for b in view.bars if b.relative is None]
    yield slide("relative", charts.relative_headline(view), report.footnote("relative").text(),
                _relative_native(report),
                subtitle=f"{view.period or 'No period'}, {view.segment}: each bar is the change "
                         f"in percent of the baseline, against {BASELINE_LABELS[view.baseline]}",
                extra=[f"No baseline (not drawn): {', '.join(no_base)}."] if no_base else [])
    yield slide("iceberg", headline, iceberg_note, extra=[charts.hidden_takeaway(berg) + "."])
    yield slide("snowball_steps", None, iceberg_note)  # its takeaway is its figure's title
    yield slide("snowball_quarters", None, iceberg_note)
    yield slide("melt", charts.melt_headline(report.melt), report.footnote("melt").text())
    company_split = _company_split(report)
    effort_note = report.footnote("effort").text()
    effort_period = _effort_period(report) or "No period"
    yield slide("effort", charts.effort_headline(company_split, a.el_target_share), effort_note,
                _effort_native(report),
                subtitle=f"{effort_period}: share of hours by tier; Experience Leadership "
                         f"(prevention) against the target of {percent(a.el_target_share)}")
    yield slide("loops", charts.loop_headline(company_split, a.outer_loop_target_share),
                effort_note, _loop_native(report),
                subtitle=f"{effort_period}: share of looped hours; outer loop (prevent "
                         f"recurrence) against the target of "
                         f"{percent(a.outer_loop_target_share)}")

    chosen = [(info.label, show_assumption(info, getattr(a, info.key)), info.unit)
              for info in assumption_info()]
    made = f" by {scenario.created_by}" if scenario.created_by else ""
    when = f" on {scenario.created_at.date().isoformat()}" if scenario.created_at else ""
    note = f"Scenario {scenario.label}{made}{when}" + (f": {scenario.note}" if scenario.note
                                                       else ".")
    yield DeckSlide(
        kind="assumptions", title=f"The assumptions behind these numbers ({scenario.label})",
        subtitle="Finance's unit costs and rates; every chart in this deck uses them",
        footnote=note, rows=tuple(chosen),
        notes=_notes("Assumptions used", note,
                     [f"{label}: {value} ({unit})" for label, value, unit in chosen]))


def _subtitle(fig: go.Figure) -> str:
    """A figure's subtitle as plain text."""
    title = fig.layout.title
    sub = title.subtitle.text if title and title.subtitle and title.subtitle.text else ""
    return html.unescape(sub.replace("<br>", " "))


# --- pictures for slides: the figure without the title and footnote the slide carries -------

PICTURE_IN = (12.333, 4.75)
"""The picture's box on a slide, in inches (width, height)."""
PICTURE_PX = (1280, round(1280 * PICTURE_IN[1] / PICTURE_IN[0]))
"""The picture's layout pixels: its box's aspect, with type about 12 pt on the slide."""
PICTURE_SCALE = 2.0


def slide_spec(fig: go.Figure) -> dict[str, Any]:
    """``fig`` as a figure dict for a slide: the slide shows the title, subtitle and footnote
    as text, so the picture drops them and gives their room to the chart."""
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    notes = layout.get("annotations") or []
    foot = next((n for n in notes if n.get("name") == "footnote"), None)
    axis = abs(foot.get("yshift") or 0) if foot is not None else 40
    layout["annotations"] = [n for n in notes if n.get("name") != "footnote"]
    shown = [t for t in spec.get("data", []) if t.get("showlegend") is not False]
    legend = len(shown) > 1 and layout.get("showlegend") is not False
    above = any(n.get("yref") == "paper" and (n.get("y") or 0) >= 1
                for n in layout["annotations"])
    layout["title"] = {**(layout.get("title") or {}), "text": "", "subtitle": {"text": ""}}
    layout.pop("height", None)
    layout.pop("width", None)
    layout["margin"] = {**(layout.get("margin") or {}),
                        "t": 24 + (36 if legend else 0) + (26 if above else 0),
                        "b": axis + 12}
    return spec


def slide_figure(fig: go.Figure) -> go.Figure:
    """`slide_spec` as a `go.Figure`, to look at."""
    return go.Figure(slide_spec(fig))


# --- rendering every picture the deck needs, with progress -----------------------------------


class _Pictures:
    """The deck's pictures, rendering one after another on one worker thread.

    `add` hands a slide's figure to the worker at once, so Chromium renders it while the
    caller builds the next slide; `get` waits for one picture, reporting progress from the
    caller's thread (Streamlit's progress bar only works there). Each render takes the
    exporter's lock, so the deck and other users' downloads never share the browser at once.
    """

    def __init__(self, renderer: Any, progress: Progress) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._renderer, self._progress = renderer, progress
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxroi-deck")
        self._futures: dict[int, Any] = {}
        self._titles: dict[int, str] = {}
        self.done = 0

    def add(self, index: int, slide: DeckSlide) -> None:
        spec = slide_spec(slide.picture())
        self._titles[index] = slide.title
        self._futures[index] = self._pool.submit(
            self._renderer.png, spec, width=PICTURE_PX[0], height=PICTURE_PX[1],
            scale=PICTURE_SCALE)

    def get(self, index: int) -> bytes | None:
        future = self._futures.get(index)
        if future is None:
            return None
        total = len(self._futures)
        self._progress(0.15 + 0.75 * self.done / total,
                       f"Rendering picture {self.done + 1} of {total}: "
                       f"{_short(self._titles[index])}")
        image = future.result()
        self.done += 1
        return image

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 3].rstrip() + "..."


def build_deck(report: Report, fmt: str = "pptx", *, progress: Progress | None = None,
               renderer: ChartExporter | None = None, today: dt.date | None = None) -> bytes:
    """The meeting deck as ``pptx`` or ``pdf`` bytes.

    ``progress(done, message)`` is called from the caller's thread as the deck builds
    (``done`` from 0 to 1). Every picture renders on ``renderer`` (default: the process's
    `exporter`), one at a time on a worker thread while the slides are built and written.
    Raises `CxroiError` when Chromium is missing or fails ("Chart images need Chromium at").
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("pptx", "pdf"):
        raise CxroiError(f"A deck is .pptx or .pdf (got .{fmt}).")
    renderer = renderer or exporter()
    problem = renderer.problem()  # fail before any work when Chromium is known to be missing
    if problem:
        raise CxroiError(problem)
    say = progress or (lambda done, message: None)
    say(0.0, "Collecting the numbers" if renderer.running
        else "Collecting the numbers; starting Chromium for the pictures (a few seconds)")
    pictures = _Pictures(renderer, say)
    try:
        slides: list[DeckSlide] = []
        for slide in _iter_slides(report, today=today or dt.date.today()):
            if slide.figure is not None and (slide.kind == "picture" or fmt == "pdf"):
                pictures.add(len(slides), slide)
            slides.append(slide)
        say(0.1, f"Writing the {len(slides)} slides")
        blob = (_write_pptx if fmt == "pptx" else _write_pdf)(slides, pictures.get, report,
                                                              say)
    finally:
        pictures.close()
    say(1.0, "Done")
    return blob


def export_deck(report: Report, out_path: str | Path, *, progress: Progress | None = None,
                renderer: ChartExporter | None = None) -> Path:
    """Write the meeting deck to ``out_path`` (``.pptx`` or ``.pdf``); return the path.

    The file appears whole or not at all (written next to it, then renamed).
    """
    out = Path(out_path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pptx", "pdf"):
        raise CxroiError(f"The deck's file name must end in .pptx or .pdf (got {out.name}).")
    if not out.parent.is_dir():
        raise CxroiError(f"The folder {out.parent} does not exist.")
    blob = build_deck(report, fmt, progress=progress, renderer=renderer)
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_bytes(blob)
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CxroiError(f"Could not write {out}: {exc.strerror or exc}.") from None
    return out


# --- PowerPoint --------------------------------------------------------------------------

_SLIDE_W_IN, _SLIDE_H_IN = 13.333, 7.5
_MARGIN_IN = 0.5
_TITLE_TOP, _TITLE_H = 0.3, 0.95
_SUB_TOP, _SUB_H = 1.22, 0.45
_PIC_TOP = 1.72
_FOOT_TOP, _FOOT_H = 6.58, 0.8


def _rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _plain_chart_data() -> Any:
    """python-pptx's chart data, with its embedded workbook told never to make formulas.

    python-pptx writes the chart's numbers into an embedded workbook with XlsxWriter, which
    by default turns a string starting with ``=`` into a formula: a metric named
    ``=HYPERLINK(...)`` would become a live formula behind "Edit data". Here it stays text.
    """
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class PlainWorkbookWriter(CategoryWorkbookWriter):
        @contextmanager
        def _open_worksheet(self, xlsx_file):  # type: ignore[override]
            workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
            worksheet = workbook.add_worksheet()
            yield workbook, worksheet
            workbook.close()

    class PlainChartData(CategoryChartData):
        @property
        def _workbook_writer(self) -> PlainWorkbookWriter:  # type: ignore[override]
            return PlainWorkbookWriter(self)

    return PlainChartData


def _text(frame: Any, text: str, *, size: float, colour: str = charts.INK, bold: bool = False,
          align: Any = None) -> None:
    from pptx.util import Pt

    frame.word_wrap = True
    lines = text.split("\n")
    for index, line in enumerate(lines):
        para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        if align is not None:
            para.alignment = align
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)


def _box(slide: Any, left: float, top: float, width: float, height: float, text: str, *,
         size: float, colour: str = charts.INK, bold: bool = False, anchor: Any = None) -> Any:
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches

    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = shape.text_frame
    frame.vertical_anchor = anchor or MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right"):
        setattr(frame, side, Inches(0.02))
    _text(frame, text, size=size, colour=colour, bold=bold)
    return shape


def _title(slide: Any, text: str, *, top: float = _TITLE_TOP, height: float = _TITLE_H,
           size: float = 26) -> None:
    """The slide's title placeholder (so outlines and screen readers see it), restyled."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches

    shape = slide.shapes.title
    shape.left, shape.top = Inches(_MARGIN_IN), Inches(top)
    shape.width, shape.height = Inches(_SLIDE_W_IN - 2 * _MARGIN_IN), Inches(height)
    frame = shape.text_frame
    frame.clear()
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    frame.margin_left = frame.margin_right = Inches(0.02)
    _text(frame, text, size=size, bold=True, align=PP_ALIGN.LEFT)


def _write_pptx(slides: Sequence[DeckSlide], picture: Callable[[int], bytes | None],
                report: Report, say: Progress) -> bytes:
    """The slides as a PowerPoint; each picture is added last, once rendered."""
    from pptx import Presentation
    from pptx.util import Emu, Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in
    prs.core_properties.title = f"The cost of poor customer experience: {report.dataset.company}"
    prs.core_properties.author = "cxroi"
    title_only = prs.slide_layouts[5]
    width = _SLIDE_W_IN - 2 * _MARGIN_IN
    box = (Inches(_MARGIN_IN), Inches(_PIC_TOP), Inches(PICTURE_IN[0]), Inches(PICTURE_IN[1]))
    waiting = []
    for index, spec in enumerate(slides):
        slide = prs.slides.add_slide(title_only)
        if spec.kind == "title":
            _title(slide, spec.title, top=2.0, height=1.3, size=40)
            _box(slide, _MARGIN_IN, 3.5, width, 2.2, "\n".join(spec.lines), size=22,
                 colour=charts.MUTED)
        else:
            _title(slide, spec.title)
            if spec.subtitle:
                _box(slide, _MARGIN_IN, _SUB_TOP, width, _SUB_H, spec.subtitle, size=14,
                     colour=charts.MUTED)
        if spec.kind == "picture":
            waiting.append((index, slide))
        elif spec.kind == "chart" and spec.chart is not None:
            _native_chart(slide, spec.chart, box)
        elif spec.kind == "numbers":
            _number_tiles(slide, spec.rows)
        elif spec.kind == "assumptions":
            _assumption_tables(slide, spec.rows)
        if spec.footnote:
            _box(slide, _MARGIN_IN, _FOOT_TOP, width, _FOOT_H, spec.footnote, size=10,
                 colour=charts.MUTED)
        slide.notes_slide.notes_text_frame.text = spec.notes
    for index, slide in waiting:
        image = picture(index)
        if image is not None:
            slide.shapes.add_picture(io.BytesIO(image), *box)
    say(0.95, "Saving the PowerPoint")
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _native_chart(slide: Any, spec: NativeChart, box: tuple[Any, ...]) -> None:
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.enum.chart import XL_TICK_LABEL_POSITION
    from pptx.util import Pt

    data = _plain_chart_data()(number_format=spec.number_format)
    data.categories = list(spec.categories)
    for name, values, _ in spec.series:
        data.add_series(name, list(values), number_format=spec.number_format)
    kind = XL_CHART_TYPE.COLUMN_CLUSTERED if spec.kind == "column" else XL_CHART_TYPE.BAR_STACKED
    chart = slide.shapes.add_chart(kind, *box, data).chart
    chart.has_title = False  # the slide's title says the point
    chart.font.size = Pt(12)
    chart.font.color.rgb = _rgb(charts.INK)
    plot = chart.plots[0]
    plot.gap_width = 50 if spec.kind == "column" else 60
    if spec.kind == "stacked_bar":
        plot.overlap = 100
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = spec.number_format, False
    labels.font.size = Pt(12)
    labels.position = (XL_LABEL_POSITION.OUTSIDE_END if spec.kind == "column"
                       else XL_LABEL_POSITION.CENTER)
    value_axis, category_axis = chart.value_axis, chart.category_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("#EDEDED")
    value_axis.tick_labels.number_format = spec.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.format.line.fill.background()
    if spec.minimum is not None:
        value_axis.minimum_scale = spec.minimum
    if spec.maximum is not None:
        value_axis.maximum_scale = spec.maximum
    category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    category_axis.tick_labels.font.size = Pt(11 if len(spec.categories) > 8 else 12)
    category_axis.format.line.color.rgb = _rgb(charts.INK)
    if spec.minimum is not None and spec.maximum is not None and spec.kind == "stacked_bar":
        value_axis.major_unit = (spec.maximum - spec.minimum) / 4
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = (XL_LEGEND_POSITION.BOTTOM if spec.target is not None
                                 else XL_LEGEND_POSITION.TOP)
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(12)
    if spec.target is not None and spec.kind == "stacked_bar":
        _target_line(slide, chart, spec, box)
    for s_index, (series, (_, values, colour)) in enumerate(zip(plot.series, spec.series,
                                                                strict=True)):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(colour)
        series.invert_if_negative = False
        if spec.label_colours and len(spec.series) > 1:
            series.data_labels.show_value = True
            series.data_labels.font.color.rgb = _rgb(spec.label_colours[s_index])
            series.data_labels.font.size = Pt(12)
            series.data_labels.number_format = spec.number_format
            series.data_labels.number_format_is_linked = False
            series.data_labels.position = XL_LABEL_POSITION.CENTER
        for p_index, value in enumerate(values):
            point = series.points[p_index]
            if spec.point_colours:
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = _rgb(spec.point_colours[p_index])
            if spec.label_colours and len(spec.series) == 1:
                point.data_label.font.color.rgb = _rgb(spec.label_colours[p_index])
                point.data_label.font.size = Pt(12)
            if abs(value) < spec.hide_labels_below:
                point.data_label.has_text_frame = True
                point.data_label.text_frame.text = ""


_INNER = (0.2, 0.1, 0.76, 0.74)
"""Where a native bar chart's plot area sits in its frame (x, y, width, height, as shares),
fixed so the target line can be drawn at the right place."""


def _target_line(slide: Any, chart: Any, spec: NativeChart, box: tuple[Any, ...]) -> None:
    """Fix the plot area's position and draw the target as a dashed line with its label."""
    from lxml import etree
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Inches, Pt

    layout = etree.Element(qn("c:layout"))
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    x, y, w, h = _INNER
    for tag, value in (("c:layoutTarget", "inner"), ("c:xMode", "edge"), ("c:yMode", "edge"),
                       ("c:x", x), ("c:y", y), ("c:w", w), ("c:h", h)):
        etree.SubElement(manual, qn(tag)).set("val", str(value))
    chart._chartSpace.chart.plotArea.insert(0, layout)  # python-pptx has no API for it
    left, top, width, height = (int(v) for v in box)
    low, high = spec.minimum or 0.0, spec.maximum or 1.0
    share = min(max(((spec.target or 0.0) - low) / ((high - low) or 1.0), 0.0), 1.0)
    at = left + int(width * (x + w * share))
    plot_top, plot_bottom = top + int(height * y), top + int(height * (y + h))
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(at), Emu(plot_top - Pt(4)),
                                      Emu(at), Emu(plot_bottom))
    line.line.color.rgb = _rgb(charts.WORSE)
    line.line.width = Pt(2.5)
    line.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    label = _box(slide, 0, 0, 3.0, 0.3, spec.target_label, size=12, colour=charts.WORSE,
                 bold=True)
    label.left, label.top = Emu(at - Inches(1.5)), Emu(plot_top - Inches(0.34))
    label.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER


def _number_tiles(slide: Any, rows: Sequence[tuple[str, str, str]]) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    shown = list(rows)[:8]
    if not shown:
        _box(slide, _MARGIN_IN, 3.0, 12.3, 1.0, "No iceberg inputs yet: upload a quarter of "
             "metrics.", size=20, colour=charts.MUTED)
        return
    per_row = 4
    gap = 0.25
    tile_w = (_SLIDE_W_IN - 2 * _MARGIN_IN - gap * (per_row - 1)) / per_row
    tile_h = 2.15
    for index, (label, value, _) in enumerate(shown):
        left = _MARGIN_IN + (index % per_row) * (tile_w + gap)
        top = _PIC_TOP + 0.15 + (index // per_row) * (tile_h + gap)
        tile = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top),
                                      Inches(tile_w), Inches(tile_h))
        tile.fill.solid()
        tile.fill.fore_color.rgb = _rgb("#F2F7FB")
        tile.line.fill.background()
        tile.shadow.inherit = False
        frame = tile.text_frame
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = Inches(0.15)
        _text(frame, label, size=14, colour=charts.MUTED, align=PP_ALIGN.LEFT)
        para = frame.add_paragraph()
        para.alignment = PP_ALIGN.LEFT
        run = para.add_run()
        run.text = value
        run.font.size, run.font.bold = Pt(30 if len(value) <= 8 else 24), True
        run.font.color.rgb = _rgb(charts.SEA)


def _assumption_tables(slide: Any, rows: Sequence[tuple[str, str, str]]) -> None:
    from pptx.util import Inches, Pt

    half = math.ceil(len(rows) / 2)
    width = (_SLIDE_W_IN - 2 * _MARGIN_IN - 0.3) / 2
    for column, chunk in enumerate((rows[:half], rows[half:])):
        if not chunk:
            continue
        shape = slide.shapes.add_table(len(chunk) + 1, 3, Inches(_MARGIN_IN + column
                                                                 * (width + 0.3)),
                                       Inches(_PIC_TOP), Inches(width),
                                       Inches(0.22 * (len(chunk) + 1)))
        table = shape.table
        for index, share in enumerate((0.54, 0.25, 0.21)):
            table.columns[index].width = Inches(width * share)
        for r, cells in enumerate((("Assumption", "Value", "Unit"), *chunk)):
            table.rows[r].height = Inches(0.22)
            for c, text in enumerate(cells):
                cell = table.cell(r, c)
                cell.margin_top = cell.margin_bottom = Inches(0.02)
                frame = cell.text_frame
                frame.text = ""
                run = frame.paragraphs[0].add_run()
                run.text = text
                run.font.size = Pt(11)
                run.font.bold = r == 0


# --- PDF ---------------------------------------------------------------------------------

_PT = 72.0


def _pdf_fonts(pdf: Any) -> str:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "Helvetica"


def _latin(text: str, family: str) -> str:
    """Text the PDF's font can draw: all of it with DejaVu, Latin-1 with the fallback."""
    if family == "DejaVu":
        return text
    return text.encode("latin-1", "replace").decode("latin-1")


def _write_pdf(slides: Sequence[DeckSlide], picture: Callable[[int], bytes | None],
               report: Report, say: Progress) -> bytes:
    """The slides as PDF pages (fpdf2, DejaVu); the pictures go onto their pages last."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(orientation="L", unit="pt", format=(_SLIDE_H_IN * _PT, _SLIDE_W_IN * _PT))
    pdf.set_auto_page_break(False)
    pdf.set_margins(_MARGIN_IN * _PT, _MARGIN_IN * _PT)
    family = _pdf_fonts(pdf)
    pdf.set_title(_latin(f"The cost of poor customer experience: {report.dataset.company}",
                         family))
    pdf.set_creator("cxroi")
    width = (_SLIDE_W_IN - 2 * _MARGIN_IN) * _PT
    left = _MARGIN_IN * _PT
    waiting: list[tuple[int, int]] = []

    def write(text: str, top: float, size: float, *, colour: str = charts.INK,
              bold: bool = False, bottom: float | None = None) -> None:
        """Plain text from ``top`` (or ending at ``bottom``), wrapped to the page's width."""
        pdf.set_font(family, "B" if bold else "", size)
        pdf.set_text_color(*_pdf_rgb(colour))
        text = _latin(text, family)
        if bottom is not None:
            lines = pdf.multi_cell(width, size * 1.2, text, align="L", dry_run=True,
                                   output="LINES")
            top = bottom - size * 1.2 * len(lines)
        pdf.set_xy(left, top)
        pdf.multi_cell(width, size * 1.2, text, align="L", new_x="LMARGIN", new_y="NEXT")

    for index, spec in enumerate(slides):
        pdf.add_page()
        pdf.start_section(_latin(_short(spec.title, 80), family))
        if spec.kind == "title":
            write(spec.title, 2.2 * _PT, 36, bold=True)
            write("\n".join(spec.lines), 3.5 * _PT, 20, colour=charts.MUTED)
        else:
            write(spec.title, 0, 22, bold=True, bottom=(_TITLE_TOP + _TITLE_H) * _PT)
            if spec.subtitle:
                write(spec.subtitle, _SUB_TOP * _PT + 4, 12, colour=charts.MUTED)
        if spec.figure is not None and spec.kind in ("picture", "chart"):
            waiting.append((index, pdf.page))
        elif spec.kind == "numbers":
            _pdf_tiles(pdf, family, spec.rows)
        elif spec.kind == "assumptions" and spec.rows:
            _pdf_assumptions(pdf, family, spec.rows)
        if spec.footnote:
            write(spec.footnote, _FOOT_TOP * _PT, 9, colour=charts.MUTED)
    last = pdf.page
    for index, page in waiting:
        image = picture(index)
        if image is not None:
            pdf.page = page  # fpdf2 draws onto an earlier page when told its number
            pdf.image(Image.open(io.BytesIO(image)).convert("RGB"), x=left, y=_PIC_TOP * _PT,
                      w=PICTURE_IN[0] * _PT, h=PICTURE_IN[1] * _PT)
    pdf.page = last
    say(0.95, "Saving the PDF")
    return bytes(pdf.output())


def _pdf_rgb(colour: str) -> tuple[int, int, int]:
    code = colour.lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


def _pdf_tiles(pdf: Any, family: str, rows: Sequence[tuple[str, str, str]]) -> None:
    """The headline numbers as tiles, four to a row, like the PowerPoint's."""
    if not rows:
        pdf.set_font(family, "", 20)
        pdf.set_text_color(*_pdf_rgb(charts.MUTED))
        pdf.set_xy(_MARGIN_IN * _PT, 3.0 * _PT)
        pdf.cell(text="No iceberg inputs yet: upload a quarter of metrics.")
        return
    per_row, gap = 4, 0.25 * _PT
    tile_w = ((_SLIDE_W_IN - 2 * _MARGIN_IN) * _PT - gap * (per_row - 1)) / per_row
    tile_h = 2.15 * _PT
    for index, (label, value, _) in enumerate(list(rows)[:8]):
        x = _MARGIN_IN * _PT + (index % per_row) * (tile_w + gap)
        y = (_PIC_TOP + 0.15) * _PT + (index // per_row) * (tile_h + gap)
        pdf.set_fill_color(*_pdf_rgb("#F2F7FB"))
        pdf.rect(x, y, tile_w, tile_h, style="F")
        pdf.set_font(family, "", 14)
        pdf.set_text_color(*_pdf_rgb(charts.MUTED))
        pdf.set_xy(x + 11, y + tile_h / 2 - 34)
        pdf.multi_cell(tile_w - 22, 17, _latin(label, family), align="L")
        value = _latin(value, family)
        size = 30.0
        pdf.set_font(family, "B", size)
        while size > 14 and pdf.get_string_width(value) > tile_w - 22:
            size -= 2
            pdf.set_font(family, "B", size)
        pdf.set_text_color(*_pdf_rgb(charts.SEA))
        pdf.set_xy(x + 11, y + tile_h / 2 + 2)
        pdf.cell(tile_w - 22, 36, value)


def _pdf_assumptions(pdf: Any, family: str, rows: Sequence[tuple[str, str, str]]) -> None:
    """The assumptions as two tables side by side: label, value, unit."""
    from fpdf.fonts import FontFace

    pdf.set_text_color(*_pdf_rgb(charts.INK))
    pdf.set_draw_color(*_pdf_rgb("#BBBBBB"))
    pdf.set_font(family, "", 12)
    half = math.ceil(len(rows) / 2)
    gap = 0.3 * _PT
    col_width = ((_SLIDE_W_IN - 2 * _MARGIN_IN) * _PT - gap) / 2
    for part, chunk in enumerate((rows[:half], rows[half:])):
        if not chunk:
            continue
        pdf.set_left_margin(_MARGIN_IN * _PT + part * (col_width + gap))
        pdf.set_xy(pdf.l_margin, _PIC_TOP * _PT)
        with pdf.table(width=col_width, col_widths=(52, 26, 22), align="LEFT",
                       line_height=12 * 1.45, headings_style=FontFace(emphasis="BOLD"),
                       borders_layout="HORIZONTAL_LINES", text_align="LEFT",
                       cell_fill_color=_pdf_rgb("#F2F7FB"), cell_fill_mode="ROWS") as table:
            for cells in (("Assumption", "Value", "Unit"), *chunk):
                row = table.row()
                for cell in cells:
                    row.cell(_latin(cell, family))
    pdf.set_left_margin(_MARGIN_IN * _PT)
