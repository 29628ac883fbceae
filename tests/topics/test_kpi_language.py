"""A KPI row prefilled from the catalogue in one language reads in the report's
language; what the client typed stays as typed."""
from relkit.topics.kpi import kpi_from_row


def test_catalogue_kpi_prefilled_in_french_reads_in_english():
    row = {"row": 3, "kpi": "Taux de conversion moyen", "definition": None, "unit": "%",
           "formula": "nombre de commandes ÷ nombre de visites"}
    en = kpi_from_row(row, "en")
    assert (en["name"], en["formula"]) == ("Average conversion rate", "number of orders ÷ number of visits")
    assert en["kpi"] == "Taux de conversion moyen"  # the sheet's text, for matching
    fr = kpi_from_row(row, "fr")
    assert (fr["name"], fr["formula"]) == ("Taux de conversion moyen", "nombre de commandes ÷ nombre de visites")


def test_typed_text_stays_as_typed():
    row = {"row": 3, "kpi": "Taux de conversion moyen", "unit": "%", "formula": "commandes web ÷ visites web"}
    assert kpi_from_row(row, "en")["formula"] == "commandes web ÷ visites web"
    custom = kpi_from_row({"row": 4, "kpi": "Ventes au marché", "unit": "€"}, "en")
    assert custom["name"] == "Ventes au marché"
