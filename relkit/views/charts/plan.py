"""Relationship-plan charts (workbook 05): the results of ``relkit.topics.plan``
in, the Axes out (``ax.figure`` is the whole chart).

Each chart carries its title and a one-line takeaway; every word on it comes
from the label catalogue in the deliverable's language.
"""
from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from babel.dates import get_month_names
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from relkit.io.labels import Labels
from relkit.topics.plan.catalogue import channel_name
from relkit.topics.plan.pressure import Pressure
from relkit.topics.plan.programmes import MONTHS
from relkit.topics.plan.targets import field_name
from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, use_house_style, wrap_label


def _number(x: float, L: Labels) -> str:
    return L.number(x) if float(x).is_integer() else L.number(x, 1)


def pressure_chart(pressure: Pressure, *, labels: Labels, takeaway: str | None = None, ax: Axes | None = None) -> Axes:
    """Per channel (one panel each, stacked): the heaviest and the average monthly
    load per person reached, against the channel's cap. Returns the top panel;
    given ``ax``, the panels share its place in its figure. ``takeaway``: the
    line under the title (computed by the caller), else a generic one."""
    import seaborn as sns  # imported where it draws (see views/charts/style.py)

    L = labels
    use_house_style()
    s = pressure.summary
    channels = [c for c in pressure.channels if s.loc[s["channel"] == c, "customers"].sum()]
    panels = max(len(channels), 1)
    if ax is None:
        fig = plt.figure(figsize=(PAGE_WIDTH_IN, 1.25 + (1.6 if panels <= 2 else 1.15) * panels),  # 3+ panels: lower
                         layout="constrained")
        axes = fig.subplots(panels, 1, sharex=True, squeeze=False)
    else:
        fig, spec = ax.figure, ax.get_subplotspec()
        ax.remove()
        axes = spec.subgridspec(panels, 1).subplots(sharex=True, squeeze=False)
    fig.suptitle(L("plan.chart.pressure_title"), x=0.0, ha="left", fontsize=11, fontweight="bold", color=PALETTE["ink"])
    over_total = int(pressure.summary["over_cap"].sum())
    takeaway = takeaway or L("plan.chart.pressure_over" if over_total else "plan.chart.pressure_ok")
    axes[0, 0].set_title(takeaway, loc="left", fontsize=8.5, color=PALETTE["muted"], pad=18)
    normal, alarm = PALETTE["accent"] + "80", PALETTE["weakness"]
    for panel, channel in zip(axes[:, 0], channels):
        d = pressure.summary[pressure.summary["channel"] == channel].set_index("month").reindex(MONTHS)
        cap = d["cap"].iloc[0]
        over = (d["max"] > cap + 1e-9) if not pd.isna(cap) else pd.Series(False, index=d.index)
        panel.bar(d.index, d["max"], width=0.62, color=[alarm if o else normal for o in over], zorder=2)
        panel.plot(d.index, d["mean"], color=PALETTE["ink"], marker="o", markersize=3.2, linewidth=1.2, zorder=3)
        top = float(max(d["max"].max(), 0 if pd.isna(cap) else cap, 1))
        for m, v in d["max"].items():
            if v > 0:
                panel.text(m, v + top * 0.04, _number(v, L), ha="center", va="bottom", fontsize=7,
                           color=alarm if over[m] else PALETTE["muted"])
        if not pd.isna(cap):
            panel.axhline(cap, color=PALETTE["threat"], linestyle="--", linewidth=1.1, zorder=4)
        panel.set_ylim(0, top * 1.3)
        panel.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        name = channel_name(channel, L.lang)
        title = name[:1].upper() + name[1:]
        if not pd.isna(cap):
            title += " — " + L("plan.chart.cap", cap=_number(cap, L))
        panel.text(0.0, 1.02, title, transform=panel.transAxes, fontsize=8.5, fontweight="bold",
                   color=PALETTE["ink"], ha="left", va="bottom")
        panel.set_ylabel(L("plan.chart.messages_axis"), fontsize=7.5, color=PALETTE["muted"])
        panel.tick_params(labelsize=7.5)
        panel.grid(axis="y", color="#E5E7EB", linewidth=0.6, zorder=0)
        sns.despine(ax=panel)
    last = axes[-1, 0]
    abbreviated = get_month_names("abbreviated", locale=L.locale)
    last.set_xticks(list(MONTHS), [abbreviated[m] for m in MONTHS])
    last.set_xlim(0.4, 12.6)
    handles = [Patch(color=normal, label=L("plan.chart.max")), Patch(color=alarm, label=L("plan.chart.max_over")),
               Line2D([], [], color=PALETTE["ink"], marker="o", markersize=3.2, label=L("plan.chart.mean")),
               Line2D([], [], color=PALETTE["threat"], linestyle="--", label=L("plan.chart.cap_line"))]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, frameon=False, fontsize=7.5)
    if not channels:
        axes[0, 0].text(0.5, 0.5, L("plan.pressure.none"), transform=axes[0, 0].transAxes, ha="center", va="center",
                        fontsize=8.5, color=PALETTE["muted"])
        axes[0, 0].set_axis_off()
    return axes[0, 0]


