"""The draft record of processing activities (GDPR art. 30) as an .xlsx:

- a header block: title, controller (the client), prepared by (the
  consultant), date, plan year, and a note that the register is a draft to
  complete and keep up to date;
- one row per processing activity (``relkit.topics.register.activities``),
  columns ``COLUMNS``; what the plan does not say ("à compléter") is
  highlighted.

Every cell that comes from the inputs is written by
``relkit.views.excel.safe_cells.put`` (never a formula). Saved atomically.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from relkit.io.labels import Labels
from relkit.topics.register import COLUMNS, HEADERS, TEXTS, activities
from relkit.views.excel import safe_cells
from relkit.views.excel.atomic import save_atomic

WIDTHS = (26, 40, 22, 44, 24, 22, 30, 30, 30)
HEADER_ROW = 8

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_TODO_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _height(texts) -> float:
    """Row height (points) fitting the wrapped texts of a row (openpyxl cannot auto-fit;
    LibreOffice keeps the stored height when converting to PDF)."""
    lines = 1
    for text, width in zip(texts, WIDTHS):
        wrapped = sum(max(1, math.ceil(len(line) / max(width - 2, 1))) for line in str(text).split("\n"))
        lines = max(lines, wrapped)
    return 15 * lines


def write_register(
    path: Path | str, plan: pd.DataFrame, *, client: str, consultant: str, plan_year: int, lang: str = "fr",
    as_of: dt.date | None = None,
) -> Path:
    """Write the draft register (see module doc) to ``path`` (.xlsx) and return it."""
    if lang not in TEXTS:
        raise ValueError(f"language must be one of {tuple(TEXTS)}, got {lang!r}")
    t, headers = TEXTS[lang], HEADERS[lang]
    as_of = as_of or dt.date.today()
    wb = Workbook()
    ws = wb.active
    ws.title = t["sheet"]
    ws.cell(1, 1, t["title"]).font = Font(bold=True, size=14)
    for row, (key, value) in enumerate(
        [("controller", client), ("prepared_by", consultant), ("date", Labels(lang).date(as_of)),
         ("plan_year", int(plan_year))], start=2,
    ):
        ws.cell(row, 1, t[key]).font = _BOLD
        safe_cells.put(ws, row, 2, value).alignment = Alignment(horizontal="left")  # client/consultant: inputs
    note = ws.cell(6, 1, t["note"])
    note.alignment = _WRAP
    note.font = Font(italic=True)
    ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=len(COLUMNS))
    ws.row_dimensions[6].height = 32

    for col, key in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, col, headers[key])
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[col - 1]
    ws.row_dimensions[HEADER_ROW].height = _height(headers[k] for k in COLUMNS)
    for offset, activity in enumerate(activities(plan, lang), start=1):
        for col, key in enumerate(COLUMNS, start=1):
            cell = safe_cells.put(ws, HEADER_ROW + offset, col, activity[key])  # workshop text, never a formula
            cell.alignment = _WRAP
            if activity[key] == t["to_complete"]:
                cell.fill = _TODO_FILL
        ws.row_dimensions[HEADER_ROW + offset].height = _height(activity[k] for k in COLUMNS)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(ws.max_row, HEADER_ROW)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    return save_atomic(wb, path)
