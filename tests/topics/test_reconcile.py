"""Consistency checks (relkit.topics.reconcile): stated figures against measured
ones, with hand-computed values at each tolerance's edge."""
import datetime as dt

import pandas as pd
import pytest

from relkit.io.budget_cells import BudgetLine
from relkit.io.engagement import CHECK_IDS, Engagement
from relkit.topics import reconcile as rc


def measured(**values):
    """{key: (workbook, value)} as flat_figures gives it."""
    return {k: ("02_fichier_clients", v) for k, v in values.items()}


def engagement(**revenue):
    return Engagement.model_validate({
        "client": {"name": "X", "sector": "s", "model": "B2C"}, "consultant": {"name": "C"}, "plan_year": 2027,
        "revenue": {"last_year": 100_000, "target": 200_000, **revenue}})


# ---------------------------------------------------------------- measured revenue
def test_measured_revenue_calendar_year_and_last_12_months():
    orders = pd.DataFrame({"date": pd.to_datetime(["2024-12-31", "2025-01-01", "2025-06-30", "2025-11-15",
                                                   "2025-12-31", "2026-03-01", "2026-10-31", "2026-11-01"]),
                           "amount": [1.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 640.0]})
    out = rc.measured_revenue(orders, dt.date(2026, 11, 1))
    # 2025: 10 + 20 + 40 + 80; last 12 months = 2025-11-01 .. 2026-10-31: 40 + 80 + 160 + 320 (1 Nov 2026 excluded)
    assert out == {"calendar_year": 150.0, "year": 2025, "last_12m": 600.0}


def test_measured_revenue_needs_the_whole_period():
    orders = pd.DataFrame({"date": pd.to_datetime(["2025-06-10", "2026-05-01"]), "amount": [10.0, 20.0]})
    # starts 10 June 2025: no full 2025; 12 months from 20 May 2025: starts within a month, counted
    assert rc.measured_revenue(orders, dt.date(2026, 5, 20)) == {"last_12m": 30.0}
    # 12 months from 2 May 2025: the file starts more than a month later, not measured
    assert rc.measured_revenue(orders, dt.date(2026, 5, 2)) == {}
    assert rc.measured_revenue(None, dt.date(2026, 1, 1)) == {}


def test_flat_figures_keeps_values_by_key():
    figures = {"05_plan": {"roi": {"value": 1.2, "label": "ROI", "display": "120 %"}},
               "02_fichier_clients": {"customers": {"value": 3000, "label": "Clients", "display": "3 000"}}}
    assert rc.flat_figures(figures) == {"customers": ("02_fichier_clients", 3000), "roi": ("05_plan", 1.2)}


def test_on_basis_converts_with_vat():
    assert rc.on_basis(120.0, "TTC", "HT") == 100.0
    assert rc.on_basis(100.0, "HT", "TTC") == 120.0
    assert rc.on_basis(100.0, None, "HT") == 100.0


# ---------------------------------------------------------------- revenue_last_year
def test_revenue_agrees_within_ten_percent_of_either_figure():
    m = measured(revenue_calendar_year=100_000.0, revenue_last_12m=150_000.0, revenue_year=2025)
    assert rc.check_revenue_last_year(110_000, None, m) == []  # +10 % of 2025: at the edge, agrees
    assert rc.check_revenue_last_year(135_000, None, m) == []  # −10 % of the 12 months
    found = rc.check_revenue_last_year(12_400, None, m)
    assert [(c.check, c.stated, c.measured) for c in found] == [("revenue_last_year", 12_400, 100_000.0)]
    c = found[0]
    assert c.stated_source == rc.Source("engagement", "revenue.last_year")
    assert c.measured_source.key == "revenue_calendar_year"
    assert c.detail["also"][1] == 150_000.0 and c.detail["year"] == 2025


def test_revenue_just_over_tolerance_is_a_contradiction():
    m = measured(revenue_calendar_year=100_000.0)
    assert len(rc.check_revenue_last_year(110_001, None, m)) == 1
    assert rc.check_revenue_last_year(90_000, None, m) == []


def test_revenue_compared_on_the_stated_basis():
    # file TTC 120 000 = 100 000 HT; engagement says HT 98 000: agrees (2 % off)
    m = measured(revenue_calendar_year=120_000.0, amount_basis="TTC")
    assert rc.check_revenue_last_year(98_000, "HT", m) == []


def test_revenue_matching_only_on_the_other_basis_is_a_basis_contradiction():
    # file TTC 120 000; engagement says nothing and states 100 000 (HT): 120 000 / 1.2 = 100 000
    m = measured(revenue_calendar_year=120_000.0, amount_basis="TTC")
    assert rc.check_revenue_last_year(150_000, None, m)[0].check == "revenue_last_year"
    found = rc.check_revenue_last_year(100_000, None, m)
    assert [(c.check, c.stated, c.measured) for c in found] == [("revenue_basis", None, "TTC")]  # basis not given
    assert found[0].detail["matches"] == 100_000.0 and found[0].detail["matches_basis"] == "HT"
    # engagement says HT but copied the TTC figure: 120 000 HT vs file 100 000 HT → the TTC figure matches
    found = rc.check_revenue_last_year(120_000, "HT", m)
    assert [(c.check, c.stated, c.measured) for c in found] == [("revenue_basis", "HT", "TTC")]


