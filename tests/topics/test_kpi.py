import datetime as dt
import string

import pandas as pd
import pytest
from matplotlib.figure import Figure

from relkit.io.labels import Labels, catalogue
from relkit.topics import kpi, kpi_calendar, kpi_catalogue
from relkit.topics.kpi_calendar import Period, parse_period
from relkit.topics.kpi_catalogue import CATALOGUE
from relkit.views.charts import kpi as kpi_charts
from relkit.views.number_text import kpi_value_text
from relkit.workbooks import plan_kpi

NNBSP, NBSP = "\u202f", "\u00a0"
FR, EN = Labels("fr"), Labels("en")
CAC = "Coût d'acquisition client"

SEED_UNIVERSAL = {"roi", "visits_by_source", "cost_per_visitor", "conversion_rate", "cac", "average_basket",
                  "time_on_site", "search_rank", "satisfaction"}
SEED_CRM = {"open_rate", "click_rate", "unsubscribe_rate", "bounce_rate", "repeat_purchase_rate", "clv",
            "active_customers", "reactivation_rate", "audience_size"}


def none(value):
    return None if pd.isna(value) else value


def sheet(rows):
    return pd.DataFrame([{"row": 3 + i, **r} for i, r in enumerate(rows)])


@pytest.fixture
def kpis():
    return kpi.kpis_from_sheet(sheet([
        {"kpi": "Taux d'ouverture", "target": 0.25},
        {"kpi": "CAC", "target": 30},
        {"kpi": "Panier moyen", "target": 60, "frequency": "quarterly"},
        {"kpi": "Financement", "unit": "eur", "frequency": "monthly"},
        {"kpi": "Visites du blog", "unit": "count", "frequency": "weekly", "target": 1000},
        {"kpi": "Valeur vie client (CLV)", "target": 120},
    ]), "fr")


# --- catalogue ------------------------------------------------------------------

def test_catalogue_holds_the_seed_kpis_complete_in_both_languages():
    assert SEED_UNIVERSAL | SEED_CRM <= set(CATALOGUE)
    for code, k in CATALOGUE.items():
        for field in (k.name, k.definition, k.formula):
            assert set(field) == {"fr", "en"} and all(field[lang].strip() for lang in ("fr", "en")), code
        assert k.unit in kpi_catalogue.UNITS, code
        assert k.frequency in kpi_catalogue.FREQUENCIES, code
        assert k.direction in kpi_catalogue.DIRECTIONS, code
        assert kpi_catalogue.kpi_code(k.name["fr"]) == code and kpi_catalogue.kpi_code(k.name["en"]) == code


def test_catalogue_units_directions_and_frequencies_of_key_kpis():
    assert (CATALOGUE["open_rate"].unit, CATALOGUE["open_rate"].direction) == ("percent", "higher")
    assert (CATALOGUE["cac"].unit, CATALOGUE["cac"].direction) == ("eur", "lower")
    assert (CATALOGUE["search_rank"].unit, CATALOGUE["search_rank"].direction) == ("rank", "lower")
    assert CATALOGUE["unsubscribe_rate"].direction == "lower"
    assert CATALOGUE["clv"].frequency == "yearly"
    assert CATALOGUE["satisfaction"].unit == "score"


def test_kpi_code_ignores_case_accents_and_accepts_codes_and_aliases():
    assert kpi_catalogue.kpi_code("TAUX D'OUVERTURE") == "open_rate"
    assert kpi_catalogue.kpi_code("Cout d’acquisition client") == "cac"
    assert kpi_catalogue.kpi_code("cac") == "cac"
    assert kpi_catalogue.kpi_code("NPS") == "satisfaction"
    assert kpi_catalogue.kpi_code("Open rate") == "open_rate"
    assert kpi_catalogue.kpi_code("Financement") is None
    assert kpi_catalogue.kpi_code(None) is None


