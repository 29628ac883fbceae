"""The key-dates sheet checked with the rest of the workshop: one line per bad cell, all at once;
a workbook without the sheet stays valid."""
from openpyxl import load_workbook

from relkit.intake.load import check


def test_key_date_problems_are_listed_with_the_others(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    ws = wb["Temps forts"]  # rows 3-11: soldes d'hiver … marché de Noël
    ws["C3"] = "01/01/2027"  # soldes d'hiver end before their start (13/01/2027)
    ws["B6"] = "30 mai"  # fête des mères: not a readable date
    ws["B8"], ws["C8"] = "23/08/2026", "12/09/2026"  # rentrée of the year before the plan
    ws["E9"] = "peut-être"  # not a stance of the list
    wb.save(path)
    _, problems = check(demo, import_exports=False)
    assert [str(p) for p in problems] == [
        f"{path}: sheet 'Temps forts', row 6, column 'Début': expected a date as dd/mm/yyyy, e.g. '31/12/2027', "
        "got '30 mai'",
        f"{path}: sheet 'Temps forts', row 9, column 'Campagnes': expected one of 'à prévoir', 'à éviter', "
        "'à connaître', got 'peut-être'",
        f"{path}: sheet 'Temps forts', row 3, column 'Fin': expected an end on or after the start 13/01/2027, "
        "got 01/01/2027",
        f"{path}: sheet 'Temps forts', row 8, column 'Début': expected a period with days in the plan year 2027, "
        "got 23/08/2026 to 12/09/2026",
    ]


def test_workbook_without_the_key_dates_sheet_is_valid(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    del wb["Temps forts"]
    wb.save(path)
    data, problems = check(demo, import_exports=False)
    assert problems == []
    assert data.sheets["key_dates"].empty
