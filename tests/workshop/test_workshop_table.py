"""Workshop sheet editors (relkit/workshop/table.py, swot.py, objectives.py,
collection.py): built from the schema, live checks, saving that loses nothing."""
import pytest
from openpyxl import load_workbook

from relkit.workshop.editors.collection import CollectionEditor
from relkit.workshop.editors.objectives import ObjectivesEditor
from relkit.workshop.store import BACKUP_DIR
from relkit.workshop.editors.swot import SwotEditor
from relkit.workshop.table import TableEditor


def _values(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def _column(ws, col, first=3):
    out = []
    for r in range(first, ws.max_row + 1):
        value = ws.cell(r, col).value
        if value is None:
            break
        out.append(value)
    return out




# ---------------------------------------------------------------- generic table
def test_table_widgets_follow_the_schema(demo):
    ed = TableEditor(demo, sheet="journey")
    assert "rk-editor-table-journey" in ed.widget._dom_classes
    assert len(ed.row_widgets) == 27
    first = ed.row_widgets[0]
    # open list: the default journey stages (codes as values, labels in French), no blank (required)
    assert first["stage"].value == "discovery"
    assert ("découverte", "discovery") in first["stage"].options and ("", "") not in first["stage"].options
    assert first["channel"].value == "social"
    # choice, bool, int, text
    assert first["version"].value == "current" and ("actuel", "current") in first["version"].options
    assert first["collection_point"].value == "no" and ("", "") in first["collection_point"].options
    assert type(first["importance"]).__name__ == "Text" and first["importance"].value == "3"
    assert type(first["description"]).__name__ == "Textarea"  # width 40
    assert type(first["touchpoint"]).__name__ == "Text"
    assert all(not w.continuous_update for w in first.values() if hasattr(w, "continuous_update"))
    for key, widget in first.items():
        assert f"rk-field-{key}" in widget._dom_classes
    box = ed._rows[0].box
    assert "rk-row" in box._dom_classes
    classes = {c for child in box.children for c in child._dom_classes}
    assert {"rk-remove", "rk-up", "rk-down"} <= classes
    assert "rk-add" in ed.add_button._dom_classes
    assert not ed.problems


def test_english_labels(demo):
    ed = SwotEditor(demo, lang="en")
    assert ("Threats", "threat") in ed.row_widgets[0]["quadrant"].options
    assert "Strengths" in ed.summary_html.value


def test_columns_subset_keeps_the_other_columns(demo):
    path = demo / "atelier.xlsx"
    before = load_workbook(path)["Parcours"]
    ed = TableEditor(demo, sheet="journey", columns=["touchpoint", "importance"])
    assert set(ed.row_widgets[0]) == {"touchpoint", "importance"}
    ed.row_widgets[1]["importance"].value = "5"
    assert ed.save(), ed.status.value
    after = load_workbook(path)["Parcours"]
    assert after["G4"].value == 5  # a plain number typed is written as a number
    expected = _values(before)
    expected[3][6] = 5
    assert _values(after) == expected


@pytest.mark.parametrize("make", [SwotEditor, ObjectivesEditor, CollectionEditor,
                                  lambda d: TableEditor(d, sheet="journey"), lambda d: TableEditor(d, sheet="actions"),
                                  lambda d: TableEditor(d, sheet="kpis")],
                         ids=["swot", "objectives", "collection", "journey", "actions", "kpis"])
def test_save_without_changes_keeps_every_cell(demo, make):
    path = demo / "atelier.xlsx"
    before = load_workbook(path)
    editor = make(demo)
    assert editor.save(), editor.status.value
    assert list((demo / BACKUP_DIR).iterdir())
    after = load_workbook(path)
    for name in before.sheetnames:
        assert _values(after[name]) == _values(before[name]), name


# ---------------------------------------------------------------- SWOT
def test_swot_loads_the_demo_in_quadrant_boxes(demo):
    ed = SwotEditor(demo)
    assert len(ed.row_widgets) == 16
    assert ed.row_widgets[0]["item"].value.startswith("Concept de vêtements évolutifs")
    assert [r["quadrant"].value for r in ed.row_widgets] == ["strength"] * 4 + ["weakness"] * 4 + \
        ["opportunity"] * 4 + ["threat"] * 4
    assert ed.counts == {"strength": 4, "weakness": 4, "opportunity": 4, "threat": 4}
    for code in ("strength", "weakness", "opportunity", "threat"):
        box = ed._group_boxes[code]
        assert f"rk-group-{code}" in box._dom_classes
        assert len(ed._group_rows[code].children) == 4
        assert any("rk-add" in c._dom_classes for c in box.children)
    assert ed.image.value[:4] == b"\x89PNG"
    assert "Menaces : <b>4</b>" in ed.summary_html.value


def test_swot_add_a_threat_updates_counts_figure_and_file(decorated):
    path = decorated / "atelier.xlsx"
    before = load_workbook(path)
    ed = SwotEditor(decorated)
    png = ed.image.value
    i = ed.add_row(group="threat")
    assert i == 16 and ed.row_widgets[i]["quadrant"].value == "threat"
    assert not ed.problems  # a blank new row is ignored until something is typed
    assert ed.image.value == png  # and the figure is not redrawn for it
    ed.row_widgets[i]["item"].value = "Hausse du prix du coton biologique"
    ed.row_widgets[i]["importance"].value = "2"
    assert ed.counts["threat"] == 5 and "Menaces : <b>5</b>" in ed.summary_html.value
    assert ed.image.value != png
    assert ed.save(), ed.status.value
    assert "rk-status-ok" in ed.status.value
    after = load_workbook(path)
    swot = after["SWOT"]
    assert [swot.cell(19, c).value for c in (1, 2, 3)] == ["Menaces", "Hausse du prix du coton biologique", 2]
    assert _values(swot)[2:18] == _values(before["SWOT"])[2:18]  # the 16 rows as they were
    assert swot["H20"].value == "note perso" and swot["H20"].font.bold and swot["H20"].font.color.rgb == "FFC00000"
    for name in before.sheetnames:
        if name != "SWOT":
            assert _values(after[name]) == _values(before[name]), name
    assert after["Parcours"]["B3"].comment.text == "à revoir avec Zoé"
    backups = list((decorated / BACKUP_DIR).glob("atelier-*.xlsx"))
    assert len(backups) == 1 and load_workbook(backups[0])["SWOT"].cell(19, 1).value is None


def test_swot_group_add_buttons_preset_the_quadrant(demo):
    ed = SwotEditor(demo)
    add = next(c for c in ed._group_boxes["weakness"].children if "rk-add" in c._dom_classes)
    add.click()
    assert len(ed.row_widgets) == 17
    assert ed.row_widgets[8]["quadrant"].value == "weakness"  # end of the weaknesses, before the opportunities
    assert len(ed._group_rows["weakness"].children) == 5


def test_swot_remove_up_down_change_the_saved_order(demo):
    path = demo / "atelier.xlsx"
    ed = SwotEditor(demo)
    items = [r["item"].value for r in ed.row_widgets]
    up = next(c for c in ed._rows[1].box.children if "rk-up" in c._dom_classes)
    up.click()  # the second strength goes first
    assert ed.move(15, 1) is False  # the last row cannot go down
    assert ed.move(3, 1) is False  # a strength does not go down into the weaknesses
    assert ed.move(5, 1) is True  # second and third weaknesses swap
    remove = next(c for c in ed._rows[15].box.children if "rk-remove" in c._dom_classes)
    remove.click()  # the last threat (Etsy commission) goes
    ed.remove_row(0)  # and the (now first) second strength
    assert ed.counts == {"strength": 3, "weakness": 4, "opportunity": 4, "threat": 3}
    assert ed.save(), ed.status.value
    expected = [items[0], items[2], items[3], items[4], items[6], items[5], *items[7:15]]
    swot = load_workbook(path)["SWOT"]
    assert _column(swot, 2) == expected
    assert swot.cell(17, 1).value is None and swot.cell(18, 2).value is None  # the freed rows are emptied


def test_swot_changing_a_quadrant_moves_the_row_to_its_box(demo):
    path = demo / "atelier.xlsx"
    ed = SwotEditor(demo)
    item = ed.row_widgets[0]["item"].value
    ed.row_widgets[0]["quadrant"].value = "opportunity"
    assert ed.row_widgets[11]["item"].value == item  # last of the opportunities
    assert len(ed._group_rows["strength"].children) == 3 and len(ed._group_rows["opportunity"].children) == 5
    assert ed.counts["opportunity"] == 5
    assert ed.save()
    swot = load_workbook(path)["SWOT"]
    assert [swot.cell(14, c).value for c in (1, 2, 3)] == ["Opportunités", item, 3]
    assert _column(swot, 1) == ["Forces"] * 3 + ["Faiblesses"] * 4 + ["Opportunités"] * 5 + ["Menaces"] * 4


@pytest.mark.parametrize("typed", ["7", "beaucoup"])
def test_swot_invalid_importance_is_shown_and_never_saved(demo, typed):
    path = demo / "atelier.xlsx"
    before = path.read_bytes()
    ed = SwotEditor(demo)
    box = ed.row_widgets[2]["importance"]
    box.value = typed
    assert "Importance" in ed.problems_html.value and "row 5" in ed.problems_html.value
    assert "rk-invalid" in box._dom_classes and box.tooltip
    assert "rk-row-invalid" in ed._rows[2].box._dom_classes
    assert ed.save() is False
    assert "rk-status-error" in ed.status.value
    assert path.read_bytes() == before
    assert not (demo / BACKUP_DIR).exists()
    box.value = "1"  # corrected: the mark goes, saving works
    assert not ed.problems and "rk-invalid" not in box._dom_classes
    assert ed.save()
    assert load_workbook(path)["SWOT"]["C5"].value == 1


def test_concurrent_change_is_refused(demo):
    path = demo / "atelier.xlsx"
    ed = SwotEditor(demo)
    wb = load_workbook(path)
    wb["SWOT"]["B3"] = "Modifié dans Excel pendant l'atelier"
    wb.save(path)
    concurrent = path.read_bytes()
    ed.row_widgets[0]["item"].value = "Modifié dans l'atelier"
    assert ed.save() is False
    assert "atelier.xlsx" in ed.status.value and "modifié" in ed.status.value and "rk-status-error" in ed.status.value
    assert path.read_bytes() == concurrent
    ed.reload()  # the new version shows, and can then be saved
    assert ed.row_widgets[0]["item"].value == "Modifié dans Excel pendant l'atelier"
    assert ed.save()


@pytest.mark.parametrize("make, column, typed", [
    (SwotEditor, "importance", "1"),
    (ObjectivesEditor, "objective", "Augmenter le CA de 30 % d'ici le 31/12/2027"),
    (CollectionEditor, "legal_basis", "consent"),
    (lambda d: TableEditor(d, sheet="journey"), "importance", "5"),
], ids=["swot", "objectives", "collection", "journey"])
def test_refresh_is_fast_on_the_demo(demo, make, column, typed):
    editor = make(demo)
    before = editor.refreshes
    editor.row_widgets[0][column].value = typed
    assert editor.refreshes == before + 1  # one refresh per committed change
    assert editor.last_refresh_seconds < 1.5


# ---------------------------------------------------------------- objectives
def test_objectives_smart_check_live(demo):
    path = demo / "atelier.xlsx"
    before = load_workbook(path)
    ed = ObjectivesEditor(demo)
    assert len(ed.row_widgets) == 7
    assert ed.row_widgets[6]["objective"].value == "Augmenter les ventes"
    notes = [r.note.value for r in ed._rows]
    assert "SMART ✓" in notes[0] and "pas de chiffre" in notes[6] and "pas d&#x27;échéance" in notes[6]
    assert "rk-note" in ed._rows[0].note._dom_classes and ed._rows[0].note in ed._rows[0].box.children
    assert "4 objectifs SMART sur 7" in ed.summary_html.value
    ed.row_widgets[6]["objective"].value = "Augmenter le CA de 30 % d'ici le 31/12/2027"
    assert "SMART ✓" in ed._rows[6].note.value and ed.smart[6] is True
    assert "5 objectifs SMART sur 7" in ed.summary_html.value
    assert ed.save(), ed.status.value
    after = load_workbook(path)["Objectifs"]
    assert after["A9"].value == "Augmenter le CA de 30 % d'ici le 31/12/2027"
    expected = _values(before["Objectifs"])
    expected[8][0] = after["A9"].value
    assert _values(after) == expected


def test_objectives_invalid_deadline(demo):
    path = demo / "atelier.xlsx"
    before = path.read_bytes()
    ed = ObjectivesEditor(demo)
    assert "SMART ✓" in ed._rows[0].note.value
    ed.row_widgets[0]["deadline"].value = "32/13/2027"
    assert "Échéance" in ed.problems_html.value
    assert ed._rows[0].note.value == ""  # an invalid row is not judged
    assert "3 objectifs SMART sur 6" in ed.summary_html.value
    assert ed.save() is False and path.read_bytes() == before
    ed.row_widgets[0]["deadline"].value = "31/12/2027"
    assert not ed.problems and "SMART ✓" in ed._rows[0].note.value


def test_objectives_english(demo):
    ed = ObjectivesEditor(demo, lang="en")
    assert "4 of 7 objectives are SMART" in ed.summary_html.value
    assert "Missing: no number" in ed._rows[6].note.value


# ---------------------------------------------------------------- collection plan
def test_collection_gdpr_flags_live(demo):
    path = demo / "atelier.xlsx"
    ed = CollectionEditor(demo)
    assert len(ed.row_widgets) == 11
    assert ed.row_widgets[0]["field"].value == "E-mail"
    assert [w["kind"].value for w in ed.row_widgets[8:]] == ["personal", "action", "reaction"]
    assert ed.row_widgets[0]["legal_basis"].value == "legitimate_interest"
    assert ("consentement", "consent") in ed.row_widgets[0]["legal_basis"].options
    assert ed.row_widgets[0]["retention"].value == "3 ans"
    assert "email_prospecting_without_consent" in set(ed.flags["rule"])
    assert "rk-flag-email_prospecting_without_consent" in ed.summary_html.value
    assert "consentement préalable est requis" in ed.summary_html.value
    ed.row_widgets[0]["legal_basis"].value = "consent"
    assert "email_prospecting_without_consent" not in set(ed.flags["rule"])
    assert "rk-flag-email_prospecting_without_consent" not in ed.summary_html.value
    assert "rk-flag-sensitive_data" in ed.summary_html.value  # the other flags stay
    # a retention over 3 years is flagged as it is typed
    ed.row_widgets[1]["retention"].value = "5 ans"
    assert ((ed.flags["rule"] == "retention_too_long") & (ed.flags["field"] == "Âge de l'enfant")).any()
    ed.row_widgets[1]["retention"].value = "3 ans"
    assert ed.save(), ed.status.value
    sheet = load_workbook(path)["Plan de collecte"]
    assert sheet["G3"].value == "consentement"
    assert sheet["G4"].value == "consentement" and sheet["H4"].value == "3 ans"


def test_collection_invalid_retention_not_saved(demo):
    path = demo / "atelier.xlsx"
    before = path.read_bytes()
    ed = CollectionEditor(demo)
    ed.row_widgets[2]["retention"].value = "longtemps"
    assert "Durée de conservation" in ed.problems_html.value
    assert ed.save() is False and path.read_bytes() == before


# ---------------------------------------------------------------- lists
def test_unknown_quadrant_goes_to_a_box_to_sort(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    wb["SWOT"]["A5"] = "Forcs"
    wb.save(path)
    ed = SwotEditor(demo)
    box = ed.row_widgets[-1]["quadrant"]
    assert box.value == "Forcs" and ("Forcs", "Forcs") in box.options  # shown as typed, and reported
    assert ed._other.layout.display is None and "rk-group-other" in ed._other._dom_classes
    assert "Quadrant" in ed.problems_html.value and ed.save() is False
    box.value = "strength"
    assert ed._other.layout.display == "none" and not ed.problems
    assert ed.save()
    assert _column(load_workbook(path)["SWOT"], 1) == ["Forces"] * 4 + ["Faiblesses"] * 4 + \
        ["Opportunités"] * 4 + ["Menaces"] * 4


def test_open_list_uses_the_engagement_list(demo):
    stages = ["découverte", "considération", "achat", "livraison/utilisation", "service client", "fidélisation",
              "recommandation", "essai gratuit"]
    text = (demo / "engagement.yaml").read_text(encoding="utf-8")
    (demo / "engagement.yaml").write_text(text + "journey:\n  stages: [" + ", ".join(stages) + "]\n", encoding="utf-8")
    ed = TableEditor(demo, sheet="journey", columns=["stage", "touchpoint"])
    box = ed.row_widgets[0]["stage"]
    assert list(box.options) == [(s, s) for s in stages] and box.value == "découverte"
    box.value = "essai gratuit"
    assert ed.save(), ed.status.value
    assert load_workbook(demo / "atelier.xlsx")["Parcours"]["A3"].value == "essai gratuit"


def test_amounts_and_budgets_round_trip(demo):
    path = demo / "atelier.xlsx"
    before = load_workbook(path)["Plan d'actions"]
    ed = TableEditor(demo, sheet="actions")
    assert ed.row_widgets[0]["budget_q1"].value == str(before["F3"].value or "")
    ed.row_widgets[0]["revenue_effect"].value = "1500"
    ed.row_widgets[1]["budget_q2"].value = "beaucoup"
    assert "Budget T2" in ed.problems_html.value and ed.save() is False
    ed.row_widgets[1]["budget_q2"].value = "300 € + 2h/semaine"
    assert ed.save(), ed.status.value
    after = load_workbook(path)["Plan d'actions"]
    assert after["N3"].value == 1500 and after["G4"].value == "300 € + 2h/semaine"
    expected = _values(before)
    expected[2][13], expected[3][6] = 1500, "300 € + 2h/semaine"
    assert _values(after) == expected
