"""Workbook 05 on the demo (Arnaud & Zoé, seed 001): budget figures through the
engagement and the workshop sheet, target sizes on the demo customer file, a
pressure case over the cap, the funnel, the Excel plan end to end, and one
clear message per bad input."""
import math
import re
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import DEMO
from relkit.customers.rfm import purchases
from relkit.workbooks.customers import CustomerFile
from relkit.io.labels import Labels
from relkit.workbooks.plan import PlanWorkbook
from relkit.intake.load import check, load
from relkit.io.atelier import sheet


@pytest.fixture(scope="module")
def pw():
    data = load(DEMO)
    labels = Labels("fr")
    return PlanWorkbook(data, labels, CustomerFile(data.engagement, data.imports, labels))


def test_seed_001_budget_from_the_workshop_sheet(pw):
    t = pw.totals.set_index("quarter")
    assert t["fixed"].tolist() == [1250, 3030, 8700, 4999]
    assert t["percent"].tolist() == [0, 0, pytest.approx(0.30), pytest.approx(0.25)]
    assert t["percent_money"].tolist() == [0, 0, 18000, 30000]
    assert t["total"].tolist() == [1250, 3030, 26700, 34999]
    assert t["hours"].tolist() == [269, 269, 269, 269]  # 17 h/week × 13 + 16 h/month × 3
    r = pw.reconciled.set_index("quarter")
    assert r["envelope_fixed"].tolist() == [1250, 3930, 8700, 4000]
    assert r["fixed_difference"].tolist() == [0, -900, 0, 999]
    assert r["status"].tolist() == ["ok", "under", "ok", "over"]
    assert pw.differences() == 2
    assert pw.money_total() == 65979
    assert pw.roi.cost == 65979 and pw.roi.revenue == 137000


def test_target_sizes_on_the_demo_customer_file(pw):
    sizes = pw.sizes.set_index("programme")
    orders = purchases(pw.cf.orders)
    as_of = pd.Timestamp(pw.cf.as_of)
    last, first = orders.groupby("customer_id")["date"].max(), orders.groupby("customer_id")["date"].min()
    count = orders.groupby("customer_id").size()
    dormant = int((last < as_of - pd.DateOffset(months=12)).sum())
    repeat = int((count >= 2).sum())
    loyal_old = int(((count >= 2) & (first < as_of - pd.DateOffset(years=1))).sum())
    assert sizes.loc["Réactivation des clients dormants", "size"] == dormant == 400
    assert sizes.loc["Recommandations", "size"] == repeat
    assert sizes.loc["Coupon fidélité", "size"] == loyal_old
    # Birthday, abandoned cart and complaints need data the file does not have: a gap, never 0
    assert sizes.loc["Anniversaire", "missing"] == ("birth_date",)
    assert pd.isna(sizes.loc["Anniversaire", "size"])
    assert pw.target_gaps() == ["birth_date", "cart_events", "complaints"]


def test_christmas_campaign_pushes_email_pressure_over_the_cap(pw):
    s = pw.pressure.summary.set_index(["month", "channel"])
    assert pw.caps == {"email": 4.0, "sms": 2.0}
    # November: newsletter 1 + Christmas 3 for everyone with e-mail consent, + reactivation 2 for the dormant …
    assert s.loc[(11, "email"), "max"] == 8 and s.loc[(11, "email"), "over_cap"] == 987
    # the welcome scenario sends 2 e-mails a month (J0, J+3; the catalogue's count was 1): from July, its new
    # customers in the recommendations and referral targets get 2 + newsletter 1 + 1 + 1 = 5 > 4 (11 people;
    # before the scenarios: 4, at the cap); June has no welcome yet
    assert s.loc[(9, "email"), "max"] == 5 and s.loc[(9, "email"), "over_cap"] == 11
    assert s.loc[(6, "email"), "over_cap"] == 0
    # and an SMS from the scenarios (welcome J+10, reactivation J+21, never both): 1 at most, under the cap of 2
    assert s.loc[(11, "sms"), "max"] == 1 and s.loc[(11, "sms"), "over_cap"] == 0
    table = pw.pressure_table()
    assert table["Mois"].tolist() == ["juil.", "août", "sept.", "oct.", "nov.", "déc."]
    assert "Campagne de Noël" in table.iloc[4]["Programmes"]
    # the sentence describes the table's figure: 987 customers above the cap, up to 8 e-mails
    assert table.iloc[4]["Clients"] == "987" and table.iloc[4].iloc[3] == "8"
    assert pw.pressure_text()[0].startswith("En novembre, 987 clients reçoivent plus de 4 e-mails (jusqu'à 8 e-mails)")


def test_backward_funnel_on_the_demo(pw):
    value, basis = pw.value_per_customer()
    inputs, _ = pw.cf.vmc_inputs()
    assert basis == "basket" and value == round(inputs.average_transaction * inputs.purchases_per_year, 2)
    f = pw.funnel
    customers = math.ceil(101200 / value)  # revenue to win: 200 000 − 98 800
    assert f.customers == customers == 1260
    assert [c for _, c, _ in f.stages] == [math.ceil(customers / 0.2), math.ceil(math.ceil(customers / 0.2) / 0.1)]
    assert f.budget == pytest.approx(63000 * 0.80)


