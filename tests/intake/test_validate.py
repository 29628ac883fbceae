"""Validation: every problem at once, one exact line each, exit code 2."""
import datetime as dt

import yaml
from openpyxl import load_workbook

from relkit.cli import main
from relkit.intake.load import check


def _edit_yaml(folder, change):
    path = folder / "engagement.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _edit_cells(folder, sheet, cells):
    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)


def _lines(folder):
    _, problems = check(folder)
    return [str(p) for p in problems]


def test_demo_is_valid(demo):
    data, problems = check(demo)
    assert problems == []
    assert data.engagement.client.name == "Arnaud & Zoé"
    assert data.engagement.revenue.target == 200000.0
    assert data.engagement.revenue.target_deadline == dt.date(2027, 12, 31)
    assert len(data.sheets["swot"]) == 16 and len(data.sheets["objectives"]) == 7


def test_yaml_problems_are_all_listed_with_key_and_expectation(demo):
    def change(d):
        d["client"]["name"] = "  "
        d["client"]["turnover"] = 5
        del d["client"]["sector"]
        d["revenue"]["last_year"] = "-500 €"
        d["revenue"]["target"] = "beaucoup"
        d["plan_year"] = "deux mille"
        d["language"] = "de"
    _edit_yaml(demo, change)
    f = demo / "engagement.yaml"
    assert _lines(demo) == [
        f"{f}: key 'client.name': must not be empty",
        f"{f}: key 'client.sector': missing required key",
        f"{f}: key 'client.turnover': unknown key (expected one of: name, brand, sector, model, country, logo)",
        f"{f}: key 'language': expected one of 'fr' or 'en', got 'de'",
        f"{f}: key 'plan_year': expected a number, got 'deux mille'",
        f"{f}: key 'revenue.last_year': must not be negative, got '-500 €'",
        f"{f}: key 'revenue.target': expected a number such as '1 250 €' or '1 250,50', got 'beaucoup'",
    ]


def test_deadline_before_plan_year(demo):
    _edit_yaml(demo, lambda d: d["revenue"].update(target_deadline="31/12/2025"))
    assert _lines(demo) == [f"{demo / 'engagement.yaml'}: key 'revenue.target_deadline': 31/12/2025 is before the plan year 2027"]


def test_workshop_problems_name_sheet_row_and_column(demo):
    _edit_cells(demo, "SWOT", {"A5": "Force", "C6": 7, "B7": None})
    _edit_cells(demo, "Objectifs", {"D4": "31/12/2025", "D5": "demain"})
    _edit_cells(demo, "Questions positionnement", {"C4": "peut-être"})
    f = demo / "atelier.xlsx"
    assert _lines(demo) == [
        f"{f}: sheet 'SWOT', row 5, column 'Quadrant': expected one of 'Forces', 'Faiblesses', 'Opportunités', 'Menaces', got 'Force'",
        f"{f}: sheet 'SWOT', row 6, column 'Importance': expected a value from 1 to 3, got 7",
        f"{f}: sheet 'SWOT', row 7, column 'Élément': required, but the cell is empty",
        f"{f}: sheet 'Objectifs', row 5, column 'Échéance': expected a date as dd/mm/yyyy, e.g. '31/12/2027', got 'demain'",
        f"{f}: sheet 'Questions positionnement', row 4, column 'Réponse': expected one of 'oui', 'non', got 'peut-être'",
        f"{f}: sheet 'Objectifs', row 4, column 'Échéance': deadline 31/12/2025 is before the plan year 2027",
    ]


