"""Sections whose workshop entries are empty say "non évalué": no score of 0,
no conclusion drawn from nothing (issue 13 §2)."""
import shutil

import pytest

from conftest import DEMO
from relkit.intake.load import check
from real_clients import EMPTY_DIAGNOSTIC, blank
from relkit.io.labels import Labels
from relkit.workbooks.diagnostic import Diagnostic

NOT_ASSESSED = {
    "swot": "Non évalué : aucun élément SWOT n'a été saisi en atelier ; forces, faiblesses, opportunités et menaces "
            "restent à établir avant de fixer les objectifs.",
    "objectives": "Non évalué : aucun objectif n'a été saisi en atelier ; le plan se chiffre une fois les objectifs fixés.",
    "statement": "Non évalué : l'énoncé de positionnement n'a pas encore été rédigé en atelier.",
    "positioning": "Non évalué : aucune des 10 questions n'a reçu de réponse ; l'énoncé sera noté une fois discuté en atelier.",
    "mix": "Non évalué : les quatre variables du mix (produit, prix, communication, distribution) n'ont pas été "
           "décrites en atelier.",
    "readiness": "Non évalué : aucune des 15 pratiques n'a été renseignée ; la maturité relationnelle sera mesurée en atelier.",
}


@pytest.fixture(scope="module")
def empty_workshop(tmp_path_factory):
    """The demo with its diagnostic sheets emptied (questions kept, answers blank)."""
    folder = tmp_path_factory.mktemp("empty") / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    blank(folder, EMPTY_DIAGNOSTIC)
    data, problems = check(folder, import_exports=False)
    assert problems == []
    return data


def test_every_empty_diagnostic_section_is_not_assessed(empty_workshop):
    d = Diagnostic(empty_workshop, Labels("fr"))
    assert {s: d.assessed(s) for s in Diagnostic.SECTIONS} == dict.fromkeys(Diagnostic.SECTIONS, False)
    assert d.swot_text() == NOT_ASSESSED["swot"]
    assert d.swot_figure() is None
    assert d.objectives_text() == NOT_ASSESSED["objectives"]
    assert d.statement_callout() == NOT_ASSESSED["statement"]
    assert d.positioning_text() == NOT_ASSESSED["positioning"]
    assert d.mix_text() == NOT_ASSESSED["mix"]
    assert d.readiness_text() == [NOT_ASSESSED["readiness"]]


def test_no_score_is_recorded_for_an_empty_section(empty_workshop):
    figures = Diagnostic(empty_workshop, Labels("fr")).figures()
    assert figures["positioning_score"][0] is None and figures["positioning_score"][2] == "non évalué"
    assert figures["readiness_score"][0] is None and figures["readiness_score"][2] == "non évalué"
    assert figures["objectives_smart"][0] is None and figures["objectives_smart"][2] == "non évalué"
    assert (figures["swot_items"][0], figures["objectives"][0]) == (0, 0)  # counts stay counts
    shown = " ".join(str(v[2]) for v in figures.values())
    assert "0/10" not in shown and "0\u00a0%" not in shown


def test_no_conclusion_is_drawn_in_english_either(empty_workshop):
    d = Diagnostic(empty_workshop, Labels("en"))
    assert d.readiness_text() == ["Not assessed: none of the 15 practices has been answered; relationship-marketing "
                                  "readiness is measured in the workshop."]
    assert d.figures()["positioning_score"][2] == "not assessed"
    assert "transactionally" not in " ".join(d.readiness_text())


def test_a_partly_filled_section_is_scored(tmp_path):
    folder = tmp_path / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    blank(folder, {"swot": None})  # only the SWOT is empty
    data, problems = check(folder, import_exports=False)
    assert problems == []
    d = Diagnostic(data, Labels("fr"))
    assert [s for s in Diagnostic.SECTIONS if not d.assessed(s)] == ["swot"]
    figures = d.figures()
    assert figures["positioning_score"][2] == "7/10" and figures["readiness_score"][2] == "73\u00a0%"


def test_a_new_engagement_is_not_assessed(tmp_path):
    from relkit.intake.scaffold import new_engagement

    folder = new_engagement(tmp_path / "vide", "Vide & Co")
    data, problems = check(folder, import_exports=False)
    assert problems == []
    d = Diagnostic(data, Labels("fr"))
    assert [d.assessed(s) for s in Diagnostic.SECTIONS] == [False] * 6
    assert d.readiness().score is None and d.readiness().level is None


