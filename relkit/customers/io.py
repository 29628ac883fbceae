"""Read the client's customer and sales exports into the canonical tables.

Exports come from Shopify, HubSpot, Mailchimp, Brevo, Dolibarr, Odoo,
WooCommerce or a billing tool, as CSV/TXT (any separator, UTF-8 or cp1252)
or .xlsx. The bulk read is pyarrow's multi-threaded CSV reader with every
column as text; values are then parsed column-wise with pyarrow and numpy, so
millions of lines import in seconds and every bad value is reported with its
line number. Header names per tool live in presets.yaml.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from rapidfuzz import fuzz

from relkit.io.parsing import AMOUNT_EXAMPLE, fold, parse_bool
from relkit.io.problems import Problem, ValidationFailed
from relkit.io.resources import load_yaml
from relkit.customers import CUSTOMER_FIELDS, TRANSACTION_FIELDS

Kind = Literal["customers", "transactions"]

PRESETS_FILE = Path(__file__).with_name("presets.yaml")
DEFAULT_PRESET = {"customers": "generic_customers", "transactions": "generic_billing"}
FIELDS = {"customers": CUSTOMER_FIELDS, "transactions": TRANSACTION_FIELDS}
REQUIRED = {"customers": ("customer_id",), "transactions": ("customer_id", "date", "amount")}
PSEUDO_FIELDS = ("opt_out_email", "opt_out_sms", "unsubscribed_at", "status")
DATE_FIELDS = frozenset({"birth_date", "created_at", "last_contact_at", "date"})
FLAG_FIELDS = frozenset({"opt_in_email", "opt_in_sms", "opt_out_email", "opt_out_sms"})
NUMBER_FIELDS = frozenset({"amount", "quantity"})
# Excel users and Shopify prefix these with ' to keep them as text.
APOSTROPHE_FIELDS = frozenset({"customer_id", "phone", "postal_code", "order_id"})
OPTIONS = ("encoding", "separator", "decimal", "date_format", "sheet")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252 (cp1252)"}
SEPARATORS = (";", "\t", ",", "|")  # preference order when sniffing is a tie
SNIFF_RECORDS = 30
SAMPLE_BYTES = 1 << 16
MAX_SHOWN = 5  # offending lines listed per column before "… and N more lines"
EMPTY_LINE = "empty line"
NO_ID = "no customer id"

STR = pd.StringDtype(na_value=np.nan)  # pandas' default "str"
DATETIME = "datetime64[us]"
DTYPES = {
    **{f: STR for f in CUSTOMER_FIELDS + TRANSACTION_FIELDS},
    **{f: DATETIME for f in DATE_FIELDS},
    **{f: "boolean" for f in FLAG_FIELDS},
    **{f: "float64" for f in NUMBER_FIELDS},
    "source_line": "int64",
}
ARROW_TYPES = {STR: pa.string(), DATETIME: pa.timestamp("us"), "boolean": pa.bool_(), "float64": pa.float64()}


# ------------------------------------------------------------------ public types
@dataclass(frozen=True)
class SourceSpec:
    """One declared export (engagement.yaml, customer_data.customers/transactions)."""

    kind: Kind
    file: Path  # already resolved against the engagement folder
    preset: str | None = None  # None: generic_customers / generic_billing
    columns: dict[str, str] = field(default_factory=dict)  # relkit field -> header, overrides the preset
    options: dict = field(default_factory=dict)  # encoding, separator, decimal, date_format, sheet
    currency: str | None = None  # ISO code of the engagement; amounts in another currency are problems


@dataclass
class Imported:
    """The canonical table and what was detected on the way, to show the consultant."""

    frame: pd.DataFrame
    detected: dict


class ImportFailed(ValidationFailed):
    """An export could not be read; carries every problem found."""


# ------------------------------------------------------------------ presets
@dataclass(frozen=True)
class Preset:
    """How one tool names its columns, and its quirks (see presets.yaml)."""

    name: str
    kind: Kind
    columns: dict[str, tuple[tuple[str, ...], ...]]  # field -> parts -> accepted headers
    skip_status: dict[str, frozenset[str]] = field(default_factory=dict)  # reason -> folded statuses
    guest_ids: tuple[str, ...] = ()
    defaults: dict = field(default_factory=dict)
    order_total_repeated: bool = False
    order_fields_first_line: bool = False
    amount_basis: str | None = None
    id_fallback: tuple[tuple[str, ...], ...] = ()
    notes: str = ""


def _parts(spec) -> tuple[tuple[str, ...], ...]:
    """['A', 'B'] is one column known as A or B; [['A'], ['B']] is two columns."""
    spec = [spec] if isinstance(spec, str) else spec
    if all(isinstance(s, list) for s in spec):
        return tuple(tuple(s) for s in spec)
    return (tuple(spec),)


@functools.cache
def presets() -> dict[str, Preset]:
    """The presets of presets.yaml, checked once."""
    out = {}
    for name, raw in load_yaml(PRESETS_FILE).items():
        preset = Preset(
            name=name,
            kind=raw["kind"],
            columns={f: _parts(headers) for f, headers in raw["columns"].items()},
            skip_status={reason: frozenset(map(fold, v)) for reason, v in raw.get("skip_status", {}).items()},
            guest_ids=tuple(raw.get("guest_ids", ())),
            defaults=raw.get("defaults", {}),
            order_total_repeated=raw.get("order_total_repeated", False),
            order_fields_first_line=raw.get("order_fields_first_line", False),
            amount_basis=raw.get("amount_basis"),
            id_fallback=_parts(raw["id_fallback"]) if "id_fallback" in raw else (),
            notes=raw.get("notes", ""),
        )
        unknown = set(preset.columns) - set(FIELDS[preset.kind]) - set(PSEUDO_FIELDS)
        if unknown:
            raise ValueError(f"{PRESETS_FILE.name}: preset {name} maps unknown fields {sorted(unknown)}")
        out[name] = preset
    return out


# ------------------------------------------------------------------ column mapping
# Currency words a header may carry as a unit: "Montant TTC (€)", "Total HT en €", "Prix (EUR)".
_CURRENCY_WORDS = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "usd": "USD", "us$": "USD",
                   "£": "GBP", "gbp": "GBP", "chf": "CHF", "cad": "CAD", "¥": "JPY", "jpy": "JPY"}
_HEADER_UNIT = re.compile(r"(?<!\w)(?:en\s+|in\s+)?(us\$|€|\$|£|¥|euros?|eur|usd|gbp|chf|cad|jpy)(?!\w)")
_HEADER_PUNCT = re.compile(r"[()\[\]_:*]")
_AMOUNT_NET = re.compile(r"(?<!\w)(?:ht|hors taxes?|net|excl\.? tax|excluding tax|before tax)(?!\w)")
_AMOUNT_GROSS = re.compile(r"(?<!\w)(?:ttc|toutes taxes comprises|incl\.? tax|including tax|gross)(?!\w)")
# Words that make a header a plausible home for a required field (for the fix in the message).
_HINTS = {
    "customer_id": {"client", "clients", "customer", "code", "id", "ref", "ref.", "tiers", "compte", "numero", "n°", "no"},
    "date": {"date", "jour", "le", "day", "created", "cree", "emission", "piece"},
    "amount": {"montant", "prix", "total", "price", "amount", "ca", "ttc", "ht", "valeur", "somme", "spend", "net",
               "brut", "chiffre", "revenue"},
}


@functools.lru_cache(maxsize=4096)
def _header_key(header: str) -> str:
    """The key a header is matched on: relkit.io.parsing.fold (case, accents,
    spaces) plus what exports add around a name: a currency unit ('(€)',
    'en €', '(EUR)'), brackets, underscores, a trailing ':' or '*'."""
    text = _HEADER_UNIT.sub(" ", fold(str(header).replace("\ufeff", "")))
    return " ".join(_HEADER_PUNCT.sub(" ", text).split())


def _header_currency(header: str) -> str | None:
    """The ISO currency a header names as its unit ('Total (USD)' -> 'USD'), if any."""
    found = _HEADER_UNIT.search(fold(str(header)))
    return _CURRENCY_WORDS.get(found.group(1)) if found else None


def _basis(header: str) -> str | None:
    """'HT' for a net (before VAT) amount header, 'TTC' for a gross one, None if it does not say."""
    key = _header_key(header)
    if _AMOUNT_NET.search(key):
        return "HT"
    if _AMOUNT_GROSS.search(key):
        return "TTC"
    return None


@dataclass
class Located:
    """Where each field's columns are, and what the consultant should know about it."""

    positions: dict[str, list[int]]
    notes: list[str]
    amount_basis: str | None
    unused: list[str]


