"""The key dates on the retro-planning: lanes that keep names apart, the band's height, and
the chart unchanged without key dates."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from relkit.io.labels import Labels  # noqa: E402
from relkit.topics.action_plan import Action  # noqa: E402
from relkit.views.charts.retro import KEY_DATE_LANE_H, _key_date_lanes, retro_chart  # noqa: E402

LEFT, COL_W = 2.35, (7.0 - 2.35 - 0.08) / 12
FRAME = pd.DataFrame([
    {"event": "Janvier", "stance": "avoid", "x0": 0.0, "x1": 1.0},
    {"event": "Février", "stance": "planned", "x0": 1.0, "x1": 2.0},
    {"event": "Noël", "stance": "info", "x0": 11.5, "x1": 12.0},
])
ACTIONS = [Action("Facebook Ads", "online_ads", months=(7, 8, 9)), Action("Newsletter", "emailing_crm", months=(1, 2))]


def test_lanes_keep_names_apart_and_flip_at_the_right_edge():
    lanes = _key_date_lanes(FRAME, LEFT, COL_W, 7.0 - 0.08)
    # 'Janvier' ends at 2.35 + 7 × 6.5 × 0.56 / 72 + 0.06 = 2.764 in: 'Février' (from 2.731 in) takes a second lane;
    # 'Noël' (6.730 in) has no room for its name on the right (6.730 + 0.262 > 6.92): it ends at the bar's end, lane 0
    assert [(lane, event, flip) for lane, _, _, event, _, flip in lanes] == [
        (0, "Janvier", False), (1, "Février", False), (0, "Noël", True)]
    assert lanes[0][1:3] == pytest.approx((2.35, 2.35 + COL_W))


def test_key_dates_add_a_band_above_the_grid():
    L = Labels("fr")
    plain = retro_chart(ACTIONS, labels=L)
    banded = retro_chart(ACTIONS, labels=L, key_dates=FRAME)
    grow = banded.figure.get_size_inches()[1] - plain.figure.get_size_inches()[1]
    assert grow == pytest.approx(0.08 + KEY_DATE_LANE_H * 2)  # two lanes
    texts = [t.get_text() for t in banded.texts]
    assert {"Temps forts", "Janvier", "Février", "Noël", "■ à prévoir", "■ à éviter", "■ à connaître"} <= set(texts)
    assert "Temps forts" not in [t.get_text() for t in plain.texts]
    empty = retro_chart(ACTIONS, labels=L, key_dates=FRAME.iloc[0:0])
    assert empty.figure.get_size_inches()[1] == pytest.approx(plain.figure.get_size_inches()[1])
    plt.close("all")


def test_a_long_name_is_cut_to_fit_left_of_a_december_date():
    frame = pd.DataFrame([{"event": "Salon international de la papeterie et des fournitures de bureau", "stance": "info",
                           "x0": 11.9, "x1": 12.0}])
    (lane, x0, x1, event, stance, flip), = _key_date_lanes(frame, LEFT, COL_W, 7.0 - 0.08)
    assert event == "Salon international de la papeterie…" and len(event) == 36 and flip
    assert x1 - len(event) * 6.5 * 0.56 / 72 - 0.06 > LEFT  # the name starts inside the months


# --------------------------------------------------------- moved in place (the workshop's redraw)
def _png(ax) -> bytes:
    from relkit.workshop.render import figure_png

    return figure_png(ax.figure, dpi=120, box="figure")


def test_new_names_and_months_in_place_give_the_chart_built_anew():
    from relkit.views.charts.retro import update_retro_chart
    from relkit.workshop.render import live_drawing

    L = Labels("fr")
    takeaway = "2 actions planifiées ; mois le plus chargé : juillet (1 en cours)."
    renamed = [Action("Publicités Facebook et Instagram pour la rentrée des classes", "online_ads",
                      months=(7, 8, 9, 10)), Action("Newsletter", "emailing_crm", months=(3,))]
    with live_drawing():
        ax = retro_chart(ACTIONS, labels=L, takeaway=takeaway, key_dates=FRAME)
        first = _png(ax)
        other = "2 actions planifiées ; mois le plus chargé : juillet (1 en cours) ; 1 toute l'année."
        assert update_retro_chart(ax, renamed, labels=L, takeaway=other, key_dates=FRAME)
        moved = _png(ax)
        assert moved == _png(retro_chart(renamed, labels=L, takeaway=other, key_dates=FRAME)) != first
        assert update_retro_chart(ax, ACTIONS, labels=L, takeaway=takeaway, key_dates=FRAME)
        assert _png(ax) == first
    plt.close("all")


@pytest.mark.parametrize("change", ["category", "added", "key_dates", "takeaway_lines"])
def test_anything_else_moved_needs_a_new_chart(change):
    from relkit.views.charts.retro import update_retro_chart
    from relkit.workshop.render import live_drawing

    L = Labels("fr")
    actions, frame, takeaway = list(ACTIONS), FRAME, "Une ligne."
    if change == "category":
        actions[0] = Action("Facebook Ads", "community", months=(7, 8, 9))
    elif change == "added":
        actions.append(Action("Salon", "events", months=(5,)))
    elif change == "key_dates":
        frame = FRAME.iloc[:2]
    else:
        takeaway = "Une ligne. " * 20  # wraps: the grid moves down
    with live_drawing():
        ax = retro_chart(ACTIONS, labels=L, takeaway="Une ligne.", key_dates=FRAME)
        first = _png(ax)
        assert not update_retro_chart(ax, actions, labels=L, takeaway=takeaway, key_dates=frame)
        assert _png(ax) == first
    plt.close("all")