@pytest.fixture(scope="module")
def demo_data():
    data, problems = check(DEMO, import_exports=False)
    assert problems == []
    return data


def with_sheet(data, key, frame):
    import dataclasses

    return dataclasses.replace(data, sheets={**data.sheets, key: frame})


def test_a_journey_without_its_current_version_is_not_assessed(demo_data):
    from relkit.workbooks.journey import JourneyWorkbook

    journey = demo_data.sheets["journey"]
    jw = JourneyWorkbook(with_sheet(demo_data, "journey", journey[journey["version"] == "target"]), Labels("fr"))
    current = "Non évalué : le parcours actuel n'a pas été cartographié en atelier."
    assert (jw.mapped("current"), jw.mapped("target")) == (False, True)
    assert jw.moments_text() == current and jw.zones_text() == current and jw.coverage_text() == [current]
    assert jw.differences_text() == current
    figures = jw.figures()
    assert figures["touchpoints_current"][0] == 0
    assert [figures[k][0] for k in ("pain_points", "moments_of_truth", "touchpoints_added")] == [None, None, None]
    assert figures["pain_points"][2] == "non évalué"


def test_a_journey_without_target_or_pain(demo_data):
    from relkit.workbooks.journey import JourneyWorkbook

    journey = demo_data.sheets["journey"]
    current = journey[journey["version"] == "current"].assign(qualification="satisfaction")
    jw = JourneyWorkbook(with_sheet(demo_data, "journey", current), Labels("fr"))
    assert jw.differences_text() == "Non évalué : le parcours cible n'a pas encore été dessiné en atelier."
    assert jw.zones_text() == "Aucun irritant ni point de rupture relevé : aucune étape n'est à traiter en priorité."
    figures = jw.figures()
    assert (figures["pain_points"][0], figures["moments_of_truth"][0], figures["touchpoints_removed"][0]) == (0, 6, None)


def test_collection_gaps_without_a_customer_file_are_not_assessed(demo_data):
    from relkit.workbooks.collection import CollectionWorkbook

    cw = CollectionWorkbook(demo_data, Labels("fr"), None)
    assert cw.measured is False
    assert cw.gaps_text() == "Non évalué : les données manquantes se mesurent sur le fichier clients, qui n'a pas été fourni."
    assert cw.completeness_text() == ("Non évalué : sans fichier clients, la part des fiches où chaque donnée est "
                                      "renseignée ne peut pas être mesurée.")
    assert cw.figures()["gaps"] == (None, "Données manquantes", "non évalué")
    assert cw.key_figures()[1] == ("Données manquantes", "non évalué")
    assert cw.figures()["gdpr_flags"][0] == 5  # the GDPR checks read the plan itself


def test_a_revenue_left_at_zero_is_not_given(tmp_path):
    from relkit.intake.scaffold import new_engagement

    data, _ = check(new_engagement(tmp_path / "vide", "Vide & Co"), import_exports=False)
    d = Diagnostic(data, Labels("fr"))
    assert d.key_figures()[:2] == [("Chiffre d'affaires de l'an dernier", "non renseigné"),
                                   ("Objectif de chiffre d'affaires", "non renseigné")]
    assert d.figures()["revenue_target"][0] == 0.0 and d.figures()["revenue_target"][2] == "non renseigné"


def test_a_partly_answered_positioning_says_its_score_is_to_confirm(demo_data):
    questions = demo_data.sheets["positioning_questions"].copy()
    questions.loc[questions["number"] >= 4, "answer"] = None  # only questions 1-3 answered (yes, yes, yes in the demo)
    d = Diagnostic(with_sheet(demo_data, "positioning_questions", questions), Labels("fr"))
    assert d.figures()["positioning_score"][2] == "3/10"
    text = d.positioning_text().replace("\u00a0", " ").replace("\u202f", " ")
    assert text.endswith(" Attention : 7 questions sur 10 restent sans réponse (n° 4, n° 5, n° 6, n° 7, n° 8, n° 9 et "
                         "n° 10) ; le score est à confirmer en atelier.")
