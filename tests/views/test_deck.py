"""The PowerPoint restitution on hand-built figures and tables: its slides, native
charts whose embedded data are the report's figures, notes, theme and text fit."""
import datetime as dt
import io

import pandas as pd
import pytest
from pptx import Presentation

from relkit.io.brand import DEFAULT_BRAND, BrandStyle
from relkit.io.labels import Labels
from relkit.views.deck import ChartSpec, write_deck
from relkit.views.deck.theme import theme_colours, theme_fonts
from relkit.views.deck.write import fit_size, lines_needed
from relkit.workbooks.deck import DeckContext, cell_number, deck_content, money_format
from relkit.workbooks.summary_bridge import bridge_data
from relkit.workbooks.summary_findings import FigureBook, select_findings


def _fig(value, display=None):
    return {"value": value, "label": "x", "display": display if display is not None else str(value)}


FIGURES = {
    "01_diagnostic": {"revenue_last_year": _fig(100000.0, "100 000 €"), "revenue_target": _fig(200000.0, "200 000 €"),
                      "swot_items": _fig(12)},
    "02_fichier_clients": {
        "customers": _fig(3000, "3 000"), "buyers": _fig(2000, "2 000"), "dormant": _fig(400), "new": _fig(300),
        "revenue_calendar_year": _fig(100000.0), "revenue_year": _fig(2025), "revenue_forecast_12m": _fig(80000.0),
        "amount_basis": _fig("TTC"), "vmc_gross": _fig(117.11, "117 €"), "vmc_net": _fig(77.11, "77 €"),
        "clv_12m_total": _fig(80000.0, "80 000 €")},
    "03_parcours_client": {"moments_of_truth": _fig(6), "pain_points": _fig(5)},
    "04_plan_collecte": {"fields_planned": _fig(9), "gaps": _fig(2), "gdpr_flags": _fig(3)},
    "05_plan_relationnel": {
        "programmes": _fig(4), "plan_expected_revenue": _fig(90000.0, "90 000 €"),
        "plan_expected_revenue_by_programme": _fig({"Bienvenue": 20000.0, "Newsletter": 70000.0}),
        "budget_money": _fig(14000.0, "14 000 €"), "budget_envelopes_total": _fig(13000.0, "13 000 €"),
        "budget_differences": _fig(1), "pressure_over_cap": _fig(120, "120"), "largest_target": _fig(1900, "1 900"),
        "ltv_cac": _fig(2.9, "2,9"), "kpis": _fig(12),
        "budget_quarters": _fig({"T1": {"fixed": 1000.0, "percent": 0.0}, "T2": {"fixed": 3000.0, "percent": 0.0},
                                 "T3": {"fixed": 4000.0, "percent": 0.0}, "T4": {"fixed": 6000.0, "percent": 0.1}})},
}

NB = "\u202f"  # Labels' thousands separator in French


