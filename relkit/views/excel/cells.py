"""Cells and house style of the Excel deliverables: fonts, fills, borders,
number formats in the deliverable's language, and the writers that keep every
text a text (``put_text``, ``put_value``: never a formula, see
``relkit.views.excel.safe_cells``), with the sizes openpyxl cannot work out
(column widths, row heights) and the print set-up."""
from __future__ import annotations

import datetime as dt
import math
import numbers

import pandas as pd
from babel.numbers import get_currency_symbol
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from relkit.io.labels import Labels
from relkit.io.parsing import is_blank
from relkit.views.excel import safe_cells


HOUSE_ACCENT = "1F4E79"
HOUSE_FONT = "Calibri"
_brand = {"accent": HOUSE_ACCENT, "font": HOUSE_FONT}  # the firm's brand (use_brand), else the house style


def font(size: float = 11, **style) -> Font:
    """A named font: LibreOffice falls back to a serif face for fonts without a name."""
    return Font(name=_brand["font"], size=size, **style)


def accent() -> str:
    """The colour of titles and header rows: the brand's primary colour ('1F4E79' in relkit's own look)."""
    return _brand["accent"]


HEADER_FILL = PatternFill("solid", fgColor=HOUSE_ACCENT)
HEADER_FONT = font(bold=True, color="FFFFFF")
BOLD = font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
HOURS_FORMAT = '#,##0 "h"'
# French number formats carry the French locale (LCID 040C): '1 300 €' and '1,5 %' whatever the
# language of the spreadsheet program that opens the file.
FRENCH = "[$-40C]"


def localised(fmt: str, lang: str | None) -> str:
    """``fmt`` with the French locale when ``lang`` is French."""
    return FRENCH + fmt if lang == "fr" else fmt


def money_format(lang: str, currency: str, zero: str | None = None) -> str:
    """'#,##0 "€"' (fr) / '"€"#,##0' (en), with the currency's own symbol; ``zero`` replaces 0."""
    symbol = get_currency_symbol(currency, locale=Labels(lang).locale).replace('"', "")
    fmt = f'#,##0 "{symbol}"' if lang == "fr" else f'"{symbol}"#,##0'
    return localised(f'{fmt};-{fmt};"{zero}"' if zero is not None else fmt, lang)


def percent_format(lang: str, decimals: int = 0, zero: str | None = None) -> str:
    """'0 %' (fr) / '0%' (en), as in Labels.percent."""
    fmt = ("0." + "0" * decimals if decimals else "0") + (" %" if lang == "fr" else "%")
    return localised(f'{fmt};-{fmt};"{zero}"' if zero is not None else fmt, lang)


def unit_format(unit: str, values, lang: str, currency: str) -> str:
    """The number format of a KPI ``unit`` code ("percent", "eur", "count"...) fitting ``values``:
    decimals only when a value needs them (0,5 % -> one decimal; 0,80 € -> cents)."""
    finite = [float(v) for v in values if not is_empty(v)]
    if unit == "percent":
        decimals = 0
        for v in finite:
            while decimals < 2 and abs(v * 100 * 10 ** decimals - round(v * 100 * 10 ** decimals)) > 1e-9:
                decimals += 1
        return percent_format(lang, decimals)
    whole = all(v.is_integer() for v in finite)
    if unit == "eur":
        fmt = money_format(lang, currency)
        return fmt if whole else fmt.replace("#,##0", "#,##0.00")
    return localised(NUMBER_FORMAT if whole else DECIMAL_FORMAT, lang)


def is_empty(value) -> bool:
    """Nothing to show: None, NaN, an empty text (a list, even empty, is a value)."""
    if isinstance(value, (list, tuple, set)):
        return False
    try:
        return is_blank(value) or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def put_text(ws: Worksheet, row: int, col: int, text) -> object:
    """Write ``text`` as a text cell, even '=1+1' (never a formula)."""
    return safe_cells.put(ws, row, col, str(text))


