"""Charts of the action plan's budget: the quarterly bars against the envelopes and
the split by category, and the one colour per category every action-plan chart uses
(the retro-planning is in ``retro``).

Seaborn's shape: the topic's data in (``quarter_totals``, ``category_totals``),
keyword-only ``labels``, ``ax=None`` (a page-wide figure is made when none is given),
the Axes out. ``update_budget_chart`` and ``update_category_chart`` move a drawn chart
to new numbers in place (the workshop redraws them at each change).
"""
from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from relkit.io.budget_cells import BudgetLine
from relkit.io.labels import Labels
from relkit.topics.action_plan import category_label
from relkit.topics.budget import quarter_label
from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, fit_line, use_house_style, wrap_label

# The one colour code per category (seed 001: "un code couleur pour chaque catégorie").
CATEGORY_COLOURS = {
    "content": "#1565C0",
    "merchandising": "#6A1B9A",
    "community": "#2E7D32",
    "online_ads": "#EF6C00",
    "website_seo": "#00838F",
    "emailing_crm": "#C62828",
    "events": "#AD1457",
    "public_relations": "#5D4037",
    "partnerships": "#9E9D24",
    "print": "#455A64",
    "sales": "#F9A825",
    "other": "#9E9E9E",
    "deployment": "#37474F",  # the roadmap's phases (relkit.topics.deployment.roadmap_rows), drawn last
}


def _money_axis(ax, labels: Labels) -> None:
    money = functools.lru_cache(maxsize=64)(labels.money)  # a tick is formatted at every layout pass and draw
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))


def _envelope_money(envelope: BudgetLine, forecast: float) -> float:
    share = envelope.percent * forecast if envelope.percent and not math.isnan(forecast) else 0.0
    return envelope.money + share


BUDGET_TOTAL = "budget-total"  # gid of the total written on top of each quarter's bar
BUDGET_ENVELOPE = "budget-envelope-{}"  # gid of a quarter's envelope marker
CATEGORY_TOTAL = "category-total"  # gid of the amount and share written after each category's bar


def _budget_levels(totals: pd.DataFrame, envelopes: Mapping[str, BudgetLine | None] | None
                   ) -> tuple[list[float], list[float], dict[int, float], float]:
    """(fixed, share of revenue, envelope level by quarter position, peak): what the bars,
    markers and labels of ``budget_chart`` stand on, for drawing and for ``update_budget_chart``."""
    fixed = totals["fixed"].astype(float).tolist()
    share = totals["percent_money"].astype(float).fillna(0).tolist()
    peak = max([f + s for f, s in zip(fixed, share)] + [1.0])
    levels = {}
    for i, record in enumerate(totals.to_dict("records")):
        envelope = envelopes.get(record["quarter"]) if envelopes else None
        if envelope is not None:
            levels[i] = _envelope_money(envelope, float(record.get("revenue_forecast", math.nan)))
            peak = max(peak, levels[i])
    return fixed, share, levels, peak


def _total_position(i: int, fixed: list[float], share: list[float], levels: dict[int, float], peak: float):
    return i, max(fixed[i] + share[i], levels.get(i, 0.0)) + peak * 0.025


def budget_chart(totals: pd.DataFrame, *, labels: Labels, envelopes: Mapping[str, BudgetLine | None] | None = None,
                 title: str | None = None, ax: Axes | None = None) -> Axes:
    """Stacked bars per quarter (``quarter_totals``): fixed € and % of revenue (valued at the
    forecast), the total written on top, and the stated envelope as a black marker when given."""
    use_house_style()
    made = ax is None
    if made:
        _, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 3.3))
    x = list(range(len(totals)))
    fixed, share, levels, peak = _budget_levels(totals, envelopes)
    ax.bar(x, fixed, width=0.55, color=PALETTE["accent"], label=labels("budget.chart.fixed"))
    ax.bar(x, share, width=0.55, bottom=fixed, color=PALETTE["opportunity"] + "99",
           label=labels("budget.chart.percent"))
    handles, names = ax.get_legend_handles_labels()
    for i, level in levels.items():
        ax.plot([i - 0.36, i + 0.36], [level, level], color=PALETTE["ink"], linewidth=2, solid_capstyle="butt",
                gid=BUDGET_ENVELOPE.format(i))
    if levels:
        handles.append(Line2D([0], [0], color=PALETTE["ink"], linewidth=2))
        names.append(labels("budget.chart.envelope"))
    for i, (f, s) in enumerate(zip(fixed, share)):
        ax.text(*_total_position(i, fixed, share, levels, peak), labels.money(f + s), ha="center", va="bottom",
                fontsize=8, color=PALETTE["ink"], gid=BUDGET_TOTAL)
    ax.set_ylim(0, peak * 1.15)
    ax.set_xticks(x, [quarter_label(q, labels) for q in totals["quarter"]])
    _money_axis(ax, labels)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    # the key in one row between the title and the plot: inside the plot it covered a tall first bar's label
    ax.legend(handles, names, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=max(len(handles), 1), fontsize=7.5,
              frameon=False, borderaxespad=0.2, handlelength=1.6, columnspacing=1.6)
    ax.set_title("\n".join(wrap_label(title if title is not None else labels("budget.chart.title"), 90)), fontsize=10,
                 fontweight="bold", loc="left", color=PALETTE["ink"], pad=20)
    if made:
        ax.figure.tight_layout()
    return ax


def _tick_texts(ax: Axes) -> tuple:
    """The tick labels the visible axes will show at their present limits."""
    return tuple(tuple(axis.get_major_formatter().format_ticks(axis.get_majorticklocs()))
                 for axis in (ax.xaxis, ax.yaxis) if axis.get_visible())


