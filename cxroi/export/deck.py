"""The deck, format-neutral: the slides both writers draw, and the slide's layout.

The deck is a list of format-neutral `DeckSlide` objects (`deck_slides`), written as a 16:9
PowerPoint (`cxroi.export.pptx`: plain bars as native, editable charts; the iceberg and the
rest as pictures; the footnote on every slide and in its speaker notes) or as a PDF with
the same content (`cxroi.export.pdf`).

==========================  ==============================================================
name                        what it gives
==========================  ==============================================================
`NativeChart`               a plain bar chart the PowerPoint draws as an editable chart
`DeckSlide`                 one slide (or PDF page), plain text only
`deck_slides`               the deck's slides: title, overview, pictures, the drill-down,
                            assumptions
`iter_slides`               the same slides one at a time (a picture renders meanwhile)
`work_groups`               the departments that own themes (one slide each on request)
`DRIVERS_OUTCOME`           the outcome item the deck's key drivers explain
`slide_spec`                a figure for a slide: title and footnote left to the slide
`slide_figure`              `slide_spec` as a `go.Figure`, to look at
`Progress`                  the progress callback: ``progress(done, message)``
==========================  ==============================================================

The slide's geometry (``SLIDE_W_IN``, ``MARGIN_IN``, ``PICTURE_IN``, ...) is in inches and
shared by both writers, so the PowerPoint and the PDF put everything in the same place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from cxroi import charts, roi, wording
from cxroi.charts.whatif import HIGH_END, LOW_END
from cxroi.export.frames import (
    chart_figure,
    chart_footnote,
    company_split,
    effort_period,
    effort_splits,
    overview_rows,
    shown_iceberg,
)
from cxroi.drivers import DriverResult
from cxroi.format import money, multiple, percent
from cxroi.models import ALL, TIER_NAMES, CxroiError, Footnote, assumption_info
from cxroi.report import Report
from cxroi.whatif import break_even_text as wording_break_even
from cxroi.whatif import sensitivity_for, unit_label
from cxroi.whatif import show as show_assumption

__all__ = [
    "NativeChart",
    "DeckSlide",
    "deck_slides",
    "iter_slides",
    "slide_spec",
    "slide_figure",
    "Progress",
    "DRIVERS_OUTCOME",
    "work_groups",
    "PICTURE_IN",
    "PICTURE_PX",
    "PICTURE_SCALE",
    "short",
]

Progress = Callable[[float, str], None]
"""``progress(done, message)``: ``done`` from 0 to 1, ``message`` says what is happening."""

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_IN = 0.5
TITLE_TOP, TITLE_H = 0.3, 0.95
SUB_TOP, SUB_H = 1.22, 0.45
PIC_TOP = 1.72
FOOT_TOP, FOOT_H = 6.58, 0.8
"""The slide in inches (16:9): its margins, the title, subtitle, picture and footnote boxes."""

PICTURE_IN = (12.333, 4.75)
"""The picture's box on a slide, in inches (width, height)."""
PICTURE_PX = (1280, round(1280 * PICTURE_IN[1] / PICTURE_IN[0]))
"""The picture's layout pixels: its box's aspect, with type about 12 pt on the slide."""
PICTURE_SCALE = 2.0


def table_shares(count: int) -> tuple[float, ...]:
    """A ``table`` slide's column widths as shares of the table (the plans' theme and owner
    wider), the same in both writers."""
    if count == 8:
        return (0.24, 0.15, 0.11, 0.11, 0.09, 0.11, 0.09, 0.10)
    return tuple(1 / count for _ in range(count))


