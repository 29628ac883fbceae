"""Hygiene of everything relkit writes (issue 11): no cell a spreadsheet would
execute in a CSV or XLSX output, no absolute local path in a deliverable."""
import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import relkit
from relkit.views.excel import safe_cells
from relkit.views.excel.safe_cells import DANGEROUS, is_dangerous, neutralise, put, safe_frame

CALC = "cmd|' /C calc'!A0"
# one payload per dangerous first character (OWASP: = + - @ tab CR)
PAYLOADS = {
    "=": "=" + CALC,
    "+": "+" + CALC,
    "-": "-2+3+" + CALC,
    "@": "@SUM(1+1)*" + CALC,
    "\t": "\t=" + CALC,
    "\r": "\r=" + CALC,
}


# ---------------------------------------------------------------- the module
@pytest.mark.parametrize("payload", PAYLOADS.values())
def test_every_dangerous_text_gets_a_quote(payload):
    assert neutralise(payload) == "'" + payload
    assert not neutralise(payload).startswith(DANGEROUS)


@pytest.mark.parametrize("text", ["-45", "+33 6 12 34 56 78", "-1 250,50", "-1\u202f250 €", "-€1,250.00", "-30 %",
                                  "+0.5", "- 45"])
def test_a_text_that_is_a_plain_number_keeps_its_sign(text):
    assert neutralise(text) == text and not is_dangerous(text)


@pytest.mark.parametrize("text", ["-45+A1", "-1E5", "+33 (0)6 12", "=45", "-", "+", "-cmd", "-2 3|x", "@45"])
def test_anything_else_starting_dangerously_is_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-45, -1.5, 0, None, True, pd.Timestamp("2027-01-01"), "Bienvenue", "a=b", "",
                                   " =x"])
def test_other_values_are_left_as_they_are(value):
    assert neutralise(value) is value


def test_safe_frame_keeps_numbers_numeric():
    frame = pd.DataFrame({
        "Action": ["=" + CALC, "Newsletter", None],
        "Budget": [-850.0, 30.0, float("nan")],
        "Nombre": pd.array([-1, 2, None], dtype="Int64"),
        "Texte": pd.array(["-12", "@x", None], dtype="string"),
        "Segment": pd.Categorical(["+x", "champions", "+x"]),
        "@colonne": [1, 2, 3],
    }, index=pd.Index(["=i", "j", "k"]))
    before = frame.copy()
    safe = safe_frame(frame)
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is not changed
    assert safe["Action"].tolist()[:2] == ["'=" + CALC, "Newsletter"] and pd.isna(safe["Action"].iloc[2])
    assert safe["Budget"].dtype == float and safe["Budget"].iloc[0] == -850.0
    assert str(safe["Nombre"].dtype) == "Int64" and safe["Nombre"].iloc[0] == -1
    assert safe["Texte"].tolist()[:2] == ["-12", "'@x"]
    assert safe["Segment"].tolist() == ["'+x", "champions", "'+x"]
    assert list(safe.columns)[-1] == "'@colonne" and list(safe.index) == ["'=i", "j", "k"]


def test_safe_frame_of_a_series_and_an_untouched_frame():
    series = pd.Series(["-x", "y"], name="=n", index=["@a", "b"])
    safe = safe_frame(series)
    assert safe.tolist() == ["'-x", "y"] and safe.name == "'=n" and list(safe.index) == ["'@a", "b"]
    clean = pd.DataFrame({"a": ["x", "y"], "b": [1, -2]})
    pd.testing.assert_frame_equal(safe_frame(clean), clean)


def test_to_csv_reads_back_safe(tmp_path):
    frame = pd.DataFrame({"Objectif": list(PAYLOADS.values()) + ["-45"], "Montant": [-1.5] * 7})
    path = tmp_path / "t.csv"
    safe_cells.to_csv(frame, path, index=False, encoding="utf-8")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[0] for r in rows[1:]] == ["'" + p for p in PAYLOADS.values()] + ["-45"]
    assert all(float(r[1]) == -1.5 for r in rows[1:])
    assert safe_cells.unsafe_cells(path) == []


