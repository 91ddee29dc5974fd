"""Unit tests for cxroi.models: periods, assumptions (the contract's table), scenarios, footnotes."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path

import pydantic
import pytest

from cxroi.models import (
    ALL,
    BASELINES,
    CANONICAL_METRICS,
    LOOPS,
    TIERS,
    Assumptions,
    CxroiError,
    Footnote,
    Scenario,
    assumption_info,
    next_period,
    parse_assumptions,
    parse_period,
    period_index,
    previous_period,
)

# --- periods -------------------------------------------------------------------------------


class TestParsePeriod:
    @pytest.mark.parametrize(
        "text",
        ["2026Q3", "2026-Q3", "2026 Q3", "Q3 2026", "Q3-2026", "q3/2026", "2026q3", "Q3/2026"],
    )
    def test_every_spelling_in_design(self, text: str) -> None:
        assert parse_period(text) == "2026Q3"

    @pytest.mark.parametrize(
        ("text", "quarter"),
        [
            ("2026-01-01", "2026Q1"),
            ("2026-02-14", "2026Q1"),
            ("2026-03-31", "2026Q1"),  # last day of Q1
            ("2026-04-01", "2026Q2"),  # first day of Q2
            ("2026-06-30", "2026Q2"),
            ("2026-07-01", "2026Q3"),
            ("2026-08-14", "2026Q3"),
            ("2026-09-30", "2026Q3"),
            ("2026-10-01", "2026Q4"),
            ("2026-12-31", "2026Q4"),
            ("2028-02-29", "2028Q1"),  # a leap day is a date
            ("2026-08-14T10:30:00", "2026Q3"),  # with a time
        ],
    )
    def test_iso_dates_map_to_their_quarter(self, text: str, quarter: str) -> None:
        assert parse_period(text) == quarter

    @pytest.mark.parametrize(
        ("value", "quarter"),
        [
            (dt.date(2026, 3, 31), "2026Q1"),
            (dt.date(2026, 4, 1), "2026Q2"),
            (dt.datetime(2025, 12, 31, 23, 59, 59), "2025Q4"),
            (dt.datetime(2026, 1, 1, 0, 0), "2026Q1"),
        ],
    )
    def test_date_and_datetime_objects(self, value: dt.date, quarter: str) -> None:
        assert parse_period(value) == quarter

    def test_canonical_form_is_stable(self) -> None:
        for text in ("2026Q3", "Q1 1999", "2030-Q4"):
            once = parse_period(text)
            assert parse_period(once) == once
            assert re.fullmatch(r"\d{4}Q[1-4]", once)

    @pytest.mark.parametrize(
        "text",
        ["2026Q7", "2026Q0", "Q5 2026", "", "   ", "banana", "2026-02-30", "2026-13-01",
         "2026Q", "26Q3", "2026", "Q3"],
    )
    def test_rejections(self, text: str) -> None:
        with pytest.raises(CxroiError):
            parse_period(text)

    def test_rejection_messages_say_what_is_wrong(self) -> None:
        with pytest.raises(CxroiError, match="no quarter 7"):
            parse_period("2026Q7")
        with pytest.raises(CxroiError, match="no quarter 0"):
            parse_period("2026Q0")
        with pytest.raises(CxroiError, match="not a valid date"):
            parse_period("2026-02-30")
        with pytest.raises(CxroiError, match="2026Q3"):  # shows how to write one
            parse_period("banana")

    def test_the_domain_error_is_a_value_error(self) -> None:
        assert issubclass(CxroiError, ValueError)


class TestPreviousAndNextPeriod:
    @pytest.mark.parametrize(
        ("period", "before"),
        [("2026Q1", "2025Q4"), ("2026Q2", "2026Q1"), ("2026Q4", "2026Q3"),
         ("2000Q1", "1999Q4")],
    )
    def test_previous(self, period: str, before: str) -> None:
        assert previous_period(period) == before

    @pytest.mark.parametrize(
        ("period", "steps", "after"),
        [
            ("2025Q4", 1, "2026Q1"),
            ("2025Q4", 2, "2026Q2"),
            ("2025Q1", 4, "2026Q1"),
            ("2025Q3", 6, "2027Q1"),
            ("2026Q1", 0, "2026Q1"),
            ("2026Q1", -1, "2025Q4"),
            ("1999Q4", 1, "2000Q1"),
        ],
    )
    def test_next(self, period: str, steps: int, after: str) -> None:
        assert next_period(period, steps) == after

    def test_next_defaults_to_one_step(self) -> None:
        assert next_period("2026Q4") == "2027Q1"

    def test_round_trip_and_consecutive_indices(self) -> None:
        for year in range(1999, 2032):
            for q in range(1, 5):
                p = f"{year}Q{q}"
                assert next_period(previous_period(p)) == p
                assert period_index(next_period(p)) == period_index(p) + 1


# --- assumptions ---------------------------------------------------------------------------

# docs/design.md, "Assumptions (finance)": key -> (unit, default, minimum, maximum, low, high).
# The minimum of expected_lifetime_years is exclusive (> 0); every other limit is inclusive.
DESIGN_ASSUMPTIONS: dict[str, tuple[str, float, float, float | None, float | None,
                                    float | None]] = {
    "cost_per_contact": ("money", 8.00, 0, None, 2, 20),
    "cost_per_return": ("money", 25.00, 0, None, 5, 80),
    "hours_per_escalation": ("hours", 3.0, 0, None, 1, 8),
    "manager_hourly_cost": ("money/hour", 95.00, 0, None, 50, 250),
    "annual_revenue_per_customer": ("money", 1200.00, 0, None, 600, 2400),
    "gross_margin": ("ratio", 0.60, 0, 1, 0.30, 0.80),
    "expected_lifetime_years": ("years", 4.0, 0, 50, 2, 8),
    "acquisition_cost_per_customer": ("money", 400.00, 0, None, 200, 1000),
    "attributable_churn_share": ("ratio", 0.50, 0, 1, 0.25, 0.75),
    "prospects_lost_per_detractor": ("customers", 0.15, 0, None, 0.05, 0.30),
    "delay_cost_per_deal": ("money", 500.00, 0, None, 200, 1500),
    "replacement_cost_per_employee": ("money", 15000.00, 0, None, 8000, 30000),
    "right_first_time_gain": ("ratio", 0.20, 0, 1, 0.10, 0.40),
    "prevention_investment": ("money", 250000.00, 0, None, 150000, 400000),
    "prevention_running_cost": ("money/year", 50000.00, 0, None, 25000, 100000),
    "benefit_risk_haircut": ("ratio", 0.20, 0, 1, 0.10, 0.35),
    "discount_rate": ("ratio", 0.10, 0, 1, 0.06, 0.14),
    # the contract's unit is "whole years": unit years, and the integer flag below.
    "horizon_years": ("years", 3, 1, 10, 2, 5),
    "el_target_share": ("ratio", 0.50, 0, 1, None, None),
    "outer_loop_target_share": ("ratio", 0.50, 0, 1, None, None),
    "detractor_revenue_at_risk": ("ratio", 0.50, 0, 1, 0.30, 0.70),
    "passive_revenue_at_risk": ("ratio", 0.30, 0, 1, 0.10, 0.50),
    "promoter_growth_potential": ("ratio", 0.30, 0, 2, 0.10, 0.50),
}
KEYS = list(DESIGN_ASSUMPTIONS)
EXCLUSIVE_MINIMUM = {"expected_lifetime_years"}
SAMPLE_ASSUMPTIONS = Path(__file__).resolve().parent / "data" / "samples" / "assumptions_example.json"


class TestAssumptionDefaults:
    def test_keys_in_design_order(self) -> None:
        assert list(Assumptions.model_fields) == KEYS

    def test_defaults_equal_design(self) -> None:
        a = Assumptions()
        for key, (_, default, *_rest) in DESIGN_ASSUMPTIONS.items():
            assert getattr(a, key) == default, key
        assert type(a.horizon_years) is int

    def test_defaults_are_what_parse_gives_for_an_empty_object(self) -> None:
        assert parse_assumptions({}) == Assumptions()

    def test_clv(self) -> None:
        assert Assumptions().clv == pytest.approx(2880.0)  # 1,200 * 0.6 * 4
        a = Assumptions(annual_revenue_per_customer=2000, gross_margin=0.5,
                        expected_lifetime_years=3)
        assert a.clv == pytest.approx(3000.0)  # 2,000 * 0.5 * 3

    def test_frozen(self) -> None:
        a = Assumptions()
        with pytest.raises(pydantic.ValidationError):
            a.cost_per_contact = 9.0  # type: ignore[misc]
        assert a.cost_per_contact == 8.0

    def test_extra_keys_forbidden_on_the_model_too(self) -> None:
        with pytest.raises(pydantic.ValidationError):
            Assumptions(cost_per_call=1.0)  # type: ignore[call-arg]


def _accepted(key: str, value: object) -> Assumptions:
    a = parse_assumptions({key: value})
    assert getattr(a, key) == value
    return a


def _refused(key: str, value: object) -> str:
    with pytest.raises(CxroiError) as info:
        parse_assumptions({key: value})
    message = str(info.value)
    assert message.startswith(f"{key}:"), message  # names the key
    return message


class TestAssumptionLimits:
    @pytest.mark.parametrize("key", KEYS)
    def test_inclusive_limits_are_accepted(self, key: str) -> None:
        _, _, low, high, *_ = DESIGN_ASSUMPTIONS[key]
        if key not in EXCLUSIVE_MINIMUM:
            _accepted(key, low)
        if high is not None:
            _accepted(key, high)

    @pytest.mark.parametrize("key", KEYS)
    def test_just_outside_is_refused(self, key: str) -> None:
        _, _, low, high, *_ = DESIGN_ASSUMPTIONS[key]
        _refused(key, low - 0.0001)
        if high is not None:
            _refused(key, high + 0.0001)

    def test_design_boundary_examples(self) -> None:
        _accepted("right_first_time_gain", 1)
        _accepted("benefit_risk_haircut", 0)
        _accepted("discount_rate", 0)
        _accepted("horizon_years", 1)
        _accepted("horizon_years", 10)
        assert "at most 1" in _refused("gross_margin", 1.0001)

    def test_expected_lifetime_is_positive_and_at_most_fifty(self) -> None:
        _refused("expected_lifetime_years", 0)
        _refused("expected_lifetime_years", 0.0)
        _refused("expected_lifetime_years", 50.5)
        _accepted("expected_lifetime_years", 0.01)
        _accepted("expected_lifetime_years", 50)

    @pytest.mark.parametrize("value", [0, 11, 2.5, -1])
    def test_horizon_outside_or_fractional_is_refused(self, value: float) -> None:
        _refused("horizon_years", value)

    def test_horizon_three_point_zero_is_three(self) -> None:
        a = parse_assumptions({"horizon_years": 3.0})
        assert a.horizon_years == 3 and type(a.horizon_years) is int

    @pytest.mark.parametrize(
        "key", [k for k, v in DESIGN_ASSUMPTIONS.items() if v[0].startswith("money")])
    def test_negative_money_is_refused(self, key: str) -> None:
        assert "at least 0" in _refused(key, -1.0)

    def test_whole_numbers_are_fine_for_money(self) -> None:
        a = parse_assumptions({"cost_per_contact": 7})
        assert a.cost_per_contact == 7.0


class TestParseAssumptionsRefusals:
    def test_unknown_key(self) -> None:
        message = _refused("cost_per_call", 7.0)
        assert "unknown" in message

    @pytest.mark.parametrize("value", ["8", "8.00", "", None, [8], {"v": 8}])
    def test_non_numbers(self, value: object) -> None:
        _refused("cost_per_contact", value)

    @pytest.mark.parametrize("key", ["gross_margin", "cost_per_contact", "horizon_years"])
    @pytest.mark.parametrize("value", [True, False])
    def test_bools_are_not_numbers(self, key: str, value: bool) -> None:
        _refused(key, value)

    @pytest.mark.parametrize("key", ["cost_per_contact", "discount_rate", "horizon_years"])
    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
    def test_nan_and_inf(self, key: str, value: float) -> None:
        _refused(key, value)

    def test_finite_number_message(self) -> None:
        assert "finite" in _refused("cost_per_contact", math.nan)

    def test_every_bad_key_is_named(self) -> None:
        with pytest.raises(CxroiError) as info:
            parse_assumptions({"gross_margin": 2, "bogus": 1, "horizon_years": 2.5})
        message = str(info.value)
        for key in ("gross_margin", "bogus", "horizon_years"):
            assert key in message

    @pytest.mark.parametrize("data", [None, [], "cost_per_contact=8", 8, [("a", 1)]])
    def test_not_an_object(self, data: object) -> None:
        with pytest.raises(CxroiError, match="object"):
            parse_assumptions(data)


class TestPartialAssumptions:
    SAMPLE = {"cost_per_contact": 7.25, "gross_margin": 0.55, "right_first_time_gain": 0.3}

    def test_sample_file_content_keeps_other_defaults(self) -> None:
        a = parse_assumptions(self.SAMPLE)
        assert (a.cost_per_contact, a.gross_margin, a.right_first_time_gain) == (7.25, 0.55, 0.3)
        defaults = Assumptions()
        for key in KEYS:
            if key not in self.SAMPLE:
                assert getattr(a, key) == getattr(defaults, key), key

    def test_the_sample_file_itself(self) -> None:
        data = json.loads(SAMPLE_ASSUMPTIONS.read_text(encoding="utf-8"))
        assert parse_assumptions(data) == parse_assumptions(self.SAMPLE)


class TestAssumptionInfo:
    def test_all_twenty_three_keys_in_order(self) -> None:
        info = assumption_info()
        assert len(info) == 23
        assert [i.key for i in info] == KEYS

    @pytest.mark.parametrize("key", KEYS)
    def test_matches_design(self, key: str) -> None:
        unit, default, minimum, maximum, low, high = DESIGN_ASSUMPTIONS[key]
        i = {i.key: i for i in assumption_info()}[key]
        assert i.unit == unit
        assert i.default == default
        assert i.minimum == minimum
        assert i.maximum == maximum
        assert (i.low, i.high) == (low, high)
        assert i.integer is (key == "horizon_years")
        assert i.is_ratio is (unit == "ratio")
        assert i.label.strip() and i.note.strip()

    @pytest.mark.parametrize("key", KEYS)
    def test_default_sits_inside_plausible_and_hard_range(self, key: str) -> None:
        i = {i.key: i for i in assumption_info()}[key]
        if i.low is not None and i.high is not None:
            assert i.minimum <= i.low <= i.default <= i.high
            assert i.maximum is None or i.high <= i.maximum

    def test_targets_have_no_plausible_range(self) -> None:
        info = {i.key: i for i in assumption_info()}
        for key in ("el_target_share", "outer_loop_target_share"):
            assert (info[key].low, info[key].high) == (None, None)


# --- vocabulary, scenarios, footnotes ------------------------------------------------------


class TestVocabulary:
    def test_canonical_metrics_and_directions(self) -> None:
        assert set(CANONICAL_METRICS) == {
            "customers", "revenue", "customers_lost", "service_contacts", "escalations",
            "refunds_credits", "returns", "promoters", "passives", "detractors",
            "deals_delayed", "frontline_leavers"}
        higher = {name for name, m in CANONICAL_METRICS.items() if m.higher_is_better}
        assert higher == {"customers", "revenue", "promoters"}
        money = {name for name, m in CANONICAL_METRICS.items() if m.unit == "money"}
        assert money == {"revenue", "refunds_credits"}
        assert {m.unit for m in CANONICAL_METRICS.values()} == {"count", "money"}

    def test_tiers_loops_baselines(self) -> None:
        assert TIERS == ("TM", "EM", "EL")
        assert LOOPS == ("inner", "outer")
        assert BASELINES == ("previous", "normal", "benchmark", "target")
        assert ALL == "All"


class TestScenario:
    def test_label(self) -> None:
        assert Scenario(name="Baseline", version=1).label == "Baseline@1"
        assert Scenario(name="What if").label == "What if"

    def test_defaults_and_frozen(self) -> None:
        s = Scenario(name="Baseline", version=1)
        assert s.assumptions == Assumptions()
        with pytest.raises(pydantic.ValidationError):
            s.version = 2  # type: ignore[misc]


class TestFootnote:
    FULL = Footnote(
        sources=("Zendesk ticket export", "Salesforce opportunities"),
        scopes=("North America enterprise accounts, 62% of revenue",),
        periods=("2025Q2", "2025Q3", "2025Q4", "2026Q1"),
        segments_reported=3,
        segments_total=4,
        baseline="normal",
        scenario="Baseline@2",
        missing=("slower_sales", "frontline_turnover"),
    )

    def test_contains_everything(self) -> None:
        text = self.FULL.text()
        for part in ("Zendesk ticket export", "Salesforce opportunities",
                     "North America enterprise accounts, 62% of revenue",
                     "2025Q2", "2026Q1", "4 quarters", "3 of 4", "normal", "Baseline@2",
                     "slower_sales", "frontline_turnover"):
            assert part in text, part

    def test_is_plain_text(self) -> None:
        text = self.FULL.text()
        assert isinstance(text, str)
        assert "\n" not in text
        assert not re.search(r"<[a-zA-Z/]|\*\*|__|`|\[.*\]\(", text), text

    def test_missing_makes_it_a_lower_bound(self) -> None:
        assert "lower bound" in self.FULL.text()
        assert "lower bound" not in Footnote(sources=("x",)).text()

    def test_one_period(self) -> None:
        text = Footnote(periods=("2026Q1",)).text()
        assert "2026Q1" in text and "1 quarter" in text and "quarters" not in text

    def test_demo_is_said(self) -> None:
        assert "DEMO" in Footnote(demo=True).text()

    def test_empty(self) -> None:
        assert Footnote().text() == ""

    def test_frozen(self) -> None:
        with pytest.raises(pydantic.ValidationError):
            self.FULL.baseline = "target"  # type: ignore[misc]


@pytest.mark.parametrize("key", ["detractor_revenue_at_risk", "passive_revenue_at_risk",
                                 "promoter_growth_potential"])
def test_the_revenue_multipliers_say_where_they_come_from(key: str) -> None:
    note = {i.key: i for i in assumption_info()}[key].note
    assert "SurveyMonkey CX revenue impact" in note and "general approximation" in note
