"""The deck's theme: the brand's colours (a:clrScheme) and fonts (a:fontScheme)
written into the slide master's theme part, so that PowerPoint's own colour and
font pickers (and every native chart) follow the brand."""
from __future__ import annotations

import re

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _hex(colour: str) -> str:
    value = colour.lstrip("#").upper()
    if not re.fullmatch(r"[0-9A-F]{6}", value):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return value


def scheme_colours(brand) -> dict[str, str]:
    """Theme slot -> RRGGBB: dk1/lt1 the text and background, dk2 the primary,
    accent1 the primary, then secondary, success, warning, danger and the palette's
    opportunity blue."""
    palette = dict(getattr(brand, "palette", {}) or {})
    return {
        "dk1": _hex(brand.foreground), "lt1": _hex(brand.background), "dk2": _hex(brand.primary),
        "lt2": "F2F2F2", "accent1": _hex(brand.primary), "accent2": _hex(brand.secondary),
        "accent3": _hex(brand.success), "accent4": _hex(brand.warning), "accent5": _hex(brand.danger),
        "accent6": _hex(palette.get("opportunity", "#1565C0")),
    }


def apply_theme(prs, brand) -> None:
    """Rewrite the master's theme1.xml colour and font schemes from the brand."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    scheme = root.find(f".//{{{A}}}clrScheme")
    scheme.set("name", "Brand")
    for slot, rgb in scheme_colours(brand).items():
        holder = scheme.find(f"{{{A}}}{slot}")
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, f"{{{A}}}srgbClr", val=rgb)
    fonts = root.find(f".//{{{A}}}fontScheme")
    fonts.set("name", "Brand")
    for which, face in (("majorFont", brand.font_headings), ("minorFont", brand.font_base)):
        fonts.find(f"{{{A}}}{which}/{{{A}}}latin").set("typeface", face)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def theme_colours(prs) -> dict[str, str]:
    """The theme's colour slots as written (tests read them back)."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    scheme = root.find(f".//{{{A}}}clrScheme")
    out = {}
    for holder in scheme:
        colour = holder.find(f"{{{A}}}srgbClr")
        if colour is not None:
            out[etree.QName(holder).localname] = colour.get("val")
    return out


def theme_fonts(prs) -> tuple[str, str]:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    return tuple(root.find(f".//{{{A}}}fontScheme/{{{A}}}{w}/{{{A}}}latin").get("typeface")
                 for w in ("majorFont", "minorFont"))
