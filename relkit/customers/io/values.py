"""Typing the text of a column: trimmed text, amounts (any decimal mark,
thousands separator or currency sign), yes/no flags; and the problem lines
of the values that could not be read.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from relkit.io.parsing import AMOUNT_EXAMPLE, parse_bool
from relkit.io.problems import Problem
from relkit.customers.io.schema import MAX_SHOWN

@dataclass
class Parsed:
    """One source column parsed: values, the rows that failed, what was expected."""

    values: pa.Array
    bad: np.ndarray
    expected: str = ""
    detail: str | None = None  # the date format or decimal mark found, for `detected`


def trimmed_text(arr: pa.Array, strip_apostrophe: bool) -> pa.Array:
    """Trimmed text, empty cells as nulls."""
    arr = pc.utf8_trim_whitespace(arr)
    if strip_apostrophe and pc.any(pc.starts_with(arr, "'")).as_py():
        arr = pc.if_else(pc.starts_with(arr, "'"), pc.utf8_slice_codeunits(arr, 1), arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def as_mask(arr) -> np.ndarray:
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


def parse_numbers(text: pa.Array, forced: str | None, required: bool) -> Parsed:
    values, valid, decimal = _numbers(text, forced)
    bad = ~as_mask(valid) & (as_mask(pc.is_valid(text)) | required)
    return Parsed(values, bad, AMOUNT_EXAMPLE, decimal)


_FLAG_EXPECTED = "yes/no, oui/non, true/false or 1/0"


def parse_flags(text: pa.Array) -> Parsed:
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
    return Parsed(values, as_mask(pc.is_valid(text)) & ~as_mask(pc.is_valid(values)), _FLAG_EXPECTED)


def bad_values(file: str, row_label: str, header: str, lines: np.ndarray, raw: pa.Array,
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
