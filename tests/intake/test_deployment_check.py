"""The tools, data-flow and roadmap sheets checked with the rest of the workshop:
one line per bad cell, all at once; workbooks without them stay valid."""
import datetime as dt

from openpyxl import load_workbook

from relkit.intake.load import check

KNOWN = ("'Shopify', 'Etsy', 'Shopify POS', 'SumUp', 'Brevo', 'Mailchimp (offre gratuite)', 'Salesforce', "
         "'Fichier Excel', 'Pennylane', 'Meta Business Suite', 'KissKissBankBank'")


def test_deployment_problems_are_listed_with_the_others(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    flows, road, tools = wb["Flux de données"], wb["Feuille de route"], wb["Outils"]
    flows["A4"] = "HubSpot"  # a tool the Outils sheet does not list
    flows["B5"] = "etsy"  # Etsy -> Etsy
    flows["E6"] = "parfois"  # not a mode: the cell type says so, the row is left out of the other checks
    road["D3"] = dt.datetime(2026, 12, 20)  # ends before it starts (04/01/2027)
    road["E4"] = "Square"  # not a tool of the Outils sheet
    tools["B10"], tools["C10"] = None, None  # KissKissBankBank's row: neither tool
    wb.save(path)
    _, problems = check(demo, import_exports=False)
    known = KNOWN.replace(", 'KissKissBankBank'", "")
    assert [str(p) for p in problems] == [
        f"{path}: sheet 'Flux de données', row 6, column 'Mode': expected one of 'automatique', 'manuel', got 'parfois'",
        f"{path}: sheet 'Outils', row 10, column 'Outil retenu': expected the chosen tool, the current one or both "
        "(the row's role is 'financement participatif')",
        f"{path}: sheet 'Flux de données', row 4, column 'Outil source': expected a tool of sheet 'Outils' ({known}), "
        "got 'HubSpot'",
        f"{path}: sheet 'Flux de données', row 5, column 'Outil destination': expected another tool than the source "
        "'Etsy': a flow goes from one tool to another",
        f"{path}: sheet 'Feuille de route', row 3, column 'Fin': end 20/12/2026 is before the start 04/01/2027",
        f"{path}: sheet 'Feuille de route', row 4, column 'Outil': expected a tool of sheet 'Outils' ({known}), "
        "got 'Square'",
    ]


def test_workbook_without_the_deployment_sheets_is_valid(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    for title in ("Outils", "Flux de données", "Feuille de route"):
        del wb[title]
    wb.save(path)
    data, problems = check(demo, import_exports=False)
    assert problems == []
    assert data.sheets["tools"].empty and data.sheets["data_flows"].empty and data.sheets["roadmap"].empty
