"""Workbook 05's tools and data flows section: the demo's sentences, diagram,
appendix tables and figures, the roadmap's phases on the retro-planning,
English, and engagements without the three sheets (a `relkit new` workbook, the
demo with the sheets removed)."""
import dataclasses
import shutil

import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from openpyxl import load_workbook

from conftest import DEMO
from relkit.intake.load import check
from relkit.intake.scaffold import new_engagement
from relkit.io.labels import Labels
from relkit.topics.deployment import DEPLOYMENT
from relkit.workbooks.deployment import Deployment, retro_rows


@pytest.fixture(scope="module")
def demo_data():
    data, problems = check(DEMO, import_exports=False)
    assert problems == []
    return data


def test_demo_sentences_and_figures(demo_data):
    d = Deployment(demo_data, Labels("fr"))
    assert d.text() == [
        "Le plan s'appuie sur 8 outils (163\u00a0€ par mois), dont 6 à mettre en place.",
        "La mise en place des outils court du 4 janvier au 17 décembre 2027 en 5 phases, au bas du rétro-planning ; "
        "premières campagnes le 5 juillet.",
    ]
    assert d.diagram_takeaway() == ("11 flux relient les outils, dont 5 encore manuels ; Brevo en reçoit ou en "
                                    "envoie le plus (6).")
    assert d.figures() == {
        "deployment_tools": (8, "Outils du plan", "8"),
        "deployment_tools_to_set_up": (6, "Outils à mettre en place", "6"),
        "deployment_flows": (11, "Flux de données", "11"),
        "deployment_flows_manual": (5, "Flux de données manuels", "5"),
        "deployment_phases": (5, "Phases de mise en place", "5"),
        "deployment_monthly_cost": (163.0, "Coût mensuel des outils", "163\u00a0€"),
        "deployment_start": ("2027-01-04", "Début de la mise en place", "4 janvier 2027"),
        "deployment_end": ("2027-12-17", "Fin de la mise en place", "17 décembre 2027"),
    }


def test_demo_english(demo_data):
    d = Deployment(demo_data, Labels("en"))
    assert d.text() == [
        "The plan relies on 8 tools (€163 a month), 6 of them to set up.",
        "The roll-out of the tools runs from 4 January to 17 December 2027 in 5 phases, at the bottom of the action "
        "schedule; first campaigns on 5 July.",
    ]
    assert d.diagram_takeaway() == "11 flows link the tools, 5 of them still manual; Brevo sends or receives the most (6)."
    assert list(d.flows_table().columns) == ["Source", "Destination", "Data", "Frequency", "Mode", "Means"]
    assert d.flows_table()["Mode"].tolist()[:3] == ["automatic", "automatic", "manual"]


def test_demo_diagram(demo_data):
    fig = Deployment(demo_data, Labels("fr")).diagram()
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "Flux de données entre les outils"
    assert texts[1].startswith("11 flux relient les outils")
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(boxes) == 8 and len(arrows) == 11  # one box per tool, one arrow per (source, destination) pair
    assert sum(1 for a in arrows if a.get_linestyle() != "-") == 5  # the manual flows are dashed
    for name in ("Shopify", "Etsy", "Shopify POS", "Brevo", "Salesforce", "Pennylane", "Meta Business Suite",
                 "KissKissBankBank"):
        assert name in texts
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "flux automatique", "flux manuel (export puis import)", "outil à mettre en place", "outil conservé"]


def test_demo_appendix_tables(demo_data):
    d = Deployment(demo_data, Labels("fr"))
    tools, flows, road = d.tools_table(), d.flows_table(), d.roadmap_table()
    assert list(tools.columns) == ["Rôle", "Outil actuel", "Outil retenu", "Évolution", "Coût mensuel", "Responsable",
                                   "Commentaire"]
    assert tools.iloc[4][["Rôle", "Outil actuel", "Outil retenu", "Évolution", "Coût mensuel"]].tolist() == [
        "CRM", "Fichier Excel", "Salesforce", "remplace l'outil actuel", "50\u00a0€"]
    assert tools["Évolution"].tolist().count("conservé") == 2
    assert len(flows) == 11 and flows.iloc[0].tolist() == [
        "Shopify POS", "Shopify", "Ventes des marchés, clientes, stock", "en continu", "automatique",
        "Caisse intégrée à Shopify"]
    assert road["Phase"].tolist() == ["Paramétrage de Brevo", "Caisse Shopify des marchés", "Formation de l'équipe",
                                      "Premiers scénarios automatisés", "Paramétrage de Salesforce"]
    assert road.iloc[1][["Type", "Début", "Fin", "Outil"]].tolist() == [
        "paramétrage des outils", "01/03/2027", "16/04/2027", "Shopify POS"]
    for table in (tools, flows, road):
        assert not table.isna().any().any()


