"""The house style of every chart: palette, font, page width, label wrapping,
PNG export. The charts themselves live in one module per topic
(relkit.views.charts.diagnostic, .journey, .customers, ...)."""
from __future__ import annotations

import io
import re
import textwrap

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.figure import Figure

PALETTE = {
    "strength": "#2E7D32",
    "weakness": "#C62828",
    "opportunity": "#1565C0",
    "threat": "#EF6C00",
    "ink": "#1F2933",
    "muted": "#6B7280",
    "accent": "#1F4E79",
}
FONT = "DejaVu Sans"
PAGE_WIDTH_IN = 7.0  # A4 minus margins: a figure this wide prints at 100 %


def use_house_style() -> None:
    """One place for fonts, colours and grid so every workbook looks alike."""
    sns.set_theme(
        context="paper",
        style="white",
        font=FONT,
        rc={"axes.edgecolor": PALETTE["muted"], "text.color": PALETTE["ink"], "figure.dpi": 100, "savefig.dpi": 200},
    )


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buf.getvalue()


_GLUE = re.compile(r"(?<=\d) (?=\d{3}\b)| (?=[€%»:;!?])|(?<=«) ")


def wrap_label(text: str, width: int) -> list[str]:
    """Wrap, never splitting "1 250 €", "30 %" or French quotes across lines."""
    glued = _GLUE.sub("\u00a0", text)
    return textwrap.wrap(glued, width=width, break_long_words=True) or [""]


def canvas(width: float, height: float, ax=None):
    """A drawing area measured in inches, y growing downwards, no axes shown:
    for charts laid out by hand (retro-planning, journey matrix)."""
    if ax is None:
        ax = plt.figure(figsize=(width, height)).add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    return ax
