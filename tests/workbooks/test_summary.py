"""The executive summary as a storyline: findings chosen and ranked by explicit
rules from the recorded figures, the revenue bridge, the decisions and next steps."""
import copy
import datetime as dt

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes

from conftest import DEMO
from relkit.intake.load import load
from relkit.io.budget_cells import parse_budget_cell
from relkit.io.labels import Labels
from relkit.topics.action_plan import Action
from relkit.views.charts.summary import bridge_chart
from relkit.workbooks import summary_decisions as sd
from relkit.workbooks.summary import Synthesis
from relkit.workbooks.summary_bridge import bridge_data, bridge_takeaway
from relkit.workbooks.summary_findings import RULES, TIERS, FigureBook, all_findings, select_findings

FR, EN = Labels("fr"), Labels("en")
NB, NNB = "\u00a0", "\u202f"  # French: no-break space before € and %, narrow one between thousands


def fig(value, display=None):
    return {"value": value, "label": "x", "display": display if display is not None else str(value)}


def money(n):  # as the workbooks print it
    return FR.money(n)


DEMO_LIKE = {
    "01_diagnostic": {"revenue_last_year": fig(98805.0, money(98805)), "revenue_target": fig(200000.0, money(200000))},
    "02_fichier_clients": {
        "customers": fig(3000, f"3{NNB}000"), "buyers": fig(2370, f"2{NNB}370"), "dormant": fig(400), "new": fig(428),
        "pareto_share": fig(0.4654, f"47{NB}%"), "duplicate_records": fig(57), "emails_invalid": fig(21),
        "phones_invalid": fig(14), "postal_codes_invalid": fig(11), "stale_records": fig(150),
        "clv_12m_total": fig(74671.58, money(74672)), "revenue_forecast_12m": fig(74671.58, money(74672)),
        "revenue_calendar_year": fig(98805.0, money(98805)), "revenue_year": fig(2025, "2025"),
        "revenue_last_12m": fig(101200.0, money(101200)),
    },
    "03_parcours_client": {"pain_points": fig(6)},
    "04_plan_collecte": {"gdpr_flags": fig(5), "gaps": fig(2)},
    "05_plan_relationnel": {
        "plan_expected_revenue": fig(137000.0, money(137000)),
        "plan_expected_revenue_by_programme": fig({"Vidéo de présentation": 5000.0, "Pub Etsy": 9000.0,
                                                   "Facebook Ads": 40000.0, "Google Adwords": 70000.0,
                                                   "Publireportage": 6000.0, "Newsletter": 4000.0,
                                                   "Location de base de données": 3000.0}),
        "target_gaps": fig(3), "pressure_over_cap": fig(2041, f"2{NNB}041"), "budget_money": fig(65979.0, money(65979)),
        "budget_differences": fig(2), "ltv_cac": fig(2.93, "2,9"), "roi": fig(1.0764, f"108{NB}%"),
        "first_phase": fig(4, "T1 — Vidéo de présentation et Blogging"),
    },
}


def keys(found):
    return [f.key for f in found]


# ------------------------------------------------------------------ findings
def test_demo_like_findings_are_ranked_by_tier_then_severity_then_rule_order():
    found = all_findings(DEMO_LIKE, FR, "Arnaud & Zoé")
    assert keys(found) == ["target_covered", "gdpr", "new_customers", "dormant", "collection", "journey",
                           "data_quality", "pressure"]
    assert [f.severity for f in found] == [0.0, 1.0, 0.1806, 0.1688, 0.6, 0.6, 0.4217, 0.2835]
    # the tier order is the storyline's, whatever the severities
    assert [TIERS.index(f.tier) for f in found] == sorted(TIERS.index(f.tier) for f in found)
    assert keys(select_findings(DEMO_LIKE, FR, "Arnaud & Zoé")) == keys(found)[:5]


def test_a_peak_of_last_purchases_is_a_ready_seasonal_target():
    figures = copy.deepcopy(DEMO_LIKE)
    figures["02_fichier_clients"] |= {"reactivation_peak": fig(249), "reactivation_peak_month": fig("2025-12",
                                                                                                    "décembre 2025")}
    found = select_findings(figures, FR, "Arnaud & Zoé")
    assert keys(found) == ["target_covered", "gdpr", "new_customers", "dormant", "seasonal_peak"]
    assert found[4].severity == round(249 / 2370, 4)
    assert found[4].figure == "249 clients ont acheté pour la dernière fois en décembre 2025"
    assert found[4].recommendation == "Les relancer dès novembre avec une offre de saison, avant le pic de décembre."
    figures["02_fichier_clients"]["reactivation_peak_month"] = fig("n/a")
    assert "seasonal_peak" not in keys(all_findings(figures, FR, "Arnaud & Zoé"))


