"""Reading a run's outputs back for the PowerPoint restitution (``relkit.workbooks.deck``):
the figures the workbooks recorded (``figures/<workbook>.json`` → ``figures.json``), the
tables they saved (``tables/<name>.csv``), the report's own chart images (in the executed
notebooks), and a table's cells read back as the report printed them ("1 250 €" → 1250).
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pandas as pd

from relkit.io.labels import Labels
from relkit.io.parsing import is_blank, parse_measure

TABLES = ("segments", "clv_segments", "vmc_segments", "irritants", "moments_de_verite", "controles_rgpd",
          "programmes", "pression_au_dessus_du_plafond", "phases", "budget_trimestres", "budget_enveloppes", "kpi",
          "tableau_de_bord", "decisions", "personas")
# Which workbook saved each table (the notes name it).
TABLE_WORKBOOK = {"segments": "02_fichier_clients", "clv_segments": "02_fichier_clients",
                  "vmc_segments": "02_fichier_clients", "irritants": "03_parcours_client",
                  "moments_de_verite": "03_parcours_client",
                  "controles_rgpd": "04_plan_collecte", "personas": "02_fichier_clients", "decisions": "00_synthese", "constats": "00_synthese"}
# The report's images, by the alt text the notebooks give them (a label key, or a fixed word).
IMAGES = {"swot": ("01_diagnostic", "SWOT"), "journey": ("03_parcours_client", "émotions"),
          "retro": ("05_plan_relationnel", "planwb.retro.title")}


# -- reading the run's outputs ------------------------------------------------------------
def read_tables(output_dir: Path, names=TABLES) -> dict[str, pd.DataFrame]:
    out = {}
    for name in names:
        path = Path(output_dir) / "tables" / f"{name}.csv"
        if path.is_file():
            try:
                out[name] = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
            except pd.errors.EmptyDataError:  # a table with no column (nothing to show): no slide reads it
                continue
    return out


def read_images(notebooks_dir: Path, labels: Labels) -> dict[str, bytes]:
    """The report's PNGs that go on slides as images, found by their alt text."""
    out = {}
    for key, (workbook, alt) in IMAGES.items():
        path = Path(notebooks_dir) / f"{workbook}.ipynb"
        if not path.is_file():
            continue
        wanted = labels(alt) if labels.has(alt) else alt
        nb = json.loads(path.read_text(encoding="utf-8"))  # plain JSON: no schema validation to pay for
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                if png and output.get("metadata", {}).get("image/png", {}).get("alt") == wanted:
                    out.setdefault(key, base64.b64decode("".join(png) if isinstance(png, list) else png))
    return out


def read_outputs(output_dir: Path, labels: Labels) -> tuple[dict, dict, dict]:
    """(figures, tables, images) of a run: figures/*.json pieces (else figures.json)."""
    output_dir = Path(output_dir)
    if (output_dir / "figures").is_dir():
        figures = {p.stem: json.loads(p.read_text(encoding="utf-8"))
                   for p in sorted((output_dir / "figures").glob("*.json"))}
    elif (output_dir / "figures.json").is_file():
        figures = json.loads((output_dir / "figures.json").read_text(encoding="utf-8"))
    else:
        figures = {}
    return figures, read_tables(output_dir), read_images(output_dir / "notebooks", labels)


# -- reading a printed cell back ------------------------------------------------------------
def cell_number(text, lang: str) -> float | None:
    """A table cell as the report printed it, as a number: '1 250 €' -> 1250.0,
    '30 %' -> 0.3, '2,36' -> 2.36 ('€1,250' and '1,250' in English); None for an
    empty cell, a dash or words."""
    if is_blank(text):
        return None
    text = str(text).strip()
    if lang == "en":
        text = text.replace(",", "")
    try:
        return parse_measure(text)
    except ValueError:
        return None


def money_format(labels: Labels) -> str:
    """The Excel number format of whole amounts in the report's currency and language."""
    symbol = "".join(ch for ch in labels.money(1, decimals=False) if not ch.isdigit() and not ch.isspace())
    symbol = symbol.replace("\u202f", "").replace("\u00a0", "")
    return f'"{symbol}"#,##0' if labels.lang == "en" else f'#,##0\\ "{symbol}"'

