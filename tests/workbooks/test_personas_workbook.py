"""Workbook 02's personas (relkit.workbooks.personas): the demo's five personas
beside their measured segments, one without a segment said plainly; without a
customer file the personas alone; a bad persona cell is one clear line."""
import shutil

import pytest
from openpyxl import load_workbook

from conftest import DEMO
from relkit.intake.load import check, load
from relkit.io.labels import Labels
from relkit.workbooks.customers import CustomerFile
from relkit.workbooks.personas import PersonasSection
from relkit.workbooks.registry import default_workbooks

NB = "\u00a0"


@pytest.fixture(scope="module")
def demo_data():
    return load(DEMO)


@pytest.fixture(scope="module")
def section(demo_data):
    cf = CustomerFile(demo_data.engagement, demo_data.imports, Labels("fr"))
    return PersonasSection(demo_data.sheets["personas"], Labels("fr"), cf)


def test_each_demo_persona_beside_its_segment(section):
    table = section.table()
    assert table.to_dict("list") == {
        "Persona": ["Camille, 34 ans", "Julie, 38 ans", "Sophie, 41 ans", "Thomas, 31 ans", "Colette, 65 ans et plus"],
        "Segment lié": ["Fidèles", "Champions", "À ne pas perdre", "Nouveaux clients", "aucun"],
        # the segment sizes of the segments table (272 loyal, 173 champions, 93 can't lose, 181 new)
        "Clients": ["272", "173", "93", "181", "—"],
        "Part du CA": [f"25{NB}%", f"17{NB}%", f"10{NB}%", f"3{NB}%", "—"],
        "CA par client": [f"196{NB}€", f"210{NB}€", f"227{NB}€", f"38{NB}€", "—"],
        "Joignables (e-mail ou SMS)": [f"176 (65{NB}%)", f"101 (58{NB}%)", f"59 (63{NB}%)", f"118 (65{NB}%)", "—"],
    }
    assert section.not_measured() is None


def test_the_persona_without_a_segment_is_said_plainly(section):
    assert section.text() == [
        f"5 personas ont été décrits en atelier ; 4 s'appuient sur un segment mesuré du fichier clients, soit 719 clients "
        f"et 55{NB}% du chiffre d'affaires.",
        "Sans segment derrière lui dans le fichier : Colette (grand-mère de quatre petits-enfants). C'est une cible que "
        "le fichier ne contient pas encore ; son poids se mesurera une fois les premiers clients de ce profil enregistrés.",
        "Le détail de chaque persona (objectifs, frustrations, déclencheurs d'achat, objections) et le portrait des "
        "segments prioritaires figurent en annexe."]
    assert {k: v[0] for k, v in section.figures().items()} == {
        "personas": 5, "personas_measured": 4, "personas_without_segment": 1}


def test_cards_three_personas_per_table(section):
    cards = section.cards()
    assert [list(c.columns) for c in cards] == [["", "Camille", "Julie", "Sophie"], ["", "Thomas", "Colette"]]
    assert cards[1][""].tolist() == ["Âge", "Situation", "Objectifs", "Frustrations", "Canaux", "Déclencheurs d'achat",
                                     "Objections", "Segment lié"]
    assert cards[1]["Colette"].tolist()[0] == "65 ans et plus" and cards[1]["Colette"].tolist()[-1] == "aucun"


def test_without_a_customer_file_the_personas_stand_alone_in_english(demo_data):
    alone = PersonasSection(demo_data.sheets["personas"], Labels("en"), None)
    assert alone.not_measured() == ("Not measurable: no customer file was provided; the 5 personas described in the "
                                    "workshop are shown alone, without the size or value of their segment.")
    assert alone.table().to_dict("list") == {
        "Persona": ["Camille, 34", "Julie, 38", "Sophie, 41", "Thomas, 31", "Colette, 65+"],
        "Linked segment": ["Loyal", "Champions", "Can't lose them", "New customers", "none"],
        "Channels": ["Instagram, newsletter, e-shop Shopify", "Newsletter, Instagram, marchés de créateurs",
                     "E-mail, Facebook", "Marchés de créateurs, Instagram, SMS", "Etsy, Pinterest, bouche-à-oreille"]}
    assert alone.text()[0].startswith("No segment behind this persona in the file: Colette")
    assert alone.figures() == {"personas": (5, "Personas described", "5")}


def test_no_personas_nothing_to_show():
    empty = PersonasSection(None, Labels("fr"), None)
    assert not empty.declared and empty.figures() == {} and empty.not_measured() is None and empty.cards() == []


def test_the_customer_file_workbook_runs_for_personas_alone(demo_data, tmp_path):
    """Without customer_data the workbook runs when the workshop has personas, and not otherwise."""
    from types import SimpleNamespace as data

    personas, none = demo_data.sheets["personas"], demo_data.sheets["personas"].iloc[0:0]
    runs = lambda d: "02_fichier_clients" in [w.id for w in default_workbooks(d)]  # noqa: E731
    assert runs(data(engagement=data(customer_data=None), sheets={"personas": personas}))
    assert not runs(data(engagement=data(customer_data=None), sheets={"personas": none}))
    assert not runs(data(engagement=data(customer_data=None), sheets={}))
    assert runs(data(engagement=demo_data.engagement, sheets={"personas": none}))


def _edit_personas(folder, row, column, value):
    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    ws = wb["Personas"]
    headers = [c.value for c in ws[2]]
    ws.cell(row, headers.index(column) + 1).value = value
    wb.save(path)


def test_a_segment_that_does_not_exist_is_one_clear_line(tmp_path):
    folder = tmp_path / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    _edit_personas(folder, 7, "Segment lié", "Grands-parents")
    _edit_personas(folder, 3, "Âge", "340")
    data, problems = check(folder, import_exports=False)
    lines = [str(p) for p in problems]
    assert data is None and len(lines) == 2
    assert lines[0].endswith("sheet 'Personas', row 3, column 'Âge': expected an age from 0 to 120, got '340'")
    assert "sheet 'Personas', row 7, column 'Segment lié': expected a segment of the customer file ('Champions', " in lines[1]
    assert lines[1].endswith("or an empty cell for a target not in the file yet, got 'Grands-parents'")


def test_a_workshop_without_the_personas_sheet_still_validates(tmp_path):
    folder = tmp_path / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    del wb["Personas"]
    wb.save(path)
    data, problems = check(folder, import_exports=False)
    assert problems == [] and data.sheets["personas"].empty
    assert not PersonasSection(data.sheets["personas"], Labels("fr")).declared