def test_chart_takeaways_and_budget_figures_from_the_data(pw):
    nbsp, nnbsp = "\u00a0", "\u202f"
    plain = lambda t: t.replace(nbsp, " ").replace(nnbsp, " ")  # noqa: E731
    # T4: 4 999 € + 25 % of 120 000 € = 34 999 € of 65 979 € = 53 %; T1: 1 250 €
    assert plain(pw.quarters_takeaway()) == ("Le T4 concentre 53 % du budget des actions chiffrées (34 999 €) ; "
                                             "le T1 en reçoit le moins (1 250 €).")
    # online ads 52 000 € of 65 979 € = 78,8 % shown 79 % as in the table; 5 categories spend money
    assert plain(pw.categories_takeaway()) == ("Publicité en ligne pèse 79 % du budget des actions chiffrées "
                                               "(52 000 €) ; 4 autres catégories se partagent le reste.")
    assert pw.categories_table().iloc[3].tolist()[:3] == ["Publicité en ligne", f"52{nnbsp}000{nbsp}€", f"79{nbsp}%"]
    assert plain(pw.targets_takeaway()) == ("La plus grande cible est « Newsletter » (1 921 clients) ; 8 programmes "
                                            "sur 11 ont leur cible mesurée dans le fichier clients.")
    figures = pw.figures()
    # 5 000 + 9 000 + 40 000 + 70 000 + 6 000 + 4 000 + 3 000 (the actions' expected revenue)
    assert figures["plan_expected_revenue"][0] == 137000
    assert sum(figures["plan_expected_revenue_by_programme"][0].values()) == 137000
    assert figures["budget_quarters"][0]["T2"] == {"fixed": 3030.0, "percent": 0.0}
    assert figures["budget_envelopes_total"][0] == 65880  # 17 880 € + 30 % of 60 000 € + 25 % of 120 000 €
    # ROI on the 55 % margin: (137 000 × 0,55 − 65 979) / 65 979
    assert figures["roi"][0] == round((75350 - 65979) / 65979, 4) and figures["roi_basis"][0] == "margin"
    assert plain(pw.roi_text()).endswith("un ROI de 14 %. ROI calculé sur la marge (55 %).")


def test_report_tables_are_labelled_and_without_nan(pw):
    for table in (pw.programmes_table(), pw.quarters_table(), pw.reconciliation_table(), pw.kpi_table(),
                  pw.dashboard_table(), pw.calendar_table(), pw.channels_table(), pw.phases_table()):
        assert len(table) and not re.search(r"\bnan\b", table.astype(str).to_string().lower())
    assert pw.reconciliation_table()["Écart"].tolist() == ["0", "-900\u00a0€", "0", "+999\u00a0€"]
    assert [k for k in pw.figures()] >= ["programmes", "actions", "budget_money"]


@pytest.mark.libreoffice
def test_excel_plan_from_the_demo_recalculates_in_libreoffice(pw, tmp_path):
    assert shutil.which("libreoffice"), "LibreOffice is needed (apt-get install libreoffice-calc-nogui)"
    path = pw.write_plan(tmp_path)
    assert path.name == "plan_relationnel_arnaud-zoe.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["Synthèse", "Programmes", "Plan d'actions", "Budget", "KPI", "Parcours", "Collecte",
                             "Registre", "Listes"]
    budget = wb["Budget"]
    total_row = next(r for r in range(1, budget.max_row + 1) if budget.cell(r, 1).value == "Total du plan")
    formulas = [c.value for c in budget[total_row] if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(formulas) >= 5  # four quarters and the year at least
    (tmp_path / "calc").mkdir()
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "calc"), str(path)],
                   check=True, capture_output=True, timeout=180)
    calc = load_workbook(tmp_path / "calc" / path.name, data_only=True)["Budget"]
    values = [c.value for c in calc[total_row] if isinstance(c.value, (int, float))]
    for expected in (1250, 3030, 26700, 34999, 65979):
        assert expected in values, (expected, values)
    # the journey, collection plan and register come from workbooks 03 and 04
    assert wb["Parcours"].max_row > 20 and wb["Registre"].max_row > 4
    # the summary, recalculated, shows the report's own figures (one source)
    book = load_workbook(tmp_path / "calc" / path.name, data_only=True)
    summary = {book["Synthèse"].cell(r, 1).value: book["Synthèse"].cell(r, 2).value for r in range(4, 17)}
    figures = pw.figures()
    assert summary["Budget des actions chiffrées"] == pytest.approx(figures["budget_money"][0]) == pytest.approx(65979)
    assert summary["Heures internes"] == pytest.approx(figures["internal_hours"][0])
    assert summary["Écarts budget / enveloppes"] == figures["budget_differences"][0] == 2
    assert summary["ROI attendu"] == pytest.approx(figures["roi"][0])
    assert summary["Programmes"] == figures["programmes"][0] and summary["Actions"] == figures["actions"][0]
    assert summary["Prévision de chiffre d'affaires"] == 200000
    for key in ("budget_envelopes_total", "plan_expected_revenue"):  # one name per total, as the report's
        assert summary[figures[key][1]] == pytest.approx(figures[key][0]), key
    assert summary[figures["roi_basis"][1]] == figures["roi_basis"][2]
    assert all(not isinstance(v, str) for k, v in summary.items() if v is not None and k != figures["roi_basis"][1])
    # the KPI sheet's status of each KPI's latest actual is the report's dashboard status
    kpi = book["KPI"]
    header = [c.value for c in kpi[3]]
    status_col = header.index("Statut") + 1
    computed = {kpi.cell(r, 1).value: kpi.cell(r, status_col).value for r in range(4, kpi.max_row + 1)}
    report = pw.dashboard_table()
    assert len(report) == 7
    for name, status in zip(report["KPI"], report["Statut"]):
        assert computed[name] == status, name


