"""Iceberg labels never overlap the waterline or each other, measured in the chart's own
coordinates: each label's height in pixels (its lines at its font size) turned into y units
by the plot's height in pixels and the y axis' range."""

from __future__ import annotations

import pytest

from cxroi import charts
from cxroi.charts.iceberg import LABEL, PRESENT_PLOT_PX
from cxroi.charts.labels import LINE_HEIGHT, plot_px
from cxroi.models import Assumptions
from cxroi.roi import iceberg

from .common import METRICS, NOTE

WATERLINE_HALF_PX = 1.5  # the waterline is 3 px thick
BIG_TIP = {**METRICS, "refunds_credits": 9_000_000, "returns": 60_000}
TINY_TIP = {**METRICS, "service_contacts": 10, "refunds_credits": 5, "returns": 1}
CASES = {"demo": METRICS, "big tip": BIG_TIP, "tiny tip": TINY_TIP,
         "hidden only": {"customers_lost": 10, "escalations": 3},
         "visible only": {"service_contacts": 100, "returns": 4}}


def extents(fig, pixels: float) -> list[tuple[float, float, str]]:
    """(low, high, name) of every iceberg label, in y units."""
    low, high = fig.layout.yaxis.range
    per_px = (high - low) / pixels
    out = []
    for note in fig.layout.annotations:
        if not (note.name or "").startswith(LABEL):
            continue
        half = (note.text.count("<br>") + 1) * note.font.size * LINE_HEIGHT / 2 * per_px
        out.append((note.y - half, note.y + half, note.name))
    return out


def assert_clear(boxes, fig, pixels: float) -> None:
    low, high = fig.layout.yaxis.range
    water = WATERLINE_HALF_PX * (high - low) / pixels
    for bottom, top, name in boxes:
        assert bottom > water or top < -water, f"{name} crosses the waterline"
        assert bottom >= low and top <= high, f"{name} is outside the chart"
    layers = sorted(b for b in boxes if not b[2].endswith(":side"))
    for (_, top, name), (bottom, _, other) in zip(layers, layers[1:], strict=False):
        assert top <= bottom, f"{name} overlaps {other}"
    sides = sorted(b for b in boxes if b[2].endswith(":side"))
    for (_, top, _), (bottom, _, _) in zip(sides, sides[1:], strict=False):
        assert top <= bottom


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("size", ["screen", "thumbnail", "presenting", "export"])
def test_labels_never_touch_the_waterline_or_each_other(case, size):
    berg = iceberg(CASES[case], Assumptions(), period="2026Q1")
    fig = charts.iceberg_figure(berg, NOTE, compact=size == "thumbnail",
                                presenting=size == "presenting")
    if size == "export":
        fig.update_layout(height=900)  # the PNG, PDF and PPTX picture's height
    pixels = PRESENT_PLOT_PX if size == "presenting" else plot_px(fig)
    boxes = extents(fig, pixels)
    assert len([b for b in boxes if not b[2].endswith(":side")]) == len(berg.lines)
    assert_clear(boxes, fig, pixels)


def test_the_check_catches_a_label_on_the_waterline():
    berg = iceberg(BIG_TIP, Assumptions(), period="2026Q1")
    fig = charts.iceberg_figure(berg, NOTE)
    returns = next(a for a in fig.layout.annotations if a.name == f"{LABEL}:returns_cost")
    returns.y = 0.0  # where the old layout put it, half under the water
    with pytest.raises(AssertionError, match="crosses the waterline"):
        assert_clear(extents(fig, plot_px(fig)), fig, plot_px(fig))


def test_the_thumbnail_is_labelled(berg):
    fig = charts.iceberg_figure(berg, NOTE, compact=True)
    texts = " ".join(a.text for a in fig.layout.annotations if (a.name or "").startswith(LABEL))
    assert "Service contacts" in texts and "Front-line turnover" in texts
