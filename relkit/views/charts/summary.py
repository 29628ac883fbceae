"""Charts of the executive summary: the revenue bridge (a waterfall) from last
year's revenue to the target.

Seaborn's shape: a tidy DataFrame in (one row per bar, see
``relkit.workbooks.summary_bridge.bridge_data``: step, kind, start, end, amount),
keyword-only words, ``ax=None`` (a page-wide figure is made when none is given),
the Axes out.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from relkit.io.labels import Labels
from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, roles, use_house_style, wrap_label

BRIDGE_COLOURS = roles(total="accent", increase="strength", decrease="weakness", gap="threat")  # follows the brand


def _signed(amount: float, labels: Labels) -> str:
    text = labels.money(round(abs(amount)), decimals=False)
    return ("+" if amount >= 0 else "\u2212") + text


def bridge_chart(data: pd.DataFrame, *, labels: Labels, title: str | None = None, takeaway: str | None = None,
                 step: str = "step", kind: str = "kind", start: str = "start", end: str = "end",
                 ax: Axes | None = None) -> Axes:
    """A horizontal waterfall, read top to bottom: levels (``total``) as solid bars from 0,
    changes as floating bars from ``start`` to ``end`` (green up, red down), the ``gap`` to the
    target hatched in orange; each bar's amount written at its end. ``title`` in bold and
    ``takeaway`` (one line computed from the data) under it."""
    use_house_style()
    made = ax is None
    if made:
        _, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 0.34 * max(len(data), 1) + 1.2))
    records = data.to_dict("records")
    peak = max([float(max(r[start], r[end])) for r in records] + [1.0])
    for i, r in enumerate(records):
        low, high = sorted((float(r[start]), float(r[end])))
        colour = BRIDGE_COLOURS.get(r[kind], PALETTE["muted"])
        hatched = r[kind] == "gap"
        ax.barh(i, high - low, left=low, height=0.62, color="white" if hatched else colour,
                edgecolor=colour, hatch="////" if hatched else None, linewidth=1.0 if hatched else 0)
        if r[kind] == "total":
            shown = labels.money(round(float(r[end])), decimals=False)
        elif hatched:  # what is missing: an amount, not a change
            shown = labels.money(round(float(r[end]) - float(r[start])), decimals=False)
        else:
            shown = _signed(float(r[end]) - float(r[start]), labels)
        ax.text(high + peak * 0.01, i, shown, va="center", fontsize=8.5,
                fontweight="bold" if r[kind] in ("total", "gap") else "normal",
                color=PALETTE["threat"] if hatched else PALETTE["ink"])
        if i + 1 < len(records):  # the connector from this bar's end to the next bar
            level = float(r[end])
            ax.plot([level, level], [i + 0.31, i + 0.69], color=PALETTE["muted"], linewidth=0.6)
    ax.set_yticks(range(len(records)), ["\n".join(wrap_label(str(r[step]), 34)) for r in records])
    ax.set_ylim(len(records) - 0.5, -0.5)
    ax.set_xlim(0, peak * 1.18)
    ax.xaxis.set_visible(False)
    ax.tick_params(axis="y", labelsize=8.5, length=0)
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    notes = wrap_label(takeaway, 72) if takeaway else []  # the width of the bars, under the title
    if notes:  # the takeaway sits between the title and the bars
        ax.text(0, 1.01, "\n".join(notes), transform=ax.transAxes, fontsize=9, va="bottom", ha="left",
                color=PALETTE["ink"])
    if title:
        ax.set_title("\n".join(wrap_label(title, 62)), fontsize=11, fontweight="bold", loc="left",
                     color=PALETTE["ink"], pad=8 + 12.5 * len(notes))
    if made:
        ax.figure.tight_layout()
    return ax
