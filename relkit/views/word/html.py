"""The report's small HTML vocabulary (relkit.workbooks.session) as Word XML.

Headings (h1–h3 → Heading 1–3), paragraphs (p.rk-explain → Normal, p.rk-rule →
Method Note, p.rk-figtitle/p.rk-figtake → Figure Title/Takeaway), callouts
(blockquote → Quote), the consultant's comments (div.rk-comment → Consultant
Comment, with bold, italic, links and lists), key-figure strips (div.rk-kpis →
a small table), tables (→ Word tables in "Report Table", header row repeated
on every page, cell text as the report prints it), the journey map's
touchpoints (div.rk-chip → a character style per qualification) and PNG
figures (the picture at its print resolution, the text area's width at most,
its alt text, and a numbered caption). Every paragraph and run carries a named
style; the only direct formatting is a table's column widths and a picture's size.
"""
from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import lxml.html
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm
from lxml import etree

from relkit.views.word.layout import caption_text, column_widths, png_size
from relkit.views.word.styles import (JOURNEY, KPI_TABLE_STYLE, LANDSCAPE_TEXT_WIDTH_MM, PAGE_MM, TABLE_STYLE,
                                      TEXT_WIDTH_MM)

NS = nsdecls("w", "r")
TWIPS_PER_MM = 1440 / 25.4
KPIS_PER_ROW = 4
DENSE_COLUMNS = 8  # beyond this (as in the PDF), a table's cells take the smaller "Table Text Dense"
LONG_ROWS = 8  # as in the PDF, a table longer than this may split across pages; a shorter one moves whole
_STYLED = re.compile(r'(<w:pPr><w:pStyle w:val="[^"]*"/>)')
PARAGRAPH_CLASSES = {"rk-explain": "Normal", "rk-rule": "Method Note", "rk-figtitle": "Figure Title",
                     "rk-figtake": "Figure Takeaway"}
INLINE = {"strong", "b", "em", "i", "a", "span", "br", "code", "small", "sup", "sub", "abbr", "u", "s", "mark"}
HEADINGS = {f"h{n}": min(n, 3) for n in range(1, 7)}
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space (not the no-break spaces of French typography)
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    return escape(_BAD_XML.sub("", value))


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    chip: str | None = None  # a character style name
    newline: bool = False


def _chip_style(el) -> str | None:
    for cls in _classes(el):
        if cls.startswith("rk-q-") and cls[5:] in JOURNEY:
            return JOURNEY[cls[5:]][0]
    return None


def inline_runs(el, runs: list[Run] | None = None, bold=False, italic=False, href=None, chip=None,
                own_text: bool = True) -> list[Run]:
    """The runs of an element's inline content (its text, its inline children's, their tails)."""
    runs = [] if runs is None else runs
    chip = _chip_style(el) or chip
    if own_text and el.text:
        runs.append(Run(el.text, bold, italic, href, chip))
    for child in el:
        if not isinstance(child.tag, str):  # an HTML comment
            pass
        elif child.tag == "br":
            runs.append(Run("", bold, italic, href, chip, newline=True))
        else:
            inline_runs(child, runs, bold or child.tag in ("strong", "b"), italic or child.tag in ("em", "i"),
                        child.get("href") if child.tag == "a" else href, chip)
        if child.tail:
            runs.append(Run(child.tail, bold, italic, href, chip))
    return runs


def _collapse(runs: list[Run]) -> list[Run]:
    """HTML white space: runs of it become one space, none at the paragraph's ends or after a line break."""
    out: list[Run] = []
    space_before = True
    for run in runs:
        if run.newline:
            if out and not out[-1].newline:
                out[-1].text = out[-1].text.rstrip(" ")
            out.append(run)
            space_before = True
            continue
        text = _SPACE.sub(" ", run.text)
        if space_before:
            text = text.lstrip(" ")
        if not text:
            continue
        space_before = text.endswith(" ")
        run.text = text
        out.append(run)
    while out and (out[-1].newline or not out[-1].text.rstrip(" ")):
        out.pop()
    if out:
        out[-1].text = out[-1].text.rstrip(" ")
    return out


