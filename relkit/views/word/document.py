"""The Word report: a reference document's styles, a cover, a contents field Word
updates, the report's blocks, running header and footer, A4 with the PDF's margins."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from relkit.io.brand import BrandStyle
from relkit.io.resources import TEMPLATES_DIR
from relkit.views.word.html import NS, Writer, xml_text
from relkit.views.word.styles import TEXT_WIDTH_MM, apply_brand, ensure_styles, page_setup

REFERENCE = TEMPLATES_DIR / "docx" / "reference.docx"
REFERENCE_NAME = "reference.docx"  # a firm's own, beside its _brand.yml or in the engagement folder
LOGO_HEIGHT_MM = 18
TOC_INSTRUCTION = r' TOC \o "1-3" \h \z \u '
_LANG = {"fr": "fr-FR", "en": "en-GB"}


@dataclass
class Cover:
    """What the cover and the running header and footer say."""

    title: str  # "Plan marketing relationnel"
    client: str
    subtitle: str
    lines: list[str]  # plan year, prepared by, date
    logos: list[tuple[Path, str]] = field(default_factory=list)  # (image, alt text): the firm's, then the client's
    contents_title: str = "Contents"
    contents_hint: str = ""  # shown in the contents until Word updates it
    confidential: str = ""
    page_word: str = "Page"
    figure_word: str = "Figure"
    author: str = ""
    lang: str = "fr"
    date: dt.date | None = None


@dataclass
class Checks:
    """A draft's "Points à vérifier": title, introduction, one line each."""

    title: str
    intro: str
    lines: list[str]


def find_reference(engagement_folder: Path, brand: BrandStyle) -> Path | None:
    """A firm's own reference document: ``reference.docx`` in the engagement folder,
    else beside the _brand.yml in use; None means relkit's (in the brand's colours)."""
    places = [Path(engagement_folder)]
    if brand.source is not None:
        places.append(Path(brand.source).parent)
    for place in places:
        candidate = place / REFERENCE_NAME
        if candidate.is_file():
            return candidate
    return None


def new_document(brand: BrandStyle, reference: Path | None = None):
    """An empty document with the reference's styles: a firm's own as it is, else
    relkit's in the brand's colours and fonts."""
    import docx

    doc = docx.Document(str(reference or REFERENCE))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if reference is None:
        apply_brand(doc, brand)
    else:
        ensure_styles(doc)
    for section in doc.sections:
        page_setup(section)
    return doc


def _field(instruction: str, shown: str = "", style: str | None = None) -> str:
    """A complex field's runs (begin, instruction, separate, cached result, end)."""
    rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    return (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve">{xml_text(instruction)}</w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{rpr}<w:t xml:space="preserve">{xml_text(shown)}</w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')


def _cover(doc, writer: Writer, cover: Cover) -> None:
    logos = [(Path(path), alt) for path, alt in cover.logos if path and Path(path).is_file()]
    if logos:
        paragraph = doc.add_paragraph(style="Cover Meta")
        for i, (logo, alt) in enumerate(logos):
            if i:
                paragraph.add_run("\u2003\u2003")
            shape = paragraph.add_run().add_picture(str(logo), height=Mm(LOGO_HEIGHT_MM))
            shape._inline.docPr.set("descr", alt)
    writer.add(writer.paragraph_xml("Cover Kicker", cover.title))
    writer.add(writer.paragraph_xml("Title", cover.client))
    writer.add(writer.paragraph_xml("Subtitle", cover.subtitle))
    for line in cover.lines:
        writer.add(writer.paragraph_xml("Cover Meta", line))
    writer.add(f'<w:p {NS}><w:r><w:br w:type="page"/></w:r></w:p>')


def _contents(writer: Writer, cover: Cover, entries: list[tuple[int, str]]) -> None:
    """The contents: a TOC field over Heading 1–3 that Word fills in with page numbers
    (fields are updated on opening); until then it lists the headings."""
    writer.add(writer.paragraph_xml("TOC Heading", cover.contents_title))
    begin = (f'<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve">{xml_text(TOC_INSTRUCTION)}</w:instrText></w:r>'
             f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    lines = [(0, cover.contents_hint)] if cover.contents_hint else []
    lines += entries
    if not lines:
        lines = [(1, "")]
    for i, (level, text) in enumerate(lines):
        style = f'<w:pStyle w:val="{writer.sid("Normal") if level == 0 else _toc_style(writer, level)}"/>'
        runs = f'<w:r><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'
        writer.add(f'<w:p {NS}><w:pPr>{style}</w:pPr>{begin if i == 0 else ""}{runs}'
                   f'{end if i == len(lines) - 1 else ""}</w:p>')


def _toc_style(writer: Writer, level: int) -> str:
    """Word's "TOC n" styles (created when missing: Word restyles them when it updates the contents)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    name = f"TOC {level}"
    try:
        return writer.sid(name)
    except KeyError:
        style = writer.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = writer.doc.styles["Normal"]
        style.paragraph_format.left_indent = Mm(5 * (level - 1))
        style.paragraph_format.space_after = Pt(3 if level == 1 else 1)
        style.font.bold = level == 1
        style.priority = 39
        return writer.sid(name)


def _header_footer(doc, writer: Writer, cover: Cover) -> None:
    """Header: the client, and the chapter a page is in; footer: confidentiality and "Page X / Y"."""
    sections = list(doc.sections)  # more than one when a very wide table has landscape pages
    section = sections[0]
    section.different_first_page_header_footer = True
    for later in sections[1:]:  # the same header and footer (linked to the first section's), no cover page
        later.different_first_page_header_footer = False
    header, footer = section.header, section.footer
    header.is_linked_to_previous = footer.is_linked_to_previous = False
    for part in (header, footer):
        for element in list(part._element):
            part._element.remove(element)
    chapter = _field(' STYLEREF "Heading 1" ')
    header._element.append(parse_xml(
        f'<w:p {NS}><w:pPr><w:pStyle w:val="{writer.sid("Header")}"/>'
        f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/>'
        f'<w:tab w:val="right" w:pos="{round(TEXT_WIDTH_MM * 1440 / 25.4)}"/></w:tabs></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{xml_text(cover.client)}</w:t></w:r><w:r><w:tab/></w:r>{chapter}</w:p>'))
    footer._element.append(parse_xml(
        f'<w:p {NS}><w:pPr><w:pStyle w:val="{writer.sid("Footer")}"/>'
        f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/>'
        f'<w:tab w:val="right" w:pos="{round(TEXT_WIDTH_MM * 1440 / 25.4)}"/></w:tabs></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{xml_text(cover.confidential)}</w:t></w:r><w:r><w:tab/></w:r>'
        f'<w:r><w:t xml:space="preserve">{xml_text(cover.page_word)} </w:t></w:r>{_field(" PAGE ", "1")}'
        f'<w:r><w:t xml:space="preserve"> / </w:t></w:r>{_field(" NUMPAGES ", "1")}</w:p>'))
    # the cover's own (first-page) header and footer stay empty
    for part in (section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False
        for element in list(part._element):
            part._element.remove(element)
        part._element.append(parse_xml(f"<w:p {NS}/>"))


_SETTINGS_AFTER = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
                   "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                   "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
                   "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


def _update_fields_on_open(doc) -> None:
    """settings.xml <w:updateFields w:val="true"/>: Word fills in the contents and page numbers on opening."""
    settings = doc.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    element = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
    after = next((child for child in settings if child.tag.rsplit("}", 1)[-1] in _SETTINGS_AFTER), None)
    if after is not None:
        after.addprevious(element)
    else:
        settings.append(element)


def _language(doc, lang: str) -> None:
    """Spelling and hyphenation in the report's language (docDefaults)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{_LANG.get(lang, lang)}" w:eastAsia="{_LANG.get(lang, lang)}" '
                         f'w:bidi="ar-SA"/>'))


