"""Issue #17's deck defects, checked by opening the .pptx with python-pptx: the relative
chart's legend and baseline label, the effort slide's hours short, the assumptions flagged
outside their plausible range with one unit per row, the sensitivity slide, and the
snowball's waterfall drawn natively so finance can edit it."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from cxroi import export, wording
from cxroi.models import Scenario
from cxroi.report import Report, build_report
from cxroi.whatif import break_even_text, sensitivity_for

from .support import StandInRenderer, slide_texts


def pptx(report: Report) -> Presentation:
    return Presentation(io.BytesIO(export.build_deck(report, "pptx",
                                                     renderer=StandInRenderer())))


@pytest.fixture(scope="module")
def deck(report: Report) -> Presentation:
    return pptx(report)


def chart_on(slide):
    return next(s for s in slide.shapes if s.has_chart).chart


def titled(deck, start: str):
    return next(s for s in deck.slides if s.shapes.title.text_frame.text.startswith(start))


def test_relative_chart_has_a_legend_and_names_its_baseline(deck, report):
    chart = chart_on(titled(deck, wording.relative_headline(report.relative)))
    assert chart.has_legend
    names = [s.name for s in chart.plots[0].series]
    assert "Worse than normal" in names and "Better than normal" in names
    assert '"Normal"' in chart.value_axis.tick_labels.number_format  # the zero tick's label


def test_effort_slide_says_the_hours_short(deck, report):
    a = report.scenario.assumptions
    company = next(s for s in report.effort if s.period == report.effort_period(None)
                   and s.department == "All")
    chart = chart_on(titled(deck, wording.effort_headline(company, a.el_target_share)))
    categories = list(chart.plots[0].categories)
    assert f"Company: {company.el_gap_hours:,.0f} h short" in categories
    assert all(c.endswith(("h short", "target met")) for c in categories)


def assumption_rows(deck) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row.cells) for shape in deck.slides[-1].shapes
            if shape.has_table for row in shape.table.rows]


def test_assumptions_have_one_unit_each_and_flag_values_outside_their_range(store):
    assumptions = store.scenario("Baseline").assumptions.model_copy(
        update={"cost_per_contact": 35.0})
    report = build_report(store.dataset(), Scenario(name="High", assumptions=assumptions))
    rows = {row[0]: row for row in assumption_rows(pptx(report))}
    assert rows["Cost per service contact"] == (
        "Cost per service contact", "$35", "$", "outside plausible $2 to $20")
    assert rows["Manager hourly cost"][2:] == ("$ per hour", "")
    assert rows["Gross margin"][2] == "%"
    assert all("/" not in row[2] or row[2] == "Unit" for row in rows.values())


def test_a_sensitivity_slide_with_the_tornado_and_the_break_even(deck, report):
    slide = titled(deck, "What moves prevention's NPV most")
    chart = chart_on(slide)
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert [s.name for s in chart.plots[0].series] == [
        "Assumption at its plausible low", "Assumption at its plausible high"]
    what_if = sensitivity_for(report)
    biggest = what_if.sensitivity.npv.moving[0]
    assert list(chart.plots[0].categories)[-1] == biggest.label  # on top
    assert break_even_text(what_if.break_even,
                           report.scenario.assumptions.right_first_time_gain) in \
        "\n".join(slide_texts(slide))


def test_the_snowball_steps_are_a_native_waterfall(deck, report):
    chart = chart_on(titled(deck, wording.snowball_steps_headline(report.snowball)))
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    categories = list(chart.plots[0].categories)
    assert categories[-1] == "Total" and "Visible tip" in categories
    total = chart.plots[0].series[3].values[-1]
    assert total == pytest.approx(sum(step.amount for step in report.snowball.steps))
