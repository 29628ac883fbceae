"""Charts of the action plan and its budget: the retro-planning grid, the quarterly
budget bars against the envelopes and the split by category.

Seaborn's shape: the topic's data in (Actions, ``quarter_totals``, ``category_totals``),
keyword-only ``labels``, ``ax=None`` (a page-wide figure is made when none is given),
the Axes out.
"""
from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from relkit.io.budget_cells import BudgetLine
from relkit.io.labels import Labels
from relkit.topics.action_plan import Action, category_label, in_category_order, month_abbreviations
from relkit.topics.budget import quarter_label
from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, canvas, roles, use_house_style, wrap_label

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


def _fit_line(text: str, chars: int) -> str:
    text = str(text)
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


# Key dates on the retro-planning: one colour per stance (relkit.topics.key_dates.STANCES).
KEY_DATE_COLOURS = roles(planned="strength", avoid="weakness", info="muted")
KEY_DATE_LANE_H = 0.15  # inches per lane of key dates
KEY_DATE_FONT = 6.5
RETRO_CELLS = "retro-cells"  # gid of the retro-planning's collection of month cells
RETRO_IDLE = "#F2F3F5"  # a month where the action is not active


def _key_date_lanes(frame: pd.DataFrame, left: float, col_w: float, right_edge: float
                    ) -> list[tuple[int, float, float, str, str, bool]]:
    """(lane, x0, x1 in inches, event, stance, label to the left) per key date: each goes in the
    first lane where neither its bar nor its name touches another (names are ~0.55 em wide)."""
    ends: list[float] = []
    out = []
    for r in frame.sort_values(["x0", "x1"], kind="stable").to_dict("records"):
        x0, x1 = left + col_w * float(r["x0"]), left + col_w * float(r["x1"])
        x1 = max(x1, x0 + 0.05)  # a single day stays visible
        event = _fit_line(r["event"], 36)  # a long name is cut: it must fit left of a December date
        text_w = len(event) * KEY_DATE_FONT * 0.56 / 72 + 0.06
        flip = x0 + text_w > right_edge  # no room on the right: the name ends at the bar's end
        lo, hi = (min(x0, x1 - text_w), x1) if flip else (x0, max(x1, x0 + text_w))
        lane = next((i for i, end in enumerate(ends) if end + 0.04 <= lo), len(ends))
        if lane == len(ends):
            ends.append(hi)
        ends[lane] = hi
        out.append((lane, x0, x1, event, str(r["stance"]), flip))
    return out


class _RetroPlan(NamedTuple):
    """Where everything of a retro-planning goes (inches, y downwards), before drawing."""

    rows: list  # ("head", category) or ("action", Action), top to bottom
    title_lines: list[str]
    takeaway_lines: list[str]
    lanes: list  # _key_date_lanes
    width: float
    left: float
    right: float
    col_w: float
    row_h: float
    head_h: float
    top: float
    band_h: float
    height: float
    chars: int  # of an action's name

    @property
    def shape(self) -> tuple:
        """All that places the chart's parts: two plans of the same shape differ only in
        action names, months and the takeaway's words."""
        rows = tuple((kind, item if kind == "head" else item.category) for kind, item in self.rows)
        return rows, tuple(self.title_lines), len(self.takeaway_lines), tuple(self.lanes), self.height


