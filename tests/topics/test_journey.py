"""Customer journey map (relkit.topics.journey, relkit.views.charts.journey): hand-made
journeys with every expected figure worked out by hand."""
import math

import pandas as pd
import pytest

from relkit.topics import journey as jr
from relkit.views.charts.style import to_png
from relkit.views.charts.journey import emotion_chart, matrix_chart

STAGES = [("aware", "Découverte"), ("consider", "Considération"), ("buy", "Achat"), ("use", "Usage"),
          ("loyal", "Fidélité")]
CHANNELS = [("web", "Site web"), ("store", "Magasin"), ("phone", "Téléphone"), ("email", "E-mail")]
COLUMNS = ["stage", "channel", "touchpoint", "description", "version", "qualification", "importance", "emotion",
           "owner", "programme", "collection_point", "row"]


def tp(row, stage, channel, touchpoint, qualification, importance, emotion, version="current", programme=None,
       collection_point=None):
    return {"stage": stage, "channel": channel, "touchpoint": touchpoint, "description": None, "version": version,
            "qualification": qualification, "importance": importance, "emotion": emotion, "owner": None,
            "programme": programme, "collection_point": collection_point, "row": row}


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


CURRENT = [
    tp(2, "aware", "web", "Fiche produit", "satisfaction", 3, 1, programme="Digital", collection_point=False),
    tp(3, "consider", "web", "Comparateur", "irritant", 4, -1, programme="Digital", collection_point=True),
    tp(4, "buy", "store", "Passage en caisse", "breaking_point", 2, -2),
    tp(5, "buy", "web", "Paiement en ligne", "irritant", 4, -1, programme="Digital"),
    tp(6, "use", "phone", "Service client", "breaking_point", 5, -2, programme="Service", collection_point=True),
    tp(7, "buy", "store", "Conseil vendeur", "delight", 5, 2, programme="Magasin"),
    tp(8, "consider", "store", "Essai en boutique", "irritant", 2, 0, programme="  "),
    tp(9, "use", "web", "Suivi de commande", "irritant", 2, -1, programme="Digital"),
]
TARGET = [
    tp(12, "aware", "web", "fiche  PRODUIT", "satisfaction", 3, 1, "target"),
    tp(13, "consider", "web", "Comparateur", "satisfaction", 4, 1, "target"),
    tp(14, "buy", "web", "paiement en ligne", "irritant", 4, -1, "target"),
    tp(15, "use", "phone", "Service client", "irritant", 5, -1, "target"),
    tp(16, "buy", "store", "Conseil vendeur", "satisfaction", 5, 1, "target"),
    tp(17, "loyal", "email", "Programme de fidélité", "delight", 4, 2, "target"),
    tp(18, "use", "web", "Suivi de commande", "delight", 2, 1, "target"),
]


@pytest.fixture
def journey() -> pd.DataFrame:
    return frame(CURRENT + TARGET)


# ------------------------------------------------------------------ what weighs most
def test_moments_of_truth_are_importance_4_and_up_most_important_first(journey):
    assert list(jr.moments_of_truth(journey)["row"]) == [6, 7, 3, 5]
    assert list(jr.moments_of_truth(journey, "target")["row"]) == [15, 16, 13, 14, 17]


def test_pain_points_rank_by_score_then_importance_then_file_order(journey):
    pains = jr.pain_points(journey)
    # 6: 5×2=10; 3 and 5: 4×1=4, tie on importance -> file order; 4: 2×2=4 but importance 2; 8, 9: 2×1=2.
    assert list(pains["row"]) == [6, 3, 5, 4, 8, 9]
    assert list(pains["score"]) == [10, 4, 4, 4, 2, 2]
    assert list(pains["severity"]) == [2, 1, 1, 2, 1, 1]
    assert list(pains["rank"]) == [1, 2, 3, 4, 5, 6]
    assert list(jr.pain_points(journey, "target")["row"]) == [15, 14]


def test_unknown_version_is_refused(journey):
    with pytest.raises(ValueError, match="version"):
        jr.pain_points(journey, "future")


