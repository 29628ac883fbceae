"""Customer journey charts: tidy tables from ``relkit.topics.journey`` in,
drawn on ``ax`` or a new figure of the page's width; each returns its Axes.

Like every workbook chart, each carries its title and a one-line takeaway the
caller computed from the same data, and every word on it comes from the caller
(translated names), so a page read alone still says what matters.
"""
from __future__ import annotations

import html
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, canvas, roles, use_house_style, wrap_label
from relkit.topics.journey import QUALIFICATIONS

QUALIFICATION_COLOURS = roles(delight="strength", satisfaction="opportunity", irritant="threat",
                              breaking_point="weakness")  # follow the brand
VERSION_COLOURS = roles(current="accent", target="strength")
VERSION_STYLES = {"current": "-", "target": "--"}

_ITEM_PT = 6.5  # touchpoint label size
_LINE_IN = 0.118  # inches per 6.5 pt line at 1.15 spacing
_MAX_LINES = 2  # a touchpoint label never takes more than this: shorten with "…"


def _fit(text: str, width_chars: int, max_lines: int = _MAX_LINES) -> list[str]:
    """Wrap to the column, at most ``max_lines`` lines, the cut marked with '…'."""
    width_chars = max(width_chars, 4)
    lines = textwrap.wrap(str(text), width=width_chars, break_long_words=False) or [""]
    cut = len(lines) > max_lines or any(len(ln) > width_chars for ln in lines[:max_lines])
    lines = [ln[:width_chars] for ln in lines[:max_lines]]
    if cut:  # words are never split across lines; what does not fit ends with '…'
        lines[-1] = lines[-1][: width_chars - 1].rstrip() + "…"
    return lines


def _header(label: str, width_in: float) -> tuple[list[str], float]:
    """Stage names wrap at spaces and after '/', never inside a word: the font
    shrinks until the longest word fits ('recommandation', 'livraison/utilisation')."""
    words = str(label).replace("/", "/ ").split()
    for size in (7.5, 6.8, 6.0, 5.4):
        chars = _chars(width_in, size)
        lines = textwrap.wrap(" ".join(words), width=chars, break_long_words=False) or [""]
        lines = [ln.replace("/ ", "/") for ln in lines]
        if max(len(ln) for ln in lines) <= chars:
            return lines, size
    return lines, 5.4


def _chars(width_in: float, size_pt: float) -> int:
    """How many characters fit across ``width_in`` at ``size_pt`` (DejaVu Sans ≈ 0.6 em)."""
    return int(width_in * 72 / (size_pt * 0.6))


