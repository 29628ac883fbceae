"""Workbook 02 charts, in seaborn's shape: the data (an aggregate DataFrame or
``rfm_table``'s scores) in, keyword-only ``labels``, ``ax=None``, the Axes out;
house style from ``relkit.views.charts.style``.

Each chart carries its title and a one-line takeaway (computed by the caller
from the same data) so a page read alone still says what matters. Without
``ax`` each draws on a new page-wide figure of its own height.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from relkit.io.labels import Labels
from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, use_house_style


def _titled(ax: Axes | None, height: float, title: str, takeaway: str) -> Axes:
    """The Axes to draw on (a new page-wide figure ``height`` inches high when
    none is given), with the title over the figure and the takeaway over the Axes."""
    use_house_style()
    if ax is None:
        _, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, height), layout="constrained")
    ax.figure.suptitle(title, x=0.0, ha="left", fontsize=11, fontweight="bold", color=PALETTE["ink"])
    ax.set_title(takeaway, loc="left", fontsize=8.5, color=PALETTE["muted"], pad=8)
    return ax


def _pct(labels: Labels):
    return FuncFormatter(lambda v, _: labels.percent(v))


def segment_shares(profile: pd.DataFrame, *, names: dict[str, str], labels: Labels, title: str, takeaway: str,
                   ax: Axes | None = None) -> Axes:
    """Share of customers vs share of revenue per segment (horizontal bars);
    ``profile`` is ``rfm.profiles``' table, ``names`` the segments' shown names."""
    import seaborn as sns  # imported where it draws (see views/charts/style.py)

    data = profile[profile["customers"] > 0]
    tidy = pd.concat([
        pd.DataFrame({"segment": [names[s] for s in data.index], "kind": labels("customers.chart.share_customers"), "value": data["share"].to_numpy()}),
        pd.DataFrame({"segment": [names[s] for s in data.index], "kind": labels("customers.chart.share_revenue"), "value": data["revenue_share"].to_numpy()}),
    ])
    ax = _titled(ax, 0.42 * len(data) + 1.2, title, takeaway)
    sns.barplot(tidy, y="segment", x="value", hue="kind", ax=ax, palette=[PALETTE["muted"], PALETTE["accent"]], orient="h")
    ax.xaxis.set_major_formatter(_pct(labels))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.legend(title="", loc="lower right", frameon=False, fontsize=8)
    sns.despine(ax=ax, left=True)
    return ax


def rfm_heatmap(grid: pd.DataFrame, *, labels: Labels, title: str, takeaway: str, ax: Axes | None = None) -> Axes:
    """R (rows, 5 = most recent at top) × F (columns) cells, average spend in
    each; ``grid`` is ``rfm.rf_heatmap``'s table."""
    import seaborn as sns  # imported where it draws (see views/charts/style.py)

    ax = _titled(ax, 3.6, title, takeaway)
    annot = grid.map(lambda v: "" if pd.isna(v) else labels.money(round(v)))
    sns.heatmap(grid, annot=annot, fmt="", cmap="Blues", cbar=False, linewidths=1, linecolor="white", ax=ax,
                annot_kws={"fontsize": 8}, mask=grid.isna())
    ax.set_ylabel(labels("customers.chart.r_axis"))
    ax.set_xlabel(labels("customers.chart.f_axis"))
    ax.tick_params(axis="y", rotation=0)
    return ax


def recency_distribution(scores: pd.DataFrame, *, dormant_days: int, labels: Labels, title: str, takeaway: str,
                         ax: Axes | None = None) -> Axes:
    """Customers by days since their last purchase (``rfm_table``'s ``recency``),
    the dormancy threshold marked."""
    import seaborn as sns  # imported where it draws (see views/charts/style.py)

    ax = _titled(ax, 2.8, title, takeaway)
    sns.histplot(scores["recency"], bins=30, ax=ax, color=PALETTE["accent"], edgecolor="white")
    ax.axvline(dormant_days, color=PALETTE["weakness"], linestyle="--", linewidth=1.2)
    ax.text(dormant_days, ax.get_ylim()[1] * 0.95, " " + labels("customers.chart.dormant_line"), color=PALETTE["weakness"],
            fontsize=8, va="top")
    ax.set_xlabel(labels("customers.chart.recency_axis"))
    ax.set_ylabel(labels("customers.chart.customers_axis"))
    sns.despine(ax=ax)
    return ax


def pareto(scores: pd.DataFrame, *, labels: Labels, title: str, takeaway: str, ax: Axes | None = None) -> Axes:
    """Cumulative share of revenue against share of customers, best first
    (``rfm_table``'s ``monetary``)."""
    import seaborn as sns  # imported where it draws (see views/charts/style.py)

    spend = np.sort(scores["monetary"].clip(lower=0).to_numpy())[::-1]
    x = np.arange(1, len(spend) + 1) / len(spend)
    y = np.cumsum(spend) / spend.sum() if spend.sum() else np.zeros_like(x)
    ax = _titled(ax, 2.8, title, takeaway)
    ax.plot(np.r_[0, x], np.r_[0, y], color=PALETTE["accent"], linewidth=1.8)
    ax.plot([0, 1], [0, 1], color=PALETTE["muted"], linewidth=0.8, linestyle=":")
    ax.axhline(0.8, color=PALETTE["weakness"], linewidth=0.8, linestyle="--")
    ax.xaxis.set_major_formatter(_pct(labels))
    ax.yaxis.set_major_formatter(_pct(labels))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(labels("customers.chart.pareto_x"))
    ax.set_ylabel(labels("customers.chart.pareto_y"))
    sns.despine(ax=ax)
    return ax


def completeness(table: pd.DataFrame, *, labels: Labels, title: str, takeaway: str, ax: Axes | None = None) -> Axes:
    """Per field: share filled and share valid (tidy: field, measure, value)."""
    import seaborn as sns  # imported where it draws (see views/charts/style.py)

    fields = table["field"].unique()
    ax = _titled(ax, 0.32 * len(fields) + 1.2, title, takeaway)
    sns.barplot(table, y="field", x="value", hue="measure", ax=ax, orient="h",
                palette=[PALETTE["accent"], PALETTE["strength"]])
    ax.xaxis.set_major_formatter(_pct(labels))
    ax.set_xlim(0, 1)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.legend(title="", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    sns.despine(ax=ax, left=True)
    return ax
