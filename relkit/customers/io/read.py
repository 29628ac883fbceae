"""Opening an export: a CSV/TXT file (encoding, separator, header line, line
numbers) or an .xlsx workbook (sheet, header row, cells as text) into a
``Table`` of the located columns as text, every problem of the file reported.

The bulk read is pyarrow's multi-threaded CSV reader with every column as text.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from relkit.io.problems import Problem
from relkit.customers.io.columns import Located, Mapping
from relkit.customers.io.schema import MAX_SHOWN, ImportFailed

ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252 (cp1252)"}
SEPARATORS = (";", "\t", ",", "|")  # preference order when sniffing is a tie
SNIFF_RECORDS = 30
SAMPLE_BYTES = 1 << 16


@dataclass
class Table:
    """The located columns as text, with each row's line number in the file."""

    headers: list[str]
    located: dict[str, list[int]]
    columns: dict[int, pa.Array]
    lines: np.ndarray
    header_line: int
    row_label: str  # "line" in a CSV file, "sheet 'Ventes', row" in a workbook
    empty_lines: int
    detected: dict  # format, encoding, separator or sheet
    notes: list[str]
    info: Located | None = None  # notes on the columns, amount basis, unused columns


def _decode(raw: bytes, file: str, forced: str | None) -> tuple[bytes, str]:
    """UTF-8 bytes for pyarrow, and the encoding the file was in: UTF-8 (with or
    without BOM), UTF-16 with BOM (Excel "Unicode text"), else Windows-1252."""
    if raw.startswith(codecs.BOM_UTF8) and forced in (None, "utf-8-sig", "utf-8"):
        raw, candidates = raw[len(codecs.BOM_UTF8):], ["utf-8-sig"]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and forced is None:
        candidates = ["utf-16"]
    else:
        candidates = [forced] if forced else ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as err:
            failure = err
            continue
        utf8 = raw if encoding in ("utf-8", "utf-8-sig") else text.encode("utf-8")
        return utf8, encoding
    line = raw.count(b"\n", 0, failure.start) + 1
    byte = f"0x{raw[failure.start]:02X}"
    tried = " or ".join(ENCODING_NAMES.get(c, c) for c in candidates)
    raise ImportFailed([Problem(file, f"line {line}",
                                f"cannot be read as {tried} text (byte {byte}); re-export it as 'CSV UTF-8'")])


_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted Office file holds
PROTECTED = ("is password-protected (encrypted): open it with its password and save a copy without one "
             "(Excel: File > Info > Protect Workbook > Encrypt with Password, empty the password)")


def _encrypted(raw: bytes) -> bool:
    """An OLE compound file holding an EncryptionInfo stream: an Office file saved with a password."""
    return raw.startswith(b"\xd0\xcf\x11\xe0") and _ENCRYPTION_INFO in raw


def _not_text(raw: bytes, file: str) -> None:
    """Refuse files that are not CSV text, saying what they are."""
    if _encrypted(raw):
        message = PROTECTED
    elif raw.startswith(b"PK\x03\x04"):
        message = "is an Excel workbook (or another zip file), not CSV text; name it .xlsx"
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):
        message = "is an old Excel .xls workbook, not CSV text; save it as .xlsx or 'CSV UTF-8'"
    elif b"\x00" in raw[:SAMPLE_BYTES] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = "is not text (binary content); expected a CSV/TXT export or an .xlsx workbook"
    else:
        return
    raise ImportFailed([Problem(file, "", message)])


