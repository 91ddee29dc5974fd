"""Unit tests for cxroi.drivers: published outputs first, then the rules, then properties.

The oracles are outside this code: relaimpo's vignette (Groemping 2006) for LMG on R's
``swiss`` data, the rwa package's vignette for Johnson's relative weights on ``mtcars``,
R's ``?cor.test`` example (Hollander and Wolfe), R's ``p.adjust`` and pingouin's ``holm``
for Holm's method, plus OLS regressions run here with ``np.linalg.lstsq`` (not the
correlation-matrix route the module takes). Published figures are matched to the digits
they were printed with (half a unit in the last printed place).
"""

from __future__ import annotations

import csv
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxroi.drivers import (
    LMG_MAX_DRIVERS,
    correlation_test,
    holm,
    key_drivers,
    leading_indicators,
)
from cxroi.models import CxroiError

DATA = Path(__file__).resolve().parent / "data"
FAST = settings(max_examples=60, deadline=None)

DRIVER_KEYS = ["item", "importance", "share", "r", "p_value", "beta", "mean", "significant",
               "suppressor"]


def printed(value: float, decimals: int) -> object:
    """A published figure printed with ``decimals`` places: half a unit in the last one."""
    return pytest.approx(value, abs=0.5 * 10.0**-decimals)


def load(name: str) -> dict[str, list[float]]:
    """A reference CSV of tests/data (``#`` comment lines first; first column the row name)."""
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(line for line in handle if not line.startswith("#")))
    header, body = rows[0], rows[1:]
    return {name: [float(row[i]) for row in body] for i, name in enumerate(header) if i}


def by_item(result) -> dict:
    return {driver.item: driver for driver in result.drivers}


def ols_r2(y: np.ndarray, x: np.ndarray) -> float:
    """R² of the OLS with intercept of y on the columns of x, by least squares."""
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    return 1.0 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))


def lmg_by_orderings(y: np.ndarray, x: np.ndarray) -> list[float]:
    """LMG by its definition: what each driver adds to R² on entry, over all p! orderings."""
    p = x.shape[1]
    total = np.zeros(p)
    orders = list(itertools.permutations(range(p)))
    for order in orders:
        before = 0.0
        for k, j in enumerate(order):
            after = ols_r2(y, x[:, list(order[:k + 1])])
            total[j] += after - before
            before = after
    return list(total / len(orders))


