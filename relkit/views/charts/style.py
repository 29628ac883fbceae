"""The house style of every chart: palette, font, page width, label wrapping,
PNG export. The charts themselves live in one module per topic
(relkit.views.charts.diagnostic, .journey, .customers, ...)."""
from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from relkit.io.brand import HOUSE_FONT, HOUSE_PALETTE

PALETTE = dict(HOUSE_PALETTE)  # relkit's house style (one source: relkit.io.brand), or the brand's (use_brand)
FONT = HOUSE_FONT
PAGE_WIDTH_IN = 7.0  # A4 minus margins: a figure this wide prints at 100 %
_font = [FONT]  # the font in use: the brand's (use_brand), else FONT


def use_brand(brand=None) -> None:
    """The house style's colours and font from the firm's brand (a relkit.io.brand.BrandStyle;
    None: relkit's own). PALETTE is changed in place, so charts that read it when they draw
    follow the brand; the brand's font files are made known to matplotlib (no download)."""
    PALETTE.clear()
    PALETTE.update(HOUSE_PALETTE)
    _font[0] = FONT
    if brand is None:
        return
    PALETTE.update({role: brand.palette[role] for role in HOUSE_PALETTE if role in brand.palette})
    _font[0] = _chart_font(brand.font_base, brand.font_files)


class Roles(Mapping):
    """Colours named by their role in the house palette ({"total": "accent", …}), read
    from PALETTE when a chart draws: module-level colour tables follow the brand."""

    def __init__(self, **roles: str):
        self._roles = roles

    def __getitem__(self, key: str) -> str:
        return PALETTE[self._roles[key]]

    def __iter__(self):
        return iter(self._roles)

    def __len__(self) -> int:
        return len(self._roles)

    def __repr__(self) -> str:
        return f"Roles({dict(self)!r})"


def roles(**mapping: str) -> Roles:
    return Roles(**mapping)


def _chart_font(family: str, files) -> str:
    """``family`` when matplotlib knows it (installed, or one of the brand's files), else
    the family name inside the brand's first font file, else FONT."""
    from matplotlib import font_manager

    shipped = []
    for path in files:
        try:
            font_manager.fontManager.addfont(str(path))
            shipped.append(font_manager.FontProperties(fname=str(path)).get_name())
        except (OSError, RuntimeError, ValueError):
            continue
    known = {f.name for f in font_manager.fontManager.ttflist}
    if family in known:
        return family
    return shipped[0] if shipped else FONT


def use_house_style(brand=None) -> None:
    """One place for fonts, colours and grid so every workbook looks alike
    (with ``brand``, its colours and font from now on)."""
    import seaborn as sns  # 1.2 s with scipy.stats: only where charts are drawn, not in every process that imports this module

    if brand is not None:
        use_brand(brand)
    sns.set_theme(
        context="paper",
        style="white",
        font=_font[0],
        rc={"axes.edgecolor": PALETTE["muted"], "text.color": PALETTE["ink"], "figure.dpi": 100, "savefig.dpi": 200,
            # Titles sit at the top of their axes, as Matplotlib's automatic placement puts them when
            # no tick label is above the axes (none of ours is). Automatic placement measures every
            # x tick label at each draw (the white style hides tick marks, so their side is
            # "unknown"): a fifth of a live chart's redraw.
            "axes.titley": 1.0},
    )


PNG_DPI = 200


def to_png(fig: Figure) -> bytes:
    """The figure as a PNG cropped to what it draws plus ``savefig.pad_inches``
    (what ``bbox_inches="tight"`` gives).

    Matplotlib's tight crop lays the figure out twice (once without drawing,
    to measure, then for real): a third of a chart's time. Here the figure is
    drawn once (its layout engine, if any, runs in that draw as in savefig's
    measuring pass), measured on the drawn canvas and the pixels cropped; the
    padding that falls outside the figure is white, as savefig paints it. Only
    a figure with something drawn outside it goes through savefig.
    """
    try:
        png = _drawn_once(fig)
        if png is None:
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=PNG_DPI, bbox_inches="tight", facecolor="white")
            png = _opaque(buf.getvalue())
        return png
    finally:
        plt.close(fig)


def _drawn_once(fig: Figure) -> bytes | None:
    import numpy as np
    from matplotlib import rcParams
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(PNG_DPI)
    fig.set_facecolor("white")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    width, height = fig.get_size_inches()
    box = fig.get_tightbbox(canvas.get_renderer())
    if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
        return None
    box = box.padded(rcParams["savefig.pad_inches"])
    pixels = np.asarray(canvas.buffer_rgba())
    left, top = round(box.x0 * PNG_DPI), round((height - box.y1) * PNG_DPI)  # within half a pixel of savefig's
    w, h = int(box.width * PNG_DPI + 1e-4), int(box.height * PNG_DPI + 1e-4)  # savefig truncates
    crop = np.full((h, w, pixels.shape[2]), 255, dtype=np.uint8)  # the padding beyond the figure: white
    rows = slice(max(top, 0), min(top + h, pixels.shape[0]))
    cols = slice(max(left, 0), min(left + w, pixels.shape[1]))
    crop[rows.start - top:rows.stop - top, cols.start - left:cols.stop - left] = pixels[rows, cols]
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(opaque_rgb(crop))).save(buf, format="png", dpi=(PNG_DPI, PNG_DPI))
    return buf.getvalue()


def opaque_rgb(pixels):
    """RGBA pixels as RGB when every pixel is opaque (a figure on white): a PNG
    a quarter smaller to compress, and no alpha channel that a PDF would store
    as a second image (a soft mask) for WeasyPrint to encode and the viewer to
    composite, for nothing. Other pixels are returned as they are."""
    if pixels.ndim == 3 and pixels.shape[2] == 4 and (pixels[..., 3] == 255).all():
        return pixels[..., :3]
    return pixels


def _opaque(png: bytes) -> bytes:
    """Savefig's PNG through ``opaque_rgb`` (re-encoded only when that drops something)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)))
    rgb = opaque_rgb(pixels)
    if rgb is pixels:
        return png
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, format="png", dpi=(PNG_DPI, PNG_DPI))
    return buf.getvalue()


_GLUE = re.compile(r"(?<=\d) (?=\d{3}\b)| (?=[€%»:;!?])|(?<=«) ")


def wrap_label(text: str, width: int) -> list[str]:
    """Wrap, never splitting "1 250 €", "30 %" or French quotes across lines."""
    glued = _GLUE.sub("\u00a0", text)
    return textwrap.wrap(glued, width=width, break_long_words=True) or [""]


def fit_line(text: str, chars: int) -> str:
    """One line of at most ``chars`` characters, cut with "…" (names in a grid's fixed column)."""
    text = str(text)
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def canvas(width: float, height: float, ax=None):
    """A drawing area measured in inches, y growing downwards, no axes shown:
    for charts laid out by hand (retro-planning, journey matrix)."""
    if ax is None:
        ax = plt.figure(figsize=(width, height)).add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    return ax