def slide_spec(fig: go.Figure) -> dict[str, Any]:
    """``fig`` as a figure dict for a slide: the slide shows the title, subtitle and footnote
    as text, so the picture drops them and gives their room to the chart."""
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    notes = layout.get("annotations") or []
    foot = next((n for n in notes if n.get("name") == "footnote"), None)
    axis = abs(foot.get("yshift") or 0) if foot is not None else 40
    layout["annotations"] = [n for n in notes if n.get("name") != "footnote"]
    shown = [t for t in spec.get("data", []) if t.get("showlegend") is not False]
    legend = len(shown) > 1 and layout.get("showlegend") is not False
    above = any(n.get("yref") == "paper" and (n.get("y") or 0) >= 1
                for n in layout["annotations"])
    layout["title"] = {**(layout.get("title") or {}), "text": "", "subtitle": {"text": ""}}
    layout.pop("height", None)
    layout.pop("width", None)
    layout["margin"] = {**(layout.get("margin") or {}),
                        "t": 24 + (36 if legend else 0) + (26 if above else 0),
                        "b": axis + 12}
    return spec


def slide_figure(fig: go.Figure) -> go.Figure:
    """`slide_spec` as a `go.Figure`, to look at."""
    return go.Figure(slide_spec(fig))


@dataclass(frozen=True)
class NativeChart:
    """A plain bar chart the deck draws as an editable PowerPoint chart.

    ``series`` are (name, values, colour); for a single series, ``point_colours`` colour each
    bar. Values are decimals shown with ``number_format`` (``'+0%'``, ``'0%'``).
    """

    kind: str
    """``column`` (vertical bars around a zero line), ``stacked_bar`` (horizontal, 0-100%),
    ``bar`` (horizontal bars around a base line, series overlapping: a tornado) or
    ``waterfall`` (stacked columns whose first series is an invisible base)."""
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...], str], ...]
    """(name, values, colour); a None value draws no bar (and no label) for that category."""
    number_format: str
    axis_format: str = ""
    """The value axis' number format when it differs from the labels' (e.g. the baseline
    named at the zero tick: ``'+0%;-0%;"Normal"'``)."""
    point_colours: tuple[str, ...] = ()
    label_colours: tuple[str, ...] = ()
    """The data labels' colour: per point when ``point_colours`` are given, else per series."""
    minimum: float | None = None
    maximum: float | None = None
    hide_labels_below: float = 0.0
    target: float | None = None
    """A value drawn as a dashed vermillion line across the bars (``stacked_bar`` only)."""
    target_label: str = ""


@dataclass(frozen=True)
class DeckSlide:
    """One slide (or PDF page): plain text only; user text is never markup here."""

    kind: str
    """``title``, ``numbers``, ``picture``, ``chart``, ``table`` or ``assumptions``."""
    title: str
    subtitle: str = ""
    footnote: str = ""
    notes: str = ""
    figure: go.Figure | Callable[[], go.Figure] | None = None
    """The picture (``picture``), or the PDF's stand-in for a native ``chart`` (built only
    when a PDF asks for it: a function returning the figure)."""
    chart: NativeChart | None = None
    rows: tuple[tuple[str, ...], ...] = ()
    """``numbers``: (label, value, detail); ``assumptions``: (label, value, unit, check),
    check saying when the value lies outside its plausible range; ``table``: one tuple of
    cells per row, under ``header``."""
    header: tuple[str, ...] = ()
    """``table``: the column names."""
    lines: tuple[str, ...] = field(default=())
    """``title``: the lines under the title."""

    def picture(self) -> go.Figure | None:
        """The slide's figure, built now if it was left for later."""
        return self.figure() if callable(self.figure) else self.figure


def _notes(slide_title: str, footnote: str, extra: Sequence[str] = ()) -> str:
    return "\n\n".join([slide_title, *extra, f"Footnote: {footnote}" if footnote else ""]
                       ).strip()


def _relative_native(report: Report) -> NativeChart | None:
    view = report.relative
    bars = [b for b in view.bars if b.relative is not None]
    bars.sort(key=lambda b: b.relative, reverse=True)
    if not bars:
        return None
    short_name = wording.BASELINE_SHORT[view.baseline]
    groups = ((f"Worse than {short_name}", charts.WORSE, True),
              (f"Better than {short_name}", charts.BETTER, False),
              ("No direction", charts.NEUTRAL, None))
    series = tuple((name, tuple(b.relative if b.worse is worse else None for b in bars), colour)
                   for name, colour, worse in groups if any(b.worse is worse for b in bars))
    baseline = short_name.capitalize().replace('"', "")
    return NativeChart(kind="column", categories=tuple(wording.metric_label(b.metric)
                                                       for b in bars),
                       series=series, number_format='+0%;-0%;0%',
                       axis_format=f'+0%;-0%;"{baseline}"',
                       label_colours=tuple(colour for _, _, colour in series))


