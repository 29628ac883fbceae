"""Saving from a workshop loses nothing: only the edited sheet's data cells
change, everything else of the workbook stays, a backup is kept, the write is
atomic and a file changed meanwhile is never overwritten."""
import pytest
from openpyxl import load_workbook

from relkit.workshop.store import BACKUP_DIR, ChangedOnDisk, EngagementStore, InvalidEntries, WorkshopStore


def _values(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]




def test_save_changes_only_the_edited_sheet_data(decorated):
    before = load_workbook(decorated / "atelier.xlsx")
    store = WorkshopStore(decorated)
    rows = store.rows("swot")
    rows[0]["item"] = "Concept unique de vêtements évolutifs"
    rows.append({"quadrant": "threat", "item": "Inflation des matières premières", "importance": 2})
    saved = store.save("swot", rows)

    after = load_workbook(decorated / "atelier.xlsx")
    assert after.sheetnames == before.sheetnames
    for name in before.sheetnames:
        if name != "SWOT":
            assert _values(after[name]) == _values(before[name]), name
    swot = after["SWOT"]
    assert swot["B3"].value == "Concept unique de vêtements évolutifs"
    last = 3 + len(rows) - 1
    assert [swot.cell(last, c).value for c in (1, 2, 3)] == ["Menaces", "Inflation des matières premières", 2]
    assert swot["C4"].value == before["SWOT"]["C4"].value  # untouched rows as they were
    # hand-made content kept: a formatted cell outside the table, a comment, an extra column
    assert swot["H20"].value == "note perso" and swot["H20"].font.bold and swot["H20"].font.color.rgb == "FFC00000"
    assert after["Parcours"]["B3"].comment.text == "à revoir avec Zoé"
    assert after["Objectifs"]["G2"].value == "colonne à moi"
    # drop-downs and the hidden list sheet survive
    assert len(after["SWOT"].data_validations.dataValidation) == len(before["SWOT"].data_validations.dataValidation)
    assert after["Listes"].sheet_state == "hidden"
    # the previous file is kept
    assert saved.backup.parent == decorated / BACKUP_DIR
    assert load_workbook(saved.backup)["SWOT"]["B3"].value == before["SWOT"]["B3"].value


def test_removing_rows_clears_only_the_schema_columns(decorated):
    store = WorkshopStore(decorated)
    rows = store.rows("swot")
    n = len(rows)
    store.save("swot", rows[:-2])
    swot = load_workbook(decorated / "atelier.xlsx")["SWOT"]
    assert all(swot.cell(3 + i, 2).value is None for i in (n - 2, n - 1))
    assert swot["H20"].value == "note perso"
    assert len(WorkshopStore(decorated).rows("swot")) == n - 2


def test_a_file_changed_on_disk_is_never_overwritten(demo):
    store = WorkshopStore(demo)
    wb = load_workbook(demo / "atelier.xlsx")
    wb["SWOT"]["B3"] = "modifié dans Excel pendant l'atelier"
    wb.save(demo / "atelier.xlsx")
    excel_version = (demo / "atelier.xlsx").read_bytes()
    rows = store.rows("swot")
    rows[0]["item"] = "saisi dans l'atelier"
    with pytest.raises(ChangedOnDisk, match="changed on disk"):
        store.save("swot", rows)
    assert (demo / "atelier.xlsx").read_bytes() == excel_version
    assert not (demo / BACKUP_DIR).exists()
    store.reload()  # after a reload the consultant's Excel edit is what the editor sees
    assert store.rows("swot")[0]["item"] == "modifié dans Excel pendant l'atelier"


def test_invalid_entries_are_never_saved(demo):
    store = WorkshopStore(demo)
    original = (demo / "atelier.xlsx").read_bytes()
    rows = store.rows("swot")
    rows[0]["importance"] = 7
    rows[1]["quadrant"] = "Force"
    with pytest.raises(InvalidEntries) as err:
        store.save("swot", rows)
    messages = [(p.where, p.message) for p in err.value.problems]
    assert messages == [("sheet 'SWOT', row 3, column 'Importance'", "expected a value from 1 to 3, got 7"),
                        ("sheet 'SWOT', row 4, column 'Quadrant'",
                         "expected one of 'Forces', 'Faiblesses', 'Opportunités', 'Menaces', got 'Force'")]
    assert (demo / "atelier.xlsx").read_bytes() == original


def test_a_failed_write_leaves_the_previous_file(demo, monkeypatch):
    store = WorkshopStore(demo)
    original = (demo / "atelier.xlsx").read_bytes()

    def broken_save(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", broken_save)
    with pytest.raises(OSError):
        store.save("swot", store.rows("swot"))
    assert (demo / "atelier.xlsx").read_bytes() == original
    assert not [p for p in demo.iterdir() if p.name.startswith(".atelier")]


def test_codes_are_written_as_labels_in_the_workbook_language(demo):
    store = WorkshopStore(demo)
    rows = store.rows("swot")
    rows[0]["quadrant"] = "weakness"
    store.save("swot", rows)
    assert load_workbook(demo / "atelier.xlsx")["SWOT"]["A3"].value == "Faiblesses"


def test_engagement_yaml_keeps_its_comments_and_is_checked(demo):
    path = demo / "engagement.yaml"
    store = EngagementStore(demo)
    saved = store.save({"value.retention": "75 %", "customer_data.dormant_months": 9})
    text = path.read_text(encoding="utf-8")
    assert '  retention: "75 %"' in text and "  dormant_months: 9" in text
    assert "# VMC (seed 001): what a visitor costs to reach" in text  # comments kept
    assert saved.backup.read_text(encoding="utf-8").count("dormant_months: 12") == 1
    with pytest.raises(InvalidEntries):
        EngagementStore(demo).save({"value.retention": "beaucoup"})
    assert path.read_text(encoding="utf-8") == text
