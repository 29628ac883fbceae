"""The KPI sheet of the plan workbook: one row per KPI with its definition,
unit, frequency and target, then one column per reporting period for the
actuals (yellow where the reporting calendar expects a figure, grey where it
does not), and three computed columns: the latest actual, the attainment
(actual ÷ target, or target ÷ actual when lower is better) and the status,
with the report's thresholds (``relkit.topics.kpi.THRESHOLDS``: on track from
100 %, watch from 80 %) in the formulas and in the conditional formatting, so
a figure the client types gets its colour at once."""
from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from relkit.io.labels import Labels
from relkit.topics.kpi import THRESHOLDS
from relkit.views.excel.cells import (GRID, WRAP, CENTER, display_text, font, header_cell, is_empty, percent_format,
                                      print_setup, put_text, put_value, require_columns, row_height, sheet_title,
                                      unit_format)
from relkit.views.excel.plan_book import KPI_COLUMNS, PlanBook

HEADER_ROW = 3
FIXED = ("kpi", "definition", "formula", "unit", "frequency", "target")
_WIDTHS = {"kpi": 24, "definition": 36, "formula": 30, "unit": 9, "frequency": 13, "target": 10}
_PERIOD_WIDTH = 11
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_IDLE_FILL = PatternFill("solid", fgColor="F2F2F2")
STATUS_FILLS = {  # (fill, font colour) by status, as the report's dashboard colours
    "on_track": ("C6EFCE", "006100"),
    "watch": ("FFEB9C", "9C5700"),
    "off_track": ("FFC7CE", "9C0006"),
}


def status_rules(ref: str) -> dict[str, str]:
    """Conditional-formatting formulas of each status on the attainment cell ``ref`` ('$U4')."""
    on, watch = THRESHOLDS
    return {
        "on_track": f"AND(ISNUMBER({ref}),{ref}>={on:g})",
        "watch": f"AND(ISNUMBER({ref}),{ref}>={watch:g},{ref}<{on:g})",
        "off_track": f"AND(ISNUMBER({ref}),{ref}<{watch:g})",
    }


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_kpi_sheet(ws: Worksheet, book: PlanBook, L: Labels, title: str) -> None:
    sheet_title(ws, title, L("excel.kpi.note"))
    frame = book.kpis
    if frame is None or frame.empty:
        put_text(ws, HEADER_ROW, 1, L("excel.empty")).font = font(italic=True)
        ws.column_dimensions["A"].width = 70
        print_setup(ws, None)
        return
    require_columns(frame, KPI_COLUMNS, "KPI")
    periods = list(book.kpi_periods)
    first_period = len(FIXED) + 1
    latest_col = first_period + len(periods)
    attain_col, status_col = latest_col + 1, latest_col + 2
    headers = [L(f"excel.kpi.{k}") for k in FIXED] + [label for _, label in periods]
    headers += [L("excel.kpi.latest"), L("excel.kpi.attainment"), L("excel.kpi.status")]
    widths = [_WIDTHS[k] for k in FIXED] + [_PERIOD_WIDTH] * len(periods) + [11, 11, 15]
    for col, (header, width) in enumerate(zip(headers, widths), start=1):
        header_cell(ws, HEADER_ROW, col, header)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = row_height(headers, widths, bold=True)
    on, watch = THRESHOLDS
    words = {s: _quoted(L(f"kpi.status.{s}")) for s in ("on_track", "watch", "off_track", "no_target")}
    pct = percent_format(book.lang)

    row = HEADER_ROW
    for _, k in frame.iterrows():
        row += 1
        actuals = dict(k["actuals"] or {})
        fmt = unit_format(k["unit_code"], [k["target"], *actuals.values()], book.lang, book.currency)
        texts = []
        for col, key in enumerate(FIXED, start=1):
            cell = put_value(ws, row, col, k[key], book.lang)
            cell.alignment, cell.border = WRAP, GRID
            texts.append(display_text(k[key]))
        ws.cell(row, len(FIXED)).number_format = fmt
        review = set(k["review"] or ())
        for i, (key, _) in enumerate(periods):
            cell = ws.cell(row, first_period + i)
            value = actuals.get(key)
            if not is_empty(value):
                cell.value = float(value)
            cell.number_format, cell.border, cell.alignment = fmt, GRID, CENTER
            cell.fill = _INPUT_FILL if key in review or not is_empty(value) else _IDLE_FILL
        r = str(row)
        target = f"{get_column_letter(len(FIXED))}{r}"
        latest = f"{get_column_letter(latest_col)}{r}"
        attain = f"{get_column_letter(attain_col)}{r}"
        nested = '""'
        for i in range(len(periods)):  # the last period with a figure
            ref = f"{get_column_letter(first_period + i)}{r}"
            nested = f"IF(ISNUMBER({ref}),{ref},{nested})"
        ws.cell(row, latest_col, "=" + nested).number_format = fmt
        higher = k["direction"] != "lower"
        num, den = (latest, target) if higher else (target, latest)
        ws.cell(row, attain_col, f'=IF(OR({latest}="",{target}=""),"",IF({den}=0,"",{num}/{den}))')
        ws.cell(row, attain_col).number_format = pct
        met = f"{latest}>={target}" if higher else f"{latest}<={target}"
        ws.cell(row, status_col, (
            f'=IF({latest}="","",IF({target}="",{words["no_target"]},IF({attain}="",'
            f'IF({met},{words["on_track"]},{words["off_track"]}),IF({attain}>={on:g},{words["on_track"]},'
            f'IF({attain}>={watch:g},{words["watch"]},{words["off_track"]})))))'))
        for col in (latest_col, attain_col, status_col):
            ws.cell(row, col).border, ws.cell(row, col).alignment = GRID, CENTER
            ws.cell(row, col).font = font(bold=col == status_col)
        ws.row_dimensions[row].height = row_height(texts, [_WIDTHS[k] for k in FIXED])

    first, last = HEADER_ROW + 1, row
    span = f"{get_column_letter(attain_col)}{first}:{get_column_letter(status_col)}{last}"
    for status, formula in status_rules(f"${get_column_letter(attain_col)}{first}").items():
        fill, ink = STATUS_FILLS[status]
        ws.conditional_formatting.add(span, FormulaRule(
            formula=[formula], fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=ink)))
    legend = put_text(ws, last + 2, 1, L("excel.kpi.legend", on=L.percent(on), watch=L.percent(watch)))
    legend.font = font(italic=True)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 2)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(status_col)}{last}"
    print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
