"""The data-collection plan in the workshop: the GDPR checks
(relkit.topics.collection_plan.gdpr_checks) redone at every change, each flag with
the data item it is about and what to fix."""
from __future__ import annotations

import html

from relkit.workbooks.collection import CollectionWorkbook
from relkit.intake.load import EngagementData
from relkit.workshop.table import TableEditor


class CollectionEditor(TableEditor):
    key = "collection"
    title_key = "workshop.collection.title"
    sheet = "collection_plan"

    def __init__(self, folder, lang: str | None = None):
        self.flags = None  # the last gdpr_checks table
        super().__init__(folder, lang)

    def build(self) -> None:
        # the journey as saved (its collection points), read again after a reload
        self.journey, _ = self.store.check("journey", self.store.rows("journey"))
        super().build()

    def summary(self, model) -> str:
        data = EngagementData(self.folder, self.eng, {"collection_plan": model, "journey": self.journey})
        book = CollectionWorkbook(data, self.L, completeness=None)
        self.flags = book.flags
        L = self.L
        head = f'<p class="rk-gdpr-count">{html.escape(book.gdpr_text())}</p>'
        if not len(book.flags):
            return head
        rows = "".join(
            f'<tr class="rk-flag rk-flag-{rule}"><td>{html.escape(L("collection.rule." + rule))}</td>'
            f'<td>{html.escape(str(flag["field"]))}</td><td>{html.escape(book.finding(flag))}</td></tr>'
            for rule, (_, flag) in zip(book.flags["rule"], book.flags.iterrows()))
        return (f'{head}<table class="rk-gdpr-flags"><thead><tr><th>{html.escape(L("collection.col.rule"))}</th>'
                f'<th>{html.escape(L("collection.col.field"))}</th><th>{html.escape(L("workshop.collection.fix"))}</th>'
                f'</tr></thead><tbody>{rows}</tbody></table>')
