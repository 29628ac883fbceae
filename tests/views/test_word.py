"""The Word report (relkit.views.word, relkit.pipeline.word) on a hand-built notebook:
the report's order, headings, tables, figures, contents field, header and footer,
A4 page, and the styles a brand or a firm's reference document gives it."""
import base64
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import nbformat
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image

from relkit.io.brand import DEFAULT_BRAND, find_brand
from relkit.pipeline.render import report_cells
from relkit.pipeline.word import report_blocks
from relkit.views.word import Checks, Cover, find_reference, write_report
from relkit.views.word.layout import caption_text, column_widths, png_size
from relkit.workbooks.session import HEADING_META

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _png(width=400, height=200) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "#1F4E79").save(buf, format="PNG")
    return buf.getvalue()


def _heading(text, level, anchor):
    return nbformat.v4.new_output("display_data", data={
        "text/html": f'<h{level} id="{anchor}" class="rk-heading">{text}</h{level}>', "text/plain": "<HTML>"},
        metadata={HEADING_META: {"heading": text, "level": level, "anchor": anchor}})


def _html(source):
    return nbformat.v4.new_output("display_data", data={"text/html": source, "text/plain": "<HTML>"})


def _cell(*outputs, tags=()):
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = list(outputs)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


TABLE = ('<table class="dataframe rk-table"><thead><tr style="text-align: right;"><th>Segment</th><th>Clients</th>'
         '<th>Part du CA</th></tr></thead><tbody><tr><td>Champions</td><td>173</td><td>17\u202f%</td></tr>'
         '<tr><td>Fidèles</td><td>272</td><td>25\u202f%</td></tr></tbody></table>')
COMMENT = ('<div class="rk-comment" data-section="segments"><p><strong>Notre lecture</strong> : une <em>marque</em> '
           'aimée, voir <a href="https://example.org/etude">l\'étude</a>.</p><ul><li>relancer</li><li>reprendre</li>'
           '</ul></div>')
KPIS = ('<div class="rk-kpis"><div class="rk-kpi"><div class="rk-kpi-value">200\u202f000\u00a0€</div>'
        '<div class="rk-kpi-label">Objectif de CA</div></div><div class="rk-kpi"><div class="rk-kpi-value">3\u202f000'
        '</div><div class="rk-kpi-label">Contacts</div></div></div>')


def _notebooks():
    png = base64.b64encode(_png()).decode()
    figure = nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Image>"},
                                    metadata={"image/png": {"alt": "segments", "width": 672}})
    summary = nbformat.v4.new_notebook(cells=[
        _cell(_heading("Résumé exécutif", 1, "w0-summary"), _html(KPIS)),
        _cell(_html('<div class="rk-table-block"><h2 id="w0-figs" class="rk-heading">Chiffres clés par partie</h2>'
                    '<table class="dataframe rk-table"><thead><tr><th>Partie</th><th>Valeur</th></tr></thead>'
                    '<tbody><tr><td>Diagnostic</td><td>98\u202f800\u00a0€</td></tr></tbody></table></div>'),
              tags=["appendix"]),
        _cell(_heading("Prochaines étapes", 2, "w0-next"), _html('<p class="rk-explain">Valider le plan.</p>')),
    ])
    customers = nbformat.v4.new_notebook(cells=[
        _cell(_heading("Fichier clients", 1, "w1-customers")),
        _cell(_heading("Segmentation RFM", 2, "w1-rfm"), _html('<p class="rk-rule">Méthode : quintiles.</p>'),
              figure, _html(TABLE), _html(COMMENT)),
        _cell(_heading("Portraits", 3, "w1-personas"), _html('<blockquote class="rk-callout">Une cible.</blockquote>'),
              nbformat.v4.new_output("stream", name="stderr", text="a warning no client sees\n"), _html("<!-- -->")),
    ])
    return [summary, customers]


COVER = Cover(title="Plan marketing relationnel", client="Client Test", subtitle="Diagnostic et recommandations",
              lines=["Année du plan : 2027", "Préparé par Claire (Cabinet)", "23 novembre 2026"],
              contents_title="Sommaire", contents_hint="Word numérote ce sommaire.", confidential="Document confidentiel",
              page_word="Page", author="Claire", lang="fr")


def _write(tmp_path, brand=DEFAULT_BRAND, reference=None, checks=None, name="r.docx"):
    blocks = report_blocks(report_cells(_notebooks(), "Annexes"))
    target = tmp_path / name
    counts = write_report(target, blocks, COVER, brand, reference, checks)
    return target, counts


