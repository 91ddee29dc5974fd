"""Ratings in the store: supersede by (period, segment), rollback, the reads of the drivers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxroi.models import CxroiError
from cxroi.store import Store
from cxroi.store.schema import COLUMNS, GRAINS, MIGRATIONS, RESETTABLE

from .helpers import ratings_frame, upload


@pytest.fixture
def db(tmp_path: Path) -> Store:
    store = Store(tmp_path / "r.duckdb")
    yield store
    store.close()


Q1_RETAIL = [("2026Q1", "Retail", "a", "recommend", 9), ("2026Q1", "Retail", "a", "delivery", 8),
             ("2026Q1", "Retail", "b", "recommend", 4), ("2026Q1", "Retail", "b", "delivery", 3)]
Q1_ONLINE = [("2026Q1", "Online", "a", "recommend", 7), ("2026Q1", "Online", "c", "delivery", 6)]


def scores(db: Store, period: str = "2026Q1", segment: str = "All") -> dict[str, list]:
    return {item: [None if np.isnan(v) else v for v in values]
            for item, values in db.ratings_answers(period, segment).items()}


class TestSchema:
    def test_the_kind_is_declared_as_the_design_says(self):
        assert GRAINS["ratings"] == ("period", "segment")
        assert COLUMNS["ratings"] == ("period", "segment", "respondent", "item", "score")
        assert "ratings" in RESETTABLE
        number, script = next(m for m in MIGRATIONS if "CREATE TABLE ratings" in m[1])
        assert number == 3
        code = "\n".join(line.split("--")[0] for line in script.upper().splitlines())
        for forbidden in ("PRIMARY KEY", "UNIQUE", "CHECK", "INDEX", "SEQUENCE", "DEFAULT"):
            assert forbidden not in code          # DuckLake has none of these

    def test_a_new_database_has_migration_3(self, db):
        assert db.schema_version() >= 3
        assert db.row_counts()["ratings"] == 0


class TestReads:
    def test_all_pools_segments_and_a_respondent_is_segment_and_id(self, db):
        upload(db, "ratings", Q1_RETAIL)
        upload(db, "ratings", Q1_ONLINE, name="online.csv")
        # respondents ordered by (segment, respondent): Online a, Online c, Retail a, Retail b
        assert scores(db) == {"delivery": [None, 6.0, 8.0, 3.0],
                              "recommend": [7.0, None, 9.0, 4.0]}
        assert scores(db, segment="Retail") == {"delivery": [8.0, 3.0], "recommend": [9.0, 4.0]}
        assert db.rating_items("2026Q1", "Online") == ["delivery", "recommend"]
        assert db.rating_segments() == ["All", "Online", "Retail"]
        assert db.rating_periods() == ["2026Q1"] and db.rating_periods("Nowhere") == []

    def test_no_ratings_and_an_unknown_period_are_sentences(self, db):
        with pytest.raises(CxroiError, match="no survey ratings"):
            db.ratings_answers("2026Q1")
        upload(db, "ratings", Q1_RETAIL)
        with pytest.raises(CxroiError, match="no ratings for 2025Q4; quarters with ratings: 2026Q1"):
            db.ratings_answers("2025Q4")


class TestSupersedeAndRollback:
    def test_a_new_export_replaces_only_its_period_and_segment(self, db):
        first = upload(db, "ratings", Q1_RETAIL + Q1_ONLINE)
        again = [("2026Q1", "Retail", "z", "recommend", 10), ("2026Q1", "Retail", "z", "ease", 5)]
        preview = db.preview("ratings", ratings_frame(again))
        assert (preview.superseded_rows, preview.superseded_uploads) == (4, (first.id,))
        assert preview.new_periods == ()
        second = upload(db, "ratings", again, name="again.csv")
        assert scores(db, segment="Retail") == {"ease": [5.0], "recommend": [10.0]}
        assert scores(db, segment="Online") == {"delivery": [None, 6.0], "recommend": [7.0, None]}
        assert {u.id: u.status for u in db.uploads()} == {first.id: "active", second.id: "active"}
        assert db.row_counts()["ratings"] == 8          # nothing deleted

        db.rollback(second.id)
        assert scores(db, segment="Retail") == {"delivery": [8.0, 3.0], "recommend": [9.0, 4.0]}
        assert db.upload(second.id).status == "rolled_back"

    def test_a_fully_replaced_upload_is_superseded_and_comes_back_on_rollback(self, db):
        first = upload(db, "ratings", Q1_RETAIL)
        second = upload(db, "ratings", [("2026Q1", "Retail", "q", "recommend", 1)], name="b.csv")
        assert db.upload(first.id).status == "superseded"
        db.rollback(second.id)
        assert db.upload(first.id).status == "active"
        assert scores(db)["recommend"] == [9.0, 4.0]

    def test_a_new_quarter_is_new_for_ratings_even_when_metrics_have_it(self, db):
        upload(db, "metrics", [("2026Q2", "Retail", "customers", 10)])
        upload(db, "ratings", Q1_RETAIL)
        preview = db.preview("ratings", ratings_frame(
            [("2026Q1", "Online", "x", "recommend", 3), ("2026Q2", "Online", "x", "recommend", 3)]))
        assert preview.new_periods == ("2026Q2",) and preview.superseded_rows == 0

    def test_reset_empties_the_ratings(self, db):
        upload(db, "ratings", Q1_RETAIL)
        db.reset()
        assert db.row_counts()["ratings"] == 0 and db.rating_segments() == []


class TestNarrowRows:
    """The answers are stored as narrow rows (schema.counted): one per respondent of an
    upload, one per item, one per answer of small integers."""

    def test_an_upload_is_one_row_per_respondent_item_and_answer(self, db):
        done = upload(db, "ratings", Q1_RETAIL + Q1_ONLINE)
        with db._cursor() as cur:
            assert cur.execute("SELECT respondent_no, row_no, segment, respondent, answers, "
                               "current FROM ratings ORDER BY respondent_no").fetchall() == [
                (0, 6, "Online", "a", 1, True), (1, 7, "Online", "c", 1, True),
                (2, 2, "Retail", "a", 2, True), (3, 4, "Retail", "b", 2, True)]
            assert cur.execute("SELECT item_no, item FROM rating_items WHERE upload_id = ? "
                               "ORDER BY 1", [done.id]).fetchall() == [(0, "delivery"),
                                                                       (1, "recommend")]
            assert cur.execute("SELECT count(*), sum(score) FROM rating_answers").fetchone() \
                == (6, 37.0)
        assert db.upload(done.id).rows == 6 and db.row_counts()["ratings"] == 6

    def test_a_respondents_rows_in_any_order_are_one_respondent(self, db):
        shuffled = [Q1_RETAIL[3], Q1_ONLINE[0], Q1_RETAIL[0], Q1_RETAIL[2], Q1_RETAIL[1]]
        upload(db, "ratings", shuffled)
        assert scores(db, segment="Retail") == {"delivery": [8.0, 3.0], "recommend": [9.0, 4.0]}
        with db._cursor() as cur:   # the respondent's row is the first row it came from
            assert cur.execute("SELECT row_no FROM ratings WHERE segment = 'Retail' "
                               "AND respondent = 'a'").fetchone() == (4,)

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.tuples(st.sampled_from(["2026Q1", "2026Q2"]),
                              st.sampled_from(["Retail", "Online"]), st.sampled_from("abcd"),
                              st.sets(st.sampled_from(["q1", "q2", "q3"]), min_size=1)),
                    min_size=1, max_size=12),
           st.randoms(use_true_random=False), st.booleans())
    def test_narrow_rows_are_what_a_plain_grouping_gives(self, sheet, rnd, shuffle):
        """Spreadsheet rows (each one respondent's answers, wide or long) in any order: the
        respondents, their first rows, their answers and the items are a plain grouping's."""
        import pandas as pd

        from cxroi.store.ratings import narrow

        canonical = [(row, period, segment, who, item, float(row * 10 + k))
                     for row, (period, segment, who, items) in enumerate(sheet, start=2)
                     for k, item in enumerate(sorted(items))]
        if shuffle:
            rnd.shuffle(canonical)
        rows = pd.DataFrame(canonical, columns=["row", "period", "segment", "respondent",
                                                "item", "score"])
        got = narrow(rows)
        keys = sorted({c[1:4] for c in canonical})
        people = got.respondents.to_pydict()
        assert list(zip(people["period"], people["segment"], people["respondent"])) == keys
        assert people["respondent_no"] == list(range(len(keys)))
        assert people["row_no"] == [min(c[0] for c in canonical if c[1:4] == k) for k in keys]
        assert people["answers"] == [sum(c[1:4] == k for c in canonical) for k in keys]
        assert got.items == sorted({c[4] for c in canonical})
        answers = got.answers.to_pydict()
        assert [(keys[r], got.items[i], score) for r, i, score in zip(
            answers["respondent_no"], answers["item_no"], answers["score"])] == \
            [(c[1:4], c[4], c[5]) for c in canonical]

    def test_a_session_6_database_keeps_every_answer_when_migrated(self, tmp_path):
        import duckdb

        path = tmp_path / "v5.duckdb"
        with duckdb.connect(str(path)) as con:   # what cxroi left behind before migration 6
            con.execute("CREATE TABLE schema_migrations "
                        "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
            for version, script in MIGRATIONS[:5]:
                con.execute(script)
                con.execute("INSERT INTO schema_migrations VALUES (?, now())", [version])
            old = [(1, 2, "Retail", "a", "recommend", 9, False),
                   (1, 3, "Retail", "a", "delivery", 8, False),
                   (2, 2, "Retail", "a", "recommend", 10, True),
                   (2, 3, "Retail", "b", "recommend", 4, True),
                   (2, 4, "Retail", "b", "ease", 2, True),
                   (3, 2, "Online", "a", "delivery", 6, True)]
            con.executemany("INSERT INTO ratings VALUES (?, ?, '2026Q1', ?, ?, ?, ?, ?)", old)
            for upload_id, status in ((1, "superseded"), (2, "active"), (3, "active")):
                con.execute("INSERT INTO uploads (id, kind, file_name, sha256, uploaded_at, "
                            "uploaded_by, source, scope, row_count, demo, status) VALUES "
                            "(?, 'ratings', 'f.csv', 'ab', now(), 'ana', 'S', 'All', 2, false, ?)",
                            [upload_id, status])
        store = Store(path)
        try:
            assert store.schema_version() >= 6
            assert store.row_counts()["ratings"] == 6
            assert scores(store) == {"delivery": [6.0, None, None], "ease": [None, None, 2.0],
                                     "recommend": [None, 10.0, 4.0]}
            with store._cursor() as cur:
                assert cur.execute("SELECT upload_id, respondent_no, row_no, respondent, answers, "
                                   "current FROM ratings ORDER BY 1, 2").fetchall() == [
                    (1, 0, 2, "a", 2, False), (2, 0, 2, "a", 1, True), (2, 1, 3, "b", 2, True),
                    (3, 0, 2, "a", 1, True)]
            store.rollback(2)                    # the superseded answers come back
            assert scores(store, segment="Retail") == {"delivery": [8.0], "recommend": [9.0]}
        finally:
            store.close()