def test_improvement_zones_rank_stages_that_hurt_most_first(journey):
    zones = jr.improvement_zones(journey, STAGES)
    assert list(zones["stage"]) == ["use", "buy", "consider", "aware", "loyal"]
    assert list(zones["label"]) == ["Usage", "Achat", "Considération", "Découverte", "Fidélité"]
    assert list(zones["pain_points"]) == [2, 2, 2, 0, 0]
    assert list(zones["pain_score"]) == [12, 8, 6, 0, 0]
    assert list(zones["touchpoints"]) == [2, 3, 2, 1, 0]
    assert zones["mean_emotion"].iloc[:4].tolist() == pytest.approx([-1.5, -1 / 3, -0.5, 1.0])
    assert math.isnan(zones["mean_emotion"].iloc[4])
    assert list(zones["rank"]) == [1, 2, 3, 4, 5]


def test_improvement_zone_ties_go_to_lowest_emotion_then_journey_order():
    tied = frame([
        tp(2, "aware", "web", "A", "irritant", 3, 0),
        tp(3, "consider", "web", "B", "irritant", 3, -2),  # same score and count, sadder
        tp(4, "buy", "web", "C", "irritant", 3, 0),  # full tie with aware
    ])
    assert list(jr.improvement_zones(tied, STAGES[:3])["stage"]) == ["consider", "aware", "buy"]


def test_emotion_curve_has_every_stage_per_version_with_gaps(journey):
    curve = jr.emotion_curve(journey, STAGES)
    assert list(curve.columns) == ["stage", "label", "version", "mean", "min", "max", "n"]
    assert list(curve["version"]) == ["current"] * 5 + ["target"] * 5
    assert list(curve["stage"]) == [k for k, _ in STAGES] * 2
    cur, tgt = curve.iloc[:5], curve.iloc[5:]
    assert cur["mean"].iloc[:4].tolist() == pytest.approx([1.0, -0.5, -1 / 3, -1.5])
    assert cur["min"].iloc[:4].tolist() == [1, -1, -2, -2]
    assert cur["max"].iloc[:4].tolist() == [1, 0, 2, -1]
    assert list(cur["n"]) == [1, 2, 3, 2, 0]
    assert cur.iloc[4][["mean", "min", "max"]].isna().all()
    assert tgt["mean"].tolist() == pytest.approx([1.0, 1.0, 0.0, 0.0, 2.0])
    assert list(tgt["n"]) == [1, 1, 2, 2, 1]


def test_coverage_finds_empty_stages_unused_and_single_stage_channels(journey):
    cov = jr.coverage(journey, STAGES, CHANNELS)
    assert cov.empty_stages == ["loyal"]
    assert cov.unused_channels == ["email"]
    assert cov.single_stage_channels == [("phone", "use")]
    target = jr.coverage(journey, STAGES, CHANNELS, "target")
    assert target.empty_stages == []
    assert target.unused_channels == []
    assert target.single_stage_channels == [("store", "buy"), ("phone", "use"), ("email", "loyal")]


# ------------------------------------------------------------------ current -> target
def test_differences_added_removed_requalified(journey):
    diff = jr.differences(journey)
    assert list(diff.added["touchpoint"]) == ["Programme de fidélité"]
    assert list(diff.added["row"]) == [17]
    # "fiche  PRODUIT" and "paiement en ligne" match despite case and spacing.
    assert list(diff.removed["touchpoint"]) == ["Passage en caisse", "Essai en boutique"]
    assert list(diff.removed["row"]) == [4, 8]
    req = diff.requalified
    assert list(req["touchpoint"]) == ["Comparateur", "Service client", "Conseil vendeur", "Suivi de commande"]
    assert list(req["from"]) == ["irritant", "breaking_point", "delight", "irritant"]
    assert list(req["to"]) == ["satisfaction", "irritant", "satisfaction", "delight"]
    assert list(req["improved"]) == [True, True, False, True]
    assert list(req["from_emotion"]) == [-1, -2, 2, -1]
    assert list(req["to_emotion"]) == [1, -1, 1, 1]
    assert list(req["row_current"]) == [3, 6, 7, 9]
    assert list(req["row_target"]) == [13, 15, 16, 18]


