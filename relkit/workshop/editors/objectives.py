"""Objectives in the workshop: the SMART check (relkit.topics.objectives) shown
next to each objective as it is typed, and how many pass."""
from __future__ import annotations

import html

from relkit.topics.objectives import smart_table
from relkit.workshop.table import TableEditor


class ObjectivesEditor(TableEditor):
    key = "objectives"
    title_key = "workshop.objectives.title"
    sheet = "objectives"
    row_notes = True

    def __init__(self, folder, lang: str | None = None):
        self.smart: dict[int, bool] = {}  # editor row index -> SMART (checked rows only)
        super().__init__(folder, lang)

    def note_of(self, check) -> str:
        if check["is_smart"]:
            return f'<span class="rk-smart-yes">{html.escape(self.L("workshop.objectives.smart"))}</span>'
        missing = self.L.join([self.L(f"objectives.missing.{m}") for m in check["missing"]])
        return f'<span class="rk-smart-no">{html.escape(self.L("workshop.objectives.missing", missing=missing))}</span>'

    def summary(self, model) -> str:
        table = smart_table(model) if len(model) else None
        notes: dict[int, str] = {}
        self.smart = {}
        if table is not None:
            for _, check in table.iterrows():
                i = self.index_of(check["row"])
                if i is not None:
                    notes[i] = self.note_of(check)
                    self.smart[i] = bool(check["is_smart"])
        for i, row in enumerate(self._rows):
            row.note.value = notes.get(i, "")
        if not len(model):
            return f'<p class="rk-smart-summary">{html.escape(self.L("objectives.none"))}</p>'
        n = int(table["is_smart"].sum())
        return (f'<p class="rk-smart-summary">{html.escape(self.L("workshop.objectives.summary", n=n, m=len(table)))}'
                f'</p><p class="rk-smart-rule">{html.escape(self.L("objectives.rule"))}</p>')