def _tables():
    return {
        "segments": pd.DataFrame({"Segment": ["Champions", "Fidèles", "Perdus"], "Clients": ["173", "272", f"1{NB}312"],
                                  "Part des clients": ["7 %", "11 %", "52 %"]}),
        "clv_segments": pd.DataFrame({"Segment": ["Champions", "Fidèles", "Perdus"], "Clients": ["173", "272", "1312"],
                                      "CA attendu du segment": [f"16{NB}358\u00a0€", f"13{NB}420\u00a0€", "547\u00a0€"]}),
        "vmc_segments": pd.DataFrame({"Segment": ["Champions", "Fidèles", "Perdus"], "Clients": ["173", "272", "1312"],
                                      "VMC brute": ["247 €", "—", "39 €"], "VMC nette": ["207 €", "—", "-1 €"]}),
        "irritants": pd.DataFrame({"Rang": ["1", "2"], "Étape": ["livraison", "service client"], "Canal": ["courrier", "e-mail"],
                                   "Point de contact": ["Délai de 3 semaines", "Pas de numéro"]}),
        "moments_de_verite": pd.DataFrame({"Étape": ["livraison", "découverte", "achat"], "Canal": ["a", "b", "c"],
                                           "Point de contact": ["Délai", "Tutoriel vidéo", "Stand"],
                                           "Qualification": ["x", "y", "z"], "Importance": ["5", "4", "4"],
                                           "Émotion": ["-2", "2", "1"]}),
        "controles_rgpd": pd.DataFrame({"Contrôle": ["Donnée sensible"], "Ligne": ["9"], "Donnée": ["Santé"]}),
        "programmes": pd.DataFrame({"Programme": ["Bienvenue", "Newsletter", "Anniversaire"], "Objectif": ["a", "b", "c"],
                                    "Cible": ["x", "y", "z"], "Taille": ["428", f"1{NB}921", "manque : date de naissance"],
                                    "Joignables": ["247", f"1{NB}904", ""]}),
        "pression_au_dessus_du_plafond": pd.DataFrame({"Mois": ["nov.", "déc."], "Canal": ["e-mail", "e-mail"],
                                                       "Clients": ["60", "60"], "Messages max / pers.": ["6", "8"],
                                                       "Plafond": ["4", "4"]}),
        "phases": pd.DataFrame({"Phase": ["Phase 1 (T1)"], "Démarre": ["Newsletter, Blog"]}),
        "budget_trimestres": pd.DataFrame({"Trimestre": ["T1", "T2", "T3", "T4"],
                                           "Postes fixes": [f"1{NB}000 €", f"3{NB}000 €", f"4{NB}000 €", f"6{NB}000 €"],
                                           "% du CA": ["", "", "", "10 %"], "CA prévu": ["", "", "", f"20{NB}000 €"],
                                           "Part du CA en €": ["", "", "", f"2{NB}000 €"],
                                           "Total": ["1 000 €", "3 000 €", "4 000 €", "8 000 €"]}),
        "budget_enveloppes": pd.DataFrame({"Trimestre": ["T1", "T2", "T3", "T4"],
                                           "Enveloppe fixe": ["1 000 €", "2 000 €", "4 000 €", "6 000 €"],
                                           "Postes fixes": ["1 000 €", "3 000 €", "4 000 €", "6 000 €"],
                                           "Écart": ["0", "+1 000 €", "0", "0"],
                                           "Statut": ["conforme", "au-dessus", "conforme", "conforme"]}),
        "kpi": pd.DataFrame({"KPI": ["Panier moyen", "Taux de clic"], "Formule": ["a", "b"], "Unité": ["€", "%"],
                             "Fréquence": ["mensuelle", "mensuelle"], "Cible": ["45 €", ""]}),
        "tableau_de_bord": pd.DataFrame({"KPI": ["Panier moyen"], "Période": ["octobre 2026"], "Cible": ["45 €"],
                                         "Réalisé": ["41 €"], "Atteinte": ["91 %"], "Statut": ["à surveiller"]}),
        "decisions": pd.DataFrame({"Décision": ["Valider le budget"], "Responsable": ["Client"],
                                   "Échéance": ["7 décembre 2026"], "Coût": ["14 000 €"]}),
    }


def _png():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buf, format="PNG")
    return buf.getvalue()


CTX = DeckContext(client="Arnaud & Zoé", brand="Arnaud & Zoé", consultant="Claire Dubois", firm="Dubois Conseil",
                  plan_year=2027, report_date=dt.date(2026, 11, 23))
L = Labels("fr", "EUR")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    images = {"swot": _png(), "journey": _png(), "retro": _png()}
    deck = deck_content(FIGURES, _tables(), images, CTX, L)
    path = write_deck(deck, tmp_path_factory.mktemp("deck") / "restitution-a.pptx", DEFAULT_BRAND)
    return deck, Presentation(path)


def _charts(prs):
    return [(n, shape.chart) for n, slide in enumerate(prs.slides, start=1) for shape in slide.shapes
            if shape.has_chart]


def _chart(prs, title):
    found = [c for _, c in _charts(prs) if c.has_title and c.chart_title.text_frame.text == title]
    assert len(found) == 1, title
    return found[0]


def _series(chart):
    return {s.name: tuple(s.values) for s in chart.plots[0].series}


def test_the_deck_has_its_slides_in_order_each_with_notes(written):
    deck, prs = written
    assert 12 <= len(prs.slides) <= 20
    keys = [s.key for s in deck.slides]
    assert keys[:2] == ["agenda", "bridge"]
    assert keys[-1] == "decisions"
    assert {"swot", "segments", "value", "journey", "collection", "programmes", "pressure", "retro", "budget",
            "kpi", "dashboard"} <= set(keys)
    for slide in prs.slides:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    assert "Source des chiffres" in deck.slides[keys.index("segments")].notes


def test_one_slide_per_finding_with_the_summary_s_sentences(written):
    deck, prs = written
    findings = select_findings(FigureBook(FIGURES), L, CTX.brand)
    slides = [s for s in deck.slides if s.key.startswith("finding_")]
    assert 3 <= len(findings) == len(slides) <= 5
    for n, (finding, slide) in enumerate(zip(findings, slides), start=1):
        assert slide.title == finding.figure
        assert slide.panels == (("Ce que cela signifie", finding.meaning), ("Recommandation", finding.recommendation))
        assert slide.kicker == f"Constat {n} sur {len(findings)}"
    shown = prs.slides[[s.key for s in deck.slides].index(slides[0].key) + 1]
    assert shown.shapes.title.text_frame.text == findings[0].figure


