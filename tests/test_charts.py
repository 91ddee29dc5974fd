"""Chart builders: the pictures cannot lie, carry their footnote, and never run user markup.

The iceberg's claim is that each layer's *area* is its money: the areas are measured here
from the figure's own polygons with the shoelace formula, independently of the builder.
"""

from __future__ import annotations

import doctest
import json
import math

import plotly.graph_objects as go
import pytest

import cxroi.charts
from cxroi import charts
from cxroi.models import ALL, Assumptions, Footnote
from cxroi.report import RelativeView
from cxroi.roi import effort_split, iceberg, melt, melted, relative_size, snowball

HOSTILE = "<script>alert(1)</script>"
METRICS = {"service_contacts": 60_898, "refunds_credits": 506_542.74, "returns": 9_033,
           "escalations": 504, "customers_lost": 1_349, "detractors": 3_418,
           "deals_delayed": 241, "frontline_leavers": 42}
NOTE = Footnote(sources=("Zendesk export",), scopes=("North America",),
                periods=("2025Q4", "2026Q1"), scenario="Baseline@1")


def shoelace(xs, ys) -> float:
    """Area of a closed polygon, computed here without the module's helper."""
    pts = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None]
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1)
                   in zip(pts, pts[1:] + pts[:1], strict=True))) / 2


def layer_areas(fig: go.Figure, keys) -> dict[str, float]:
    return {t.name: shoelace(t.x, t.y) for t in fig.data
            if t.fill == "toself" and t.name in keys}


def everything(fig: go.Figure) -> str:
    return fig.to_json()


@pytest.fixture
def berg():
    return iceberg(METRICS, Assumptions(), period="2026Q1", segment=ALL)


class TestTemplate:
    def test_doctests(self):
        assert doctest.testmod(cxroi.charts).failed == 0

    def test_finish_applies_template_title_and_footnote(self):
        fig = charts.finish(go.Figure(go.Bar(x=[1], y=[2])), title="Hidden costs are 3.8x",
                            footnote=NOTE)
        assert fig.layout.template.layout.font.size == charts.BODY_SIZE
        assert fig.layout.template.layout.colorway[0] == charts.BETTER
        assert "Hidden costs are 3.8x" in fig.layout.title.text
        assert charts.footnote_text(fig).replace("<br>", " ") == NOTE.text()

    def test_palette_is_okabe_ito(self):
        assert (charts.WORSE, charts.BETTER) == ("#D55E00", "#0072B2")

    def test_plain_escapes_markup(self):
        assert charts.plain(HOSTILE) == "&lt;script&gt;alert(1)&lt;/script&gt;"

    def test_title_and_footnote_are_escaped(self):
        fig = charts.finish(go.Figure(), title=f"Segment {HOSTILE}",
                            footnote=Footnote(sources=(HOSTILE,)))
        assert "<script>" not in everything(fig)
        assert "&lt;script&gt;" in fig.layout.title.text
        assert "&lt;script&gt;" in charts.footnote_text(fig)

    def test_long_footnote_is_wrapped_into_the_figure(self):
        note = Footnote(sources=tuple(f"Source number {i}" for i in range(30)))
        fig = charts.finish(go.Figure(), title="t", footnote=note, height=400)
        lines = charts.footnote_text(fig).split("<br>")
        assert len(lines) > 2 and all(len(line) <= 120 for line in lines)
        assert " ".join(lines) == note.text()
        assert fig.layout.height > 400


