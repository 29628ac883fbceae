"""Workbook 02 import layer: real-format exports in, canonical tables out,
every bad input reported with its line (relkit.customers.io)."""
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from relkit.customers import CUSTOMER_FIELDS, TRANSACTION_FIELDS
from relkit.customers.io.derived import derive_customers, orders
from relkit.customers.io.presets import presets
from relkit.customers.io.schema import ImportFailed, SourceSpec
from relkit.customers.io.source import read_source

EXPORTS = Path(__file__).parents[1] / "data" / "exports"
NBSP, NNBSP = "\u00a0", "\u202f"


def read(name: str, kind: str = "customers", **spec):
    return read_source(SourceSpec(kind, EXPORTS / f"{name}.csv", name, **spec))


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def failure(spec: SourceSpec) -> list[str]:
    with pytest.raises(ImportFailed) as err:
        read_source(spec)
    return [str(p) for p in err.value.problems]


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# ------------------------------------------------------------------ one sample per preset
@pytest.mark.parametrize("name, kind, encoding, separator, rows", [
    ("shopify_customers", "customers", "utf-8", ",", 5),
    ("hubspot_contacts", "customers", "utf-8-sig", ",", 4),
    ("mailchimp_audience", "customers", "utf-8", ",", 3),
    ("brevo_contacts", "customers", "utf-8", ";", 4),
    ("dolibarr_thirdparties", "customers", "cp1252", ";", 4),
    ("odoo_contacts", "customers", "utf-8", ",", 3),
    ("woocommerce_customers", "customers", "utf-8", ",", 3),
    ("woocommerce_orders", "transactions", "utf-8", ",", 4),
    ("generic_billing", "transactions", "utf-8-sig", ";", 10),
])
def test_every_preset_reads_its_sample_into_the_canonical_table(name, kind, encoding, separator, rows):
    imported = read(name, kind)
    fields = CUSTOMER_FIELDS if kind == "customers" else TRANSACTION_FIELDS
    assert list(imported.frame.columns) == [*fields, "source_line"]
    assert len(imported.frame) == rows
    d = imported.detected
    assert (d["preset"], d["format"], d["encoding"], d["separator"], d["sheet"], d["header_line"]) == (
        name, "csv", encoding, separator, None, 1)
    assert d["rows_read"] - sum(d["rows_skipped"].values()) == rows
    assert imported.frame["customer_id"].notna().all() and imported.frame["customer_id"].dtype == "str"


def test_presets_cover_the_documented_tools():
    assert sorted(presets()) == [
        "brevo_contacts", "dolibarr_invoices", "dolibarr_thirdparties", "generic_billing", "generic_customers",
        "hubspot_contacts", "mailchimp_audience", "odoo_contacts", "shopify_customers", "shopify_orders",
        "woocommerce_customers", "woocommerce_orders"]
    assert {p.kind for p in presets().values()} == {"customers", "transactions"}


def test_shopify_apostrophes_removed_quoted_newlines_and_commas_kept():
    imported = read("shopify_customers")
    f = imported.frame
    assert f["customer_id"].tolist() == ["7012345678901", "7012345678902", "7012345678903", "7012345678904",
                                         "7012345678905"]
    # The first note spans lines 2-3, so the next customer is on line 4.
    assert f["source_line"].tolist() == [2, 4, 5, 6, 7]
    assert f["phone"].tolist()[:3] == ["+33612345678", "+33450000002", "+33698765432"]  # else the address phone
    assert f.loc[0, "address"] == "12, rue des Lilas, Bât. B"
    assert f["postal_code"].tolist()[:3] == ["69003", "74000", "75016"] and f.loc[4, "postal_code"] == "1000"
    assert f["opt_in_email"].tolist() == [True, False, True, False, True]
    assert f["opt_in_sms"].tolist() == [False, True, True, False, False]
    assert f.loc[1, "company"] == "Atelier Bernard" and pd.isna(f.loc[0, "company"])
    assert f.loc[3, ["email", "phone", "address", "city"]].isna().all()
    assert imported.detected["columns"]["address"] == "Default Address Address1 + Default Address Address2"


