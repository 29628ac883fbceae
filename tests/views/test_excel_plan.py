"""The Excel plan: sheets, the retro-planning grid, live budget formulas (recomputed by
LibreOffice), print set-up and formula-injection safety. Demo: Arnaud & Zoé (seed 001)."""
import datetime as dt
import math
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from relkit.io.budget_cells import QUARTERS
from relkit.views.excel.plan import TABLE_HEADER_ROW, PlanBook, write_plan
from relkit.views.excel.plan_book import SummaryLine
from relkit.views.excel.plan_budget import BUDGET_FORECAST_ROW, budget_column
from relkit.io.labels import Labels

NAN = math.nan
FR = "[$-40C]"  # French number formats carry the French locale
COLOURS = {
    "Marketing de contenu": "#4472C4",
    "Merchandising": "#ED7D31",
    "Animation de communauté": "#70AD47",
    "Publicité en ligne": "#FFC000",
    "Site Web & Référencement naturel": "#7030A0",
    "Emailing & CRM": "#C00000",
}
# (category, action, fixed € per quarter, % of revenue per quarter, internal hours per quarter, months)
W, M = 13, 3  # weeks and months in a quarter
DEMO = [
    ("Marketing de contenu", "Vidéo de présentation", (850, NAN, NAN, NAN), None, None, (1, 2)),
    ("Marketing de contenu", "Blogging", None, None, (6 * W,) * 4, tuple(range(1, 13))),
    ("Marketing de contenu", "Tutoriels de couture", None, None, (16 * M,) * 4, tuple(range(1, 13))),
    ("Merchandising", "Photos des produits", (400, NAN, 400, NAN), None, None, (1, 8)),
    ("Animation de communauté", "Animation facebook", None, None, (6 * W,) * 4, tuple(range(1, 13))),
    ("Animation de communauté", "Animation Instagram", None, None, (4 * W,) * 4, tuple(range(1, 13))),
    ("Animation de communauté", "Animation Pinterest", None, None, (1 * W,) * 4, tuple(range(1, 13))),
    ("Publicité en ligne", "Pub Etsy", (NAN, 500, 750, 750), None, None, tuple(range(4, 13))),
    ("Publicité en ligne", "Facebook Ads", None, (NAN, NAN, 0.10, 0.05), None, tuple(range(7, 13))),
    ("Publicité en ligne", "Google Adwords", None, (NAN, NAN, 0.20, 0.20), None, tuple(range(7, 13))),
    ("Publicité en ligne", "Publireportage", (NAN, NAN, NAN, 2000), None, None, (12,)),
    ("Site Web & Référencement naturel", "Développement du site E-commerce", (NAN, 2500, 7500, NAN), None, None,
     (5, 6, 7, 8, 9)),
    ("Emailing & CRM", "Newsletter", (0, 30, 50, 199), None, None, tuple(range(1, 13))),
    ("Emailing & CRM", "Location de base de données", (NAN, NAN, NAN, 1600), None, None, (12,)),
    ("Emailing & CRM", "Salesforce", (NAN, NAN, NAN, 450), None, None, (11, 12)),
    ("Emailing & CRM", "=2*3", None, None, None, ()),  # an injection attempt in an action name
]
INJECTIONS = ("=1+1", "+33 6 12 34 56 78", "-moins", "@SUM(A1)", "=2*3")
FORECAST = {"T1": 5000.0, "T2": 15000.0, "T3": 60000.0, "T4": 120000.0}
ENVELOPES = {"T1": (1250.0, 0.0), "T2": (3930.0, 0.0), "T3": (8700.0, 0.30), "T4": (4000.0, 0.25)}


