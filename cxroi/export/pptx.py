"""The PowerPoint writer: the deck's slides as a 16:9 .pptx (python-pptx, loaded on use).

Plain bars are native, editable charts (their embedded workbook never makes formulas); the
iceberg and the rest are pictures, added last once rendered; the footnote is on every slide
and in its speaker notes; the title is the slide's title placeholder.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any

from cxroi import charts
from cxroi.export.deck import (FOOT_H, FOOT_TOP, MARGIN_IN, PIC_TOP, PICTURE_IN, SLIDE_W_IN,
                               SUB_H, SUB_TOP, TITLE_H, TITLE_TOP, DeckSlide, NativeChart,
                               Progress, table_shares)
from cxroi.report import Report

__all__ = ["write_pptx"]


def _rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _plain_chart_data() -> Any:
    """python-pptx's chart data, with its embedded workbook told never to make formulas.

    python-pptx writes the chart's numbers into an embedded workbook with XlsxWriter, which
    by default turns a string starting with ``=`` into a formula: a metric named
    ``=HYPERLINK(...)`` would become a live formula behind "Edit data". Here it stays text.
    """
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class PlainWorkbookWriter(CategoryWorkbookWriter):
        @contextmanager
        def _open_worksheet(self, xlsx_file):  # type: ignore[override]
            workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
            worksheet = workbook.add_worksheet()
            yield workbook, worksheet
            workbook.close()

    class PlainChartData(CategoryChartData):
        @property
        def _workbook_writer(self) -> PlainWorkbookWriter:  # type: ignore[override]
            return PlainWorkbookWriter(self)

    return PlainChartData


def _text(frame: Any, text: str, *, size: float, colour: str = charts.INK, bold: bool = False,
          align: Any = None) -> None:
    from pptx.util import Pt

    frame.word_wrap = True
    lines = text.split("\n")
    for index, line in enumerate(lines):
        para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        if align is not None:
            para.alignment = align
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)


def _box(slide: Any, left: float, top: float, width: float, height: float, text: str, *,
         size: float, colour: str = charts.INK, bold: bool = False, anchor: Any = None) -> Any:
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches

    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = shape.text_frame
    frame.vertical_anchor = anchor or MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right"):
        setattr(frame, side, Inches(0.02))
    _text(frame, text, size=size, colour=colour, bold=bold)
    return shape


def _title(slide: Any, text: str, *, top: float = TITLE_TOP, height: float = TITLE_H,
           size: float = 26) -> None:
    """The slide's title placeholder (so outlines and screen readers see it), restyled."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches

    shape = slide.shapes.title
    shape.left, shape.top = Inches(MARGIN_IN), Inches(top)
    shape.width, shape.height = Inches(SLIDE_W_IN - 2 * MARGIN_IN), Inches(height)
    frame = shape.text_frame
    frame.clear()
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    frame.margin_left = frame.margin_right = Inches(0.02)
    _text(frame, text, size=size, bold=True, align=PP_ALIGN.LEFT)


