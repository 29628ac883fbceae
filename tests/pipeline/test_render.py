"""Rendering: wide tables never clipped, headings feed the contents."""
import re

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from pypdf import PdfReader

from relkit.workbooks.session import table_html
from relkit.pipeline import pdf, render

CONTEXT = {
    "lang": "fr", "version": "test", "client": 'Client "Test" <SARL>', "consultant": "C", "title": "Plan", "subtitle": "S",
    "prepared_by": "Préparé par C", "date": "23 novembre 2026", "plan_year": "Année du plan : 2027",
    "contents_title": "Sommaire", "confidential": "Document confidentiel", "page_word": "Page",
}


def _nb(*outputs):
    cell = new_code_cell("hidden source")
    cell.outputs = list(outputs)
    return new_notebook(cells=[cell])


def _heading(text, level, anchor):
    return new_output("display_data", data={"text/html": f'<h{level} id="{anchor}" class="rk-heading">{text}</h{level}>'},
                      metadata={"relkit": {"heading": text, "level": level, "anchor": anchor}})


def test_table_html_has_no_nan_and_classes_by_width():
    narrow = table_html(pd.DataFrame({"a": [1.0, None], "b": ["x", None]}))
    assert "NaN" not in narrow and "nan" not in narrow and 'class="dataframe rk-table"' in narrow
    wide = table_html(pd.DataFrame({f"c{i}": ["valeur"] for i in range(8)}))
    assert "rk-wide" in wide and "rk-landscape" not in wide and "rk-dense" not in wide
    widest = table_html(pd.DataFrame({f"c{i}": ["valeur"] for i in range(12)}))
    assert "rk-wide rk-landscape" in widest
    for columns in (9, 10):  # still portrait, in the smallest type
        assert 'class="dataframe rk-table rk-wide rk-dense"' in table_html(pd.DataFrame({f"c{i}": ["v"] for i in range(columns)}))
    assert 'class="dataframe rk-table rk-wide rk-landscape"' in table_html(pd.DataFrame({f"c{i}": ["v"] for i in range(11)}))


def test_a_table_longer_than_eight_rows_may_split_across_pages():
    assert "rk-long" not in table_html(pd.DataFrame({"a": range(8)}))
    assert 'class="dataframe rk-table rk-long"' in table_html(pd.DataFrame({"a": range(9)}))


def test_report_contents_and_landscape_page_for_very_wide_table(tmp_path):
    wide = pd.DataFrame({f"Colonne numéro {i}": [f"valeur longue {i}"] * 3 for i in range(14)})
    nb = _nb(_heading("Chapitre", 1, "ch"), _heading("Section", 2, "sec"),
             new_output("display_data", data={"text/html": table_html(wide)}))
    html = render.report_html([nb], CONTEXT)
    assert '<a href="#ch">Chapitre</a>' in html and '<a href="#sec">Section</a>' in html
    assert "hidden source" not in html
    # the client's name is quoted safely inside the CSS running header
    assert '@top-left { content: "Client \\"Test\\" \\3C SARL>"; }' in html
    pages = pdf.write_pdf(html, tmp_path / "r.pdf", base_url=tmp_path)
    reader = PdfReader(tmp_path / "r.pdf")
    assert pages == len(reader.pages)
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert sizes[0] == (595, 842)  # A4 portrait cover
    assert (842, 595) in sizes  # the 14-column table went to a landscape page
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "numéro 13" in text and "longue 13" in text  # last column printed, not clipped


def test_stderr_and_errors_never_reach_the_report():
    nb = _nb(new_output("stream", name="stderr", text="UserWarning: secret path /home/x\n"),
             new_output("display_data", data={"text/html": "<p>visible</p>"}))
    html = render.report_html([nb], CONTEXT)
    assert "visible" in html and "UserWarning" not in html


def test_workbook_page_drops_stderr_errors_and_widget_state_by_template_configuration():
    nb = _nb(new_output("stream", name="stderr", text="UserWarning: secret path /home/x\n"),
             new_output("error", ename="ValueError", evalue="boom", traceback=["Traceback: /home/x/relkit.py"]),
             new_output("display_data", data={"text/html": "<p>visible</p>"}))
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"secret-model": {}}}}
    html = render.workbook_html(nb, CONTEXT, "Diagnostic")
    assert "visible" in html
    assert "UserWarning" not in html and "boom" not in html and "Traceback" not in html and "secret-model" not in html
    assert nb.cells[0].outputs[0]["name"] == "stderr"  # the executed notebook itself is left untouched
    names = [type(p).__name__ for p in render.exporter("relkit_report", "fr")._preprocessors if p.enabled]
    assert "ClientOutputsPreprocessor" in names  # switched on by the template's conf.json, inherited by the report