@dataclass(frozen=True)
class Mapping:
    """Which headers each field accepts for this source: the preset, then the engagement's overrides."""

    kind: Kind
    parts: dict[str, tuple[tuple[str, ...], ...]]
    declared: frozenset = frozenset()  # fields the engagement named a column for
    fallback: dict = field(default_factory=dict)  # field -> parts used when none of its headers is there
    amount_basis: str | None = None  # the preset's, when the amount header does not say HT or TTC

    def _accepted(self, f: str) -> list[tuple[tuple[str, ...], ...]]:
        return [self.parts[f], *([self.fallback[f]] if f in self.fallback else [])]

    def matches(self, cells: list[str]) -> bool:
        """A header row holds a column for every required field."""
        found = {_header_key(c) for c in cells}
        return all(any(_header_key(h) in found for parts in self._accepted(f) for part in parts for h in part)
                   for f in REQUIRED[self.kind])

    def locate(self, headers: list[str], file: str, where: str) -> Located:
        """Field -> positions of its columns; every missing required column and
        every ambiguous (duplicated) header is a problem."""
        position, duplicates = {}, {}
        for i, h in enumerate(headers):
            key = _header_key(h)
            if not key:
                continue
            if key in position:
                duplicates.setdefault(key, [position[key]]).append(i)
            else:
                position[key] = i
        positions, notes, missing = {}, [], []
        for f, parts in self.parts.items():
            found = [self._pick(f, part, position) for part in parts]
            if any(p is not None for p in found):
                positions[f] = [p for p in found if p is not None]
            elif f in self.fallback:
                found = [self._pick(f, part, position) for part in self.fallback[f]]
                if any(p is not None for p in found):
                    positions[f] = [p for p in found if p is not None]
                    used = " else ".join(repr(headers[p]) for p in positions[f])
                    notes.append(f"no {f} column: {used} used as the {f} (stable per customer)")
            if f not in positions and f in REQUIRED[self.kind]:
                missing.append(f)
        used = {p for ps in positions.values() for p in ps}
        problems = [self._missing(f, headers, used, file, where) for f in missing]
        for f, ps in positions.items():
            for p in ps:
                if (key := _header_key(headers[p])) in duplicates:
                    columns = " and ".join(str(i + 1) for i in duplicates[key])
                    problems.append(Problem(file, f"{where}, column '{headers[p]}'", (
                        f"columns {columns} have the same header, read as {f}: relkit cannot tell which one "
                        "to use; rename or delete the other ones in the file")))
        if problems:
            raise ImportFailed(problems)
        basis = None
        if "amount" in positions:
            chosen = headers[positions["amount"][0]]
            basis = _basis(chosen) or self.amount_basis
            accepted = [position[_header_key(h)] for part in self.parts["amount"] for h in part
                        if _header_key(h) in position]
            others = [headers[i] for i in [*accepted, *position.values()] if i not in used and _basis(headers[i]) == "TTC"]
            if basis == "HT" and others and "amount" not in self.declared:
                notes.append(f"amounts read before VAT (HT) from {chosen!r}; to read {others[0]!r} instead, add "
                             f"to engagement.yaml under customer_data.{self.kind}: columns: {{amount: \"{others[0]}\"}}")
        unused = [h for i, h in enumerate(headers) if h.strip() and i not in used]
        return Located(positions, notes, basis, unused)

    def _pick(self, f: str, part: tuple[str, ...], position: dict[str, int]) -> int | None:
        """The first accepted header present; for the amount, a net (HT) one
        before a gross (TTC) one whatever the preset order."""
        present = [position[_header_key(h)] for h in part if _header_key(h) in position]
        if not present:
            return None
        if f == "amount" and f not in self.declared:
            net = [p for p, h in zip(present, [h for h in part if _header_key(h) in position]) if _basis(h) == "HT"]
            return (net or present)[0]
        return present[0]

    def _missing(self, f: str, headers: list[str], used: set[int], file: str, where: str) -> Problem:
        """No column for a required field: what was expected, what is there, and the YAML line that fixes it."""
        names = [repr(h) for h in self.parts[f][0]]
        expected = names[0] if len(names) == 1 else f"one of {', '.join(names)}"
        columns = ", ".join(repr(h) for h in headers if h.strip()) or "none"
        free = [h for i, h in enumerate(headers) if h.strip() and i not in used]
        guess = _plausible(f, free, [h for parts in self._accepted(f) for part in parts for h in part])
        section = f"engagement.yaml under customer_data.{self.kind}"
        if guess:
            fix = f"if {guess!r} holds it, add to {section}: columns: {{{f}: \"{guess}\"}}"
        else:
            fix = f"add to {section}: columns: {{{f}: \"<header of the column holding it>\"}}"
        return Problem(file, where, f"no column for {f}: expected {expected}; columns found: {columns}; {fix}")


