"""Sensitive data is named by its category in the client's language, never by
the folded keyword the detector matched ('sante')."""
import pytest

from conftest import DEMO
from relkit.intake.load import check
from relkit.io.labels import Labels
from relkit.topics.collection_plan import term_categories
from relkit.workbooks.collection import CollectionWorkbook


@pytest.mark.parametrize("terms, categories", [
    (["sante", "allergies"], ["health"]),
    (["allergies", "sante"], ["health"]),
    (["syndicale", "opinions politiques"], ["politics", "union"]),
    (["casier judiciaire"], ["criminal"]),
    (["religion", "dna"], ["religion", "genetic"]),
    ([" handicap"], ["health"]),
    ([""], []),
])
def test_term_categories(terms, categories):
    assert term_categories(terms) == categories


@pytest.mark.parametrize("lang, expected", [
    ("fr", "Donnée sensible (santé) : ne pas la collecter, sauf exception de l'article 9 du RGPD."),
    ("en", "Sensitive data (health): do not collect it, save for a GDPR article 9 exception."),
])
def test_demo_sensitive_finding_names_the_category(lang, expected):
    data, problems = check(DEMO, import_exports=False)
    assert problems == []
    cw = CollectionWorkbook(data, Labels(lang), None)
    flag = cw.flags[cw.flags["rule"] == "sensitive_data"].iloc[0]
    assert cw.finding(flag) == expected
