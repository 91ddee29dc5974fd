"""Unit tests for the drill-down's money in cxroi.roi: themes, a theme's year, a plan's case,
revenue at risk. Hand-computed like tests/test_roi.py, against docs/design.md
("The drill-down"); the figures come from tests/data/samples.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cxroi.roi
from cxroi.models import Assumptions
from cxroi.roi import iceberg
from tests.helpers import FAST, cents, exact

Row = __import__("collections").namedtuple("Row", "theme metric count department")

# tests/data/samples: metrics_clean.csv summed over Retail and Business for 2026Q1 (All):
SAMPLE_ALL = {"service_contacts": 15400 + 3100, "refunds_credits": 61250.0,
              "customers_lost": 380 + 22, "escalations": 35}
# themes_clean.csv, both segments' rows (the All figure is their sum):
SAMPLE_THEMES = [
    Row("Late delivery", "service_contacts", 5000, "Logistics"),
    Row("Billing errors", "service_contacts", 3000, "Finance"),
    Row("Billing errors", "refunds_credits", 20_000, "Finance"),
    Row("Login problems", "service_contacts", 2000, "IT"),
    Row("Billing errors", "service_contacts", 1000, "Finance"),
    Row("Billing errors", "escalations", 10, "Finance"),
    Row("Late delivery", "customers_lost", 5, "Logistics"),
]


class TestUnitCosts:
    def test_each_metric_costs_its_lines_per_unit(self):
        berg = iceberg(SAMPLE_ALL, Assumptions())
        assert cxroi.roi.unit_costs(berg) == {
            "service_contacts": exact(8.0),
            "refunds_credits": exact(1.0),
            "escalations": exact(3 * 95.0),                   # 285
            "customers_lost": exact(0.5 * 2880 + 0.5 * 400),  # 1,640: two lines
        }

    def test_a_metric_of_zero_has_no_unit_cost(self):
        berg = iceberg({"service_contacts": 0, "returns": 4}, Assumptions())
        assert cxroi.roi.unit_costs(berg) == {"returns": exact(25.0)}


class TestThemesMoney:
    def test_the_sample_to_the_cent(self):
        found = cxroi.roi.themes_money(iceberg(SAMPLE_ALL, Assumptions(), period="2026Q1"),
                                       SAMPLE_THEMES)
        money = {t.theme: t.money for t in found.items}
        # Billing: 4,000 x $8 + $20,000 + 10 x 3 h x $95 = 32,000 + 20,000 + 2,850
        # Late delivery: 5,000 x $8 + 5 x 1,640 = 40,000 + 8,200; Login: 2,000 x $8
        assert money == {"Billing errors": cents(54_850), "Late delivery": cents(48_200),
                         "Login problems": cents(16_000)}
        assert [t.theme for t in found.items] == ["Billing errors", "Late delivery",
                                                  "Login problems"]
        assert [t.vital_few for t in found.items] == [True, True, False]
        # (54,850 + 48,200) / 119,050 = 0.86560
        assert found.items[1].cumulative_share == pytest.approx(103_050 / 119_050, abs=1e-12)
        assert found.iceberg_total == cents(878_505)
        assert found.unattributed == cents(878_505 - 119_050)  # 759,455
        assert found.items[0].department == "Finance"
        assert found.items[0].by_metric["refunds_credits"] == (exact(20_000), exact(20_000))
        assert found.warnings == ()

    def test_over_coded_counts_are_scaled_with_a_warning(self):
        berg = iceberg({"service_contacts": 1000}, Assumptions())
        found = cxroi.roi.themes_money(berg, [Row("A", "service_contacts", 1500, None),
                                              Row("B", "service_contacts", 500, None)])
        # C = 2,000 > 1,000: k = 0.5; A = 750 x $8, B = 250 x $8, nothing left over
        assert [(t.theme, t.money) for t in found.items] == [("A", cents(6000)),
                                                             ("B", cents(2000))]
        assert found.items[0].by_metric["service_contacts"][0] == exact(750)
        assert found.unattributed == cents(0)
        assert len(found.warnings) == 1 and "service_contacts" in found.warnings[0]

    def test_a_metric_the_iceberg_lacks_adds_nothing_and_is_named(self):
        berg = iceberg({"service_contacts": 1000, "returns": 0}, Assumptions())
        found = cxroi.roi.themes_money(berg, [Row("A", "returns", 30, None),
                                              Row("A", "escalations", 2, None),
                                              Row("A", "service_contacts", 100, None)])
        assert found.items[0].money == cents(800)
        assert found.unattributed == cents(7200)
        assert [w.split(":")[0] for w in found.warnings] == ["escalations", "returns"]

    def test_the_theme_that_crosses_80_percent_is_in_the_vital_few(self):
        berg = iceberg({"refunds_credits": 100}, Assumptions())
        rows = [Row(name, "refunds_credits", amount, None)
                for name, amount in (("a", 50), ("b", 30), ("c", 10), ("d", 10))]
        found = cxroi.roi.themes_money(berg, rows)
        # 50 + 30 = 80 reaches 80% exactly: a and b; c and d (ties by name) are the many
        assert [(t.theme, t.vital_few) for t in found.items] == [
            ("a", True), ("b", True), ("c", False), ("d", False)]

    def test_names_differing_in_case_are_one_theme(self):
        berg = iceberg({"refunds_credits": 100}, Assumptions())
        found = cxroi.roi.themes_money(berg, [Row("Late delivery", "refunds_credits", 10, "Ops"),
                                              Row("late DELIVERY", "refunds_credits", 5, None)])
        assert [(t.theme, t.money, t.department) for t in found.items] == [
            ("Late delivery", cents(15), "Ops")]

    def test_no_themes_leave_the_whole_iceberg_unattributed(self):
        berg = iceberg(SAMPLE_ALL, Assumptions())
        found = cxroi.roi.themes_money(berg, [])
        assert found.items == () and found.unattributed == cents(878_505)

    @FAST
    @given(st.dictionaries(st.sampled_from(sorted(cxroi.roi.ICEBERG_METRICS)),
                           st.floats(0, 1e7, allow_nan=False), min_size=1),
           st.lists(st.tuples(st.sampled_from("abcde"),
                              st.sampled_from(sorted(cxroi.roi.ICEBERG_METRICS)),
                              st.floats(0, 1e7, allow_nan=False)), max_size=12))
    def test_themes_and_remainder_are_the_total_to_the_cent(self, metrics, rows):
        berg = iceberg(metrics, Assumptions())
        found = cxroi.roi.themes_money(berg, [Row(t, m, c, None) for t, m, c in rows])
        assert math.fsum(t.money for t in found.items) + found.unattributed == cents(berg.total)
        assert found.unattributed >= -0.005 * max(1, len(rows))
        shares = [t.share for t in found.items]
        assert all(s >= 0 for s in shares)
        if any(t.money > 0 for t in found.items):
            assert math.fsum(shares) == pytest.approx(1.0)
            assert found.items[0].vital_few


class TestThemeAnnualCost:
    def test_four_times_the_mean_of_the_latest_four_quarters(self):
        quarters = []
        for period, amount in (("2025Q1", 999), ("2025Q2", 100), ("2025Q3", 0),
                               ("2025Q4", 300), ("2026Q1", 200)):
            berg = iceberg({"refunds_credits": 2000}, Assumptions(), period=period)
            rows = [Row("Other", "refunds_credits", 10, None)]
            if amount:
                rows.append(Row("Billing", "refunds_credits", amount, None))
            quarters.append(cxroi.roi.themes_money(berg, rows))
        # the latest four: 100, 0 (absent), 300, 200 -> 4 x 600 / 4 = 600
        assert cxroi.roi.theme_annual_cost("Billing", quarters) == cents(600)
        assert cxroi.roi.theme_annual_cost("Billing", quarters[:1]) == cents(4 * 999)
        assert cxroi.roi.theme_annual_cost("Billing", []) == 0.0


class TestPlanCase:
    def test_the_melt_arithmetic_with_the_plans_costs(self):
        case = cxroi.roi.plan_case(100_000, investment=30_000, running_cost=2_000,
                                   expected_reduction=0.5, assumptions=Assumptions())
        # B = 100,000 x 0.5 x (1 - 0.2) = 40,000; net 38,000 a year at 10% for 3 years:
        # annuity = 1/1.1 + 1/1.21 + 1/1.331 = 2.486851991
        annuity = 1 / 1.1 + 1 / 1.21 + 1 / 1.331
        assert case.yearly_benefit == cents(40_000)
        assert case.npv == cents(-30_000 + 38_000 * annuity)            # 64,500.38
        pv_costs = 30_000 + 2_000 * annuity
        assert case.roi == pytest.approx((40_000 * annuity - pv_costs) / pv_costs, rel=1e-12)
        assert case.payback_months == pytest.approx(12 * 30_000 / 38_000)  # 9.47

    def test_a_plan_that_costs_more_than_it_removes_never_pays_back(self):
        case = cxroi.roi.plan_case(1_000, investment=0, running_cost=5_000,
                                   expected_reduction=1, assumptions=Assumptions())
        assert case.payback_months is None and case.npv < 0

    def test_a_free_plan_has_no_roi(self):
        case = cxroi.roi.plan_case(1_000, investment=0, running_cost=0,
                                   expected_reduction=1, assumptions=Assumptions())
        assert case.roi is None and case.payback_months == 0.0  # earned back at once


class TestRevenueAtRisk:
    def test_each_figure_from_its_own_count(self):
        risk = cxroi.roi.revenue_at_risk({"detractors": 150, "passives": 400, "promoters": 900,
                                          "customers": 5000}, Assumptions(), period="2026Q1")
        # 150 x 0.5 x 1,200; 400 x 0.3 x 1,200; 900 x 0.3 x 1,200
        assert (risk.short_term, risk.long_term, risk.growth_potential) == (
            cents(90_000), cents(144_000), cents(324_000))
        assert risk.inputs == {"detractors": 150.0, "passives": 400.0, "promoters": 900.0,
                               "annual_revenue_per_customer": 1200.0}

    def test_an_absent_count_gives_none_not_zero(self):
        risk = cxroi.roi.revenue_at_risk({"passives": 10}, Assumptions(
            passive_revenue_at_risk=0.5, annual_revenue_per_customer=1000))
        assert (risk.short_term, risk.long_term, risk.growth_potential) == (None, 5000.0, None)
