"""The overview's thumbnails: every value stands clear of the bars, the target line and the
names (in the right margin, outside the plot), and a thumbnail says what it leaves out."""

from __future__ import annotations

from cxroi import charts
from cxroi.models import ALL, Assumptions
from cxroi.report import RelativeView
from cxroi.roi import effort_split, relative_size

from .common import NOTE

METRICS = ("customers_lost", "service_contacts", "escalations", "returns", "detractors",
           "refunds_credits", "deals_delayed", "frontline_leavers", "promoters", "passives",
           "customers", "revenue", "refund_requests")


def thirteen() -> RelativeView:
    bars = [relative_size(m, 100 + 10 * i if m != "customers_lost" else 3, 100,
                          unit="count", higher_is_better=False)
            for i, m in enumerate(METRICS)]  # customers lost: -97%, the case from issue #17
    return RelativeView("2026Q1", ALL, "normal", tuple(bars))


def values(fig) -> list:
    return [a for a in fig.layout.annotations if a.name == "value"]


def assert_in_the_margin(fig) -> None:
    """Values sit right of the plot (paper x >= 1), so nothing drawn in the plot meets them."""
    assert values(fig), "the thumbnail shows its values"
    for trace in fig.data:
        assert not trace.text, "no value is drawn on or beside a bar inside the plot"
    for note in values(fig):
        assert note.xref == "paper" and note.x >= 1 and note.xanchor == "left"
        assert note.xshift > 0
    assert fig.layout.margin.r >= 0.6 * 14 * max(len(n.text) - 7 for n in values(fig))


def test_relative_thumbnail_says_how_many_more_and_keeps_values_off_the_names():
    fig = charts.relative_bars(thirteen(), NOTE, compact=True)
    assert len(fig.data[0].y) == 6
    assert "+7 more" in fig.layout.title.subtitle.text.replace("<br>", " ")
    assert "-97%" in " ".join(n.text for n in values(fig))
    assert_in_the_margin(fig)


def test_relative_thumbnail_with_every_measure_says_nothing_more():
    view = thirteen()
    fig = charts.relative_bars(RelativeView("2026Q1", ALL, "normal", view.bars[:4]), NOTE,
                               compact=True)
    assert not fig.layout.title.subtitle.text


def test_effort_thumbnail_keeps_44_percent_off_the_target_line():
    a = Assumptions()
    company = effort_split([("TM", None, 56), ("EL", None, 44)], a, period="2026Q1")
    fig = charts.effort_figure([company], target=0.5, footnote=NOTE, compact=True)
    assert [n.text for n in values(fig)] == ["<b>44%</b>"]
    assert_in_the_margin(fig)
