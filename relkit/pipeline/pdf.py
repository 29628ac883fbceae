"""The report's PDF, printed by WeasyPrint.

Kept apart from ``render`` (nbconvert, the HTML) so that the printer process
(``relkit.pipeline.printer``) imports WeasyPrint and nothing it does not use.
"""
from __future__ import annotations

import io
import logging
import struct
from pathlib import Path

from relkit.pipeline import startup

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_scanlines(data: bytes) -> bytes | None:
    """The compressed scanlines (IDAT) of an 8-bit, non-interlaced grey or RGB PNG, else None.

    A PDF image stream with the PNG predictor holds exactly these bytes, which is how
    WeasyPrint embeds a PNG: it decodes the picture and encodes it again as PNG (zlib
    level 6) only to read the IDAT chunks back, ~1 CPU-second for the report's 18 charts."""
    if not data.startswith(_PNG_SIGNATURE):
        return None
    pos, chunks = len(_PNG_SIGNATURE), []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            return None  # truncated
        if kind == b"IHDR":
            depth, colour, interlace = body[8], body[9], body[12]
            if depth != 8 or colour not in (0, 2) or interlace:
                return None
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            return b"".join(chunks) or None
        pos += 12 + length
    return None


def embed_pngs_as_they_are() -> bool:
    """Have WeasyPrint embed an 8-bit grey or RGB PNG's own scanlines instead of re-encoding
    the picture (same pixels; see ``png_scanlines``). Any other image goes WeasyPrint's way.
    Returns False when this WeasyPrint has no such step (then nothing is changed)."""
    from weasyprint import images  # noqa: PLC0415

    found = images.RasterImage.__dict__.get("_get_png_data")
    if not isinstance(found, staticmethod):
        return False
    if getattr(found.__func__, "relkit_as_is", False):
        return True
    reencode = found.__func__

    def get_png_data(pillow_image):
        source = getattr(pillow_image, "fp", None)
        if isinstance(source, io.BytesIO) and pillow_image.format == "PNG" and pillow_image.mode in ("RGB", "L"):
            scanlines = png_scanlines(source.getvalue())
            if scanlines is not None:
                return scanlines
        return reencode(pillow_image)

    get_png_data.relkit_as_is = True
    images.RasterImage._get_png_data = staticmethod(get_png_data)
    return True


def write_pdf(html: str, target: Path, base_url: Path) -> int:
    """Print the report with WeasyPrint; return its page count."""
    from weasyprint import HTML  # imported late: ~0.5 s, only needed here

    for name in ("weasyprint", "fontTools", "fontTools.subset", "fontTools.ttLib"):
        logging.getLogger(name).setLevel(logging.ERROR)
    embed_pngs_as_they_are()
    with startup.cyclic_gc_paused():
        document = HTML(string=html, base_url=str(base_url)).render()
        document.write_pdf(str(target))
        return len(document.pages)
