"""Workbook 01's charts: the SWOT matrix. Data in (the workshop's SWOT sheet),
words from the label catalogue (``labels``), drawn on ``ax`` or a new figure
of the page's width; returns the Axes."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch
from matplotlib.transforms import Bbox, BboxTransformTo, TransformedBbox

from relkit.io.labels import Labels
from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, use_house_style, wrap_label

_QUADRANTS = (("strength", 0, 0), ("weakness", 0, 1), ("opportunity", 1, 0), ("threat", 1, 1))


def swot_matrix(swot: pd.DataFrame, *, labels: Labels, title: str | None = None, takeaway: str | None = None,
                ax: Axes | None = None) -> Axes:
    """The 2×2 SWOT: internal/external × positive/negative, most important first;
    ``title`` and a one-line ``takeaway`` (computed by the caller) above it.

    Without ``ax``, a new figure of the page's width and of the height the items
    need. The returned Axes spans the four quadrants (one inset per quadrant);
    the positive/negative and internal/external headings sit above and to its left."""
    use_house_style()
    line_h = 0.16  # inches per text line at 8.5 pt, 1.25 line spacing
    blocks: dict[str, list[tuple[list[str], bool]]] = {}
    for quadrant, _, _ in _QUADRANTS:
        rows = swot[swot["quadrant"] == quadrant].copy()
        rows["importance"] = rows["importance"].fillna(0)
        rows = rows.sort_values(["importance", "row"], ascending=[False, True], kind="stable")
        blocks[quadrant] = [(wrap_label(t, 37 if imp >= 3 else 42), imp >= 3) for t, imp in zip(rows["item"], rows["importance"])]
    row_lines = []
    for r in (0, 1):
        qs = [q for q, rr, _ in _QUADRANTS if rr == r]
        row_lines.append(max(max(sum(len(lines) for lines, _ in blocks[q]) + len(blocks[q]) * 0.45, 1.0) for q in qs))
    heights = [max(1.4, n * line_h + 0.5) for n in row_lines]
    takeaway_lines = wrap_label(takeaway, 108) if takeaway else []
    head = (0.3 if title else 0.0) + 0.16 * len(takeaway_lines) + (0.06 if takeaway_lines else 0.0)  # above the headings
    left, top = 0.35, 0.35 + head
    width = PAGE_WIDTH_IN
    total_h = sum(heights) + top + 0.1
    cell_w = (width - left) / 2
    grid = (left + 0.04, top + 0.04, width - left - 0.08, sum(heights) - 0.08)  # inches: the four quadrants

    if ax is None:
        fig = plt.figure(figsize=(width, total_h))

        def point(x, y):  # inches -> figure fraction
            return x / width, 1 - y / total_h

        def box(x, y, w, h):
            return x / width, 1 - (y + h) / total_h, w / width, h / total_h

        ax = fig.add_axes(box(*grid))
    else:
        fig, pos = ax.figure, ax.get_position()
        gx, gy, gw, gh = grid

        def point(x, y):  # inches of the layout -> figure fraction, the quadrants filling ax
            return pos.x0 + (x - gx) / gw * pos.width, pos.y1 - (y - gy) / gh * pos.height

        def box(x, y, w, h):
            x0, y0 = point(x, y + h)
            return x0, y0, w / gw * pos.width, h / gh * pos.height

    ax.axis("off")
    if title:
        fig.text(*point(0.0, 0.06), title, ha="left", va="top", fontsize=11, fontweight="bold", color=PALETTE["ink"])
    if takeaway_lines:
        fig.text(*point(0.0, 0.06 + (0.3 if title else 0.0)), "\n".join(takeaway_lines), ha="left", va="top",
                 fontsize=8.5, color=PALETTE["muted"])
    for c, key in enumerate(("swot.positive", "swot.negative")):
        fig.text(*point(left + cell_w * (c + 0.5), head + 0.18), labels(key), ha="center", va="center",
                 fontsize=9, fontweight="bold", color=PALETTE["muted"])
    y = top
    for r, key in enumerate(("swot.internal", "swot.external")):
        fig.text(*point(0.16, y + heights[r] / 2), labels(key), rotation=90, ha="center",
                 va="center", fontsize=9, fontweight="bold", color=PALETTE["muted"])
        y += heights[r]
    for quadrant, r, c in _QUADRANTS:
        x0 = left + c * cell_w
        y0 = top + sum(heights[:r])
        # each quadrant is a box of the figure with its own 0..1 coordinates, as an inset
        # Axes' transAxes would give, without building one (an Axes with its ticks is most of a redraw)
        frame = TransformedBbox(Bbox.from_bounds(*box(x0 + 0.04, y0 + 0.04, cell_w - 0.08, heights[r] - 0.08)),
                                fig.transFigure)
        inside = BboxTransformTo(frame)
        colour = PALETTE[quadrant]
        patch = FancyBboxPatch((0, 0), 1, 1, boxstyle="round,pad=0,rounding_size=0.02", transform=inside,
                               facecolor=colour + "14", edgecolor=colour, linewidth=1.2)
        patch.set_clip_box(frame)  # the border's outer half stays out, as an inset Axes clips it
        fig.add_artist(patch)
        fig.text(0.04, 1 - 0.12 / (heights[r] - 0.08), labels(f"swot.{quadrant}").upper(), transform=inside,
                 fontsize=10, fontweight="bold", color=colour, va="center")
        h_in = heights[r] - 0.08
        cursor = 0.34
        if not blocks[quadrant]:
            fig.text(0.04, 1 - cursor / h_in, labels("swot.empty_quadrant"), transform=inside, fontsize=8.5,
                     color=PALETTE["muted"], va="top", style="italic")
        for lines, major in blocks[quadrant]:
            fig.text(0.03, 1 - cursor / h_in, "•", transform=inside, fontsize=8.5, color=colour, va="top")
            fig.text(0.07, 1 - cursor / h_in, "\n".join(lines), transform=inside, fontsize=8.5, va="top",
                     color=PALETTE["ink"], fontweight="bold" if major else "normal", linespacing=1.25)
            cursor += len(lines) * line_h + 0.45 * line_h
    return ax
