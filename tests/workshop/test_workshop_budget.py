"""Workshop editors W3: the budget grid, the VMC calculator and the segments explorer.

Pure Python: the editors are built on a writable copy of the demo, widget values
are set as the browser would, and the summary, the model and the saved files are
checked (openpyxl, engagement.yaml)."""
import datetime as dt
import re
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font

from relkit.io.engagement_file import read_engagement
from relkit.io.labels import Labels
from relkit.workshop.editors.budget import BudgetEditor
from relkit.workshop.editors.segments import SegmentsExplorer
from relkit.workshop.editors.value import ValueCalculator

L = Labels("fr")
SHEET = "Plan d'actions"
VIDEO = "Vidéo de présentation"


def span(html_text: str, css: str) -> str:
    """Text of the first <span> whose classes include ``css``."""
    m = re.search(rf'<span class="(?:[^"]* )?{re.escape(css)}(?: [^"]*)?">([^<]*)</span>', html_text)
    assert m, f"no span {css} in {html_text[:300]}"
    return m.group(1).replace("&#x27;", "'")


def span_classes(html_text: str, css: str) -> list[str]:
    m = re.search(rf'<span class="((?:[^"]* )?{re.escape(css)}(?: [^"]*)?)">', html_text)
    assert m, css
    return m.group(1).split()


def action_index(editor: BudgetEditor, name: str) -> int:
    return next(i for i, r in enumerate(editor._loaded) if r["action"] == name)


def sheet_cells(path, title=SHEET):
    wb = load_workbook(path)
    ws = wb[title]
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row}
    others = {name: [[c.value for c in row] for row in wb[name].iter_rows()] for name in wb.sheetnames if name != title}
    wb.close()
    return cells, others


def budget_cell(path, action, header="Budget T1"):
    wb = load_workbook(path)
    ws = wb[SHEET]
    col = next(c.column for c in ws[2] if c.value == header)
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 2).value == action)
    value = ws.cell(row, col).value
    wb.close()
    return value, row, col


# ------------------------------------------------------------------ budget
def test_budget_loads_the_seed_totals(demo):
    editor = BudgetEditor(demo)
    html_text = editor.summary_html.value
    for quarter, amount in {"T1": 1250, "T2": 3030, "T3": 26700, "T4": 34999}.items():
        assert span(html_text, f"rk-total-{quarter}") == L.money(amount)
    assert span(html_text, "rk-total-year") == L.money(1250 + 3030 + 26700 + 34999)
    # one box per action and quarter, the cell as typed
    assert len(editor.boxes) == len(editor.store.rows("actions")) == 15
    assert editor.box(0, "T1").value == "850 €"
    assert editor.box(1, "T1").value == "6h/semaine"
    assert {"rk-amount", "rk-amount-0-T1"} <= set(editor.box(0, "T1")._dom_classes)
    # the seed's stated envelopes: T1 matches, T2 under by 900 €, T4 over by 999 €
    assert "rk-envelope-ok" in span_classes(html_text, "rk-envelope-T1")
    assert "rk-envelope-under" in span_classes(html_text, "rk-envelope-T2")
    assert L.money(900) in span(html_text, "rk-envelope-T2")
    assert "rk-envelope-over" in span_classes(html_text, "rk-envelope-T4")
    assert L.money(999) in span(html_text, "rk-envelope-T4")
    # ROI and LTV:CAC (VMC measured once at load: 117,11 € for 40 € of acquisition)
    assert "ROI" in html_text and "137" in html_text
    assert round(editor.ltv, 2) == 117.11 and editor.cac == 40.0
    assert editor.image.value and editor.category_image.value
    assert editor.last_refresh_seconds < 1.5


def test_budget_box_change_updates_totals_envelope_and_chart(demo):
    editor = BudgetEditor(demo)
    i = action_index(editor, VIDEO)
    editor.box(i, "T1").value = "1 000 €"
    html_text = editor.summary_html.value
    assert span(html_text, "rk-total-T1") == L.money(1400)
    assert "rk-envelope-over" in span_classes(html_text, "rk-envelope-T1")
    assert L.money(150) in span(html_text, "rk-envelope-T1")
    # the numbers fed to the charts
    totals = editor.totals.set_index("quarter")
    assert totals.loc["T1", "fixed"] == 1400
    content = editor.categories.set_index("category").loc["content", "total"]
    assert content == 1000
    assert editor.last_refresh_seconds < 1.5