def test_catalogue_rows_prefill_the_kpis_sheet_without_target():
    rows = kpi_catalogue.catalogue_rows("en")
    assert len(rows) == len(CATALOGUE)
    first = rows[0]
    assert set(first) == {"kpi", "definition", "formula", "unit", "frequency", "direction", "target"}
    assert first["kpi"] == "Marketing ROI" and first["unit"] == "percent" and first["target"] is None
    assert kpi_catalogue.catalogue_rows("fr")[0]["kpi"] == "ROI marketing"


def test_labels_of_this_part_are_prefixed_and_complete():
    keys = [k for k in catalogue() if k.startswith("kpi.")]
    for unit in kpi_catalogue.UNITS:
        assert f"kpi.unit.{unit}" in keys
    for status in kpi.STATUSES:
        assert f"kpi.status.{status}" in keys
    for key in keys:
        fields = [{f for _, f, _, _ in string.Formatter().parse(catalogue()[key][lg]) if f} for lg in ("fr", "en")]
        assert fields[0] == fields[1], key


# --- KPI table --------------------------------------------------------------------

def test_rows_merge_with_catalogue_defaults_and_the_row_wins(kpis):
    rows = kpis.set_index("kpi")
    cac = rows.loc["CAC"]
    assert (cac["code"], cac["name"], cac["unit"], cac["direction"], cac["frequency"], cac["target"]) == (
        "cac", "Coût d'acquisition client", "eur", "lower", "monthly", 30.0)  # the code shows as the name
    assert cac["formula"] == CATALOGUE["cac"].formula["fr"]
    assert rows.loc["Panier moyen", "frequency"] == "quarterly"  # row wins over the catalogue's monthly
    assert rows.loc["Taux d'ouverture", "target"] == 0.25
    custom = rows.loc["Financement"]
    assert (custom["unit"], custom["direction"], custom["frequency"]) == ("eur", "higher", "monthly")
    assert pd.isna(custom["code"]) and pd.isna(custom["target"])
    assert list(kpis["row"]) == [3, 4, 5, 6, 7, 8]


def test_row_text_overrides_and_code_gives_the_catalogue_name():
    table = kpi.kpis_from_sheet(sheet([
        {"kpi": "click_rate", "definition": "Clics sur la newsletter", "target": "4 %", "direction": "higher"},
    ]), "en")
    r = table.iloc[0]
    assert (r["name"], r["definition"], r["target"]) == ("Click rate", "Clics sur la newsletter", 0.04)
    assert r["formula"] == CATALOGUE["click_rate"].formula["en"]


def test_custom_kpi_without_unit_is_an_error_naming_it():
    with pytest.raises(ValueError) as err:
        kpi.kpis_from_sheet(sheet([{"kpi": "Taux d'ouverture"}, {"kpi": "Nombre de signataires"}]), "fr")
    assert str(err.value) == ("KPI 'Nombre de signataires' has no unit: expected one of "
                              "€, %, nombre, jours, minutes, rang, score, ratio")
    assert err.value.row == 4


def test_unknown_unit_and_duplicate_kpi_are_errors():
    with pytest.raises(ValueError, match="KPI 'Dons' has an unknown unit 'dollars'"):
        kpi.kpis_from_sheet(sheet([{"kpi": "Dons", "unit": "dollars"}]), "fr")
    with pytest.raises(ValueError, match="KPI 'CAC' is listed twice \\(also as 'Coût d'acquisition client'\\)"):
        kpi.kpis_from_sheet(sheet([{"kpi": "Coût d'acquisition client"}, {"kpi": "CAC"}]), "fr")


# --- links -----------------------------------------------------------------------

