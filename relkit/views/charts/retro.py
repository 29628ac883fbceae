"""The retro-planning of the action plan (workbook 05): months × actions, one colour per
category, the key dates in a band above, drawn in inches on a canvas that covers its figure.

Seaborn's shape: the topic's data in (Actions, the key dates' tidy frame), keyword-only
``labels``, ``ax=None``, the Axes out. ``update_retro_chart`` gives a drawn chart new names
and months in place (the workshop redraws it as names are typed).
"""
from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle

from relkit.io.labels import Labels
from relkit.topics.action_plan import Action, category_label, in_category_order, month_abbreviations
from relkit.views.charts.budget import CATEGORY_COLOURS
from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, canvas, fit_line, roles, use_house_style, wrap_label

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
        event = fit_line(r["event"], 36)  # a long name is cut: it must fit left of a December date
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
            ax.text(0.1, y + head_h / 2 + 0.01, fit_line(category_label(item, labels), 60), fontsize=7.5,
                    fontweight="bold", va="center", color=colour)
            y += head_h
            continue
        ax.text(0.22, y + row_h / 2, fit_line(item.action, plan.chars), fontsize=7, va="center", color=PALETTE["ink"],
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
        text.set_text(fit_line(action.action, plan.chars))
    for cells in ax.collections:  # the one collection of month cells (none without actions)
        if cells.get_gid() == RETRO_CELLS:
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
