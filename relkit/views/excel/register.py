"""The draft record of processing activities (GDPR art. 30) as an .xlsx, in
the plan's house style (fonts, header colours, print set-up and footer of
``relkit.views.excel.cells``):

- a header block: title, the art. 30(1)(a) fields (controller and contact
  details, joint controller, representative, DPO), prepared by (the
  consultant and their firm), date, plan year, and a note that the register is
  a draft to complete and keep up to date;
- one row per processing purpose (``relkit.topics.register.activities``),
  columns ``COLUMNS``; what the plan does not say ("à compléter") is a yellow
  cell to fill in.

Every cell that comes from the inputs is written by
``relkit.views.excel.safe_cells.put`` (never a formula). Saved atomically.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from relkit.io.labels import Labels
from relkit.topics.register import COLUMNS, HEADER_FIELDS, HEADERS, TEXTS, activities
from relkit.views.excel.atomic import save_atomic
from relkit.views.excel.cells import GRID, WRAP, accent, font, header_cell, print_setup, put_text, row_height

WIDTHS = (28, 40, 20, 44, 22, 18, 30, 40, 26)
TITLE_ROW = 1
FIRST_FIELD_ROW = 3
HEADER_ROW = FIRST_FIELD_ROW + len(HEADER_FIELDS) + 2  # after the fields and the note

_TODO_FILL = PatternFill("solid", fgColor="FFF2CC")


def write_register(
    path: Path | str, plan: pd.DataFrame, *, client: str, consultant: str, plan_year: int, lang: str = "fr",
    as_of: dt.date | None = None, firm: str | None = None, programmes: list[tuple[str, str | None]] = (),
    model: str = "B2C",
) -> Path:
    """Write the draft register (see module doc) to ``path`` (.xlsx) and return it. ``programmes``:
    (name, channel code) of the plan's programmes; ``model``: the client's B2C / B2B / B2B2C."""
    if lang not in TEXTS:
        raise ValueError(f"language must be one of {tuple(TEXTS)}, got {lang!r}")
    t, headers = TEXTS[lang], HEADERS[lang]
    todo = t["to_complete"]
    as_of = as_of or dt.date.today()
    wb = Workbook()
    ws = wb.active
    ws.title = t["sheet"]
    put_text(ws, TITLE_ROW, 1, t["title"]).font = font(bold=True, size=14, color=accent())
    prepared = f"{consultant} ({firm})" if firm and firm != consultant else consultant
    values = {"controller": client, "prepared_by": prepared, "date": Labels(lang).date(as_of),
              "plan_year": int(plan_year)}
    for row, key in enumerate(HEADER_FIELDS, start=FIRST_FIELD_ROW):
        label = put_text(ws, row, 1, t[key])
        label.font, label.alignment, label.border = font(bold=True), WRAP, GRID
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        value = values.get(key, todo)
        cell = put_text(ws, row, 2, value) if isinstance(value, str) else ws.cell(row, 2, value)
        if key not in values:
            cell.fill = _TODO_FILL
        cell.alignment, cell.border = Alignment(horizontal="left", vertical="top", wrap_text=True), GRID
        ws.row_dimensions[row].height = row_height([t[key]], [WIDTHS[0]], bold=True)
    note_row = FIRST_FIELD_ROW + len(HEADER_FIELDS)
    note = put_text(ws, note_row, 1, t["note"])
    note.alignment, note.font = WRAP, font(italic=True)
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=len(COLUMNS))
    ws.row_dimensions[note_row].height = 32

    for col, key in enumerate(COLUMNS, start=1):
        header_cell(ws, HEADER_ROW, col, headers[key])
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[col - 1]
    ws.row_dimensions[HEADER_ROW].height = row_height([headers[k] for k in COLUMNS], WIDTHS, bold=True)
    rows = activities(plan, lang, programmes=programmes, model=model)
    for offset, activity in enumerate(rows, start=1):
        for col, key in enumerate(COLUMNS, start=1):
            cell = put_text(ws, HEADER_ROW + offset, col, activity[key])  # workshop text, never a formula
            cell.alignment, cell.border = WRAP, GRID
            if col == 1:
                cell.font = font(bold=True)
            if activity[key] == todo:
                cell.fill = _TODO_FILL
        ws.row_dimensions[HEADER_ROW + offset].height = max(row_height([activity[k] for k in COLUMNS], WIDTHS),
                                                            row_height([activity["activity"]], WIDTHS, bold=True))
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 2)
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(rows), 1)}"
    print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")

    props = wb.properties
    props.title = t["title"]
    props.subject = client
    props.creator = props.lastModifiedBy = firm or consultant or None
    props.language = lang
    return save_atomic(wb, path)