def matrix_chart(cells: pd.DataFrame, *, stages: list[tuple[str, str]], channels: list[tuple[str, str]],
                 names_qualification: dict[str, str], title: str, takeaway: str, collection_label: str,
                 ax: Axes | None = None) -> Axes:
    """The journey map: channels (rows) × stages (columns), each touchpoint a dot
    coloured by its qualification and a short label; a ringed dot collects data.
    Without ``ax``, a new figure of the page's width and of the height the map needs,
    the Axes filling it (its units are inches of that figure)."""
    use_house_style()
    width = PAGE_WIDTH_IN
    left, gap = 1.05, 0.03
    col_w = (width - left) / max(len(stages), 1)
    text_chars = _chars(col_w - 0.24, _ITEM_PT)
    by_cell = {(c["stage"], c["channel"]): c for c in cells.to_dict("records")}

    # layout in inches, top to bottom
    title_lines = wrap_label(title, 80)
    take_lines = wrap_label(takeaway, 110)
    top = 0.12 + 0.22 * len(title_lines) + 0.16 * len(take_lines) + 0.08
    heads = {k: _header(lab, col_w - 0.08) for k, lab in stages}
    head_h = 0.14 * max((len(lines) for lines, _ in heads.values()), default=1) + 0.12
    items = {key: [(_fit(t, text_chars), q, bool(col))
                   for t, q, col in zip(c["touchpoints"], c["qualifications"], c["collection"])]
             for key, c in by_cell.items()}
    row_h = []
    for ch, lab in channels:
        need = max((sum(len(lines) * _LINE_IN + 0.05 for lines, _, _ in items.get((st, ch), [])) for st, _ in stages),
                   default=0)
        row_h.append(max(need + 0.1, 0.1 + 0.14 * len(_fit(lab, _chars(left - 0.1, 7.5), 3)), 0.34))
    legend_h = 0.4
    height = top + head_h + sum(row_h) + legend_h

    ax = canvas(width, height, ax=ax)

    y = 0.12
    ax.text(0, y, "\n".join(title_lines), fontsize=11, fontweight="bold", color=PALETTE["ink"], va="top")
    y += 0.22 * len(title_lines)
    ax.text(0, y, "\n".join(take_lines), fontsize=8.5, color=PALETTE["muted"], va="top")

    y0 = top
    used_stages = {s for s, _ in by_cell}
    for i, (st, _) in enumerate(stages):
        x = left + i * col_w
        colour = PALETTE["ink"] if st in used_stages else PALETTE["muted"]
        ax.add_patch(Rectangle((x + gap, y0), col_w - 2 * gap, head_h - gap, facecolor=PALETTE["accent"] + "1F",
                               edgecolor="none"))
        lines, size = heads[st]
        ax.text(x + col_w / 2, y0 + head_h / 2, "\n".join(lines), ha="center", va="center", fontsize=size,
                fontweight="bold", color=colour, linespacing=1.1)
    y = y0 + head_h
    for r, ((ch, lab), h) in enumerate(zip(channels, row_h)):
        ax.text(0.02, y + h / 2, "\n".join(_fit(lab, _chars(left - 0.1, 7.5), 3)), va="center", fontsize=7.5,
                fontweight="bold", color=PALETTE["ink"], linespacing=1.1)
        for i, (st, _) in enumerate(stages):
            x = left + i * col_w
            ax.add_patch(Rectangle((x + gap, y + gap), col_w - 2 * gap, h - 2 * gap,
                                   facecolor="#F3F4F6" if r % 2 == 0 else "#FAFAFB", edgecolor="none"))
            cursor = y + 0.07
            for lines, qual, collects in items.get((st, ch), []):
                colour = QUALIFICATION_COLOURS.get(qual, PALETTE["muted"])
                ax.scatter([x + 0.1], [cursor + 0.055], s=26, color=colour, zorder=3,
                           edgecolors=PALETTE["ink"] if collects else "white", linewidths=1.3 if collects else 0.5)
                ax.text(x + 0.18, cursor, "\n".join(lines), fontsize=_ITEM_PT, va="top", color=PALETTE["ink"],
                        linespacing=1.15)
                cursor += len(lines) * _LINE_IN + 0.05
        y += h

    handles = [Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor=QUALIFICATION_COLOURS[q],
                      markeredgecolor="white", label=names_qualification.get(q, q)) for q in QUALIFICATIONS]
    handles.append(Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor="white",
                          markeredgecolor=PALETTE["ink"], markeredgewidth=1.3, label=collection_label))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(left / width, 0.02 / height),
              bbox_transform=ax.transAxes, ncol=len(handles), frameon=False, fontsize=7, handletextpad=0.3,
              columnspacing=1.0)
    return ax


COLLECTION_MARK = "\u25c9"  # ◉ after a touchpoint that collects data


def _display(label: str) -> str:
    """A stage or channel name as a table heading: capital first, a break allowed after '/'."""
    text = str(label)
    return html.escape(text[:1].upper() + text[1:]).replace("/", "/\u200b")


