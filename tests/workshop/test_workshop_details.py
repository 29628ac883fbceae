"""Details of the first workshop editors (issue 16): the VMC tab opens on the
client's measured values, the SWOT's items in the page's font and not cut off,
the budget chart's key off the bars, the budget slider's amount shown, the
LTV:CAC line saying what is really missing."""
from __future__ import annotations

import re
import shutil

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from relkit.io.engagement_file import read_engagement
from relkit.io.labels import Labels
from relkit.topics.budget import quarter_totals
from relkit.views.charts.budget import budget_chart
from relkit.workshop.editors.budget import BudgetEditor
from relkit.workshop.editors.swot import SwotEditor
from relkit.workshop.editors.value import ValueCalculator

L = Labels("fr")


def plain(s: str) -> str:
    return re.sub(r"[\u202f\u00a0]", " ", s)


def span(html_text: str, css: str) -> str:
    m = re.search(rf'<span class="(?:[^"]* )?{re.escape(css)}(?: [^"]*)?">([^<]*)</span>', html_text)
    assert m, f"no span {css} in {html_text[:300]}"
    return m.group(1).replace("&#x27;", "'")


def customer_file(demo):
    from relkit.intake.imports import import_sources
    from relkit.workbooks.customers import CustomerFile

    eng, _ = read_engagement(demo)
    imports, problems = import_sources(demo, eng)
    assert not problems
    return CustomerFile(eng, imports, L)


def edit_engagement(demo, old: str, new: str = "") -> None:
    path = demo / "engagement.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# ------------------------------------------------------------------ VMC
def test_value_opens_on_the_clients_measured_values_as_workbook_02_shows_them(demo):
    cf = customer_file(demo)
    inputs, origin = cf.vmc_inputs()
    assert origin == {"purchases_per_year": "measured", "retention": "measured", "average_transaction": "measured"}
    expected = cf.vmc()
    editor = ValueCalculator(demo)
    boxes = {k: b.value for k, b in editor.boxes.items()}
    # the numbers of the report's VMC table (CustomerFile.vmc_table), in plain spaces
    assert boxes["purchases_per_year"] == plain(L.number(inputs.purchases_per_year, 2)) == "1,96"
    assert boxes["retention"] == plain(L.percent(inputs.retention)) == "45 %"
    assert boxes["average_transaction"] == plain(L.money(round(inputs.average_transaction, 2))) == "41,04 €"
    assert (boxes["period_years"], boxes["cost_to_reach"], boxes["conversion_rate"], boxes["margin"]) == (
        "3", "0,80 €", "2 %", "55 %")
    # the VMC computed on the exact measured values: the report's, to the cent
    assert editor.result.gross == expected.gross and editor.result.acquisition_cost == 40.0
    assert span(editor.summary_html.value, "rk-vmc-gross") == L.money(round(expected.gross, 2)) == L.money(117.11)
    assert span(editor.summary_html.value, "rk-vmc-net") == L.money(77.11)
    assert "mesuré sur les ventes" in editor.origins["retention"].value
    assert "engagement.yaml" in editor.origins["cost_to_reach"].value
    assert editor.note.value == L("workshop.value.client_loaded").replace("'", "&#x27;")
    assert editor.sliders["retention"].value == pytest.approx(inputs.retention * 100)
    # the client's button comes first, the textbook example after it
    row = editor.body.children[-1]
    assert list(row.children[:2]) == [editor.client_button, editor.example_button]
    assert editor.example_button.layout.width == "auto"  # "Exemple du dentiste" whole
    assert editor.image.layout.max_width == "620px"


def test_value_example_behind_its_button_and_back(demo):
    editor = ValueCalculator(demo)
    measured = editor.result.gross
    editor.example_button.click()
    assert (editor.result.gross, editor.result.acquisition_cost, editor.result.net) == (1400, 100, 1300)
    assert editor.boxes["average_transaction"].value == "400 €"
    editor.client_button.click()
    assert editor.result.gross == measured and editor.boxes["retention"].value == "45 %"


def test_value_saved_as_opened_keeps_the_measured_inputs_measured(demo):
    editor = ValueCalculator(demo)
    updates = editor.save_engagement()
    assert updates["value.purchases_per_year"] is None and updates["value.retention"] is None
    assert updates["value.average_transaction"] is None
    assert updates["value.cost_to_reach"] == "0,80 €" and updates["value.conversion_rate"] == "2 %"
    editor.boxes["retention"].value = "50 %"  # 1,96 (exact) × 41,04 € + 41,04 € × (0,5 × 2)
    exact = editor._loaded_value
    gross = exact["purchases_per_year"] * exact["average_transaction"] + exact["average_transaction"] * 0.5 * 2
    assert editor.result.gross == pytest.approx(gross, abs=1e-9)
    assert editor.save() is True, editor.status.value
    v = read_engagement(demo)[0].value
    assert v.retention == 0.5 and v.purchases_per_year is None and v.average_transaction is None


