"""RFM: hand-computed scores, the tie rule, the segment table, profiles."""
import datetime as dt

import pandas as pd
import pytest

from relkit.customers.rfm import (SEGMENT_RULES, SEGMENTS, concentration, default_reference_date, priorities,
                                  profiles, quintile_score, rfm_table, segment_for, targets)


def _orders(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).assign(date=lambda d: pd.to_datetime(d["date"]))


ORDERS = _orders([
    ("A", "2026-10-30", 100.0), ("A", "2026-09-01", 50.0), ("A", "2026-05-01", 30.0),
    ("B", "2026-10-01", 40.0),
    ("C", "2025-11-15", 60.0), ("C", "2025-12-10", 80.0), ("C", "2026-01-05", -20.0),
    ("D", "2025-03-01", 25.0), ("D", "2025-03-02", 0.0),
    ("E", "2026-10-15", 200.0), ("E", "2026-02-14", 120.0),
])


def test_reference_date_is_the_day_after_the_last_transaction():
    assert default_reference_date(ORDERS) == dt.date(2026, 10, 31)


def test_rfm_values_by_hand():
    t = rfm_table(ORDERS, dt.date(2026, 10, 31))
    assert t.loc["A", ["recency", "frequency", "monetary"]].tolist() == [1, 3, 180.0]
    assert t.loc["C", ["recency", "frequency", "monetary"]].tolist() == [325, 2, 120.0]  # refund netted
    assert t.loc["D", ["recency", "frequency", "monetary"]].tolist() == [609, 1, 25.0]  # zero-amount order not a purchase
    # R: recency ranks (lower is better) A1 < E16 < B30 < C325 < D609 -> 5,4,3,2,1
    assert t["R"].to_dict() == {"A": 5, "B": 3, "C": 2, "D": 1, "E": 4}
    # F: B and D tie at 1 -> rank 1 -> score 1; C and E tie at 2 -> rank 3 -> 1 + floor(5*2/5) = 3; A -> 5
    assert t["F"].to_dict() == {"A": 5, "B": 1, "C": 3, "D": 1, "E": 3}
    assert t["segment"].to_dict() == {"A": "champions", "B": "about_to_sleep", "C": "at_risk", "D": "lost",
                                      "E": "potential_loyalist"}


def test_tie_rule_does_not_depend_on_row_order():
    values = pd.Series([1, 1, 1, 2, 3, 3, 10, 10, 10, 10])
    expected = [1, 1, 1, 2, 3, 3, 4, 4, 4, 4]
    assert quintile_score(values).tolist() == expected
    assert quintile_score(values[::-1]).tolist() == expected[::-1]


def test_every_rf_cell_has_exactly_the_documented_segment():
    grid = {(r, f): segment_for(r, f) for r in range(1, 6) for f in range(1, 6)}
    assert set(grid.values()) == set(SEGMENTS)
    assert grid[(5, 5)] == "champions" and grid[(1, 1)] == "lost" and grid[(2, 1)] == "hibernating"
    assert grid[(1, 5)] == "cant_lose" and grid[(5, 1)] == "new" and grid[(4, 1)] == "promising"
    assert grid[(3, 3)] == "need_attention" and grid[(3, 5)] == "loyal" and grid[(2, 4)] == "at_risk"
    assert len(SEGMENT_RULES) == 11


def test_targets_dormant_new_and_never_bought():
    t = rfm_table(ORDERS, dt.date(2026, 10, 31))
    tg = targets(t, dt.date(2026, 10, 31), pd.Series(["A", "B", "C", "D", "E", "F", "G"]), dormant_months=12, new_months=3)
    # dormant: last purchase before 2025-10-31 -> D; new: first purchase on/after 2026-07-31 -> B
    assert (tg.dormant, tg.new, tg.never_bought) == (1, 1, 2)


def test_profiles_and_priorities():
    t = rfm_table(ORDERS, dt.date(2026, 10, 31))
    p = profiles(t)
    assert list(p.index) == list(SEGMENTS)
    assert p.loc["champions", "customers"] == 1 and p.loc["champions", "revenue"] == 180.0
    assert p["share"].sum() == pytest.approx(1.0) and p["revenue_share"].sum() == pytest.approx(1.0)
    assert p.loc["at_risk", "average_basket"] == 60.0  # 120 € net over 2 purchases
    top = priorities(p, top=3)
    assert list(top.index) == ["potential_loyalist", "champions", "at_risk"]
    assert top["rank"].tolist() == [1, 2, 3]


def test_concentration():
    t = pd.DataFrame({"monetary": [80.0, 10.0, 5.0, 5.0]})
    assert concentration(t) == 0.25  # 1 customer in 4 makes 80 %


def test_an_earlier_reference_date_ignores_later_orders():
    t = rfm_table(ORDERS, dt.date(2026, 3, 1))
    assert sorted(t.index) == ["C", "D", "E"]  # A's first purchase is in May, B's in October
    assert t.loc["E", ["frequency", "monetary"]].tolist() == [1, 120.0]  # October's 200 € is after the date
    assert t.loc["C", "recency"] == (dt.date(2026, 3, 1) - dt.date(2025, 12, 10)).days