@st.composite
def surveys(draw, min_drivers: int = 1, max_drivers: int = 5):
    """(outcome, drivers matrix) of correlated continuous scores, n > p + 1."""
    p = draw(st.integers(min_drivers, max_drivers))
    n = draw(st.integers(p + 3, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    mix = rng.normal(size=(p, p)) + np.eye(p) * draw(st.floats(0.2, 3.0))
    x = rng.normal(size=(n, p)) @ mix
    y = x @ rng.normal(size=p) + rng.normal(scale=draw(st.floats(0.1, 5.0)), size=n)
    return y, x


def as_answers(y: np.ndarray, x: np.ndarray, names: list[str] | None = None) -> dict:
    names = names or [f"d{j}" for j in range(x.shape[1])]
    return {"outcome": y, **{name: x[:, j] for j, name in enumerate(names)}}


# --- published references ------------------------------------------------------------------


class TestPublishedKeyDrivers:
    def test_lmg_matches_relaimpo_on_swiss(self) -> None:
        # Groemping, "Relative importance for linear regression in R: a vignette for
        # relaimpo" (2006; the JSS 17(1) paper's example), calc.relimp(swiss, type = c("lmg",
        # "pmvd", "last", "first", "betasq", "pratt")): "Proportion of variance explained by
        # model: 70.67%", 47 observations, and (8 significant digits):
        #   lmg    first      betasq
        #   Agriculture       0.05709122 0.1246649  0.09791973
        #   Examination       0.17117303 0.4171645  0.02715186
        #   Education         0.26013468 0.4406156  0.44943721
        #   Catholic          0.10557015 0.2150035  0.12082578
        #   Infant.Mortality  0.11276592 0.1735189  0.06306928
        result = key_drivers("Fertility", load("swiss.csv"), method="lmg")
        assert result.method == "lmg" and result.n == 47 and result.n_dropped == 0
        assert result.r2 == printed(0.7067, 4)
        assert result.warnings == ()
        lmg = {"agriculture": 0.05709122, "examination": 0.17117303, "education": 0.26013468,
               "catholic": 0.10557015, "infant.mortality": 0.11276592}
        first = {"agriculture": 0.1246649, "examination": 0.4171645, "education": 0.4406156,
                 "catholic": 0.2150035, "infant.mortality": 0.1735189}
        betasq = {"agriculture": 0.09791973, "examination": 0.02715186,
                  "education": 0.44943721, "catholic": 0.12082578,
                  "infant.mortality": 0.06306928}
        found = by_item(result)
        for item in lmg:
            assert found[item].importance == printed(lmg[item], 8), item
            assert found[item].r ** 2 == printed(first[item], 7), item  # "first" is r²
            assert found[item].beta ** 2 == printed(betasq[item], 8), item
        # Sorted by importance: education, examination, infant.mortality, catholic, agri.
        assert [d.item for d in result.drivers] == ["education", "examination",
                                                    "infant.mortality", "catholic",
                                                    "agriculture"]

    def test_swiss_betas_match_the_lm_coefficients(self) -> None:
        # summary(lm(Fertility ~ ., data = swiss)), as printed in the Johns Hopkins
        # "Regression Models" course notes (DataScienceSpecialization/courses,
        # 02_02_multivariateExamples): Agriculture -0.1721, Examination -0.2580,
        # Education -0.8709, Catholic 0.1041, Infant.Mortality 1.0770. A standardised beta
        # is the coefficient times sd(x) / sd(y), so coefficient = beta * sd(y) / sd(x).
        swiss = load("swiss.csv")
        found = by_item(key_drivers("Fertility", swiss))
        coefficients = {"Agriculture": -0.1721, "Examination": -0.2580, "Education": -0.8709,
                        "Catholic": 0.1041, "Infant.Mortality": 1.0770}
        sd_y = np.std(swiss["Fertility"])
        for name, coefficient in coefficients.items():
            beta = found[name.lower()].beta
            assert beta * sd_y / np.std(swiss[name]) == printed(coefficient, 4), name
        # cor(swiss)["Fertility", "Agriculture"] = +0.3531 (relaimpo's "first" is its
        # square, 0.1246649) while its beta is negative: Agriculture is a suppressor.
        assert found["agriculture"].r == printed(0.3531, 4)
        assert found["agriculture"].suppressor and not found["education"].suppressor
        # Education's mean, summary(swiss): 10.98 (the 47 values add up to 516).
        assert found["education"].mean == printed(10.98, 2)
        assert found["education"].mean == pytest.approx(sum(swiss["Education"]) / 47)

    def test_johnson_matches_rwa_on_mtcars(self) -> None:
        # rwa vignette "Introduction to Relative Weights Analysis with the rwa Package":
        # rwa(mtcars, "mpg", c("cyl", "disp", "hp", "gear")): rsquare 0.7791896;
        #   hp 0.2321744 (29.79691%), cyl 0.2284797 (29.32274%), disp 0.2221469 (28.50999%),
        #   gear 0.0963886 (12.37037%).
        result = key_drivers("mpg", load("mtcars.csv"), items=["cyl", "disp", "hp", "gear"],
                             method="johnson")
        assert result.method == "johnson" and result.n == 32
        assert result.r2 == printed(0.7791896, 7)
        expected = [("hp", 0.2321744, 29.79691), ("cyl", 0.2284797, 29.32274),
                    ("disp", 0.2221469, 28.50999), ("gear", 0.0963886, 12.37037)]
        assert [d.item for d in result.drivers] == [item for item, *_ in expected]
        for driver, (_, weight, percent) in zip(result.drivers, expected, strict=True):
            assert driver.importance == printed(weight, 7)
            assert driver.share * 100 == printed(percent, 5)
        # "Sign" column: gear +, the others -.
        assert [np.sign(d.r) for d in result.drivers] == [-1, -1, -1, 1]

    def test_johnson_matches_rwa_with_five_predictors(self) -> None:
        # Same vignette, c("cyl", "disp", "hp", "gear", "wt"): wt 0.23642417,
        # cyl 0.18833374, hp 0.18809142, disp 0.16479802, gear 0.07345304.
        result = key_drivers("mpg", load("mtcars.csv"), method="johnson",
                             items=["cyl", "disp", "hp", "gear", "wt"])
        expected = {"wt": 0.23642417, "cyl": 0.18833374, "hp": 0.18809142,
                    "disp": 0.16479802, "gear": 0.07345304}
        assert [d.item for d in result.drivers] == list(expected)
        for driver in result.drivers:
            assert driver.importance == printed(expected[driver.item], 8)

    def test_johnson_is_close_to_lmg_on_swiss(self) -> None:
        # Johnson (2000) presents relative weights as a fast approximation of the average
        # over orderings; on swiss they agree to about 0.02 and sum to the same R².
        lmg = by_item(key_drivers("Fertility", load("swiss.csv"), method="lmg"))
        johnson = key_drivers("Fertility", load("swiss.csv"), method="johnson")
        assert johnson.r2 == printed(0.7067, 4)
        assert sum(d.importance for d in johnson.drivers) == pytest.approx(johnson.r2)
        for driver in johnson.drivers:
            assert driver.importance == pytest.approx(lmg[driver.item].importance, abs=0.03)
        assert johnson.drivers[0].item == "education"


class TestCorrelationTest:
    def test_hollander_and_wolfe_from_r_cor_test(self) -> None:
        # R's ?cor.test: Hollander & Wolfe (1973), p. 187f., x = aged 4 weeks, y = ...:
        # "t = 1.8411, df = 7, p-value = 0.1082 ... cor 0.5711816".
        x = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1]
        y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]
        test = correlation_test(x, y)
        assert test.r == printed(0.5711816, 7)
        assert test.t == printed(1.8411, 4)
        assert test.df == 7
        assert test.p_value == printed(0.1082, 4)

    def test_key_drivers_reports_the_same_test(self) -> None:
        x = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1]
        y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]
        (driver,) = key_drivers("y", {"y": y, "x": x}).drivers
        assert driver.r == printed(0.5711816, 7)
        assert driver.p_value == printed(0.1082, 4)
        assert not driver.significant
        # One driver: its importance is the whole R², which is r².
        assert driver.importance == pytest.approx(0.5711816**2, abs=1e-7)
        assert driver.beta == pytest.approx(driver.r)

    def test_a_hand_computed_correlation(self) -> None:
        # x = 1, 2, 3, 4 (mean 2.5), y = 2, 4, 5, 4 (mean 3.75):
        # sum dx dy = (-1.5)(-1.75) + (-0.5)(0.25) + (0.5)(1.25) + (1.5)(0.25) = 3.5
        # sum dx² = 5, sum dy² = 4.75, r = 3.5 / sqrt(23.75) = 0.718185...
        # t = r sqrt(2 / (1 - r²)) = 1.4596...
        test = correlation_test([1, 2, 3, 4], [2, 4, 5, 4])
        r = 3.5 / math.sqrt(23.75)
        assert test.r == pytest.approx(r, rel=1e-12)
        assert test.t == pytest.approx(r * math.sqrt(2 / (1 - r * r)), rel=1e-12)

    def test_a_perfect_correlation_has_p_zero_and_no_t(self) -> None:
        test = correlation_test([1, 2, 3, 4], [4, 5, 6, 7])  # the same deviations
        assert test.r == 1.0 and test.t is None and test.p_value == 0.0

    @pytest.mark.parametrize(("x", "y", "words"), [
        ([1, 2, 3], [1, 2], "pairs"),
        ([1, 2], [1, 2], "at least 3"),
        ([1, 1, 1], [1, 2, 3], "same value"),
        ([1, 2, float("inf")], [1, 2, 3], "finite"),
    ])
    def test_refusals(self, x: list, y: list, words: str) -> None:
        with pytest.raises(CxroiError, match=words):
            correlation_test(x, y)