def test_the_phases_are_rows_of_the_retro_planning(demo_data):
    rows = retro_rows(demo_data)
    assert [(a.action, a.category, a.months) for a in rows] == [
        ("Paramétrage de Brevo", DEPLOYMENT, (1,)), ("Caisse Shopify des marchés", DEPLOYMENT, (3, 4)),
        ("Formation de l'équipe", DEPLOYMENT, (6, 7)), ("Premiers scénarios automatisés", DEPLOYMENT, (7,)),
        ("Paramétrage de Salesforce", DEPLOYMENT, (11, 12))]
    from relkit.workbooks.plan import PlanWorkbook

    fig = PlanWorkbook(demo_data, Labels("fr")).retro_chart()
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Mise en place des outils" in texts and "Paramétrage de Salesforce" in texts
    assert texts.index("Mise en place des outils") > texts.index("Salesforce")  # after the plan's own actions


def test_a_new_engagement_is_not_assessed(tmp_path):
    folder = tmp_path / "nouveau"
    new_engagement(folder, "Nouveau Client", language="en", plan_year=2027)
    data, problems = check(folder, import_exports=False)
    assert problems == []
    d = Deployment(data, Labels("en"))
    assert not d.assessed()
    assert d.text() == ["Not assessed: the tools, the data flows and the roadmap have not been described in the "
                        "workshop yet."]
    assert d.diagram() is None and d.tools_table() is None and d.flows_table() is None and d.roadmap_table() is None
    assert d.figures() == {"deployment_tools": (None, "Tools of the plan", "not assessed")}
    assert retro_rows(data) == []


def test_the_demo_without_the_three_sheets(tmp_path):
    folder = tmp_path / "sans-outils"
    shutil.copytree(DEMO, folder)
    wb = load_workbook(folder / "atelier.xlsx")
    for title in ("Outils", "Flux de données", "Feuille de route"):
        del wb[title]
    wb.save(folder / "atelier.xlsx")
    data, problems = check(folder, import_exports=False)
    assert problems == []
    d = Deployment(data, Labels("fr"))
    assert d.text() == ["Non évalué : les outils, les flux de données et la feuille de route n'ont pas encore été "
                        "décrits en atelier."]
    assert retro_rows(data) == []


def test_tools_without_flows_nor_roadmap(demo_data):
    sheets = dict(demo_data.sheets)
    sheets["data_flows"] = sheets["data_flows"].iloc[0:0]
    sheets["roadmap"] = sheets["roadmap"].iloc[0:0]
    d = Deployment(dataclasses.replace(demo_data, sheets=sheets), Labels("fr"))
    assert d.text() == [
        "Le plan s'appuie sur 8 outils (163\u00a0€ par mois), dont 6 à mettre en place.",
        "La feuille de route n'est pas encore datée : ses phases (paramétrage, formation, premières campagnes) "
        "restent à placer."]
    assert d.diagram_takeaway() == "Aucun flux de données n'est encore décrit entre ces outils."
    fig = d.diagram()
    assert not [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert d.flows_table() is None and d.roadmap_table() is None


def test_campaigns_before_their_tool_is_ready_are_said(demo_data):
    sheets = dict(demo_data.sheets)
    road = sheets["roadmap"].copy()
    road.loc[road["phase"] == "Premiers scénarios automatisés", "start"] = road.loc[
        road["phase"] == "Paramétrage de Brevo", "start"].iloc[0]
    sheets["roadmap"] = road
    d = Deployment(dataclasses.replace(demo_data, sheets=sheets), Labels("fr"))
    assert d.text()[1] == (
        "La mise en place des outils court du 4 janvier au 17 décembre 2027 en 5 phases, au bas du rétro-planning ; "
        "premières campagnes le 4 janvier ; attention, « Premiers scénarios automatisés » commence avant la fin du "
        "paramétrage de Brevo.")
