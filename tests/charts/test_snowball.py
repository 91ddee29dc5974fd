"""The snowball: lines added one by one, the running total and the projection."""

from __future__ import annotations

import pytest

from cxroi import charts
from cxroi.format import money
from cxroi.models import Assumptions
from cxroi.roi import iceberg, snowball

from .common import NOTE


class TestSnowball:
    def test_steps_build_from_the_tip_to_the_total(self, berg):
        ball = snowball([berg], Assumptions(horizon_years=1))
        fig = charts.snowball_steps(ball, NOTE)
        total = next(t for t in fig.data if t.name == "Total")
        assert total.y[0] == pytest.approx(berg.total)
        tip = next(t for t in fig.data if t.name == "Visible tip")
        assert tip.y[0] == pytest.approx(berg.visible)
        assert money(berg.visible) in fig.layout.title.text

    def test_quarters_show_the_projection(self):
        bergs = [iceberg({"refunds_credits": v}, Assumptions(), period=p)
                 for p, v in (("2025Q4", 100_000), ("2026Q1", 140_000))]
        ball = snowball(bergs, Assumptions(horizon_years=1))
        fig = charts.snowball_quarters(ball, NOTE)
        assert "$240k since 2025Q4" in fig.layout.title.text
        assert "another $480k by 2027Q1" in fig.layout.title.text.replace("<br>", " ")