def test_value_without_customer_file_in_english(demo):
    start = (demo / "engagement.yaml").read_text(encoding="utf-8").index("customer_data:")
    end = (demo / "engagement.yaml").read_text(encoding="utf-8").index("# VMC (seed 001)")
    text = (demo / "engagement.yaml").read_text(encoding="utf-8")
    (demo / "engagement.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    editor = ValueCalculator(demo, lang="en")
    # nothing to measure: the three sales inputs are the example's and said so; the engagement's are kept
    assert editor.boxes["average_transaction"].value == "400 €"
    assert editor.boxes["cost_to_reach"].value == "0.80 €"
    assert "example" in editor.origins["retention"].value
    assert editor.note.value == L.__class__("en")("workshop.value.client_engagement_only").replace("'", "&#x27;")
    assert editor.result.acquisition_cost == 40.0


# ------------------------------------------------------------------ SWOT
def test_swot_items_in_the_page_font_and_the_importance_header_wide_enough(demo):
    editor = SwotEditor(demo)
    style = editor.body.children[0]
    assert "rk-swot-style" in style._dom_classes
    assert "font-family: inherit" in style.value and "field-sizing: content" in style.value
    assert ".rk-editor-swot .rk-field-item textarea" in style.value
    header = editor._group_boxes["strength"].children[1]
    importance = [c for c in header.children if "Importance" in c.value]
    assert importance and importance[0].layout.width == "7em"
    assert editor.row_widgets[0]["importance"].layout.width == "7em"
    editor.reload()  # rebuilt: the style stays
    assert "rk-swot-style" in editor.body.children[0]._dom_classes


# ------------------------------------------------------------------ budget
def test_budget_chart_key_sits_above_the_plot_and_covers_no_bar_label():
    totals = pd.DataFrame({"quarter": ["T1", "T2", "T3", "T4"], "fixed": [20000.0, 3030.0, 8700.0, 4999.0],
                           "percent_money": [0.0, 0.0, 18000.0, 30000.0], "revenue_forecast": [5e3, 15e3, 60e3, 120e3]})
    from relkit.io.budget_cells import parse_budget_cell

    envelopes = {q: parse_budget_cell(t) for q, t in (("T1", "1 250 €"), ("T2", "3 930 €"),
                                                      ("T3", "8 700 € + 30 % du CA"), ("T4", "4 000 € + 25 % du CA"))}
    fig = budget_chart(totals, labels=L, envelopes=envelopes).figure
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent(renderer)
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            "Montants fixes", "Part du CA (au CA prévu)", "Enveloppe annoncée"]
        assert legend.y0 >= ax.get_window_extent(renderer).y1 - 1  # above the plot
        labels = [t for t in ax.texts if "€" in t.get_text()]
        assert [plain(t.get_text()) for t in labels] == ["20 000 €", "3 030 €", "26 700 €", "34 999 €"]
        for text in labels + [ax.title]:
            assert not legend.overlaps(text.get_window_extent(renderer)), text.get_text()
        assert all(fig.bbox.contains(x, y) for x, y in legend.corners())  # inside the picture
    finally:
        plt.close(fig)


def test_budget_slider_shows_its_amount(demo):
    editor = BudgetEditor(demo)
    assert span(editor.slider_value.value, "rk-budget-slider-amount") == L.money(850)  # Vidéo, T1
    editor.slider.value = 1250.0
    assert span(editor.slider_value.value, "rk-budget-slider-amount") == L.money(1250)
    assert editor.box(0, "T1").value == L.money(1250)
    assert editor.box(0, "T2").value == ""
    editor.quarter_select.value = "T2"  # another cell, empty: the slider and its amount follow it
    assert editor.slider.value == 0.0
    assert span(editor.slider_value.value, "rk-budget-slider-amount") == L.money(0)
    assert editor.box(0, "T2").value == ""  # not rewritten by following it


def test_budget_ltv_cac_with_the_declared_customer_file(demo):
    editor = BudgetEditor(demo)
    assert round(editor.ltv, 2) == 117.11 and editor.cac == 40.0 and editor.ltv_problem is None
    line = plain(re.search(r'<p class="rk-ltv-cac">([^<]*)</p>', editor.summary_html.value).group(1))
    assert "117 €" in line and "40 €" in line and "customer_data" not in line


def test_budget_ltv_cac_never_asks_for_a_declared_customer_file(demo):
    edit_engagement(demo, '  cost_to_reach: "0,80 €"\n')  # customer file declared, the cost to reach not given
    editor = BudgetEditor(demo)
    assert editor.ltv is None
    assert editor.ltv_problem == L("planwb.no_ltv_cac")  # the report's words
    assert "customer_data" not in editor.summary_html.value
    assert "coût pour atteindre un prospect" in editor.summary_html.value


def test_budget_ltv_cac_when_the_declared_file_cannot_measure(demo):
    (demo / "exports" / "ventes.csv").unlink()  # declared but gone: the file cannot be read
    editor = BudgetEditor(demo)
    assert editor.ltv is None and "customer_data" not in editor.summary_html.value
    assert editor.ltv_problem == L("workshop.budget.ltv_cac.failed", n=1) or "ventes" in editor.ltv_problem


def test_budget_ltv_cac_without_customer_file_names_the_missing_inputs(demo):
    text = (demo / "engagement.yaml").read_text(encoding="utf-8")
    start, end = text.index("customer_data:"), text.index("# VMC (seed 001)")
    (demo / "engagement.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    shutil.rmtree(demo / "exports")
    editor = BudgetEditor(demo, lang="en")
    assert editor.ltv is None
    assert editor.ltv_problem == ("LTV:CAC: no customer file is declared to measure the number of purchases a year, "
                                  "the retention rate and the average transaction; give them in the VMC tab.")
