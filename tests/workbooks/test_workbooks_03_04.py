"""Workbooks 03 and 04 on the demo engagement: exact results."""
import pytest

from conftest import DEMO
from relkit.topics import journey as jm
from relkit.workbooks.collection import CollectionWorkbook
from relkit.io.labels import Labels
from relkit.workbooks.journey import JourneyWorkbook
from relkit.intake.load import check


@pytest.fixture(scope="module")
def data():
    data, problems = check(DEMO, import_exports=False)
    assert problems == []
    return data


def test_demo_journey(data):
    jw = JourneyWorkbook(data, Labels("fr"))
    moments = jm.moments_of_truth(data.sheets["journey"])
    assert len(moments) == 6
    pain = jm.pain_points(data.sheets["journey"])
    assert pain["touchpoint"].tolist() == [
        "Délai de livraison de 3 semaines", "Pas de numéro joignable", "Réponse aux questions de taille sous 48 h",
        "Fiche produit Etsy sans guide des tailles", "Précommande par formulaire", "Newsletter irrégulière"]
    assert pain["score"].tolist() == [10, 8, 5, 4, 3, 2]
    d = jm.differences(data.sheets["journey"])
    assert (len(d.added), len(d.removed), len(d.requalified)) == (8, 7, 1)
    assert d.requalified[["touchpoint", "from", "to"]].values.tolist() == [
        ["Réponse aux questions de taille sous 48 h", "irritant", "satisfaction"]]
    assert jw.zones_text() == "Étapes à traiter en premier : service client, livraison/utilisation et considération."
    assert jw.coverage_text()[0] == "Canaux inutilisés : application, magasin et SMS."
    assert jw.key_figures()[3] == ("Points de collecte (cible)", "5")


def test_demo_collection_plan_flags(data):
    cw = CollectionWorkbook(data, Labels("fr"), None)
    flags = cw.flags[["row", "rule", "field"]].values.tolist()
    assert flags == [
        [3, "email_prospecting_without_consent", "E-mail"],
        [8, "no_use", "Centres d'intérêt (couture, écologie)"],
        [8, "retention_too_long", "Centres d'intérêt (couture, écologie)"],
        [9, "sensitive_data", "Données de santé de l'enfant (allergies textiles)"],
        [9, "collection_point_not_in_journey", "Données de santé de l'enfant (allergies textiles)"],
    ]
    assert cw.gdpr_table().iloc[0, 3] == ("Utilisé pour la prospection auprès de clients et prospects sur la base "
                                          "« intérêt légitime » : en B2C, le consentement préalable est requis.")


def test_demo_collection_gaps_use_the_customer_file_audit(data):
    import pandas as pd

    completeness = pd.DataFrame({"filled": [2976, 1889, 2388, 3000], "share_filled": [0.992, 0.63, 0.796, 1.0],
                                 "valid": [2955, 1875, 2377, pd.NA], "share_valid": [0.985, 0.625, 0.792, pd.NA]},
                                index=["email", "phone", "postal_code", "opt_in_sms"])
    cw = CollectionWorkbook(data, Labels("fr"), completeness)
    assert cw.gaps[["field", "programme_count"]].values.tolist() == [
        ["Âge de l'enfant", 2], ["Données de santé de l'enfant (allergies textiles)", 1]]
    assert cw.completeness_table().iloc[2].tolist() == ["Téléphone", "mesuré", "63\u00a0%", "62\u00a0%"]
