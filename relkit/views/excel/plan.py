"""The Excel deliverable "plan marketing relationnel" (seed 000: the plan is an
Excel / Google Sheets file the client keeps working in).

``write_plan(path, book)`` writes one .xlsx with, in this order (French names;
English in brackets): Synthèse (Summary), Programmes, Plan d'actions (Action
plan), Budget, KPI (KPIs), Parcours (Journey), Collecte (Collection), Registre
(Register). A part with no table still gets its sheet, with a one-line note, so
the client always finds the same workbook.

- Plan d'actions is the retro-planning of seed 001: action rows grouped under
  category rows, then one column per month with the active months filled in
  the category colour.
- Budget keeps the inputs (revenue forecast, fixed amounts, % of revenue,
  internal hours, envelopes: yellow cells) and computes everything else with
  live formulas, so the client's edits flow into the totals. Layout: see
  ``budget_column`` and the ``BUDGET_*`` rows. Internal hours are a separate
  block with their own totals: time is not money (seed 001).

Every text cell goes through ``relkit.views.excel.safe_cells.put``: written as text even
when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, so
a workshop cell never becomes a formula in the client's spreadsheet
(CSV/formula injection). Only the Budget sheet's own formulas, built here from
cell references, are assigned as formulas.
"""
from __future__ import annotations

import datetime as dt
import math
import numbers
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from babel.dates import get_month_names
from babel.numbers import get_currency_symbol
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from relkit.views.excel import safe_cells
from relkit.io.labels import Labels
from relkit.views.excel.atomic import save_atomic
from relkit.io.parsing import is_blank

SHEETS = ("summary", "programmes", "actions", "budget", "kpis", "journey", "collection", "register")
QUARTERS = ("T1", "T2", "T3", "T4")

# Budget sheet layout (1-based rows). Columns: see budget_column.
BUDGET_GROUP_ROW = 4      # quarter / block headers (merged)
BUDGET_HEADER_ROW = 5     # fixed / % / total / hours headers
BUDGET_FORECAST_ROW = 6   # revenue forecast inputs (merged over each quarter's three money columns)
BUDGET_FIRST_ROW = 7      # first category row
TABLE_HEADER_ROW = 3      # header row of every other table sheet



def _font(size: float = 11, **style) -> Font:
    """A named font: LibreOffice falls back to a serif face for fonts without a name."""
    return Font(name="Calibri", size=size, **style)


_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = _font(bold=True, color="FFFFFF")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_TOTAL_FILL = PatternFill("solid", fgColor="D9E1F2")
_OVER_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")
_UNDER_FILL = PatternFill("solid", fgColor="FFE699", bgColor="FFE699")
_BOLD = _font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_THIN = Side(style="thin", color="BFBFBF")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FALLBACK_COLOURS = ("#4472C4", "#ED7D31", "#70AD47", "#FFC000", "#5B9BD5", "#A5A5A5", "#9E480E", "#264478")
_DATE_FORMAT = "DD/MM/YYYY"
_HOURS_FORMAT = '#,##0 "h";-#,##0 "h";"–"'
_EPSILON = 0.0001  # differences smaller than this are float noise, not a gap


@dataclass
class PlanBook:
    """Everything the workbook shows, already computed and in the deliverable's language."""

    client: str
    plan_year: int
    lang: str                      # "fr" | "en"
    currency: str                  # "EUR"
    summary: list[tuple[str, str]]  # key figures already formatted: (label, value text)
    programmes: pd.DataFrame       # display table
    actions: pd.DataFrame          # category (label), action, objective, kpi, owner, priority, lever, months
    budget: pd.DataFrame           # category, action, q1..q4_money, q1..q4_percent (ratio), q1..q4_hours
    revenue_forecast: dict[str, float]            # "T1".."T4"
    envelopes: dict[str, tuple[float, float]] | None  # "T1".."T4" -> (money, percent ratio)
    kpis: pd.DataFrame             # display table
    journey: pd.DataFrame | None   # display table
    collection: pd.DataFrame | None
    register: pd.DataFrame | None
    category_colours: dict[str, str]  # category label -> "#RRGGBB"


