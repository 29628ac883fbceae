"""A new, blank workshop workbook (.xlsx) from the description in
templates/workshop (relkit.io.atelier): instructions, headers, drop-downs and
prefilled rows (the positioning questions, the readiness checklist, the KPI
catalogue), in the engagement's language. ``relkit new`` writes one."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from relkit.io.atelier import FIRST_DATA_ROW, HEADER_ROW, Sheet, choice_label, lists, sheet, sheets
from relkit.io.channels import channel_code
from relkit.io.labels import Labels

VALIDATED_ROWS = 500  # drop-downs are laid on this many rows
LISTS_SHEET = "Listes"
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_INSTR_FILL = PatternFill("solid", fgColor="DDEBF7")


def channel_codes(channels) -> list[str] | None:
    """Channel names as a consultant writes them ('E-mail', 'site web') -> codes
    of the default list; None stays None (channels not known)."""
    if channels is None:
        return None
    return [channel_code(c) or c for c in channels]


def _prefill_rows(s: Sheet, labels: Labels, model: str | None = None, channels=None) -> list[dict]:
    if s.prefill_from == "positioning_questions":
        return [{"number": i, "question": labels(f"positioning.q{i}")} for i in range(1, 11)]
    if s.prefill_from == "readiness_checklist":
        return [{"number": i, "practice": labels(f"readiness.c{i}")} for i in range(1, 16)]
    if s.prefill_from == "kpi_catalogue":
        from relkit.topics.kpi_catalogue import catalogue_rows

        return catalogue_rows(labels.lang, model, channel_codes(channels))
    return [dict(zip([c.key for c in s.columns], r)) for r in s.prefill]


def build_workbook(lang: str = "fr", model: str | None = None, channels=None) -> Workbook:
    """A blank workshop workbook: instructions, headers, drop-downs, prefilled rows;
    the KPI catalogue only with the KPIs that fit ``model`` and ``channels`` (names
    or codes of the channels the client uses; None: all)."""
    labels = Labels(lang)
    wb = Workbook()
    wb.remove(wb.active)
    lists_ws = wb.create_sheet(LISTS_SHEET)
    refs = {}
    for col_idx, (list_name, items) in enumerate(lists().items(), start=1):
        letter = get_column_letter(col_idx)
        lists_ws.cell(1, col_idx, list_name)
        for r, item in enumerate(items, start=2):
            lists_ws.cell(r, col_idx, item[lang])
        refs[list_name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(items) + 1}"
    lists_ws.sheet_state = "hidden"

    for s in sheets():
        ws = wb.create_sheet(s.title[lang])
        ncols = len(s.columns)
        ws.cell(1, 1, s.instructions.get(lang, ""))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        ws.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(1, 1).fill = _INSTR_FILL
        ws.row_dimensions[1].height = 48
        for i, col in enumerate(s.columns, start=1):
            cell = ws.cell(HEADER_ROW, i, col.header[lang])
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = _HEADER_FILL
            ws.column_dimensions[get_column_letter(i)].width = col.width
            letter = get_column_letter(i)
            rng = f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + VALIDATED_ROWS - 1}"
            dv = None
            if col.list:  # a drop-down; open lists (open_list) are checked against the engagement's own list
                dv = DataValidation(type="list", formula1=f"={refs[col.list]}", allow_blank=not col.required)
                dv.showErrorMessage = col.open_list is None
                dv.error = f"{col.header[lang]}: " + ", ".join(item[lang] for item in lists()[col.list])
            elif col.type == "int" and col.min is not None:
                dv = DataValidation(type="whole", operator="between", formula1=str(int(col.min)), formula2=str(int(col.max)), allow_blank=True)
                dv.error = f"{col.header[lang]}: {int(col.min)} – {int(col.max)}"
            if dv is not None:
                dv.showErrorMessage = dv.showErrorMessage if col.list else True
                dv.errorTitle = "relkit"
                ws.add_data_validation(dv)
                dv.add(rng)
            if col.type == "date":
                for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 50):
                    ws.cell(r, i).number_format = "DD/MM/YYYY"
            if col.required:
                cell.comment = Comment("obligatoire / required", "relkit")
            for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 50):
                ws.cell(r, i).alignment = Alignment(wrap_text=col.width >= 40, vertical="top")
        ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
        for offset, row in enumerate(_prefill_rows(s, labels, model, channels)):
            write_row(ws, s, FIRST_DATA_ROW + offset, row, lang)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    return wb


def write_row(ws, s: Sheet, row: int, values: dict, lang: str = "fr") -> None:
    """Write one record (codes for choices) at an Excel row of a sheet."""
    for i, col in enumerate(s.columns, start=1):
        if col.key not in values:
            continue
        value = values[col.key]
        if isinstance(value, bool):
            value = choice_label("yes_no", "yes" if value else "no", lang)
        elif col.list and value is not None and any(item["code"] == value for item in lists()[col.list]):
            value = choice_label(col.list, value, lang)
        ws.cell(row, i, value)


def create_workshop_file(path: Path, lang: str = "fr", entries: dict[str, list[dict]] | None = None,
                         model: str | None = None, channels=None) -> Path:
    """Write a new workshop workbook; ``entries`` fills sheets (keyed by sheet key)
    and replaces their prefilled rows; ``model`` and ``channels`` pick the KPIs
    prefilled (``build_workbook``)."""
    wb = build_workbook(lang, model, channels)
    for key, rows in (entries or {}).items():
        s = sheet(key)
        ws = wb[s.title[lang]]
        for r in range(FIRST_DATA_ROW, ws.max_row + 1):
            for c in range(1, len(s.columns) + 1):
                ws.cell(r, c).value = None
        for offset, row in enumerate(rows):
            write_row(ws, s, FIRST_DATA_ROW + offset, row, lang)
    path = Path(path)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return path
