"""cxroi/impact.py: what an upload changes, named before it is stored (issue: partial quarters,
All rows that rewrite history, typos, jumps)."""

from __future__ import annotations

from cxroi.dataset import Dataset, MetricRecord
from cxroi.impact import upload_impact
from cxroi.models import Assumptions, UploadMeta


def data(*records: MetricRecord, segments=("East", "North", "South", "West")) -> Dataset:
    return Dataset(1, "All", tuple(sorted({r.period for r in records})), records, (), (),
                   segments, {}, False, "")


def rec(period, metric, value, segments=4, unit="count"):
    return MetricRecord(period, metric, unit, value, False, segments)


HISTORY = tuple(rec(p, "service_contacts", 10_000) for p in ("2025Q3", "2025Q4", "2026Q1")) \
    + tuple(rec(p, "refunds_credits", 250_000, unit="money") for p in ("2025Q3", "2025Q4", "2026Q1"))


def test_a_full_next_quarter_changes_the_period_and_nothing_else():
    after = data(*HISTORY, rec("2026Q2", "service_contacts", 11_000),
                 rec("2026Q2", "refunds_credits", 240_000, unit="money"))
    rows = [("2026Q2", s, "service_contacts", 2750.0) for s in ("East", "North", "South", "West")]
    found = upload_impact(data(*HISTORY), after, rows, Assumptions())
    assert found.sentences() == ["The charts will open on 2026Q2 (now 2026Q1)."]
    # the overview's headline: 10,000 x $8 + $250,000 before; 11,000 x $8 + $240,000 after
    assert (found.headline_before.visible, found.headline_after.visible) == (330_000, 328_000)


def test_a_partial_quarter_names_the_missing_segments_and_the_jumps():
    after = data(*HISTORY, rec("2026Q2", "service_contacts", 2_600, segments=1),
                 rec("2026Q2", "refunds_credits", 1_234, segments=1, unit="money"))
    rows = [("2026Q2", "East", "service_contacts", 2600.0),
            ("2026Q2", "East", "refunds_credits", 1234.0)]
    found = upload_impact(data(*HISTORY), after, rows, Assumptions())
    assert found.partial == (("2026Q2", 1, 4, ("North", "South", "West")),)
    assert [(j.metric, j.value, j.normal) for j in found.jumps] == [
        ("refunds_credits", 1234, 250_000), ("service_contacts", 2600, 10_000)]
    assert found.sentences()[1] == ("2026Q2: 1 of 4 segments reported; missing North, South, "
                                    "West. Its figures will be partial.")
    assert "far from its normal of 250,000 (0.00x)" in found.sentences()[2]


def test_an_all_row_that_replaces_the_sum_of_the_segments_is_named():
    after = data(*HISTORY[:2], rec("2026Q1", "service_contacts", 1_200, segments=1),
                 *HISTORY[3:])
    rows = [("2026Q1", "All", "service_contacts", 1200.0)]
    found = upload_impact(data(*HISTORY), after, rows, Assumptions())
    assert found.replaced_sums == (("2026Q1", "service_contacts", 10_000, 1_200),)
    assert found.period_after == found.period_before == "2026Q1"
    # the tip drops by 8,800 contacts x $8, and the preview says so
    assert found.headline_before.visible - found.headline_after.visible == 70_400
    assert ("2026Q1 company-wide service contacts becomes the uploaded All row, 1,200 "
            "(was 10,000).") in found.sentences()
    assert found.partial == ()  # an All row speaks for the whole company


def test_new_names_that_resemble_known_ones_are_likely_typos():
    rows = [("2026Q1", "Nrth", "service_contacts", 1.0), ("2026Q1", "Europe", "escalatons", 1.0),
            ("2026Q1", "East", "service_contacts", 1.0)]
    known = data(*HISTORY, rec("2026Q1", "escalations", 30))
    found = upload_impact(known, known, rows, Assumptions())
    assert found.new_names == (("segment", "Europe", None), ("segment", "Nrth", "North"),
                               ("metric", "escalatons", "escalations"))
    assert "New segment name Nrth; did you mean North?" in found.sentences()


def test_a_first_upload_calls_no_name_new_or_a_typo():
    rows = [("2026Q1", "East", "service_contacts", 10.0)]
    after = data(rec("2026Q1", "service_contacts", 10, segments=1), segments=("East",))
    found = upload_impact(data(segments=()), after, rows, Assumptions())
    assert found.new_names == () and found.jumps == () and found.partial == ()
    assert found.headline_before is None and found.headline_after.total == 80


class TestWhatIfInTheStore:
    """`Store.what_if`: the dataset after an upload, read inside a write that is undone."""

    def test_the_after_is_the_commit_and_nothing_is_stored(self, tmp_path):
        from cxroi.store import Store

        from .helpers import metrics_frame, upload

        store = Store(tmp_path / "w.duckdb")
        try:
            upload(store, "metrics", [("2026Q1", s, "service_contacts", 2500)
                                      for s in ("East", "North", "South", "West")])
            version, trail = store.data_version(), store.audit()
            rows = metrics_frame([("2026Q1", "All", "service_contacts", 1200)])
            meta = UploadMeta(kind="metrics", file_name="t.csv", sha256="0" * 64,
                              source="Template", scope="All", uploaded_by="ana")
            before, after = store.dataset(), store.what_if(meta, rows)
            assert [(m.period, m.value, m.segments) for m in before.metrics] == [
                ("2026Q1", 10_000, 4)]
            assert [(m.period, m.value, m.segments) for m in after.metrics] == [
                ("2026Q1", 1_200, 1)]
            found = upload_impact(before, after, [("2026Q1", "All", "service_contacts", 1200.0)],
                                  Assumptions())
            assert found.replaced_sums == (("2026Q1", "service_contacts", 10_000, 1_200),)
            # nothing stored: the same data, version, history and trail
            assert store.dataset().metrics == before.metrics
            assert store.data_version() == version and store.audit() == trail
            assert len(store.uploads()) == 1
            committed = store.commit_upload(meta, rows)  # and the real commit still works
            assert store.dataset().metrics == after.metrics and committed.status == "active"
        finally:
            store.close()
