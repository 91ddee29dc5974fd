"""Scenarios: immutable versions, restore, concurrent saves, scenario files, and the what-if
glue (`cxroi.whatif`) the Assumptions and Scenarios pages render."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from cxroi import whatif
from cxroi.models import Assumptions, CxroiError, Scenario, assumption_info
from cxroi.report import build_report
from cxroi.store import Store

from .helpers import upload


@pytest.fixture
def db(tmp_path: Path) -> Store:
    store = Store(tmp_path / "scenarios.duckdb")
    yield store
    store.close()


def _stored(db: Store) -> list[tuple[str, int, str]]:
    return [(s.name, s.version, s.assumptions.model_dump_json()) for s in db.scenarios()]


class TestVersions:
    def test_saving_never_overwrites(self, db):
        first = db.save_scenario("Plan", Assumptions(cost_per_contact=9), note="first", by="ann")
        second = db.save_scenario("Plan", Assumptions(cost_per_contact=10), note="second")
        assert (first.label, second.label) == ("Plan@1", "Plan@2")
        assert db.scenario("Plan", 1).assumptions.cost_per_contact == 9
        assert db.scenario("Plan", 1).note == "first"
        assert db.scenario("Plan", 1).created_by == "ann"
        assert db.scenario("Plan").version == 2

    def test_saving_bumps_the_data_version_so_caches_see_it(self, db):
        before = db.data_version()
        db.save_scenario("Plan", Assumptions())
        assert db.data_version() > before

    def test_every_version_is_listed(self, db):
        db.save_scenario("Plan", Assumptions(cost_per_contact=9))
        db.save_scenario("Plan", Assumptions(cost_per_contact=10))
        db.save_scenario("Alt", Assumptions(cost_per_contact=11))
        assert [s.label for s in db.scenarios()] == ["Baseline@1", "Alt@1", "Plan@2", "Plan@1"]

    def test_restore_is_a_new_version_with_the_old_values(self, db):
        db.save_scenario("Plan", Assumptions(cost_per_contact=9))
        db.save_scenario("Plan", Assumptions(cost_per_contact=10))
        old = db.scenario("Plan", 1)
        restored = db.save_scenario("Plan", old.assumptions, note=f"Restored from {old.label}.")
        assert restored.version == 3
        assert restored.assumptions == old.assumptions
        assert db.scenario("Plan", 2).assumptions.cost_per_contact == 10  # untouched

    def test_history_lists_who_when_note_and_what_changed(self, db):
        db.save_scenario("Plan", Assumptions(cost_per_contact=9), note="start", by="ann")
        db.save_scenario("Plan", Assumptions(cost_per_contact=9, gross_margin=0.5), by="bo")
        db.save_scenario("Plan", Assumptions(cost_per_contact=9), note="Restored from Plan@1.")
        versions = whatif.history(db.scenarios(), "Plan")
        assert [v.scenario.version for v in versions] == [3, 2, 1]
        assert whatif.changes_text(versions[0].changes) == "Gross margin 50% → 60%"
        assert whatif.changes_text(versions[1].changes) == "Gross margin 60% → 50%"
        assert versions[1].scenario.created_by == "bo"
        assert versions[2].first and versions[2].scenario.note == "start"
        assert whatif.changes_text(versions[2].changes) == "Cost per service contact $8 → $9"
        assert all(v.scenario.created_at is not None for v in versions)

    @pytest.mark.parametrize("name", ["", "   ", "x" * 10_001, "Plan@2"])
    def test_bad_names_are_refused_and_nothing_is_stored(self, db, name):
        before = _stored(db)
        with pytest.raises(CxroiError):
            db.save_scenario(name, Assumptions())
        assert _stored(db) == before

    def test_names_are_trimmed_and_may_hold_an_at_sign(self, db):
        assert db.save_scenario("  Q3 @ Finance ", Assumptions()).label == "Q3 @ Finance@1"


class TestConcurrentSaves:
    def test_threads_saving_at_once_all_land_as_distinct_versions(self, db):
        """Two (here eight) sessions share the process's one Store and save at the same time."""
        count = 8
        start = threading.Barrier(count)
        errors: list[BaseException] = []

        def save(n: int) -> None:
            try:
                start.wait()
                db.save_scenario("Busy", Assumptions(cost_per_contact=float(n)), by=f"user{n}")
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=save, args=(n,)) for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        saved = [s for s in db.scenarios() if s.name == "Busy"]
        assert sorted(s.version for s in saved) == list(range(1, count + 1))
        assert sorted(s.assumptions.cost_per_contact for s in saved) == \
            [float(n) for n in range(count)]
        assert sorted(s.created_by for s in saved) == sorted(f"user{n}" for n in range(count))

    def test_two_sessions_saving_the_same_name_both_land(self, db):
        results: list[Scenario] = []
        gate = threading.Barrier(2)

        def save(value: float) -> None:
            gate.wait()
            results.append(db.save_scenario("Baseline", Assumptions(cost_per_contact=value)))

        threads = [threading.Thread(target=save, args=(v,)) for v in (11.0, 12.0)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(s.version for s in results) == [2, 3]
        assert {db.scenario("Baseline", v).assumptions.cost_per_contact for v in (2, 3)} == \
            {11.0, 12.0}


class TestScenarioFiles:
    def test_round_trip_is_the_assumptions_format(self):
        assumptions = Assumptions(gross_margin=0.55, horizon_years=5)
        text = whatif.scenario_json(assumptions)
        assert json.loads(text)["gross_margin"] == 0.55
        assert set(json.loads(text)) == set(Assumptions.model_fields)
        assert whatif.read_scenario_file(text.encode()) == assumptions

    def test_partial_files_keep_the_defaults(self):
        loaded = whatif.read_scenario_file(b'\xef\xbb\xbf{"cost_per_contact": 9.5}')
        assert loaded == Assumptions(cost_per_contact=9.5)

    @pytest.mark.parametrize(("data", "named"), [
        (b'{"cost_per_contakt": 9}', "cost_per_contakt"),
        (b'{"gross_margin": 1.5}', "gross_margin"),
        (b'{"horizon_years": 2.5}', "horizon_years"),
        (b'{"discount_rate": NaN}', "discount_rate"),
        (b'{"cost_per_contact": "9"}', "cost_per_contact"),
        (b'{"expected_lifetime_years": 0}', "expected_lifetime_years"),
        (b"[1, 2]", "JSON object"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
    ])
    def test_bad_files_are_refused_naming_the_key(self, data, named):
        with pytest.raises(CxroiError, match=named):
            whatif.read_scenario_file(data, "plan.json")

    def test_a_huge_file_is_refused(self):
        with pytest.raises(CxroiError, match="too large"):
            whatif.read_scenario_file(b" " * (whatif.MAX_SCENARIO_FILE_BYTES + 1))


class TestEdits:
    def test_every_assumption_is_in_exactly_one_group(self):
        keys = [key for _, group in whatif.GROUPS for key in group]
        assert sorted(keys) == sorted(Assumptions.model_fields)
        assert len(keys) == len(set(keys))

    def test_ratios_are_typed_in_percent_and_stored_as_decimals(self):
        info = whatif.INFO["gross_margin"]
        assert whatif.shown(info, 0.15) == 15.0
        assert whatif.stored(info, 15.0) == 0.15
        assert whatif.shown(whatif.INFO["horizon_years"], 3) == 3
        assert isinstance(whatif.shown(whatif.INFO["horizon_years"], 3), int)

    def test_an_untouched_form_is_not_an_edit(self):
        for info in assumption_info():
            base = Assumptions()
            typed = {key: whatif.shown(whatif.INFO[key], getattr(base, key))
                     for key in Assumptions.model_fields}
            assert whatif.apply_edits(base, typed).assumptions == base, info.key
        odd = Assumptions(gross_margin=0.123456789012345)
        typed = {"gross_margin": whatif.shown(whatif.INFO["gross_margin"], odd.gross_margin)}
        assert whatif.apply_edits(odd, typed).assumptions == odd

    def test_valid_values_apply_refused_ones_keep_the_saved_value(self):
        edit = whatif.apply_edits(Assumptions(), {
            "gross_margin": 55.0, "cost_per_contact": -1.0, "discount_rate": None,
            "horizon_years": 12, "expected_lifetime_years": 0.0, "cost_per_return": 100.0})
        assert edit.assumptions.gross_margin == 0.55
        assert edit.assumptions.cost_per_return == 100.0
        assert edit.assumptions.cost_per_contact == 8.0
        assert edit.assumptions.discount_rate == 0.10
        assert edit.assumptions.horizon_years == 3
        assert edit.assumptions.expected_lifetime_years == 4.0
        assert set(edit.refused) == {"cost_per_contact", "discount_rate", "horizon_years",
                                     "expected_lifetime_years"}
        assert edit.warnings == ("cost_per_return",)  # $100 is above the plausible $80

    def test_messages_say_the_limit_in_the_typed_unit(self):
        edit = whatif.apply_edits(Assumptions(), {
            "gross_margin": 150.0, "discount_rate": None, "expected_lifetime_years": 0.0,
            "cost_per_return": 100.0, "horizon_years": 11})
        checks = edit.checks
        assert checks["gross_margin"].message == \
            "Not applied: must be at least 0% and at most 100% (got 150%)."
        assert "Enter a value" in checks["discount_rate"].message
        assert "more than 0 years" in checks["expected_lifetime_years"].message
        assert "whole number" in checks["horizon_years"].message
        assert checks["cost_per_return"].message.startswith(
            "Outside the plausible range $5 to $80: applied")

    def test_limits_are_inclusive(self):
        edit = whatif.apply_edits(Assumptions(), {
            "right_first_time_gain": 100.0, "benefit_risk_haircut": 0.0, "discount_rate": 0.0})
        assert edit.refused == ()
        assert (edit.assumptions.right_first_time_gain, edit.assumptions.benefit_risk_haircut,
                edit.assumptions.discount_rate) == (1.0, 0.0, 0.0)

    def test_changes_lists_only_what_differs(self):
        found = whatif.changes(Assumptions(), Assumptions(gross_margin=0.5, horizon_years=4))
        assert [(c.key, c.before_text, c.after_text) for c in found] == [
            ("gross_margin", "60%", "50%"), ("horizon_years", "3 years", "4 years")]
        assert whatif.changes(Assumptions(), Assumptions()) == ()
        assert whatif.changes_text(()) == "no change"

    def test_every_input_has_a_step_format_and_range_text(self):
        for info in assumption_info():
            assert whatif.input_step(info) > 0
            assert whatif.input_format(info) % 2
            assert "default" in whatif.range_text(info)
        assert whatif.input_step(whatif.INFO["cost_per_contact"]) == 1.0  # (20 - 2) / 20 = 0.9
        assert whatif.input_step(whatif.INFO["prevention_investment"]) == 20_000.0


class TestCompareAndEffect:
    @pytest.fixture
    def dataset(self, db):
        # One quarter: 1,000 contacts ($8,000 at $8) and 10 escalations ($2,850)
        upload(db, "metrics", [("2026Q1", "All", "service_contacts", 1000),
                               ("2026Q1", "All", "escalations", 10)])
        return db.dataset("All")

    def test_effect_of_an_edit(self, dataset):
        saved = Scenario(name="Plan", version=1)
        edited = Scenario(name="Plan@1 (unsaved edit)",
                          assumptions=Assumptions(cost_per_contact=10))
        change = whatif.effect(build_report(dataset, saved), build_report(dataset, edited))
        # 10,850 -> 1,000 x 10 + 2,850 = 12,850: +2,000 a quarter
        assert (change.total_before, change.total_after) == pytest.approx((10_850.0, 12_850.0))
        assert change.total_change == pytest.approx(2_000.0)
        # annual cost +8,000; benefit +8,000 x 0.2 x 0.8 = +1,280 a year; x 2.4868520 = +3,183.17
        assert change.npv_change == pytest.approx(3_183.17, abs=0.01)
        assert change.period == "2026Q1"

    def test_compare_marks_differences_and_lists_the_figures(self, dataset):
        reports = [build_report(dataset, Scenario(name="A", version=1)),
                   build_report(dataset, Scenario(name="B", version=1,
                                                  assumptions=Assumptions(cost_per_contact=10))),
                   build_report(dataset, Scenario(name="C", version=2,
                                                  assumptions=Assumptions(horizon_years=5)))]
        comparison = whatif.compare(reports)
        assert comparison.labels == ("A@1", "B@1", "C@2")
        differing = [row["Assumption"] for row in comparison.assumptions if row["Differs"]]
        assert differing == ["Cost per service contact", "Horizon"]
        contact = next(r for r in comparison.assumptions
                       if r["Assumption"] == "Cost per service contact")
        assert (contact["A@1"], contact["B@1"], contact["C@2"]) == ("$8", "$10", "$8")
        assert [row["Figure"] for row in comparison.outcomes] == [
            "Cost of poor experience, 2026Q1", "Annual cost (last four quarters)",
            "Prevention NPV", "Prevention ROI", "Payback"]
        assert comparison.outcomes[0]["B@1"] == "$13k"  # 12,850
        first, second = comparison.differences
        assert first.lines == (("Service contacts", pytest.approx(2_000.0)),
                               ("Escalation time", 0.0))
        assert first.total == pytest.approx(2_000.0)
        # same iceberg; the yearly net benefit is 43,400 x 0.2 x 0.8 - 50,000 = -43,056, so two
        # more years cost 43,056 x (1/1.1^4 + 1/1.1^5) = 43,056 x 1.3039347 = 56,142.22 more
        assert second.total == 0.0
        assert second.npv == pytest.approx(-56_142.22, abs=0.05)

    def test_compare_takes_two_or_three(self, dataset):
        report = build_report(dataset, Scenario(name="A", version=1))
        with pytest.raises(CxroiError, match="two or three"):
            whatif.compare([report])
        with pytest.raises(CxroiError, match="two or three"):
            whatif.compare([report] * 4)

    def test_sensitivity_for_a_report(self, dataset):
        what = whatif.sensitivity_for(build_report(dataset, Scenario(name="A", version=1)))
        assert what.sensitivity.iceberg_total.base == pytest.approx(10_850.0)
        assert what.sensitivity.iceberg_total.swings[0].key == "cost_per_contact"
        # A = 4 x 10,850 = 43,400: (100,528.70 + 50,000) / (43,400 x 0.8) = 4.3355
        assert what.break_even == pytest.approx(150_528.70 / 34_720, abs=1e-5)
        assert what.iceberg_footnote.periods == ("2026Q1",)
        assert what.npv_footnote.scenario == "A@1"


class TestCharts:
    def test_tornado_and_difference_figures_carry_footnotes(self, db):
        from cxroi import charts

        upload(db, "metrics", [("2026Q1", "All", "service_contacts", 1000)])
        dataset = db.dataset("All")
        report = build_report(dataset, Scenario(name="A", version=1))
        what = whatif.sensitivity_for(report)
        fig = charts.tornado_figure(what.sensitivity.iceberg_total,
                                    footnote=what.iceberg_footnote, scenario="A@1")
        note = charts.footnote_text(fig).replace("<br>", " ")
        assert "Source: Test export" in note and "plausible low to its high" in note
        assert fig.layout.title.text.startswith("Cost per service contact moves")
        longer, shorter = fig.data[0], fig.data[1]  # then two legend keys
        assert len(fig.data) == 4 and list(longer.y)[0].startswith("Cost per service")
        # $2 -> 2,000 (6,000 below the $8,000 base); $20 -> 20,000 (12,000 above): the high
        # end is the longer bar, and both labels sit outside their bars
        assert (longer.x[0], shorter.x[0]) == (12_000.0, -6_000.0)
        assert list(longer.textposition) == list(shorter.textposition) == ["outside"]

    def test_the_difference_figure_escapes_names_and_says_what_was_compared(self, db):
        from cxroi import charts

        upload(db, "metrics", [("2026Q1", "All", "service_contacts", 1000),
                               ("2026Q1", "All", "escalations", 10)])
        dataset = db.dataset("All")
        report = build_report(dataset, Scenario(name="A", version=1))
        other = build_report(dataset, Scenario(name="B<b>", version=1,
                                               assumptions=Assumptions(cost_per_contact=10)))
        comparison = whatif.compare([report, other])
        fig = charts.scenario_difference_figure(comparison.differences,
                                                footnote=report.footnote("iceberg"))
        note = charts.footnote_text(fig).replace("<br>", " ")
        assert "Compared: B&lt;b&gt;@1 against A@1" in note
        # 1,000 x ($10 - $8) = +$2,000; escalation time does not change and is left out
        assert "<b>" not in fig.layout.title.text
        title = fig.layout.title.text.replace("<br>", " ")
        assert title == "Under B&lt;b&gt;@1, the 2026Q1 iceberg is $2k bigger than under A@1"
        assert list(fig.data[0].y) == ["Service contacts", "Total"]
        assert list(fig.data[0].x) == [2_000.0, 2_000.0]

    def test_a_tornado_varies_a_value_outside_its_range_around_itself(self, db):
        from cxroi import charts

        upload(db, "metrics", [("2026Q1", "All", "service_contacts", 1000)])
        # $40 a contact is above the plausible $2 to $20: it is moved over $31-$49 (as wide,
        # centred on $40), so the bars fall either side of the $40,000 base
        report = build_report(db.dataset("All"), Scenario(
            name="A", version=1, assumptions=Assumptions(cost_per_contact=40)))
        what = whatif.sensitivity_for(report)
        fig = charts.tornado_figure(what.sensitivity.iceberg_total,
                                    footnote=what.iceberg_footnote, scenario="A@1")
        ends = sorted(float(trace.x[0]) for trace in fig.data[:2])
        assert ends == [-9_000.0, 9_000.0]

    def test_a_tornado_without_data_says_so(self, db):
        from cxroi import charts

        report = build_report(db.dataset("All"), Scenario(name="A", version=1))
        what = whatif.sensitivity_for(report)
        fig = charts.tornado_figure(what.sensitivity.iceberg_total,
                                    footnote=what.iceberg_footnote, scenario="A@1")
        assert fig.layout.title.text.startswith("Nothing moves")
        assert charts.footnote_text(fig)


def test_a_deeply_nested_scenario_file_is_refused_before_parsing():
    deep = b'{"gross_margin": ' + b"[" * 5_000 + b"]" * 5_000 + b"}"
    with pytest.raises(CxroiError, match="nests objects or lists"):
        whatif.read_scenario_file(deep, "deep.json")
    quoted = b'{"gross_margin": 0.5, "x": "[[[[{{{{"}'  # brackets in a string are text
    with pytest.raises(CxroiError, match="x: unknown assumption"):
        whatif.read_scenario_file(quoted, "quoted.json")