def test_links_match_seed_action_kpis_fuzzily_and_list_the_unmatched(kpis):
    actions = pd.DataFrame([
        {"row": 3, "action": "Newsletter", "kpi": "Taux d'ouverture + taux de clic"},
        {"row": 4, "action": "Pub Etsy", "kpi": "Coût d'acquisition"},
        {"row": 5, "action": "Vidéo de présentation", "kpi": "Financement +Trafic venant de Youtube"},
        {"row": 6, "action": "Salesforce", "kpi": "Chiffre d'affaire + CLV"},
        {"row": 7, "action": "Blogging", "kpi": None},
    ])
    objectives = pd.DataFrame([
        {"row": 3, "objective": "Réduire le coût d'acquisition à 30 € d'ici fin 2027",
         "kpi": "Cout d'acquisition client", "target": "30 €", "deadline": None, "owner": "Zoé"},
    ])
    links = kpi.link_kpis(kpis, actions, objectives)
    got = [(r["source"], r["item"], r["kpi_text"], r["kpi"] if r["matched"] else None)
           for r in links.to_dict("records")]
    assert got == [
        ("action", "Newsletter", "Taux d'ouverture", "Taux d'ouverture"),
        ("action", "Newsletter", "taux de clic", None),  # not in this KPI table
        ("action", "Pub Etsy", "Coût d'acquisition", CAC),
        ("action", "Vidéo de présentation", "Financement", "Financement"),
        ("action", "Vidéo de présentation", "Trafic venant de Youtube", None),
        ("action", "Salesforce", "Chiffre d'affaire", None),
        ("action", "Salesforce", "CLV", "Valeur vie client (CLV)"),
        ("objective", "Réduire le coût d'acquisition à 30 € d'ici fin 2027", "Cout d'acquisition client", CAC),
    ]
    assert links.loc[2, "code"] == "cac" and links.loc[2, "score"] == 100.0
    assert plan_kpi.unmatched_text(links, FR)[0] == "« taux de clic » (Newsletter) : KPI absent du tableau des KPI"
    assert plan_kpi.unmatched_text(links, EN)[1] == ("'Trafic venant de Youtube' (Vidéo de présentation): "
                                                "KPI not in the KPI table")


def test_links_against_the_whole_catalogue_cover_the_seed_action_plan():
    table = kpi.kpis_from_sheet(pd.DataFrame(kpi_catalogue.catalogue_rows("fr")), "fr")
    actions = pd.DataFrame([{"action": "Site", "kpi": "Nombre de visiteurs +Place des moteurs de recherche "
                                                      "+Nombre de commande par client +Panier moyen"},
                            {"action": "Facebook Ads", "kpi": "Nombre d'impression + Coût d'acquisition"},
                            {"action": "Pinterest", "kpi": "Trafic venant de Pinterest + taille d'audience"}])
    links = kpi.link_kpis(table, actions, None)
    assert list(links["code"]) == ["visits_by_source", "search_rank", "orders_per_customer", "average_basket",
                                   "impressions", "cac", "visits_by_source", "audience_size"]


def test_fuzzy_threshold_tolerates_typos_not_other_kpis():
    table = kpi.kpis_from_sheet(pd.DataFrame(kpi_catalogue.catalogue_rows("fr")), "fr")
    links = kpi.link_kpis(table, pd.DataFrame([{"action": "A", "kpi": "taux d'ouvertur + taux de clics + dons"}]),
                          None)
    assert list(links["code"].fillna("-")) == ["open_rate", "click_rate", "-"]
    assert links.loc[0, "score"] >= 90 and not links.loc[2, "matched"]


# --- periods -----------------------------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("T1", "2027-Q1"), ("t4", "2027-Q4"), ("Q2", "2027-Q2"), ("q3", "2027-Q3"), ("T2 2026", "2026-Q2"),
    ("janvier", "2027-01"), ("Mars", "2027-03"), ("Août", "2027-08"), ("févr.", "2027-02"), ("sept", "2027-09"),
    ("décembre 2027", "2027-12"), ("March", "2027-03"), ("Aug", "2027-08"), ("may", "2027-05"),
    ("2027-03", "2027-03"), ("03/2027", "2027-03"), ("3/2028", "2028-03"), (dt.date(2027, 5, 17), "2027-05"),
])
def test_parse_period_forms(text, key):
    assert parse_period(text, 2027).key == key


