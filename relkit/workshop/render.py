"""The workshop's live figures as PNG, fast enough to follow the room.

``figure_png`` draws a figure once: ``savefig(bbox_inches="tight")`` draws it
twice (once to measure, once to paint), and a figure laid out by
``tight_layout`` gets a second measuring pass too. Here the figure is painted
once and the picture is cut to the box its artists need (plus the same 0.1 in
margin savefig adds); a figure whose artists reach outside it falls back to
savefig's tight box.

Most of a redraw is text: FreeType shapes, hints and renders every glyph of
every label at every draw, although an edit changes one label. The canvas
used here keeps, across figures, each text's measured size, each text's glyph
layout and each glyph's rendered bitmap (by font, size, glyph and position
within the pixel), so an unchanged label is copied rather than rendered again.
The pixels are the same as matplotlib's own Agg renderer (tests compare them);
if matplotlib's internals change, the plain renderer is used.
"""
from __future__ import annotations

import contextlib
import gc
import io
import math
import threading
import time

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import fontManager, get_font
from PIL import Image

from relkit.views.charts.style import opaque_rgb

LIVE_DPI = 90  # on screen: sharp enough, and fast enough to redraw within 150 ms
CACHE_LIMIT = 20_000  # entries per cache; all of them are dropped when one grows past it
PNG_COMPRESSION = 1  # zlib level: 1 encodes in a third of the default's time, the file ~2 % larger

try:  # the private pieces the cached text path needs (matplotlib 3.11)
    from matplotlib.ft2font import FT2Font, RenderMode

    _get_hinting_flag = backend_agg.get_hinting_flag
    FAST_TEXT = all(hasattr(FT2Font, name) for name in ("_layout", "_render_glyph", "_set_transform")) and hasattr(
        RendererAgg, "_prepare_font") and hasattr(fontManager, "_find_fonts_by_props")
except (ImportError, AttributeError):  # pragma: no cover - another matplotlib
    FAST_TEXT = False

_metrics: dict = {}
_heights: dict = {}
_layouts: dict = {}
_glyphs: dict = {}
SETTLE_EVERY = 60.0  # seconds between two full collections by settle()
_settled = -math.inf
DRAWING = threading.RLock()  # pyplot and the caches: one drawing at a time


def settle(full: bool | None = None) -> None:
    """After an editor is built: keep everything alive now (modules, the editor's widgets
    and data) out of the garbage collector's full passes; without it a full pass over
    those objects (~130 ms) lands on every ninth redraw or so. A full collection first
    (everything an earlier call kept that has become garbage since) at most once every
    ``SETTLE_EVERY`` seconds, or when ``full``: it costs ~0.3 s once the app is built."""
    global _settled
    if full or (full is None and time.monotonic() - _settled > SETTLE_EVERY):
        gc.unfreeze()
        gc.collect()
        _settled = time.monotonic()
    gc.freeze()


def clear_caches() -> None:
    _metrics.clear()
    _heights.clear()
    _layouts.clear()
    _glyphs.clear()


def _remember(cache: dict, key, value):
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


