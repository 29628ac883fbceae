"""The journey map as an HTML table (relkit.views.charts.journey.map_table_html): every
touchpoint's full label, coloured by qualification, stages × used channels."""
import re

import pandas as pd

from relkit.topics import journey as jr
from conftest import DEMO
from relkit.views.charts.journey import COLLECTION_MARK, map_table_html

STAGES = [("aware", "découverte"), ("buy", "achat"), ("use", "livraison/utilisation")]
CHANNELS = [("web", "site web"), ("store", "magasin"), ("phone", "téléphone")]
QUAL_NAMES = {"delight": "Enchantement", "satisfaction": "Satisfaction", "irritant": "Irritant",
              "breaking_point": "Point de rupture"}
LONG = "Réponse aux questions de taille sous 48 h par un conseiller <vendeur> & une fiche"


def _journey():
    rows = [
        ("aware", "web", "Publication Instagram d'une famille cliente", "satisfaction", True),
        ("aware", "web", LONG, "breaking_point", False),
        ("use", "store", "Colis avec mot manuscrit", "delight", False),
        ("use", "store", "Ancien point", "irritant", False, "target"),
    ]
    return pd.DataFrame([{"stage": r[0], "channel": r[1], "touchpoint": r[2], "description": None,
                          "version": r[5] if len(r) > 5 else "current", "qualification": r[3], "importance": 3,
                          "emotion": 0, "owner": None, "programme": None, "collection_point": r[4], "row": i}
                         for i, r in enumerate(rows)])


def _html():
    cells = jr.matrix(_journey(), STAGES, CHANNELS, "current")
    return map_table_html(cells, stages=STAGES, channels=CHANNELS, names_qualification=QUAL_NAMES,
                          title="Carte du parcours actuel", takeaway="3 points de contact", collection_label="point de collecte",
                          corner="Étape")


def test_every_label_is_printed_in_full_and_escaped():
    out = _html()
    assert "…" not in out
    assert "Réponse aux questions de taille sous 48 h par un conseiller &lt;vendeur&gt; &amp; une fiche" in out
    assert "Publication Instagram d&#x27;une famille cliente" in out
    assert "<vendeur>" not in out


def test_stages_are_rows_and_only_channels_with_a_touchpoint_are_columns():
    out = _html()
    head = out[out.index("<thead>"):out.index("</thead>")]
    assert re.findall(r"<th>([^<]*)</th>", head) == ["Étape", "Site web", "Magasin"]  # no touchpoint by phone
    body = out[out.index("<tbody>"):out.index("</tbody>")]
    assert re.findall(r'<tr class="(rk-\w+)"><th scope="row">([^<]*)</th>', body) == [
        ("rk-used", "Découverte"), ("rk-empty", "Achat"), ("rk-used", "Livraison/\u200butilisation")]
    assert body.count("<td>") == 3 * 2  # three stages × two channels
    first_row = body.split("</tr>")[0]
    assert first_row.count('class="rk-chip') == 2 and first_row.index("Publication") < first_row.index("Réponse")


def test_chips_carry_their_qualification_and_the_collection_mark():
    out = _html()
    body = out[out.index("<tbody>"):out.index("</tbody>")]
    assert re.findall(r'class="rk-chip rk-q-(\w+)"', body) == ["satisfaction", "breaking_point", "delight"]
    assert body.count(COLLECTION_MARK) == 1 and "Ancien point" not in body  # the target-only point is not on this map
    legend = out[out.index('class="rk-journey-legend"'):]
    assert re.findall(r'rk-q-(\w+)">([^<]*)<', legend) == [(q, QUAL_NAMES[q]) for q in jr.QUALIFICATIONS]
    assert "point de collecte" in legend
    assert '<p class="rk-figtitle">Carte du parcours actuel</p><p class="rk-figtake">3 points de contact</p>' in out


def test_the_demo_maps_print_every_touchpoint_in_full():
    import html

    from relkit.intake.load import load
    from relkit.io.labels import Labels
    from relkit.workbooks.journey import JourneyWorkbook

    data = load(DEMO, import_exports=False)
    jw = JourneyWorkbook(data, Labels("fr"))
    for version in ("current", "target"):
        out = jw.matrix_html(version)
        labels = data.sheets["journey"].query("version == @version")["touchpoint"]
        assert len(labels) >= 13
        for label in labels:
            assert f">{html.escape(label)}<" in out or f">{html.escape(label)} <span" in out
        assert "1:1" not in out and "…" not in out


def test_the_map_title_starts_with_a_capital_in_english():
    from relkit.intake.load import load
    from relkit.io.labels import Labels
    from relkit.workbooks.journey import JourneyWorkbook

    out = JourneyWorkbook(load(DEMO, import_exports=False), Labels("en")).matrix_html("current")
    assert '<p class="rk-figtitle">Current journey map</p>' in out


def test_the_emotion_curve_wraps_a_stage_name_after_its_slash_instead_of_cutting_it():
    import matplotlib.pyplot as plt

    from relkit.views.charts.journey import emotion_chart

    stages = [(f"s{i}", name) for i, name in enumerate(["découverte", "considération", "achat", "livraison/utilisation",
                                                         "service client", "fidélisation", "recommandation"])]
    ax = emotion_chart(jr.emotion_curve(_journey().iloc[0:0], stages), stages=stages,
                       version_names={"current": "actuel", "target": "cible"}, title="Émotions", takeaway="")
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    plt.close(ax.figure)
    assert ticks[3] == "livraison/\nutilisation" and ticks[6] == "recommandation"
    assert not any("…" in t for t in ticks)
