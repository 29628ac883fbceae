"""The KPI editor (relkit/workshop/editors/kpis.py): targets per KPI and
actuals per period, judged live by the dashboard's rule (relkit.topics.kpi),
saved back into exactly the cells edited of the two sheets (one write, one
backup), refused when invalid or changed on disk; a new English engagement
with an empty Actuals sheet works.

Pure Python: widget values are set as the browser would, then the notes, the
summary, the model and the saved workbook (openpyxl) are checked."""
import pytest
from openpyxl import load_workbook

from relkit.intake.load import _plan_sheets, check
from relkit.intake.scaffold import new_engagement
from relkit.io.labels import Labels
from relkit.topics.kpi_catalogue import CATALOGUE
from relkit.views.charts.kpi import STATUS_COLOURS
from relkit.workbooks.plan import PlanWorkbook
from relkit.workshop.app import EDITORS, all_tabs, sheets_of, workshop_app
from relkit.workshop.editors.kpis import KpiEditor
from relkit.workshop.store import BACKUP_DIR, InvalidEntries, WorkshopStore

NNBSP = "\u202f"


def cells(path) -> dict[str, dict[tuple[int, int], object]]:
    """Every cell of every sheet: {sheet title: {(row, column): value}}."""
    wb = load_workbook(path)
    out = {ws.title: {(c.row, c.column): c.value for row in ws.iter_rows() for c in row} for ws in wb.worksheets}
    wb.close()
    return out


def changes(before, after) -> dict[tuple[str, int, int], tuple[object, object]]:
    """(sheet, row, column) -> (before, after) for every cell that differs."""
    assert set(before) == set(after)
    out = {}
    for title in before:
        for key in set(before[title]) | set(after[title]):
            old, new = before[title].get(key), after[title].get(key)
            if old != new:
                out[(title, *key)] = (old, new)
    return out


def plain(text: str) -> str:
    return text.replace(NNBSP, " ").replace("\u00a0", " ").replace("&#x27;", "'")


def kpi_index(editor: KpiEditor, name: str) -> int:
    return next(i for i, r in enumerate(editor._rows) if r.values["kpi"] == name)


def actual_index(editor: KpiEditor, kpi: str, period: str) -> int:
    return next(i for i, r in enumerate(editor.actuals._rows)
                if r.values["kpi"] == kpi and r.values["period"] == period)


# ------------------------------------------------------------------ demo
def test_the_editor_shows_the_reports_dashboard(demo):
    ed = KpiEditor(demo)
    assert "rk-editor-kpis" in ed.widget._dom_classes
    assert len(ed.row_widgets) == 24 and len(ed.actuals.row_widgets) == 8
    assert not ed.problems
    # the same dashboard as workbook 05 computes from the same files
    data, problems = check(demo, import_exports=False)
    report = PlanWorkbook(data, Labels("fr")).dashboard
    assert ed.dash[["kpi", "period", "target", "actual", "attainment", "status"]].equals(
        report[["kpi", "period", "target", "actual", "attainment", "status"]])
    # the report's sentences
    summary = plain(ed.summary_html.value)
    assert ("Sur 7 indicateurs mesurés (dernière période), 1 est dans l'objectif, 2 à surveiller et 4 en retard."
            in summary)
    assert ("Taux d'ouverture (octobre 2026) : 28 % pour une cible de 35 %, soit 80 % de l'objectif (à surveiller)."
            in summary)
    # each actual coloured by its status; each KPI with its target and its last status
    note = ed.actuals._rows[actual_index(ed, "Taux d'ouverture", "10/2026")].note.value
    assert "rk-kpi-status-watch" in note and STATUS_COLOURS["watch"] in note and "80 % · à surveiller" in plain(note)
    note = ed.actuals._rows[actual_index(ed, "Taux d'ouverture", "T3 2026")].note.value
    assert "rk-kpi-status-off_track" in note and "69 % · en retard" in plain(note)  # 24 % for 35 %
    note = plain(ed._rows[kpi_index(ed, "Taux d'ouverture")].note.value)
    assert "cible : 35 %" in note and '● 80 % · à surveiller' in note
    assert 'title="octobre 2026 : 80 % · à surveiller"' in note  # the period measured, in its tooltip
    assert plain(ed._rows[kpi_index(ed, "Chiffre d'affaires")].note.value) == "cible : 200 000 €"
    assert ed.image.value[:4] == b"\x89PNG" and ed.image.layout.display is None
    # the actuals' KPI boxes offer the KPI table's names
    assert "Panier moyen" in ed.actuals.row_widgets[0]["kpi"].options


