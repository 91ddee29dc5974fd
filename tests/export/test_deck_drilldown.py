"""The deck's drill-down (issues #12, #13): which slides appear with which data, in what
order; the native charts' numbers are the Report's to the cent; footnotes in the notes; theme
and plan text stays plain text in the PowerPoint and the PDF."""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from pptx import Presentation

from cxroi import export, wording
from cxroi.demo import load_demo
from cxroi.drilldown import drivers_for
from cxroi.export.deck import DRIVERS_OUTCOME, drivers_footnote
from cxroi.format import money
from cxroi.models import CxroiError
from cxroi.report import Report, build_report
from cxroi.store import Store

from ..helpers import upload
from .support import StandInRenderer, pdf_pages_text, slide_texts, squash

FORMULA = "=cmd|' /C calc'!A0"
MARKUP = "<b>x</b>"
HOW_BIG = ["title", "numbers", "relative", "iceberg", "snowball_steps", "snowball_quarters",
           "melt", "revenue_at_risk", "effort", "loops", "sensitivity"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo, plus two themes with hostile names in the latest quarter (department
    ``<b>x</b>``) and a plan on one of them, whose text is hostile too."""
    store = Store(tmp_path_factory.mktemp("drill") / "drill.duckdb")
    load_demo(store)
    upload(store, "themes", [("2026Q3", "Online", FORMULA, 40.0, "returns", MARKUP),
                             ("2026Q3", "Online", MARKUP, 30.0, "returns", MARKUP)],
           name="hostile-themes.csv")
    store.add_plan(by="tester", theme=FORMULA, root_cause=MARKUP, action=FORMULA,
                   owner=MARKUP, due="2027-01-31", investment=1000.0)
    yield store
    store.close()


@pytest.fixture(scope="module")
def report(store: Store) -> Report:
    return build_report(store.dataset(), store.scenario("Baseline"),
                        drilldown=store.drilldown("All"))


@pytest.fixture(scope="module")
def drivers(store: Store):
    return drivers_for(store, DRIVERS_OUTCOME)


def _names(slides) -> list[str]:
    """Each slide named by what it shows (its title's sentence from wording)."""
    return [s.title for s in slides]


class TestWhichSlides:
    def test_without_the_drill_down_the_deck_is_how_big_plus_revenue_at_risk(self, store):
        bare = build_report(store.dataset(), store.scenario("Baseline"))  # no themes, plans
        slides = export.deck_slides(bare)
        assert len(slides) == 12 and slides[7].kind == "numbers"
        assert slides[7].subtitle == wording.REVENUE_AT_RISK_LABEL
        assert export.deck_outline(bare).startswith("12 slides: ")

    def test_themes_and_plans_add_the_pareto_and_the_plans(self, report, drivers):
        slides = export.deck_slides(report)
        assert len(slides) == 15
        assert [s.kind for s in slides[11:]] == ["chart", "table", "picture", "assumptions"]
        assert slides[11].title == wording.vital_few_headline(report.themes)
        with_drivers = export.deck_slides(report, drivers=drivers)
        assert len(with_drivers) == 16
        assert with_drivers[11].title == wording.drivers_headline(drivers)
        assert _names(with_drivers[12:]) == _names(slides[11:])

    def test_a_slide_per_work_group_after_the_pareto_in_its_order(self, report, drivers):
        groups = export.work_groups(report)
        assert groups[0] == "Operations" and MARKUP in groups
        slides = export.deck_slides(report, drivers=drivers, groups=[MARKUP, "Operations"])
        assert len(slides) == 18
        assert slides[13].title.startswith("Operations: find the root causes of ")
        assert slides[14].title.startswith(f"{MARKUP}: find the root causes of ")
        everyone = export.deck_slides(report, drivers=drivers, groups=groups)
        assert len(everyone) == 16 + len(groups)
        for chosen in ([], ["Operations"], groups):
            for asked in (None, drivers):
                assert export.deck_outline(report, drivers=asked, groups=chosen).startswith(
                    f"{len(export.deck_slides(report, drivers=asked, groups=chosen))} slides")

    def test_an_unknown_work_group_is_one_sentence_naming_them(self, report):
        with pytest.raises(CxroiError, match=r"^There is no work group 'Nobody' in the "
                                             r"2026Q3 themes; work groups: Operations, "):
            export.deck_slides(report, groups=["Nobody"])

    def test_a_deck_without_ratings_leaves_the_drivers_out(self, report):
        slides = export.deck_slides(report, drivers=None)
        assert not any("drives" in s.title for s in slides)


@pytest.fixture(scope="module")
def deck(report, drivers) -> Presentation:
    """The whole deck (every work group) through the real PowerPoint writer."""
    blob = export.build_deck(report, "pptx", renderer=StandInRenderer(), drivers=drivers,
                             groups=export.work_groups(report))
    return Presentation(io.BytesIO(blob))


class TestNativeNumbers:
    def test_the_pareto_bars_are_the_themes_money_to_the_cent(self, deck, report):
        chart = next(s for s in deck.slides[12].shapes if s.has_chart).chart
        items = report.themes.items
        assert list(chart.plots[0].categories) == [t.theme for t in reversed(items)]
        by_series = {series.name: list(series.values) for series in chart.plots[0].series}
        assert set(by_series) == {"Vital few", "Useful many"}
        for name, values in by_series.items():
            for theme, value in zip(reversed(items), values, strict=True):
                if (name == "Vital few") == theme.vital_few:
                    assert round(value, 2) == round(theme.money, 2)
                else:
                    assert value is None
        # the unattributed remainder is said apart, never drawn as a theme
        assert "Not explained by any theme" not in chart.plots[0].categories
        subtitle = "\n".join(slide_texts(deck.slides[12]))
        assert wording.themed_part(report.themes) in subtitle

    def test_the_plans_table_has_each_plans_case(self, deck, report):
        table = next(s for s in deck.slides[-3].shapes if s.has_table).table
        rows = [tuple(cell.text for cell in row.cells) for row in table.rows]
        assert rows[0] == export.deck.PLAN_COLUMNS
        assert len(rows) == 1 + len(report.plans)
        late = next(p for p in report.plans if p.overdue)
        row = next(r for r in rows if r[0] == late.record.theme)
        assert row[3:6] == (wording.PLAN_STATUS_LABELS[late.record.status], "overdue",
                            money(late.case.npv))

    def test_every_drill_down_footnote_is_on_the_slide_and_in_the_notes(self, deck, report,
                                                                         drivers):
        # 11 drivers, 12 the Pareto, 13-19 the seven work groups, 20-21 the plans
        assert len(deck.slides) == 23
        notes = {i: deck.slides[i].notes_slide.notes_text_frame.text for i in range(11, 22)}
        assert drivers_footnote(report, drivers) in notes[11]
        assert f"R² = {drivers.r2:.3f}" in notes[11] and f"n = {drivers.n:,}" in notes[11]
        for index in range(11, 22):
            slide = deck.slides[index]
            note = next(t for t in slide_texts(slide) if t.startswith("DEMO DATA"))
            assert note in notes[index], index
        assert "Work group: Operations." in notes[13]
        assert wording.PLAN_MONEY_BASIS in notes[20] and wording.PLAN_MONEY_BASIS in notes[21]


class TestPlainText:
    def test_theme_and_plan_text_stays_plain_in_the_powerpoint(self, report):
        blob = export.build_deck(report, "pptx", renderer=StandInRenderer(),
                                 groups=[MARKUP])
        deck = Presentation(io.BytesIO(blob))
        texts = "\n".join(t for slide in deck.slides for t in slide_texts(slide))
        assert f"{MARKUP}: find the root causes of " in texts
        cells = [cell.text for slide in deck.slides for shape in slide.shapes
                 if shape.has_table for row in shape.table.rows for cell in row.cells]
        assert FORMULA in cells and MARKUP in cells  # the plan's theme and owner, verbatim
        categories = [c for slide in deck.slides for shape in slide.shapes if shape.has_chart
                      for c in shape.chart.plots[0].categories]
        assert FORMULA in categories and MARKUP in categories
        for slide in deck.slides:
            for shape in slide.shapes:
                if shape.has_chart:
                    book = openpyxl.load_workbook(io.BytesIO(
                        shape.chart.part.chart_workbook.xlsx_part.blob))
                    assert not [c.value for row in book.active.iter_rows() for c in row
                                if c.data_type == "f"]
                if shape.has_text_frame:
                    for para in shape.text_frame.paragraphs:
                        assert all(run.hyperlink.address is None for run in para.runs)
        plan_notes = deck.slides[-3].notes_slide.notes_text_frame.text
        assert f"action: {FORMULA}; root cause: {MARKUP}" in plan_notes

    def test_theme_and_plan_text_stays_plain_in_the_pdf(self, report):
        blob = export.build_deck(report, "pdf", renderer=StandInRenderer(), groups=[MARKUP])
        pages = [squash(text) for text in pdf_pages_text(blob)]
        assert len(pages) == 16
        assert squash(f"{MARKUP}: find the root causes of") in pages[12]
        assert squash(FORMULA) in pages[-3] and squash(MARKUP) in pages[-3]
        assert b"/URI" not in blob and b"/JavaScript" not in blob

    def test_the_new_charts_downloads_are_neutralised(self, report):
        frame = export.chart_frame(report, "pareto")
        assert round(frame["money"].sum(), 2) == round(report.themes.iceberg_total, 2)
        csv = export.to_csv_bytes(frame).decode("utf-8-sig")
        assert "'" + FORMULA in csv or "'" + FORMULA.replace('"', '""') in csv
        plans = export.chart_frame(report, "plans_timeline")
        assert len(plans) == len(report.plans)
        book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(plans, sheet="plans")))
        values = [c.value for row in book.active.iter_rows() for c in row]
        assert "'" + FORMULA in values and FORMULA not in values
