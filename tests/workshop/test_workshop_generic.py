"""Every workshop sheet has a tab (relkit/workshop/app.py, table.py): the sheets
no editor saves get a generic table editor with no code of their own, in the
workbook's order; dates are typed and read in the engagement's format and
language; tabs are built when first opened and say they are loading meanwhile."""
import datetime as dt
import re

import pytest
from openpyxl import load_workbook

from relkit.io.atelier import sheets
from relkit.io.labels import Labels
from relkit.workshop.app import EDITORS, all_tabs, sheets_of, workshop_app
from relkit.workshop.editors.segments import SegmentsExplorer
from relkit.workshop.table import DateInput, TableEditor, sheet_editor

SHEET_KEYS = [s.key for s in sheets()]
THE_EIGHT = {k: EDITORS[k] for k in ("swot", "objectives", "positioning", "segments", "value", "journey",
                                     "collection", "budget")}


def _cells(path):
    """Every cell of every sheet: {(sheet, coordinate): value}."""
    wb = load_workbook(path)
    try:
        return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.value is not None}
    finally:
        wb.close()


def _words(box: DateInput) -> str:
    """The day in words under a date box (its HTML without tags)."""
    return re.sub(r"<[^>]+>", "", box.words.value)


def _changed(before, after):
    keys = set(before) | set(after)
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}


@pytest.fixture
def english(tmp_path):
    """A new engagement, in English, as `relkit new` makes it: empty sheets."""
    from relkit.cli import main

    folder = tmp_path / "baker"
    assert main(["new", str(folder), "--name", "Baker & Co", "--lang", "en"]) == 0
    return folder


# ---------------------------------------------------------------- which tabs, in which order
def test_the_sheets_no_editor_saves_get_generic_tabs_in_workbook_order():
    tabs = all_tabs(THE_EIGHT)
    assert list(tabs) == ["swot", "objectives", "positioning", "competitors", "competitor_axes", "marketing_mix",
                          "readiness", "segments", "value", "personas", "journey", "collection", "programmes",
                          "scenarios", "budget", "key_dates", "tools", "data_flows", "roadmap", "kpis", "actuals",
                          "comments"]
    generic = {k: v for k, v in tabs.items() if k not in THE_EIGHT}
    for key, cls in generic.items():
        assert issubclass(cls, TableEditor) and cls.sheet == key and cls.key == f"table-{key}"
        assert cls is sheet_editor(key)  # one class per sheet
    # the positioning editor saves both of its sheets: no second tab for its questions
    assert "positioning_questions" not in tabs


def test_every_sheet_has_a_tab_whatever_editors_are_registered():
    from relkit.workshop.app import editor_class

    tabs = all_tabs()
    assert set(EDITORS) <= set(tabs)
    by_editors = {s for k in EDITORS for s in sheets_of(editor_class(EDITORS[k]))}
    generic = [k for k in tabs if k not in EDITORS]
    assert sorted(generic) == sorted(set(SHEET_KEYS) - by_editors)  # a generic tab only where no editor saves
    assert all(tabs[k] is sheet_editor(k) for k in generic)
    # tabs that save a sheet follow the workbook's order
    ranks = [min(SHEET_KEYS.index(s) for s in sheets_of(editor_class(spec) if isinstance(spec, str) else spec))
             for spec in tabs.values() if sheets_of(editor_class(spec) if isinstance(spec, str) else spec)]
    assert ranks == sorted(ranks)


