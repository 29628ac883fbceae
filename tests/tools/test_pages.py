"""tools/pages.py: page count, pages before the appendix, near-empty pages."""
import importlib.util
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_notebook, new_output

from relkit.pipeline import render
from relkit.pipeline.pdf import write_pdf

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("pages", ROOT / "tools" / "pages.py")
pages = importlib.util.module_from_spec(_spec)
sys.modules["pages"] = pages
_spec.loader.exec_module(pages)

CONTEXT = {
    "lang": "fr", "version": "test", "client": "Client", "consultant": "C", "title": "Plan", "subtitle": "S",
    "prepared_by": "Préparé par C", "date": "23 novembre 2026", "plan_year": "Année du plan : 2027",
    "contents_title": "Sommaire", "confidential": "Document confidentiel", "page_word": "Page",
}


def _pgm(width, height, pixels, comment=b""):
    return b"P5\n" + comment + f"{width} {height}\n255\n".encode() + bytes(pixels)


def test_used_share_counts_from_the_top_margin_to_the_lowest_ink():
    # 1 px per mm: body rows 20..81 (62 rows); ink on row 50 -> (50 + 1 - 20) / 62 = 0.5
    width, height = 10, 100
    pixels = bytearray([255] * width * height)
    pixels[50 * width + 3] = 0
    pixels[5 * width] = 0  # the running header, above the body: ignored
    pixels[95 * width] = 0  # the footer, below the body: ignored
    assert pages.used_share(width, height, bytes(pixels), dpi=25.4, top_mm=20, bottom_mm=18) == 0.5
    blank = bytes([255] * width * height)
    assert pages.used_share(width, height, blank, dpi=25.4, top_mm=20, bottom_mm=18) == 0.0


@given(st.integers(1, 40), st.integers(1, 40), st.data())
def test_read_pgm_reads_back_what_was_written(width, height, data):
    pixels = data.draw(st.binary(min_size=width * height, max_size=width * height))
    comment = data.draw(st.sampled_from([b"", b"# made by a test\n"]))
    assert pages.read_pgm(_pgm(width, height, pixels, comment)) == (width, height, pixels)


def _cell(*html, tags=()):
    cell = new_code_cell("", metadata={"tags": list(tags)})
    cell.outputs = [new_output("display_data", data={"text/html": h}) for h in html]
    return cell


def _h1(text, anchor):
    return f'<h1 id="{anchor}" class="rk-heading">{text}</h1>'


PAGED = """<html><head><style>
@page { size: A4; margin: 20mm 16mm 18mm 16mm;
        @top-right { content: string(chapter); font-size: 8pt; }
        @bottom-right { content: "Page " counter(page); font-size: 8pt; } }
h1 { string-set: chapter content(); break-before: page; margin: 0; }
p { margin: 0; line-height: 8mm; font-size: 10pt; }
</style></head><body>
<div style="height: 200mm; background: #1F4E79">cover</div>
<h1>Long</h1>LONG
<h1>Court</h1><p>Deux lignes.</p><p>Fin.</p>
<h1>Annexes</h1><p>Une table de détail.</p>
</body></html>"""


def test_a_report_with_a_short_chapter_and_an_appendix(tmp_path, capsys):
    from weasyprint import HTML

    pdf = tmp_path / "r.pdf"
    # 20 lines of 8 mm under a ~10 mm heading: (10 + 160) / 259 mm of body, about two thirds
    HTML(string=PAGED.replace("LONG", "<p>Ligne.</p>" * 20)).write_pdf(pdf)
    assert pages.page_count(pdf) == 4  # cover, Long, Court, Annexes
    measured = pages.measure(pdf)
    assert [p.header.split()[-1] if p.number > 1 else "" for p in measured] == ["", "Long", "Court", "Annexes"]
    assert pages.appendix_start(measured) == 4
    assert pages.near_empty(measured) == [3, 4]  # the short chapter and the short appendix; never the cover
    assert 0.6 < measured[1].used < 0.7
    assert pages.main([str(pdf)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "pages: 4",
        "before the appendix: 3 (appendix: pages 4 to 4)",
        "near-empty pages (under a third used): 2: 3, 4",
    ]


def test_the_report_appendix_is_found_in_a_real_render(tmp_path):
    """The report's own CSS: the appendix starts a page whose running header names it."""
    nb = new_notebook(cells=[_cell(_h1("Long", "long"), "<p>Texte.</p>"),
                             _cell("<p>Une table de détail.</p>", tags=["appendix"])])
    pdf = tmp_path / "r.pdf"
    write_pdf(render.report_html([nb], CONTEXT), pdf, base_url=tmp_path)
    measured = pages.measure(pdf)
    assert len(measured) == 4 and pages.appendix_start(measured) == 4  # cover, contents, Long, Annexes
