"""Workbook 04's kinds of data and questions for the database: the demo, an engagement
without action data, a B2B client in English whose workbook predates the kind column."""
import json
import re
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import DEMO
from relkit.intake.load import check
from relkit.io.labels import Labels
from relkit.workbooks.data_kinds import DataKinds

AUDIT = pd.DataFrame({"share_filled": [0.992, 0.63, 0.796, 1.0], "share_valid": [0.985, 0.625, 0.792, pd.NA]},
                     index=["email", "phone", "postal_code", "opt_in_sms"])


@pytest.fixture(scope="module")
def plan():
    data, problems = check(DEMO, import_exports=False)
    assert problems == []
    return data.sheets["collection_plan"]


def test_demo_kinds_and_questions(plan):
    k = DataKinds(plan, Labels("fr"), None)
    assert k.takeaway() == "11 données prévues : 7 personnelles, 1 d'action, 3 de réaction."
    assert k.questions_text() == ("Le plan répond aux six questions que la base doit éclairer ; le détail, question "
                                  "par question, est en annexe.")
    table = k.questions_table()
    assert table.columns.tolist() == ["Question", "Réponse", "Données du plan qui y répondent"]
    assert table.iloc[4].tolist() == ["Combien de gros clients, combien de petits ?", "oui",
                                      "Historique d'achats, Factures"]
    assert table.iloc[5, 2] == ("Âge de l'enfant, Centres d'intérêt (couture, écologie), Données de santé de l'enfant "
                                "(allergies textiles), Historique des envois")
    kinds = k.kinds_table()
    assert kinds.iloc[:, :5].values.tolist() == [["Personnelles", 7, 4, "", ""], ["Actions", 1, 0, "", ""],
                                                 ["Réactions", 3, 0, "", ""]]
    assert sorted(k.chart_data().values.tolist()) == [["action", "not_linked", 1], ["personal", "not_linked", 3],
                                                      ["personal", "not_measured", 4], ["reaction", "not_linked", 3]]
    figures = k.figures()
    assert figures["questions_answered"] == (6, "Questions de la base couvertes", "6/6")
    assert figures["kind_action_rows"] == (1, "Données d'action prévues", "1")
    assert figures["kind_personal_filled"] == (None, "Données personnelles renseignées en moyenne", "non évalué")


def test_demo_with_the_customer_file_audit(plan):
    k = DataKinds(plan, Labels("fr"), AUDIT)
    # E-mail 99,2 %, Téléphone 63 %, Code postal 79,6 %, Consentement SMS 100 %: mean 85,45 %
    assert k.notes() == {"personal": "4 mesurées dans le fichier (85\u00a0% renseigné en moyenne), 3 hors fichier clients",
                         "action": "1 hors fichier clients", "reaction": "3 hors fichier clients"}
    assert k.takeaway() == ("Actions et réactions ne sont pas dans le fichier clients : 4 données à suivre dans "
                            "l'outil d'envoi et les ventes.")
    assert k.figures()["kind_personal_filled"] == (0.8545, "Données personnelles renseignées en moyenne", "85\u00a0%")
    assert k.figures()["kind_action_filled"] == (None, "Données d'action renseignées en moyenne", "hors fichier clients")
    assert k.kinds_table().iloc[0, 3:5].tolist() == [4, "85\u00a0%"]


def test_the_least_filled_kind_and_a_kind_never_planned(plan):
    linked = plan.copy()
    linked.loc[linked["field"].str.startswith("Historique des envois"), "customer_field"] = "last_contact_at"
    audit = pd.concat([AUDIT, pd.DataFrame({"share_filled": [0.4], "share_valid": [pd.NA]}, index=["last_contact_at"])])
    assert DataKinds(linked, Labels("en"), audit).takeaway() == ("The action data are the least filled: 40% on "
                                                                 "average in the customer file.")
    no_action = plan[plan["kind"] != "action"]
    assert DataKinds(no_action, Labels("fr"), AUDIT).takeaway() == (
        "Aucune donnée d'action n'est prévue : impossible de relier un achat à l'envoi qui l'a déclenché.")
    assert DataKinds(no_action, Labels("fr"), AUDIT).notes()["action"] == "aucune donnée prévue"


def test_unanswered_questions_are_said_plainly(plan):
    descriptive = plan[plan["kind"] == "personal"]
    k = DataKinds(descriptive, Labels("fr"), None)
    assert k.questions_text() == (
        "La base doit répondre à six questions : le plan en couvre 3/6. Sans réponse : « Quelles sont leurs habitudes "
        "d'achat ? » et « Combien de gros clients, combien de petits ? ». Réponse partielle : « Parmi les petits clients, "
        "lesquels ont un fort potentiel ? » (il faut d'abord connaître les montants d'achat pour repérer les petits "
        "clients).")
    assert k.questions_table().iloc[2, 1:].tolist() == ["non", "aucune donnée du plan n'y répond"]


