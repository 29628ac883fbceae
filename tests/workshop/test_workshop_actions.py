"""Workshop: the action-plan editor (sheet "Plan d'actions").

Built on a writable copy of the demo (and on a new English engagement), widget
values set as the browser would; the month strip, the live retro-planning (the
report's own chart and takeaway), the saved cells (openpyxl, every sheet) and
the budget editor reading the same rows are checked."""
import pytest
from hypothesis import given, settings, strategies as st
from openpyxl import load_workbook

from relkit.cli import main
from relkit.io.budget_cells import parse_months
from relkit.io.labels import Labels
from relkit.workshop.editors.actions import ActionsEditor, months_cell
from relkit.workshop.editors.budget import BudgetEditor

SHEET = "Plan d'actions"
PNG = b"\x89PNG"


def workbook_cells(path) -> dict[tuple[str, int, int], object]:
    """Every non-empty cell of every sheet: (sheet, row, column) -> value."""
    wb = load_workbook(path)
    cells = {(ws.title, c.row, c.column): c.value for ws in wb for row in ws.iter_rows() for c in row
             if c.value is not None}
    wb.close()
    return cells


def changed_cells(before: dict, after: dict) -> dict:
    return {k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)}


def column_of(path, sheet, header) -> int:
    wb = load_workbook(path)
    col = next(c.column for c in wb[sheet][2] if c.value == header)
    wb.close()
    return col


# ------------------------------------------------------------------ the month cell
@given(st.sets(st.integers(1, 12)))
@settings(max_examples=200, deadline=None)
def test_months_cell_reads_back_to_the_same_months(months):
    text = months_cell(months)
    assert parse_months(text) == tuple(sorted(months))
    assert (text == "") == (not months)


def test_months_cell_writes_ranges():
    assert months_cell((1, 2, 3, 7, 9, 10, 11, 12)) == "1-3, 7, 9-12"
    assert months_cell(range(1, 13)) == "1-12"
    assert months_cell((8, 1)) == "1, 8"
    assert months_cell((4, 5)) == "4-5"


# ------------------------------------------------------------------ the demo
def test_editor_builds_on_the_demo_with_the_reports_retro_planning(demo):
    ed = ActionsEditor(demo)
    assert len(ed.row_widgets) == 15 and not ed.problems
    assert ed.strip(ed.index_named("Vidéo de présentation")).months == (1, 2)  # 'janvier-février'
    assert ed.strip(ed.index_named("Tutoriels de couture")).months == tuple(range(1, 13))  # "toute l'année"
    assert ed.strip(ed.index_named("Pub Etsy")).months == tuple(range(4, 13))  # 'avril à décembre'
    assert ed.strip(ed.index_named("Photos des produits")).value == "1, 8"  # the cell as typed
    labels = [b.description for b in ed.strip(0).buttons]
    assert labels[0] == "janv." and labels[7] == "août" and len(labels) == 12
    assert ed.strip(0).buttons[0].tooltip == "janvier : active (cliquer pour retirer)"
    assert ed.strip(0).buttons[2].tooltip == "mars : cliquer pour activer"
    # the retro-planning: drawn once, with workbook 05's takeaway (December: 12 actions running, 6 all year)
    assert ed.redraws == 1 and bytes(ed.image.value).startswith(PNG) and ed.image.layout.display is None
    assert ed.takeaway == "15 actions planifiées ; mois le plus chargé : décembre (12 en cours) ; 6 toute l'année."
    assert "rk-retro-takeaway" in ed.summary_html.value and "15 actions saisies." in ed.summary_html.value
    # first line: the table's headers as in the workbook
    header = ed.body.children[1]
    assert [h.value for h in header.children] == ["<b>Catégorie</b>", "<b>Action</b>", "<b>Objectif</b>", "<b>KPI</b>",
                                                  "<b>Responsable</b>", "<b>Priorité</b>", "<b>Levier</b>"]