def test_hubspot_utf8_bom_dates_with_time_and_mobile_fallback():
    imported = read("hubspot_contacts")
    f = imported.frame
    assert f["customer_id"].tolist() == ["51234", "51235", "51236", "51237"]
    assert f.loc[0, "created_at"] == ts("2023-02-14 09:30") and f.loc[0, "last_contact_at"] == ts("2024-05-02 16:45")
    assert pd.isna(f.loc[1, "last_contact_at"])
    assert f.loc[1, "phone"] == "+33 6 11 22 33 44" and f.loc[2, "address"] == "3, quai des Chartrons"
    assert f.loc[1, "first_name"] == "Inès" and f.loc[0, "country"] == "France"
    assert imported.detected["date_formats"] == {"created_at": "%Y-%m-%d %H:%M", "last_contact_at": "%Y-%m-%d %H:%M"}
    assert f["created_at"].dtype == "datetime64[us]" and f["opt_in_email"].isna().all()


def test_mailchimp_subscribed_members_opted_in_and_birthday_ignored():
    f = read("mailchimp_audience").frame
    assert f["customer_id"].tolist() == ["401234567", "401234568", "401234569"]
    assert f["opt_in_email"].tolist() == [True, True, True]
    assert f["created_at"].tolist() == [ts("2023-05-10 08:12:45"), ts("2022-09-01 17:40:00"), ts("2024-04-02 21:05:11")]
    assert f["birth_date"].isna().all() and f["country"].tolist() == ["FR", "FR", "BE"]


def test_mailchimp_unsubscribed_export_turns_opt_in_off(tmp_path):
    path = write(tmp_path, "unsub.csv",
                 "Email Address,First Name,Last Name,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,LEID,EUID\n"
                 "a@example.fr,Alice,Arnaud,2024-01-03 10:00:00,Soldes,1,e1\n"
                 "b@example.fr,Bruno,Brun,,,2,e2\n")
    f = read_source(SourceSpec("customers", path, "mailchimp_audience")).frame
    assert f["opt_in_email"].tolist() == [False, True]


def test_brevo_blacklists_become_opt_ins_and_ambiguous_birth_dates_read_french():
    imported = read("brevo_contacts")
    f = imported.frame
    assert f["opt_in_email"].tolist() == [True, False, True, True]
    assert f["opt_in_sms"].tolist() == [True, True, False, True]
    assert f["birth_date"].tolist()[:2] == [ts("1985-03-05"), ts("1990-07-11")] and pd.isna(f.loc[2, "birth_date"])
    assert f.loc[0, "created_at"] == ts("2023-01-12 09:15:00")  # time zone dropped, local time kept
    assert imported.detected["date_formats"] == {"birth_date": "%d-%m-%Y", "created_at": "%Y-%m-%d %H:%M:%S"}
    assert imported.detected["date_format"] == "%Y-%m-%d %H:%M:%S"
    assert imported.detected["notes"] == ["no day above 12 in the dates: read as dd/mm (French order)"]


def test_dolibarr_cp1252_trailing_separator_and_postal_codes_as_text():
    imported = read("dolibarr_thirdparties")
    f = imported.frame
    assert f["customer_id"].tolist() == ["CL0001", "CL0002", "CL0003", "CL0004"]
    assert f["last_name"].tolist() == ["Boulangerie Lefèvre", "Garage Durand; Fils", "Pharmacie de l'Église",
                                       "Mme Élodie Perrin"]
    assert f["postal_code"].tolist() == ["01000", "07200", "38000", "2A004"]
    assert f["created_at"].tolist() == [ts("2021-01-15"), ts("2022-06-03"), ts("2022-11-28"), ts("2023-02-09")]
    assert imported.detected["date_formats"] == {"created_at": "%d/%m/%Y"}
    assert imported.detected["notes"] == ["lines end with a separator: the last column, without a header, is ignored"]
    assert f["first_name"].isna().all()


def test_odoo_name_kept_whole_street_lines_joined():
    f = read("odoo_contacts").frame
    assert f["last_name"].tolist() == ["Nathalie Leroy", "Jean-Marie Le Gall", "Sophie Marchand"]
    assert f["first_name"].isna().all()
    assert f.loc[0, "address"] == "4 rue de la Forge, ZA Est" and f.loc[1, "address"] == "12 quai Duguay-Trouin"
    assert f.loc[1, "phone"] == "+33 6 98 00 00 02" and f.loc[0, "company"] == "Menuiserie Leroy"
    assert f.loc[2, "created_at"] == ts("2024-01-10 10:00:00")


