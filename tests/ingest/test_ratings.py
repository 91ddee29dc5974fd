"""The ratings upload (docs/design.md, kind `ratings`): long and wide survey exports."""

from __future__ import annotations

import numpy as np
import pytest

from cxroi.ingest import read_upload, template_csv, template_xlsx
from tests.ingest.common import problems, read, workbook

LONG = "period,segment,respondent,item,score\n"
WIDE = "period,segment,respondent,Recommend,Delivery,Support\n"


def rows(parsed):
    assert parsed.ok, problems(parsed)
    return [tuple(r) for r in parsed.rows[["row", "period", "segment", "respondent", "item",
                                            "score"]].itertuples(index=False)]


class TestLong:
    def test_a_good_file_reads_in_canonical_form(self):
        parsed = read(LONG + "Q1 2026,Retail,R-1, Likelihood_To_Recommend ,9\n"
                             "2026-Q1,Retail,R-1,delivery,4.5\n", "ratings")
        assert rows(parsed) == [(2, "2026Q1", "Retail", "R-1", "likelihood_to_recommend", 9.0),
                                (3, "2026Q1", "Retail", "R-1", "delivery", 4.5)]

    def test_scores_keep_their_scale_and_sign(self):
        # never rescaled: -3 on a -3..3 scale stays -3, 70 on a 0-100 scale stays 70
        parsed = read(LONG + "2026Q1,Retail,R-1,mood,-3\n2026Q1,Retail,R-1,ease,70\n", "ratings")
        assert [r[-1] for r in rows(parsed)] == [-3.0, 70.0]

    def test_every_bad_cell_is_named(self):
        parsed = read(LONG + "2026Q1,Retail,R-1,recommend,good\n"   # text score
                             "2026Q1,Retail,,recommend,9\n"          # missing respondent
                             "2026Q7,Retail,R-3,recommend,9\n"       # unknown period
                             "2026Q1,Retail,R-4,,9\n"                # no item
                             "2026Q1,Retail,R-5,recommend,\n"        # no score
                             "2026Q1,Retail,R-6,recommend,inf\n"
                             "2026Q1,Retail,R-7,recommend,80%\n", "ratings")
        assert problems(parsed) == [
            "row 2, column score: must be a number (got 'good')",
            "row 3, column respondent: is empty",
            "row 4, column period: '2026Q7' is not a quarter: there is no quarter 7",
            "row 5, column item: is empty",
            "row 6, column score: is empty",
            "row 7, column score: must be a finite number (got 'inf')",
            "row 8, column score: must be a plain number, not a percentage (got '80%')",
        ]
        assert parsed.rows.empty                     # all or nothing

    def test_a_duplicate_answer_names_both_rows_after_normalising(self):
        parsed = read(LONG + "2026Q1,Retail,R-1,Recommend,9\n"
                             "2026Q1,Online,R-1,recommend,8\n"       # another segment: fine
                             "2026-Q1,Retail,R-1, recommend,7\n", "ratings")
        assert problems(parsed) == [
            "row 4: duplicate of row 2 (same period, segment, respondent and item)"]

    def test_title_rows_count_in_row_numbers(self):
        parsed = read("Survey export\n\n" + LONG + "2026Q1,Retail,R-1,recommend,x\n", "ratings")
        assert problems(parsed) == ["row 4, column score: must be a number (got 'x')"]

    def test_semicolon_file_has_decimal_commas_and_cp1252_names(self):
        data = ("period;segment;respondent;item;score\n2026Q1;Zürich;R-1;recommend;8,5\n"
                ).encode("cp1252")
        parsed = read_upload(data, "r.csv", "ratings")
        assert rows(parsed) == [(2, "2026Q1", "Zürich", "R-1", "recommend", 8.5)]
        assert "Windows-1252" in parsed.warnings[0]


