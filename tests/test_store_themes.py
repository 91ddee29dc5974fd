"""The store's themes (supersede, rollback, the company-wide rule) and action plan versions."""

from __future__ import annotations

import pytest

from cxroi.models import CxroiError
from cxroi.store import Store

from .helpers import upload


@pytest.fixture
def db() -> Store:
    store = Store(":memory:")
    yield store
    store.close()


def rows(db: Store, segment: str = "All") -> list[tuple]:
    return [(r.period, r.theme, r.metric, r.count, r.department) for r in db.theme_rows(segment)]


PLAN = dict(theme="Late delivery", root_cause="No carrier SLA", action="Renegotiate",
            owner="Dana", due="2027-03-31")


class TestThemes:
    def test_all_is_the_sum_over_segments_unless_uploaded(self):
        db = Store(":memory:")
        upload(db, "themes", [("2026Q1", "Retail", "Late delivery", 900, "service_contacts", "Logistics"),
                              ("2026Q1", "Online", "late delivery", 100, "service_contacts", None),
                              ("2026Q1", "Online", "Login", 7, "returns", "IT")])
        assert rows(db) == [("2026Q1", "Late delivery", "service_contacts", 1000.0, "Logistics"),
                            ("2026Q1", "Login", "returns", 7.0, "IT")]
        assert rows(db, "Online") == [("2026Q1", "late delivery", "service_contacts", 100.0, None),
                                      ("2026Q1", "Login", "returns", 7.0, "IT")]
        # an uploaded All row for (period, metric) wins over the sum; other metrics still sum
        upload(db, "themes", [("2026Q1", "All", "Late delivery", 1200, "service_contacts")],
               name="all.csv")
        assert rows(db) == [("2026Q1", "Late delivery", "service_contacts", 1200.0, None),
                            ("2026Q1", "Login", "returns", 7.0, "IT")]

    def test_supersede_by_period_segment_metric_and_rollback(self):
        db = Store(":memory:")
        first = upload(db, "themes", [("2026Q1", "Retail", "A", 10),
                                      ("2026Q1", "Retail", "B", 5, "returns")])
        second = upload(db, "themes", [("2026Q1", "Retail", "C", 3)], name="second.csv")
        assert rows(db, "Retail") == [("2026Q1", "B", "returns", 5.0, None),
                                      ("2026Q1", "C", "service_contacts", 3.0, None)]
        assert db.upload(first.id).status == "active"      # its returns row is still current
        db.rollback(second.id)
        assert rows(db, "Retail") == [("2026Q1", "A", "service_contacts", 10.0, None),
                                      ("2026Q1", "B", "returns", 5.0, None)]
        third = upload(db, "themes", [("2026Q1", "Retail", "A", 1),
                                      ("2026Q1", "Retail", "B", 1, "returns")], name="third.csv")
        assert db.upload(first.id).status == "superseded" and third.status == "active"
        assert db.theme_names() == ["A", "B", "C"]       # ever uploaded, rolled back or not
        assert db.row_counts()["themes"] == 5

    def test_reset_empties_themes_and_plans(self):
        db = Store(":memory:")
        upload(db, "themes", [("2026Q1", "All", "Late delivery", 1)])
        db.add_plan(**PLAN)
        db.reset()
        assert db.theme_rows() == () and db.plans() == ()


class TestPlans:
    @pytest.fixture
    def db(self) -> Store:
        store = Store(":memory:")
        upload(store, "themes", [("2026Q1", "All", "Late delivery", 1, "service_contacts",
                                  "Logistics")])
        return store

    def test_versions_are_appended_never_overwritten(self, db):
        first = db.add_plan(by="dana", **{**PLAN, "theme": " late DELIVERY "})
        assert (first.id, first.version, first.theme, first.status) == (1, 1, "Late delivery",
                                                                        "planned")
        second = db.update_plan(1, {"status": "in_progress", "investment": 40_000}, by="lee")
        assert (second.version, second.status, second.investment, second.owner) == (
            2, "in_progress", 40_000.0, "Dana")
        other = db.add_plan(**PLAN)
        assert other.id == 2
        history = db.plan_history(1)
        assert [(p.version, p.status, p.created_by) for p in history] == [
            (1, "planned", "dana"), (2, "in_progress", "lee")]
        assert [(p.id, p.version) for p in db.plans()] == [(1, 2), (2, 1)]
        assert [(a.action, a.target) for a in db.audit()][-3:] == [
            ("plan_add", "plan 1"), ("plan_update", "plan 1"), ("plan_add", "plan 2")]

    @pytest.mark.parametrize("change, sentence", [
        ({"theme": "Nope"}, "There is no theme 'Nope' in the uploads"),
        ({"due": "31/03/2027"}, "due: must be a date written YYYY-MM-DD (got '31/03/2027')."),
        ({"due": "2027-02-30"}, "due: must be a date written YYYY-MM-DD"),
        ({"expected_reduction": 1.01}, "expected_reduction: must be a share between 0 and 1"),
        ({"expected_reduction": -0.1}, "expected_reduction: must be a share between 0 and 1"),
        ({"investment": -1}, "investment: must be 0 or more (got -1)."),
        ({"running_cost": -5}, "running_cost: must be 0 or more (got -5)."),
        ({"status": "late"}, "status: must be one of planned, in_progress, done, dropped"),
        ({"owner": " "}, "owner: must not be empty."),
        ({"investment": float("nan")}, "investment: must be a number"),
        ({"colour": "red"}, "colour: is not a field of an action plan."),
    ])
    def test_a_bad_plan_is_one_sentence_and_nothing_is_stored(self, db, change, sentence):
        before = len(db.audit())
        version = db.data_version()
        with pytest.raises(CxroiError) as caught:
            db.add_plan(**{**PLAN, **change})
        assert sentence in str(caught.value) and "\n" not in str(caught.value)
        assert db.plans() == () and len(db.audit()) == before and db.data_version() == version
        db.add_plan(**PLAN)
        with pytest.raises(CxroiError):
            db.update_plan(1, change)
        assert len(db.plan_history(1)) == 1

    def test_unknown_plan_and_no_change(self, db):
        with pytest.raises(CxroiError, match="There is no action plan 3."):
            db.update_plan(3, {"status": "done"})
        with pytest.raises(CxroiError, match="There is no action plan 3."):
            db.plan_history(3)
        db.add_plan(**PLAN)
        with pytest.raises(CxroiError, match="already says that; nothing was stored"):
            db.update_plan(1, {"status": "planned", "theme": "LATE DELIVERY"})
        assert len(db.plan_history(1)) == 1

    def test_a_failed_write_rolls_back_whole(self, db, monkeypatch):
        import cxroi.store.plans as plans

        def boom(*args, **kwargs):
            raise CxroiError("disk full")

        monkeypatch.setattr(plans, "record", boom)
        with pytest.raises(CxroiError, match="disk full"):
            db.add_plan(**PLAN)
        assert db.plans() == ()
