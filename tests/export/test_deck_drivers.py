"""The drill-down's slides (cxroi.export.deck): key drivers as a native chart, revenue at risk
as numbers, both written by the real PowerPoint writer."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from cxroi.drivers import key_drivers
from cxroi.export.deck import key_drivers_slide, revenue_at_risk_slide
from cxroi.export.pptx import write_pptx
from cxroi.report import build_report
from cxroi.dataset import Dataset, MetricRecord
from cxroi.models import Scenario, Assumptions

# delivery (r = +1/sqrt(2)) and support (r = -1/sqrt(2)) explain the outcome exactly, and
# orthogonally: each has half of R² = 1 (see tests/test_cli_drivers.py for the arithmetic).
ANSWERS = {"recommend": [10, 6, 6, 2], "delivery": [5, 1, 5, 1], "support": [1, 1, 5, 5]}


def report():
    metrics = (MetricRecord("2026Q1", "detractors", "count", 150.0, False, 1),
               MetricRecord("2026Q1", "passives", "count", 400.0, False, 1))
    data = Dataset(1, "All", ("2026Q1",), metrics, (), (), (), {}, True, "Demo Co")
    return build_report(data, Scenario(name="Baseline", version=1, assumptions=Assumptions()))


def test_the_key_driver_slide_is_a_native_signed_chart():
    result = key_drivers("recommend", ANSWERS, period="2026Q1")
    slide = key_drivers_slide(result, "Source: survey. n = 4.")
    assert slide.kind == "chart" and slide.title.startswith("Delivery explains 50%")
    assert slide.chart.categories == ("Delivery", "Support")
    assert slide.chart.series[0][1] == pytest.approx((0.5, -0.5))  # support moves against
    assert slide.chart.point_colours == ("#C8C8C8", "#C8C8C8")     # n = 4: not significant
    deck = Presentation(io.BytesIO(write_pptx([slide], lambda i: None, report(),
                                              lambda d, m: None)))
    charts = [s for s in deck.slides[0].shapes if s.has_chart]
    assert len(charts) == 1
    values = list(charts[0].chart.plots[0].series[0].values)
    assert [round(v, 9) for v in values] == [0.5, -0.5]
    assert "n = 4" in deck.slides[0].notes_slide.notes_text_frame.text


def test_the_revenue_at_risk_slide_says_exposure_and_shows_the_three_figures():
    slide = revenue_at_risk_slide(report())
    # 150 * 0.5 * 1,200 = $90k; 400 * 0.3 * 1,200 = $144k; no promoters
    assert slide.rows == (
        ("Short-term risk (detractors)", "$90k",
         "detractors * detractor_revenue_at_risk * annual_revenue_per_customer"),
        ("Long-term risk (passives)", "$144k",
         "passives * passive_revenue_at_risk * annual_revenue_per_customer"),
        ("Growth potential (promoters)", "not reported",
         "promoters * promoter_growth_potential * annual_revenue_per_customer"))
    assert slide.subtitle == "Revenue at risk: exposure, never added to the cost"
    assert "never added to the iceberg" in slide.footnote and "DEMO DATA" in slide.footnote
    deck = Presentation(io.BytesIO(write_pptx([slide], lambda i: None, report(),
                                              lambda d, m: None)))
    text = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes
                    if shape.has_text_frame)
    assert "$90k" in text and "$144k" in text
