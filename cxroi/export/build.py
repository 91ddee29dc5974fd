"""The deck built and written: every picture it needs rendered, with progress, then the file.

==========================  ==============================================================
name                        what it gives
==========================  ==============================================================
`build_deck`                the deck as .pptx or .pdf bytes, with a progress callback
`export_deck`               the deck written to ``OUT.pptx`` or ``OUT.pdf``
==========================  ==============================================================

The pictures render on the process's one exporter (`cxroi.export.render.exporter`, looked
up when a deck is built) while the slides are built and written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cxroi.drivers import DriverResult
from cxroi.export import render
from cxroi.export.deck import (PICTURE_PX, PICTURE_SCALE, DeckSlide, Progress, iter_slides,
                               short, slide_spec)
from cxroi.export.pdf import write_pdf
from cxroi.export.pptx import write_pptx
from cxroi.export.render import ChartExporter
from cxroi.models import CxroiError
from cxroi.report import Report

__all__ = ["build_deck", "export_deck"]


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
                       f"{short(self._titles[index])}")
        image = future.result()
        self.done += 1
        return image

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def build_deck(report: Report, fmt: str = "pptx", *, progress: Progress | None = None,
               renderer: ChartExporter | None = None, today: dt.date | None = None,
               drivers: DriverResult | None = None, groups: Sequence[str] = ()) -> bytes:
    """The meeting deck as ``pptx`` or ``pdf`` bytes.

    ``drivers`` (the caller's `cxroi.drilldown.drivers_for`, or none) adds the key-driver
    slide; ``groups`` names the work groups (departments) that get a slide of their own.

    ``progress(done, message)`` is called from the caller's thread as the deck builds
    (``done`` from 0 to 1). Every picture renders on ``renderer`` (default: the process's
    `exporter`), one at a time on a worker thread while the slides are built and written.
    Raises `CxroiError` when Chromium is missing or fails ("Chart images need Chromium at").
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("pptx", "pdf"):
        raise CxroiError(f"A deck is .pptx or .pdf (got .{fmt}).")
    renderer = renderer or render.exporter()
    problem = renderer.problem()  # fail before any work when Chromium is known to be missing
    if problem:
        raise CxroiError(problem)
    say = progress or (lambda done, message: None)
    say(0.0, "Collecting the numbers" if renderer.running
        else "Collecting the numbers; starting Chromium for the pictures (a few seconds)")
    pictures = _Pictures(renderer, say)
    try:
        slides: list[DeckSlide] = []
        for slide in iter_slides(report, today=today or dt.date.today(), drivers=drivers,
                                 groups=groups):
            if slide.figure is not None and (slide.kind == "picture" or fmt == "pdf"):
                pictures.add(len(slides), slide)
            slides.append(slide)
        say(0.1, f"Writing the {len(slides)} slides")
        blob = (write_pptx if fmt == "pptx" else write_pdf)(slides, pictures.get, report, say)
    finally:
        pictures.close()
    say(1.0, "Done")
    return blob


def export_deck(report: Report, out_path: str | Path, *, progress: Progress | None = None,
                renderer: ChartExporter | None = None, drivers: DriverResult | None = None,
                groups: Sequence[str] = ()) -> Path:
    """Write the meeting deck to ``out_path`` (``.pptx`` or ``.pdf``); return the path.

    The file appears whole or not at all (written next to it, then renamed).
    """
    out = Path(out_path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pptx", "pdf"):
        raise CxroiError(f"The deck's file name must end in .pptx or .pdf (got {out.name}).")
    if not out.parent.is_dir():
        raise CxroiError(f"The folder {out.parent} does not exist.")
    blob = build_deck(report, fmt, progress=progress, renderer=renderer, drivers=drivers,
                      groups=groups)
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_bytes(blob)
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CxroiError(f"Could not write {out}: {exc.strerror or exc}.") from None
    return out
