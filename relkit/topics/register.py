"""Draft record of processing activities (GDPR art. 30(1)) from the collection
plan: its rows, one per processing activity, and its wording.

- one row per processing activity: plan rows grouped by programme (the
  ``programmes`` cell split on commas/semicolons, case/accent-insensitive; a
  row with several programmes appears in each), rows with no programme under
  "(sans programme)" last; columns ``COLUMNS`` (art. 30(1) b to g): purposes
  (programme + uses), categories of data subjects, categories of personal
  data (fields grouped by data type), recipients, transfers outside the EU,
  retention per field ("3 ans", "18 mois"), legal basis (with its fields when
  there are several), security measures. What the plan does not say
  (recipients, transfers, security) is "à compléter".

It describes categories only: no customer record goes into it. Headers and the
register's own words are hard-coded here in French and English (``HEADERS``,
``TEXTS``); code labels (data type, legal basis, data subjects) come from the
workshop lists. The .xlsx is written by ``relkit.views.excel.register``.
"""
from __future__ import annotations

import pandas as pd

from relkit.io.labels import Labels
from relkit.io.parsing import fold, is_blank
from relkit.topics.collection_plan import split_list

COLUMNS = ("activity", "purposes", "data_subjects", "data_categories", "recipients", "transfers", "retention",
           "legal_basis", "security")
HEADERS = {
    "fr": {
        "activity": "Activité de traitement",
        "purposes": "Finalités",
        "data_subjects": "Catégories de personnes concernées",
        "data_categories": "Catégories de données personnelles",
        "recipients": "Destinataires",
        "transfers": "Transferts hors UE",
        "retention": "Durées de conservation",
        "legal_basis": "Base légale",
        "security": "Mesures de sécurité techniques et organisationnelles",
    },
    "en": {
        "activity": "Processing activity",
        "purposes": "Purposes",
        "data_subjects": "Categories of data subjects",
        "data_categories": "Categories of personal data",
        "recipients": "Recipients",
        "transfers": "Transfers outside the EU",
        "retention": "Retention periods",
        "legal_basis": "Legal basis",
        "security": "Technical and organisational security measures",
    },
}
TEXTS = {
    "fr": {
        "title": "Registre des activités de traitement (RGPD art. 30)",
        "sheet": "Registre",
        "controller": "Responsable du traitement",
        "prepared_by": "Établi par",
        "date": "Date",
        "plan_year": "Année du plan",
        "note": ("Projet établi à partir du plan de collecte : à compléter (destinataires, transferts, mesures de "
                 "sécurité), à valider par le responsable du traitement et à tenir à jour à chaque nouveau "
                 "traitement ou changement. Il décrit des catégories de données, aucune donnée client."),
        "to_complete": "à compléter",
        "no_programme": "(sans programme)",
        "programme": "Programme",
        "uses": "Usages",
    },
    "en": {
        "title": "Record of processing activities (GDPR art. 30)",
        "sheet": "Register",
        "controller": "Controller",
        "prepared_by": "Prepared by",
        "date": "Date",
        "plan_year": "Plan year",
        "note": ("Draft made from the collection plan: to be completed (recipients, transfers, security "
                 "measures), approved by the controller and kept up to date with every new processing or change. "
                 "It describes categories of data, no customer data."),
        "to_complete": "to be completed",
        "no_programme": "(no programme)",
        "programme": "Programme",
        "uses": "Uses",
    },
}
DATA_TYPES = ("socio_demographic", "transactional", "behavioural", "declarative")


def _label(list_name: str, code: str, lang: str) -> str:
    """The workshop list's label of a code (the code itself if unknown)."""
    from relkit.io.atelier import choice_label

    try:
        return choice_label(list_name, code, lang)
    except (StopIteration, KeyError):
        return code


def retention_text(months: float, lang: str = "fr") -> str:
    """36 -> '3 ans', 12 -> '1 an', 18 -> '18 mois', 1.5 -> '1,5 mois' ('3 years', '18 months' in English)."""
    months = round(float(months), 2)
    labels = Labels(lang)
    if months >= 12 and months % 12 == 0:
        n = int(months // 12)
        unit = {"fr": ("an", "ans"), "en": ("year", "years")}[lang][n > 1]
        return f"{n} {unit}"
    n = labels.number(months) if months.is_integer() else labels.number(months, 2).rstrip("0").rstrip(",.")
    unit = "mois" if lang == "fr" else ("month" if months == 1 else "months")
    return f"{n} {unit}"


def activities(plan: pd.DataFrame, lang: str = "fr") -> list[dict[str, str]]:
    """The register's rows: one dict per activity, keys ``COLUMNS``, values as written in the file."""
    t = TEXTS[lang]
    groups: dict[str, tuple[str, list]] = {}
    orphans = []
    for _, r in plan.sort_values("row", kind="stable").iterrows():
        programmes = split_list(r["programmes"])
        if not programmes:
            orphans.append(r)
        for name in programmes:
            groups.setdefault(fold(name), (name, []))[1].append(r)
    named = list(groups.values())
    if orphans:
        named.append((t["no_programme"], orphans))
    return [_activity(name, rows, programme=rows is not orphans, lang=lang) for name, rows in named]


def _activity(name: str, rows: list, programme: bool, lang: str) -> dict[str, str]:
    t = TEXTS[lang]
    uses = []
    for r in rows:
        for use in split_list(r["uses"]):
            if fold(use) not in {fold(u) for u in uses}:
                uses.append(use)
    purposes = []
    if programme:
        purposes.append(f"{t['programme']} : {name}" if lang == "fr" else f"{t['programme']}: {name}")
    if uses:
        purposes.append((f"{t['uses']} : " if lang == "fr" else f"{t['uses']}: ") + " ; ".join(uses))

    people = {r["people"] for r in rows if not is_blank(r["people"])}
    if "customers_prospects" in people or {"customers", "prospects"} <= people:
        subjects = "customers_prospects"
    else:
        subjects = next(iter(people), None)

    sep = " : " if lang == "fr" else ": "
    by_type: dict[str, list[str]] = {}
    for r in rows:
        by_type.setdefault(r["data_type"], []).append(str(r["field"]))
    order = [c for c in DATA_TYPES if c in by_type] + [c for c in by_type if c not in DATA_TYPES]
    categories = "\n".join(f"{_label('data_type', c, lang)}{sep}{', '.join(by_type[c])}" for c in order)

    retention = "\n".join(
        f"{r['field']}{sep}{retention_text(r['retention'], lang) if not is_blank(r['retention']) else t['to_complete']}"
        for r in rows
    )
    by_basis: dict[str, list[str]] = {}
    for r in rows:
        by_basis.setdefault(r["legal_basis"], []).append(str(r["field"]))
    if len(by_basis) == 1:
        basis = _label("legal_basis", next(iter(by_basis)), lang)
    else:
        basis = "\n".join(f"{_label('legal_basis', b, lang)}{sep}{', '.join(f)}" for b, f in by_basis.items())
    return {
        "activity": name,
        "purposes": "\n".join(purposes) or t["to_complete"],
        "data_subjects": _label("data_subjects", subjects, lang) if subjects else t["to_complete"],
        "data_categories": categories,
        "recipients": t["to_complete"],
        "transfers": t["to_complete"],
        "retention": retention,
        "legal_basis": basis,
        "security": t["to_complete"],
    }
