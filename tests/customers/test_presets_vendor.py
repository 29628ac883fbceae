"""Every preset against a fixture whose header row is the vendor's documented
export (tests/data/exports/<preset>/, sources in SOURCES.md): every field the
preset claims is read, with exact values for a few rows and fill counts."""
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from relkit.customers import CUSTOMER_FIELDS, TRANSACTION_FIELDS
from relkit.customers.io.presets import presets
from relkit.customers.io.schema import SourceSpec
from relkit.customers.io.source import read_source

EXPORTS = Path(__file__).parents[1] / "data" / "exports"
ts = pd.Timestamp


def read(preset: str, name: str):
    return read_source(SourceSpec(presets()[preset].kind, EXPORTS / preset / name, preset))


def filled(frame: pd.DataFrame) -> dict[str, int]:
    """Non-empty values per field (source_line left out)."""
    return {c: int(frame[c].notna().sum()) for c in frame.columns if c != "source_line"}


def row(frame: pd.DataFrame, i: int, *fields: str) -> list:
    return [None if pd.isna(v) else v for v in frame.loc[i, list(fields)].tolist()]


def claimed(preset: str) -> set[str]:
    """The canonical fields a preset says it fills (pseudo-fields become opt-ins, statuses skip lines)."""
    fields = set(presets()[preset].columns) | set(presets()[preset].defaults)
    fields |= {"opt_in_email" for f in fields if f in ("opt_out_email", "unsubscribed_at")}
    fields |= {"opt_in_sms" for f in fields if f == "opt_out_sms"}
    return fields - {"opt_out_email", "opt_out_sms", "unsubscribed_at", "status"}


# preset, file, encoding, separator, rows kept, fill count of every canonical field
CASES = [
    ("shopify_customers", "customers_export.csv", "utf-8", ",", 10,
     dict(customer_id=10, email=9, phone=6, first_name=10, last_name=10, company=2, address=9, postal_code=9, city=9,
          country=9, opt_in_email=10, opt_in_sms=10)),
    ("shopify_orders", "orders_export.csv", "utf-8", ",", 6,
     dict(customer_id=6, date=6, amount=6, quantity=6, order_id=6, product=6)),
    ("hubspot_contacts", "hubspot-crm-exports-all-contacts.csv", "utf-8-sig", ",", 8,
     dict(customer_id=8, email=7, phone=5, first_name=8, last_name=8, company=3, address=5, postal_code=7, city=7,
          country=7, created_at=8, last_contact_at=5, opt_in_email=6)),
    ("mailchimp_audience", "subscribed_members_export.csv", "utf-8", ",", 6,
     dict(customer_id=6, email=6, phone=2, first_name=5, last_name=5, address=2, country=5, created_at=6,
          opt_in_email=6)),
    ("brevo_contacts", "contacts_export.csv", "utf-8", ";", 8,
     dict(customer_id=8, email=7, phone=5, first_name=8, last_name=8, birth_date=5, created_at=8, opt_in_email=8,
          opt_in_sms=8)),
    ("dolibarr_thirdparties", "export_societe_1.csv", "cp1252", ";", 8,
     dict(customer_id=8, email=6, phone=6, last_name=8, address=7, postal_code=8, city=8, country=8, created_at=8)),
    ("dolibarr_invoices", "export_facture_1.csv", "utf-8", ",", 7,
     dict(customer_id=7, date=7, amount=7, quantity=7, order_id=7, product=5)),
    ("odoo_contacts", "res.partner.csv", "utf-8", ",", 6,
     dict(customer_id=6, email=5, phone=5, last_name=6, company=1, address=5, postal_code=5, city=5, country=5,
          created_at=6)),
    ("woocommerce_customers", "customers-report.csv", "utf-8", ",", 8,
     dict(customer_id=8, email=8, last_name=7, postal_code=6, city=6, country=7, created_at=6, last_contact_at=7)),
    ("woocommerce_orders", "wc-customer-order-csv-export.csv", "utf-8", ",", 4,
     dict(customer_id=4, date=4, amount=4, order_id=4)),
    ("generic_customers", "clients.csv", "cp1252", ";", 6,
     dict(customer_id=6, email=5, phone=5, first_name=6, last_name=6, company=2, address=5, postal_code=6, city=6,
          country=6, birth_date=3, created_at=6, last_contact_at=3, opt_in_email=5, opt_in_sms=4)),
    ("generic_billing", "ventes_sage.csv", "cp1252", ";", 7,
     dict(customer_id=7, date=7, amount=7, quantity=7, order_id=7, product=7)),
]


