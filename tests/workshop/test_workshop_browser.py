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
from pathlib import Path

import ipywidgets as w
import pytest
from openpyxl import load_workbook

from relkit.io.atelier import FIRST_DATA_ROW, HEADER_ROW
from relkit.workshop import serve as serve_module
from relkit.workshop.app import workshop_app
from relkit.workshop.table import TableEditor, display

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


def header_of(path: Path, sheet: str, coordinate: str) -> str:
    wb = load_workbook(path)
    try:
        ws = wb[sheet]
        return str(ws.cell(HEADER_ROW, ws[coordinate].column).value or "").strip()
    finally:
        wb.close()


def _plain(s) -> str:
    return " ".join(str(s or "").split())


def table_change(editor: TableEditor) -> tuple[int, str, str, str, str] | None:
    """For a table editor: (row index in the page, column key, its header, how to change it, the new
    cell text). The first row's first shown text column gets a mark added to its text; without one,
    its first list column (a drop-down or buttons) takes another answer, written as its label."""
    rows = editor.row_widgets
    if not rows:
        return None
    for col in editor.shown:
        widget = rows[0].get(col.key)
        if col.type != "text" or col.open_list or widget is None or isinstance(widget, (w.Dropdown, w.ToggleButtons)):
            continue
        old = display(widget.value)
        new = f"{old} ({MARK})" if old else MARK.capitalize()
        return 0, col.key, editor.store.header(editor.sheet, col.key), "type", new
    for col in editor.shown:
        widget = rows[0].get(col.key)
        if isinstance(widget, (w.Dropdown, w.ToggleButtons)):
            options = [(label, value) for label, value in widget.options if value not in ("", None)]
            label = next(label for label, value in options if value != widget.value)
            how = "select" if isinstance(widget, w.Dropdown) else "click"
            return 0, col.key, editor.store.header(editor.sheet, col.key), how, label
    return None


def _wait_text_ok(editor_loc) -> None:
    editor_loc.locator(".rk-status .rk-status-ok").wait_for()


def swot_details(editor) -> None:
    """The items in the page's font, none cut off; the Importance header not clipped."""
    found = editor.evaluate("""e => {
        const areas = [...e.querySelectorAll('.rk-field-item textarea')];
        const heads = [...e.querySelectorAll('.rk-header .widget-html')].filter(h => h.textContent.includes('Importance'));
        return {fonts: [...new Set(areas.map(a => getComputedStyle(a).fontFamily))],
                cut: areas.filter(a => a.scrollHeight > a.clientHeight + 2).map(a => a.value),
                heads: heads.length,
                clipped: heads.filter(h => h.scrollWidth > h.clientWidth + 1).length};
    }""")
    assert found["fonts"] and not any("monospace" in f for f in found["fonts"]), found["fonts"]
    assert found["cut"] == []
    assert found["heads"] >= 4 and found["clipped"] == 0


def value_details(editor) -> None:
    """The client's measured values first (workbook 02's numbers), not the textbook example."""
    assert editor.locator(".rk-vmc-retention input").input_value() == "45 %"
    assert editor.locator(".rk-vmc-average_transaction input").input_value() == "41,04 €"


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

    # what the page should show, from the same app in this process (tabs, titles, which sheet each edits)
    app = workshop_app(demo)
    keys, titles = list(app.tab_keys), list(app.titles)
    new_keys = [k for k in keys if k not in FIRST_EDITORS]
    plans: dict[str, tuple[int, str, str, str, str]] = {}
    for key in new_keys:
        editor = app.load(key)
        assert editor is not None, f"tab {key!r} failed: {app.errors.get(key)}"
        plan = table_change(editor) if isinstance(editor, TableEditor) else None
        assert plan is not None, f"no change defined for the tab {key!r} ({type(editor).__name__})"
        plans[key] = plan
    del app

    shots = tmp_path / "shots"
    shots.mkdir()
    changed: dict[tuple[str, str], object] = {}  # (sheet, cell) -> the value the page typed
    with serve_module.running(demo, timeout=240) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2600})  # Voilà scrolls inside: room for a tab
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
                # one change, made as the consultant makes it (type, leave the box), then saved; each tab is
                # built after the previous save, so its copy of the workbook is the saved one
                index, column, header, how, new = plans[key]
                field = editor.locator(".rk-row").nth(index).locator(f".rk-field-{column}")
                if how == "type":
                    box = field.locator("input, textarea").first
                    box.fill(new)
                    box.press("Tab")
                elif how == "select":
                    field.locator("select").select_option(label=new)
                else:
                    field.locator("button", has_text=new).first.click()
                editor.locator(".rk-save").click()
                _wait_text_ok(editor)
                editor.screenshot(path=str(shots / f"{i + 1:02d}-{key}-saved.png"))
                after = cells(workbook)
                moved = {c for c in set(before) | set(after) if before.get(c) != after.get(c)} - set(changed)
                assert len(moved) == 1, f"{key}: {sorted(moved)}"
                cell = moved.pop()
                assert _plain(after[cell]).casefold() == _plain(new).casefold(), (key, after[cell], new)
                assert _plain(header_of(workbook, cell[0], cell[1])) == _plain(header)
                assert int("".join(ch for ch in cell[1] if ch.isdigit())) == FIRST_DATA_ROW + index
                changed[cell] = new
        finally:
            browser.close()

    after = cells(workbook)
    moved = {c for c in set(before) | set(after) if before.get(c) != after.get(c)}
    assert moved == set(changed)  # exactly the intended cells, nothing else in the workbook
    assert all(_plain(after[c]).casefold() == _plain(v).casefold() for c, v in changed.items())
    assert yaml_path.read_bytes() == yaml_before
    if plans:
        assert list((demo / "sauvegardes").glob("atelier-*.xlsx"))
    pngs = sorted(shots.glob("*.png"))
    assert len([s for s in pngs if not s.stem.endswith("-saved")]) == len(keys)
    assert all(s.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for s in pngs)
    if os.environ.get("RELKIT_SHOTS"):
        target = Path(os.environ["RELKIT_SHOTS"])
        target.mkdir(parents=True, exist_ok=True)
        for s in pngs:
            shutil.copyfile(s, target / s.name)
