"""The readiness checklist in the workshop: the 15 practices of the
relationship-marketing checklist, each answered yes / partly / no, with the
score and its reading as the report words them (relkit.topics.readiness.assess
and workbook 01's ``Diagnostic.readiness_text``) redone at every answer.

The practices are fixed: no row is added, removed or moved here. A practice
missing from the sheet gets a line, written only once it is answered (after the
sheet's rows, so the rows already there keep their cells).
"""
from __future__ import annotations

import html

import ipywidgets as w

from relkit.intake.load import EngagementData
from relkit.io.labels import Labels
from relkit.io.parsing import is_blank
from relkit.topics import readiness
from relkit.workbooks.diagnostic import Diagnostic
from relkit.workshop.table import TableEditor, display

ANSWERS = ("yes", "partly", "no")


def practice_number(value) -> int | None:
    """1 for 1, 1.0 or ' 1 '; None for anything else."""
    try:
        number = float(display(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


class ReadinessEditor(TableEditor):
    key = "readiness"
    title_key = "workshop.readiness.title"
    sheet = "readiness"
    columns = ("answer",)
    NUMBER_WIDTH, PRACTICE_WIDTH = "3.5em", "34em"
    LISTED = 5  # more practices without an answer than this: counted, not listed
    # the chosen answer in colour (yes green, partly amber, no red), the practices in compact lines
    CSS = ("<style>.rk-editor-readiness .rk-row {border-bottom: 1px solid #eaeef2; padding: 2px 0;}"
           ".rk-editor-readiness .rk-row .widget-html-content {line-height: 1.35; padding-top: 5px;}"
           ".rk-editor-readiness .rk-answer button.mod-active:nth-of-type(1) {background: #1a7f37; color: white;}"
           ".rk-editor-readiness .rk-answer button.mod-active:nth-of-type(2) {background: #bf8700; color: white;}"
           ".rk-editor-readiness .rk-answer button.mod-active:nth-of-type(3) {background: #cf222e; color: white;}"
           ".rk-editor-readiness .rk-readiness-score {font-size: 1.15em;}</style>")

    def __init__(self, folder, lang: str | None = None):
        self.result: readiness.Readiness | None = None  # the last assessment
        self.reading: list[str] = []  # the report's paragraphs, as last shown
        super().__init__(folder, lang)

    # -- building -----------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        present = {practice_number(r.values.get("number")) for r in self._rows}
        words = Labels(self.store.lang, self.eng.currency)  # the workbook's language, as `relkit new` fills it
        for n in readiness.PRACTICES:
            if n not in present:  # a line, saved only once it is answered
                self._rows.append(self._make_row({"number": n, "practice": words(f"readiness.c{n}")}, loaded=False))
        self.body.children = (w.HTML(self.CSS).add_class("rk-readiness-style"), *self.body.children[:2])  # no "add"
        self._layout()

    def _header(self) -> w.HBox:
        number, practice = (w.HTML(f"<b>{html.escape(self.store.header(self.sheet, key))}</b>",
                                   layout=w.Layout(width=width, flex="0 0 auto"))
                            for key, width in (("number", self.NUMBER_WIDTH), ("practice", self.PRACTICE_WIDTH)))
        return w.HBox([number, practice] + list(super()._header().children)).add_class("rk-header")

    def _layout_of(self, col) -> w.Layout:
        if col.key == "answer":
            return w.Layout(width="auto", flex="0 0 auto")
        return super()._layout_of(col)

    def _widget(self, col, value) -> w.Widget:
        if col.key != "answer":
            return super()._widget(col, value)
        options, lookup = self._choices(col)
        current = self._option_of(col, value, lookup)
        options = [(label, code) for label, code in options]
        if current and current not in ANSWERS:  # a value off the list: shown, reported
            options.append((current, current))
        options.append((self.L("readiness.unanswered"), ""))
        toggles = w.ToggleButtons(options=options, value=current, layout=self._layout_of(col),
                                  style={"button_width": "auto"})
        toggles.add_class("rk-answer")
        return toggles

    def _make_row(self, values: dict, loaded: bool):
        row = super()._make_row(values, loaded)
        n = practice_number(row.values.get("number"))
        text = self.L(f"readiness.c{n}") if n in readiness.PRACTICES else display(row.values.get("practice"))
        number = w.HTML(html.escape(display(row.values.get("number"))),
                        layout=w.Layout(width=self.NUMBER_WIDTH, flex="0 0 auto"))
        practice = w.HTML(html.escape(text), layout=w.Layout(width=self.PRACTICE_WIDTH, flex="0 0 auto"))
        practice.add_class("rk-practice")
        row.box.children = [number, practice] + list(row.widgets.values())  # no remove / up / down
        row.box.add_class(f"rk-practice-{n}")
        return row

    def _layout(self) -> None:
        """Rows shown by practice number (others last); saved in the sheet's order."""
        def rank(row):
            n = practice_number(row.values.get("number"))
            return n if n is not None else len(readiness.PRACTICES) + 1
        self._rows_box.children = [r.box for r in sorted(self._rows, key=rank)]

    def _blank(self, row) -> bool:
        return is_blank(row.values.get("answer"))

    # -- public helpers (tests) -------------------------------------------------------------
    def answer(self, n: int) -> w.ToggleButtons:
        """The yes / partly / no buttons of practice ``n``."""
        for row in self._rows:
            if practice_number(row.values.get("number")) == n:
                return row.widgets["answer"]
        raise KeyError(n)

    # -- Editor interface --------------------------------------------------------------------
    def _numbers(self, numbers) -> str:
        return self.L.join([f"n° {n}" if self.L.lang == "fr" else f"no. {n}" for n in numbers])

    def summary(self, model) -> str:
        L = self.L
        diagnostic = Diagnostic(EngagementData(self.folder, self.eng, {"readiness": model}), L)
        self.result = r = diagnostic.readiness()
        self.reading = diagnostic.readiness_text()
        parts = []
        if r.assessed:
            parts.append(f'<p class="rk-readiness-score rk-level-{r.level}"><b>'
                         f'{html.escape(L("readiness.score", score=L.percent(r.score)))}</b></p>')
        parts += [f'<p class="rk-readiness-text">{html.escape(text)}</p>' for text in self.reading]
        facts = [L("workshop.readiness.answered", n=r.answered)]
        if r.assessed and len(r.unanswered) > self.LISTED:
            facts.append(L("workshop.readiness.unanswered_many", n=len(r.unanswered)))
        elif r.assessed and r.unanswered:
            facts.append(L("workshop.readiness.unanswered", items=self._numbers(r.unanswered)))
        if r.weak:
            facts.append(L("workshop.readiness.weak", items=self._numbers(r.weak)))
        parts.append(f'<p class="rk-readiness-facts">{html.escape(" ".join(facts))}</p>')
        return "".join(parts)