def test_put_writes_text_never_a_formula(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row, payload in enumerate(PAYLOADS.values(), start=1):
        put(ws, row, 1, payload)
    put(ws, 7, 1, -45)
    put(ws, 8, 1, "-45")
    put(ws, 9, 1, "bell\x07 removed")
    ws["B1"] = "=SUM(A7:A8)"  # a formula relkit writes on purpose
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx")
    ws = back.active
    for row in range(1, 7):
        cell = ws.cell(row, 1)
        assert cell.data_type == "s" and cell.quotePrefix, repr(cell.value)
    # XML turns a lone CR into a line feed; the text is still text
    assert [ws.cell(r, 1).value for r in range(1, 5)] == list(PAYLOADS.values())[:4]
    assert ws["A7"].value == -45 and ws["A7"].data_type == "n"
    assert ws["A8"].value == "-45" and ws["A8"].quotePrefix
    assert ws["A9"].value == "bell removed"
    assert ws["B1"].data_type == "f"
    assert safe_cells.unsafe_cells(tmp_path / "t.xlsx") == []


def test_the_xlsx_check_catches_formulas_and_bare_texts(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=" + CALC                    # a formula relkit never writes
    ws["A2"] = '=HYPERLINK("http://x","y")'
    ws["A3"] = '=IF(COUNT(B5:C5)=0,"",D9-D10)'  # relkit's own kind
    ws["A4"] = "-moins"
    ws["A4"].data_type = "s"                 # text, but without the quote prefix
    wb.save(tmp_path / "t.xlsx")
    found = safe_cells.unsafe_cells(tmp_path / "t.xlsx")
    assert [f.split(": ")[1] for f in found] == ["Sheet!A1", "Sheet!A2", "Sheet!A4"]


# ---------------------------------------------------------------- a whole run
def _text_cell(ws, ref, value):
    ws[ref] = value
    ws[ref].data_type = "s"  # what Excel stores when the consultant types a leading quote
    ws[ref].quotePrefix = True


def _inject(engagement: Path) -> dict:
    """Workshop cells (and a customer's first name) carrying every payload."""
    path = engagement / "atelier.xlsx"
    wb = load_workbook(path)
    p = list(PAYLOADS.values())
    actions = wb["Plan d'actions"]
    _text_cell(actions, "C3", p[0])   # objective of the first action -> budget_objectifs.csv
    _text_cell(actions, "B4", p[1])   # an action name
    _text_cell(actions, "E3", p[2])   # an owner
    _text_cell(actions, "D5", p[3])   # a KPI
    _text_cell(actions, "E6", p[4])
    _text_cell(actions, "E7", p[5])
    _text_cell(wb["Objectifs"], "A4", p[0])
    _text_cell(wb["SWOT"], "B4", p[3])
    _text_cell(wb["Parcours"], "D3", p[0])
    _text_cell(wb["Plan de collecte"], "D3", p[2])  # uses -> the register's purposes
    wb.save(path)
    export = engagement / "exports" / "clients_shopify.csv"
    raw = export.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    rows[1][1] = p[0]  # a customer's first name: goes to the working files only
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n" if "\r\n" in raw else "\n").writerows(rows)
    export.write_bytes(buffer.getvalue().encode("utf-8"))
    return PAYLOADS


@pytest.fixture(scope="module")
def injected_run(tmp_path_factory):
    """One `relkit run` of a demo copy whose workshop cells hold every payload."""
    from conftest import DEMO

    base = tmp_path_factory.mktemp("hygiene")
    engagement = base / "engagements" / "arnaud-zoe"
    shutil.copytree(DEMO, engagement)
    _inject(engagement)
    lines: list[str] = []
    result = relkit.run(engagement, out=base / "reports", progress=lines.append)
    return {"result": result, "engagement": engagement, "out": base / "reports", "working": base / "working",
            "lines": lines}


def _files(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.rglob(f"*{suffix}") if p.is_file())


@pytest.mark.pipeline
def test_no_csv_deliverable_holds_an_executable_cell(injected_run):
    out_dir = injected_run["result"].out_dir
    tables = _files(out_dir, ".csv")
    assert len(tables) > 20
    assert [f for t in tables for f in safe_cells.unsafe_cells(t)] == []
    with open(out_dir / "tables" / "budget_objectifs.csv", encoding="utf-8", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert "'=" + CALC in cells  # the workshop payload went through, neutralised


@pytest.mark.pipeline
def test_numbers_stay_numbers_in_csv_deliverables(injected_run):
    out_dir = injected_run["result"].out_dir
    quarters = pd.read_csv(out_dir / "tables" / "budget_trimestres.csv")
    assert any(pd.api.types.is_numeric_dtype(quarters[c]) for c in quarters.columns)
    for table in _files(out_dir, ".csv"):
        with open(table, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                # a quote is only ever put before a dangerous text, never before a plain number
                assert not [c for c in row if c.startswith("'") and not is_dangerous(c[1:])], table.name


@pytest.mark.pipeline
def test_no_xlsx_deliverable_holds_an_executable_cell(injected_run):
    out_dir = injected_run["result"].out_dir
    books = _files(out_dir, ".xlsx")
    assert {p.name for p in books} == {"plan_relationnel_arnaud-zoe.xlsx", "registre-traitements-arnaud-zoe.xlsx"}
    assert [f for b in books for f in safe_cells.unsafe_cells(b)] == []
    plan = load_workbook(out_dir / "plan_relationnel_arnaud-zoe.xlsx")
    texts = {c.value: c for ws in plan.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for payload in ("=" + CALC, "+" + CALC, "@SUM(1+1)*" + CALC):
        assert texts[payload].data_type == "s" and texts[payload].quotePrefix, payload
    register = load_workbook(out_dir / "registre-traitements-arnaud-zoe.xlsx").active
    assert any(isinstance(c.value, str) and "-2+3+" + CALC in c.value for row in register.iter_rows() for c in row)


@pytest.mark.pipeline
def test_relkit_formulas_and_numbers_stay_in_the_excel_plan(injected_run):
    budget = load_workbook(injected_run["result"].out_dir / "plan_relationnel_arnaud-zoe.xlsx")["Budget"]
    formulas = [c.value for row in budget.iter_rows() for c in row if c.data_type == "f"]
    assert len(formulas) > 50 and any(f.startswith("=SUM(") for f in formulas)
    numbers = [c.value for row in budget.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
    assert 850 in numbers  # the first action's T1 budget is an input number, not a text


@pytest.mark.pipeline
def test_no_working_csv_holds_an_executable_cell(injected_run):
    working = injected_run["working"] / "arnaud-zoe"
    files = _files(working, ".csv")
    assert files
    assert [f for w in files for f in safe_cells.unsafe_cells(w)] == []


def _deliverable_texts(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as text: PDF text and raw bytes, each part of an xlsx, pptx or docx."""
    from pypdf import PdfReader

    texts = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if path.suffix in (".xlsx", ".pptx", ".docx"):  # zip packages: read each part
            with zipfile.ZipFile(path) as z:
                texts[name] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif path.suffix == ".pdf":
            reader = PdfReader(path)
            texts[name] = "\n".join(page.extract_text() for page in reader.pages) + str(reader.metadata)
            texts[name + " (bytes)"] = path.read_bytes().decode("latin-1")
        else:
            texts[name] = path.read_bytes().decode("utf-8", "replace")
    return texts


@pytest.mark.pipeline
def test_no_absolute_local_path_in_any_deliverable(injected_run):
    out_dir = injected_run["result"].out_dir
    engagement, out, working = injected_run["engagement"], injected_run["out"], injected_run["working"]
    forbidden = [str(engagement), str(out), str(working), "staging-", str(engagement.parent)]
    if len(Path.home().parts) > 1:
        forbidden.append(str(Path.home()))
    texts = _deliverable_texts(out_dir)
    assert {"run.json", "figures.json", "notebooks/02_fichier_clients.ipynb", "rapport-arnaud-zoe.pdf",
            "restitution-arnaud-zoe.pptx", "rapport-arnaud-zoe.docx"} <= set(texts)
    found = {name: [f for f in forbidden if f in text] for name, text in texts.items()}
    assert {name: f for name, f in found.items() if f} == {}


@pytest.mark.pipeline
def test_run_json_and_notebooks_show_relative_names(injected_run):
    out_dir = injected_run["result"].out_dir
    info = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
    assert info["parameters"] | {"timeout": None, "jobs": None} == {
        "engagement": "arnaud-zoe", "lang": "fr", "out": "reports", "working": "working", "timeout": None, "jobs": None}
    assert "exports/clients_shopify.csv" in info["inputs"]
    assert all(w["retries"] == 0 and "retry_reason" not in w for w in info["workbooks"].values())
    nb = json.loads((out_dir / "notebooks" / "01_diagnostic.ipynb").read_text(encoding="utf-8"))
    papermill = nb["metadata"]["papermill"]
    assert papermill["parameters"] == {"engagement": "arnaud-zoe", "lang": "fr", "output_dir": "reports/arnaud-zoe",
                                       "working_dir": "working/arnaud-zoe"}
    assert papermill["input_path"] == "01_diagnostic.ipynb"
    assert papermill["output_path"] == "notebooks/01_diagnostic.ipynb"
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert 'output_dir = "reports/arnaud-zoe"' in "".join(injected[0]["source"])
    # the confidential folder the notebooks wrote to is the real one
    assert (injected_run["working"] / "arnaud-zoe" / "02_fichier_clients").is_dir()


def test_scrubber_replaces_longest_paths_first(tmp_path):
    from relkit.pipeline.scrub import Scrubber

    eng = tmp_path / "eng"
    scrub = Scrubber({eng: "eng", tmp_path / "reports": "reports", tmp_path / "reports" / ".a.staging-x": "reports/a"})
    text = f"{eng}/exports/a.csv, {eng}2, {tmp_path}/reports/.a.staging-x/tables and {tmp_path}/reports."
    assert scrub.text(text) == f"eng/exports/a.csv, {eng}2, reports/a/tables and reports."
    assert scrub.data({"k": [f"{eng}", {"image/png": f"{eng}"}]}) == {"k": ["eng", {"image/png": f"{eng}"}]}
    if len(Path.home().parts) > 1 and not str(tmp_path).startswith(str(Path.home())):
        assert scrub.text(str(Path.home() / "x")) == "~/x"
