"""The iceberg cannot lie: each layer's area, measured from the figure's own polygons
with the shoelace formula, is its money."""

from __future__ import annotations

import pytest

from cxroi import charts, wording
from cxroi.format import money, multiple, percent
from cxroi.models import Assumptions, Footnote
from cxroi.roi import iceberg

from .common import HOSTILE, METRICS, NOTE, everything, layer_areas


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
        expected = (f"Finance sees {money(berg.visible)}; it really costs "
                    f"{money(berg.total)}: hidden costs are "
                    f"{multiple(berg.hidden_multiple)} the visible tip")
        assert fig.layout.title.text.replace("<br>", " ") == expected
        partial = iceberg({"service_contacts": 100, "escalations": 10}, Assumptions())
        assert f"it really costs at least {money(partial.total)}" in \
            wording.iceberg_headline(partial)

    def test_labels_name_amount_and_share(self, berg):
        fig = charts.iceberg_figure(berg, NOTE)
        labels = " ".join(a.text for a in fig.layout.annotations)
        lost = next(line for line in berg.lines if line.key == "lost_lifetime_value")
        assert "Lost lifetime value" in labels
        assert money(lost.amount) in labels
        assert percent(lost.amount / berg.total) in labels

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

    def test_polygon_area_helper_agrees(self):
        assert charts.polygon_area([0, 2, 2, 0, 0], [0, 0, 3, 3, 0]) == 6
