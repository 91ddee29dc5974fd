"""The PDF writer: the deck's slides as landscape pages with the same content (fpdf2, DejaVu).

The pictures (native charts included, as their figures) go onto their pages last, once
rendered; without DejaVu the text falls back to Helvetica in Latin-1.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cxroi import charts
from cxroi.export.deck import (FOOT_TOP, MARGIN_IN, PIC_TOP, PICTURE_IN, SLIDE_H_IN,
                               SLIDE_W_IN, SUB_TOP, TITLE_H, TITLE_TOP, DeckSlide, Progress,
                               short, table_shares)
from cxroi.report import Report

__all__ = ["write_pdf", "FONT_DIR"]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""Where the PDF's DejaVu fonts are (Debian's fonts-dejavu-core)."""
_PT = 72.0


def _pdf_fonts(pdf: Any) -> str:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "Helvetica"


def _latin(text: str, family: str) -> str:
    """Text the PDF's font can draw: all of it with DejaVu, Latin-1 with the fallback."""
    if family == "DejaVu":
        return text
    return text.encode("latin-1", "replace").decode("latin-1")


def write_pdf(slides: Sequence[DeckSlide], picture: Callable[[int], bytes | None],
              report: Report, say: Progress) -> bytes:
    """The slides as PDF pages (fpdf2, DejaVu); the pictures go onto their pages last."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(orientation="L", unit="pt", format=(SLIDE_H_IN * _PT, SLIDE_W_IN * _PT))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_IN * _PT, MARGIN_IN * _PT)
    family = _pdf_fonts(pdf)
    pdf.set_title(_latin(f"The cost of poor customer experience: {report.dataset.company}",
                         family))
    pdf.set_creator("cxroi")
    width = (SLIDE_W_IN - 2 * MARGIN_IN) * _PT
    left = MARGIN_IN * _PT
    waiting: list[tuple[int, int]] = []

    def write(text: str, top: float, size: float, *, colour: str = charts.INK,
              bold: bool = False, bottom: float | None = None) -> None:
        """Plain text from ``top`` (or ending at ``bottom``), wrapped to the page's width."""
        pdf.set_font(family, "B" if bold else "", size)
        pdf.set_text_color(*_pdf_rgb(colour))
        text = _latin(text, family)
        if bottom is not None:
            lines = pdf.multi_cell(width, size * 1.2, text, align="L", dry_run=True,
                                   output="LINES")
            top = bottom - size * 1.2 * len(lines)
        pdf.set_xy(left, top)
        pdf.multi_cell(width, size * 1.2, text, align="L", new_x="LMARGIN", new_y="NEXT")

    for index, spec in enumerate(slides):
        pdf.add_page()
        pdf.start_section(_latin(short(spec.title, 80), family))
        if spec.kind == "title":
            write(spec.title, 2.2 * _PT, 36, bold=True)
            write("\n".join(spec.lines), 3.5 * _PT, 20, colour=charts.MUTED)
        else:
            write(spec.title, 0, 22, bold=True, bottom=(TITLE_TOP + TITLE_H) * _PT)
            if spec.subtitle:
                write(spec.subtitle, SUB_TOP * _PT + 4, 12, colour=charts.MUTED)
        if spec.figure is not None and spec.kind in ("picture", "chart"):
            waiting.append((index, pdf.page))
        elif spec.kind == "numbers":
            _pdf_tiles(pdf, family, spec.rows)
        elif spec.kind == "assumptions" and spec.rows:
            _pdf_assumptions(pdf, family, spec.rows)
        elif spec.kind == "table":
            _pdf_table(pdf, family, spec.header, spec.rows)
        if spec.footnote:
            write(spec.footnote, FOOT_TOP * _PT, 9, colour=charts.MUTED)
    last = pdf.page
    for index, page in waiting:
        image = picture(index)
        if image is not None:
            pdf.page = page  # fpdf2 draws onto an earlier page when told its number
            pdf.image(Image.open(io.BytesIO(image)).convert("RGB"), x=left, y=PIC_TOP * _PT,
                      w=PICTURE_IN[0] * _PT, h=PICTURE_IN[1] * _PT)
    pdf.page = last
    say(0.95, "Saving the PDF")
    return bytes(pdf.output())


def _pdf_rgb(colour: str) -> tuple[int, int, int]:
    code = colour.lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


