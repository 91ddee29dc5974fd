"""What the chart tests share: a quarter's metrics, a footnote, hostile text, area measures."""

from __future__ import annotations

import plotly.graph_objects as go

from cxroi.models import Footnote

HOSTILE = "<script>alert(1)</script>"
METRICS = {"service_contacts": 60_898, "refunds_credits": 506_542.74, "returns": 9_033,
           "escalations": 504, "customers_lost": 1_349, "detractors": 3_418,
           "deals_delayed": 241, "frontline_leavers": 42}
NOTE = Footnote(sources=("Zendesk export",), scopes=("North America",),
                periods=("2025Q4", "2026Q1"), scenario="Baseline@1")


def shoelace(xs, ys) -> float:
    """Area of a closed polygon, computed here without the module's helper."""
    pts = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None]
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1)
                   in zip(pts, pts[1:] + pts[:1], strict=True))) / 2


def layer_areas(fig: go.Figure, keys) -> dict[str, float]:
    return {t.name: shoelace(t.x, t.y) for t in fig.data
            if t.fill == "toself" and t.name in keys}


def everything(fig: go.Figure) -> str:
    return fig.to_json()


