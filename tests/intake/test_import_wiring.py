"""The engagement's settings reach the export readers, and what the readers
detect reaches the report's sources section."""
import relkit
from relkit.workbooks.customers import CustomerFile
from relkit.io.labels import Labels
from relkit.intake.load import load


def _demo_with_sales(demo, header: str, amount: str) -> None:
    path = demo / "exports" / "ventes.csv"
    lines = path.read_text(encoding="cp1252").splitlines()
    lines[0] = lines[0].replace("Montant TTC", header)
    lines[1] = ";".join(lines[1].split(";")[:-1] + [amount])
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")


def test_amounts_in_another_currency_are_reported(demo):
    _demo_with_sales(demo, "Montant TTC", "$42.00")
    problems = [str(p) for p in relkit.check(demo)]
    assert len(problems) == 1
    assert "ventes.csv" in problems[0] and "line 2" in problems[0] and "USD" in problems[0] and "EUR" in problems[0]


def test_sources_say_the_amount_basis_and_unused_columns(demo):
    data = load(demo)
    cf = CustomerFile(data.engagement, data.imports, Labels("fr"))
    text = " ".join(cf.sources_text())
    assert "Les montants sont toutes taxes comprises (TTC) : le fichier ne donne pas de montant hors taxes." in text
    assert "Colonnes non utilisées (clients / contacts) : « Default Address Province Code », « Total Spent »" in text
    assert "5 335 commandes, dont 5 282 achats" in text.replace("\u202f", " ")
    assert cf.purchase_count() == int(cf.rfm["frequency"].sum()) == cf.figures()["orders"][0] == 5282


def test_sources_table_names_formats_as_the_client_knows_them(demo):
    data = load(demo)
    table = CustomerFile(data.engagement, data.imports, Labels("fr")).sources_table()
    cells = set(table.to_numpy().ravel())
    assert {"Export clients Shopify", "Export de ventes ou de facturation"} <= cells
    assert not {"shopify_customers", "generic_billing", "cp1252", "utf-8"} & cells  # no preset ids, no encodings


def test_run_tells_the_consultant_what_the_readers_decided(tmp_path):
    from real_clients import b2b_english
    from relkit.pipeline.run import import_notes

    folder = b2b_english(tmp_path).resolve()
    assert import_notes(load(folder), folder) == [
        "exports/factures.csv: amounts read before VAT (HT) from 'Montant HT'; to read 'Montant TTC' instead, add to "
        "engagement.yaml under customer_data.transactions: columns: {amount: \"Montant TTC\"}"]


def test_the_kernel_reads_back_exactly_what_validation_imported(demo, tmp_path):
    """The hand-off between validation and the kernels (save_imports / load_imports)
    keeps every value, missing ones and dtypes included."""
    import pandas as pd

    from relkit.intake.imports import load_imports, save_imports

    imports = load(demo).imports
    customers = imports["customers"].frame
    customers.loc[[0, 5], ["opt_in_email", "birth_date", "email", "postal_code"]] = None  # a missing value of each dtype
    save_imports(imports, tmp_path)
    back = load_imports(tmp_path)
    assert set(back) == set(imports) == {"customers", "transactions"}
    for kind, imported in imports.items():
        pd.testing.assert_frame_equal(back[kind].frame, imported.frame.reset_index(drop=True), check_exact=True)
        assert back[kind].detected.keys() == imported.detected.keys()
    frame = back["customers"].frame
    assert frame.loc[[0, 5], ["opt_in_email", "birth_date", "email", "postal_code"]].isna().all().all()
    assert str(frame["opt_in_email"].dtype) == "boolean" and str(frame["birth_date"].dtype) == "datetime64[us]"