def _records(text: str, sep: str, complete: bool) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of the CSV records of a sample; the last one
    is dropped when the sample may have cut it."""
    reader = csv.reader(StringIO(text, newline=""), delimiter=sep)
    out, end = [], 0
    for cells in reader:
        out.append((end + 1, reader.line_num, cells))
        end = reader.line_num
    return out if complete else out[:-1]


def _sniff(sample: str, complete: bool) -> str:
    """The separator giving the same number (>1) of fields on most of the first records."""
    def score(sep: str) -> tuple[int, int]:
        widths = Counter(len(c) for _, _, c in _records(sample, sep, complete)[:SNIFF_RECORDS] if c)
        if not widths:
            return 0, 0
        width, count = max(widths.items(), key=lambda wc: (wc[1], wc[0]))
        return (count if width > 1 else 0), width
    return max(SEPARATORS, key=lambda s: (score(s), -SEPARATORS.index(s)))


def _header(records: list[tuple[int, int, list[str]]], mapping: Mapping, file: str) -> tuple[int, int, list[str]]:
    """The first record naming every required column (exports may open with a
    title), else the first non-empty one."""
    filled = [r for r in records if any(c.strip() for c in r[2])]
    if not filled:
        raise ImportFailed([Problem(file, "", "the file is empty: no header line")])
    return next((r for r in filled[:SNIFF_RECORDS] if mapping.matches(r[2])), filled[0])


def _trailing_column(headers: list[str], data: list[list[str]]) -> bool:
    """Dolibarr ends every line with a separator: one more, empty, field than the header."""
    widths = Counter(len(c) for c in data if c)
    return bool(widths) and widths.most_common(1)[0][0] == len(headers) + 1 and all(
        not c[-1].strip() for c in data if len(c) == len(headers) + 1)


def _line_numbers(data: bytes, offset: int, first_line: int) -> tuple[np.ndarray, int]:
    """Line number of each non-empty line from byte `offset` on, and the number of
    empty lines (pyarrow skips them). Valid when no value spans lines."""
    if data.find(b"\n\n", offset - 1) < 0 and data.find(b"\n\r\n", offset - 1) < 0:
        count = data.count(b"\n", offset) + (len(data) > offset and not data.endswith(b"\n"))
        return np.arange(first_line, first_line + count, dtype=np.int64), 0
    buf = np.frombuffer(data, np.uint8, offset=offset)
    ends = np.flatnonzero(buf == 10)
    if buf[-1] != 10:
        ends = np.append(ends, len(buf))
    starts = np.concatenate(([0], ends[:-1] + 1))
    length = ends - starts
    empty = (length == 0) | ((length == 1) & (buf[starts] == 13))
    return np.flatnonzero(~empty) + first_line, int(empty.sum())


def _scan(text: str, sep: str, first_line: int, file: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Line numbers and widths of the non-empty records, read the slow exact way:
    for values spanning lines, ragged lines and broken quoting (which pyarrow
    would silently swallow into one value)."""
    reader = csv.reader(StringIO(text, newline=""), delimiter=sep, strict=True)
    lines, widths, empty, end = [], [], 0, 0
    try:
        for cells in reader:
            if cells:
                lines.append(first_line + end)
                widths.append(len(cells))
            else:
                empty += 1
            end = reader.line_num
    except csv.Error as err:
        raise ImportFailed([Problem(file, f"line {first_line + end}",
                                    f"broken quoting ({err}); every \" opening a value must close it")]) from None
    return np.array(lines, np.int64), np.array(widths, np.int64), empty


def _ragged(text: str, sep: str, first_line: int, width: int, file: str) -> ImportFailed:
    lines, widths, _ = _scan(text, sep, first_line, file)
    bad = np.flatnonzero(widths != width)
    name = {"\t": "tab"}.get(sep, repr(sep))
    problems = [Problem(file, f"line {lines[i]}", f"expected {width} fields separated by {name}, got {widths[i]}")
                for i in bad[:MAX_SHOWN]]
    if len(bad) > MAX_SHOWN:
        problems.append(Problem(file, "", f"… and {len(bad) - MAX_SHOWN} more lines with a wrong number of fields"))
    return ImportFailed(problems)


def read_csv_table(path: Path, file: str, options: dict, mapping: Mapping) -> Table:
    raw = path.read_bytes()
    _not_text(raw, file)
    data, encoding = _decode(raw, file, options.get("encoding"))
    complete = len(data) <= SAMPLE_BYTES
    sample = data[:SAMPLE_BYTES].decode("utf-8", errors="ignore")
    sep = options.get("separator") or _sniff(sample, complete)
    records = _records(sample, sep, complete)
    first, last, headers = _header(records, mapping, file)
    notes = []
    if _trailing_column(headers, [c for s, _, c in records if s > last]):
        headers = [*headers, ""]
    if len(headers) > 1 and not headers[-1].strip():
        notes.append("lines end with a separator: the last column, without a header, is ignored")
    info = mapping.locate(headers, file, f"line {first}")
    located = info.positions
    offset = _line_end(data, last)
    wanted = sorted({i for p in located.values() for i in p})
    table, ragged = _bulk_read(data, offset, sep, len(headers), wanted, file)
    if ragged:
        raise _ragged(data[offset:].decode("utf-8"), sep, last + 1, len(headers), file)
    lines, empty = _line_numbers(data, offset, last + 1)
    if len(lines) != table.num_rows:  # a quoted value spans lines
        lines, _, empty = _scan(data[offset:].decode("utf-8"), sep, last + 1, file)
    columns = {int(name[1:]): table[name].combine_chunks() for name in table.column_names}
    detected = {"format": "csv", "encoding": encoding, "separator": sep, "sheet": None}
    return Table(headers, located, columns, lines, first, "line", empty, detected, notes, info)


def _line_end(data: bytes, line: int) -> int:
    """Byte offset just after line `line` (1-based)."""
    pos = -1
    for _ in range(line):
        pos = data.find(b"\n", pos + 1)
        if pos < 0:
            return len(data)
    return pos + 1