# Claimed fields this fixture's export variant does not have (SOURCES.md says why).
ABSENT = {
    "shopify_customers": {"created_at"},  # "Created At" only in older customer exports
    "brevo_contacts": {"address", "city", "company", "postal_code"},  # account-specific attributes, not default ones
    "woocommerce_customers": {"address", "company", "first_name", "phone"},  # Analytics export: plugin columns absent
    "woocommerce_orders": {"product", "quantity"},  # legacy format packs items in order_item_N
}


@pytest.mark.parametrize("preset, name, encoding, separator, rows, counts", CASES, ids=[c[0] for c in CASES])
def test_vendor_fixture_fills_every_claimed_field(preset, name, encoding, separator, rows, counts):
    imported = read(preset, name)
    f, d = imported.frame, imported.detected
    kind = presets()[preset].kind
    assert list(f.columns) == [*(CUSTOMER_FIELDS if kind == "customers" else TRANSACTION_FIELDS), "source_line"]
    assert len(f) == rows
    expected = {field: counts.get(field, 0) for field in f.columns if field != "source_line"}
    assert filled(f) == expected
    # every field the preset claims is read from this vendor file, except the ones this variant of the
    # export does not carry (listed, with why, in ABSENT)
    assert claimed(preset) - {k for k, v in counts.items() if v} == ABSENT.get(preset, set())
    assert (d["preset"], d["format"], d["encoding"], d["separator"], d["sheet"], d["header_line"]) == (
        preset, "csv", encoding, separator, None, 1)
    assert d["rows_read"] - sum(d["rows_skipped"].values()) == rows
    used = {h for cols in d["columns"].values() for h in cols.split(" + ")}
    assert not used & set(d["unused_columns"]) and "" not in d["unused_columns"]


def test_shopify_customers_apostrophes_multiline_note_and_fallback_phone():
    f = read("shopify_customers", "customers_export.csv").frame
    assert row(f, 0, "customer_id", "phone", "address", "postal_code", "opt_in_email", "opt_in_sms") == [
        "7301000000001", "+33612345678", "12, rue des Lilas, Bât. B", "69003", True, False]
    assert f["source_line"].tolist()[:3] == [2, 4, 5]  # the first note spans two lines
    assert row(f, 1, "phone", "company") == ["+33450000002", "Atelier Bernard"]  # no Phone: the address phone
    assert row(f, 9, "country", "postal_code", "city") == ["CH", "1201", "Genève"]


def test_shopify_orders_first_line_fields_once_per_order_and_statuses():
    imported = read("shopify_orders", "orders_export.csv")
    f, d = imported.frame, imported.detected
    assert f["order_id"].tolist() == ["#1001", "#1001", "#1002", "#1005", "#1005", "#1007"]
    assert f["amount"].tolist() == [64.8, 0.0, 89.9, 1250.0, 0.0, 0.0]  # the order total, on its first line only
    assert f["date"].tolist()[:2] == [ts("2024-03-05 14:22:08"), ts("2024-03-05 14:22:08")]  # later line: first's date
    assert row(f, 2, "customer_id", "product", "quantity") == ["hugo.bernard@example.fr", 'Coffret "Hiver", édition limitée', 1.0]
    assert d["rows_skipped"] == {"no customer id": 1, "order status pending payment": 1, "order status refunded": 1,
                                 "order status voided": 1}
    assert (d["amount_basis"], d["decimal"], d["date_formats"]) == ("TTC", ".", {"date": "%Y-%m-%d %H:%M:%S"})
    assert "Lineitem price" in d["unused_columns"] and "Refunded Amount" in d["unused_columns"]


def test_hubspot_unsubscribed_turns_opt_in_off_and_mobile_fallback():
    imported = read("hubspot_contacts", "hubspot-crm-exports-all-contacts.csv")
    f = imported.frame
    assert row(f, 1, "customer_id", "first_name", "phone", "opt_in_email") == ["51235", "Inès", "+33 6 11 22 33 44", False]
    assert row(f, 0, "created_at", "last_contact_at", "company") == [ts("2023-02-14 09:30"), ts("2024-05-02 16:45"),
                                                                     "Moreau Conseil"]
    assert imported.detected["unused_columns"] == ["Contact owner", "Lead Status", "Marketing contact status"]