# Summary: typed figures; the Budget's totals are formulas (values: what the report printed).
SUMMARY = [
    SummaryLine("Objectif de chiffre d'affaires", 200000.0, "money"),
    SummaryLine("Prévision de chiffre d'affaires", 200000.0, "money", ref="forecast_total"),
    SummaryLine("Budget de l'année", 65979.0, "money", ref="budget_total"),
    SummaryLine("Heures internes", 1076.0, "hours", ref="hours_total"),
    SummaryLine("Enveloppes déclarées (y compris % du CA)", 1250 + 3930 + 8700 + 0.30 * 60000 + 4000 + 0.25 * 120000,
                "money", ref="envelope_total"),
    SummaryLine("ROI attendu", 1.0764, "percent"),
    SummaryLine("Écarts budget / enveloppes", 2, ref="differences"),
    SummaryLine("Actions", 15),
]
# KPI sheet: periods (an actual of last year's Q3 and October, then the plan year's months) and three KPIs.
PERIODS = [("2026-Q3", "T3 2026"), ("2026-10", "octobre 2026")] + [
    (f"2027-{m:02d}", f"m{m} 2027") for m in range(1, 13)]
KPIS = [
    {"kpi": "Taux d'ouverture", "definition": "Part des e-mails ouverts", "formula": "ouverts ÷ délivrés",
     "unit": "%", "unit_code": "percent", "frequency": "mensuelle", "direction": "higher", "target": 0.35,
     "review": tuple(f"2027-{m:02d}" for m in range(1, 13)), "actuals": {"2026-Q3": 0.24, "2026-10": 0.28}},
    {"kpi": "Coût d'acquisition client", "definition": "", "formula": "", "unit": "€", "unit_code": "eur",
     "frequency": "trimestrielle", "direction": "lower", "target": 40.0,
     "review": ("2027-03", "2027-06", "2027-09", "2027-12"), "actuals": {"2026-10": 52.0}},
    {"kpi": "Taux de désabonnement", "definition": "", "formula": "", "unit": "%", "unit_code": "percent",
     "frequency": "mensuelle", "direction": "lower", "target": 0.005, "review": (), "actuals": {"2026-10": 0.004}},
    {"kpi": "Clients actifs", "definition": "", "formula": "", "unit": "nombre", "unit_code": "count",
     "frequency": "annuelle", "direction": "higher", "target": None, "review": ("2027-12",), "actuals": {}},
]


def make_book(lang="fr", currency="EUR", **changes) -> PlanBook:
    budget_rows, action_rows = [], []
    for category, action, money, percent, hours, months in DEMO:
        row = {"category": category, "action": action}
        for i, q in enumerate(("q1", "q2", "q3", "q4")):
            row[f"{q}_money"] = money[i] if money else NAN
            row[f"{q}_percent"] = percent[i] if percent else NAN
            row[f"{q}_hours"] = hours[i] if hours else NAN
        budget_rows.append(row)
        action_rows.append({"category": category, "action": action, "objective": "Acquisition + Fidélisation",
                            "kpi": "Taux d'ouverture + taux de clic", "owner": "Arnaud", "priority": "Haute",
                            "lever": "Commencer", "months": months})
    action_rows[12]["owner"] = "=1+1"
    action_rows[14]["kpi"] = "+33 6 12 34 56 78"
    values = dict(
        client="Arnaud & Zoé", plan_year=2027, lang=lang, currency=currency,
        summary=SUMMARY + [("Budget fixe", "-moins")],
        programmes=pd.DataFrame({"Programme": ["Newsletter", "Anniversaire"], "Messages / mois": [1, 0.5],
                                 "Formule": ["@SUM(A1)", "ok"], "Levier": ["à poursuivre", "à commencer"]}),
        actions=pd.DataFrame(action_rows),
        budget=pd.DataFrame(budget_rows),
        revenue_forecast=dict(FORECAST),
        envelopes=dict(ENVELOPES),
        kpis=pd.DataFrame(KPIS), kpi_periods=list(PERIODS), author="Dubois Conseil",
        choices={"priority": ["haute", "moyenne", "basse"], "lever": ["à poursuivre", "à arrêter", "à commencer"],
                 "owner": ["Zoé", "Arnaud", "Arnaud"]},
        programme_choices={"Levier": "lever"},
        journey=None, collection=pd.DataFrame(), register=None,
        category_colours=dict(COLOURS),
    )
    values.update(changes)
    return PlanBook(**values)


