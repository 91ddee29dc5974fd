"""``drivers`` and ``leading`` on the command line: the contract's JSON, hand-checked values,
published results through a real ``import ratings``, and one-sentence refusals (exit 1)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from cxroi.cli import main
from cxroi.store import Store, forget_store

from .helpers import upload

DATA = Path(__file__).resolve().parent / "data"
DRIVER_KEYS = ["item", "importance", "share", "r", "p_value", "beta", "mean", "significant",
               "suppressor"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path):
    path = tmp_path / "drivers.duckdb"
    yield path
    forget_store(path)


def seed(db: Path, kind: str, rows: list[tuple], name: str = "file.csv") -> None:
    store = Store(db)
    try:
        upload(store, kind, rows, name=name)
    finally:
        store.close()


# Two orthogonal drivers on a 1-5 scale; the outcome is their sum (0-10 scale):
#   delivery  5 1 5 1   (mean 3)      support 5 5 1 1   (mean 3)      recommend 10 6 6 2
# r(delivery, recommend) = r(support, recommend) = 1/sqrt(2) = 0.70710678; the drivers are
# uncorrelated, so R² = r1² + r2² = 1 and each LMG importance is its r² = 0.5 (share 0.5),
# each standardised beta is its r. t = r sqrt((n-2)/(1-r²)) = sqrt(2) with df 2; the t(2)
# CDF is 1/2 + t / (2 sqrt(2 + t²)), so p = 2 (1/2 - sqrt(2)/4) = 1 - sqrt(2)/2 = 0.29289.
# Respondent e in Online skipped support: dropped (n 4, n_dropped 1).
SMALL = [
    *[("2026Q1", "Retail", who, item, score)
      for who, scores in {"a": (5, 5, 10), "b": (1, 5, 6), "c": (5, 1, 6)}.items()
      for item, score in zip(("delivery", "support", "recommend"), scores)],
    ("2026Q1", "Online", "d", "delivery", 1), ("2026Q1", "Online", "d", "support", 1),
    ("2026Q1", "Online", "d", "recommend", 2),
    ("2026Q1", "Online", "e", "delivery", 4), ("2026Q1", "Online", "e", "recommend", 9),
]


class TestDrivers:
    def test_hand_checked_json(self, capsys, db):
        seed(db, "ratings", SMALL)
        code, out, err = run(capsys, "--db", str(db), "drivers", "--outcome", "Recommend",
                             "--json")
        assert code == 0, err
        result = json.loads(out)
        assert list(result) == ["outcome", "period", "segment", "method", "n", "n_dropped",
                                "r2", "warnings", "drivers"]
        assert (result["outcome"], result["period"], result["segment"], result["method"]) == (
            "recommend", "2026Q1", "All", "lmg")
        assert (result["n"], result["n_dropped"]) == (4, 1)
        assert result["r2"] == pytest.approx(1.0)
        assert result["warnings"] == [
            "Only 4 complete responses: key drivers from fewer than 30 are fragile."]
        assert "fragile" in err                       # warnings also go to standard error
        assert [d["item"] for d in result["drivers"]] == ["delivery", "support"]  # tie: by name
        for driver in result["drivers"]:
            assert list(driver) == DRIVER_KEYS
            assert driver["importance"] == pytest.approx(0.5)
            assert driver["share"] == pytest.approx(0.5)
            assert driver["r"] == pytest.approx(1 / math.sqrt(2))
            assert driver["beta"] == pytest.approx(1 / math.sqrt(2))
            assert driver["p_value"] == pytest.approx(1 - math.sqrt(2) / 2)
            assert driver["mean"] == pytest.approx(3.0)
            assert driver["significant"] is False and driver["suppressor"] is False

    def test_plain_text_names_the_figures(self, capsys, db):
        seed(db, "ratings", SMALL)
        code, out, _ = run(capsys, "--db", str(db), "drivers", "--outcome", "recommend")
        assert code == 0
        assert out.splitlines()[0] == ("Key drivers of recommend, 2026Q1, All (lmg): n = 4 "
                                       "(1 dropped), R² = 1.0000")
        assert "delivery" in out and "50.0%" in out

    def test_swiss_through_a_wide_import_matches_relaimpo(self, capsys, db, tmp_path):
        # R's swiss data as a survey export: one row per province (respondent), one column
        # per item. relaimpo's lmg (Groemping 2006): R² 70.67%, Education 0.26013468,
        # Examination 0.17117303, Infant.Mortality 0.11276592, Catholic 0.10557015,
        # Agriculture 0.05709122.
        lines = [line for line in (DATA / "swiss.csv").read_text().splitlines()
                 if not line.startswith("#")]
        rows = list(csv.reader(lines))
        wide = tmp_path / "swiss_wide.csv"
        with wide.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["period", "segment", "respondent", *rows[0][1:]])
            writer.writerows(["1888-06-30", "Romandy", *row] for row in rows[1:])
        code, out, err = run(capsys, "--db", str(db), "import", "ratings", str(wide),
                             "--source", "R datasets", "--scope", "47 provinces")
        assert code == 0, err
        assert "Imported 282 ratings row(s)" in out          # 47 provinces x 6 items
        code, out, err = run(capsys, "--db", str(db), "drivers", "--outcome", "fertility",
                             "--segment", "Romandy", "--period", "1888Q2", "--json")
        assert code == 0, err
        result = json.loads(out)
        assert (result["n"], result["n_dropped"], result["period"]) == (47, 0, "1888Q2")
        assert round(result["r2"], 4) == 0.7067
        expected = {"education": 0.26013468, "examination": 0.17117303,
                    "infant.mortality": 0.11276592, "catholic": 0.10557015,
                    "agriculture": 0.05709122}
        assert [d["item"] for d in result["drivers"]] == list(expected)
        for driver in result["drivers"]:
            assert round(driver["importance"], 8) == expected[driver["item"]]
        agriculture = result["drivers"][-1]
        assert round(agriculture["r"], 4) == 0.3531 and agriculture["suppressor"] is True

    def test_mtcars_johnson_with_named_items_matches_rwa(self, capsys, db):
        # rwa vignette: rwa(mtcars, "mpg", c("cyl", "disp", "hp", "gear")): rsquare
        # 0.7791896; hp 0.2321744, cyl 0.2284797, disp 0.2221469, gear 0.0963886.
        lines = [line for line in (DATA / "mtcars.csv").read_text().splitlines()
                 if not line.startswith("#")]
        rows = list(csv.reader(lines))
        header = rows[0]
        answers = [("2026Q1", "Cars", row[0], name, float(value))
                   for row in rows[1:] for name, value in zip(header[1:], row[1:])]
        seed(db, "ratings", answers)
        code, out, err = run(capsys, "--db", str(db), "drivers", "--outcome", "mpg", "--items",
                             "cyl, disp,hp,gear", "--method", "johnson", "--json")
        assert code == 0, err
        result = json.loads(out)
        assert result["method"] == "johnson" and result["n"] == 32
        assert round(result["r2"], 7) == 0.7791896
        assert [(d["item"], round(d["importance"], 7)) for d in result["drivers"]] == [
            ("hp", 0.2321744), ("cyl", 0.2284797), ("disp", 0.2221469), ("gear", 0.0963886)]

    @pytest.mark.parametrize("args, sentence", [
        (["--outcome", "loyalty"], "There is no item 'loyalty' in the 2026Q1 ratings; items: "
                                   "delivery, recommend, support."),
        (["--outcome", "recommend", "--items", "delivery,speed"],
         "There is no item 'speed' in the 2026Q1 ratings; items: delivery, recommend, support."),
        (["--outcome", "recommend", "--period", "2025Q4"],
         "There are no ratings for 2025Q4; quarters with ratings: 2026Q1."),
        (["--outcome", "recommend", "--segment", "Online"],
         "Key drivers need at least 4 respondents who answered 'recommend' and all 2 drivers; "
         "there are 1."),
        (["--outcome", "recommend", "--segment", "Nowhere"],
         "There are no ratings for the segment 'Nowhere'; segments with ratings: All, Online, "
         "Retail."),
        (["--outcome", "recommend", "--period", "2026Q7"], "2026Q7"),
    ])
    def test_refusals_are_one_sentence_and_exit_1(self, capsys, db, args, sentence):
        seed(db, "ratings", SMALL)
        code, out, err = run(capsys, "--db", str(db), "drivers", *args, "--json")
        assert code == 1 and out == ""
        assert err.startswith("error: ") and sentence in err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err

    def test_an_outcome_with_no_variance_is_refused(self, capsys, db):
        flat = [("2026Q1", "Retail", who, item, score) for who in "abcde"
                for item, score in (("recommend", 7), ("delivery", "abcde".index(who)))]
        seed(db, "ratings", flat)
        code, _, err = run(capsys, "--db", str(db), "drivers", "--outcome", "recommend")
        assert code == 1
        assert err == ("error: Every respondent kept gave the outcome 'recommend' the same "
                       "score: there is no variation to explain.\n")

    def test_no_ratings_at_all(self, capsys, db):
        seed(db, "metrics", [("2026Q1", "All", "customers", 10)])
        code, _, err = run(capsys, "--db", str(db), "drivers", "--outcome", "recommend")
        assert code == 1 and "There are no survey ratings yet" in err


# escalations 1 2 3 4 (2025Q1-Q4) and customers lost 2 4 6 8 a quarter later (2025Q2-2026Q1):
# r = 1, so p = 0. Returns 1 2 2 1 against 2 4 6 8: centred (-.5 .5 .5 -.5) . (-3 -1 1 3) = 0,
# r = 0, p = 1. Holm over the two: sorted p (0, 1) -> (2 * 0, max(0, 1 * 1)) = (0, 1).
# Deals delayed (2025Q1, 2025Q2) pairs with customers lost in 2025Q2 and 2025Q3 only: n 2
# (at lag 2, with 2025Q3 and 2025Q4: n 2 again; the others lose a pair: n 3).
SERIES = [
    *[("2025Q%d" % q, "All", "escalations", v) for q, v in zip(range(1, 5), (1, 2, 3, 4))],
    *[("2025Q%d" % q, "All", "returns", v) for q, v in zip(range(1, 5), (1, 2, 2, 1))],
    ("2025Q1", "All", "deals_delayed", 5), ("2025Q2", "All", "deals_delayed", 6),
    *[(p, "All", "customers_lost", v)
      for p, v in zip(("2025Q2", "2025Q3", "2025Q4", "2026Q1"), (2, 4, 6, 8))],
]


class TestLeading:
    def test_hand_checked_json(self, capsys, db):
        seed(db, "metrics", SERIES)
        code, out, err = run(capsys, "--db", str(db), "leading", "--outcome", "customers_lost",
                             "--json")
        assert code == 0, err
        result = json.loads(out)
        assert list(result) == ["outcome", "lag", "segment", "indicators", "not_tested"]
        assert (result["outcome"], result["lag"], result["segment"]) == ("customers_lost", 1,
                                                                         "All")
        escalations, returns = result["indicators"]
        assert list(escalations) == ["metric", "n", "r", "p_value", "p_holm", "leading"]
        assert (escalations["metric"], escalations["n"], escalations["leading"]) == (
            "escalations", 4, True)
        assert escalations["r"] == pytest.approx(1.0)
        assert escalations["p_value"] == pytest.approx(0.0, abs=1e-9)
        assert escalations["p_holm"] == pytest.approx(0.0, abs=1e-9)
        assert (returns["metric"], returns["n"], returns["leading"]) == ("returns", 4, False)
        assert returns["r"] == pytest.approx(0.0, abs=1e-12)
        assert returns["p_value"] == pytest.approx(1.0) and returns["p_holm"] == pytest.approx(1.0)
        assert result["not_tested"] == [{"metric": "deals_delayed", "n": 2}]

    def test_a_longer_lag_leaves_too_few_pairs(self, capsys, db):
        seed(db, "metrics", SERIES)
        code, out, _ = run(capsys, "--db", str(db), "leading", "--outcome", "customers_lost",
                           "--lag", "2", "--json")
        assert code == 0
        result = json.loads(out)
        assert result["indicators"] == []
        assert result["not_tested"] == [{"metric": "deals_delayed", "n": 2},
                                        {"metric": "escalations", "n": 3},
                                        {"metric": "returns", "n": 3}]

    def test_plain_text_says_what_leads(self, capsys, db):
        seed(db, "metrics", SERIES)
        code, out, _ = run(capsys, "--db", str(db), "leading", "--outcome", "customers_lost")
        assert code == 0
        assert out.splitlines()[0] == (
            "Leading indicators of customers_lost, lag 1, All: Escalations moves a quarter "
            "before customers lost (Holm-adjusted p < 0.05).")
        assert "deals_delayed" in out and "not tested" in out

    @pytest.mark.parametrize("args, sentence", [
        (["--outcome", "churn"], "There is no metric 'churn' for All; metrics: customers_lost, "
                                 "deals_delayed, escalations, returns."),
        (["--outcome", "customers_lost", "--segment", "Mars"], "There is no segment 'Mars'"),
        (["--outcome", "customers_lost", "--lag", "0"], "the lag is at least 1 quarter"),
        (["--outcome", "customers_lost", "--lag", "one"], "the lag is a whole number"),
    ])
    def test_refusals(self, capsys, db, args, sentence):
        seed(db, "metrics", SERIES)
        code, out, err = run(capsys, "--db", str(db), "leading", *args, "--json")
        assert code == 1 and out == "" and sentence in err
        assert len(err.strip().splitlines()) == 1
