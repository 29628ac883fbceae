"""The collection plan by kind of data (relkit.views.charts.data_kinds): a tidy frame in, Axes out,
its title, takeaway, counts and notes drawn as given."""
import matplotlib.pyplot as plt
import pandas as pd

from relkit.views.charts.data_kinds import kinds_chart
from relkit.views.charts.style import PAGE_WIDTH_IN

DATA = pd.DataFrame({"kind": ["personal", "personal", "reaction"], "status": ["measured", "not_linked", "not_linked"],
                     "rows": [4, 3, 2]})
KINDS = [("personal", "Personnelles"), ("action", "Actions"), ("reaction", "Réactions")]
NOTES = {"personal": "4 mesurées", "action": "aucune donnée prévue", "reaction": "2 hors fichier clients"}


def test_a_bar_per_kind_with_its_counts_and_notes():
    ax = kinds_chart(DATA, kinds=KINDS, notes=NOTES, title="Données prévues", takeaway="Aucune donnée d'action.")
    fig = ax.figure
    assert fig.get_figwidth() == PAGE_WIDTH_IN
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["4", "3", "4 mesurées", "aucune donnée prévue", "2", "2 hors fichier clients",
                     "Aucune donnée d'action."]
    assert ax.get_title(loc="left").strip() == "Données prévues"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Personnelles", "Actions", "Réactions"]
    assert len(ax.patches) == 3 and ax.get_legend() is None  # the notes say what the colours are
    assert ax.get_xlim()[1] == 7 / 0.35  # the longest bar takes 35 % of the width
    plt.close(fig)


def test_drawn_on_the_callers_axes():
    fig, ax = plt.subplots()
    assert kinds_chart(DATA.iloc[0:0], kinds=KINDS, notes={}, title="t", takeaway="k", ax=ax) is ax
    assert len(ax.patches) == 0 and [t.get_text() for t in ax.texts] == ["", "", "", "k"]
    plt.close(fig)
