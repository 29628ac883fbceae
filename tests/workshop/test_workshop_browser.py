"""Every workshop tab in Voilà and Debian's Chromium (Playwright), one server for
the whole test: each tab opened and photographed, one change made and saved in
every editor added since the first eight, then openpyxl compares every cell of
every sheet before and after: exactly the intended cells changed, nothing else
in the workbook did, and engagement.yaml is untouched.

Screenshots go under pytest's tmp_path; RELKIT_SHOTS=<folder> copies them there
to look at them."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as w
import pytest
from openpyxl import load_workbook

from relkit.workshop import serve as serve_module
from relkit.workshop.app import workshop_app
from relkit.workshop.table import TableEditor

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
# the editors of the first workshop version: opened and photographed, not changed here (their own tests save them)
FIRST_EDITORS = ("swot", "objectives", "positioning", "segments", "value", "journey", "collection", "budget")
MARK = "modifié en atelier"


def cells(path: Path) -> dict[tuple[str, str], object]:
    """(sheet, cell) -> value for every non-empty cell of every sheet, formulas as written."""
    wb = load_workbook(path)
    try:
        return {(ws.title, c.coordinate): c.value for ws in wb.worksheets
                for row in ws.iter_rows() for c in row if c.value is not None}
    finally:
        wb.close()


def _plain(s) -> str:
    return " ".join(str(s or "").split())


@dataclass
class Change:
    """One change in a tab: the column, how the page makes it ("type", "select" or "click"), the
    first row's text before (to find its box), what is typed or chosen, and the cells it must change
    ((sheet, cell) -> value), found by making it in this process on a copy of the engagement."""

    column: str
    how: str
    old: str
    new: str
    cells: dict = field(default_factory=dict)


def candidates(editor: TableEditor):
    """Changes to try on the first row: a mark added to each shown text column, then another answer
    in each list column (a drop-down or buttons, written as its label)."""
    rows = editor.row_widgets
    if not rows:
        return
    for col in editor.shown:
        widget = rows[0].get(col.key)
        if col.type == "text" and isinstance(widget, (w.Text, w.Textarea)):
            old = widget.value
            yield Change(col.key, "type", old, f"{old} ({MARK})" if old.strip() else MARK.capitalize())
    for col in editor.shown:
        widget = rows[0].get(col.key)
        if isinstance(widget, (w.Dropdown, w.ToggleButtons)):
            other = next((label for label, value in widget.options if value not in ("", None, widget.value)), None)
            if other is not None:
                yield Change(col.key, "select" if isinstance(widget, w.Dropdown) else "click", "", other)


def apply_here(editor: TableEditor, change: Change) -> None:
    widget = editor.row_widgets[0][change.column]
    if change.how == "type":
        widget.value = change.new
    else:
        widget.value = next(value for label, value in widget.options if label == change.new)


def plan_change(cls: type, demo: Path, folder: Path) -> Change | None:
    """The first candidate change that the editor saves on a copy of the engagement, with the cells
    it changed there."""
    shutil.copytree(demo, folder)
    editor = cls(folder)
    for change in candidates(editor):
        before = cells(folder / "atelier.xlsx")
        apply_here(editor, change)
        if editor.save():
            after = cells(folder / "atelier.xlsx")
            change.cells = {c: after.get(c) for c in set(before) | set(after) if before.get(c) != after.get(c)}
            return change
        editor.reload()
    return None


def make_in_page(editor_loc, change: Change) -> None:
    """The change made as the consultant makes it: type and leave the box, choose, or click."""
    fields = editor_loc.locator(f".rk-field-{change.column}")  # in its row, or a second line of it
    if change.how == "type":
        boxes = fields.locator("input, textarea")
        index = next(i for i in range(boxes.count()) if boxes.nth(i).input_value() == change.old)
        boxes.nth(index).fill(change.new)
        boxes.nth(index).press("Tab")
    elif change.how == "select":
        fields.first.locator("select").select_option(label=change.new)
    else:
        fields.first.locator("button", has_text=change.new).first.click()


def saved_in_page(editor_loc) -> None:
    editor_loc.locator(".rk-save").click()
    status = editor_loc.locator(".rk-status .rk-status-ok, .rk-status .rk-status-error").first
    status.wait_for()
    assert "rk-status-ok" in (status.get_attribute("class") or ""), editor_loc.locator(".rk-status").inner_text()


def swot_details(editor) -> None:
    """The items in the page's font, none cut off; the Importance header not clipped."""
    found = editor.evaluate("""e => {
        const areas = [...e.querySelectorAll('.rk-field-item textarea')];
        const heads = [...e.querySelectorAll('.rk-header .widget-html')].filter(h => h.textContent.includes('Importance'));
        return {fonts: [...new Set(areas.map(a => getComputedStyle(a).fontFamily))],
                cut: areas.filter(a => a.scrollHeight > a.clientHeight + 2).map(a => a.value),
                heads: heads.length,
                clipped: heads.filter(h => h.scrollWidth > h.clientWidth + 1).length,
                out: [...e.querySelectorAll('.rk-group .rk-row')].filter(r => {
                    const box = r.closest('.rk-group').getBoundingClientRect();
                    return [...r.querySelectorAll('button')].some(b => b.getBoundingClientRect().right > box.right);
                }).length};
    }""")
    assert found["fonts"] and not any("monospace" in f for f in found["fonts"]), found["fonts"]
    assert found["cut"] == []
    assert found["heads"] >= 4 and found["clipped"] == 0
    assert found["out"] == 0  # every row's buttons inside its quadrant


