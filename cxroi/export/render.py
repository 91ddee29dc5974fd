"""Rendering: one warm Chromium per process, behind a lock, turning figures into PNGs.

==========================  ==============================================================
name                        what it gives
==========================  ==============================================================
`CHROMIUM`                  Debian's Chromium, which kaleido drives
`SLIDE_PX`                  a chart PNG's size: 16:9, 1600 x 900
`ChartExporter`             one warm Chromium behind a lock: `png(fig)` -> bytes
`exporter`                  the process's one `ChartExporter` (stopped at exit)
`figure_png`                a figure as a PNG at slide size (1600 x 900)
`chromium_problem`          why chart images cannot be made here, or none
==========================  ==============================================================

Every picture is the app's own figure (`cxroi.charts`, same template, footnote inside),
rendered by kaleido with Debian's Chromium on the process's one `ChartExporter`.
Rendering goes through one exporter per process because kaleido's shared server is not
thread-safe (images come back to the wrong caller). Its sync server also waits forever when
the browser fails to start, so the exporter runs kaleido on its own event-loop thread,
where every call has a timeout and every failure becomes one `CxroiError`.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
import time
from collections.abc import Coroutine
from contextlib import suppress
from typing import Any

import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure

from cxroi.models import CxroiError

__all__ = ["CHROMIUM", "SLIDE_PX", "ChartExporter", "exporter", "figure_png",
           "chromium_problem"]

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium, which kaleido drives (``$BROWSER_PATH`` overrides it)."""
SLIDE_PX = (1600, 900)
"""A chart PNG's size: 16:9, slide size at scale 1."""


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
        self._warming: threading.Thread | None = None

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

    def warm(self) -> threading.Thread | None:
        """Start the browser and draw a first tiny picture on a background thread, so the
        first real picture finds it warm (the export page calls this when it opens). Returns
        at once; none when it is already running or known to be missing. A failure is
        remembered like a render's (`problem`); a picture asked for meanwhile waits for the
        start instead of starting a second browser (the exporter's lock)."""
        if self._kaleido is not None or self.problem():
            return None
        if self._warming is not None and self._warming.is_alive():
            return self._warming

        def start() -> None:
            with suppress(CxroiError):
                # a first, tiny picture loads Plotly into the browser too: the first real
                # picture then costs what any other does
                self.png({"data": [], "layout": {}}, width=16, height=16)

        thread = threading.Thread(target=start, name="cxroi-kaleido-warm", daemon=True)
        self._warming = thread
        thread.start()
        return thread

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