def test_a_month_toggled_changes_the_cell_and_redraws_the_retro(demo):
    ed = ActionsEditor(demo)
    i = ed.index_named("Photos des produits")
    strip = ed.strip(i)
    before_png, redraws = ed.image.value, ed.redraws
    strip.toggle(3)
    assert strip.value == "1, 3, 8" and parse_months(strip.value) == (1, 3, 8)
    assert ed.rows()[i]["months"] == "1, 3, 8"
    assert strip.buttons[2].button_style == "info" and strip.buttons[3].button_style == ""
    drawn = {a.action: a.months for a in ed.retro_actions}
    assert drawn["Photos des produits"] == (1, 3, 8)
    assert ed.redraws == redraws + 1 and bytes(ed.image.value) != bytes(before_png)
    # every month: a seventh action all year round, in the takeaway
    for m in (2, 4, 5, 6, 7, 9, 10, 11, 12):
        strip.toggle(m)
    assert strip.value == "1-12"
    assert ed.takeaway == "15 actions planifiées ; mois le plus chargé : décembre (13 en cours) ; 7 toute l'année."
    # a change the retro-planning does not show: no redraw
    redraws = ed.redraws
    ed.row_widgets[i]["kpi"].value = "Taux de clic"
    assert ed.redraws == redraws and ed.refreshes > redraws
    # back to the months as loaded: the cell as it was typed
    video = ed.strip(ed.index_named("Vidéo de présentation"))
    video.toggle(3)
    assert video.value == "1-3"
    video.toggle(3)
    assert video.value == "janvier-février" and ed.rows()[ed.index_named("Vidéo de présentation")]["months"] == (
        "janvier-février")
    # a value set from Python shows its months
    video.value = "T3"
    assert video.months == (7, 8, 9)


def test_names_and_months_are_redrawn_in_place_as_a_new_chart_would_show_them(demo):
    from relkit.views.charts.retro import retro_chart
    from relkit.workshop.render import figure_png, live_drawing

    ed = ActionsEditor(demo)
    chart = ed._retro
    i = ed.index_named("Photos des produits")
    ed.row_widgets[i]["action"].value = "Photos des produits pour la boutique en ligne"
    ed.strip(i).toggle(5)
    assert ed._retro is chart and ed.redraws == 3  # moved, not built again
    rows, options = ed.book(ed.model()).retro_parts()
    with live_drawing():
        assert ed.image.value == figure_png(retro_chart(rows, labels=ed.L, **options).figure, dpi=120, box="figure")
    ed.row_widgets[i]["category"].value = "events"  # another category: a new chart
    assert ed._retro is not chart


def test_months_off_the_calendar_are_reported_and_never_saved(demo):
    ed = ActionsEditor(demo)
    i = ed.index_named("Salesforce")
    ed.strip(i).value = "13"
    assert ed.strip(i).months == ()
    assert any("Mois actifs" in p.where for p in ed.problems)
    assert "rk-invalid" in ed.strip(i)._dom_classes
    assert "Salesforce" not in {a.action for a in ed.retro_actions}  # the report cannot read it either
    before = (demo / "atelier.xlsx").read_bytes()
    assert ed.save() is False and (demo / "atelier.xlsx").read_bytes() == before
    ed.strip(i).toggle(11)
    assert ed.strip(i).value == "11" and not ed.problems


def test_save_writes_exactly_the_intended_cells(demo):
    path = demo / "atelier.xlsx"
    before = workbook_cells(path)
    ed = ActionsEditor(demo)
    photos, newsletter = ed.index_named("Photos des produits"), ed.index_named("Newsletter")
    ed.strip(photos).toggle(3)
    ed.row_widgets[newsletter]["kpi"].value = "Taux d'ouverture"
    assert ed.save() is True
    months, kpi = column_of(path, SHEET, "Mois actifs"), column_of(path, SHEET, "KPI")
    assert changed_cells(before, workbook_cells(path)) == {
        (SHEET, 6, months): ("1, 8", "1, 3, 8"),
        (SHEET, 15, kpi): ("Taux d'ouverture + taux de clic", "Taux d'ouverture"),
    }
    # the budget editor reads the same rows: its grid and totals are unchanged
    budget = BudgetEditor(demo)
    assert len(budget.boxes) == 15 and budget.box(0, "T1").value == "850 €"
    assert budget.quarter_total("T2") == 3030


