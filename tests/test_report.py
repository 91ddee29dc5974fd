"""The Report: what every chart, export and the CLI read, and its footnotes."""

from __future__ import annotations

import pytest

from cxroi.models import Assumptions, CxroiError, Scenario
from cxroi.report import build_report
from cxroi.store import Store

from .helpers import upload


@pytest.fixture
def store() -> Store:
    db = Store(":memory:")
    upload(db, "metrics", [("2025Q4", "Retail", "service_contacts", 100),
                           ("2026Q1", "Retail", "service_contacts", 120),
                           ("2026Q1", "Business", "service_contacts", 30)],
           source="Zendesk", scope="NA")
    upload(db, "effort", [("2025Q4", "Support", "TM", 80, "inner"),
                          ("2025Q4", "Support", "EL", 20, "outer"),
                          ("2025Q4", "Sales", "EM", 100)], source="Timesheets", scope="All")
    yield db
    db.close()


def report(store: Store, **kwargs):
    return build_report(store.dataset(), Scenario(name="T", version=3), **kwargs)


def test_effort_lookups_fall_back_to_the_latest_quarter_with_effort(store):
    built = report(store)
    assert built.effort_period("2026Q1") == "2025Q4"  # 2026Q1 has metrics, not effort
    assert built.effort_period("2025Q4") == "2025Q4"
    assert [s.department for s in built.effort_in("2025Q4")] == ["All", "Sales", "Support"]
    assert built.effort_in("2026Q1") == ()


def test_footnotes_name_sources_coverage_baseline_scenario_and_missing_lines(store):
    built = report(store, baseline="previous")
    iceberg = built.footnote("iceberg")
    assert (iceberg.sources, iceberg.scopes) == (("Zendesk",), ("NA",))
    assert iceberg.periods == ("2025Q4", "2026Q1")
    assert (iceberg.segments_reported, iceberg.segments_total) == (2, 2)  # 2026Q1: both
    assert iceberg.scenario == "T@3"
    assert "Front-line turnover" in iceberg.missing and "Service contacts" not in iceberg.missing
    relative = built.footnote("relative")
    assert relative.baseline == "previous quarter" and relative.periods == ("2026Q1",)
    effort = built.footnote("effort")
    assert effort.sources == ("Timesheets",) and effort.missing == ()


def test_the_company_iceberg_sums_the_segments(store):
    # 2026Q1: (120 + 30) contacts * $8
    assert report(store).iceberg_for("2026Q1").total == 1_200.0
    assert report(store).iceberg_for("1999Q1").period == "2026Q1"  # unknown: the latest


def test_a_bad_baseline_or_period_is_a_domain_error(store):
    with pytest.raises(CxroiError, match="baseline must be"):
        report(store, baseline="yesterday")
    with pytest.raises(CxroiError, match="not a quarter"):
        report(store, period="2026Q9")


def test_a_scenario_changes_the_money_not_the_volumes(store):
    dear = build_report(store.dataset(), Scenario(name="D", assumptions=Assumptions(
        cost_per_contact=10)))
    assert dear.iceberg_for("2026Q1").total == 1_500.0
    assert dear.relative.bars == report(store).relative.bars


class TestAFootnoteNamesThePeriodsItsChartUses:
    def test_an_earlier_quarters_iceberg_names_that_quarter_only(self, store):
        from cxroi import charts

        built = report(store)
        fig, note = charts.chart_for(built, "iceberg", period="2025Q4")
        assert note.periods == ("2025Q4",)
        assert "Periods: 2025Q4 (1 quarter)." in note.text() and "2026Q1" not in note.text()
        # the quarter-by-quarter snowball spans every quarter; the steps, the latest one
        assert charts.chart_note(built, "snowball_quarters").periods == ("2025Q4", "2026Q1")
        assert charts.chart_note(built, "snowball_steps").periods == ("2026Q1",)

    def test_an_effort_split_names_its_quarter(self, store):
        from cxroi import charts

        note = charts.chart_note(report(store), "effort", period="2025Q4")
        assert note.periods == ("2025Q4",)