def test_woocommerce_customers_keep_leading_zero_phones():
    f = read("woocommerce_customers").frame
    assert f["customer_id"].tolist() == ["12", "13", "14"]
    assert f["phone"].tolist() == ["0388000001", "0380000002", "+41220000003"]
    assert f.loc[0, "address"] == "9 rue des Tanneurs, Appt 4" and f.loc[2, "country"] == "CH"


def test_woocommerce_orders_skip_unpaid_statuses_and_count_the_total_once():
    imported = read("woocommerce_orders", "transactions")
    f = imported.frame
    assert f["customer_id"].tolist() == ["12", "12", "invite.durand@example.fr", "13"]  # guest: billing e-mail
    assert f["amount"].tolist() == [64.8, 0.0, 35.5, 1250.0]
    assert f["order_id"].tolist() == ["1001", "1001", "1003", "1006"]
    assert f["source_line"].tolist() == [2, 3, 5, 8]
    assert imported.detected["rows_skipped"] == {
        "order status cancelled": 1, "order status failed": 1, "order status refunded": 1}
    assert imported.detected["decimal"] == "."
    assert imported.detected["notes"] == [
        "order total repeated on item lines: counted once per order (1 line(s) set to 0)"]


def test_generic_billing_french_amounts_skips_and_line_numbers():
    imported = read("generic_billing", "transactions")
    f = imported.frame
    assert f["amount"].tolist() == [1250.5, 89.9, 45.0, 0.0, 24.0, 8.5, 8.5, -45.0, 2400.0, 0.0]
    assert f["quantity"].tolist() == [2.0, 1.0, 1.0, 1.0, 3.0, 1.0, 1.0, -1.0, 1.0, 1.0]
    assert f["date"].tolist()[:2] == [ts("2024-01-05"), ts("2024-01-05")]
    assert f["source_line"].tolist() == [2, 3, 4, 5, 6, 7, 8, 9, 12, 13]  # line 10 empty, line 11 without client
    assert f["order_id"].isna().tolist() == [False, False, False, True, True, True, True, False, False, False]
    d = imported.detected
    assert (d["decimal"], d["date_format"], d["date_formats"], d["rows_read"]) == (",", "%d/%m/%Y", {"date": "%d/%m/%Y"}, 12)
    assert d["rows_skipped"] == {"empty line": 1, "no customer id": 1}
    assert d["columns"] == {"customer_id": "N° client", "date": "Date facture", "amount": "Montant TTC",
                            "quantity": "Qté", "order_id": "N° facture", "product": "Article"}
    assert f.dtypes.astype(str).tolist() == ["str", "datetime64[us]", "float64", "float64", "str", "str", "int64"]


# ------------------------------------------------------------------ orders
def test_orders_group_by_order_id_else_calendar_day_and_flag_refunds():
    o = orders(read("generic_billing", "transactions").frame)
    assert o.columns.tolist() == ["customer_id", "order_key", "date", "amount", "lines", "zero_amount", "refund"]
    assert o.values.tolist() == [
        ["C001", "F2024-001", ts("2024-01-05"), 1340.4, 2, False, False],
        ["C002", "F2024-002", ts("2024-01-12"), 45.0, 1, False, False],
        ["C002", "2024-01-12", ts("2024-01-12"), 0.0, 1, True, False],
        ["C002", "AV2024-001", ts("2024-03-15"), -45.0, 1, False, True],
        ["C003", "2024-02-20", ts("2024-02-20"), 32.5, 2, False, False],
        ["C003", "2024-02-21", ts("2024-02-21"), 8.5, 1, False, False],
        ["C004", "F2024-004", ts("2024-03-28"), 2400.0, 1, False, False],
        ["C004", "F2024-005", ts("2024-03-28"), 0.0, 1, True, False],
    ]
    assert (~o["refund"]).sum() == 7 and o["amount"].sum() == pytest.approx(3781.4)