def test_budget_charts_are_moved_in_place_and_show_the_new_numbers(demo):
    """A change moves the charts shown to the new numbers (same Axes, no new figure):
    the pictures are those of charts built for the new entries."""
    from relkit.views.charts.budget import budget_chart, category_chart
    from relkit.workshop.render import figure_png, live_drawing

    editor = BudgetEditor(demo)
    charts = dict(editor._charts)
    editor.box(action_index(editor, VIDEO), "T1").value = "12 850 €"
    assert editor._charts == charts  # the same Axes, moved
    with live_drawing():
        budget = budget_chart(editor.totals, labels=L, envelopes=editor.envelopes)
        categories = category_chart(editor.categories, labels=L, title=L("workshop.budget.category_chart"))
        assert editor.image.value == figure_png(budget.figure, box="figure")
        assert editor.category_image.value == figure_png(categories.figure, box="figure")


def test_budget_slider_rewrites_the_chosen_cell(demo):
    editor = BudgetEditor(demo)
    i = action_index(editor, VIDEO)
    editor.action_select.value = i
    editor.quarter_select.value = "T1"
    assert editor.slider.value == 850  # shows the cell, changes nothing
    assert editor.box(i, "T1").value == "850 €"
    editor.slider.value = 1000
    assert editor.box(i, "T1").value == L.money(1000)
    assert span(editor.summary_html.value, "rk-total-T1") == L.money(1400)
    # a share of revenue already in the cell is kept: only the fixed part moves
    ads = action_index(editor, "Facebook Ads")
    editor.action_select.value = ads
    editor.quarter_select.value = "T3"
    assert editor.slider.value == 0
    editor.slider.value = 500
    assert editor.box(ads, "T3").value == f"{L.money(500)} + 10 % du CA"
    assert span(editor.summary_html.value, "rk-total-T3") == L.money(26700 + 500)
    # typing in the chosen box moves the slider
    editor.box(ads, "T3").value = "2 000 €"
    assert editor.slider.value == 2000
    assert editor.last_refresh_seconds < 1.5


def test_budget_invalid_cell_is_shown_and_not_saved(demo):
    path = demo / "atelier.xlsx"
    before = path.read_bytes()
    editor = BudgetEditor(demo)
    i = action_index(editor, VIDEO)
    editor.box(i, "T1").value = "beaucoup"
    assert editor.problems and "beaucoup" in editor.problems_html.value
    assert "rk-invalid" in editor.box(i, "T1")._dom_classes
    assert span(editor.summary_html.value, "rk-total-T1") == L.money(400)  # counted as empty meanwhile
    assert editor.save() is False
    assert "rk-status-error" in editor.status.value
    assert path.read_bytes() == before
    assert not (demo / "sauvegardes").exists()
    editor.box(i, "T1").value = "900 €"
    assert not editor.problems and "rk-invalid" not in editor.box(i, "T1")._dom_classes


def test_budget_save_writes_only_the_cell(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)  # a bold cell elsewhere, before the editor loads
    ws = wb[SHEET]
    ws.cell(4, 2).font = Font(bold=True)
    wb.save(path)
    wb.close()
    cells_before, others_before = sheet_cells(path)
    editor = BudgetEditor(demo)
    i = action_index(editor, VIDEO)
    editor.box(i, "T1").value = "1 000 €"
    assert editor.save() is True, editor.status.value
    assert "rk-status-ok" in editor.status.value
    value, row, col = budget_cell(path, VIDEO)
    assert value == "1 000 €"
    cells_after, others_after = sheet_cells(path)
    changed = {k for k in cells_before if cells_before[k] != cells_after.get(k)}
    assert changed == {(row, col)}
    assert others_after == others_before
    wb = load_workbook(path)
    assert wb[SHEET].cell(4, 2).font.bold is True
    wb.close()
    backups = list((demo / "sauvegardes").glob("atelier-*.xlsx"))
    assert len(backups) == 1
    assert budget_cell(backups[0], VIDEO)[0] == "850 €"
    # the workbook still validates and a second save keeps the new value
    assert editor.save() is True
    assert budget_cell(path, VIDEO)[0] == "1 000 €"


def test_budget_slider_value_is_saved(demo):
    editor = BudgetEditor(demo)
    editor.action_select.value = action_index(editor, "Pub Etsy")
    editor.quarter_select.value = "T2"
    editor.slider.value = 650
    assert editor.save() is True
    assert budget_cell(demo / "atelier.xlsx", "Pub Etsy", "Budget T2")[0] == L.money(650)