def test_a_typed_actual_is_judged_at_once(demo):
    ed = KpiEditor(demo)
    audience = ed.actuals.row_widgets[actual_index(ed, "Taille d'audience", "10/2026")]["actual"]
    note = ed.actuals._rows[actual_index(ed, "Taille d'audience", "10/2026")].note
    first_png = ed.image.value
    audience.value = "4 500"  # target 5 000: 90 %, watch
    row = ed.dash[ed.dash["kpi"] == "Taille d'audience"].iloc[0]
    assert row["attainment"] == 0.9 and row["status"] == "watch" and row["actual"] == 4500.0
    assert "rk-kpi-status-watch" in note.value and "90 % · à surveiller" in plain(note.value)
    assert "1 est dans l'objectif, 3 à surveiller et 3 en retard" in plain(ed.summary_html.value)
    assert ed.image.value != first_png  # the chart redrawn
    audience.value = "5 000"  # exactly the target: on track
    assert "rk-kpi-status-on_track" in note.value and "100 % · dans l'objectif" in plain(note.value)
    assert "2 sont dans l'objectif, 2 à surveiller et 3 en retard" in plain(ed.summary_html.value)
    # lower is better: 40 € aimed at, 50 € paid is 80 %, the watch threshold itself
    cac = actual_index(ed, "Coût d'acquisition client", "10/2026")
    ed.actuals.row_widgets[cac]["actual"].value = "50 €"
    row = ed.dash[ed.dash["kpi"] == "Coût d'acquisition client"].iloc[0]
    assert row["attainment"] == 0.8 and row["status"] == "watch"
    assert "80 % · à surveiller" in plain(ed.actuals._rows[cac].note.value)
    # an earlier period is judged but the chart (last period only) is not redrawn
    drawn, png = ed._drawn, ed.image.value
    q3 = actual_index(ed, "Taux d'ouverture", "T3 2026")
    ed.actuals.row_widgets[q3]["actual"].value = "35 %"
    assert "100 % · dans l'objectif" in plain(ed.actuals._rows[q3].note.value)
    assert ed._drawn == drawn and ed.image.value == png
    # a new target judges the KPI's actuals again: 0,4 % of unsubscribes for 0,2 % aimed at is 50 %
    ed.row_widgets[kpi_index(ed, "Taux de désabonnement")]["target"].value = "0,2 %"
    row = ed.dash[ed.dash["kpi"] == "Taux de désabonnement"].iloc[0]
    assert row["attainment"] == 0.5 and row["status"] == "off_track"


def test_save_writes_exactly_the_intended_cells(demo):
    path = demo / "atelier.xlsx"
    before = cells(path)
    ed = KpiEditor(demo)
    ed.row_widgets[kpi_index(ed, "ROI marketing")]["target"].value = "150 %"
    i = ed.actuals.add_row()
    ed.actuals.row_widgets[i]["kpi"].value = "ROI marketing"
    ed.actuals.row_widgets[i]["period"].value = "T4 2026"
    ed.actuals.row_widgets[i]["actual"].value = "120 %"
    assert "80 % · à surveiller" in plain(ed.actuals._rows[i].note.value)  # 120 % for 150 %
    assert ed.save(), ed.status.value
    assert "rk-status-ok" in ed.status.value
    assert changes(before, cells(path)) == {
        ("KPI", 3, 7): (None, "150 %"),
        ("Réalisé", 11, 1): (None, "ROI marketing"),
        ("Réalisé", 11, 2): (None, "T4 2026"),
        ("Réalisé", 11, 3): (None, "120 %"),
    }
    assert len(list((demo / BACKUP_DIR).iterdir())) == 1  # one write, one backup
    # what the next run reports
    data, _ = check(demo, import_exports=False)
    dash = PlanWorkbook(data, Labels("fr")).dashboard
    roi = dash[dash["kpi"] == "ROI marketing"].iloc[0]
    assert (roi["target"], roi["actual"], roi["attainment"], roi["status"]) == (1.5, 1.2, 0.8, "watch")


def test_removing_an_actual_clears_only_its_row(demo):
    path = demo / "atelier.xlsx"
    before = cells(path)
    ed = KpiEditor(demo)
    ed.actuals.remove_row(actual_index(ed, "Taux d'ouverture", "T3 2026"))  # row 3: the rows below move up
    assert ed.save(), ed.status.value
    diff = changes(before, cells(path))
    assert {k[0] for k in diff} == {"Réalisé"}
    assert {k[1] for k in diff} == set(range(3, 11))
    assert diff[("Réalisé", 10, 1)] == ("Taille d'audience", None)


