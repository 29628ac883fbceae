"""When lapsed customers last bought: the month-of-last-purchase histogram and
its peak, a ready reactivation target (e.g. many customers who last bought
around last Christmas and have not come back: remind them before this one).

Rule, written once here and said in the report's sentence:
- only *lapsed* buyers count: their last purchase is more than
  ``LAPSED_MONTHS`` (6) months before the reference date (recent buyers
  crowd the last months whatever the season);
- the histogram has every calendar month from the first to the last of those
  purchases (months without any at 0);
- a month is a *peak* when it holds at least ``PEAK_FACTOR`` (2) times the
  median month and at least ``MIN_PEAK_CUSTOMERS`` (20) customers; the
  highest such month is reported (ties: the most recent).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

LAPSED_MONTHS = 6
PEAK_FACTOR = 2.0
MIN_PEAK_CUSTOMERS = 20
FESTIVE_MONTHS = (11, 12)  # a peak in November or December: a pre-Christmas target


def lapsed_cutoff(as_of) -> pd.Timestamp:
    """The day before which a last purchase makes a customer lapsed."""
    return pd.Timestamp(as_of).normalize() - pd.DateOffset(months=LAPSED_MONTHS)


def last_purchase_months(last_purchase: pd.Series, as_of) -> pd.Series:
    """Lapsed customers per calendar month of their last purchase (index:
    monthly ``pd.Period``, every month between the first and the last present,
    0 where none); empty when no customer is lapsed."""
    dates = pd.to_datetime(last_purchase).dropna()
    dates = dates[dates.dt.normalize() < lapsed_cutoff(as_of)]
    if dates.empty:
        return pd.Series(dtype=int, name="customers")
    months = dates.dt.to_period("M")
    counts = months.value_counts()
    full = pd.period_range(months.min(), months.max(), freq="M")
    return counts.reindex(full, fill_value=0).astype(int).rename("customers")


@dataclass(frozen=True)
class Peak:
    month: pd.Period
    customers: int
    median: float  # customers in the median month of the histogram

    @property
    def ratio(self) -> float:
        return self.customers / self.median if self.median else float("inf")

    @property
    def festive(self) -> bool:
        return self.month.month in FESTIVE_MONTHS


def peak_month(histogram: pd.Series, factor: float = PEAK_FACTOR,
               minimum: int = MIN_PEAK_CUSTOMERS) -> Peak | None:
    """The month well above the others (see the module's rule), or None."""
    if len(histogram) < 3:  # no "usual month" to compare with
        return None
    median = float(histogram.median())
    top = int(histogram.max())
    if top < minimum or top < factor * median:
        return None
    month = histogram[histogram == top].index.max()
    return Peak(month=month, customers=top, median=median)
