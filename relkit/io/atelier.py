"""The workshop workbook (.xlsx): its description (templates/workshop
sheets.yaml + lists.yaml) and reading it back with typed checks. The same
description builds a blank workbook (relkit.intake.atelier_template), so a
sheet added for a later workbook is generated and validated with no new code."""
from __future__ import annotations

import datetime as dt
import functools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Callable

import pandas as pd
from openpyxl import load_workbook
from pydantic import BeforeValidator, ValidationError, create_model

from relkit.io.parsing import (fold, is_blank, parse_amount, parse_bool, parse_date, parse_duration, parse_int, parse_measure,
                      parse_number, parse_percent)
from relkit.io.problems import Problem
from relkit.io.resources import TEMPLATES_DIR, load_yaml
from relkit.io import sections

SCHEMA_DIR = TEMPLATES_DIR / "workshop"
HEADER_ROW = 2
FIRST_DATA_ROW = 3


# ---------------------------------------------------------------- schema
@dataclass(frozen=True)
class Column:
    key: str
    header: dict[str, str]
    type: str = "text"
    list: str | None = None
    required: bool = False
    unique: bool = False
    min: float | None = None
    max: float | None = None
    width: int = 20
    open_list: str | None = None  # engagement.yaml key that may replace the list (checked in validate)

    def headers(self) -> set[str]:
        return {fold(h) for h in self.header.values()}


@dataclass(frozen=True)
class Sheet:
    key: str
    title: dict[str, str]
    columns: tuple[Column, ...]
    instructions: dict[str, str] = field(default_factory=dict)
    required: bool = True
    prefill: tuple[tuple, ...] = ()
    prefill_from: str | None = None

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@functools.cache
def lists() -> dict[str, list[dict[str, str]]]:
    """lists.yaml, plus the report's sections and comment positions (from relkit.io.sections, their one registry)."""
    return {**load_yaml(SCHEMA_DIR / "lists.yaml"),
            "report_section": sections.choice_list(), "comment_position": sections.position_list()}


@functools.cache
def sheets() -> tuple[Sheet, ...]:
    raw = load_yaml(SCHEMA_DIR / "sheets.yaml")
    out = []
    for s in raw["sheets"]:
        cols = tuple(Column(**c) for c in s["columns"])
        for c in cols:
            if c.type == "choice" and c.list not in lists():
                raise ValueError(f"templates/workshop/sheets.yaml: column {c.key} uses unknown list {c.list!r}")
        out.append(
            Sheet(
                key=s["key"], title=s["title"], columns=cols, instructions=s.get("instructions", {}),
                required=s.get("required", True), prefill=tuple(tuple(r) for r in s.get("prefill", ())),
                prefill_from=s.get("prefill_from"),
            )
        )
    return tuple(out)


def sheet(key: str) -> Sheet:
    return next(s for s in sheets() if s.key == key)


def choice_label(list_name: str, code: str, lang: str) -> str:
    return next(item[lang] for item in lists()[list_name] if item["code"] == code)


def axis(list_name: str, override: list[str] | None, lang: str) -> list[tuple[str, str]]:
    """(key, label) in order: the engagement's own list when it gives one (key =
    label as typed), else the default list (key = code, label in ``lang``)."""
    if override:
        return [(v, v) for v in override]
    return [(item["code"], item[lang]) for item in lists()[list_name]]


def axis_lookup(list_name: str, override: list[str] | None) -> dict[str, str]:
    """fold(any accepted spelling) -> key, for checking cells against an axis."""
    if override:
        return {fold(v): v for v in override}
    return {fold(label): item["code"] for item in lists()[list_name] for label in (item["code"], item["fr"], item["en"])}


# ---------------------------------------------------------------- parsers
def _choice_parser(list_name: str) -> Callable[[Any], str]:
    items = lists()[list_name]
    table = {}
    for item in items:
        for label in (item["code"], item["fr"], item["en"]):
            table[fold(label)] = item["code"]
    shown = ", ".join(f"'{i['fr']}'" for i in items)

    def parse(value):
        code = table.get(fold(str(value)))
        if code is None:
            raise ValueError(f"expected one of {shown}, got {value!r}")
        return code

    return parse


