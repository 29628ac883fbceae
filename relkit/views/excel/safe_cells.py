"""Cells a spreadsheet will never execute (CSV / formula injection, OWASP).

Workshop entries and customer exports reach relkit's CSV and XLSX outputs. A
text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
may be read as a formula by Excel, LibreOffice or Google Sheets when the file
is opened (``=cmd|' /C calc'!A0``, ``=HYPERLINK(...)`` exfiltration...). Every
writer of relkit goes through this module:

- **CSV** (``neutralise``, ``safe_frame``, ``to_csv``): such a text gets a
  leading single quote, as OWASP recommends: ``'=cmd|' /C calc'!A0``.
- **XLSX** (``put``): the text is stored as a string cell (never a formula)
  with Excel's own "quote prefix" flag, which is what Excel records when a user
  types the leading quote: the cell shows ``=1+1`` as text, stays text when
  edited, and the client reads their entry unchanged.

Numbers stay numbers: int/float values are never touched, and a *text* that is
a plain number ("-45", "-1 250,50 €", "+33 6 12 34 56 78", "-30 %") keeps its
sign without a quote in CSV: made only of a sign, digits, spaces, separators,
``%`` and a currency symbol, it cannot name a function, a reference or a DDE
command, so a spreadsheet has nothing to run, and negative amounts stay
readable. Anything else starting with a dangerous character is neutralised.

Formulas relkit writes on purpose (the Excel plan's live budget totals) are
assigned directly by their writer and never pass through here.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from relkit.views.excel import csv_text

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

# A sign, then only digits, group/decimal separators, spaces, % and a currency symbol.
_SPACES = " \u00a0\u202f"
_PLAIN_NUMBER = re.compile(
    rf"[+-][{_SPACES}]?[€$£¥]?[{_SPACES}]?\d[\d.,{_SPACES}]*(?:[{_SPACES}]?[%€$£¥])?"
)
# Characters openpyxl refuses in XML (control characters except tab, LF, CR).
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def is_dangerous(text: str) -> bool:
    """True for a text a spreadsheet could read as a formula."""
    return text.startswith(DANGEROUS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(value):
    """``value`` made safe for a CSV cell: a dangerous text gets a leading quote;
    every other value (numbers, dates, None, safe texts) is returned as is."""
    if isinstance(value, str) and is_dangerous(value):
        return QUOTE + value
    return value


def _safe_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_safe_labels(level) for level in index.levels])
    if index.dtype == object or pd.api.types.is_string_dtype(index.dtype):
        labels = pd.Series(index, copy=False)
        safe = safe_series(labels)
        return index if safe is labels else pd.Index(safe, name=index.name)
    return index


def safe_series(series: pd.Series) -> pd.Series:
    """``series`` with dangerous texts neutralised (a copy if any was found).
    Vectorised: a million-row column of text takes a fraction of a second."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if not any(isinstance(c, str) and is_dangerous(c) for c in dtype.categories):
            return series
        series = series.astype(object)
    elif not (dtype == object or pd.api.types.is_string_dtype(dtype)):
        return series  # numbers, booleans, dates: nothing to execute
    try:
        first = series.str[:1]
    except AttributeError:  # an object column without any text
        return series
    suspect = first.isin(DANGEROUS).to_numpy(dtype=bool, na_value=False)  # .str gives NaN for non-texts
    if not suspect.any():
        return series
    texts = series[suspect]  # usually a handful of cells: the rest is never touched
    danger = ~texts.str.fullmatch(_PLAIN_NUMBER).to_numpy(dtype=bool, na_value=False)
    if not danger.any():
        return series
    series = series.copy()
    series.iloc[np.flatnonzero(suspect)[danger]] = (QUOTE + texts[danger]).to_numpy()
    return series


def safe_frame(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """A copy of ``frame`` safe to write as CSV: text cells, column names and
    index labels neutralised; numeric columns untouched."""
    if isinstance(frame, pd.Series):
        out = safe_series(frame)
        out = out.copy() if out is frame else out
        out.name = neutralise(frame.name)
        out.index = _safe_labels(frame.index)
        return out
    out = frame.copy(deep=False)
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        safe = safe_series(column)
        if safe is not column:
            out.isetitem(i, safe)
    out.columns = _safe_labels(out.columns)
    out.index = _safe_labels(out.index)
    return out


def to_csv(frame: pd.DataFrame | pd.Series, path: str | Path, **kwargs) -> None:
    """``frame.to_csv(path, **kwargs)`` with every cell neutralised first.

    Lines end with CRLF (RFC 4180) unless ``lineterminator`` is given: the
    csv module quotes a field only for the characters of the line terminator,
    so with pandas' "\n" a text holding a lone CR would stay unquoted and
    a reader could start a new row (and a new first cell) there."""
    kwargs.setdefault("lineterminator", "\r\n")
    safe = safe_frame(frame)
    if not csv_text.write(safe, path, **kwargs):  # the same text, a column at a time; else pandas' row by row
        safe.to_csv(path, **kwargs)


def put(ws, row: int, col: int, value=None):
    """Write ``value`` into an openpyxl cell so that it can never run: a text
    starting with a dangerous character is stored as a string with Excel's
    quote prefix (never a formula); control characters XML refuses are
    dropped; numbers, dates and booleans are written as they are. Returns the cell."""
    cell = ws.cell(row, col)
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        cell.value = value
        if value.startswith(DANGEROUS):
            cell.data_type = "s"
            cell.quotePrefix = True
    elif value is not None:
        cell.value = value
    return cell


def unsafe_cells(path: str | Path) -> list[str]:
    """Where a CSV or XLSX file holds a cell a spreadsheet could execute
    (empty when the file is clean), for tests and audits; see
    ``unsafe_csv_cells`` and ``unsafe_xlsx_cells``."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return unsafe_csv_cells(path)
    if path.suffix.lower() == ".xlsx":
        return unsafe_xlsx_cells(path)
    raise ValueError(f"expected a .csv or .xlsx file, got {path.name}")


def unsafe_csv_cells(path: str | Path, **reader) -> list[str]:
    import csv

    found = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for r, row in enumerate(csv.reader(fh, **reader), start=1):
            for c, text in enumerate(row, start=1):
                if is_dangerous(text):
                    found.append(f"{Path(path).name}: line {r}, field {c}: {text!r}")
    return found


# Formulas relkit writes itself: cell references (on a named sheet too), SUM/IF/COUNT/ROUND/AND/OR/ISNUMBER,
# arithmetic and quoted labels.
_FORMULA_TOKEN = (r"'(?:[^'|!]|'')+'!|\$?[A-Z]{1,3}\$?\d+|(?:SUM|IF|COUNT|ROUND|AND|OR|ISNUMBER)\("
                  r'|[0-9.:+\-*/,()<>= ]|"[^"|]*"')
_RELKIT_FORMULA = re.compile(rf"=(?:{_FORMULA_TOKEN})*")


def unsafe_xlsx_cells(path: str | Path, allow_formula=_RELKIT_FORMULA.fullmatch) -> list[str]:
    """Cells of an .xlsx that a spreadsheet could execute: a formula that
    ``allow_formula`` does not accept, or a text starting with a dangerous
    character without Excel's quote prefix."""
    from openpyxl import load_workbook

    found = []
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                where = f"{Path(path).name}: {ws.title}!{cell.coordinate}: {value!r}"
                if cell.data_type == "f":
                    if not allow_formula(value):
                        found.append(where)
                elif value.startswith(DANGEROUS) and not cell.quotePrefix:
                    found.append(where)
    return found
