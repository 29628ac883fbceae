"""The consistency checks for the consultant: one line per contradiction, naming
both sources and both values, in the report's language (``relkit run`` prints
them; a draft report ends with them under "Points à vérifier").

The contradictions come from ``relkit.topics.reconcile``; this module only
words them. Figures are formatted by ``Labels`` as everywhere else.
"""
from __future__ import annotations

from collections.abc import Mapping

from relkit.io.atelier import sheet
from relkit.io.labels import Labels
from relkit.topics.reconcile import Contradiction, Source, reconcile, split_acknowledged
from relkit.topics.budget import quarter_label
from relkit.workbooks.key_dates import months_text, period_text

QUOTE_MAX = 80  # characters of a sheet's text quoted in a line


def source_text(src: Source, figures: Mapping[str, Mapping], labels: Labels) -> str:
    """'engagement.yaml (revenue.last_year)', 'feuille « SWOT », ligne 11 (« … »)',
    'CA 2025 du fichier clients (Fichier clients)'."""
    L = labels
    if src.kind == "engagement":
        return L("checks.source.engagement", name=src.key)
    if src.kind == "sheet":
        title = sheet(src.key).title.get(L.lang) or src.key
        quote = src.quote or ""
        quote = quote if len(quote) <= QUOTE_MAX else quote[:QUOTE_MAX - 1].rstrip() + "…"
        if src.row is None:
            return L("checks.source.sheet_norow", sheet=title, quote=quote)
        return L("checks.source.sheet", sheet=title, row=src.row, quote=quote)
    recorded = (figures.get(src.workbook) or {}).get(src.key) or {}
    label = recorded.get("label") or src.key
    workbook = L(f"workbook.{src.workbook}") if src.workbook and L.has(f"workbook.{src.workbook}") else src.workbook
    return L("checks.source.figure", label=label, workbook=workbook)


def _count(stated, labels: Labels) -> str:
    """A count as written: '3 000', or the range of a vague one: 'de 200 à 999'."""
    if isinstance(stated, (tuple, list)):
        return labels("checks.line.between", low=labels.number(stated[0]), high=labels.number(stated[1]))
    return labels.number(stated)


def check_line(c: Contradiction, figures: Mapping[str, Mapping], labels: Labels) -> str:
    """One sentence for the consultant."""
    L = labels
    src = lambda s: source_text(s, figures, L)  # noqa: E731
    common = {"stated_source": src(c.stated_source), "measured_source": src(c.measured_source)}
    if c.check == "revenue_last_year":
        also = c.detail.get("also")
        also_text = L("checks.line.also", value=L.money(round(also[1])), source=src(also[0])) if also else ""
        return L("checks.line.revenue_last_year", stated=L.money(round(c.stated)), measured=L.money(round(c.measured)),
                 also=also_text, **common)
    if c.check == "revenue_basis":
        return L("checks.line.revenue_basis", revenue=L.money(round(c.detail["revenue"])),
                 stated=c.stated or L("checks.line.basis_unknown"),
                 other=c.detail["matches_basis"], matches=L.money(round(c.detail["matches"])), measured=c.measured,
                 **common)
    if c.check == "revenue_target":
        return L("checks.line.revenue_target", stated=L.money(round(c.stated)), measured=L.money(round(c.measured)),
                 **common)
    if c.check in ("contacts_count", "buyers_count"):
        return L(f"checks.line.{c.check}", stated=_count(c.stated, L), measured=L.number(c.measured), **common)
    if c.check == "target_gap":
        d = c.detail
        closing = []
        if "uplift" in d:
            closing.append(L("checks.line.close_uplift", uplift=L.percent(d["uplift"])))
        if "purchases" in d:
            closing.append(L("checks.line.close_purchases", sep=L("checks.line.close_or") if closing else
                             L("checks.line.close_start"), purchases=L.number(d["purchases"]),
                             basket=L.money(round(d["basket"]))))
        text = "".join(closing) + ("." if closing else "")
        return L("checks.line.target_gap", stated=L.money(round(c.stated)), base=L.money(round(d["base"])),
                 base_source=src(d["base_source"]), plan=L.money(round(d["plan"])), measured=L.money(round(c.measured)),
                 gap=L.money(round(d["gap"])), closing=text, **common)
    if c.check == "budget_envelopes":
        quarter = quarter_label(c.detail["quarter"], L)
        if c.detail["part"] == "percent":
            return L("checks.line.budget_percent", quarter=quarter, stated=L.percent(c.stated),
                     measured=L.percent(c.measured), **common)
        return L("checks.line.budget_fixed", quarter=quarter, stated=L.money(c.stated), measured=L.money(c.measured),
                 **common)
    if c.check == "key_dates":
        k = c.detail["key_date"]
        keys = list(dict.fromkeys(source for _, source, _ in c.detail["items"]))
        sheets = L.join([f"« {sheet(key).title.get(L.lang) or key} »" if L.lang == "fr" else
                         f"'{sheet(key).title.get(L.lang) or key}'"
                         for key in keys])
        items = L.join([L("keydates.item", name=name, months=months_text(months, L))
                        for name, _, months in c.detail["items"]])
        return L("checks.line.key_dates", event=k.event, period=period_text(k, L, k.start.year),
                 stated_source=common["stated_source"], items=items, sheets=sheets, n=len(keys))
    raise ValueError(f"unknown check {c.check!r}")


def check_lines(engagement, sheets, figures: Mapping[str, Mapping], labels: Labels) -> dict[str, list]:
    """{"open": [{check, text}], "acknowledged": [{check, text, reason}], "stale": [check ids]}:
    every contradiction of the engagement against the recorded figures, worded; ``stale``
    lists the checks engagement.yaml acknowledges that no longer find anything."""
    found = reconcile(engagement, sheets, figures)
    reasons = engagement.acknowledged_checks
    still_open, known = split_acknowledged(found, reasons)
    return {"open": [{"check": c.check, "text": check_line(c, figures, labels)} for c in still_open],
            "acknowledged": [{"check": c.check, "text": check_line(c, figures, labels), "reason": reasons[c.check]}
                             for c in known],
            "stale": [check for check in reasons if check not in {c.check for c in known}]}