def _plausible(f: str, headers: list[str], accepted: list[str]) -> str | None:
    """The header most likely to hold field f: fuzzy likeness to the accepted
    names (rapidfuzz), a telling word ('prix', 'client'), or a currency unit for amounts."""
    best, best_score = None, 0.0
    for h in headers:
        key = _header_key(h)
        score = max((fuzz.token_set_ratio(key, _header_key(a)) for a in accepted), default=0.0)
        if set(key.split()) & _HINTS.get(f, set()):
            score = max(score, 90.0)
        if f == "amount" and _header_currency(h):
            score = max(score, 95.0)
        if score > best_score:
            best, best_score = h, score
    return best if best_score >= 70 else None


def _spec_problems(spec: SourceSpec, file: str) -> list[Problem]:
    """Everything wrong with the declaration itself, before the file is opened."""
    name = spec.preset or DEFAULT_PRESET[spec.kind]
    problems = []
    if name not in presets():
        known = ", ".join(sorted(presets()))
        problems.append(Problem(file, f"preset '{name}'", f"unknown preset; expected one of {known}"))
    elif (kind := presets()[name].kind) != spec.kind:
        problems.append(Problem(file, f"preset '{name}'", f"is a {kind} preset, declared for {spec.kind}"))
    known = FIELDS[spec.kind] + PSEUDO_FIELDS
    problems += [Problem(file, f"columns '{f}'", f"unknown relkit field; expected one of {', '.join(known)}")
                 for f in spec.columns if f not in known]
    return problems + _option_problems(spec.options, file)


def _option_problems(options: dict, file: str) -> list[Problem]:
    problems = [Problem(file, f"option '{k}'", f"unknown option; expected one of {', '.join(OPTIONS)}")
                for k in options if k not in OPTIONS]
    if "decimal" in options and options["decimal"] not in (",", "."):
        problems.append(Problem(file, "option 'decimal'", f"expected ',' or '.', got {options['decimal']!r}"))
    if "separator" in options and len(str(options["separator"])) != 1:
        problems.append(Problem(file, "option 'separator'", f"expected one character, got {options['separator']!r}"))
    if "encoding" in options:
        try:
            codecs.lookup(options["encoding"])
        except LookupError:
            problems.append(Problem(file, "option 'encoding'", f"unknown encoding {options['encoding']!r}"))
    if "date_format" in options and _order_of(options["date_format"]) is None:
        got = options["date_format"]
        problems.append(Problem(file, "option 'date_format'", f"expected %d, %m and %Y, e.g. '%d/%m/%Y', got {got!r}"))
    return problems


def _file_problems(path: Path, file: str) -> list[Problem]:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return [Problem(file, "", "old Excel .xls files are not supported; save it as .xlsx or 'CSV UTF-8'")]
    if suffix not in (".csv", ".txt", ".xlsx"):
        return [Problem(file, "", f"expected a .csv, .txt or .xlsx file, got '{path.suffix}'")]
    if not path.is_file():
        return [Problem(file, "", "file not found")]
    return []


# ------------------------------------------------------------------ the file as text
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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
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


def _read_csv(path: Path, file: str, options: dict, mapping: Mapping) -> Table:
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


def _read_xlsx(path: Path, file: str, options: dict, mapping: Mapping) -> Table:
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


# ------------------------------------------------------------------ values
@dataclass
class Parsed:
    """One source column parsed: values, the rows that failed, what was expected."""

    values: pa.Array
    bad: np.ndarray
    expected: str = ""
    detail: str | None = None  # the date format or decimal mark found, for `detected`


