"""The competitors sheets checked with the rest of the workshop: one line per bad cell, all at once."""
from openpyxl import load_workbook

from relkit.intake.load import check


def test_competitor_problems_are_listed_with_the_others(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    ws = wb["Concurrents"]
    ws["B4"] = "oui"  # Kidikado marked as our brand too (row 3 is Arnaud & Zoé)
    ws["K5"] = None  # Les Petits Bio: horizontal score only
    ws["J6"] = 7  # out of the 1-5 scale: the cell type says so, the row is left out of the other checks
    wb["Carte concurrence"]["B4"] = None  # the vertical axis has no criterion, yet the competitors are scored on it
    wb.save(path)
    _, problems = check(demo, import_exports=False)
    assert [str(p) for p in problems] == [
        f"{path}: sheet 'Concurrents', row 6, column 'Note axe horizontal (1 à 5)': expected a value from 1 to 5, got 7",
        f"{path}: sheet 'Concurrents', row 4, column 'Notre marque': only one row may be your own brand (already row 3); "
        "expected 'non' here",
        f"{path}: sheet 'Concurrents', row 5, column 'Note axe vertical (1 à 5)': expected a score from 1 to 5 here too "
        "(the row has a 'Note axe horizontal (1 à 5)'), or neither: a competitor is placed on the map by both scores",
        f"{path}: sheet 'Carte concurrence', row 4, column 'Critère': expected the criterion of the vertical axis "
        "(e.g. 'Prix'): the competitors are scored on it in sheet 'Concurrents'",
    ]


def test_workbook_without_the_competitor_sheets_is_valid(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    del wb["Concurrents"]
    del wb["Carte concurrence"]
    wb.save(path)
    data, problems = check(demo, import_exports=False)
    assert problems == []
    assert data.sheets["competitors"].empty and data.sheets["competitor_axes"].empty