class TestHolm:
    def test_pingouin_documented_example(self) -> None:
        # pingouin.holm docs: pvals = [.50, .003, .32, .054, .0003] ->
        # [0.64, 0.012, 0.64, 0.162, 0.0015].
        assert holm([0.50, 0.003, 0.32, 0.054, 0.0003]) == pytest.approx(
            [0.64, 0.012, 0.64, 0.162, 0.0015], rel=1e-12)

    def test_r_p_adjust_output(self) -> None:
        # p.adjust(0.04 / c(1, 5, 10, 50, 100, 500, 1000), "holm") as printed on Cross
        # Validated (question 470480): 0.04000 0.01600 0.01200 0.00320 0.00200 0.00048 0.00028
        raw = [0.04 / k for k in (1, 5, 10, 50, 100, 500, 1000)]
        assert holm(raw) == pytest.approx(
            [0.04, 0.016, 0.012, 0.0032, 0.002, 0.00048, 0.00028], rel=1e-12)

    def test_wikipedia_example_by_hand(self) -> None:
        # Sorted: 0.005 * 4 = 0.02, 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, 0.04 * 1 = 0.04 -> the
        # running maximum keeps 0.06 for the last: back in the given order 0.03, 0.06, 0.06,
        # 0.02.
        assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])

    def test_capped_at_one_and_empty(self) -> None:
        assert holm([0.4, 0.6, 0.9]) == (1.0, 1.0, 1.0)  # 1.2, 1.2, 1.2 -> 1
        assert holm([]) == ()

    def test_refuses_a_p_value_outside_zero_one(self) -> None:
        with pytest.raises(CxroiError, match="between 0 and 1"):
            holm([0.2, 1.5])

    @FAST
    @given(st.lists(st.floats(0, 1), min_size=1, max_size=12))
    def test_adjusted_values_are_monotone_bounded_and_never_smaller(self, raw) -> None:
        adjusted = holm(raw)
        assert all(a >= p and a <= 1 for a, p in zip(adjusted, raw, strict=True))
        ranked = sorted(zip(raw, adjusted, strict=True))
        assert all(b[1] >= a[1] for a, b in zip(ranked, ranked[1:]))


