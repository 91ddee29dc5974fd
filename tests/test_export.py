"""Take it to the meeting: chart PNGs, the PowerPoint and PDF deck, and the data downloads.

One Chromium exporter serves the whole module (the process's own, `cxroi.export.exporter`),
and each real deck is built once per module; tests about text handling and empty data use a
stand-in renderer that returns a tiny PNG, so they cost no browser time.
"""

from __future__ import annotations

import datetime as dt
import doctest
import io
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from cxroi import charts, export
from cxroi.cli import main
from cxroi.demo import load_demo
from cxroi.models import CxroiError, assumption_info
from cxroi.report import Report, build_report
from cxroi.store import Store, forget_store

from .helpers import upload

APP = str(Path(__file__).resolve().parents[1] / "app.py")
HOSTILE_SEGMENT = '=HYPERLINK("http://x")'
HOSTILE_NAME = "<script>alert(1)</script>"
WIDESCREEN = (Emu(12192000), Emu(6858000))  # 13.333 x 7.5 in


# --- helpers ---------------------------------------------------------------------------------


def png_size(blob: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert blob[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", blob[16:24])


def tiny_png(width: int = 16, height: int = 9) -> bytes:
    """A valid white RGB PNG, built by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                                0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class StandInRenderer:
    """Renders nothing: each `png` is a tiny white picture; counts the calls."""

    running = True

    def __init__(self) -> None:
        self.calls = 0

    def png(self, fig: dict, **size: object) -> bytes:
        assert isinstance(fig, dict) and "layout" in fig
        self.calls += 1
        return tiny_png()

    def problem(self) -> None:
        return None


def _unescape(literal: bytes) -> bytes:
    """A PDF literal string's bytes, escapes resolved."""
    out, i = bytearray(), 0
    simple = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(literal):
        ch = literal[i]
        if ch != 0x5C:
            out.append(ch)
            i += 1
            continue
        nxt = literal[i + 1]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif 0x30 <= nxt <= 0x37:
            digits = re.match(rb"[0-7]{1,3}", literal[i + 1:i + 4]).group(0)
            out.append(int(digits, 8) & 0xFF)
            i += 1 + len(digits)
        else:
            out.append(nxt)
            i += 2
    return bytes(out)


def pdf_pages_text(blob: bytes) -> list[str]:
    """The text of each page of an fpdf2 PDF (pypdf is not installed here).

    Reads the objects, inflates the streams, builds each font's ToUnicode map and decodes
    the two-byte strings shown with ``Tj`` under the font selected by ``Tf``.
    """
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", blob, re.S)}

    def stream(number: int) -> bytes:
        body = objects[number]
        data = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S).group(1)
        return zlib.decompress(data) if b"/FlateDecode" in body.split(b"stream")[0] else data

    def cmap(number: int) -> dict[int, str]:
        text, table = stream(number).decode("latin-1"), {}
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                table[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>",
                                          block):
                for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    table[code] = chr(int(dst, 16) + offset)
        return table

    root = next(body for body in objects.values() if b"/Type /Pages" in body)
    pages = [int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[(.*?)\]", root,
                                                                 re.S).group(1))]
    texts = []
    for page in pages:
        body = objects[page]
        resources = objects[int(re.search(rb"/Resources (\d+) 0 R", body).group(1))]
        fonts = {}
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", resources):
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)])
            fonts[name.decode()] = cmap(int(unicode_ref.group(1))) if unicode_ref else None
        content = stream(int(re.search(rb"/Contents (\d+) 0 R", body).group(1)))
        font, shown = None, []
        for match in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", content, re.S):
            if match.group(1):
                font = fonts.get(match.group(1).decode())
                continue
            raw = _unescape(match.group(2))
            if font is None:
                shown.append(raw.decode("latin-1"))
            else:
                codes = struct.unpack(f">{len(raw) // 2}H", raw)
                shown.append("".join(font.get(code, "?") for code in codes))
        texts.append(" ".join(shown))
    return texts


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo, plus a segment and a metric with hostile names and a hostile department."""
    store = Store(tmp_path_factory.mktemp("export") / "export.duckdb")
    load_demo(store)
    upload(store, "metrics", [
        (period, HOSTILE_SEGMENT, metric, value)
        for period, scale in (("2026Q2", 1.0), ("2026Q3", 1.2))
        for metric, value in (("service_contacts", 900 * scale), ("customers_lost", 12 * scale),
                              ("refunds_credits", 4000 * scale))
    ] + [(period, HOSTILE_SEGMENT, HOSTILE_NAME, value, "count")
         for period, value in (("2026Q2", 10), ("2026Q3", 14))], name="hostile.csv",
        source=HOSTILE_NAME, scope=HOSTILE_SEGMENT)
    upload(store, "effort", [("2026Q3", HOSTILE_NAME, tier, hours, loop) for tier, hours, loop
                             in (("TM", 120, "inner"), ("EM", 60, "inner"), ("EL", 20, "outer"))],
           name="effort.csv")
    yield store
    store.close()


@pytest.fixture(scope="module")
def report(store: Store) -> Report:
    return build_report(store.dataset(), store.scenario("Baseline"))


@pytest.fixture(scope="module")
def hostile_report(store: Store) -> Report:
    return build_report(store.dataset(HOSTILE_SEGMENT), store.scenario("Baseline"))


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


@pytest.fixture(scope="module")
def pdf_blob(report: Report) -> bytes:
    assert export.chromium_problem() is None, "Debian's Chromium is missing: run `make test`"
    return export.build_deck(report, "pdf")


@pytest.fixture(scope="module")
def slides(report: Report) -> list[export.DeckSlide]:
    return export.deck_slides(report)


# --- chart PNGs and the one exporter ---------------------------------------------------------


class TestChartPng:
    def test_a_chart_is_a_slide_size_png_with_its_footnote_inside(self, report):
        fig = export.chart_figure(report, "iceberg")
        assert charts.footnote_text(fig).startswith("DEMO DATA")  # the footnote is in it
        assert png_size(export.figure_png(fig)) == export.SLIDE_PX == (1600, 900)

    def test_threads_exporting_at_once_each_get_their_own_image(self):
        """kaleido's shared server hands images to the wrong caller; the lock prevents it.
        Each thread asks for a figure with its own title at its own size."""
        results: dict[int, tuple[int, int]] = {}
        errors: list[BaseException] = []
        start = threading.Barrier(6)

        def work(i: int) -> None:
            fig = charts.finish(go.Figure(go.Bar(x=["a", "b"], y=[i, i + 1])),
                                title=f"Thread {i} of 6", footnote=f"Footnote of thread {i}")
            try:
                start.wait()
                results[i] = png_size(export.figure_png(fig, width=400 + 24 * i,
                                                        height=300 + 10 * i))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not errors
        assert results == {i: (400 + 24 * i, 300 + 10 * i) for i in range(6)}

    def test_the_process_has_one_exporter(self):
        assert export.exporter() is export.exporter()


class TestChromiumMissing:
    def test_one_clear_message_and_the_numbers_still_work(self, report):
        broken = export.ChartExporter("/nonexistent/chromium")
        with pytest.raises(CxroiError, match=r"^Chart images need Chromium at "
                                             r"/nonexistent/chromium: "):
            broken.png(go.Figure())
        assert broken.problem().startswith("Chart images need Chromium at /nonexistent/chromium")
        with pytest.raises(CxroiError, match="Chart images need Chromium"):
            export.build_deck(report, "pptx", renderer=broken)
        assert not broken.running
        assert len(export.chart_frame(report, "iceberg")) > 0  # the rest keeps working

    def test_a_browser_that_fails_to_start_is_one_message_and_remembered(self, tmp_path):
        fake = tmp_path / "chromium"
        fake.write_text("#!/bin/sh\nexit 3\n")
        fake.chmod(0o755)
        broken = export.ChartExporter(str(fake), timeout=20)
        with pytest.raises(CxroiError, match=r"^Chart images need Chromium at .*: it failed "
                                             r"to start \("):
            broken.png(go.Figure())
        assert broken.problem().startswith("Chart images need Chromium")
        with pytest.raises(CxroiError):  # remembered: no second wait for a broken browser
            broken.png(go.Figure())


# --- the PowerPoint --------------------------------------------------------------------------


class TestPowerPoint:
    def test_widescreen_and_one_slide_per_picture(self, deck, slides):
        assert (deck.slide_width, deck.slide_height) == WIDESCREEN
        assert len(deck.slides) == len(slides) == 10
        assert [s.kind for s in slides] == ["title", "numbers", "chart", "picture", "picture",
                                            "picture", "picture", "chart", "chart",
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
        relative, effort, loop = (deck.slides[i] for i in (2, 7, 8))
        chart = next(s for s in relative.shapes if s.has_chart).chart
        assert len(chart.plots[0].categories) == sum(b.relative is not None
                                                     for b in report.relative.bars)
        bars = next(s for s in effort.shapes if s.has_chart).chart
        assert [s.name for s in bars.plots[0].series] == ["Experience Leadership",
                                                          "Experience Management",
                                                          "Touchpoint Management"]
        assert list(bars.plots[0].categories)[-1] == "Company"  # on top, as on screen
        assert any(s.has_chart for s in loop.shapes)

    def test_titles_are_the_takeaways(self, deck, report):
        berg = report.iceberg_for(report.relative.period)
        titles = [slide.shapes.title.text_frame.text for slide in deck.slides]
        assert titles[1] == titles[3] == charts.iceberg_headline(berg)
        assert titles[2] == charts.relative_headline(report.relative)
        assert titles[6] == charts.melt_headline(report.melt)
        company = next(s for s in report.effort if s.period == report.relative.period
                       and s.department == "All")
        a = report.scenario.assumptions
        assert titles[7] == charts.effort_headline(company, a.el_target_share)
        assert titles[8] == charts.loop_headline(company, a.outer_loop_target_share)

    def test_footnote_on_the_slide_and_in_the_notes(self, deck, slides, report):
        checked = 0
        for slide, spec in zip(deck.slides, slides, strict=True):
            if spec.kind in ("title", "assumptions"):
                continue
            assert spec.footnote
            assert spec.footnote in slide_texts(slide)
            assert spec.footnote in slide.notes_slide.notes_text_frame.text
            checked += 1
        assert checked == 8
        assert slides[3].footnote == report.footnote("iceberg").text()
        assert slides[2].footnote == report.footnote("relative").text()
        assert slides[7].footnote == report.footnote("effort").text()

    def test_closing_slide_lists_every_assumption_with_value_and_unit(self, deck, report):
        rows = []
        for shape in deck.slides[-1].shapes:
            if shape.has_table:
                rows += [tuple(cell.text for cell in row.cells) for row in shape.table.rows]
        a = report.scenario.assumptions
        for info in assumption_info():
            assert (info.label, export.show_assumption(info, getattr(a, info.key)),
                    info.unit) in rows

    def test_progress_goes_from_zero_to_one(self, pptx_build):
        steps = pptx_build[1]
        done = [d for d, _ in steps]
        assert done[0] == 0.0 and done[-1] == 1.0 and done == sorted(done)
        assert sum("Rendering picture" in text for _, text in steps) == 4

    def test_hostile_names_stay_text_in_the_native_charts_workbook(self, deck):
        """python-pptx's XlsxWriter would turn '=...' into a formula behind 'Edit data'."""
        effort = next(s for s in deck.slides[7].shapes if s.has_chart).chart
        assert HOSTILE_NAME in list(effort.plots[0].categories)
        for slide in deck.slides:
            for shape in slide.shapes:
                if not shape.has_chart:
                    continue
                book = openpyxl.load_workbook(io.BytesIO(
                    shape.chart.part.chart_workbook.xlsx_part.blob))
                cells = [c for row in book.active.iter_rows() for c in row]
                assert not [c.value for c in cells if c.data_type == "f"]