class TestWide:
    def test_one_row_per_respondent_becomes_one_row_per_answer(self):
        parsed = read(WIDE + "2026Q1,Retail,R-1,9,8,\n"
                             "2026Q1,Retail,R-2,7,,5\n", "ratings")
        assert rows(parsed) == [(2, "2026Q1", "Retail", "R-1", "recommend", 9.0),
                                (2, "2026Q1", "Retail", "R-1", "delivery", 8.0),
                                (3, "2026Q1", "Retail", "R-2", "recommend", 7.0),
                                (3, "2026Q1", "Retail", "R-2", "support", 5.0)]

    def test_an_empty_cell_is_unanswered_not_an_error_and_empty_rows_are_skipped(self):
        parsed = read(WIDE + "2026Q1,Retail,R-1,,, \n,,,,,\n2026Q1,Retail,R-2,1,2,3\n", "ratings")
        assert [(r[0], r[3], r[4]) for r in rows(parsed)] == [
            (4, "R-2", "recommend"), (4, "R-2", "delivery"), (4, "R-2", "support")]

    def test_a_header_with_only_score_or_only_item_is_wide(self):
        parsed = read("period,segment,respondent,score\n2026Q1,Retail,R-1,9\n", "ratings")
        assert rows(parsed) == [(2, "2026Q1", "Retail", "R-1", "score", 9.0)]

    def test_problems_name_the_item_column_as_written(self):
        parsed = read(WIDE + "2026Q1,Retail,R-1,9,fast,\n"
                             "2026Q1,Retail,,7,3,5\n"
                             "2026Q9,Retail,R-3,7,3,n/a\n", "ratings")
        assert problems(parsed) == [
            "row 2, column Delivery: must be a number (got 'fast')",
            "row 3, column respondent: is empty",
            "row 4, column period: '2026Q9' is not a quarter: there is no quarter 9",
            "row 4, column Support: must be a number (got 'n/a')",
        ]

    def test_a_repeated_respondent_is_a_duplicate_naming_both_rows_and_the_items(self):
        parsed = read(WIDE + "2026Q1,Retail,R-1,9,8,\n"
                             "2026Q1,Retail,R-2,7,6,5\n"
                             "2026-Q1,Retail,R-1,9,,4\n"       # recommend answered twice
                             "2026Q1,Retail,R-2,,,\n", "ratings")   # nothing answered: no clash
        assert problems(parsed) == [
            "row 4: duplicate of row 2 (same period, segment, respondent and item: recommend)"]

    def test_one_respondent_split_over_rows_with_different_items_is_not_a_duplicate(self):
        parsed = read(WIDE + "2026Q1,Retail,R-1,9,,\n2026Q1,Retail,R-1,,8,\n", "ratings")
        assert [(r[0], r[4]) for r in rows(parsed)] == [(2, "recommend"), (3, "delivery")]

    def test_two_columns_of_one_item_are_refused(self):
        parsed = read("period,segment,respondent,Recommend, recommend \n2026Q1,Retail,R-1,9,8\n",
                      "ratings")
        assert problems(parsed) == [
            "column recommend: appears more than once in the header (columns D and E): item "
            "names ignore case and surrounding spaces"]

    def test_no_item_column_or_no_answer_is_refused(self):
        assert "has neither" in problems(read("period,segment,respondent\n2026Q1,R,1\n",
                                              "ratings"))[0]
        assert problems(read(WIDE + "2026Q1,Retail,R-1,,,\n", "ratings")) == [
            "The file has 1 respondent row(s) but not one answer: every item cell (Recommend, "
            "Delivery and Support) is empty."]

    def test_a_workbook_reads_the_same(self):
        data = workbook({"Responses": [["Survey Q1"], ["Period", "Segment", "Respondent",
                                                       "Recommend", "Delivery"],
                                       ["2026Q1", "Retail", "R-1", 9, None],
                                       ["2026Q1", "Retail", 1002, 6, 4]]})
        parsed = read_upload(data, "survey.xlsx", "ratings")
        assert rows(parsed) == [(3, "2026Q1", "Retail", "R-1", "recommend", 9.0),
                                (4, "2026Q1", "Retail", "1002", "recommend", 6.0),
                                (4, "2026Q1", "Retail", "1002", "delivery", 4.0)]

    def test_a_large_file_is_validated_in_bulk(self):
        rng = np.random.default_rng(1)
        scores = rng.integers(0, 11, size=(20_000, 12))
        lines = ["period,segment,respondent," + ",".join(f"q{j}" for j in range(12))]
        lines += [f"2026Q1,Retail,R{i}," + ",".join(map(str, scores[i])) for i in range(20_000)]
        lines[5000] = lines[5000].replace(",7,", ",,", 1)    # one unanswered cell (if any 7)
        import time
        started = time.perf_counter()
        parsed = read("\n".join(lines) + "\n", "ratings")
        elapsed = time.perf_counter() - started
        assert parsed.ok and len(parsed.rows) in (240_000, 239_999)
        assert elapsed < 5                               # per row in Python would take longer
        assert parsed.rows["score"].sum() == pytest.approx(
            scores.sum() - (0 if len(parsed.rows) == 240_000 else 7))


class TestOtherKindsStillTellRatingsApart:
    def test_a_metrics_file_is_not_a_ratings_file(self):
        parsed = read("period,segment,metric,value\n2026Q1,Retail,returns,3\n", "ratings")
        assert problems(parsed)[0].startswith("This is not a ratings file")

    def test_a_ratings_file_is_not_a_metrics_file(self):
        parsed = read(WIDE + "2026Q1,Retail,R-1,9,8,7\n", "metrics")
        assert problems(parsed)[0].startswith("This is not a metrics file")


@pytest.mark.parametrize("form", ["long", "wide"])
@pytest.mark.parametrize("make, name", [(template_csv, "t.csv"), (template_xlsx, "t.xlsx")])
def test_both_templates_import_cleanly(form, make, name):
    parsed = read_upload(make("ratings", form), name, "ratings")
    assert parsed.ok, problems(parsed)
    assert len(parsed.rows) == (1 if form == "long" else 3)   # wide: one item left unanswered


def test_only_ratings_have_a_wide_template():
    from cxroi.models import CxroiError

    with pytest.raises(CxroiError, match="wide"):
        template_csv("metrics", "wide")