def test_period_bounds_and_labels():
    q = parse_period("T1", 2027)
    assert (q.start, q.end, q.months) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31), (1, 2, 3))
    assert (q.label(FR), q.label(EN)) == ("T1 2027", "Q1 2027")
    m = parse_period("02/2028", 2027)
    assert (m.end, m.label(FR), m.label(EN)) == (dt.date(2028, 2, 29), "février 2028", "February 2028")
    assert Period.from_key("2027-Q4") == parse_period("Q4", 2027)


@pytest.mark.parametrize("bad", ["T5", "13/2027", "2027-13", "hier", "", None, 3])
def test_parse_period_rejects_other_forms_listing_the_accepted_ones(bad):
    with pytest.raises(ValueError) as err:
        parse_period(bad, 2027)
    assert str(err.value) == (
        "expected a quarter 'T1'..'T4' or 'Q1'..'Q4', a month name or abbreviation ('mars', 'sept.', 'March', "
        f"'Aug'), or a month as '2027-03' or '03/2027', got {bad!r}")


# --- dashboard ------------------------------------------------------------------------

@pytest.fixture
def actuals():
    return sheet([
        {"kpi": "taux d'ouverture", "period": "T1", "actual": 0.20},
        {"kpi": "Coût d'acquisition client", "period": "T1", "actual": 40},
        {"kpi": "Panier moyen", "period": "T2", "actual": 45},
        {"kpi": "Panier moyen", "period": "T1", "actual": 61.5},
        {"kpi": "Financement", "period": "mars", "actual": 850},
        {"kpi": "CAC", "period": "T2", "actual": 24},
        {"kpi": "Visites du blog", "period": "2027-02", "actual": 1000},
    ])


def test_dashboard_attainment_and_status_for_higher_and_lower_is_better(kpis, actuals):
    dash = kpi.dashboard(kpis, actuals, 2027)
    got = [(r["kpi"], r["period"], none(r["target"]), r["actual"], none(r["attainment"]), r["status"])
           for r in dash.to_dict("records")]
    assert got == [
        ("Taux d'ouverture", "2027-Q1", 0.25, 0.20, 0.8, "watch"),         # 20 % / 25 %
        (CAC, "2027-Q1", 30.0, 40.0, 0.75, "off_track"),                   # 30 € / 40 € (lower is better)
        (CAC, "2027-Q2", 30.0, 24.0, 1.25, "on_track"),                    # 30 € / 24 €
        ("Panier moyen", "2027-Q1", 60.0, 61.5, 1.025, "on_track"),
        ("Panier moyen", "2027-Q2", 60.0, 45.0, 0.75, "off_track"),
        ("Financement", "2027-03", None, 850.0, None, "no_target"),
        ("Visites du blog", "2027-02", 1000.0, 1000.0, 1.0, "on_track"),   # exactly 100 %
    ]
    assert list(dash["row"]) == [3, 4, 8, 6, 5, 7, 9]


def test_dashboard_thresholds_can_be_changed(kpis, actuals):
    dash = kpi.dashboard(kpis, actuals, 2027, thresholds=(0.8, 0.7))
    assert list(dash["status"][:2]) == ["on_track", "watch"]  # 80 % ≥ 80 %; 75 % ≥ 70 %
    with pytest.raises(ValueError, match="expected thresholds"):
        kpi.dashboard(kpis, actuals, 2027, thresholds=(0.8, 1.0))


