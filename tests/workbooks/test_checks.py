"""The consultant's lines for each contradiction (relkit.workbooks.checks): both
sources and both values, in French and English, on the demo's own figures."""
import pandas as pd
import pytest

from real_clients import inconsistent
from relkit.intake.load import load
from relkit.io.labels import Labels
from relkit.workbooks.checks import check_line, check_lines
from relkit.topics.reconcile import reconcile

NNBSP, NBSP = "\u202f", "\u00a0"


def plain(text: str) -> str:
    return text.replace(NNBSP, " ").replace(NBSP, " ")


def fig(value, label):
    return {"value": value, "label": label, "display": str(value)}


# what the demo's workbooks record (figures.json), by hand
FIGURES = {
    "02_fichier_clients": {
        "customers": fig(3000, "Clients dans le fichier"), "buyers": fig(2370, "Acheteurs"),
        "orders": fig(5282, "Achats"), "net_revenue": fig(214896.6, "CA net sur la période"),
        "revenue_calendar_year": fig(98805.1, "CA 2025 du fichier clients"), "revenue_year": fig(2025, "Année"),
        "revenue_last_12m": fig(162825.0, "CA des 12 derniers mois du fichier clients"),
        "amount_basis": fig("TTC", "Montants du fichier (HT ou TTC)"),
        "revenue_forecast_12m": fig(74671.58, "Prévision de CA à 12 mois (clients actuels)"),
    },
    "05_plan_relationnel": {
        "plan_expected_revenue": fig(137000.0, "CA attendu des actions du plan"),
        "budget_quarters": fig({"T1": {"fixed": 1250.0, "percent": 0.0}, "T2": {"fixed": 3030.0, "percent": 0.0},
                                "T3": {"fixed": 8700.0, "percent": 0.3}, "T4": {"fixed": 4999.0, "percent": 0.25}},
                               "Actions chiffrées par trimestre"),
    },
}


def _inconsistent(demo):
    return load(inconsistent(demo), import_exports=False)


def test_demo_is_consistent_but_for_seed_001_envelopes(demo):
    data = load(demo, import_exports=False)
    lines = check_lines(data.engagement, data.sheets, FIGURES, Labels("fr"))
    assert [plain(x["text"]) for x in lines["open"]] == [
        "Enveloppe T2 : 3 930 € selon engagement.yaml (budget.envelopes.T2), mais les actions chiffrées du trimestre "
        "totalisent 3 030 € selon Actions chiffrées par trimestre (Plan relationnel, budget et KPI).",
        "Enveloppe T4 : 4 000 € selon engagement.yaml (budget.envelopes.T4), mais les actions chiffrées du trimestre "
        "totalisent 4 999 € selon Actions chiffrées par trimestre (Plan relationnel, budget et KPI).",
        "Période à éviter du 23 juin au 20 juillet selon feuille « Temps forts », ligne 7 (« Soldes d'été »), mais le "
        "plan y programme Pub Etsy (juin–juil.), Facebook Ads (juil.) et Google Adwords (juil.) (feuille « Plan "
        "d'actions ») ; décalez ces campagnes ou changez le temps fort.",
    ]
    assert lines["acknowledged"] == []