def test_at_least_six_native_charts_with_their_data_embedded(written):
    _, prs = written
    assert len(_charts(prs)) >= 6
    assert not [shape for slide in prs.slides for shape in slide.shapes
                if shape.shape_type == 13 and slide.shapes.title.text_frame.text.startswith("Segments")]


def test_the_bridge_is_a_stacked_column_on_an_invisible_base(written):
    deck, prs = written
    data = bridge_data(FigureBook(FIGURES), L, 2027)
    chart = [c for n, c in _charts(prs) if prs.slides[n - 1].shapes.title.text_frame.text.startswith("Du chiffre")][0]
    assert tuple(chart.plots[0].categories) == tuple(data.step)
    base, bars = (tuple(s.values) for s in chart.plots[0].series)
    # 100 000 (2025), −20 000 to 80 000, 80 000 base, +70 000 Newsletter, +20 000 Bienvenue, 170 000, gap 30 000, 200 000
    assert base == (0.0, 80000.0, 0.0, 80000.0, 150000.0, 0.0, 170000.0, 0.0)
    assert bars == (100000.0, 20000.0, 80000.0, 70000.0, 20000.0, 170000.0, 30000.0, 200000.0)
    assert chart.plots[0].series[0].format.fill.type == 5  # MSO_FILL.BACKGROUND: no fill
    assert chart.plots[0].overlap == 100


def test_segment_value_programme_and_pressure_charts_hold_the_tables_numbers(written):
    _, prs = written
    sizes = _chart(prs, "Clients par segment")
    assert tuple(sizes.plots[0].categories) == ("Champions", "Fidèles", "Perdus")
    assert _series(sizes) == {"Clients": (173.0, 272.0, 1312.0)}
    assert _series(_chart(prs, "CA attendu sur 12 mois")) == {"CA attendu du segment": (16358.0, 13420.0, 547.0)}
    vmc = _chart(prs, "VMC par segment")
    assert tuple(vmc.plots[0].categories) == ("Champions", "Perdus")  # "—": no value, no bar
    assert _series(vmc) == {"VMC brute": (247.0, 39.0), "VMC nette": (207.0, -1.0)}
    programmes = [c for _, c in _charts(prs) if "Taille" in _series(c)][0]
    assert tuple(programmes.plots[0].categories) == ("Bienvenue", "Newsletter")
    assert _series(programmes) == {"Taille": (428.0, 1921.0), "Joignables": (247.0, 1904.0)}
    pressure = [c for _, c in _charts(prs) if "Plafond" in _series(c)][0]
    assert tuple(pressure.plots[0].categories) == ("nov.", "déc.")
    assert _series(pressure) == {"Messages max / pers.": (6.0, 8.0), "Plafond": (4.0, 4.0)}


def test_budget_charts_hold_the_recorded_quarters_and_envelopes(written):
    _, prs = written
    quarters = _chart(prs, "Budget par trimestre")
    assert quarters.chart_type == 52  # XL_CHART_TYPE.COLUMN_STACKED
    fixed = FIGURES["05_plan_relationnel"]["budget_quarters"]["value"]
    assert _series(quarters)["Postes fixes"] == tuple(fixed[q]["fixed"] for q in ("T1", "T2", "T3", "T4"))
    assert _series(quarters)["Part du CA en €"] == (None, None, None, 2000.0)
    envelopes = _chart(prs, "Enveloppes et postes chiffrés")
    assert _series(envelopes) == {"Enveloppe fixe": (1000.0, 2000.0, 4000.0, 6000.0),
                                  "Postes fixes": (1000.0, 3000.0, 4000.0, 6000.0)}
    dashboard = _chart(prs, "Atteinte de la cible")
    assert _series(dashboard) == {"Atteinte": (0.91,)}


def test_the_theme_takes_the_brand_s_colours_and_fonts(tmp_path):
    brand = BrandStyle(primary="#AA3366", secondary="#445566", font_base="Liberation Sans",
                       font_headings="Liberation Serif")
    deck = deck_content(FIGURES, {}, {}, CTX, L)
    prs = Presentation(write_deck(deck, tmp_path / "d.pptx", brand))
    colours = theme_colours(prs)
    assert colours["accent1"] == "AA3366" and colours["dk2"] == "AA3366" and colours["accent2"] == "445566"
    assert theme_fonts(prs) == ("Liberation Serif", "Liberation Sans")
    assert theme_colours(Presentation(write_deck(deck, tmp_path / "e.pptx", DEFAULT_BRAND)))["accent1"] == "1F4E79"


