"""The canonical tables an import produces, and what describes one import.

``SourceSpec`` is one declared export, ``Imported`` its canonical table with
what was detected on the way, ``ImportFailed`` every problem found. The fields
of each table, their dtypes (pandas and Arrow) and ``canonical_frame``, which
assembles parsed Arrow columns into the canonical table, live here so every
step of the import agrees on them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from relkit.io.problems import ValidationFailed
from relkit.customers import CUSTOMER_FIELDS, TRANSACTION_FIELDS

Kind = Literal["customers", "transactions"]

FIELDS = {"customers": CUSTOMER_FIELDS, "transactions": TRANSACTION_FIELDS}
REQUIRED = {"customers": ("customer_id",), "transactions": ("customer_id", "date", "amount")}
PSEUDO_FIELDS = ("opt_out_email", "opt_out_sms", "unsubscribed_at", "status")
DATE_FIELDS = frozenset({"birth_date", "created_at", "last_contact_at", "date"})
FLAG_FIELDS = frozenset({"opt_in_email", "opt_in_sms", "opt_out_email", "opt_out_sms"})
NUMBER_FIELDS = frozenset({"amount", "quantity"})
# Excel users and Shopify prefix these with ' to keep them as text.
APOSTROPHE_FIELDS = frozenset({"customer_id", "phone", "postal_code", "order_id"})
MAX_SHOWN = 5  # offending lines listed per column before "… and N more lines"

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


def canonical_frame(kind: Kind, fields: dict[str, pa.Array], lines: np.ndarray) -> pd.DataFrame:
    """The canonical table: every field in order with its dtype, absent ones empty."""
    columns = {}
    for f in FIELDS[kind]:
        dtype = DTYPES[f]
        arr = fields.get(f, pa.nulls(len(lines), ARROW_TYPES[dtype]))
        columns[f] = arr.to_pandas().astype(dtype)
    columns["source_line"] = pd.Series(lines, dtype="int64")
    return pd.DataFrame(columns, copy=False)