def headings_of(blocks: list[tuple]) -> list[tuple[int, str]]:
    """(level, title) of the blocks' headings, for the contents shown before Word updates it."""
    import lxml.html

    from relkit.views.word.html import HEADINGS

    found = []
    for block in blocks:
        if block[0] != "html" or "<h" not in block[1]:
            continue
        root = lxml.html.fragment_fromstring(block[1], create_parent="div")
        for el in root.iter(*HEADINGS):
            found.append((HEADINGS[el.tag], " ".join(el.text_content().split())))
    return found


def write_report(target: Path, blocks: Iterable[tuple], cover: Cover, brand: BrandStyle,
                 reference: Path | None = None, checks: Checks | None = None) -> dict:
    """Write the report: ``blocks`` are ("html", source), ("png", bytes, alt, width_px) or
    ("text", plain) in the report's order. Returns counts (figures, tables)."""
    blocks = list(blocks)
    doc = new_document(brand, reference)
    writer = Writer(doc, figure_word=cover.figure_word)
    _cover(doc, writer, cover)
    entries = headings_of(blocks) + ([(1, checks.title)] if checks and checks.lines else [])
    _contents(writer, cover, entries)
    for block in blocks:
        if block[0] == "html":
            writer.html(block[1])
        elif block[0] == "png":
            writer.figure(block[1], block[2] if len(block) > 2 else "", block[3] if len(block) > 3 else None)
        elif block[0] == "text" and block[1].strip():
            for line in block[1].strip().splitlines():
                writer.add(writer.paragraph_xml("Normal", line))
    if checks and checks.lines:
        writer.add(writer.paragraph_xml("Heading 1", checks.title))
        writer.add(writer.paragraph_xml("Normal", checks.intro))
        for line in checks.lines:
            writer.add(writer.paragraph_xml("List Bullet", line))
    _header_footer(doc, writer, cover)
    _update_fields_on_open(doc)
    _language(doc, cover.lang)
    props = doc.core_properties
    props.title = f"{cover.client} — {cover.title}"
    props.subject, props.author, props.last_modified_by = cover.subtitle, cover.author, cover.author
    props.comments, props.keywords, props.category = "", "", ""
    props.language = _LANG.get(cover.lang, cover.lang)
    if cover.date:
        stamp = dt.datetime.combine(cover.date, dt.time(9))
        props.created = props.modified = stamp
    props.revision = 1
    target = Path(target)
    doc.save(str(target))
    return {"figures": writer.figures, "tables": len(doc.tables)}
