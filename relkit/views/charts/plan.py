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
    size = sizes["size"].astype("Float64").fillna(0).to_numpy(float)
    reach = sizes["reachable"].astype("Float64").fillna(0).to_numpy(float)
    ax.barh(y, size, height=0.7, color=PALETTE["muted"] + "55", zorder=2)
    ax.barh(y, reach, height=0.4, color=PALETTE["accent"], zorder=3)
    top = max(size.max() if len(size) else 0, 1)
    for i, (_, r) in enumerate(sizes.iterrows()):
        if pd.isna(r["size"]):
            fields = L.join([field_name(f, L.lang) for f in r["missing"]])
            ax.text(top * 0.01, i, L("plan.chart.missing", fields=fields),
                    va="center", fontsize=7.5, style="italic", color=PALETTE["weakness"])
        else:
            ax.text(size[i] + top * 0.01, i, L.number(size[i]), va="center", fontsize=7.5, color=PALETTE["ink"])
    ax.set_yticks(y, ["\n".join(wrap_label(str(p), 30)) for p in sizes["programme"]])
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
