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
        assert len(deck.slides) == 11
        assert main(["--db", str(db), "export", "deck", str(tmp_path / "out.txt")]) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and len(err.splitlines()) == 1
    finally:
        forget_store(db)
