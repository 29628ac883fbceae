"""What a restitution deck holds, independent of python-pptx: slides with a
title, short bullets, native charts (their data), an image, a table and the
speaker notes."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Chart kinds drawn natively: "column" / "bar" (clustered, vertical / horizontal),
# "stacked" (stacked columns), "line" (lines with markers) and "bridge" (a
# stacked column whose first series is an invisible base: a waterfall).
CHART_KINDS = ("column", "bar", "stacked", "line", "bridge")


@dataclass(frozen=True)
class ChartSpec:
    kind: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]  # (name, one value per category)
    number_format: str = "General"  # Excel number format of the values and data labels
    title: str | None = None
    point_kinds: tuple[str, ...] = ()  # bridge: "total" / "increase" / "decrease" / "gap" per category
    legend: bool | None = None  # None: shown when there is more than one series

    def __post_init__(self):
        if self.kind not in CHART_KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise ValueError(f"series {name!r} has {len(values)} values for {len(self.categories)} categories")


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths


@dataclass(frozen=True)
class Slide:
    key: str  # what the slide is ("title", "agenda", "finding", "bridge", ...)
    title: str
    notes: str
    bullets: tuple[str, ...] = ()
    charts: tuple[ChartSpec, ...] = ()
    image: bytes | None = None  # a PNG (what no native chart can show)
    table: TableSpec | None = None
    kicker: str | None = None  # a small line above the title ("Constat 1 sur 5")
    panels: tuple[tuple[str, str], ...] = ()  # (heading, text) boxes: a finding's meaning and recommendation
    bullets_below: bool = False  # the charts take the whole width, the bullets go under them


@dataclass(frozen=True)
class Deck:
    title: str
    subtitle: str
    client: str
    byline: str  # "Préparé par Claire Dubois (Cabinet)"
    date: str
    footer: str  # the client and "confidentiel", on every content slide
    slides: tuple[Slide, ...] = ()
    firm_logo: Path | None = None
    firm_logo_small: Path | None = None
    client_logo: Path | None = None
    title_notes: str = ""
    language: str | None = None  # "fr-FR": the charts' and text's language
    author: str = ""  # the file's author (the consultant)
    extra: dict = field(default_factory=dict)
