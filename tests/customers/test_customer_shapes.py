"""Workbook 02 on shapes of data the demo never has: one-time buyers only,
sales that hold no purchase at all, a tiny file. Every section either shows
a figure or says in one sentence why it cannot; nothing is recorded as 0."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from relkit.customers.io.schema import DTYPES, STR, Imported
from relkit.workbooks.customers import CustomerFile
from relkit.io.engagement import Engagement
from relkit.io.labels import Labels

SECTIONS = ("segments", "targets", "priorities", "vmc", "vmc_segments", "clv")


def _engagement(**value) -> Engagement:
    return Engagement.model_validate({
        "client": {"name": "Test", "sector": "Retail", "model": "B2C"}, "consultant": {"name": "C"},
        "plan_year": 2027, "revenue": {"last_year": "100 000 €", "target": "120 000 €"},
        "report_date": "15/11/2026", "value": value,
        "customer_data": {"transactions": {"file": "ventes.csv"}},
    })


def _sales(rows) -> dict:
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    frame["customer_id"] = frame["customer_id"].astype(STR)
    frame["date"] = pd.to_datetime(frame["date"]).astype(DTYPES["date"])
    frame["quantity"] = np.nan
    frame["order_id"] = pd.Series([None] * len(frame), dtype=STR)
    frame["product"] = pd.Series([None] * len(frame), dtype=STR)
    frame["source_line"] = np.arange(2, len(frame) + 2)
    return {"transactions": Imported(frame, {"file": "ventes.csv", "preset": "generic_billing"})}


def test_one_time_buyers_only():
    days = pd.date_range("2024-01-05", "2026-10-25", periods=40)
    cf = CustomerFile(_engagement(), _sales([(f"c{i}", d, 30.0 + i) for i, d in enumerate(days)]), Labels("fr"))
    assert cf.has_history and len(cf.rfm) == 40 and (cf.rfm["frequency"] == 1).all()
    assert cf.not_measurable("segments") is None and cf.not_measurable("vmc") is None
    assert cf.figures()["vmc_gross"][0] > 0
    assert cf.not_measurable("clv") == ("Historique insuffisant pour une prédiction fiable (0 client a racheté ; "
                                        "il en faut au moins 30).")
    assert "clv_12m_total" not in cf.figures()


def test_sales_without_any_purchase():
    cf = CustomerFile(_engagement(), _sales([("c1", "2026-01-10", 0.0), ("c2", "2026-02-10", -20.0)]), Labels("fr"))
    assert not cf.has_history and cf.rfm is None
    for section in ("segments", "targets", "priorities", "vmc_segments", "clv"):
        assert cf.not_measurable(section) == ("Non mesurable : l'historique fourni ne contient aucun achat d'un "
                                              "montant positif.")
    assert cf.not_measurable("vmc").startswith("Non mesurable : la VMC demande le nombre d'achats par an")
    figures = cf.figures()
    assert figures["customers"][0] == 2
    assert not {"buyers", "orders", "net_revenue", "dormant", "new", "vmc_gross"} & set(figures)
    assert cf.key_figures() == [("Clients dans le fichier", "2")]


def test_stated_value_inputs_stand_in_for_what_cannot_be_measured():
    # Four months of sales: retention is not measurable, the consultant states it.
    rows = [(f"c{i % 25}", dt.date(2026, 7, 1) + dt.timedelta(days=3 * i), 40.0) for i in range(40)]
    measured = CustomerFile(_engagement(), _sales(rows), Labels("fr"))
    assert measured.not_measurable("vmc") == ("Non mesurable : la VMC demande le taux de rétention, qui compare deux "
                                              "années d'achats consécutives ; l'historique couvre 4 mois.")
    with pytest.raises(ValueError, match="taux de rétention"):
        measured.vmc_inputs()
    stated = CustomerFile(_engagement(retention="60 %"), _sales(rows), Labels("fr"))
    assert stated.not_measurable("vmc") is None
    inputs, origin = stated.vmc_inputs()
    assert (inputs.retention, origin["retention"], origin["average_transaction"]) == (0.6, "engagement", "measured")
    assert stated.not_measurable("vmc_segments") is not None  # per segment, every input is measured


def test_tiny_file_of_five_customers():
    rows = [("a", "2025-01-10", 50), ("a", "2025-09-10", 60), ("a", "2026-06-10", 55), ("b", "2025-03-01", 20),
            ("c", "2026-10-01", 80), ("d", "2024-12-01", 10), ("e", "2026-02-02", 15), ("e", "2026-08-02", 25)]
    cf = CustomerFile(_engagement(), _sales(rows), Labels("en"))
    assert len(cf.rfm) == 5 and cf.profile["customers"].sum() == 5
    assert len(cf.segments_table()) >= 1 and cf.not_measurable("clv").startswith("Not enough history")
    assert cf.figures()["buyers"][0] == 5
