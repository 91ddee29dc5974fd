"""The effort split, the loops and the trend against their targets."""

from __future__ import annotations

import pytest

from cxroi import charts
from cxroi.models import ALL, Assumptions
from cxroi.roi import effort_split

from .common import HOSTILE, NOTE, everything


class TestEffort:
    def splits(self, department=ALL):
        a = Assumptions()
        company = effort_split([("TM", "inner", 1500), ("EL", "outer", 200), ("EM", None, 700),
                                ("EL", "outer", 350)], a, period="2026Q1")
        dept = effort_split([("TM", "inner", 100), ("EL", "outer", 300)], a, period="2026Q1",
                            department=department)
        return [company, dept]

    def test_title_states_the_gap(self):
        fig = charts.effort_figure(self.splits("Product"), target=0.5, footnote=NOTE)
        assert fig.layout.title.text == "EL is 20% of effort: 825 hours short of 50%"

    def test_the_target_line_is_drawn(self):
        fig = charts.effort_figure(self.splits("Product"), target=0.5, footnote=NOTE)
        assert any(s.type == "line" and s.x0 == 0.5 for s in fig.layout.shapes)
        assert any("EL target 50%" in t for t in fig.layout.xaxis.ticktext)

    def test_shares_and_loops(self):
        fig = charts.loop_figure(self.splits("Product"), target=0.5, footnote=NOTE)
        outer = fig.data[0]
        assert list(outer.x) == pytest.approx([0.75, 550 / 2050])  # Product, then company
        assert fig.layout.title.text == "Outer loop is 27% of looped effort, short of 50%"

    def test_trend(self):
        fig = charts.effort_trend(self.splits()[:1], el_target=0.5, loop_target=0.5,
                                  footnote=NOTE)
        assert "short of 50%" in fig.layout.title.text
        assert charts.footnote_text(fig)

    def test_hostile_department_comes_out_escaped(self):
        for compact in (False, True):
            fig = charts.effort_figure(self.splits(HOSTILE), target=0.5, footnote=NOTE,
                                       compact=compact)
            assert "<script>" not in everything(fig)
            assert "&lt;script&gt;" in everything(fig)