def test_mailchimp_confirm_time_when_no_optin_time():
    f = read("mailchimp_audience", "subscribed_members_export.csv").frame
    assert row(f, 1, "customer_id", "created_at", "opt_in_email") == ["401234568", ts("2022-09-01 17:40:00"), True]
    assert row(f, 0, "address", "country") == ["7 rue Victor Hugo  Lille  59000 FR", "FR"]
    assert f["birth_date"].isna().all()  # Birthday is MM/DD without a year


def test_brevo_blacklists_and_leap_day_birth_date():
    imported = read("brevo_contacts", "contacts_export.csv")
    f = imported.frame
    assert row(f, 6, "last_name", "first_name", "opt_in_email", "opt_in_sms") == ["LE GALL", "Jean-Marie", False, False]
    assert row(f, 5, "birth_date", "email") == [ts("1996-02-29"), "chloe.roux@example.be"]
    assert row(f, 1, "phone") == ["33140000002"]  # no SMS number: the landline
    assert imported.detected["date_formats"] == {"birth_date": "%d-%m-%Y", "created_at": "%Y-%m-%d %H:%M:%S"}


def test_dolibarr_third_parties_keep_the_name_and_customer_code():
    imported = read("dolibarr_thirdparties", "export_societe_1.csv")
    f, d = imported.frame, imported.detected
    assert f["last_name"].tolist()[:3] == ["Boulangerie Lefèvre", "Garage Durand; Fils", "Pharmacie de l'Église"]
    assert f["customer_id"].tolist()[:5] == ["CU2101-00001", "CU2206-00002", "CU2211-00003", "CU2302-00004", "5"]
    assert row(f, 4, "last_name", "postal_code", "created_at") == ['Atelier "Le Bois Flotté"', "29900",
                                                                   ts("2023-05-10 11:11:11")]
    assert row(f, 6, "country", "city", "phone") == ["CH", "Genève", "+41 22 000 00 07"]
    assert d["columns"]["last_name"] == "Nom" and d["columns"]["customer_id"] == "Code client + Id"
    assert d["notes"] == ["lines end with a separator: the last column, without a header, is ignored"]


def test_dolibarr_invoices_line_amounts_net_and_statuses():
    imported = read("dolibarr_invoices", "export_facture_1.csv")
    f, d = imported.frame, imported.detected
    assert f["amount"].tolist() == [1250.5, 89.9, 45.0, 25.5, -45.0, 2400.0, 0.0]  # line HT, not the invoice total
    assert row(f, 4, "customer_id", "order_id", "quantity", "date") == ["CU2206-00002", "AV2403-0001", -1.0,
                                                                        ts("2024-03-15")]
    assert d["rows_skipped"] == {"order status abandoned": 1, "order status draft": 1}
    assert (d["amount_basis"], d["columns"]["amount"], d["decimal"]) == ("HT", "Montant HT ligne", ".")
    assert d["notes"][1] == ("amounts read before VAT (HT) from 'Montant HT ligne'; to read 'Montant TTC ligne' instead, "
                             'add to engagement.yaml under customer_data.transactions: columns: {amount: "Montant TTC ligne"}')


def test_odoo_street_lines_and_name_kept_whole():
    f = read("odoo_contacts", "res.partner.csv").frame
    assert row(f, 5, "last_name", "address", "phone") == ["Karim Haddad", "18 boulevard Voltaire, Bât. C, 3e étage",
                                                          "+33 1 45 00 00 22"]
    assert row(f, 3, "customer_id", "company") == ["base.res_partner_12", "Menuiserie Leroy SAS"]


def test_woocommerce_analytics_without_id_uses_username_else_email():
    imported = read("woocommerce_customers", "customers-report.csv")
    f, d = imported.frame, imported.detected
    assert f["customer_id"].tolist() == ["claire.v", "amasson", "lucie_roche", "invite.durand@example.fr", "bfaure",
                                         "zoe", "sans.nom@example.fr", "hbernard"]
    assert row(f, 7, "last_name", "first_name", "postal_code") == ["Hugo Bernard, Atelier", None, "74000"]
    assert row(f, 0, "created_at", "last_contact_at") == [ts("2022-10-03 19:22:05"), ts("2024-06-02 19:22:05")]
    assert d["notes"] == ["no customer_id column: 'Username' else 'Email' used as the customer_id (stable per customer)"]
    assert d["unused_columns"] == ["Orders", "Total spend", "AOV", "Region"]


