"""Unit tests for cxroi.roi's iceberg, snowball and melt: one class per public function,
hand-computed expectations (the effort split and relative size, and the drill-down's money,
have their own files).

Every expected number below is worked out by hand from the formulas in docs/design.md
("The calculations") and written next to it as arithmetic; none is obtained by calling
the code under test. Money is compared to the cent, ratios to 4 decimal places (or
``pytest.approx`` with a tight relative tolerance where the arithmetic is exact).
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxroi.models import Assumptions, CxroiError
from cxroi.roi import (
    Iceberg,
    iceberg,
    melt,
    melted,
    payback_months,
    present_value,
    snowball,
)
from tests.helpers import FAST, cents, exact


# docs/design.md, "The calculations": line -> (layer, formula), in the table's order.
DESIGN_LINES: dict[str, tuple[str, str]] = {
    "service_cost": ("visible", "service_contacts * cost_per_contact"),
    "refunds_credits": ("visible", "refunds_credits"),
    "returns_cost": ("visible", "returns * cost_per_return"),
    "escalation_time": ("hidden", "escalations * hours_per_escalation * manager_hourly_cost"),
    "lost_lifetime_value": ("hidden", "customers_lost * attributable_churn_share * CLV"),
    "replacement_acquisition": (
        "hidden",
        "customers_lost * attributable_churn_share * acquisition_cost_per_customer",
    ),
    "negative_word_of_mouth": ("hidden", "detractors * prospects_lost_per_detractor * CLV"),
    "slower_sales": ("hidden", "deals_delayed * delay_cost_per_deal"),
    "frontline_turnover": ("hidden", "frontline_leavers * replacement_cost_per_employee"),
}

# One quarter with every iceberg input present.
FULL_QUARTER = {
    "service_contacts": 1543,
    "refunds_credits": 12_500,
    "returns": 40,
    "escalations": 35,
    "customers_lost": 12,
    "detractors": 90,
    "deals_delayed": 6,
    "frontline_leavers": 2,
}
# With the defaults, CLV = 1200 * 0.6 * 4 = 2,880.
FULL_QUARTER_DEFAULTS = {
    "service_cost": 12_344.0,  # 1,543 contacts * $8 = 12,344
    "refunds_credits": 12_500.0,  # the money itself
    "returns_cost": 1_000.0,  # 40 returns * $25 = 1,000
    "escalation_time": 9_975.0,  # 35 esc * 3 h * $95 = 9,975
    "lost_lifetime_value": 17_280.0,  # 12 lost * 0.5 * $2,880 = 17,280
    "replacement_acquisition": 2_400.0,  # 12 lost * 0.5 * $400 = 2,400
    "negative_word_of_mouth": 38_880.0,  # 90 detractors * 0.15 * $2,880 = 13.5 * 2,880 = 38,880
    "slower_sales": 3_000.0,  # 6 deals * $500 = 3,000
    "frontline_turnover": 30_000.0,  # 2 leavers * $15,000 = 30,000
}
# visible = 12,344 + 12,500 + 1,000 = 25,844
# hidden  = 9,975 + 17,280 + 2,400 + 38,880 + 3,000 + 30,000 = 101,535
# total   = 25,844 + 101,535 = 127,379
FULL_VISIBLE, FULL_HIDDEN, FULL_TOTAL = 25_844.0, 101_535.0, 127_379.0


def _identifiers(formula: str) -> list[str]:
    return re.findall(r"[A-Za-z_]\w*", formula)


def _berg(period: str, total_refunds: float) -> Iceberg:
    """An iceberg whose whole total is one refunds line (refunds are money, no factor)."""
    return iceberg({"refunds_credits": total_refunds}, Assumptions(), period=period)


# --- iceberg -------------------------------------------------------------------------------


class TestIceberg:
    def test_every_line_with_defaults(self) -> None:
        berg = iceberg(FULL_QUARTER, Assumptions(), period="2026Q1", segment="Retail")
        assert berg.period == "2026Q1" and berg.segment == "Retail"
        assert [line.key for line in berg.lines] == list(DESIGN_LINES)
        assert berg.missing == ()
        for line in berg.lines:
            assert line.amount == exact(FULL_QUARTER_DEFAULTS[line.key]), line.key
        assert berg.visible == exact(FULL_VISIBLE)
        assert berg.hidden == exact(FULL_HIDDEN)
        assert berg.total == exact(FULL_TOTAL)
        assert berg.hidden_multiple == exact(101_535 / 25_844)  # ~3.9288

    def test_every_line_with_other_assumptions(self) -> None:
        # CLV = 2,000 * 0.5 * 3 = 3,000
        a = Assumptions(
            cost_per_contact=5, cost_per_return=40, hours_per_escalation=2,
            manager_hourly_cost=150, annual_revenue_per_customer=2000, gross_margin=0.5,
            expected_lifetime_years=3, acquisition_cost_per_customer=1000,
            attributable_churn_share=0.25, prospects_lost_per_detractor=0.1,
            delay_cost_per_deal=800, replacement_cost_per_employee=20_000,
        )
        metrics = {
            "service_contacts": 1000, "refunds_credits": 5000, "returns": 10,
            "escalations": 20, "customers_lost": 8, "detractors": 50, "deals_delayed": 4,
            "frontline_leavers": 3,
        }
        expected = {
            "service_cost": 5_000.0,  # 1,000 * $5
            "refunds_credits": 5_000.0,  # money as is
            "returns_cost": 400.0,  # 10 * $40
            "escalation_time": 6_000.0,  # 20 * 2 h * $150
            "lost_lifetime_value": 6_000.0,  # 8 * 0.25 * $3,000
            "replacement_acquisition": 2_000.0,  # 8 * 0.25 * $1,000
            "negative_word_of_mouth": 15_000.0,  # 50 * 0.1 * $3,000
            "slower_sales": 3_200.0,  # 4 * $800
            "frontline_turnover": 60_000.0,  # 3 * $20,000
        }
        berg = iceberg(metrics, a)
        assert {line.key: line.amount for line in berg.lines} == {
            k: exact(v) for k, v in expected.items()
        }
        assert berg.visible == exact(10_400.0)  # 5,000 + 5,000 + 400
        assert berg.hidden == exact(92_200.0)  # 6,000 + 6,000 + 2,000 + 15,000 + 3,200 + 60,000
        assert berg.total == exact(102_600.0)

    def test_layers_and_formulas_match_design(self) -> None:
        berg = iceberg(FULL_QUARTER, Assumptions())
        for line in berg.lines:
            layer, formula = DESIGN_LINES[line.key]
            assert line.layer == layer, line.key
            assert line.formula == formula, line.key
            assert line.label  # a human label for the chart

    def test_inputs_show_the_math(self) -> None:
        """The inputs are exactly the names in the contract's formula, and their product is the amount."""
        berg = iceberg(FULL_QUARTER, Assumptions())
        for line in berg.lines:
            names = _identifiers(DESIGN_LINES[line.key][1])
            assert set(line.inputs) == set(names), (line.key, names, dict(line.inputs))
            assert math.prod(line.inputs[n] for n in names) == exact(line.amount), line.key
        inputs = {line.key: dict(line.inputs) for line in berg.lines}
        assert inputs["escalation_time"] == {
            "escalations": 35.0, "hours_per_escalation": 3.0, "manager_hourly_cost": 95.0}
        assert inputs["refunds_credits"] == {"refunds_credits": 12_500.0}
        # CLV = 1,200 * 0.6 * 4 = 2,880
        assert inputs["lost_lifetime_value"] == {
            "customers_lost": 12.0, "attributable_churn_share": 0.5, "CLV": exact(2880.0)}
        assert inputs["negative_word_of_mouth"] == {
            "detractors": 90.0, "prospects_lost_per_detractor": 0.15, "CLV": exact(2880.0)}
        assert inputs["replacement_acquisition"] == {
            "customers_lost": 12.0, "attributable_churn_share": 0.5,
            "acquisition_cost_per_customer": 400.0}

    def test_missing_lines_are_named_in_design_order(self) -> None:
        berg = iceberg({"service_contacts": 100, "detractors": 10}, Assumptions())
        assert [line.key for line in berg.lines] == ["service_cost", "negative_word_of_mouth"]
        assert berg.missing == (
            "refunds_credits", "returns_cost", "escalation_time", "lost_lifetime_value",
            "replacement_acquisition", "slower_sales", "frontline_turnover",
        )
        # 100 * $8 = 800 visible; 10 * 0.15 * 2,880 = 4,320 hidden
        assert (berg.visible, berg.hidden, berg.total) == (exact(800.0), exact(4320.0),
                                                           exact(5120.0))

    def test_customers_lost_feeds_two_lines(self) -> None:
        berg = iceberg({"customers_lost": 1}, Assumptions())
        # 1 * 0.5 * 2,880 = 1,440 and 1 * 0.5 * 400 = 200
        assert {line.key: line.amount for line in berg.lines} == {
            "lost_lifetime_value": exact(1440.0), "replacement_acquisition": exact(200.0)}
        assert "lost_lifetime_value" not in berg.missing

    def test_present_zero_is_a_zero_line_not_missing(self) -> None:
        berg = iceberg({"escalations": 0, "service_contacts": 0}, Assumptions())
        assert [line.key for line in berg.lines] == ["service_cost", "escalation_time"]
        assert all(line.amount == 0.0 for line in berg.lines)
        assert "escalation_time" not in berg.missing and "service_cost" not in berg.missing
        assert len(berg.missing) == 7
        assert berg.total == 0.0
        assert berg.hidden_multiple is None  # visible tip 0: no multiple, no ZeroDivisionError

    def test_no_inputs_at_all(self) -> None:
        berg = iceberg({}, Assumptions())
        assert berg.lines == ()
        assert berg.missing == tuple(DESIGN_LINES)
        assert (berg.visible, berg.hidden, berg.total) == (0.0, 0.0, 0.0)
        assert berg.hidden_multiple is None

    def test_metrics_that_feed_no_line_are_ignored(self) -> None:
        berg = iceberg({"customers": 10_000, "promoters": 500, "revenue": 1e6,
                        "returns": 4}, Assumptions())
        assert [line.key for line in berg.lines] == ["returns_cost"]
        assert berg.total == exact(100.0)  # 4 * $25

    def test_clv_changes_reach_both_clv_lines(self) -> None:
        # CLV = 1,000 * 0.5 * 2 = 1,000
        a = Assumptions(annual_revenue_per_customer=1000, gross_margin=0.5,
                        expected_lifetime_years=2)
        berg = iceberg({"customers_lost": 10, "detractors": 100}, a)
        amounts = {line.key: line.amount for line in berg.lines}
        assert amounts["lost_lifetime_value"] == exact(5_000.0)  # 10 * 0.5 * 1,000
        assert amounts["negative_word_of_mouth"] == exact(15_000.0)  # 100 * 0.15 * 1,000
        assert amounts["replacement_acquisition"] == exact(2_000.0)  # 10 * 0.5 * 400