def test_an_editor_that_takes_a_sheet_over_removes_its_generic_tab():
    class CompetitorMap(TableEditor):
        sheet = "competitor_axes"
        sheets = ("competitor_axes", "competitors")

    tabs = all_tabs({"swot": EDITORS["swot"], "map": CompetitorMap})
    assert "competitors" not in tabs and "competitor_axes" not in tabs
    assert list(tabs)[:4] == ["swot", "objectives", "positioning", "positioning_questions"]
    assert list(tabs)[4] == "map"
    # an editor that cannot be imported covers nothing: its sheet keeps a tab of its own
    tabs = all_tabs({"swot": "relkit.nope.SwotEditor"})
    assert list(tabs)[:3] == ["swot", "table-swot", "objectives"]  # its key is taken: the sheet's tab is table-swot
    assert tabs == {"swot": "relkit.nope.SwotEditor", "table-swot": sheet_editor("swot"),
                    **{k: sheet_editor(k) for k in SHEET_KEYS[1:]}}


def test_sheet_editor_refuses_an_unknown_sheet():
    with pytest.raises(KeyError, match="no workshop sheet 'nope'"):
        sheet_editor("nope")


# ---------------------------------------------------------------- the app: titles, lazy tabs, loading state
def test_app_titles_every_tab_and_builds_them_lazily(demo):
    app = workshop_app(demo, editors=None)
    keys = list(all_tabs())
    assert app.tab_keys == keys
    titles = dict(zip(app.tab_keys, app.titles))
    assert titles["competitors"] == "Concurrents" and titles["key_dates"] == "Temps forts"
    assert titles["comments"] == "Commentaires" and "actuals" not in titles  # Réalisé: saved by the KPI tab
    assert list(app.editors) == ["swot"]  # only the first tab is built before the page shows
    loading = [app.children[i].children[0] for i in range(1, len(keys))]
    assert all(h.value == '<p class="rk-loading">Chargement…</p>' for h in loading)
    assert "@keyframes rk-spin" in app.header.value and ".rk-loading::before" in app.header.value
    app.selected_index = keys.index("key_dates")
    editor = app.editors["key_dates"]
    assert isinstance(editor, TableEditor) and editor.sheet == "key_dates"
    assert app.children[keys.index("key_dates")].children == (editor.widget,)
    assert "rk-editor-table-key_dates" in editor.widget._dom_classes
    assert list(app.editors) == ["swot", "key_dates"] and not app.errors
    assert app.children[keys.index("tools")].children[0].value.endswith("Chargement…</p>")


def test_app_in_english_names_generic_tabs_from_the_sheet_titles(demo):
    app = workshop_app(demo, lang="en", editors=["swot", "competitors", "key_dates", "comments"])
    assert app.tab_keys == ["swot", "competitors", "key_dates", "comments"]
    assert app.titles == ("SWOT", "Competitors", "Key dates", "Comments")
    assert app.children[1].children[0].value == '<p class="rk-loading">Loading…</p>'


# ---------------------------------------------------------------- dates in the engagement's format
def test_date_input_in_french_and_english():
    fr = DateInput("29/09/2026", Labels("fr"))
    assert fr.value == dt.date(2026, 9, 29) and fr.text.value == "29/09/2026"
    assert _words(fr) == "29 septembre 2026"
    assert fr.text.placeholder == "jj/mm/aaaa" and "rk-date" in fr._dom_classes
    en = DateInput(dt.datetime(2026, 9, 29), Labels("en"))
    assert en.value == dt.date(2026, 9, 29) and en.text.value == "29/09/2026"  # never 09/29/2026
    assert _words(en) == "29 September 2026" and en.text.placeholder == "dd/mm/yyyy"
    seen = []
    fr.observe(lambda c: seen.append(c["new"]), "value")
    fr.text.value = "1/11/2026"  # typed in the box
    assert fr.value == dt.date(2026, 11, 1) and fr.text.value == "01/11/2026"
    assert _words(fr) == "1er novembre 2026"
    fr.text.value = "31/02/2027"
    assert fr.value == "31/02/2027" and fr.text.value == "31/02/2027"
    assert _words(fr) == "date attendue : jj/mm/aaaa"
    fr.text.value = ""
    assert fr.value is None and fr.words.value == ""
    assert seen == [dt.date(2026, 11, 1), "31/02/2027", None]
    fr.disabled = True
    assert fr.text.disabled