def test_woocommerce_analytics_emailed_export_with_bom_and_sign_up(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes("\ufeffName,Username,Last Active,Sign Up,Email,Orders,Total Spend,AOV,Country / Region,City,"
                     "Region,Postal Code\nClaire Vincent,claire.v,2024-06-02 19:22:05,2022-10-03 19:22:05,"
                     "claire.vincent@example.fr,4,312.40,78.10,FR,Strasbourg,FR-67,67000\n".encode())
    imported = read_source(SourceSpec("customers", path, "woocommerce_customers"))
    assert row(imported.frame, 0, "customer_id", "created_at", "postal_code") == ["claire.v", ts("2022-10-03 19:22:05"),
                                                                                  "67000"]


def test_woocommerce_orders_legacy_format_us_dates_and_guests():
    imported = read("woocommerce_orders", "wc-customer-order-csv-export.csv")
    f, d = imported.frame, imported.detected
    assert f["customer_id"].tolist() == ["12", "invite.durand@example.fr", "13", "15"]
    assert f["date"].tolist() == [ts("2024-05-31 00:37"), ts("2024-06-01 09:05"), ts("2024-06-13 10:10"),
                                  ts("2024-06-15 12:12")]
    assert f["amount"].tolist() == [64.8, 35.5, 1250.0, 0.0]
    assert (d["date_format"], d["amount_basis"]) == ("%m/%d/%Y %H:%M", "TTC")
    assert d["rows_skipped"] == {"no customer id": 1, "order status cancelled": 1, "order status failed": 1,
                                 "order status refunded": 1}


def test_generic_customers_french_crm_export():
    f = read("generic_customers", "clients.csv").frame
    assert row(f, 1, "address", "phone", "opt_in_email", "opt_in_sms") == ["ZA des Prés, Bât. 2", "06 00 00 00 02", False, True]
    assert row(f, 0, "birth_date", "created_at", "last_contact_at") == [ts("1985-07-14"), ts("2022-01-03"), ts("2024-05-15")]
    assert row(f, 3, "first_name", "last_name", "country") == ["Jürgen", "Müller", "Suisse"]


def test_generic_billing_sage_style_units_in_headers_and_ht_first():
    imported = read("generic_billing", "ventes_sage.csv")
    f, d = imported.frame, imported.detected
    assert f["amount"].tolist() == [1041.25, 74.92, 37.5, 0.0, 20.0, -37.5, 2000.0]
    assert row(f, 0, "customer_id", "order_id", "date", "quantity") == ["411LEFEVRE", "FA000101", ts("2024-01-05"), 2.0]
    assert d["columns"]["amount"] == "Montant HT (€)" and d["amount_basis"] == "HT"
    assert d["rows_skipped"] == {"no customer id": 1}
    assert d["unused_columns"] == ["Désignation", "Montant TTC (€)"]


def test_generic_billing_pennylane_style_workbook_ttc_only(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Factures clients"
    ws.append(["Numéro de facture", "Client", "Date de facturation", "Date d'échéance", "Libellé", "Montant HT",
               "Montant TVA", "Montant TTC", "Devise", "Statut"])
    ws.append(["F-2024-001", "Boulangerie Lefèvre", "05/01/2024", "04/02/2024", "Révision four", 1041.25, 208.25,
               1249.5, "EUR", "Payée"])
    ws.append(["F-2024-002", "Garage Durand", "12/01/2024", "11/02/2024", "Diagnostic", 37.5, 7.5, 45, "EUR", "À payer"])
    wb.save(tmp_path / "pennylane.xlsx")
    imported = read_source(SourceSpec("transactions", tmp_path / "pennylane.xlsx", "generic_billing"))
    f, d = imported.frame, imported.detected
    assert row(f, 0, "customer_id", "order_id", "date", "amount", "product") == [
        "Boulangerie Lefèvre", "F-2024-001", ts("2024-01-05"), 1041.25, "Révision four"]
    only_ttc = SourceSpec("transactions", tmp_path / "pennylane.xlsx", "generic_billing",
                          columns={"amount": "Montant TTC"})
    assert read_source(only_ttc).detected["amount_basis"] == "TTC"
    assert d["sheet"] == "Factures clients" and "Montant TTC" in d["unused_columns"]