def rows_by_label(ws) -> dict:
    return {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value is not None}


def libreoffice(profile, fmt, outdir, *files):
    subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), *map(str, files)],
        check=True, capture_output=True, timeout=180,
    )


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Two LibreOffice runs for the whole module: xlsx -> xlsx (recalculates every formula)
    for the plan and for a copy edited with openpyxl, then xlsx -> pdf."""
    # .ci/run installs it: a missing LibreOffice must fail, never hide the check
    assert shutil.which("libreoffice"), "LibreOffice is needed (apt-get install libreoffice-calc-nogui)"
    base = tmp_path_factory.mktemp("excel-plan")
    plan = write_plan(base / "plan.xlsx", make_book())
    wb = load_workbook(plan)
    ws = wb["Budget"]
    video = rows_by_label(ws)["Vidéo de présentation"]
    ws[f"{budget_column('T1', 'fixed')}{video}"] = 1000  # the client changes an amount
    wb.save(base / "edited.xlsx")
    (base / "calc").mkdir()
    libreoffice(base / "profile", "xlsx", base / "calc", plan, base / "edited.xlsx")
    libreoffice(base / "profile", "pdf", base, plan)
    return {
        "plan": plan,
        "calc": load_workbook(base / "calc" / "plan.xlsx", data_only=True),
        "edited": load_workbook(base / "calc" / "edited.xlsx", data_only=True),
        "pdf": base / "plan.pdf",
    }


@pytest.fixture(scope="module")
def plan_fr(tmp_path_factory):
    return load_workbook(write_plan(tmp_path_factory.mktemp("fr") / "plan.xlsx", make_book()))


def test_sheet_names_in_both_languages(plan_fr, tmp_path):
    assert plan_fr.sheetnames == ["Synthèse", "Programmes", "Plan d'actions", "Budget", "KPI", "Parcours",
                                  "Collecte", "Registre", "Listes"]
    assert plan_fr["Listes"].sheet_state == "hidden"  # the drop-down lists, never printed
    en = load_workbook(write_plan(tmp_path / "plan.xlsx", make_book("en")))
    assert en.sheetnames == ["Summary", "Programmes", "Action plan", "Budget", "KPIs", "Journey", "Collection",
                             "Register", "Lists"]
    assert en["Action plan"].cell(TABLE_HEADER_ROW, 8).value == "Jan"
    assert en["Budget"]["B5"].value == "Fixed (€)"
    assert en["Budget"]["B4"].value == "Q1"


def test_empty_parts_keep_their_sheet_with_a_note(plan_fr):
    note = Labels("fr")("excel.empty")
    for name in ("Parcours", "Collecte", "Registre"):
        ws = plan_fr[name]
        assert ws.cell(TABLE_HEADER_ROW, 1).value == note
        assert ws.max_row == TABLE_HEADER_ROW


def test_summary_figures_are_numbers_and_budget_totals_are_formulas(plan_fr):
    ws = plan_fr["Synthèse"]
    assert ws["A1"].value == "Plan marketing relationnel 2027"
    rows = rows_by_label(ws)
    assert list(rows)[3:3 + len(SUMMARY) + 1] == [line.label for line in SUMMARY] + ["Budget fixe"]

    def at(label):
        return ws.cell(rows[label], 2)

    assert at("Objectif de chiffre d'affaires").value == 200000
    assert at("Objectif de chiffre d'affaires").data_type == "n"
    assert at("Objectif de chiffre d'affaires").number_format == FR + '#,##0 "€"'
    budget = rows_by_label(plan_fr["Budget"])
    total = budget[Labels("fr")("excel.budget.grand_total")]
    assert at("Budget de l'année").value == f"='Budget'!N{total}"
    assert at("Budget de l'année").number_format == FR + '#,##0 "€"'
    assert at("Prévision de chiffre d'affaires").value == f"='Budget'!N{BUDGET_FORECAST_ROW}"
    assert at("Heures internes").value == f"='Budget'!S{total}"
    assert at("Heures internes").number_format == FR + '#,##0 "h"'
    assert at("Écarts budget / enveloppes").value.startswith("=IF(COUNT('Budget'!")
    assert at("ROI attendu").value == 1.0764 and at("ROI attendu").number_format == FR + "0 %"
    assert at("Actions").value == 15 and at("Actions").number_format == FR + "#,##0"
    assert at("Budget fixe").value == "-moins" and at("Budget fixe").data_type == "s"
    programmes = plan_fr["Programmes"]
    assert programmes["B5"].value == 0.5 and programmes["B5"].number_format == FR + "#,##0.00"
    assert programmes["B4"].value == 1 and programmes["B4"].number_format == FR + "#,##0"


def test_summary_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="expected a summary kind among number, money, percent, hours, text, got 'euros'"):
        SummaryLine("Budget", 1, "euros")
    with pytest.raises(ValueError, match="expected a Budget reference among"):
        SummaryLine("Budget", 1, "money", ref="total")


def test_kpi_sheet_has_an_actual_column_per_period_and_coloured_status(plan_fr):
    ws = plan_fr["KPI"]
    header = [c.value for c in ws[TABLE_HEADER_ROW]]
    assert header[:6] == ["KPI", "Définition", "Formule", "Unité", "Fréquence", "Cible"]
    assert header[6:20] == [label for _, label in PERIODS]
    assert header[20:] == ["Dernier réel", "Atteinte", "Statut"]
    opening, cac, unsub, active = range(TABLE_HEADER_ROW + 1, TABLE_HEADER_ROW + 5)
    assert ws[f"F{opening}"].value == 0.35 and ws[f"F{opening}"].number_format == FR + "0 %"
    assert ws[f"F{unsub}"].value == 0.005 and ws[f"F{unsub}"].number_format == FR + "0.0 %"
    assert ws[f"F{cac}"].value == 40 and ws[f"F{cac}"].number_format == FR + '#,##0 "€"'
    assert ws[f"F{active}"].value is None
    assert (ws[f"G{opening}"].value, ws[f"H{opening}"].value) == (0.24, 0.28)
    assert ws[f"G{opening}"].data_type == "n" and ws[f"G{opening}"].number_format == FR + "0 %"
    # yellow where the calendar expects a figure (monthly: every month; quarterly: quarter ends)
    yellow = [c for c in range(9, 21) if ws.cell(cac, c).fill.fgColor.rgb.endswith("FFF2CC")]
    assert yellow == [11, 14, 17, 20]
    assert all(ws.cell(opening, c).fill.fgColor.rgb.endswith("FFF2CC") for c in range(9, 21))
    assert ws[f"U{opening}"].value.startswith("=IF(ISNUMBER(T4),T4,IF(ISNUMBER(S4),S4,")
    assert ws[f"V{opening}"].value == '=IF(OR(U4="",F4=""),"",IF(F4=0,"",U4/F4))'
    assert ws[f"V{cac}"].value == '=IF(OR(U5="",F5=""),"",IF(U5=0,"",F5/U5))'  # lower is better
    assert ws[f"W{opening}"].value.startswith('=IF(U4="","",IF(F4="","pas de cible",')
    assert "IF(V4>=1,\"dans l'objectif\",IF(V4>=0.8,\"à surveiller\",\"en retard\"))" in ws[f"W{opening}"].value
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules == {"V4:W7": ["AND(ISNUMBER($V4),$V4>=1)", "AND(ISNUMBER($V4),$V4>=0.8,$V4<1)",
                               "AND(ISNUMBER($V4),$V4<0.8)"]}
    assert ws.freeze_panes == "B4"


def test_drop_downs_and_properties(plan_fr):
    def validations(ws):
        return {str(dv.sqref): (dv.formula1, dv.errorStyle) for dv in ws.data_validations.dataValidation}

    actions = plan_fr["Plan d'actions"]
    header = [c.value for c in actions[TABLE_HEADER_ROW]]
    assert header[3:7] == ["Responsable", "Priorité", "Levier", "Statut"]
    last = max(rows_by_label(actions).values()) + 50
    assert validations(actions) == {
        f"E4:E{last}": ("'Listes'!$A$2:$A$4", "stop"),
        f"F4:F{last}": ("'Listes'!$B$2:$B$4", "stop"),
        f"G4:G{last}": ("'Listes'!$C$2:$C$5", "stop"),
        f"D4:D{last}": ("'Listes'!$D$2:$D$3", "warning"),  # a new owner is allowed, after a warning
    }
    lists = plan_fr["Listes"]
    assert [[c.value for c in col] for col in lists.iter_cols(max_row=5)] == [
        ["Priorité", "haute", "moyenne", "basse", None], ["Levier", "à poursuivre", "à arrêter", "à commencer", None],
        ["Statut", "à faire", "en cours", "fait", "reporté"], ["Responsable", "Arnaud", "Zoé", None, None]]
    assert validations(plan_fr["Programmes"]) == {"D4:D5": ("'Listes'!$B$2:$B$4", "stop")}
    props = plan_fr.properties
    assert (props.title, props.creator, props.subject) == ("Plan marketing relationnel 2027", "Dubois Conseil",
                                                            "Arnaud & Zoé")


def test_retro_planning_fills_active_months_in_category_colour(plan_fr):
    ws = plan_fr["Plan d'actions"]
    header = [c.value for c in ws[TABLE_HEADER_ROW]]
    assert header[:7] == ["Action", "Objectif", "KPI", "Responsable", "Priorité", "Levier", "Statut"]
    assert header[7:] == ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                          "nov.", "déc."]
    rows = rows_by_label(ws)
    # category rows come before their actions, in the order of the table
    assert rows["Marketing de contenu"] < rows["Vidéo de présentation"] < rows["Merchandising"]
    assert rows["Publicité en ligne"] == rows["Pub Etsy"] - 1
    assert ws.cell(rows["Publicité en ligne"], 1).fill.fgColor.rgb.endswith("FFC000")

    def filled(action):
        return [m for m in range(1, 13)
                if ws.cell(rows[action], 7 + m).fill.fill_type == "solid"]

    assert filled("Pub Etsy") == list(range(4, 13))
    assert filled("Photos des produits") == [1, 8]
    assert filled("Développement du site E-commerce") == [5, 6, 7, 8, 9]
    assert filled("=2*3") == []
    assert ws.cell(rows["Pub Etsy"], 7 + 4).fill.fgColor.rgb.endswith("FFC000")
    assert ws.cell(rows["Photos des produits"], 7 + 8).fill.fgColor.rgb.endswith("ED7D31")
    assert ws.freeze_panes == "B4"


def test_every_total_is_a_formula(plan_fr):
    ws = plan_fr["Budget"]
    rows = rows_by_label(ws)
    L = Labels("fr")
    totals = [r for label, r in rows.items() if str(label).startswith("Sous-total ")]
    assert len(totals) == 6
    total, envelope = rows[L("excel.budget.grand_total")], rows[L("excel.budget.envelope")]
    diff, check = rows[L("excel.budget.difference")], rows[L("excel.budget.check")]
    computed = [budget_column(q, "total") for q in QUARTERS] + [budget_column(None, "total"),
                                                                   budget_column(None, "hours")]
    every = [budget_column(q, k) for q in QUARTERS for k in ("fixed", "percent", "total", "hours")]
    every += [budget_column(None, "total"), budget_column(None, "hours")]
    for r in totals + [total]:
        for col in every:
            assert str(ws[f"{col}{r}"].value).startswith("="), f"{col}{r}"
    for r in (rows["Vidéo de présentation"], rows["Facebook Ads"], rows["Blogging"]):
        for col in computed:
            assert str(ws[f"{col}{r}"].value).startswith("="), f"{col}{r}"
    for q in QUARTERS:
        for kind in ("fixed", "percent", "total"):
            assert str(ws[f"{budget_column(q, kind)}{diff}"].value).startswith("=")
        assert str(ws[f"{budget_column(q, 'total')}{envelope}"].value).startswith("=")
        assert str(ws[f"{budget_column(q, 'fixed')}{check}"].value).startswith("=IF(")
    # a computed € cell = fixed + % x the quarter's forecast cell
    fb = rows["Facebook Ads"]
    assert ws[f"J{fb}"].value == f"=H{fb}+I{fb}*$H${BUDGET_FORECAST_ROW}"
    assert ws[f"N{BUDGET_FORECAST_ROW}"].value == "=B6+E6+H6+K6"
    # inputs stay inputs
    assert ws[f"B{rows['Vidéo de présentation']}"].value == 850
    assert ws[f"H{envelope}"].value == 8700 and ws[f"I{envelope}"].value == 0.30
    assert ws[f"{budget_column('T3', 'fixed')}{BUDGET_FORECAST_ROW}"].value == 60000
    # the difference row is flagged by conditional formatting
    ranges = [str(cf.sqref) for cf in ws.conditional_formatting]
    assert f"B{diff}:N{diff}" in ranges


def test_formats_and_print_setup(plan_fr, tmp_path):
    ws = plan_fr["Budget"]
    rows = rows_by_label(ws)
    video, fb = rows["Vidéo de présentation"], rows["Facebook Ads"]
    assert ws[f"B{video}"].number_format == FR + '#,##0 "€"'
    assert ws[f"I{fb}"].number_format == FR + "0 %"
    assert ws[f"D{video}"].number_format == FR + '#,##0 "€";-#,##0 "€";"–"'
    assert ws[f"B{video}"].fill.fgColor.rgb.endswith("FFF2CC")  # input cell
    assert ws["A4"].font.bold and ws["A4"].font.color.rgb.endswith("FFFFFF")
    assert ws["A4"].fill.fgColor.rgb.endswith("1F4E79")
    assert ws.freeze_panes == "B7"
    for sheet in plan_fr.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, sheet.title  # A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert ws.print_title_rows == "$4:$5"
    assert plan_fr["Plan d'actions"].print_title_rows == "$3:$3"
    en = load_workbook(write_plan(tmp_path / "usd.xlsx", make_book("en", "USD")))["Budget"]
    assert en[f"B{video}"].number_format == '"US$"#,##0'
    assert en[f"I{fb}"].number_format == "0%"


@pytest.mark.libreoffice
def test_libreoffice_computes_the_totals(converted):
    ws = converted["calc"]["Budget"]
    rows = rows_by_label(ws)
    L = Labels("fr")
    total, envelope = rows[L("excel.budget.grand_total")], rows[L("excel.budget.envelope")]
    diff, check = rows[L("excel.budget.difference")], rows[L("excel.budget.check")]

    def at(q, kind, r):
        return ws[f"{budget_column(q, kind)}{r}"].value

    assert [at(q, "fixed", total) for q in QUARTERS] == [1250, 3030, 8700, 4999]
    assert [at(q, "percent", total) for q in QUARTERS] == pytest.approx([0, 0, 0.30, 0.25], abs=1e-12)
    assert [at(q, "total", total) for q in QUARTERS] == pytest.approx([1250, 3030, 26700, 34999], abs=1e-9)
    assert at(None, "total", total) == pytest.approx(1250 + 3030 + 26700 + 34999, abs=1e-9)  # 65 979
    assert at(None, "total", BUDGET_FORECAST_ROW) == 200000
    assert [at(q, "total", envelope) for q in QUARTERS] == pytest.approx([1250, 3930, 26700, 34000], abs=1e-9)
    assert [at(q, "total", diff) for q in QUARTERS] == pytest.approx([0, -900, 0, 999], abs=1e-9)
    assert at(None, "total", diff) == pytest.approx(99, abs=1e-9)
    assert [at(q, "fixed", check) for q in QUARTERS] == [
        "Dans l'enveloppe", "En dessous de l'enveloppe", "Dans l'enveloppe", "Au-dessus de l'enveloppe"]
    # internal time: 17 h/week x 13 weeks + 16 h/month x 3 months
    assert [at(q, "hours", total) for q in QUARTERS] == [269, 269, 269, 269]
    assert at(None, "hours", total) == 1076
    assert at(None, "hours", rows["Sous-total Animation de communauté"]) == (6 + 4 + 1) * 13 * 4
    assert at("T3", "total", rows["Sous-total Publicité en ligne"]) == pytest.approx(750 + 0.30 * 60000)
    assert at("T4", "total", rows["Google Adwords"]) == pytest.approx(0.20 * 120000)


@pytest.mark.libreoffice
def test_libreoffice_summary_equals_the_report(converted):
    """Recalculated, the summary's formulas give the figures the report printed."""
    ws = converted["calc"]["Synthèse"]
    rows = rows_by_label(ws)
    for line in SUMMARY:
        assert ws.cell(rows[line.label], 2).value == pytest.approx(line.value, abs=1e-9), line.label
    edited = converted["edited"]["Synthèse"]
    assert edited.cell(rows["Budget de l'année"], 2).value == pytest.approx(65979 + 150)
    assert edited.cell(rows["Écarts budget / enveloppes"], 2).value == 3  # T1 is now over its envelope too


@pytest.mark.libreoffice
def test_libreoffice_kpi_status(converted):
    ws = converted["calc"]["KPI"]
    values = [[ws[f"{c}{r}"].value for c in "UVW"] for r in range(4, 8)]
    assert values[0][:2] == [0.28, pytest.approx(0.8)] and values[0][2] == "à surveiller"  # 0,28 ÷ 0,35
    assert values[1][:2] == [52, pytest.approx(40 / 52)] and values[1][2] == "en retard"  # lower is better
    assert values[2][:2] == [0.004, pytest.approx(1.25)] and values[2][2] == "dans l'objectif"
    assert values[3] == [None, None, None] or values[3] == ["", "", ""]  # nothing measured yet


@pytest.mark.libreoffice
def test_editing_an_amount_moves_the_totals(converted):
    ws = converted["edited"]["Budget"]
    rows = rows_by_label(ws)
    L = Labels("fr")
    total, diff = rows[L("excel.budget.grand_total")], rows[L("excel.budget.difference")]
    assert ws[f"D{total}"].value == 1400  # 1 000 + 400 + 0
    assert ws[f"N{total}"].value == pytest.approx(65979 + 150)
    assert ws[f"D{diff}"].value == 150
    assert ws[f"B{rows[L('excel.budget.check')]}"].value == "Au-dessus de l'enveloppe"


