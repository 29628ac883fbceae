"""The Word styles of the report: what the reference document defines, and the
brand's colours and fonts put on them.

Everything the report writes carries a named style (built-in: Normal, Heading
1–3, Title, Subtitle, Caption, Quote, List Bullet/Number, Header, Footer, TOC
Heading; the report's own: ``CUSTOM`` below), so a firm's reference document
restyles the whole report. A reference document that lacks one of the report's
own styles gets it here, with relkit's look.
"""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from relkit.io.brand import BrandStyle

# The PDF's page (print.css @page): A4, margins top right bottom left.
PAGE_MM = (210, 297)
MARGINS_MM = (20, 16, 18, 16)
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM[1] - MARGINS_MM[3]
LANDSCAPE_TEXT_WIDTH_MM = PAGE_MM[1] - MARGINS_MM[1] - MARGINS_MM[3]  # a very wide table's pages

MUTED = "#6B7280"
LINE = "#D1D5DB"
COMMENT_BAR, COMMENT_FILL = "#B7791F", "#FBF7EF"
CALLOUT_FILL = "#F2F6FA"
#: the journey map's qualifications (relkit.css .rk-q-*): fill of each touchpoint
JOURNEY = {"delight": ("Journey Delight", "#E6F2E7"), "satisfaction": ("Journey Satisfaction", "#E5EEF9"),
           "irritant": ("Journey Irritant", "#FDEEDF"), "breaking_point": ("Journey Breaking Point", "#F9E3E3")}

TABLE_STYLE = "Report Table"
KPI_TABLE_STYLE = "Key Figures Table"
BUILT_IN = ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "Subtitle", "Caption", "Quote", "List Bullet",
            "List Number", "Header", "Footer", "TOC Heading", "Strong", "Emphasis", "Hyperlink")
#: the report's own paragraph and character styles (name → what it is for)
CUSTOM = {
    "Table Text": "a table cell", "Table Text Dense": "a cell of a table with many columns",
    "Table Heading": "a table's header cell", "Table Row Heading": "a row's title cell (the journey map's stages)", "Method Note": "how a figure is computed",
    "Consultant Comment": "the consultant's comment", "Key Figure": "a headline number",
    "Key Figure Label": "what a headline number is", "Figure": "the paragraph holding a chart",
    "Figure Title": "a figure's title", "Figure Takeaway": "what a figure shows", "Cover Kicker": "the cover's title line",
    "Cover Meta": "the cover's plan year, author and date",
    **{name: "a touchpoint of the journey map" for name, _ in JOURNEY.values()},
}
CHARACTER = {"Strong", "Emphasis", "Hyperlink", *(name for name, _ in JOURNEY.values())}


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(_hex(colour))


def _set_font(style, name: str | None = None, size: float | None = None, colour: str | None = None,
              bold: bool | None = None, italic: bool | None = None) -> None:
    """A style's font, theme fonts and theme colours removed so that the named ones apply."""
    font = style.font
    rpr = style.element.get_or_add_rPr()
    if name:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                fonts.attrib.pop(qn(f"w:{attr}"), None)
        font.name = name
        rpr.find(qn("w:rFonts")).set(qn("w:cs"), name)
    if size:
        font.size = Pt(size)
    if colour:
        color = rpr.find(qn("w:color"))
        if color is not None:
            rpr.remove(color)
        font.color.rgb = _rgb(colour)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _style(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH):
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = doc.styles["Normal"]
        style.quick_style = True
        return style


def _ppr_child(style, xml: str) -> None:
    """Put (or replace) one pPr child given as XML, e.g. a border or a shading."""
    ppr = style.element.get_or_add_pPr()
    element = parse_xml(xml)
    old = ppr.find(element.tag)
    if old is not None:
        ppr.remove(old)
    ppr.append(element)
    _order_ppr(ppr)


_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]


def _order_ppr(ppr) -> None:
    """pPr children in the schema's order (Word refuses a file otherwise)."""
    rank = {qn(f"w:{n}"): i for i, n in enumerate(_PPR_ORDER)}
    children = sorted(ppr, key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        ppr.append(child)


def _border(sides: dict[str, tuple[str, int]]) -> str:
    """<w:pBdr> with {side: (colour, eighths of a point)}."""
    inner = "".join(f'<w:{side} w:val="single" w:sz="{size}" w:space="8" w:color="{_hex(colour)}"/>'
                    for side, (colour, size) in sides.items())
    return f"<w:pBdr {nsdecls('w')}>{inner}</w:pBdr>"


def _shading(fill: str) -> str:
    return f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{_hex(fill)}"/>'


def ensure_styles(doc) -> None:
    """Every style the report uses exists (a firm's reference document may lack the report's own ones)."""
    for name in BUILT_IN + tuple(CUSTOM):
        kind = WD_STYLE_TYPE.CHARACTER if name in CHARACTER else WD_STYLE_TYPE.PARAGRAPH
        try:
            doc.styles[name]
        except KeyError:
            style = _style(doc, name, kind)
            if name == "Strong":
                style.font.bold = True
            elif name == "Emphasis":
                style.font.italic = True
            elif name == "Hyperlink":
                style.font.underline = True
            elif name in {n for n, _ in JOURNEY.values()}:
                fill = next(f for n, f in JOURNEY.values() if n == name)
                style.element.get_or_add_rPr().append(parse_xml(_shading(fill)))
    for name in (TABLE_STYLE, KPI_TABLE_STYLE):
        try:
            doc.styles[name]
        except KeyError:
            _table_style(doc, name, "#1F4E79")


def _table_style(doc, name: str, primary: str) -> None:
    """A table style: thin rules between rows; "Report Table" has a header row in the primary colour,
    "Key Figures Table" a thick top rule in it."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
        style.base_style = doc.styles["Normal Table"]
        style.quick_style = True
    element = style.element
    for tag in ("w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    line, colour = _hex(LINE), _hex(primary)
    if name == KPI_TABLE_STYLE:
        borders = (f'<w:top w:val="single" w:sz="18" w:space="0" w:color="{colour}"/>'
                   f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{line}"/>'
                   f'<w:insideV w:val="single" w:sz="24" w:space="0" w:color="FFFFFF"/>')
        header = ""
    else:
        borders = (f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{line}"/>'
                   f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{line}"/>')
        header = (f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
                  f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{colour}"/></w:tcPr></w:tblStylePr>')
    element.append(parse_xml(
        f'<w:pPr {nsdecls("w")}><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'))
    element.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        f'<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'))
    if header:
        element.append(parse_xml(header.replace("<w:tblStylePr ", f"<w:tblStylePr {nsdecls('w')} ", 1)))


def page_setup(section) -> None:
    """A4 portrait with the PDF's margins; the cover has no header or footer."""
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    top, right, bottom, left = MARGINS_MM
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
        Mm(top), Mm(right), Mm(bottom), Mm(left))
    section.header_distance, section.footer_distance = Mm(8), Mm(8)
    section.different_first_page_header_footer = True