class TestIceberg:
    def test_layer_areas_are_proportional_to_money(self, berg):
        fig = charts.iceberg_figure(berg, NOTE)
        areas = layer_areas(fig, {line.key for line in berg.lines})
        assert set(areas) == {line.key for line in berg.lines}
        per_dollar = [areas[line.key] / line.amount for line in berg.lines]
        assert max(per_dollar) == pytest.approx(min(per_dollar), rel=1e-9)

    def test_tip_is_above_the_waterline_and_hidden_below(self, berg):
        fig = charts.iceberg_figure(berg, NOTE)
        layers = {line.key: line.layer for line in berg.lines}
        for trace in fig.data:
            if trace.fill == "toself" and trace.name in layers:
                if layers[trace.name] == "visible":
                    assert min(trace.y) >= -1e-9
                else:
                    assert max(trace.y) <= 1e-9

    def test_visible_and_hidden_areas_match_the_multiple(self, berg):
        fig = charts.iceberg_figure(berg, NOTE)
        areas = layer_areas(fig, {line.key for line in berg.lines})
        visible = sum(a for k, a in areas.items() if k in {"service_cost", "refunds_credits",
                                                            "returns_cost"})
        hidden = sum(areas.values()) - visible
        assert hidden / visible == pytest.approx(berg.hidden_multiple, rel=1e-9)

    def test_headline_states_the_point(self, berg):
        fig = charts.iceberg_figure(berg, NOTE)
        expected = (f"Finance sees {charts.money(berg.visible)}; it really costs "
                    f"{charts.money(berg.total)} "
                    f"({charts.multiple(berg.total_multiple)} the tip)")
        assert fig.layout.title.text.replace("<br>", " ") == expected
        partial = iceberg({"service_contacts": 100, "escalations": 10}, Assumptions())
        assert f"it really costs at least {charts.money(partial.total)}" in \
            charts.iceberg_headline(partial)

    def test_labels_name_amount_and_share(self, berg):
        fig = charts.iceberg_figure(berg, NOTE)
        labels = " ".join(a.text for a in fig.layout.annotations)
        lost = next(line for line in berg.lines if line.key == "lost_lifetime_value")
        assert "Lost lifetime value" in labels
        assert charts.money(lost.amount) in labels
        assert charts.percent(lost.amount / berg.total) in labels

    def test_footnote_is_in_the_figure(self, berg):
        fig = charts.iceberg_figure(berg, NOTE)
        assert charts.footnote_text(fig).replace("<br>", " ") == NOTE.text()

    def test_hostile_segment_comes_out_escaped(self):
        berg = iceberg(METRICS, Assumptions(), period="2026Q1", segment=HOSTILE)
        fig = charts.iceberg_figure(berg, Footnote(scopes=(HOSTILE,)))
        text = everything(fig)
        assert "<script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fig.layout.title.subtitle.text

    def test_an_empty_iceberg_says_so(self):
        fig = charts.iceberg_figure(None, NOTE)
        assert "No cost" in fig.layout.title.text
        assert charts.footnote_text(fig)

    def test_only_hidden_or_only_visible_lines(self):
        for metrics in ({"customers_lost": 10}, {"service_contacts": 100}):
            berg = iceberg(metrics, Assumptions())
            fig = charts.iceberg_figure(berg, NOTE)
            areas = layer_areas(fig, {line.key for line in berg.lines})
            assert len(areas) == len(berg.lines)

    def test_melted_iceberg_shrinks_by_area(self, berg):
        a = Assumptions(right_first_time_gain=0.25)
        after = melted(berg, a)
        case = melt([berg], a)
        fig = charts.melt_figure(berg, after, case, NOTE)
        keys = {line.key for line in berg.lines}
        polygons = [(t.name, shoelace(t.x, t.y)) for t in fig.data
                    if t.fill == "toself" and t.name in keys]
        before = dict(polygons[:len(keys)])
        remains = dict(polygons[len(keys):])
        for key in keys:
            assert remains[key] / before[key] == pytest.approx(0.75, rel=1e-9)
        assert "NPV" in fig.layout.title.text

    def test_polygon_area_helper_agrees(self):
        assert charts.polygon_area([0, 2, 2, 0, 0], [0, 0, 3, 3, 0]) == 6