def test_the_objective_finding_adds_the_base_forecast_and_the_programmes():
    first = all_findings(DEMO_LIKE, FR, "Arnaud & Zoé")[0]
    assert first.figure == f"L'objectif de 200{NNB}000{NB}€ est couvert à 106{NB}%"
    assert first.meaning == (f"Au total, les clients actuels (74{NNB}672{NB}€) et les programmes "
                             f"(137{NNB}000{NB}€) apportent 211{NNB}672{NB}€, soit 11{NNB}672{NB}€ de marge, à condition que les "
                             "prévisions se réalisent.")


def test_a_gap_to_the_target_comes_first_with_what_closes_it():
    figures = copy.deepcopy(DEMO_LIKE)
    figures["01_diagnostic"]["revenue_target"] = fig(250000.0)
    gap = all_findings(figures, FR, "Arnaud & Zoé")[0]
    assert (gap.key, gap.severity) == ("target_gap", round(0.5 + 0.5 * 38328.42 / 250000, 4))
    assert gap.figure == f"Il manque 38{NNB}328{NB}€ pour atteindre l'objectif de 250{NNB}000{NB}€"
    assert gap.recommendation == (f"Décider avant le lancement : ajouter des actions qui rapportent 38{NNB}328{NB}€ "
                                  f"de plus, ou ramener l'objectif à 211{NNB}672{NB}€.")


def test_customers_only_client_gets_findings_about_what_its_file_can_say():
    figures = {
        "01_diagnostic": {"revenue_last_year": fig(60000.0), "revenue_target": fig(90000.0)},
        "02_fichier_clients": {"customers": fig(1200, f"1{NNB}200"), "duplicate_records": fig(40),
                               "emails_invalid": fig(30), "phones_invalid": fig(0), "postal_codes_invalid": fig(0),
                               "stale_records": fig(0)},
    }
    found = all_findings(figures, FR, "Atelier Océan")
    assert keys(found) == ["target_gap", "no_history", "data_quality"]
    # without a forecast, last year's revenue is carried over: 90 000 − 60 000
    assert found[0].figure == f"Il manque 30{NNB}000{NB}€ pour atteindre l'objectif de 90{NNB}000{NB}€"
    assert "reconduit" in found[0].meaning
    assert found[1].figure == f"1{NNB}200 contacts, aucun historique d'achat"
    assert found[2].figure == "70 anomalies dans le fichier clients"  # (40 + 30) / 1 200 = 5.8 % of the file


def test_b2b_client_gets_generic_advice_without_consumer_data():
    figures = {
        "01_diagnostic": {"revenue_last_year": fig(900000.0), "revenue_target": fig(1000000.0)},
        "02_fichier_clients": {"customers": fig(450), "buyers": fig(320), "dormant": fig(40), "new": fig(12),
                               "pareto_share": fig(0.12, f"12{NB}%"), "revenue_forecast_12m": fig(780000.0)},
        "05_plan_relationnel": {"plan_expected_revenue": fig(150000.0), "ltv_cac": fig(0.8, "0,8"),
                                "target_gaps": fig(1)},
    }
    found = all_findings(figures, FR, "Usinage Martin")
    assert keys(found) == ["target_gap", "ltv_cac", "concentration", "dormant", "collection"]
    assert found[2].severity == 0.6  # (30 % − 12 %) / 30 %
    assert found[4].figure == "1 donnée manque aux cibles des programmes"
    text = " ".join(f"{f.figure} {f.meaning} {f.recommendation}" for f in found).lower()
    for word in ("naissance", "prénom", "anniversaire", "noël"):
        assert word not in text


def test_tiny_file_is_said_and_its_shares_are_not_read():
    figures = {
        "01_diagnostic": {"revenue_last_year": fig(20000.0), "revenue_target": fig(25000.0)},
        "02_fichier_clients": {"customers": fig(40), "buyers": fig(25), "dormant": fig(12), "new": fig(10),
                               "pareto_share": fig(0.2), "clv_12m_total": fig(15000.0)},
    }
    found = all_findings(figures, FR, "Mini")
    assert keys(found) == ["target_gap", "small_file"]  # 25 buyers: no dormant/new/concentration shares
    assert found[1].severity == 0.8  # 1 − 40 / 200


