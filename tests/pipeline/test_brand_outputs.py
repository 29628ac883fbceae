"""The brand file reaches the deliverables: the report's CSS and covers, the workbook
pages, the Excel header fills and the charts; without one, nothing changes."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from relkit.io.brand import DEFAULT_BRAND, load_brand
from relkit.pipeline import pdf, render

PRIMARY = "#B0003A"  # framboise: no house colour is anywhere near
CONTEXT = {
    "lang": "fr", "version": "test", "client": "Client Test", "consultant": "C", "title": "Plan", "subtitle": "S",
    "prepared_by": "Préparé par C", "date": "23 novembre 2026", "plan_year": "Année du plan : 2027",
    "contents_title": "Sommaire", "confidential": "Document confidentiel", "page_word": "Page",
}


def png(path, size=(300, 100), colour=(176, 0, 58)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


def brand_file(folder, logo: bool = True):
    if logo:
        png(folder / "logos" / "cabinet.png")
        png(folder / "logos" / "cabinet-petit.png", (64, 64))
    (folder / "_brand.yml").write_text(
        "meta:\n  name: Cabinet Framboise\n"
        + ("logo:\n  small: logos/cabinet-petit.png\n  medium: logos/cabinet.png\n" if logo else "")
        + f'color:\n  palette:\n    framboise: "{PRIMARY}"\n  primary: framboise\n'
        "typography:\n  base: DejaVu Serif\n", encoding="utf-8")
    return folder / "_brand.yml"


def drawn_images(pdf) -> dict[int, list[tuple[int, int]]]:
    """{page: [(width, height) of each image drawn on it]} (poppler's pdfimages: pypdf lists
    the images a page's resources hold, which WeasyPrint shares between pages)."""
    if shutil.which("pdfimages") is None:
        pytest.skip("poppler-utils (pdfimages) is not installed")
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    drawn: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for line in listing.splitlines()[2:]:
        page, _num, _type, width, height = line.split()[:5]
        drawn[int(page)].append((int(width), int(height)))
    return drawn


def _nb():
    cell = new_code_cell("")
    cell.outputs = [
        new_output("display_data", data={"text/html": '<h1 id="plan" class="rk-heading">Plan</h1>'},
                   metadata={"relkit": {"heading": "Plan", "level": 1, "anchor": "plan"}}),
        new_output("display_data", data={"text/html": "<p class='rk-explain'>Texte.</p>"}),
    ]
    cell.outputs.append(new_output("display_data", data={"text/html": '<h1 id="suite" class="rk-heading">Suite</h1>'},
                                   metadata={"relkit": {"heading": "Suite", "level": 1, "anchor": "suite"}}))
    return new_notebook(cells=[cell])


# --- the templates (fast) -----------------------------------------------------------

def test_relkit_own_look_adds_nothing_to_the_pages():
    nb = _nb()
    plain = render.report_html([nb], CONTEXT)
    assert render.report_html([nb], {**CONTEXT, "brand": render.brand_context(None)}) == plain
    assert render.report_html([nb], {**CONTEXT, "brand": render.brand_context(DEFAULT_BRAND)}) == plain
    assert render.workbook_html(nb, {**CONTEXT, "brand": render.brand_context(DEFAULT_BRAND)}, "T") == \
        render.workbook_html(nb, CONTEXT, "T")
    assert 'class="rk-cover-logos"' not in plain and 'class="rk-running-logo"' not in plain
    assert "--rk-accent: #1F4E79" in plain  # relkit.css's house colours, read by print.css through var()


def test_the_brand_sets_colours_fonts_and_logos(tmp_path):
    brand, problems = load_brand(brand_file(tmp_path))
    assert problems == []
    client_logo = png(tmp_path / "client.png", colour=(20, 120, 90))
    context = {**CONTEXT, "brand": render.brand_context(brand, client_logo)}
    html = render.report_html([_nb()], context)
    assert f"--rk-accent: {PRIMARY}" in html
    assert re.search(r'body\.rk-page, body\.rk-page \.jp-RenderedHTMLCommon \{ font-family: "DejaVu Serif"', html)
    cover = html[html.index('<section class="rk-cover">'):html.index("</section>")]
    assert 'class="rk-logo-firm" src="data:image/png;base64,' in cover and 'alt="Cabinet Framboise"' in cover
    assert 'class="rk-logo-client" src="data:image/png;base64,' in cover and 'alt="Client Test"' in cover
    assert re.search(r'<div class="rk-running-logo"><img [^>]*src="data:image/png;base64,', html)
    assert "content: element(rklogo)" in html
    assert str(tmp_path) not in html  # inlined: the page names no path of this machine
    page = render.workbook_html(_nb(), context, "Diagnostic")
    assert f"--rk-accent: {PRIMARY}" in page and 'class="rk-pagehead-logo"' in page


def test_the_pdf_cover_carries_both_logos_and_the_header_the_small_one(tmp_path):
    brand, _ = load_brand(brand_file(tmp_path))
    client_logo = png(tmp_path / "client.png", colour=(20, 120, 90))
    html = render.report_html([_nb()], {**CONTEXT, "brand": render.brand_context(brand, client_logo)})
    pages = pdf.write_pdf(html, tmp_path / "r.pdf", base_url=tmp_path)
    drawn = drawn_images(tmp_path / "r.pdf")
    assert sorted(drawn[1]) == [(300, 100), (300, 100)]  # the firm's logo and the client's; no running header
    assert pages >= 2 and all(drawn[n] == [(64, 64)] for n in range(2, pages + 1))  # the small logo on every other page


def test_excel_header_fill_and_font_follow_the_brand(tmp_path):
    from relkit.views.excel import cells
    from openpyxl import Workbook

    brand, _ = load_brand(brand_file(tmp_path, logo=False))
    try:
        cells.use_brand(brand)
        ws = Workbook().active
        cells.sheet_title(ws, "Plan")
        cells.header_cell(ws, 3, 1, "Programme")
        assert ws.cell(3, 1).fill.fgColor.rgb == "00B0003A" and ws.cell(3, 1).font.name == "DejaVu Serif"
        assert ws.cell(3, 1).font.color.rgb == "00FFFFFF"  # white reads on framboise
        assert ws.cell(1, 1).font.color.rgb == "00B0003A"  # the sheet's title
    finally:
        cells.use_brand(None)
    ws = Workbook().active
    cells.header_cell(ws, 1, 1, "Programme")
    assert ws.cell(1, 1).fill.fgColor.rgb == "001F4E79" and ws.cell(1, 1).font.name == "Calibri"


def test_chart_palette_and_font_follow_the_brand_and_come_back(tmp_path):
    from relkit.views.charts import style, summary

    brand, _ = load_brand(brand_file(tmp_path, logo=False))
    try:
        style.use_house_style(brand)
        assert style.PALETTE["accent"] == PRIMARY and summary.BRIDGE_COLOURS["total"] == PRIMARY
        import matplotlib.pyplot as plt

        assert plt.rcParams["font.family"] == ["DejaVu Serif"]
    finally:
        style.use_house_style(DEFAULT_BRAND)
    assert style.PALETTE == style.HOUSE_PALETTE and summary.BRIDGE_COLOURS["total"] == "#1F4E79"
    import matplotlib.pyplot as plt

    assert plt.rcParams["font.family"] == ["DejaVu Sans"]


# --- the whole run on a branded copy of the demo ---------------------------------------

@pytest.mark.pipeline
def test_a_branded_demo(tmp_path):
    import relkit
    from conftest import DEMO

    firm = tmp_path / "cabinet"
    brand_file(firm)  # the consultant's one file above all client folders
    folder = firm / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    png(folder / "logo-client.png", (200, 120), (20, 120, 90))
    yaml_path = folder / "engagement.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("  country: FR\n", "  country: FR\n  logo: logo-client.png\n", 1),
                         encoding="utf-8")
    result = relkit.run(folder, out=tmp_path / "reports", working=tmp_path / "working", progress=None)

    html = result.html.read_text(encoding="utf-8")
    assert f"--rk-accent: {PRIMARY}" in html
    assert f"--rk-accent: {PRIMARY}" in (result.out_dir / "workbooks" / "01_diagnostic.html").read_text(encoding="utf-8")

    assert sorted(drawn_images(result.pdf)[1]) == [(200, 120), (300, 100)]  # the cover: the firm's and the client's
    assert len(PdfReader(result.pdf).pages) == 46  # the same pages as the demo

    for name in ("plan_relationnel_arnaud-zoe.xlsx", "registre-traitements-arnaud-zoe.xlsx"):
        book = load_workbook(result.out_dir / name)
        fills = {c.fill.fgColor.rgb for ws in book.worksheets for row in ws.iter_rows(max_row=15) for c in row
                 if c.fill is not None and c.fill.fill_type == "solid"}
        assert "00B0003A" in fills and "001F4E79" not in fills, name

    import docx  # the Word report: headings in the brand's colour, both logos on the cover

    word = docx.Document(str(result.out_dir / "rapport-arnaud-zoe.docx"))
    assert str(word.styles["Heading 1"].font.color.rgb) == PRIMARY.lstrip("#")
    assert [s._inline.docPr.get("descr") for s in word.inline_shapes][:2] == ["Logo Cabinet Framboise",
                                                                              "Logo Arnaud & Zoé"]