def write_pptx(slides: Sequence[DeckSlide], picture: Callable[[int], bytes | None],
               report: Report, say: Progress) -> bytes:
    """The slides as a PowerPoint; each picture is added last, once rendered."""
    from pptx import Presentation
    from pptx.util import Emu, Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in
    prs.core_properties.title = f"The cost of poor customer experience: {report.dataset.company}"
    prs.core_properties.author = "cxroi"
    title_only = prs.slide_layouts[5]
    width = SLIDE_W_IN - 2 * MARGIN_IN
    box = (Inches(MARGIN_IN), Inches(PIC_TOP), Inches(PICTURE_IN[0]), Inches(PICTURE_IN[1]))
    waiting = []
    for index, spec in enumerate(slides):
        slide = prs.slides.add_slide(title_only)
        if spec.kind == "title":
            _title(slide, spec.title, top=2.0, height=1.3, size=40)
            _box(slide, MARGIN_IN, 3.5, width, 2.2, "\n".join(spec.lines), size=22,
                 colour=charts.MUTED)
        else:
            _title(slide, spec.title)
            if spec.subtitle:
                _box(slide, MARGIN_IN, SUB_TOP, width, SUB_H, spec.subtitle, size=14,
                     colour=charts.MUTED)
        if spec.kind == "picture":
            waiting.append((index, slide))
        elif spec.kind == "chart" and spec.chart is not None:
            _native_chart(slide, spec.chart, box)
        elif spec.kind == "numbers":
            _number_tiles(slide, spec.rows)
        elif spec.kind == "assumptions":
            _assumption_tables(slide, spec.rows)
        elif spec.kind == "table":
            _plain_table(slide, spec.header, spec.rows)
        if spec.footnote:
            _box(slide, MARGIN_IN, FOOT_TOP, width, FOOT_H, spec.footnote, size=10,
                 colour=charts.MUTED)
        slide.notes_slide.notes_text_frame.text = spec.notes
    for index, slide in waiting:
        image = picture(index)
        if image is not None:
            slide.shapes.add_picture(io.BytesIO(image), *box)
    say(0.95, "Saving the PowerPoint")
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _native_chart(slide: Any, spec: NativeChart, box: tuple[Any, ...]) -> None:
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.enum.chart import XL_TICK_LABEL_POSITION
    from pptx.util import Pt

    data = _plain_chart_data()(number_format=spec.number_format)
    data.categories = list(spec.categories)
    for name, values, _ in spec.series:
        data.add_series(name, list(values), number_format=spec.number_format)
    kind = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
            "bar": XL_CHART_TYPE.BAR_CLUSTERED,
            "waterfall": XL_CHART_TYPE.COLUMN_STACKED}[spec.kind]
    chart = slide.shapes.add_chart(kind, *box, data).chart
    chart.has_title = False  # the slide's title says the point
    chart.font.size = Pt(12)
    chart.font.color.rgb = _rgb(charts.INK)
    plot = chart.plots[0]
    plot.gap_width = 50 if spec.kind in ("column", "waterfall") else 60
    if spec.kind != "column" or len(spec.series) > 1:
        plot.overlap = 100  # one bar per category: the series never stand side by side
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = spec.number_format, False
    labels.font.size = Pt(12)
    labels.position = {"column": XL_LABEL_POSITION.OUTSIDE_END,
                       "bar": XL_LABEL_POSITION.OUTSIDE_END,
                       "waterfall": XL_LABEL_POSITION.INSIDE_END}.get(spec.kind,
                                                                     XL_LABEL_POSITION.CENTER)
    value_axis, category_axis = chart.value_axis, chart.category_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("#EDEDED")
    value_axis.tick_labels.number_format = spec.axis_format or spec.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.format.line.fill.background()
    if spec.minimum is not None:
        value_axis.minimum_scale = spec.minimum
    if spec.maximum is not None:
        value_axis.maximum_scale = spec.maximum
    category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    category_axis.tick_labels.font.size = Pt(11 if len(spec.categories) > 8 else 12)
    category_axis.format.line.color.rgb = _rgb(charts.INK)
    if spec.minimum is not None and spec.maximum is not None and spec.kind == "stacked_bar":
        value_axis.major_unit = (spec.maximum - spec.minimum) / 4
    waterfall = spec.kind == "waterfall"
    chart.has_legend = len(spec.series) > (2 if waterfall else 1)
    if chart.has_legend:
        chart.legend.position = (XL_LEGEND_POSITION.BOTTOM if spec.target is not None
                                 else XL_LEGEND_POSITION.TOP)
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(12)
        if waterfall:
            _hide_legend_entry(chart, 0)  # the invisible base
    if spec.target is not None and spec.kind == "stacked_bar":
        _target_line(slide, chart, spec, box)
    for s_index, (series, (_, values, colour)) in enumerate(zip(plot.series, spec.series,
                                                                strict=True)):
        if waterfall and s_index == 0:  # the base each step stands on: not drawn
            series.format.fill.background()
            series.format.line.fill.background()
            series.data_labels.show_value = False
            continue
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(colour)
        series.invert_if_negative = False
        if spec.label_colours and not spec.point_colours:  # one colour per series
            series.data_labels.show_value = True
            series.data_labels.font.color.rgb = _rgb(spec.label_colours[s_index])
            series.data_labels.font.size = Pt(12)
            series.data_labels.number_format = spec.number_format
            series.data_labels.number_format_is_linked = False
            series.data_labels.position = (XL_LABEL_POSITION.CENTER
                                           if spec.kind == "stacked_bar" else labels.position)
        for p_index, value in enumerate(values):
            point = series.points[p_index]
            if spec.point_colours:
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = _rgb(spec.point_colours[p_index])
            if spec.label_colours and spec.point_colours:  # one per point
                point.data_label.font.color.rgb = _rgb(spec.label_colours[p_index])
                point.data_label.font.size = Pt(12)
            if value is not None and abs(value) < spec.hide_labels_below:
                point.data_label.has_text_frame = True
                point.data_label.text_frame.text = ""


def _hide_legend_entry(chart: Any, index: int) -> None:
    """Leave series ``index`` out of the legend (python-pptx has no API for it)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    legend = chart._chartSpace.chart.find(qn("c:legend"))
    entry = etree.Element(qn("c:legendEntry"))
    etree.SubElement(entry, qn("c:idx")).set("val", str(index))
    etree.SubElement(entry, qn("c:delete")).set("val", "1")
    legend.insert(1, entry)  # after c:legendPos, as the schema orders them


_INNER = (0.2, 0.1, 0.76, 0.74)
"""Where a native bar chart's plot area sits in its frame (x, y, width, height, as shares),
fixed so the target line can be drawn at the right place."""


def _target_line(slide: Any, chart: Any, spec: NativeChart, box: tuple[Any, ...]) -> None:
    """Fix the plot area's position and draw the target as a dashed line with its label."""
    from lxml import etree
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Inches, Pt

    layout = etree.Element(qn("c:layout"))
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    x, y, w, h = _INNER
    for tag, value in (("c:layoutTarget", "inner"), ("c:xMode", "edge"), ("c:yMode", "edge"),
                       ("c:x", x), ("c:y", y), ("c:w", w), ("c:h", h)):
        etree.SubElement(manual, qn(tag)).set("val", str(value))
    chart._chartSpace.chart.plotArea.insert(0, layout)  # python-pptx has no API for it
    left, top, width, height = (int(v) for v in box)
    low, high = spec.minimum or 0.0, spec.maximum or 1.0
    share = min(max(((spec.target or 0.0) - low) / ((high - low) or 1.0), 0.0), 1.0)
    at = left + int(width * (x + w * share))
    plot_top, plot_bottom = top + int(height * y), top + int(height * (y + h))
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(at), Emu(plot_top - Pt(4)),
                                      Emu(at), Emu(plot_bottom))
    line.line.color.rgb = _rgb(charts.WORSE)
    line.line.width = Pt(2.5)
    line.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    label = _box(slide, 0, 0, 3.0, 0.3, spec.target_label, size=12, colour=charts.WORSE,
                 bold=True)
    label.left, label.top = Emu(at - Inches(1.5)), Emu(plot_top - Inches(0.34))
    label.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER


def _number_tiles(slide: Any, rows: Sequence[tuple[str, str, str]]) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    shown = list(rows)[:8]
    if not shown:
        _box(slide, MARGIN_IN, 3.0, 12.3, 1.0, "No iceberg inputs yet: upload a quarter of "
             "metrics.", size=20, colour=charts.MUTED)
        return
    per_row = 4
    gap = 0.25
    tile_w = (SLIDE_W_IN - 2 * MARGIN_IN - gap * (per_row - 1)) / per_row
    tile_h = 2.15
    for index, (label, value, _) in enumerate(shown):
        left = MARGIN_IN + (index % per_row) * (tile_w + gap)
        top = PIC_TOP + 0.15 + (index // per_row) * (tile_h + gap)
        tile = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top),
                                      Inches(tile_w), Inches(tile_h))
        tile.fill.solid()
        tile.fill.fore_color.rgb = _rgb("#F2F7FB")
        tile.line.fill.background()
        tile.shadow.inherit = False
        frame = tile.text_frame
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = Inches(0.15)
        _text(frame, label, size=14, colour=charts.MUTED, align=PP_ALIGN.LEFT)
        para = frame.add_paragraph()
        para.alignment = PP_ALIGN.LEFT
        run = para.add_run()
        run.text = value
        run.font.size, run.font.bold = Pt(30 if len(value) <= 8 else 24), True
        run.font.color.rgb = _rgb(charts.SEA)


def _assumption_tables(slide: Any, rows: Sequence[tuple[str, ...]]) -> None:
    from pptx.util import Inches, Pt

    half = math.ceil(len(rows) / 2)
    width = (SLIDE_W_IN - 2 * MARGIN_IN - 0.3) / 2
    for column, chunk in enumerate((rows[:half], rows[half:])):
        if not chunk:
            continue
        shape = slide.shapes.add_table(len(chunk) + 1, 4,
                                       Inches(MARGIN_IN + column * (width + 0.3)),
                                       Inches(PIC_TOP), Inches(width),
                                       Inches(0.22 * (len(chunk) + 1)))
        table = shape.table
        for index, share in enumerate((0.38, 0.18, 0.14, 0.30)):
            table.columns[index].width = Inches(width * share)
        for r, cells in enumerate((("Assumption", "Value", "Unit", "Check"), *chunk)):
            table.rows[r].height = Inches(0.22)
            for c, text in enumerate(cells):
                cell = table.cell(r, c)
                cell.margin_top = cell.margin_bottom = Inches(0.02)
                frame = cell.text_frame
                frame.text = ""
                run = frame.paragraphs[0].add_run()
                run.text = text
                run.font.size = Pt(10 if c == 3 else 11)
                run.font.bold = r == 0 or (c == 3 and bool(text))
                if r and c == 3 and text:
                    run.font.color.rgb = _rgb(charts.WORSE)


def _plain_table(slide: Any, header: Sequence[str], rows: Sequence[tuple[str, ...]]) -> None:
    """A native table (the action plans): a bold header row, then one row per item, every
    cell plain text (a run's text: never a field, a link or markup); at most 14 rows."""
    from pptx.util import Inches, Pt

    shown = list(rows)[:14]
    width = SLIDE_W_IN - 2 * MARGIN_IN
    row_h = 0.34
    shape = slide.shapes.add_table(len(shown) + 1, len(header), Inches(MARGIN_IN),
                                   Inches(PIC_TOP + 0.1), Inches(width),
                                   Inches(row_h * (len(shown) + 1)))
    table = shape.table
    shares = table_shares(len(header))
    for index, share in enumerate(shares):
        table.columns[index].width = Inches(width * share)
    for r, cells in enumerate((tuple(header), *shown)):
        table.rows[r].height = Inches(row_h)
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            frame = cell.text_frame
            frame.text = ""
            frame.word_wrap = True
            run = frame.paragraphs[0].add_run()
            run.text = text
            run.font.size = Pt(13)
            run.font.bold = r == 0 or (text == "overdue")
            if r and text == "overdue":
                run.font.color.rgb = _rgb(charts.WORSE)

