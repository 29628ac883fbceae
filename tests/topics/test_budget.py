"""Action plan and budget: the Arnaud & Zoé worked example (seed 001) recomputed
exactly, every typed form of a budget/months cell, the backward funnel, ROI and LTV:CAC."""
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from relkit.io.budget_cells import BudgetLine, parse_budget_cell, parse_months
from relkit.topics.action_plan import CATEGORIES, Action, actions_from_sheet, retro_planning
from relkit.topics.budget import budget_lines, category_totals, objective_totals, quarter_totals, reconcile
from relkit.topics.budget_methods import backward_funnel, fixed_envelope_total, funnel_steps, percent_of_revenue_budget
from relkit.topics.roi import action_roi, ltv_cac, overall_roi, roi
from relkit.views.charts.budget import CATEGORY_COLOURS, budget_chart, category_chart
from relkit.views.charts.retro import RETRO_CELLS, retro_chart
from relkit.workbooks.plan_budget import (budget_summary_text, funnel_text, ltv_cac_text, method_comparison_text,
                                          reconciliation_text, roi_text)
from relkit.io.labels import Labels, catalogue

FR, EN = Labels("fr"), Labels("en")


def plain(text: str) -> str:
    """Babel's narrow/no-break spaces as plain spaces, to compare with the seed's text."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


# ---------------------------------------------------------------- the demo
# (category, action, objective, owner, Q1, Q2, Q3, Q4, months): spec table, objectives from seed 001.
W6, W4, W1, M16 = "6h/semaine", "4h/semaine", "1h/semaine", "16h/mois"
DEMO = [
    ("content", "Vidéo de présentation", "Acquisition +Crowdfunding", "Contact du prestataire",
     "850 €", None, None, None, "1-2"),
    ("content", "Blogging", "Acquisition +Fidélisation", "Arnaud et Zoé", W6, W6, W6, W6, "1-12"),
    ("content", "Tutoriels de couture", "Notoriété +Acquisition +Fidélisation", "Arnaud et Zoé",
     M16, M16, M16, M16, "1-12"),
    ("merchandising", "Photos des produits", "Conversion", "Contact du prestataire",
     "400 €", None, "400 €", None, "1, 8"),
    ("community", "Animation facebook", "Notoriété +Acquisition +Fidélisation", "Zoé", W6, W6, W6, W6, "1-12"),
    ("community", "Animation Instagram", "Notoriété +Acquisition +Fidélisation", "Arnaud", W4, W4, W4, W4, "1-12"),
    ("community", "Animation Pinterest", "Notoriété +Acquisition +Fidélisation", "Arnaud", W1, W1, W1, W1, "1-12"),
    ("online_ads", "Pub Etsy", "Acquisition", "Zoé", None, "500 €", "750 €", "750 €", "4-12"),
    ("online_ads", "Facebook Ads", "Notoriété +Acquisition", "Zoé", None, None, "10 % du CA", "5 % du CA", "7-12"),
    ("online_ads", "Google Adwords", "Notoriété +Acquisition", "Zoé", None, None, "20 % du CA", "20 % du CA",
     "7-12"),
    ("online_ads", "Publireportage", "Notoriété", "contact chez www.elle.com", None, None, None, "2 000 €", "12"),
    ("website_seo", "Développement du site E-commerce", "Distribution +Acquisition (SEO)", "Contact de l'agence",
     None, "2 500 €", "7 500 €", None, "5-9"),
    ("emailing_crm", "Newsletter", "Fidélisation", "Arnaud", "0 €", "30 €", "50 €", "199 €", "1-12"),
    ("emailing_crm", "Location de base de données", "Acquisition", "Arnaud", None, None, None, "1 600 €", "12"),
    ("emailing_crm", "Salesforce", "Fidélisation", "Zoé", None, None, None, "450 €", "11-12"),
]
FORECAST = {"T1": 5000.0, "T2": 15000.0, "T3": 60000.0, "T4": 120000.0}
ENVELOPE_TEXT = {"T1": "1 250 €", "T2": "3 930 €", "T3": "8 700 € + 30 % du CA", "T4": "4 000 € à 25 % du CA"}


def demo_sheet(parsed: bool = True) -> pd.DataFrame:
    """The sheet as validation hands it over (cells parsed), or raw as typed."""
    rows = []
    for i, (cat, name, objective, owner, q1, q2, q3, q4, months) in enumerate(DEMO, start=3):
        cells = {"budget_q1": q1, "budget_q2": q2, "budget_q3": q3, "budget_q4": q4, "months": months}
        if parsed:
            cells = {k: (parse_months(v) if k == "months" else parse_budget_cell(v)) for k, v in cells.items()}
        rows.append({"row": i, "category": cat, "action": name, "objective": objective, "kpi": None,
                     "owner": owner, **cells, "priority": None, "duration": None, "lever": None,
                     "revenue_effect": None, "programme": None})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def actions():
    return actions_from_sheet(demo_sheet())


@pytest.fixture(scope="module")
def envelopes():
    return {q: parse_budget_cell(t) for q, t in ENVELOPE_TEXT.items()}


@pytest.fixture(scope="module")
def totals(actions):
    return quarter_totals(budget_lines(actions), FORECAST)


def test_demo_fixed_items_per_quarter(totals):
    assert totals["quarter"].tolist() == ["T1", "T2", "T3", "T4"]
    assert totals["fixed"].tolist() == [1250, 3030, 8700, 4999]


def test_demo_percent_items_and_their_value_at_the_forecast(totals):
    assert totals["percent"].tolist() == [0, 0, 0.30, 0.25]
    assert totals["percent_money"].tolist() == [0, 0, 18000, 30000]
    assert totals["total"].tolist() == [1250, 3030, 26700, 34999]


def test_demo_internal_time_is_269_hours_a_quarter_and_kept_apart(actions, totals):
    assert totals["hours"].tolist() == [269, 269, 269, 269]
    assert totals["hours"].sum() == 1076
    assert totals["hours_value"].isna().all()
    valued = quarter_totals(budget_lines(actions), FORECAST, hourly_cost=30)
    assert valued["hours_value"].tolist() == [8070, 8070, 8070, 8070]
    assert valued["total"].tolist() == totals["total"].tolist()  # never added to the budget


def test_demo_reconciliation_flags_t2_and_t4(totals, envelopes):
    rec = reconcile(totals, envelopes)
    assert rec["fixed_difference"].tolist() == [0, -900, 0, 999]
    assert rec["percent_difference"].tolist() == [0, 0, 0, 0]
    assert rec["envelope_fixed"].tolist() == [1250, 3930, 8700, 4000]
    assert rec["envelope_percent"].tolist() == [0, 0, 0.30, 0.25]
    assert rec["items_percent"].tolist() == [0, 0, 0.30, 0.25]
    assert rec["status"].tolist() == ["ok", "under", "ok", "over"]


def test_demo_reconciliation_sentences(totals, envelopes):
    rec = reconcile(totals, envelopes)
    assert [plain(s) for s in reconciliation_text(rec, FR)] == [
        "T2 : les postes fixes font 3 030 €, l'enveloppe annoncée est 3 930 € (écart −900 €).",
        "T4 : les postes fixes font 4 999 €, l'enveloppe annoncée est 4 000 € (écart +999 €).",
        "T1 et T3 : les postes correspondent aux enveloppes annoncées.",
    ]
    assert reconciliation_text(rec, EN) == [
        "Q2: fixed items come to €3,030, the stated envelope is €3,930 (difference −€900).",
        "Q4: fixed items come to €4,999, the stated envelope is €4,000 (difference +€999).",
        "Q1 and Q3: the items match the stated envelopes.",
    ]


def test_percent_gap_and_missing_envelope_in_reconciliation(totals):
    envelopes = {"T3": BudgetLine(money=8700, percent=0.25), "T4": BudgetLine(money=4999, percent=0.25)}
    rec = reconcile(totals, envelopes)
    assert rec["status"].tolist() == [None, None, "over", "ok"]
    assert rec["percent_difference"].iloc[2] == 0.05
    assert [plain(s) for s in reconciliation_text(rec, FR)] == [
        "T3 : les postes en % du CA font 30 %, l'enveloppe annoncée est 25 % (écart +5 points).",
        "T4 : les postes correspondent à l'enveloppe annoncée.",
    ]


def test_raw_cells_parse_to_the_same_plan(actions):
    raw = actions_from_sheet(demo_sheet(parsed=False))
    assert raw == actions
    assert [a.row for a in raw] == list(range(3, 18))


def test_action_fields(actions):
    video = actions[0]
    assert video.budget == {"T1": BudgetLine(money=850, text="850 €")}
    assert video.objectives == ["Acquisition", "Crowdfunding"]
    assert video.months == (1, 2)
    assert actions[11].objectives == ["Distribution", "Acquisition (SEO)"]
    assert actions[12].budget["T1"].is_empty  # "0 €": planned and free


def test_category_totals(actions):
    cats = category_totals(budget_lines(actions), FORECAST)
    assert cats["category"].tolist() == ["content", "merchandising", "community", "online_ads", "website_seo",
                                         "emailing_crm"]
    assert cats["fixed"].tolist() == [850, 800, 0, 4000, 10000, 2329]
    assert cats["percent_money"].tolist() == [0, 0, 0, 48000, 0, 0]
    assert cats["total"].tolist() == [850, 800, 0, 52000, 10000, 2329]
    assert cats["hours"].tolist() == [504, 0, 572, 0, 0, 0]
    assert cats["total"].sum() == 65979
    assert cats["share"].sum() == pytest.approx(1)


def test_objective_totals_split_shared_costs_equally(actions):
    objs = objective_totals(budget_lines(actions), FORECAST).set_index("objective")
    assert objs.loc["Notoriété", "total"] == 26000  # 12 000/2 + 36 000/2 + 2 000
    assert objs.loc["Acquisition", "total"] == 28025
    assert objs.loc["Crowdfunding", "total"] == 425
    assert objs.loc["Fidélisation", "total"] == 729
    assert objs.loc["Conversion", "total"] == 800
    assert objs.loc["Distribution", "total"] == 5000
    assert objs.loc["Acquisition (SEO)", "total"] == 5000
    assert objs["total"].sum() == pytest.approx(65979, abs=1e-6)
    assert objs["hours"].sum() == pytest.approx(1076, abs=1e-6)


def test_percent_items_need_a_forecast_to_be_valued(actions):
    t = quarter_totals(budget_lines(actions))
    assert t["percent_money"].tolist()[:2] == [0, 0] and t["percent_money"].iloc[2:].isna().all()
    with pytest.raises(ValueError, match="a revenue forecast for T3 is needed to value '10 % du CA'"):
        category_totals(budget_lines(actions), {"T1": 1, "T2": 1})


# ---------------------------------------------------------------- budget cells
@pytest.mark.parametrize("value, money, percent, weekly, monthly", [
    ("850€", 850, 0, 0, 0),
    ("2 500 €", 2500, 0, 0, 0),
    ("2\u202f500\u00a0€", 2500, 0, 0, 0),
    ("0€", 0, 0, 0, 0),
    (850, 850, 0, 0, 0),
    (850.0, 850, 0, 0, 0),
    ("10% du CA", 0, 0.10, 0, 0),
    ("10 % du chiffre d'affaires", 0, 0.10, 0, 0),
    ("10 % du chiffre d’affaires", 0, 0.10, 0, 0),
    ("10% of revenue", 0, 0.10, 0, 0),
    ("3,5 % du CA", 0, 0.035, 0, 0),
    ("6h/semaine", 0, 0, 6, 0),
    ("6 h / semaine", 0, 0, 6, 0),
    ("16h/mois", 0, 0, 0, 16),
    ("6h/week", 0, 0, 6, 0),
    ("16 h/month", 0, 0, 0, 16),
    ("6 hours a week", 0, 0, 6, 0),
    ("2h/jour", 0, 0, 10, 0),
    ("8 700 € & 30 % du CA", 8700, 0.30, 0, 0),
    ("8 700 € + 30 % du CA", 8700, 0.30, 0, 0),
    ("4 000€ à 25% du CA", 4000, 0.25, 0, 0),
    ("3 030€ & 3,5% du CA", 3030, 0.035, 0, 0),
    ("500 € + 250 €", 750, 0, 0, 0),
    ("6h/semaine + 16h/mois", 0, 0, 6, 16),
])
def test_budget_cell_forms(value, money, percent, weekly, monthly):
    line = parse_budget_cell(value)
    assert (line.money, line.percent, line.hours_per_week, line.hours_per_month) == (money, percent, weekly, monthly)


def test_budget_cell_text_and_hours():
    assert parse_budget_cell(850.0).text == "850"
    assert parse_budget_cell(" 2 500 € ").text == "2 500 €"
    assert parse_budget_cell("6h/semaine").hours_per_quarter == 78
    assert parse_budget_cell("16h/mois").hours_per_quarter == 48
    assert parse_budget_cell("6h/semaine + 16h/mois").hours_per_quarter == 126
    assert parse_budget_cell("0 €").is_empty and not parse_budget_cell("6h/semaine").is_empty


@pytest.mark.parametrize("blank", [None, "", "  ", float("nan")])
def test_blank_budget_cell_is_none(blank):
    assert parse_budget_cell(blank) is None


@pytest.mark.parametrize("value, message", [
    ("beaucoup", "expected an amount such as '850 €', a share of revenue such as '10 % du CA' or internal time "
                 "such as '6h/semaine', got 'beaucoup'"),
    ("6h", "expected an amount such as '850 €', a share of revenue such as '10 % du CA' or internal time "
           "such as '6h/semaine', got '6h'"),
    ("-200 €", "negative amount: a budget line is a cost of 0 € or more, got '-200 €'"),
    (-200, "negative amount: a budget line is a cost of 0 € or more, got -200"),
    ("150 % du CA", "share of revenue over 100 %: expected at most '100 % du CA', got '150 % du CA'"),
    ("60 % du CA + 50 % du CA", "share of revenue over 100 %: expected at most '100 % du CA', "
                                "got '60 % du CA + 50 % du CA'"),
    ("-5 % du CA", "negative share of revenue: expected 0 % to 100 %, got '-5 % du CA'"),
    ("-6h/semaine", "negative internal time: expected hours such as '6h/semaine', got '-6h/semaine'"),
])
def test_budget_cell_errors(value, message):
    with pytest.raises(ValueError) as err:
        parse_budget_cell(value)
    assert str(err.value) == message
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------- months
@pytest.mark.parametrize("value, months", [
    ("1-12", tuple(range(1, 13))),
    ("1, 8", (1, 8)),
    ("4-12", tuple(range(4, 13))),
    ("12", (12,)),
    (12, (12,)),
    (12.0, (12,)),
    ("janvier-mars", (1, 2, 3)),
    ("janv. à mars", (1, 2, 3)),
    ("avril à décembre", tuple(range(4, 13))),
    ("juillet, août", (7, 8)),
    ("January-March", (1, 2, 3)),
    ("T3", (7, 8, 9)),
    ("Q3", (7, 8, 9)),
    ("toute l'année", tuple(range(1, 13))),
    ("Toute l’année", tuple(range(1, 13))),
    ("all year", tuple(range(1, 13))),
    ("8, 1, 1", (1, 8)),
    ("T1, novembre-décembre", (1, 2, 3, 11, 12)),
])
def test_month_forms(value, months):
    assert parse_months(value) == months


def test_blank_months():
    assert parse_months(None) == () and parse_months("") == ()


@pytest.mark.parametrize("value, message", [
    ("13", "month 13: expected 1 to 12 (or a month name)"),
    (13, "month 13: expected 1 to 12 (or a month name)"),
    ("1-13", "month 13: expected 1 to 12 (or a month name)"),
    ("9-5", "month range 9-5 runs backwards: expected the first month before the last, e.g. '5-9' "
            "(or two ranges such as '9-12, 1-5'), got '9-5'"),
    ("bientôt", "expected months such as '1-12', '1, 8', 'janvier-mars', 'T3' or 'toute l'année', got 'bientôt'"),
])
def test_month_errors(value, message):
    with pytest.raises(ValueError) as err:
        parse_months(value)
    assert str(err.value) == message


# ---------------------------------------------------------------- sheet errors
def test_sheet_errors_name_row_and_column():
    frame = demo_sheet(parsed=False)
    frame.loc[1, "budget_q2"] = "beaucoup"
    with pytest.raises(ValueError, match=r"^row 4, budget_q2: expected an amount such as '850 €'"):
        actions_from_sheet(frame)
    frame = demo_sheet(parsed=False)
    frame.loc[0, "months"] = "9-5"
    with pytest.raises(ValueError, match=r"^row 3, months: month range 9-5 runs backwards"):
        actions_from_sheet(frame)
    frame = demo_sheet()
    frame.loc[0, "category"] = "poetry"
    with pytest.raises(ValueError, match=r"^row 3, category: expected one of content, merchandising"):
        actions_from_sheet(frame)


# ---------------------------------------------------------------- retro-planning
def test_retro_planning_grid(actions):
    grid = retro_planning(actions)
    assert grid.shape == (15, 13)
    assert list(grid.columns) == ["category", *range(1, 13)]
    assert grid.loc["Photos des produits", list(range(1, 13))].tolist() == [m in (1, 8) for m in range(1, 13)]
    assert grid.loc["Salesforce", [10, 11, 12]].tolist() == [False, True, True]
    assert int(grid[list(range(1, 13))].to_numpy().sum()) == 106


def test_retro_planning_groups_by_category_in_list_order(actions):
    shuffled = [actions[12], actions[0], actions[7], actions[1]]
    grid = retro_planning(shuffled)
    assert grid.index.tolist() == ["Vidéo de présentation", "Blogging", "Pub Etsy", "Newsletter"]
    assert grid["category"].tolist() == ["content", "content", "online_ads", "emailing_crm"]


def test_category_colours_and_labels_cover_the_list():
    # every action category, plus the roadmap's phases drawn as rows of the retro-planning (topics/deployment.py)
    assert set(CATEGORY_COLOURS) == set(CATEGORIES) | {"deployment"} and len(set(CATEGORY_COLOURS.values())) == 13
    assert all(key.startswith("budget.") for key, texts in catalogue().items() if "budget" in key.split(".")[0])
    for code in CATEGORIES:
        assert FR.has(f"budget.category.{code}")
    assert FR("budget.category.community") == "Animation de communauté"


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]


def test_retro_chart(actions):
    fig = retro_chart(actions, labels=FR).figure
    try:
        assert fig.get_figwidth() == 7.0
        texts = _texts(fig)
        assert "janv." in texts and "déc." in texts
        assert "Marketing de contenu" in texts and "Emailing & CRM" not in texts
        assert "Développement du site E-commerce" in texts
        cells, = [c for c in fig.axes[0].collections if c.get_gid() == RETRO_CELLS]  # one artist for every cell
        assert len(cells.get_paths()) == 12 * 15  # a box per month of each of the 15 actions
        colours = cells.get_facecolors()
        filled = [c for c in colours if tuple(c[:3]) != (0xF2 / 255, 0xF3 / 255, 0xF5 / 255) and c[3] == 1]
        assert len(filled) == 106  # the active months
        assert not [p for p in fig.axes[0].patches if p.get_facecolor()[3] == 1]  # no cell drawn on its own
    finally:
        plt.close(fig)
    fig = retro_chart(actions, labels=EN).figure
    try:
        assert "Jan" in _texts(fig) and "Content marketing" in _texts(fig)
    finally:
        plt.close(fig)


def test_budget_and_category_charts(actions, totals, envelopes):
    fig = budget_chart(totals, labels=FR, envelopes=envelopes).figure
    try:
        ax = fig.axes[0]
        assert len(ax.patches) == 8  # 4 quarters × fixed / share of revenue
        assert len(ax.lines) == 4  # envelope markers
        assert [t.get_text() for t in ax.get_xticklabels()] == ["T1", "T2", "T3", "T4"]
        assert plain(ax.texts[3].get_text()) == "34 999 €"
        assert ax.lines[3].get_ydata()[0] == 34000  # 4 000 € + 25 % × 120 000 €
    finally:
        plt.close(fig)
    fig = category_chart(category_totals(budget_lines(actions), FORECAST), labels=EN).figure
    try:
        ax = fig.axes[0]
        assert len(ax.patches) == 5  # community costs no money
        assert [t.get_text() for t in ax.get_yticklabels()][-1] == "Online advertising"
    finally:
        plt.close(fig)


# ---------------------------------------------------------------- methods
def test_fixed_and_percent_methods(envelopes):
    assert fixed_envelope_total(envelopes) == 17880
    assert fixed_envelope_total(envelopes, FORECAST) == 65880
    assert percent_of_revenue_budget(0.10, 200000) == 20000
    assert percent_of_revenue_budget(0.035, 15000) == 525
    with pytest.raises(ValueError, match="expected a share of revenue between 0 % and 100 %, got 1.5"):
        percent_of_revenue_budget(1.5, 1000)


def test_backward_funnel_hand_computed():
    steps = funnel_steps(visitor_to_lead=0.05, lead_to_mql=0.40, mql_to_sql=0.50, sql_to_customer=0.25)
    assert steps == [("sql", 0.25), ("mql", 0.50), ("lead", 0.40), ("visitor", 0.05)]
    f = backward_funnel(60000, 400, steps, cost_per_visitor=0.80)
    assert f.customers == 150
    assert [c for _, c, _ in f.stages] == [600, 1200, 3000, 60000]
    assert f.top == ("visitor", 60000)
    assert f.budget == 48000 and f.basis == "cost_per_visitor"
    table = f.table
    assert table["stage"].tolist() == ["visitor", "lead", "mql", "sql", "customer"]
    assert table["count"].tolist() == [60000, 3000, 1200, 600, 150]
    assert table["rate"].tolist()[:4] == [0.05, 0.40, 0.50, 0.25] and math.isnan(table["rate"].iloc[4])
    assert plain(funnel_text(f, FR)) == (
        "Pour gagner 60 000 € à 400 € par nouveau client, il faut 150 clients, 600 SQL, 1 200 MQL, 3 000 leads "
        "et 60 000 visiteurs. À 0,80 € par visiteur, le budget nécessaire est de 48 000 €.")


def test_backward_funnel_rounds_up():
    assert backward_funnel(1000, 300).customers == 4
    f = backward_funnel(1000, 300, [("visitor", 0.03)], cost_per_visitor=3)
    assert f.stages == (("visitor", 134, 0.03),)  # 4 / 3 % = 133.3 -> 134
    assert f.budget == 402
    assert backward_funnel(1200, 400, [("visitor", 0.5)]).stages == (("visitor", 6, 0.5),)  # exact: no spurious +1


def test_backward_funnel_with_cac_and_b2c_rate():
    assert funnel_steps(conversion_rate=0.03) == [("visitor", 0.03)]
    assert funnel_steps() == []
    f = backward_funnel(60000, 400, [("visitor", 0.03)], cost_per_visitor=3, cac=100)
    assert (f.budget, f.basis) == (15000, "cac")  # CAC wins when given
    assert backward_funnel(60000, 400).budget is None


@pytest.mark.parametrize("args, message", [
    ((1000, 0, []), "expected a value per customer above 0 €, got 0"),
    ((-1, 300, []), "expected a revenue to win of 0 € or more, got -1"),
    ((1000, 300, [("lead", 0)]), "conversion rate into 'lead': expected more than 0 % and at most 100 %, got 0"),
    ((1000, 300, [("lead", 1.5)]), "conversion rate into 'lead': expected more than 0 % and at most 100 %, got 1.5"),
])
def test_backward_funnel_errors(args, message):
    with pytest.raises(ValueError) as err:
        backward_funnel(*args)
    assert str(err.value) == message


def test_cost_per_visitor_needs_a_step():
    with pytest.raises(ValueError, match="a cost per visitor needs at least one conversion step"):
        backward_funnel(1000, 300, [], cost_per_visitor=1)


def test_method_comparison_sentences(envelopes):
    sentences = method_comparison_text(FR, fixed=fixed_envelope_total(envelopes),
                                       percent=percent_of_revenue_budget(0.10, 200000), rate=0.10, revenue=200000,
                                       objective=48000)
    assert [plain(s) for s in sentences] == [
        "Enveloppes déclarées (y compris leur % du CA, au CA prévu) : 17 880 €.",
        "Pourcentage du chiffre d'affaires (10 % de 200 000 €) : 20 000 €.",
        "Budget par objectifs (à rebours de l'entonnoir) : 48 000 €.",
        "Les méthodes vont de 17 880 € à 48 000 €, soit un écart de 30 120 € à arbitrer.",
    ]
    # without envelopes the first figure is the costed actions', and says so
    assert plain(method_comparison_text(FR, fixed=65979, fixed_is_actions=True)[0]) == (
        "Budget des actions chiffrées (aucune enveloppe déclarée) : 65 979 €.")


# ---------------------------------------------------------------- ROI and LTV:CAC
def test_roi_seed_002():
    assert roi(200000, 500000) == 1.5  # "200 000 EUR budget, ROI 150 % over 12 months"
    assert roi(1000, 500) == -0.5
    assert roi(0, 100) is None
    assert plain(roi_text(200000, 500000, FR)) == (
        "Pour 200 000 € investis, le plan attend 500 000 € de chiffre d'affaires : un ROI de 150 %. "
        "ROI calculé sur le chiffre d'affaires (marge non renseignée).")
    assert roi_text(200000, 500000, EN) == ("For €200,000 spent, the plan expects €500,000 of revenue: a 150% ROI. "
                                            "ROI computed on revenue (no margin given).")


def test_roi_on_margin_when_the_margin_is_known():
    # demo: 137 000 € expected at a 55 % margin = 75 350 €, against 65 979 €: (75 350 − 65 979) / 65 979 = 14,2 %
    assert plain(roi_text(65979, 137000, FR, margin=0.55)) == (
        "Pour 65 979 € investis, le plan attend 137 000 € de chiffre d'affaires, soit 75 350 € de marge : "
        "un ROI de 14 %. ROI calculé sur la marge (55 %).")
    assert roi_text(65979, 137000, EN, margin=0.55).endswith("a 14% ROI. ROI computed on the margin (55%).")


def test_roi_per_action_and_overall(actions):
    plan = [Action(**{**a.__dict__}) for a in actions]
    plan[7].revenue_effect = 6000  # Pub Etsy: 2 000 € over the year
    plan[9].revenue_effect = 54000  # Google Adwords: 20 % of 60 000 + 20 % of 120 000 = 36 000 €
    per_action = action_roi(plan, FORECAST)
    assert per_action["action"].tolist() == ["Pub Etsy", "Google Adwords"]
    assert per_action["cost"].tolist() == [2000, 36000]
    assert per_action["roi"].tolist() == [2.0, 0.5]
    overall = overall_roi(plan, FORECAST)
    assert (overall.cost, overall.revenue) == (65979, 60000)
    assert overall.roi == pytest.approx((60000 - 65979) / 65979, rel=1e-12)
    assert overall_roi(actions, FORECAST) == (65979, None, None, None, None)
    on_margin = overall_roi(plan, FORECAST, margin=0.5)
    assert (on_margin.gain, on_margin.margin) == (30000, 0.5)
    assert on_margin.roi == pytest.approx((30000 - 65979) / 65979, rel=1e-12)
    assert action_roi(plan, FORECAST, margin=0.5)["roi"].tolist() == [0.5, -0.25]  # 3 000 / 2 000, 27 000 / 36 000


@pytest.mark.parametrize("ltv, cac, ratio, reading", [
    (1400, 100, 14, "under_invests"),  # seed 001 dentist: VMC 1 400 €, 3 € / 3 % = 100 € to acquire
    (50, 100, 0.5, "loses_money"),
    (100, 100, 1, "thin"),
    (299, 100, 2.99, "thin"),
    (300, 100, 3, "healthy"),
    (500, 100, 5, "healthy"),
    (501, 100, 5.01, "under_invests"),
    (100, 0, None, None),
])
def test_ltv_cac_readings(ltv, cac, ratio, reading):
    assert ltv_cac(ltv, cac) == (ratio, reading)


def test_ltv_cac_sentences():
    assert ltv_cac_text(1400, 100, EN) == (
        "A customer brings €1,400 and costs €100 to acquire: an LTV:CAC of 14, the company under-invests in "
        "acquisition (it could spend more to win customers).")
    assert "sous-investit dans l'acquisition" in ltv_cac_text(1400, 100, FR)
    for reading in ("loses_money", "thin", "healthy", "under_invests"):
        assert FR.has(f"budget.ltv_cac.{reading}")
    assert "loses money" in EN("budget.ltv_cac.loses_money") and "thin" in EN("budget.ltv_cac.thin")


# ---------------------------------------------------------------- summary
def test_budget_summary_sentence(actions, totals):
    assert plain(budget_summary_text(totals, FR)) == (
        "Budget des actions chiffrées sur l'année : 17 979 € de dépenses fixes et 48 000 € en part du chiffre "
        "d'affaires (au CA prévu), soit 65 979 €. S'y ajoutent 1 076 h de temps interne, qui ne sont pas comptées "
        "dans le budget.")
    valued = quarter_totals(budget_lines(actions), FORECAST, hourly_cost=30)
    assert budget_summary_text(valued, EN) == (
        "Budget of the costed actions over the year: €17,979 of fixed spending and €48,000 as a share of revenue "
        "(at the forecast), €65,979 in all. On top of this come 1,076 h of internal time (worth €32,280 at the chosen "
        "hourly cost), kept apart from the budget.")