def test_every_planted_contradiction_is_reported(demo):
    data = _inconsistent(demo)
    found = reconcile(data.engagement, data.sheets, FIGURES)
    assert [c.check for c in found] == ["revenue_last_year", "revenue_target", "revenue_target", "contacts_count",
                                        "buyers_count", "target_gap", "budget_envelopes", "budget_envelopes",
                                        "key_dates"]
    texts = [plain(check_line(c, FIGURES, Labels("fr"))) for c in found]
    assert texts[1] == ("Objectif de CA : 400 000 € selon engagement.yaml (revenue.target), mais 200 000 € selon "
                        "feuille « Objectifs », ligne 4 (« Atteindre 200 000 € de chiffre d'affaires et 10 % du "
                        "marché »).")
    assert texts[2].endswith("mais 200 000 € selon feuille « KPI », ligne 21 (« Chiffre d'affaires »).")
    del found[1:3], texts[1:3]
    assert texts[0] == ("CA de l'an dernier : 12 400 € selon engagement.yaml (revenue.last_year), mais 98 805 € selon "
                        "CA 2025 du fichier clients (Fichier clients) et 162 825 € selon CA des 12 derniers mois du "
                        "fichier clients (Fichier clients).")
    row = found[1].stated_source.row
    assert texts[1] == (f"Nombre de contacts : de 200 à 999 selon feuille « SWOT », ligne {row} (« Fichier clients "
                        "réduit (quelques centaines de contacts, 500 acheteurs) »), mais 3 000 selon Clients dans le "
                        "fichier (Fichier clients).")
    assert texts[2].startswith("Nombre d'acheteurs : 500 selon feuille « SWOT »")
    assert texts[2].endswith("mais 2 370 selon Acheteurs (Fichier clients).")
    # 400 000 − (74 671,58 + 137 000) = 188 328,42 short: +137 % on the plan, or / (214 896,6 / 5 282 = 40,685 €)
    assert texts[3] == ("Objectif de CA : 400 000 € selon engagement.yaml (revenue.target), mais la base (74 672 €, "
                        "Prévision de CA à 12 mois (clients actuels) (Fichier clients)) et le plan (137 000 €, CA attendu "
                        "des actions du plan (Plan relationnel, budget et KPI)) n'atteignent que 211 672 € : il manque "
                        "188 328 €. Pour combler l'écart : 137 % de CA en plus sur les actions du plan, ou 4 629 achats "
                        "de plus au panier moyen de 41 €.")
    assert found[3].detail["purchases"] == 4629  # ceil(4 628,9)
    en = check_line(found[0], FIGURES, Labels("en"))
    assert en == ("Last year's revenue: €12,400 in engagement.yaml (revenue.last_year), but €98,805 in CA 2025 du "
                  "fichier clients (Customer file) and €162,825 in CA des 12 derniers mois du fichier clients "
                  "(Customer file).")


def test_revenue_basis_line(demo):
    data = load(demo, import_exports=False)
    path = demo / "engagement.yaml"
    # 98 805 € TTC is 82 338 € HT: a stated 82 300 € only matches without VAT
    path.write_text(path.read_text(encoding="utf-8").replace('last_year: "98 800 €"', 'last_year: "82 300 €"'),
                    encoding="utf-8")
    data = load(demo, import_exports=False)
    found = reconcile(data.engagement, data.sheets, FIGURES)
    assert [c.check for c in found][0] == "revenue_basis"
    assert plain(check_line(found[0], FIGURES, Labels("fr"))) == (
        "Base HT/TTC : le CA déclaré (82 300 €, non précisée selon engagement.yaml (revenue.basis)) ne correspond au "
        "fichier qu'en HT (82 338 €), alors que les montants du fichier sont TTC selon Montants du fichier (HT ou TTC) "
        "(Fichier clients) ; précisez revenue.basis.")
    # saying so (revenue.basis: HT) makes them agree
    path.write_text(path.read_text(encoding="utf-8").replace("  target_deadline:", "  basis: HT\n  target_deadline:"),
                    encoding="utf-8")
    data = load(demo, import_exports=False)
    assert "revenue_basis" not in [c.check for c in reconcile(data.engagement, data.sheets, FIGURES)]


def test_acknowledged_contradictions_are_not_open(demo):
    path = demo / "engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + 'acknowledged:\n  - {check: budget_envelopes, reason: "enveloppes du support de cours"}\n'
                    + '  - {check: revenue_last_year, reason: "corrigé depuis"}\n'
                    + '  - {check: key_dates, reason: "publicité de lancement maintenue pendant les soldes"}\n',
                    encoding="utf-8")
    data = load(demo, import_exports=False)
    lines = check_lines(data.engagement, data.sheets, FIGURES, Labels("fr"))
    assert lines["open"] == []
    assert [(x["check"], x["reason"]) for x in lines["acknowledged"]] == [
        ("budget_envelopes", "enveloppes du support de cours")] * 2 + [
        ("key_dates", "publicité de lancement maintenue pendant les soldes")]
    assert lines["stale"] == ["revenue_last_year"]  # acknowledged, but the revenue now agrees: the entry can go


def test_customer_file_records_what_revenue_is_checked_against():
    """Workbook 02 records the file's 2025 and last-12-month revenue and its HT/TTC basis
    (sums of the demo's orders up to the reference date, 1 November 2026)."""
    from conftest import DEMO
    from relkit.workbooks.customers import CustomerFile

    data = load(DEMO)
    L = Labels("fr")
    figures = CustomerFile(data.engagement, data.imports, L).revenue_figures()
    assert {k: v[0] for k, v in figures.items()} == {"revenue_calendar_year": 98805.1, "revenue_year": 2025,
                                                     "revenue_last_12m": 162825.0, "amount_basis": "TTC"}
    assert plain(figures["revenue_calendar_year"][1]) == "CA 2025 du fichier clients"
    assert plain(figures["revenue_calendar_year"][2]) == "98 805 €"