def test_no_plan_no_file_still_says_the_objective_and_what_the_other_parts_found():
    figures = {"01_diagnostic": {"revenue_last_year": fig(50000.0), "revenue_target": fig(80000.0)},
               "03_parcours_client": {"pain_points": fig(1)}, "04_plan_collecte": {"gdpr_flags": fig(1)}}
    found = all_findings(figures, EN, "Brand")
    assert keys(found) == ["target_gap", "gdpr", "journey"]
    assert found[1].figure == "1 GDPR point to settle"
    assert found[2].recommendation == "Fix it (see the customer journey) before sending traffic there."
    assert all_findings({}, FR, "Brand") == []


def test_every_rule_skips_when_its_figures_are_missing():
    book = FigureBook({})
    assert [rule(book, FR, "Brand") for rule in RULES] == [None] * len(RULES)


def test_within_one_percent_of_the_target_is_even_as_for_the_consistency_check():
    figures = copy.deepcopy(DEMO_LIKE)
    figures["01_diagnostic"]["revenue_target"] = fig(213000.0)  # 1 328 € short: under 1 % of the target
    first = all_findings(figures, FR, "Arnaud & Zoé")[0]
    assert first.key == "target_even"
    assert first.figure == f"L'objectif de 213{NNB}000{NB}€ est atteint, sans marge"
    assert "gap" not in bridge_data(figures, FR, 2027)["kind"].tolist()
    figures["01_diagnostic"]["revenue_target"] = fig(214000.0)  # 2 328 €: over 1 %
    assert all_findings(figures, FR, "Arnaud & Zoé")[0].key == "target_gap"
    assert bridge_data(figures, FR, 2027)["kind"].tolist()[-2] == "gap"


def test_customer_file_amounts_are_read_on_the_engagements_basis():
    """A TTC file and an HT engagement: the forecast and last year's revenue lose VAT (÷ 1.2)."""
    figures = copy.deepcopy(DEMO_LIKE)
    figures["02_fichier_clients"]["amount_basis"] = fig("TTC")
    book = FigureBook(figures, basis="HT")
    assert book.base_forecast() == round(74671.58 / 1.2, 2)
    assert book.last_year().amount == round(98805.0 / 1.2, 2)
    assert book.covered() == round(74671.58 / 1.2 + 137000.0, 2)
    assert FigureBook(figures).base_forecast() == 74671.58  # no stated basis: the file's own


def test_without_a_forecast_the_base_is_the_stated_revenue_carried_over():
    figures = copy.deepcopy(DEMO_LIKE)
    for key in ("clv_12m_total", "revenue_forecast_12m"):
        del figures["02_fichier_clients"][key]
    book = FigureBook(figures)
    assert book.base() == (98805.0, "flat") and book.last_year().source == "calendar"
    data = bridge_data(figures, FR, 2027)
    assert data["step"].tolist()[0] == "CA de l'an dernier (déclaré)"
    assert data["amount"].tolist()[0] == 98805.0


# ------------------------------------------------------------------ bridge
def test_bridge_steps_and_amounts_on_demo_like_figures():
    data = bridge_data(DEMO_LIKE, FR, 2027)
    assert data["step"].tolist() == ["CA 2025 (fichier clients)", "Évolution des clients actuels",
                                     "Clients actuels, 12 mois à venir", "Google Adwords", "Facebook Ads",
                                     "Pub Etsy", "Publireportage", "Autres programmes (3)", "Avec le plan",
                                     "Objectif 2027"]
    assert data["kind"].tolist() == ["total", "decrease", "total"] + ["increase"] * 5 + ["total", "total"]
    assert data["amount"].tolist() == [98805.0, -24133.42, 74671.58, 70000.0, 40000.0, 9000.0, 6000.0, 12000.0,
                                       211671.58, 200000.0]
    assert data["end"].tolist()[3:8] == [144671.58, 184671.58, 193671.58, 199671.58, 211671.58]
    assert bridge_takeaway(DEMO_LIKE, FR) == (f"Les clients actuels (74{NNB}672{NB}€) et les programmes "
                                              f"(137{NNB}000{NB}€) apportent 211{NNB}672{NB}€ : 11{NNB}672{NB}€ "
                                              f"de plus que l'objectif de 200{NNB}000{NB}€.")