def _retro_plan(actions: Iterable[Action], labels: Labels, title: str | None, takeaway: str | None,
                key_dates: pd.DataFrame | None) -> _RetroPlan:
    ordered = in_category_order(actions)
    width = PAGE_WIDTH_IN
    left, right = 2.35, 0.08
    col_w = (width - left - right) / 12
    row_h, head_h = 0.18, 0.22  # compact rows: the key-date band above them keeps the chart on one page
    title = title if title is not None else labels("budget.retro.title")
    title_lines = wrap_label(title, 80)
    takeaway_lines = wrap_label(takeaway, 110) if takeaway else []
    top = 0.12 + 0.22 * len(title_lines) + 0.17 * len(takeaway_lines) + 0.28  # title, takeaway, then month names
    lanes = _key_date_lanes(key_dates, left, col_w, width - right) if key_dates is not None and len(key_dates) else []
    n_lanes = max((lane for lane, *_ in lanes), default=-1) + 1
    band_h = (0.08 + KEY_DATE_LANE_H * max(n_lanes, 2)) if lanes else 0.0  # room for its name and legend
    top += band_h
    rows: list[tuple[str, object]] = []
    current = None
    for action in ordered:
        if action.category != current:
            rows.append(("head", action.category))
            current = action.category
        rows.append(("action", action))
    height = top + sum(head_h if kind == "head" else row_h for kind, _ in rows) + 0.12
    chars = int((left - 0.25) * 72 / (7 * 0.6))
    return _RetroPlan(rows, title_lines, takeaway_lines, lanes, width, left, right, col_w, row_h, head_h, top, band_h,
                      height, chars)


def _month_colours(action: Action) -> list[str]:
    """The action's twelve month cells: its category's colour when active, grey when not."""
    colour = CATEGORY_COLOURS.get(action.category, CATEGORY_COLOURS["other"])
    return [colour if (m + 1) in action.months else RETRO_IDLE for m in range(12)]


RETRO_NAME = "retro-name"  # gid of an action's name
RETRO_TAKEAWAY = "retro-takeaway"  # gid of the line under the title
_retro_shapes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Axes -> the shape it was drawn with


def retro_chart(actions: Iterable[Action], *, labels: Labels, title: str | None = None, takeaway: str | None = None,
                key_dates: pd.DataFrame | None = None, ax: Axes | None = None) -> Axes:
    """Months × actions grid, one colour per category, a header row per category;
    sized for a 7-inch page column (action names 7 pt, month names abbreviated).
    The grid is drawn in inches on an axes that covers its figure; ``takeaway``
    (one line computed by the caller) goes under the title. ``key_dates`` (the tidy
    frame of relkit.topics.key_dates.chart_frame: event, stance, x0, x1 in month units)
    adds a band of named periods above the grid, coloured by stance (to plan for,
    to avoid, for information), the first two shaded down the grid."""
    use_house_style()
    plan = _retro_plan(actions, labels, title, takeaway, key_dates)
    width, left, right, col_w, row_h, head_h = plan.width, plan.left, plan.right, plan.col_w, plan.row_h, plan.head_h
    top, band_h = plan.top, plan.band_h
    ax = canvas(width, plan.height, ax=ax)
    ax.text(0.08, 0.12, "\n".join(plan.title_lines), fontsize=10, fontweight="bold", va="top", color=PALETTE["ink"])
    if plan.takeaway_lines:
        ax.text(0.08, 0.12 + 0.22 * len(plan.title_lines) + 0.03, "\n".join(plan.takeaway_lines), fontsize=8.5,
                va="top", color=PALETTE["muted"], gid=RETRO_TAKEAWAY)
    for m, name in enumerate(month_abbreviations(labels)):
        ax.text(left + col_w * (m + 0.5), top - band_h - 0.08, name, fontsize=6.8, ha="center", va="bottom",
                color=PALETTE["muted"])
    cells, cell_colours = [], []  # a box per action and month: coloured when active, grey when not
    y = top
    for kind, item in plan.rows:
        if kind == "head":
            colour = CATEGORY_COLOURS.get(item, CATEGORY_COLOURS["other"])
            ax.add_artist(Rectangle((0.05, y + 0.03), width - 0.05 - right, head_h - 0.05, facecolor=colour + "1F",
                                    edgecolor="none"))  # add_artist: the canvas's limits are set, none to update
            ax.text(0.1, y + head_h / 2 + 0.01, _fit_line(category_label(item, labels), 60), fontsize=7.5,
                    fontweight="bold", va="center", color=colour)
            y += head_h
            continue
        ax.text(0.22, y + row_h / 2, _fit_line(item.action, plan.chars), fontsize=7, va="center", color=PALETTE["ink"],
                gid=RETRO_NAME)
        for m in range(12):
            x0, y0, w, h = left + col_w * m + 0.02, y + 0.03, col_w - 0.04, row_h - 0.06  # as Rectangle((x0, y0), w, h)
            cells.append(((x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)))
        cell_colours.extend(_month_colours(item))
        y += row_h
    if cells:  # the month cells in one collection: one artist to build and draw, not one per cell
        ax.add_collection(PolyCollection(cells, facecolors=cell_colours, edgecolors="none", gid=RETRO_CELLS),
                          autolim=False)
    for q in range(1, 4):  # quarter separators help read T1..T4
        x = left + col_w * 3 * q
        ax.plot([x, x], [top - 0.02, y], color=PALETTE["muted"], linewidth=0.6, alpha=0.6)
    if plan.lanes:
        _draw_key_dates(ax, plan.lanes, labels, top=top, band_h=band_h, bottom=y)
    _retro_shapes[ax] = plan.shape
    return ax