def test_budget_concurrent_change_is_refused(demo):
    path = demo / "atelier.xlsx"
    editor = BudgetEditor(demo)
    wb = load_workbook(path)  # someone edits the file in Excel meanwhile
    wb[SHEET].cell(3, 5).value = "Quelqu'un d'autre"
    wb.save(path)
    wb.close()
    edited = path.read_bytes()
    editor.box(action_index(editor, VIDEO), "T1").value = "1 000 €"
    assert editor.save() is False
    assert "atelier.xlsx" in editor.status.value and "rk-status-error" in editor.status.value
    assert path.read_bytes() == edited
    assert not (demo / "sauvegardes").exists()


# ------------------------------------------------------------------ VMC
def test_value_dentist_example_behind_its_button(demo):
    editor = ValueCalculator(demo)  # opens on the client's values (tests/workshop/test_workshop_details.py)
    editor.example_button.click()
    r = editor.result
    assert (r.gross, r.acquisition_cost, r.net) == (1400, 100, 1300)
    html_text = editor.summary_html.value
    assert span(html_text, "rk-vmc-gross") == L.money(1400)
    assert span(html_text, "rk-vmc-acquisition") == L.money(100)
    assert span(html_text, "rk-vmc-net") == L.money(1300)
    assert editor.boxes["retention"].value == "75 %"
    assert "rk-vmc-retention" in editor.boxes["retention"]._dom_classes
    assert editor.image.value
    assert editor.last_refresh_seconds < 1.5


def test_value_retention_changes_gross_as_the_seed_says(demo):
    editor = ValueCalculator(demo)
    editor.use_example()
    editor.boxes["retention"].value = "50 %"
    # 2 × 400 + 400 × (0,50 × (3 − 1)) = 800 + 400 = 1 200
    assert editor.result.gross == 1200
    assert editor.result.net == 1100
    assert span(editor.summary_html.value, "rk-vmc-gross") == L.money(1200)
    assert editor.sliders["retention"].value == 50
    editor.sliders["retention"].value = 60  # 800 + 400 × 1,2 = 1 280
    assert editor.boxes["retention"].value == "60 %"
    assert editor.result.gross == 1280
    assert editor.last_refresh_seconds < 1.5


@pytest.mark.parametrize("typed", ["0", "0 %", "abc", ""])
def test_value_invalid_conversion_is_shown_and_not_saved(demo, typed):
    path = demo / "engagement.yaml"
    before = path.read_bytes()
    editor = ValueCalculator(demo)
    editor.boxes["conversion_rate"].value = typed
    assert editor.problems and editor.result is None
    assert "Taux de conversion" in editor.problems_html.value
    assert "rk-invalid" in editor.boxes["conversion_rate"]._dom_classes
    assert "rk-vmc-invalid" in editor.summary_html.value
    assert editor.save() is False
    assert path.read_bytes() == before


def test_value_save_writes_the_keys_and_keeps_comments(demo):
    path = demo / "engagement.yaml"
    editor = ValueCalculator(demo)
    editor.use_example()
    updates = editor.save_engagement()
    assert set(updates) == {f"value.{k}" for k in ("purchases_per_year", "average_transaction", "retention",
                                                   "period_years", "cost_to_reach", "conversion_rate", "margin")}
    assert updates["value.average_transaction"] == "400 €"
    assert updates["value.retention"] == "75 %"
    assert updates["value.conversion_rate"] == "3 %"
    assert editor.save() is True, editor.status.value
    eng, problems = read_engagement(demo)
    assert not problems
    v = eng.value
    assert (v.purchases_per_year, v.average_transaction, v.retention, v.period_years, v.cost_to_reach,
            v.conversion_rate) == (2, 400, 0.75, 3, 3, 0.03)
    assert v.margin == 0.55  # the example has no margin: the client's is kept
    text = path.read_text(encoding="utf-8")
    assert "# VMC (seed 001): what a visitor costs to reach" in text
    assert "# relkit engagement — client identity and targets" in text
    assert list((demo / "sauvegardes").glob("engagement-*.yaml"))


def test_value_client_values_and_measured_ones_stay_measured(demo):
    from relkit.intake.imports import import_sources
    from relkit.workbooks.customers import CustomerFile

    editor = ValueCalculator(demo)
    editor.use_client_values()
    assert editor.boxes["cost_to_reach"].value == "0,80 €"
    assert editor.boxes["conversion_rate"].value == "2 %"
    assert editor.boxes["margin"].value == "55 %"
    eng, _ = read_engagement(demo)
    imports, _ = import_sources(demo, eng)
    expected = CustomerFile(eng, imports, L).vmc()
    assert editor.result.acquisition_cost == 40
    assert editor.result.gross == pytest.approx(expected.gross, abs=0.05)
    editor.boxes["retention"].value = "50 %"
    assert editor.save() is True
    saved, problems = read_engagement(demo)
    assert not problems
    assert saved.value.retention == 0.5
    assert saved.value.purchases_per_year is None and saved.value.average_transaction is None  # still measured
    assert saved.value.cost_to_reach == 0.8


