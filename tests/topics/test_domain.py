"""SMART rule, positioning statement and score, readiness score, SWOT counts."""
import pandas as pd
import pytest

from relkit.io.labels import Labels
from relkit.topics.objectives import check_objective, smart_table
from relkit.topics.positioning import score
from relkit.topics.readiness import assess, mix_summary
from relkit.topics.swot import counts, empty_quadrants
from relkit.workbooks.diagnostic import positioning_statement


@pytest.mark.parametrize("text, missing", [
    ("Augmenter les ventes", ("number", "deadline")),  # seed 003: not SMART
    ("augmenter le CA de 30 % dans les 6 mois", ()),  # seed 003: SMART
    ("Increase revenue by 30% within 6 months", ()),
    ("Augmenter les ventes dans les 6 mois", ("number",)),  # the 6 is the deadline, not a target
    ("Augmenter de 30 % dans les 6 mois", ("kpi",)),
    ("Atteindre 200 000 € de chiffre d'affaires d'ici le 31/12/2027", ()),
    ("Récolter 5 000 € pendant la campagne de crowdfunding d'ici fin mars 2027", ()),
    ("Doubler le nombre d'abonnés Instagram avant juin", ()),
    ("Porter le taux d'ouverture de la newsletter à 35 % au T4", ()),
    ("Développer la notoriété en 2027", ("number",)),
    ("Fidéliser les anciens clients", ("number", "deadline")),
    ("Être les meilleurs", ("number", "kpi", "deadline")),
])
def test_smart_rule(text, missing):
    assert check_objective(text).missing == missing


def test_columns_complete_a_short_objective():
    import datetime as dt

    check = check_objective("Fidéliser les anciens clients", kpi="Taux de réachat", target="25 %", deadline=dt.date(2027, 12, 31))
    assert check.is_smart
    assert check_objective("Fidéliser", target="beaucoup").missing == ("number", "kpi", "deadline")


def test_smart_table():
    frame = pd.DataFrame({"objective": ["Augmenter les ventes", "augmenter le CA de 30 % dans les 6 mois"],
                          "kpi": [None, None], "target": [None, None], "deadline": [None, None], "row": [3, 4]})
    table = smart_table(frame)
    assert table["is_smart"].tolist() == [False, True]
    assert table["missing"].tolist() == [["number", "deadline"], []]


PART_NAMES = {"target": "Client cible", "market": "Définition du marché", "promise": "Promesse de marque", "reason": "Raison de croire"}


def test_positioning_statement_follows_the_seed_template():
    parts = pd.DataFrame({"part": ["target", "market", "promise", "reason"],
                          "text": ["les jeunes parents", "marque de vêtements évolutifs", "des vêtements qui grandissent", "fabriquée en France."]})
    text, missing = positioning_statement(parts, "Arnaud & Zoé", Labels("fr"), PART_NAMES)
    assert text == ("Pour les jeunes parents, Arnaud & Zoé est la marque de vêtements évolutifs qui donne des vêtements "
                    "qui grandissent parce que seule Arnaud & Zoé est fabriquée en France.")
    assert missing == []


def test_positioning_statement_shows_missing_parts():
    parts = pd.DataFrame({"part": ["target", "market", "promise", "reason"], "text": ["les parents", None, "x", ""]})
    text, missing = positioning_statement(parts, "B", Labels("fr"), PART_NAMES)
    assert missing == ["market", "reason"]
    assert text == "Pour les parents, B est la [Définition du marché à compléter] qui donne x parce que seule B est [Raison de croire à compléter]."


def test_positioning_score():
    answers = ["yes"] * 6 + ["no"] * 3 + [None]
    sc = score(pd.DataFrame({"number": range(1, 11), "answer": answers}))
    assert (sc.yes, sc.no, sc.unanswered, sc.no_questions, sc.good_start) == (6, 3, (10,), (7, 8, 9), True)
    sc = score(pd.DataFrame({"number": range(1, 11), "answer": ["yes"] * 5 + ["no"] * 5}))
    assert (sc.yes, sc.good_start) == (5, False)


