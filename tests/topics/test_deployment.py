"""Deployment: tools (status, names), data flows (names as the tools sheet writes
them, edges, nodes), roadmap (months of the plan year, retro-planning rows),
summary and sheet problems — hand-computed."""
import datetime as dt

import pandas as pd

from relkit.topics.deployment import (DEPLOYMENT, Deployment, Phase, Tool, deployment, early_phases, flow_edges,
                                      flows_from_sheet, roadmap_from_sheet, roadmap_rows, summary,
                                      tool_names, tool_nodes, tools_from_sheet)
from relkit.topics.deployment_checks import problems

D = dt.date
TOOL_COLUMNS = ("role", "current", "chosen", "monthly_cost", "owner", "note", "row")
FLOW_COLUMNS = ("source", "destination", "data", "frequency", "mode", "means", "row")
ROAD_COLUMNS = ("phase", "kind", "start", "end", "tool", "owner", "row")


def _frame(columns, rows):
    return pd.DataFrame([dict(zip(columns, r)) for r in rows], columns=list(columns))


def _tools():
    return _frame(TOOL_COLUMNS, [
        ("e_shop", None, "Shopify", 39.0, "Arnaud", None, 3),
        ("marketplace", "Etsy", "etsy", None, "Zoé", None, 4),
        ("crm", "Excel", "Salesforce", 25.0, "Zoé", None, 5),
        ("accounting", "Excel", None, None, None, None, 6),
        ("point_of_sale", "SumUp", "aucun", 10.0, None, "remplacé par la caisse Shopify", 7),
        ("emailing", None, None, None, None, None, 8),  # neither tool: left out, reported
    ])


def _flows():
    return _frame(FLOW_COLUMNS, [
        ("shopify", "SALESFORCE", "clients, commandes", "daily", "automatic", "connecteur", 3),
        ("Etsy", "Salesforce", "commandes Etsy", "weekly", "manual", "export CSV", 4),
        ("Shopify", "Salesforce", "paniers abandonnés", "real_time", "manual", None, 5),
        ("Salesforce", "Excel", "factures", "monthly", "automatic", None, 6),
        ("Brevo", "Salesforce", "clics", "daily", "automatic", None, 7),  # unknown tool: left out
        ("Etsy", "ETSY", "stock", None, "manual", None, 8),  # to itself: left out
    ])


def test_tool_status_and_name():
    tools = tools_from_sheet(_tools())
    assert [t.status for t in tools] == ["new", "kept", "replaced", "to_choose", "dropped"]
    assert [t.name for t in tools] == ["Shopify", "etsy", "Salesforce", "Excel", None]
    assert [t.in_use for t in tools] == [True, True, True, False, False]
    assert tools[0] == Tool("e_shop", None, "Shopify", 39.0, "Arnaud", None, 3)
    assert Tool("crm", current="aucun", chosen="Brevo").status == "new"


def test_tool_names_take_chosen_then_current_spelling():
    names = tool_names(tools_from_sheet(_tools()))
    assert names == {"shopify": "Shopify", "etsy": "etsy", "salesforce": "Salesforce", "excel": "Excel",
                     "sumup": "SumUp"}


def test_flows_use_the_tools_sheet_spelling_and_leave_out_bad_rows():
    tools = tools_from_sheet(_tools())
    flows = flows_from_sheet(_flows(), tools)
    assert [(f.source, f.destination, f.mode, f.row) for f in flows] == [
        ("Shopify", "Salesforce", "automatic", 3), ("etsy", "Salesforce", "manual", 4),
        ("Shopify", "Salesforce", "manual", 5), ("Salesforce", "Excel", "automatic", 6)]
    assert flows[0].frequency == "daily" and flows[2].frequency == "real_time" and flows[2].means is None


def test_edges_merge_a_pair_and_a_manual_flow_makes_it_manual():
    dep = deployment({"tools": _tools(), "data_flows": _flows()})
    edges = flow_edges(dep)
    assert edges.to_dict("records") == [
        {"source": "Shopify", "destination": "Salesforce", "flows": 2, "manual": 1, "mode": "manual"},
        {"source": "etsy", "destination": "Salesforce", "flows": 1, "manual": 1, "mode": "manual"},
        {"source": "Salesforce", "destination": "Excel", "flows": 1, "manual": 0, "mode": "automatic"},
    ]
    assert list(flow_edges(Deployment()).columns) == ["source", "destination", "flows", "manual", "mode"]


