"""Themes' money and action plans in the Report and ``report --json`` (docs/design.md,
"The drill-down"): hand-computed figures, the 80% edges, plans against the melt."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxroi import roi
from cxroi.ingest import read_upload
from cxroi.models import Assumptions, Scenario, UploadMeta
from cxroi.report import build_report
from cxroi.store import Store

from .helpers import upload

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


def imported(db: Store, kind: str, name: str) -> None:
    parsed = read_upload((SAMPLES / name).read_bytes(), name, kind)
    assert parsed.ok, parsed.problems
    db.commit_upload(UploadMeta(kind=kind, file_name=name, sha256=parsed.sha256,
                                source="Sample", scope="Sample scope"), parsed.rows)


def report_of(db: Store, segment: str = "All", scenario: Scenario | None = None, **options):
    return build_report(db.dataset(segment), scenario or db.scenario("Baseline"),
                        drilldown=db.drilldown(segment), **options)


@pytest.fixture
def sample_db() -> Store:
    db = Store(":memory:")
    imported(db, "metrics", "metrics_clean.csv")
    imported(db, "themes", "themes_clean.csv")
    return db


class TestTheSample:
    def test_money_to_the_cent(self, sample_db):
        themes = report_of(sample_db).as_json()["themes"]
        assert list(themes) == ["period", "segment", "iceberg_total", "unattributed", "warnings",
                                "items"]
        assert (themes["period"], themes["segment"]) == ("2026Q1", "All")
        money = {t["theme"]: t["money"] for t in themes["items"]}
        # 4,000 contacts x $8 + $20,000 refunds + 10 escalations x 3 h x $95
        assert money["Billing errors"] == pytest.approx(4_000 * 8 + 20_000 + 10 * 3 * 95, abs=0.005)
        assert money["Billing errors"] == pytest.approx(54_850, abs=0.005)
        # 5,000 x $8 + 5 lost x 0.5 x ($1,200 x 0.6 x 4 CLV + $400 acquisition)
        assert money["Late delivery"] == pytest.approx(48_200, abs=0.005)
        assert money["Login problems"] == pytest.approx(16_000, abs=0.005)
        assert themes["iceberg_total"] == pytest.approx(878_505, abs=0.005)
        assert themes["unattributed"] == pytest.approx(759_455, abs=0.005)
        assert [t["theme"] for t in themes["items"] if t["vital_few"]] == [
            "Billing errors", "Late delivery"]
        assert themes["items"][1]["cumulative_share"] == pytest.approx(103_050 / 119_050)
        assert round(themes["items"][1]["cumulative_share"], 3) == 0.866
        first = themes["items"][0]
        assert list(first) == ["theme", "department", "money", "share", "cumulative_share",
                               "vital_few", "by_metric"]
        assert first["department"] == "Finance"
        assert first["by_metric"]["escalations"] == {"count": 10.0, "money": 2850.0}
        assert themes["warnings"] == []

    def test_a_segment_has_its_own_themes(self, sample_db):
        themes = report_of(sample_db, "Business").as_json()["themes"]
        money = {t["theme"]: t["money"] for t in themes["items"]}
        assert money == {"Billing errors": pytest.approx(1_000 * 8 + 2_850),
                         "Late delivery": pytest.approx(8_200)}

    def test_period_picks_the_quarter_and_none_is_null(self, sample_db):
        assert report_of(sample_db, period="2025Q4").as_json()["themes"] is None
        assert report_of(sample_db, period="Q1 2026").as_json()["themes"]["period"] == "2026Q1"
        empty = Store(":memory:")
        imported(empty, "metrics", "metrics_clean.csv")
        assert report_of(empty).as_json()["themes"] is None
        # a report built without the drill-down has no themes and no plans
        plain = build_report(sample_db.dataset(), sample_db.scenario("Baseline")).as_json()
        assert plain["themes"] is None and plain["plans"] == []

    def test_footnote_names_the_themes_source_and_quarter(self, sample_db):
        text = report_of(sample_db).footnote("themes").text()
        assert "Periods: 2026Q1 (1 quarter)" in text and "Sample" in text


def berg_of(values, period="2026Q1"):
    return roi.iceberg(values, Assumptions(), period=period)


class Row:
    def __init__(self, theme, count, metric="service_contacts", department=None):
        self.theme, self.count, self.metric, self.department = theme, count, metric, department


class TestMoney:
    def test_scaling_when_the_themes_name_more_than_recorded(self):
        found = roi.themes_money(berg_of({"service_contacts": 10_000}),
                                 [Row("A", 8_000), Row("B", 4_000)])
        # k = 10,000 / 12,000: A gets 6,666.67 contacts x $8
        assert [t.money for t in found.items] == pytest.approx([53_333.333, 26_666.667])
        assert found.items[0].by_metric["service_contacts"][0] == pytest.approx(6_666.6667)
        assert found.unattributed == pytest.approx(0, abs=1e-6)
        assert len(found.warnings) == 1 and "service_contacts" in found.warnings[0]

    def test_a_metric_absent_in_the_quarter_adds_nothing_and_is_named(self):
        found = roi.themes_money(berg_of({"service_contacts": 1_000}),
                                 [Row("A", 100), Row("A", 5, "returns")])
        assert found.items[0].money == 800.0
        assert found.items[0].by_metric["returns"] == (5.0, 0.0)
        assert found.warnings == ("returns: the themes name 5 but the iceberg has no returns in "
                                  "2026Q1; they add nothing.",)


class TestTheEightyPercentRule:
    def vital(self, counts):
        found = roi.themes_money(berg_of({"service_contacts": 10_000}),
                                 [Row(name, count) for name, count in counts])
        return [t.theme for t in found.items if t.vital_few], [t.theme for t in found.items]

    def test_one_theme_is_the_vital_few(self):
        assert self.vital([("Only", 10)]) == (["Only"], ["Only"])

    def test_the_theme_reaching_exactly_eighty_percent_closes_the_vital_few(self):
        assert self.vital([("A", 80), ("B", 20)]) == (["A"], ["A", "B"])
        assert self.vital([("A", 50), ("B", 30), ("C", 20)]) == (["A", "B"], ["A", "B", "C"])

    def test_the_theme_crossing_eighty_percent_is_in_it(self):
        assert self.vital([("A", 79), ("B", 21)])[0] == ["A", "B"]

    def test_ties_go_by_name(self):
        assert self.vital([("Zed", 40), ("Alpha", 40), ("Mid", 20)]) == (
            ["Alpha", "Zed"], ["Alpha", "Zed", "Mid"])
        assert self.vital([("b", 50), ("a", 50)]) == (["a", "b"], ["a", "b"])

    def test_themes_worth_nothing_are_never_vital(self):
        assert self.vital([("A", 0), ("B", 0)]) == ([], ["A", "B"])


@settings(max_examples=80, deadline=None)
@given(
    values=st.dictionaries(st.sampled_from(sorted(roi.ICEBERG_METRICS)),
                           st.floats(0, 1e7, allow_nan=False), min_size=1),
    rows=st.lists(st.tuples(st.sampled_from(["A", "b", "B", "Cé", "d"]),
                            st.sampled_from(sorted(roi.ICEBERG_METRICS)),
                            st.floats(0, 1e7, allow_nan=False)), max_size=25),
)
def test_themes_plus_unattributed_are_the_iceberg_total_to_the_cent(values, rows):
    berg = berg_of(values)
    found = roi.themes_money(berg, [Row(t, c, m) for t, m, c in rows])
    whole = math.fsum([*(t.money for t in found.items), found.unattributed])
    assert abs(whole - berg.total) < 0.005
    assert found.iceberg_total == berg.total
    # never more than the iceberg: a dollar is counted once
    assert math.fsum(t.money for t in found.items) <= berg.total * (1 + 1e-12) + 1e-6


class TestPlans:
    @pytest.fixture
    def db(self, sample_db):
        sample_db.add_plan(theme="Late delivery", root_cause="No carrier SLA",
                           action="Renegotiate", owner="Dana", due="2027-03-31",
                           investment=40_000, running_cost=5_000, expected_reduction=0.8,
                           indicator="customers_lost", indicator_target=100)
        return sample_db

    def test_the_json_keys_and_money(self, db):
        plan = report_of(db, today=dt.date(2027, 1, 1)).as_json()["plans"][0]
        assert list(plan) == [
            "id", "version", "theme", "root_cause", "action", "owner", "due", "status",
            "investment", "running_cost", "expected_reduction", "indicator", "indicator_target",
            "indicator_latest", "theme_annual_cost", "yearly_benefit", "npv", "roi",
            "payback_months", "overdue"]
        # one themed quarter: the theme's year is 4 x $48,200
        assert plan["theme_annual_cost"] == pytest.approx(192_800)
        assert plan["yearly_benefit"] == pytest.approx(192_800 * 0.8 * 0.8)
        net = 192_800 * 0.64 - 5_000
        assert plan["npv"] == pytest.approx(-40_000 + sum(net / 1.1 ** y for y in (1, 2, 3)))
        assert plan["payback_months"] == pytest.approx(12 * 40_000 / net)
        assert plan["indicator_latest"] == 402.0      # 380 + 22 customers lost, All
        assert plan["overdue"] is False

    def test_plan_roi_is_the_melts_own_function(self, db):
        assumptions = Assumptions(discount_rate=0.07, horizon_years=4, benefit_risk_haircut=0.25)
        scenario = Scenario(name="s", assumptions=assumptions)
        plan = report_of(db, scenario=scenario).plans[0]
        # the melt of an iceberg whose year is the theme's year, removing the same share
        bergs = [roi.iceberg({"refunds_credits": 48_200}, assumptions, period=p)
                 for p in ("2025Q2", "2025Q3", "2025Q4", "2026Q1")]
        melt = roi.melt(bergs, assumptions.model_copy(update={
            "right_first_time_gain": 0.8, "prevention_investment": 40_000,
            "prevention_running_cost": 5_000}))
        assert plan.case.theme_annual_cost == pytest.approx(melt.annual_cost)
        assert plan.case.yearly_benefit == pytest.approx(melt.yearly_benefit)
        assert plan.case.npv == pytest.approx(melt.npv)
        assert plan.case.roi == pytest.approx(melt.roi)
        assert plan.case.payback_months == pytest.approx(melt.payback_months)

    def test_a_plan_is_company_wide_whatever_the_segment(self, db):
        retail = report_of(db, "Retail").as_json()["plans"][0]
        assert retail["theme_annual_cost"] == pytest.approx(192_800)

    @pytest.mark.parametrize("status, today, overdue", [
        ("planned", dt.date(2027, 4, 1), True), ("in_progress", dt.date(2027, 4, 1), True),
        ("in_progress", dt.date(2027, 3, 31), False), ("done", dt.date(2028, 1, 1), False),
        ("dropped", dt.date(2028, 1, 1), False)])
    def test_overdue(self, db, status, today, overdue):
        if status != "planned":
            db.update_plan(1, {"status": status})
        assert report_of(db, today=today).as_json()["plans"][0]["overdue"] is overdue

    def test_the_themes_year_over_four_quarters_a_missing_one_counting_zero(self):
        db = Store(":memory:")
        upload(db, "metrics", [(p, "All", "service_contacts", 1_000)
                               for p in ("2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1")])
        upload(db, "themes", [("2025Q1", "All", "A", 999),            # older than four: out
                              ("2025Q2", "All", "A", 100), ("2025Q3", "All", "B", 50),
                              ("2025Q4", "All", "A", 200), ("2026Q1", "All", "A", 300)])
        db.add_plan(theme="a", root_cause="r", action="x", owner="o", due="2027-01-01",
                    expected_reduction=1)
        plan = report_of(db).as_json()["plans"][0]
        # (100 + 0 + 200 + 300) contacts x $8 over four quarters, times 4
        assert plan["theme_annual_cost"] == pytest.approx(4 * (800 + 0 + 1_600 + 2_400) / 4)
        assert plan["indicator_latest"] is None


@pytest.mark.parametrize("segment,period", [("All", None), ("Retail", None), ("All", "2025Q2"),
                                            ("Online", "2026Q1"), ("All", "2099Q1")])
def test_a_report_reads_only_the_quarters_it_needs_and_says_the_same(tmp_path, segment, period):
    """``drilldown(history=False)`` (what `report --json` reads) gives the very same JSON as
    every quarter's rows."""
    from cxroi.demo import load_demo
    from cxroi.store import Store

    store = Store(tmp_path / "d.duckdb")
    try:
        load_demo(store)
        scenario, data = store.scenario("Baseline"), store.dataset(segment)
        full = build_report(data, scenario, period=period, drilldown=store.drilldown(segment),
                            today=dt.date(2026, 12, 2))
        lean = store.drilldown(segment, period=period, history=False)
        assert len(lean.themes) < len(store.drilldown(segment).themes)
        assert build_report(data, scenario, period=period, drilldown=lean,
                            today=dt.date(2026, 12, 2)).as_json() == full.as_json()
        assert full.as_json()["plans"] and all(p["theme_annual_cost"] > 0
                                               for p in full.as_json()["plans"])
    finally:
        store.close()
