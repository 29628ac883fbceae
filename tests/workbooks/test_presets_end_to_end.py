"""Every preset's vendor-format fixture (tests/data/exports/<preset>/, headers
from the vendors' documented exports, see SOURCES.md) through `relkit run`:
the customer-file workbook imports it, renders and publishes, customers only
and with a sales export. Reading each field exactly is tests/test_presets_vendor.py's job;
here the point is that nothing between the reader and the PDF breaks."""
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

import relkit
from relkit.intake.scaffold import new_engagement
from relkit.io.resources import NOTEBOOKS_DIR

pytestmark = pytest.mark.pipeline

EXPORTS = Path(__file__).parents[1] / "data" / "exports"
WORKBOOK_02 = NOTEBOOKS_DIR / "02_fichier_clients.ipynb"

# Each customers preset with the sales export a client of that tool hands over.
PAIRS = {
    "shopify_customers": "shopify_orders",
    "hubspot_contacts": "generic_billing",
    "mailchimp_audience": "generic_billing",
    "brevo_contacts": "generic_billing",
    "dolibarr_thirdparties": "dolibarr_invoices",
    "odoo_contacts": "generic_billing",
    "woocommerce_customers": "woocommerce_orders",
    "generic_customers": "generic_billing",
}


def _fixture(preset: str) -> Path:
    files = sorted((EXPORTS / preset).glob("*.*"))
    assert len(files) == 1, files
    return files[0]


def _engagement(root: Path, customers: str, transactions: str | None) -> Path:
    folder = root / f"{customers}-{transactions or 'seul'}"
    new_engagement(folder, f"Client {customers} {transactions or ''}".strip(), consultant="Claire Dubois", plan_year=2027)
    (folder / "exports").mkdir()
    data = {}
    for kind, preset in (("customers", customers), ("transactions", transactions)):
        if preset:
            source = _fixture(preset)
            shutil.copy(source, folder / "exports" / source.name)
            data[kind] = {"file": f"exports/{source.name}", "preset": preset}
    path = folder / "engagement.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["customer_data"] = data
    raw["report_date"] = "15/11/2026"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One run per (customers preset, sales preset or None): its PDF text and figures."""
    root = tmp_path_factory.mktemp("presets")
    out = {}
    for customers, transactions in [(c, None) for c in PAIRS] + list(PAIRS.items()):
        folder = _engagement(root, customers, transactions)
        result = relkit.run(folder, out=root / "reports", progress=None, notebooks=[WORKBOOK_02])
        text = re.sub(r"[\s\u00a0\u202f]+", " ", "\n".join(p.extract_text() for p in PdfReader(result.pdf).pages))
        figures = json.loads((result.out_dir / "figures.json").read_text(encoding="utf-8"))["02_fichier_clients"]
        out[customers, transactions] = (text, figures)
    return out


@pytest.mark.parametrize("customers", list(PAIRS))
def test_customers_export_alone(runs, customers):
    text, figures = runs[customers, None]
    assert figures["customers"]["value"] > 0
    assert "buyers" not in figures  # no sales: nothing recorded as 0
    assert "Non mesurable : il faut l'historique d'achats" in text
    assert "Qualité des données" in text and "Sources importées" in text
    assert not re.search(r"\bnan\b|\bNaN\b|\bNone\b", text)


@pytest.mark.parametrize("customers,transactions", list(PAIRS.items()))
def test_customers_with_their_sales(runs, customers, transactions):
    text, figures = runs[customers, transactions]
    assert figures["buyers"]["value"] > 0 and figures["orders"]["value"] >= figures["buyers"]["value"]
    assert figures["net_revenue"]["value"] > 0
    assert "Segmentation RFM" in text and "Non mesurable : il faut l'historique d'achats" not in text
    assert not re.search(r"\bnan\b|\bNaN\b|\bNone\b", text)


def test_shopify_orders_join_their_customers_by_email(runs):
    text, figures = runs["shopify_customers", "shopify_orders"]
    assert "lignes de ventes désignent le client par son e-mail : elles sont rattachées à la fiche client" in text
    assert figures["buyers"]["value"] <= figures["customers"]["value"]
