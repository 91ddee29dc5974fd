"""The deck built with progress and written to a file: `cxroi.export.build`, and the CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation

from cxroi import export
from cxroi.cli import main
from cxroi.models import CxroiError
from cxroi.report import build_report
from cxroi.store import Store, forget_store

from .support import FailingRenderer, StandInRenderer, pdf_pages_text, slide_texts


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
            assert blob.startswith(b"%PDF") and len(pdf_pages_text(blob)) == 11
            deck = Presentation(io.BytesIO(export.build_deck(empty, "pptx",
                                                             renderer=StandInRenderer())))
            assert len(deck.slides) == 11
            assert "No cost of poor experience recorded yet" in slide_texts(deck.slides[1])
        finally:
            store.close()

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
        # the eleven of "how big", revenue at risk, the key drivers (the demo has ratings),
        # the vital few, the plans' table and timeline
        assert len(deck.slides) == 16
        titles = [slide.shapes.title.text_frame.text for slide in deck.slides]
        assert "of what drives likelihood to recommend" in titles[11]
        assert titles[12].endswith("of the themed money")
        assert main(["--db", str(db), "export", "deck", str(tmp_path / "out.txt")]) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and len(err.splitlines()) == 1
    finally:
        forget_store(db)


def test_cli_exports_a_slide_per_work_group(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "groups.duckdb"
    try:
        assert main(["--db", str(db), "demo"]) == 0
        store = Store(db)
        report = build_report(store.dataset(), store.scenario("Baseline"),
                              drilldown=store.drilldown("All"))
        store.close()
        forget_store(db)
        known = export.work_groups(report)
        assert known[:2] == ["Operations", "Finance"]  # by their biggest theme's money
        out = tmp_path / "two.pptx"
        assert main(["--db", str(db), "export", "deck", str(out), "--group", "Finance",
                     "--group", "Operations"]) == 0
        deck = Presentation(str(out))
        assert len(deck.slides) == 18
        titles = [slide.shapes.title.text_frame.text for slide in deck.slides]
        assert titles[13].startswith("Operations: find the root causes of Late delivery")
        assert titles[14].startswith("Finance: ")  # the deck's order, not the asking order
        chart = next(s for s in deck.slides[13].shapes if s.has_chart).chart
        mine = [t for t in report.themes.items if t.department == "Operations"]
        assert list(chart.plots[0].categories) == [t.theme for t in reversed(mine)]
        drawn = [v for series in chart.plots[0].series for v in series.values if v is not None]
        assert sorted(round(v, 2) for v in drawn) == sorted(round(t.money, 2) for t in mine)
        assert "Work group: Operations." in deck.slides[13].notes_slide.notes_text_frame.text

        every = tmp_path / "every.pdf"
        assert main(["--db", str(db), "export", "deck", str(every), "--groups"]) == 0
        assert len(pdf_pages_text(every.read_bytes())) == 16 + len(known)
        capsys.readouterr()
        assert main(["--db", str(db), "export", "deck", str(out), "--group", "Nobody"]) == 1
        err = capsys.readouterr().err.strip()
        assert err == ("error: There is no work group 'Nobody' in the 2026Q3 themes; work "
                       f"groups: {', '.join(known)}.")
    finally:
        forget_store(db)
