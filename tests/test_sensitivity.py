"""`sensitivity.sensitivity` and `sensitivity.break_even_gain`: hand-computed values, edges, properties.

Every expected number is worked out by hand in the comments, never produced by the code
under test. S(r, H) below is the annuity factor sum_{y=1..H} 1 / (1 + r)^y.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxroi import roi, sensitivity, whatif
from cxroi.models import Assumptions

# S(10%, 3) = 1/1.1 + 1/1.21 + 1/1.331 = 0.9090909 + 0.8264463 + 0.7513148 = 2.4868520
S_10_3 = 2.4868520
# S(6%, 3) = 1/1.06 + 1/1.1236 + 1/1.191016 = 0.9433962 + 0.8899964 + 0.8396193 = 2.6730119
S_6_3 = 2.6730119
# S(14%, 3) = 1/1.14 + 1/1.2996 + 1/1.481544 = 0.8771930 + 0.7694675 + 0.6749715 = 2.3216320
S_14_3 = 2.3216320
# S(10%, 2) = 0.9090909 + 0.8264463 = 1.7355372
S_10_2 = 1.7355372
# S(10%, 5) = 2.4868520 + 1/1.4641 + 1/1.61051 = 2.4868520 + 0.6830135 + 0.6209213 = 3.7907868
S_10_5 = 3.7907868

# A quarter of refunds only: the iceberg is $250,000 whatever the unit costs, and the melt
# annualises one quarter x 4 = $1,000,000 a year.
REFUNDS = [("2026Q1", {"refunds_credits": 250_000.0})]


def _swing(tornado: sensitivity.Tornado, key: str) -> sensitivity.Swing:
    return next(s for s in tornado.swings if s.key == key)


class TestSensitivityIcebergTotal:
    # One quarter: 1,000 contacts x $8 = $8,000; 10 escalations x 3 h x $95 = $2,850;
    # total $10,850.
    QUARTER = [("2026Q1", {"service_contacts": 1000.0, "escalations": 10.0})]

    def test_base_is_the_latest_quarter_total(self) -> None:
        result = sensitivity.sensitivity(self.QUARTER, Assumptions())
        assert result.iceberg_total.base == pytest.approx(10_850.0)
        assert result.iceberg_total.periods == ("2026Q1",)

    def test_each_unit_cost_alone(self) -> None:
        tornado = sensitivity.sensitivity(self.QUARTER, Assumptions()).iceberg_total
        contact = _swing(tornado, "cost_per_contact")
        # $2: 2,000 + 2,850 = 4,850; $20: 20,000 + 2,850 = 22,850
        assert (contact.low, contact.high) == (2.0, 20.0)
        assert (contact.at_low, contact.at_high) == pytest.approx((4_850.0, 22_850.0))
        hours = _swing(tornado, "hours_per_escalation")
        # 1 h: 8,000 + 10 x 1 x 95 = 8,950; 8 h: 8,000 + 10 x 8 x 95 = 15,600
        assert (hours.at_low, hours.at_high) == pytest.approx((8_950.0, 15_600.0))
        manager = _swing(tornado, "manager_hourly_cost")
        # $50: 8,000 + 10 x 3 x 50 = 9,500; $250: 8,000 + 10 x 3 x 250 = 15,500
        assert (manager.at_low, manager.at_high) == pytest.approx((9_500.0, 15_500.0))

    def test_biggest_swing_first_and_the_rest_do_not_move(self) -> None:
        tornado = sensitivity.sensitivity(self.QUARTER, Assumptions()).iceberg_total
        # swings: contact 18,000 > hours 6,650 > manager 6,000; everything else 0
        assert [s.key for s in tornado.moving] == [
            "cost_per_contact", "hours_per_escalation", "manager_hourly_cost"]
        assert [s.swing for s in tornado.moving] == pytest.approx([18_000.0, 6_650.0, 6_000.0])
        assert all(s.swing == 0 for s in tornado.swings[3:])
        assert _swing(tornado, "discount_rate").at_low == pytest.approx(10_850.0)

    def test_uses_the_latest_quarter_only(self) -> None:
        # 2025Q4: 5,000 contacts = $40,000; 2026Q1: 1,000 contacts = $8,000 (the base)
        quarters = [("2025Q4", {"service_contacts": 5000.0}),
                    ("2026Q1", {"service_contacts": 1000.0})]
        tornado = sensitivity.sensitivity(quarters, Assumptions()).iceberg_total
        assert tornado.base == pytest.approx(8_000.0)
        assert tornado.periods == ("2026Q1",)
        # $2 x 1,000 = 2,000; $20 x 1,000 = 20,000
        top = tornado.swings[0]
        assert (top.at_low, top.at_high) == pytest.approx((2_000.0, 20_000.0))

    def test_clv_lines_move_with_every_clv_factor(self) -> None:
        # 10 customers lost; half to poor experience; CLV = 1,200 x 0.6 x 4 = 2,880
        # lost value 10 x 0.5 x 2,880 = 14,400; replacement 10 x 0.5 x 400 = 2,000: 16,400
        tornado = sensitivity.sensitivity([("2026Q1", {"customers_lost": 10.0})],
                                  Assumptions()).iceberg_total
        assert tornado.base == pytest.approx(16_400.0)
        margin = _swing(tornado, "gross_margin")
        # 30%: CLV 1,440 -> 7,200 + 2,000 = 9,200; 80%: CLV 3,840 -> 19,200 + 2,000 = 21,200
        assert (margin.at_low, margin.at_high) == pytest.approx((9_200.0, 21_200.0))
        churn = _swing(tornado, "attributable_churn_share")
        # 25%: 10 x 0.25 x (2,880 + 400) = 8,200; 75%: 10 x 0.75 x 3,280 = 24,600
        assert (churn.at_low, churn.at_high) == pytest.approx((8_200.0, 24_600.0))


class TestSensitivityNpv:
    # Base: annual cost 1,000,000; B = 1,000,000 x 0.20 x (1 - 0.20) = 160,000;
    # net 160,000 - 50,000 = 110,000 a year; NPV = -250,000 + 110,000 x 2.4868520 = 23,553.72
    def test_base(self) -> None:
        tornado = sensitivity.sensitivity(REFUNDS, Assumptions()).npv
        assert tornado.base == pytest.approx(23_553.72, abs=0.01)
        assert tornado.periods == ("2026Q1",)

    def test_gain(self) -> None:
        gain = _swing(sensitivity.sensitivity(REFUNDS, Assumptions()).npv, "right_first_time_gain")
        # 10%: B 80,000, net 30,000: -250,000 + 30,000 x 2.4868520 = -175,394.44
        # 40%: B 320,000, net 270,000: -250,000 + 270,000 x 2.4868520 = 421,450.04
        assert gain.at_low == pytest.approx(-250_000 + 30_000 * S_10_3, abs=0.01)
        assert gain.at_low == pytest.approx(-175_394.44, abs=0.05)
        assert gain.at_high == pytest.approx(421_450.04, abs=0.05)

    def test_haircut_is_better_low(self) -> None:
        haircut = _swing(sensitivity.sensitivity(REFUNDS, Assumptions()).npv, "benefit_risk_haircut")
        # 10%: B 180,000, net 130,000: -250,000 + 323,290.76 = 73,290.76
        # 35%: B 130,000, net 80,000: -250,000 + 198,948.16 = -51,051.84
        assert haircut.at_low == pytest.approx(73_290.76, abs=0.05)
        assert haircut.at_high == pytest.approx(-51_051.84, abs=0.05)

    def test_costs_rate_and_horizon(self) -> None:
        tornado = sensitivity.sensitivity(REFUNDS, Assumptions()).npv
        invest = _swing(tornado, "prevention_investment")
        # 150k: 23,553.72 + 100,000; 400k: 23,553.72 - 150,000
        assert (invest.at_low, invest.at_high) == pytest.approx((123_553.72, -126_446.28),
                                                               abs=0.01)
        running = _swing(tornado, "prevention_running_cost")
        # 25k: net 135,000 -> -250,000 + 335,725.02; 100k: net 60,000 -> -250,000 + 149,211.12
        assert running.at_low == pytest.approx(85_725.02, abs=0.05)
        assert running.at_high == pytest.approx(-100_788.88, abs=0.05)
        rate = _swing(tornado, "discount_rate")
        # 6%: -250,000 + 110,000 x 2.6730119; 14%: -250,000 + 110,000 x 2.3216320
        assert rate.at_low == pytest.approx(-250_000 + 110_000 * S_6_3, abs=0.05)
        assert rate.at_high == pytest.approx(-250_000 + 110_000 * S_14_3, abs=0.05)
        horizon = _swing(tornado, "horizon_years")
        # 2 years: -250,000 + 110,000 x 1.7355372 = -59,090.91
        # 5 years: -250,000 + 110,000 x 3.7907868 = 166,986.55
        assert (horizon.low, horizon.high) == (2, 5)
        assert horizon.at_low == pytest.approx(-59_090.91, abs=0.05)
        assert horizon.at_high == pytest.approx(-250_000 + 110_000 * S_10_5, abs=0.05)

    def test_order_and_unit_costs_do_not_move_refunds(self) -> None:
        tornado = sensitivity.sensitivity(REFUNDS, Assumptions()).npv
        # swings: gain 596,844 > investment 250,000 > horizon 226,077 > running 186,514
        #         > haircut 124,343 > discount rate 38,652; unit costs move nothing
        assert [s.key for s in tornado.moving] == [
            "right_first_time_gain", "prevention_investment", "horizon_years",
            "prevention_running_cost", "benefit_risk_haircut", "discount_rate"]
        assert _swing(tornado, "cost_per_contact").swing == 0

    def test_the_two_target_shares_are_skipped(self) -> None:
        result = sensitivity.sensitivity(REFUNDS, Assumptions())
        for tornado in (result.iceberg_total, result.npv):
            keys = {s.key for s in tornado.swings}
            assert "el_target_share" not in keys and "outer_loop_target_share" not in keys
            assert len(keys) == 18

    def test_other_assumptions_keep_the_scenario_values(self) -> None:
        # With a 0% haircut: base B = 200,000, net 150,000 -> -250,000 + 373,027.80 = 123,027.80
        # gain 40% alone: B = 400,000, net 350,000 -> -250,000 + 870,398.20 = 620,398.20
        tornado = sensitivity.sensitivity(REFUNDS, Assumptions(benefit_risk_haircut=0)).npv
        assert tornado.base == pytest.approx(123_027.80, abs=0.05)
        assert _swing(tornado, "right_first_time_gain").at_high == pytest.approx(620_398.20,
                                                                                 abs=0.05)


class TestSensitivityEdges:
    def test_no_quarters(self) -> None:
        result = sensitivity.sensitivity([], Assumptions())
        assert result.iceberg_total.base == 0
        assert result.iceberg_total.moving == ()
        # no benefit: NPV = -250,000 - 50,000 x 2.4868520 = -374,342.60
        assert result.npv.base == pytest.approx(-374_342.60, abs=0.05)
        assert result.iceberg_total.periods == ()

    def test_quarters_without_iceberg_inputs_are_left_out(self) -> None:
        quarters = [("2026Q1", {"service_contacts": 1000.0}), ("2026Q2", {"customers": 5.0})]
        tornado = sensitivity.sensitivity(quarters, Assumptions()).iceberg_total
        assert tornado.periods == ("2026Q1",)
        assert tornado.base == pytest.approx(8_000.0)

    def test_results_are_frozen(self) -> None:
        result = sensitivity.sensitivity(REFUNDS, Assumptions())
        with pytest.raises(AttributeError):
            result.npv.base = 0  # type: ignore[misc]


class TestBreakEvenGain:
    def test_no_discounting(self) -> None:
        # g* = (I / S + R) / (A (1 - h)) with S = 3 at r = 0:
        # (250,000 / 3 + 50,000) / (1,000,000 x 0.8) = 133,333.33 / 800,000 = 1/6
        gain = sensitivity.break_even_gain(1_000_000, Assumptions(discount_rate=0))
        assert gain == pytest.approx(1 / 6)

    def test_discounted(self) -> None:
        # (250,000 / 2.4868520 + 50,000) / 800,000 = (100,528.70 + 50,000) / 800,000 = 0.1881609
        assert sensitivity.break_even_gain(1_000_000, Assumptions()) == pytest.approx(0.1881609,
                                                                           abs=1e-7)

    def test_npv_is_zero_there(self) -> None:
        gain = sensitivity.break_even_gain(1_000_000, Assumptions())
        bergs = [roi.iceberg({"refunds_credits": 250_000.0}, Assumptions(), period="2026Q1")]
        case = roi.melt(bergs, Assumptions(right_first_time_gain=gain))
        assert case.npv == pytest.approx(0.0, abs=1e-6)

    def test_cannot_break_even(self) -> None:
        # A = 100,000: (83,333.33 + 50,000) / 80,000 = 1.6667, more than every issue
        gain = sensitivity.break_even_gain(100_000, Assumptions(discount_rate=0))
        assert gain == pytest.approx(5 / 3)
        assert gain > 1

    def test_none_without_annual_cost_or_with_a_full_haircut(self) -> None:
        assert sensitivity.break_even_gain(0, Assumptions()) is None
        assert sensitivity.break_even_gain(1_000_000, Assumptions(benefit_risk_haircut=1)) is None

    def test_free_prevention_breaks_even_at_zero(self) -> None:
        free = Assumptions(prevention_investment=0, prevention_running_cost=0)
        assert sensitivity.break_even_gain(1_000_000, free) == 0

    def test_ignores_the_assumed_gain(self) -> None:
        # the gain is what is solved for
        assert sensitivity.break_even_gain(1_000_000, Assumptions(right_first_time_gain=0.9)) == \
            sensitivity.break_even_gain(1_000_000, Assumptions(right_first_time_gain=0.1))

    def test_one_year_at_ten_percent(self) -> None:
        # S = 1/1.1 = 0.9090909; (250,000 x 1.1 + 50,000) / 800,000 = 325,000 / 800,000 = 0.40625
        gain = sensitivity.break_even_gain(1_000_000, Assumptions(horizon_years=1))
        assert gain == pytest.approx(0.40625)

    @given(annual=st.floats(1_000, 1e9), haircut=st.floats(0, 0.95), rate=st.floats(0, 1),
           years=st.integers(1, 10))
    def test_npv_at_break_even_is_zero(self, annual: float, haircut: float, rate: float,
                                       years: int) -> None:
        base = Assumptions(benefit_risk_haircut=haircut, discount_rate=rate, horizon_years=years)
        gain = sensitivity.break_even_gain(annual, base)
        assert gain is not None and gain >= 0
        if gain <= 1:
            bergs = [roi.iceberg({"refunds_credits": annual / 4}, base, period="2026Q1")]
            npv = roi.melt(bergs, base.model_copy(update={"right_first_time_gain": gain})).npv
            assert npv == pytest.approx(0.0, abs=1e-6 * (annual + 1e6))


class TestBreakEvenText:
    def test_sentences(self) -> None:
        assert "cannot break even" in whatif.break_even_text(1.2, 0.2)
        assert "No gain breaks even" in whatif.break_even_text(None, 0.2)
        assert "4.0 points below it" in whatif.break_even_text(0.24, 0.2)


class TestTheRangeBracketsTheValueInUse:
    def test_a_value_outside_the_plausible_range_is_varied_around_itself(self) -> None:
        # cost per contact $35 (plausible $2-$20): moved over $26-$44, 18 wide, centred on 35
        result = sensitivity.sensitivity([("2026Q1", {"service_contacts": 1000})],
                                         Assumptions(cost_per_contact=35))
        swing = _swing(result.iceberg_total, "cost_per_contact")
        assert (swing.low, swing.high) == (26.0, 44.0)
        assert swing.at_low < result.iceberg_total.base < swing.at_high  # bars either side
        assert (swing.at_low, swing.at_high) == (26_000.0, 44_000.0)

    def test_the_range_stays_within_the_hard_limits(self) -> None:
        info = next(i for i in whatif.INFO.values() if i.key == "gross_margin")  # 0.30-0.80
        assert sensitivity.varied_range(info, 0.95) == pytest.approx((0.5, 1.0))
        horizon = whatif.INFO["horizon_years"]  # 2-5, whole years, at most 10
        assert sensitivity.varied_range(horizon, 9) == (7.0, 10.0)

    def test_a_value_below_its_range_never_reaches_an_excluded_floor(self) -> None:
        lifetime = whatif.INFO["expected_lifetime_years"]  # plausible 2-8, must be above 0
        low, high = sensitivity.varied_range(lifetime, 0.5)
        assert low == 0.25 and high == 6.25
        sensitivity.sensitivity([("2026Q1", {"customers_lost": 10})],
                                Assumptions(expected_lifetime_years=0.5))  # no refusal