def _snowball_native(report: Report) -> NativeChart | None:
    """The snowball's steps as a waterfall: an invisible base under each step's own bar."""
    ball = report.snowball
    if not ball.steps:
        return None
    names, base, visible, hidden, total = [], [], [], [], []
    running = 0.0
    for step in ball.steps:
        if step.layer != "visible" and running and "Visible tip" not in names:
            names.append("Visible tip")
            base.append(None)
            visible.append(None)
            hidden.append(None)
            total.append(running)
        names.append(step.label)
        base.append(running)
        visible.append(step.amount if step.layer == "visible" else None)
        hidden.append(step.amount if step.layer != "visible" else None)
        total.append(None)
        running += step.amount
    names.append("Total")
    base.append(None)
    visible.append(None)
    hidden.append(None)
    total.append(running)
    return NativeChart(
        kind="waterfall", categories=tuple(names),
        series=(("base", tuple(base), "#FFFFFF"),
                ("Visible: finance sees it", tuple(visible), charts.NEUTRAL),
                ("Hidden: below the waterline", tuple(hidden), charts.WORSE),
                ("Total", tuple(total), charts.INK)),
        number_format='"$"#,##0,"k"', label_colours=("#FFFFFF", charts.INK, charts.INK,
                                                      charts.INK), minimum=0.0)


def _tornado_native(tornado: Any) -> NativeChart | None:
    """The NPV tornado: each assumption's low and high end as the change from the NPV as
    assumed, two overlapping horizontal bars per assumption, biggest swing on top."""
    swings = list(tornado.moving[:10])
    if not swings:
        return None
    swings.reverse()  # a bar chart draws its first category at the bottom
    return NativeChart(
        kind="bar", categories=tuple(s.label for s in swings),
        series=(("Assumption at its plausible low", tuple(s.at_low - tornado.base
                                                           for s in swings), LOW_END),
                ("Assumption at its plausible high", tuple(s.at_high - tornado.base
                                                            for s in swings), HIGH_END)),
        number_format='+"$"#,##0,"k";-"$"#,##0,"k";"$0"',
        axis_format='+"$"#,##0,"k";-"$"#,##0,"k";"As assumed"',
        label_colours=(charts.INK, charts.INK))


def _department(split: roi.EffortSplit) -> str:
    return "Company" if split.department == ALL else split.department


def _ordered_splits(splits: Sequence[roi.EffortSplit], key: Callable[[roi.EffortSplit], float]
                    ) -> list[roi.EffortSplit]:
    """Departments bottom to top by ``key``, the company on top (as on screen)."""
    rest = sorted((s for s in splits if s.department != ALL), key=key)
    return rest + [s for s in splits if s.department == ALL]


def _effort_native(report: Report) -> NativeChart | None:
    splits = [s for s in effort_splits(report) if s.total_hours]
    if not splits:
        return None
    rows = _ordered_splits(splits, key=lambda s: s.shares["EL"])
    colours = charts.TIER_COLOURS
    return NativeChart(
        kind="stacked_bar", categories=tuple(f"{_department(s)}: {wording.hours_short(s)}"
                                             for s in rows),
        series=tuple((TIER_NAMES[tier], tuple(s.shares[tier] for s in rows), colours[tier])
                     for tier in ("EL", "EM", "TM")),
        number_format="0%", label_colours=("#FFFFFF", charts.INK, charts.INK),
        minimum=0.0, maximum=1.0, hide_labels_below=0.06,
        target=report.scenario.assumptions.el_target_share,
        target_label=f"EL target {percent(report.scenario.assumptions.el_target_share)}")


