"""The programmes' target chart moved to new names and sizes in place (the workshop's
redraw) gives the picture of a chart built for them; a change of shape is refused."""
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from relkit.io.labels import Labels
from relkit.views.charts.plan import targets_chart, update_targets_chart
from relkit.workshop.render import figure_png, live_drawing


def sizes(rows) -> pd.DataFrame:
    """``target_sizes``' columns from (programme, size, reachable, missing fields)."""
    return pd.DataFrame([{"programme": p, "size": s, "reachable": r, "share": None, "missing": m}
                         for p, s, r, m in rows])


BEFORE = sizes([("Bienvenue", 120, 95, []), ("Anniversaire", None, None, ["birth_date"]),
                ("Relance des inactifs", 1_480, 1_210, [])])
# a name retyped (and long enough to wrap), sizes moved, the longest bar changed
AFTER = sizes([("Bienvenue des nouveaux clients de la boutique en ligne", 2_350, 1_900, []),
               ("Anniversaire", None, None, ["birth_date", "email"]), ("Relance des inactifs", 1_480, 600, [])])


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_chart_moved_in_place_is_the_chart_built_anew(lang):
    L = Labels(lang)
    with live_drawing():
        ax = targets_chart(BEFORE, labels=L)
        first = figure_png(ax.figure, box="figure")
        assert update_targets_chart(ax, AFTER, labels=L)
        moved = figure_png(ax.figure, box="figure")
        assert moved == figure_png(targets_chart(AFTER, labels=L).figure, box="figure") != first
        assert update_targets_chart(ax, BEFORE, labels=L)
        assert figure_png(ax.figure, box="figure") == first


@pytest.mark.parametrize("other", [BEFORE.iloc[:2], sizes([("Bienvenue", 120, 95, []), ("Anniversaire", 40, 40, []),
                                                          ("Relance des inactifs", 1_480, 1_210, [])])])
def test_a_programme_more_or_less_or_a_size_becoming_known_needs_a_new_chart(other):
    L = Labels("fr")
    with live_drawing():
        ax = targets_chart(BEFORE, labels=L)
        first = figure_png(ax.figure, box="figure")
        assert not update_targets_chart(ax, other, labels=L)
        assert figure_png(ax.figure, box="figure") == first
