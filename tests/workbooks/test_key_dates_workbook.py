"""Workbook 05's key dates: the demo's sentences (French and English), the appendix table, the
recorded figures; an engagement without the sheet says so; a small English B2B client with
trade fairs and a summer closing, read against its own action plan."""
from openpyxl import load_workbook

from real_clients import b2b_english
from relkit.intake.load import load
from relkit.io.labels import Labels
from relkit.workbooks.checks import check_lines
from relkit.workbooks.key_dates import KeyDates
from relkit.workbooks.plan import PlanWorkbook


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_demo_sentences_table_and_figures(demo):
    data = load(demo, import_exports=False)
    fr = KeyDates(data, Labels("fr"))
    assert [plain(x) for x in fr.lines()] == [
        "Les 5 temps forts à exploiter ont tous une action ou une campagne programmée dans leur mois (Financement "
        "participatif, Fête des mères, Rentrée scolaire, Noël et Marché de Noël).",
        "Soldes d'été (du 23 juin au 20 juillet) est une période à éviter, mais le plan y programme Pub Etsy "
        "(juin–juil.), Facebook Ads (juil.) et Google Adwords (juil.).",
    ]
    table = fr.table()
    assert list(table.columns) == ["Temps fort", "Dates", "Type", "Campagnes", "Actions et campagnes du mois", "Lecture"]
    assert table["Lecture"].tolist() == ["respecté", "préparé", "repère", "préparé", "à vérifier", "préparé", "préparé",
                                         "repère", "préparé"]
    assert table.iloc[3, :4].tolist() == ["Fête des mères", "le 30 mai", "fête des mères", "à prévoir"]
    assert table.iloc[2, 1] == "du 17 au 18 avril"
    # Noël meets 8 timed items: 4 are named, the rest counted
    assert table.iloc[6, 4].endswith("Publireportage (déc.) et 4 autres")
    assert fr.by_quarter() == {"T1": ["Soldes d'hiver", "Financement participatif"],
                               "T2": ["Marché de printemps", "Fête des mères", "Soldes d'été"],
                               "T3": ["Soldes d'été", "Rentrée scolaire"],
                               "T4": ["Noël", "Black Friday", "Marché de Noël"]}
    assert {k: v[0] for k, v in fr.figures().items()} == {"key_dates": 9, "key_dates_covered": 5,
                                                          "key_dates_clashes": 1}
    phases = PlanWorkbook(data, Labels("fr")).phases_table()  # the calendar in phases names each quarter's key dates
    assert phases["Temps forts du trimestre"].tolist() == [
        "Soldes d'hiver et Financement participatif", "Marché de printemps, Fête des mères et Soldes d'été",
        "Soldes d'été et Rentrée scolaire", "Noël, Black Friday et Marché de Noël"]
    en = KeyDates(data, Labels("en"))
    assert en.lines()[1] == ("Soldes d'été (23 June to 20 July) is a period to avoid, but the plan schedules Pub Etsy "
                             "(Jun–Jul), Facebook Ads (Jul) and Google Adwords (Jul) then.")
    assert en.table().iloc[2, 1] == "17 to 18 April"


def test_without_key_dates_the_section_is_not_assessed(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    del wb["Temps forts"]
    wb.save(path)
    data = load(demo, import_exports=False)
    kd = KeyDates(data, Labels("fr"))
    assert kd.empty and kd.chart_frame() is None and kd.figures() == {} and kd.by_quarter() == {}
    assert kd.lines() == ["Non évalué : les temps forts de l'année (soldes, Noël, rentrée, événements de "
                          "l'entreprise…) n'ont pas encore été listés en atelier."]
    assert "Temps forts du trimestre" not in PlanWorkbook(data, Labels("fr")).phases_table().columns
    assert "key_dates" not in [x["check"] for x in check_lines(data.engagement, data.sheets, {}, Labels("fr"))["open"]]


def _fill(ws, rows):
    headers = {c.value: c.column for c in ws[2] if c.value}
    for r, row in enumerate(rows, start=3):
        for header, value in row.items():
            ws.cell(r, headers[header]).value = value


def test_english_b2b_client_with_trade_fairs(tmp_path):
    folder = b2b_english(tmp_path)
    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    _fill(wb["Key dates"], [
        {"Key date": "Salon Bureau Pro (Paris)", "Start": "16/03/2027", "End": "18/03/2027", "Kind": "trade fair or market",
         "Campaigns": "planned"},
        {"Key date": "Summer closing", "Start": "02/08/2027", "End": "20/08/2027", "Kind": "company event",
         "Campaigns": "avoid", "Note": "Nobody answers the phone"},
        {"Key date": "Back to office", "Start": "01/09/2027", "Kind": "back to school", "Campaigns": "planned"},
    ])
    wb.save(path)
    data = load(folder, import_exports=False)
    L = Labels("en")
    assert KeyDates(data, L).lines() == [
        "Nothing is scheduled yet for Salon Bureau Pro (Paris) and Back to office: a campaign to plan, or a key date "
        "to drop.",
        "No campaign falls on the period to avoid (Summer closing).",
    ]
    # the plan: an invitation mailing for the fair, a reorder e-mailing from August
    _fill(wb["Action plan"], [
        {"Category": "Events", "Action": "Trade-fair invitations", "Active months": "2-3"},
        {"Category": "E-mailing and CRM", "Action": "Reorder reminders", "Active months": "8-10"},
    ])
    wb.save(path)
    data = load(folder, import_exports=False)
    kd = KeyDates(data, L)
    assert kd.lines() == [
        "Every key date to use (2) has an action or a campaign scheduled in its month (Salon Bureau Pro (Paris) and "
        "Back to office).",
        "Summer closing (2 to 20 August) is a period to avoid, but the plan schedules Reorder reminders (Aug) "
        "then.",
    ]
    assert check_lines(data.engagement, data.sheets, {}, L)["open"] == []  # no plan in the report: no key-date check
    lines = check_lines(data.engagement, data.sheets, {"05_plan_relationnel": {}}, L)  # the plan's workbook ran
    assert [x["text"] for x in lines["open"] if x["check"] == "key_dates"] == [
        "Period to avoid (2 to 20 August) in sheet 'Key dates', row 4 ('Summer closing'), but the plan "
        "schedules Reorder reminders (Aug) then (sheet 'Action plan'); move these campaigns or change the key date."]


def test_landmarks_only(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    ws = wb["Temps forts"]
    for r in range(3, 12):
        ws.cell(r, 5).value = "à connaître"
    wb.save(path)
    data = load(demo, import_exports=False)
    kd = KeyDates(data, Labels("fr"))
    assert kd.lines() == ["Aucun des 9 temps forts n'est marqué « à prévoir » ou « à éviter » : ils restent de "
                          "simples repères sur le rétro-planning."]
    assert {k: v[0] for k, v in kd.figures().items()} == {"key_dates": 9, "key_dates_covered": 0,
                                                          "key_dates_clashes": 0}
    assert check_lines(data.engagement, data.sheets, {}, Labels("fr"))["open"] == []