def test_invalid_entries_are_shown_and_never_saved(demo):
    path = demo / "atelier.xlsx"
    before = path.read_bytes()
    ed = KpiEditor(demo)
    i = ed.add_row({"kpi": "Rendez-vous en boutique"})  # custom: no unit
    assert "no unit" in ed.problems_html.value and "rk-invalid" in ed.row_widgets[i]["unit"]._dom_classes
    j = ed.actuals.add_row({"kpi": "Taux de fidélité", "period": "13/2026", "actual": "20 %"})
    text = ed.actuals_problems.value
    assert "Taux de fidélité" in text and "rk-invalid" in ed.actuals.row_widgets[j]["kpi"]._dom_classes
    assert "rk-invalid" in ed.actuals.row_widgets[j]["period"]._dom_classes
    # the same messages as relkit validate (the plan checks of relkit.intake.load)
    kpis, _ = ed.store.check("kpis", ed.rows())
    actuals, _ = ed.store.check("actuals", ed.actuals.rows())
    expected = _plan_sheets(ed.eng, {"kpis": kpis, "actuals": actuals}, str(ed.store.path))
    assert [(p.where, p.message) for p in ed.problems] == [(p.where, p.message) for p in expected]
    assert ed.save() is False and "rk-status-error" in ed.status.value and path.read_bytes() == before
    ed.row_widgets[i]["unit"].value = "count"
    ed.actuals.row_widgets[j]["kpi"].value = "Rendez-vous en boutique"
    ed.actuals.row_widgets[j]["period"].value = "12/2026"
    ed.actuals.row_widgets[j]["actual"].value = "40"
    assert not ed.problems and ed.problems_html.value == "" and ed.actuals_problems.value == ""
    note = plain(ed._rows[i].note.value)
    assert "KPI personnalisé" in note and "● 40 (pas de cible)" in note and 'title="décembre 2026 : 40' in note
    # two actuals for one KPI and period: the dashboard's own rule, reported on the second
    k = ed.actuals.add_row({"kpi": "Rendez-vous en boutique", "period": "12/2026", "actual": "41"})
    assert "two actuals" in ed.actuals_problems.value and ed.save() is False
    ed.actuals.remove_row(k)
    assert ed.save(), ed.status.value


def test_a_save_is_refused_when_the_file_changed_on_disk(demo):
    path = demo / "atelier.xlsx"
    ed = KpiEditor(demo)
    wb = load_workbook(path)
    wb["Réalisé"]["C3"] = "25 %"
    wb.save(path)
    concurrent = path.read_bytes()
    ed.actuals.row_widgets[0]["actual"].value = "30 %"
    assert ed.save() is False
    assert "atelier.xlsx" in ed.status.value and "rk-status-error" in ed.status.value
    assert path.read_bytes() == concurrent
    ed.reload()
    assert ed.actuals.row_widgets[0]["actual"].value == "25 %"
    assert "71 % · en retard" in plain(ed.actuals._rows[0].note.value)  # 25 % for 35 %


def test_catalogue_kpis_are_added_with_their_definition(demo):
    ed = KpiEditor(demo)
    codes = [v for _, v in ed.catalogue.options if v]
    assert "open_rate" not in codes and "qualified_leads" in codes  # tracked ones are not offered again
    assert ed.catalogue_add.disabled
    ed.catalogue.value = "qualified_leads"
    assert not ed.catalogue_add.disabled
    i = ed.add_from_catalogue()
    assert i == 24
    values = ed._rows[i].values
    assert values["kpi"] == "Leads qualifiés" and values["unit"] == "count" and values["direction"] == "higher"
    assert ed.row_widgets[i]["unit"].value == "count"
    assert "qualified_leads" not in [v for _, v in ed.catalogue.options]
    assert ed.catalogue.value == "" and not ed.problems


