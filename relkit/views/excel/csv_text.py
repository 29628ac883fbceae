"""pandas' CSV text, written a column at a time.

``DataFrame.to_csv`` hands every row to the csv module: about 2 s per million
rows of eight columns, most of a large customer file's working files (scores,
cleaned file, stale records, predicted value: 23 s at a million customers).
``write`` produces the same bytes from whole columns — numbers and dates
formatted by numpy and pandas as ``to_csv`` formats them, texts quoted by the
csv module's minimal rule — and joins the rows once. What it does not know
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
_CHUNK = 100_000  # rows formatted at a time: bounded memory, as pandas' own chunks


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
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(_line([_quoted(label) for label in labels], lone) + TERMINATOR)
        for start in range(0, len(frame), _CHUNK):
            texts = [_texts(c.iloc[start:start + _CHUNK]) for c in columns]
            if lone:
                texts[0] = np.where(texts[0] == "", '""', texts[0])
            out.write(TERMINATOR.join(map(",".join, zip(*texts))) + TERMINATOR)
    return True


def _line(fields: list[str], lone: bool) -> str:
    return '""' if lone and fields == [""] else ",".join(fields)


def _quoted(text: str) -> str:
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


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
        return len(dtype.categories) == 0 or dtype.categories.dtype == object or isinstance(dtype.categories.dtype, pd.StringDtype)
    return False


def _texts(column: pd.Series) -> np.ndarray:
    """Each cell's text as ``to_csv`` writes it (quoted where needed), missing as ''."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        values = column.to_numpy()
        if dtype == np.float64:
            texts = float_texts(values)
        else:
            texts = values.astype(str).astype(object)  # numpy's shortest repr, True/False
        if dtype.kind == "f":
            texts[np.isnan(values)] = ""
        return texts
    if isinstance(dtype, pd.BooleanDtype):  # pandas writes the objects True/False; <NA> as missing
        return np.array(["False", "True", ""], dtype=object)[column.to_numpy(dtype="int8", na_value=2)]
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        texts = pd.DatetimeIndex(column).astype(str).to_numpy(dtype=object, na_value="")  # dates only when all are
        return texts
    if isinstance(dtype, pd.CategoricalDtype):
        categories = _texts(pd.Series(dtype.categories, copy=False))
        return np.append(categories, "")[column.cat.codes.to_numpy()]  # code -1 (missing) takes the ''
    texts = column.to_numpy(dtype=object, na_value="")
    if column.isna().all():
        return texts
    quote = column.str.contains(_NEEDS_QUOTES, regex=True).to_numpy(dtype=bool, na_value=False)
    if quote.any():
        texts = texts.copy()
        texts[quote] = ['"' + t.replace('"', '""') + '"' for t in texts[quote]]
    return texts