def put_value(ws: Worksheet, row: int, col: int, value, lang: str | None = None) -> object:
    """Write a display value: numbers as numbers (French formats when ``lang`` is "fr"), dates as
    dates, everything else as safe text."""
    if is_empty(value):
        return ws.cell(row, col)
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return ws.cell(row, col, bool(value))
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        value = pd.Timestamp(value).to_pydatetime()
        cell = ws.cell(row, col, value)
        cell.number_format = _DATE_FORMAT if value.time() == dt.time(0) else _DATE_FORMAT + " HH:MM"
        return cell
    if isinstance(value, dt.date):
        cell = ws.cell(row, col, value)
        cell.number_format = _DATE_FORMAT
        return cell
    if isinstance(value, numbers.Integral):
        cell = ws.cell(row, col, int(value))
        cell.number_format = localised(NUMBER_FORMAT, lang)
        return cell
    if isinstance(value, numbers.Real):
        value = float(value)
        cell = ws.cell(row, col, value)
        cell.number_format = localised(NUMBER_FORMAT if value.is_integer() else DECIMAL_FORMAT, lang)
        return cell
    if isinstance(value, (list, tuple, set)):
        value = ", ".join(str(v) for v in value)
    return put_text(ws, row, col, value)


def display_text(value) -> str:
    """How long a value reads (for column widths and row heights)."""
    if is_empty(value):
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return "00/00/0000"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{value:,.2f}" if not float(value).is_integer() else f"{value:,.0f}"
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` wide (about 1.1 regular characters per width unit)."""
    return sum(max(1, math.ceil(len(line) / max(width * 1.1, 1))) for line in str(text).split("\n"))


def row_height(texts, widths, bold: bool = False) -> float:
    """Row height (points) fitting wrapped texts: openpyxl cannot auto-fit and LibreOffice
    keeps the stored height when printing. ``bold`` text runs about 15 % wider."""
    scale = 0.85 if bold else 1.0
    return 15 * max([1] + [_lines(t, w * scale) for t, w in zip(texts, widths) if t])


def use_brand(brand=None) -> None:
    """Header fills, title colours and the font of the Excel files written next, from a
    relkit.io.brand.BrandStyle (None: relkit's house style). The font changes only
    when the brand names one (typography.base); Calibri otherwise."""
    global HEADER_FILL, HEADER_FONT, BOLD
    from relkit.io.brand import HOUSE_FONT as HOUSE_CHART_FONT

    _brand["accent"] = excel_colour(brand.primary) if brand is not None else HOUSE_ACCENT
    _brand["font"] = brand.font_base if brand is not None and brand.font_base != HOUSE_CHART_FONT else HOUSE_FONT
    HEADER_FILL = PatternFill("solid", fgColor=_brand["accent"])
    HEADER_FONT = font(bold=True, color=ink(_brand["accent"]))
    BOLD = font(bold=True)


def header_cell(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = put_text(ws, row, col, text)
    cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, CENTER, GRID


def sheet_title(ws: Worksheet, text: str, subtitle: str | None = None) -> None:
    put_text(ws, 1, 1, text).font = font(bold=True, size=14, color=accent())
    if subtitle:
        put_text(ws, 2, 1, subtitle).font = font(italic=True)


def print_setup(ws: Worksheet, title_rows: str | None) -> None:
    """Landscape A4, all columns on one page width, header rows on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "&A — &P / &N"
    ws.oddFooter.center.size = 8


def excel_colour(value: str) -> str:
    """'#1f4e79' -> '1F4E79' (ValueError for anything else)."""
    text = str(value).strip().lstrip("#").upper()
    if len(text) != 6 or any(c not in "0123456789ABCDEF" for c in text):
        raise ValueError(f"expected a colour such as '#1F4E79', got {value!r}")
    return text


def ink(colour: str) -> str:
    """Black or white text, whichever reads on ``colour``."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return "FFFFFF" if 0.299 * r + 0.587 * g + 0.114 * b < 150 else "000000"


def require_columns(frame: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"expected the {what} table to have columns {', '.join(columns)}; missing {', '.join(missing)}")
