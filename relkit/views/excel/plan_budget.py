"""The Budget sheet of the plan workbook: the inputs (revenue forecast, fixed
amounts, % of revenue, internal hours, envelopes) in yellow cells, everything
else a live formula so the client's edits flow into the totals. Internal hours
are a separate block with their own totals: time is not money (seed 001).

Layout: ``budget_column`` gives the columns (per quarter: fixed, %, total; the
year total; hours per quarter and for the year), the ``BUDGET_*`` rows the
header block; then one coloured row per category, its actions, its subtotal,
and at the bottom the grand total, the envelope, the difference and a check."""
from __future__ import annotations

import math

from babel.numbers import get_currency_symbol
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from relkit.io.budget_cells import QUARTERS
from relkit.io.labels import Labels
from relkit.views.excel.cells import (CENTER, GRID, THIN, WRAP, accent, display_text, font, header_cell, ink, is_empty,
                                      localised, money_format, percent_format, print_setup, put_text, require_columns,
                                      row_height, sheet_title)
from relkit.views.excel.plan_book import PlanBook, categories, palette

# Budget sheet layout (1-based rows). Columns: see budget_column.
BUDGET_GROUP_ROW = 4      # quarter / block headers (merged)
BUDGET_HEADER_ROW = 5     # fixed / % / total / hours headers
BUDGET_FORECAST_ROW = 6   # revenue forecast inputs (merged over each quarter's three money columns)
BUDGET_FIRST_ROW = 7      # first category row

_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_TOTAL_FILL = PatternFill("solid", fgColor="D9E1F2")
_OVER_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")
_UNDER_FILL = PatternFill("solid", fgColor="FFE699", bgColor="FFE699")
_HOURS_FORMAT = '#,##0 "h";-#,##0 "h";"–"'
_EPSILON = 0.0001  # differences smaller than this are float noise, not a gap


def budget_column(quarter: str | None, kind: str) -> str:
    """Column letter of the Budget sheet: ``kind`` is "fixed", "percent", "total" or "hours" for a
    quarter "T1".."T4", or "total" / "hours" with ``quarter=None`` for the year columns."""
    if quarter is None:
        index = {"total": 14, "hours": 19}[kind]
    else:
        q = QUARTERS.index(quarter)
        index = {"fixed": 2 + 3 * q, "percent": 3 + 3 * q, "total": 4 + 3 * q, "hours": 15 + q}[kind]
    return get_column_letter(index)


def _q(quarter: str) -> str:
    return quarter.lower().replace("t", "q")