@pytest.mark.libreoffice
def test_formula_injection_stays_text(plan_fr, converted):
    for wb in (plan_fr, converted["calc"]):  # as written, and after LibreOffice recalculated everything
        found = {c.value: c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value in INJECTIONS}
        assert set(found) == set(INJECTIONS)
        assert all(c.data_type == "s" for c in found.values())
    raw = plan_fr["Plan d'actions"]
    owner = raw.cell(rows_by_label(raw)["Newsletter"], 4)
    assert owner.value == "=1+1" and owner.quotePrefix


@pytest.mark.libreoffice
def test_pdf_conversion(converted):
    from pypdf import PdfReader

    pdf = converted["pdf"]
    assert pdf.exists() and pdf.stat().st_size > 0
    pages = PdfReader(str(pdf)).pages
    assert len(pages) >= 8  # one page at least per sheet
    text = "\n".join(page.extract_text() for page in pages)
    assert "Rétro-planning 2027" in text and "Total du plan" in text
    assert "###" not in text  # every figure fits its column
    import re

    space = "[\\s\u00a0\u202f]"
    assert re.search(f"65{space}979{space}€", text)  # the summary's formula, in French format
    assert re.search(f"24{space}%", text)  # a KPI actual, a percentage


def test_bad_inputs_are_refused(tmp_path):
    actions = make_book().actions.copy()
    actions.at[0, "months"] = (0, 13)
    with pytest.raises(ValueError, match="expected months between 1 and 12, got 0"):
        write_plan(tmp_path / "x.xlsx", make_book(actions=actions))
    with pytest.raises(ValueError, match="expected a colour such as '#1F4E79', got 'bleu'"):
        write_plan(tmp_path / "x.xlsx", make_book(category_colours={"Merchandising": "bleu"}))
    with pytest.raises(ValueError, match="missing q1_hours"):
        write_plan(tmp_path / "x.xlsx", make_book(budget=make_book().budget.drop(columns="q1_hours")))
    assert not (tmp_path / "x.xlsx").exists()


