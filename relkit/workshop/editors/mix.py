"""The 4P mix in the workshop: one line per P (product, price, promotion,
place) with what exists today and the direction chosen for the plan, and the
report's sentence about it (workbook 01, ``Diagnostic.mix_text``) redone at
every change.

The four P are fixed: no row is added, removed or moved here. A P missing
from the sheet gets an empty line, written only once something is typed in
it (after the sheet's rows, so the rows already there keep their cells).
"""
from __future__ import annotations

import html

import ipywidgets as w

from relkit.intake.load import EngagementData
from relkit.io.parsing import is_blank
from relkit.topics.readiness import MIX_ORDER
from relkit.workbooks.diagnostic import Diagnostic
from relkit.workshop.table import TableEditor


class MixEditor(TableEditor):
    key = "mix"
    title_key = "workshop.mix.title"
    sheet = "marketing_mix"
    columns = ("today", "direction")
    widths = {"today": "100%", "direction": "100%"}
    P_WIDTH = "9em"
    # the texts in the page's font, each box as tall as its text (nothing cut off)
    CSS = ("<style>.rk-editor-mix .rk-row textarea {font-family: inherit; font-size: inherit; line-height: 1.35;"
           " field-sizing: content; min-height: 2.4em; resize: vertical; white-space: pre-wrap; overflow-wrap: anywhere;}"
           ".rk-editor-mix .rk-mix-p .widget-html-content {line-height: 1.35; padding-top: 4px;}</style>")

    def __init__(self, folder, lang: str | None = None):
        self.text = ""  # the report's sentence, as last shown
        super().__init__(folder, lang)

    # -- the P of a row ---------------------------------------------------------------
    def _p_of(self, row) -> str:
        """The row's P as a code ('product'…), or its raw text when it is not one of the four."""
        col = self.schema.column("p")
        return self._option_of(col, row.values.get("p"), self._choices(col)[1])

    def _p_label(self, code: str) -> str:
        if code in MIX_ORDER:
            return self.L(f"mix.{code}")
        if not code:
            return self.L("workshop.mix.no_p")
        return self.L("workshop.mix.off_list", value=code)

    # -- building -----------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        present = {self._p_of(r) for r in self._rows}
        for p in MIX_ORDER:
            if p not in present:  # an empty line, saved only once something is typed in it
                self._rows.append(self._make_row({"p": p}, loaded=False))
        self.body.children = (w.HTML(self.CSS).add_class("rk-mix-style"), *self.body.children[:2])  # no "add": 4 P
        self._layout()

    def _header(self) -> w.HBox:
        head = w.HTML(f"<b>{html.escape(self.store.header(self.sheet, 'p'))}</b>",
                      layout=w.Layout(width=self.P_WIDTH, flex="0 0 auto"))
        return w.HBox([head] + list(super()._header().children)).add_class("rk-header")

    def _widget(self, col, value) -> w.Widget:
        widget = super()._widget(col, value)
        widget.placeholder = self.L(f"workshop.mix.hint.{col.key}")
        widget.rows = max(2, widget.rows or 2)
        return widget

    def _make_row(self, values: dict, loaded: bool):
        row = super()._make_row(values, loaded)
        code = self._p_of(row)
        label = w.HTML(f"<b>{html.escape(self._p_label(code))}</b>",
                       layout=w.Layout(width=self.P_WIDTH, flex="0 0 auto"))
        label.add_class("rk-mix-p")
        row.box.children = [label] + list(row.widgets.values())  # no remove / up / down
        row.box.add_class(f"rk-mix-{code if code in MIX_ORDER else 'other'}")
        return row

    def _layout(self) -> None:
        """Rows shown in the order of the 4P (a P off the list last); saved in the sheet's order."""
        rank = {p: i for i, p in enumerate(MIX_ORDER)}
        shown = sorted(self._rows, key=lambda r: rank.get(self._p_of(r), len(MIX_ORDER)))
        self._rows_box.children = [r.box for r in shown]

    def _blank(self, row) -> bool:
        return all(is_blank(row.values.get(k)) for k in ("today", "direction"))

    # -- public helpers (tests) -------------------------------------------------------------
    def row_of(self, p: str) -> dict[str, w.Widget]:
        """The today / direction widgets of one P ('product', 'price', 'promotion', 'place')."""
        for row in self._rows:
            if self._p_of(row) == p:
                return row.widgets
        raise KeyError(p)

    # -- Editor interface --------------------------------------------------------------------
    def summary(self, model) -> str:
        data = EngagementData(self.folder, self.eng, {"marketing_mix": model})
        self.text = Diagnostic(data, self.L).mix_text()
        return f'<p class="rk-mix-text">{html.escape(self.text)}</p>'