def test_bridge_shows_the_gap_and_starts_from_the_stated_revenue_without_a_file():
    figures = {"01_diagnostic": {"revenue_last_year": fig(60000.0), "revenue_target": fig(90000.0)},
               "05_plan_relationnel": {"plan_expected_revenue": fig(20000.0)}}
    data = bridge_data(figures, EN, 2027)
    assert data[["step", "kind", "start", "end", "amount"]].values.tolist() == [
        ["Last year's revenue (as stated)", "total", 0.0, 60000.0, 60000.0],
        ["The plan's programmes", "increase", 60000.0, 80000.0, 20000.0],
        ["With the plan", "total", 0.0, 80000.0, 80000.0],
        ["Gap to close", "gap", 80000.0, 90000.0, 10000.0],
        ["2027 target", "total", 0.0, 90000.0, 90000.0],
    ]
    assert bridge_takeaway(figures, EN) == ("Last year's revenue carried over (€60,000) and the programmes "
                                            "(€20,000) bring €80,000: €10,000 short of the €90,000 target.")
    assert bridge_data({"01_diagnostic": {"revenue_target": fig(1.0)}}, FR, 2027).empty


def test_bridge_chart_draws_one_bar_per_row_from_start_to_end():
    data = bridge_data(DEMO_LIKE, FR, 2027)
    fig_, given = plt.subplots()
    ax = bridge_chart(data, labels=FR, title="Titre", takeaway="Une ligne.", ax=given)
    assert isinstance(ax, Axes) and ax is given
    bars = ax.patches
    assert len(bars) == len(data)
    assert [round(b.get_x(), 2) for b in bars] == [round(min(s, e), 2) for s, e in zip(data["start"], data["end"])]
    assert [round(b.get_width(), 2) for b in bars] == [round(abs(e - s), 2) for s, e in zip(data["start"], data["end"])]
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "CA 2025 (fichier clients)"
    assert ax.get_title(loc="left") == "Titre"
    texts = [t.get_text() for t in ax.texts]
    assert "Une ligne." in texts and f"\u221224{NNB}133{NB}€" in texts and f"211{NNB}672{NB}€" in texts
    plt.close(fig_)


def test_bridge_chart_makes_its_own_figure():
    ax = bridge_chart(bridge_data(DEMO_LIKE, EN, 2027), labels=EN)
    assert isinstance(ax, Axes) and ax.figure.get_figwidth() == 7.0
    plt.close(ax.figure)


# ------------------------------------------------------------------ decisions
def _action(name, owner, months, q3=None, q1=None, effect=None):
    budget = {q: parse_budget_cell(v) for q, v in (("T1", q1), ("T3", q3)) if v}
    return Action(action=name, category="online_ads", owner=owner, months=months, budget=budget,
                  revenue_effect=effect)


def test_decisions_have_an_owner_a_date_and_a_cost():
    actions = [_action("Google Adwords", "Zoé", (7, 8, 9), q3="36 000 €"),
               _action("Pub Etsy", None, (4, 5), q1="2 000 €"),
               _action("Blog", "Arnaud", (1,)), _action("Salon", "Arnaud", (9,), q3="10 % du CA"),
               _action("Vidéo", "Prestataire", (1, 2), q1="850 €")]
    decide_by = sd.decision_date(dt.date(2026, 11, 23), 2027)
    assert decide_by == dt.date(2026, 12, 7)
    rows = sd.decision_rows(DEMO_LIKE, actions, FR, client="Arnaud & Zoé", consultant="Claire Dubois",
                            decide_by=decide_by, plan_year=2027, revenue_forecast={"T1": 5000.0, "T2": 15000.0,
                                                                                   "T3": 60000.0, "T4": 120000.0})
    table = sd.decisions_table(rows, FR)
    assert table.columns.tolist() == ["Décision", "Responsable", "Échéance", "Coût"]
    assert table.values.tolist() == [
        ["Valider le budget marketing de l'année", "Arnaud & Zoé", "7 décembre 2026", money(65979)],
        ["Arbitrer les 2 écarts entre postes budgétaires et enveloppes", "Arnaud & Zoé, avec Claire Dubois",
         "7 décembre 2026", "\u2014"],
        ["Régler les 5 points RGPD avant les premiers envois", "Arnaud & Zoé", "1er janvier 2027", "\u2014"],
        [f"Engager l'action «{NB}Pub Etsy{NB}»", "Arnaud & Zoé", "1er avril 2027", money(2000)],
        [f"Engager l'action «{NB}Google Adwords{NB}»", "Zoé", "1er juillet 2027", money(36000)],
        [f"Engager l'action «{NB}Salon{NB}»", "Arnaud", "1er septembre 2027", money(6000)],  # 10 % of T3's 60 000 €
    ]


