"""Workbook 02 — customer value (VMC, « valeur moyenne client ») as the seed defines it.

The French seed's definitions, applied literally (the consultant's clients
know these formulas; do not "improve" them here):

* VMC brute pour la période = (nombre d'achats par an × montant moyen d'une
  transaction) + (montant moyen d'une transaction × (taux de rétention client ×
  (période − 1)))
* Coût d'acquisition d'un client = coût moyen pour atteindre un client / taux
  de conversion moyen
* VMC nette = VMC brute − coût d'acquisition

Note the seed's second term counts one transaction per retained year, not
``purchases_per_year`` of them: that is the seed's formula and it is kept.

Worked example (dentist): 3 years, 2 purchases a year, 75 % retention, 400 €
a transaction, 3 € to reach a prospect, 3 % conversion → gross 1 400 €,
acquisition 100 €, net 1 300 €.

For the model-based (predictive) value see ``relkit.customers.clv``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from relkit.customers.rfm import purchases

ALL_CUSTOMERS = "all"
"""Segment label used when no segmentation is given."""


@dataclass(frozen=True)
class VMCInputs:
    """The seed's inputs; rates are fractions (0.75 for 75 %)."""

    period_years: float
    purchases_per_year: float
    retention: float
    average_transaction: float
    cost_to_reach: float
    conversion_rate: float
    margin: float | None = None

    def __post_init__(self):
        if not self.conversion_rate > 0:
            raise ValueError("conversion_rate must be > 0 (the acquisition cost divides by it)")
        if not 0 <= self.retention <= 1:
            raise ValueError("retention is a fraction between 0 and 1")
        if self.margin is not None and not 0 <= self.margin <= 1:
            raise ValueError("margin is a fraction between 0 and 1")


@dataclass(frozen=True)
class VMCResult:
    gross: float
    acquisition_cost: float
    net: float
    profit_per_transaction: float | None
    """Informative only (average transaction × margin): the seed's VMC uses turnover."""


def _exact(x) -> Fraction:
    """Decimal reading of a number, so 3 / 0.03 is exactly 100 and not 99.999…"""
    return Fraction(str(x))


def vmc(inputs: VMCInputs) -> VMCResult:
    """Gross VMC, acquisition cost and net VMC, computed in exact rational arithmetic."""
    period = _exact(inputs.period_years)
    purchases = _exact(inputs.purchases_per_year)
    retention = _exact(inputs.retention)
    average = _exact(inputs.average_transaction)
    gross = purchases * average + average * (retention * (period - 1))
    acquisition = _exact(inputs.cost_to_reach) / _exact(inputs.conversion_rate)
    profit = None if inputs.margin is None else float(average * _exact(inputs.margin))
    return VMCResult(
        gross=float(gross),
        acquisition_cost=float(acquisition),
        net=float(gross - acquisition),
        profit_per_transaction=profit,
    )


# --- estimating the inputs from the client's orders ---------------------------------


def _purchases(orders: pd.DataFrame, as_of) -> pd.DataFrame:
    """Orders that count as purchases (``rfm.purchases``: net amount above 0),
    dated on or before ``as_of``."""
    kept = purchases(orders, as_of).copy()
    kept["date"] = pd.to_datetime(kept["date"])
    return kept


def _year_index(dates: pd.Series, as_of) -> pd.Series:
    """0 for the 12 months ending at ``as_of`` (year N), 1 for the 12 before (N−1), …

    Year k covers (as_of − (k+1) years, as_of − k years], calendar years counted
    back from ``as_of``, so a customer's "year" does not depend on January 1st.
    """
    if dates.empty:
        return pd.Series(0, index=dates.index, dtype=int)
    as_of = pd.Timestamp(as_of)
    n = as_of.year - dates.min().year + 1
    # Edges in the dates' own unit: a second-resolution edge cannot bin microsecond times.
    unit = getattr(dates.dt, "unit", "us")
    edges = pd.DatetimeIndex([as_of - pd.DateOffset(years=k) for k in range(n, -1, -1)]).as_unit(unit)
    oldest_first = pd.cut(dates, bins=edges, right=True, labels=False)
    return (n - 1 - oldest_first).astype(int)


def _segment_inputs(customer: np.ndarray, year: np.ndarray, amount: np.ndarray, segment_of: np.ndarray,
                    segments: int) -> pd.DataFrame:
    """The three estimated inputs per segment (see vmc_inputs_from_orders), on
    integer codes: ``customer`` (per purchase) indexes ``segment_of`` (per
    customer, -1 when not labelled). Mapping four million text ids to their
    segment and grouping them took 8 s a call at a million customers."""
    row_segment = segment_of[customer]
    labelled = row_segment >= 0
    customer, year, amount, row_segment = customer[labelled], year[labelled], amount[labelled], row_segment[labelled]
    purchases = np.bincount(row_segment, minlength=segments)
    bought = np.zeros(len(segment_of), dtype=bool)  # flags, not np.unique: a hash of four million keys takes seconds
    bought[customer] = True
    buyers = np.bincount(segment_of[bought], minlength=segments)
    years = int(year.max(initial=0)) + 1
    ordered_in = np.zeros(len(segment_of) * years, dtype=bool)  # each customer once for every year they ordered
    ordered_in[customer.astype(np.int64) * years + year] = True
    active = np.flatnonzero(ordered_in)
    active_customer, active_year = np.divmod(active, years)
    customer_years = np.bincount(segment_of[active_customer], minlength=segments)
    last_year = np.zeros(len(segment_of), dtype=bool)
    last_year[active_customer[active_year == 0]] = True
    year_before = active_customer[active_year == 1]
    before = np.bincount(segment_of[year_before], minlength=segments)
    retained = np.bincount(segment_of[year_before[last_year[year_before]]], minlength=segments)
    # each segment's amounts in their order, summed as pandas' mean sums them (numpy's pairwise sum)
    by_segment = amount[np.argsort(row_segment, kind="stable")]
    ends = np.cumsum(purchases)
    totals = np.array([by_segment[end - n:end].sum() for n, end in zip(purchases, ends)])
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame({
            "customers": buyers,
            "purchases_per_year": purchases / customer_years,
            "retention": np.where(before > 0, retained / np.maximum(before, 1), np.nan),
            "average_transaction": totals / purchases,
        })[purchases > 0]


def _vmc_columns(row: pd.Series, period_years, cost_to_reach, conversion_rate) -> pd.Series:
    estimates = row[["purchases_per_year", "retention", "average_transaction"]]
    if estimates.isna().any():
        return pd.Series({"gross": math.nan, "acquisition_cost": math.nan, "net": math.nan})
    result = vmc(VMCInputs(
        period_years=period_years,
        purchases_per_year=row["purchases_per_year"],
        retention=row["retention"],
        average_transaction=row["average_transaction"],
        cost_to_reach=cost_to_reach,
        conversion_rate=conversion_rate,
    ))
    return pd.Series({"gross": result.gross, "acquisition_cost": result.acquisition_cost, "net": result.net})


def vmc_inputs_from_orders(
    orders: pd.DataFrame,
    as_of,
    period_years: float,
    cost_to_reach: float,
    conversion_rate: float,
    segment: pd.Series | None = None,
) -> pd.DataFrame:
    """The seed's VMC per segment, its inputs estimated from the client's orders.

    ``orders`` has one row per order: customer_id, date, amount. Only
    purchases count (``rfm.purchases``: net amount above 0, so refunds and
    0 € orders are left out), and orders after ``as_of`` too. ``segment`` maps customer_id → segment label; customers it
    does not label are left out. Without it the whole base is one segment,
    labelled ``"all"``.

    Estimators, per segment, with "year N" the 12 months ending at ``as_of``,
    "year N−1" the 12 months before, and so on back to the first order:

    * purchases_per_year — orders ÷ active customer-years: each customer counts
      once for every year in which they ordered. This is the yearly order count
      of a customer *while active*, which is what the seed's first term means;
      a customer who stopped buying does not dilute it (retention covers that).
    * retention — of the customers who ordered in year N−1, the share who
      ordered again in year N (NaN, and so NaN VMC, when nobody ordered in N−1).
    * average_transaction — mean order amount.

    Returns one row per segment: customers (who ordered), the three estimates,
    then gross, acquisition_cost and net VMC for ``period_years``.
    """
    purchases = _purchases(orders, as_of)
    year = _year_index(purchases["date"], as_of).to_numpy()
    customer, ids = pd.factorize(purchases["customer_id"])
    if segment is None:
        segment_of, names = np.zeros(len(ids), dtype=np.intp), pd.Index([ALL_CUSTOMERS])
    else:  # customers the segmentation does not label are left out (code -1)
        segment_of, names = pd.factorize(segment.reindex(ids), sort=True)
    inputs = _segment_inputs(customer, year, purchases["amount"].to_numpy(np.float64), segment_of, len(names))
    inputs.index = pd.Index(names.take(inputs.index), name="segment")
    if inputs.empty:  # no purchase (labelled) up to as_of: no row, but the table's columns
        return inputs.assign(gross=np.float64(), acquisition_cost=np.float64(), net=np.float64())
    values = inputs.apply(_vmc_columns, axis=1, args=(period_years, cost_to_reach, conversion_rate))
    return inputs.join(values)