@dataclass
class Writer:
    """Appends the report's blocks to a python-docx Document, before its last section properties."""

    doc: object
    figure_word: str = "Figure"
    figures: int = 0
    heading: str = ""
    style_ids: dict = field(default_factory=dict)
    _links: dict = field(default_factory=dict)

    def __post_init__(self):
        self.body = self.doc.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        self.text_width_mm = TEXT_WIDTH_MM  # the landscape pages' is wider

    def section_break(self, landscape: bool) -> str:
        """A paragraph ending the current section (landscape or portrait A4, the report's margins):
        a very wide table gets its own landscape pages, as in the PDF."""
        sect = copy.deepcopy(self.sect_pr)
        for tag in ("w:headerReference", "w:footerReference", "w:titlePg"):
            for old in sect.findall(qn(tag)):
                sect.remove(old)
        size = sect.find(qn("w:pgSz"))
        width, height = (PAGE_MM[1], PAGE_MM[0]) if landscape else PAGE_MM
        size.set(qn("w:w"), str(round(width * TWIPS_PER_MM)))
        size.set(qn("w:h"), str(round(height * TWIPS_PER_MM)))
        if landscape:
            size.set(qn("w:orient"), "landscape")
        else:
            size.attrib.pop(qn("w:orient"), None)
        return f'<w:p {NS}><w:pPr>{etree.tostring(sect, encoding="unicode")}</w:pPr></w:p>'

    # -- XML pieces ------------------------------------------------------------
    def sid(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.doc.styles[name].style_id
        return self.style_ids[name]

    def _link_id(self, href: str) -> str:
        if href not in self._links:
            self._links[href] = self.doc.part.relate_to(href, RT.HYPERLINK, is_external=True)
        return self._links[href]

    def run_xml(self, run: Run) -> str:
        style = run.chip or ("Hyperlink" if run.href else "Strong" if run.bold else "Emphasis" if run.italic else None)
        props = f'<w:rStyle w:val="{self.sid(style)}"/>' if style else ""
        if run.bold and style not in (None, "Strong"):
            props += "<w:b/>"
        if run.italic and style not in (None, "Emphasis"):
            props += "<w:i/>"
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        if run.newline:
            return f"<w:r>{rpr}<w:br/></w:r>"
        return f'<w:r>{rpr}<w:t xml:space="preserve">{xml_text(run.text)}</w:t></w:r>'

    def runs_xml(self, runs: list[Run]) -> str:
        out, i = [], 0
        while i < len(runs):
            href = runs[i].href
            if href and re.match(r"(?i)^(https?:|mailto:)", href):
                j = i
                while j < len(runs) and runs[j].href == href:
                    j += 1
                inner = "".join(self.run_xml(r) for r in runs[i:j])
                out.append(f'<w:hyperlink r:id="{self._link_id(href)}" w:history="1">{inner}</w:hyperlink>')
                i = j
            else:
                if href:
                    runs[i].href = None  # an anchor inside the report: plain text in Word
                out.append(self.run_xml(runs[i]))
                i += 1
        return "".join(out)

    def paragraph_xml(self, style: str, runs: list[Run] | str, extra_ppr: str = "") -> str:
        if isinstance(runs, str):
            runs = [Run(runs)]
        return (f'<w:p {NS}><w:pPr><w:pStyle w:val="{self.sid(style)}"/>{extra_ppr}</w:pPr>'
                f"{self.runs_xml(_collapse(runs))}</w:p>")

    def add(self, xml: str):
        element = parse_xml(xml)
        self.sect_pr.addprevious(element)
        return element

    # -- blocks ------------------------------------------------------------------
    def html(self, source: str) -> None:
        """One output's HTML, appended block by block."""
        if not source.strip() or not re.search(r"<\w|[^\s]", source.replace("<!-- -->", "")):
            return
        root = lxml.html.fragment_fromstring(source, create_parent="div")
        for xml in self.blocks(root, "Normal"):
            self.add(xml)

    def blocks(self, el, style: str, in_cell: bool = False) -> list[str]:
        """The Word XML of a container's children (text directly in it becomes a paragraph)."""
        out: list[str] = []
        pending: list[Run] = []  # inline content between blocks
        if el.text and el.text.strip():
            pending.append(Run(el.text, chip=_chip_style(el)))

        def flush():
            if _collapse(list(pending)):
                out.append(self.paragraph_xml(style, [Run(r.text, r.bold, r.italic, r.href, r.chip, r.newline)
                                                      for r in pending]))
            pending.clear()

        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag in INLINE and "rk-chip" not in _classes(child):
                bold, italic = child.tag in ("strong", "b"), child.tag in ("em", "i")
                if child.tag == "br":
                    pending.append(Run("", newline=True))
                else:
                    inline_runs(child, pending, bold, italic, child.get("href") if child.tag == "a" else None,
                                _chip_style(el))
            else:
                flush()
                out += self.block(child, style, in_cell)
            if child.tail and child.tail.strip():
                pending.append(Run(child.tail, chip=_chip_style(el)))
        flush()
        return out

    def block(self, el, style: str, in_cell: bool = False) -> list[str]:
        tag, classes = el.tag, _classes(el)
        if tag in HEADINGS and not in_cell:
            text = " ".join(el.text_content().split())
            self.heading = text
            return [self.paragraph_xml(f"Heading {HEADINGS[tag]}", text)]
        if tag == "p":
            own = next((PARAGRAPH_CLASSES[c] for c in classes if c in PARAGRAPH_CLASSES), None)
            chosen = style if (own in (None, "Normal") or in_cell) else own
            return [self.paragraph_xml(chosen, inline_runs(el))]
        if tag == "blockquote":
            return self.blocks(el, "Quote", in_cell) if not in_cell else self.blocks(el, style, in_cell)
        if tag in ("ul", "ol"):
            list_style = style if in_cell else ("List Bullet" if tag == "ul" else "List Number")
            return [xml for item in el.iterfind("li") for xml in self.blocks(item, list_style, in_cell)]
        if tag == "table":
            return self.table_xml(el) if not in_cell else self.blocks(el, style, in_cell)
        if tag == "div" and "rk-kpis" in classes and not in_cell:
            return self.kpis_xml(el)
        if tag == "div" and "rk-landscape" in classes and not in_cell:  # its heading and table on landscape pages
            out = [self.section_break(landscape=False)]
            self.text_width_mm = LANDSCAPE_TEXT_WIDTH_MM
            try:
                out += self.blocks(el, style, in_cell)
            finally:
                self.text_width_mm = TEXT_WIDTH_MM
            return out + [self.section_break(landscape=True)]
        if tag == "div" and "rk-comment" in classes:
            return self.blocks(el, "Consultant Comment", in_cell)
        if tag == "div" and "rk-journey-legend" in classes:  # one run per entry, spaced apart
            runs = [run for child in el if isinstance(child.tag, str)
                    for run in inline_runs(child) + [Run("\u2003")]]
            return [self.paragraph_xml("Figure Takeaway", runs)]
        if "rk-chip" in classes:  # a touchpoint: its own paragraph in the cell
            return [self.paragraph_xml(style, inline_runs(el))]
        return self.blocks(el, style, in_cell)

    # -- tables --------------------------------------------------------------------
    def _rows(self, table) -> list[tuple[bool, list]]:
        rows = []
        for tr in table.iter("tr"):
            if tr.getparent() is not None and tr.getparent().tag not in ("table", "thead", "tbody", "tfoot"):
                continue
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
            header = tr.getparent().tag == "thead" or (not rows and cells and all(c.tag == "th" for c in cells))
            rows.append((bool(header), cells))
        return rows

    def table_xml(self, table) -> list[str]:
        rows = [(h, cells) for h, cells in self._rows(table) if cells]
        if not rows:
            return []
        ncols = max(sum(int(c.get("colspan", 1) or 1) for c in cells) for _, cells in rows)
        texts = [[" ".join(c.text_content().split()) for c in cells] for _, cells in rows]
        dense = ncols > DENSE_COLUMNS or "rk-dense" in _classes(table) or "rk-journey-map" in _classes(table)
        widths = column_widths(texts, ncols, round(self.text_width_mm * TWIPS_PER_MM), 88 if dense else 105,
                               bold_rows=sum(1 for header, _ in rows if header))
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        has_header = rows[0][0]
        look = ('<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
                'w:noHBand="1" w:noVBand="1"/>') if has_header else \
            ('<w:tblLook w:val="0480" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
             'w:noHBand="1" w:noVBand="1"/>')
        out = [f'<w:tbl {NS}><w:tblPr><w:tblStyle w:val="{self.sid(TABLE_STYLE)}"/>'
               f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>{look}</w:tblPr>'
               f"<w:tblGrid>{grid}</w:tblGrid>"]
        whole = sum(1 for header, _ in rows if not header) <= LONG_ROWS and "rk-long" not in _classes(table)
        for i, (header, cells) in enumerate(rows):
            # a header row is repeated on every page; no row is split across two pages
            trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
            row_start = len(out)
            out.append(f"<w:tr>{trpr}")
            col = 0
            for cell in cells:
                span = max(1, int(cell.get("colspan", 1) or 1))
                width = sum(widths[col:col + span])
                col += span
                style = ("Table Heading" if header else "Table Row Heading") if cell.tag == "th" else \
                    "Table Text Dense" if dense else "Table Text"
                paragraphs = "".join(self.blocks(cell, style, in_cell=True)) or \
                    f'<w:p><w:pPr><w:pStyle w:val="{self.sid(style)}"/></w:pPr></w:p>'
                span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}</w:tcPr>{paragraphs}</w:tc>')
            for _ in range(col, ncols):
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[col]}" w:type="dxa"/></w:tcPr>'
                           f'<w:p><w:pPr><w:pStyle w:val="{self.sid("Table Text")}"/></w:pPr></w:p></w:tc>')
                col += 1
            out.append("</w:tr>")
            if whole and i < len(rows) - 1:  # a short table stays on one page: each row keeps with the next
                out[row_start:] = [_STYLED.sub(r"\1<w:keepNext/>", "".join(out[row_start:]))]
        out.append("</w:tbl>")
        # a paragraph after each table, so that two tables never merge and text does not touch it
        return ["".join(out), self.paragraph_xml("Normal", "")]

    def kpis_xml(self, el) -> list[str]:
        items = []
        for kpi in el.iter("div"):
            if "rk-kpi" not in _classes(kpi):
                continue
            value = next((d for d in kpi.iter("div") if "rk-kpi-value" in _classes(d)), None)
            label = next((d for d in kpi.iter("div") if "rk-kpi-label" in _classes(d)), None)
            items.append((value.text_content() if value is not None else "",
                          label.text_content() if label is not None else ""))
        if not items:
            return []
        per_row = min(KPIS_PER_ROW, len(items))
        total = round(TEXT_WIDTH_MM * TWIPS_PER_MM)
        width = total // per_row
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(per_row))
        out = [f'<w:tbl {NS}><w:tblPr><w:tblStyle w:val="{self.sid(KPI_TABLE_STYLE)}"/>'
               f'<w:tblW w:w="{width * per_row}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:val="0480" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
               'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
               f"<w:tblGrid>{grid}</w:tblGrid>"]
        for start in range(0, len(items), per_row):
            out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            row = items[start:start + per_row]
            for value, label in row + [("", "")] * (per_row - len(row)):
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                           f'{self.paragraph_xml("Key Figure", value, "<w:keepNext/>")}'
                           f'{self.paragraph_xml("Key Figure Label", label)}</w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return ["".join(out), self.paragraph_xml("Normal", "")]

    # -- figures ---------------------------------------------------------------------
    def figure(self, png: bytes, alt: str = "", width_px: int | None = None) -> None:
        """A chart: the PNG as printed (its own resolution), as wide as the report shows it and
        at most the text area; its alt text on the picture; "Figure n – …" below it."""
        self.figures += 1
        px_w, px_h = png_size(png)
        shown_mm = min(TEXT_WIDTH_MM, (width_px or px_w / 2) * 25.4 / 96)
        width = Mm(shown_mm)
        height = Emu(round(width * px_h / px_w)) if px_w else None
        inline = self.doc.part.new_pic_inline(io.BytesIO(png), width, height)
        inline.docPr.set("descr", alt)
        inline.docPr.set("title", "")
        paragraph = self.add(f'<w:p {NS}><w:pPr><w:pStyle w:val="{self.sid("Figure")}"/></w:pPr></w:p>')
        run = paragraph.makeelement(qn("w:r"), {})
        drawing = run.makeelement(qn("w:drawing"), {})
        drawing.append(inline)
        run.append(drawing)
        paragraph.append(run)
        caption = caption_text(alt, self.heading)
        self.add(f'<w:p {NS}><w:pPr><w:pStyle w:val="{self.sid("Caption")}"/></w:pPr>'
                 f'<w:r><w:t xml:space="preserve">{xml_text(self.figure_word)} </w:t></w:r>'
                 f'<w:fldSimple w:instr=" SEQ Figure \\* ARABIC "><w:r><w:t>{self.figures}</w:t></w:r></w:fldSimple>'
                 f'<w:r><w:t xml:space="preserve"> – {xml_text(caption)}</w:t></w:r></w:p>')