def test_value_concurrent_change_is_refused(demo):
    path = demo / "engagement.yaml"
    editor = ValueCalculator(demo)
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited meanwhile\n", encoding="utf-8")
    edited = path.read_bytes()
    assert editor.save() is False
    assert path.read_bytes() == edited


# ------------------------------------------------------------------ segments
def dormant_by_hand(demo, months: int) -> int:
    """Customers whose last purchase is older than ``months`` before the day after the last sale,
    straight from the sales export with pandas."""
    t = pd.read_csv(demo / "exports" / "ventes.csv", sep=";", encoding="cp1252", dtype=str)
    t.columns = ["client", "date", "invoice", "item", "qty", "amount"]
    t["amount"] = t["amount"].str.replace(r"\s", "", regex=True).str.replace(",", ".").astype(float)
    t["date"] = pd.to_datetime(t["date"], format="%d/%m/%Y")
    t["invoice"] = t["invoice"].fillna("day-" + t["date"].dt.strftime("%Y-%m-%d"))  # no invoice: one order a day
    orders = t.groupby(["client", "invoice"]).agg(date=("date", "min"), amount=("amount", "sum")).reset_index()
    as_of = orders["date"].max() + pd.Timedelta(days=1)
    last = orders[orders["amount"].round(2) > 0].groupby("client")["date"].max()
    return int((last < as_of - pd.DateOffset(months=months)).sum())


def test_segments_dormancy_threshold(demo):
    editor = SegmentsExplorer(demo)
    assert editor.dormant_slider.value == 12
    assert editor.date_picker.value == dt.date(2026, 11, 1)  # the day after the last sale
    assert span(editor.summary_html.value, "rk-dormant-count") == L.number(dormant_by_hand(demo, 12))
    editor.dormant_slider.value = 6
    expected = dormant_by_hand(demo, 6)
    assert editor.targets.dormant == expected
    assert span(editor.summary_html.value, "rk-dormant-count") == L.number(expected)
    assert expected != dormant_by_hand(demo, 12)
    assert int(editor.profile["customers"].sum()) == len(editor.rfm)
    assert editor.image.value
    assert editor.last_refresh_seconds < 1.5


def test_segments_reference_date_and_aggregates_only(demo):
    editor = SegmentsExplorer(demo)
    editor.date_picker.value = dt.date(2026, 6, 30)
    assert editor.as_of == dt.date(2026, 6, 30)
    assert editor.targets is not None and editor.last_refresh_seconds < 1.5
    customers = pd.read_csv(demo / "exports" / "clients_shopify.csv", dtype=str)
    shown = editor.summary_html.value
    assert "@" not in shown
    names = set(customers["Last Name"].dropna()) | set(customers["Email"].dropna())
    assert not any(re.search(rf"\b{re.escape(n)}\b", shown) for n in names if len(n) > 3)
    editor.date_picker.value = dt.date(2020, 1, 1)  # before the first purchase
    assert editor.problems and editor.targets is None
    assert editor.save() is False


def test_segments_save_writes_the_keys(demo):
    editor = SegmentsExplorer(demo)
    editor.dormant_slider.value = 6
    assert editor.save_engagement() == {"customer_data.dormant_months": 6, "customer_data.reference_date": None}
    editor.date_picker.value = dt.date(2026, 9, 30)
    assert editor.save_engagement()["customer_data.reference_date"] == "30/09/2026"
    assert editor.save() is True, editor.status.value
    eng, problems = read_engagement(demo)
    assert not problems
    assert eng.customer_data.dormant_months == 6
    assert eng.customer_data.reference_date == dt.date(2026, 9, 30)
    text = (demo / "engagement.yaml").read_text(encoding="utf-8")
    assert "# The client's own exports" in text


def test_segments_without_customer_file(demo, tmp_path):
    path = demo / "engagement.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("customer_data:"), text.index("# VMC (seed 001)")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    editor = SegmentsExplorer(demo)
    assert editor.problems and editor.targets is None
    assert editor.dormant_slider.disabled
    assert editor.save() is False
    shutil.rmtree(demo / "exports")  # and the budget still loads, without LTV:CAC
    budget = BudgetEditor(demo)
    assert budget.ltv is None and "LTV:CAC" in span_or_text(budget.summary_html.value, "rk-ltv-cac")


def span_or_text(html_text: str, css: str) -> str:
    m = re.search(rf'<p class="{re.escape(css)}">([^<]*)</p>', html_text)
    assert m, css
    return m.group(1)
