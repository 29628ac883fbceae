"""Draft record of processing activities (GDPR art. 30(1)) from the collection plan.

``write_register`` writes an .xlsx "registre des activités de traitement":

- a header block: title, controller (the client), prepared by (the
  consultant), date, plan year, and a note that the register is a draft to
  complete and keep up to date;
- one row per processing activity: plan rows grouped by programme (the
  ``programmes`` cell split on commas/semicolons, case/accent-insensitive; a
  row with several programmes appears in each), rows with no programme under
  "(sans programme)" last; columns ``COLUMNS`` (art. 30(1) b to g): purposes
  (programme + uses), categories of data subjects, categories of personal
  data (fields grouped by data type), recipients, transfers outside the EU,
  retention per field ("3 ans", "18 mois"), legal basis (with its fields when
  there are several), security measures. What the plan does not say
  (recipients, transfers, security) is pre-filled "à compléter" and
  highlighted.

It describes categories only: no customer record goes into it. Headers are
hard-coded here in French and English (``HEADERS``); code labels (data type,
legal basis, data subjects) come from the workshop lists. Every cell that
comes from the inputs is written by ``relkit.views.excel.safe_cells.put`` (never a
formula). Saved atomically.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from relkit.views.excel import safe_cells
from relkit.topics.collection_plan import split_list
from relkit.io.labels import Labels
from relkit.views.excel.atomic import save_atomic
from relkit.io.parsing import fold, is_blank

COLUMNS = ("activity", "purposes", "data_subjects", "data_categories", "recipients", "transfers", "retention",
           "legal_basis", "security")
WIDTHS = (26, 40, 22, 44, 24, 22, 30, 30, 30)
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
HEADER_ROW = 8

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_TODO_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


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


def _height(texts) -> float:
    """Row height (points) fitting the wrapped texts of a row (openpyxl cannot auto-fit;
    LibreOffice keeps the stored height when converting to PDF)."""
    lines = 1
    for text, width in zip(texts, WIDTHS):
        wrapped = sum(max(1, math.ceil(len(line) / max(width - 2, 1))) for line in str(text).split("\n"))
        lines = max(lines, wrapped)
    return 15 * lines


def write_register(
    path: Path | str, plan: pd.DataFrame, *, client: str, consultant: str, plan_year: int, lang: str = "fr",
    as_of: dt.date | None = None,
) -> Path:
    """Write the draft register (see module doc) to ``path`` (.xlsx) and return it."""
    if lang not in TEXTS:
        raise ValueError(f"language must be one of {tuple(TEXTS)}, got {lang!r}")
    t, headers = TEXTS[lang], HEADERS[lang]
    as_of = as_of or dt.date.today()
    wb = Workbook()
    ws = wb.active
    ws.title = t["sheet"]
    ws.cell(1, 1, t["title"]).font = Font(bold=True, size=14)
    for row, (key, value) in enumerate(
        [("controller", client), ("prepared_by", consultant), ("date", Labels(lang).date(as_of)),
         ("plan_year", int(plan_year))], start=2,
    ):
        ws.cell(row, 1, t[key]).font = _BOLD
        safe_cells.put(ws, row, 2, value).alignment = Alignment(horizontal="left")  # client/consultant: inputs
    note = ws.cell(6, 1, t["note"])
    note.alignment = _WRAP
    note.font = Font(italic=True)
    ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=len(COLUMNS))
    ws.row_dimensions[6].height = 32

    for col, key in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, col, headers[key])
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[col - 1]
    ws.row_dimensions[HEADER_ROW].height = _height(headers[k] for k in COLUMNS)
    for offset, activity in enumerate(activities(plan, lang), start=1):
        for col, key in enumerate(COLUMNS, start=1):
            cell = safe_cells.put(ws, HEADER_ROW + offset, col, activity[key])  # workshop text, never a formula
            cell.alignment = _WRAP
            if activity[key] == t["to_complete"]:
                cell.fill = _TODO_FILL
        ws.row_dimensions[HEADER_ROW + offset].height = _height(activity[k] for k in COLUMNS)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(ws.max_row, HEADER_ROW)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    return save_atomic(wb, path)