class TestSnowball:
    def test_steps_build_from_the_tip_to_the_total(self, berg):
        ball = snowball([berg], Assumptions(horizon_years=1))
        fig = charts.snowball_steps(ball, NOTE)
        total = next(t for t in fig.data if t.name == "Total")
        assert total.y[0] == pytest.approx(berg.total)
        tip = next(t for t in fig.data if t.name == "Visible tip")
        assert tip.y[0] == pytest.approx(berg.visible)
        assert charts.money(berg.visible) in fig.layout.title.text

    def test_quarters_show_the_projection(self):
        bergs = [iceberg({"refunds_credits": v}, Assumptions(), period=p)
                 for p, v in (("2025Q4", 100_000), ("2026Q1", 140_000))]
        ball = snowball(bergs, Assumptions(horizon_years=1))
        fig = charts.snowball_quarters(ball, NOTE)
        assert "$240k since 2025Q4" in fig.layout.title.text
        assert "another $480k by 2027Q1" in fig.layout.title.text.replace("<br>", " ")


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
            "Service contacts", "Revenue", "Promoters", "Returns"]

    def test_money_metric_shows_its_money_delta(self):
        fig = charts.relative_bars(_view(self.BARS), NOTE)
        better = next(t for t in fig.data if t.name == "Better than normal")
        assert "+$100k" in better.text[0] and "+10%" in better.text[0]

    def test_missing_baseline_is_said_not_drawn_as_zero(self):
        fig = charts.relative_bars(_view(self.BARS, "benchmark"), NOTE)
        bars = [t for t in fig.data if isinstance(t, go.Bar)]
        assert all("Returns" not in x for t in bars for x in t.x)
        marker = next(t for t in fig.data if isinstance(t, go.Scatter))
        assert list(marker.text) == ["n/a"]
        assert marker.name == "No industry baseline (n/a)"

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
        assert charts.size_word(0.05) == "small" and charts.size_word(-0.3) == "large"

    def test_title_counts_the_bad_news(self):
        title = charts.relative_headline(_view(self.BARS))
        assert title == "2 of 3 measures are worse than normal; biggest move: Service contacts +10%"


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


class TestMath:
    def test_every_line_its_formula_inputs_and_amount_to_the_cent(self, berg):
        rows = {row["Line"]: row for row in charts.math_rows(berg, Assumptions())}
        lost = rows["Lost lifetime value"]
        assert lost["Formula"] == "customers_lost * attributable_churn_share * CLV"
        assert "customers_lost = 1,349" in lost["Inputs"]
        assert "CLV = $2,880.00" in lost["Inputs"]
        assert lost["Amount"] == "$1,942,560.00"  # 1,349 x 0.5 x 2,880
        assert rows["Refunds and credits"]["Amount"] == "$506,542.74"

    def test_clv_has_its_own_formula(self, berg):
        rows = {row["Line"]: row for row in charts.math_rows(berg, Assumptions())}
        clv = rows["CLV (customer lifetime value)"]
        assert clv["Formula"] == ("annual_revenue_per_customer * gross_margin * "
                                  "expected_lifetime_years")
        assert clv["Amount"] == "$2,880.00"

    def test_missing_lines_are_named(self):
        berg = iceberg({"service_contacts": 10}, Assumptions())
        rows = {row["Line"]: row for row in charts.math_rows(berg, Assumptions())}
        assert "at least" in rows["Slower sales"]["Amount"]
        assert "deals_delayed" in rows["Slower sales"]["Inputs"]
        assert rows["Total"]["Amount"] == "$80.00"


def test_present_enlarges_but_keeps_the_footnote(berg):
    fig = charts.iceberg_figure(berg, NOTE)
    before = fig.layout.font.size or charts.BODY_SIZE
    charts.present(fig)
    assert fig.layout.font.size > before
    assert charts.footnote_text(fig)


def test_figures_serialise(berg):
    json.loads(charts.iceberg_figure(berg, NOTE).to_json())
    assert math.isfinite(charts.polygon_area([0, 1, 0, 0], [0, 0, 1, 0]))
