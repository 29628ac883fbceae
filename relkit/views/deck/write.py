"""Write a Deck to .pptx: 16:9 slides on python-pptx's default template, the
brand's theme (colours, fonts), logos, a title placeholder on every slide, text at
fixed sizes chosen to fit its box, native charts, images and speaker notes."""
from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from relkit.views.deck.charts import add_chart
from relkit.views.deck.model import Deck, Slide, TableSpec
from relkit.views.deck.theme import apply_theme

WIDTH, HEIGHT = 13.333, 7.5  # inches, 16:9
MARGIN = 0.5
TOP = 1.55  # content starts under the title
BOTTOM = 6.85  # content ends above the footer
TITLE_ONLY = 5  # the default template's "Title Only" layout
CHAR_WIDTH = 0.53  # average glyph width in ems (DejaVu Sans / Calibri between 0.48 and 0.56)
LINE = 1.2  # line height in ems


def lines_needed(text: str, width_in: float, size_pt: float) -> int:
    per_line = max(1, int(width_in * 72 / (size_pt * CHAR_WIDTH)))
    total = 0
    for paragraph in text.split("\n"):
        words, line, count = paragraph.split(), 0, 1
        for word in words:
            extra = len(word) + (1 if line else 0)
            if line + extra > per_line and line:
                count, line = count + 1 + (len(word) - 1) // per_line, len(word) % per_line or per_line
            else:
                line += extra
        total += count
    return total


def fit_size(paragraphs: list[str], width_in: float, height_in: float, largest: float, smallest: float,
             spacing: float = 0.5) -> float:
    """The largest size (in whole points, from ``largest`` down to ``smallest``) at which the
    paragraphs fit the box (``spacing``: the space after each paragraph, in lines)."""
    size = largest
    while size > smallest:
        lines = sum(lines_needed(p, width_in - 0.2, size) + spacing for p in paragraphs)
        if lines * size * LINE / 72 <= height_in - 0.1:
            return size
        size -= 1
    return smallest


def _frame(box, *, anchor=MSO_ANCHOR.TOP):
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.1)
    tf.margin_top = tf.margin_bottom = Inches(0.05)
    return tf


def _run(paragraph, text: str, size: float, *, bold=False, colour=None, rgb=None, font: str | None = None):
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if font:
        run.font.name = font
    if colour is not None:
        run.font.color.theme_color = colour
    elif rgb is not None:
        run.font.color.rgb = RGBColor.from_string(rgb.lstrip("#"))
    return run


def text_box(slide, paragraphs: list[str], x, y, w, h, *, largest=20, smallest=12, bullet=False, bold=False,
             colour=None, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, font=None, spacing=0.5):
    size = fit_size(paragraphs, w - (0.3 if bullet else 0), h, largest, smallest, spacing)
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    tf = _frame(box, anchor=anchor)
    for i, text in enumerate(paragraphs):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.alignment = align
        para.space_after = Pt(size * spacing)
        _run(para, ("\u2022\u00a0" if bullet else "") + text, size, bold=bold, colour=colour, font=font)
    return box


def _title(slide, text: str, kicker: str | None, brand) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(MARGIN), Inches(0.45), Inches(WIDTH - 2 * MARGIN), \
        Inches(1.0)
    tf = _frame(shape, anchor=MSO_ANCHOR.MIDDLE)
    tf.text = ""
    para = tf.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    size = fit_size([text], WIDTH - 2 * MARGIN, 1.0, 28, 18, spacing=0)
    _run(para, text, size, bold=True, colour=MSO_THEME_COLOR.TEXT_2, font=brand.font_headings)
    if kicker:
        text_box(slide, [kicker], MARGIN, 0.12, 8, 0.38, largest=12, smallest=12, colour=MSO_THEME_COLOR.ACCENT_1,
                 bold=True, font=brand.font_base)


def _footer(slide, deck: Deck, number: int, total: int, brand) -> None:
    muted = (getattr(brand, "palette", None) or {}).get("muted", "#6B7280")
    for text, x, w, align in ((deck.footer, MARGIN, 8.0, PP_ALIGN.LEFT),
                              (f"{number} / {total}", WIDTH - MARGIN - 1.0, 1.0, PP_ALIGN.RIGHT)):
        box = text_box(slide, [text], x, 7.02, w, 0.35, largest=10, smallest=10, font=brand.font_base, align=align)
        box.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor.from_string(muted.lstrip("#").upper())
    logo = deck.firm_logo_small or deck.firm_logo
    if logo and Path(logo).is_file():
        _picture(slide, Path(logo).read_bytes(), WIDTH - MARGIN - 2.6, 6.98, 1.5, 0.42, align="right")