def test_orders_of_one_day_keep_the_first_time_and_net_refunds_on_the_same_day():
    t = pd.DataFrame({
        "customer_id": ["A", "A", "A"], "date": pd.to_datetime(["2024-05-02 15:00", "2024-05-02 09:30", "2024-05-02 18:00"]),
        "amount": [30.0, 20.0, -20.0], "quantity": [1.0, 1.0, -1.0], "order_id": pd.array([None, None, None], dtype="str"),
        "product": pd.array(["x", "y", "y"], dtype="str"), "source_line": [2, 3, 4]})
    o = orders(t)
    assert o.values.tolist() == [["A", "2024-05-02", ts("2024-05-02 09:30"), 30.0, 3, False, False]]


def test_derive_customers_from_sales_only():
    c = derive_customers(read("generic_billing", "transactions").frame)
    assert list(c.columns) == [*CUSTOMER_FIELDS, "source_line"]
    assert c["customer_id"].tolist() == ["C001", "C002", "C003", "C004"]
    assert c["created_at"].tolist() == [ts("2024-01-05"), ts("2024-01-12"), ts("2024-02-20"), ts("2024-03-28")]
    assert c["source_line"].tolist() == [2, 4, 6, 12]
    assert c["email"].isna().all() and c["opt_in_email"].dtype == "boolean"


