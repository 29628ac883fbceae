"""Automation scenarios in a bound report that is not the demo: a small English
B2B client (tests/real_clients.py) whose workshop has two programmes and one
scenario. The summary sits before the marketing pressure, the flow goes to the
appendix, the words are English, no raw NaN."""
import pytest
from pypdf import PdfReader

import relkit
from real_clients import b2b_english
from relkit.intake.atelier_template import create_workshop_file

pytestmark = pytest.mark.pipeline

PROGRAMMES = [
    {"programme": "welcome", "target": "first purchase within 3 months", "channel": "email", "start_month": 1,
     "end_month": 12},
    {"programme": "newsletter", "target": "all", "channel": "email", "messages_per_month": 2},
]
ACTIONS = [  # (a plan with programmes and no action cannot write its Excel plan yet: a separate issue)
    {"category": "emailing_crm", "action": "Welcome e-mails", "budget_q1": "200 €", "months": "1-12"},
]
SCENARIOS = [
    {"programme": "welcome", "step": 1, "delay": "D0", "channel": "e-mail", "message": "Welcome pack and price list"},
    {"programme": "welcome", "step": 2, "delay": "D+3", "channel": "e-mail", "message": "How to order online",
     "condition": "if not opened"},
    {"programme": "welcome", "step": 3, "delay": "D+10", "channel": "phone", "message": "Call from the sales rep",
     "condition": "if no purchase"},
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = b2b_english(tmp_path_factory.mktemp("scenarios"))
    create_workshop_file(folder / "atelier.xlsx", lang="en", entries={"programmes": PROGRAMMES,
                                                                       "actions": ACTIONS, "scenarios": SCENARIOS})
    result = relkit.run(folder, out=tmp_path_factory.mktemp("out") / "reports", progress=None)
    pages = [" ".join(p.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split())
             for p in PdfReader(result.pdf).pages]
    return result, pages


def test_the_summary_before_the_pressure_and_the_flow_in_the_appendix(report):
    _, pages = report
    text = " ".join(pages)
    summary = next(i for i, p in enumerate(pages) if "Automated scenarios" in p and i > 1)
    annex = next(i for i, p in enumerate(pages) if p.startswith("Appendix") or " Appendix " in p[:200])
    flows = next(i for i, p in enumerate(pages) if "Scenario flows" in p and i > 1)
    assert summary < annex <= flows
    assert ("One programme has its detailed scenario (3 messages, 2 of them conditional): the marketing pressure "
            "counts each of these messages") in text
    assert "D0 e-mail → D+3 e-mail if not opened → D+10 phone if no purchase" in text
    assert "nan" not in text.split() and "NaN" not in text and "Scénario" not in text
