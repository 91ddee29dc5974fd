"""Benchmark: the whole meeting deck against rendering its pictures one by one, and the
first deck after the export page opens against a warm deck.

Prints two JSON lines. ``deck``: the time to build the PowerPoint deck (figures, pictures,
native charts, the file) on a warm exporter, as a ratio to rendering the same pictures one
by one on the same warm exporter in the same run (target: within 1.5x); the PDF alongside.
``first_deck`` (issue #16): on a fresh exporter, "the page opens" (the exporter starts
warming in the background, `ChartExporter.warm`, while the page does its own work: the
report, the drivers, the caption), then the person clicks after ``--think`` seconds (0: at
once, the worst case; and the given think time) and the deck is timed from the click, as a
ratio to the same deck on a warm exporter (target: within 1.5x); and, for contrast, the
old way (the browser starting on the click). PPTX and PDF. The deck is the demo's whole
deck: its drill-down, the key drivers and every work group included.

    python benchmarks/bench_deck.py [--repeats N] [--think SECONDS]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--think", type=float, default=3.0,
                        help="seconds between the page opening and the click")
    args = parser.parse_args()

    from cxroi import export
    from cxroi.demo import load_demo
    from cxroi.drilldown import drivers_for
    from cxroi.report import build_report
    from cxroi.store import Store

    folder = tempfile.TemporaryDirectory()
    store = Store(Path(folder.name) / "bench.duckdb")
    load_demo(store)
    report = build_report(store.dataset(), store.scenario("Baseline"),
                          drilldown=store.drilldown("All"))
    drivers = drivers_for(store, export.DRIVERS_OUTCOME)
    groups = export.work_groups(report)

    renderer = export.exporter()
    start = time.perf_counter()
    slides = export.deck_slides(report)
    renderer.png(export.slide_spec(slides[3].picture()), width=200, height=100)  # warm
    startup = time.perf_counter() - start

    def pictures(fmt: str) -> list:
        """The deck's pictures, as the deck renders them (built outside the timing)."""
        return [export.slide_spec(s.picture()) for s in export.deck_slides(
                    report, drivers=drivers, groups=groups)
                if s.figure is not None and (s.kind == "picture" or fmt == "pdf")]

    def one_by_one(figures: list) -> None:
        for fig in figures:
            renderer.png(fig, width=export.PICTURE_PX[0], height=export.PICTURE_PX[1],
                         scale=export.PICTURE_SCALE)

    timings: dict[str, list[float]] = {"pptx": [], "pptx_base": [], "pdf": [], "pdf_base": []}
    sizes: dict[str, int] = {}
    for _ in range(args.repeats):
        for fmt in ("pptx", "pdf"):
            figures = pictures(fmt)
            began = time.perf_counter()
            one_by_one(figures)
            timings[f"{fmt}_base"].append(time.perf_counter() - began)
            began = time.perf_counter()
            blob = export.build_deck(report, fmt, renderer=renderer, drivers=drivers,
                                     groups=groups)
            timings[fmt].append(time.perf_counter() - began)
            sizes[fmt] = len(blob)
    slides = export.deck_slides(report, drivers=drivers, groups=groups)

    def page_open() -> None:
        """What the export page does when it opens, besides warming: its report (with the
        drill-down), the drivers and the caption, from the store."""
        opened = build_report(store.dataset(), store.scenario("Baseline"),
                              drilldown=store.drilldown("All"))
        found = drivers_for(store, export.DRIVERS_OUTCOME)
        export.deck_outline(opened, drivers=found, groups=export.work_groups(opened))

    def first_deck(fmt: str, *, warm: bool, think: float) -> float:
        """A fresh exporter (Chromium not started); the page opens; the click comes
        ``think`` s after the page's own work; the deck is timed from the click."""
        fresh = export.ChartExporter()
        try:
            if warm:
                fresh.warm()
            began = time.perf_counter()
            page_open()
            time.sleep(max(0.0, think - (time.perf_counter() - began)))
            clicked = time.perf_counter()
            export.build_deck(report, fmt, renderer=fresh, drivers=drivers, groups=groups)
            return time.perf_counter() - clicked
        finally:
            fresh.close()

    first: dict[str, list[float]] = {}
    for _ in range(args.repeats):
        for fmt in ("pptx", "pdf"):
            for name, warm, think in (("cold", False, 0.0), ("at_once", True, 0.0),
                                      ("after_think", True, args.think)):
                first.setdefault(f"{fmt}_{name}", []).append(
                    first_deck(fmt, warm=warm, think=think))
    renderer.close()
    store.close()
    folder.cleanup()

    median = {name: statistics.median(values) for name, values in timings.items()}
    print(json.dumps({
        "benchmark": "deck",
        "format": "pptx",
        "slides": len(slides),
        "pictures": len(pictures("pptx")),
        "seconds": round(median["pptx"], 3),
        "baseline": "the deck's pictures rendered one by one on the same warm exporter",
        "baseline_seconds": round(median["pptx_base"], 3),
        "ratio": round(median["pptx"] / median["pptx_base"], 2),
        "target": 1.5,
        "pdf_seconds": round(median["pdf"], 3),
        "pdf_baseline_seconds": round(median["pdf_base"], 3),
        "pdf_ratio": round(median["pdf"] / median["pdf_base"], 2),
        "exporter_start_seconds": round(startup, 2),
        "pptx_bytes": sizes["pptx"],
        "pdf_bytes": sizes["pdf"],
        "repeats": args.repeats,
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))
    ranges = {name: [round(min(v), 2), round(max(v), 2)] for name, v in first.items()}
    firsts = {name: statistics.median(v) for name, v in first.items()}
    print(json.dumps({
        "benchmark": "first_deck",
        "slides": len(slides),
        "baseline": "the same deck on a warm exporter (median of the deck runs above)",
        "pptx_warm_seconds": round(median["pptx"], 3),
        "pdf_warm_seconds": round(median["pdf"], 3),
        "think_seconds": args.think,
        **{f"{name}_seconds": round(value, 3) for name, value in firsts.items()},
        **{f"{fmt}_{name}_ratio": round(firsts[f"{fmt}_{name}"] / median[fmt], 2)
           for fmt in ("pptx", "pdf") for name in ("cold", "at_once", "after_think")},
        "ranges_seconds": ranges,
        "target": 1.5,
        "repeats": args.repeats,
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