# ------------------------------------------------------------------ detection
def test_xlsx_billing_with_title_rows_excel_dates_numbers_and_text_amounts(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Factures"
    ws.append(["Export des factures — janvier 2024"])
    ws.append([])
    ws.append(["Code client", "Date", "Facture", "Produit", "Quantité", "Montant HT"])
    ws.append([42, dt.datetime(2024, 1, 5), "F-001", "Coffret", 2, 1250.5])
    ws.append([42, dt.datetime(2024, 1, 5, 14, 30), "F-001", "Théière", 1, f"1{NNBSP}250,50 €"])
    ws.append(["C-7", "12/01/2024", None, "Thé", 3, 12.125])
    ws.append([])
    ws.append([43, dt.date(2024, 1, 20), "AV-002", "Avoir", -1, -45])
    ws["A4"].number_format = ws["A5"].number_format = ws["A8"].number_format = "000000"
    path = tmp_path / "ventes.xlsx"
    wb.save(path)
    imported = read_source(SourceSpec("transactions", path, "generic_billing"))
    f = imported.frame
    assert f["customer_id"].tolist() == ["000042", "000042", "C-7", "000043"]
    assert f["date"].tolist() == [ts("2024-01-05"), ts("2024-01-05 14:30"), ts("2024-01-12"), ts("2024-01-20")]
    assert f["amount"].tolist() == [1250.5, 1250.5, 12.125, -45.0]
    assert f["quantity"].tolist() == [2.0, 1.0, 3.0, -1.0]
    assert f["source_line"].tolist() == [4, 5, 6, 8]
    d = imported.detected
    assert (d["format"], d["sheet"], d["encoding"], d["separator"], d["header_line"]) == ("xlsx", "Factures", None, None, 3)
    assert (d["rows_read"], d["rows_skipped"]) == (5, {"empty line": 1})


def test_tab_separated_txt_with_title_line_and_us_dates(tmp_path):
    path = write(tmp_path, "export.txt",
                 "Export du 02/04/2024\n\nCode client\tDate\tMontant\n"
                 "C1\t03/25/2024\t10.50\nC2\t04/02/2024\t1,250.00\n")
    imported = read_source(SourceSpec("transactions", path))
    assert imported.detected["separator"] == "\t" and imported.detected["header_line"] == 3
    assert imported.detected["date_formats"] == {"date": "%m/%d/%Y"} and imported.detected["decimal"] == "."
    assert imported.frame["date"].tolist() == [ts("2024-03-25"), ts("2024-04-02")]
    assert imported.frame["amount"].tolist() == [10.5, 1250.0]
    assert imported.frame["source_line"].tolist() == [4, 5]


def test_comma_separated_file_with_quoted_decimal_commas(tmp_path):
    path = write(tmp_path, "ventes.csv", 'Client,Date,Montant\nC1,2024-03-01,"1 250,50"\nC2,2024-03-02T10:15:00Z,"12,5"\n')
    imported = read_source(SourceSpec("transactions", path))
    assert imported.detected["separator"] == "," and imported.detected["decimal"] == ","
    assert imported.frame["amount"].tolist() == [1250.5, 12.5]
    assert imported.frame["date"].tolist() == [ts("2024-03-01"), ts("2024-03-02 10:15")]


def test_excel_unicode_text_export_is_utf16_with_tabs(tmp_path):
    path = write(tmp_path, "clients.txt", "Code client\tNom\tCode postal\r\n0042\tLefèvre\t01000\r\n", encoding="utf-16")
    imported = read_source(SourceSpec("customers", path))
    assert (imported.detected["encoding"], imported.detected["separator"]) == ("utf-16", "\t")
    assert imported.frame.loc[0, ["customer_id", "last_name", "postal_code"]].tolist() == ["0042", "Lefèvre", "01000"]


def test_workbook_sheet_holding_the_header_is_found(tmp_path):
    wb = Workbook()
    wb.active.title = "Lisez-moi"
    wb.active["A1"] = "Export généré par la caisse"
    sheet = wb.create_sheet("Clients")
    sheet.append(["Id", "Nom", "Newsletter"])
    sheet.append([7, "Durand", "oui"])
    wb.save(tmp_path / "clients.xlsx")
    imported = read_source(SourceSpec("customers", tmp_path / "clients.xlsx"))
    assert imported.detected["sheet"] == "Clients" and imported.frame["opt_in_email"].tolist() == [True]


def test_engagement_overrides_columns_and_options(tmp_path):
    path = write(tmp_path, "clients.csv",
                 "Code client|Nom|E-mail perso|Inscrit le\n"
                 "001|Durand|d@example.fr|03/04/2024\n", encoding="cp1252")
    spec = SourceSpec("customers", path, columns={"email": "E-mail perso", "created_at": "Inscrit le"},
                      options={"separator": "|", "encoding": "cp1252", "date_format": "%m/%d/%Y"})
    imported = read_source(spec)
    assert imported.frame.loc[0, "email"] == "d@example.fr" and imported.frame.loc[0, "customer_id"] == "001"
    assert imported.frame.loc[0, "created_at"] == ts("2024-03-04")
    assert imported.detected["encoding"] == "cp1252" and imported.detected["preset"] == "generic_customers"


def test_forced_decimal_reads_ambiguous_thousands(tmp_path):
    path = write(tmp_path, "ventes.csv", "Client;Date;Montant\nC1;01/02/2024;1.250\nC2;01/02/2024;2.500\n")
    assert read_source(SourceSpec("transactions", path)).frame["amount"].tolist() == [1250.0, 2500.0]
    spec = SourceSpec("transactions", path, options={"decimal": "."})
    assert read_source(spec).frame["amount"].tolist() == [1.25, 2.5]


# ------------------------------------------------------------------ problems
def test_missing_mapped_column_names_expected_and_found_headers_and_the_yaml_fix(tmp_path):
    path = write(tmp_path, "ventes.csv", "Code;Date facture;Prix (€)\nC1;05/01/2024;10\n")
    expected = ("expected one of 'Montant HT', 'Total HT', 'Montant', 'Montant TTC', 'Total TTC', 'Net à payer', "
                "'amount', 'total'")
    assert failure(SourceSpec("transactions", path)) == [
        f"{path}: line 1: no column for customer_id: expected one of 'N° client', 'Numéro client', 'No client', "
        "'Code client', 'Code tiers', 'Compte tiers', 'N° tiers', 'Réf. client', 'Ref client', 'Id client', 'Client', "
        "'Tiers', 'customer_id', 'customer id', 'customer'; columns found: 'Code', 'Date facture', 'Prix (€)'; "
        "if 'Code' holds it, add to engagement.yaml under customer_data.transactions: columns: {customer_id: \"Code\"}",
        f"{path}: line 1: no column for amount: {expected}; columns found: 'Code', 'Date facture', 'Prix (€)'; "
        "if 'Prix (€)' holds it, add to engagement.yaml under customer_data.transactions: columns: {amount: \"Prix (€)\"}"]
    spec = SourceSpec("transactions", EXPORTS / "generic_billing.csv", "generic_billing",
                      columns={"amount": "Total à payer"})
    assert failure(spec) == [
        f"{EXPORTS / 'generic_billing.csv'}: line 1: no column for amount: expected 'Total à payer'; columns found: "
        "'N° client', 'Date facture', 'N° facture', 'Article', 'Qté', 'Montant TTC'; if 'Montant TTC' holds it, add to "
        "engagement.yaml under customer_data.transactions: columns: {amount: \"Montant TTC\"}"]
    nothing = write(tmp_path, "rien.csv", "Client;Date;Remarque\nC1;05/01/2024;ok\n")
    assert failure(SourceSpec("transactions", nothing))[0].endswith(
        "columns found: 'Client', 'Date', 'Remarque'; add to engagement.yaml under customer_data.transactions: "
        "columns: {amount: \"<header of the column holding it>\"}")


def test_bad_dates_and_amounts_are_all_reported_with_line_and_column(tmp_path):
    path = write(tmp_path, "ventes.csv",
                 "Client;Date;Montant\nC1;31/02/2024;10\nC2;15/03/2024;douze euros\nC3;;5\nC4;16/03/2024;\n")
    assert failure(SourceSpec("transactions", path)) == [
        f"{path}: line 2, column 'Date': expected a date as dd/mm/yyyy, got '31/02/2024'",
        f"{path}: line 4, column 'Date': expected a date as dd/mm/yyyy, got ''",
        f"{path}: line 3, column 'Montant': expected a number such as '1 250 €' or '1 250,50', got 'douze euros'",
        f"{path}: line 5, column 'Montant': expected a number such as '1 250 €' or '1 250,50', got ''",
    ]


def test_bad_values_are_capped_per_column(tmp_path):
    lines = "".join(f"C{i};05/01/2024;n/a\n" for i in range(8))
    path = write(tmp_path, "ventes.csv", "Client;Date;Montant\n" + lines)
    problems = failure(SourceSpec("transactions", path))
    assert len(problems) == 6
    assert problems[4] == f"{path}: line 6, column 'Montant': expected a number such as '1 250 €' or '1 250,50', got 'n/a'"
    assert problems[5] == f"{path}: column 'Montant': … and 3 more lines"


def test_bad_flag(tmp_path):
    path = write(tmp_path, "c.csv", '"Customer ID","Email","Accepts Email Marketing"\n"\'1","a@b.fr","peut-être"\n')
    assert failure(SourceSpec("customers", path, "shopify_customers")) == [
        f"{path}: line 2, column 'Accepts Email Marketing': expected yes/no, oui/non, true/false or 1/0, got 'peut-être'"]


def test_empty_file_and_header_without_rows(tmp_path):
    empty = write(tmp_path, "vide.csv", "")
    assert failure(SourceSpec("transactions", empty)) == [f"{empty}: the file is empty: no header line"]
    header = write(tmp_path, "entete.csv", "Client;Date;Montant\r\n\r\n")
    assert failure(SourceSpec("transactions", header)) == [f"{header}: no data rows under the header (line 1)"]
    no_ids = write(tmp_path, "sans_client.csv", "Client;Date;Montant\n;05/01/2024;10\n")
    assert failure(SourceSpec("transactions", no_ids)) == [f"{no_ids}: every line was skipped (no customer id: 1)"]


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "ventes.csv"
    path.write_bytes(b"Client;Date;Montant\nC\x81;05/01/2024;10\n")
    assert failure(SourceSpec("transactions", path)) == [
        f"{path}: line 2: cannot be read as UTF-8 or Windows-1252 (cp1252) text (byte 0x81); re-export it as 'CSV UTF-8'"]


def test_unknown_preset_wrong_kind_and_bad_options_reported_together(tmp_path):
    spec = SourceSpec("customers", tmp_path / "c.csv", "shopfy_customers", columns={"mail": "Email"},
                      options={"decimal": ";", "sep": ";"})
    known = ", ".join(sorted(presets()))
    assert failure(spec) == [
        f"{tmp_path / 'c.csv'}: preset 'shopfy_customers': unknown preset; expected one of {known}",
        f"{tmp_path / 'c.csv'}: columns 'mail': unknown relkit field; expected one of "
        "customer_id, email, phone, first_name, last_name, company, address, postal_code, city, country, birth_date, "
        "created_at, last_contact_at, opt_in_email, opt_in_sms, opt_out_email, opt_out_sms, unsubscribed_at, status",
        f"{tmp_path / 'c.csv'}: option 'sep': unknown option; expected one of encoding, separator, decimal, date_format, sheet",
        f"{tmp_path / 'c.csv'}: option 'decimal': expected ',' or '.', got ';'",
        f"{tmp_path / 'c.csv'}: file not found",
    ]
    assert failure(SourceSpec("customers", EXPORTS / "generic_billing.csv", "generic_billing")) == [
        f"{EXPORTS / 'generic_billing.csv'}: preset 'generic_billing': is a transactions preset, declared for customers"]


def test_old_excel_and_other_formats_refused(tmp_path):
    xls = tmp_path / "clients.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert failure(SourceSpec("customers", xls)) == [
        f"{xls}: old Excel .xls files are not supported; save it as .xlsx or 'CSV UTF-8'"]
    renamed = tmp_path / "clients.csv"
    renamed.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))
    assert failure(SourceSpec("customers", renamed)) == [
        f"{renamed}: is an old Excel .xls workbook, not CSV text; save it as .xlsx or 'CSV UTF-8'"]
    broken = write(tmp_path, "clients.xlsx", "pas un classeur")
    assert failure(SourceSpec("customers", broken)) == [
        f"{broken}: not a readable .xlsx workbook; open it in Excel and save it again"]