@pytest.fixture
def report(tmp_path):
    target, counts = _write(tmp_path, checks=Checks("Points à vérifier", "Vérifiez ces chiffres.", ["CA : 1 ≠ 2."]))
    return docx.Document(str(target)), target, counts


def _xml(path, part="word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def test_headings_follow_the_report_order_with_the_appendix_last(report):
    doc, _, _ = report
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Résumé exécutif"), ("Heading 2", "Prochaines étapes"), ("Heading 1", "Fichier clients"),
        ("Heading 2", "Segmentation RFM"), ("Heading 3", "Portraits"), ("Heading 1", "Annexes"),
        ("Heading 2", "Chiffres clés par partie"), ("Heading 1", "Points à vérifier"),
    ]


def test_cover_then_contents_field_updated_on_opening(report):
    doc, path, _ = report
    texts = [p.text for p in doc.paragraphs[:8]]
    assert texts[:5] == ["Plan marketing relationnel", "Client Test", "Diagnostic et recommandations",
                         "Année du plan : 2027", "Préparé par Claire (Cabinet)"]
    assert [doc.paragraphs[i].style.name for i in (0, 1, 2)] == ["Cover Kicker", "Title", "Subtitle"]
    body = _xml(path)
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert body.index("TOC \\o") < body.index('<w:pStyle w:val="Heading1"/>')  # before the first chapter
    settings = _xml(path, "word/settings.xml")
    assert '<w:updateFields w:val="true"/>' in settings
    # until Word updates it, the contents list the headings (level 1 in TOC 1)
    toc = [p.text for p in doc.paragraphs if p.style.name in ("TOC 1", "TOC 2", "TOC 3")]
    assert toc[:3] == ["Résumé exécutif", "Prochaines étapes", "Fichier clients"] and toc[-1] == "Points à vérifier"


def test_tables_have_a_repeated_header_row_and_the_report_text(report):
    doc, _, counts = report
    tables = [t for t in doc.tables if t.style.name == "Report Table"]
    assert len(tables) == 2 == counts["tables"] - 1  # and one key-figure strip
    segments = tables[0]
    assert [c.text for c in segments.rows[0].cells] == ["Segment", "Clients", "Part du CA"]
    assert segments.cell(2, 2).text == "25\u202f%" and segments.cell(1, 0).text == "Champions"
    header = segments.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    assert segments.rows[1]._tr.find(f"{W}trPr/{W}tblHeader") is None
    assert segments.cell(0, 0).paragraphs[0].style.name == "Table Heading"
    assert segments.cell(1, 1).paragraphs[0].style.name == "Table Text"
    assert sum(int(g.get(qn("w:w"))) for g in segments._tbl.tblGrid.findall(qn("w:gridCol"))) == round(178 * 1440 / 25.4)
    assert tables[1].cell(1, 1).text == "98\u202f800\u00a0€"  # the appendix's table, number text as printed


def test_key_figures_strip_is_a_small_table(report):
    doc, _, _ = report
    strip = next(t for t in doc.tables if t.style.name == "Key Figures Table")
    assert [c.paragraphs[0].text for c in strip.rows[0].cells] == ["200\u202f000\u00a0€", "3\u202f000"]
    assert [c.paragraphs[1].text for c in strip.rows[0].cells] == ["Objectif de CA", "Contacts"]
    assert strip.cell(0, 0).paragraphs[0].style.name == "Key Figure"


def test_figure_is_the_png_with_alt_text_and_a_numbered_caption(report):
    doc, path, counts = report
    assert counts["figures"] == 1
    shape = doc.inline_shapes[0]
    assert shape._inline.docPr.get("descr") == "segments"
    assert round(shape.width / Mm(1)) == 178  # 672 px at 96 dpi is the text area's width
    caption = next(p for p in doc.paragraphs if p.style.name == "Caption")
    assert "".join(t.text for t in caption._p.iter(qn("w:t"))) == "Figure 1 – Segmentation RFM (segments)"
    assert "SEQ Figure" in _xml(path)
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert png_size(z.read(media[0])) == (400, 200)  # the picture as printed, not resampled