# --- key drivers: the rules ----------------------------------------------------------------


class TestKeyDriverRules:
    ANSWERS = {
        "Recommend": [9, 7, 10, 4, 8, 3, 9, None, 6, 5],
        "Delivery": [8, 7, 9, 3, 8, 4, 9, 6, None, 5],
        "Support": [7, 5, 8, 6, 6, 2, 7, 5, 4, 6],
        "Price": [5, 6, 7, 4, 6, 3, 8, 2, 5, None],
    }

    def test_drops_respondents_missing_the_outcome_or_a_driver(self) -> None:
        result = key_drivers("recommend", self.ANSWERS)
        # respondent 8 has no outcome, 9 no delivery, 10 no price: 7 kept of 10
        assert (result.n, result.n_dropped) == (7, 3)
        named = key_drivers("recommend", self.ANSWERS, items=["support"])
        assert (named.n, named.n_dropped) == (9, 1)  # only the missing outcome drops
        assert [d.item for d in named.drivers] == ["support"]

    def test_names_are_case_insensitive_and_reported_in_lower_case(self) -> None:
        result = key_drivers(" RECOMMEND ", self.ANSWERS, items=["DELIVERY", "Support"])
        assert result.outcome == "recommend"
        assert {d.item for d in result.drivers} == {"delivery", "support"}

    def test_mean_is_over_the_kept_respondents(self) -> None:
        found = by_item(key_drivers("recommend", self.ANSWERS, items=["support"]))
        # support over respondents 1-7, 9, 10: 7+5+8+6+6+2+7+4+6 = 51, / 9
        assert found["support"].mean == pytest.approx(51 / 9)

    def test_an_item_nobody_answered_is_left_out_with_a_warning(self) -> None:
        answers = {**self.ANSWERS, "Billing": [None] * 10}
        result = key_drivers("recommend", answers)
        assert "billing" not in by_item(result)
        assert "No answers for billing: not used as drivers." in result.warnings

    def test_numpy_columns_with_nan_are_accepted(self) -> None:
        as_arrays = {k: np.array(v, dtype=float) for k, v in self.ANSWERS.items()}
        assert key_drivers("recommend", as_arrays) == key_drivers("recommend", self.ANSWERS)

    def test_the_json_has_exactly_the_design_keys(self) -> None:
        result = key_drivers("recommend", self.ANSWERS, period="2026Q1", segment="Retail")
        data = result.as_json()
        assert list(data) == ["outcome", "period", "segment", "method", "n", "n_dropped",
                              "r2", "warnings", "drivers"]
        assert (data["period"], data["segment"], data["method"]) == ("2026Q1", "Retail",
                                                                    "lmg")
        assert all(list(d) == DRIVER_KEYS for d in data["drivers"])
        assert json.loads(json.dumps(data, allow_nan=False)) == data

    def test_warning_below_thirty_complete_responses_and_not_at_thirty(self) -> None:
        rng = np.random.default_rng(7)
        x = rng.normal(size=(30, 2))
        y = x.sum(axis=1) + rng.normal(size=30)
        assert key_drivers("outcome", as_answers(y, x)).warnings == ()
        short = key_drivers("outcome", as_answers(y[:29], x[:29]))
        assert short.warnings == ("Only 29 complete responses: key drivers from fewer than "
                                  "30 are fragile.",)

    def test_refused_when_n_is_at_most_p_plus_one(self) -> None:
        rng = np.random.default_rng(3)
        x, y = rng.normal(size=(5, 3)), rng.normal(size=5)
        assert key_drivers("outcome", as_answers(y, x)).n == 5  # n = p + 2 is enough
        with pytest.raises(CxroiError, match="at least 5 respondents .* there are 4"):
            key_drivers("outcome", as_answers(y[:4], x[:4]))

    def test_suppressor_and_significance(self) -> None:
        # y = a - b + noise with a and b strongly correlated: b correlates positively with y
        # (through a) but its beta is negative: a classic suppressor.
        rng = np.random.default_rng(11)
        a = rng.normal(size=400)
        b = 0.9 * a + 0.3 * rng.normal(size=400)
        y = a - 0.5 * b + 0.2 * rng.normal(size=400)
        found = by_item(key_drivers("y", {"y": y, "a": a, "b": b}))
        assert found["b"].r > 0 > found["b"].beta and found["b"].suppressor
        assert not found["a"].suppressor
        assert found["a"].significant and found["a"].p_value < 0.05

    def test_ties_are_sorted_by_item_name(self) -> None:
        rng = np.random.default_rng(5)
        z = rng.normal(size=50)
        y = z + rng.normal(size=50)
        result = key_drivers("y", {"y": y, "zeta": z, "alpha": z.copy()})
        assert [d.item for d in result.drivers] == ["alpha", "zeta"]

    def test_auto_is_lmg_up_to_fifteen_drivers_and_johnson_above(self) -> None:
        rng = np.random.default_rng(2)
        x = rng.normal(size=(80, LMG_MAX_DRIVERS + 1))
        y = x.sum(axis=1) + rng.normal(size=80)
        fifteen = key_drivers("outcome", as_answers(y, x[:, :LMG_MAX_DRIVERS]))
        sixteen = key_drivers("outcome", as_answers(y, x))
        assert fifteen.method == "lmg" and sixteen.method == "johnson"
        assert sum(d.importance for d in fifteen.drivers) == pytest.approx(fifteen.r2)
        assert sum(d.share for d in sixteen.drivers) == pytest.approx(1.0)
        assert fifteen.r2 == pytest.approx(ols_r2(y, x[:, :LMG_MAX_DRIVERS]), rel=1e-9)
        with pytest.raises(CxroiError, match="at most 15 drivers, not 16"):
            key_drivers("outcome", as_answers(y, x), method="lmg")

    @pytest.mark.parametrize(("kwargs", "words"), [
        ({"items": ["delivery", "speed"]}, "The driver 'speed' is not an item"),
        ({"items": ["delivery", "Recommend"]}, "The outcome 'recommend' cannot also be"),
        ({"items": ["delivery", "DELIVERY"]}, "'delivery' is named twice"),
        ({"items": []}, "no other item"),
        ({"method": "shapley"}, "lmg, johnson or auto, not 'shapley'"),
    ])
    def test_refusals_of_the_request(self, kwargs: dict, words: str) -> None:
        with pytest.raises(CxroiError, match=words):
            key_drivers("recommend", self.ANSWERS, **kwargs)

    def test_unknown_outcome_is_refused(self) -> None:
        with pytest.raises(CxroiError, match="The outcome 'nps' is not an item"):
            key_drivers("NPS", self.ANSWERS)

    def test_zero_variance_outcome_is_refused_in_one_sentence(self) -> None:
        answers = {**self.ANSWERS, "Recommend": [8] * 10}
        with pytest.raises(CxroiError) as caught:
            key_drivers("recommend", answers)
        message = str(caught.value)
        assert message.count(".") == 1 and message.endswith(".")
        assert "the same score" in message and "'recommend'" in message

    def test_zero_variance_driver_is_refused_naming_it(self) -> None:
        answers = {**self.ANSWERS, "Support": [0.1] * 10}  # 0.1 does not sum exactly
        with pytest.raises(CxroiError, match="gave 'support' the same score"):
            key_drivers("recommend", answers)

    @pytest.mark.parametrize(("answers", "words"), [
        ({"y": [1, 2, 3, 4, 5], "x": [1, 2, 3]}, "one score .* per respondent"),
        ({"y": [1, 2, 3, 4, 5], "x": [1, 2, float("inf"), 4, 5]}, "'x' has an infinite"),
        ({"y": [1, 2, 3, 4, 5], "x": ["a", 2, 3, 4, 5]}, "'x' has a score that is not"),
        ({"y": [1, 2, 3, 4, 5], "Y ": [1, 2, 3, 4, 5]}, "'y' is given twice"),
        ({"y": [1, 2, 3, 4, 5]}, "no other item"),
    ])
    def test_refusals_of_the_answers(self, answers: dict, words: str) -> None:
        with pytest.raises(CxroiError, match=words):
            key_drivers("y", answers)

    def test_exact_copies_share_importance_and_keep_r2(self) -> None:
        rng = np.random.default_rng(9)
        x = rng.normal(size=(200, 2))
        y = x @ [1.0, 0.5] + rng.normal(size=200)
        alone = key_drivers("outcome", as_answers(y, x))
        doubled = key_drivers("outcome", as_answers(y, np.column_stack([x, x[:, 0]])))
        found = by_item(doubled)
        assert found["d0"].importance == pytest.approx(found["d2"].importance, abs=1e-12)
        assert found["d0"].beta == pytest.approx(found["d2"].beta, abs=1e-9)
        assert doubled.r2 == pytest.approx(alone.r2, abs=1e-12)
        assert any("collinear" in w for w in doubled.warnings)
        assert json.dumps(doubled.as_json(), allow_nan=False)
        johnson = by_item(key_drivers("outcome", as_answers(y, np.column_stack([x, x[:, 0]])),
                                      method="johnson"))
        assert johnson["d0"].importance == pytest.approx(johnson["d2"].importance, abs=1e-12)


