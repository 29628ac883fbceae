"""Tables derived from the imported ones: orders from sales lines, customers
from sales when only sales were exported, sales keyed by e-mail linked to the
customers file's ids.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from relkit.customers.io.schema import STR, canonical_frame


def is_in(values: pd.Series, allowed) -> pd.Series:
    """``values.isin(allowed)`` for text keys (customer ids), computed by Arrow:
    pandas' ``isin`` on Arrow strings turns ``allowed`` into Python objects one
    by one, seconds for a million ids. Missing values are never in."""
    keys = pa.array(pd.Series(values, copy=False).astype(STR).array)
    wanted = pa.array(pd.Series(np.asarray(allowed, dtype=object)).dropna().astype(STR).array)
    found = pc.fill_null(pc.is_in(keys, value_set=wanted, skip_nulls=True), False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index, name=values.name)


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
    return canonical_frame("customers", fields, first["source_line"].to_numpy(np.int64))


def link_by_email(customers: pd.DataFrame, transactions: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Sales keyed by e-mail (Shopify orders, WooCommerce guest orders) joined
    to the customers file's ids: a sale whose customer_id is not a customer id
    but is the e-mail of exactly one customer takes that customer's id.
    Returns the transactions and how many lines were linked."""
    ids = customers["customer_id"].dropna()
    unknown = ~is_in(transactions["customer_id"], ids)
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
