"""One definition of a purchase everywhere (README, "What counts as a purchase"):
an order whose net amount is above 0. RFM, the ready targets, the programme
target rules, the VMC and the CLV summary must agree on it, on a file whose
every count is worked out below."""
import numpy as np
import pandas as pd
import pytest

from relkit.topics.plan import targets
from relkit.customers import clv, rfm, value
from relkit.customers.io import derived
from relkit.customers.io.schema import DTYPES, STR

AS_OF = pd.Timestamp("2025-06-01")


def _transactions() -> pd.DataFrame:
    rows = [
        # c1: two orders the same day (A, B), a free sample (C, 0 €), a credit note (AV1).
        ("c1", "2025-01-10 10:00", 30.0, "A"), ("c1", "2025-01-10 16:00", 20.0, "B"),
        ("c1", "2025-03-01 09:00", 0.0, "C"), ("c1", "2025-04-01 09:00", -10.0, "AV1"),
        # c2: one order of two lines, one of them at 0 € (a gift in the parcel); then one on 1 March.
        ("c2", "2025-02-01 11:00", 50.0, "D"), ("c2", "2025-02-01 11:00", 0.0, "D"),
        ("c2", "2025-03-01 11:00", 25.0, "F"),
        # c3: only a free sample: never a purchase.
        ("c3", "2025-05-01 12:00", 0.0, "E"),
        # c4: a purchase after the reference date: not counted.
        ("c4", "2025-07-01 12:00", 99.0, "G"),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "order_id"])
    frame["date"] = pd.to_datetime(frame["date"]).astype(DTYPES["date"])
    frame["customer_id"] = frame["customer_id"].astype(STR)
    frame["order_id"] = frame["order_id"].astype(STR)
    frame["quantity"] = 1.0
    frame["product"] = pd.Series([None] * len(frame), dtype=STR)
    frame["source_line"] = np.arange(2, len(frame) + 2)
    return frame


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return derived.orders(_transactions())


def test_orders_and_purchases(orders):
    # 8 orders: c1 A, B, C (0 €), AV1 (refund); c2 D, F; c3 E (0 €); c4 G.
    assert len(orders) == 8
    assert int(orders["zero_amount"].sum()) == 2 and int(orders["refund"].sum()) == 1
    bought = rfm.purchases(orders, AS_OF)
    assert sorted(bought["order_key"]) == ["A", "B", "D", "F"]
    assert len(rfm.purchases(orders)) == 5  # without a reference date, G counts too


def test_rfm_counts_purchases_and_nets_refunds(orders):
    table = rfm.rfm_table(orders, AS_OF)
    assert table["frequency"].to_dict() == {"c1": 2, "c2": 2}
    assert table["monetary"].to_dict() == {"c1": 40.0, "c2": 75.0}  # 30 + 20 + 0 − 10; 50 + 0 + 25
    targets = rfm.targets(table, AS_OF, pd.Series(["c1", "c2", "c3"]), dormant_months=12, new_months=6)
    assert (targets.never_bought, targets.new) == (1, 2)  # c3 never bought


def test_clv_counts_purchase_days(orders):
    summary = clv.rfm_summary(orders, AS_OF, time_unit="D")
    # c1's A and B fall on one day: one purchase day, no repeat; c2 bought on two days.
    assert summary["frequency"].to_dict() == {"c1": 0.0, "c2": 1.0}
    assert summary.loc["c2", "monetary_value"] == 25.0
    assert "c3" not in summary.index  # a free sample is not a first purchase


def test_vmc_inputs_use_the_same_purchases(orders):
    table = value.vmc_inputs_from_orders(orders, AS_OF, period_years=3, cost_to_reach=0, conversion_rate=1)
    row = table.loc["all"]
    assert row["customers"] == 2
    assert row["purchases_per_year"] == 2.0  # 4 purchases over 2 active customer-years
    assert row["average_transaction"] == pytest.approx((30 + 20 + 50 + 25) / 4)


def test_programme_targets_agree_with_rfm(orders):
    customers = pd.DataFrame({"customer_id": pd.array(["c1", "c2", "c3"], dtype=STR)})
    base = targets.customer_base(customers, rfm.rfm_table(orders, AS_OF), AS_OF.date())
    assert targets.evaluate("au moins 2 commandes", base, AS_OF).count == 2
    assert targets.evaluate("jamais acheté", base, AS_OF).count == 1


def test_without_history_purchase_rules_are_gaps_not_zero():
    customers = pd.DataFrame({"customer_id": pd.array(["c1", "c2"], dtype=STR)})
    base = targets.customer_base(customers, None, AS_OF.date())
    result = targets.evaluate("au moins 2 commandes", base, AS_OF)
    assert result.count is None and result.missing == ("frequency",)
    assert targets.evaluate("jamais acheté", base, AS_OF).count is None
    assert targets.evaluate("tous", base, AS_OF).count == 2


def test_sales_keyed_by_email_join_the_customers_file():
    customers = pd.DataFrame({"customer_id": pd.array(["7301", "7302", "7303", "7304"], dtype=STR),
                              "email": pd.array(["Camille@Example.fr", "hugo@example.fr", "twin@example.fr",
                                                 "twin@example.fr"], dtype=STR)})
    sales = _transactions().head(3).assign(customer_id=pd.array(
        ["camille@example.fr", "7302", "twin@example.fr"], dtype=STR))
    linked, n = derived.link_by_email(customers, sales)
    # Case-insensitive; an id already known stays; an e-mail shared by two customers is not guessed.
    assert n == 1
    assert list(linked["customer_id"]) == ["7301", "7302", "twin@example.fr"]