def test_a_cell_with_only_a_warning_adds_nothing_to_the_report():
    warning_only = _nb(new_output("stream", name="stderr", text="warn\n"))
    shown = _nb(new_output("display_data", data={"text/html": "<p>visible</p>"}))
    html = render.report_html([warning_only, shown], CONTEXT)
    assert "w0-c0" not in html and "w1-c0" in html


def _tagged(*outputs, tags=("appendix",)):
    cell = new_code_cell("hidden source", metadata={"tags": list(tags)})
    cell.outputs = list(outputs)
    return cell


def _html(text):
    return new_output("display_data", data={"text/html": text})


def test_cells_tagged_appendix_move_to_one_appendix_at_the_end_in_workbook_order():
    first = _nb(_heading("Synthèse", 1, "syn"), _html("<p>résumé</p>"))
    first.cells.append(_tagged(_heading("Chiffres clés", 2, "chiffres"), _html("<p>table des chiffres</p>")))
    first.cells.append(new_code_cell("x", outputs=[_html("<p>prochaines étapes</p>")]))
    second = _nb(_heading("Parcours", 1, "parc"))
    second.cells.append(_tagged(_heading("Détail des points de contact", 2, "detail"), _html("<p>détail</p>")))
    second.cells.append(_tagged(_html("<p>   </p>"), tags=("appendix", "other")))
    html = render.report_html([first, second], CONTEXT)
    order = ["résumé", "prochaines étapes", 'id="parc">Parcours</h1>', 'id="annexes">Annexes</h1>', "table des chiffres", "détail</p>"]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert html.count('id="annexes">') == 1
    contents = html[html.index('<nav class="rk-toc">'):html.index("</nav>")]
    assert re.findall(r'">([^<]+)</a>', contents) == [
        "Synthèse", "Parcours", "Annexes", "Chiffres clés", "Détail des points de contact"]
    assert 'rk-toc-l1"><a href="#annexes">Annexes</a>' in contents
    # two lists side by side on paper, cut after a section (never after a chapter's title)
    lists = re.findall(r"<ul>(.*?)</ul>", contents, re.S)
    assert [re.findall(r'">([^<]+)</a>', one) for one in lists] == [
        ["Synthèse", "Parcours"], ["Annexes", "Chiffres clés", "Détail des points de contact"]]
    # the workbook page keeps the cell where the notebook put it
    page = render.workbook_html(first, CONTEXT, "Synthèse")
    assert page.index("résumé") < page.index("table des chiffres") < page.index("prochaines étapes")
    assert "Annexes" not in page


def test_no_appendix_heading_without_tagged_cells_and_english_title():
    nb = _nb(_heading("Chapter", 1, "ch"))
    assert 'id="annexes"' not in render.report_html([nb], CONTEXT)
    nb.cells.append(_tagged(_html("<p>detail</p>")))
    html = render.report_html([nb], {**CONTEXT, "lang": "en"})
    assert '<h1 class="rk-heading rk-appendix" id="annexes">Appendix</h1>' in html


def test_report_cells_leave_the_notebooks_untouched_and_ids_unique():
    nb = _nb(_html("<p>a</p>"))
    nb.cells.append(_tagged(_html("<p>b</p>")))
    cells = render.report_cells([nb, nb], "Annexes")
    assert [c.id for c in cells] == ["w0-c0", "w1-c0", "appendix", "w0-c1", "w1-c1"]
    assert nb.cells[1].id != "w0-c1"


def test_a_detail_in_the_appendix_under_the_same_title_gets_its_own_anchor():
    nb = _nb(_heading("Maturité", 2, "01-readiness"), _html("<p>score</p>"))
    nb.cells.append(_tagged(_heading("Maturité", 2, "01-readiness"), _html("<p>checklist</p>")))
    nb.cells.append(_tagged(_heading("Maturité", 2, "01-readiness")))
    html = render.report_html([nb], CONTEXT)
    contents = html[html.index('<nav class="rk-toc">'):html.index("</nav>")]
    assert re.findall(r'href="#([^"]+)">([^<]+)</a>', contents) == [
        ("01-readiness", "Maturité"), ("annexes", "Annexes"), ("01-readiness-2", "Maturité"), ("01-readiness-3", "Maturité")]
    assert html.count('id="01-readiness"') == html.count('id="01-readiness-2"') == html.count('id="01-readiness-3"') == 1
    assert nb.cells[1].outputs[0].metadata["relkit"]["anchor"] == "01-readiness"  # the notebook is left as it was


