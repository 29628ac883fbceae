"""Automation scenarios as flows (workbook 05, appendix): the trigger, then each
message in sending order — its delay, channel and text — with the condition it
waits for written on the arrow. Drawn with matplotlib boxes and arrows.

``scenario_flow`` draws one scenario from a tidy frame (one row per step) into an
Axes; ``scenarios_chart`` stacks one flow per scenario under a title and a
one-line takeaway computed by the caller from the data.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, canvas, use_house_style, wrap_label

STEP_COLUMNS = ("step", "delay", "channel", "channel_name", "message", "condition")  # tidy input, labels in the language
ROW_HEIGHT_IN = 1.25
_BOX_H = 0.78
_CHANNEL_ROLES = {"email": "accent", "sms": "threat", "mail": "strength", "phone": "opportunity", "social": "opportunity"}


def _colour(channel: str) -> str:
    return PALETTE[_CHANNEL_ROLES.get(channel, "muted")]


def scenario_flow(steps: pd.DataFrame, *, trigger: str, title: str, ax: Axes | None = None,
                  width: float = PAGE_WIDTH_IN) -> Axes:
    """One scenario: a box for the trigger, one per step (delay and channel in bold,
    the message under them), arrows between them carrying the condition
    ("si non ouvert") when there is one. ``steps``: columns ``STEP_COLUMNS``, in order
    (condition: '' when the message always goes)."""
    if ax is None:  # drawn into a given Axes: its chart has set the style
        use_house_style()
    ax = canvas(width, ROW_HEIGHT_IN, ax)
    ax.text(0.04, 0.16, title, fontsize=9, fontweight="bold", color=PALETTE["ink"], va="center")
    n = len(steps) + 1
    gap = 0.32
    box_w = min(1.55, (width - 0.12 - gap * (n - 1)) / n)
    chars = max(12, int(box_w * 13))
    top = 0.36
    x = 0.04
    boxes = []
    trigger_lines = wrap_label(trigger, chars)[:3]
    ax.add_patch(FancyBboxPatch((x, top), box_w, _BOX_H, boxstyle="round,pad=0,rounding_size=0.08",
                                facecolor="#F3F4F6", edgecolor=PALETTE["muted"], linewidth=0.8))
    ax.text(x + box_w / 2, top + _BOX_H / 2, "\n".join(trigger_lines), ha="center", va="center", fontsize=6.8,
            color=PALETTE["ink"], style="italic")
    boxes.append(x)
    for _, s in steps.iterrows():
        x += box_w + gap
        colour = _colour(s["channel"])
        ax.add_patch(FancyBboxPatch((x, top), box_w, _BOX_H, boxstyle="round,pad=0,rounding_size=0.08",
                                    facecolor="white", edgecolor=colour, linewidth=1.3))
        ax.add_patch(FancyBboxPatch((x, top), box_w, 0.2, boxstyle="round,pad=0,rounding_size=0.08",
                                    facecolor=colour, edgecolor=colour, linewidth=1.3))
        ax.text(x + box_w / 2, top + 0.1, f"{s['delay']} · {s['channel_name']}", ha="center", va="center",
                fontsize=6.8, fontweight="bold", color="white")
        message = s["message"] if isinstance(s["message"], str) and s["message"] else ""
        lines = wrap_label(message, chars)
        if len(lines) > 4:
            lines = lines[:4]
            lines[-1] = lines[-1].rstrip(" ,.;:") + "…"
        ax.text(x + box_w / 2, top + 0.2 + (_BOX_H - 0.2) / 2, "\n".join(lines), ha="center", va="center",
                fontsize=6.3, color=PALETTE["ink"], linespacing=1.1)
        boxes.append(x)
    for i, (a, b) in enumerate(zip(boxes, boxes[1:])):
        y = top + _BOX_H / 2
        ax.add_patch(FancyArrowPatch((a + box_w, y), (b, y), arrowstyle="-|>", mutation_scale=8,
                                     color=PALETTE["muted"], linewidth=0.9, shrinkA=1, shrinkB=1))
        condition = steps.iloc[i]["condition"]
        if isinstance(condition, str) and condition:
            for k, line in enumerate(wrap_label(condition, max(8, int(gap * 14) + 6))[:2]):
                ax.text(a + box_w + gap / 2, top - 0.05 - 0.11 * (1 - k), line, ha="center", va="bottom",
                        fontsize=6, color=PALETTE["muted"], style="italic")
    return ax


def scenarios_chart(flows: list[tuple[str, str, pd.DataFrame]], *, title: str, takeaway: str,
                    ax: Axes | None = None) -> Axes:
    """One flow per scenario, stacked: ``flows`` = (programme, trigger, steps) each.
    Returns the top flow's Axes (``ax.figure`` is the whole chart); given ``ax``, the
    flows share its place in its figure."""
    use_house_style()
    rows = max(len(flows), 1)
    if ax is None:
        fig = plt.figure(figsize=(PAGE_WIDTH_IN, 0.55 + ROW_HEIGHT_IN * rows))
        head = 0.55 / fig.get_figheight()
        height = (1 - head) / rows
        axes = [fig.add_axes((0, 1 - head - height * (i + 1), 1, height)) for i in range(rows)]
    else:
        fig, spec = ax.figure, ax.get_subplotspec()
        ax.remove()
        axes = list(spec.subgridspec(rows, 1, hspace=0).subplots(squeeze=False)[:, 0])
    fig.suptitle(title, x=0.01, y=0.995, ha="left", va="top", fontsize=11, fontweight="bold", color=PALETTE["ink"])
    fig.text(0.01, 1 - 0.33 / fig.get_figheight(), "\n".join(wrap_label(takeaway, 110)[:2]), ha="left", va="top",
             fontsize=8.5, color=PALETTE["muted"])
    for a, (name, trigger, steps) in zip(axes, flows):
        scenario_flow(steps, trigger=trigger, title=name, ax=a)
    if not flows:
        axes[0].axis("off")
    return axes[0]
