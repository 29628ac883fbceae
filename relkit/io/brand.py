"""The firm's brand: name, logos, colours and fonts of every output.

A consultant keeps one ``_brand.yml`` (posit's brand.yml format) next to an
engagement or in a parent folder shared by all clients; without one, relkit's
house style applies and the outputs look exactly as they always did.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from relkit.io.problems import Problem

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
class FontFace:
    """One font file the brand ships: its family, weight ("400", "700") and style ("normal", "italic")."""

    family: str
    path: Path
    weight: str = "400"
    style: str = "normal"


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
    font_files: tuple = ()  # Path of each font file the brand ships
    source: Path | None = None  # the _brand.yml read, None for relkit's default
    font_faces: tuple = ()  # FontFace of each font file: family, path, weight, style (CSS @font-face)

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


# --- colours and logos, as a brand file names them -----------------------------------

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpeg"}  # what the PDF, Word, PowerPoint and Excel outputs all take


def colour_hex(value) -> str | None:
    """'#1F4E79', '#fff', 'rgb(31, 78, 121)', 'navy' → '#RRGGBB'; None when not a colour."""
    from PIL import ImageColor

    if not isinstance(value, str) or not value.strip():
        return None
    try:
        rgb = ImageColor.getrgb(value.strip())
    except ValueError:
        return None
    return "#{:02X}{:02X}{:02X}".format(*rgb[:3])


def image_problem(path: Path) -> str | None:
    """Why ``path`` cannot serve as a logo (None when it is a PNG or JPEG image)."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        return f"file not found: {path.name!r} (looked in {path.parent})" if not path.is_dir() else \
            f"{path.name!r} is a folder, expected an image file"
    try:
        with Image.open(path) as im:
            kind = im.format
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return f"{path.name!r} is not an image that can be read (expected a PNG or JPEG file)"
    if kind not in IMAGE_FORMATS:
        return f"{path.name!r} is a {kind} image, expected a PNG or JPEG file"
    return None


def load_brand(path: Path) -> tuple[BrandStyle, list[Problem]]:
    """Read one _brand.yml: the brand (relkit's default for what is missing or invalid)
    and every problem found, one per key.

    brand_yml's models take about half a second to import, in `relkit run` and again in
    each workbook's kernel: the result is kept in the user's cache folder, keyed by the
    contents of the file and of every file it names, and read back from there."""
    from relkit.io.brand_cache import cache_key, cache_read, cache_write  # noqa: PLC0415 - brand_cache imports this module

    path = Path(path).resolve()
    key = cache_key(path)
    cached = cache_read(key)
    if cached is not None:
        return cached
    brand, problems = _read_brand(path)
    cache_write(key, brand, problems)
    return brand, problems


def _read_brand(path: Path) -> tuple[BrandStyle, list[Problem]]:
    """Parse and validate one _brand.yml (relkit.io.brand_file), without the cache."""
    from relkit.io.brand_file import read_brand  # noqa: PLC0415 - brand_file imports this module

    return read_brand(path)


def brand_problems(engagement_folder: Path) -> list[Problem]:
    """The problems of the _brand.yml an engagement uses (none without one)."""
    path = find_brand_file(engagement_folder)
    return load_brand(path)[1] if path else []


def brand_inputs(engagement_folder: Path, path: Path | None = None) -> list[Path]:
    """The _brand.yml an engagement uses (or ``path``) and the files it names (logos, fonts):
    what the deliverables depend on besides the engagement folder (read as plain YAML: cheap)."""
    import yaml

    path = path or find_brand_file(engagement_folder)
    if path is None:
        return []
    found = [path]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return found

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
        elif isinstance(node, str) and "\n" not in node and len(node) < 300:
            yield node

    for text in walk(raw):
        try:
            candidate = (path.parent / text).resolve()
            if candidate.is_file() and candidate not in found:
                found.append(candidate)
        except (OSError, ValueError):
            continue
    return found