def apply_brand(doc, brand: BrandStyle) -> None:
    """relkit's reference styles in the brand's colours and fonts (the house style without a _brand.yml)."""
    ensure_styles(doc)
    base, headings = brand.font_base, brand.font_headings
    ink, primary = brand.foreground, brand.primary
    styles = doc.styles
    _set_font(styles["Normal"], base, 10, ink)
    styles["Normal"].paragraph_format.space_after = Pt(5)
    styles["Normal"].paragraph_format.line_spacing = 1.15
    for level, size, colour in ((1, 18, primary), (2, 14, primary), (3, 12, ink)):
        style = styles[f"Heading {level}"]
        _set_font(style, headings, size, colour, bold=True, italic=False)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt((18, 14, 10)[level - 1]), Pt((8, 5, 4)[level - 1])
        fmt.keep_with_next = True
        fmt.page_break_before = level == 1
        if level == 1:
            _ppr_child(style, _border({"bottom": (primary, 18)}))
    _set_font(styles["Title"], headings, 32, primary, bold=True)
    _ppr_child(styles["Title"], _border({}))  # no rule under the client's name
    styles["Title"].paragraph_format.space_after = Pt(10)
    _set_font(styles["Subtitle"], base, 15, ink, italic=False)
    _set_font(styles["TOC Heading"], headings, 16, primary, bold=True)
    styles["TOC Heading"].paragraph_format.page_break_before = False
    _set_font(styles["Caption"], base, 8.5, MUTED, bold=False, italic=True)
    styles["Caption"].paragraph_format.space_after = Pt(10)
    _set_font(styles["Quote"], base, 11, ink, italic=True)
    _ppr_child(styles["Quote"], _border({"left": (primary, 24)}))
    _ppr_child(styles["Quote"], _shading(CALLOUT_FILL))
    _set_font(styles["Header"], base, 8, MUTED)
    _set_font(styles["Footer"], base, 8, MUTED)
    footer_ppr = styles["Footer"].element.get_or_add_pPr()
    for old in footer_ppr.findall(qn("w:tabs")):  # the default's stops are for Letter paper
        footer_ppr.remove(old)
    styles["Footer"].paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    _set_font(styles["Hyperlink"], None, None, primary)
    # the report's own styles
    _set_font(styles["Table Text"], base, 8.5, ink)
    styles["Table Text"].paragraph_format.space_after = Pt(0)
    styles["Table Text"].paragraph_format.line_spacing = 1.0
    _set_font(styles["Table Text Dense"], base, 7, ink)
    styles["Table Text Dense"].base_style = styles["Table Text"]
    # white on the header row's fill (the table style's), as in the PDF
    _set_font(styles["Table Heading"], base, 8.5, brand.background, bold=True)
    styles["Table Heading"].base_style = styles["Table Text"]
    _set_font(styles["Table Row Heading"], base, 8, ink, bold=True)
    styles["Table Row Heading"].base_style = styles["Table Text"]
    _set_font(styles["Method Note"], base, 8.5, MUTED, italic=True)
    _set_font(styles["Consultant Comment"], base, 10, ink)
    _ppr_child(styles["Consultant Comment"], _border({"left": (COMMENT_BAR, 24)}))
    _ppr_child(styles["Consultant Comment"], _shading(COMMENT_FILL))
    _set_font(styles["Key Figure"], headings, 16, primary, bold=True)
    styles["Key Figure"].paragraph_format.space_after = Pt(0)
    _set_font(styles["Key Figure Label"], base, 8, MUTED)
    styles["Key Figure Label"].paragraph_format.space_after = Pt(0)
    styles["Figure"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Figure"].paragraph_format.keep_with_next = True
    styles["Figure"].paragraph_format.space_after = Pt(2)
    _set_font(styles["Figure Title"], headings, 11, ink, bold=True)
    styles["Figure Title"].paragraph_format.keep_with_next = True
    _set_font(styles["Figure Takeaway"], base, 9, MUTED)
    styles["Figure Takeaway"].paragraph_format.keep_with_next = True
    _set_font(styles["Cover Kicker"], headings, 13, MUTED)
    styles["Cover Kicker"].font.all_caps = True
    styles["Cover Kicker"].paragraph_format.space_before = Pt(150)
    _set_font(styles["Cover Meta"], base, 11, ink)
    styles["Cover Meta"].paragraph_format.space_after = Pt(2)
    _table_style(doc, TABLE_STYLE, primary)
    _table_style(doc, KPI_TABLE_STYLE, primary)
