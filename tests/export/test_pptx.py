"""The PowerPoint: `cxroi.export.pptx`.

The real deck is built once for this module, on the process's own Chromium exporter.
"""

from __future__ import annotations

import datetime as dt
import io
import threading

import openpyxl
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from cxroi import export, wording
from cxroi.models import assumption_info
from cxroi.report import Report
from cxroi.whatif import show as show_assumption
from cxroi.whatif import unit_label

from .support import HOSTILE_NAME, HOSTILE_SEGMENT, WIDESCREEN, StandInRenderer, slide_texts


@pytest.fixture(scope="module")
def pptx_build(report: Report) -> tuple[bytes, list[tuple[float, str]]]:
    assert export.chromium_problem() is None, "Debian's Chromium is missing: run `make test`"
    steps: list[tuple[float, str]] = []
    threads: set[int] = set()

    def progress(done: float, text: str) -> None:
        steps.append((done, text))
        threads.add(threading.get_ident())

    blob = export.build_deck(report, "pptx", progress=progress)
    assert threads == {threading.get_ident()}  # Streamlit's progress bar needs this thread
    return blob, steps


@pytest.fixture(scope="module")
def deck(pptx_build: tuple[bytes, list]) -> Presentation:
    return Presentation(io.BytesIO(pptx_build[0]))


class TestPowerPoint:
    def test_widescreen_and_one_slide_per_picture(self, deck, slides):
        assert (deck.slide_width, deck.slide_height) == WIDESCREEN
        assert len(deck.slides) == len(slides) == 15
        # revenue at risk after the melt; the drill-down (the report has themes and plans,
        # no drivers were asked for) before the assumptions
        assert [s.kind for s in slides] == ["title", "numbers", "chart", "picture", "chart",
                                            "picture", "picture", "numbers", "chart", "chart",
                                            "chart", "chart", "table", "picture",
                                            "assumptions"]

    def test_title_slide_names_company_period_scenario_and_date(self, deck, report):
        text = "\n".join(slide_texts(deck.slides[0]))
        for expected in (report.dataset.company, report.relative.period,
                         report.scenario.label, dt.date.today().isoformat()):
            assert expected in text

    def test_every_chart_slide_has_a_picture_or_a_native_chart(self, deck, slides):
        for slide, spec in zip(deck.slides, slides, strict=True):
            if spec.kind not in ("picture", "chart"):
                continue
            pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
            native = [s for s in slide.shapes if s.has_chart]
            assert (pictures if spec.kind == "picture" else native), spec.title

    def test_plain_bars_are_native_editable_charts(self, deck, report):
        relative, effort, loop = (deck.slides[i] for i in (2, 8, 9))
        chart = next(s for s in relative.shapes if s.has_chart).chart
        assert len(chart.plots[0].categories) == sum(b.relative is not None
                                                     for b in report.relative.bars)
        bars = next(s for s in effort.shapes if s.has_chart).chart
        assert [s.name for s in bars.plots[0].series] == ["Experience Leadership",
                                                          "Experience Management",
                                                          "Touchpoint Management"]
        assert list(bars.plots[0].categories)[-1].startswith("Company: ")  # on top
        assert any(s.has_chart for s in loop.shapes)

    def test_titles_are_the_takeaways(self, deck, report):
        berg = report.iceberg_for(report.relative.period)
        titles = [slide.shapes.title.text_frame.text for slide in deck.slides]
        assert titles[1] == titles[3] == wording.iceberg_headline(berg)
        assert titles[2] == wording.relative_headline(report.relative)
        assert titles[6] == wording.melt_headline(report.melt)
        company = next(s for s in report.effort if s.period == report.relative.period
                       and s.department == "All")
        a = report.scenario.assumptions
        assert titles[7] == wording.revenue_at_risk_headline(report.revenue_at_risk[-1])
        assert titles[8] == wording.effort_headline(company, a.el_target_share)
        assert titles[9] == wording.loop_headline(company, a.outer_loop_target_share)
        assert titles[11] == wording.vital_few_headline(report.themes)
        assert titles[12] == wording.plans_case_headline(report.plans)
        assert titles[13] == wording.plans_headline(report.plans)

    def test_footnote_on_the_slide_and_in_the_notes(self, deck, slides, report):
        checked = 0
        for slide, spec in zip(deck.slides, slides, strict=True):
            if spec.kind in ("title", "assumptions"):
                continue
            assert spec.footnote
            assert spec.footnote in slide_texts(slide)
            assert spec.footnote in slide.notes_slide.notes_text_frame.text
            checked += 1
        assert checked == 13
        # a one-quarter chart's footnote names that quarter, as the chart on screen does
        quarter = report.relative.period
        assert slides[3].footnote == report.footnote("iceberg", period=quarter).text()
        assert f"Periods: {quarter} (1 quarter)." in slides[3].footnote
        assert slides[2].footnote == report.footnote("relative").text()
        assert slides[8].footnote == report.footnote(
            "effort", period=report.effort_period(quarter)).text()

    def test_closing_slide_lists_every_assumption_with_value_and_unit(self, deck, report):
        rows = []
        for shape in deck.slides[-1].shapes:
            if shape.has_table:
                rows += [tuple(cell.text for cell in row.cells) for row in shape.table.rows]
        a = report.scenario.assumptions
        for info in assumption_info():
            assert (info.label, show_assumption(info, getattr(a, info.key)),
                    unit_label(info), "") in rows

    def test_progress_goes_from_zero_to_one(self, pptx_build):
        steps = pptx_build[1]
        done = [d for d, _ in steps]
        assert done[0] == 0.0 and done[-1] == 1.0 and done == sorted(done)
        assert sum("Rendering picture" in text for _, text in steps) == 4  # + plans timeline

    def test_hostile_names_stay_text_in_the_native_charts_workbook(self, deck):
        """python-pptx's XlsxWriter would turn '=...' into a formula behind 'Edit data'."""
        effort = next(s for s in deck.slides[8].shapes if s.has_chart).chart
        assert any(c.startswith(HOSTILE_NAME + ": ") for c in effort.plots[0].categories)
        for slide in deck.slides:
            for shape in slide.shapes:
                if not shape.has_chart:
                    continue
                book = openpyxl.load_workbook(io.BytesIO(
                    shape.chart.part.chart_workbook.xlsx_part.blob))
                cells = [c for row in book.active.iter_rows() for c in row]
                assert not [c.value for c in cells if c.data_type == "f"]


class TestHostileNames:
    def test_a_hostile_segment_is_plain_text_in_the_deck(self, hostile_report):
        fake = StandInRenderer()
        deck = Presentation(io.BytesIO(export.build_deck(hostile_report, "pptx",
                                                         renderer=fake)))
        title = "\n".join(slide_texts(deck.slides[0]))
        assert f"Segment: {HOSTILE_SEGMENT}" in title.splitlines()
        assert HOSTILE_SEGMENT in "\n".join(slide_texts(deck.slides[1]))
        for slide in deck.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    for para in shape.text_frame.paragraphs:
                        assert all(run.hyperlink.address is None for run in para.runs)
        sources = deck.slides[3].notes_slide.notes_text_frame.text
        assert HOSTILE_NAME in sources  # the upload's source, verbatim in the footnote
        # iceberg, snowball by quarter, melt, the (company-wide) plans' timeline: the rest
        # are native
        assert fake.calls == 4
