"""The demo's report reads as a consultant's deliverable: no internal jargon
outside the appendix ("Méthodes et sources"), French typography (elision, 1er,
agreement), English sentences never filled with French words."""
import json
import re

import pytest
from pypdf import PdfReader

import relkit
from relkit.io.labels import Labels

pytestmark = pytest.mark.pipeline

# Never in the report, appendix included.
NEVER = ("relkit", "cahier", "1:1", "1:25", "1:100", "— smart", "emails_invalid", "phones_invalid", "stale_records",
         "duplicate_records", "(sante", "papermill", "notebook")
# Technical details: only in the appendix.
APPENDIX_ONLY = ("utf-8", "utf8", "cp1252", "latin-1", "iso-8859", "pymc", "lifetimes", "mbg/nbd", "gamma-gamma",
                 "shopify_customers", "generic_billing", "clients_shopify.csv", "ventes.csv")


def _pages(pdf) -> list[str]:
    return [re.sub(r"[\u202f\u00a0]", " ", page.extract_text()) for page in PdfReader(pdf).pages]


def _split(pages: list[str], appendix_title: str) -> tuple[str, str]:
    """The report before its appendix, and the appendix (from the page whose
    heading line is the appendix title; the contents page lists it with dots)."""
    start = next((i for i, text in enumerate(pages) if i > 1 and any(line.strip() == appendix_title
                                                                     for line in text.splitlines())), len(pages))
    return "\n".join(pages[:start]), "\n".join(pages[start:])


@pytest.fixture(scope="module")
def fr_run(tmp_path_factory):
    from conftest import DEMO

    return relkit.run(DEMO, out=tmp_path_factory.mktemp("fr") / "reports", progress=None)


@pytest.fixture(scope="module")
def en_run(tmp_path_factory):
    from conftest import DEMO

    said: list[str] = []
    result = relkit.run(DEMO, lang="en", out=tmp_path_factory.mktemp("en") / "reports", progress=said.append)
    return result, said


@pytest.mark.parametrize("which", ["fr", "en"])
def test_no_internal_jargon_in_the_report(which, fr_run, en_run):
    result = fr_run if which == "fr" else en_run[0]
    body, appendix = _split(_pages(result.pdf), Labels(which)("report.appendix"))
    assert appendix, "the report has an appendix"
    low_body, low_all = body.lower(), (body + appendix).lower()
    assert [w for w in NEVER if w in low_all] == []
    assert [w for w in APPENDIX_ONLY if w in low_body] == []
    figures = json.loads((result.out_dir / "figures.json").read_text(encoding="utf-8"))
    raw = [f"{wb}.{key}" for wb, items in figures.items() for key, item in items.items()
           if item["label"] == key or re.fullmatch(r"[a-z0-9_]+", item["label"] or "")]
    assert raw == []


def test_french_typography(fr_run):
    text = "\n".join(_pages(fr_run.pdf))
    assert "plan marketing relationnel d'Arnaud & Zoé" in text
    assert not re.search(r"\b[Dd]e Arnaud\b", text)
    assert "au 1er novembre 2026" in text and "au 1 novembre" not in text
    assert not re.search(r"\b1 (sont|points RGPD|écarts|objectifs)\b", text)


def test_english_report_has_no_mixed_sentence(en_run):
    result, said = en_run
    text = re.sub(r"\s+", " ", "\n".join(_pages(result.pdf)))
    for mixed in ("For les ", "is the marque", "that gives des ", "because only Arnaud & Zoé is conçue", "(sante",
                  "Taux de conversion moyen", "nombre de commandes ÷ nombre de visites",
                  "VMC", "(TTC)", "(HT)", "Retro-planning", "retro-planning"):  # French acronyms, franglais
        assert mixed not in text, mixed
    assert "The statement as worded in the workshop, in French: “Pour les parents urbains" in text
    assert "Sensitive data (health)" in text
    assert "Average conversion rate" in text
    assert any(line.startswith("to translate: ") and "in French and appear as typed in the English report" in line
               for line in said)
    assert "  SWOT, 'Élément': rows 3–18 (16)" in said
