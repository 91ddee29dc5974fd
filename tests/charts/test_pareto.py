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


def _pareto_of(names):
    berg = roi.iceberg({"service_contacts": 10_000}, Assumptions(), period="2026Q1")
    return pareto_figure(roi.themes_money(berg, [Row(n, 100 * (len(names) - i))
                                                 for i, n in enumerate(names)]), NOTE)


def test_names_that_fit_their_bar_stay_level_wrapped_within_it():
    # three bars: 96 // 3 = 32 characters each, one line; eight: 12, so two words wrap
    fig = _pareto_of(["Late delivery", "Billing errors", "Slow refunds"])
    assert fig.layout.xaxis.tickangle == 0
    assert list(fig.layout.xaxis.ticktext) == ["Late delivery", "Billing errors",
                                               "Slow refunds"]
    fig = _pareto_of(["Late delivery", "Billing errors", *"abcdef"])
    assert list(fig.layout.xaxis.ticktext)[:2] == ["Late<br>delivery", "Billing<br>errors"]


def test_eleven_themes_with_a_long_word_are_all_angled_never_broken_mid_word():
    # the demo's eleven themes at 1280 px: 96 // 11 = 8 characters a bar, and "Understaffed"
    # has 12, so every name goes on one angled line (broken, it ran into its neighbours)
    names = ["Late delivery", "Billing errors", "Unhelpful staff", "Understaffed shifts",
             "Damaged on arrival", "Login problems", "Sizing confusion", "Promo code failures",
             "Slow refunds", "Store stock gaps", "Warranty claims"]
    fig = _pareto_of(names)
    assert fig.layout.xaxis.tickangle == -40
    assert list(fig.layout.xaxis.ticktext) == names


def test_an_angled_name_is_cut_at_thirty_characters_the_hover_keeps_it_whole():
    long = "Delivery promised for Tuesday arrived on the following Friday"
    fig = _pareto_of([long, "Supercalifragilistic", "a", "b", "c", "d", "e", "f", "g", "h"])
    shown = list(fig.layout.xaxis.ticktext)[0]
    assert shown == "Delivery promised for Tuesday…" and len(shown) == 30
    assert long in everything(fig)  # in the bar's hover data


def test_no_themes_draws_a_sentence_not_an_empty_axis():
    fig = pareto_figure(None, NOTE)
    assert not [t for t in fig.data if t.type == "bar"]
    assert "No themes yet" in everything(fig)


def test_the_themed_iceberg_hatches_the_themed_money_of_each_layer_by_area():
    from cxroi.charts.iceberg import iceberg_layers, polygon_area, themed_iceberg

    metrics = {"service_contacts": 10_000, "customers_lost": 100}
    berg = roi.iceberg(metrics, Assumptions(), period="2026Q1", segment=ALL)
    themes = roi.themes_money(berg, [Row("Late delivery", 2_500)])
    themed = roi.themed_lines(berg, themes)
    # a quarter of the contacts: a quarter of the service line, none of the customers lost
    assert themed["service_cost"] == pytest.approx(0.25 * 80_000)
    assert all(themed[k] == 0 for k in themed if k != "service_cost")
    assert sum(themed.values()) == pytest.approx(themes.iceberg_total - themes.unattributed)
    fig = themed_iceberg(berg, themed, NOTE, title="$20k of the $80k is explained by 1 theme.")
    hatched = [t for t in fig.data if (t.name or "").startswith("themed ")]
    assert [t.name for t in hatched] == ["themed service_cost"]
    layer = next(layer for layer in iceberg_layers(berg) if layer.key == "service_cost")
    share = polygon_area(hatched[0].x, hatched[0].y) / polygon_area(layer.xs, layer.ys)
    assert share == pytest.approx(0.25, abs=1e-5)
    assert max(hatched[0].x) < max(layer.xs)  # the left part, not the whole layer
    assert "Hatched" in fig.layout.title.subtitle.text
    assert "explained by 1 theme" in fig.layout.title.text


def test_themes_naming_more_than_recorded_hatch_the_whole_layer_and_no_more():
    from cxroi.charts.iceberg import themed_part

    berg = roi.iceberg({"service_contacts": 1_000}, Assumptions(), period="2026Q1",
                       segment=ALL)
    themes = roi.themes_money(berg, [Row("A", 900), Row("B", 600)])  # scaled to 1,000
    assert roi.themed_lines(berg, themes) == {"service_cost": pytest.approx(8_000.0)}
    square = ([0.0, 2.0, 2.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0, 0.0])
    xs, _ = themed_part(*square, 0.3)
    assert max(xs) == pytest.approx(0.6, abs=1e-5)
