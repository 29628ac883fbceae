"""Workbook 02 on the demo exports: every planted problem found, exact counts."""
import datetime as dt
import json

import pytest

from conftest import DEMO
from relkit.workbooks.customers import CustomerFile
from relkit.io.labels import Labels
from relkit.intake.load import load

MANIFEST = json.loads((DEMO / "exports" / "manifest.json").read_text(encoding="utf-8"))
EXPECTED, PLANTED = MANIFEST["expected"], MANIFEST["planted"]


@pytest.fixture(scope="module")
def cf():
    data = load(DEMO)
    return CustomerFile(data.engagement, data.imports, Labels("fr"))


def test_imports_orders_and_revenue(cf):
    assert len(cf.customers) == EXPECTED["customer_rows"] == 3000
    assert len(cf.transactions) == EXPECTED["transaction_lines"] == 6000
    assert len(cf.orders) == EXPECTED["distinct_orders"] == 5335
    assert int((~cf.orders["refund"]).sum()) == EXPECTED["distinct_sales_orders"] == 5282
    assert int(cf.orders["refund"].sum()) == EXPECTED["credit_notes"] == 53
    assert int((cf.transactions["amount"] == 0).sum()) == EXPECTED["zero_amount_lines"] == 32
    assert round(float(cf.orders["amount"].sum()) * 100) == EXPECTED["total_net_revenue_cents"] == 21489660
    assert round(float(cf.orders.loc[cf.orders["refund"], "amount"].sum()) * 100) == EXPECTED["refund_total_cents"]
    assert cf.as_of == dt.date.fromisoformat(MANIFEST["reference_date"]) == dt.date(2026, 11, 1)
    assert len(cf.rfm) == EXPECTED["buyers"] == 2370
    assert cf.targets.never_bought == EXPECTED["never_buyers"] == 630


def test_sources_report_what_was_detected(cf):
    d = cf.imports["transactions"].detected
    assert (d["encoding"], d["separator"], d["decimal"], d["date_format"]) == ("cp1252", ";", ",", "%d/%m/%Y")
    assert cf.imports["customers"].detected["preset"] == "shopify_customers"


def test_quality_counts_match_the_planted_problems(cf):
    q = cf.quality
    assert q.emails_invalid == PLANTED["invalid_emails"]["count"] == 21
    assert q.phones_invalid == PLANTED["invalid_phones"]["count"] == 14
    assert q.postal_codes_invalid == PLANTED["invalid_postal_codes"]["count"] == 11
    assert q.stale == PLANTED["stale_records"]["count"] == 150
    assert q.records - int(q.completeness.loc["email", "filled"]) == PLANTED["missing_fields"]["email"]["count"] == 24
    assert q.records - int(q.completeness.loc["phone", "filled"]) == PLANTED["missing_fields"]["phone"]["count"] == 1111
    assert q.records - int(q.completeness.loc["postal_code", "filled"]) == PLANTED["missing_fields"]["postal_code"]["count"]


def test_the_stale_records_file_lists_the_records_the_report_counts(cf, tmp_path):
    cf.write_working(tmp_path)
    listed = (tmp_path / "02_fichier_clients" / "fiches_inactives.csv").read_text(encoding="utf-8").splitlines()
    assert len(listed) - 1 == cf.quality.stale == 150
    assert listed[0].startswith("customer_id,")
    assert {line.split(",")[0] for line in listed[1:]} == set(PLANTED["stale_records"]["ids"])


def test_every_planted_duplicate_and_nothing_else(cf):
    ids = cf.customers["customer_id"].to_numpy()
    found = {frozenset((ids[a], ids[b])) for a, b in zip(cf.pairs["a"], cf.pairs["b"])}
    planted = {frozenset(pair) for kind in PLANTED["duplicates"]["by_kind"].values() for pair in kind["pairs"]}
    assert found == planted and len(found) == 57
    assert cf.dedup_report.pairs == {"exact_email": 18, "exact_phone": 15, "exact_name_address": 0, "fuzzy_name_address": 24}
    assert cf.dedup_report.records_after == 3000 - 57


def test_segments_cover_every_buyer_and_revenue(cf):
    p = cf.profile
    assert int(p["customers"].sum()) == 2370
    assert round(float(p["revenue"].sum()) * 100) == 21489660  # refunds of buyers netted in
    assert list(cf.priorities["rank"]) == [1, 2, 3, 4]


def test_vmc_uses_engagement_parameters_and_measured_values(cf):
    inputs, origin = cf.vmc_inputs()
    assert (inputs.cost_to_reach, inputs.conversion_rate) == (0.8, 0.02)
    assert origin == {"purchases_per_year": "measured", "retention": "measured", "average_transaction": "measured"}
    result = cf.vmc()
    assert result.acquisition_cost == 40.0
    assert result.gross == pytest.approx(inputs.purchases_per_year * inputs.average_transaction
                                         + inputs.average_transaction * inputs.retention * 2)
    assert result.net == pytest.approx(result.gross - 40.0)


def test_fitted_models_are_written_for_the_audit(cf, tmp_path):
    written = cf.write_models(tmp_path / "out", tmp_path / "work")
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "out/models/02_fichier_clients.json", "work/02_fichier_clients/modeles.json"]
    first, second = (json.loads(p.read_text(encoding="utf-8")) for p in written)
    assert first == second
    from relkit.customers import clv

    summary = clv.rfm_summary(cf.orders, cf.as_of)
    purchases = first["purchases"]
    # The recorded log-likelihood is the model's at the recorded parameters.
    assert purchases["log_likelihood"] == clv.bgnbd_log_likelihood(purchases["parameters"], summary, modified=True)
    assert first["spend"]["log_likelihood"] == clv.gamma_gamma_log_likelihood(first["spend"]["parameters"], summary)


def test_last_christmas_buyers_are_a_ready_reactivation_target(cf):
    assert (str(cf.recency_peak.month), cf.recency_peak.customers, cf.recency_peak.median) == ("2025-12", 249, 55.5)
    assert cf.recency_text() == [
        "249 clients ont fait leur dernier achat en décembre 2025 et ne sont pas revenus depuis, 4,5 fois plus qu'un "
        "mois habituel (médiane : 56) : une cible de réactivation toute prête, à relancer avant Noël."]
    figures = cf.figures()
    assert figures["reactivation_peak"] == (249, "Pic de derniers achats (décembre 2025)", "249")
    assert figures["reactivation_peak_month"][0] == "2025-12"
