"""RFM scoring and named segments (seed 001: segmentation groups customers of
similar behaviour; targeting picks the priority ones; seed 000: dormant and
new customers as ready targets).

Definitions (also printed in the report):
- an order counts as a *purchase* when its net amount is > 0 (refunds and
  zero-amount orders, e.g. free gifts, are not purchases);
- recency R = days between the last purchase and the reference date;
- frequency F = number of purchases;
- monetary M = total net spend, refunds included.
Scores are quintiles 1–5 from ranks, 5 = best (most recent, most frequent,
highest spend). Tie rule: equal values share the score of the first rank of
their tie (rank method "min"), so a customer's score never depends on row
order; with many one-time buyers the F scores therefore skip values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relkit.customers.io.derived import is_in

# R score, F score -> segment (the common R×F grid; first match wins).
SEGMENT_RULES: tuple[tuple[str, str], ...] = (
    ("11", "lost"),
    ("[1-2][1-2]", "hibernating"),
    ("[1-2][3-4]", "at_risk"),
    ("[1-2]5", "cant_lose"),
    ("3[1-2]", "about_to_sleep"),
    ("33", "need_attention"),
    ("[3-4][4-5]", "loyal"),
    ("41", "promising"),
    ("51", "new"),
    ("[4-5][2-3]", "potential_loyalist"),
    ("5[4-5]", "champions"),
)
SEGMENTS = ("champions", "loyal", "potential_loyalist", "new", "promising", "need_attention", "about_to_sleep",
            "at_risk", "cant_lose", "hibernating", "lost")

# What the plan does with each segment, and how much a euro of its revenue
# weighs when ranking targets: keeping valuable customers first, then winning
# back the ones slipping away, then developing the promising ones.
SEGMENT_ACTION = {
    "champions": ("retain", 1.0), "loyal": ("retain", 0.9), "cant_lose": ("win_back", 1.2),
    "at_risk": ("win_back", 1.1), "potential_loyalist": ("develop", 0.8), "need_attention": ("develop", 0.7),
    "new": ("welcome", 0.7), "promising": ("welcome", 0.6), "about_to_sleep": ("win_back", 0.5),
    "hibernating": ("let_go", 0.2), "lost": ("let_go", 0.1),
}


def segment_for(r: int, f: int) -> str:
    key = f"{r}{f}"
    for pattern, name in SEGMENT_RULES:
        if re.fullmatch(pattern, key):
            return name
    raise ValueError(f"no segment rule for R={r}, F={f}")


def purchases(orders: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """The one definition of a purchase, shared by RFM, the targets, the
    marketing-pressure simulation, the VMC and the CLV models: an order (a
    customer's lines with one invoice/order id, or of one day without id;
    see ``io.orders``) whose net amount is above 0. Refunds (credit notes,
    net < 0) and 0 € orders (free samples, gift-card swaps) are not purchases;
    refunds still lower a customer's spend (RFM monetary). With ``as_of``,
    orders dated after that day are left out."""
    kept = orders["amount"] > 0
    if "refund" in orders:  # io.orders sets it for net < 0; a caller may flag more
        kept &= ~orders["refund"].fillna(False).astype(bool)
    if as_of is not None:
        kept &= pd.to_datetime(orders["date"]).dt.normalize() <= pd.Timestamp(as_of).normalize()
    return orders[kept]


def default_reference_date(orders: pd.DataFrame):
    """The day after the last transaction."""
    return (pd.Timestamp(orders["date"].max()).normalize() + pd.Timedelta(days=1)).date()


def quintile_score(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """1–5 by rank; ties share the lowest rank of their group (method "min")."""
    ranked = (values if higher_is_better else -values).rank(method="min")
    n = len(values)
    return (1 + np.floor(5 * (ranked - 1) / n)).astype(int).clip(1, 5)


def rfm_table(orders: pd.DataFrame, as_of) -> pd.DataFrame:
    """One row per customer who made at least one purchase: recency, frequency,
    monetary, first purchase, R/F/M scores and segment. Personal data: per
    customer — for the working folder only."""
    as_of = pd.Timestamp(as_of)
    orders = orders[orders["date"].dt.normalize() <= as_of]  # an earlier reference date ignores later orders
    buys = purchases(orders)
    grouped = buys.groupby("customer_id")
    table = pd.DataFrame({
        "first_purchase": grouped["date"].min(),
        "last_purchase": grouped["date"].max(),
        "frequency": grouped.size(),
    })
    table["monetary"] = orders.groupby("customer_id")["amount"].sum().reindex(table.index)
    table["recency"] = (as_of - table["last_purchase"].dt.normalize()).dt.days
    table["R"] = quintile_score(table["recency"], higher_is_better=False)
    table["F"] = quintile_score(table["frequency"])
    table["M"] = quintile_score(table["monetary"])
    grid = {(r, f): segment_for(r, f) for r in range(1, 6) for f in range(1, 6)}
    table["segment"] = [grid[(r, f)] for r, f in zip(table["R"], table["F"])]
    return table


@dataclass(frozen=True)
class Targets:
    dormant: int  # bought before, nothing for more than `dormant_months`
    new: int  # first purchase within `new_months`
    never_bought: int  # in the customer file, no purchase at all
    dormant_months: int
    new_months: int


def targets(rfm: pd.DataFrame, as_of, customer_ids: pd.Series | None, dormant_months: int = 12,
            new_months: int = 3) -> Targets:
    as_of = pd.Timestamp(as_of)
    dormant_since = as_of - pd.DateOffset(months=dormant_months)
    new_since = as_of - pd.DateOffset(months=new_months)
    never = 0
    if customer_ids is not None:
        never = int((~is_in(pd.Series(customer_ids.dropna().unique()), rfm.index)).sum())
    return Targets(
        dormant=int((rfm["last_purchase"] < dormant_since).sum()),
        new=int((rfm["first_purchase"] >= new_since).sum()),
        never_bought=never, dormant_months=dormant_months, new_months=new_months,
    )


def profiles(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per segment: customers, share, revenue, revenue share, average basket,
    average recency and frequency — aggregates only, every segment listed."""
    g = rfm.groupby("segment")
    out = pd.DataFrame({
        "customers": g.size(),
        "revenue": g["monetary"].sum(),
        "orders": g["frequency"].sum(),
        "recency_days": g["recency"].mean(),
        "frequency": g["frequency"].mean(),
    }).reindex(SEGMENTS)
    out["customers"] = out["customers"].fillna(0).astype(int)
    out["orders"] = out["orders"].fillna(0).astype(int)
    out["revenue"] = out["revenue"].fillna(0.0)
    out["share"] = out["customers"] / out["customers"].sum()
    out["revenue_share"] = out["revenue"] / out["revenue"].sum() if out["revenue"].sum() else 0.0
    out["average_basket"] = (out["revenue"] / out["orders"]).where(out["orders"] > 0)
    out.index.name = "segment"
    return out[["customers", "share", "revenue", "revenue_share", "average_basket", "recency_days", "frequency"]]