def budget_column(quarter: str | None, kind: str) -> str:
    """Column letter of the Budget sheet: ``kind`` is "fixed", "percent", "total" or "hours" for a
    quarter "T1".."T4", or "total" / "hours" with ``quarter=None`` for the year columns."""
    if quarter is None:
        index = {"total": 14, "hours": 19}[kind]
    else:
        q = QUARTERS.index(quarter)
        index = {"fixed": 2 + 3 * q, "percent": 3 + 3 * q, "total": 4 + 3 * q, "hours": 15 + q}[kind]
    return get_column_letter(index)


def money_format(lang: str, currency: str, zero: str | None = None) -> str:
    """'#,##0 "€"' (fr) / '"€"#,##0' (en), with the currency's own symbol; ``zero`` replaces 0."""
    symbol = get_currency_symbol(currency, locale=Labels(lang).locale).replace('"', "")
    fmt = f'#,##0 "{symbol}"' if lang == "fr" else f'"{symbol}"#,##0'
    return f'{fmt};-{fmt};"{zero}"' if zero is not None else fmt


def percent_format(lang: str, decimals: int = 0, zero: str | None = None) -> str:
    """'0 %' (fr) / '0%' (en), as in Labels.percent."""
    fmt = ("0." + "0" * decimals if decimals else "0") + (" %" if lang == "fr" else "%")
    return f'{fmt};-{fmt};"{zero}"' if zero is not None else fmt


# ---------------------------------------------------------------- cells
def _blank(value) -> bool:
    if isinstance(value, (list, tuple, set)):
        return False
    try:
        return is_blank(value) or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def put_text(ws: Worksheet, row: int, col: int, text) -> object:
    """Write ``text`` as a text cell, even '=1+1' (never a formula)."""
    return safe_cells.put(ws, row, col, str(text))