BAD_INPUTS = [
    # (sheet, column key, value, expected words in the message)
    ("actions", "category", "Publicité TV", "expected one of 'Marketing de contenu'"),
    ("actions", "budget_q2", "beaucoup", "got 'beaucoup'"),
    ("actions", "budget_q4", "-200 €", "negative"),
    ("actions", "months", "13", "month 13"),
    ("actions", "programme", "Programme fantôme", "expected a programme of sheet 'Programmes'"),
    ("programmes", "programme", "Relance inventée", "Relance inventée"),  # row 4 of the demo is complete: use row 3
    ("programmes", "target", "les gentils clients", "could not read"),
]


@pytest.mark.parametrize("sheet_key, column, value, words", BAD_INPUTS)
def test_each_bad_input_gets_one_clear_message(demo, sheet_key, column, value, words):
    wb = load_workbook(demo / "atelier.xlsx")
    s = sheet(sheet_key)
    ws = wb[s.title["fr"]]
    col = [c.key for c in s.columns].index(column) + 1
    row = 3 if column == "programme" and sheet_key == "programmes" else 4  # row 3: catalogue name, empty cells
    ws.cell(row, col).value = value
    wb.save(demo / "atelier.xlsx")
    data, problems = check(demo, import_exports=False)
    assert data is None and len(problems) == 1, problems
    p = problems[0]
    assert p.file.endswith("atelier.xlsx") and f"sheet '{s.title['fr']}', row {row}" in p.where
    assert words in p.message, p.message


def test_a_custom_kpi_without_unit_is_refused(demo):
    wb = load_workbook(demo / "atelier.xlsx")
    ws = wb["KPI"]
    row = ws.max_row + 1
    ws.cell(row, 1).value = "Nombre de tutoriels publiés"
    wb.save(demo / "atelier.xlsx")
    _, problems = check(demo, import_exports=False)
    assert len(problems) == 1
    assert problems[0].where == f"sheet 'KPI', row {row}, column 'Unité'"
    assert problems[0].message.startswith("KPI 'Nombre de tutoriels publiés' has no unit: expected one of €, %")


def test_unknown_pressure_channel_is_named(demo):
    text = (demo / "engagement.yaml").read_text(encoding="utf-8").replace("  sms: 2", "  pigeon: 2")
    (demo / "engagement.yaml").write_text(text, encoding="utf-8")
    _, problems = check(demo, import_exports=False)
    assert len(problems) == 1 and problems[0].where == "key 'pressure.pigeon'"


def test_pressure_chart_takeaway_names_the_worst_month(pw):
    from relkit.workbooks.plan_programmes import pressure_takeaway

    assert pressure_takeaway(pw.pressure, Labels("fr")).replace("\u00a0", " ").replace("\u202f", " ") == (
        "En novembre, 987 clients dépassent le plafond de 4 e-mails par mois : jusqu'à 8 e-mails par personne.")
    assert pressure_takeaway(pw.pressure, Labels("en")) == (
        "In November, 987 customers go over the cap of 4 e-mails a month: up to 8 e-mails per person.")
    fig = pw.pressure_chart()
    assert pressure_takeaway(pw.pressure, pw.L) in [ax.get_title(loc="left") for ax in fig.axes]


def test_a_plan_with_programmes_and_no_action_yet_gets_its_excel_workbook(demo, tmp_path):
    """Programmes chosen in the workshop, actions not costed yet: the Excel plan is still written
    (empty Action and Budget sheets with their headers), not a crash of workbook 05."""
    from real_clients import blank

    blank(demo, {"actions": None})
    data = load(demo, import_exports=False)
    pw = PlanWorkbook(data, Labels("fr"))
    assert len(pw.actions) == 0 and len(pw.programmes) == 11
    path = pw.write_plan(tmp_path)
    wb = load_workbook(path)
    assert wb.sheetnames[:4] == ["Synthèse", "Programmes", "Plan d'actions", "Budget"]
    assert wb["Programmes"].max_row > 3
