"""The report's pictures go into the PDF as they are: same pixels, no second encoding."""
from __future__ import annotations

import base64
import io
import zlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from relkit.pipeline import pdf


def png(mode: str, size=(37, 23), **save) -> bytes:
    rng = np.random.default_rng(7)
    channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
    pixels = rng.integers(0, 256, size=(size[1], size[0], channels), dtype=np.uint8)
    if mode == "RGBA":
        pixels[..., 3] = 255
        pixels[:5, :5, 3] = 0  # a transparent corner
    image = Image.fromarray(pixels[..., 0] if mode == "L" else pixels, mode)
    buf = io.BytesIO()
    image.save(buf, format="png", **save)
    return buf.getvalue()


def test_the_scanlines_of_an_rgb_or_grey_png():
    for mode, channels in (("RGB", 3), ("L", 1)):
        data = png(mode)
        scanlines = zlib.decompress(pdf.png_scanlines(data))
        assert len(scanlines) == 23 * (1 + 37 * channels)  # a filter byte, then the row


def test_other_pngs_go_weasyprints_way():
    assert pdf.png_scanlines(png("RGBA")) is None  # its alpha becomes a separate mask
    plain = png("RGB")  # Pillow writes no interlaced PNG: the same file with the IHDR's interlace flag set
    interlaced = plain[:8 + 8 + 12] + b"\x01" + plain[8 + 8 + 13:]
    assert pdf.png_scanlines(plain) is not None and pdf.png_scanlines(interlaced) is None
    sixteen = io.BytesIO()
    Image.fromarray(np.full((4, 4), 40000, dtype=np.uint16)).save(sixteen, format="png")
    assert pdf.png_scanlines(sixteen.getvalue()) is None
    palette = io.BytesIO()
    Image.new("P", (4, 4)).save(palette, format="png")
    assert pdf.png_scanlines(palette.getvalue()) is None
    assert pdf.png_scanlines(b"\xff\xd8\xff\xe0 a JPEG") is None
    assert pdf.png_scanlines(png("RGB")[:60]) is None  # truncated


@given(st.binary(max_size=200))
def test_any_bytes_give_scanlines_or_none(data):
    result = pdf.png_scanlines(b"\x89PNG\r\n\x1a\n" + data)
    assert result is None or isinstance(result, bytes)


def _pdf_pictures(pdf) -> list[np.ndarray]:
    return [np.asarray(image.image.convert("RGB")) for page in PdfReader(pdf).pages for image in page.images]


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA"])
def test_the_pdf_holds_the_same_pixels(tmp_path, mode):
    data = png(mode)
    html = f'<p>Graphique</p><img src="data:image/png;base64,{base64.b64encode(data).decode()}" style="width: 37px">'
    assert pdf.write_pdf(html, tmp_path / "r.pdf", base_url=tmp_path) == 1
    (got,) = _pdf_pictures(tmp_path / "r.pdf")
    expected = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    if mode == "RGBA":  # WeasyPrint keeps the colour and moves the alpha to a mask
        expected = np.asarray(Image.open(io.BytesIO(data)))[..., :3]
    assert np.array_equal(got, expected)


def test_weasyprint_no_longer_encodes_an_rgb_png(tmp_path, monkeypatch):
    pdf.embed_pngs_as_they_are()
    data = png("RGB")
    saved = []
    real_save = Image.Image.save
    monkeypatch.setattr(Image.Image, "save", lambda self, *a, **k: saved.append(self.mode) or real_save(self, *a, **k))
    html = f'<img src="data:image/png;base64,{base64.b64encode(data).decode()}">'
    pdf.write_pdf(html, tmp_path / "r.pdf", base_url=tmp_path)
    assert saved == []
    assert pdf.embed_pngs_as_they_are() is True  # installed once, idempotent