def _bulk_read(data: bytes, offset: int, sep: str, width: int, wanted: list[int], file: str) -> tuple[pa.Table, int]:
    """The wanted columns as text with pyarrow, and how many lines had a wrong number of fields."""
    names = [f"c{i}" for i in range(width)]
    if offset >= len(data):  # a header without a line break: pyarrow refuses empty input
        return pa.table({names[i]: pa.array([], pa.string()) for i in wanted}), 0
    ragged = []

    def on_ragged(row) -> str:
        ragged.append(row)
        return "skip"

    try:
        table = pcsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[offset:]),
            read_options=pcsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=b'"' in data,
                                            invalid_row_handler=on_ragged),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, include_columns=[names[i] for i in wanted],
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid as err:
        raise ImportFailed([Problem(file, "", f"cannot be read as CSV: {err}")]) from None
    return table, len(ragged)


def _cell_text(cell) -> str:
    """An Excel cell as the text a CSV export would hold: integers without '.0',
    leading zeros of a '00000' format kept, dates ISO, decimals with six places
    (so '12.125' is never read as twelve thousand)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.isoformat(" ", "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            digits = str(int(value))
            fmt = cell.number_format or ""
            return digits.zfill(len(fmt)) if re.fullmatch(r"0+", fmt) else digits
        return format(value, "f")
    return str(value)


def _sheet_with_header(wb, mapping: Mapping) -> str:
    """The first sheet whose opening rows hold the header (a workbook may open
    with a notes or summary sheet), else the first sheet."""
    for sheet in wb.worksheets:
        rows = sheet.iter_rows(max_row=SNIFF_RECORDS, values_only=True)
        if any(mapping.matches([str(v) for v in row if v is not None]) for row in rows):
            return sheet.title
    return wb.sheetnames[0]


def read_xlsx_table(path: Path, file: str, options: dict, mapping: Mapping) -> Table:
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        message = PROTECTED if _encrypted(path.read_bytes()) else (
            "is an old Excel .xls workbook named .xlsx; open it in Excel and save it as .xlsx")
        raise ImportFailed([Problem(file, "", message)])
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        message = "not a readable .xlsx workbook; open it in Excel and save it again"
        raise ImportFailed([Problem(file, "", message)]) from None
    try:
        for sheet in wb.worksheets:
            sheet.reset_dimensions()  # exporters often write a wrong size, which read-only mode would trust
        sheet_name = options.get("sheet") or _sheet_with_header(wb, mapping)
        if sheet_name not in wb.sheetnames:
            raise ImportFailed([Problem(file, f"sheet '{sheet_name}'",
                                        f"no such sheet; sheets: {', '.join(map(repr, wb.sheetnames))}")])
        rows = [(n, [_cell_text(c) for c in row]) for n, row in enumerate(wb[sheet_name].iter_rows(), start=1)]
    finally:
        wb.close()
    row_label = f"sheet '{sheet_name}', row"
    first, _, headers = _header([(n, n, cells) for n, cells in rows], mapping, file)
    info = mapping.locate(headers, file, f"{row_label} {first}")
    located = info.positions
    body = [(n, cells) for n, cells in rows if n > first]
    while body and not any(c.strip() for c in body[-1][1]):
        body.pop()
    filled = [(n, cells) for n, cells in body if any(c.strip() for c in cells)]
    wanted = {i for p in located.values() for i in p}
    columns = {i: pa.array([cells[i] if i < len(cells) else "" for _, cells in filled], pa.string()) for i in wanted}
    lines = np.array([n for n, _ in filled], np.int64)
    blanks = sorted({i for i in wanted for n, cells in filled if i >= len(cells) or not cells[i]})
    if blanks:
        _uncomputed_formulas(path, file, sheet_name, first, headers, blanks)
    detected = {"format": "xlsx", "encoding": None, "separator": None, "sheet": sheet_name}
    return Table(headers, located, columns, lines, first, row_label, len(body) - len(filled), detected, [], info)


def _uncomputed_formulas(path: Path, file: str, sheet: str, header_row: int, headers: list[str],
                         columns: list[int]) -> None:
    """Empty cells that hold a formula: the workbook was written by a program and
    never opened in a spreadsheet, so no result was ever computed and stored."""
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        found: dict[int, tuple[int, str]] = {}
        for n, row in enumerate(wb[sheet].iter_rows(min_row=header_row + 1), start=header_row + 1):
            for i in columns:
                if i not in found and i < len(row) and isinstance(row[i].value, str) and row[i].value.startswith("="):
                    found[i] = (n, row[i].value)
    finally:
        wb.close()
    if found:
        raise ImportFailed([Problem(file, f"sheet '{sheet}', row {n}, column '{headers[i]}'", (
            f"the column holds formulas ({formula}) whose results were never computed: open and save the "
            "file in Excel or LibreOffice, then import it again")) for i, (n, formula) in sorted(found.items())])