class CachingRenderer(RendererAgg):
    """Agg, with the text measured, laid out and rendered once per label and glyph."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, prop.copy(), self.dpi, _get_hinting_flag())
        found = _metrics.get(key)
        if found is None:
            found = _remember(_metrics, key, super().get_text_width_height_descent(s, prop, ismath))
        return found

    def _get_font_height_metrics(self, prop):
        """A font's ascent, descent and line gap at this size, as ``Text._get_layout`` reads
        them from the font's tables when the renderer does not say (two table lookups per
        label at every layout pass and draw)."""
        key = (prop.copy(), self.dpi)
        found = _heights.get(key)
        if found is None:
            found = (None, None, None)
            font = get_font(fontManager._find_fonts_by_props(prop))
            for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                                     ("hhea", "lineGap", "ascent", "descent")):
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * self.dpi / 72
                found = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
                break
            found = _remember(_heights, key, found)
        return found

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        flags = _get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, prop.copy(), self.dpi, flags, tuple(features) if features is not None else None, language)
        items = _layouts.get(key)
        if items is None:
            font = self._prepare_font(prop)
            items = _remember(_layouts, key, [
                (item.ft_object, item.glyph_index, item.x, item.y)
                for item in font._layout(s, flags=flags, features=features, language=language)])
        size = prop.get_size_in_points()
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        matrix_key = tuple(matrix.ravel().tolist())
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        height = self.height
        for font, glyph, dx, dy in items:  # as RendererAgg._draw_text_glyphs_and_boxes, one glyph at a time
            tx = round(0x40 * (x + dx * cos - dy * sin))  # 26.6 fixed point; FreeType's y is upwards
            ty = round(0x40 * (height - y + dx * sin + dy * cos))
            glyph_key = (font, size, self.dpi, glyph, flags, antialiased, matrix_key, tx & 63, ty & 63)
            found = _glyphs.get(glyph_key)
            if found is None:  # rendered at its position within the pixel; whole pixels only shift it
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [tx & 63, ty & 63])
                bitmap = font._render_glyph(glyph, flags, mode)
                buffer = bitmap.buffer if antialiased else bitmap.buffer * 0xff
                found = _remember(_glyphs, glyph_key, (buffer, bitmap.left, bitmap.top))
            buffer, left, top = found
            self._renderer.draw_text_image(buffer, left + (tx >> 6), int(height) - top - (ty >> 6) + buffer.shape[0],
                                           0, gc)


class LiveCanvas(FigureCanvasAgg):
    """An Agg canvas drawing with ``CachingRenderer``."""

    def get_renderer(self):
        if not FAST_TEXT:
            return super().get_renderer()
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = CachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


@contextlib.contextmanager
def live_drawing():
    """Figures made and drawn inside measure and paint their text with the caches,
    including the measuring of ``tight_layout`` when a chart is built (the Agg
    canvas pyplot gives a new figure makes its renderer from ``backend_agg.RendererAgg``,
    which is ``CachingRenderer`` meanwhile: same pixels)."""
    with DRAWING:
        if not FAST_TEXT:
            yield
            return
        saved = backend_agg.RendererAgg
        backend_agg.RendererAgg = CachingRenderer
        try:
            yield
        finally:
            backend_agg.RendererAgg = saved


def _encode(pixels: np.ndarray) -> bytes:
    pixels = opaque_rgb(pixels)
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buf, format="png", compress_level=PNG_COMPRESSION)
    return buf.getvalue()


def figure_png(fig, *, dpi: float = LIVE_DPI, box: str = "tight", pad: float = 0.1) -> bytes:
    """The figure as PNG on white, drawn once; the figure is closed (no backend shows it again).

    ``box``: "tight" cuts the picture to its artists plus ``pad`` inches, as
    ``savefig(bbox_inches="tight")``; "padded" is the whole figure with ``pad``
    inches of white around it; "figure" the whole figure."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    with DRAWING:
        plt.close(fig)  # closed first: the figure stays drawable, pyplot forgets it
        if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
            fig.set_layout_engine(None)  # laid out already by tight_layout: no measuring pass at draw
        built_dpi = fig.dpi
        fig.set_dpi(dpi)
        fig.patch.set_facecolor("white")
        canvas = LiveCanvas(fig)
        try:
            canvas.draw()
            return _crop(fig, canvas, dpi, box, pad)
        finally:
            fig.set_dpi(built_dpi)  # a figure updated in place is laid out again as it was built


def _crop(fig, canvas, dpi: float, box: str, pad: float) -> bytes:
    pixels = np.asarray(canvas.buffer_rgba())
    height, width = pixels.shape[:2]
    if box == "figure":
        return _encode(pixels)
    if box == "padded":
        x0, y0, x1, y1 = -pad, -pad, width / dpi + pad, height / dpi + pad
    else:
        bbox = fig.get_tightbbox(canvas.get_renderer())
        if bbox.x0 < 0 or bbox.y0 < 0 or bbox.x1 * dpi > width + 0.5 or bbox.y1 * dpi > height + 0.5:
            buf = io.BytesIO()  # something drawn outside the figure: savefig's tight box paints it
            fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=pad, facecolor="white")
            return buf.getvalue()
        x0, y0, x1, y1 = bbox.x0 - pad, bbox.y0 - pad, bbox.x1 + pad, bbox.y1 + pad
    left, right = round(x0 * dpi), round(x1 * dpi)
    bottom, top = round(y0 * dpi), round(y1 * dpi)  # pixels, y upwards
    out = np.full((top - bottom, right - left, pixels.shape[2]), 255, dtype=np.uint8)
    rows = slice(max(0, height - top), min(height, height - bottom))  # the figure's part, y downwards
    cols = slice(max(0, left), min(width, right))
    out[rows.start - (height - top):rows.stop - (height - top), cols.start - left:cols.stop - left] = pixels[rows, cols]
    return _encode(out)


def default_savefig(fig, *, dpi: float = LIVE_DPI, **kwargs) -> bytes:
    """matplotlib's own PNG (tests compare ``figure_png`` with it)."""
    buf = io.BytesIO()
    with DRAWING, mpl.rc_context():
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white", **kwargs)
        plt.close(fig)
    return buf.getvalue()
