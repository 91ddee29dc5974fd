"""Relative size: bars and circles either side of the baseline."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from cxroi import charts, wording
from cxroi.models import ALL
from cxroi.report import RelativeView
from cxroi.roi import relative_size

from .common import HOSTILE, NOTE, everything


def _view(bars, baseline="normal", segment=ALL):
    return RelativeView("2026Q1", segment, baseline, tuple(bars))


class TestRelative:
    BARS = (
        relative_size("service_contacts", 1_543, 1_400, unit="count", higher_is_better=False),
        relative_size("promoters", 900, 1_000, unit="count", higher_is_better=True),
        relative_size("revenue", 1_100_000, 1_000_000, unit="money", higher_is_better=True),
        relative_size("returns", 80, None, unit="count", higher_is_better=False),
    )

    def test_bars_are_percent_of_baseline_coloured_by_direction_and_sorted(self):
        fig = charts.relative_bars(_view(self.BARS), NOTE)
        worse = next(t for t in fig.data if t.name == "Worse than normal")
        better = next(t for t in fig.data if t.name == "Better than normal")
        assert worse.marker.color == charts.WORSE and better.marker.color == charts.BETTER
        assert list(worse.y) == pytest.approx([0.10214, -0.1], rel=1e-3)  # contacts, promoters
        assert list(better.y) == pytest.approx([0.1])  # revenue up is good
        order = list(fig.layout.xaxis.categoryarray)
        assert [o.replace("<br>", " ") for o in order] == [
            "Service contacts", "Revenue", "Promoters"]  # returns has no baseline: counted
        assert "1 left out (no normal baseline)" in fig.layout.title.subtitle.text

    def test_money_metric_shows_its_money_delta(self):
        fig = charts.relative_bars(_view(self.BARS), NOTE)
        better = next(t for t in fig.data if t.name == "Better than normal")
        assert "+$100k" in better.text[0] and "+10%" in better.text[0]

    def test_measures_without_the_baseline_are_counted_not_drawn(self):
        fig = charts.relative_bars(_view(self.BARS, "benchmark"), NOTE)
        drawn = [x for t in fig.data for x in (t.x or ())]
        assert all("Returns" not in x for x in drawn)
        assert not [t for t in fig.data if isinstance(t, go.Scatter)]  # no "n/a" markers
        assert "1 left out (no industry baseline)" in fig.layout.title.subtitle.text

    def test_the_headline_leads_with_the_biggest_worse_move(self):
        better = relative_size("revenue", 150, 100, unit="money", higher_is_better=True)
        worse = relative_size("returns", 110, 100, unit="count", higher_is_better=False)
        title = wording.relative_headline(_view([better, worse]))
        assert title == "1 of 2 measures is worse than normal; biggest worse move: Returns +10%"
        fine = relative_size("service_contacts", 90, 100, unit="count", higher_is_better=False)
        assert wording.relative_headline(_view([better, fine])).startswith(
            "None of 2 measures is worse than normal; biggest move: Revenue +50%")

    def test_baseline_line_is_drawn_and_labelled(self):
        fig = charts.relative_bars(_view(self.BARS[:1]), NOTE)
        assert any(s.type == "line" and s.y0 == 0 for s in fig.layout.shapes)
        zero = list(fig.layout.yaxis.tickvals).index(0)
        assert fig.layout.yaxis.ticktext[zero] == "<b>Normal: 1,400</b>"

    def test_a_money_metric_can_be_drawn_in_money(self):
        fig = charts.relative_bars(_view(self.BARS), NOTE, metrics=["revenue"], in_money=True)
        assert list(fig.data[0].y) == [100_000.0]
        assert charts.money_only(_view(self.BARS), ["revenue"])
        assert not charts.money_only(_view(self.BARS))

    def test_hostile_metric_and_segment_come_out_escaped(self):
        bar = relative_size(HOSTILE, 10, 5, unit="count", higher_is_better=False)
        for fig in (charts.relative_bars(_view([bar], segment=HOSTILE), NOTE),
                    charts.relative_circles(_view([bar], segment=HOSTILE), NOTE),
                    charts.relative_bars(_view([bar], segment=HOSTILE), NOTE, compact=True)):
            text = everything(fig)
            assert "<script>" not in text
            assert "&lt;script&gt;" in text

    def test_circles_size_is_the_size_of_the_change(self):
        fig = charts.relative_circles(_view(self.BARS), NOTE)
        worse = next(t for t in fig.data if t.name == "Worse than normal")
        assert list(worse.marker.size) == pytest.approx([0.10214, 0.1], rel=1e-3)
        assert worse.marker.sizemode == "area"
        assert wording.size_word(0.05) == "small" and wording.size_word(-0.3) == "large"

    def test_title_counts_the_bad_news(self):
        title = wording.relative_headline(_view(self.BARS))
        assert title == ("2 of 3 measures are worse than normal; biggest worse move: "
                         "Service contacts +10%")