def test_an_empty_plan_draws_nothing(plan):
    k = DataKinds(plan.iloc[0:0], Labels("fr"), None)
    assert k.empty and k.chart_data().empty
    assert k.questions["status"].tolist() == ["unanswered"] * 6


def test_a_workbook_without_the_kind_column_still_loads(tmp_path):
    folder = tmp_path / "ancien"
    shutil.copytree(DEMO, folder)
    wb = load_workbook(folder / "atelier.xlsx")
    ws = wb["Plan de collecte"]
    column = next(c.column for c in ws[2] if c.value == "Nature de la donnée")
    ws.delete_cols(column)
    for r in range(3, ws.max_row + 1):  # the rows added with a kind and no type get the type they would have had
        if ws.cell(r, 1).value == "Historique des envois":
            ws.cell(r, 3).value = "comportementale"
    ws.cell(3, 3).value = None  # E-mail: no type left, no kind column: one clear line
    wb.save(folder / "atelier.xlsx")
    _, problems = check(folder, import_exports=False)
    assert [str(p) for p in problems] == [
        f"{folder / 'atelier.xlsx'}: sheet 'Plan de collecte', row 3, column 'Nature de la donnée': expected one of "
        "'personnelle', 'action', 'réaction' (or a type), got an empty cell"]
    ws.cell(3, 3).value = "socio-démographique"
    wb.save(folder / "atelier.xlsx")
    data, problems = check(folder, import_exports=False)
    assert problems == []
    k = DataKinds(data.sheets["collection_plan"], Labels("fr"), None)
    # behavioural -> reaction: the action row counts as a reaction in an old workbook
    assert k.takeaway() == ("Aucune donnée d'action n'est prévue : impossible de relier un achat à l'envoi qui l'a "
                            "déclenché.")


# -- not the demo: a B2B client in English, its collection plan typed before the kind column existed --------------
OLD_PLAN = [  # field, customer-file field, type, uses, people, legal basis, retention
    ("Email", "email", "socio-demographic", "newsletter", "customers", "legitimate interest", "3 years"),
    ("Company name", "company", "socio-demographic", "invoicing", "customers", "contract", "3 years"),
    ("Headcount", None, "declarative", "segmentation", "customers", "legitimate interest", "3 years"),
    ("Invoices", None, "transactional", "accounting", "customers", "legal obligation", "10 years"),
]


@pytest.mark.pipeline
def test_b2b_english_old_workbook_report(tmp_path):
    import relkit
    from real_clients import b2b_english
    from relkit.workbooks.registry import NOTEBOOKS_DIR

    folder = b2b_english(tmp_path)
    path = next(folder.glob("*.xlsx"))
    wb = load_workbook(path)
    ws = next(w for w in wb.worksheets if w.title in ("Collection plan", "Plan de collecte"))
    kind = next(c.column for c in ws[2] if c.value in ("Kind of data", "Nature de la donnée"))
    ws.delete_cols(kind)  # a workbook made before the column
    headers = {c.value: c.column for c in ws[2] if c.value}
    order = ["Data item", "Customer-file field", "Type", "Uses", "Data subjects", "Legal basis", "Retention"]
    for r, values in enumerate(OLD_PLAN, start=3):
        for header, value in zip(order, values):
            ws.cell(r, headers[header]).value = value
    wb.save(path)
    out = tmp_path / "reports"
    result = relkit.run(folder, out=out, progress=None, notebooks=[NOTEBOOKS_DIR / "04_plan_collecte.ipynb"])
    text = re.sub(r"[\s\u00a0\u202f]+", " ", "\n".join(p.extract_text() for p in PdfReader(result.pdf).pages))
    assert "Kinds of data and the questions the database answers" in text
    assert ("The database must answer six questions: the plan covers 5/6. Unanswered: 'What do they expect?'.") in text
    assert "Who are your client companies (name, sector, headcount)?" in text
    assert "How many key accounts, how many small ones?" in text and "no data item of the plan answers it" in text
    assert not re.search(r"\bnan\b|\bNaN\b|\bNone\b", text)
    figures = json.loads((result.out_dir / "figures.json").read_text(encoding="utf-8"))["04_plan_collecte"]
    assert figures["questions_answered"]["display"] == "5/6"
    assert figures["kind_personal_rows"]["value"] == 3 and figures["kind_reaction_rows"]["value"] == 1
    register = load_workbook(next(result.out_dir.glob("processing-register-*.xlsx"))).active
    cells = [str(c.value) for row in register.iter_rows() for c in row if c.value]
    assert "Personal data: Company name\nReaction data: Invoices" in cells
