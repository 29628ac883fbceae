"""Engagements that are not the demo, built in a test's tmp folder: the
shapes of customer data consultants actually receive (customers only, a few
months of sales, a small English B2B client without first names)."""
from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

from conftest import DEMO
from relkit.intake.scaffold import new_engagement


def _edit_yaml(folder: Path, change) -> None:
    path = folder / "engagement.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def customers_only(tmp: Path) -> Path:
    """The demo with its Shopify customers export and no sales history."""
    folder = tmp / "clients-seuls"
    shutil.copytree(DEMO, folder)
    (folder / "exports" / "ventes.csv").unlink()

    def change(raw):
        raw["client"]["name"] = "Clients Seuls"
        del raw["customer_data"]["transactions"]
    _edit_yaml(folder, change)
    return folder


def short_history(tmp: Path, months: int = 4) -> Path:
    """The demo's billing export alone, cut to its last ``months`` months
    (dd/mm/yyyy dates, cp1252, ';' as the accounting tool wrote it)."""
    folder = tmp / "historique-court"
    shutil.copytree(DEMO, folder)
    (folder / "exports" / "clients_shopify.csv").unlink()
    source = folder / "exports" / "ventes.csv"
    lines = source.read_text(encoding="cp1252").splitlines()
    start = dt.date(2026, 11, 1) - dt.timedelta(days=round(months * 30.44))
    kept = [lines[0]] + [line for line in lines[1:]
                         if dt.datetime.strptime(line.split(";")[1], "%d/%m/%Y").date() >= start]
    source.write_text("\r\n".join(kept) + "\r\n", encoding="cp1252")

    def change(raw):
        raw["client"]["name"] = "Historique Court"
        del raw["customer_data"]["customers"]
    _edit_yaml(folder, change)
    return folder


COMPANIES = ["Atelier Morel", "Boulangerie Petit", "Cabinet Roux", "Garage Fontaine", "Imprimerie Leroy",
             "Menuiserie Girard", "Pharmacie Bonnet", "SARL Dupuis", "SAS Lambert", "Transports Mercier",
             "Hôtel du Lac", "Café de la Gare", "Librairie Faure", "Opticien André", "Fleurs Blanc",
             "Domaine Chevalier", "Agence Garnier", "Clinique Vétérinaire Perrin", "Bureau Moreau", "Studio Clément"]


def b2b_english(tmp: Path, seed: int = 11) -> Path:
    """A small B2B client reported in English: 20 companies (no first names,
    no birth dates), two years of invoices with net and gross amounts."""
    folder = tmp / "b2b"
    new_engagement(folder, "Ouest Fournitures Pro", sector="Office supplies for small businesses", model="B2B",
                   consultant="Claire Dubois", language="en", plan_year=2027)
    rng = random.Random(seed)
    exports = folder / "exports"
    exports.mkdir()
    with open(exports / "tiers.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Code client", "Raison sociale", "Email", "Téléphone", "Adresse", "Code postal", "Ville",
                    "Date de création"])
        for i, name in enumerate(COMPANIES, start=1):
            email = "" if i % 7 == 0 else f"contact@{name.lower().replace(' ', '-').replace('é', 'e').replace('ô', 'o')}.fr"
            w.writerow([f"C{i:04d}", name, email, f"02 99 {i:02d} 10 20", f"{i} rue du Commerce", f"350{i:02d}",
                        "Rennes", f"{1 + i % 27:02d}/0{1 + i % 9}/2019"])
    with open(exports / "factures.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Code client", "Date facture", "N° facture", "Désignation", "Montant HT", "Montant TTC"])
        number = 0
        for i in range(1, len(COMPANIES) + 1):
            day = dt.date(2024, 11, 1) + dt.timedelta(days=rng.randrange(0, 60))
            while day < dt.date(2026, 11, 1):
                number += 1
                ht = round(rng.uniform(120, 2400), 2)
                w.writerow([f"C{i:04d}", day.strftime("%d/%m/%Y"), f"F{number:05d}", "Fournitures",
                            f"{ht:.2f}".replace(".", ","), f"{ht * 1.2:.2f}".replace(".", ",")])
                day += dt.timedelta(days=rng.randrange(20, 200))

    def change(raw):
        raw["revenue"] = {"last_year": "240 000 €", "target": "300 000 €", "target_deadline": "31/12/2027"}
        raw["report_date"] = "15/11/2026"
        raw["customer_data"] = {"customers": {"file": "exports/tiers.csv"},
                                "transactions": {"file": "exports/factures.csv"}}
    _edit_yaml(folder, change)
    return folder


# -- copies of the demo changed on purpose -------------------------------------------------
EMPTY_DIAGNOSTIC = {"swot": None, "objectives": None, "positioning": None, "positioning_questions": ("answer",),
                    "marketing_mix": None, "readiness": ("answer",)}


def blank(folder: Path, keys: dict[str, tuple[str, ...] | None]) -> None:
    """Empty workshop sheets of an engagement copy: every column of a sheet
    (None) or only some columns (the answers of prefilled questions)."""
    from openpyxl import load_workbook

    from relkit.io.atelier import FIRST_DATA_ROW, sheet

    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    for key, columns in keys.items():
        s = sheet(key)
        ws = wb[s.title["fr"]]
        for i, col in enumerate(s.columns, start=1):
            if columns is None or col.key in columns:
                for r in range(FIRST_DATA_ROW, ws.max_row + 1):
                    ws.cell(r, i).value = None
    wb.save(path)


def inconsistent(folder: Path) -> Path:
    """A demo copy whose stated figures contradict its exports, one per check:
    revenue 12 400 € (file: 98 805 €), target 400 000 € (objective and KPI still
    say 200 000 €), SWOT "quelques centaines de contacts, 500 acheteurs"."""
    from openpyxl import load_workbook

    path = folder / "engagement.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('last_year: "98 800 €"', 'last_year: "12 400 €"')
                    .replace('target: "200 000 €"', 'target: "400 000 €"'), encoding="utf-8")
    wb = load_workbook(folder / "atelier.xlsx")
    for row in wb["SWOT"].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "3 000 contacts" in cell.value:
                cell.value = "Fichier clients réduit (quelques centaines de contacts, 500 acheteurs)"
    wb.save(folder / "atelier.xlsx")
    return folder
