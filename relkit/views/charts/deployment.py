"""Workbook 05's data-flow diagram: the plan's tools as boxes, the data flows
between them as arrows (automatic: solid; manual: dashed, in the warning colour).

Tidy data in (relkit.topics.deployment.tool_nodes: tool, role, status, flows;
flow_edges: source, destination, mode, flows), every word from the caller, the
Axes out. The boxes sit on an ellipse (a straight arrow between two of them never
crosses a third), sales channels on the left, customer data at the bottom,
management on the right; two tools exchanging both ways get two curved arrows.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, canvas, use_house_style, wrap_label

# Order of the roles around the ellipse, clockwise from the left: sales channels, then
# activation, customer data, management (relkit/templates/workshop/lists.yaml tool_role).
RING = ("e_shop", "marketplace", "point_of_sale", "crowdfunding", "social_media", "analytics", "feedback",
        "accounting", "other", "emailing", "crm", "customer_data")
BOX_W, BOX_H = 1.45, 0.4
ROLE_CHARS = int(BOX_W * 72 / (6 * 0.62))  # a role's name fits its box at 6 pt
AREA_H = 2.0  # the ellipse's band, in inches
NEW = ("new", "replaced")  # tools to set up: filled boxes


def _ring_rank(role: str) -> int:
    return RING.index(role) if role in RING else RING.index("other")


def _fit(text: str, chars: int) -> str:
    text = str(text)
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def hub(nodes: pd.DataFrame) -> str | None:
    """The tool most flows touch, when it is alone at the top with at least three
    (it goes in the middle of the ellipse), else None."""
    if len(nodes) < 4:
        return None
    counts = sorted(nodes["flows"], reverse=True)
    if counts[0] < 3 or counts[0] == counts[1]:
        return None
    return nodes.loc[nodes["flows"].idxmax(), "tool"]


def positions(nodes: pd.DataFrame, width: float, top: float) -> dict[str, tuple[float, float]]:
    """Centre of each tool's box (inches, y downwards): the hub (``hub``) in the
    middle, the others evenly spread on an ellipse in ring order, the first on the
    left; one tool alone sits in the middle."""
    centre = hub(nodes)
    order = sorted(range(len(nodes)), key=lambda i: (_ring_rank(nodes["role"].iloc[i]), i))
    names = [nodes["tool"].iloc[i] for i in order if nodes["tool"].iloc[i] != centre]
    cx, cy = width / 2, top + AREA_H / 2
    if len(names) == 1 and centre is None:
        return {names[0]: (cx, cy)}
    rx, ry = width / 2 - BOX_W / 2 - 0.1, AREA_H / 2 - BOX_H / 2
    n = len(names)
    out = {centre: (cx, cy)} if centre is not None else {}
    for i, name in enumerate(names):
        theta = math.pi - 2 * math.pi * i / n  # clockwise from the left (y grows downwards)
        out[name] = (cx + rx * math.cos(theta), cy - ry * math.sin(theta))
    return out


def _bend(start: tuple[float, float], end: tuple[float, float], centre: tuple[float, float] | None,
          both_ways: bool) -> float:
    """The arc3 curvature of an arrow: a little for a pair exchanging both ways (each
    arrow on its own side), more for a straight line that would cross the middle box
    (bent away from it), else none."""
    if centre is not None and centre not in (start, end):
        (x1, y1), (x2, y2), (px, py) = start, end, centre
        dx, dy = x2 - x1, y2 - y1
        t = max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)))
        if math.hypot(x1 + t * dx - px, y1 + t * dy - py) < BOX_H * 1.4:
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            # arc3's control point, in these y-down inches: middle + rad × (-dy, dx)
            away = (mx - dy - px) ** 2 + (my + dx - py) ** 2 > (mx + dy - px) ** 2 + (my - dx - py) ** 2
            return 0.3 if away else -0.3
    return 0.18 if both_ways else 0.0


def flow_diagram(nodes: pd.DataFrame, edges: pd.DataFrame, *, role_names: Mapping[str, str],
                 legend: Mapping[str, str], title: str, takeaway: str | None = None, ax: Axes | None = None) -> Axes:
    """Boxes for ``nodes`` (tool name in bold, its role under it; tools to set up
    filled in the accent colour, today's tools that the plan replaces greyed and
    dashed) and one arrow per row of ``edges``. ``legend``: texts for the keys
    automatic, manual, new, kept, current."""
    use_house_style()
    width = PAGE_WIDTH_IN
    title_lines = wrap_label(title, 80)
    take_lines = wrap_label(takeaway, 112) if takeaway else []
    top = 0.1 + 0.21 * len(title_lines) + 0.16 * len(take_lines) + 0.12
    height = top + AREA_H + 0.3
    ax = canvas(width, height, ax=ax)
    ax.text(0.05, 0.1, "\n".join(title_lines), fontsize=10, fontweight="bold", va="top", color=PALETTE["ink"])
    if take_lines:
        ax.text(0.05, 0.1 + 0.21 * len(title_lines) + 0.02, "\n".join(take_lines), fontsize=8.5, va="top",
                color=PALETTE["muted"])
    where = positions(nodes, width, top)
    middle = hub(nodes)
    boxes = {}
    for record in nodes.to_dict("records"):
        x, y = where[record["tool"]]
        status = record["status"]
        filled = status in NEW
        current = status not in NEW and status != "kept"
        box = FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H, boxstyle="round,pad=0,rounding_size=0.06",
                             facecolor=PALETTE["accent"] if filled else "white",
                             edgecolor=PALETTE["muted"] if current else PALETTE["accent"],
                             linewidth=0.9, linestyle="--" if current else "-", zorder=3)
        ax.add_patch(box)
        boxes[record["tool"]] = box
        ink = "white" if filled else (PALETTE["muted"] if current else PALETTE["ink"])
        ax.text(x, y - 0.06, _fit(record["tool"], 22), fontsize=7.6, fontweight="bold", ha="center", va="center",
                color=ink, zorder=4)
        ax.text(x, y + 0.09, _fit(role_names.get(record["role"], record["role"]), ROLE_CHARS), fontsize=6, ha="center",
                va="center", color=ink if filled else PALETTE["muted"], zorder=4)
    pairs = {(s, d) for s, d in zip(edges["source"], edges["destination"])}
    manual_colour = PALETTE["threat"]
    for record in edges.to_dict("records"):
        source, destination = record["source"], record["destination"]
        if source not in where or destination not in where:
            continue
        both_ways = (destination, source) in pairs
        manual = record["mode"] == "manual"
        bend = _bend(where[source], where[destination], where.get(middle), both_ways)
        arrow = FancyArrowPatch(where[source], where[destination], patchA=boxes[source], patchB=boxes[destination],
                                arrowstyle="-|>", mutation_scale=9, shrinkA=2, shrinkB=2,
                                connectionstyle=f"arc3,rad={bend}",
                                color=manual_colour if manual else PALETTE["accent"],
                                linewidth=1.3 if manual else 1.1, linestyle=(0, (3.5, 2.2)) if manual else "-",
                                zorder=2)
        ax.add_patch(arrow)
    handles = [Line2D([0], [0], color=PALETTE["accent"], linewidth=1.1),
               Line2D([0], [0], color=manual_colour, linewidth=1.3, linestyle=(0, (3.5, 2.2))),
               Patch(facecolor=PALETTE["accent"], edgecolor=PALETTE["accent"]),
               Patch(facecolor="white", edgecolor=PALETTE["accent"])]
    names = [legend["automatic"], legend["manual"], legend["new"], legend["kept"]]
    if any(s not in NEW and s != "kept" for s in nodes["status"]):
        handles.append(Patch(facecolor="white", edgecolor=PALETTE["muted"], linestyle="--"))
        names.append(legend["current"])
    ax.legend(handles, names, loc="lower left", bbox_to_anchor=(0.0, 0.0), ncol=len(names), fontsize=7,
              frameon=False, handlelength=2.2, columnspacing=1.4, borderaxespad=0.1)
    return ax