def _text(arr: pa.Array, strip_apostrophe: bool) -> pa.Array:
    """Trimmed text, empty cells as nulls."""
    arr = pc.utf8_trim_whitespace(arr)
    if strip_apostrophe and pc.any(pc.starts_with(arr, "'")).as_py():
        arr = pc.if_else(pc.starts_with(arr, "'"), pc.utf8_slice_codeunits(arr, 1), arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _mask(arr) -> np.ndarray:
    """An Arrow boolean array as a numpy mask, nulls as False."""
    return np.asarray(pc.fill_null(arr, False), dtype=bool)


# Thousands spaces (incl. U+00A0/U+202F), currency, "HT/TTC".
_NOISE = r"[\s\x{00a0}\x{202f}\x{2009}']|€|\$|£|(?i:eur(?:os?)?|chf|ttc|ht)"
_COMMA_DECIMAL = r"^[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$"  # 1.250,50  1250,5  1250
_DOT_DECIMAL = r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$"  # 1,250.50  1250.5  1250


def _numbers(text: pa.Array, forced: str | None) -> tuple[pa.Array, pa.Array, str | None]:
    """Amounts as typed: '1 250,50 €', '1.250,50', '1,250.50', '-45'. A value is
    read with the decimal mark it can only have; ambiguous ones ('1,250') follow
    the column's majority, else the decimal comma. Returns values, validity and
    the decimal mark (None for whole numbers)."""
    whole = _whole_numbers(text)
    if whole is None:
        text = pc.replace_substring(pc.replace_substring_regex(text, _NOISE, ""), "\u2212", "-")
        whole = _whole_numbers(text)
    if whole is not None:
        return whole, pc.is_valid(whole), forced
    comma = pc.match_substring_regex(text, _COMMA_DECIMAL)
    if forced == "," or (forced is None and pc.all(comma).as_py()):  # the French case: one regex
        return _decimal(text, comma, ","), comma, ","
    dot = pc.match_substring_regex(text, _DOT_DECIMAL)
    if forced == ".":
        return _decimal(text, dot, "."), dot, "."
    only_comma, only_dot = (pc.sum(pc.and_not(x, y)).as_py() or 0 for x, y in ((comma, dot), (dot, comma)))
    decimal = "." if only_dot > only_comma else ","
    use_comma = pc.and_(comma, pc.or_(pc.invert(dot), pa.scalar(decimal == ",")))
    values = pc.if_else(use_comma, _decimal(text, comma, ","), _decimal(text, dot, "."))
    return values, pc.or_(comma, dot), decimal


def _decimal(clean: pa.Array, valid: pa.Array, mark: str) -> pa.Array:
    """Numbers written with this decimal mark (the other one groups thousands); others null."""
    other = "." if mark == "," else ","
    text = pc.replace_substring(clean, other, "")
    if mark == ",":
        text = pc.replace_substring(text, ",", ".")
    return pc.cast(pc.if_else(valid, text, pa.scalar(None, pa.string())), pa.float64())


def _whole_numbers(clean: pa.Array) -> pa.Array | None:
    """A column of whole numbers (quantities) cast directly, saving the regexes;
    None when some value has a decimal mark or is not an integer ('nan', '1e5', '12 €')."""
    if any(pc.any(pc.match_substring(clean, mark)).as_py() for mark in ",."):
        return None
    try:
        return pc.cast(pc.cast(clean, pa.int64()), pa.float64())
    except pa.ArrowInvalid:
        return None


def _parse_numbers(text: pa.Array, forced: str | None, required: bool) -> Parsed:
    values, valid, decimal = _numbers(text, forced)
    bad = ~_mask(valid) & (_mask(pc.is_valid(text)) | required)
    return Parsed(values, bad, AMOUNT_EXAMPLE, decimal)


_DAY = r"^(?P<a>\d{4}|\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})[/.-](?P<c>\d{4}|\d{1,2})"
_TIME = (r"(?:(?:\s+|T)(?P<H>\d{1,2})[:hH](?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
         r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?")
_HUMAN = {"dmy": "dd/mm/yyyy", "mdy": "mm/dd/yyyy", "ymd": "yyyy-mm-dd"}


def _order_of(date_format: str) -> str | None:
    """'%d/%m/%Y' -> 'dmy': the day/month order a date_format option fixes."""
    pos = {"d": date_format.find("%d"), "m": date_format.find("%m"), "y": date_format.find("%Y")}
    return None if min(pos.values()) < 0 else "".join(sorted(pos, key=pos.get))


@dataclass
class DateParts:
    """The numbers of a column's dates (0 where absent) and their layout."""

    a: np.ndarray  # year (ISO), else day or month
    b: np.ndarray
    c: np.ndarray
    hour: np.ndarray
    minute: np.ndarray
    second: np.ndarray
    iso: np.ndarray  # rows written yyyy-mm-dd
    slash: np.ndarray  # rows written dd/mm/yyyy or mm/dd/yyyy (any of / - .)
    sep: str = "/"
    timed: bool = False
    seconds: bool = False

    @property
    def style(self) -> str | None:
        """'ymd' or 'slash': how most dates of the column are written, None if none is."""
        if not (self.iso.any() or self.slash.any()):
            return None
        return "ymd" if self.iso.sum() >= self.slash.sum() else "slash"


def _ints(digits: pa.Array) -> np.ndarray:
    """Digit strings as int64, '' (an absent part) as 0."""
    return np.asarray(pc.cast(pc.binary_join_element_wise("0", digits, ""), pa.int64()))


def _date_parts(text: pa.Array) -> DateParts:
    return _fixed_date_parts(text) or _matched_date_parts(text)


def _fixed_date_parts(text: pa.Array) -> DateParts | None:
    """Every date written dd/mm/yyyy with two-digit days and months (the bulk
    billing case): sliced, three times faster than the regex; else None."""
    present = pc.drop_null(text)
    if not len(present) or pc.min_max(pc.utf8_length(present)).as_py() != {"min": 10, "max": 10}:
        return None
    seps = pc.unique(pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(present, 2, 3), pc.utf8_slice_codeunits(present, 5, 6), "")).to_pylist()
    if seps not in (["//"], ["--"], [".."]):
        return None
    try:
        a, b, c = (np.asarray(pc.fill_null(pc.cast(pc.utf8_slice_codeunits(text, i, j), pa.int64()), 0))
                   for i, j in ((0, 2), (3, 5), (6, 10)))
    except pa.ArrowInvalid:
        return None
    zeros = np.zeros(len(text), np.int64)
    return DateParts(a, b, c, zeros, zeros, zeros, iso=zeros.astype(bool), slash=_mask(pc.is_valid(text)),
                     sep=seps[0][0])


def _matched_date_parts(text: pa.Array) -> DateParts:
    """Dates of any supported layout, by regex; bare-date columns skip the time
    pattern, which doubles its cost."""
    timed = (pc.max(pc.utf8_length(text)).as_py() or 0) > len("31/12/2024")
    parts = pc.extract_regex(text, _DAY + (_TIME if timed else "") + "$")
    zeros = np.zeros(len(text), np.int64)
    hour, minute, second = (_ints(parts.field(k)) if timed else zeros for k in ("H", "M", "S"))
    a_len, c_len = (np.asarray(pc.utf8_length(parts.field(k))) for k in ("a", "c"))
    seps = pc.drop_null(pc.struct_field(parts, "sep"))
    return DateParts(
        _ints(parts.field("a")), _ints(parts.field("b")), _ints(parts.field("c")), hour, minute, second,
        iso=(a_len == 4) & (c_len <= 2), slash=(a_len <= 2) & (a_len > 0) & (c_len == 4),
        sep=seps[0].as_py() if len(seps) else "/",
        timed=timed and bool(pc.any(pc.greater(pc.utf8_length(parts.field("H")), 0)).as_py()),
        seconds=timed and bool(pc.any(pc.greater(pc.utf8_length(parts.field("S")), 0)).as_py()),
    )


def _day_first(parts: DateParts) -> bool | None:
    """dd/mm when a first number exceeds 12, mm/dd when a second does, None if no value tells."""
    if (parts.a[parts.slash] > 12).any():
        return True
    if (parts.b[parts.slash] > 12).any():
        return False
    return None


def _timestamps(parts: DateParts, day_first: bool) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[us] from the parts, and which rows make a real date and time."""
    iso = parts.iso
    year = np.where(iso, parts.a, parts.c)
    month = np.where(iso, parts.b, parts.b if day_first else parts.a)
    day = np.where(iso, parts.c, parts.a if day_first else parts.b)
    ok = (iso | parts.slash) & (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1000)
    month_start = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    days = month_start.astype("datetime64[D]") + (day - 1)
    ok &= days < (month_start + 1).astype("datetime64[D]")  # no 31/02
    stamps = days.astype("datetime64[us]")
    if parts.timed:
        ok &= (parts.hour < 24) & (parts.minute < 60) & (parts.second < 60)
        stamps += (parts.hour * 3600 + parts.minute * 60 + parts.second).astype("timedelta64[s]")
    return stamps, ok


def _date_format(parts: DateParts, day_first: bool) -> str | None:
    """strftime-style description of the column's dominant date style, for `detected`."""
    if parts.style is None:
        return None
    order = ["%d", "%m", "%Y"] if day_first else ["%m", "%d", "%Y"]
    date = "%Y-%m-%d" if parts.style == "ymd" else parts.sep.join(order)
    if parts.seconds:
        return f"{date} %H:%M:%S"
    return f"{date} %H:%M" if parts.timed else date


def _parse_dates(text: pa.Array, parts: DateParts, day_first: bool, required: bool) -> Parsed:
    stamps, ok = _timestamps(parts, day_first)
    present = _mask(pc.is_valid(text))
    order = "ymd" if parts.style == "ymd" else ("dmy" if day_first else "mdy")
    values = pa.array(stamps, pa.timestamp("us"), mask=~ok)
    return Parsed(values, ~ok & (present | required), f"a date as {_HUMAN[order]}", _date_format(parts, day_first))


_FLAG_EXPECTED = "yes/no, oui/non, true/false or 1/0"


def _parse_flags(text: pa.Array) -> Parsed:
    """yes/no, oui/non, true/false, 1/0 (relkit.io.parsing.parse_bool), decided once per distinct value."""
    keys = pc.utf8_lower(text)
    truth = {}
    for key in pc.unique(pc.drop_null(keys)).to_pylist():
        try:
            truth[key] = parse_bool(key)
        except ValueError:
            pass
    yes = pa.array([k for k, v in truth.items() if v], pa.string())
    no = pa.array([k for k, v in truth.items() if not v], pa.string())
    values = pc.if_else(pc.is_in(keys, yes), True,
                        pc.if_else(pc.is_in(keys, no), False, pa.scalar(None, pa.bool_())))
    return Parsed(values, _mask(pc.is_valid(text)) & ~_mask(pc.is_valid(values)), _FLAG_EXPECTED)


def _bad_values(file: str, row_label: str, header: str, lines: np.ndarray, raw: pa.Array,
                parsed: Parsed) -> list[Problem]:
    """The first offending lines of a column, then how many more."""
    rows = np.flatnonzero(parsed.bad)
    shown = raw.take(pa.array(rows[:MAX_SHOWN])).to_pylist()
    problems = [Problem(file, f"{row_label} {lines[r]}, column '{header}'",
                        f"expected {parsed.expected}, got {(v or '').strip()!r}")
                for r, v in zip(rows, shown)]
    if len(rows) > MAX_SHOWN:
        problems.append(Problem(file, f"column '{header}'", f"… and {len(rows) - MAX_SHOWN} more lines"))
    return problems


# ------------------------------------------------------------------ rows to keep
def _texts(table: Table, preset: Preset) -> dict[str, list[pa.Array]]:
    """Trimmed text of each located column, by field; guest ids as nulls."""
    texts = {f: [_text(table.columns[i], f in APOSTROPHE_FIELDS) for i in positions]
             for f, positions in table.located.items()}
    texts["customer_id"] = [_guest_free(t, preset) for t in texts["customer_id"]]
    if preset.order_fields_first_line and "order_id" in texts:
        _fill_from_first_line(texts)
    return texts


def _fill_from_first_line(texts: dict[str, list[pa.Array]]) -> None:
    """Shopify writes an order's date, status and total on its first line only:
    the later lines of an order take its first line's date and status, and an
    empty amount there is 0 (the total is counted once)."""
    codes, _ = pd.factorize(pc.coalesce(*texts["order_id"]).to_pandas())
    grouped = codes >= 0
    later = pd.Series(codes).duplicated().to_numpy() & grouped
    if not later.any():
        return
    for f in ("date", "status", "customer_id"):
        filled = []
        for text in texts.get(f, []):
            values = text.to_pandas()
            first = values.groupby(codes).transform("first")
            filled.append(pa.array(values.where(values.notna() | ~grouped, first), pa.string()))
        if filled:
            texts[f] = filled
    texts["amount"] = [pc.if_else(pc.and_(pc.is_null(t), pa.array(later)), "0", t) for t in texts["amount"]]


def _guest_free(ids: pa.Array, preset: Preset) -> pa.Array:
    """Guest ids ('0' in WooCommerce) as nulls, so the billing e-mail stands in."""
    if not preset.guest_ids:
        return ids
    return pc.if_else(pc.is_in(ids, pa.array(preset.guest_ids)), pa.scalar(None, pa.string()), ids)


def _skips(texts: dict[str, list[pa.Array]], preset: Preset, n: int) -> tuple[np.ndarray, Counter]:
    """Rows to keep, and why the others were left out (the first reason that applies)."""
    reasons = {
        EMPTY_LINE: ~np.any([_mask(pc.is_valid(t)) for ts in texts.values() for t in ts], axis=0),
        NO_ID: ~_mask(pc.is_valid(pc.coalesce(*texts["customer_id"]))),
    }
    if "status" in texts:
        status = texts["status"][0]
        statuses = pc.drop_null(pc.unique(status)).to_pylist()
        for reason, folded in preset.skip_status.items():
            matching = pa.array([s for s in statuses if fold(s) in folded], pa.string())
            reasons[f"order status {reason}"] = _mask(pc.is_in(status, matching))
    left, skipped = np.zeros(n, bool), Counter()
    for reason, rows in reasons.items():
        skipped[reason] = int((rows & ~left).sum())
        left |= rows
    return ~left, +skipped


# ------------------------------------------------------------------ assembly
def _combine(f: str, values: list[pa.Array]) -> pa.Array:
    """Several source columns of one field: street lines joined, else the first filled."""
    if len(values) == 1:
        return values[0]
    if f != "address":
        return pc.coalesce(*values)
    joined = values[0]
    for line in values[1:]:  # pairwise: pyarrow 26's null_handling="skip" drops all-null rows
        joined = pc.coalesce(pc.binary_join_element_wise(joined, line, ", "), joined, line)
    return joined


def _opt_ins(fields: dict[str, pa.Array], preset: Preset, n: int) -> None:
    """Opt-outs and unsubscribe times turned into the canonical opt-ins; preset defaults last."""
    for channel in ("email", "sms"):
        opt_in, opt_out = f"opt_in_{channel}", f"opt_out_{channel}"
        if opt_out in fields:
            fields[opt_in] = pc.coalesce(fields.get(opt_in, pa.nulls(n, pa.bool_())), pc.invert(fields.pop(opt_out)))
    if "unsubscribed_at" in fields:
        gone = pc.is_valid(fields.pop("unsubscribed_at"))
        fields["opt_in_email"] = pc.if_else(gone, False, fields.get("opt_in_email", pa.nulls(n, pa.bool_())))
    for f, value in preset.defaults.items():
        fields[f] = pc.fill_null(fields.get(f, pa.nulls(n, ARROW_TYPES[DTYPES[f]])), value)


def _one_total_per_order(fields: dict[str, pa.Array]) -> int:
    """WooCommerce item lines repeat the order total: keep it on the first line only."""
    if "order_id" not in fields:
        return 0
    keys = pd.DataFrame({"c": fields["customer_id"].to_pandas(), "o": fields["order_id"].to_pandas()})
    repeated = (keys.duplicated() & keys["o"].notna()).to_numpy()
    fields["amount"] = pc.if_else(pa.array(repeated), 0.0, fields["amount"])
    return int(repeated.sum())


def _frame(kind: Kind, fields: dict[str, pa.Array], lines: np.ndarray) -> pd.DataFrame:
    """The canonical table: every field in order with its dtype, absent ones empty."""
    columns = {}
    for f in FIELDS[kind]:
        dtype = DTYPES[f]
        arr = fields.get(f, pa.nulls(len(lines), ARROW_TYPES[dtype]))
        columns[f] = arr.to_pandas().astype(dtype)
    columns["source_line"] = pd.Series(lines, dtype="int64")
    return pd.DataFrame(columns, copy=False)


def _kept(arr: pa.Array, rows: pa.BooleanArray) -> pa.Array:
    """The kept rows of a column, without copying when every row is kept."""
    return arr if rows.false_count == 0 else pc.filter(arr, rows)


def _parse(f: str, text: pa.Array, parts: DateParts | None, day_first: bool, required: bool, options: dict) -> Parsed:
    """One source column parsed by the type of its field."""
    if f in DATE_FIELDS:
        return _parse_dates(text, parts, day_first, required)
    if f in NUMBER_FIELDS:
        return _parse_numbers(text, options.get("decimal"), required)
    if f in FLAG_FIELDS:
        return _parse_flags(text)
    return Parsed(text, np.zeros(len(text), bool))


def _build(kind: Kind, table: Table, preset: Preset, options: dict, file: str, currency: str | None = None) -> Imported:
    """Skip, parse, check and assemble the rows of a read table."""
    texts = _texts(table, preset)
    keep, skipped = _skips(texts, preset, len(table.lines))
    if not keep.any():
        why = ", ".join(f"{reason}: {n}" for reason, n in sorted(skipped.items()))
        header = f"{table.row_label} {table.header_line}"
        raise ImportFailed([Problem(file, "", f"every line was skipped ({why})" if why
                                    else f"no data rows under the header ({header})")])
    skipped[EMPTY_LINE] += table.empty_lines
    rows = pa.array(keep)
    texts = {f: [_kept(t, rows) for t in ts] for f, ts in texts.items()}
    fields, found = _parse_fields(kind, table, texts, rows, options, file, currency)
    lines = table.lines[keep]
    if kind == "customers":
        _opt_ins(fields, preset, len(lines))
    elif preset.order_total_repeated and (n := _one_total_per_order(fields)):
        found["notes"].append(f"order total repeated on item lines: counted once per order ({n} line(s) set to 0)")
    detected = {
        **table.detected,
        "header_line": table.header_line,
        "columns": {f: " + ".join(table.headers[i] for i in p) for f, p in table.located.items()},
        "decimal": found["decimal"],
        "date_format": _main_date_format(found["date_formats"]),
        "date_formats": found["date_formats"],
        "rows_read": len(table.lines) + table.empty_lines,
        "rows_skipped": dict(sorted((+skipped).items())),
        "notes": table.notes + table.info.notes + found["notes"],
        "amount_basis": table.info.amount_basis,
        "unused_columns": table.info.unused,
    }
    return Imported(_frame(kind, fields, lines), detected)


def _main_date_format(formats: dict[str, str]) -> str | None:
    """The format of the sale or creation dates, for a one-line summary."""
    return formats.get("date") or formats.get("created_at") or next(iter(formats.values()), None)


def _parse_fields(kind: Kind, table: Table, texts: dict[str, list[pa.Array]], rows: pa.BooleanArray, options: dict,
                  file: str, currency: str | None = None) -> tuple[dict[str, pa.Array], dict]:
    """Every kept column parsed by the type of its field, and what was found
    (decimal mark, date formats, notes); every bad value is a problem."""
    date_parts = {(f, i): _date_parts(t) for f, ts in texts.items() if f in DATE_FIELDS for i, t in enumerate(ts)}
    day_first, notes = _file_day_first(list(date_parts.values()), options)
    lines = table.lines[np.asarray(rows)]
    fields, problems, found = {}, [], {"decimal": None, "date_formats": {}, "notes": notes}
    for f, ts in texts.items():
        required = f in REQUIRED[kind] and f != "customer_id"  # lines without an id are skipped
        values = []
        for i, (position, text) in enumerate(zip(table.located[f], ts)):
            parsed = _parse(f, text, date_parts.get((f, i)), day_first, required, options)
            if f == "amount" and currency:
                header = table.headers[position]
                problems += _currency_problems(file, table, header, lines, text, parsed, currency.upper())
            if parsed.bad.any():
                raw = _kept(table.columns[position], rows)
                problems += _bad_values(file, table.row_label, table.headers[position], lines, raw, parsed)
            if f in DATE_FIELDS and parsed.detail:
                found["date_formats"].setdefault(f, parsed.detail)
            elif f in NUMBER_FIELDS:
                found["decimal"] = found["decimal"] or parsed.detail
            values.append(parsed.values)
        fields[f] = _combine(f, values)
    if problems:
        raise ImportFailed(problems)
    return fields, found


_VALUE_CURRENCY = r"(?P<c>us\$|€|\$|£|¥|\b(?:euros?|eur|usd|gbp|chf|cad|jpy)\b)"


def _currency_problems(file: str, table: Table, header: str, lines: np.ndarray, text: pa.Array, parsed: Parsed,
                       currency: str) -> list[Problem]:
    """Amounts written in another currency than the engagement's (a sign or code
    in the cells, or the header's unit): one problem per line, capped; those
    cells are not also reported as bad numbers."""
    problems = []
    unit = _header_currency(header)
    if unit and unit != currency:
        problems.append(Problem(file, f"{table.row_label} {table.header_line}, column '{header}'", (
            f"the header gives amounts in {unit} while the engagement's currency is {currency}: "
            f"convert them to {currency} or declare the engagement's currency")))
    tokens = pc.struct_field(pc.extract_regex(pc.utf8_lower(text), _VALUE_CURRENCY), "c")
    foreign = [t for t in pc.unique(pc.drop_null(tokens)).to_pylist() if _CURRENCY_WORDS.get(t, currency) != currency]
    if not foreign:
        return problems
    rows = np.flatnonzero(_mask(pc.is_in(tokens, pa.array(foreign, pa.string()))))
    parsed.bad[rows] = False
    shown = zip(rows[:MAX_SHOWN], text.take(pa.array(rows[:MAX_SHOWN])).to_pylist(),
                tokens.take(pa.array(rows[:MAX_SHOWN])).to_pylist())
    problems += [Problem(file, f"{table.row_label} {lines[r]}, column '{header}'", (
        f"amount in {_CURRENCY_WORDS[t]} ({v!r}) while the engagement's currency is {currency}: "
        f"convert it to {currency} or check the export's currency")) for r, v, t in shown]
    if len(rows) > MAX_SHOWN:
        problems.append(Problem(file, f"column '{header}'", f"… and {len(rows) - MAX_SHOWN} more lines in another currency"))
    return problems


def _file_day_first(columns: list[DateParts], options: dict) -> tuple[bool, list[str]]:
    """dd/mm or mm/dd for the whole file: the option, else what the data shows,
    else French dd/mm (said in the notes)."""
    if "date_format" in options:
        return _order_of(options["date_format"]) != "mdy", []
    slashed = [parts for parts in columns if parts.slash.any()]
    votes = {_day_first(parts) for parts in slashed} - {None}
    if len(votes) == 1:
        return votes.pop(), []
    if slashed and not votes:
        return True, ["no day above 12 in the dates: read as dd/mm (French order)"]
    return True, []


# ------------------------------------------------------------------ public API
def read_source(spec: SourceSpec) -> Imported:
    """Read one declared export into its canonical table; raise ImportFailed with
    every problem found (never a pandas traceback)."""
    path, file = Path(spec.file), str(spec.file)
    problems = _spec_problems(spec, file) + _file_problems(path, file)
    if problems:
        raise ImportFailed(problems)
    preset = presets()[spec.preset or DEFAULT_PRESET[spec.kind]]
    fallback = {"customer_id": preset.id_fallback} if preset.id_fallback and "customer_id" not in spec.columns else {}
    mapping = Mapping(spec.kind, {**preset.columns, **{f: ((h,),) for f, h in spec.columns.items()}},
                      declared=frozenset(spec.columns), fallback=fallback, amount_basis=preset.amount_basis)
    reader = _read_xlsx if path.suffix.lower() == ".xlsx" else _read_csv
    table = reader(path, file, spec.options, mapping)
    imported = _build(spec.kind, table, preset, spec.options, file, spec.currency)
    imported.detected = {"file": file, "preset": preset.name, **imported.detected}
    return imported


def orders(transactions: pd.DataFrame) -> pd.DataFrame:
    """One row per order: a customer's lines sharing an order_id or, without one,
    the same calendar day (order_key is then that day, 'yyyy-mm-dd').

    date is the order's earliest line; amount is the sum of its lines, rounded to
    the cent. Zero-amount orders (free samples, gift cards) are kept and count as
    orders (zero_amount). An order summing below zero is a refund (a credit note
    with its own id): kept with refund=True so net spend is amount.sum(), but not
    an order: count orders as (~refund).sum()."""
    t = transactions
    customer, customer_ids = pd.factorize(t["customer_id"], sort=True)
    order, order_ids = pd.factorize(t["order_id"])
    day, days = pd.factorize(t["date"].to_numpy().astype("datetime64[D]"))
    # One integer per (customer, order id or day): grouping on it is ten times
    # faster than on the text columns.
    width = len(order_ids) + len(days)
    key = customer * width + np.where(order >= 0, order, len(order_ids) + day)
    out = (pd.DataFrame({"key": key, "date": t["date"].to_numpy(), "amount": t["amount"].to_numpy()})
           .groupby("key", sort=False)
           .agg(date=("date", "min"), amount=("amount", "sum"), lines=("amount", "size"))
           .reset_index())
    seconds = (out["date"] - out["date"].min()).dt.total_seconds().to_numpy(np.int64)
    out = out.iloc[np.argsort(out["key"].to_numpy() // width * (seconds.max(initial=0) + 1) + seconds)]
    customer, sub = np.divmod(out["key"].to_numpy(), width)
    names = pd.concat([pd.Series(order_ids, dtype=STR),  # `sub` indexes order ids, then days
                       pd.Series(np.datetime_as_string(days, unit="D"), dtype=STR)], ignore_index=True)
    amount = out["amount"].round(2).to_numpy()
    return pd.DataFrame({
        "customer_id": pd.array(customer_ids.take(customer), dtype=STR),
        "order_key": names.array.take(sub),
        "date": out["date"].to_numpy(),
        "amount": amount,
        "lines": out["lines"].to_numpy(np.int64),
        "zero_amount": amount == 0,
        "refund": amount < 0,
    })


def derive_customers(transactions: pd.DataFrame) -> pd.DataFrame:
    """The customers table when only sales were exported: one row per customer id,
    created_at = first purchase, source_line = its first line; other fields empty."""
    first = (transactions.groupby("customer_id", sort=True)
             .agg(created_at=("date", "min"), source_line=("source_line", "min"))
             .reset_index())
    fields = {"customer_id": pa.array(first["customer_id"].to_numpy(object), pa.string()),
              "created_at": pa.array(first["created_at"].to_numpy("datetime64[us]"), pa.timestamp("us"))}
    return _frame("customers", fields, first["source_line"].to_numpy(np.int64))


def link_by_email(customers: pd.DataFrame, transactions: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Sales keyed by e-mail (Shopify orders, WooCommerce guest orders) joined
    to the customers file's ids: a sale whose customer_id is not a customer id
    but is the e-mail of exactly one customer takes that customer's id.
    Returns the transactions and how many lines were linked."""
    ids = customers["customer_id"].dropna()
    unknown = ~transactions["customer_id"].isin(ids)
    if not unknown.any() or "email" not in customers:
        return transactions, 0
    emails = customers[["customer_id", "email"]].dropna()
    emails = emails.assign(key=emails["email"].str.strip().str.lower()).drop_duplicates(["key", "customer_id"])
    unique = emails[~emails["key"].duplicated(keep=False)].set_index("key")["customer_id"]
    found = transactions.loc[unknown, "customer_id"].str.strip().str.lower().map(unique)
    found = found.dropna()
    if found.empty:
        return transactions, 0
    linked = transactions.copy()
    linked.loc[found.index, "customer_id"] = found.astype(linked["customer_id"].dtype)
    return linked, len(found)
