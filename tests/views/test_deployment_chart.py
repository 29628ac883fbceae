"""The data-flow diagram's layout: the hub in the middle, the other tools on an
ellipse in ring order (sales channels from the left), arrows that would cross the
middle box bent away from it; a chart of tidy frames with its own words."""
import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from relkit.views.charts.deployment import AREA_H, BOX_H, _bend, flow_diagram, hub, positions

LEGEND = {"automatic": "auto", "manual": "manuel", "new": "nouveau", "kept": "conservé", "current": "actuel"}


def _nodes(rows):
    return pd.DataFrame(rows, columns=["tool", "role", "status", "flows"])


def test_hub_needs_three_flows_and_no_tie():
    five = _nodes([("A", "crm", "new", 3), ("B", "e_shop", "new", 1), ("C", "marketplace", "kept", 1),
                   ("D", "accounting", "new", 1)])
    assert hub(five) == "A"
    assert hub(five.assign(flows=[2, 1, 1, 1])) is None  # under three flows: no middle
    assert hub(five.assign(flows=[3, 3, 1, 1])) is None  # a tie: no middle
    assert hub(five.iloc[:3]) is None  # three tools sit on the ellipse


def test_positions_hub_in_the_middle_others_clockwise_from_the_left():
    nodes = _nodes([("CRM", "crm", "new", 4), ("Shop", "e_shop", "new", 2), ("Books", "accounting", "new", 1),
                    ("Market", "marketplace", "kept", 1), ("Mail", "emailing", "new", 2)])
    where = positions(nodes, 7.0, 1.0)
    cx, cy = 3.5, 1.0 + AREA_H / 2
    assert where["CRM"] == (cx, cy)
    # ring order: e_shop, marketplace, accounting, emailing -> left, top, right, bottom
    rx, ry = 3.5 - 1.45 / 2 - 0.1, AREA_H / 2 - BOX_H / 2
    expected = {"Shop": (cx - rx, cy), "Market": (cx, cy - ry), "Books": (cx + rx, cy), "Mail": (cx, cy + ry)}
    for name, (x, y) in expected.items():
        assert math.isclose(where[name][0], x, abs_tol=1e-9) and math.isclose(where[name][1], y, abs_tol=1e-9)


def test_an_arrow_across_the_middle_bends_away_both_ways_pairs_curve_a_little():
    centre = (3.5, 2.0)
    assert _bend((1.0, 2.0), (6.0, 2.0), centre, both_ways=False) in (0.3, -0.3)  # straight through the middle
    assert _bend((1.0, 1.0), (6.0, 1.0), centre, both_ways=False) == 0.0  # passes 1 inch above it
    assert _bend((1.0, 1.0), (6.0, 1.0), centre, both_ways=True) == 0.18
    assert _bend(centre, (6.0, 2.0), centre, both_ways=False) == 0.0  # from the hub itself
    # the control point of arc3 (middle + rad × (-dy, dx), y downwards) lies away from the centre
    rad = _bend((1.0, 2.1), (6.0, 2.1), centre, both_ways=False)
    control_y = 2.1 + rad * 5.0
    assert abs(control_y - 2.0) > 1.0


def test_the_chart_draws_boxes_arrows_and_the_callers_words():
    nodes = _nodes([("Shop", "e_shop", "new", 2), ("Mail", "emailing", "kept", 2), ("Sheet", "crm", "current", 0)])
    edges = pd.DataFrame([{"source": "Shop", "destination": "Mail", "flows": 1, "manual": 0, "mode": "automatic"},
                          {"source": "Mail", "destination": "Shop", "flows": 1, "manual": 1, "mode": "manual"},
                          {"source": "Shop", "destination": "Nowhere", "flows": 1, "manual": 0, "mode": "automatic"}])
    ax = flow_diagram(nodes, edges, role_names={"e_shop": "boutique", "emailing": "e-mailing", "crm": "CRM"},
                      legend=LEGEND, title="Flux", takeaway="Deux flux.")
    texts = [t.get_text() for t in ax.texts]
    assert texts[:2] == ["Flux", "Deux flux."] and "boutique" in texts and "CRM" in texts
    assert len([p for p in ax.patches if isinstance(p, FancyBboxPatch)]) == 3
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 2  # the edge to a tool without a box is left out
    assert [a.get_linestyle() == "-" for a in arrows] == [True, False]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["auto", "manuel", "nouveau", "conservé", "actuel"]
    plt.close(ax.figure)
