"""Advice fits the business (issue 13 §2): a B2B engagement is not told to
collect first names or birth dates, nor to run a birthday programme."""
import dataclasses
import re
import shutil

import pandas as pd
import pytest

from conftest import DEMO
from relkit.intake.load import load
from relkit.io.labels import Labels
from relkit.topics import collection_plan as cp
from relkit.workbooks.collection import CollectionWorkbook
from relkit.workbooks.customers import CustomerFile
from relkit.workbooks.plan import PlanWorkbook

def plain(text: str) -> str:
    """French typography's no-break spaces as plain spaces, to compare sentences."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


BIRTH = re.compile(r"naissance|anniversaire|birth|prénom|first name", re.IGNORECASE)


@pytest.fixture(scope="module")
def b2b(tmp_path_factory):
    """The demo as a business client: model B2B, a collection plan asking for a
    contact's first name and birth date, the demo's programmes (with Anniversaire)."""
    folder = tmp_path_factory.mktemp("b2b") / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    path = folder / "engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("model: B2C", "model: B2B"), encoding="utf-8")
    data = load(folder)
    assert data.engagement.client.model == "B2B"
    plan = data.sheets["collection_plan"]
    extra = plan.iloc[[0, 0]].copy()
    extra["field"] = ["Date de naissance du contact", "Prénom"]
    extra["customer_field"] = ["birth_date", "first_name"]
    extra["row"] = [plan["row"].max() + 1, plan["row"].max() + 2]
    return dataclasses.replace(data, sheets={**data.sheets, "collection_plan": pd.concat([plan, extra])})


def test_consumer_only_fields():
    assert cp.consumer_only("birth_date", "x") and cp.consumer_only(None, "Date de naissance")
    assert cp.consumer_only(None, "Prénom du contact") and cp.consumer_only(None, "Birthday")
    assert not cp.consumer_only("email", "E-mail") and not cp.consumer_only(None, "Raison sociale")
    plan = pd.DataFrame({"field": ["E-mail", "Prénom", "Anniversaire"], "customer_field": ["email", None, None]})
    assert cp.unfit_for_model(plan, "B2B") == ["Prénom", "Anniversaire"]
    assert cp.unfit_for_model(plan, "B2C") == [] and cp.unfit_for_model(plan, "B2B2C") == []


def test_b2b_collection_plan_does_not_ask_for_birth_dates(b2b):
    labels = Labels("fr")
    cf = CustomerFile(b2b.engagement, b2b.imports, labels)
    cw = CollectionWorkbook(b2b, labels, cf.quality.completeness)
    assert cw.unfit == ["Date de naissance du contact", "Prénom"]
    assert cw.gaps["field"].tolist() == ["Âge de l'enfant", "Données de santé de l'enfant (allergies textiles)"]
    assert plain(cw.gaps_text()) == (
        "Classement : nombre de programmes qui ont besoin de la donnée, puis priorité. En tête : Âge de l'enfant. "
        "Sans objet pour une clientèle d'entreprises, donc non retenu dans les données à collecter : "
        "Date de naissance du contact et Prénom.")
    # the same plan for a consumer brand keeps them as gaps
    b2c = dataclasses.replace(b2b, engagement=b2b.engagement.model_copy(
        update={"client": b2b.engagement.client.model_copy(update={"model": "B2C"})}))
    assert "Date de naissance du contact" in CollectionWorkbook(b2c, labels, cf.quality.completeness).gaps["field"].tolist()


def test_b2b_plan_has_no_birthday_advice(b2b):
    labels = Labels("fr")
    pw = PlanWorkbook(b2b, labels, CustomerFile(b2b.engagement, b2b.imports, labels))
    assert pw.target_gaps() == ["cart_events", "complaints"]
    texts = [plain(t) for t in pw.programmes_text()]
    assert ("« Anniversaire » s'adresse à des particuliers : sans objet pour une clientèle d'entreprises, à retirer du "
            "plan ou à remplacer par l'anniversaire de la relation (premier achat).") in texts
    advice = [t for t in texts + [plain(t) for t in pw.conclusion()] if BIRTH.search(t) and "s'adresse à des particuliers" not in t]
    assert advice == []
    assert pw.figures()["target_gaps"][0] == 2
    pressure = [plain(t) for t in pw.pressure_text()]
    assert ("« Anniversaire » n'est pas compté dans la simulation : sans objet pour une clientèle d'entreprises."
            in pressure)
    assert not [t for t in pressure if "naissance" in t]
    table = pw.programmes_table().set_index("Programme")
    assert plain(table.loc["Anniversaire", "Taille"]) == "sans objet (clientèle d'entreprises)"