# --- the PDF -----------------------------------------------------------------------------


class TestPdf:
    def test_same_slides_as_pages_with_titles_and_footnotes(self, pdf_blob, slides):
        pages = [squash(text) for text in pdf_pages_text(pdf_blob)]
        assert len(pages) == len(slides) == 10
        for page, spec in zip(pages, slides, strict=True):
            assert squash(spec.title) in page
            if spec.footnote:
                assert squash(spec.footnote) in page

    def test_pictures_on_every_chart_page(self, pdf_blob):
        assert pdf_blob.count(b"/Subtype /Image") == 7  # native charts become pictures
        assert b"DejaVu" in pdf_blob


# --- hostile names, empty data, the deck's contract ----------------------------------------


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
        assert fake.calls == 4

    def test_a_hostile_segment_is_plain_text_in_the_pdf(self, hostile_report):
        blob = export.build_deck(hostile_report, "pdf", renderer=StandInRenderer())
        pages = pdf_pages_text(blob)
        assert HOSTILE_SEGMENT in pages[0]
        assert HOSTILE_NAME in squash(pages[3])
        assert b"/URI" not in blob and b"/JavaScript" not in blob

    def test_csv_and_xlsx_neutralise_text_cells_not_numbers(self, hostile_report):
        frame = export.chart_frame(hostile_report, "relative")
        assert set(frame["segment"]) == {HOSTILE_SEGMENT}
        assert HOSTILE_NAME in set(frame["metric"])
        text = export.to_csv_bytes(frame).decode("utf-8-sig")
        assert f"'{HOSTILE_SEGMENT}".replace('"', '""') in text
        assert "\n=" not in text and ",=" not in text
        book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(
            frame, sheet="relative", footnote=export.chart_footnote(hostile_report,
                                                                   "relative"))))
        sheet = book["relative"]
        header = [c.value for c in sheet[1]]
        cells = [c for row in book.worksheets for line in row.iter_rows() for c in line]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        segments = {row[header.index("segment")].value for row in sheet.iter_rows(min_row=2)}
        assert segments == {f"'{HOSTILE_SEGMENT}"}
        metrics = {row[header.index("metric")].value for row in sheet.iter_rows(min_row=2)}
        assert HOSTILE_NAME in metrics  # not a formula: left as written

    def test_neutralise_prefixes_every_formula_start_and_leaves_numbers(self):
        import pandas as pd

        frame = pd.DataFrame({"name": ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "fine",
                                       None], "value": [-1.0, 2.0, -3.5, 0.0, 1.0, 2.0, 3.0,
                                                        4.0]})
        out = export.neutralise(frame)
        assert list(out["name"])[:7] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx",
                                         "fine"]
        assert out["name"].isna().iloc[-1]
        assert list(out["value"]) == list(frame["value"])
        book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(frame)))
        values = [row[1].value for row in book.active.iter_rows(min_row=2)]
        assert values == [-1.0, 2.0, -3.5, 0.0, 1.0, 2.0, 3.0, 4.0]
        assert "-3.5" in export.to_csv_bytes(frame).decode("utf-8-sig")


