"""Workbook 01's competitor section: the demo's sentences and map, the link to
the positioning questions about competitors, English, and engagements without
competitors (a `relkit new` workbook, a workbook without the sheets)."""
import dataclasses

import pandas as pd
import pytest

from conftest import DEMO
from relkit.intake.load import check
from relkit.intake.scaffold import new_engagement
from relkit.io.labels import Labels
from relkit.workbooks.competitors import Competitors
from relkit.workbooks.diagnostic import Diagnostic


@pytest.fixture(scope="module")
def demo_data():
    data, problems = check(DEMO, import_exports=False)
    assert problems == []
    return data


def test_demo_sentences(demo_data):
    c = Competitors(demo_data, Labels("fr"))
    assert c.text() == (
        "4 concurrents décrits en atelier (offre, prix, valeur perçue, forces, faiblesses et canaux), comparés en annexe ; "
        "sur ses canaux, Arnaud & Zoé en croise le plus sur « Boutique en ligne » (3 sur 4) ; aucun concurrent n'est "
        "présent sur « marchés de créateurs »."
    )
    assert c.map_takeaway() == (
        "Kidikado est le concurrent le plus proche d'Arnaud & Zoé (écart de 0,7 sur une échelle de 1 à 5) : sur ces "
        "deux critères, Arnaud & Zoé ne se distingue pas encore de Kidikado."
    )
    # Questions 1 and 9 of the statement's evaluation are about competitors; the map qualifies question 1's yes.
    assert c.questions_text() == (
        "Évaluation de l'énoncé de positionnement : l'atelier a répondu oui à la question 1 (se distinguer des "
        "concurrents) et non à la question 9 (résister à leurs contre-attaques). La carte nuance ce oui : Kidikado "
        "occupe une place voisine d'Arnaud & Zoé."
    )
    assert c.figures() == {
        "competitors": (4, "Concurrents analysés", "4"),
        "competitor_nearest": ("Kidikado", "Concurrent le plus proche", "Kidikado"),
        "competitor_distance": (0.7071, "Écart avec le concurrent le plus proche (1 à 5)", "0,7"),
    }


def test_demo_table_and_map(demo_data):
    c = Competitors(demo_data, Labels("fr"))
    table = c.table()
    assert list(table.columns) == ["Marque", "Positionnement", "Offre", "Prix", "Valeur perçue", "Forces", "Faiblesses",
                                   "Canaux"]
    assert list(table["Marque"]) == ["Arnaud & Zoé (notre marque)", "Kidikado", "Les Petits Bio", "MiniMode",
                                     "Seconde Pousse"]
    assert list(table["Prix"]) == ["haut de gamme", "haut de gamme", "milieu de gamme", "entrée de gamme",
                                   "entrée de gamme"]
    assert not table.isna().any().any()
    fig = c.map_figure()
    ax = fig.axes[0]
    assert fig._suptitle.get_text() == "Carte de positionnement : Prix × Spécialisation évolutive"
    assert ax.get_xlabel() == "Prix (note de 1 à 5)"
    assert ax.get_title(loc="left").replace("\n", " ").replace("\u00a0", " ") == c.map_takeaway()
    texts = {t.get_text() for t in ax.texts}
    assert {"Arnaud & Zoé", "Kidikado", "petits prix", "haut de gamme", "généraliste", "spécialiste"} <= texts


def test_client_apart_and_a_no_answer(demo_data):
    sheet = demo_data.sheets["competitors"].copy()
    sheet.loc[sheet["name"] == "Kidikado", ["x_score", "y_score"]] = [5.0, 3.0]  # hypot(1.5, 2) = 2.5 from (3.5, 5)
    questions = demo_data.sheets["positioning_questions"].copy()
    questions.loc[questions["number"] == 1, "answer"] = "no"
    data = dataclasses.replace(demo_data, sheets={**demo_data.sheets, "competitors": sheet,
                                                  "positioning_questions": questions})
    c = Competitors(data, Labels("fr"))
    # Les Petits Bio (3, 2.5): hypot(0.5, 2.5) = 2.55; Kidikado now 2.5 away: the nearest
    assert c.map_takeaway() == ("Aucun concurrent à moins d'un point d'Arnaud & Zoé : le plus proche, Kidikado, est à "
                                "2,5 sur une échelle de 1 à 5.")
    assert c.questions_text().endswith("non à la question 1 (se distinguer des concurrents) et non à la question 9 "
                                       "(résister à leurs contre-attaques). La carte montre pourtant une place à part : "
                                       "la différence existe, elle reste à faire connaître.")


def test_demo_in_english(demo_data):
    c = Competitors(demo_data, Labels("en"))
    assert c.text() == (
        "4 competitors described in the workshop (offer, price, perceived value, strengths, weaknesses and channels), "
        "compared in the appendix; of Arnaud & Zoé's channels, “Boutique en ligne” is where it meets the most (3 of 4); "
        "no competitor is present on “marchés de créateurs”."
    )
    assert c.questions_text() == (
        "Evaluation of the positioning statement: the workshop answered yes to question 1 (standing apart from "
        "competitors) and no to question 9 (withstanding their counter-attacks). The map qualifies this yes: Kidikado "
        "holds a place next to Arnaud & Zoé's."
    )
    assert list(c.table().columns)[:4] == ["Brand", "Positioning", "Offer", "Price"]
    assert c.table()["Brand"].iloc[0] == "Arnaud & Zoé (our brand)"


def test_questions_table_points_to_the_competitor_section(demo_data):
    table = Diagnostic(demo_data, Labels("fr")).questions_table()
    linked = [q for q, text in zip(table["N°"], table["Question"]) if text.endswith("(voir « Concurrence »)")]
    assert linked == [1, 9]
    english = Diagnostic(demo_data, Labels("en")).questions_table()
    assert english["Question"].iloc[0] == "Does it set you apart from your competitors? (see “Competitors”)"


def test_new_english_engagement_has_no_competitors(tmp_path):
    folder = tmp_path / "b2b"
    new_engagement(folder, "Ouest Fournitures Pro", sector="Office supplies", model="B2B", consultant="Claire Dubois",
                   language="en", plan_year=2027)
    data, problems = check(folder, import_exports=False)
    assert problems == []
    c = Competitors(data, Labels("en"))
    assert not c.assessed()
    assert c.text() == "Not assessed: the competitors have not been described in the workshop yet."
    assert c.map_figure() is None and c.questions_text() is None
    assert c.figures() == {"competitors": (None, "Competitors analysed", "not assessed")}


def test_sheets_absent_and_competitors_not_scored(demo_data):
    absent = {k: v for k, v in demo_data.sheets.items() if k not in ("competitors", "competitor_axes")}
    c = Competitors(dataclasses.replace(demo_data, sheets=absent), Labels("fr"))
    assert c.text() == "Non évalué : les concurrents n'ont pas encore été décrits en atelier."
    assert c.map_figure() is None and c.questions_text() is None
    unscored = demo_data.sheets["competitors"].assign(x_score=None, y_score=None)
    c = Competitors(dataclasses.replace(demo_data, sheets={**demo_data.sheets, "competitors": unscored}), Labels("fr"))
    assert c.assessed() and c.map_figure() is None
    assert c.map_takeaway() == "Aucun concurrent n'a encore été noté sur les deux critères de la carte."
    assert c.figures() == {"competitors": (4, "Concurrents analysés", "4")}
    # the questions are still answered; the map cannot tell, so no verdict
    assert c.questions_text().endswith("(résister à leurs contre-attaques).")
    assert isinstance(c.table(), pd.DataFrame)
