"""Take it to the meeting: chart PNGs, the PowerPoint and PDF deck, and the data downloads.

Every picture is the app's own figure (`cxroi.charts`, same template, footnote inside),
rendered by kaleido with Debian's Chromium on the process's one `ChartExporter`. The deck
is a list of format-neutral `DeckSlide` objects (`deck_slides`), written as a 16:9
PowerPoint (plain bars as native, editable charts; the iceberg and the rest as pictures;
the footnote on every slide and in its speaker notes) or as a PDF with the same content.

==========================  ==============================================================
module                      what it holds
==========================  ==============================================================
`~cxroi.export.frames`      the numbers behind each chart as data frames; `CHARTS`
`~cxroi.export.sheets`      CSV and XLSX that cannot run formulas
`~cxroi.export.render`      one warm Chromium per process, behind a lock
`~cxroi.export.deck`        the format-neutral deck: slides, native charts, slide layout
`~cxroi.export.pptx`        the PowerPoint writer
`~cxroi.export.pdf`         the PDF writer
`~cxroi.export.build`       the deck built with progress, and written to a file
==========================  ==============================================================

==========================  ==============================================================
name                        what it gives
==========================  ==============================================================
`CHARTS`                    every exportable chart by name (`cxroi.charts.CHARTS`' names,
                            plus ``overview`` and ``assumptions``): figure and numbers
`chart_figure`              a chart's `go.Figure` for a `Report`
`chart_frame`               the numbers behind a chart, as a pandas DataFrame
`chart_footnote`            the footnote a chart carries, as plain text
`neutralise`                text cells made inert for spreadsheets (formula injection)
`to_csv_bytes`              a frame as UTF-8 CSV (with BOM, for Excel), neutralised
`to_xlsx_bytes`             a frame as an .xlsx workbook, neutralised
`ChartExporter`             one warm Chromium behind a lock: `png(fig)` -> bytes
`exporter`                  the process's one `ChartExporter` (stopped at exit)
`figure_png`                a figure as a PNG at slide size (1600 x 900)
`chromium_problem`          why chart images cannot be made here, or none
`deck_slides`               the deck's slides: title, overview, pictures, the drill-down,
                            assumptions
`deck_outline`              the deck's slides in one sentence (the export page's caption)
`work_groups`               the departments that own themes (a slide each on request)
`DRIVERS_OUTCOME`           the outcome item the deck's key drivers explain
`slide_spec`                a figure for a slide: title and footnote left to the slide
`build_deck`                the deck as .pptx or .pdf bytes, with a progress callback
`export_deck`               the deck written to ``OUT.pptx`` or ``OUT.pdf``
==========================  ==============================================================

The names here are re-exported from their modules. The code inside the package looks the
process's exporter up in `cxroi.export.render` (``render.exporter``), so a stand-in for it
goes there; callers of ``cxroi.export.exporter`` see this package's name.
"""

from __future__ import annotations

from cxroi.export.build import build_deck, export_deck
from cxroi.export.deck import (DRIVERS_OUTCOME, PICTURE_PX, PICTURE_SCALE, DeckSlide,
                               NativeChart, Progress, deck_outline, deck_slides, slide_spec,
                               work_groups)
from cxroi.export.frames import CHARTS, ChartSpec, chart_figure, chart_footnote, chart_frame
from cxroi.export.render import (CHROMIUM, SLIDE_PX, ChartExporter, chromium_problem, exporter,
                                 figure_png)
from cxroi.export.sheets import neutralise, to_csv_bytes, to_xlsx_bytes

__all__ = [
    "CHROMIUM",
    "SLIDE_PX",
    "CHARTS",
    "ChartSpec",
    "chart_figure",
    "chart_frame",
    "chart_footnote",
    "neutralise",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "ChartExporter",
    "exporter",
    "figure_png",
    "chromium_problem",
    "NativeChart",
    "DeckSlide",
    "deck_slides",
    "deck_outline",
    "work_groups",
    "DRIVERS_OUTCOME",
    "slide_spec",
    "PICTURE_PX",
    "PICTURE_SCALE",
    "build_deck",
    "export_deck",
    "Progress",
]
