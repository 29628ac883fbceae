"""The executive summary: built from the key figures the workbooks recorded."""
import json

from conftest import DEMO
from relkit.io.labels import Labels
from relkit.workbooks.summary import OUTLINE, Synthesis, read_figures
from relkit.intake.load import load

FIGURES = {
    "01_diagnostic": {
        "revenue_target": {"value": 200000.0, "label": "Objectif de chiffre d'affaires", "display": "200 000 €"},
        "objectives": {"value": 7, "label": "Objectifs", "display": "7"},
        "objectives_smart": {"value": 4, "label": "Objectifs — SMART", "display": "4"},
        "readiness_score": {"value": 0.73, "label": "Maturité", "display": "73 %"},
    },
    "05_plan_relationnel": {
        "programmes": {"value": 11, "label": "Programmes", "display": "11"},
        "budget_money": {"value": 65979.0, "label": "Budget de l'année", "display": "65 979 €"},
        "budget_differences": {"value": 2, "label": "Écarts", "display": "2"},
        "pressure_over_cap": {"value": 0, "label": "Clients-mois au-dessus du plafond", "display": "0"},
        "first_phase": {"value": 8, "label": "Phase 1 (T1)", "display": "T1 — Vidéo de présentation"},
    },
}


def _synthesis(figures, lang="fr"):
    return Synthesis(load(DEMO, import_exports=False), Labels(lang), figures)


def test_figures_from_this_run_win_over_the_published_ones(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "01_diagnostic.json").write_text(json.dumps(FIGURES["01_diagnostic"]), encoding="utf-8")
    published = tmp_path / "figures.json"
    published.write_text(json.dumps(FIGURES), encoding="utf-8")
    assert set(read_figures(tmp_path, published)) == {"01_diagnostic"}
    assert set(read_figures(None, published)) == set(FIGURES)
    assert read_figures(None, tmp_path / "absent.json") == {}


def test_key_figures_and_the_appendix_table_come_from_the_recorded_figures():
    sy = _synthesis(FIGURES)
    assert sy.key_figures() == [("Objectif de CA", "200 000 €"), ("Programmes relationnels", "11"),
                                ("Budget des actions chiffrées", "65 979 €")]
    table = sy.figures_table()
    assert table["Partie"].tolist() == ["Diagnostic"] * 3 + ["Plan relationnel, budget et KPI"] * 4
    assert table["Valeur"].tolist() == ["200 000 €", "4", "73 %", "11", "65 979 €", "0", "2"]


def test_outline_follows_seed_002_and_says_what_is_not_covered():
    table = _synthesis({"01_diagnostic": {}}).outline_table()
    assert len(table) == len(OUTLINE) == 10
    assert table.iloc[0]["Partie du plan"] == "1. Résumé exécutif"
    assert table.iloc[9]["Partie du plan"] == "10. Conclusion et prochaines étapes"
    assert table.iloc[5]["Section(s) du rapport"] == "non traité pour ce client"  # technology: workbook 04 did not run
    assert table.iloc[1]["Section(s) du rapport"] == "Diagnostic"


def test_next_steps_only_name_what_the_workbooks_found():
    steps = _synthesis(FIGURES).next_steps()
    assert steps[0] == "D'ici le 7 décembre 2026 : valider ces décisions avec Claire Dubois."
    assert steps[1] == "Lancer la première phase : T1 — Vidéo de présentation."
    assert steps[-1].startswith("Faire le point chaque mois")


def test_appendix_cells_of_the_summary_notebook():
    """The key-figures table and the outline go to the appendix; the storyline stays."""
    import nbformat

    from relkit.io.resources import PACKAGE_DIR

    nb = nbformat.read(PACKAGE_DIR / "notebooks" / "00_synthese.ipynb", as_version=4)
    tagged = [c.source for c in nb.cells if "appendix" in c.metadata.get("tags", [])]
    assert len(tagged) == 2
    assert "figures_table" in tagged[0] and "outline_table" in tagged[1]
    story = "".join(c.source for c in nb.cells if "appendix" not in c.metadata.get("tags", []))
    for call in ("bridge_chart", "findings_table", "decisions_table", "next_steps"):
        assert call in story


def test_english_objective_sentence():
    stated = {"01_diagnostic": {"revenue_last_year": {"value": 12400.0, "label": "x", "display": "€12,400"},
                                "revenue_target": {"value": 200000.0, "label": "x", "display": "€200,000"}}}
    assert _synthesis(stated, "en").objective_text() == (
        "Arnaud & Zoé aims for €200,000 of revenue by 31 December 2027, against €12,400 last year (+1,513%).")


def test_objective_sentence_prefers_the_revenue_measured_in_the_customer_file():
    measured = {"01_diagnostic": {"revenue_last_year": {"value": 12400.0, "label": "x", "display": "12 400 €"},
                                  "revenue_target": {"value": 200000.0, "label": "x", "display": "200 000 €"}},
                "02_fichier_clients": {"revenue_calendar_year": {"value": 100000.0, "label": "x",
                                                                 "display": "100\u202f000\u00a0€"},
                                       "revenue_year": {"value": 2025, "label": "x", "display": "2025"}}}
    assert _synthesis(measured).objective_text() == (
        "Arnaud & Zoé vise 200\u202f000\u00a0€ de chiffre d'affaires d'ici le 31 décembre 2027, contre "
        "100\u202f000\u00a0€ en 2025 d'après le fichier clients (+100\u00a0%).")