def test_no_revenue_figure_no_check():
    assert rc.check_revenue_last_year(1, None, measured(customers=10)) == []


# ---------------------------------------------------------------- counts
@pytest.mark.parametrize("text, expected", [
    ("Fichier clients réduit (quelques centaines de contacts)", [("contacts", (200, 999), (200, 999))]),
    ("3 000 contacts dont 2 400 acheteurs", [("contacts", (2700.0, 3300.0), 3000), ("buyers", (2160.0, 2640.0), 2400)]),
    ("2\u202f370 clients actifs", [("buyers", (2133.0, 2607.0), 2370)]),
    ("a few thousand customers", [("contacts", (2000, 9999), (2000, 9999))]),
    ("Budget limité (1 250 € au premier trimestre)", []),
    ("vêtements pour enfants de 2 à 7 ans", []),
    (None, []),
])
def test_count_claims(text, expected):
    assert rc.count_claims(text) == expected


def test_counts_checked_against_the_file():
    sheets = {"swot": pd.DataFrame({"quadrant": ["weakness", "strength"], "item": [
        "Fichier clients réduit (quelques centaines de contacts)", "2 370 acheteurs fidèles"], "row": [11, 4]})}
    claims = rc.sheet_claims(sheets)
    assert [(k, s, src.key, src.row) for k, _, s, src in claims] == [("contacts", (200, 999), "swot", 11),
                                                                     ("buyers", 2370, "swot", 4)]
    found = rc.check_counts(claims, measured(customers=3000, buyers=2370))
    assert [(c.check, c.stated, c.measured, c.stated_source.row) for c in found] == [
        ("contacts_count", (200, 999), 3000, 11)]
    # 3 300 is 3 000 + 10 %: agrees; 3 301 does not
    assert rc.check_counts(rc.sheet_claims({"swot": pd.DataFrame({"item": ["3 000 contacts"], "row": [2]})}),
                           measured(customers=3300)) == []
    assert len(rc.check_counts(rc.sheet_claims({"swot": pd.DataFrame({"item": ["3 000 contacts"], "row": [2]})}),
                               measured(customers=3301))) == 1


# ---------------------------------------------------------------- revenue target written twice
def test_revenue_target_against_the_workshop():
    sheets = {"objectives": pd.DataFrame({"objective": ["Atteindre 200 000 € de CA", "Ouvrir 35 % des e-mails"],
                                          "kpi": ["Chiffre d'affaires", "Taux d'ouverture"],
                                          "target": ["200 000 €", "35 %"], "row": [4, 5]}),
              "kpis": pd.DataFrame({"kpi": ["Chiffre d’affaires".replace("’", "'"), "Panier moyen"],
                                    "target": [250_000.0, 40.0], "row": [21, 22]})}
    written = rc.revenue_targets(sheets)
    assert [(a, s.key, s.row) for a, s in written] == [(200_000.0, "objectives", 4), (250_000.0, "kpis", 21)]
    found = rc.check_revenue_target(200_000, written)
    assert [(c.check, c.stated, c.measured, c.measured_source.row) for c in found] == [
        ("revenue_target", 200_000, 250_000.0, 21)]
    assert rc.check_revenue_target(202_000, written[:1]) == []  # 1 % apart: agrees
    assert len(rc.check_revenue_target(202_021, written[:1])) == 1


# ---------------------------------------------------------------- target gap
def test_target_gap_and_what_closes_it():
    m = {**measured(revenue_forecast_12m=60_000.0, net_revenue=100_000.0, orders=2_500),
         "plan_expected_revenue": ("05_plan_relationnel", 100_000.0)}
    (c,) = rc.check_target_gap(200_000, None, 12_400, m)
    # 60 000 + 100 000 = 160 000: 40 000 short; +40 % on the plan, or 40 000 / 40 € = 1 000 purchases
    assert (c.check, c.stated, c.measured) == ("target_gap", 200_000, 160_000.0)
    assert c.detail["gap"] == 40_000.0 and c.detail["uplift"] == pytest.approx(0.4)
    assert c.detail["basket"] == 40.0 and c.detail["purchases"] == 1000
    assert c.measured_source.key == "plan_expected_revenue" and c.detail["base_source"].key == "revenue_forecast_12m"