def _pdf_tiles(pdf: Any, family: str, rows: Sequence[tuple[str, str, str]]) -> None:
    """The headline numbers as tiles, four to a row, like the PowerPoint's."""
    if not rows:
        pdf.set_font(family, "", 20)
        pdf.set_text_color(*_pdf_rgb(charts.MUTED))
        pdf.set_xy(MARGIN_IN * _PT, 3.0 * _PT)
        pdf.cell(text="No iceberg inputs yet: upload a quarter of metrics.")
        return
    per_row, gap = 4, 0.25 * _PT
    tile_w = ((SLIDE_W_IN - 2 * MARGIN_IN) * _PT - gap * (per_row - 1)) / per_row
    tile_h = 2.15 * _PT
    for index, (label, value, _) in enumerate(list(rows)[:8]):
        x = MARGIN_IN * _PT + (index % per_row) * (tile_w + gap)
        y = (PIC_TOP + 0.15) * _PT + (index // per_row) * (tile_h + gap)
        pdf.set_fill_color(*_pdf_rgb("#F2F7FB"))
        pdf.rect(x, y, tile_w, tile_h, style="F")
        pdf.set_font(family, "", 14)
        pdf.set_text_color(*_pdf_rgb(charts.MUTED))
        pdf.set_xy(x + 11, y + tile_h / 2 - 34)
        pdf.multi_cell(tile_w - 22, 17, _latin(label, family), align="L")
        value = _latin(value, family)
        size = 30.0
        pdf.set_font(family, "B", size)
        while size > 14 and pdf.get_string_width(value) > tile_w - 22:
            size -= 2
            pdf.set_font(family, "B", size)
        pdf.set_text_color(*_pdf_rgb(charts.SEA))
        pdf.set_xy(x + 11, y + tile_h / 2 + 2)
        pdf.cell(tile_w - 22, 36, value)


def _pdf_assumptions(pdf: Any, family: str, rows: Sequence[tuple[str, ...]]) -> None:
    """The assumptions as two tables side by side: label, value, unit, check."""
    from fpdf.fonts import FontFace

    pdf.set_text_color(*_pdf_rgb(charts.INK))
    pdf.set_draw_color(*_pdf_rgb("#BBBBBB"))
    pdf.set_font(family, "", 12)
    half = math.ceil(len(rows) / 2)
    gap = 0.3 * _PT
    col_width = ((SLIDE_W_IN - 2 * MARGIN_IN) * _PT - gap) / 2
    for part, chunk in enumerate((rows[:half], rows[half:])):
        if not chunk:
            continue
        pdf.set_left_margin(MARGIN_IN * _PT + part * (col_width + gap))
        pdf.set_xy(pdf.l_margin, PIC_TOP * _PT)
        with pdf.table(width=col_width, col_widths=(38, 18, 14, 30), align="LEFT",
                       line_height=12 * 1.45, headings_style=FontFace(emphasis="BOLD"),
                       borders_layout="HORIZONTAL_LINES", text_align="LEFT",
                       cell_fill_color=_pdf_rgb("#F2F7FB"), cell_fill_mode="ROWS") as table:
            for cells in (("Assumption", "Value", "Unit", "Check"), *chunk):
                row = table.row()
                for cell in cells:
                    row.cell(_latin(cell, family))
    pdf.set_left_margin(MARGIN_IN * _PT)


def _pdf_table(pdf: Any, family: str, header: Sequence[str],
               rows: Sequence[tuple[str, ...]]) -> None:
    """A table across the page (the action plans), like the PowerPoint's: plain text."""
    from fpdf.fonts import FontFace

    pdf.set_text_color(*_pdf_rgb(charts.INK))
    pdf.set_draw_color(*_pdf_rgb("#BBBBBB"))
    pdf.set_font(family, "", 12)
    pdf.set_xy(MARGIN_IN * _PT, (PIC_TOP + 0.1) * _PT)
    widths = tuple(round(share * 100) for share in table_shares(len(header)))
    with pdf.table(width=(SLIDE_W_IN - 2 * MARGIN_IN) * _PT, col_widths=widths, align="LEFT",
                   line_height=12 * 1.45, headings_style=FontFace(emphasis="BOLD"),
                   borders_layout="HORIZONTAL_LINES", text_align="LEFT",
                   cell_fill_color=_pdf_rgb("#F2F7FB"), cell_fill_mode="ROWS") as table:
        for cells in (tuple(header), *list(rows)[:14]):
            row = table.row()
            for cell in cells:
                row.cell(_latin(cell, family))