def test_differences_with_no_target_removes_everything(journey):
    diff = jr.differences(journey[journey["version"] == "current"])
    assert len(diff.added) == 0 and len(diff.requalified) == 0
    assert list(diff.removed["row"]) == [2, 3, 4, 5, 6, 7, 8, 9]


# ------------------------------------------------------------------ zoom levels
def test_by_stage_is_the_whole_journey_in_stage_order(journey):
    stages = jr.by_stage(journey, STAGES)
    assert list(stages["stage"]) == ["aware", "consider", "buy", "use", "loyal"]
    assert list(stages["touchpoints"]) == [1, 2, 3, 2, 0]
    assert stages["mean_importance"].iloc[:4].tolist() == pytest.approx([3.0, 3.0, 11 / 3, 3.5])
    assert stages["mean_emotion"].iloc[:4].tolist() == pytest.approx([1.0, -0.5, -1 / 3, -1.5])
    # buy: one each of breaking point, irritant, delight -> the tie goes to the worst.
    assert list(stages["dominant_qualification"].iloc[:4]) == ["satisfaction", "irritant", "breaking_point",
                                                               "breaking_point"]
    assert pd.isna(stages["dominant_qualification"].iloc[4])
    assert list(stages["pain_points"]) == [0, 2, 2, 2, 0]
    assert pd.isna(stages["mean_importance"].iloc[4]) and pd.isna(stages["mean_emotion"].iloc[4])


def test_by_programme_groups_orphans_under_none_last(journey):
    progs = jr.by_programme(journey)
    assert list(progs["programme"]) == ["Digital", "Magasin", "Service", jr.NO_PROGRAMME]
    assert list(progs["touchpoints"]) == [4, 1, 1, 2]
    assert list(progs["stages"]) == [4, 1, 1, 2]
    assert list(progs["stage_keys"]) == [["aware", "consider", "buy", "use"], ["buy"], ["use"], ["buy", "consider"]]
    assert list(progs["pain_points"]) == [3, 0, 1, 2]
    assert list(progs["collection_points"]) == [1, 0, 1, 0]
    assert list(jr.by_programme(journey, "target")["programme"]) == [jr.NO_PROGRAMME]


def test_detail_lists_every_touchpoint_in_stage_then_channel_order(journey):
    rows = jr.detail(journey, STAGES, CHANNELS)
    assert list(rows["row"]) == [2, 3, 8, 5, 4, 7, 9, 6]
    assert list(rows["moment_of_truth"]) == [False, True, False, True, False, True, False, True]
    assert list(rows["pain_score"]) == [0, 4, 2, 4, 4, 0, 2, 10]


def test_matrix_has_one_cell_per_used_intersection(journey):
    cells = jr.matrix(journey, STAGES, CHANNELS)
    assert list(zip(cells["stage"], cells["channel"])) == [
        ("aware", "web"), ("consider", "web"), ("consider", "store"), ("buy", "web"), ("buy", "store"),
        ("use", "web"), ("use", "phone")]
    buy_store = cells.iloc[4]
    assert buy_store["touchpoints"] == ["Passage en caisse", "Conseil vendeur"]
    assert buy_store["qualifications"] == ["breaking_point", "delight"]
    assert buy_store["worst"] == "breaking_point"
    assert buy_store["count"] == 2
    assert buy_store["collection"] == [False, False] and not buy_store["collection_point"]
    assert list(cells["collection_point"]) == [False, True, False, False, False, False, True]
    assert list(cells["count"]) == [1, 1, 1, 1, 2, 1, 1]


def test_matrix_of_an_empty_version_has_no_cells(journey):
    cells = jr.matrix(journey[journey["version"] == "current"], STAGES, CHANNELS, "target")
    assert len(cells) == 0 and "touchpoints" in cells.columns


