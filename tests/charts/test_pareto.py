"""The Pareto chart draws each theme's money, its cumulative share and the 80% line."""

from __future__ import annotations

import pytest

from cxroi import roi
from cxroi.charts.pareto import USEFUL, VITAL, pareto_figure
from cxroi.models import ALL, Assumptions

from .common import HOSTILE, NOTE, everything


class Row:
    def __init__(self, theme, count, department=None):
        self.theme, self.count, self.department = theme, count, department
        self.metric = "service_contacts"


@pytest.fixture
def themes():
    # 10,000 contacts at $8 (the default cost per contact): $80,000 in the iceberg
    berg = roi.iceberg({"service_contacts": 10_000}, Assumptions(), period="2026Q1",
                       segment=ALL)
    return roi.themes_money(berg, [Row("Late delivery", 5_000, "Operations"),
                                   Row(HOSTILE, 3_000, "Finance"),
                                   Row("Slow refunds", 1_000, "Finance")])


def bars(fig):
    return next(t for t in fig.data if t.type == "bar" and t.name == "Money")


def line(fig):
    return next(t for t in fig.data if t.type == "scatter")


def test_the_bars_are_each_themes_money_in_pareto_order_coloured_by_the_eighty_percent_rule(
        themes):
    fig = pareto_figure(themes, NOTE)
    assert list(bars(fig).y) == [40_000.0, 24_000.0, 8_000.0]
    # 40k / 72k = 55.6% (vital), 64k / 72k = 88.9% (crosses 80%: vital), then useful
    assert list(bars(fig).marker.color) == [VITAL, VITAL, USEFUL]
    assert list(line(fig).y) == pytest.approx([40 / 72, 64 / 72, 1.0])
    assert line(fig).name == "Cumulative share"
    assert [s.y0 for s in fig.layout.shapes if s.yref == "y2"] == [0.8]


def test_a_work_groups_bars_keep_their_place_in_the_whole_pareto_and_say_so(themes):
    finance = [t for t in themes.items if t.department == "Finance"]
    fig = pareto_figure(themes, NOTE, items=finance)
    assert list(bars(fig).y) == [24_000.0, 8_000.0]
    assert list(line(fig).y) == pytest.approx([64 / 72, 1.0])
    assert line(fig).name == "Cumulative share of all themes"


def test_theme_names_reach_the_chart_as_plain_text(themes):
    text = everything(pareto_figure(themes, NOTE))
    assert HOSTILE not in text and "&lt;script&gt;" in text


def test_no_themes_draws_a_sentence_not_an_empty_axis():
    fig = pareto_figure(None, NOTE)
    assert not [t for t in fig.data if t.type == "bar"]
    assert "No themes yet" in everything(fig)
