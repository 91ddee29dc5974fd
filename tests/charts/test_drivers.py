"""The drill-down's pictures (cxroi.charts.drivers): signed, greyed, never hidden; quadrants."""

from __future__ import annotations

import numpy as np
import pytest

from cxroi.charts.drivers import (
    NOT_SIGNIFICANT,
    importance_figure,
    leading_figure,
    matrix_figure,
    quadrants,
)
from cxroi.charts.theme import BETTER, WORSE, footnote_text
from cxroi.drivers import key_drivers

from .common import HOSTILE, NOTE, everything


def survey(n: int = 200):
    """An outcome driven up by speed, down by wait (both significant), not by colour."""
    rng = np.random.default_rng(3)
    speed, wait, colour = (rng.integers(1, 6, n).astype(float) for _ in range(3))
    outcome = 2 * speed - 1.5 * wait + rng.normal(0, 1, n)
    return key_drivers("outcome", {"outcome": outcome, "speed": speed, "wait": wait,
                                   HOSTILE: colour}, period="2026Q1")


class TestImportance:
    def test_bars_are_shares_signed_by_r_and_grey_when_not_significant(self):
        result = survey()
        fig = importance_figure(result, footnote=NOTE)
        bars = fig.data[0]
        by_item = {d.item: d for d in result.drivers}
        rows = list(result.drivers)[::-1]
        assert list(bars.x) == pytest.approx(
            [d.share if d.r >= 0 else -d.share for d in rows])
        assert by_item["wait"].r < 0 and by_item["speed"].r > 0
        colours = dict(zip([d.item for d in rows], bars.marker.color, strict=True))
        assert colours["speed"] == BETTER and colours["wait"] == WORSE
        hostile = by_item[HOSTILE.lower()]
        assert not hostile.significant and colours[HOSTILE.lower()] == NOT_SIGNIFICANT
        assert abs(bars.x[rows.index(hostile)]) == pytest.approx(hostile.share)  # not zeroed
        assert "<script>" not in everything(fig)
        assert "Zendesk export" in footnote_text(fig)
        assert "R² =" in fig.layout.title.subtitle.text


class TestMatrix:
    def test_quadrants_split_at_equal_share_and_the_average_score(self):
        result = survey()
        split = quadrants(result)
        assert split.share_line == pytest.approx(1 / 3)
        assert split.score_line == pytest.approx(np.mean([d.mean for d in result.drivers]))
        for d in result.drivers:
            important, low = d.share >= 1 / 3, d.mean < split.score_line
            expected = {(True, True): "fix", (True, False): "keep", (False, True): "watch",
                        (False, False): "over"}[(important, low)]
            assert split.of_item[d.item] == expected
        fig = matrix_figure(result, footnote=NOTE)
        assert "<script>" not in everything(fig)
        if split.fix_first:
            assert fig.layout.title.text.startswith("Fix first")


def test_the_leading_scatter_names_the_test_and_draws_every_pair():
    fig = leading_figure([("2025Q2", 1.0, 2.0), ("2025Q3", 2.0, 4.0)], indicator="escalations",
                         outcome="customers_lost", lag=1, tested=None, footnote=NOTE)
    assert list(fig.data[0].x) == [1.0, 2.0] and list(fig.data[0].y) == [2.0, 4.0]
    assert "too few quarters" in fig.layout.title.text