def _png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image  # noqa: PLC0415

    with Image.open(io.BytesIO(data)) as img:
        return img.size


def _picture(slide, data: bytes, x, y, w, h, align="center"):
    """The image scaled to fit (x, y, w, h) in inches, keeping its proportions."""
    try:
        pw, ph = _png_size(data)
    except Exception:  # a vector logo or an unreadable file: stretch to the box's height
        pw, ph = w, h
    scale = min(w / pw, h / ph)
    cw, ch = pw * scale, ph * scale
    left = x + (w - cw) if align == "right" else x if align == "left" else x + (w - cw) / 2
    return slide.shapes.add_picture(io.BytesIO(data), Inches(left), Inches(y + (h - ch) / 2), Inches(cw), Inches(ch))


def _table(slide, spec: TableSpec, x, y, w, h, brand):
    rows = len(spec.rows) + 1
    widths = spec.widths or (1,) * len(spec.columns)
    row_h = min(0.55, h / rows)
    chars = [max(len(str(c)) for c in col) for col in zip(spec.columns, *spec.rows)]
    size = 14
    while size > 10:  # every cell on at most two lines
        if all(math.ceil(n * size * CHAR_WIDTH / 72 / (w * wd / sum(widths) - 0.2)) <= 2
               for n, wd in zip(chars, widths)):
            break
        size -= 1
    frame = slide.shapes.add_table(rows, len(spec.columns), Inches(x), Inches(y), Inches(w), Inches(row_h * rows))
    table = frame.table
    for i, wd in enumerate(widths):
        table.columns[i].width = Emu(int(Inches(w) * wd / sum(widths)))
    for r, values in enumerate((spec.columns, *spec.rows)):
        table.rows[r].height = Inches(row_h)
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            tf = cell.text_frame
            tf.word_wrap = True
            tf.text = ""
            _run(tf.paragraphs[0], str(value), size, bold=r == 0, font=brand.font_base,
                 rgb="#FFFFFF" if r == 0 else None)
    return frame


def _below(slide: Slide) -> float:
    """The height the bullets take under a full-width chart (two columns beyond 3 bullets)."""
    if not (slide.bullets_below and slide.bullets and (slide.charts or slide.image is not None)):
        return 0.0
    return 1.1 if len(slide.bullets) <= 2 else 1.5


def _visual_area(slide: Slide) -> tuple[float, float, float, float]:
    width, below = WIDTH - 2 * MARGIN, _below(slide)
    if slide.bullets and (slide.charts or slide.image) and not below:
        width = 8.4
    return MARGIN, TOP, width, BOTTOM - TOP - below


def _content(s, slide: Slide, brand, lang: str | None = None) -> None:
    x, y, w, h = _visual_area(slide)
    side_x, side_w = x + w + 0.3, WIDTH - MARGIN - (x + w + 0.3)
    if slide.panels:
        gap, n = 0.4, len(slide.panels)
        pw = (WIDTH - 2 * MARGIN - gap * (n - 1)) / n
        for i, (heading, text) in enumerate(slide.panels):
            px = MARGIN + i * (pw + gap)
            bar = s.shapes.add_shape(1, Inches(px), Inches(TOP + 0.2), Inches(0.08), Inches(4.6))
            bar.fill.solid()
            bar.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1 if i == 0 else MSO_THEME_COLOR.ACCENT_3
            bar.line.fill.background()
            text_box(s, [heading], px + 0.2, TOP + 0.2, pw - 0.2, 0.5, largest=16, smallest=16, bold=True,
                     colour=MSO_THEME_COLOR.ACCENT_1 if i == 0 else MSO_THEME_COLOR.ACCENT_3, font=brand.font_headings)
            text_box(s, [text], px + 0.2, TOP + 0.8, pw - 0.2, 4.0, largest=24, smallest=14, font=brand.font_base)
        return
    if slide.table is not None:
        th = min(h if not slide.bullets else h - 1.2, 0.55 * (len(slide.table.rows) + 1))
        _table(s, slide.table, x, y, WIDTH - 2 * MARGIN, th, brand)
        if slide.bullets:
            text_box(s, list(slide.bullets), x, y + th + 0.25, WIDTH - 2 * MARGIN, h - th - 0.25, largest=16,
                     smallest=12, bullet=True, font=brand.font_base)
        return
    if slide.charts:
        n = len(slide.charts)
        cw = (w - 0.3 * (n - 1)) / n
        for i, spec in enumerate(slide.charts):
            add_chart(s, spec, Inches(x + i * (cw + 0.3)), Inches(y), Inches(cw), Inches(h), font=brand.font_base,
                      lang=lang)
    elif slide.image is not None:
        _picture(s, slide.image, x, y, w, h)
    if slide.bullets:
        if _below(slide):
            columns = 2 if len(slide.bullets) > 3 else 1
            paragraphs = list(slide.bullets)
            if columns == 2:  # fitted as the longer of the two columns
                half = (len(paragraphs) + 1) // 2
                size = min(fit_size(paragraphs[:half], w / 2 - 0.3, _below(slide) - 0.2, 16, 11),
                           fit_size(paragraphs[half:], w / 2 - 0.3, _below(slide) - 0.2, 16, 11))
            else:
                size = fit_size(paragraphs, w - 0.3, _below(slide) - 0.2, 16, 11)
            groups = [paragraphs[:half], paragraphs[half:]] if columns == 2 else [paragraphs]
            for i, group in enumerate(groups):  # one box per column: each starts where it should
                text_box(s, group, x + i * w / columns, y + h + 0.2, w / columns, _below(slide) - 0.2, largest=size,
                         smallest=size, bullet=True, font=brand.font_base, spacing=0.3)
        elif slide.charts or slide.image is not None:
            text_box(s, list(slide.bullets), side_x, y, side_w, h, largest=18, smallest=12, bullet=True,
                     font=brand.font_base)
        else:
            text_box(s, list(slide.bullets), x, y, w, h, largest=24, smallest=14, bullet=True, font=brand.font_base)


