"""The KPI dashboard chart: attainment of each KPI against its target, coloured
by status (on track, watch, off track, no target).

Seaborn's shape: the ``dashboard`` frame in, keyword-only ``labels``, ``ax=None``
(a page-wide figure is made when none is given), the Axes out.
"""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from relkit.io.labels import Labels
from relkit.topics.kpi import STATUSES, latest, status_counts
from relkit.topics.kpi_calendar import Period
from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, roles, use_house_style, wrap_label
from relkit.views.number_text import kpi_value_text

STATUS_COLOURS = roles(on_track="strength", watch="threat", off_track="weakness", no_target="muted")  # follows the brand

_CAP = 1.5  # bars longer than 150 % are drawn to 150 % (the figure says the real value)


def dashboard_chart(dash: pd.DataFrame, *, labels: Labels, latest_only: bool = True, ax: Axes | None = None) -> Axes:
    """Attainment per KPI of ``dashboard`` (last measured period by default) as horizontal
    bars coloured by status, with the 100 % target line; the figure at the end of each
    bar reads 'attainment (actual / target)'. Title, takeaway and legend go on the
    figure, around the axes."""
    use_house_style()
    data = latest(dash) if latest_only else dash
    counts = status_counts(data)
    entries = []
    for r in data.to_dict("records"):
        name_lines = wrap_label(str(r["kpi"]), 30)
        period = Period.from_key(r["period"]).label(labels)
        entries.append((name_lines + [period], r))
    heights = [0.17 * len(lines) + 0.16 for lines, _ in entries] or [0.4]
    title = labels("kpi.chart.title")
    takeaway = wrap_label(labels("kpi.chart.takeaway", n=len(data), on_track=counts["on_track"], watch=counts["watch"],
                            off_track=counts["off_track"], no_target=counts["no_target"]), 105)
    top = 0.35 + 0.16 * len(takeaway) + 0.25
    bottom = 0.75
    height = top + sum(heights) + bottom
    left_in, right_in = 2.05, 1.95  # KPI names | bars | figures
    if ax is None:
        fig = plt.figure(figsize=(PAGE_WIDTH_IN, height))
        ax = fig.add_axes((left_in / PAGE_WIDTH_IN, bottom / height,
                           (PAGE_WIDTH_IN - left_in - right_in) / PAGE_WIDTH_IN, sum(heights) / height))
    else:
        fig = ax.figure
        height = fig.get_figheight()
    fig.text(0.0, 1 - 0.08 / height, title, fontsize=11, fontweight="bold", color=PALETTE["ink"], va="top")
    fig.text(0.0, 1 - 0.33 / height, "\n".join(takeaway), fontsize=8.5, color=PALETTE["muted"], va="top")

    y_centres, y = [], 0.0
    for h in heights:
        y_centres.append(y + h / 2)
        y += h
    ax.set_ylim(sum(heights), 0)
    ax.set_xlim(0, _CAP * 100 + 5)
    for (lines, r), yc, h in zip(entries, y_centres, heights):
        colour = STATUS_COLOURS[r["status"]]
        ratio = r["attainment"]
        shown = None if ratio is None or math.isnan(ratio) else max(min(ratio, _CAP), 0) * 100
        if shown:
            ax.barh(yc, shown, height=min(0.24, h * 0.7), color=colour, zorder=2)
        if r["status"] == "no_target":
            text = labels("kpi.chart.no_target", actual=kpi_value_text(r["actual"], r["unit"], labels))
        else:
            text = labels("kpi.chart.value",
                          attainment=labels.percent(ratio) if shown is not None else "–",
                          actual=kpi_value_text(r["actual"], r["unit"], labels),
                          target=kpi_value_text(r["target"], r["unit"], labels))
        ax.text(1.03, yc, "\n".join(wrap_label(text, 34)), transform=ax.get_yaxis_transform(), va="center", fontsize=7,
                color=colour if r["status"] != "no_target" else PALETTE["muted"], fontweight="bold",
                linespacing=1.1)
    ax.set_yticks(y_centres, ["\n".join(lines) for lines, _ in entries], fontsize=7.5)
    for tick in ax.get_yticklabels():
        tick.set_linespacing(1.1)
    ax.axvline(100, color=PALETTE["ink"], linewidth=1, linestyle="--", zorder=3)
    ax.text(100, 1.01, labels("kpi.chart.target_line"), transform=ax.get_xaxis_transform(), ha="center",
            va="bottom", fontsize=7, color=PALETTE["ink"])
    ticks = [0, 50, 80, 100, 150]
    ax.set_xticks(ticks, [labels.percent(t / 100) for t in ticks], fontsize=7)
    ax.grid(axis="x", color="#E5E7EB", linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    present = [s for s in STATUSES if counts[s]]
    handles = [Patch(color=STATUS_COLOURS[s], label=labels(f"kpi.status.{s}")) for s in present]
    if handles:
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(left_in / PAGE_WIDTH_IN, 0.02 / height),
                   ncol=len(handles), frameon=False, fontsize=7.5)
    return ax