def test_a_gap_is_the_first_decision_and_dates_fall_back_without_a_report_date():
    figures = copy.deepcopy(DEMO_LIKE)
    figures["01_diagnostic"]["revenue_target"] = fig(250000.0)
    assert sd.decision_date(None, 2027) == dt.date(2026, 12, 1)
    assert sd.decision_date(dt.date(2026, 12, 28), 2027) == dt.date(2027, 1, 1)
    rows = sd.decision_rows(figures, [], EN, client="Brand", consultant="C", decide_by=dt.date(2026, 12, 1),
                            plan_year=2027)
    assert rows[0]["decision"] == "Close the €38,328 gap with new actions, or bring the target down to €211,672"
    assert sd.decision_rows({}, [], EN, client="B", consultant="C", decide_by=dt.date(2026, 12, 1),
                            plan_year=2027) == []


def test_open_checks_the_client_can_answer_become_decisions():
    from relkit.topics.reconcile import Contradiction, Source

    checks = [Contradiction("revenue_last_year", Source("engagement", "revenue.last_year"), 12400.0,
                            Source("figure", "revenue_calendar_year"), 98805.1),
              Contradiction("contacts_count", Source("sheet", "swot"), (200, 999), Source("figure", "customers"), 3000)]
    rows = sd.decision_rows({}, [], FR, client="Arnaud & Zoé", consultant="Claire Dubois",
                            decide_by=dt.date(2026, 12, 7), plan_year=2027, open_checks=checks)
    assert rows == [{"decision": f"Confirmer le chiffre d'affaires de l'an dernier : 12{NNB}400{NB}€ déclaré, "
                                 f"98{NNB}805{NB}€ d'après le fichier clients",
                     "owner": "Arnaud & Zoé, avec Claire Dubois", "date": dt.date(2026, 12, 7), "cost": "\u2014"}]


def test_many_decisions_leave_room_for_one_action_only():
    from relkit.topics.reconcile import Contradiction, Source

    figures = copy.deepcopy(DEMO_LIKE)
    figures["01_diagnostic"]["revenue_target"] = fig(250000.0)
    checks = [Contradiction("revenue_last_year", Source("engagement", "revenue.last_year"), 12400.0,
                            Source("figure", "revenue_calendar_year"), 98805.1),
              Contradiction("revenue_basis", Source("engagement", "revenue.basis"), None,
                            Source("figure", "amount_basis"), "TTC")]
    actions = [_action(f"Action {i}", "Zoé", (i,), q1=f"{i} 000 €") for i in range(1, 4)]
    rows = sd.decision_rows(figures, actions, EN, client="B", consultant="C", decide_by=dt.date(2026, 12, 7),
                            plan_year=2027, revenue_forecast={"T1": 1.0}, open_checks=checks)
    assert len(rows) == sd.MAX_DECISIONS  # gap, budget, differences, 2 checks, GDPR, then 1 action of 3
    assert [r["decision"] for r in rows if r["decision"].startswith("Commit")] == ["Commit to the action “Action 3”"]
    assert rows[4]["decision"] == "Say whether the stated revenue is before or after VAT (the customer file is TTC)"


def test_next_steps():
    steps = sd.next_steps(DEMO_LIKE, FR, decide_by=dt.date(2026, 12, 7), consultant="Claire Dubois",
                          has_decisions=True)
    assert steps == ["D'ici le 7 décembre 2026 : valider ces décisions avec Claire Dubois.",
                     "Lancer la première phase : T1 — Vidéo de présentation et Blogging.",
                     "Faire le point chaque mois sur les indicateurs et chaque trimestre sur le budget."]


# ------------------------------------------------------------------ the presenter on the demo
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_synthesis_on_the_demo_tells_the_story_in_one_language(lang):
    sy = Synthesis(load(DEMO, import_exports=False), Labels(lang), DEMO_LIKE)
    findings = sy.findings_table()
    assert 3 <= len(findings) <= 5 and findings.shape[1] == 3
    decisions = sy.decisions_table()
    assert decisions.iloc[0, 1] == "Arnaud & Zoé" and decisions.shape == (6, 4)
    figure = sy.bridge_chart()
    assert figure is not None
    plt.close(figure)
    ours = [d for d in decisions.iloc[:, 0] if "«" not in d and "“" not in d]  # the client's action names aside
    words = " ".join(findings.to_numpy().ravel().tolist() + ours + sy.next_steps()[:1] + sy.next_steps()[-1:])
    if lang == "en":  # no French template word in an English summary
        for french in (" le ", " les ", " des ", " du ", " clients ", " à ", " et "):
            assert french not in words
    assert sy.objective_text().startswith("Arnaud & Zoé")


def test_findings_table_is_empty_without_figures():
    sy = Synthesis(load(DEMO, import_exports=False), FR, {})
    assert sy.findings_table().empty and isinstance(sy.findings_table(), pd.DataFrame)
    assert sy.bridge_chart() is None
