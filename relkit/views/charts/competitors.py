"""Workbook 01's positioning map: the competitors and the client's own brand on
the two axes the consultant chose (sheet "Carte concurrence"), scored 1 to 5.
Tidy data in (relkit.topics.competitors.map_points: name, x, y, own), every
word from the caller; returns the Axes."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, use_house_style, wrap_label

LOW, HIGH, MIDDLE = 1.0, 5.0, 3.0
HEIGHT_IN = 3.1


def _label_sides(points: pd.DataFrame) -> list[tuple[float, str]]:
    """Each point's label to its right, unless a neighbour sits just right of it
    (then to its left): labels of close points do not cover each other."""
    sides = []
    for i, (x, y) in enumerate(zip(points["x"], points["y"])):
        crowded = any(0 < ox - x <= 1.2 and abs(oy - y) <= 0.45 for j, (ox, oy) in enumerate(zip(points["x"], points["y"])) if j != i)
        right = not crowded and x <= 4.2
        sides.append((8 if right else -8, "left" if right else "right"))
    return sides


def positioning_map(points: pd.DataFrame, *, x_label: str, y_label: str, x_ends: tuple[str, str] | None = None,
                    y_ends: tuple[str, str] | None = None, title: str | None = None, takeaway: str | None = None,
                    ax: Axes | None = None) -> Axes:
    """Scatter of ``points`` (name, x, y, own) on 1-5 axes cut in four at the middle
    score; the client's own brand in the accent colour and bold, the competitors in grey.
    ``x_ends``/``y_ends``: what scores 1 and 5 mean, written at the axis ends."""
    use_house_style()
    if ax is None:
        fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, HEIGHT_IN), layout="constrained")
    else:
        fig = ax.figure
    if title:
        fig.suptitle(title, x=0.0, ha="left", fontsize=11, fontweight="bold", color=PALETTE["ink"])
    if takeaway:
        ax.set_title("\n".join(wrap_label(takeaway, 110)), loc="left", fontsize=8.5, color=PALETTE["muted"], pad=6)
    pad = 0.45
    ax.set_xlim(LOW - pad, HIGH + pad)
    ax.set_ylim(LOW - pad, HIGH + pad)
    ax.axvline(MIDDLE, color=PALETTE["muted"], lw=0.6, ls="--", zorder=1)
    ax.axhline(MIDDLE, color=PALETTE["muted"], lw=0.6, ls="--", zorder=1)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.tick_params(labelsize=7, colors=PALETTE["muted"])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(x_label, fontsize=8.5, color=PALETTE["ink"])
    ax.set_ylabel(y_label, fontsize=8.5, color=PALETTE["ink"])
    if x_ends:
        for value, text, ha in ((LOW - pad, x_ends[0], "left"), (HIGH + pad, x_ends[1], "right")):
            if text:
                ax.annotate(text, (value, 0), xycoords=("data", "axes fraction"), xytext=(0, -16), textcoords="offset points",
                            ha=ha, va="top", fontsize=7, style="italic", color=PALETTE["muted"])
    if y_ends:
        for value, text, va in ((LOW - pad, y_ends[0], "bottom"), (HIGH + pad, y_ends[1], "top")):
            if text:
                ax.annotate(text, (0, value), xycoords=("axes fraction", "data"), xytext=(4, 0), textcoords="offset points",
                            ha="left", va=va, fontsize=7, style="italic", color=PALETTE["muted"])
    rivals, mine = points[~points["own"]], points[points["own"]]
    ax.scatter(rivals["x"], rivals["y"], s=46, color=PALETTE["muted"], zorder=3)
    ax.scatter(mine["x"], mine["y"], s=90, color=PALETTE["accent"], marker="D", zorder=4)
    for (name, x, y, own), (dx, ha) in zip(points[["name", "x", "y", "own"]].itertuples(index=False), _label_sides(points)):
        ax.annotate("\n".join(wrap_label(str(name), 22)), (x, y), xytext=(dx, 0), textcoords="offset points", ha=ha,
                    va="center", fontsize=8 if own else 7.5, fontweight="bold" if own else "normal",
                    color=PALETTE["accent"] if own else PALETTE["ink"], zorder=5)
    return ax
