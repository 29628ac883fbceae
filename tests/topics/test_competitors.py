"""Competitors (seed 001 "Comprendre votre concurrence"): the entries, the map's
axes, where the client stands, the channels it shares; hand-computed values."""

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from relkit.io.problems import Problem
from relkit.topics import competitors as c

COLS = ["name", "own", "positioning", "offer", "price_level", "perceived_value", "strengths", "weaknesses", "channels",
        "x_score", "y_score", "row"]


def _sheet(rows):
    """Rows as the workshop reader gives them: (name, own, channels, x, y)."""
    return pd.DataFrame([{"name": n, "own": o, "positioning": None, "offer": None, "price_level": None,
                          "perceived_value": None, "strengths": None, "weaknesses": None, "channels": ch,
                          "x_score": x, "y_score": y, "row": i}
                         for i, (n, o, ch, x, y) in enumerate(rows, start=3)], columns=COLS)


SHEET = _sheet([
    ("Kidikado", False, "Boutique en ligne, Instagram/Pinterest", 4.0, 4.5),
    ("MiniMode", None, "Magasins et boutique en ligne", 1.0, 1.0),
    ("Nous", True, "Boutique en ligne ; Etsy ; marchés", 3.5, 5.0),
    ("Sans note", False, None, None, None),
])


def test_table_puts_the_client_first_and_keeps_the_sheet_order():
    t = c.table(SHEET, brand="Arnaud & Zoé")
    assert list(t["name"]) == ["Nous", "Kidikado", "MiniMode", "Sans note"]
    assert list(t["own"]) == [True, False, False, False]
    assert t["x"].iloc[3] != t["x"].iloc[3]  # NaN: not scored


def test_without_a_marked_row_the_row_named_like_the_brand_is_the_client():
    sheet = _sheet([("Kidikado", None, None, 4, 4), ("arnaud & zoe ", None, None, 2, 2)])
    assert list(c.table(sheet, brand="Arnaud & Zoé")["own"]) == [True, False]


def test_empty_or_absent_sheet_is_not_assessed():
    empty = c.table(pd.DataFrame(columns=COLS), brand="X")
    land = c.landscape(empty)
    assert empty.empty and land == c.Landscape(0, 0, None, None, None, ())
    assert not land.assessed and land.stands_apart is None
    assert c.table(None, brand="X").empty


def test_landscape_nearest_competitor_by_distance_on_the_map():
    land = c.landscape(c.table(SHEET, brand="X"))
    # Kidikado: hypot(0.5, 0.5) = 0.7071; MiniMode: hypot(2.5, 4) = 4.7170; "Sans note" is not placed
    assert land == c.Landscape(competitors=3, placed=2, client=(3.5, 5.0), nearest="Kidikado",
                               distance=0.7071, close=("Kidikado",))
    assert land.stands_apart is False


def test_client_apart_when_no_competitor_within_one_point():
    sheet = _sheet([("A", False, None, 1, 1), ("B", False, None, 4, 4), ("Nous", True, None, 5, 5)])
    land = c.landscape(c.table(sheet, brand="X"))
    # B: hypot(1, 1) = 1.4142 > 1
    assert (land.nearest, land.distance, land.close, land.stands_apart) == ("B", 1.4142, (), True)


def test_exactly_one_point_away_counts_as_close():
    sheet = _sheet([("A", False, None, 4, 5), ("B", False, None, 5, 4), ("Nous", True, None, 5, 5)])
    land = c.landscape(c.table(sheet, brand="X"))
    assert (land.nearest, land.distance, land.close) == ("A", 1.0, ("A", "B"))


def test_client_not_scored_or_no_competitor_scored():
    no_client = c.landscape(c.table(_sheet([("A", False, None, 1, 1), ("Nous", True, None, None, None)]), brand="X"))
    assert no_client == c.Landscape(1, 1, None, None, None, ())
    assert no_client.stands_apart is None
    alone = c.landscape(c.table(_sheet([("A", False, None, None, None), ("Nous", True, None, 2, 3)]), brand="X"))
    assert alone == c.Landscape(1, 0, (2.0, 3.0), None, None, ())


def test_map_points_keep_the_entries_scored_on_both_axes():
    points = c.map_points(c.table(SHEET, brand="X"))
    assert points.to_dict("records") == [
        {"name": "Nous", "x": 3.5, "y": 5.0, "own": True},
        {"name": "Kidikado", "x": 4.0, "y": 4.5, "own": False},
        {"name": "MiniMode", "x": 1.0, "y": 1.0, "own": False},
    ]


