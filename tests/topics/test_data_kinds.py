"""The three kinds of customer data and the questions the database must answer: exact, hand-computed results."""
import math

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from relkit.topics import collection_plan as cp
from relkit.topics import data_kinds as dk

COLUMNS = ["field", "customer_field", "kind", "data_type", "uses", "programmes", "row"]


def make_plan(rows, columns=COLUMNS):
    return pd.DataFrame([dict(zip(columns, r)) for r in rows], columns=columns)


@pytest.fixture
def plan():
    return make_plan([
        ("E-mail", "email", None, "socio_demographic", "newsletter", "Newsletter", 3),
        ("Âge des enfants", None, "personal", "declarative", "recommandation de taille", None, 4),
        ("Historique d'achats", None, None, "transactional", "segmentation RFM", None, 5),
        ("Envois de newsletters", None, "action", None, "mesure des campagnes", None, 6),
        ("Consentement SMS", "opt_in_sms", None, "declarative", "relance panier", None, 7),
        ("Avis clients", None, "reaction", None, "amélioration des produits", None, 8),
        ("Code postal", "postal_code", "personal", "socio_demographic", "ciblage géographique", None, 9),
    ])


@pytest.mark.parametrize("kind, data_type, expected", [
    (None, "socio_demographic", "personal"), (None, "declarative", "personal"),
    (None, "transactional", "reaction"), (None, "behavioural", "reaction"),
    ("action", "behavioural", "action"), ("reaction", None, "reaction"), ("personal", "declarative", "personal"),
    (None, None, None), (float("nan"), None, None), ("", "unknown_code", None),
])
def test_kind_of_a_row(kind, data_type, expected):
    assert dk.kind_of(kind, data_type) == expected


def test_an_old_plan_without_the_kind_column_takes_the_kind_from_the_type(plan):
    old = plan.drop(columns="kind")
    assert dk.kinds(old).tolist() == ["personal", "personal", "reaction", None, "personal", None, "personal"]
    assert dk.kinds(plan).tolist() == ["personal", "personal", "reaction", "action", "personal", "reaction", "personal"]


def test_completeness_by_kind(plan):
    audit = pd.DataFrame({"share_filled": [0.9, 0.5, 0.0], "share_valid": [0.8, pd.NA, pd.NA]},
                         index=["email", "postal_code", "opt_in_sms"])
    measured = cp.measured_completeness(plan, audit)
    table = dk.completeness_by_kind(plan, measured)
    assert table["kind"].tolist() == ["personal", "action", "reaction"]
    # personal: E-mail (90 %), Âge (not linked), Consentement SMS (0 %: absent), Code postal (50 %)
    assert table[["rows", "linked", "measured", "absent"]].values.tolist() == [[4, 3, 2, 1], [1, 0, 0, 0], [2, 0, 0, 0]]
    assert table.loc[0, "mean_filled"] == pytest.approx((0.9 + 0.0 + 0.5) / 3)
    assert math.isnan(table.loc[1, "mean_filled"]) and math.isnan(table.loc[2, "mean_filled"])
    assert table.loc[0, "fields"] == ("E-mail", "Âge des enfants", "Consentement SMS", "Code postal")
    assert table.loc[2, "fields"] == ("Historique d'achats", "Avis clients")


def test_completeness_by_kind_without_the_customer_file(plan):
    table = dk.completeness_by_kind(plan, cp.measured_completeness(plan, None))
    assert table[["rows", "linked", "measured", "absent"]].values.tolist() == [[4, 3, 0, 0], [1, 0, 0, 0], [2, 0, 0, 0]]
    assert table["mean_filled"].isna().all()


def test_every_question_and_the_rows_that_answer_it(plan):
    # the consent record (row 7) answers nothing
    assert dk.question_rows(plan) == {
        "who": [3, 4, 9], "expectations": [8], "habits": [5, 8], "structure": [5, 9], "big_small": [5],
        "potential": [4, 6, 8]}
    table = dk.questions(plan)
    assert table["status"].tolist() == ["answered"] * 6
    assert table.loc[5, "fields"] == ("Âge des enfants", "Envois de newsletters", "Avis clients")
    assert dk.unanswered(table) == []