# --- key drivers: properties ---------------------------------------------------------------


class TestKeyDriverProperties:
    @FAST
    @given(surveys(max_drivers=4))
    def test_lmg_is_the_average_over_orderings_of_ols_regressions(self, survey) -> None:
        y, x = survey
        result = key_drivers("outcome", as_answers(y, x), method="lmg")
        found = by_item(result)
        expected = lmg_by_orderings(y, x)
        for j, value in enumerate(expected):
            assert found[f"d{j}"].importance == pytest.approx(value, abs=1e-9)
        assert result.r2 == pytest.approx(ols_r2(y, x), abs=1e-9)

    @FAST
    @given(surveys(), st.sampled_from(["lmg", "johnson"]))
    def test_importances_are_non_negative_and_add_up_to_r2(self, survey, method) -> None:
        y, x = survey
        result = key_drivers("outcome", as_answers(y, x), method=method)
        assert all(d.importance >= 0 for d in result.drivers)
        assert sum(d.importance for d in result.drivers) == pytest.approx(result.r2, abs=1e-9)
        assert sum(d.share for d in result.drivers) == pytest.approx(1.0, abs=1e-9)
        importances = [d.importance for d in result.drivers]
        assert importances == sorted(importances, reverse=True)
        assert json.dumps(result.as_json(), allow_nan=False)

    @FAST
    @given(surveys(), st.integers(0, 2**32 - 1))
    def test_permuting_respondents_changes_nothing(self, survey, seed) -> None:
        y, x = survey
        order = np.random.default_rng(seed).permutation(len(y))
        before = key_drivers("outcome", as_answers(y, x))
        after = key_drivers("outcome", as_answers(y[order], x[order]))
        assert after.r2 == pytest.approx(before.r2, abs=1e-9)
        assert [d.item for d in after.drivers] == [d.item for d in before.drivers] or \
            _near_ties(before)
        for new in after.drivers:
            old = by_item(before)[new.item]
            for key in ("importance", "r", "p_value", "beta", "mean"):
                # ill-conditioned drivers (a beta of -70 from six respondents) lose digits:
                # relative 1e-7 as well
                assert getattr(new, key) == pytest.approx(getattr(old, key), rel=1e-7,
                                                          abs=1e-9), key

    @FAST
    @given(surveys(), st.floats(0.01, 100), st.floats(-50, 50), st.sampled_from(["lmg",
                                                                                 "johnson"]))
    def test_a_positive_affine_rescaling_of_a_driver_changes_nothing(self, survey, scale,
                                                                     shift, method) -> None:
        y, x = survey
        moved = x.copy()
        moved[:, 0] = scale * x[:, 0] + shift
        before = by_item(key_drivers("outcome", as_answers(y, x), method=method))
        after = by_item(key_drivers("outcome", as_answers(y, moved), method=method))
        for item, new in after.items():
            for key in ("importance", "share", "r", "beta"):
                assert getattr(new, key) == pytest.approx(getattr(before[item], key),
                                                          rel=1e-7, abs=1e-7), (item, key)
        assert after["d0"].mean == pytest.approx(scale * before["d0"].mean + shift)

    @FAST
    @given(surveys(max_drivers=4), st.sampled_from(["lmg", "johnson"]))
    def test_two_exact_copies_get_equal_importance(self, survey, method) -> None:
        y, x = survey
        doubled = np.column_stack([x, x[:, 0]])
        result = key_drivers("outcome", as_answers(y, doubled), method=method)
        found = by_item(result)
        last = f"d{x.shape[1]}"
        assert found["d0"].importance == pytest.approx(found[last].importance, abs=1e-9)
        assert result.r2 == pytest.approx(ols_r2(y, x), abs=1e-9)
        assert all(math.isfinite(d.beta) and math.isfinite(d.p_value) for d in result.drivers)