class TestMelted:
    def test_every_line_shrinks_by_the_gain(self) -> None:
        a = Assumptions()  # gain 0.20: 80% of each line remains
        berg = iceberg(FULL_QUARTER, a, period="2026Q1")
        after = melted(berg, a)
        assert after.period == "2026Q1" and after.missing == berg.missing
        assert [line.key for line in after.lines] == list(DESIGN_LINES)
        for line in after.lines:
            assert line.amount == exact(FULL_QUARTER_DEFAULTS[line.key] * 0.8), line.key
        assert after.total == exact(101_903.2)  # 127,379 * 0.8
        assert after.visible == exact(20_675.2)  # 25,844 * 0.8

    def test_gain_one_and_zero(self) -> None:
        berg = iceberg(FULL_QUARTER, Assumptions())
        assert melted(berg, Assumptions(right_first_time_gain=1)).total == 0.0
        assert melted(berg, Assumptions(right_first_time_gain=0)).total == exact(FULL_TOTAL)

    def test_missing_lines_stay_missing(self) -> None:
        berg = iceberg({"returns": 100}, Assumptions())
        after = melted(berg, Assumptions(right_first_time_gain=0.5))
        assert after.total == exact(1250.0)  # 100 * $25 * 0.5
        assert after.missing == berg.missing and len(after.missing) == 8


