"""The demo's Word report: the same structure as the bound PDF/HTML report, and
a file LibreOffice opens and prints."""
import html as htmllib
import re
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

import relkit

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    from conftest import DEMO

    out = tmp_path_factory.mktemp("word") / "reports"
    return relkit.run(DEMO, out=out, progress=None)


@pytest.fixture(scope="module")
def document(demo_run):
    path = demo_run.out_dir / "rapport-arnaud-zoe.docx"
    assert path.is_file()
    return docx.Document(str(path))


def test_headings_are_the_pdf_contents_in_order(demo_run, document):
    page = demo_run.html.read_text(encoding="utf-8")
    contents = [(int(level), htmllib.unescape(text)) for level, text in
                re.findall(r'<li class="rk-toc-l(\d)"><a href="#[^"]*">([^<]*)</a></li>', page)]
    assert contents[0] == (1, "Résumé exécutif") and (1, "Annexes") in contents
    headings = [(int(p.style.name[-1]), p.text) for p in document.paragraphs
                if p.style.name in ("Heading 1", "Heading 2")]
    assert headings == contents
    level3 = len(re.findall(r'<h3 [^>]*class="rk-heading', page))
    assert level3 == 26 and sum(p.style.name == "Heading 3" for p in document.paragraphs) == level3


def test_every_table_of_the_report_is_a_word_table(demo_run, document):
    page = demo_run.html.read_text(encoding="utf-8")
    tables = [t for t in document.tables if t.style.name == "Report Table"]
    assert len(tables) == len(re.findall(r'<table class="[^"]*\b(?:rk-table|rk-journey-map)\b', page)) == 54
    decisions = next(t for t in tables if t.cell(0, 0).text == "Décision")
    assert [c.text for c in decisions.rows[0].cells] == ["Décision", "Responsable", "Échéance", "Coût"]
    assert all(t.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for t in tables)
    segments = next(t for t in tables if [c.text for c in t.rows[0].cells][:2] == ["Segment", "Clients"]
                    and t.cell(1, 0).text == "Champions")
    assert segments.cell(1, 1).text == "173"


def test_every_figure_has_its_alt_text_and_a_caption(demo_run, document):
    page = demo_run.html.read_text(encoding="utf-8")
    alts = [htmllib.unescape(a) for a in re.findall(r'<img alt="([^"]*)"', page)]
    assert len(alts) == 18
    pictures = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert pictures[-18:] == alts  # the logos, when any, come first on the cover
    captions = ["".join(t.text for t in p._p.iter(qn("w:t"))) for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == 18 and captions[0].startswith("Figure 1 – ") and captions[-1].startswith("Figure 18 – ")


@pytest.mark.libreoffice
def test_libreoffice_prints_the_docx(demo_run, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = demo_run.out_dir / "rapport-arnaud-zoe.docx"
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=240)
    pdf = tmp_path / "rapport-arnaud-zoe.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stdout + done.stderr
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert 30 <= len(reader.pages) <= 50
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Arnaud & Zoé" in reader.pages[0].extract_text() and "Résumé exécutif" in text
    assert f"Page 3 / {len(reader.pages)}" in text  # the footer's PAGE and NUMPAGES fields
