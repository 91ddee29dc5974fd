"""Benchmark: the whole meeting deck against rendering its pictures one by one.

Prints one JSON line: the time to build the PowerPoint deck (figures, pictures, native
charts, the file) on a warm exporter, as a ratio to rendering the same pictures one by one
on the same warm exporter in the same run (target: within 1.5x). The PDF deck is measured
the same way and reported alongside. The demo dataset is loaded into a temporary database.

    python benchmarks/bench_deck.py [--repeats N]
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
    args = parser.parse_args()

    from cxroi import export
    from cxroi.demo import load_demo
    from cxroi.report import build_report
    from cxroi.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.duckdb")
        load_demo(store)
        report = build_report(store.dataset(), store.scenario("Baseline"))
        store.close()

    renderer = export.exporter()
    start = time.perf_counter()
    slides = export.deck_slides(report)
    renderer.png(export.slide_spec(slides[3].picture()), width=200, height=100)  # warm
    startup = time.perf_counter() - start

    def pictures(fmt: str) -> list:
        """The deck's pictures, as the deck renders them (built outside the timing)."""
        return [export.slide_spec(s.picture()) for s in export.deck_slides(report)
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
            blob = export.build_deck(report, fmt, renderer=renderer)
            timings[fmt].append(time.perf_counter() - began)
            sizes[fmt] = len(blob)
    renderer.close()

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


if __name__ == "__main__":
    main()