def test_added_moved_and_removed_actions_are_saved_in_order(demo):
    path = demo / "atelier.xlsx"
    before = workbook_cells(path)
    ed = ActionsEditor(demo)
    at = ed.add_row({"category": "emailing_crm", "action": "Relance panier abandonné", "owner": "Zoé",
                     "objective": "Conversion", "priority": "high", "lever": "start"})
    assert at == 15
    ed.row_widgets[at]["budget_q2"].value = "300 €"
    for m in (4, 5, 6):
        ed.strip(at).toggle(m)
    assert {a.action: a.months for a in ed.retro_actions}["Relance panier abandonné"] == (4, 5, 6)
    assert ed.save() is True
    after = workbook_cells(path)
    cols = {h: column_of(path, SHEET, h) for h in ("Catégorie", "Action", "Objectif", "Responsable", "Budget T2",
                                                    "Mois actifs", "Priorité", "Levier")}
    assert changed_cells(before, after) == {
        (SHEET, 18, cols["Catégorie"]): (None, "E-mailing et CRM"),
        (SHEET, 18, cols["Action"]): (None, "Relance panier abandonné"),
        (SHEET, 18, cols["Objectif"]): (None, "Conversion"),
        (SHEET, 18, cols["Responsable"]): (None, "Zoé"),
        (SHEET, 18, cols["Budget T2"]): (None, "300 €"),
        (SHEET, 18, cols["Mois actifs"]): (None, "4-6"),
        (SHEET, 18, cols["Priorité"]): (None, "haute"),
        (SHEET, 18, cols["Levier"]): (None, "à commencer"),
    }
    # the budget editor reads the new row: one more line, 300 € more in T2
    budget = BudgetEditor(demo)
    assert len(budget.boxes) == 16 and budget.box(15, "T2").value == "300 €"
    assert budget.quarter_total("T2") == 3030 + 300

    # move the new action up one row, remove the first one: rows shift, nothing else changes
    ed.move(15, -1)
    ed.remove_row(0)
    assert ed.save() is True
    wb = load_workbook(path)
    ws = wb[SHEET]
    names = [ws.cell(r, cols["Action"]).value for r in range(3, 19)]
    wb.close()
    assert names[0] == "Blogging"
    assert names[-4:] == ["Location de base de données", "Relance panier abandonné", "Salesforce", None]  # row 18 emptied
    assert len([n for n in names if n]) == 15


def test_reload_reads_the_saved_months(demo):
    ed = ActionsEditor(demo)
    ed.strip(ed.index_named("Newsletter")).toggle(1)  # 1-12 -> 2-12
    assert ed.save() is True
    ed.reload()
    strip = ed.strip(ed.index_named("Newsletter"))
    assert strip.months == tuple(range(2, 13)) and strip.value == "2-12"


# ------------------------------------------------------------------ a new English engagement
@pytest.fixture
def english(tmp_path):
    folder = tmp_path / "acme"
    assert main(["new", str(folder), "--name", "Acme Ltd", "--lang", "en", "--plan-year", "2027"]) == 0
    return folder


def test_empty_english_sheet(english):
    path = english / "atelier.xlsx"
    before = workbook_cells(path)
    ed = ActionsEditor(english)
    assert ed.L.lang == "en" and "Action plan" in ed.widget.children[0].value
    assert ed.row_widgets == [] and ed.redraws == 1
    assert ed.image.layout.display == "none"  # nothing to draw yet
    assert "No action yet" in ed.summary_html.value
    first = ed.add_row({"category": "emailing_crm", "action": "Welcome e-mail", "budget_q1": "200 €"})
    second = ed.add_row({"category": "content", "action": "Blog"})
    assert [b.description for b in ed.strip(first).buttons][:3] == ["Jan", "Feb", "Mar"]
    for m in (1, 2, 3):
        ed.strip(first).toggle(m)
    for m in range(3, 13):
        ed.strip(second).toggle(m)
    assert ed.strip(first).value == "1-3" and ed.strip(second).value == "3-12"
    assert ed.image.layout.display is None and bytes(ed.image.value).startswith(PNG)
    assert ed.takeaway == "2 actions scheduled; busiest month: March (2 running)."
    assert ed.save() is True
    sheet = "Action plan"
    cols = {h: column_of(path, sheet, h) for h in ("Category", "Action", "Budget Q1", "Active months")}
    assert changed_cells(before, workbook_cells(path)) == {
        (sheet, 3, cols["Category"]): (None, "E-mailing and CRM"),
        (sheet, 3, cols["Action"]): (None, "Welcome e-mail"),
        (sheet, 3, cols["Budget Q1"]): (None, "200 €"),
        (sheet, 3, cols["Active months"]): (None, "1-3"),
        (sheet, 4, cols["Category"]): (None, "Content marketing"),
        (sheet, 4, cols["Action"]): (None, "Blog"),
        (sheet, 4, cols["Active months"]): (None, "3-12"),
    }
    budget = BudgetEditor(english)
    assert len(budget.boxes) == 2 and budget.box(0, "T1").value == "200 €"


def test_french_engagement_in_english(demo):
    ed = ActionsEditor(demo, lang="en")
    assert ed.takeaway == "15 actions scheduled; busiest month: December (12 running); 6 all year round."
    assert ed.strip(0).buttons[0].tooltip == "January: active (click to remove)"
    assert Labels("en")("workshop.actions.count", n=15) in ed.summary_html.value


def test_one_action_is_said_in_the_singular(english):
    ed = ActionsEditor(english)
    at = ed.add_row({"category": "content", "action": "Blog"})
    ed.strip(at).toggle(1)
    assert ed.takeaway == "1 action scheduled; busiest month: January (1 running)."
    assert ActionsEditor(english, lang="fr").takeaway is None  # nothing saved: nothing drawn