class TestTheNumbers:
    def test_doctests(self):
        assert doctest.testmod(export).failed == 0

    @pytest.mark.parametrize("chart", list(export.CHARTS))
    def test_every_chart_has_its_numbers_and_downloads(self, report, chart):
        frame = export.chart_frame(report, chart)
        assert len(frame) > 0
        assert export.to_csv_bytes(frame).startswith(b"\xef\xbb\xbf")
        book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(frame, sheet=chart)))
        assert book.active.max_row == len(frame) + 1

    def test_the_relative_numbers_match_the_report(self, report):
        frame = export.chart_frame(report, "relative")
        assert list(frame["metric"]) == [bar.metric for bar in report.relative.bars]
        assert list(frame["relative"].fillna(-99)) == [-99 if b.relative is None else b.relative
                                                       for b in report.relative.bars]

    def test_unknown_chart_is_a_plain_error(self, report):
        with pytest.raises(CxroiError, match="no chart 'pie'"):
            export.chart_frame(report, "pie")
        with pytest.raises(CxroiError, match="table"):
            export.chart_figure(report, "assumptions")


class FailingRenderer(StandInRenderer):
    def png(self, fig: dict, **size: object) -> bytes:
        super().png(fig, **size)
        if self.calls == 2:
            raise CxroiError("Chart images need Chromium at /usr/bin/chromium: it failed (x).")
        return tiny_png()