def value_details(editor) -> None:
    """The client's measured values first (workbook 02's numbers), not the textbook example."""
    assert editor.locator(".rk-vmc-retention input").input_value() == "45 %"
    assert editor.locator(".rk-vmc-average_transaction input").input_value() == "41,04 €"
    for button in (".rk-vmc-client", ".rk-vmc-example"):  # their whole names
        assert editor.locator(button).evaluate("b => b.scrollWidth <= b.clientWidth + 1"), button


def budget_details(editor) -> None:
    assert _plain(editor.locator(".rk-budget-slider-amount").inner_text()) == "850 €"
    assert editor.locator(".rk-budget-slider-amount").is_visible()


DETAILS = {"swot": swot_details, "value": value_details, "budget": budget_details}


@pytest.mark.browser
def test_every_tab_in_the_browser(demo, tmp_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: install the dev extras (pip install -e '.[dev]', playwright==1.65.2)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install chromium (.ci/run installs it); "
                    "Playwright's own browser download is not used")
    workbook, yaml_path = demo / "atelier.xlsx", demo / "engagement.yaml"
    before, yaml_before = cells(workbook), yaml_path.read_bytes()

    # what the page should show, from the same app in this process (tabs, titles), and for each tab
    # added since the first eight a change that saves, made first on a copy to know the cells it changes
    app = workshop_app(demo)
    keys, titles = list(app.tab_keys), list(app.titles)
    plans: dict[str, Change] = {}
    for key in (k for k in keys if k not in FIRST_EDITORS):
        editor = app.load(key)
        assert editor is not None, f"tab {key!r} failed: {app.errors.get(key)}"
        assert isinstance(editor, TableEditor), f"no change defined for the tab {key!r} ({type(editor).__name__})"
        plans[key] = plan_change(type(editor), demo, tmp_path / "plans" / key)
        assert plans[key] is not None, f"no change of the tab {key!r} saves"
        # the intended cell only: one cell, holding what was typed or the answer chosen
        assert len(plans[key].cells) == 1, (key, plans[key].cells)
        assert _plain(next(iter(plans[key].cells.values()))).casefold() == _plain(plans[key].new).casefold(), key
    del app

    shots = tmp_path / "shots"
    shots.mkdir()
    changed: dict[tuple[str, str], object] = {}  # (sheet, cell) -> the value the page's changes wrote
    try:
        with serve_module.running(demo, timeout=240) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 2600})  # Voilà scrolls inside
                page.set_default_timeout(120_000)  # Voilà's first kernel and the first editor
                page.goto(url)
                tabs = page.locator(".rk-workshop-tabs > .lm-TabBar .lm-TabBar-tab")
                tabs.first.wait_for()
                assert [_plain(t) for t in tabs.all_inner_texts()] == [_plain(t) for t in titles]
                assert page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor, .cm-editor").count() == 0  # no code
                for i, key in enumerate(keys):
                    tabs.nth(i).click()
                    panel = page.locator(f".rk-tab-{key}")
                    panel.locator(".rk-editor, .rk-editor-error").first.wait_for()
                    assert panel.locator(".rk-editor-error").count() == 0, panel.inner_text()
                    editor = panel.locator(".rk-editor").first
                    editor.locator(".rk-summary").wait_for(state="attached")
                    page.wait_for_timeout(300)  # the figure's PNG
                    editor.screenshot(path=str(shots / f"{i + 1:02d}-{key}.png"))
                    DETAILS.get(key, lambda _: None)(editor)
                    if key not in plans:
                        continue
                    # each tab is built after the previous save: its copy of the workbook is the saved one
                    make_in_page(editor, plans[key])
                    saved_in_page(editor)
                    editor.screenshot(path=str(shots / f"{i + 1:02d}-{key}-saved.png"))
                    after = cells(workbook)
                    moved = {c: after.get(c) for c in set(before) | set(after)
                             if before.get(c) != after.get(c) and c not in changed}
                    assert moved == plans[key].cells, key  # the same cells, the same values as on the copy
                    changed.update(moved)
            finally:
                browser.close()
    finally:
        if os.environ.get("RELKIT_SHOTS"):  # to look at them, also after a failure
            target = Path(os.environ["RELKIT_SHOTS"])
            target.mkdir(parents=True, exist_ok=True)
            for shot in shots.glob("*.png"):
                shutil.copyfile(shot, target / shot.name)

    after = cells(workbook)
    moved = {c for c in set(before) | set(after) if before.get(c) != after.get(c)}
    assert moved == set(changed)  # exactly the intended cells, nothing else in the workbook
    assert all(after.get(c) == v for c, v in changed.items())
    assert yaml_path.read_bytes() == yaml_before
    if plans:
        assert list((demo / "sauvegardes").glob("atelier-*.xlsx"))
    pngs = sorted(shots.glob("*.png"))
    assert len([s for s in pngs if not s.stem.endswith("-saved")]) == len(keys)
    assert all(s.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for s in pngs)