# --- snowball ------------------------------------------------------------------------------


class TestSnowball:
    def _bergs(self) -> list[Iceberg]:
        return [
            _berg("2024Q4", 50_000),
            _berg("2025Q1", 100_000),
            _berg("2025Q2", 120_000),
            _berg("2025Q3", 80_000),
            iceberg(FULL_QUARTER, Assumptions(), period="2025Q4"),  # 127,379
        ]

    def test_steps_add_latest_lines_tip_first(self) -> None:
        ball = snowball(self._bergs(), Assumptions())
        assert [step.key for step in ball.steps] == list(DESIGN_LINES)
        assert [step.layer for step in ball.steps] == [v[0] for v in DESIGN_LINES.values()]
        # running sums of 12,344 | 12,500 | 1,000 | 9,975 | 17,280 | 2,400 | 38,880 | 3,000 | 30,000
        assert [step.cumulative for step in ball.steps] == [
            exact(x) for x in (12_344, 24_844, 25_844, 35_819, 53_099, 55_499, 94_379,
                               97_379, 127_379)]
        assert [step.amount for step in ball.steps] == [
            exact(v) for v in FULL_QUARTER_DEFAULTS.values()]

    def test_running_total_over_periods(self) -> None:
        ball = snowball(self._bergs(), Assumptions())
        assert [p.period for p in ball.running] == [
            "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
        assert [p.amount for p in ball.running] == [
            exact(x) for x in (50_000, 100_000, 120_000, 80_000, 127_379)]
        # 50,000 | +100,000 = 150,000 | +120,000 = 270,000 | +80,000 = 350,000 | +127,379 = 477,379
        assert [p.cumulative for p in ball.running] == [
            exact(x) for x in (50_000, 150_000, 270_000, 350_000, 477_379)]
        assert not any(p.projected for p in ball.running)

    def test_projection_uses_mean_of_last_four_and_crosses_years(self) -> None:
        ball = snowball(self._bergs(), Assumptions())  # horizon 3 years = 12 quarters
        # last four only: (100,000 + 120,000 + 80,000 + 127,379) / 4 = 427,379 / 4 = 106,844.75
        # (all five would give 477,379 / 5 = 95,475.80)
        assert ball.quarterly_run_rate == exact(106_844.75)
        assert len(ball.projection) == 12
        assert [p.period for p in ball.projection] == [
            "2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1", "2027Q2", "2027Q3", "2027Q4",
            "2028Q1", "2028Q2", "2028Q3", "2028Q4"]
        assert all(p.projected for p in ball.projection)
        assert all(p.amount == exact(106_844.75) for p in ball.projection)
        # continues the running total: 477,379 + k * 106,844.75
        assert ball.projection[0].cumulative == exact(584_223.75)
        assert ball.projection[-1].cumulative == exact(1_759_516.0)  # 477,379 + 1,282,137
        assert ball.projected_cost == exact(1_282_137.0)  # 12 * 106,844.75

    @pytest.mark.parametrize("years", [1, 2, 5, 10])
    def test_projection_length_is_four_per_year(self, years: int) -> None:
        ball = snowball(self._bergs(), Assumptions(horizon_years=years))
        assert len(ball.projection) == 4 * years
        assert ball.projected_cost == exact(4 * years * 106_844.75)

    def test_one_period_only(self) -> None:
        ball = snowball([_berg("2026Q2", 40_000)], Assumptions(horizon_years=1))
        assert [(s.key, s.cumulative) for s in ball.steps] == [("refunds_credits", 40_000.0)]
        assert [(p.period, p.amount, p.cumulative) for p in ball.running] == [
            ("2026Q2", 40_000.0, 40_000.0)]
        assert ball.quarterly_run_rate == exact(40_000.0)
        # 2026Q3, 2026Q4, then over the year boundary to 2027Q1, 2027Q2
        assert [(p.period, p.cumulative) for p in ball.projection] == [
            ("2026Q3", exact(80_000)), ("2026Q4", exact(120_000)),
            ("2027Q1", exact(160_000)), ("2027Q2", exact(200_000))]

    def test_fewer_than_four_periods_average_what_there_is(self) -> None:
        bergs = [_berg("2025Q4", 100_000), _berg("2026Q1", 140_000)]
        ball = snowball(bergs, Assumptions(horizon_years=1))
        assert ball.quarterly_run_rate == exact(120_000.0)  # (100,000 + 140,000) / 2
        assert ball.projected_cost == exact(480_000.0)  # 4 * 120,000

    def test_no_icebergs(self) -> None:
        ball = snowball([], Assumptions())
        assert ball.steps == () and ball.running == () and ball.projection == ()
        assert ball.quarterly_run_rate == 0.0 and ball.projected_cost == 0.0


# --- melt ----------------------------------------------------------------------------------


def _four_quarters_of_one_million() -> list[Iceberg]:
    """Four quarters built from real lines (defaults, CLV 2,880); total 1,000,000."""
    a = Assumptions()
    return [
        # 20,000 * $8 = 160,000; 200 * 3 h * $95 = 57,000  -> 217,000
        iceberg({"service_contacts": 20_000, "escalations": 200}, a, period="2025Q2"),
        # refunds 250,000                                     -> 250,000
        iceberg({"refunds_credits": 250_000}, a, period="2025Q3"),
        # 50 * 0.5 * 2,880 = 72,000; 50 * 0.5 * 400 = 10,000; 10 * 15,000 = 150,000 -> 232,000
        iceberg({"customers_lost": 50, "frontline_leavers": 10}, a, period="2025Q4"),
        # 500 * 0.15 * 2,880 = 216,000; 100 * 500 = 50,000; 1,400 * 25 = 35,000 -> 301,000
        iceberg({"detractors": 500, "deals_delayed": 100, "returns": 1_400}, a, period="2026Q1"),
    ]  # 217,000 + 250,000 + 232,000 + 301,000 = 1,000,000


class TestMelt:
    def test_quarters_are_what_the_comment_says(self) -> None:
        totals = [berg.total for berg in _four_quarters_of_one_million()]
        assert totals == [exact(217_000), exact(250_000), exact(232_000), exact(301_000)]

    def test_defaults_by_hand_to_the_cent(self) -> None:
        case = melt(_four_quarters_of_one_million(), Assumptions())
        assert case.periods == ("2025Q2", "2025Q3", "2025Q4", "2026Q1")
        assert case.annual_cost == exact(1_000_000.0)
        # B = 1,000,000 * 0.20 * (1 - 0.20) = 160,000
        assert case.yearly_benefit == exact(160_000.0)
        # what prevention leaves, before the haircut: 1,000,000 * (1 - 0.20)
        assert case.remaining_annual_cost == exact(800_000.0)
        assert (case.investment, case.running_cost) == (250_000.0, 50_000.0)
        assert (case.discount_rate, case.horizon_years) == (0.10, 3)
        # discount factors at r = 0.10: 1/1.1 = 0.909091, 1/1.21 = 0.826446, 1/1.331 = 0.751315
        # their sum = (1.21 + 1.1 + 1) / 1.331 = 3.31 / 1.331 = 2.486852
        # PV(benefits) = 160,000/1.1 + 160,000/1.21 + 160,000/1.331
        #              = 145,454.55 + 132,231.40 + 120,210.37 = 397,896.32
        assert case.pv_benefits == cents(397_896.32)
        # PV(costs) = 250,000 + 50,000/1.1 + 50,000/1.21 + 50,000/1.331
        #           = 250,000 + 45,454.55 + 41,322.31 + 37,565.74 = 374,342.60
        assert case.pv_costs == cents(374_342.60)
        # NPV = -250,000 + 110,000/1.1 + 110,000/1.21 + 110,000/1.331
        #     = -250,000 + 100,000.00 + 90,909.09 + 82,644.63 = 23,553.72
        assert case.npv == cents(23_553.72)
        assert case.npv == cents(case.pv_benefits - case.pv_costs)
        # ROI = 23,553.72 / 374,342.60 = 0.0629
        assert round(case.roi, 4) == 0.0629
        # payback = 12 * 250,000 / (160,000 - 50,000) = 3,000,000 / 110,000 = 27.27 months
        assert round(case.payback_months, 2) == 27.27
        assert case.cash_flows == (-250_000.0, exact(110_000.0), exact(110_000.0),
                                   exact(110_000.0))

    def test_design_worked_example(self) -> None:
        # 400,000 + 420,000 + 450,000 + 464,000 = 1,734,000 a year, all of it prevented.
        bergs = [_berg(p, v) for p, v in (("2025Q2", 400_000), ("2025Q3", 420_000),
                                          ("2025Q4", 450_000), ("2026Q1", 464_000))]
        case = melt(bergs, Assumptions(
            right_first_time_gain=1, benefit_risk_haircut=0, prevention_investment=50_625,
            prevention_running_cost=0, discount_rate=0, horizon_years=1))
        assert case.yearly_benefit == exact(1_734_000.0)  # 1,734,000 * 1 * (1 - 0)
        assert case.pv_costs == exact(50_625.0)
        assert case.npv == exact(1_683_375.0)  # -50,625 + 1,734,000
        assert round(case.roi, 4) == 33.2519  # 1,683,375 / 50,625 = 33.25185
        assert round(case.payback_months, 2) == 0.35  # 12 * 50,625 / 1,734,000 = 0.3503

    @pytest.mark.parametrize(
        ("totals", "annual"),
        [
            ([100_000], 400_000.0),  # 100,000 * 4 / 1
            ([100_000, 150_000], 500_000.0),  # 250,000 * 4 / 2
            ([100_000, 150_000, 200_000], 600_000.0),  # 450,000 * 4 / 3
            ([100_000, 150_000, 200_000, 250_000], 700_000.0),  # the plain sum
            # six quarters: only the last four, 100,000 + 150,000 + 200,000 + 250,000
            ([10_000, 20_000, 100_000, 150_000, 200_000, 250_000], 700_000.0),
        ],
    )
    def test_annualisation(self, totals: list[float], annual: float) -> None:
        periods = ["2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"][-len(totals):]
        case = melt([_berg(p, v) for p, v in zip(periods, totals)], Assumptions())
        assert case.annual_cost == exact(annual)
        assert case.periods == tuple(periods[-4:])
        assert case.yearly_benefit == exact(annual * 0.16)  # gain 0.2 * (1 - haircut 0.2)

    def test_no_icebergs(self) -> None:
        case = melt([], Assumptions())
        assert case.periods == ()
        assert case.annual_cost == 0.0 and case.yearly_benefit == 0.0
        assert case.remaining_annual_cost == 0.0
        assert case.pv_benefits == 0.0
        # nothing to melt: NPV = -250,000 - PV(running) = -250,000 - 124,342.60
        assert case.npv == cents(-374_342.60)
        assert case.roi == exact(-1.0)  # (0 - 374,342.60) / 374,342.60
        assert case.payback_months is None

    def test_zero_discount_rate(self) -> None:
        case = melt(_four_quarters_of_one_million(), Assumptions(discount_rate=0))
        assert case.pv_benefits == exact(480_000.0)  # 3 * 160,000
        assert case.pv_costs == exact(400_000.0)  # 250,000 + 3 * 50,000
        assert case.npv == exact(80_000.0)  # -250,000 + 3 * 110,000
        assert case.roi == exact(0.2)  # 80,000 / 400,000
        assert round(case.payback_months, 2) == 27.27  # undiscounted anyway

    def test_gain_zero(self) -> None:
        case = melt(_four_quarters_of_one_million(), Assumptions(right_first_time_gain=0))
        assert case.yearly_benefit == 0.0
        assert case.remaining_annual_cost == exact(1_000_000.0)
        assert case.pv_benefits == 0.0
        # NPV = -investment - PV(running) = -250,000 - 124,342.60 = -374,342.60
        assert case.npv == cents(-374_342.60)
        assert case.roi == exact(-1.0)
        assert case.payback_months is None

    def test_gain_one(self) -> None:
        case = melt(_four_quarters_of_one_million(), Assumptions(right_first_time_gain=1))
        assert case.yearly_benefit == exact(800_000.0)  # 1,000,000 * 1 * 0.8
        assert case.remaining_annual_cost == 0.0
        # NPV = -250,000 + 750,000 * 2.486852 = -250,000 + 1,865,138.99 = 1,615,138.99
        assert case.npv == cents(1_615_138.99)
        # ROI = 1,615,138.99 / 374,342.60 = 4.3146
        assert round(case.roi, 4) == 4.3146
        assert case.payback_months == exact(4.0)  # 12 * 250,000 / 750,000

    def test_roi_is_none_when_costs_are_zero(self) -> None:
        case = melt(_four_quarters_of_one_million(),
                    Assumptions(prevention_investment=0, prevention_running_cost=0))
        assert case.pv_costs == 0.0
        assert case.roi is None
        assert case.npv == cents(397_896.32)  # all benefit, see the default case
        assert case.payback_months == 0.0  # nothing to earn back

    def test_no_payback_when_benefit_only_covers_running(self) -> None:
        # annual 100,000 * gain 0.5 * (1 - 0) = 50,000 = running cost: never pays back
        bergs = [_berg(p, 25_000) for p in ("2025Q2", "2025Q3", "2025Q4", "2026Q1")]
        a = Assumptions(right_first_time_gain=0.5, benefit_risk_haircut=0,
                        prevention_running_cost=50_000)
        case = melt(bergs, a)
        assert case.yearly_benefit == exact(50_000.0)
        assert case.payback_months is None
        assert case.npv == exact(-250_000.0)  # the net flows are all 0
        below = melt(bergs, a.model_copy(update={"prevention_running_cost": 60_000.0}))
        assert below.payback_months is None

    def test_haircut_reduces_benefit_not_remaining_cost(self) -> None:
        case = melt(_four_quarters_of_one_million(),
                    Assumptions(right_first_time_gain=0.3, benefit_risk_haircut=0.35))
        assert case.yearly_benefit == exact(195_000.0)  # 1,000,000 * 0.3 * 0.65
        assert case.remaining_annual_cost == exact(700_000.0)  # 1,000,000 * 0.7

    def test_horizon_one_year_at_ten_percent(self) -> None:
        case = melt(_four_quarters_of_one_million(), Assumptions(horizon_years=1))
        # NPV = -250,000 + 110,000 / 1.1 = -250,000 + 100,000 = -150,000
        assert case.npv == cents(-150_000.0)
        assert case.cash_flows == (-250_000.0, exact(110_000.0))


# --- present value, payback ----------------------------------------------------------------


class TestPresentValue:
    def test_numpy_financial_documented_project(self) -> None:
        # numpy-financial's npv docs: invest 40,000 now, receive 5,000, 8,000, 12,000 and
        # 30,000 at the ends of years 1-4, at 8%:
        #   5,000 / 1.08       =  4,629.63
        #   8,000 / 1.1664     =  6,858.71
        #  12,000 / 1.259712   =  9,525.99
        #  30,000 / 1.36048896 = 22,050.90
        #  sum 43,065.22 - 40,000 = 3,065.22   (npf.npv(...).round(5) == 3065.22267)
        value = present_value(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000])
        assert value == pytest.approx(3_065.22267, abs=5e-6)

    def test_gitman_example_is_almost_zero_at_its_irr(self) -> None:
        # np.npv(0.281, [-100, 39, 59, 55, 20]) == -0.0084785916 (0.281 is nearly the IRR)
        #  39/1.281 = 30.4450; 59/1.640961 = 35.9546; 55/2.102071 = 26.1647; 20/2.692753 = 7.4273
        value = present_value(0.281, [-100, 39, 59, 55, 20])
        assert value == pytest.approx(-0.0084785916, abs=1e-9)

    def test_year_zero_is_not_discounted(self) -> None:
        assert present_value(0.5, [123.0]) == 123.0
        assert present_value(0.10, [0, 110]) == exact(100.0)  # 110 / 1.1
        assert present_value(0.10, [0, 0, 121]) == exact(100.0)  # 121 / 1.21

    def test_zero_rate_is_the_plain_sum(self) -> None:
        assert present_value(0.0, [-100, 30, 40, 50]) == exact(20.0)

    def test_no_cash_flows(self) -> None:
        assert present_value(0.10, []) == 0.0

    @pytest.mark.parametrize("rate", [-1.0, -1.5])
    def test_rate_at_or_below_minus_one_is_refused(self, rate: float) -> None:
        with pytest.raises(CxroiError, match="discount rate"):
            present_value(rate, [1, 2])


