"""The PowerPoint restitution of a run, written into the staged output folder
after the PDF: its content from the figures, tables and chart images the
workbooks left there (relkit.workbooks.deck), its look from the brand."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from relkit.io.labels import Labels


def file_name(labels: Labels, slug: str) -> str:
    return f"{labels('deck.file_stem')}-{slug}.pptx"


def write(stage: Path, data, folder: Path, labels: Labels) -> Path:
    """``restitution-<slug>.pptx`` (``presentation-<slug>.pptx`` in English) in ``stage``."""
    from relkit.io.brand import find_brand  # noqa: PLC0415 - pandas and python-pptx only when a deck is written
    from relkit.views.deck import write_deck  # noqa: PLC0415
    from relkit.workbooks.deck import context_of, deck_content, read_outputs  # noqa: PLC0415

    eng, folder = data.engagement, Path(folder)
    brand = getattr(data, "brand", None) or find_brand(folder)
    ctx = context_of(eng)
    if not ctx.firm and brand.firm:
        ctx = dataclasses.replace(ctx, firm=brand.firm)
    figures, tables, images = read_outputs(stage, labels)
    client_logo = folder / eng.client.logo if getattr(eng.client, "logo", None) else None
    deck = deck_content(figures, tables, images, ctx, labels, firm_logo=brand.logo,
                        firm_logo_small=brand.logo_small, client_logo=client_logo)
    return write_deck(deck, Path(stage) / file_name(labels, eng.slug), brand)