def _screen_report(tmp_path):
    money = pd.DataFrame({"Programme": ["Bienvenue", "Newsletter", "Anniversaire", "Parrainage"],
                          "Budget": ["1 300 €", "12 000 €", "950 €", "—"],
                          "Part": ["9,5 %", "75 %", "12 %", "3 %"]})
    cells = [_heading("Plan", 1, "plan"), _heading("Programmes", 2, "programmes"),
             _html(table_html(money).replace("1 300", "1\u202f300").replace("12 000", "12\u202f000"))]
    wide = pd.DataFrame({f"Colonne{i}": ["Réactivation", "Anniversaire"] for i in range(10)})
    cells += [_html(f"<p>{'Texte. ' * 80}</p>") for _ in range(12)] + [_html(table_html(wide))]
    nb = _nb(*cells)
    nb.cells.append(_tagged(_heading("Détail", 2, "detail"), _html("<p>détail</p>")))
    target = tmp_path / "rapport.html"
    target.write_text(render.report_html([nb], CONTEXT), encoding="utf-8")
    return target


def test_the_screen_report_has_a_viewport_a_script_and_screen_only_styles(tmp_path):
    html = _screen_report(tmp_path).read_text(encoding="utf-8")
    assert html.count('name="viewport"') == 1  # from JupyterLab's template: phones get the real width
    assert html.count("<script") == 1 and "src=" not in html.split("<script", 1)[1].split(">", 1)[0]
    assert "http://" not in html.split("<script", 1)[1].split("</script>")[0]  # no network
    assert "@media screen and (min-width: 1200px)" in html and "position: fixed" in html


@pytest.mark.browser
def test_the_html_report_in_chromium_sidebar_reading_width_and_sortable_tables(tmp_path):
    from playwright.sync_api import sync_playwright

    url = _screen_report(tmp_path).as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            nav = page.locator("nav.rk-toc")
            assert nav.evaluate("e => getComputedStyle(e).position") == "fixed"
            main = page.locator("main").bounding_box()
            assert main["width"] == 900 and main["x"] >= nav.bounding_box()["width"]  # the text never runs under the contents
            page.mouse.wheel(0, 3000)
            page.wait_for_timeout(200)
            assert nav.bounding_box()["y"] == 0 and nav.is_visible()  # still there once scrolled
            assert nav.locator("a.rk-current").count() == 1
            # one column in the sidebar: every entry starts at the same left edge as its level (print.css's two
            # columns are for paper), each below the one before
            boxes = nav.locator("li.rk-toc-l1").evaluate_all("els => els.map(e => e.getBoundingClientRect())")
            assert len({round(b["left"]) for b in boxes}) == 1 and [b["top"] for b in boxes] == sorted(b["top"] for b in boxes)

            def column(n):
                return page.locator("table.rk-table").first.locator("tbody tr").evaluate_all(
                    f"rows => rows.map(r => r.cells[{n}].textContent.trim())")

            header = page.locator("table.rk-table th", has_text="Budget").first
            header.click()
            assert column(1) == ["950 €", "1\u202f300 €", "12\u202f000 €", "—"]  # as numbers, then the rest
            assert header.get_attribute("aria-sort") == "ascending"
            header.click()
            assert column(1) == ["—", "12\u202f000 €", "1\u202f300 €", "950 €"]
            page.locator("table.rk-table th", has_text="Part").first.press("Enter")
            assert column(2) == ["3 %", "9,5 %", "12 %", "75 %"]
            page.locator("table.rk-table th", has_text="Programme").first.click()
            assert column(0) == ["Anniversaire", "Bienvenue", "Newsletter", "Parrainage"]
            page.screenshot(path=str(tmp_path / "wide.png"))

            phone = browser.new_page(viewport={"width": 390, "height": 800})
            phone.goto(url)
            assert phone.locator("nav.rk-toc").evaluate("e => getComputedStyle(e).position") == "static"
            assert phone.locator("main").bounding_box()["width"] == 390
            assert phone.evaluate("document.documentElement.scrollWidth") == 390  # nothing wider than the phone
        finally:
            browser.close()


def test_a_ten_column_table_fits_a_portrait_page_with_its_last_column(tmp_path):
    words = ["Réactivation des clients dormants", "Augmenter la fréquence d'achat", "consentement e-mail", "1 921",
             "1 904", "e-mail", "anniversaire du premier achat", "2", "janv.–déc.", "à commencer"]
    frame = pd.DataFrame({f"Colonne {i}": [w] * 6 for i, w in enumerate(words)})
    frame = frame.rename(columns={"Colonne 9": "Levier"})
    nb = _nb(_heading("Plan", 1, "plan"), new_output("display_data", data={"text/html": table_html(frame)}))
    pdf.write_pdf(render.report_html([nb], CONTEXT), tmp_path / "r.pdf", base_url=tmp_path)
    reader = PdfReader(tmp_path / "r.pdf")
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Levier" in text and text.count("à commencer") == 6
    right = []  # where the last column's text starts: inside the page's text area (595 pt - 16 mm margin), not clipped
    for page in reader.pages:
        page.extract_text(visitor_text=lambda s, cm, tm, *_: right.append(cm[0] * tm[4] + cm[4]) if "commencer" in s else None)
    assert len(right) == 6 and max(right) < 595 - 45 - 40