def _title_slide(s, deck: Deck, brand) -> None:
    band = s.shapes.add_shape(1, 0, 0, Inches(0.35), Inches(HEIGHT))
    band.fill.solid()
    band.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
    band.line.fill.background()
    shape = s.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(1.0), Inches(2.2), Inches(11.3), Inches(1.3)
    tf = _frame(shape, anchor=MSO_ANCHOR.BOTTOM)
    tf.text = ""
    tf.paragraphs[0].alignment = PP_ALIGN.LEFT
    _run(tf.paragraphs[0], deck.title, fit_size([deck.title], 11.3, 1.3, 40, 28, 0), bold=True,
         colour=MSO_THEME_COLOR.TEXT_2, font=brand.font_headings)
    text_box(s, [deck.subtitle], 1.0, 3.55, 11.3, 0.6, largest=22, smallest=16, colour=MSO_THEME_COLOR.ACCENT_2,
             font=brand.font_base)
    text_box(s, [deck.client], 1.0, 4.35, 11.3, 0.6, largest=26, smallest=18, bold=True, font=brand.font_headings)
    text_box(s, [deck.byline, deck.date], 1.0, 5.1, 8.0, 1.0, largest=16, smallest=12, font=brand.font_base,
             spacing=0.2)
    if deck.firm_logo and Path(deck.firm_logo).is_file():
        _picture(s, Path(deck.firm_logo).read_bytes(), 1.0, 0.6, 3.0, 1.1, align="left")
    if deck.client_logo and Path(deck.client_logo).is_file():
        _picture(s, Path(deck.client_logo).read_bytes(), WIDTH - MARGIN - 3.0, 0.6, 3.0, 1.1, align="right")


def _notes(s, text: str) -> None:
    s.notes_slide.notes_text_frame.text = text


def build(deck: Deck, brand) -> Presentation:
    prs = Presentation()
    props = prs.core_properties  # not the template's (its author, its 2013 dates)
    props.title, props.subject, props.language = deck.title, deck.client, deck.language or ""
    props.author, props.last_modified_by, props.comments = deck.author, deck.author, ""
    props.created = props.modified = dt.datetime.now().replace(microsecond=0)
    prs.slide_width, prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
    apply_theme(prs, brand)
    layout = prs.slide_layouts[TITLE_ONLY]
    total = len(deck.slides) + 1
    first = prs.slides.add_slide(layout)
    _title_slide(first, deck, brand)
    _notes(first, deck.title_notes)
    for number, slide in enumerate(deck.slides, start=2):
        s = prs.slides.add_slide(layout)
        _title(s, slide.title, slide.kicker, brand)
        _content(s, slide, brand, deck.language)
        _footer(s, deck, number, total, brand)
        _notes(s, slide.notes)
    return prs


def write_deck(deck: Deck, path: Path, brand) -> Path:
    """The deck written to ``path`` (written to a temporary name, then renamed)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    build(deck, brand).save(tmp)
    tmp.replace(path)
    return path