def _near_ties(result) -> bool:
    values = [d.importance for d in result.drivers]
    return any(abs(a - b) < 1e-9 for a, b in zip(values, values[1:]))


# --- leading indicators --------------------------------------------------------------------


LOST = {"2025Q1": 40, "2025Q2": 44, "2025Q3": 43, "2025Q4": 50, "2026Q1": 55, "2026Q2": 53}


class TestLeadingIndicators:
    def test_pairs_a_metric_with_the_outcome_lag_quarters_later(self) -> None:
        # escalations at q-1 paired with customers_lost at q: 2025Q2..2026Q2 have a
        # previous quarter of escalations (2025Q1..2026Q1): 5 pairs.
        escalations = {"2025Q1": 10, "2025Q2": 12, "2025Q3": 11, "2025Q4": 15, "2026Q1": 14,
                       "2026Q2": 99}
        result = leading_indicators("customers_lost", {"customers_lost": LOST,
                                                       "escalations": escalations})
        (indicator,) = result.indicators
        assert indicator.n == 5
        expected = correlation_test([10, 12, 11, 15, 14], [44, 43, 50, 55, 53])
        assert indicator.r == pytest.approx(expected.r, rel=1e-12)
        assert indicator.p_value == pytest.approx(expected.p_value, rel=1e-12)
        assert indicator.p_holm == pytest.approx(expected.p_value, rel=1e-12)  # one test

    def test_lag_two_and_gaps_in_either_series(self) -> None:
        # Lag 2: metric at 2024Q3..2025Q4 for outcome at 2025Q1..2026Q2; the metric has no
        # 2025Q1 (so no pair for 2025Q3) and the outcome's 2025Q4 is None.
        lost = {**LOST, "2025Q4": None}
        metric = {"2024Q3": 1, "2024Q4": 2, "2025Q2": 5, "2025Q3": 4, "2025Q4": 6}
        result = leading_indicators("customers_lost",
                                    {"customers_lost": lost, "returns": metric}, lag=2)
        # pairs: (2024Q3, 2025Q1), (2024Q4, 2025Q2), (2025Q2, 2025Q4 = None -> no),
        # (2025Q3, 2026Q1), (2025Q4, 2026Q2): 4 pairs
        (indicator,) = result.indicators
        assert indicator.n == 4
        expected = correlation_test([1, 2, 4, 6], [40, 44, 55, 53])
        assert indicator.r == pytest.approx(expected.r, rel=1e-12)

    def test_fewer_than_four_pairs_is_not_tested_with_its_count(self) -> None:
        result = leading_indicators("customers_lost", {
            "customers_lost": LOST, "deals_delayed": {"2025Q4": 3, "2026Q1": 5, "2026Q2": 4},
            "frontline_leavers": {"2019Q1": 2}})
        assert result.indicators == ()
        assert [(t.metric, t.n) for t in result.not_tested] == [("deals_delayed", 2),
                                                                 ("frontline_leavers", 0)]
        assert result.as_json()["not_tested"] == [{"metric": "deals_delayed", "n": 2},
                                                  {"metric": "frontline_leavers", "n": 0}]

    def test_a_constant_metric_or_outcome_is_not_tested_never_nan(self) -> None:
        flat = {q: 7 for q in ("2024Q4", *LOST)}
        result = leading_indicators("customers_lost", {"customers_lost": LOST,
                                                       "escalations": flat})
        (untested,) = result.not_tested
        assert (untested.metric, untested.n) == ("escalations", 6)
        assert "constant" in untested.reason
        steady = leading_indicators("customers_lost", {
            "customers_lost": {q: 50 for q in LOST},
            "escalations": {q: i for i, q in enumerate(("2024Q4", *LOST))}})
        assert steady.not_tested[0].reason == "the outcome is constant over these quarters"
        assert json.dumps(steady.as_json(), allow_nan=False)

    def test_holm_over_the_metrics_tested_decides_leading(self) -> None:
        rng = np.random.default_rng(4)
        quarters = [f"{2020 + i // 4}Q{i % 4 + 1}" for i in range(13)]
        driver = rng.normal(size=13)
        outcome = {q: 3 * driver[i - 1] + 0.1 * rng.normal() for i, q in enumerate(quarters)
                   if i}
        series = {"outcome_metric": outcome,
                  "escalations": dict(zip(quarters, driver, strict=True)),
                  "noise_a": dict(zip(quarters, rng.normal(size=13), strict=True)),
                  "noise_b": dict(zip(quarters, rng.normal(size=13), strict=True))}
        result = leading_indicators("OUTCOME_METRIC", series, segment="Retail")
        raw = [i.p_value for i in result.indicators]
        assert [i.p_holm for i in result.indicators] == pytest.approx(list(holm(raw)))
        assert raw == sorted(raw)  # smallest p first
        first = result.indicators[0]
        assert first.metric == "escalations" and first.leading and first.n == 12
        assert all(i.leading == (i.p_holm < 0.05) for i in result.indicators)
        data = result.as_json()
        assert list(data) == ["outcome", "lag", "segment", "indicators", "not_tested"]
        assert (data["outcome"], data["lag"], data["segment"]) == ("outcome_metric", 1,
                                                                  "Retail")
        assert all(list(i) == ["metric", "n", "r", "p_value", "p_holm", "leading"]
                   for i in data["indicators"])

    def test_quarters_in_any_accepted_spelling(self) -> None:
        canonical = leading_indicators("lost", {"lost": LOST, "m": {
            "2024Q4": 1, "2025Q1": 3, "2025Q2": 2, "2025Q3": 5, "2025Q4": 4}})
        spelled = leading_indicators("lost", {"lost": LOST, "m": {
            "Q4 2024": 1, "2025-Q1": 3, "2025-05-10": 2, "q3/2025": 5, "2025 Q4": 4}})
        assert spelled == canonical

    @pytest.mark.parametrize(("outcome", "series", "lag", "words"), [
        ("nps", {"lost": LOST}, 1, "The outcome 'nps' is not one of these metrics"),
        ("lost", {"lost": LOST}, 0, "at least 1, not 0"),
        ("lost", {"lost": LOST}, True, "not True"),
        ("lost", {"lost": LOST, "m": {"2025Q1": 1, "2025-Q1": 2}}, 1, "two values for 2025Q1"),
        ("lost", {"lost": LOST, "m": {"2025Q1": float("inf")}}, 1, "infinite value in 2025Q1"),
        ("lost", {"lost": LOST, "LOST": LOST}, 1, "given twice"),
        ("lost", {"lost": {"2025Q7": 1}}, 1, "no quarter 7"),
    ])
    def test_refusals(self, outcome: str, series: dict, lag: object, words: str) -> None:
        with pytest.raises(CxroiError, match=words):
            leading_indicators(outcome, series, lag=lag)