def update_retro_chart(ax: Axes, actions: Iterable[Action], *, labels: Labels, title: str | None = None,
                       takeaway: str | None = None, key_dates: pd.DataFrame | None = None) -> bool:
    """Give a ``retro_chart`` new action names, months and takeaway in place, when nothing
    else moves (same categories in the same order, as many actions in each, same title,
    key dates and line counts): the picture a new chart would give, at a fraction of
    the cost (the workshop redraws it as names are typed). False, and nothing changed,
    otherwise."""
    plan = _retro_plan(actions, labels, title, takeaway, key_dates)
    if _retro_shapes.get(ax) != plan.shape:
        return False
    names = [t for t in ax.texts if t.get_gid() == RETRO_NAME]
    actions_shown = [item for kind, item in plan.rows if kind == "action"]
    for text, action in zip(names, actions_shown):
        text.set_text(_fit_line(action.action, plan.chars))
    cells, = [c for c in ax.collections if c.get_gid() == RETRO_CELLS] or [None]
    if cells is not None:
        cells.set_facecolor([colour for action in actions_shown for colour in _month_colours(action)])
    for text in ax.texts:
        if text.get_gid() == RETRO_TAKEAWAY:
            text.set_text("\n".join(plan.takeaway_lines))
    return True


def _draw_key_dates(ax: Axes, lanes, labels: Labels, *, top: float, band_h: float, bottom: float) -> None:
    """The key-date band between the month names and the grid (its name and the stance
    legend in the left column), and the periods to plan for or to avoid shaded down the grid."""
    band_top = top - band_h + 0.02
    ax.text(0.1, band_top + KEY_DATE_LANE_H / 2, labels("keydates.chart.band"), fontsize=7.5, fontweight="bold",
            va="center", color=PALETTE["ink"])
    x = 0.1
    for s in ("planned", "avoid", "info"):
        name = labels(f"keydates.stance.{s}")
        ax.text(x, band_top + KEY_DATE_LANE_H * 1.5, "■ " + name, fontsize=6.3, va="center",
                color=KEY_DATE_COLOURS[s])
        x += (len(name) + 3) * 6.3 * 0.56 / 72
    for lane, x0, x1, event, stance, flip in lanes:
        colour = KEY_DATE_COLOURS[stance] if stance in KEY_DATE_COLOURS else KEY_DATE_COLOURS["info"]
        ly = band_top + KEY_DATE_LANE_H * lane
        ax.add_artist(Rectangle((x0, ly + 0.02), x1 - x0, KEY_DATE_LANE_H - 0.04, facecolor=colour + "40",
                               edgecolor=colour, linewidth=0.6))
        ax.text(x1 - 0.02 if flip else x0 + 0.03, ly + KEY_DATE_LANE_H / 2, event, fontsize=KEY_DATE_FONT,
                ha="right" if flip else "left", va="center", color=PALETTE["ink"])
        if stance in ("planned", "avoid"):  # the period down the grid
            ax.add_artist(Rectangle((x0, top), x1 - x0, bottom - top, facecolor=colour + "26", edgecolor=colour,
                                   linewidth=0.4, linestyle=(0, (2, 2)), zorder=3))


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
    names = [_fit_line(category_label(c, labels), 34) for c in data["category"]]
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