def put_value(ws: Worksheet, row: int, col: int, value) -> object:
    """Write a display value: numbers as numbers, dates as dates, everything else as safe text."""
    if _blank(value):
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
        return ws.cell(row, col, int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        cell = ws.cell(row, col, value)
        if not value.is_integer():
            cell.number_format = "#,##0.00"
        return cell
    if isinstance(value, (list, tuple, set)):
        value = ", ".join(str(v) for v in value)
    return put_text(ws, row, col, value)


def _display(value) -> str:
    """How long a value reads (for column widths and row heights)."""
    if _blank(value):
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


def _height(texts, widths) -> float:
    """Row height (points) fitting wrapped texts: openpyxl cannot auto-fit and LibreOffice
    keeps the stored height when printing."""
    return 15 * max([1] + [_lines(t, w) for t, w in zip(texts, widths) if t])


def _header(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = put_text(ws, row, col, text)
    cell.font, cell.fill, cell.alignment, cell.border = _HEADER_FONT, _HEADER_FILL, _CENTER, _GRID


def _title(ws: Worksheet, text: str, subtitle: str | None = None) -> None:
    put_text(ws, 1, 1, text).font = _font(bold=True, size=14, color="1F4E79")
    if subtitle:
        put_text(ws, 2, 1, subtitle).font = _font(italic=True)


def _print_setup(ws: Worksheet, title_rows: str | None) -> None:
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


def _colour(value: str) -> str:
    """'#1f4e79' -> '1F4E79' (ValueError for anything else)."""
    text = str(value).strip().lstrip("#").upper()
    if len(text) != 6 or any(c not in "0123456789ABCDEF" for c in text):
        raise ValueError(f"expected a colour such as '#1F4E79', got {value!r}")
    return text


def _ink(colour: str) -> str:
    """Black or white text, whichever reads on ``colour``."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return "FFFFFF" if 0.299 * r + 0.587 * g + 0.114 * b < 150 else "000000"


def _categories(frame: pd.DataFrame, L: Labels) -> list[tuple[str, pd.DataFrame]]:
    """Rows grouped by category, categories in order of first appearance."""
    names = frame["category"].map(lambda c: L("excel.no_category") if _blank(c) else str(c))
    return [(name, frame[names == name]) for name in dict.fromkeys(names)]


def _palette(book: PlanBook, names: list[str]) -> dict[str, str]:
    colours, spare = {}, 0
    for name in names:
        if name in book.category_colours:
            colours[name] = _colour(book.category_colours[name])
        else:
            colours[name] = _colour(_FALLBACK_COLOURS[spare % len(_FALLBACK_COLOURS)])
            spare += 1
    return colours


def _require(frame: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"expected the {what} table to have columns {', '.join(columns)}; missing {', '.join(missing)}")


# ---------------------------------------------------------------- sheets
def _summary(ws: Worksheet, book: PlanBook, L: Labels, names: dict[str, str]) -> None:
    _title(ws, L("excel.title", year=book.plan_year), L("excel.client", client=book.client))
    widths = (42, 70)
    for col, key in enumerate(("excel.figure", "excel.value"), start=1):
        _header(ws, TABLE_HEADER_ROW, col, L(key))
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    row = TABLE_HEADER_ROW
    if not book.summary:
        row += 1
        put_text(ws, row, 1, L("excel.empty")).font = _font(italic=True)
    for label, value in book.summary:
        row += 1
        put_text(ws, row, 1, label).alignment = _WRAP
        put_value(ws, row, 2, value).alignment = _WRAP
        for col in (1, 2):
            ws.cell(row, col).border = _GRID
        ws.row_dimensions[row].height = _height((_display(label), _display(value)), widths)
    row += 2
    put_text(ws, row, 1, L("excel.contents")).font = _font(bold=True, size=12, color="1F4E79")
    row += 1
    _header(ws, row, 1, L("excel.sheet"))
    _header(ws, row, 2, L("excel.description"))
    for key in SHEETS[1:]:
        row += 1
        cell = put_text(ws, row, 1, names[key])
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{names[key].replace(chr(39), chr(39) * 2)}'!A1")
        cell.font, cell.alignment = _font(color="1F4E79", underline="single"), _WRAP
        put_text(ws, row, 2, L(f"excel.about.{key}")).alignment = _WRAP
        for col in (1, 2):
            ws.cell(row, col).border = _GRID
        ws.row_dimensions[row].height = _height((names[key], L(f"excel.about.{key}")), widths)
    ws.freeze_panes = ws.cell(TABLE_HEADER_ROW + 1, 1)
    _print_setup(ws, f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}")


def _table(ws: Worksheet, frame: pd.DataFrame | None, title: str, L: Labels) -> None:
    """A display table as given: headers in the language, values as numbers, dates or safe text."""
    _title(ws, title)
    if frame is None or frame.empty or len(frame.columns) == 0:
        put_text(ws, TABLE_HEADER_ROW, 1, L("excel.empty")).font = _font(italic=True)
        ws.column_dimensions["A"].width = 70
        _print_setup(ws, None)
        return
    headers = [str(c) for c in frame.columns]
    widths = []
    for i, header in enumerate(headers):
        longest = max([len(line) for v in frame.iloc[:, i] for line in _display(v).split("\n")] + [0])
        word = max(len(w) for w in header.split()) if header.split() else 0
        widths.append(min(max(longest, word, 8) + 2, 48))
    for col, (header, width) in enumerate(zip(headers, widths), start=1):
        _header(ws, TABLE_HEADER_ROW, col, header)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[TABLE_HEADER_ROW].height = _height(headers, widths)
    for r, values in enumerate(frame.itertuples(index=False), start=TABLE_HEADER_ROW + 1):
        for col, value in enumerate(values, start=1):
            cell = put_value(ws, r, col, value)
            cell.alignment, cell.border = _WRAP, _GRID
        ws.row_dimensions[r].height = _height([_display(v) for v in values], widths)
    ws.freeze_panes = ws.cell(TABLE_HEADER_ROW + 1, 1)
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{TABLE_HEADER_ROW}:{last}{TABLE_HEADER_ROW + len(frame)}"
    _print_setup(ws, f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}")


ACTION_FIELDS = ("action", "objective", "kpi", "owner", "priority", "lever")
_ACTION_WIDTHS = (30, 22, 28, 16, 10, 11)
_MONTH_WIDTH = 6.5


def _months(value) -> set[int]:
    if _blank(value):
        return set()
    months = {int(m) for m in value}
    wrong = sorted(m for m in months if not 1 <= m <= 12)
    if wrong:
        raise ValueError(f"expected months between 1 and 12, got {wrong[0]}")
    return months


def _actions(ws: Worksheet, book: PlanBook, L: Labels) -> None:
    """The retro-planning grid: category rows, action rows, one coloured cell per active month."""
    _title(ws, L("excel.actions.title", year=book.plan_year), book.client)
    _require(book.actions, ("category",) + ACTION_FIELDS + ("months",), "action plan")
    month_names = list(get_month_names("abbreviated", locale=L.locale).values())
    ncols = len(ACTION_FIELDS) + 12
    for col, field in enumerate(ACTION_FIELDS, start=1):
        _header(ws, TABLE_HEADER_ROW, col, L(f"excel.actions.{field}"))
        ws.column_dimensions[get_column_letter(col)].width = _ACTION_WIDTHS[col - 1]
    for m, name in enumerate(month_names, start=1):
        col = len(ACTION_FIELDS) + m
        _header(ws, TABLE_HEADER_ROW, col, name)
        ws.column_dimensions[get_column_letter(col)].width = _MONTH_WIDTH
    if book.actions.empty:
        put_text(ws, TABLE_HEADER_ROW + 1, 1, L("excel.empty")).font = _font(italic=True)
    groups = _categories(book.actions, L) if not book.actions.empty else []
    colours = _palette(book, [name for name, _ in groups])
    row = TABLE_HEADER_ROW
    for name, rows in groups:
        colour = colours[name]
        fill = PatternFill("solid", fgColor=colour)
        row += 1
        put_text(ws, row, 1, name).font = _font(bold=True, color=_ink(colour))
        for col in range(1, ncols + 1):
            ws.cell(row, col).fill = fill
            ws.cell(row, col).border = _GRID
        for _, action in rows.iterrows():
            row += 1
            texts = []
            for col, field in enumerate(ACTION_FIELDS, start=1):
                cell = put_value(ws, row, col, action[field])
                cell.alignment, cell.border = _WRAP, _GRID
                texts.append(_display(action[field]))
            active = _months(action["months"])
            for m in range(1, 13):
                cell = ws.cell(row, len(ACTION_FIELDS) + m)
                cell.border = _GRID
                if m in active:
                    cell.fill = fill
            ws.row_dimensions[row].height = _height(texts, _ACTION_WIDTHS)
    ws.freeze_panes = ws.cell(TABLE_HEADER_ROW + 1, 2)
    _print_setup(ws, f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}")


def _q(quarter: str) -> str:
    return quarter.lower().replace("t", "q")


def _budget(ws: Worksheet, book: PlanBook, L: Labels) -> None:
    """Inputs in yellow cells; every total a live formula (see module doc)."""
    frame = book.budget
    _require(frame, ["category", "action"] + [f"{_q(q)}_{k}" for q in QUARTERS for k in ("money", "percent", "hours")],
             "budget")
    lang, cur = book.lang, book.currency
    symbol = get_currency_symbol(cur, locale=L.locale)
    money, money_dash = money_format(lang, cur), money_format(lang, cur, zero="–")
    ratios = [v for q in QUARTERS for v in frame[f"{_q(q)}_percent"]]
    ratios += [e[1] for e in (book.envelopes or {}).values() if not _blank(e[1])]
    decimals = int(any(not _blank(v) and abs(float(v) * 100 - round(float(v) * 100)) > 1e-9 for v in ratios))
    pct, pct_dash = percent_format(lang, decimals), percent_format(lang, decimals, zero="–")
    hours_col = {q: budget_column(q, "hours") for q in QUARTERS}
    year_total, year_hours = budget_column(None, "total"), budget_column(None, "hours")
    last_col = 19

    _title(ws, L("excel.budget.title", year=book.plan_year) + " — " + book.client, L("excel.budget.note"))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
    ws.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 30

    # headers
    g, h = BUDGET_GROUP_ROW, BUDGET_HEADER_ROW
    _header(ws, g, 1, L("excel.budget.action"))
    ws.merge_cells(start_row=g, start_column=1, end_row=h, end_column=1)
    groups = _categories(frame, L) if not frame.empty else []
    labels = [_display(a) for a in frame["action"]] + [L("excel.budget.subtotal", category=n) for n, _ in groups]
    labels += [L(f"excel.budget.{k}") for k in ("forecast", "grand_total", "envelope", "difference")]
    width_a = min(max([30] + [math.ceil(len(t) * 1.1) + 2 for t in labels]), 44)  # bold text runs wider
    ws.column_dimensions["A"].width = width_a
    for n, q in enumerate(QUARTERS, start=1):
        first = 2 + 3 * (n - 1)
        _header(ws, g, first, L("excel.budget.quarter", n=n))
        ws.merge_cells(start_row=g, start_column=first, end_row=g, end_column=first + 2)
        for col, key, width in ((first, "fixed", 10), (first + 1, "percent", 9), (first + 2, "total", 11)):
            _header(ws, h, col, L(f"excel.budget.{key}", symbol=symbol))
            ws.column_dimensions[get_column_letter(col)].width = width
    _header(ws, g, 14, L("excel.budget.year_total", symbol=symbol))
    ws.merge_cells(start_row=g, start_column=14, end_row=h, end_column=14)
    ws.column_dimensions[year_total].width = 14
    _header(ws, g, 15, L("excel.budget.hours"))
    ws.merge_cells(start_row=g, start_column=15, end_row=g, end_column=19)
    for n, q in enumerate(QUARTERS, start=1):
        _header(ws, h, 14 + n, L("excel.budget.quarter", n=n))
        ws.column_dimensions[hours_col[q]].width = 8
    _header(ws, h, 19, L("excel.budget.year"))
    ws.column_dimensions[year_hours].width = 9
    ws.row_dimensions[h].height = 30

    # revenue forecast (inputs, one merged cell per quarter)
    f = BUDGET_FORECAST_ROW
    put_text(ws, f, 1, L("excel.budget.forecast")).font = _BOLD
    forecast_ref = {}
    for q in QUARTERS:
        col = budget_column(q, "fixed")
        cell = ws[f"{col}{f}"]
        value = book.revenue_forecast.get(q)
        cell.value = None if _blank(value) else float(value)
        cell.number_format, cell.fill, cell.alignment = money, _INPUT_FILL, Alignment(horizontal="center")
        ws.merge_cells(f"{col}{f}:{budget_column(q, 'total')}{f}")
        forecast_ref[q] = f"${col}${f}"
    ws[f"{year_total}{f}"] = "=" + "+".join(forecast_ref[q].replace("$", "") for q in QUARTERS)
    ws[f"{year_total}{f}"].number_format = money
    ws[f"{year_total}{f}"].font = _BOLD
    for col in range(1, last_col + 1):
        ws.cell(f, col).border = _GRID

    def money_row(r: int) -> None:
        """Per-quarter computed total and year total of row r."""
        for q in QUARTERS:
            fx, pc, tot = (budget_column(q, k) for k in ("fixed", "percent", "total"))
            ws[f"{tot}{r}"] = f"={fx}{r}+{pc}{r}*{forecast_ref[q]}"
        ws[f"{year_total}{r}"] = "=" + "+".join(f"{budget_column(q, 'total')}{r}" for q in QUARTERS)
        ws[f"{year_hours}{r}"] = f"=SUM({hours_col['T1']}{r}:{hours_col['T4']}{r})"

    computed = {budget_column(q, "total") for q in QUARTERS} | {year_total, year_hours}

    def style_row(r: int, *, fill=None, bold=False, inputs=False) -> None:
        """Borders and formats of row r; ``inputs``: its non-computed cells are yellow input cells."""
        for col in range(1, last_col + 1):
            cell = ws.cell(r, col)
            letter = get_column_letter(col)
            cell.border = _GRID
            if fill is not None:
                cell.fill = fill
            if bold:
                cell.font = _BOLD
            if col == 1:
                cell.alignment = _WRAP
                ws.row_dimensions[r].height = _height([_display(cell.value)], [width_a / 1.25])
                continue
            is_pct = any(letter == budget_column(q, "percent") for q in QUARTERS)
            is_hours = letter in hours_col.values() or letter == year_hours
            entered = inputs and letter not in computed
            if is_hours:
                cell.number_format = _HOURS_FORMAT
            elif is_pct:
                cell.number_format = pct if entered else pct_dash
            else:
                cell.number_format = money if entered else money_dash
            if entered:
                cell.fill = _INPUT_FILL

    colours = _palette(book, [name for name, _ in groups])
    row = BUDGET_FIRST_ROW - 1
    subtotals = []
    for name, rows in groups:
        colour = colours[name]
        row += 1
        put_text(ws, row, 1, name)
        style_row(row, fill=PatternFill("solid", fgColor=colour))
        for col in range(1, last_col + 1):
            ws.cell(row, col).font = _font(bold=True, color=_ink(colour))
        first = row + 1
        for _, item in rows.iterrows():
            row += 1
            put_text(ws, row, 1, "" if _blank(item["action"]) else item["action"])
            for q in QUARTERS:
                for kind, col in (("money", budget_column(q, "fixed")), ("percent", budget_column(q, "percent")),
                                  ("hours", hours_col[q])):
                    value = item[f"{_q(q)}_{kind}"]
                    ws[f"{col}{row}"] = None if _blank(value) else float(value)
            money_row(row)
            style_row(row, inputs=True)
        last = row
        row += 1
        put_text(ws, row, 1, L("excel.budget.subtotal", category=name))
        for col in range(2, last_col + 1):
            letter = get_column_letter(col)
            ws[f"{letter}{row}"] = f"=SUM({letter}{first}:{letter}{last})"
        style_row(row, fill=_SUBTOTAL_FILL, bold=True)
        subtotals.append(row)

    # grand total, envelope, difference, check
    row += 2
    total = row
    put_text(ws, total, 1, L("excel.budget.grand_total"))
    for col in range(2, last_col + 1):
        letter = get_column_letter(col)
        refs = ",".join(f"{letter}{r}" for r in subtotals)
        ws[f"{letter}{total}"] = f"=SUM({refs})" if refs else "=0"
    style_row(total, fill=_TOTAL_FILL, bold=True)
    for col in range(1, last_col + 1):
        ws.cell(total, col).border = Border(left=_THIN, right=_THIN, top=Side(style="medium", color="1F4E79"),
                                            bottom=_THIN)

    envelope = total + 1
    put_text(ws, envelope, 1, L("excel.budget.envelope")).font = _BOLD
    for q in QUARTERS:
        money_value, ratio = (book.envelopes or {}).get(q, (None, None))
        ws[f"{budget_column(q, 'fixed')}{envelope}"] = None if _blank(money_value) else float(money_value)
        ws[f"{budget_column(q, 'percent')}{envelope}"] = None if _blank(ratio) else float(ratio)
    money_row(envelope)
    ws[f"{year_hours}{envelope}"] = None
    style_row(envelope, inputs=True)
    for col in list(hours_col.values()) + [year_hours]:
        ws[f"{col}{envelope}"].fill = PatternFill()

    diff = envelope + 1
    put_text(ws, diff, 1, L("excel.budget.difference")).font = _BOLD
    inputs = {q: f"{budget_column(q, 'fixed')}{envelope}:{budget_column(q, 'percent')}{envelope}" for q in QUARTERS}
    for q in QUARTERS:
        for kind in ("fixed", "percent", "total"):
            c = budget_column(q, kind)
            ws[f"{c}{diff}"] = f'=IF(COUNT({inputs[q]})=0,"",{c}{total}-{c}{envelope})'
    every = ",".join(inputs[q] for q in QUARTERS)
    ws[f"{year_total}{diff}"] = f'=IF(COUNT({every})=0,"",{year_total}{total}-{year_total}{envelope})'
    style_row(diff, bold=True)
    for q in QUARTERS:
        ws[f"{budget_column(q, 'percent')}{diff}"].number_format = pct
        for kind in ("fixed", "total"):
            ws[f"{budget_column(q, kind)}{diff}"].number_format = money
    ws[f"{year_total}{diff}"].number_format = money
    # a FormulaRule, not CellIsRule: Excel ranks text above numbers, so "" would read as over
    span = f"B{diff}:{year_total}{diff}"
    ws.conditional_formatting.add(span, FormulaRule(formula=[f"AND(ISNUMBER(B${diff}),B${diff}>{_EPSILON})"],
                                                    fill=_OVER_FILL, font=Font(bold=True, color="9C0006")))
    ws.conditional_formatting.add(span, FormulaRule(formula=[f"AND(ISNUMBER(B${diff}),B${diff}<-{_EPSILON})"],
                                                    fill=_UNDER_FILL, font=Font(bold=True, color="7F6000")))

    check = diff + 1
    put_text(ws, check, 1, L("excel.budget.check")).font = _BOLD

    def quoted(key: str) -> str:
        return '"' + L(key).replace('"', '""') + '"'

    def flag(ref: str) -> str:
        return (f'=IF({ref}="","",IF(ROUND({ref},2)>0,{quoted("excel.budget.over")},'
                f'IF(ROUND({ref},2)<0,{quoted("excel.budget.under")},{quoted("excel.budget.within")})))')

    for q in QUARTERS:
        first, last = budget_column(q, "fixed"), budget_column(q, "total")
        ws[f"{first}{check}"] = flag(f"{last}{diff}")
        ws.merge_cells(f"{first}{check}:{last}{check}")
        ws[f"{first}{check}"].alignment = Alignment(horizontal="center")
    ws[f"{year_total}{check}"] = flag(f"{year_total}{diff}")
    ws[f"{year_total}{check}"].alignment = _CENTER
    for col in range(1, 15):
        ws.cell(check, col).border = _GRID
        ws.cell(check, col).font = _BOLD
    ws.row_dimensions[check].height = 30

    ws.freeze_panes = ws.cell(BUDGET_FORECAST_ROW + 1, 2)
    _print_setup(ws, f"{BUDGET_GROUP_ROW}:{BUDGET_HEADER_ROW}")


# ---------------------------------------------------------------- workbook
def write_plan(path: Path | str, book: PlanBook) -> Path:
    """Write the plan workbook (see module doc) to ``path`` (.xlsx), atomically, and return it."""
    L = Labels(book.lang, book.currency)
    names = {key: L(f"excel.sheet.{key}") for key in SHEETS}
    wb = Workbook()
    sheets = {}
    for i, key in enumerate(SHEETS):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = names[key]
        sheets[key] = ws

    def title(key: str) -> str:
        return L("excel.sheet_title", sheet=names[key], client=book.client, year=book.plan_year)

    _summary(sheets["summary"], book, L, names)
    _table(sheets["programmes"], book.programmes, title("programmes"), L)
    _actions(sheets["actions"], book, L)
    _budget(sheets["budget"], book, L)
    _table(sheets["kpis"], book.kpis, title("kpis"), L)
    _table(sheets["journey"], book.journey, title("journey"), L)
    _table(sheets["collection"], book.collection, title("collection"), L)
    _table(sheets["register"], book.register, title("register"), L)

    return save_atomic(wb, path)