class TestDeckContract:
    def test_a_picture_that_fails_fails_the_deck_with_one_message(self, report):
        for fmt in ("pptx", "pdf"):
            with pytest.raises(CxroiError, match="^Chart images need Chromium"):
                export.build_deck(report, fmt, renderer=FailingRenderer())

    def test_an_empty_database_still_makes_a_deck(self, tmp_path):
        store = Store(tmp_path / "empty.duckdb")
        try:
            empty = build_report(store.dataset(), store.scenario("Baseline"))
            blob = export.build_deck(empty, "pdf", renderer=StandInRenderer())
            assert blob.startswith(b"%PDF") and len(pdf_pages_text(blob)) == 10
            deck = Presentation(io.BytesIO(export.build_deck(empty, "pptx",
                                                             renderer=StandInRenderer())))
            assert len(deck.slides) == 10
            assert "No cost of poor experience recorded yet" in slide_texts(deck.slides[1])
        finally:
            store.close()

    def test_slide_pictures_drop_the_title_and_footnote_the_slide_carries(self, report):
        fig = export.chart_figure(report, "iceberg")
        picture = export.slide_figure(fig)
        assert charts.footnote_text(picture) == ""
        assert not picture.layout.title.text
        assert charts.footnote_text(fig)  # the original is untouched

    def test_the_format_is_pptx_or_pdf(self, report, tmp_path):
        with pytest.raises(CxroiError, match=r"\.pptx or \.pdf"):
            export.export_deck(report, tmp_path / "deck.key", renderer=StandInRenderer())
        out = export.export_deck(report, tmp_path / "deck.PDF", renderer=StandInRenderer())
        assert out.read_bytes().startswith(b"%PDF")
        assert not list(tmp_path.glob(".*partial"))