def test_logos_on_the_title_slide_and_the_firm_s_in_the_footer(tmp_path):
    from PIL import Image

    firm, client = tmp_path / "firm.png", tmp_path / "client.png"
    Image.new("RGB", (300, 100), "red").save(firm)
    Image.new("RGB", (200, 200), "blue").save(client)
    deck = deck_content(FIGURES, {}, {}, CTX, L, firm_logo=firm, client_logo=client)
    prs = Presentation(write_deck(deck, tmp_path / "d.pptx", DEFAULT_BRAND))
    pictures = [[s for s in slide.shapes if s.shape_type == 13] for slide in prs.slides]
    assert len(pictures[0]) == 2
    assert all(len(p) == 1 for p in pictures[1:])  # the firm's logo in every footer


def test_without_tables_or_images_the_deck_keeps_what_the_figures_support(tmp_path):
    deck = deck_content(FIGURES, {}, {}, CTX, L)
    keys = [s.key for s in deck.slides]
    assert "swot" not in keys and "retro" not in keys and "segments" not in keys
    assert keys[0] == "agenda" and keys[-1] == "decisions"
    prs = Presentation(write_deck(deck, tmp_path / "d.pptx", DEFAULT_BRAND))
    assert all(s.notes_slide.notes_text_frame.text for s in prs.slides)


def test_english_deck_names_and_numbers():
    en = Labels("en", "EUR")
    deck = deck_content(FIGURES, {"segments": pd.DataFrame({"Segment": ["Champions"], "Customers": ["1,312"]})},
                        {}, CTX, en)
    assert deck.title == "Relationship marketing plan 2027: findings and recommendations"
    assert deck.slides[[s.key for s in deck.slides].index("segments")].charts[0].series == (("Customers", (1312.0,)),)
    assert money_format(en) == '"€"#,##0' and money_format(L) == '#,##0\\ "€"'


@pytest.mark.parametrize("text,lang,value", [
    (f"1{NB}250\u00a0€", "fr", 1250.0), ("30\u00a0%", "fr", 0.3), ("2,36", "fr", 2.36), ("-900 €", "fr", -900.0),
    ("+999 €", "fr", 999.0), ("€1,250", "en", 1250.0), ("1,921", "en", 1921.0), ("30%", "en", 0.3),
    ("—", "fr", None), ("", "fr", None), ("manque : date", "fr", None),
])
def test_a_printed_cell_reads_back_as_its_number(text, lang, value):
    assert cell_number(text, lang) == value


def test_text_sizes_shrink_to_fit_their_box():
    assert lines_needed("a " * 10, 10, 20) == 1
    assert lines_needed("mot " * 100, 4, 20) > 5
    assert fit_size(["court"], 5, 1, 24, 12) == 24
    long = ["une phrase assez longue pour remplir la boîte " * 4]
    assert 12 <= fit_size(long, 4, 1.5, 24, 12) < 24


def test_a_series_must_have_a_value_per_category():
    with pytest.raises(ValueError):
        ChartSpec("column", ("a", "b"), (("s", (1.0,)),))


def test_kpi_and_dashboard_slides_say_what_the_tables_hold(written):
    deck, _ = written
    slides = {s.key: s for s in deck.slides}
    assert slides["kpi"].table.rows == (("Panier moyen", "mensuelle", "45 €"),)  # those with a target
    assert slides["kpi"].bullets == ("12 indicateurs suivis, dont 1 avec une cible",)
    assert slides["dashboard"].bullets == ("Période : octobre 2026", "À surveiller : 1")


def test_each_note_gives_the_takeaway_then_the_source(written):
    deck, _ = written
    for slide in deck.slides[1:]:
        takeaway, *source = slide.notes.split("\n")
        assert takeaway.startswith("À retenir : "), slide.key
        assert source and source[0].startswith("Source des chiffres : "), slide.key
    bridge = {s.key: s for s in deck.slides}["bridge"]
    assert bridge.notes.startswith("À retenir : Les clients actuels (80\u202f000\u00a0€)")


def test_the_file_s_properties_are_the_deck_s(written):
    _, prs = written
    props = prs.core_properties
    assert (props.title, props.author, props.language) == (
        "Restitution : plan marketing relationnel 2027", "Claire Dubois (Dubois Conseil)", "fr-FR")
    assert props.created.year >= 2024 and props.comments == "" and props.last_modified_by != "Steve Canny"


def test_the_journey_slide_names_the_worst_pain_points_and_the_high_points(written):
    deck, _ = written
    journey = {s.key: s for s in deck.slides}["journey"]
    assert journey.bullets == ("6 moments de vérité, 5 irritants", "Délai de 3 semaines (livraison)",
                               "Pas de numéro (service client)", "Moments forts : Tutoriel vidéo et Stand")