def map_table_html(cells: pd.DataFrame, *, stages: list[tuple[str, str]], channels: list[tuple[str, str]],
                   names_qualification: dict[str, str], title: str, takeaway: str, collection_label: str,
                   corner: str) -> str:
    """The journey map as an HTML table for the report: every stage (rows, in journey
    order) × the channels that have a touchpoint (columns); each touchpoint a chip
    coloured by its qualification (CSS classes ``rk-q-<code>``, relkit.css), its full
    label wrapped, ◉ when it collects data. Words come from the caller, escaped here."""
    by_cell = {(c["stage"], c["channel"]): c for c in cells.to_dict("records")}
    used_stages = {s for s, _ in by_cell}
    used = [(ch, lab) for ch, lab in channels if any((st, ch) in by_cell for st, _ in stages)]
    esc = html.escape
    mark = f'<span class="rk-collect" title="{esc(collection_label)}">{COLLECTION_MARK}</span>'

    def chip(text, qualification: str, collects: bool) -> str:
        return f'<div class="rk-chip rk-q-{esc(qualification)}">{esc(str(text))}{" " + mark if collects else ""}</div>'

    def cell(stage: str, channel: str) -> str:
        c = by_cell.get((stage, channel))
        chips = [] if c is None else [chip(*tp) for tp in zip(c["touchpoints"], c["qualifications"], c["collection"])]
        return f"<td>{''.join(chips)}</td>"

    head = "".join(f"<th>{_display(lab)}</th>" for _, lab in used)
    rows = "".join(f'<tr class="{"rk-used" if st in used_stages else "rk-empty"}"><th scope="row">{_display(lab)}</th>'
                   f'{"".join(cell(st, ch) for ch, _ in used)}</tr>' for st, lab in stages)
    legend = "".join(f'<span class="rk-chip rk-q-{q}">{esc(names_qualification.get(q, q))}</span>' for q in QUALIFICATIONS)
    legend += f'<span class="rk-legend-collect">{mark} {esc(collection_label)}</span>'
    return (f'<div class="rk-journey"><p class="rk-figtitle">{esc(title)}</p><p class="rk-figtake">{esc(takeaway)}</p>'
            f'<table class="rk-journey-map"><thead><tr><th>{esc(corner)}</th>{head}</tr></thead>'
            f'<tbody>{rows}</tbody></table><div class="rk-journey-legend">{legend}</div></div>')


def emotion_chart(curve: pd.DataFrame, *, stages: list[tuple[str, str]], version_names: dict[str, str],
                  title: str, takeaway: str, ax: Axes | None = None) -> Axes:
    """Mean emotion per stage, current vs target (the versions in ``version_names``,
    in that order), with the min–max band; a gap where a stage has no touchpoint.
    Without ``ax``, a new figure of the page's width, 3 inches high; the title
    goes on the figure (suptitle), the takeaway on the Axes."""
    use_house_style()
    if ax is None:
        fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 3.0), layout="constrained")
    else:
        fig = ax.figure
    fig.suptitle(title, x=0.0, ha="left", fontsize=11, fontweight="bold", color=PALETTE["ink"])
    ax.set_title("\n".join(wrap_label(takeaway, 110)), loc="left", fontsize=8.5, color=PALETTE["muted"], pad=8)
    x = np.arange(len(stages))
    keys = [k for k, _ in stages]
    for version, name in version_names.items():
        part = curve[curve["version"] == version].set_index("stage").reindex(keys)
        colour = VERSION_COLOURS.get(version, PALETTE["muted"])
        ax.fill_between(x, part["min"].to_numpy(float), part["max"].to_numpy(float), color=colour, alpha=0.12,
                        linewidth=0)
        ax.plot(x, part["mean"].to_numpy(float), color=colour, linestyle=VERSION_STYLES.get(version, "-"),
                marker="o", markersize=4, linewidth=1.8, label=name)
    ax.axhline(0, color=PALETTE["muted"], linewidth=0.8)
    ax.set_ylim(-2.25, 2.25)
    ax.set_yticks([-2, -1, 0, 1, 2], ["−2", "−1", "0", "+1", "+2"])
    chars = _chars(PAGE_WIDTH_IN / max(len(stages), 1) - 0.1, 7.5)
    # a stage name may wrap after '/' ("livraison/" "utilisation"), never be cut
    ax.set_xticks(x, ["\n".join(_fit(str(lab).replace("/", "/ "), chars, 3)).replace("/ ", "/") for _, lab in stages],
                  fontsize=7.5)
    ax.set_xlim(-0.5, len(stages) - 0.5)
    ax.grid(axis="y", color="#E5E7EB", linewidth=0.6)
    ax.legend(loc="best", ncol=len(version_names), frameon=False, fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax
