"""Column helpers shared by the audit, the phone rules and the duplicate search:
text as Arrow strings, what counts as filled, a function run once per distinct value.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def as_text(values: pd.Series) -> pd.Series:
    """The column as pandas' (Arrow) string dtype, so string rules run vectorised;
    whole numbers typed into Excel cells (75001.0) lose their '.0'."""
    if pd.api.types.is_float_dtype(values) or pd.api.types.is_integer_dtype(values):
        values = values.round().astype("Int64")
    return values.astype("str")


def filled_mask(values: pd.Series) -> pd.Series:
    """Present and, for text, not just spaces (an empty Excel cell is not data)."""
    present = values.notna().to_numpy(bool, copy=True)
    if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
        present &= as_text(values).str.strip().ne("").to_numpy(bool)
    return pd.Series(present, index=values.index)


def map_unique(values: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """``values.map(func)`` calling ``func`` once per distinct non-missing value."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([func(value) for value in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index)  # code -1 (missing) picks the None