def test_a_percent_stored_as_a_number_shows_as_a_percentage(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    ws = wb["KPI"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "Taux d'ouverture")
    ws.cell(row, 7).value = 0.35  # Excel turns a typed '35 %' into 0.35
    wb["Réalisé"]["C4"] = 0.28
    wb.save(path)
    before = cells(path)
    ed = KpiEditor(demo)
    assert plain(ed.row_widgets[kpi_index(ed, "Taux d'ouverture")]["target"].value) == "35 %"
    assert plain(ed.actuals.row_widgets[1]["actual"].value) == "28 %"
    assert "80 % · à surveiller" in plain(ed.actuals._rows[1].note.value)
    assert ed.save() and changes(before, cells(path)) == {}  # untouched cells keep their numbers


def test_saving_two_sheets_is_all_or_nothing(demo):
    path = demo / "atelier.xlsx"
    before = path.read_bytes()
    store = WorkshopStore(demo)
    kpis, actuals = store.rows("kpis"), store.rows("actuals")
    kpis[0]["target"] = "10 %"
    actuals[0]["actual"] = "beaucoup"  # not a number: nothing is written, the KPI sheet neither
    with pytest.raises(InvalidEntries) as refused:
        store.save_sheets({"kpis": kpis, "actuals": actuals})
    assert [p.where for p in refused.value.problems] == ["sheet 'Réalisé', row 3, column 'Réalisé'"]
    assert path.read_bytes() == before and not (demo / BACKUP_DIR).exists()


# ------------------------------------------------------------------ a new English engagement
@pytest.fixture
def fresh(tmp_path):
    return new_engagement(tmp_path / "ouest", "Ouest Fournitures", language="en", plan_year=2027)


def test_a_new_english_engagement_with_no_actuals(fresh):
    path = fresh / "atelier.xlsx"
    before = cells(path)
    ed = KpiEditor(fresh)
    assert ed.store.title("kpis") == "KPIs" and not ed.actuals.row_widgets and not ed.problems
    assert plain(ed.summary_html.value) == (
        '<p class="rk-kpi-summary">No actuals entered yet: the dashboard fills in at each review.</p>')
    assert ed.image.layout.display == "none"
    assert ("%", "percent") in ed.row_widgets[0]["unit"].options
    assert ed.catalogue.options[0] == ("pick a catalogue KPI…", "")
    basket = kpi_index(ed, "Average basket")
    ed.row_widgets[basket]["target"].value = "€45"
    i = ed.actuals.add_row({"kpi": "Average basket", "period": "Q1", "actual": "€54"})
    note = ed.actuals._rows[i].note.value
    assert "rk-kpi-status-on_track" in note and "120% · on track" in plain(note)
    assert plain(ed.summary_html.value).startswith(
        '<p class="rk-kpi-summary">Of 1 KPI measured (last period), 1 is on track, 0 to watch and 0 off track.</p>')
    assert ed.image.value[:4] == b"\x89PNG" and ed.image.layout.display is None
    assert ed.save(), ed.status.value
    row = next(r for r, c in before["KPIs"] if c == 1 and before["KPIs"][(r, c)] == "Average basket")
    assert changes(before, cells(path)) == {
        ("KPIs", row, 7): (None, "€45"),
        ("Actuals", 3, 1): (None, "Average basket"),
        ("Actuals", 3, 2): (None, "Q1"),
        ("Actuals", 3, 3): (None, "€54"),
    }


def test_an_empty_kpi_table(fresh):
    path = fresh / "atelier.xlsx"
    ed = KpiEditor(fresh)
    n = len(ed.row_widgets)
    for _ in range(n):
        ed.remove_row(0)
    assert plain(ed.summary_html.value) == (
        '<p class="rk-kpi-summary">No KPI tracked yet: add one from the catalogue or write your own.</p>')
    assert len(ed.catalogue.options) == 1 + len(CATALOGUE)  # every catalogue KPI offered again
    before = cells(path)
    assert ed.save(), ed.status.value
    diff = changes(before, cells(path))
    assert {k[0] for k in diff} == {"KPIs"} and all(new is None for _, new in diff.values())
    assert {k[1] for k in diff} == set(range(3, 3 + n))
    assert WorkshopStore(fresh).rows("kpis") == []


# ------------------------------------------------------------------ in the app
def test_the_kpi_tab_saves_both_sheets_and_opens_in_the_app(demo):
    assert EDITORS["kpis"] == "relkit.workshop.editors.kpis.KpiEditor"
    assert list(EDITORS)[list(EDITORS).index("budget") + 1] == "kpis"  # the report's order: budget, then KPIs
    assert sheets_of(KpiEditor) == ("kpis", "actuals")
    tabs = all_tabs()
    assert "kpis" in tabs and "actuals" not in tabs  # no second editor of the Réalisé sheet
    app = workshop_app(demo, editors=["kpis"])
    editor = app.editor("kpis")
    assert isinstance(editor, KpiEditor) and not app.errors
    assert list(app.titles) == ["KPI et tableau de bord"]