def test_no_cell_would_execute_but_relkit_formulas(tmp_path):
    """Every OWASP first character (= + - @ tab CR) in any input text: stored as
    quoted text; the Budget sheet keeps its own live formulas."""
    from relkit.views.excel import safe_cells

    payloads = ["=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
                "\t=cmd|' /C calc'!A0", "\r=cmd|' /C calc'!A0"]
    book = make_book()
    book.actions.loc[:5, "owner"] = payloads
    book.summary.append((payloads[4], payloads[5]))
    book.programmes.loc[0, "Formule"] = payloads[0]
    plan = write_plan(tmp_path / "plan.xlsx", book)
    assert safe_cells.unsafe_cells(plan) == []
    wb = load_workbook(plan)
    owners = [wb["Plan d'actions"].cell(r, 4) for r in range(1, wb["Plan d'actions"].max_row + 1)]
    quoted = [c for c in owners if isinstance(c.value, str) and "cmd|" in c.value]
    assert len(quoted) == 6 and all(c.data_type == "s" and c.quotePrefix for c in quoted)
    formulas = [c.value for row in wb["Budget"].iter_rows() for c in row if c.data_type == "f"]
    assert len(formulas) > 50 and any(f.startswith("=SUM(") for f in formulas)


def test_no_local_path_in_the_file(tmp_path):
    """Nothing of the machine that wrote it: no folder, no user, no file URL in any part of the .xlsx."""
    import zipfile

    path = write_plan(tmp_path / "plan.xlsx", make_book())
    with zipfile.ZipFile(path) as z:
        text = "\n".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())
    for needle in (str(tmp_path), "file:/", "/tmp/", "/home/", "/root/"):
        assert needle not in text, needle


def test_a_plan_without_kpis_or_envelopes(tmp_path):
    """No KPI table: the sheet says so; no lists given: only the status drop-down (its own list);
    every formula is one relkit writes."""
    book = make_book(kpis=pd.DataFrame(), kpi_periods=[], envelopes=None, choices={})
    wb = load_workbook(write_plan(tmp_path / "plan.xlsx", book))
    assert wb["KPI"].cell(TABLE_HEADER_ROW, 1).value == Labels("fr")("excel.empty")
    assert wb["Plan d'actions"].data_validations.dataValidation[0].formula1 == "'Listes'!$C$2:$C$5"  # status only
    assert len(wb["Plan d'actions"].data_validations.dataValidation) == 1
    assert safe_cells_unsafe(wb) == []


def safe_cells_unsafe(wb):
    from relkit.views.excel import safe_cells

    return [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f" and not safe_cells._RELKIT_FORMULA.fullmatch(c.value)]