@pytest.mark.parametrize("text, expected", [
    ("Etsy, Instagram/Facebook et marchés", ["Etsy", "Instagram", "Facebook", "marchés"]),
    ("Shop ; newsletter + SMS and store", ["Shop", "newsletter", "SMS", "store"]),
    ("Etsy", ["Etsy"]),
    (None, []),
    ("  ", []),
])
def test_channel_list(text, expected):
    assert c.channel_list(text) == expected


def test_shared_channels_count_the_competitors_on_each_client_channel():
    shared = c.shared_channels(c.table(SHEET, brand="X"))
    assert shared.to_dict("records") == [
        {"channel": "Boutique en ligne", "competitors": 2, "names": ("Kidikado", "MiniMode")},
        {"channel": "Etsy", "competitors": 0, "names": ()},
        {"channel": "marchés", "competitors": 0, "names": ()},
    ]
    assert c.shared_channels(c.table(_sheet([("A", False, "Etsy", None, None)]), brand="X")).empty


def test_axes_as_named_in_the_sheet():
    frame = pd.DataFrame([{"axis": "x", "criterion": "Prix", "low": "petits prix", "high": None, "row": 3},
                          {"axis": "y", "criterion": None, "low": None, "high": None, "row": 4}])
    assert c.axes(frame) == c.Axes(x=c.Axis("Prix", "petits prix", None), y=c.Axis())
    assert c.axes(None) == c.Axes()


def test_question_answers_about_competitors():
    q = pd.DataFrame({"number": range(1, 11), "answer": ["yes", "no", None, None, None, None, None, None, None, "no"]})
    assert c.question_answers(q) == {1: "yes", 9: None}
    assert c.question_answers(None) == {1: None, 9: None}


def _frames(rows, axes_rows=(("x", "Prix"), ("y", "Spécialisation"))):
    axes = pd.DataFrame([{"axis": a, "criterion": n, "low": None, "high": None, "row": i}
                         for i, (a, n) in enumerate(axes_rows, start=3)], columns=["axis", "criterion", "low", "high", "row"])
    return {"competitors": _sheet(rows), "competitor_axes": axes}


def test_problems_two_own_rows_and_a_score_on_one_axis_only():
    frames = _frames([("A", True, None, 2, 2), ("B", True, None, None, 3), ("C", False, None, 4, None)])
    assert c.problems(frames, "fr", "atelier.xlsx") == [
        Problem("atelier.xlsx", "sheet 'Concurrents', row 4, column 'Notre marque'",
                "only one row may be your own brand (already row 3); expected 'non' here"),
        Problem("atelier.xlsx", "sheet 'Concurrents', row 4, column 'Note axe horizontal (1 à 5)'",
                "expected a score from 1 to 5 here too (the row has a 'Note axe vertical (1 à 5)'), "
                "or neither: a competitor is placed on the map by both scores"),
        Problem("atelier.xlsx", "sheet 'Concurrents', row 5, column 'Note axe vertical (1 à 5)'",
                "expected a score from 1 to 5 here too (the row has a 'Note axe horizontal (1 à 5)'), "
                "or neither: a competitor is placed on the map by both scores"),
    ]


def test_problems_scores_on_an_axis_without_criterion_in_english():
    frames = _frames([("A", None, None, 2, 2)], axes_rows=(("x", None), ("y", "Price")))
    assert [str(p) for p in c.problems(frames, "en", "w.xlsx")] == [
        "w.xlsx: sheet 'Competitor map', row 3, column 'Criterion': expected the criterion of the horizontal axis "
        "(e.g. 'Prix'): the competitors are scored on it in sheet 'Competitors'"]
    frames["competitor_axes"] = frames["competitor_axes"].iloc[0:0]
    assert [p.where for p in c.problems(frames, "en", "w.xlsx")] == ["sheet 'Competitor map'", "sheet 'Competitor map'"]


def test_no_problem_without_rows_or_scores():
    assert c.problems({}, "fr", "f") == []
    assert c.problems(_frames([("A", None, None, None, None)], axes_rows=()), "fr", "f") == []


_WORD = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=8).filter(
    lambda w: w.lower() not in ("et", "and"))


@given(st.lists(_WORD, min_size=1, max_size=6), st.lists(st.sampled_from([",", " ; ", "/", " et ", " + ", " and "]),
                                                        min_size=5, max_size=5))
def test_channel_list_gives_back_every_name_between_separators(words, seps):
    text = words[0] + "".join(sep + w for sep, w in zip(seps, words[1:]))
    assert c.channel_list(text) == words