def test_lines_with_a_wrong_number_of_fields(tmp_path):
    path = write(tmp_path, "ventes.csv", "Client;Date;Montant\nC1;05/01/2024;10\nC2;05/01/2024;10;extra\nC3;05/01/2024\n")
    assert failure(SourceSpec("transactions", path)) == [
        f"{path}: line 3: expected 3 fields separated by ';', got 4",
        f"{path}: line 4: expected 3 fields separated by ';', got 2",
    ]


def test_broken_quoting_is_reported_not_swallowed(tmp_path):
    path = write(tmp_path, "ventes.csv", 'Client;Date;Montant;Article\nC1;05/01/2024;10;"Thé\nC2;05/01/2024;12;Café\n')
    assert failure(SourceSpec("transactions", path)) == [
        f'{path}: line 2: broken quoting (unexpected end of data); every " opening a value must close it']


def test_bad_value_in_a_workbook_names_sheet_and_row(tmp_path):
    wb = Workbook()
    wb.active.title = "Ventes"
    wb.active.append(["Client", "Date", "Montant"])
    wb.active.append(["C1", "32/01/2024", 10])
    wb.save(tmp_path / "ventes.xlsx")
    assert failure(SourceSpec("transactions", tmp_path / "ventes.xlsx")) == [
        f"{tmp_path / 'ventes.xlsx'}: sheet 'Ventes', row 2, column 'Date': expected a date as dd/mm/yyyy, got '32/01/2024'"]


