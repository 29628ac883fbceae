"""pandas' CSV text, written a column at a time.

``DataFrame.to_csv`` hands every row to the csv module: about 2 s per million
rows of eight columns, most of a large customer file's working files (scores,
cleaned file, stale records, predicted value: 23 s at a million customers).
``write`` produces the same bytes from whole columns, in pandas' chunks of
100 000 cells: numbers and dates formatted as ``to_csv`` formats them, texts
quoted by the csv module's minimal rule, cells and lines joined by Arrow
without a Python string per cell. What it does not know
how to reproduce exactly (other options, extension or mixed-type columns,
labels that are not texts) it declines, and the caller writes with pandas:
the text of a file never depends on which route wrote it.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TERMINATOR = "\r\n"  # RFC 4180; the csv module then quotes a field holding either character
_NEEDS_QUOTES = r'[,"\r\n]'  # QUOTE_MINIMAL: the delimiter, the quote character, the line terminator's characters
# pandas formats 100 000 cells at a time, and decides per chunk whether a date
# column shows times: the same chunks give the same text (and bounded memory).
_CHUNK_CELLS = 100_000


def write(frame: pd.DataFrame | pd.Series, path: str | Path, *, index: bool = True, header: bool = True,
          encoding: str | None = "utf-8", lineterminator: str = TERMINATOR, **other) -> bool:
    """Write ``frame.to_csv(path, index=..., encoding=..., lineterminator=...)``'s
    exact text; False (nothing written) when this frame or these options
    need pandas' own writer."""
    if other or header is not True or lineterminator != TERMINATOR or (encoding or "utf-8").lower() not in (
            "utf-8", "utf8"):
        return False
    if isinstance(frame, pd.Series):
        if not isinstance(frame.name, str):
            return False  # an unnamed Series gets pandas' column label 0
        frame = frame.to_frame()
    columns = [frame.iloc[:, i] for i in range(frame.shape[1])]
    if isinstance(frame.columns, pd.MultiIndex) or not all(isinstance(c, str) for c in frame.columns):
        return False
    labels = list(frame.columns)
    if index:
        if isinstance(frame.index, pd.MultiIndex) or not isinstance(frame.index.name, (str, type(None))):
            return False
        columns.insert(0, pd.Series(frame.index, copy=False))
        labels.insert(0, frame.index.name or "")
    if not columns or not all(_formattable(c) for c in columns):
        return False
    lone = len(columns) == 1  # the csv module writes a lone empty field as ""
    rows = max(_CHUNK_CELLS // max(frame.shape[1], 1), 1)  # pandas' chunk size
    try:
        with open(path, "wb") as out:
            out.write(_chunk([pd.Series([label], dtype=object) for label in labels], lone))  # the header: same rules
            for start in range(0, len(frame), rows):
                out.write(_chunk([c.iloc[start:start + rows] for c in columns], lone))
    except (pa.ArrowInvalid, UnicodeError):  # a text Arrow cannot hold (a lone surrogate): pandas' way
        Path(path).unlink(missing_ok=True)
        return False
    except BaseException:
        Path(path).unlink(missing_ok=True)  # never half a file
        raise
    return True


def _chunk(columns: list[pd.Series], lone: bool) -> bytes:
    """The lines of these rows, joined by Arrow (no Python string per cell)."""
    cells = [_whole(_cells(c)) for c in columns]
    if lone:
        cells[0] = pc.if_else(pc.equal(cells[0], _text("")), _text('""'), cells[0])
    lines = pc.binary_join_element_wise(*cells, _text(",")) if len(cells) > 1 else cells[0]
    lines = pc.binary_join_element_wise(lines, _text(""), _text(TERMINATOR))  # line + TERMINATOR + ""
    whole = pc.binary_join(pa.LargeListArray.from_arrays(pa.array([0, len(lines)], pa.int64()), lines), _text(""))
    return whole[0].as_buffer().to_pybytes()


def _whole(cells: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One array: a column pandas built by concatenation is held in several chunks."""
    return cells.combine_chunks() if isinstance(cells, pa.ChunkedArray) else cells


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def float_texts(values: np.ndarray) -> np.ndarray:
    """``repr()`` of each float64: the text ``to_csv`` writes (numpy's ``str()``,
    the same, is 2.8x slower). Arrow's shortest formatting gives the same
    digits 3x sooner than ``repr``; where its notation is not Python's (a whole
    number without its '.0', an exponent, a number under 1e-4, nan, inf), the
    value goes through ``repr``."""
    arrow = pc.cast(pa.array(values), pa.string())
    texts = arrow.to_numpy(zero_copy_only=False)
    size = np.abs(values)
    positional = (size >= 1e-4) & (size < 1e16)  # where repr() writes digits and a point
    point = pc.match_substring(arrow, ".").to_numpy(zero_copy_only=False)
    exponent = pc.match_substring(arrow, "e").to_numpy(zero_copy_only=False)
    whole = positional & ~point & ~exponent  # arrow's '100' is repr's '100.0'
    texts[whole] = texts[whole] + ".0"
    other = ~positional | exponent
    texts[other] = [repr(v) for v in values[other].tolist()]
    return texts


def _formattable(column: pd.Series) -> bool:
    """Columns whose text this module reproduces exactly."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "fiub":
            return True
        if dtype.kind == "M":
            return True  # naive datetime64 (an aware one has a DatetimeTZDtype)
        if dtype == object:  # texts only: a number or a date among them is written with its str()/repr()
            return pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")
        return False
    if isinstance(dtype, (pd.StringDtype, pd.BooleanDtype)):
        return True
    if isinstance(dtype, pd.CategoricalDtype):
        texts = dtype.categories.dtype == object or isinstance(dtype.categories.dtype, pd.StringDtype)
        return len(dtype.categories) == 0 or texts
    return False


_FIRST, _LAST = np.datetime64("1000-01-01"), np.datetime64("10000-01-01")


def _date_texts(column: pd.Series) -> pa.Array:
    """Naive dates as pandas writes them: 'yyyy-mm-dd' when every one of the
    chunk is at midnight, else 'yyyy-mm-dd hh:mm:ss'; formatted by Arrow (a
    million dates and times: 0.4 s, pandas 0.9 s; a million empty dates: 0.08 s,
    pandas 0.4 s). Fractions of a second, years outside 1000-9999 (not checked
    against Arrow) go to pandas."""
    values = column.to_numpy()
    present = ~np.isnat(values)
    if not present.any():
        return pa.array(np.full(len(values), "", dtype=object), pa.large_string())
    ticks = values[present].view(np.int64)
    per_second = np.timedelta64(1, "s") // np.timedelta64(1, np.datetime_data(values.dtype)[0])
    shown = values[present]
    if (ticks % per_second).any() or shown.min() < _FIRST or shown.max() >= _LAST:
        return pa.array(pd.DatetimeIndex(column).astype(str).to_numpy(dtype=object, na_value=""), pa.large_string())
    seconds = pa.array(values.astype("datetime64[s]"), pa.timestamp("s"), mask=~present)
    if not (ticks % (per_second * 86400)).any():
        texts = pc.cast(pc.cast(seconds, pa.date32()), pa.large_string())
    else:  # Arrow's strftime is slower than pandas: the day and the time cast, then joined
        day, hour = (pc.cast(pc.cast(seconds, kind), pa.large_string()) for kind in (pa.date32(), pa.time32("s")))
        texts = pc.binary_join_element_wise(day, hour, pa.scalar(" ", pa.large_string()))
    return pc.fill_null(texts, "")


def _cells(column: pd.Series) -> pa.Array:
    """Each cell's text as ``to_csv`` writes it (quoted where needed), missing as ''."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = column.to_numpy()
        texts = float_texts(values) if dtype == np.float64 else values.astype(str).astype(object)
        texts[np.isnan(values)] = ""
        return pa.array(texts, pa.large_string())
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return pc.cast(pa.array(column.to_numpy()), pa.large_string())
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return pc.if_else(pa.array(column.to_numpy()), _text("True"), _text("False"))
    if isinstance(dtype, pd.BooleanDtype):  # pandas writes the objects True/False; <NA> as missing
        codes = column.to_numpy(dtype="int8", na_value=2)
        return pc.take(pa.array(["False", "True", ""], pa.large_string()), pa.array(codes))
    if isinstance(dtype, np.dtype) and dtype.kind == "M":  # dates only when all of the chunk's are
        return _date_texts(column)
    if isinstance(dtype, pd.CategoricalDtype):
        categories = _whole(_cells(pd.Series(dtype.categories, copy=False)))
        categories = pa.concat_arrays([categories, pa.array([""], pa.large_string())])
        codes = column.cat.codes.to_numpy()
        return pc.take(categories, pa.array(np.where(codes < 0, len(categories) - 1, codes)))
    texts = pa.array(column.array if isinstance(dtype, pd.StringDtype) else column.to_numpy(dtype=object),
                     from_pandas=True)
    texts = pc.fill_null(texts.cast(pa.large_string()), "")
    quote = pc.match_substring_regex(texts, _NEEDS_QUOTES)
    if not pc.any(quote).as_py():
        return texts
    quoted = pc.binary_join_element_wise(_text('"'), pc.replace_substring(texts, '"', '""'), _text('"'), _text(""))
    return pc.if_else(quote, quoted, texts)
