"""The collection plan by kind of data (personal, action, reaction): one
stacked bar per kind, its rows split by what the customer-file audit found.

A tidy frame in (``kind``, ``status``, ``rows``), drawn on ``ax`` or a new
figure of the page's width; every word comes from the caller (translated
names, title, takeaway), as in the other workbook charts.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, roles, use_house_style, wrap_label

STATUS_ORDER = ("measured", "absent", "not_linked", "not_measured")
STATUS_COLOURS = roles(measured="strength", absent="threat", not_linked="muted", not_measured="muted")
STATUS_ALPHA = {"measured": 1.0, "absent": 1.0, "not_linked": 0.45, "not_measured": 0.25}


def kinds_chart(data: pd.DataFrame, *, kinds: list[tuple[str, str]], notes: dict[str, str], title: str,
                takeaway: str, ax: Axes | None = None) -> Axes:
    """``data``: one row per (kind, status) with its number of plan rows; ``kinds``:
    (code, name) top to bottom; ``notes``: kind -> text written after its bar, naming
    what its colours stand for (no legend). A kind without rows keeps its line, with its note."""
    use_house_style()
    made = ax is None
    if made:
        _, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 0.3 * len(kinds) + 0.72))
    counts = data.pivot_table(index="kind", columns="status", values="rows", aggfunc="sum", fill_value=0)
    peak = max(float(counts.sum(axis=1).max()) if len(counts) else 0.0, 1.0)
    for i, (code, _) in enumerate(kinds):
        left = 0.0
        for status in STATUS_ORDER:
            n = int(counts.at[code, status]) if code in counts.index and status in counts.columns else 0
            if n <= 0:
                continue
            ax.barh(i, n, left=left, height=0.62, color=STATUS_COLOURS[status], alpha=STATUS_ALPHA[status],
                    edgecolor="white", linewidth=0.8)
            ax.text(left + n / 2, i, str(n), ha="center", va="center", fontsize=7.5,
                    color="white" if STATUS_ALPHA[status] >= 0.45 else PALETTE["ink"])
            left += n
        ax.text(left + peak * 0.015, i, notes.get(code, ""), va="center", fontsize=7, color=PALETTE["ink"])
    ax.set_yticks(range(len(kinds)), [name for _, name in kinds])
    ax.invert_yaxis()
    ax.set_xlim(0, peak / 0.35)  # the bars take at most 35 % of the width, the notes the rest
    ax.set_ylim(len(kinds) - 0.45, -0.55)
    ax.xaxis.set_visible(False)
    ax.tick_params(labelsize=7.5, length=0)
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    head = "\n".join(wrap_label(title, 90))
    ax.set_title(head + "\n", fontsize=10, fontweight="bold", loc="left", color=PALETTE["ink"])
    ax.text(0, 1.02, "\n".join(wrap_label(takeaway, 120)), transform=ax.transAxes, fontsize=8,
            color=PALETTE["muted"], va="bottom")
    if made:
        ax.figure.tight_layout()
    return ax