def test_message_lists_every_problem():
    with pytest.raises(ImportFailed) as err:
        read_source(SourceSpec("transactions", Path("nulle-part.csv"), "inconnu"))
    assert str(err.value).splitlines()[0] == "2 problems in the engagement inputs:"
    assert err.value.exit_code == 2


def test_vectorised_read_keeps_line_numbers_on_a_larger_file(tmp_path):
    n = 50_000
    body = "".join(f"C{i % 997:04d};{1 + i % 28:02d}/{1 + i % 12:02d}/2024;F{i // 3};1;{i % 500},{i % 100:02d}\n"
                   for i in range(n))
    path = write(tmp_path, "ventes.csv", "Code client;Date;N° facture;Qté;Montant HT\n" + body)
    f = read_source(SourceSpec("transactions", path)).frame
    assert len(f) == n and f["source_line"].iloc[-1] == n + 1
    assert f["amount"].iloc[-1] == pytest.approx(((n - 1) % 500) + ((n - 1) % 100) / 100)
    assert f["date"].iloc[-1] == ts(f"2024-{1 + (n - 1) % 12:02d}-{1 + (n - 1) % 28:02d}")
    assert np.array_equal(f["source_line"].to_numpy(), np.arange(2, n + 2))


# ------------------------------------------------------------------ bad export input
def test_header_variants_match_units_case_accents_and_spaces(tmp_path):
    path = write(tmp_path, "ventes.csv", "CODE TIERS ;date pièce;Total HT en €;MONTANT TTC (EUR)\n"
                                          "411A;05/01/2024;100,00;120,00\n")
    imported = read_source(SourceSpec("transactions", path))
    assert imported.frame["amount"].tolist() == [100.0]
    assert imported.detected["columns"] == {"customer_id": "CODE TIERS ", "date": "date pièce", "amount": "Total HT en €"}
    assert imported.detected["amount_basis"] == "HT"
    ttc = write(tmp_path, "ttc.csv", "Client;Date;Montant TTC (€)\nC1;05/01/2024;120\n")
    assert read_source(SourceSpec("transactions", ttc)).detected["amount_basis"] == "TTC"
    unknown = write(tmp_path, "montant.csv", "Client;Date;Montant\nC1;05/01/2024;120\n")
    assert read_source(SourceSpec("transactions", unknown)).detected["amount_basis"] is None