def test_nodes_in_role_order_with_their_flow_counts():
    nodes = tool_nodes(deployment({"tools": _tools(), "data_flows": _flows()}))
    # role order (tool_role list): crm, e_shop, marketplace, accounting. "Excel" is the CRM row's current
    # tool and the accounting row's tool (nothing chosen yet): its role is accounting, its status "current"
    # (the first row naming it replaces it)
    assert nodes.to_dict("records") == [
        {"tool": "Salesforce", "role": "crm", "status": "replaced", "flows": 4},
        {"tool": "Shopify", "role": "e_shop", "status": "new", "flows": 2},
        {"tool": "etsy", "role": "marketplace", "status": "kept", "flows": 1},
        {"tool": "Excel", "role": "accounting", "status": "current", "flows": 1},
    ]


def test_phase_months_clip_to_the_plan_year():
    p = Phase("Paramétrage", "tool_setup", D(2026, 11, 15), D(2027, 2, 10))
    assert p.months(2027) == (1, 2) and p.months(2026) == (11, 12) and p.months(2028) == ()
    assert p.days == 88  # 16 (15-30 Nov) + 31 + 31 + 10
    assert Phase("Bilan", "review", D(2027, 6, 30), D(2027, 6, 30)).days == 1


def test_roadmap_sorted_by_start_single_day_end_and_rows_for_the_retro_planning():
    tools = tools_from_sheet(_tools())
    frame = _frame(ROAD_COLUMNS, [
        ("Formation", "training", D(2027, 3, 1), D(2027, 3, 15), None, "Zoé", 4),
        ("Paramétrage Shopify", "tool_setup", dt.datetime(2026, 12, 1), pd.Timestamp(2027, 2, 28), "SHOPIFY",
         "Arnaud", 3),
        ("Bilan", "review", D(2027, 12, 15), None, None, None, 5),
        ("À l'envers", "other", D(2027, 5, 1), D(2027, 4, 1), None, None, 6),  # left out, reported
        ("L'an prochain", "review", D(2028, 1, 10), D(2028, 1, 20), None, None, 7),
    ])
    phases = roadmap_from_sheet(frame, tools)
    assert [(p.phase, p.start, p.end, p.tool) for p in phases] == [
        ("Paramétrage Shopify", D(2026, 12, 1), D(2027, 2, 28), "Shopify"),
        ("Formation", D(2027, 3, 1), D(2027, 3, 15), None),
        ("Bilan", D(2027, 12, 15), D(2027, 12, 15), None),
        ("L'an prochain", D(2028, 1, 10), D(2028, 1, 20), None)]
    rows = roadmap_rows(phases, 2027)
    assert [(a.action, a.category, a.months, a.owner) for a in rows] == [
        ("Paramétrage Shopify", DEPLOYMENT, (1, 2), "Arnaud"), ("Formation", DEPLOYMENT, (3,), "Zoé"),
        ("Bilan", DEPLOYMENT, (12,), None)]
    assert roadmap_rows(phases, None) == []


def test_summary_counts():
    road = _frame(ROAD_COLUMNS, [
        ("Paramétrage", "tool_setup", D(2027, 1, 4), D(2027, 2, 26), "Shopify", None, 3),
        ("Premières campagnes", "first_campaigns", D(2027, 4, 1), D(2027, 6, 30), None, None, 4),
        ("Relances", "first_campaigns", D(2027, 3, 15), D(2027, 4, 30), None, None, 5),
    ])
    s = summary(deployment({"tools": _tools(), "data_flows": _flows(), "roadmap": road}))
    assert (s.tools, s.new, s.replaced, s.kept, s.to_choose, s.dropped) == (
        3, ("Shopify",), (("Excel", "Salesforce"),), ("etsy",), ("accounting",), ("SumUp",))
    assert s.monthly_cost == 64.0  # 39 + 25; the dropped SumUp's 10 is not counted
    assert (s.flows, s.automatic, s.manual) == (4, 2, 2)
    assert s.manual_flows == (("etsy", "Salesforce"), ("Shopify", "Salesforce"))
    assert (s.hub, s.hub_flows, s.unlinked) == ("Salesforce", 4, ())
    assert (s.phases, s.start, s.end, s.campaigns) == (3, D(2027, 1, 4), D(2027, 6, 30), D(2027, 3, 15))