def test_dashboard_zero_target_and_zero_actual():
    table = kpi.kpis_from_sheet(sheet([{"kpi": "Taux de désabonnement", "target": 0.0},
                                       {"kpi": "Taux de rebond des e-mails", "target": 0.02}]), "fr")
    dash = kpi.dashboard(table, sheet([{"kpi": "Taux de désabonnement", "period": "T1", "actual": 0.01},
                                       {"kpi": "Taux de rebond des e-mails", "period": "T1", "actual": 0}]), 2027)
    # lower is better: 0 % target / 1 % actual = 0 %; 2 % target / 0 actual is undefined but met
    assert dash.loc[0, "attainment"] == 0.0 and pd.isna(dash.loc[1, "attainment"])
    assert list(dash["status"]) == ["off_track", "on_track"]


def test_dashboard_unknown_kpi_and_bad_period_are_errors(kpis):
    with pytest.raises(ValueError, match="KPI 'Nombre de signataires' is not in the KPI table: expected one of "
                                         "Taux d'ouverture, Coût d'acquisition client, Panier moyen") as err:
        kpi.dashboard(kpis, sheet([{"kpi": "Nombre de signataires", "period": "T1", "actual": 10}]), 2027)
    assert err.value.row == 3
    with pytest.raises(ValueError, match="KPI 'CAC': expected a quarter"):
        kpi.dashboard(kpis, sheet([{"kpi": "CAC", "period": "S1", "actual": 10}]), 2027)
    with pytest.raises(ValueError, match=r"KPI 'cac' has two actuals for 2027-Q1 \(rows 3 and 4\)"):
        kpi.dashboard(kpis, sheet([{"kpi": "CAC", "period": "T1", "actual": 10},
                                   {"kpi": "cac", "period": "q1", "actual": 12}]), 2027)


def test_status_text_lists_what_is_not_on_track_worst_first(kpis, actuals):
    lines = plan_kpi.status_text(kpi.dashboard(kpis, actuals, 2027), FR)
    assert lines[0] == ("Sur 5 indicateurs mesurés (dernière période), 2 sont dans l'objectif, "
                        "1 à surveiller et 1 en retard.")
    assert lines[1] == (f"Panier moyen (T2 2027) : 45{NBSP}€ pour une cible de 60{NBSP}€, "
                        f"soit 75{NBSP}% de l'objectif (en retard).")
    assert lines[2] == (f"Taux d'ouverture (T1 2027) : 20{NBSP}% pour une cible de 25{NBSP}%, "
                        f"soit 80{NBSP}% de l'objectif (à surveiller).")
    assert lines[3] == "Sans cible, donc non évalués : Financement."
    assert lines[4].startswith("Règle appliquée") and f"à partir de 80{NBSP}%" in lines[4]
    assert plan_kpi.status_text(kpi.dashboard(kpis, None, 2027), EN) == [
        "No actuals entered yet: the dashboard fills in at each review."]


def test_dashboard_chart_is_a_page_wide_figure(kpis, actuals):
    fig = kpi_charts.dashboard_chart(kpi.dashboard(kpis, actuals, 2027), labels=EN).figure
    assert isinstance(fig, Figure)
    assert fig.get_size_inches()[0] == pytest.approx(7.0)
    texts = [t.get_text().replace(NBSP, " ") for ax in fig.axes for t in ax.texts]
    assert "75% (€45 / target €60)" in texts and "€850 (no target)" in texts
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks[0] == "Taux d'ouverture\nQ1 2027"
    long = kpi_charts.dashboard_chart(kpi.dashboard(kpi.kpis_from_sheet(sheet([
        {"kpi": "Taux d'engagement sur les réseaux sociaux", "target": 0.05}]), "fr"),
        sheet([{"kpi": "Taux d'engagement", "period": "T1", "actual": 0.06}]), 2027), labels=FR).figure
    assert long.axes[0].get_yticklabels()[0].get_text() == "Taux d'engagement sur les\nréseaux sociaux\nT1 2027"


# --- number display ---------------------------------------------------------------