def test_target_gap_tolerance_and_basis():
    m = {**measured(revenue_forecast_12m=120_000.0, amount_basis="TTC"),
         "plan_expected_revenue": ("05_plan_relationnel", 98_000.0)}
    # the forecast is TTC: 100 000 HT + 98 000 = 198 000, 2 000 short = 1 % of 200 000: within tolerance
    assert rc.check_target_gap(200_000, "HT", 0, m) == []
    assert rc.check_target_gap(200_001, "HT", 0, m)[0].detail["gap"] == 2_001.0
    # read on the file's basis (no basis stated): 120 000 + 98 000 ≥ 200 000
    assert rc.check_target_gap(200_000, None, 0, m) == []


def test_target_gap_without_forecast_starts_from_last_year():
    plan = {"plan_expected_revenue": ("05_plan_relationnel", 100_000.0)}
    (c,) = rc.check_target_gap(200_000, None, 12_400, plan)
    # 12 400 + 100 000 = 112 400: 87 600 short, +87,6 % on the plan
    assert c.detail["base"] == 12_400 and c.detail["gap"] == 87_600 and c.detail["uplift"] == pytest.approx(0.876)
    assert c.detail["base_source"] == rc.Source("engagement", "revenue.last_year") and "purchases" not in c.detail
    assert rc.check_target_gap(200_000, None, 12_400, {}) == []  # neither forecast nor plan: nothing to set against it


# ---------------------------------------------------------------- budget envelopes
def test_budget_envelopes_seed_001():
    envelopes = {"T1": BudgetLine(money=1250), "T2": BudgetLine(money=3930),
                 "T3": BudgetLine(money=8700, percent=0.30), "T4": BudgetLine(money=4000, percent=0.25)}
    quarters = {"T1": {"fixed": 1250.0, "percent": 0.0}, "T2": {"fixed": 3030.0, "percent": 0.0},
                "T3": {"fixed": 8700.0, "percent": 0.30}, "T4": {"fixed": 4999.0, "percent": 0.25}}
    found = rc.check_budget_envelopes(envelopes, {"budget_quarters": ("05_plan_relationnel", quarters)})
    assert [(c.detail["quarter"], c.detail["part"], c.stated, c.measured) for c in found] == [
        ("T2", "fixed", 3930, 3030.0), ("T4", "fixed", 4000, 4999.0)]
    assert {c.stated_source.key for c in found} == {"budget.envelopes.T2", "budget.envelopes.T4"}
    # under half a cent apart still agrees; a share of revenue off by one point does not
    quarters["T2"]["fixed"], quarters["T4"]["fixed"] = 3930.004, 4000.0
    quarters["T3"]["percent"] = 0.31
    found = rc.check_budget_envelopes(envelopes, {"budget_quarters": ("05_plan_relationnel", quarters)})
    assert [(c.detail["quarter"], c.detail["part"], c.stated, c.measured) for c in found] == [
        ("T3", "percent", 0.30, 0.31)]


# ---------------------------------------------------------------- all of them
def test_reconcile_orders_checks_and_acknowledgements_split_them():
    eng = engagement(last_year=12_400)
    figures = {"02_fichier_clients": {k: {"value": v} for k, v in
                                      {"revenue_calendar_year": 98_805.1, "revenue_year": 2025, "customers": 3000,
                                       "buyers": 2370}.items()}}
    sheets = {"swot": pd.DataFrame({"item": ["quelques centaines de contacts"], "row": [11]})}
    figures["05_plan_relationnel"] = {"plan_expected_revenue": {"value": 137_000.0}}
    found = rc.reconcile(eng, sheets, figures)
    assert [c.check for c in found] == ["revenue_last_year", "contacts_count", "target_gap"]
    still, known = rc.split_acknowledged(found, {"revenue_last_year": "la boutique physique n'est pas dans le fichier"})
    assert [c.check for c in still] == ["contacts_count", "target_gap"]
    assert [c.check for c in known] == ["revenue_last_year"]


def test_every_check_id_is_known_to_engagement_yaml():
    assert rc.CHECKS == CHECK_IDS


# ---------------------------------------------------------------- the count parser, any number
from hypothesis import given, strategies as st  # noqa: E402


@given(n=st.integers(min_value=0, max_value=10_000_000), sep=st.sampled_from([" ", "\u00a0", "\u202f"]),
       noun=st.sampled_from([("contacts", "contacts"), ("clients", "contacts"), ("acheteurs", "buyers"),
                             ("clients actifs", "buyers"), ("customers", "contacts")]),
       before=st.sampled_from(["", "Fichier de ", "(", "environ "]), after=st.sampled_from(["", ")", " fidèles", "."]))
def test_any_written_count_is_read_back(n, sep, noun, before, after):
    written = f"{n:,}".replace(",", sep)
    claims = rc.count_claims(f"{before}{written} {noun[0]}{after}")
    assert claims == [(noun[1], (round(n * 0.9, 6), round(n * 1.1, 6)), n)]


@given(text=st.text(alphabet="abcdefghijklmnopqrstuvwxyz€%,.()-", max_size=60))  # no digit, no phrase
def test_text_without_a_count_claims_nothing(text):
    assert rc.count_claims(text) == []
