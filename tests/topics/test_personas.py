"""Personas (relkit.topics.personas): the cells a type cannot check, and each
persona beside its measured segment, on hand-computed values."""
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from relkit.io.atelier import lists
from relkit.io.labels import Labels
from relkit.customers.rfm import SEGMENTS
from relkit.topics import personas as topic

COLUMNS = ["name", "age", "situation", "goals", "frustrations", "channels", "triggers", "objections", "segment", "row"]


def sheet(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, r)) for r in rows], columns=COLUMNS)


# five buyers: 400 € in all
SCORES = pd.DataFrame({"segment": ["loyal", "loyal", "champions", "lost", "new"],
                       "monetary": [100.0, 60.0, 200.0, 20.0, 20.0]},
                      index=pd.Index(["c1", "c2", "c3", "c4", "c5"], name="customer_id"))
CONSENT = pd.DataFrame({"customer_id": ["c1", "c2", "c3", "c4", "c6"],
                        "opt_in_email": [True, False, None, True, True],
                        "opt_in_sms": [False, True, None, None, None]})
PERSONAS = sheet(("Camille", "34", "Maman", None, None, None, None, None, "Fidèles", 3),
                 ("Julie", "30-40", None, None, None, None, None, None, "champions", 4),
                 ("Sophie", None, None, None, None, None, None, None, "À ne pas perdre", 5),
                 ("Colette", "65+", "Grand-mère", None, None, None, None, None, None, 6))


def test_each_persona_beside_its_segment():
    m = topic.measure(topic.personas_from_sheet(PERSONAS), SCORES, CONSENT)
    assert m[0] == topic.SegmentMeasure("Camille", "loyal", topic.MEASURED, customers=2, share=0.4, revenue=160.0,
                                        revenue_share=0.4, revenue_per_customer=80.0, contactable=2,
                                        contactable_share=1.0)  # c1 by e-mail, c2 by SMS
    assert m[1] == topic.SegmentMeasure("Julie", "champions", topic.MEASURED, customers=1, share=0.2, revenue=200.0,
                                        revenue_share=0.5, revenue_per_customer=200.0, contactable=0,
                                        contactable_share=0.0)  # c3's consent unknown: not reachable
    assert m[2] == topic.SegmentMeasure("Sophie", "cant_lose", topic.EMPTY, customers=0, share=0.0, revenue=0.0,
                                        revenue_share=0.0)
    assert m[3] == topic.SegmentMeasure("Colette", None, topic.NO_SEGMENT_DECLARED)
    assert topic.coverage(m) == topic.Coverage(personas=4, measured=2, without_segment=2,
                                               segments_covered=("champions", "loyal"))


def test_without_consent_columns_contactability_is_unknown():
    m = topic.measure(topic.personas_from_sheet(PERSONAS), SCORES, CONSENT[["customer_id"]])
    assert (m[0].customers, m[0].contactable, m[0].contactable_share) == (2, None, None)
    assert topic.measure(topic.personas_from_sheet(PERSONAS), SCORES, None)[1].contactable is None


def test_without_purchase_history_nothing_is_measured():
    m = topic.measure(topic.personas_from_sheet(PERSONAS), None, CONSENT)
    assert [x.status for x in m] == [topic.NOT_MEASURED] * 3 + [topic.NO_SEGMENT_DECLARED]
    assert all(x.customers is None for x in m)
    c = topic.coverage(m)
    assert (c.personas, c.measured, c.without_segment, c.segments_covered) == (4, 0, 1, ())


def test_personas_read_from_the_sheet():
    p = topic.personas_from_sheet(PERSONAS)
    assert [(x.name, x.age, x.segment, x.row) for x in p] == [
        ("Camille", (34, 34), "loyal", 3), ("Julie", (30, 40), "champions", 4), ("Sophie", None, "cant_lose", 5),
        ("Colette", (65, None), None, 6)]
    assert p[0].situation == "Maman" and p[0].goals is None
    assert topic.personas_from_sheet(None) == () and topic.personas_from_sheet(sheet()) == ()


@pytest.mark.parametrize("text, expected", [
    ("34", (34, 34)), (34, (34, 34)), (34.0, (34, 34)), ("35 ans", (35, 35)), ("30-40", (30, 40)),
    ("30 à 40 ans", (30, 40)), ("30–40", (30, 40)), ("65+", (65, None)), ("65 ans et plus", (65, None)),
    ("65 ans et +", (65, None)), ("60 years and over", (60, None)), ("", None), (None, None)])
def test_ages(text, expected):
    assert topic.parse_age(text) == expected


@pytest.mark.parametrize("text, message", [
    ("trente", "expected an age ('34', '30-40' or '65+'), got 'trente'"),
    ("130", "expected an age from 0 to 120, got '130'"),
    ("40-30", "expected the younger age first ('30-40'), got '40-30'"),
    (34.5, "expected an age in whole years ('34', '30-40' or '65+'), got 34.5")])
def test_impossible_ages(text, message):
    with pytest.raises(ValueError) as err:
        topic.parse_age(text)
    assert str(err.value) == message


@given(st.integers(0, 120), st.integers(0, 120))
def test_any_range_in_order_reads_back(a, b):
    low, high = sorted((a, b))
    assert topic.parse_age(f"{low}-{high}") == (low, high)
    assert topic.parse_age(f"{low} ans et plus") == (low, None)


@given(st.text(max_size=12))
def test_any_text_is_an_age_or_one_error(text):
    try:
        topic.parse_age(text)
    except ValueError as exc:
        assert str(exc).startswith("expected")


def test_segment_spellings():
    assert [topic.segment_code(v) for v in ("Fidèles", "LOYAL", "loyal", "Can't lose them", "a ne pas perdre")] == [
        "loyal", "loyal", "loyal", "cant_lose", "cant_lose"]
    assert [topic.segment_code(v) for v in (None, "", "aucun", "None", "-")] == [None] * 5


def test_the_segment_list_is_the_customer_file_s():
    items = lists()["rfm_segment"]
    assert tuple(i["code"] for i in items) == SEGMENTS
    for lang in ("fr", "en"):
        assert [i[lang] for i in items] == [Labels(lang)(f"segment.{code}") for code in SEGMENTS]


def test_problems_one_line_per_bad_cell():
    frame = sheet(("Camille", "34", None, None, None, None, None, None, "Fidèles", 3),
                  ("Colette", "130", None, None, None, None, None, None, "Grands-parents", 7))
    problems = topic.problems(frame, "atelier.xlsx", "fr")
    assert [str(p) for p in problems] == [
        "atelier.xlsx: sheet 'Personas', row 7, column 'Âge': expected an age from 0 to 120, got '130'",
        "atelier.xlsx: sheet 'Personas', row 7, column 'Segment lié': expected a segment of the customer file "
        "('Champions', 'Fidèles', 'Fidèles potentiels', 'Nouveaux clients', 'Prometteurs', 'À surveiller', "
        "'Sur le point de s'endormir', 'À risque', 'À ne pas perdre', 'En hibernation', 'Perdus') or an empty cell "
        "for a target not in the file yet, got 'Grands-parents'"]
    assert topic.problems(frame, "x.xlsx", "en")[1].where == "sheet 'Personas', row 7, column 'Linked segment'"
    assert topic.problems(None, "x.xlsx") == [] and topic.problems(sheet(), "x.xlsx") == []