def test_missing_sheet_and_column(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    del wb["Mix 4P"]
    wb["SWOT"]["A2"] = "Catégorie"
    wb.save(path)
    assert _lines(demo) == [
        f"{path}: sheet 'SWOT', row 2: missing column 'Quadrant' (expected header 'Quadrant' or 'Quadrant' in row 2)",
        f"{path}: sheet 'Mix 4P': missing sheet (expected a sheet named 'Mix 4P' or '4P mix')",
    ]


def test_english_headers_and_labels_are_accepted(demo):
    _edit_cells(demo, "SWOT", {"A2": "Quadrant", "B2": "Item", "A3": "Strengths"})
    data, problems = check(demo)
    assert problems == [] and data.sheets["swot"]["quadrant"].iloc[0] == "strength"


def test_not_an_xlsx(demo):
    (demo / "atelier.xlsx").write_text("client;montant\nA;1\n", encoding="utf-8")
    assert _lines(demo) == [f"{demo / 'atelier.xlsx'}: not an Excel .xlsx workbook that openpyxl can open (BadZipFile); save it as .xlsx"]


def test_missing_files(tmp_path):
    assert _lines(tmp_path / "nope") == [f"{tmp_path / 'nope'}: engagement folder not found"]
    assert _lines(tmp_path) == [f"{tmp_path / 'engagement.yaml'}: file not found (every engagement folder needs one; `relkit new` creates it)"]


def test_broken_yaml(demo):
    (demo / "engagement.yaml").write_text("client:\n  name: [unclosed\n", encoding="utf-8")
    [line] = _lines(demo)
    assert line.startswith(f"{demo / 'engagement.yaml'}: line 3: not valid YAML")


def test_cli_validate_exit_codes(demo, capsys):
    assert main(["validate", str(demo)]) == 0
    assert "valid (Arnaud & Zoé, plan 2027)" in capsys.readouterr().out
    _edit_yaml(demo, lambda d: d["revenue"].update(last_year="-1 €"))
    _edit_cells(demo, "SWOT", {"A3": "?"})
    assert main(["validate", str(demo)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "2 problems in the engagement inputs:"
    assert len(err) == 3 and "revenue.last_year" in err[1] and "row 3, column 'Quadrant'" in err[2]


def test_engagement_yaml_saved_as_cp1252(demo):
    path = demo / "engagement.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    assert _lines(demo) == [f"{path}: not UTF-8 text; save it as UTF-8"]


def test_python_api_check_lists_problems(demo):
    import relkit

    assert relkit.check(demo) == []
    _edit_yaml(demo, lambda d: d["client"].update(model="B3C"))
    assert [str(p) for p in relkit.check(demo)] == [
        f"{demo / 'engagement.yaml'}: key 'client.model': expected one of 'B2C', 'B2B' or 'B2B2C', got 'B3C'"
    ]


def test_customer_data_and_value_keys(demo):
    def change(d):
        d["customer_data"] = {"transactions": {"file": "exports/ventes.csv", "preset": "generic_billing", "sheet": 2},
                              "dormant_months": 0}
        d["value"] = {"cost_to_reach": "-3 €", "conversion_rate": "0 %", "retention": "130 %"}
    _edit_yaml(demo, change)
    f = demo / "engagement.yaml"
    assert _lines(demo) == [
        f"{f}: key 'customer_data.transactions.sheet': unknown key (expected one of: file, preset, columns, options)",
        f"{f}: key 'customer_data.dormant_months': expected a value from 1 to 120 (months), got 0",
        f"{f}: key 'value.retention': expected a rate from 0 % to 100 %, got '130 %'",
        f"{f}: key 'value.cost_to_reach': must not be negative, got '-3 €'",
        f"{f}: key 'value.conversion_rate': expected a rate above 0 % and at most 100 %, got '0 %'",
    ]


def test_customer_data_needs_a_source(demo):
    _edit_yaml(demo, lambda d: d.update(customer_data={"dormant_months": 6}))
    assert _lines(demo) == [
        f"{demo / 'engagement.yaml'}: key 'customer_data': customer_data needs customers: or transactions: (or both)"
    ]


def test_journey_and_collection_plan_errors_name_sheet_row_column(demo):
    _edit_cells(demo, "Parcours", {"A4": "bouche-à-oreille", "B5": "fax", "F6": "génial", "G7": 6, "H8": 3})
    _edit_cells(demo, "Plan de collecte", {"H4": "bientôt", "I5": "Borne en magasin"})
    f = demo / "atelier.xlsx"
    assert _lines(demo) == [
        f"{f}: sheet 'Parcours', row 6, column 'Qualification': expected one of 'enchantement', 'satisfaction', 'irritant', 'point de rupture', got 'génial'",
        f"{f}: sheet 'Parcours', row 7, column 'Importance': expected a value from 1 to 5, got 6",
        f"{f}: sheet 'Parcours', row 8, column 'Émotion': expected a value from -2 to 2, got 3",
        f"{f}: sheet 'Plan de collecte', row 4, column 'Durée de conservation': expected a duration such as '3 ans', '36 mois' or '2 years', got 'bientôt'",
        f"{f}: sheet 'Parcours', row 4, column 'Étape': expected one of 'découverte', 'considération', 'achat', 'livraison/utilisation', 'service client', 'fidélisation', 'recommandation', got 'bouche-à-oreille'",
        f"{f}: sheet 'Parcours', row 5, column 'Canal': expected one of 'site web', 'application', 'magasin', 'e-mail', 'SMS', 'téléphone', 'réseaux sociaux', 'courrier', 'place de marché', 'événement', got 'fax'",
        f"{f}: sheet 'Plan de collecte', row 5, column 'Point de collecte': expected a touchpoint of sheet 'Parcours', got 'Borne en magasin'",
    ]


def test_engagement_can_replace_journey_stages(demo):
    stages = ["découverte", "considération", "achat", "livraison/utilisation", "service client", "fidélisation",
              "recommandation", "bouche-à-oreille"]
    _edit_yaml(demo, lambda d: d.update(journey={"stages": stages}))
    _edit_cells(demo, "Parcours", {"A4": "Bouche-à-oreille"})
    data, problems = check(demo, import_exports=False)
    assert problems == []
    assert data.sheets["journey"]["stage"].tolist()[:3] == ["découverte", "bouche-à-oreille", "découverte"]
