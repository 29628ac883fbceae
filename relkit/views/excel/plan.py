"""The Excel deliverable "plan marketing relationnel" (seed 000: the plan is an
Excel / Google Sheets file the client keeps working in).

``write_plan(path, book)`` writes one .xlsx with, in this order (French names;
English in brackets): Synthèse (Summary), Programmes, Plan d'actions (Action
plan), Budget, KPI (KPIs), Parcours (Journey), Collecte (Collection), Registre
(Register). A part with no table still gets its sheet, with a one-line note, so
the client always finds the same workbook.

- Synthèse holds the key figures as numbers with number formats
  (``SummaryLine``); the Budget's totals (forecast, budget, envelopes, hours,
  envelope differences) are formulas on the Budget sheet, so an edited amount
  moves them.
- Plan d'actions is the retro-planning of seed 001: action rows grouped under
  category rows, a status column for the client, then one column per month
  with the active months filled in the category colour. Priority, lever,
  status and owner (and the programmes' lever) are drop-downs whose lists sit
  on a hidden last sheet (Listes / Lists).
- KPI: one actual column per reporting period, the latest actual, attainment
  and status as formulas with the report's thresholds
  (``relkit.views.excel.plan_kpis``).
- The workbook's properties: title, author (the consultant's firm), subject
  (the client). French number formats carry the French locale.
- Budget keeps the inputs (revenue forecast, fixed amounts, % of revenue,
  internal hours, envelopes: yellow cells) and computes everything else with
  live formulas, so the client's edits flow into the totals (layout:
  ``relkit.views.excel.plan_budget``). Internal hours are a separate block
  with their own totals: time is not money (seed 001).

Every text cell goes through ``relkit.views.excel.safe_cells.put`` (``relkit.views.excel.cells``): written as text even
when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, so
a workshop cell never becomes a formula in the client's spreadsheet
(CSV/formula injection). Only the Budget sheet's own formulas, built here from
cell references, are assigned as formulas.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from babel.dates import get_month_names
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from relkit.io.labels import Labels
from relkit.views.excel.atomic import save_atomic
from relkit.views.excel.cells import (GRID, HOURS_FORMAT, NUMBER_FORMAT, WRAP, accent, display_text, font, header_cell, ink,
                                      is_empty, localised, money_format, percent_format, print_setup, put_text, put_value,
                                      require_columns, row_height, sheet_title)
from relkit.views.excel.plan_book import PlanBook, SummaryLine, categories, palette
from relkit.views.excel.plan_budget import write_budget_sheet
from relkit.views.excel.plan_kpis import write_kpi_sheet

SHEETS = ("summary", "programmes", "actions", "budget", "kpis", "journey", "collection", "register")
TABLE_HEADER_ROW = 3      # header row of every other table sheet
ACTION_STATUSES = ("todo", "in_progress", "done", "postponed")
LISTS = ("priority", "lever", "status", "owner")  # drop-down lists, one column each of the hidden lists sheet


def _summary_format(line: SummaryLine, book: PlanBook) -> str | None:
    if line.kind == "money":
        return money_format(book.lang, book.currency)
    if line.kind == "percent":
        return percent_format(book.lang)
    if line.kind == "hours":
        return localised(HOURS_FORMAT, book.lang)
    if line.kind == "number":
        return localised(NUMBER_FORMAT, book.lang)
    return None


# ---------------------------------------------------------------- sheets
def _summary(ws: Worksheet, book: PlanBook, L: Labels, names: dict[str, str], refs: dict[str, str]) -> None:
    sheet_title(ws, L("excel.title", year=book.plan_year), L("excel.client", client=book.client))
    widths = (42, 70)
    for col, key in enumerate(("excel.figure", "excel.value"), start=1):
        header_cell(ws, TABLE_HEADER_ROW, col, L(key))
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    row = TABLE_HEADER_ROW
    if not book.summary:
        row += 1
        put_text(ws, row, 1, L("excel.empty")).font = font(italic=True)
    for line in book.summary:
        line = line if isinstance(line, SummaryLine) else SummaryLine(line[0], line[1], "text")
        row += 1
        put_text(ws, row, 1, line.label).alignment = WRAP
        if line.ref is not None:  # a live total of the Budget sheet (written by relkit, never an input)
            cell = ws.cell(row, 2, refs[line.ref])
        else:
            cell = put_value(ws, row, 2, line.value, L.lang)
        fmt = _summary_format(line, book)
        if fmt is not None:
            cell.number_format = fmt
        cell.alignment = WRAP if line.kind == "text" else Alignment(horizontal="right", vertical="top")
        for col in (1, 2):
            ws.cell(row, col).border = GRID
        ws.row_dimensions[row].height = row_height((display_text(line.label), display_text(line.value)), widths)
    row += 2
    put_text(ws, row, 1, L("excel.contents")).font = font(bold=True, size=12, color=accent())
    row += 1
    header_cell(ws, row, 1, L("excel.sheet"))
    header_cell(ws, row, 2, L("excel.description"))
    for key in SHEETS[1:]:
        row += 1
        cell = put_text(ws, row, 1, names[key])
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{names[key].replace(chr(39), chr(39) * 2)}'!A1")
        cell.font, cell.alignment = font(color=accent(), underline="single"), WRAP
        put_text(ws, row, 2, L(f"excel.about.{key}")).alignment = WRAP
        for col in (1, 2):
            ws.cell(row, col).border = GRID
        ws.row_dimensions[row].height = row_height((names[key], L(f"excel.about.{key}")), widths)
    ws.freeze_panes = ws.cell(TABLE_HEADER_ROW + 1, 1)
    print_setup(ws, f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}")


def _table(ws: Worksheet, frame: pd.DataFrame | None, title: str, L: Labels) -> None:
    """A display table as given: headers in the language, values as numbers, dates or safe text."""
    sheet_title(ws, title)
    if frame is None or frame.empty or len(frame.columns) == 0:
        put_text(ws, TABLE_HEADER_ROW, 1, L("excel.empty")).font = font(italic=True)
        ws.column_dimensions["A"].width = 70
        print_setup(ws, None)
        return
    headers = [str(c) for c in frame.columns]
    widths = []
    for i, header in enumerate(headers):
        longest = max([len(line) for v in frame.iloc[:, i] for line in display_text(v).split("\n")] + [0])
        word = max(len(w) for w in header.split()) if header.split() else 0
        widths.append(min(max(longest, word, 8) + 2, 36))
    for col, (header, width) in enumerate(zip(headers, widths), start=1):
        header_cell(ws, TABLE_HEADER_ROW, col, header)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[TABLE_HEADER_ROW].height = row_height(headers, widths, bold=True)
    for r, values in enumerate(frame.itertuples(index=False), start=TABLE_HEADER_ROW + 1):
        for col, value in enumerate(values, start=1):
            cell = put_value(ws, r, col, value, L.lang)
            cell.alignment, cell.border = WRAP, GRID
        ws.row_dimensions[r].height = row_height([display_text(v) for v in values], widths)
    ws.freeze_panes = ws.cell(TABLE_HEADER_ROW + 1, 1)
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{TABLE_HEADER_ROW}:{last}{TABLE_HEADER_ROW + len(frame)}"
    print_setup(ws, f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}")


ACTION_FIELDS = ("action", "objective", "kpi", "owner", "priority", "lever")
ACTION_COLUMNS = ACTION_FIELDS + ("status",)  # the status is the client's to fill in (a drop-down)
_ACTION_WIDTHS = (30, 22, 28, 16, 10, 12, 11)
_MONTH_WIDTH = 6.5


def _months(value) -> set[int]:
    if is_empty(value):
        return set()
    months = {int(m) for m in value}
    wrong = sorted(m for m in months if not 1 <= m <= 12)
    if wrong:
        raise ValueError(f"expected months between 1 and 12, got {wrong[0]}")
    return months


def _actions(ws: Worksheet, book: PlanBook, L: Labels) -> int:
    """The retro-planning grid: category rows, action rows, one coloured cell per active month;
    returns the last row."""
    sheet_title(ws, L("excel.actions.title", year=book.plan_year), book.client)
    require_columns(book.actions, ("category",) + ACTION_FIELDS + ("months",), "action plan")
    month_names = list(get_month_names("abbreviated", locale=L.locale).values())
    ncols = len(ACTION_COLUMNS) + 12
    for col, field in enumerate(ACTION_COLUMNS, start=1):
        header_cell(ws, TABLE_HEADER_ROW, col, L(f"excel.actions.{field}"))
        ws.column_dimensions[get_column_letter(col)].width = _ACTION_WIDTHS[col - 1]
    for m, name in enumerate(month_names, start=1):
        col = len(ACTION_COLUMNS) + m
        header_cell(ws, TABLE_HEADER_ROW, col, name)
        ws.column_dimensions[get_column_letter(col)].width = _MONTH_WIDTH
    if book.actions.empty:
        put_text(ws, TABLE_HEADER_ROW + 1, 1, L("excel.empty")).font = font(italic=True)
    groups = categories(book.actions, L) if not book.actions.empty else []
    colours = palette(book, [name for name, _ in groups])
    row = TABLE_HEADER_ROW
    for name, rows in groups:
        colour = colours[name]
        fill = PatternFill("solid", fgColor=colour)
        row += 1
        put_text(ws, row, 1, name).font = font(bold=True, color=ink(colour))
        for col in range(1, ncols + 1):
            ws.cell(row, col).fill = fill
            ws.cell(row, col).border = GRID
        for _, action in rows.iterrows():
            row += 1
            texts = []
            for col, field in enumerate(ACTION_FIELDS, start=1):
                cell = put_value(ws, row, col, action[field], L.lang)
                cell.alignment, cell.border = WRAP, GRID
                texts.append(display_text(action[field]))
            status = ws.cell(row, len(ACTION_COLUMNS))
            status.alignment, status.border = WRAP, GRID
            active = _months(action["months"])
            for m in range(1, 13):
                cell = ws.cell(row, len(ACTION_COLUMNS) + m)
                cell.border = GRID
                if m in active:
                    cell.fill = fill
            ws.row_dimensions[row].height = row_height(texts, _ACTION_WIDTHS)
    ws.freeze_panes = ws.cell(TABLE_HEADER_ROW + 1, 2)
    print_setup(ws, f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}")
    return row


# ---------------------------------------------------------------- drop-downs
def _lists_sheet(ws: Worksheet, book: PlanBook, L: Labels) -> dict[str, str]:
    """A hidden sheet holding the drop-down lists (one column each); returns each list's range."""
    ws.sheet_state = "hidden"
    print_setup(ws, None)
    values = {
        "priority": list(book.choices.get("priority", [])),
        "lever": list(book.choices.get("lever", [])),
        "status": [L(f"excel.status.{s}") for s in ACTION_STATUSES],
        "owner": sorted(dict.fromkeys(o for o in book.choices.get("owner", []) if not is_empty(o)), key=str.casefold),
    }
    sheet = "'" + ws.title.replace("'", "''") + "'"
    ranges = {}
    for col, key in enumerate(LISTS, start=1):
        put_text(ws, 1, col, L(f"excel.actions.{key}")).font = font(bold=True)
        for r, value in enumerate(values[key], start=2):
            put_text(ws, r, col, value)
        if values[key]:
            letter = get_column_letter(col)
            ranges[key] = f"{sheet}!${letter}$2:${letter}${len(values[key]) + 1}"
    return ranges