TARGET_SIZE = "target-size"  # gid of the number written after a programme's bar
TARGET_MISSING = "target-missing"  # gid of the data a programme without a size misses


def _target_bars(sizes: pd.DataFrame, L: Labels):
    """(targeted, reachable, longest bar, the programmes' names): what ``targets_chart`` draws."""
    size = sizes["size"].astype("Float64").fillna(0).to_numpy(float)
    reach = sizes["reachable"].astype("Float64").fillna(0).to_numpy(float)
    top = max(size.max() if len(size) else 0, 1)
    names = ["\n".join(wrap_label(str(p), 30)) for p in sizes["programme"]]
    return size, reach, top, names


def _target_note(record, size: float, top: float, L: Labels) -> tuple[float, str]:
    """Where the text after a programme's bar starts (x), and what it says."""
    if pd.isna(record["size"]):
        return top * 0.01, L("plan.chart.missing", fields=L.join([field_name(f, L.lang) for f in record["missing"]]))
    return size + top * 0.01, L.number(size)


def targets_chart(sizes: pd.DataFrame, *, labels: Labels, ax: Axes | None = None) -> Axes:
    """Per programme (``target_sizes``): customers targeted and, of them, reachable
    on its channel; programmes the file cannot target say which data are missing."""
    import seaborn as sns  # imported where it draws (see views/charts/style.py)

    L = labels
    use_house_style()
    n = max(len(sizes), 1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 1.3 + 0.38 * n), layout="constrained")
    else:
        fig = ax.figure
    fig.suptitle(L("plan.chart.targets_title"), x=0.0, ha="left", fontsize=11, fontweight="bold", color=PALETTE["ink"])
    ax.set_title(L("plan.chart.targets_takeaway"), loc="left", fontsize=8.5, color=PALETTE["muted"], pad=8)
    y = np.arange(len(sizes))
    size, reach, top, names = _target_bars(sizes, L)
    ax.barh(y, size, height=0.7, color=PALETTE["muted"] + "55", zorder=2)
    ax.barh(y, reach, height=0.4, color=PALETTE["accent"], zorder=3)
    for i, record in enumerate(sizes.to_dict("records")):
        x, text = _target_note(record, size[i], top, L)
        if pd.isna(record["size"]):
            ax.text(x, i, text, va="center", fontsize=7.5, style="italic", color=PALETTE["weakness"], gid=TARGET_MISSING)
        else:
            ax.text(x, i, text, va="center", fontsize=7.5, color=PALETTE["ink"], gid=TARGET_SIZE)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.15)
    number = functools.lru_cache(maxsize=64)(L.number)  # a tick is formatted at every layout pass and draw
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.tick_params(labelsize=7.5)
    ax.set_xlabel(L("plan.chart.customers_axis"), fontsize=8)
    fig.legend(handles=[Patch(color=PALETTE["muted"] + "55", label=L("plan.chart.targeted")),
                        Patch(color=PALETTE["accent"], label=L("plan.chart.reachable"))],
               loc="outside lower center", ncol=2, frameon=False, fontsize=7.5)
    sns.despine(ax=ax, left=True)
    return ax


def update_targets_chart(ax: Axes, sizes: pd.DataFrame, *, labels: Labels) -> bool:
    """Move a ``targets_chart`` of its own figure to new programmes' names and sizes in
    place: the picture a new chart would give (the figure's constrained layout runs at
    each draw), without building one. False, and nothing changed, when the chart's shape
    changed (number of programmes, a size becoming known or unknown)."""
    texts = [t for t in ax.texts if t.get_gid() in (TARGET_SIZE, TARGET_MISSING)]
    kinds = [TARGET_MISSING if pd.isna(s) else TARGET_SIZE for s in sizes["size"]]
    if (len(ax.containers) != 2 or any(len(bars) != len(sizes) for bars in ax.containers)
            or [t.get_gid() for t in texts] != kinds):
        return False
    size, reach, top, names = _target_bars(sizes, labels)
    for i, (record, text, size_bar, reach_bar) in enumerate(zip(sizes.to_dict("records"), texts, *ax.containers)):
        size_bar.set_width(size[i])
        reach_bar.set_width(reach[i])
        x, words = _target_note(record, size[i], top, labels)
        text.set_position((x, i))
        text.set_text(words)
    if [t.get_text() for t in ax.get_yticklabels()] != names:
        ax.set_yticks(np.arange(len(sizes)), names)
    ax.set_xlim(0, top * 1.15)
    return True