def test_readiness_score_and_levels():
    demo_answers = ["yes", "partly", "yes", "yes", "yes", "yes", "partly", "no", "yes", "partly", "yes", "yes", "no", "partly", "yes"]
    r = assess(pd.DataFrame({"number": range(1, 16), "answer": demo_answers}))
    assert r.points == 11.0 and r.answered == 15 and r.score == 11 / 15
    assert r.level == "partial" and r.weak == (2, 7, 8, 10, 13, 14) and r.commodity is False
    r = assess(pd.DataFrame({"number": [1, 2, 15], "answer": ["yes", "yes", "no"]}))
    assert r.score == 2 / 3 and r.unanswered == tuple(range(3, 15)) and r.commodity is True
    assert assess(pd.DataFrame({"number": [1, 2, 3, 4], "answer": ["yes"] * 3 + ["partly"]})).level == "ready"
    assert assess(pd.DataFrame({"number": [1, 2], "answer": ["no", "partly"]})).level == "low"


def test_mix_summary_has_no_nan():
    out = mix_summary(pd.DataFrame({"p": ["price"], "today": ["39 €"], "direction": [float("nan")]}))
    assert out.to_dict("records") == [
        {"p": "product", "today": "", "direction": ""}, {"p": "price", "today": "39 €", "direction": ""},
        {"p": "promotion", "today": "", "direction": ""}, {"p": "place", "today": "", "direction": ""},
    ]


def test_swot_counts():
    frame = pd.DataFrame({"quadrant": ["strength", "strength", "threat"]})
    assert counts(frame) == {"strength": 2, "weakness": 0, "opportunity": 0, "threat": 1}
    assert empty_quadrants(frame) == ["weakness", "opportunity"]


def test_swot_matrix_draws_on_a_new_page_wide_figure_or_on_the_given_axes():
    import matplotlib.pyplot as plt

    from relkit.views.charts.diagnostic import swot_matrix
    from relkit.views.charts.style import PAGE_WIDTH_IN, to_png

    swot = pd.DataFrame({"quadrant": ["strength", "weakness", "threat"], "item": ["Savoir-faire", "Prix", "Concurrence"],
                         "importance": [3, None, 2], "row": [3, 4, 5]})
    ax = swot_matrix(swot, labels=Labels("fr"))
    assert ax.figure.get_figwidth() == pytest.approx(PAGE_WIDTH_IN)
    assert len(ax.figure.axes) == 1  # the grid; its four quadrants are boxes of the figure, not Axes
    assert {"FORCES", "FAIBLESSES", "OPPORTUNITÉS", "MENACES"} <= {t.get_text() for t in ax.figure.texts}
    assert to_png(ax.figure).startswith(b"\x89PNG")
    fig, given = plt.subplots(figsize=(8, 6))
    assert swot_matrix(swot, labels=Labels("en"), ax=given) is given
    assert len(fig.axes) == 1
    plt.close(fig)



def test_empty_entries_are_not_assessed():
    from relkit.topics import swot
    from relkit.topics.positioning import statement_drafted
    from relkit.topics.readiness import mix_assessed

    sc = score(pd.DataFrame({"number": range(1, 11), "answer": [None] * 10}))
    assert (sc.yes, sc.assessed) == (0, False)
    assert score(pd.DataFrame({"number": [3], "answer": ["no"]})).assessed is True
    r = assess(pd.DataFrame({"number": range(1, 16), "answer": [None] * 15}))
    assert (r.assessed, r.score, r.level, r.answered) == (False, None, None, 0)
    assert assess(pd.DataFrame({"number": [4], "answer": ["no"]})).score == 0.0  # answered "no" is a real 0
    assert swot.assessed(pd.DataFrame({"quadrant": []})) is False
    assert swot.assessed(pd.DataFrame({"quadrant": ["threat"]})) is True
    assert statement_drafted(pd.DataFrame({"part": ["target"], "text": [" "]})) is False
    assert statement_drafted(pd.DataFrame({"part": ["target"], "text": ["les parents"]})) is True
    assert mix_assessed(mix_summary(pd.DataFrame({"p": [], "today": [], "direction": []}))) is False
    assert mix_assessed(mix_summary(pd.DataFrame({"p": ["price"], "today": [None], "direction": ["baisser"]}))) is True
