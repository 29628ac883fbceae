"""Tools, data flows and roadmap in a bound report that is not the demo: a new
English engagement with no customer file, three tools (one still to choose), two
flows and two roadmap phases, one programme and one action. The section reads
in English, the tables go to the appendix; no crash, no raw NaN (the phases on
the action schedule, an image, are checked in tests/workbooks/test_deployment_workbook.py)."""
import datetime as dt

import pytest
from pypdf import PdfReader

import relkit
from relkit.intake.atelier_template import create_workshop_file
from relkit.intake.scaffold import new_engagement

pytestmark = pytest.mark.pipeline

ENTRIES = {
    "tools": [
        {"role": "e_shop", "current": "WooCommerce", "chosen": "WooCommerce", "monthly_cost": 30},
        {"role": "emailing", "current": None, "chosen": "Mailjet", "monthly_cost": 20, "owner": "Anna"},
        {"role": "crm", "current": "Spreadsheet"},
    ],
    "data_flows": [
        {"source": "WooCommerce", "destination": "Mailjet", "data": "Customers and orders", "frequency": "daily",
         "mode": "automatic", "means": "Mailjet plugin"},
        {"source": "Mailjet", "destination": "Spreadsheet", "data": "Unsubscribes", "frequency": "monthly",
         "mode": "manual"},
    ],
    "roadmap": [
        {"phase": "Mailjet set-up", "kind": "tool_setup", "start": dt.date(2027, 2, 1), "end": dt.date(2027, 2, 26),
         "tool": "Mailjet", "owner": "Anna"},
        {"phase": "Welcome e-mails", "kind": "first_campaigns", "start": dt.date(2027, 3, 1),
         "end": dt.date(2027, 3, 31)},
    ],
    # workbook 05 runs for a plan: one programme, one action
    "programmes": [{"programme": "Welcome", "start_month": 3, "end_month": 12}],
    "actions": [{"category": "emailing_crm", "action": "Monthly newsletter", "months": "1-12", "budget_q1": "100 €",
                 "programme": "Welcome"}],
}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tools") / "ouest"
    new_engagement(folder, "Ouest Fournitures", language="en", plan_year=2027)
    create_workshop_file(folder / "atelier.xlsx", lang="en", entries=ENTRIES)
    result = relkit.run(folder, out=tmp_path_factory.mktemp("out") / "reports", progress=None)
    pages = [" ".join(p.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split())
             for p in PdfReader(result.pdf).pages]
    return result, pages


def test_the_section_reads_in_english(report):
    result, pages = report
    text = " ".join(pages)
    assert "Tools and data flows" in text
    assert ("The plan relies on 2 tools (€50 a month), 1 of them to set up; still to choose: CRM. The roll-out of "
            "the tools runs from 1 February to 31 March 2027 in 2 phases, at the bottom of the action schedule; first "
            "campaigns on 1 March.") in text
    assert "nan" not in text.split() and "NaN" not in text
    import json

    figures = json.loads((result.out_dir / "figures.json").read_text(encoding="utf-8"))["05_plan_relationnel"]
    assert figures["deployment_flows_manual"]["value"] == 1 and figures["deployment_end"]["display"] == "31 March 2027"


def test_the_tables_are_in_the_appendix(report):
    _, pages = report
    annex = next(i for i, p in enumerate(pages) if p.startswith("Appendix") or " Appendix " in p[:200])
    detail = next(i for i, p in enumerate(pages) if "Mailjet plugin" in p)  # the flows table
    assert detail >= annex and "Tools, data flows and roadmap" in " ".join(pages[annex:detail + 1])
    rest = " ".join(pages[detail:])
    assert "replaces the current tool" not in rest and "to choose" in rest and "Mailjet plugin" in rest
    assert "Welcome e-mails" in rest and "first campaigns" in rest
