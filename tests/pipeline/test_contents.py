"""The contents page's two columns, split before printing."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relkit.pipeline import contents


def entry(level: int, heading: str) -> dict:
    return {"level": level, "heading": heading, "anchor": heading.lower().replace(" ", "-")}


# The demo's contents (46 pages, draft): where WeasyPrint's balanced CSS columns cut it.
DEMO = [entry(1, "Résumé exécutif"), *[entry(2, t) for t in (
    "Objectif du plan", "Constats et recommandations", "Décisions attendues", "Prochaines étapes")],
    entry(1, "Diagnostic"), *[entry(2, t) for t in (
        "Analyse SWOT", "Objectifs SMART", "Positionnement", "Concurrence", "Mix marketing (4P)",
        "Maturité en marketing relationnel")],
    entry(1, "Fichier clients"), *[entry(2, t) for t in (
        "Qualité des données", "Segmentation RFM", "Cibles prêtes à l'emploi", "Segments prioritaires",
        "Valeur d'un client")],
    entry(1, "Parcours client"), *[entry(2, t) for t in (
        "Moments de vérité", "Irritants et points de rupture, par gravité", "Du parcours actuel au parcours cible")],
    entry(1, "Plan de collecte"), *[entry(2, t) for t in (
        "Données à collecter", "Complétude mesurée dans le fichier clients", "Contrôles RGPD",
        "Registre des activités de traitement")],
    entry(1, "Plan relationnel, budget et KPI"), *[entry(2, t) for t in (
        "Stratégie de canal", "Programmes relationnels et cibles", "Pression marketing", "Plan d'actions",
        "Calendrier en phases", "Outils et flux de données", "Budget et ROI", "Tableau de bord : cibles et réalisé",
        "Le plan relationnel au format Excel", "Conclusion et prochaines étapes")],
    entry(1, "Annexes"), *[entry(2, t) for t in (
        "Chiffres clés par partie", "Le plan et où le trouver", "Évaluation de l'énoncé", "Comparatif des concurrents",
        "Maturité en marketing relationnel", "Sources importées", "Qualité des données", "VMC par segment",
        "Fichier clients : calcul de la valeur d'un client", "Fiches personas", "Du parcours actuel au parcours cible",
        "Parcours cible par programme", "Détail des points de contact du parcours cible",
        "Complétude mesurée dans le fichier clients", "Programmes : objectifs, cibles et canaux",
        "Mois et canaux au-dessus du plafond", "Déroulé des scénarios", "Temps forts et actions programmées",
        "Outils, flux de données et feuille de route", "Indicateurs clés (KPI)", "Objectifs, actions et leurs KPI",
        "Calendrier de reporting")],
    entry(1, "Points à vérifier")]


def test_the_demo_is_cut_where_the_balanced_columns_cut_it():
    first, second = contents.columns(DEMO)
    assert len(first) == 30 and second[0]["heading"] == "Pression marketing"


def test_a_chapter_title_never_ends_the_first_column():
    # cutting after "Chapitre 2" would balance best; it goes with its first section instead
    entries = [entry(1, "Chapitre 1"), *[entry(2, f"Section {i}") for i in range(5)],
               entry(1, "Chapitre 2"), *[entry(2, f"Partie {i}") for i in range(5)]]
    first, second = contents.columns(entries)
    assert first[-1]["level"] == 2
    assert second[0]["heading"] == "Chapitre 2"


def test_a_long_title_counts_as_the_lines_it_takes():
    short = entry(2, "Budget")
    long = entry(2, "Programmes relationnels : objectifs, cibles, canaux, déclencheurs et indicateurs de suivi")
    assert contents.lines(short) == 1 and contents.lines(long) == 2
    # three long titles weigh as six short ones: the cut moves towards them
    entries = [entry(2, f"Court {i}") for i in range(6)] + [dict(long, anchor=f"l{i}") for i in range(3)]
    first, second = contents.columns(entries)
    assert len(first) == 6 and len(second) == 3


def test_wide_and_accented_letters():
    assert contents.width_em("MMMM") > contents.width_em("iiii") * 2
    assert contents.width_em("Évaluation") == contents.width_em("Evaluation")
    assert contents.width_em("Annexes", bold=True) > contents.width_em("Annexes")


def test_short_contents():
    assert contents.columns([]) == ([], [])
    assert contents.columns([entry(1, "Seul")]) == ([entry(1, "Seul")], [])
    assert contents.columns([entry(1, "Titre"), entry(2, "Section")]) == ([entry(1, "Titre"), entry(2, "Section")], [])


titles = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=120)


@given(st.lists(st.tuples(st.sampled_from([1, 2]), titles), max_size=80))
def test_every_entry_once_in_order_and_the_columns_balanced(raw):
    entries = [entry(level, heading) for level, heading in raw]
    first, second = contents.columns(entries)
    assert first + second == entries
    if second:
        assert not (first[-1]["level"] == 1 and second[0]["level"] == 2)
        # no other allowed cut gives shorter columns
        best = max(contents._height(first), contents._height(second))
        for k in range(1, len(entries)):
            if entries[k - 1]["level"] == 1 and entries[k]["level"] == 2:
                continue
            assert best <= max(contents._height(entries[:k]), contents._height(entries[k:])) + 1e-6


def test_the_estimate_follows_print_css():
    """contents.LEVELS copies the contents' sizes from print.css: a change there must change it too."""
    import re

    from relkit.io.resources import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "nbconvert" / "relkit_report" / "static" / "print.css").read_text(encoding="utf-8")
    rules = {sel.strip(): body for sel, body in re.findall(r"(\.rk-toc li[^{]*)\{([^}]*)\}", css)}

    def prop(selector, name):
        found = re.search(rf"(?:^|;)\s*{name}:\s*([\d.]+)(pt|mm)", rules.get(selector, ""))
        if not found:
            return None
        value, unit = float(found.group(1)), found.group(2)
        return value * contents.PT_PER_MM if unit == "mm" else value

    base_size, base_margin = prop(".rk-toc li", "font-size"), prop(".rk-toc li", "margin")
    for level in (1, 2, 3):
        selector = f".rk-toc li.rk-toc-l{level}"
        size = prop(selector, "font-size") or base_size
        top = prop(selector, "margin-top") or base_margin
        indent = prop(selector, "padding-left") or 0.0
        assert contents.LEVELS[level] == pytest.approx((size, top, base_margin, indent)), level
    assert "width: calc(50% - 4.5mm)" in css and "margin-left: 9mm" in css  # COLUMN_PT's gap
