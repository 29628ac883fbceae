"""Month of last purchase of lapsed customers and its peak (a seasonal
reactivation target): exact values on hand-built dates."""
import pandas as pd

from relkit.customers.last_purchase import last_purchase_months, lapsed_cutoff, peak_month

AS_OF = "2026-11-01"


def dates(spec: dict[str, int]) -> pd.Series:
    """{'2025-12-20': 3} -> three customers whose last purchase was that day."""
    return pd.Series(pd.to_datetime([d for d, n in spec.items() for _ in range(n)]))


def test_only_lapsed_customers_count_and_every_month_is_present():
    assert lapsed_cutoff(AS_OF) == pd.Timestamp("2026-05-01")
    hist = last_purchase_months(dates({"2025-10-03": 2, "2025-12-24": 5, "2026-04-30": 1, "2026-05-01": 9,
                                       "2026-10-31": 40}), AS_OF)
    assert hist.index.astype(str).tolist() == ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]
    assert hist.tolist() == [2, 0, 5, 0, 0, 0, 1]  # 1 May 2026 and later: not lapsed


def test_a_christmas_peak_well_above_the_median_month():
    spec = {f"2025-{m:02d}-15": 10 for m in range(1, 12)} | {"2025-12-22": 45, "2026-01-10": 12, "2026-02-10": 8}
    peak = peak_month(last_purchase_months(dates(spec), AS_OF))
    assert (str(peak.month), peak.customers, peak.median, peak.festive) == ("2025-12", 45, 10.0, True)
    assert peak.ratio == 4.5


def test_no_peak_when_months_are_even_small_or_short():
    even = {f"2025-{m:02d}-15": 30 for m in range(1, 13)}
    assert peak_month(last_purchase_months(dates(even), AS_OF)) is None
    small = {f"2025-{m:02d}-15": 2 for m in range(1, 12)} | {"2025-12-15": 19}  # 19 < 20 customers
    assert peak_month(last_purchase_months(dates(small), AS_OF)) is None
    assert peak_month(last_purchase_months(dates({"2025-12-15": 50, "2026-01-15": 1}), AS_OF)) is None
    assert last_purchase_months(dates({"2026-10-01": 5}), AS_OF).empty


def test_a_summer_peak_is_not_festive_and_ties_go_to_the_latest_month():
    spec = {f"2025-{m:02d}-15": 5 for m in range(1, 13)} | {"2025-03-02": 20, "2025-07-14": 20}
    peak = peak_month(last_purchase_months(dates(spec), AS_OF))
    assert (str(peak.month), peak.customers, peak.festive) == ("2025-07", 25, False)
