"""`relkit run` end to end on engagements that are not the demo: customers
only, four months of sales alone, a small English B2B client. Each gives the
whole report, and each section the data cannot feed says so in one sentence."""
import json
import re

import pandas as pd
import pytest
from pypdf import PdfReader

import relkit
from real_clients import b2b_english, customers_only, short_history

pytestmark = pytest.mark.pipeline


def _text(pdf) -> str:
    """The PDF's text with line breaks and non-breaking spaces folded to spaces."""
    raw = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", raw)


def _run(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "reports"
    result = relkit.run(folder, out=out, progress=None)
    run_info = json.loads((result.out_dir / "run.json").read_text(encoding="utf-8"))
    figures = json.loads((result.out_dir / "figures.json").read_text(encoding="utf-8"))
    return result, _text(result.pdf), run_info, figures


@pytest.fixture(scope="module")
def only_customers(tmp_path_factory):
    return _run(customers_only(tmp_path_factory.mktemp("c")), tmp_path_factory)


@pytest.fixture(scope="module")
def four_months(tmp_path_factory):
    return _run(short_history(tmp_path_factory.mktemp("s"), months=4), tmp_path_factory)


@pytest.fixture(scope="module")
def b2b(tmp_path_factory):
    return _run(b2b_english(tmp_path_factory.mktemp("b")), tmp_path_factory)


def _no_raw_values(text: str) -> None:
    assert not re.search(r"\bnan\b|\bNaN\b|\bNone\b|\binf\b", text)


def test_customers_only_gives_the_whole_report(only_customers):
    result, text, run_info, figures = only_customers
    assert set(run_info["workbooks"]) == {"00_synthese", "01_diagnostic", "02_fichier_clients", "03_parcours_client",
                                          "04_plan_collecte", "05_plan_relationnel"}
    assert all(w["status"] == "ok" for w in run_info["workbooks"].values())
    assert "Non mesurable : il faut l'historique d'achats (export des ventes, des factures ou des commandes)." in text
    assert ("Non mesurable : la VMC demande le nombre d'achats par an, le taux de rétention et le montant moyen "
            "d'une transaction, que seul l'historique d'achats permet de mesurer ; aucun export des ventes, des "
            "factures ou des commandes n'a été fourni.") in text
    findings = pd.read_csv(result.out_dir / "tables" / "constats.csv")
    assert "3\u202f000 contacts, aucun historique d'achat" in set(findings.iloc[:, 0])
    # Quality is measured all the same, and nothing is recorded as a silent 0.
    assert "Qualité des données" in text
    recorded = figures["02_fichier_clients"]
    assert recorded["customers"]["value"] == 3000
    assert not {"buyers", "orders", "net_revenue", "dormant", "vmc_gross", "clv_12m_total"} & set(recorded)
    # Programme targets that need purchases are gaps, never 0, and say what to fetch.
    assert ("« Réactivation des clients dormants » ne peut pas être ciblé sans l'historique d'achats (date du "
            "dernier achat) : il faut l'export des ventes, des factures ou des commandes.") in text
    _no_raw_values(text)


def test_four_months_of_sales_alone(four_months):
    result, text, run_info, figures = four_months
    assert all(w["status"] == "ok" for w in run_info["workbooks"].values())
    assert ("Non mesurable : la VMC demande le taux de rétention, qui compare deux années d'achats consécutives ; "
            "l'historique couvre 4 mois.") in text
    assert ("Non mesurable : une prédiction sur 12 mois demande au moins 6 mois d'historique d'achats et "
            "l'historique couvre 4 mois.") in text
    assert "Segmentation RFM" in text and "Champions" in text  # what can be measured is shown
    recorded = figures["02_fichier_clients"]
    assert recorded["buyers"]["value"] == recorded["customers"]["value"] - 1  # one customer has only a refund
    assert "vmc_gross" not in recorded and "clv_12m_total" not in recorded
    _no_raw_values(text)


def test_small_english_b2b_client(b2b):
    result, text, run_info, figures = b2b
    assert all(w["status"] == "ok" for w in run_info["workbooks"].values())
    assert "Customer file" in text and "Fichier clients" not in text
    assert "Amounts are read before VAT; the column including VAT is not used." in text
    assert "Not enough history for a reliable prediction (20 customers bought again; at least 30 are needed)." in text
    recorded = figures["02_fichier_clients"]
    assert recorded["customers"]["value"] == recorded["buyers"]["value"] == 20
    # Records are companies: no first name, last name or birth date is expected of them.
    assert "First name" not in text and "Birth date" not in text and "Company" in text
    # No competitor in a new workbook: the section says so, no map, no comparison table in the appendix.
    assert "Competitors Not assessed: the competitors have not been described in the workshop yet." in text
    assert "Positioning map" not in text and "Competitor comparison" not in text
    assert figures["01_diagnostic"]["competitors"]["value"] is None
    _no_raw_values(text)
