"""The issue-15 parts on the restitution's existing slides: one line each, from the
recorded figures, on the slide that already shows their subject; nothing without them."""
import copy

import pandas as pd

from relkit.io.labels import Labels
from relkit.workbooks.deck import deck_content

from test_deck import CTX, FIGURES, _fig, _png, _tables

NB = "\u202f"


def _deck(figures, tables, lang="fr"):
    images = {"swot": _png(), "journey": _png(), "retro": _png()}
    deck = deck_content(figures, tables, images, CTX, Labels(lang, "EUR"))
    return {s.key: s for s in deck.slides}


def _with_parts():
    figures = copy.deepcopy(FIGURES)
    figures["01_diagnostic"].update(competitors=_fig(4), competitor_nearest=_fig("Kidikado"),
                                    competitor_distance=_fig(0.7071, "0,7"))
    figures["02_fichier_clients"].update(personas=_fig(5), personas_measured=_fig(4), personas_without_segment=_fig(1))
    figures.setdefault("04_plan_collecte", {}).update(questions_answered=_fig(6, "6/6"), fields_planned=_fig(11))
    figures["05_plan_relationnel"].update(
        scenarios=_fig(4), scenario_messages=_fig(12), scenario_conditional=_fig(7), key_dates=_fig(9),
        key_dates_covered=_fig(5, "5 / 5"), key_dates_clashes=_fig(1), deployment_tools=_fig(8),
        deployment_tools_to_set_up=_fig(6), deployment_flows=_fig(11), deployment_flows_manual=_fig(5))
    tables = _tables()
    tables["personas"] = pd.DataFrame({"Persona": ["Camille, 34 ans", "Colette, 65 ans et plus"],
                                       "Segment lié": ["Fidèles", "aucun"], "Clients": ["272", "—"]})
    return figures, tables


def test_each_part_adds_its_line_to_the_slide_of_its_subject():
    slides = _deck(*_with_parts())
    assert slides["swot"].bullets[-1] == ("4 concurrents sur la carte ; le plus proche : Kidikado "
                                          "(écart 0,7 sur une échelle de 1 à 5)")
    assert slides["segments"].bullets == ("4 personas sur 5 adossés à un segment mesuré du fichier",
                                          "Sans segment dans le fichier : Colette (une cible à conquérir)")
    assert ("4 scénarios automatisés : 12 messages, dont 7 sous condition (comptés comme envoyés dans la pression)"
            in slides["programmes"].bullets)
    assert slides["retro"].bullets[-2:] == (
        "Temps forts à exploiter préparés : 5 / 5 ; périodes à éviter où le plan programme une campagne : 1",
        "8 outils, dont 6 à mettre en place ; 11 flux de données, dont 5 manuels")
    assert "Questions de la base clients couvertes par le plan : 6/6" in slides["collection"].bullets


def test_the_same_slides_without_the_parts_are_unchanged():
    figures, tables = _with_parts()
    with_parts = _deck(figures, tables)
    without = _deck(copy.deepcopy(FIGURES), _tables())
    assert list(with_parts) == list(without)  # no new slide: the deck keeps its 12-20 slides
    assert without["segments"].bullets == ()
    assert not any("scénarios" in b for b in without["programmes"].bullets)
    assert not any("Temps forts" in b or "outils" in b for b in without["retro"].bullets)


def test_english_lines():
    slides = _deck(*_with_parts(), lang="en")
    assert slides["segments"].bullets[0] == "4 of 5 personas stand on a measured segment of the file"
    assert slides["retro"].bullets[-1] == "8 tools, 6 of them to set up; 11 data flows, 5 of them manual"


def test_an_empty_saved_table_is_skipped_not_fatal(tmp_path):
    from relkit.workbooks.deck_data import read_tables

    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "programmes.csv").write_text("\n", encoding="utf-8")  # what an empty frame saves
    (tmp_path / "tables" / "kpi.csv").write_text("KPI,Cible\nPanier moyen,45 €\n", encoding="utf-8")
    tables = read_tables(tmp_path)
    assert list(tables) == ["kpi"] and tables["kpi"].iloc[0].tolist() == ["Panier moyen", "45 €"]
