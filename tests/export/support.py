"""What the export tests share: hostile names, hand-built PNGs, stand-in renderers, readers.

Tests about text handling and empty data use a stand-in renderer that returns a tiny PNG,
so they cost no browser time; the PDF and PowerPoint readers look inside the decks.
"""

from __future__ import annotations

import re
import struct
import zlib

from pptx.util import Emu

from cxroi.models import CxroiError

HOSTILE_SEGMENT = '=HYPERLINK("http://x")'
HOSTILE_NAME = "<script>alert(1)</script>"
WIDESCREEN = (Emu(12192000), Emu(6858000))  # 13.333 x 7.5 in


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

    def warm(self) -> None:
        self.warmed = True


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


class FailingRenderer(StandInRenderer):
    def png(self, fig: dict, **size: object) -> bytes:
        super().png(fig, **size)
        if self.calls == 2:
            raise CxroiError("Chart images need Chromium at /usr/bin/chromium: it failed (x).")
        return tiny_png()