def test_paragraph_classes_comments_and_callouts_get_their_styles(report):
    doc, path, _ = report
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["Valider le plan."] == "Normal"
    assert styles["Méthode : quintiles."] == "Method Note"
    assert styles["Une cible."] == "Quote"
    assert styles["Notre lecture : une marque aimée, voir l'étude."] == "Consultant Comment"
    assert styles["relancer"] == styles["reprendre"] == "List Bullet"
    comment = next(p for p in doc.paragraphs if p.style.name == "Consultant Comment")
    assert [(r.text, r.style.name) for r in comment.runs][:3] == [
        ("Notre lecture", "Strong"), (" : une ", "Default Paragraph Font"), ("marque", "Emphasis")]
    assert "https://example.org/etude" in _xml(path, "word/_rels/document.xml.rels")
    assert "<w:hyperlink" in _xml(path)
    assert "a warning no client sees" not in _xml(path)


def test_header_has_the_client_and_footer_page_x_of_y(report):
    doc, path, _ = report
    section = doc.sections[0]
    assert section.different_first_page_header_footer  # the cover has neither
    assert section.header.paragraphs[0].text.startswith("Client Test")
    footer = "".join(_xml(path, n) for n in zipfile.ZipFile(path).namelist()
                     if n.startswith("word/footer"))
    assert " PAGE " in footer and " NUMPAGES " in footer and "Document confidentiel" in footer


def test_page_is_a4_with_the_pdf_margins(report):
    section = report[0].sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert [round(m / Mm(1)) for m in (section.top_margin, section.right_margin, section.bottom_margin,
                                        section.left_margin)] == [20, 16, 18, 16]


def test_heading_colour_and_fonts_follow_the_brand(tmp_path):
    path, _ = _write(tmp_path, brand=replace(DEFAULT_BRAND, primary="#AA3300", font_headings="Liberation Serif"))
    styles = docx.Document(str(path)).styles
    assert str(styles["Heading 1"].font.color.rgb) == "AA3300"
    assert str(styles["Heading 2"].font.color.rgb) == "AA3300"
    assert styles["Heading 1"].font.name == "Liberation Serif"
    assert 'w:fill="AA3300"' in _xml(path, "word/styles.xml")  # the tables' header row


def test_a_brand_file_colours_the_headings(tmp_path):
    (tmp_path / "_brand.yml").write_text("color:\n  primary: \"#0B6E4F\"\n", encoding="utf-8")
    engagement = tmp_path / "client"
    engagement.mkdir()
    brand = find_brand(engagement)
    path, _ = _write(tmp_path, brand=brand)
    assert str(docx.Document(str(path)).styles["Heading 1"].font.color.rgb) == "0B6E4F"


def test_default_look_is_relkits_reference(tmp_path):
    path, _ = _write(tmp_path)
    styles = docx.Document(str(path)).styles
    assert str(styles["Heading 1"].font.color.rgb) == "1F4E79" and styles["Heading 1"].font.name == "DejaVu Sans"


def test_a_firms_reference_document_restyles_everything(tmp_path):
    firm = docx.Document()
    firm.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0x12, 0x34, 0x56)
    firm.styles["Heading 1"].font.name = "Garamond"
    firm.add_paragraph("the firm's sample text, not in the report")
    engagement = tmp_path / "client"
    engagement.mkdir()
    firm.save(str(engagement / "reference.docx"))
    brand = replace(DEFAULT_BRAND, primary="#AA3300")
    reference = find_reference(engagement, brand)
    assert reference == engagement / "reference.docx"
    path, _ = _write(tmp_path, brand=brand, reference=reference)
    doc = docx.Document(str(path))
    assert str(doc.styles["Heading 1"].font.color.rgb) == "123456" and doc.styles["Heading 1"].font.name == "Garamond"
    assert "the firm's sample text" not in _xml(path)
    assert doc.styles["Consultant Comment"] is not None  # the report's own styles are added when missing


def test_reference_lookup_engagement_then_beside_the_brand_file(tmp_path):
    shared, engagement = tmp_path, tmp_path / "client"
    engagement.mkdir()
    (shared / "_brand.yml").write_text("meta:\n  name: Cabinet\n", encoding="utf-8")
    brand = find_brand(engagement)
    assert find_reference(engagement, brand) is None  # relkit's
    docx.Document().save(str(shared / "reference.docx"))
    assert find_reference(engagement, brand) == shared / "reference.docx"
    docx.Document().save(str(engagement / "reference.docx"))
    assert find_reference(engagement, brand) == engagement / "reference.docx"
    assert find_reference(engagement, DEFAULT_BRAND) == engagement / "reference.docx"