def test_summary_of_nothing_and_tools_without_flows():
    empty = summary(Deployment())
    assert (empty.tools, empty.flows, empty.hub, empty.monthly_cost, empty.start, empty.unlinked) == (
        0, 0, None, None, None, ())
    assert not Deployment().assessed and deployment({}).assessed is False
    tools = tools_from_sheet(_tools())
    s = summary(Deployment(tools=tools, flows=flows_from_sheet(_flows().iloc[[3]], tools)))
    assert s.unlinked == ("Shopify", "etsy")  # in use, no flow touches them (Salesforce has one)
    assert s.hub == "Salesforce" and s.hub_flows == 1  # tie with Excel: the first in sheet order


def test_problems_one_line_per_bad_cell():
    road = _frame(ROAD_COLUMNS, [
        ("Paramétrage", "tool_setup", D(2027, 3, 1), D(2027, 2, 1), "Brevo", None, 3),
        ("Formation", "training", D(2027, 3, 1), None, "shopify", None, 4),
    ])
    found = problems({"tools": _tools(), "data_flows": _flows(), "roadmap": road}, "fr", "atelier.xlsx")
    known = "'Shopify', 'etsy', 'Salesforce', 'Excel', 'SumUp'"
    assert [str(p) for p in found] == [
        "atelier.xlsx: sheet 'Outils', row 8, column 'Outil retenu': expected the chosen tool, the current one or "
        "both (the row's role is 'e-mailing et automatisation')",
        f"atelier.xlsx: sheet 'Flux de données', row 7, column 'Outil source': expected a tool of sheet 'Outils' "
        f"({known}), got 'Brevo'",
        "atelier.xlsx: sheet 'Flux de données', row 8, column 'Outil destination': expected another tool than the "
        "source 'Etsy': a flow goes from one tool to another",
        "atelier.xlsx: sheet 'Feuille de route', row 3, column 'Fin': end 01/02/2027 is before the start 01/03/2027",
        f"atelier.xlsx: sheet 'Feuille de route', row 3, column 'Outil': expected a tool of sheet 'Outils' "
        f"({known}), got 'Brevo'",
    ]


def test_problems_when_the_tools_sheet_is_empty_name_it_in_english():
    flows = _frame(FLOW_COLUMNS, [("Shopify", "Brevo", "clients", None, "automatic", None, 3)])
    found = problems({"data_flows": flows}, "en", "atelier.xlsx")
    assert [str(p) for p in found] == [
        "atelier.xlsx: sheet 'Data flows', row 3, column 'Source tool': expected a tool of sheet 'Tools', which "
        "lists none yet: add 'Shopify' there first",
        "atelier.xlsx: sheet 'Data flows', row 3, column 'Destination tool': expected a tool of sheet 'Tools', "
        "which lists none yet: add 'Brevo' there first",
    ]
    assert problems({}, "fr", "x.xlsx") == []


def test_training_or_campaigns_on_a_tool_before_its_set_up_ends():
    phases = (Phase("Paramétrage Brevo", "tool_setup", D(2027, 1, 4), D(2027, 1, 29), "Brevo"),
              Phase("Formation Brevo", "training", D(2027, 1, 29), D(2027, 2, 5), "brevo"),  # same day: early
              Phase("Premières campagnes", "first_campaigns", D(2027, 2, 1), D(2027, 2, 28), "Brevo"),  # after: fine
              Phase("Relances Shopify", "first_campaigns", D(2027, 1, 10), D(2027, 1, 20), "Shopify"),  # no set-up
              Phase("Paramétrage Salesforce", "tool_setup", D(2027, 11, 2), D(2027, 12, 17), "Salesforce"),
              Phase("Bilan", "review", D(2027, 12, 1), D(2027, 12, 1), "Salesforce"))  # a review: not counted
    assert early_phases(phases) == (("Formation Brevo", "brevo"),)
    assert summary(Deployment(phases=phases)).early == (("Formation Brevo", "brevo"),)
