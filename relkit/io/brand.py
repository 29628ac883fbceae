"""The firm's brand: name, logos, colours and fonts of every output.

A consultant keeps one ``_brand.yml`` (posit's brand.yml format) next to an
engagement or in a parent folder shared by all clients; without one, relkit's
house style applies and the outputs look exactly as they always did.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

BRAND_FILE = "_brand.yml"

#: relkit's house style (the colours of views/charts/style.py and the report CSS).
HOUSE_PALETTE = {
    "strength": "#2E7D32",
    "weakness": "#C62828",
    "opportunity": "#1565C0",
    "threat": "#EF6C00",
    "ink": "#1F2933",
    "muted": "#6B7280",
    "accent": "#1F4E79",
}
HOUSE_FONT = "DejaVu Sans"


@dataclass(frozen=True)
class BrandStyle:
    """What every output reads from the brand. Colours are "#rrggbb"."""

    firm: str | None = None
    links: dict = field(default_factory=dict)
    logo: Path | None = None  # medium or large: the cover
    logo_small: Path | None = None  # the running header
    primary: str = HOUSE_PALETTE["accent"]
    secondary: str = HOUSE_PALETTE["muted"]
    foreground: str = HOUSE_PALETTE["ink"]
    background: str = "#FFFFFF"
    success: str = HOUSE_PALETTE["strength"]
    warning: str = HOUSE_PALETTE["threat"]
    danger: str = HOUSE_PALETTE["weakness"]
    palette: dict = field(default_factory=lambda: dict(HOUSE_PALETTE))
    font_base: str = HOUSE_FONT
    font_headings: str = HOUSE_FONT
    font_files: tuple = ()
    source: Path | None = None  # the _brand.yml read, None for relkit's default

    @property
    def is_default(self) -> bool:
        return self.source is None


DEFAULT_BRAND = BrandStyle()


def find_brand_file(engagement_folder: Path) -> Path | None:
    """The nearest _brand.yml: the engagement folder, then its parents."""
    folder = Path(engagement_folder).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / BRAND_FILE
        if path.is_file():
            return path
    return None


def find_brand(engagement_folder: Path) -> BrandStyle:
    """The brand of an engagement: its folder's _brand.yml, a parent's, or relkit's default."""
    path = find_brand_file(engagement_folder)
    if path is None:
        return DEFAULT_BRAND
    brand, _problems = load_brand(path)
    return brand


def load_brand(path: Path) -> tuple[BrandStyle, list[str]]:
    """Read one _brand.yml; return the brand and the problems found (one line each)."""
    # First version: the file is located, its content is read in the next step.
    return BrandStyle(source=Path(path)), []