def test_captions():
    assert caption_text("segments", "Segmentation RFM") == "Segmentation RFM (segments)"
    assert caption_text("RFM", "Segmentation RFM") == "Segmentation RFM"
    assert caption_text("les clients actuels apportent 211 672 €", "Objectif") == "Les clients actuels apportent 211 672 €"
    assert caption_text("", "Pression marketing") == "Pression marketing"


def test_column_widths_share_the_text_area_and_keep_amounts_on_one_line():
    texts = [["Décision", "Responsable", "Coût"],
             ["Valider le budget marketing de l'année avec toute l'équipe", "Arnaud & Zoé", "65\u202f979\u00a0€"]]
    widths = column_widths(texts, 3, 10092)
    assert sum(widths) == 10092
    assert widths[2] >= 8 * 105 + 220  # "65 979 €" never breaks
    assert widths[0] > widths[1] > widths[2]


def test_cover_has_the_firms_and_the_clients_logos(tmp_path):
    firm, client = tmp_path / "cabinet.png", tmp_path / "client.png"
    firm.write_bytes(_png(300, 100))
    client.write_bytes(_png(100, 100))
    cover = replace(COVER, logos=[(firm, "Logo Cabinet"), (client, "Logo Client Test"), (tmp_path / "absent.png", "x")])
    blocks = report_blocks(report_cells(_notebooks(), "Annexes"))
    write_report(tmp_path / "r.docx", blocks, cover, DEFAULT_BRAND)
    doc = docx.Document(str(tmp_path / "r.docx"))
    shapes = list(doc.inline_shapes)
    assert [s._inline.docPr.get("descr") for s in shapes] == ["Logo Cabinet", "Logo Client Test", "segments"]
    assert round(shapes[0].height / Mm(1)) == round(shapes[1].height / Mm(1)) == 18
    assert doc.paragraphs[0].style.name == "Cover Meta" and doc.paragraphs[1].text == "Plan marketing relationnel"


def test_a_short_table_keeps_its_rows_together(report):
    doc = report[0]
    segments = next(t for t in doc.tables if t.style.name == "Report Table")
    keeps = [[p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs] for row in segments.rows]
    assert keeps == [[True] * 3, [True] * 3, [None] * 3]  # every row but the last keeps with the next


def test_a_very_wide_table_gets_landscape_pages_with_the_same_header(tmp_path):
    head = "".join(f"<th>C{i}</th>" for i in range(11))
    row = "".join(f"<td>{i}</td>" for i in range(11))
    wide = (f'<div class="rk-table-block rk-landscape"><h2 id="w-wide" class="rk-heading">Plan détaillé</h2>'
            f'<table class="dataframe rk-table rk-wide"><thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody>'
            f'</table></div>')
    blocks = [("html", '<h1 class="rk-heading">Plan</h1>'), ("html", wide), ("html", '<p class="rk-explain">Suite.</p>')]
    write_report(tmp_path / "r.docx", blocks, COVER, DEFAULT_BRAND)
    doc = docx.Document(str(tmp_path / "r.docx"))
    portrait, landscape, after = doc.sections
    assert (round(landscape.page_width / Mm(1)), round(landscape.page_height / Mm(1))) == (297, 210)
    assert landscape.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert (round(after.page_width / Mm(1)), round(after.page_height / Mm(1))) == (210, 297)
    assert portrait.different_first_page_header_footer and not landscape.different_first_page_header_footer
    assert landscape.header.is_linked_to_previous and after.footer.is_linked_to_previous
    assert portrait.header.paragraphs[0].text.startswith("Client Test")
    table = doc.tables[0]
    assert sum(int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))) == round(265 * 1440 / 25.4)
    assert [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")] == ["Plan", "Plan détaillé"]


def test_an_unreadable_reference_document_is_one_clear_error(tmp_path):
    from types import SimpleNamespace

    from relkit.intake.load import load
    from relkit.io.labels import Labels
    from relkit.pipeline import word
    from relkit.pipeline.run import RenderFailed
    from conftest import DEMO

    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "reference.docx").write_text("not a Word file", encoding="utf-8")
    data = SimpleNamespace(**{**load(DEMO, import_exports=False).__dict__, "folder": folder})
    notebook = tmp_path / "01.ipynb"
    nbformat.write(_notebooks()[0], str(notebook))
    with pytest.raises(RenderFailed, match=r"reference document reference\.docx \(client/\)"):
        word.write([SimpleNamespace(output=notebook)], data, Labels("fr"), tmp_path)
    assert not (tmp_path / "rapport-arnaud-zoe.docx").exists()
