"""Workshop mode end to end: the app's tabs, the workshop notebook in a real
kernel, `relkit workshop` (arguments, Ctrl-C) and the budget editor served by
Voilà and driven in Debian's Chromium through Playwright."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import ipywidgets as w
import nbformat
import pytest
from openpyxl import load_workbook

from conftest import ROOT
from relkit.cli import main
from relkit.io.labels import Labels
from relkit.workshop import serve as serve_module
from relkit.workshop.app import EDITORS, WorkshopApp, workshop_app
from relkit.workshop.base import Editor

NOTEBOOK = ROOT / "relkit" / "notebooks" / "workshop" / "atelier.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never through a proxy


# -- stand-in editors -------------------------------------------------------------------
class NotesEditor(Editor):
    """A tiny editor: one text box, a summary echoing it."""

    key = "notes"
    title_key = "workshop.save"  # any existing label

    def build(self):
        self.text = w.Text("x", continuous_update=False).add_class("rk-field-note")
        self.text.observe(self.changed, "value")
        self.body.children = (self.text,)

    def summary(self, model):
        return f"<span class='rk-note'>{self.text.value}</span>"


class BrokenEditor(Editor):
    key = "broken"
    title_key = "workshop.reload"

    def build(self):
        raise RuntimeError("the sheet cannot be read here")


# -- the app ----------------------------------------------------------------------------------
def test_app_builds_tabs_lazily_and_shows_a_failing_editor_in_its_tab(demo):
    app = workshop_app(demo, editors={"notes": NotesEditor, "broken": BrokenEditor, "missing": "relkit.nope.Editor",
                                      "notes2": NotesEditor})
    assert isinstance(app, WorkshopApp) and isinstance(app, w.Tab)
    assert app.titles == ("Enregistrer", "Recharger", "missing (indisponible)", "Enregistrer")
    assert list(app.editors) == ["notes"]  # only the first tab is built before it is shown
    assert "Arnaud &amp; Zoé" in app.header.value and "sauvegardes/" in app.header.value
    app.selected_index = 1
    assert "the sheet cannot be read here" in app.children[1].children[0].value
    assert "rk-editor-error" in app.children[1].children[0].value
    app.selected_index = 2
    assert "ModuleNotFoundError" in app.errors["missing"]
    app.selected_index = 3
    notes = app.editors["notes2"]
    assert app.children[3].children == (notes.widget,)
    notes.text.value = "décidé"  # the other tabs' failures do not stop this one
    assert "décidé" in notes.summary_html.value
    assert set(app.errors) == {"broken", "missing"}
    # displayed, the app shows its header above the tabs
    bundle = app._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == app.frame.model_id
    assert app.frame.children == (app.header, app)


def test_app_in_english_and_eager(demo):
    app = workshop_app(demo, lang="en", editors=[NotesEditor], lazy=False)
    assert app.titles == ("Save",) and "Workshop — Arnaud" in app.header.value
    assert app.tab_keys == ["notes"] and app.load_seconds["notes"] > 0


def test_app_with_a_broken_engagement_says_why(tmp_path):
    (tmp_path / "engagement.yaml").write_text("client: [\n", encoding="utf-8")
    app = workshop_app(tmp_path, editors=[NotesEditor])
    assert "engagement.yaml" in app.header.value and "rk-editor-error" in app.header.value
    assert "notes" in app.errors  # its tab says why instead of raising


def test_registry_names_every_editor():
    keys, first = list(EDITORS), ["swot", "objectives", "positioning", "segments", "value", "journey", "collection", "budget"]
    assert [k for k in keys if k in first] == first  # the first eight, still in the workbooks' order
    assert keys[keys.index("positioning") + 1:keys.index("positioning") + 3] == ["mix", "readiness"]  # diagnosis
    assert all(d.startswith("relkit.workshop.") for d in EDITORS.values())


# -- the workshop notebook ----------------------------------------------------------------------
def test_workshop_notebook_is_clean():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert [c["cell_type"] for c in nb["cells"]] == ["code"] * 3  # Voilà shows markdown: none here
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1 and "engagement = None" in "".join(tagged[0]["source"])
    assert all("print(" not in "".join(c["source"]) for c in code)


def test_workshop_notebook_runs_in_a_real_kernel(demo, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("RELKIT_ENGAGEMENT", str(demo))
    monkeypatch.delenv("RELKIT_LANG", raising=False)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # after the notebook's own cells: the app it displayed, every tab opened
    nb.cells.append(nbformat.v4.new_code_cell(
        "app = _\n"
        "assert type(app).__name__ == 'WorkshopApp', type(app)\n"
        "assert str(app.folder) == os.environ['RELKIT_ENGAGEMENT'], app.folder\n"
        "app.load_all()\n"
        "assert not app.errors, app.errors\n"
        "from relkit.workshop.app import all_tabs\n"
        "assert list(app.editors) == list(all_tabs()), list(app.editors)\n"
        "print(sorted(app.editors))"))
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    shown = nb.cells[2].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in shown), shown
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    assert "budget" in nb.cells[-1].outputs[0]["text"]


# -- the command line -------------------------------------------------------------------------
def test_workshop_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["workshop", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in ("--lab", "--port", "--lang", "folder"):
        assert option in out


@pytest.mark.parametrize("argv", [["workshop"], ["workshop", "x", "--lang", "de"], ["workshop", "x", "--port", "abc"]])
def test_workshop_argument_errors(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "relkit workshop" in capsys.readouterr().err


def test_workshop_refuses_a_folder_that_is_not_an_engagement(tmp_path, capsys):
    assert main(["workshop", str(tmp_path / "nowhere")]) == 2
    assert "no such engagement folder" in capsys.readouterr().err
    assert main(["workshop", str(tmp_path)]) == 2
    assert "no engagement.yaml" in capsys.readouterr().err
    (tmp_path / "engagement.yaml").write_text("client: {}\n", encoding="utf-8")
    assert main(["workshop", str(tmp_path), "--port", "70000"]) == 2


def test_workshop_calls_serve(demo, monkeypatch):
    calls = []
    monkeypatch.setattr(serve_module, "serve", lambda *a, **k: calls.append((a, k)) or 0)
    assert main(["workshop", str(demo), "--lab", "--port", "8899", "--lang", "en"]) == 0
    assert calls == [((demo,), {"lab": True, "port": 8899, "lang": "en", "open_browser": False})]


def test_server_commands_and_environment(demo, monkeypatch):
    voila = serve_module.command(False, 8123)
    assert voila[:3] == [sys.executable, "-m", "voila"] and voila[3] == str(NOTEBOOK)
    assert {"--no-browser", "--port=8123", "--Voila.ip=127.0.0.1", "--strip_sources=True"} <= set(voila)
    lab = serve_module.command(True, 8124, token="t")
    assert lab[:3] == [sys.executable, "-m", "jupyterlab"] and lab[-1] == str(NOTEBOOK.parent)
    assert {"--no-browser", "--ip=127.0.0.1", "--port=8124"} <= set(lab)
    monkeypatch.setenv("RELKIT_LANG", "en")
    env = serve_module.environment(demo, None)
    assert env["RELKIT_ENGAGEMENT"] == str(demo.resolve()) and "RELKIT_LANG" not in env
    assert serve_module.environment(demo, "en")["RELKIT_LANG"] == "en"
    with pytest.raises(FileNotFoundError):
        serve_module.start(demo / "exports")
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(RuntimeError, match="already in use"):
            serve_module.start(demo, port=port)
        assert main(["workshop", str(demo), "--port", str(port)]) == 1


def test_running_jupyterlab_serves_the_workshop_notebook(demo):
    with serve_module.running(demo, lab=True, timeout=180) as url:
        assert url.startswith("http://127.0.0.1:") and "/lab/tree/atelier.ipynb?token=" in url
        with LOCAL.open(url, timeout=30) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()
        base = url.split("/lab/")[0]
        with LOCAL.open(f"{base}/api/contents/atelier.ipynb?content=0&token={url.rsplit('=', 1)[1]}",
                                    timeout=30) as r:
            assert json.loads(r.read())["name"] == "atelier.ipynb"


def test_relkit_workshop_serves_and_stops_on_ctrl_c(demo):
    """The real command: prints the URL once Voilà answers, Ctrl-C stops it and its server."""
    port = serve_module.free_port()
    proc = subprocess.Popen([sys.executable, "-m", "relkit", "workshop", str(demo), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = proc.stdout.readline()  # printed only once the server answers
        assert f"http://127.0.0.1:{port}/" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
        with LOCAL.open(f"http://127.0.0.1:{port}/voila/static/", timeout=10) as r:
            assert r.status < 500
    except urllib.error.HTTPError:
        pass
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert code == 0, proc.stderr.read()
    with pytest.raises(OSError):  # nobody listens any more
        LOCAL.open(f"http://127.0.0.1:{port}/voila/static/", timeout=5)


# -- in the browser -----------------------------------------------------------------------------
def _text(s: str) -> str:
    return " ".join(s.split())  # NBSP and narrow NBSP as plain spaces


def _budget_cell(path: Path, action: str, column: str):
    wb = load_workbook(path, data_only=True)
    try:
        ws = wb["Plan d'actions"]
        headers = {str(c.value).strip(): c.column for c in ws[2] if c.value}
        col = headers[column]
        for row in ws.iter_rows(min_row=3):
            if any(str(c.value or "").strip() == action for c in row):
                return ws.cell(row[0].row, col).value
    finally:
        wb.close()
    raise AssertionError(f"no row {action!r}")


@pytest.mark.browser
def test_budget_editor_in_the_browser(demo, tmp_path):
    """Voilà + Chromium: move the budget slider, see the T1 total, save, read the workbook."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: install the dev extras (pip install -e '.[dev]', playwright==1.65.2)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install chromium (.ci/run installs it); "
                    "Playwright's own browser download is not used")
    from relkit.io.budget_cells import parse_budget_cell
    from relkit.workshop.editors.budget import SLIDER_MAX, BudgetEditor

    L = Labels("fr")
    video, photos = "Vidéo de présentation", 400.0
    assert parse_budget_cell(_budget_cell(demo / "atelier.xlsx", video, "Budget T1")).money == 850
    screenshot = tmp_path / "workshop-budget.png"
    with serve_module.running(demo, timeout=180) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)  # Voilà's first kernel and the first editor
            page.goto(url)
            page.locator(".lm-TabBar-tab", has_text=L(BudgetEditor.title_key)).click()
            editor = page.locator(".rk-editor-budget")
            editor.wait_for()
            total = page.locator(".rk-total-T1")
            assert _text(total.inner_text()) == _text(L.money(photos + 850))
            page.select_option(".rk-budget-action select", label=video)
            page.locator(".rk-budget-quarter button", has_text="T1").click()
            page.locator(".rk-budget-slider .noUi-handle").focus()
            page.keyboard.press("End")  # to the slider's maximum
            expected = _text(L.money(photos + SLIDER_MAX))
            page.wait_for_function(
                "([sel, want]) => { const e = document.querySelector(sel);"
                " return e && e.textContent.replace(/\\s+/g, ' ').trim() === want; }",
                arg=[".rk-total-T1", expected])
            assert parse_budget_cell(page.locator(".rk-amount-0-T1 input").input_value()).money == SLIDER_MAX
            assert page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor, .cm-editor").count() == 0  # no code
            editor.locator(".rk-save").click()
            editor.locator(".rk-status .rk-status-ok").wait_for()
            page.set_viewport_size({"width": 1400, "height": 2600})  # Voilà scrolls inside its page: show it all
            page.locator(".rk-workshop-title").scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert screenshot.is_file() and screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = _budget_cell(demo / "atelier.xlsx", video, "Budget T1")
    assert parse_budget_cell(saved).money == SLIDER_MAX
    assert _budget_cell(demo / "atelier.xlsx", "Photos des produits", "Budget T1") == "400 €"  # untouched, as typed
    assert list((demo / "sauvegardes").glob("atelier-*.xlsx"))
    if os.environ.get("RELKIT_KEEP_SCREENSHOT"):
        Path(os.environ["RELKIT_KEEP_SCREENSHOT"]).write_bytes(screenshot.read_bytes())