def _loop_native(report: Report) -> NativeChart | None:
    splits = [s for s in effort_splits(report) if s.outer_loop_share is not None]
    if not splits:
        return None
    rows = _ordered_splits(splits, key=lambda s: s.outer_loop_share or 0.0)
    return NativeChart(
        kind="stacked_bar", categories=tuple(_department(s) for s in rows),
        series=(("Outer loop: prevent recurrence", tuple(s.outer_loop_share or 0.0
                                                         for s in rows), charts.BETTER),
                ("Inner loop: fix one customer", tuple(1 - (s.outer_loop_share or 0.0)
                                                       for s in rows), "#BBBBBB")),
        number_format="0%", label_colours=("#FFFFFF", charts.INK), minimum=0.0, maximum=1.0,
        hide_labels_below=0.06, target=report.scenario.assumptions.outer_loop_target_share,
        target_label="Outer-loop target "
                     f"{percent(report.scenario.assumptions.outer_loop_target_share)}")


def _shown(value: float | None, unit: str) -> str:
    if unit == "money":
        return money(value)
    if unit == "multiple":
        return multiple(value)
    if unit == "ratio":
        return percent(value)
    if unit == "months":
        return wording.payback(value)
    return "n/a" if value is None else f"{value:,.2f}"


def deck_slides(report: Report, *, today: dt.date | None = None,
                drivers: DriverResult | None = None, groups: Sequence[str] = ()
                ) -> list[DeckSlide]:
    """The meeting deck's slides for ``report``, in order.

    A title slide; the headline numbers; relative size, the snowball line by line (a
    waterfall of stacked bars), the effort split and the NPV's sensitivity as native charts;
    the iceberg, the snowball quarter by quarter and the melt as pictures; revenue at risk
    after the melt (when the data have survey counts); the drill-down: the key drivers of
    ``drivers`` (computed by the caller, `cxroi.drilldown.drivers_for`; left out when none),
    the vital few's Pareto, one slide per work group named in ``groups`` (see
    `work_groups`), the action plans' table and timeline (each only when the report has
    themes or plans); and the assumptions used, each flagged when outside its plausible
    range. Each chart slide's title is the chart's takeaway.
    """
    return list(iter_slides(report, today=today or dt.date.today(), drivers=drivers,
                            groups=groups))


def work_groups(report: Report) -> list[str]:
    """The departments that own a theme in the report's themes, in the Pareto's order of
    their biggest theme (the slides' order); none without themes."""
    themes = report.themes
    if themes is None:
        return []
    return list(dict.fromkeys(t.department for t in themes.items if t.department))


def deck_outline(report: Report, *, drivers: DriverResult | None = None,
                 groups: Sequence[str] = ()) -> str:
    """The deck's slides in one sentence, as `iter_slides` will make them for these inputs
    (the export page's caption), without building any figure."""
    parts = ["the title slide", "the headline numbers", "relative size",
             "the iceberg with its snowball and melt"]
    count = 7  # title, numbers, relative, iceberg, snowball twice, melt
    if report.revenue_at_risk:
        parts.append("revenue at risk (exposure, never added to the cost)")
        count += 1
    parts += ["the effort split and loops", "what moves prevention's NPV"]
    count += 3
    if drivers is not None and drivers.drivers:
        parts.append(f"the key drivers of {wording.item_label(drivers.outcome).lower()}")
        count += 1
    if report.themes is not None and report.themes.items:
        parts.append("the vital few themes")
        count += 1
        if groups:
            parts.append(f"{len(groups)} work group{'' if len(groups) == 1 else 's'} "
                         "(a slide each)")
            count += len(groups)
    if report.plans:
        parts.append("the action plans and their timeline")
        count += 2
    parts.append(f"the assumptions of {report.scenario.label}")
    count += 1
    return f"{count} slides: {', '.join(parts[:-1])} and {parts[-1]}."


def _chosen_groups(report: Report, groups: Sequence[str]) -> list[str]:
    known = work_groups(report)
    wanted = list(dict.fromkeys(groups))
    unknown = [g for g in wanted if g not in known]
    if unknown:
        raise CxroiError(
            f"There is no work group {unknown[0]!r} in the {report.themes.period} themes; "
            f"work groups: {', '.join(known)}." if known else
            "There are no work groups: no theme of this segment names a department.")
    return [g for g in known if g in wanted]  # the deck's order, whatever the asking order


