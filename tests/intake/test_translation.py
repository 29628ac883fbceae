"""An English report of a French workshop: the client's French text is shown
as typed, never inside an English template sentence, and the run lists it for
the consultant (count and where)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DEMO
from relkit.intake.load import check
from relkit.intake.translation import _ranges, to_translate, translation_notes, typed_language
from relkit.io.labels import Labels
from relkit.workbooks.diagnostic import Diagnostic


@pytest.fixture(scope="module")
def data():
    data, problems = check(DEMO, import_exports=False)
    assert problems == []
    return data


@pytest.mark.parametrize("text, default, expected", [
    ("Développer la notoriété", None, "fr"),
    ("Fidéliser les anciens clients", None, "fr"),
    ("Contact du prestataire", None, "fr"),
    ("mensuelle", None, "fr"),
    ("Win back the lost customers", "fr", "en"),
    ("Newsletter", "fr", None),
    ("Facebook Ads", "fr", None),
    ("Arnaud", "fr", None),
    ("1 250 €", "fr", None),
    ("=SUM(N11,N14)", "fr", None),
    ("Trafic venant d'Instagram", None, "fr"),
    ("the brand's promise", "fr", "en"),
    ("", "fr", None),
    (None, "fr", None),
])
def test_typed_language(text, default, expected):
    assert typed_language(text, default) == expected


@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=20))
def test_row_ranges_cover_exactly_the_rows(rows):
    covered = set()
    for part in _ranges(rows).split(", "):
        low, _, high = part.partition("–")
        covered |= set(range(int(low), int(high or low) + 1))
    assert covered == set(rows)


def test_english_run_of_the_french_demo_lists_what_to_translate(data):
    items = to_translate(data, "en")
    where = {(i.sheet, i.row, i.column): i.text for i in items}
    assert where[("SWOT", 3, "Élément")] == "Concept de vêtements évolutifs qui grandissent avec l'enfant de 2 à 7 ans"
    assert ("Positionnement", 3, "Contenu") in where
    assert where[("Programmes", 12, "Déclencheur ou fréquence")] == "novembre-décembre"
    # relkit's own catalogue text (KPI names, definitions, formulas prefilled in French) is translated, not listed
    assert [i.row for i in items if i.sheet == "KPI"] == [26, 26, 26]
    # a standard programme named by a French alias is shown as typed: listed; by its label or code: translated
    assert [i.text for i in items if (i.sheet, i.column) == ("Programmes", "Programme")] == [
        "Bienvenue", "Anniversaire", "Recommandations", "Panier abandonné", "Coupon fidélité", "Service client",
        "Campagne de Noël"]
    # names without a clue of language are not listed
    assert not [i for i in items if i.text in ("Arnaud", "Newsletter", "Blogging")]
    # people's names are never to translate, accented or not ('Zoé', 'Arnaud et Zoé' in the owner columns)
    assert not [i for i in items if i.column == "Responsable"]
    assert any(v == "Zoé" for v in data.sheets["actions"]["owner"])
    notes = translation_notes(data, "en")
    assert notes[0] == f"to translate: {len(items)} workshop entries are in French and appear as typed in the English report"
    assert "  SWOT, 'Élément': rows 3–18 (16)" in notes
    assert to_translate(data, "fr") == [] and translation_notes(data, "fr") == []


def test_positioning_statement_is_never_a_mixed_sentence(data):
    en = Diagnostic(data, Labels("en")).statement_callout()
    assert en.startswith("The statement as worded in the workshop, in French: “Pour les parents urbains")
    assert "Arnaud & Zoé est la marque de vêtements évolutifs" in en
    assert "is the" not in en and "For les" not in en
    fr = Diagnostic(data, Labels("fr")).statement_callout()
    assert fr.startswith("Pour les parents urbains de 28 à 40 ans") and "tel que rédigé" not in fr
