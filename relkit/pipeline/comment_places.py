"""Where the consultant's comments landed: a comment whose section the report
never shows (no customer file, an empty sheet, a notebook left out) would
otherwise vanish without a word. The run names each one instead."""
from __future__ import annotations

import re
from pathlib import Path

_SHOWN = re.compile(r'class=\\?"rk-comment\\?" data-section=\\?"([^"\\]+)\\?"')


def shown_sections(notebooks: list[Path]) -> set[str]:
    """The section ids whose comments stand in the executed notebooks' outputs."""
    found: set[str] = set()
    for path in notebooks:
        found.update(_SHOWN.findall(Path(path).read_text(encoding="utf-8")))
    return found


def not_shown(comments, notebooks: list[Path], folder: Path) -> list[dict]:
    """One entry per comment the report does not show: its section and where it
    was written (relative to the engagement folder: no machine path)."""
    shown = shown_sections(notebooks)
    prefix = str(folder).rstrip("/\\")
    out = []
    for c in comments:
        if c.section in shown:
            continue
        source = c.source[len(prefix) + 1:] if c.source.startswith(prefix) else c.source
        out.append({"section": c.section, "source": source})
    return out


def line(entry: dict) -> str:
    return (f"comment not shown: {entry['source']} is for the section '{entry['section']}', which this report does "
            "not contain (no data for it, or its sheet is empty)")