def test_duplicate_header_for_a_field_is_ambiguous(tmp_path):
    path = write(tmp_path, "clients.csv", "Code client;Email;Nom;E-mail;Email\n1;a@x.fr;Durand;b@x.fr;c@x.fr\n")
    assert failure(SourceSpec("customers", path)) == [
        f"{path}: line 1, column 'Email': columns 2 and 5 have the same header, read as email: relkit cannot tell "
        "which one to use; rename or delete the other ones in the file"]
    unused_twice = write(tmp_path, "ok.csv", "Code client;Remarque;Remarque\n1;a;b\n")
    assert read_source(SourceSpec("customers", unused_twice)).detected["unused_columns"] == ["Remarque", "Remarque"]


def test_workbook_formulas_never_computed(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Ventes"
    ws.append(["Client", "Date", "Prix unitaire", "Quantité", "Montant"])
    ws.append(["C1", "05/01/2024", 10, 2, "=C2*D2"])
    ws.append(["C2", "06/01/2024", 5, 1, "=C3*D3"])
    wb.save(tmp_path / "ventes.xlsx")  # written by a program: no cached results
    assert failure(SourceSpec("transactions", tmp_path / "ventes.xlsx")) == [
        f"{tmp_path / 'ventes.xlsx'}: sheet 'Ventes', row 2, column 'Montant': the column holds formulas (=C2*D2) whose "
        "results were never computed: open and save the file in Excel or LibreOffice, then import it again"]


def test_password_protected_workbook(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile
    wb = Workbook()
    wb.active.append(["Client", "Date", "Montant"])
    wb.active.append(["C1", "05/01/2024", 10])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    locked = tmp_path / "ventes.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    expected = ("is password-protected (encrypted): open it with its password and save a copy without one "
                "(Excel: File > Info > Protect Workbook > Encrypt with Password, empty the password)")
    assert failure(SourceSpec("transactions", locked)) == [f"{locked}: {expected}"]
    renamed = tmp_path / "ventes.csv"
    renamed.write_bytes(locked.read_bytes())
    assert failure(SourceSpec("transactions", renamed)) == [f"{renamed}: {expected}"]
    assert msoffcrypto


def test_amounts_in_another_currency(tmp_path):
    path = write(tmp_path, "ventes.csv", "Client;Date;Montant\nC1;05/01/2024;10 €\nC2;05/01/2024;12,50 $\n"
                                          "C3;06/01/2024;CHF 30\nC4;07/01/2024;8,00\n")
    assert read_source(SourceSpec("transactions", path)).frame["amount"].tolist() == [10.0, 12.5, 30.0, 8.0]
    assert failure(SourceSpec("transactions", path, currency="EUR")) == [
        f"{path}: line 3, column 'Montant': amount in USD ('12,50 $') while the engagement's currency is EUR: "
        "convert it to EUR or check the export's currency",
        f"{path}: line 4, column 'Montant': amount in CHF ('CHF 30') while the engagement's currency is EUR: "
        "convert it to EUR or check the export's currency"]
    euros = write(tmp_path, "eur.csv", "Client;Date;Montant\nC1;05/01/2024;10 €\nC2;05/01/2024;5 EUR\n")
    assert read_source(SourceSpec("transactions", euros, currency="eur")).frame["amount"].tolist() == [10.0, 5.0]
    header = write(tmp_path, "usd.csv", "Client;Date;Total (USD)\nC1;05/01/2024;10\n")
    spec = SourceSpec("transactions", header, columns={"amount": "Total (USD)"}, currency="EUR")
    assert failure(spec) == [
        f"{header}: line 1, column 'Total (USD)': the header gives amounts in USD while the engagement's currency is "
        "EUR: convert them to EUR or declare the engagement's currency"]
