"""The melt (the iceberg shrinks by area) and "show the math"."""

from __future__ import annotations

import pytest

from cxroi import charts
from cxroi.models import Assumptions
from cxroi.roi import iceberg, melt, melted

from .common import METRICS, NOTE, shoelace


class TestMelt:
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


class TestMath:
    def test_every_line_its_formula_inputs_and_amount_to_the_cent(self, berg):
        rows = {row["Line"]: row for row in charts.math_rows(berg, Assumptions())}
        lost = rows["Lost lifetime value"]
        assert lost["Formula"] == "customers_lost * attributable_churn_share * CLV"
        assert "customers_lost = 1,349 (count)" in lost["Inputs"]
        assert "CLV = $2,880.00" in lost["Inputs"]
        assert lost["Amount"] == "$1,942,560.00"  # 1,349 x 0.5 x 2,880
        assert rows["Refunds and credits"]["Amount"] == "$506,542.74"

    def test_every_input_is_shown_exactly_as_used_with_its_unit(self):
        a = Assumptions(prospects_lost_per_detractor=0.15, cost_per_contact=8.125,
                        hours_per_escalation=2.75)
        rows = {row["Line"]: row for row in charts.math_rows(iceberg(METRICS, a), a)}
        inputs = rows["Negative word of mouth"]["Inputs"]
        assert "prospects_lost_per_detractor = 0.15 customers" in inputs  # not 0.1
        assert "detractors = 3,418 (count)" in inputs
        assert "cost_per_contact = $8.125" in rows["Service contacts"]["Inputs"]
        escalation = rows["Escalation time"]["Inputs"]
        assert "hours_per_escalation = 2.75 hours" in escalation
        assert "manager_hourly_cost = $95.00 per hour" in escalation
        churn = rows["Lost lifetime value"]["Inputs"]
        assert "attributable_churn_share = 0.5 (50%)" in churn

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
