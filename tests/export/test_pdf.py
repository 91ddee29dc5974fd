"""The PDF: `cxroi.export.pdf`.

The real PDF is built once for this module, on the process's own Chromium exporter.
"""

from __future__ import annotations

import pytest

from cxroi import export
from cxroi.report import Report

from .support import HOSTILE_NAME, HOSTILE_SEGMENT, StandInRenderer, pdf_pages_text, squash


@pytest.fixture(scope="module")
def pdf_blob(report: Report) -> bytes:
    assert export.chromium_problem() is None, "Debian's Chromium is missing: run `make test`"
    return export.build_deck(report, "pdf")


class TestPdf:
    def test_same_slides_as_pages_with_titles_and_footnotes(self, pdf_blob, slides):
        pages = [squash(text) for text in pdf_pages_text(pdf_blob)]
        assert len(pages) == len(slides) == 15
        for page, spec in zip(pages, slides, strict=True):
            assert squash(spec.title) in page
            if spec.footnote:
                assert squash(spec.footnote) in page

    def test_pictures_on_every_chart_page(self, pdf_blob):
        # native charts become pictures: 10 of the 15 pages (not the title, the headline
        # numbers, revenue at risk, the plans' table or the assumptions)
        assert pdf_blob.count(b"/Subtype /Image") == 10
        assert b"DejaVu" in pdf_blob


class TestHostileNames:
    def test_a_hostile_segment_is_plain_text_in_the_pdf(self, hostile_report):
        blob = export.build_deck(hostile_report, "pdf", renderer=StandInRenderer())
        pages = pdf_pages_text(blob)
        assert HOSTILE_SEGMENT in pages[0]
        assert HOSTILE_NAME in squash(pages[3])
        assert b"/URI" not in blob and b"/JavaScript" not in blob