def _text(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _budget(value):
    from relkit.io.budget_cells import parse_budget_cell

    return parse_budget_cell(value)


def _months(value):
    from relkit.io.budget_cells import parse_months

    return parse_months(value)


def _month(value):
    months = _months(value)
    if len(months) != 1:
        raise ValueError(f"expected one month (1 to 12 or a month name), got {value!r}")
    return months[0]


def _section(value):
    sid = sections.section_id(str(value))
    if sid is None:
        raise ValueError(sections.unknown_section(value))
    return sid


def _position(value):
    code = sections.position_code(str(value))
    if code is None:
        raise ValueError(sections.unknown_position(value))
    return code


_PARSERS: dict[str, tuple[type, Callable]] = {
    "section": (str, _section),  # a report section id (the Commentaires sheet)
    "position": (str, _position),  # before / after / replace
    "measure": (float, parse_measure),
    "budget": (Any, _budget),
    "months": (tuple, _months),
    "month": (int, _month),
    "text": (str, _text),
    "int": (int, parse_int),
    "number": (float, parse_number),
    "amount": (float, parse_amount),
    "percent": (float, parse_percent),
    "date": (dt.date, parse_date),
    "bool": (bool, parse_bool),
    "duration": (float, parse_duration),
}


@dataclass(frozen=True)
class Uncomputed:
    """A cell holding a formula whose result was never computed and stored (the
    workbook was written by a program and never saved by a spreadsheet)."""

    formula: str


UNCOMPUTED = ("whose result was never computed (the workbook was written by a program): open it in Excel or "
              "LibreOffice and save it, then validate again")


def _field(col: Column):
    if col.type == "choice":
        py_type, parse = str, _choice_parser(col.list)
    else:
        py_type, parse = _PARSERS[col.type]

    def check(value, _parse=parse, _col=col):
        if isinstance(value, Uncomputed):
            raise ValueError(f"formula {value.formula} {UNCOMPUTED}")
        if is_blank(value):
            if _col.required:
                raise ValueError("required, but the cell is empty")
            return None
        out = _parse(value)
        if _col.min is not None and out < _col.min or _col.max is not None and out > _col.max:
            raise ValueError(f"expected a value from {_col.min:g} to {_col.max:g}, got {value!r}")
        return out

    return (Annotated[py_type | None, BeforeValidator(check)], None)


@functools.cache
def row_model(sheet_key: str):
    """A pydantic model of one data row of a sheet."""
    s = sheet(sheet_key)
    return create_model(f"Row_{sheet_key}", **{c.key: _field(c) for c in s.columns})


# ---------------------------------------------------------------- reading
def find_sheet(wb, s: Sheet):
    wanted = {fold(t) for t in s.title.values()}
    return next((ws for ws in wb.worksheets if fold(ws.title) in wanted), None)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: old .xls, or an encrypted .xlsx
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted Office file holds
PROTECTED = ("is password-protected: save it without a password (Excel: File > Info > Protect Workbook > "
             "Encrypt with Password, empty the password)")
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")  # a <f> element in a worksheet's XML


def _not_xlsx(path: Path) -> str | None:
    """What the file is when it is an Office compound file rather than an .xlsx."""
    with open(path, "rb") as fh:
        head = fh.read(len(_OLE))
    if head != _OLE:
        return None
    if _ENCRYPTION_INFO in path.read_bytes():
        return PROTECTED
    return "is an old Excel .xls workbook; open it in Excel and save it as .xlsx"


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet holds a formula (cheap: scans the XML, no parsing)."""
    with zipfile.ZipFile(path) as z:
        return any(_FORMULA.search(z.read(n)) for n in z.namelist()
                   if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _uncomputed(ws, formulas_ws) -> dict[tuple[int, int], Uncomputed]:
    """(row, 0-based column) -> the formula, for cells with a formula and no stored result."""
    out = {}
    if formulas_ws is None:
        return out
    for row in formulas_ws.iter_rows(min_row=FIRST_DATA_ROW):
        for cell in row:
            if cell.data_type != "f" or ws.cell(cell.row, cell.column).value is not None:
                continue
            text = getattr(cell.value, "text", cell.value)  # ArrayFormula keeps its text apart
            out[(cell.row, cell.column - 1)] = Uncomputed(str(text) if str(text).startswith("=") else f"={text}")
    return out


def read_workshop(path: Path, engagement_lang: str = "fr") -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read every sheet of the schema; return tidy DataFrames (choice cells as
    codes, one ``row`` column with the Excel row number) and all problems."""
    path = Path(path)
    name = str(path)
    if path.is_dir():
        return {}, [Problem(name, "", "is a folder; expected the workshop workbook (.xlsx)")]
    if not path.is_file():
        return {}, [Problem(name, "", "file not found (the engagement's workshop_file; `relkit new` creates one)")]
    try:
        what = _not_xlsx(path)
        if what:
            return {}, [Problem(name, "", what)]
        wb = load_workbook(path, data_only=True, read_only=False)
        formulas = load_workbook(path, data_only=False, read_only=False) if _has_formulas(path) else None
    except OSError as exc:
        return {}, [Problem(name, "", f"cannot be read ({exc.strerror or type(exc).__name__})")]
    except Exception as exc:  # noqa: BLE001 - any damage inside the file: one line, no traceback
        return {}, [Problem(name, "", f"not an Excel .xlsx workbook that openpyxl can open ({type(exc).__name__}); save it as .xlsx")]
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    for s in sheets():
        ws = find_sheet(wb, s)
        label = s.title[engagement_lang]
        if ws is None:
            if s.required:
                problems.append(Problem(name, f"sheet '{label}'", f"missing sheet (expected a sheet named '{s.title['fr']}' or '{s.title['en']}')"))
            frames[s.key] = pd.DataFrame(columns=[c.key for c in s.columns] + ["row"])
            continue
        uncomputed = _uncomputed(ws, formulas[ws.title] if formulas is not None else None)
        frame, sheet_problems = _read_sheet(ws, s, name, uncomputed)
        frames[s.key] = frame
        problems.extend(sheet_problems)
    wb.close()
    if formulas is not None:
        formulas.close()
    return frames, problems


def header_positions(ws, s: Sheet) -> tuple[list, dict[str, int]]:
    """Row-2 headers of a sheet and the 0-based position of each schema column found there."""
    headers = [cell.value for cell in ws[HEADER_ROW]] if ws.max_row >= HEADER_ROW else []
    position: dict[str, int] = {}
    for idx, value in enumerate(headers):
        if is_blank(value):
            continue
        for col in s.columns:
            if fold(str(value)) in col.headers():
                position.setdefault(col.key, idx)
    return headers, position


def raw_rows(ws, s: Sheet, position: dict[str, int], uncomputed: dict | None = None) -> list[dict]:
    """Every non-empty data row as typed (cell values), with its Excel ``row``;
    a cell of ``uncomputed`` ((row, 0-based column) -> Uncomputed) stands for its formula."""
    out = []
    uncomputed = uncomputed or {}
    for row_idx, row in enumerate(ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True), start=FIRST_DATA_ROW):
        values = {k: uncomputed.get((row_idx, i), row[i] if i < len(row) else None) for k, i in position.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        out.append({**values, "row": row_idx})
    return out


def check_rows(s: Sheet, rows: list[dict], name: str, where: str, header_of) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed records (choices as codes) and one Problem per bad cell; ``rows``
    are raw values with their ``row`` number; ``header_of(key)`` names a column."""
    model = row_model(s.key)
    problems, records = [], []
    for raw in rows:
        values = {k: v for k, v in raw.items() if k != "row"}
        try:
            validated = model.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                col = s.column(err["loc"][0])
                msg = str(err["ctx"]["error"]) if err["type"] == "value_error" else err["msg"]
                problems.append(Problem(name, f"{where}, row {raw['row']}, column '{header_of(col.key)}'", msg))
            continue
        rec = {key: getattr(validated, key) for key in type(validated).model_fields}  # parsed objects as they are
        rec["row"] = raw["row"]
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=[c.key for c in s.columns] + ["row"])
    for col in s.columns:
        if col.unique:
            dup = frame[frame[col.key].notna() & frame[col.key].duplicated(keep="first")]
            for _, r in dup.iterrows():
                problems.append(
                    Problem(name, f"{where}, row {r['row']}, column '{header_of(col.key)}'", f"duplicate value {r[col.key]!r}; each value may appear once")
                )
    return frame, problems


def _read_sheet(ws, s: Sheet, name: str, uncomputed: dict | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    where = f"sheet '{ws.title}'"
    headers, position = header_positions(ws, s)
    problems = []
    for col in s.columns:
        if col.key not in position and (col.required or s.required):
            problems.append(
                Problem(name, f"{where}, row {HEADER_ROW}", f"missing column '{col.header['fr']}' (expected header '{col.header['fr']}' or '{col.header['en']}' in row {HEADER_ROW})")
            )
    if problems:
        return pd.DataFrame(columns=[c.key for c in s.columns] + ["row"]), problems
    return check_rows(s, raw_rows(ws, s, position, uncomputed), name, where, lambda key: headers[position[key]])
