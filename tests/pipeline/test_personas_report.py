"""Personas in a bound report that is not the demo: a new English engagement
with no customer file, whose workshop has two personas (one linked to a segment,
one not). The customer-file part runs for them alone and says why nothing is
measured; their cards go to the appendix; no crash, no raw NaN."""
import pytest
from pypdf import PdfReader

import relkit
from relkit.intake.atelier_template import create_workshop_file
from relkit.intake.scaffold import new_engagement

pytestmark = pytest.mark.pipeline

PERSONAS = [
    {"name": "Marc", "age": "45-55", "situation": "Office manager of a small firm", "goals": "Never run out of paper",
     "frustrations": "Late deliveries", "channels": "E-mail, phone", "triggers": "End of quarter",
     "objections": "Price", "segment": "loyal"},
    {"name": "Inès", "age": "28", "situation": "Freelance designer, works from home",
     "channels": "Instagram", "segment": None},
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("personas") / "ouest"
    new_engagement(folder, "Ouest Fournitures", language="en", plan_year=2027)
    create_workshop_file(folder / "atelier.xlsx", lang="en", entries={"personas": PERSONAS})
    result = relkit.run(folder, out=tmp_path_factory.mktemp("out") / "reports", progress=None)
    pages = [" ".join(p.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split())
             for p in PdfReader(result.pdf).pages]
    return result, pages


def test_the_personas_stand_alone_without_a_customer_file(report):
    result, pages = report
    text = " ".join(pages)
    assert "02_fichier_clients" in {p.stem for p in (result.out_dir / "notebooks").glob("*.ipynb")}
    assert ("Not measurable: no customer file was provided; the 2 personas described in the workshop are shown "
            "alone, without the size or value of their segment.") in text
    assert "No segment behind this persona in the file: Inès (freelance designer)." in text
    assert "Marc, 45–55" in text and "Loyal" in text
    assert "nan" not in text.split() and "NaN" not in text


def test_the_cards_are_in_the_appendix(report):
    _, pages = report
    annex = next(i for i, p in enumerate(pages) if p.startswith("Appendix") or " Appendix " in p[:200])
    cards = next(i for i, p in enumerate(pages) if "Persona cards" in p and i > 1)
    assert cards >= annex
    assert "Never run out of paper" in pages[cards]