def test_cli_exports_the_deck(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, out = tmp_path / "cli.duckdb", tmp_path / "out.pptx"
    try:
        assert main(["--db", str(db), "demo"]) == 0
        assert main(["--db", str(db), "export", "deck", str(out)]) == 0
        assert capsys.readouterr().out.strip().endswith(f"Wrote {out}.")
        deck = Presentation(str(out))
        assert len(deck.slides) == 10
        assert main(["--db", str(db), "export", "deck", str(tmp_path / "out.txt")]) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and len(err.splitlines()) == 1
    finally:
        forget_store(db)


# --- the page: pages/export.py ---------------------------------------------------------------




def export_page(monkeypatch: pytest.MonkeyPatch, renderer: object) -> AppTest:
    monkeypatch.setattr(export, "exporter", lambda: renderer)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/export.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def download_buttons(at: AppTest) -> list:
    return at.get("download_button")


class TestExportPage:
    def test_build_the_deck_with_progress_then_download_it(self, app_db, monkeypatch):
        fake = StandInRenderer()
        at = export_page(monkeypatch, fake)
        labels = [b.proto.label for b in download_buttons(at)]
        pictures = sum(spec.figure is not None for spec in export.CHARTS.values())
        assert labels.count("PNG") == pictures and labels.count("CSV") == len(export.CHARTS)
        assert labels.count("Excel") == len(export.CHARTS)
        assert not at.warning
        at.button[0].click().run()
        assert not at.exception and not at.error
        assert at.get("status")[0].proto.label == "The PowerPoint deck is ready"
        assert fake.calls == 4
        labels = [b.proto.label for b in download_buttons(at)]
        assert labels[0] == "Download the PowerPoint deck"

    def test_without_chromium_one_message_and_the_numbers_still_download(self, app_db,
                                                                          monkeypatch):
        at = export_page(monkeypatch, export.ChartExporter("/nonexistent/chromium"))
        assert [w.value for w in at.warning][0].startswith(
            "Chart images need Chromium at /nonexistent/chromium:")
        assert at.button[0].proto.disabled  # the deck needs pictures
        buttons = download_buttons(at)
        assert all(b.proto.disabled for b in buttons if b.proto.label == "PNG")
        assert not any(b.proto.disabled for b in buttons if b.proto.label in ("CSV", "Excel"))
