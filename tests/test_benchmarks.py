"""The benchmarks still run (tiny sizes): a benchmark that rots measures nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(script: str, *args: str) -> list[dict]:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], cwd=ROOT,
                          check=True, capture_output=True, text=True, timeout=600)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_report_benchmark_prints_its_ratio():
    (line,) = run("bench_report.py", "--rows", "20000", "--repeats", "1")
    assert line["benchmark"] == "report_all_quarters" and line["rows"] == 20000
    assert line["ratio"] > 0 and line["peak_mb"] > 0


def test_import_benchmark_prints_the_owners_ratios():
    lines = run("bench_import.py", "--rows", "4000", "--rounds", "1", "--pairs", "1")
    assert [line["benchmark"] for line in lines] == ["import_vs_engine_floor",
                                                      "import_peak_memory_vs_engine_floor",
                                                      "first_import_vs_warm",
                                                      "bulk_vs_pydantic_per_row"]
    floor, memory, first, bulk = lines
    assert (floor["target_ratio"], memory["target_ratio"], first["target_ratio"]) == (1.5, 2.0, 1.3)
    assert floor["ratio"] == floor["ratio_range"][0] > 0 and floor["pairs"] == 1
    assert floor["seconds"] >= floor["read_validate_seconds"] > 0
    assert memory["peak_mb"] >= memory["modules_mb"] > 0 and memory["baseline_peak_mb"] > 0
    # the seconds are printed to the millisecond: the ratio lies within their rounding
    low = (first["seconds"] - 5e-4) / (first["warm_seconds"] + 5e-4)
    high = (first["seconds"] + 5e-4) / (first["warm_seconds"] - 5e-4)
    assert low - 0.01 <= first["ratio"] <= high + 0.01
    assert bulk["speedup"] > 1  # bulk beats a pydantic model per row even on 4,000 rows


def test_page_benchmark_pairs_each_page_with_a_twin_of_the_same_elements():
    import os

    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_pages.py")],
                          cwd=ROOT, check=True, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "BENCH_REPEATS": "2",
                               "BENCH_PAGES": "overview vital_few present"})
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [line["page"] for line in lines] == ["overview", "vital_few", "present"]
    for line in lines:  # the twin draws what the page drew: as many elements, and some
        assert line["bare_elements"] == line["elements"] > 3, line
        assert line["ratio"] > 0 and line["target"] == 1.3 and line["repeats"] == 2


def test_a_twin_draws_the_pages_figures_and_cards():
    """The generated script makes the page's calls with the page's own text and figures."""
    from types import SimpleNamespace as Node

    from benchmarks.replay import PREBUILT, bare_script

    spec = json.dumps({"data": [{"type": "bar", "y": [1, 2]}], "layout": {"title": {"text": "T"}}})
    metric = Node(type="metric", proto=Node(label="Visible tip", body="$1.2M", delta=""))
    chart = Node(type="plotly_chart", key="chart.x", proto=Node(spec=spec, config="{}"))
    column = Node(type="column", weight=1, proto=Node(show_border=True), children={0: metric})
    columns = Node(type="flex_container", proto=None, children={0: column, 1: column})
    main = Node(children={0: Node(type="title", value="The cost iceberg", proto=None),
                          1: columns, 2: chart})
    source, count = bare_script("test", Node(main=main, sidebar=Node(children={})))
    compile(source, "twin.py", "exec")
    assert count == 4                       # a title, two cards, a chart
    assert "st.title('The cost iceberg')" in source and source.count("st.metric(") == 2
    assert "border=True" in source and "key='chart.x'" in source
    (figure,) = PREBUILT["test"]
    assert figure.to_dict()["layout"]["title"]["text"] == "T"   # prebuilt, its dict made once


def test_paired_timing_alternates_and_skips_the_warm_up():
    from benchmarks.timing import line, paired

    order: list[str] = []

    def measure(i: int) -> float:
        order.append(f"m{i}")
        return 2.0 * (i + 1)

    def baseline(i: int) -> float:
        order.append(f"b{i}")
        return float(i + 1)

    timed = paired(measure, baseline, repeats=3, warm=1, alternate=True)
    assert order == ["m0", "b0", "b1", "m1", "m2", "b2", "b3", "m3"]
    assert timed.ours == [4.0, 6.0, 8.0] and timed.bare == [2.0, 3.0, 4.0]
    record = line("x", "page", timed, 1.5)
    assert record["ratio"] == 2.0 and record["max_ratio"] == 2.667 and record["repeats"] == 3


def test_drivers_benchmark_prints_its_ratio():
    (line,) = run("bench_drivers.py", "--respondents", "2000", "--repeats", "1")
    assert line["benchmark"] == "key_drivers_lmg" and line["respondents"] == 2000
    assert line["ratio"] > 0


def test_browser_benchmark_times_a_switch_a_widget_and_first_paint():
    lines = run("bench_browser.py", "--repeats", "1", "--pages", "Cost iceberg",
                "--first-paints", "2")
    kinds = [(line["benchmark"], line["page"]) for line in lines]
    assert [line["repeats"] for line in lines[:2]] == [2, 2]  # two fresh pairs of servers
    assert kinds == [("browser_first_paint", "first visitor"),
                     ("browser_first_paint", "second visitor"),
                     ("browser_page_switch", "Cost iceberg"),
                     ("browser_widget", "relative baseline"),
                     ("browser_widget", "sidebar segment")]
    for line in lines:  # real times of a real browser, and a bare app that rendered too
        assert 0.05 < line["seconds"] < 30 and 0.05 < line["baseline_seconds"] < 30
        assert line["ratio"] > 0


def test_themes_benchmark_prints_its_ratio():
    (line,) = run("bench_themes.py", "--themes", "5", "--quarters", "4", "--plans", "3",
                  "--repeats", "1")
    assert line["benchmark"] == "report_with_themes_and_plans" and line["theme_rows"] == 160
    assert line["ratio"] > 0


def test_ratings_import_benchmark_prints_its_ratio():
    (line,) = run("bench_ratings_import.py", "--respondents", "2000", "--repeats", "1")
    assert line["benchmark"] == "ratings_wide_import_vs_duckdb_read_csv"
    assert line["respondents"] == 2000 and line["items"] == 12
    assert 2000 * 12 * 0.9 < line["answers"] < 2000 * 12        # about 3% left unanswered
    assert line["ratio"] > 0 and line["read_validate_ratio"] > 0
