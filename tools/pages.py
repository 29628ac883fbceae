"""How a printed report uses its pages: page count, pages before the appendix,
near-empty pages.

    python tools/pages.py reports/<client>/rapport-<client>.pdf [--verbose]

A page's use is how far down its body (inside the page margins, running header
and footer excluded) the lowest ink reaches: text, tables and pictures alike,
measured on a small grey rendering by Poppler's pdftoppm. A page using less than
a third of its body is near-empty. The appendix starts on the first page whose
running header (pdftotext's first line) ends with the appendix title, "Annexes"
or "Appendix" (the report's chapter header, relkit_report/print.css).

Needs only Poppler (pdftoppm, pdftotext, pdfinfo) and the standard library.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MM_PER_INCH = 25.4
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 20, 18  # relkit_report/static/print.css @page margins
NEAR_EMPTY = 1 / 3
APPENDIX_TITLES = ("Annexes", "Appendix")
DPI = 30
INK = 200  # a grey level below this (0 black … 255 white) is ink


@dataclass(frozen=True)
class Page:
    number: int
    used: float  # 0 … 1, the share of the body down to the lowest ink
    header: str  # the running header line, as pdftotext reads it


def read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and pixels of a binary (P5) 8-bit PGM image."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P5" or int(fields[3]) > 255:
        raise ValueError("expected an 8-bit binary PGM image")
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos + 1:pos + 1 + width * height]


def used_share(width: int, height: int, pixels: bytes, dpi: float = DPI,
               top_mm: float = MARGIN_TOP_MM, bottom_mm: float = MARGIN_BOTTOM_MM) -> float:
    """The share of the body (between the top and bottom margins) down to its lowest ink row."""
    top = round(top_mm / MM_PER_INCH * dpi)
    bottom = height - round(bottom_mm / MM_PER_INCH * dpi)
    if bottom <= top:
        return 0.0
    for row in range(bottom - 1, top - 1, -1):
        if min(pixels[row * width:(row + 1) * width]) < INK:
            return (row + 1 - top) / (bottom - top)
    return 0.0


def _run(*args: str) -> bytes:
    return subprocess.run(args, check=True, capture_output=True).stdout


def page_count(pdf: Path) -> int:
    for line in _run("pdfinfo", str(pdf)).decode("utf-8", "replace").splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise ValueError(f"{pdf}: no page count")


def measure(pdf: Path, dpi: int = DPI) -> list[Page]:
    """Every page of ``pdf``, measured."""
    pages = []
    texts = _run("pdftotext", "-layout", str(pdf), "-").decode("utf-8", "replace").split("\f")
    with tempfile.TemporaryDirectory() as tmp:
        _run("pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(Path(tmp) / "p"))
        images = sorted(Path(tmp).glob("p-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        for number, image in enumerate(images, start=1):
            text = texts[number - 1] if number <= len(texts) else ""
            header = next((line.strip() for line in text.splitlines() if line.strip()), "")
            pages.append(Page(number, used_share(*read_pgm(image.read_bytes()), dpi=dpi), header))
    return pages


def appendix_start(pages: list[Page], titles: tuple[str, ...] = APPENDIX_TITLES) -> int | None:
    """The number of the appendix's first page, None without an appendix."""
    return next((p.number for p in pages if p.header.endswith(titles)), None)


def near_empty(pages: list[Page], share: float = NEAR_EMPTY) -> list[int]:
    """Pages whose body is used less than ``share``; the cover (page 1) is left out."""
    return [p.number for p in pages if p.number > 1 and p.used < share]


def report(pages: list[Page], verbose: bool = False) -> str:
    start = appendix_start(pages)
    empty = near_empty(pages)
    lines = [f"pages: {len(pages)}"]
    if start is None:
        lines.append(f"before the appendix: {len(pages)} (no appendix)")
    else:
        lines.append(f"before the appendix: {start - 1} (appendix: pages {start} to {len(pages)})")
    lines.append(f"near-empty pages (under a third used): {len(empty)}" + (f": {', '.join(map(str, empty))}" if empty else ""))
    if verbose:
        lines += [f"  page {p.number:3d}: {p.used:4.0%} used  {p.header[-40:]}" for p in pages]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per page")
    args = parser.parse_args(argv)
    print(report(measure(args.pdf), args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
