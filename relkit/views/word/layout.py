"""Sizes in the Word report: table column widths, a PNG's pixel size, a figure's caption."""
from __future__ import annotations

import re
import struct


def caption_text(alt: str, heading: str) -> str:
    """A figure's caption: its alt text when it says something ("Les clients actuels … apportent …"),
    else the section's title, with a one-word alt in parentheses when it adds to it ("Segmentation RFM (récence)")."""
    alt = " ".join(alt.split())
    if len(alt.split()) >= 3 or not heading:
        return (alt[:1].upper() + alt[1:]) if alt else heading
    if not alt or alt.lower() in heading.lower():
        return heading
    return f"{heading} ({alt})"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of a PNG (0, 0 when it is not one)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return 0, 0
    return struct.unpack(">II", data[16:24])


def _words(text: str) -> list[str]:
    """Where a line may break: spaces, not the no-break ones inside '1 250 €' or '75 %'."""
    return [w for w in re.split(r"[ \t\n]+", text) if w]


def column_widths(texts: list[list[str]], ncols: int, total: int, char: int = 105, bold_rows: int = 0) -> list[int]:
    """Column widths (twips) summing to ``total``: about as a browser shares a table, by the length
    of each column's text, never narrower than its longest word (a short text, such as an amount,
    stays on one line) when that fits; ``char``: twips of an average character."""
    longest, word, mean = [1] * ncols, [1] * ncols, [0.0] * ncols
    counts = [0] * ncols
    for i, row in enumerate(texts):
        bold = 1.15 if i < bold_rows else 1.0  # the header row's bold type is wider
        for j, text in enumerate(row[:ncols]):
            longest[j] = max(longest[j], min(len(text), 60))
            shortest_line = len(text) if len(text) <= 12 else max((len(w) for w in _words(text)), default=0)
            word[j] = max(word[j], round(shortest_line * bold))
            mean[j] += len(text)
            counts[j] += 1
    weights = []
    for j in range(ncols):
        avg = mean[j] / counts[j] if counts[j] else 0
        weights.append(max(word[j] + 1.0, 0.5 * longest[j] + 0.5 * avg, 3.0))
    minimum = [min(word[j], 22) * char + 220 for j in range(ncols)]  # with the cell margins
    widths = [total * w / sum(weights) for w in weights]
    if sum(minimum) > total:  # not all fit: the longest words share the width
        widths = [total * m / sum(minimum) for m in minimum]
    else:
        for _ in range(3):  # give the narrow columns their minimum, taken from the wide ones
            short = [j for j in range(ncols) if widths[j] < minimum[j]]
            if not short:
                break
            need = sum(minimum[j] - widths[j] for j in short)
            rest = [j for j in range(ncols) if j not in short]
            spare = sum(widths[j] - minimum[j] for j in rest if widths[j] > minimum[j])
            if spare <= 0:
                break
            for j in short:
                widths[j] = minimum[j]
            for j in rest:
                if widths[j] > minimum[j]:
                    widths[j] -= need * (widths[j] - minimum[j]) / spare
    out = [max(200, int(w)) for w in widths]
    out[-1] += total - sum(out)
    return out