def _lay_out_again(ax: Axes, ticks_before: tuple, labels_inside: list) -> None:
    """``tight_layout`` after an update, unless nothing it measures can have moved: the tick
    labels are the ones it measured, and the labels that moved are inside the axes."""
    if _tick_texts(ax) == ticks_before:
        renderer = ax.figure._get_renderer()
        box = ax.bbox
        if all(box.x0 <= e.x0 and e.x1 <= box.x1 and box.y0 <= e.y0 and e.y1 <= box.y1
               for e in (t.get_window_extent(renderer) for t in labels_inside)):
            return
    ax.figure.tight_layout()


def update_budget_chart(ax: Axes, totals: pd.DataFrame, *, labels: Labels,
                        envelopes: Mapping[str, BudgetLine | None] | None = None) -> bool:
    """Move the bars, markers and totals of a ``budget_chart`` of its own figure to new
    numbers, laid out again: the picture a new chart would give, at a fraction of the cost
    of building one (the workshop redraws it at each change). False, and nothing changed,
    when the new numbers need another chart (other quarters, envelopes added or dropped)."""
    fixed, share, levels, peak = _budget_levels(totals, envelopes)
    texts = [t for t in ax.texts if t.get_gid() == BUDGET_TOTAL]
    markers = {line.get_gid(): line for line in ax.lines}
    quarters = [t.get_text() for t in ax.get_xticklabels()]
    if (len(ax.containers) != 2 or any(len(bars) != len(fixed) for bars in ax.containers) or len(texts) != len(fixed)
            or set(markers) != {BUDGET_ENVELOPE.format(i) for i in levels}
            or quarters != [quarter_label(q, labels) for q in totals["quarter"]]):
        return False
    ticks = _tick_texts(ax)
    for i, (fixed_bar, share_bar) in enumerate(zip(*ax.containers)):
        fixed_bar.set_height(fixed[i])
        share_bar.set_y(fixed[i])
        share_bar.set_height(share[i])
        texts[i].set_position(_total_position(i, fixed, share, levels, peak))
        texts[i].set_text(labels.money(fixed[i] + share[i]))
    for i, level in levels.items():
        markers[BUDGET_ENVELOPE.format(i)].set_ydata([level, level])
    ax.set_ylim(0, peak * 1.15)
    _lay_out_again(ax, ticks, texts)
    return True


def _category_rows(categories: pd.DataFrame, labels: Labels):
    """The categories with money, smallest first (drawn bottom up): (data, names, colours, peak)."""
    data = categories[categories["total"] > 0].sort_values("total", ascending=True, kind="stable")
    names = [fit_line(category_label(c, labels), 34) for c in data["category"]]
    colours = [CATEGORY_COLOURS.get(c, CATEGORY_COLOURS["other"]) for c in data["category"]]
    peak = float(data["total"].max()) if len(data) else 1.0
    return data, names, colours, peak


def _category_text(total: float, share: float, labels: Labels) -> str:
    return f"{labels.money(total)} · {labels.percent(share)}"


def category_chart(categories: pd.DataFrame, *, labels: Labels, title: str | None = None,
                   ax: Axes | None = None) -> Axes:
    """Share of the money budget by category (``category_totals``), biggest first."""
    use_house_style()
    data, names, colours, peak = _category_rows(categories, labels)
    made = ax is None
    if made:
        _, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 0.32 * max(len(data), 1) + 1.0))
    ax.barh(range(len(data)), data["total"], color=colours, height=0.6)
    for i, (total, share) in enumerate(zip(data["total"], data["share"])):
        ax.text(total + peak * 0.01, i, _category_text(total, share, labels), va="center", fontsize=7.5,
                color=PALETTE["ink"], gid=CATEGORY_TOTAL)
    ax.set_yticks(range(len(data)), names)
    ax.set_xlim(0, peak * 1.3)
    ax.xaxis.set_visible(False)
    ax.tick_params(labelsize=7.5)
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    ax.set_title("\n".join(wrap_label(title if title is not None else labels("budget.category_chart.title"), 90)),
                 fontsize=10, fontweight="bold", loc="left", color=PALETTE["ink"])
    if made:
        ax.figure.tight_layout()
    return ax


def update_category_chart(ax: Axes, categories: pd.DataFrame, *, labels: Labels) -> bool:
    """As ``update_budget_chart``, for a ``category_chart``: bar lengths, their order, colours
    and amounts; False when the number of categories with money changed (the figure's height)."""
    data, names, colours, peak = _category_rows(categories, labels)
    texts = [t for t in ax.texts if t.get_gid() == CATEGORY_TOTAL]
    if len(ax.containers) != 1 or len(ax.containers[0]) != len(data) or len(texts) != len(data):
        return False
    ticks = _tick_texts(ax)
    for i, (bar, text, total, share, colour) in enumerate(zip(ax.containers[0], texts, data["total"], data["share"],
                                                              colours)):
        bar.set_width(total)
        bar.set_facecolor(colour)
        text.set_position((total + peak * 0.01, i))
        text.set_text(_category_text(total, share, labels))
    if [t.get_text() for t in ax.get_yticklabels()] != names:
        ax.set_yticks(range(len(data)), names)
    ax.set_xlim(0, peak * 1.3)
    _lay_out_again(ax, ticks, texts)
    return True


def category_legend(codes: Iterable[str], *, labels: Labels) -> list[Patch]:
    """Legend patches in the category colours, for callers that compose their own figure."""
    return [Patch(color=CATEGORY_COLOURS.get(c, CATEGORY_COLOURS["other"]), label=category_label(c, labels))
            for c in codes]