def test_without_purchase_data_potential_is_partial_and_big_small_unanswered(plan):
    table = dk.questions(plan[plan["row"] != 5])
    assert dict(zip(table["question"], table["status"])) == {
        "who": "answered", "expectations": "answered", "habits": "answered", "structure": "answered",
        "big_small": "unanswered", "potential": "partial"}
    assert dk.unanswered(table) == ["big_small"]
    assert table.loc[4, "rows"] == () and table.loc[4, "fields"] == ()


def test_descriptive_data_alone_leaves_four_questions_unanswered():
    only = make_plan([("Nom", None, None, "socio_demographic", None, None, 3),
                      ("Ville", "city", None, "socio_demographic", None, None, 4)])
    table = dk.questions(only)
    assert dk.unanswered(table) == ["expectations", "habits", "big_small", "potential"]
    assert table.loc[3, "rows"] == (4,)  # the city splits the base


def test_b2b_company_size_answers_large_and_small_and_the_sector_potential():
    plan = make_plan([("Raison sociale", "company", "personal", None, "facturation", None, 3),
                      ("Effectif", None, "personal", None, "segmentation", None, 4),
                      ("Secteur d'activité", None, "personal", None, None, None, 5)])
    assert dk.question_rows(plan, "B2B") == {
        "who": [3, 4, 5], "expectations": [], "habits": [], "structure": [3], "big_small": [4], "potential": [4, 5]}
    # a consumer brand: headcount and sector say nothing of size or potential
    assert dk.question_rows(plan, "B2C")["big_small"] == [] and dk.question_rows(plan, "B2C")["potential"] == []
    assert dict(zip(dk.questions(plan, "B2B")["question"], dk.questions(plan, "B2B")["status"]))["potential"] == "answered"


def test_kind_problems_one_line_per_bad_cell():
    plan = make_plan([
        ("Donnée mystère", None, None, None, None, None, 3),
        ("Factures", None, "personal", "transactional", None, None, 4),
        ("E-mail", "email", "action", None, None, None, 5),
        ("Ouvertures", None, "reaction", "behavioural", None, None, 6),   # fine
        ("Relances", "email", "action", "socio_demographic", None, None, 7),  # two bad cells
    ])
    lines = [str(p) for p in dk.kind_problems(plan, "atelier.xlsx")]
    where = "atelier.xlsx: sheet 'Plan de collecte', row"
    assert lines == [
        f"{where} 3, column 'Nature de la donnée': expected one of 'personnelle', 'action', 'réaction' (or a type), "
        "got an empty cell",
        f"{where} 4, column 'Nature de la donnée': 'personnelle' contradicts the type 'transactionnelle': correct "
        "one of the two",
        f"{where} 5, column 'Champ du fichier': 'email' describes the customer (kind 'personnelle'); expected a field "
        "recording 'action' data, or an empty cell",
        f"{where} 7, column 'Nature de la donnée': 'action' contradicts the type 'socio-démographique': correct one "
        "of the two",
        f"{where} 7, column 'Champ du fichier': 'email' describes the customer (kind 'personnelle'); expected a field "
        "recording 'action' data, or an empty cell",
    ]
    english = [p.where for p in dk.kind_problems(plan.iloc[[0]], "x.xlsx", "en")]
    assert english == ["sheet 'Collection plan', row 3, column 'Kind of data'"]


def test_an_old_plan_has_no_kind_problem(plan):
    assert dk.kind_problems(plan.drop(columns="kind").iloc[[0, 1, 2, 4, 6]], "atelier.xlsx") == []

CELL = st.one_of(st.none(), st.sampled_from(["personal", "action", "reaction", "socio_demographic", "declarative",
                                             "transactional", "behavioural"]), st.text(max_size=12))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=30), CELL, CELL, st.text(max_size=30)), max_size=6))
def test_any_plan_gives_six_questions_and_one_problem_per_row_without_a_kind(rows):
    plan = make_plan([(f, None, k, t, u, None, i) for i, (f, k, t, u) in enumerate(rows, start=3)])
    table = dk.questions(plan)
    assert table["question"].tolist() == list(dk.QUESTIONS)
    assert set(table["status"]) <= set(dk.QUESTION_STATUSES)
    unknown = [int(r) for r, kind in zip(plan["row"], dk.kinds(plan)) if kind is None]
    problems = [p for p in dk.kind_problems(plan, "a.xlsx") if "got an empty cell" in p.message]
    assert [int(p.where.split("row ")[1].split(",")[0]) for p in problems] == unknown
    assert dk.completeness_by_kind(plan, cp.measured_completeness(plan, None))["rows"].sum() == len(plan) - len(unknown)
