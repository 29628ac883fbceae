"""House style and the charts of the workbooks: tidy DataFrame in, Figure out."""
from __future__ import annotations

import io
import re
import textwrap

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from relkit.io.labels import Labels  # noqa: E402

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


_QUADRANTS = (("strength", 0, 0), ("weakness", 0, 1), ("opportunity", 1, 0), ("threat", 1, 1))


_GLUE = re.compile(r"(?<=\d) (?=\d{3}\b)| (?=[€%»:;!?])|(?<=«) ")


def _wrap(text: str, width: int) -> list[str]:
    """Wrap, never splitting "1 250 €", "30 %" or French quotes across lines."""
    glued = _GLUE.sub("\u00a0", text)
    return textwrap.wrap(glued, width=width, break_long_words=True) or [""]


wrap_label = _wrap  # the public name for chart modules


def swot_matrix(swot: pd.DataFrame, labels: Labels) -> Figure:
    """The 2×2 SWOT: internal/external × positive/negative, most important first."""
    use_house_style()
    line_h = 0.16  # inches per text line at 8.5 pt, 1.25 line spacing
    blocks: dict[str, list[tuple[list[str], bool]]] = {}
    for quadrant, _, _ in _QUADRANTS:
        rows = swot[swot["quadrant"] == quadrant].copy()
        rows["importance"] = rows["importance"].fillna(0)
        rows = rows.sort_values(["importance", "row"], ascending=[False, True], kind="stable")
        blocks[quadrant] = [(_wrap(t, 37 if imp >= 3 else 42), imp >= 3) for t, imp in zip(rows["item"], rows["importance"])]
    row_lines = []
    for r in (0, 1):
        qs = [q for q, rr, _ in _QUADRANTS if rr == r]
        row_lines.append(max(max(sum(len(lines) for lines, _ in blocks[q]) + len(blocks[q]) * 0.45, 1.0) for q in qs))
    heights = [max(1.4, n * line_h + 0.5) for n in row_lines]
    left, top = 0.35, 0.35
    width = PAGE_WIDTH_IN
    fig = plt.figure(figsize=(width, sum(heights) + top + 0.1))
    total_h = sum(heights) + top + 0.1
    cell_w = (width - left) / 2

    def box(x, y, w, h):  # inches -> figure fraction
        return x / width, 1 - (y + h) / total_h, w / width, h / total_h

    for c, key in enumerate(("swot.positive", "swot.negative")):
        fig.text((left + cell_w * (c + 0.5)) / width, 1 - 0.18 / total_h, labels(key), ha="center", va="center",
                 fontsize=9, fontweight="bold", color=PALETTE["muted"])
    y = top
    for r, key in enumerate(("swot.internal", "swot.external")):
        fig.text(0.16 / width, 1 - (y + heights[r] / 2) / total_h, labels(key), rotation=90, ha="center",
                 va="center", fontsize=9, fontweight="bold", color=PALETTE["muted"])
        y += heights[r]
    for quadrant, r, c in _QUADRANTS:
        x0 = left + c * cell_w
        y0 = top + sum(heights[:r])
        ax = fig.add_axes(box(x0 + 0.04, y0 + 0.04, cell_w - 0.08, heights[r] - 0.08))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        colour = PALETTE[quadrant]
        ax.add_patch(FancyBboxPatch((0, 0), 1, 1, boxstyle="round,pad=0,rounding_size=0.02", transform=ax.transAxes,
                                    facecolor=colour + "14", edgecolor=colour, linewidth=1.2))
        ax.text(0.04, 1 - 0.12 / (heights[r] - 0.08), labels(f"swot.{quadrant}").upper(), transform=ax.transAxes,
                fontsize=10, fontweight="bold", color=colour, va="center")
        h_in = heights[r] - 0.08
        cursor = 0.34
        if not blocks[quadrant]:
            ax.text(0.04, 1 - cursor / h_in, labels("swot.empty_quadrant"), transform=ax.transAxes, fontsize=8.5,
                    color=PALETTE["muted"], va="top", style="italic")
        for lines, major in blocks[quadrant]:
            ax.text(0.03, 1 - cursor / h_in, "•", transform=ax.transAxes, fontsize=8.5, color=colour, va="top")
            ax.text(0.07, 1 - cursor / h_in, "\n".join(lines), transform=ax.transAxes, fontsize=8.5, va="top",
                    color=PALETTE["ink"], fontweight="bold" if major else "normal", linespacing=1.25)
            cursor += len(lines) * line_h + 0.45 * line_h
    return fig