# ------------------------------------------------------------------ charts
QUAL_NAMES = {"delight": "Enchantement", "satisfaction": "Satisfaction", "irritant": "Irritant",
              "breaking_point": "Point de rupture"}
VERSION_NAMES = {"current": "Parcours actuel", "target": "Parcours cible"}


def twenty_touchpoints() -> pd.DataFrame:
    quals = ["delight", "satisfaction", "irritant", "breaking_point"]
    rows = []
    for i in range(20):
        stage, channel = STAGES[i % 4][0], CHANNELS[i % 3][0]  # "loyal" and "email" stay empty
        name = f"Point de contact n° {i + 1} avec un libellé assez long pour déborder"
        rows.append(tp(i + 2, stage, channel, name, quals[i % 4], 1 + i % 5, (i % 5) - 2,
                       programme=f"P{i % 3}", collection_point=i % 6 == 0))
        rows.append(tp(i + 40, stage, channel, f"Cible {i + 1}", quals[(i + 1) % 2], 1 + i % 5, 1, "target"))
    return frame(rows)


def test_charts_render_for_twenty_touchpoints_and_empty_stages():
    journey = twenty_touchpoints()
    cells = jr.matrix(journey, STAGES, CHANNELS)
    assert cells["count"].sum() == 20
    fig = matrix_chart(cells, stages=STAGES, channels=CHANNELS, names_qualification=QUAL_NAMES,
                       title="Carte du parcours client actuel", takeaway="3 points de rupture, tous avant l'achat",
                       collection_label="Point de collecte").figure
    assert fig.get_figwidth() == pytest.approx(7.0)
    assert to_png(fig).startswith(b"\x89PNG")
    curve = jr.emotion_curve(journey, STAGES)
    assert to_png(emotion_chart(curve, stages=STAGES, version_names=VERSION_NAMES, title="Courbe des émotions",
                                takeaway="La cible remonte l'usage").figure).startswith(b"\x89PNG")


def test_charts_render_with_an_empty_map():
    empty = frame([])
    cells = jr.matrix(empty, STAGES, CHANNELS)
    assert to_png(matrix_chart(cells, stages=STAGES, channels=CHANNELS, names_qualification=QUAL_NAMES, title="Carte",
                               takeaway="Rien encore", collection_label="Collecte").figure).startswith(b"\x89PNG")
    assert to_png(emotion_chart(jr.emotion_curve(empty, STAGES), stages=STAGES, version_names=VERSION_NAMES,
                                title="Émotions", takeaway="Rien").figure).startswith(b"\x89PNG")


def test_charts_draw_on_the_axes_they_are_given():
    import matplotlib.pyplot as plt

    journey = twenty_touchpoints()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 6))
    drawn = matrix_chart(jr.matrix(journey, STAGES, CHANNELS), stages=STAGES, channels=CHANNELS,
                         names_qualification=QUAL_NAMES, title="Carte", takeaway="", collection_label="Collecte",
                         ax=left)
    assert drawn is left and left.get_legend() is not None
    assert emotion_chart(jr.emotion_curve(journey, STAGES), stages=STAGES, version_names=VERSION_NAMES,
                         title="Émotions", takeaway="", ax=right) is right
    assert [line.get_label() for line in right.get_lines()][:2] == list(VERSION_NAMES.values())
    assert to_png(fig).startswith(b"\x89PNG")


def test_an_empty_journey_gives_empty_tables_not_errors():
    empty = frame([])
    assert len(jr.pain_points(empty)) == len(jr.moments_of_truth(empty)) == len(jr.by_programme(empty)) == 0
    assert list(jr.by_stage(empty, STAGES)["touchpoints"]) == [0] * 5
    assert list(jr.improvement_zones(empty, STAGES)["stage"]) == [k for k, _ in STAGES]
    assert jr.coverage(empty, STAGES, CHANNELS).unused_channels == [k for k, _ in CHANNELS]
    assert len(jr.detail(empty, STAGES, CHANNELS)) == len(jr.differences(empty).requalified) == 0
