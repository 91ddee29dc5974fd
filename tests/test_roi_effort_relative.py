"""Unit tests for cxroi.roi's effort split, baselines and relative-size bars.

Hand-computed like tests/test_roi.py, from docs/design.md ("The calculations") and the
samples in tests/data/samples.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cxroi.models import Assumptions, CxroiError
from cxroi.roi import baseline, effort_split, relative_size
from tests.helpers import FAST, exact


# --- effort split --------------------------------------------------------------------------

# tests/data/samples/effort_clean.csv (2026Q1):
#   Support TM 1500 inner | Support EL 200 outer | Marketing EM 700 (no loop) | Product EL 350 outer
SAMPLE_EFFORT = [("TM", "inner", 1500), ("EL", "outer", 200), ("EM", None, 700),
                 ("EL", "outer", 350)]


class TestEffortSplit:
    def test_design_sample(self) -> None:
        split = effort_split(SAMPLE_EFFORT, Assumptions(), period="2026Q1")
        assert split.period == "2026Q1" and split.department == "All"
        assert dict(split.hours) == {"TM": 1500.0, "EM": 700.0, "EL": 550.0}  # EL 200 + 350
        assert split.total_hours == exact(2750.0)
        assert split.shares["TM"] == exact(1500 / 2750)  # 0.5455
        assert split.shares["EM"] == exact(700 / 2750)  # 0.2545
        assert split.shares["EL"] == exact(0.2)  # 550 / 2750
        assert split.el_gap_hours == exact(825.0)  # 0.5 * 2,750 - 550 = 1,375 - 550
        assert (split.inner_hours, split.outer_hours) == (1500.0, 550.0)
        assert split.outer_loop_share == exact(550 / 2050)  # 0.2683; Marketing says no loop
        assert round(split.outer_loop_share, 4) == 0.2683

    def test_other_el_target(self) -> None:
        split = effort_split(SAMPLE_EFFORT, Assumptions(el_target_share=0.6))
        assert split.el_gap_hours == exact(1100.0)  # 0.6 * 2,750 - 550 = 1,650 - 550

    def test_no_rows(self) -> None:
        split = effort_split([], Assumptions(), department="Support")
        assert split.department == "Support"
        assert dict(split.shares) == {"TM": 0.0, "EM": 0.0, "EL": 0.0}
        assert split.total_hours == 0.0
        assert split.el_gap_hours == 0.0
        assert split.outer_loop_share is None

    def test_el_above_target_has_no_gap(self) -> None:
        split = effort_split([("EL", "outer", 600), ("TM", "inner", 400)], Assumptions())
        assert split.shares["EL"] == exact(0.6)
        assert split.el_gap_hours == 0.0  # max(0, 0.5 * 1,000 - 600) = max(0, -100)
        assert split.outer_loop_share == exact(0.6)  # 600 / (400 + 600)

    def test_el_exactly_on_target(self) -> None:
        split = effort_split([("EL", None, 500), ("EM", None, 500)], Assumptions())
        assert split.el_gap_hours == 0.0  # 0.5 * 1,000 - 500
        assert split.outer_loop_share is None  # no row names a loop

    @pytest.mark.parametrize("tier", ["XX", "", "el", None])
    def test_bad_tier_raises(self, tier: object) -> None:
        with pytest.raises(CxroiError, match="tier"):
            effort_split([("TM", None, 10), (tier, None, 5)], Assumptions())

    @given(st.lists(st.tuples(st.sampled_from(["TM", "EM", "EL"]),
                              st.sampled_from(["inner", "outer", None]),
                              st.floats(0, 1e6)), max_size=12))
    @FAST
    def test_shares_sum_to_one(self, rows: list[tuple[str, str | None, float]]) -> None:
        split = effort_split(rows, Assumptions())
        if split.total_hours > 0:
            assert math.fsum(split.shares.values()) == pytest.approx(1.0, rel=1e-9)
        else:
            assert all(share == 0.0 for share in split.shares.values())
        assert split.el_gap_hours >= 0.0
        if split.outer_loop_share is not None:
            assert 0.0 <= split.outer_loop_share <= 1.0


# --- baseline ------------------------------------------------------------------------------

# Deliberately out of order; 2025Q3 is absent.
HISTORY = {
    "2026Q1": 1600.0,
    "2024Q3": 5000.0,
    "2025Q4": 1500.0,
    "2026Q2": 9999.0,
    "2025Q1": 1000.0,
    "2024Q4": 900.0,
    "2025Q2": 1200.0,
}


class TestBaseline:
    def test_previous_is_the_quarter_just_before(self) -> None:
        assert baseline("previous", "2026Q1", HISTORY) == 1500.0
        assert baseline("previous", "2025Q1", HISTORY) == 900.0  # across the year: 2024Q4

    def test_previous_is_none_when_that_quarter_is_absent(self) -> None:
        # 2025Q3 is absent; the older 2025Q2 must not stand in for it
        assert baseline("previous", "2025Q4", HISTORY) is None
        assert baseline("previous", "2024Q3", HISTORY) is None

    def test_normal_is_the_mean_of_up_to_four_earlier_quarters(self) -> None:
        # before 2026Q1: 2025Q4 1,500, (2025Q3 gap), 2025Q2 1,200, 2025Q1 1,000, 2024Q4 900;
        # 2024Q3 (5,000) is a fifth and is left out; 2026Q1 and 2026Q2 are not earlier.
        # (1,500 + 1,200 + 1,000 + 900) / 4 = 4,600 / 4 = 1,150
        assert baseline("normal", "2026Q1", HISTORY) == exact(1150.0)

    def test_normal_for_a_period_with_no_value_of_its_own(self) -> None:
        # before 2026Q3: 9,999 + 1,600 + 1,500 + 1,200 = 14,299 / 4 = 3,574.75
        assert baseline("normal", "2026Q3", HISTORY) == exact(3574.75)

    def test_normal_with_fewer_than_four(self) -> None:
        assert baseline("normal", "2025Q1", HISTORY) == exact(2950.0)  # (5,000 + 900) / 2
        assert baseline("normal", "2024Q4", HISTORY) == exact(5000.0)

    def test_normal_is_none_without_earlier_values(self) -> None:
        assert baseline("normal", "2024Q3", HISTORY) is None
        assert baseline("normal", "2026Q1", {}) is None
        assert baseline("normal", "2024Q1", {"2024Q2": 1.0, "2030Q1": 2.0}) is None

    def test_benchmark_and_target(self) -> None:
        assert baseline("benchmark", "2026Q1", HISTORY, industry=1400, target=1000) == 1400.0
        assert baseline("target", "2026Q1", HISTORY, industry=1400, target=1000) == 1000.0
        assert baseline("benchmark", "2026Q1", HISTORY, target=1000) is None
        assert baseline("target", "2026Q1", HISTORY, industry=1400) is None
        assert baseline("target", "2026Q1", {}, target=0) == 0.0  # a target of 0 is a target

    @pytest.mark.parametrize("kind", ["median", "", "Previous", "industry"])
    def test_unknown_kind_raises(self, kind: str) -> None:
        with pytest.raises(CxroiError, match="baseline"):
            baseline(kind, "2026Q1", HISTORY)


# --- relative size -------------------------------------------------------------------------


class TestRelativeSize:
    def test_design_example(self) -> None:
        bar = relative_size("service_contacts", 1543, 1400, unit="count",
                            higher_is_better=False)
        assert (bar.metric, bar.unit, bar.value, bar.baseline) == (
            "service_contacts", "count", 1543.0, 1400.0)
        assert bar.delta == exact(143.0)  # 1,543 - 1,400
        assert bar.relative == exact(143 / 1400)
        assert round(bar.relative, 4) == 0.1021
        assert bar.worse is True  # more contacts is bad news

    def test_zero_baseline_gives_no_relative(self) -> None:
        bar = relative_size("escalations", 5, 0, unit="count", higher_is_better=False)
        assert bar.baseline == 0.0 and bar.delta == 5.0
        assert bar.relative is None  # never infinity
        assert bar.worse is True

    def test_missing_baseline(self) -> None:
        bar = relative_size("returns", 12, None, unit="count", higher_is_better=False)
        assert bar.value == 12.0
        assert (bar.baseline, bar.delta, bar.relative, bar.worse) == (None, None, None, None)

    def test_higher_is_better(self) -> None:
        down = relative_size("promoters", 90, 100, unit="count", higher_is_better=True)
        assert (down.delta, down.relative, down.worse) == (-10.0, exact(-0.1), True)
        up = relative_size("promoters", 110, 100, unit="count", higher_is_better=True)
        assert (up.delta, up.relative, up.worse) == (10.0, exact(0.1), False)
        assert up.higher_is_better is True

    def test_lower_is_better(self) -> None:
        down = relative_size("detractors", 75, 100, unit="count", higher_is_better=False)
        assert (down.delta, down.relative, down.worse) == (-25.0, exact(-0.25), False)

    @pytest.mark.parametrize("higher", [True, False])
    def test_no_change_is_not_worse(self, higher: bool) -> None:
        bar = relative_size("revenue", 1e6, 1e6, unit="money", higher_is_better=higher)
        assert (bar.delta, bar.relative, bar.worse) == (0.0, 0.0, False)

    @given(value=st.floats(0, allow_nan=False, allow_infinity=False),
           base=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
           higher=st.booleans())
    @example(value=1e300, base=1e-300, higher=False)  # a tiny but non-zero baseline
    @FAST
    def test_relative_is_never_inf_or_nan(self, value: float, base: float | None,
                                          higher: bool) -> None:
        bar = relative_size("m", value, base, unit="count", higher_is_better=higher)
        assert bar.relative is None or math.isfinite(bar.relative), (value, base, bar.relative)
        if base is None or base == 0:
            assert bar.relative is None
