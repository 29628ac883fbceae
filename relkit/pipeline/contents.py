"""The report's contents page in two columns, split here rather than by the printer.

The contents used to be one list in CSS columns. WeasyPrint balances such
columns by laying the list out again and again until both halves are even,
and it does so on each of its passes over the page numbers: a sixth of the
time WeasyPrint took to lay the demo report out (6.6 -> 5.5 CPU-s).
Two lists side by side are laid out once. The split follows the same rule as
the balancing it replaces: the shortest possible columns, the first one as
full as that allows, never a chapter's title alone at the foot of the first
column (print.css keeps it with its first section).

Heights are estimated from print.css (font sizes and margins of each level,
line height ``normal`` ~1.17 em) and the widths of DejaVu Sans, the widest of
the report's fallback fonts, by class of character; a title too long for one
line counts as two or more. The estimate only chooses where to cut: both
lists are printed whole whatever it says.
"""
from __future__ import annotations

import math
import unicodedata

PT_PER_MM = 72 / 25.4
LINE = 1.164  # "normal" line height of DejaVu Sans / Liberation Sans, in em
COLUMN_PT = (210 - 32 - 9) / 2 * PT_PER_MM  # A4 less print.css's page margins and column gap, halved
RESERVED_EM = 2.5  # the leader's shortest run of dots and the page number
# DejaVu Sans advance widths (em) by class of character; bold is ~12 % wider
NARROW, WIDE = set("'ijlIJ ,./:;\\|f-()[]t!r"), set("mwMW%@")
BOLD = 1.12
# print.css: (font size pt, margin-top pt, margin-bottom pt, left padding pt) per level
LEVELS = {
    1: (9.5, 1.8 * PT_PER_MM, 0.3 * PT_PER_MM, 0.0),
    2: (8.5, 0.3 * PT_PER_MM, 0.3 * PT_PER_MM, 4 * PT_PER_MM),
    3: (9.0, 0.3 * PT_PER_MM, 0.3 * PT_PER_MM, 12 * PT_PER_MM),
}


def width_em(text: str, bold: bool = False) -> float:
    """Estimated width of ``text`` in em (accented letters as their base letter)."""
    total = 0.0
    for char in text:
        base = unicodedata.normalize("NFD", char)[:1] or char
        total += 0.33 if base in NARROW else 0.9 if base in WIDE else 0.7 if base.isupper() else 0.6
    return total * (BOLD if bold else 1.0)


def lines(entry: dict) -> int:
    """Lines the entry takes: its title, then the leader and the page number."""
    size, _, _, indent = LEVELS.get(entry["level"], LEVELS[3])
    room = (COLUMN_PT - indent) / size  # em
    return max(1, math.ceil((width_em(entry["heading"], entry["level"] == 1) + RESERVED_EM) / room))


def _height(entries: list[dict]) -> float:
    """Points a column of these entries takes, adjoining margins collapsed, the first one's
    top margin left out (counted so, the cut is the balanced columns' one on the demo, French
    and English, and on four other clients)."""
    total, below = 0.0, 0.0
    for i, entry in enumerate(entries):
        size, top, bottom, _ = LEVELS.get(entry["level"], LEVELS[3])
        total += (max(top, below) if i else 0.0) + lines(entry) * size * LINE
        below = bottom
    return total


def columns(entries: list[dict]) -> tuple[list[dict], list[dict]]:
    """The entries (``{"level", "heading", "anchor"}``, in order) as two columns."""
    if len(entries) < 2:
        return list(entries), []
    best = None
    for k in range(1, len(entries)):
        if entries[k - 1]["level"] == 1 and entries[k]["level"] > 1:
            continue  # a chapter's title stays with its first section
        first, second = _height(entries[:k]), _height(entries[k:])
        key = (round(max(first, second), 3), -k)  # shortest columns, then the fuller first column
        if best is None or key < best[0]:
            best = key, k
    if best is None:
        return list(entries), []
    k = best[1]
    return list(entries[:k]), list(entries[k:])