def iter_slides(report: Report, *, today: dt.date, drivers: DriverResult | None = None,
                groups: Sequence[str] = ()) -> Iterator[DeckSlide]:
    """`deck_slides` one at a time, so a picture can render while the next one is built.

    An unknown name in ``groups`` is refused (`CxroiError`, naming the work groups) before
    any slide is made."""
    chosen_groups = _chosen_groups(report, groups) if groups else []
    data, scenario = report.dataset, report.scenario
    berg, a = shown_iceberg(report), scenario.assumptions
    period = (berg.period if berg else None) or report.relative.period or (
        report.periods[-1] if report.periods else "no data yet")
    company = data.company or "Your company"
    yield DeckSlide(
        kind="title", title="The cost of poor customer experience",
        lines=(company, f"Period: {period}",
               *((f"Segment: {report.segment}",) if report.segment != ALL else ()),
               f"Scenario: {scenario.label}", f"Date: {today.isoformat()}"),
        footnote="DEMO DATA (fictional company)." if data.demo else "",
        notes=(f"{company}. Period {period}, segment {report.segment}, scenario "
               f"{scenario.label}, prepared {today.isoformat()}."))

    iceberg_note = chart_footnote(report, "iceberg")
    rows = tuple((label, _shown(value, unit), unit) for label, value, unit
                 in overview_rows(report))
    headline = wording.iceberg_headline(berg)
    yield DeckSlide(
        kind="numbers", title=headline,
        subtitle=f"{company}, segment {report.segment}, scenario {scenario.label}",
        footnote=iceberg_note, rows=rows,
        notes=_notes(headline, iceberg_note, [f"{label}: {value}" for label, value, _ in rows]))

    def slide(chart: str, title: str, subtitle: str, footnote: str,
              native: NativeChart | None = None, extra: Sequence[str] = ()) -> DeckSlide:
        """A chart's slide: its title and subtitle are the chart's own sentences (wording)."""
        fig: go.Figure | Callable[[], go.Figure]
        fig = (lambda: chart_figure(report, chart)) if native is not None else \
            chart_figure(report, chart)  # a native chart's picture is the PDF's stand-in
        return DeckSlide(kind="chart" if native else "picture", title=title, subtitle=subtitle,
                         footnote=footnote, figure=fig, chart=native,
                         notes=_notes(title, footnote, [subtitle, *extra] if subtitle else extra))

    view = report.relative
    no_base = [wording.metric_label(b.metric) for b in view.bars if b.relative is None]
    yield slide("relative", wording.relative_headline(view), wording.relative_subtitle(view),
                chart_footnote(report, "relative"), _relative_native(report),
                extra=[f"No baseline (not drawn): {', '.join(no_base)}."] if no_base else [])
    yield slide("iceberg", headline, wording.iceberg_subtitle(berg) if berg else "",
                chart_footnote(report, "iceberg"), extra=[wording.hidden_takeaway(berg) + "."])
    ball = report.snowball
    yield slide("snowball_steps", wording.snowball_steps_headline(ball),
                wording.SNOWBALL_STEPS_SUBTITLE if ball.steps else "",
                chart_footnote(report, "snowball_steps"), _snowball_native(report))
    yield slide("snowball_quarters", wording.snowball_quarters_headline(ball),
                wording.snowball_quarters_subtitle(ball) if ball.running else "",
                chart_footnote(report, "snowball_quarters"))
    melt_sub = (wording.melt_subtitle(berg, roi.melted(berg, a), report.melt)
                if berg is not None and berg.total > 0 else "")
    yield slide("melt", wording.melt_headline(report.melt), melt_sub,
                chart_footnote(report, "melt"))
    risk = revenue_at_risk_slide(report)
    if risk is not None:
        yield risk
    company_effort = company_split(report)
    effort_quarter = effort_period(report)
    yield slide("effort", wording.effort_headline(company_effort, a.el_target_share),
                wording.effort_subtitle(effort_quarter, a.el_target_share),
                chart_footnote(report, "effort"),
                _effort_native(report))
    yield slide("loops", wording.loop_headline(company_effort, a.outer_loop_target_share),
                wording.loop_subtitle(effort_quarter, a.outer_loop_target_share),
                chart_footnote(report, "loops"),
                _loop_native(report))

    what_if = sensitivity_for(report)
    npv = what_if.sensitivity.npv
    tornado = _tornado_native(npv)
    gain = wording_break_even(what_if.break_even, a.right_first_time_gain)
    npv_note = what_if.npv_footnote.text()
    yield DeckSlide(
        kind="chart" if tornado else "numbers",
        title=(f"What moves prevention's NPV most: {npv.moving[0].label}" if npv.moving
               else "Nothing moves prevention's NPV yet"),
        subtitle=f"{gain} Each bar: one assumption alone at its plausible low or high; "
                 f"NPV as assumed {money(npv.base)}.",
        footnote=npv_note, chart=tornado,
        figure=(lambda: charts.tornado_figure(npv, footnote=what_if.npv_footnote,
                                              scenario=scenario.label)) if tornado else None,
        notes=_notes("Sensitivity and break-even", npv_note, [gain]))

    if drivers is not None and drivers.drivers:
        yield key_drivers_slide(drivers, drivers_footnote(report, drivers))
    if report.themes is not None and report.themes.items:
        yield pareto_slide(report)
        for department in chosen_groups:
            yield work_group_slide(report, department)
    if report.plans:
        yield plans_table_slide(report)
        yield plans_timeline_slide(report, today=today)

    chosen = [(info.label, show_assumption(info, getattr(a, info.key)), unit_label(info),
               _plausibility(info, getattr(a, info.key))) for info in assumption_info()]
    made = f" by {scenario.created_by}" if scenario.created_by else ""
    when = f" on {scenario.created_at.date().isoformat()}" if scenario.created_at else ""
    note = f"Scenario {scenario.label}{made}{when}" + (f": {scenario.note}" if scenario.note
                                                       else ".")
    yield DeckSlide(
        kind="assumptions", title=f"The assumptions behind these numbers ({scenario.label})",
        subtitle="Finance's unit costs and rates; every chart in this deck uses them",
        footnote=note, rows=tuple(chosen),
        notes=_notes("Assumptions used", note,
                     [f"{label}: {value} ({unit}){' ' + flag if flag else ''}"
                      for label, value, unit, flag in chosen]))


def _plausibility(info: Any, value: float) -> str:
    """'outside plausible $2 to $20' when the value in use lies outside its range, else ''."""
    if info.low is None or info.high is None or info.low <= value <= info.high:
        return ""
    return (f"outside plausible {show_assumption(info, info.low)} to "
            f"{show_assumption(info, info.high)}")


def short(text: str, length: int = 60) -> str:
    """``text`` cut to ``length`` characters, ending in ``...`` when it was longer."""
    return text if len(text) <= length else text[: length - 3].rstrip() + "..."


# --- the drill-down's slides -------------------------------------------------------------------

DRIVERS_OUTCOME = "likelihood_to_recommend"
"""The outcome item the deck's key drivers explain (the demo's, and the contract's example);
the callers (CLI ``export deck``, the export page) compute them with
`cxroi.drilldown.drivers_for`, and leave the slide out when it refuses."""


def drivers_footnote(report: Report, result: DriverResult) -> str:
    """The key-driver slide's footnote: the survey's source and scope, its quarter, then the
    respondents, n, R² and method (`wording.drivers_note`)."""
    pairs = report.dataset.sources.get("ratings", ())
    note = Footnote(sources=tuple(dict.fromkeys(s for s, _ in pairs)),
                    scopes=tuple(dict.fromkeys(s for _, s in pairs)),
                    periods=(result.period,) if result.period else (),
                    scenario=None, demo=report.dataset.demo)
    return f"{note.text()} {wording.drivers_note(result)}".strip()