def test_format_value_per_unit():
    assert kpi_value_text(1250, "eur", FR) == f"1{NNBSP}250{NBSP}€"
    assert kpi_value_text(12.5, "eur", FR) == f"12,50{NBSP}€"
    assert kpi_value_text(0.25, "percent", FR) == f"25{NBSP}%"
    assert kpi_value_text(0.205, "percent", EN) == "20.5%"
    assert kpi_value_text(1.5, "percent", EN) == "150%"
    assert kpi_value_text(1234, "count", EN) == "1,234"
    assert kpi_value_text(3, "days", FR) == "3 jours"
    assert kpi_value_text(2.5, "minutes", FR) == "2,5 min"
    assert kpi_value_text(4, "rank", EN) == "position 4"
    assert kpi_value_text(1.234, "ratio", FR) == "1,23"
    assert kpi_value_text(None, "eur", FR) == "–"


# --- reporting calendar ---------------------------------------------------------------

def test_reporting_calendar_months_and_review_dates(kpis):
    cal = kpi_calendar.reporting_calendar(kpis, 2027, "fr")
    months = {name: sorted(set(cal.loc[cal["kpi"] == name, "month"])) for name in cal["kpi"].unique()}
    assert months[CAC] == list(range(1, 13))                       # monthly
    assert months["Visites du blog"] == list(range(1, 13))           # weekly, every month
    assert months["Panier moyen"] == [3, 6, 9, 12]                   # quarterly
    assert months["Valeur vie client (CLV)"] == [12]                 # yearly
    assert cal.loc[cal["kpi"] == "Visites du blog", "weekly"].all()
    assert not cal.loc[cal["kpi"] == CAC, "weekly"].any()
    dates = dict(zip(cal["month"], cal["review_date"]))
    # 31 Jan 2027 is a Sunday, 31 Oct a Sunday, 31 Jul a Saturday: the Friday before.
    assert dates[1] == dt.date(2027, 1, 29) and dates[7] == dt.date(2027, 7, 30) and dates[10] == dt.date(2027, 10, 29)
    assert dates[3] == dt.date(2027, 3, 31) and dates[12] == dt.date(2027, 12, 31)
    assert all(d.weekday() < 5 for d in dates.values())
    assert list(cal.loc[cal["month"] == 12, "kpi"]) == ["Taux d'ouverture", CAC, "Panier moyen", "Financement",
                                                        "Visites du blog", "Valeur vie client (CLV)"]
    assert cal.loc[0, "month_name"] == "janvier" and cal.loc[0, "review_label"] == "29 janvier 2027"


def test_calendar_text(kpis):
    lines = plan_kpi.calendar_text(kpi_calendar.reporting_calendar(kpis, 2027, "en"), EN)
    assert lines[0] == ("Reviews take place on the last working day of each month (Monday to Friday; "
                        "public holidays are not taken into account).")
    assert lines[1] == ("Every month: Taux d'ouverture, Coût d'acquisition client and Financement. "
                        "Followed every week and summed up at the monthly review: Visites du blog.")
    assert lines[2] == "At quarter end (March, June, September and December), also: Panier moyen."
    assert lines[3] == "In December, annual review: Valeur vie client (CLV)."
    assert lines[4].startswith("Review dates: 29 January, 26 February, 31 March,")


def test_targets_typed_as_text_are_parsed_in_their_unit():
    table = kpi.kpis_from_sheet(sheet([{"kpi": "Panier moyen", "target": "€62.50"},
                                       {"kpi": "Taux de clic", "target": "4"},
                                       {"kpi": "Temps passé sur le site", "target": "2,5 min"}]), "fr")
    assert list(table["target"]) == [62.5, 0.04, 2.5]
    with pytest.raises(ValueError) as err:
        kpi.kpis_from_sheet(sheet([{"kpi": "CAC", "target": "beaucoup"}]), "fr")
    assert str(err.value) == "KPI 'CAC': expected a number such as '1 250' or '30 €' as target, got 'beaucoup'"