def priorities(profile: pd.DataFrame, top: int = 4) -> pd.DataFrame:
    """Rank segments for targeting: revenue share weighted by what the plan can
    do with the segment (SEGMENT_ACTION); empty segments are left out."""
    ranked = profile[profile["customers"] > 0].copy()
    ranked["action"] = [SEGMENT_ACTION[s][0] for s in ranked.index]
    ranked["weight"] = [SEGMENT_ACTION[s][1] for s in ranked.index]
    ranked["priority_score"] = ranked["revenue_share"] * ranked["weight"]
    ranked = ranked.sort_values(["priority_score", "customers"], ascending=False, kind="stable")
    ranked["rank"] = range(1, len(ranked) + 1)
    return ranked.head(top)


def rf_heatmap(rfm: pd.DataFrame) -> pd.DataFrame:
    """Average monetary value per R (rows, 5 at top) × F (columns) cell."""
    grid = rfm.pivot_table(index="R", columns="F", values="monetary", aggfunc="mean")
    return grid.reindex(index=[5, 4, 3, 2, 1], columns=[1, 2, 3, 4, 5])


def concentration(rfm: pd.DataFrame, share: float = 0.8) -> float:
    """Smallest share of customers that makes `share` of revenue (Pareto)."""
    spend = rfm["monetary"].clip(lower=0).sort_values(ascending=False).to_numpy()
    total = spend.sum()
    if total <= 0:
        return float("nan")
    k = int(np.searchsorted(np.cumsum(spend), share * total - 1e-9) + 1)
    return k / len(spend)
