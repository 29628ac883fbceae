"""The SWOT in the workshop: four quadrant boxes of items, the 2 × 2 matrix
of the report redrawn live, counts per quadrant."""
from __future__ import annotations

import html

import ipywidgets as w

from relkit.topics import swot
from relkit.views.charts.diagnostic import swot_matrix
from relkit.workshop.table import TableEditor


class SwotEditor(TableEditor):
    key = "swot"
    title_key = "workshop.swot.title"
    sheet = "swot"
    group_by = "quadrant"
    group_columns = 2
    widths = {"quadrant": "8.5em", "item": "100%", "importance": "7em"}  # "Importance" in bold fits its column
    has_figure = True
    # A browser draws a textarea in a fixed-width font at a fixed height: the items in the page's font,
    # the box as tall as its text (nothing cut off), wrapping words at the box's edge.
    CSS = ("<style>.rk-editor-swot .rk-field-item textarea {font-family: inherit; font-size: inherit;"
           " line-height: 1.35; field-sizing: content; min-height: 2.2em; resize: vertical;"
           " white-space: pre-wrap; overflow-wrap: anywhere; width: 100%; min-width: 0;}"
           ".rk-editor-swot .rk-field-item {min-width: 0;}"  # a long item wraps, it does not push the buttons out
           ".rk-editor-swot .rk-header .widget-html-content {white-space: nowrap; overflow: visible;}</style>")

    def __init__(self, folder, lang: str | None = None):
        self.counts: dict[str, int] = {}
        self._drawn = None  # what the figure on screen shows
        super().__init__(folder, lang)

    def build(self) -> None:
        super().build()
        self.body.children = (w.HTML(self.CSS).add_class("rk-swot-style"), *self.body.children)

    def figure(self, model):
        """The matrix, redrawn only when what it shows changed (a blank row added
        or an invalid entry being typed leave it as it is)."""
        shown = tuple(model[["quadrant", "item", "importance"]].itertuples(index=False, name=None))
        if shown == self._drawn and self.image.value:
            return None
        self._drawn = shown
        return swot_matrix(model, labels=self.L).figure

    def summary(self, model) -> str:
        self.counts = swot.counts(model)
        parts = [f'<span class="rk-count-{q}">{html.escape(self.L(f"swot.{q}"))} : <b>{n}</b></span>'
                 if self.L.lang == "fr" else
                 f'<span class="rk-count-{q}">{html.escape(self.L(f"swot.{q}"))}: <b>{n}</b></span>'
                 for q, n in self.counts.items()]
        text = (f'<p class="rk-swot-counts">{html.escape(self.L("workshop.swot.total", n=sum(self.counts.values())))}'
                f' — {" · ".join(parts)}</p>')
        empty = swot.empty_quadrants(model)
        if empty:
            names = self.L.join([self.L(f"swot.{q}") for q in empty])
            text += f'<p class="rk-warning">{html.escape(self.L("workshop.swot.empty", quadrants=names))}</p>'
        return text