def test_a_date_typed_in_a_generic_tab_is_saved_in_its_cell_only(demo):
    path = demo / "atelier.xlsx"
    before = _cells(path)
    ed = sheet_editor("key_dates")(demo)
    start = ed.row_widgets[0]["start"]
    assert isinstance(start, DateInput) and start.value == dt.date(2027, 1, 13)
    assert _words(start) == "13 janvier 2027"
    start.text.value = "14/1/2027"
    assert ed.rows()[0]["start"] == "14/01/2027"  # the demo types its dates as text: kept as text
    assert ed.save(), ed.status.value
    assert _changed(before, _cells(path)) == {("Temps forts", "B3"): ("13/01/2027", "14/01/2027")}


def test_an_invalid_date_is_shown_and_not_saved(demo):
    path = demo / "atelier.xlsx"
    saved = path.read_bytes()
    ed = sheet_editor("roadmap")(demo)
    box = next(v for v in ed.row_widgets[0].values() if isinstance(v, DateInput))
    box.text.value = "31/02/2027"
    assert ed.problems and "rk-invalid" in box._dom_classes
    assert ed.save() is False and path.read_bytes() == saved


def test_a_date_cell_holding_a_date_keeps_a_date(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    wb["Objectifs"]["D3"] = dt.datetime(2027, 3, 31)
    wb.save(path)
    before = _cells(path)
    ed = sheet_editor("objectives")(demo)
    ed.row_widgets[0]["deadline"].text.value = "30/04/2027"
    assert ed.save(), ed.status.value
    assert _changed(before, _cells(path)) == {("Objectifs", "D3"): (dt.datetime(2027, 3, 31),
                                                                     dt.datetime(2027, 4, 30))}


def test_the_segments_reference_date_is_typed_not_picked(demo):
    ed = SegmentsExplorer(demo)
    assert isinstance(ed.date_picker, DateInput) and ed.date_picker.text.value == "01/11/2026"
    assert "rk-reference-date" in ed.date_picker._dom_classes
    ed.date_picker.text.value = "30/06/2026"
    assert ed.date_picker.value == dt.date(2026, 6, 30) and ed.as_of == dt.date(2026, 6, 30)
    ed.date_picker.text.value = "30/13/2026"
    assert ed.model() is None and [p.message for p in ed.problems] == ["date attendue : jj/mm/aaaa"]
    assert ed.save() is False


# ---------------------------------------------------------------- the generic editors
def test_comments_choose_section_and_position_from_their_lists(demo):
    path = demo / "atelier.xlsx"
    before = _cells(path)
    ed = sheet_editor("comments")(demo)
    row = ed.row_widgets[0]
    assert type(row["section"]).__name__ == "Dropdown" and row["section"].value == "synthese"
    assert row["position"].options == (("", ""), ("avant", "before"), ("après", "after"), ("remplace", "replace"))
    assert row["position"].value == "before"
    row["position"].value = "replace"
    assert ed.save(), ed.status.value
    assert _changed(before, _cells(path)) == {("Commentaires", "B3"): ("avant", "remplace")}


def test_a_competitor_added_in_a_generic_tab(demo):
    path = demo / "atelier.xlsx"
    before = _cells(path)
    ed = sheet_editor("competitors")(demo)
    assert len(ed.row_widgets) == 5 and "5 lignes saisies" in ed.summary_html.value
    i = ed.add_row()
    ed.row_widgets[i]["name"].value = "Petit Bateau"
    ed.row_widgets[i]["x_score"].value = "2,5"
    assert "6 lignes saisies" in ed.summary_html.value and not ed.problems
    assert ed.save(), ed.status.value
    assert _changed(before, _cells(path)) == {("Concurrents", "A8"): (None, "Petit Bateau"),
                                              ("Concurrents", "J8"): (None, 2.5)}


def test_every_generic_tab_saves_the_demo_unchanged(demo):
    path = demo / "atelier.xlsx"
    before = _cells(path)
    for key in SHEET_KEYS:
        ed = sheet_editor(key)(demo)
        assert not ed.problems, (key, ed.problems)
        assert ed.save(), (key, ed.status.value)
    assert _changed(before, _cells(path)) == {}


def test_a_new_english_engagement_has_every_tab(english):
    path = english / "atelier.xlsx"
    app = workshop_app(english, lazy=False)
    assert not app.errors, app.errors
    titles = dict(zip(app.tab_keys, app.titles))
    assert titles["key_dates"] == "Key dates" and titles["data_flows"] == "Data flows"
    dates = app.editors["key_dates"]
    assert dates.row_widgets == [] and "0 rows entered." in dates.summary_html.value
    before = _cells(path)
    i = dates.add_row()
    dates.row_widgets[i]["event"].value = "Summer sale"
    start = dates.row_widgets[i]["start"]
    start.text.value = "29/09/2026"
    assert _words(start) == "29 September 2026"
    assert dates.save() is False and "Campaigns" in dates.problems_html.value  # required
    dates.row_widgets[i]["stance"].value = "info"
    assert dates.save(), dates.status.value
    assert _changed(before, _cells(path)) == {("Key dates", "A3"): (None, "Summer sale"),
                                              ("Key dates", "B3"): (None, "29/09/2026"),
                                              ("Key dates", "E3"): (None, "for information")}


# ---------------------------------------------------------------- several tabs, one workbook
def test_tabs_save_one_after_the_other_and_excel_is_still_never_overwritten(demo):
    path = demo / "atelier.xlsx"
    before = _cells(path)
    app = workshop_app(demo, editors=["swot", "competitors", "key_dates"], lazy=False)
    swot, competitors, dates = (app.editors[k] for k in ("swot", "competitors", "key_dates"))
    swot.row_widgets[0]["importance"].value = "1"
    assert swot.save(), swot.status.value
    competitors.row_widgets[1]["name"].value = "Petit Bateau"  # built before the SWOT was saved
    assert competitors.save(), competitors.status.value
    changed = _changed(before, _cells(path))
    assert changed == {("SWOT", "C3"): (3, 1), ("Concurrents", "A4"): (before[("Concurrents", "A4")], "Petit Bateau")}
    # a change made in Excel meanwhile: the next save is refused, as before
    wb = load_workbook(path)
    wb["Temps forts"]["F3"] = "noté dans Excel"
    wb.save(path)
    excel = path.read_bytes()
    dates.row_widgets[0]["event"].value = "Soldes d'hiver (Paris)"
    assert dates.save() is False and "rk-status-error" in dates.status.value
    assert path.read_bytes() == excel


def test_a_tab_of_the_sheet_just_saved_must_reload(demo):
    from relkit.workshop.editors.swot import SwotEditor

    path = demo / "atelier.xlsx"
    app = workshop_app(demo, editors={"swot": SwotEditor, "table-swot": sheet_editor("swot")}, lazy=False)
    board, table = app.editors["swot"], app.editors["table-swot"]
    board.row_widgets[0]["importance"].value = "1"
    assert board.save(), board.status.value
    saved = path.read_bytes()
    table.row_widgets[0]["importance"].value = "2"  # its copy of the SWOT is out of date
    assert table.save() is False and path.read_bytes() == saved
    table.reload()
    assert table.row_widgets[0]["importance"].value == "1"


def test_long_entries_are_shown_whole_in_the_pages_font(demo):
    ed = sheet_editor("comments")(demo)
    text = ed.row_widgets[1]["text"]  # three lines of 162, 68 and 98 characters, 63 to a line: 3 + 2 + 2, at most 6
    assert type(text).__name__ == "Textarea" and text.rows == 6
    assert ed.row_widgets[0]["text"].rows == 4  # one paragraph of 215 characters
    app = workshop_app(demo, editors=["comments"])
    assert ".rk-workshop .rk-row textarea{font-family: inherit;" in app.header.value
