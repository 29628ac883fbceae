"""The bound report of a business client whose diagnostic sheets are empty:
every empty section says "Non évalué" (no 0/10, no 0 %, no conclusion), and
nothing tells it to collect birth dates (issue 13 §2)."""
import shutil

import pytest
from pypdf import PdfReader

import relkit
from conftest import DEMO
from real_clients import EMPTY_DIAGNOSTIC, blank

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("b2b") / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    yaml = folder / "engagement.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("model: B2C", "model: B2B"), encoding="utf-8")
    blank(folder, EMPTY_DIAGNOSTIC)
    result = relkit.run(folder, out=tmp_path_factory.mktemp("out") / "reports", progress=None)
    text = "\n".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    return result, " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_empty_sections_are_not_assessed(report):
    result, text = report
    for sentence in ("Non évalué : aucun élément SWOT n'a été saisi en atelier",
                     "Non évalué : aucun objectif n'a été saisi en atelier",
                     "Non évalué : l'énoncé de positionnement n'a pas encore été rédigé en atelier.",
                     "Non évalué : aucune des 10 questions n'a reçu de réponse",
                     "Non évalué : les quatre variables du mix",
                     "Non évalué : aucune des 15 pratiques n'a été renseignée"):
        assert sentence in text
    for verdict in ("0/10", "logique transactionnelle", "n'obtient que"):
        assert verdict not in text
    import json

    figures = json.loads((result.out_dir / "figures.json").read_text(encoding="utf-8"))["01_diagnostic"]
    assert figures["positioning_score"]["value"] is None and figures["readiness_score"]["display"] == "non évalué"


def test_a_business_client_is_not_told_to_collect_birth_dates(report):
    _, text = report
    # the demo's own workshop words may speak of birth gifts (a competitor's offer, a persona): no advice on birth dates
    assert "date de naissance" not in text.lower() and "dates de naissance" not in text.lower()
    assert "« Anniversaire » s'adresse à des particuliers : sans objet pour une clientèle d'entreprises" in text