def _drop_down(ws: Worksheet, source: str, cells: str, L: Labels, strict: bool = True) -> None:
    """A list drop-down on ``cells``; ``strict``: other values are refused, else only warned about."""
    dv = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False,
                        errorStyle="stop" if strict else "warning",
                        error=L("excel.choose" if strict else "excel.choose_or_keep"), errorTitle=L("excel.list"))
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(cells)


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
    lists = wb.create_sheet(L("excel.sheet.lists"))

    def title(key: str) -> str:
        return L("excel.sheet_title", sheet=names[key], client=book.client, year=book.plan_year)

    refs = write_budget_sheet(sheets["budget"], book, L)
    _summary(sheets["summary"], book, L, names, refs)
    _table(sheets["programmes"], book.programmes, title("programmes"), L)
    last_action = _actions(sheets["actions"], book, L)
    write_kpi_sheet(sheets["kpis"], book, L, title("kpis"))
    _table(sheets["journey"], book.journey, title("journey"), L)
    _table(sheets["collection"], book.collection, title("collection"), L)
    _table(sheets["register"], book.register, title("register"), L)

    ranges = _lists_sheet(lists, book, L)
    first, last = TABLE_HEADER_ROW + 1, max(last_action, TABLE_HEADER_ROW + 1) + 50  # room for new actions
    for key in LISTS:
        if key in ranges:
            letter = get_column_letter(ACTION_COLUMNS.index(key) + 1)
            _drop_down(sheets["actions"], ranges[key], f"{letter}{first}:{letter}{last}", L, strict=key != "owner")
    programmes = sheets["programmes"]
    headers = {programmes.cell(TABLE_HEADER_ROW, c).value: c for c in range(1, programmes.max_column + 1)}
    for header, key in book.programme_choices.items():
        if header in headers and key in ranges and book.programmes is not None and len(book.programmes):
            letter = get_column_letter(headers[header])
            _drop_down(programmes, ranges[key], f"{letter}{first}:{letter}{first + len(book.programmes) - 1}", L)

    props = wb.properties
    props.title = L("excel.title", year=book.plan_year)
    props.subject = book.client
    props.creator = props.lastModifiedBy = book.author or None
    props.language = book.lang
    props.keywords = L("excel.keywords")
    return save_atomic(wb, path)