def test_the_workshop_header_takes_the_brand_colour(tmp_path):
    from relkit.views.charts import style
    from relkit.workshop.app import WorkshopApp
    from conftest import DEMO

    brand_file(tmp_path, logo=False)
    folder = tmp_path / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    try:
        app = WorkshopApp(folder, editors=[])
        assert f".rk-workshop-title {{ color: {PRIMARY}; font-family: \"DejaVu Serif\"" in app.header.value
        assert style.PALETTE["accent"] == PRIMARY  # the live charts too
    finally:
        style.use_brand(None)
    plain = WorkshopApp(DEMO, editors=[])
    assert "<style>.rk-workshop-title" not in plain.header.value and style.PALETTE["accent"] == "#1F4E79"


def test_a_parent_brand_file_and_its_logo_count_in_the_run_key(tmp_path):
    from relkit.pipeline import fingerprint
    from conftest import DEMO

    folder = tmp_path / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    plain = fingerprint.run_key(folder, "fr")
    assert plain == fingerprint.run_key(folder, "fr")
    brand_file(tmp_path)
    branded = fingerprint.run_key(folder, "fr")
    assert branded != plain
    png(tmp_path / "logos" / "cabinet.png", colour=(0, 0, 0))  # a new logo, same _brand.yml
    assert fingerprint.run_key(folder, "fr") not in (plain, branded)
    (tmp_path / "_brand.yml").unlink()
    assert fingerprint.run_key(folder, "fr") == plain