class TestPaybackMonths:
    def test_design_example(self) -> None:
        # 12 * 50,625 / 1,734,000 = 607,500 / 1,734,000 = 0.3503
        assert round(payback_months(50_625, 1_734_000), 2) == 0.35

    def test_whole_numbers(self) -> None:
        assert payback_months(120_000, 40_000) == exact(36.0)  # 12 * 120,000 / 40,000
        assert payback_months(0, 40_000) == 0.0

    @pytest.mark.parametrize("net", [0.0, -1.0, -50_000.0])
    def test_none_when_it_never_pays_back(self, net: float) -> None:
        assert payback_months(250_000, net) is None


# --- properties across the module ----------------------------------------------------------

_MONEY_LIKE = {
    "cost_per_contact": 100.0, "cost_per_return": 500.0, "hours_per_escalation": 40.0,
    "manager_hourly_cost": 1000.0, "annual_revenue_per_customer": 1e5,
    "expected_lifetime_years": 50.0, "acquisition_cost_per_customer": 1e4,
    "prospects_lost_per_detractor": 5.0, "delay_cost_per_deal": 1e4,
    "replacement_cost_per_employee": 2e5,
}
_RATIOS = ("gross_margin", "attributable_churn_share", "right_first_time_gain",
           "benefit_risk_haircut", "discount_rate")