def key_drivers_native(result) -> NativeChart | None:
    """The key drivers as a native, editable column chart: each driver's share of R²,
    signed by the direction of r; non-significant drivers grey (still drawn at full size)."""
    from cxroi.charts.drivers import NOT_SIGNIFICANT

    if not result.drivers:
        return None
    colours = tuple(NOT_SIGNIFICANT if not d.significant else
                    charts.BETTER if d.r >= 0 else charts.WORSE for d in result.drivers)
    return NativeChart(
        kind="column", categories=tuple(wording.item_label(d.item) for d in result.drivers),
        series=(("Share of R²", tuple(d.share if d.r >= 0 else -d.share
                                      for d in result.drivers), charts.BETTER),),
        number_format='+0%;-0%;0%', point_colours=colours, label_colours=colours)


def key_drivers_slide(result, footnote: str) -> DeckSlide:
    """The key-driver slide of one `cxroi.drivers.DriverResult`: the takeaway as its title,
    n, R², period and method in the subtitle, a native chart (its picture for the PDF) and
    ``footnote`` (source, scope, n, R², period)."""
    from cxroi.charts.drivers import importance_figure

    title = wording.drivers_headline(result)
    subtitle = wording.drivers_subtitle(result)
    return DeckSlide(
        kind="chart", title=title, subtitle=subtitle, footnote=footnote,
        figure=lambda: importance_figure(result, footnote=footnote),
        chart=key_drivers_native(result),
        notes=_notes(title, footnote, [subtitle, *(
            f"{d.item}: {percent(d.share, 1)} of R², r {d.r:.2f}, p {d.p_value:.4f}"
            for d in result.drivers)]))


def revenue_at_risk_slide(report: Report, period: str | None = None) -> DeckSlide | None:
    """Revenue at risk for ``period`` (default: the iceberg's quarter, else the latest with
    survey counts) as a numbers slide, labelled as exposure never added to the cost."""
    found = {risk.period: risk for risk in report.revenue_at_risk}
    chosen = period or (shown_iceberg(report).period if shown_iceberg(report) else None)
    risk = found.get(chosen) or (report.revenue_at_risk[-1] if report.revenue_at_risk else None)
    if risk is None:
        return None
    rows = tuple((wording.REVENUE_AT_RISK_NAMES[key],
                  money(getattr(risk, key)) if getattr(risk, key) is not None else "not reported",
                  wording.REVENUE_AT_RISK_FORMULAS[key])
                 for key in ("short_term", "long_term", "growth_potential"))
    footnote = (f"{report.footnote('iceberg', period=risk.period).text()} "
                f"{wording.REVENUE_AT_RISK_NOTE}")
    title = wording.revenue_at_risk_headline(risk)
    return DeckSlide(kind="numbers", title=title, subtitle=wording.REVENUE_AT_RISK_LABEL,
                     footnote=footnote, rows=rows,
                     notes=_notes(title, footnote, [f"{label}: {value} ({formula})"
                                                    for label, value, formula in rows]))


def _money_bars(items: Sequence[roi.ThemeMoney]) -> NativeChart:
    """Themes' money as horizontal bars, the biggest on top: the vital few red, the useful
    many grey (two series, so the legend names both colours; the values to the cent)."""
    from cxroi.charts.pareto import USEFUL, VITAL

    shown = list(reversed(items))  # a bar chart draws its first category at the bottom
    series = tuple((name, tuple(t.money if t.vital_few is vital else None for t in shown),
                    colour)
                   # PowerPoint lists a bar chart's legend bottom-up: vital few first
                   for name, colour, vital in (("Useful many", USEFUL, False),
                                               ("Vital few", VITAL, True))
                   if any(t.vital_few is vital for t in shown))
    return NativeChart(kind="bar", categories=tuple(t.theme for t in shown), series=series,
                       number_format='"$"#,##0,"k"', minimum=0.0,
                       label_colours=tuple(charts.INK for _ in series))


def _themes_footnote(report: Report, extra: str = "") -> str:
    return f"{report.footnote('themes').text()} {extra}".strip()


def _theme_lines(items: Sequence[roi.ThemeMoney]) -> list[str]:
    return [f"{t.theme} ({t.department or 'no department'}): {money(t.money)}, "
            f"{percent(t.share, 1)} of the themed money, cumulative "
            f"{percent(t.cumulative_share, 1)}{', vital few' if t.vital_few else ''}"
            for t in items]


