"""The generated workshop workbook: sheets, headers, drop-downs, prefill; `relkit new`."""
import pytest
from openpyxl import load_workbook

from relkit.cli import main
from relkit.intake.load import check
from relkit.intake.atelier_template import LISTS_SHEET, create_workshop_file
from relkit.io.atelier import sheets


def test_every_topic_has_a_sheet_with_instructions_headers_and_dropdowns(tmp_path):
    path = create_workshop_file(tmp_path / "atelier.xlsx", lang="fr")
    wb = load_workbook(path)
    assert wb.sheetnames == ["SWOT", "Objectifs", "Positionnement", "Questions positionnement", "Concurrents",
                             "Carte concurrence", "Mix 4P",
                             "Checklist relationnel", "Personas", "Parcours", "Plan de collecte", "Programmes", "Scénarios", "Plan d'actions", "Temps forts",
                             "Outils", "Flux de données", "Feuille de route", "KPI",
                             "Réalisé", "Commentaires", LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    swot = wb["SWOT"]
    assert swot["A1"].value.startswith("Une ligne par élément.")
    assert [c.value for c in swot[2]] == ["Quadrant", "Élément", "Importance"]
    rules = {str(dv.sqref): dv for dv in swot.data_validations.dataValidation}
    assert rules["A3:A502"].type == "list" and rules["A3:A502"].formula1 == f"='{LISTS_SHEET}'!$A$2:$A$5"
    assert [wb[LISTS_SHEET].cell(r, 1).value for r in range(2, 6)] == ["Forces", "Faiblesses", "Opportunités", "Menaces"]
    assert rules["C3:C502"].type == "whole" and (rules["C3:C502"].formula1, rules["C3:C502"].formula2) == ("1", "3")
    journey = {str(dv.sqref): dv.formula1 for dv in wb["Parcours"].data_validations.dataValidation}
    assert set(journey) >= {"A3:A502", "B3:B502", "E3:E502"}  # stage, channel, qualification
    q = wb["Questions positionnement"]
    assert q["B3"].value == "Est-ce que cela vous différencie de vos concurrents ?" and q["A12"].value == 10
    assert wb["Checklist relationnel"]["A17"].value == 15
    axes = wb["Carte concurrence"]
    assert [axes["A3"].value, axes["A4"].value, axes["A5"].value] == ["horizontal", "vertical", None]  # the map's two axes
    rivals = {str(dv.sqref): dv.type for dv in wb["Concurrents"].data_validations.dataValidation}
    assert rivals == {"B3:B502": "list", "E3:E502": "list", "F3:F502": "list"}  # our brand, price level, perceived value


def test_english_workbook(tmp_path):
    wb = load_workbook(create_workshop_file(tmp_path / "w.xlsx", lang="en"))
    assert wb.sheetnames[:3] == ["SWOT", "Objectives", "Positioning"]
    assert wb["Positioning"]["A3"].value == "Target customer"


def test_schema_lists_exist():
    for s in sheets():
        assert s.columns and all(c.header.keys() == {"fr", "en"} for c in s.columns)


def test_relkit_new_creates_a_valid_engagement_and_never_overwrites(tmp_path, capsys):
    folder = tmp_path / "acme"
    assert main(["new", str(folder), "--name", "ACME Bâtiment", "--plan-year", "2027"]) == 0
    assert (folder / "engagement.yaml").exists() and (folder / "atelier.xlsx").exists()
    data, problems = check(folder)
    assert problems == [] and data.engagement.client.name == "ACME Bâtiment" and data.engagement.slug == "acme-batiment"
    assert len(data.sheets["positioning_questions"]) == 10 and data.sheets["swot"].empty
    before = (folder / "engagement.yaml").read_bytes()
    assert main(["new", str(folder), "--name", "Autre"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (folder / "engagement.yaml").read_bytes() == before


def test_demo_generator_reproduces_committed_demo(tmp_path):
    """data_samples/make_demo.py is the source of the committed demo files."""
    import importlib.util

    from conftest import DEMO, ROOT

    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "data_samples" / "make_demo.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.build(tmp_path)
    assert (tmp_path / "engagement.yaml").read_text(encoding="utf-8") == (DEMO / "engagement.yaml").read_text(encoding="utf-8")
    a, _ = check(tmp_path, import_exports=False)  # the exports have their own generator and test
    b, _ = check(DEMO, import_exports=False)
    for key in b.sheets:
        assert a.sheets[key].equals(b.sheets[key]), key


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sheet_titles_are_unique(lang):
    titles = [s.title[lang] for s in sheets()]
    assert len(titles) == len(set(titles)) and all(len(t) <= 31 for t in titles)
