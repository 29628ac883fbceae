"""From the read ``Table`` to the canonical table: the rows to keep (and why
the others were skipped), every column parsed by the type of its field, the
vendors' quirks applied, and what was detected for the consultant.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from relkit.io.parsing import fold
from relkit.io.problems import Problem
from relkit.customers.io.columns import CURRENCY_WORDS, header_currency
from relkit.customers.io.dates import DateParts, column_date_parts, file_day_first, parse_dates
from relkit.customers.io.presets import Preset
from relkit.customers.io.read import Table
from relkit.customers.io.schema import (APOSTROPHE_FIELDS, ARROW_TYPES, DATE_FIELDS, DTYPES, FLAG_FIELDS, MAX_SHOWN,
                                        NUMBER_FIELDS, REQUIRED, Imported, ImportFailed, Kind, canonical_frame)
from relkit.customers.io.values import Parsed, as_mask, bad_values, parse_flags, parse_numbers, trimmed_text

EMPTY_LINE = "empty line"
NO_ID = "no customer id"


# ------------------------------------------------------------------ rows to keep
def _texts(table: Table, preset: Preset) -> dict[str, list[pa.Array]]:
    """Trimmed text of each located column, by field; guest ids as nulls."""
    texts = {f: [trimmed_text(table.columns[i], f in APOSTROPHE_FIELDS) for i in positions]
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
        EMPTY_LINE: ~np.any([as_mask(pc.is_valid(t)) for ts in texts.values() for t in ts], axis=0),
        NO_ID: ~as_mask(pc.is_valid(pc.coalesce(*texts["customer_id"]))),
    }
    if "status" in texts:
        status = texts["status"][0]
        statuses = pc.drop_null(pc.unique(status)).to_pylist()
        for reason, folded in preset.skip_status.items():
            matching = pa.array([s for s in statuses if fold(s) in folded], pa.string())
            reasons[f"order status {reason}"] = as_mask(pc.is_in(status, matching))
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


def _kept(arr: pa.Array, rows: pa.BooleanArray) -> pa.Array:
    """The kept rows of a column, without copying when every row is kept."""
    return arr if rows.false_count == 0 else pc.filter(arr, rows)


def _parse(f: str, text: pa.Array, parts: DateParts | None, day_first: bool, required: bool, options: dict) -> Parsed:
    """One source column parsed by the type of its field."""
    if f in DATE_FIELDS:
        return parse_dates(text, parts, day_first, required)
    if f in NUMBER_FIELDS:
        return parse_numbers(text, options.get("decimal"), required)
    if f in FLAG_FIELDS:
        return parse_flags(text)
    return Parsed(text, np.zeros(len(text), bool))


def build(kind: Kind, table: Table, preset: Preset, options: dict, file: str, currency: str | None = None) -> Imported:
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
    return Imported(canonical_frame(kind, fields, lines), detected)


def _main_date_format(formats: dict[str, str]) -> str | None:
    """The format of the sale or creation dates, for a one-line summary."""
    return formats.get("date") or formats.get("created_at") or next(iter(formats.values()), None)


def _parse_fields(kind: Kind, table: Table, texts: dict[str, list[pa.Array]], rows: pa.BooleanArray, options: dict,
                  file: str, currency: str | None = None) -> tuple[dict[str, pa.Array], dict]:
    """Every kept column parsed by the type of its field, and what was found
    (decimal mark, date formats, notes); every bad value is a problem."""
    date_parts = {(f, i): column_date_parts(t) for f, ts in texts.items() if f in DATE_FIELDS for i, t in enumerate(ts)}
    day_first, notes = file_day_first(list(date_parts.values()), options)
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
                problems += bad_values(file, table.row_label, table.headers[position], lines, raw, parsed)
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
    unit = header_currency(header)
    if unit and unit != currency:
        problems.append(Problem(file, f"{table.row_label} {table.header_line}, column '{header}'", (
            f"the header gives amounts in {unit} while the engagement's currency is {currency}: "
            f"convert them to {currency} or declare the engagement's currency")))
    tokens = pc.struct_field(pc.extract_regex(pc.utf8_lower(text), _VALUE_CURRENCY), "c")
    foreign = [t for t in pc.unique(pc.drop_null(tokens)).to_pylist() if CURRENCY_WORDS.get(t, currency) != currency]
    if not foreign:
        return problems
    rows = np.flatnonzero(as_mask(pc.is_in(tokens, pa.array(foreign, pa.string()))))
    parsed.bad[rows] = False
    shown = zip(rows[:MAX_SHOWN], text.take(pa.array(rows[:MAX_SHOWN])).to_pylist(),
                tokens.take(pa.array(rows[:MAX_SHOWN])).to_pylist())
    problems += [Problem(file, f"{table.row_label} {lines[r]}, column '{header}'", (
        f"amount in {CURRENCY_WORDS[t]} ({v!r}) while the engagement's currency is {currency}: "
        f"convert it to {currency} or check the export's currency")) for r, v, t in shown]
    if len(rows) > MAX_SHOWN:
        problems.append(Problem(file, f"column '{header}'", f"… and {len(rows) - MAX_SHOWN} more lines in another currency"))
    return problems