def pareto_slide(report: Report) -> DeckSlide:
    """The vital few: each theme's money as native bars (vital few / useful many), the
    cumulative share in the notes and in the PDF's picture (`charts.pareto_figure`); the
    unattributed remainder said apart, never drawn as a theme."""
    from cxroi.charts.pareto import pareto_figure

    themes = report.themes
    assert themes is not None
    title = wording.vital_few_headline(themes)
    subtitle = wording.pareto_deck_subtitle(themes)
    footnote = _themes_footnote(report)
    return DeckSlide(
        kind="chart", title=title, subtitle=subtitle, footnote=footnote,
        figure=lambda: pareto_figure(themes, report.footnote("themes")),
        chart=_money_bars(themes.items),
        notes=_notes(title, footnote, [subtitle, *_theme_lines(themes.items), *(
            f"Warning: {w}" for w in themes.warnings)]))


def work_group_slide(report: Report, department: str) -> DeckSlide:
    """One work group's themes, its top two first, and their money (as the Vital few page's
    work-group report)."""
    from cxroi.charts.pareto import pareto_figure

    themes = report.themes
    assert themes is not None
    mine = [t for t in themes.items if t.department == department]
    title = wording.work_group_headline(department, mine)
    subtitle = wording.work_group_subtitle(department, mine, themes)
    footnote = _themes_footnote(report, f"Work group: {department}.")
    return DeckSlide(
        kind="chart", title=title, subtitle=subtitle, footnote=footnote,
        figure=lambda: pareto_figure(themes, report.footnote("themes"), items=mine),
        chart=_money_bars(mine), notes=_notes(title, footnote, [subtitle, *_theme_lines(mine)]))


PLAN_COLUMNS = ("Theme", "Owner", "Due", "Status", "Overdue", "NPV", "ROI", "Payback")
"""The plans table's columns, on the slide and in the PDF."""


def _plan_row(plan: Any) -> tuple[str, ...]:
    record, case = plan.record, plan.case
    return (record.theme, record.owner, record.due, wording.PLAN_STATUS_LABELS[record.status],
            "overdue" if plan.overdue else "", money(case.npv), percent(case.roi),
            wording.payback(case.payback_months))


def _plans_footnote(report: Report) -> str:
    return f"{report.footnote('plans').text()} {wording.PLAN_MONEY_BASIS}"


def plans_table_slide(report: Report) -> DeckSlide:
    """The action plans as a native table: theme, owner, due, status, overdue and the
    business case (NPV, ROI, payback) under the report's scenario. Plain text cells."""
    rows = tuple(_plan_row(plan) for plan in report.plans)
    title = wording.plans_case_headline(report.plans)
    footnote = _plans_footnote(report)
    return DeckSlide(
        kind="table", title=title, subtitle=wording.PLANS_TABLE_SUBTITLE, footnote=footnote,
        header=PLAN_COLUMNS, rows=rows,
        notes=_notes(title, footnote, [wording.PLANS_TABLE_SUBTITLE, *(
            f"Plan {p.record.id}: {p.record.theme}; action: {p.record.action}; root cause: "
            f"{p.record.root_cause}; " + "; ".join(f"{name.lower()} {cell or 'no'}"
                                                  for name, cell in zip(PLAN_COLUMNS[1:], row[1:]))
            for p, row in zip(report.plans, rows))]))


def plans_timeline_slide(report: Report, *, today: dt.date | None = None) -> DeckSlide:
    """The plans' Gantt (`charts.plans_timeline`) as a picture."""
    from cxroi.charts.plans import plans_timeline

    title = wording.plans_headline(report.plans)
    footnote = _plans_footnote(report)
    fig = plans_timeline(report.plans, report.footnote("plans"), today=today)
    return DeckSlide(kind="picture", title=title, subtitle=wording.PLANS_TIMELINE_SUBTITLE,
                     footnote=footnote, figure=fig,
                     notes=_notes(title, footnote, [wording.PLANS_TIMELINE_SUBTITLE]))
