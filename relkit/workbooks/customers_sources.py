"""Workbook 02, what was imported: the table of the files read and what was
detected in them, and the sentences the consultant checks the import against.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd


class SourcesSection:
    """The import part of the customer-file presenter (``CustomerFile``), which
    provides ``L`` (labels), ``imports``, ``transactions``, ``orders``,
    ``linked_by_email`` and ``purchase_count()``."""

    def sources_table(self) -> pd.DataFrame:
        """One column per imported file, one row per detected property (fits a page)."""
        L = self.L
        properties = ("file", "preset", "separator", "decimal", "date_format", "rows_read", "rows_skipped")
        table = {L("customers.sources.col.kind"): [L(f"customers.sources.col.{p}") for p in properties]}
        for kind, imported in self.imports.items():
            d = imported.detected
            table[L(f"customers.sources.kind.{kind}")] = [
                Path(str(d.get("file", ""))).name, self._preset_name(d.get("preset")),
                _show_separator(d.get("separator")), d.get("decimal") or "", _show_dates(d.get("date_format"), L.lang),
                L.number(d.get("rows_read", 0)), L.number(sum((d.get("rows_skipped") or {}).values())),
            ]
        return pd.DataFrame(table)

    def _preset_name(self, preset: str | None) -> str:
        """The export's format as the client knows it ("Export clients Shopify"), never relkit's preset id."""
        key = f"customers.preset.{preset}"
        return self.L(key) if preset and self.L.has(key) else ""

    def sources_text(self) -> list[str]:
        """What was read, how orders and purchases were counted, and what
        was not used: the consultant checks the import against this."""
        L = self.L
        sentence = ""
        if self.orders is not None:
            o, t = self.orders, self.transactions
            refunds = o[o["refund"]]
            sentence = L("customers.sources.orders", lines=L.number(len(t)), orders=L.number(len(o)),
                         purchases=L.number(self.purchase_count()))
            if zero := int(o["zero_amount"].sum()):
                sentence += " " + L("customers.sources.zero", zero=L.number(zero))
            if len(refunds):
                sentence += " " + L("customers.sources.refunds", refunds=L.number(len(refunds)),
                                    refund_total=L.money(round(float(refunds["amount"].sum()), 2)))
        texts = [L("customers.sources.explain", orders_sentence=sentence)]
        if self.linked_by_email:
            texts.append(L("customers.sources.linked", lines=L.number(self.linked_by_email)))
        if self.orders is None:
            texts.append(L("customers.sources.no_transactions"))
        basis = (self.imports.get("transactions").detected.get("amount_basis") if "transactions" in self.imports else None)
        if basis in ("HT", "TTC"):
            texts.append(L(f"customers.sources.basis_{basis.lower()}"))
        for kind, imported in self.imports.items():
            unused = [c for c in imported.detected.get("unused_columns") or [] if str(c).strip()]
            if unused:
                texts.append(L("customers.sources.unused", kind=L(f"customers.sources.kind.{kind}").lower(),
                               columns=L.join([f"« {c} »" if L.lang == "fr" else f"'{c}'" for c in unused])))
        return texts


def _show_separator(sep) -> str:
    return {";": "« ; »", ",": "« , »", "\t": "tab", None: ""}.get(sep, str(sep))


_DATE_CODES = {"fr": {"%d": "jj", "%m": "mm", "%Y": "aaaa", "%H": "hh", "%M": "mm", "%S": "ss"},
               "en": {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%H": "hh", "%M": "mm", "%S": "ss"}}


def _show_dates(fmt, lang: str = "fr") -> str:
    """'%d/%m/%Y %H:%M' -> 'jj/mm/aaaa hh:mm': what a consultant reads."""
    if isinstance(fmt, dict):
        return ", ".join(sorted({_show_dates(v, lang) for v in fmt.values() if v}))
    text = str(fmt or "")
    for code, shown in _DATE_CODES[lang].items():
        text = text.replace(code, shown)
    return text