UNIT_COSTS = (*_MONEY_LIKE, "gross_margin", "attributable_churn_share")
"""Every assumption that multiplies an iceberg line."""


@st.composite
def assumptions(draw: st.DrawFn) -> Assumptions:
    values: dict[str, float | int] = {
        key: draw(st.floats(0.0, high)) for key, high in _MONEY_LIKE.items()}
    values["expected_lifetime_years"] = draw(st.floats(0.01, 50.0))
    values.update({key: draw(st.floats(0.0, 1.0)) for key in _RATIOS})
    values["prevention_investment"] = draw(st.floats(0.0, 1e7))
    values["prevention_running_cost"] = draw(st.floats(0.0, 1e6))
    values["horizon_years"] = draw(st.integers(1, 10))
    return Assumptions(**values)


metric_values = st.dictionaries(
    st.sampled_from(sorted({"service_contacts", "refunds_credits", "returns", "escalations",
                            "customers_lost", "detractors", "deals_delayed",
                            "frontline_leavers"})),
    st.floats(0.0, 1e7),
)


class TestProperties:
    @given(metrics=st.lists(metric_values, min_size=0, max_size=6), a=assumptions())
    @FAST
    def test_melting_never_adds_cost(self, metrics: list[dict[str, float]],
                                     a: Assumptions) -> None:
        periods = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"]
        bergs = [iceberg(m, a, period=p) for m, p in zip(metrics, periods)]
        for berg in bergs:
            after = melted(berg, a)
            assert after.total <= berg.total
            for before_line, after_line in zip(berg.lines, after.lines):
                assert after_line.amount <= before_line.amount
        case = melt(bergs, a)
        assert 0.0 <= case.remaining_annual_cost <= case.annual_cost

    @given(metrics=metric_values, a=assumptions(), key=st.sampled_from(UNIT_COSTS),
           bump=st.floats(0.0, 1e4))
    @FAST
    def test_a_higher_unit_cost_never_lowers_the_iceberg(
        self, metrics: dict[str, float], a: Assumptions, key: str, bump: float
    ) -> None:
        current = getattr(a, key)
        limit = 1.0 if key in _RATIOS else (50.0 if key == "expected_lifetime_years" else None)
        higher = current + bump if limit is None else min(limit, current + bump)
        dearer = a.model_copy(update={key: higher})
        assert iceberg(metrics, dearer).total >= iceberg(metrics, a).total

    @given(a=assumptions(), annual=st.floats(0.0, 1e8),
           investments=st.tuples(st.floats(0.0, 1e7), st.floats(0.0, 1e7)))
    @FAST
    def test_npv_decreases_with_the_investment(
        self, a: Assumptions, annual: float, investments: tuple[float, float]
    ) -> None:
        low, high = sorted(investments)
        bergs = [_berg("2026Q1", annual / 4)]
        cheap = melt(bergs, a.model_copy(update={"prevention_investment": low}))
        dear = melt(bergs, a.model_copy(update={"prevention_investment": high}))
        assert dear.npv <= cheap.npv
        # one-for-one: the investment is at year 0, undiscounted
        assert cheap.npv - dear.npv == pytest.approx(high - low, rel=1e-9, abs=1e-3)