def write_budget_sheet(ws: Worksheet, book: PlanBook, L: Labels) -> dict[str, str]:
    """Inputs in yellow cells; every total a live formula (see module doc). Returns the formulas
    other sheets use for the Budget's totals (keys ``plan_book.BUDGET_REFS``)."""
    frame = book.budget
    require_columns(frame, ["category", "action"]
                    + [f"{_q(q)}_{k}" for q in QUARTERS for k in ("money", "percent", "hours")], "budget")
    lang, cur = book.lang, book.currency
    symbol = get_currency_symbol(cur, locale=L.locale)
    money, money_dash = money_format(lang, cur), money_format(lang, cur, zero="–")
    ratios = [v for q in QUARTERS for v in frame[f"{_q(q)}_percent"]]
    ratios += [e[1] for e in (book.envelopes or {}).values() if not is_empty(e[1])]
    decimals = int(any(not is_empty(v) and abs(float(v) * 100 - round(float(v) * 100)) > 1e-9 for v in ratios))
    pct, pct_dash = percent_format(lang, decimals), percent_format(lang, decimals, zero="–")
    hours_col = {q: budget_column(q, "hours") for q in QUARTERS}
    year_total, year_hours = budget_column(None, "total"), budget_column(None, "hours")
    last_col = 19

    sheet_title(ws, L("excel.budget.title", year=book.plan_year) + " — " + book.client, L("excel.budget.note"))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
    ws.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 30

    # headers
    g, h = BUDGET_GROUP_ROW, BUDGET_HEADER_ROW
    header_cell(ws, g, 1, L("excel.budget.action"))
    ws.merge_cells(start_row=g, start_column=1, end_row=h, end_column=1)
    groups = categories(frame, L) if not frame.empty else []
    labels = [display_text(a) for a in frame["action"]] + [L("excel.budget.subtotal", category=n) for n, _ in groups]
    labels += [L(f"excel.budget.{k}") for k in ("forecast", "grand_total", "envelope", "difference")]
    width_a = min(max([30] + [math.ceil(len(t) * 1.1) + 2 for t in labels]), 44)  # bold text runs wider
    ws.column_dimensions["A"].width = width_a
    for n, q in enumerate(QUARTERS, start=1):
        first = 2 + 3 * (n - 1)
        header_cell(ws, g, first, L("excel.budget.quarter", n=n))
        ws.merge_cells(start_row=g, start_column=first, end_row=g, end_column=first + 2)
        for col, key, width in ((first, "fixed", 10), (first + 1, "percent", 9), (first + 2, "total", 11)):
            header_cell(ws, h, col, L(f"excel.budget.{key}", symbol=symbol))
            ws.column_dimensions[get_column_letter(col)].width = width
    header_cell(ws, g, 14, L("excel.budget.year_total", symbol=symbol))
    ws.merge_cells(start_row=g, start_column=14, end_row=h, end_column=14)
    ws.column_dimensions[year_total].width = 14
    header_cell(ws, g, 15, L("excel.budget.hours"))
    ws.merge_cells(start_row=g, start_column=15, end_row=g, end_column=19)
    for n, q in enumerate(QUARTERS, start=1):
        header_cell(ws, h, 14 + n, L("excel.budget.quarter", n=n))
        ws.column_dimensions[hours_col[q]].width = 8
    header_cell(ws, h, 19, L("excel.budget.year"))
    ws.column_dimensions[year_hours].width = 9
    ws.row_dimensions[h].height = 30

    # revenue forecast (inputs, one merged cell per quarter)
    f = BUDGET_FORECAST_ROW
    put_text(ws, f, 1, L("excel.budget.forecast")).font = font(bold=True)
    forecast_ref = {}
    for q in QUARTERS:
        col = budget_column(q, "fixed")
        cell = ws[f"{col}{f}"]
        value = book.revenue_forecast.get(q)
        cell.value = None if is_empty(value) else float(value)
        cell.number_format, cell.fill, cell.alignment = money, _INPUT_FILL, Alignment(horizontal="center")
        ws.merge_cells(f"{col}{f}:{budget_column(q, 'total')}{f}")
        forecast_ref[q] = f"${col}${f}"
    ws[f"{year_total}{f}"] = "=" + "+".join(forecast_ref[q].replace("$", "") for q in QUARTERS)
    ws[f"{year_total}{f}"].number_format = money
    ws[f"{year_total}{f}"].font = font(bold=True)
    for col in range(1, last_col + 1):
        ws.cell(f, col).border = GRID

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
            cell.border = GRID
            if fill is not None:
                cell.fill = fill
            if bold:
                cell.font = font(bold=True)
            if col == 1:
                cell.alignment = WRAP
                ws.row_dimensions[r].height = row_height([display_text(cell.value)], [width_a / 1.25])
                continue
            is_pct = any(letter == budget_column(q, "percent") for q in QUARTERS)
            is_hours = letter in hours_col.values() or letter == year_hours
            entered = inputs and letter not in computed
            if is_hours:
                cell.number_format = localised(_HOURS_FORMAT, lang)
            elif is_pct:
                cell.number_format = pct if entered else pct_dash
            else:
                cell.number_format = money if entered else money_dash
            if entered:
                cell.fill = _INPUT_FILL

    colours = palette(book, [name for name, _ in groups])
    row = BUDGET_FIRST_ROW - 1
    subtotals = []
    for name, rows in groups:
        colour = colours[name]
        row += 1
        put_text(ws, row, 1, name)
        style_row(row, fill=PatternFill("solid", fgColor=colour))
        for col in range(1, last_col + 1):
            ws.cell(row, col).font = font(bold=True, color=ink(colour))
        first = row + 1
        for _, item in rows.iterrows():
            row += 1
            put_text(ws, row, 1, "" if is_empty(item["action"]) else item["action"])
            for q in QUARTERS:
                for kind, col in (("money", budget_column(q, "fixed")), ("percent", budget_column(q, "percent")),
                                  ("hours", hours_col[q])):
                    value = item[f"{_q(q)}_{kind}"]
                    ws[f"{col}{row}"] = None if is_empty(value) else float(value)
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
        ws.cell(total, col).border = Border(left=THIN, right=THIN, top=Side(style="medium", color=accent()),
                                            bottom=THIN)

    envelope = total + 1
    put_text(ws, envelope, 1, L("excel.budget.envelope")).font = font(bold=True)
    for q in QUARTERS:
        money_value, ratio = (book.envelopes or {}).get(q, (None, None))
        ws[f"{budget_column(q, 'fixed')}{envelope}"] = None if is_empty(money_value) else float(money_value)
        ws[f"{budget_column(q, 'percent')}{envelope}"] = None if is_empty(ratio) else float(ratio)
    money_row(envelope)
    ws[f"{year_hours}{envelope}"] = None
    style_row(envelope, inputs=True)
    for col in list(hours_col.values()) + [year_hours]:
        ws[f"{col}{envelope}"].fill = PatternFill()

    diff = envelope + 1
    put_text(ws, diff, 1, L("excel.budget.difference")).font = font(bold=True)
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
    put_text(ws, check, 1, L("excel.budget.check")).font = font(bold=True)

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
    ws[f"{year_total}{check}"].alignment = CENTER
    for col in range(1, 15):
        ws.cell(check, col).border = GRID
        ws.cell(check, col).font = font(bold=True)
    ws.row_dimensions[check].height = 30

    ws.freeze_panes = ws.cell(BUDGET_FORECAST_ROW + 1, 2)
    print_setup(ws, f"{BUDGET_GROUP_ROW}:{BUDGET_HEADER_ROW}")

    sheet = "'" + ws.title.replace("'", "''") + "'!"
    mismatches = []  # a quarter differs when its fixed amount or its % differs from the envelope (as the report)
    for q in QUARTERS:
        fx, pc = (f"{sheet}{budget_column(q, k)}{diff}" for k in ("fixed", "percent"))
        mismatches.append(f"IF(COUNT({sheet}{inputs[q]})=0,0,IF(OR(ROUND({fx},2)<>0,ROUND({pc},9)<>0),1,0))")
    return {
        "forecast_total": f"={sheet}{year_total}{BUDGET_FORECAST_ROW}",
        "budget_total": f"={sheet}{year_total}{total}",
        "hours_total": f"={sheet}{year_hours}{total}",
        "envelope_total": f"={sheet}{year_total}{envelope}",
        "differences": "=" + "+".join(mismatches),
    }
