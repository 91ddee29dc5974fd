"""The one template: every figure's title, footnote and plain text."""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go

from cxroi import charts
from cxroi.models import Footnote

from .common import HOSTILE, NOTE, everything

class TestTemplate:
    def test_finish_applies_template_title_and_footnote(self):
        fig = charts.finish(go.Figure(go.Bar(x=[1], y=[2])), title="Hidden costs are 3.8x",
                            footnote=NOTE)
        assert fig.layout.template.layout.font.size == charts.BODY_SIZE
        assert fig.layout.template.layout.colorway[0] == charts.BETTER
        assert "Hidden costs are 3.8x" in fig.layout.title.text
        assert charts.footnote_text(fig).replace("<br>", " ") == NOTE.text()

    def test_palette_is_okabe_ito(self):
        assert (charts.WORSE, charts.BETTER) == ("#D55E00", "#0072B2")

    def test_plain_escapes_markup(self):
        assert charts.plain(HOSTILE) == "&lt;script&gt;alert(1)&lt;/script&gt;"

    def test_title_and_footnote_are_escaped(self):
        fig = charts.finish(go.Figure(), title=f"Segment {HOSTILE}",
                            footnote=Footnote(sources=(HOSTILE,)))
        assert "<script>" not in everything(fig)
        assert "&lt;script&gt;" in fig.layout.title.text
        assert "&lt;script&gt;" in charts.footnote_text(fig)

    def test_long_footnote_is_wrapped_into_the_figure(self):
        note = Footnote(sources=tuple(f"Source number {i}" for i in range(30)))
        fig = charts.finish(go.Figure(), title="t", footnote=note, height=400)
        lines = charts.footnote_text(fig).split("<br>")
        assert len(lines) > 2 and all(len(line) <= 120 for line in lines)
        assert " ".join(lines) == note.text()
        assert fig.layout.height > 400


def test_present_enlarges_but_keeps_the_footnote(berg):
    fig = charts.iceberg_figure(berg, NOTE)
    before = fig.layout.font.size or charts.BODY_SIZE
    charts.present(fig)
    assert fig.layout.font.size > before
    assert charts.footnote_text(fig)


def test_figures_serialise(berg):
    json.loads(charts.iceberg_figure(berg, NOTE).to_json())
    assert math.isfinite(charts.polygon_area([0, 1, 0, 0], [0, 0, 1, 0]))
