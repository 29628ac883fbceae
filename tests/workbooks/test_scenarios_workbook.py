"""Automation scenarios in workbook 05 (relkit.workbooks.plan_scenarios): the demo's
summary, sentences, flows and figures; the pressure with and without them (old ->
new figures of the demo); a copy of the demo whose sheet is empty; English; and one
clear line per bad cell at validation."""
import pytest
from openpyxl import load_workbook

from conftest import DEMO
from real_clients import blank
from relkit.intake.load import check, load
from relkit.io.atelier import FIRST_DATA_ROW, sheet
from relkit.io.labels import Labels
from relkit.topics.plan.pressure import simulate_pressure
from relkit.workbooks.customers import CustomerFile
from relkit.workbooks.plan import PlanWorkbook


def workbook(folder, lang="fr", customers=True):
    data = load(folder)
    labels = Labels(lang)
    return PlanWorkbook(data, labels, CustomerFile(data.engagement, data.imports, labels) if customers else None)


@pytest.fixture(scope="module")
def pw():
    return workbook(DEMO)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_demo_summary_one_row_per_scenario(pw):
    assert list(pw.scenarios) == ["welcome", "abandoned_cart", "reactivation", "birthday"]
    table = pw.scenarios_table()
    assert list(table.columns) == ["Programme", "Séquence", "Au plus par mois"]
    assert table.values.tolist()[0] == [
        "Bienvenue", "J0 e-mail → J+3 e-mail si non ouvert → J+10 SMS si pas d'achat", "2 e-mails, 1 SMS"]
    assert table.iloc[1, 1] == "H+1 e-mail → J+1 SMS si pas d'achat → J+3 e-mail si pas d'achat"
    assert table.iloc[3, 1] == "J-7 e-mail → J0 e-mail → J+14 SMS si pas d'achat"
    assert [plain(t) for t in pw.scenarios_text()] == [
        "4 programmes ont leur scénario détaillé (12 messages, dont 7 sous condition) : la pression marketing "
        "compte chacun de ces messages, ceux sous condition comme s'ils partaient tous (le pire cas)."]
    figures = pw.scenario_figures()
    assert {k: v[0] for k, v in figures.items()} == {"scenarios": 4, "scenario_messages": 12,
                                                     "scenario_conditional": 7}


def test_the_demo_pressure_before_and_after_the_scenarios(pw):
    """Old -> new: without the sequences each programme sends its messages per month."""
    before = simulate_pressure(pw.programmes, pw.base, pw.as_of, 2027, pw.caps)
    after = pw.pressure
    b = before.summary.set_index(["month", "channel"])
    a = after.summary.set_index(["month", "channel"])
    assert int(before.summary["over_cap"].sum()) == 2041 and int(after.summary["over_cap"].sum()) == 2085
    assert [m for m in range(1, 13) if b.loc[(m, "email"), "over_cap"]] == [10, 11, 12]
    assert [m for m in range(1, 13) if a.loc[(m, "email"), "over_cap"]] == [7, 8, 9, 10, 11, 12]
    assert (b.loc[(10, "email"), "over_cap"], a.loc[(10, "email"), "over_cap"]) == (67, 78)
    assert (b.loc[(11, "email"), "over_cap"], a.loc[(11, "email"), "over_cap"]) == (987, 987)
    assert before.channels == ("email", "mail") and after.channels == ("email", "sms", "mail")
    # the SMS of the welcome (J+10) and the reactivation (J+21, from March): one a month at most
    assert a.loc[(2, "sms"), "customers"] == 0 and a.loc[(3, "sms"), "max"] == 1
    # the abandoned-cart and birthday scenarios cannot be counted: the file has no cart events, no birth dates
    assert set(after.skipped["programme"]) == {"Anniversaire", "Panier abandonné", "Service client"}


def test_the_flows_chart_has_a_title_and_a_takeaway_from_the_data(pw):
    fig = pw.scenarios_chart()
    texts = [t.get_text() for t in fig.texts]
    assert fig._suptitle.get_text() == "Les scénarios, message par message"
    # reactivation and birthday both have 3 messages over 21 days: the first one listed wins
    assert plain(pw.scenarios_takeaway()) == ("Le plus long : « Réactivation des clients dormants », 3 messages en "
                                              "21 jours, dont 2 sous condition.")
    assert plain(pw.scenarios_takeaway()) in [plain(t) for t in texts]
    drawn = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "J+10 · SMS" in drawn and {"si pas", "d'achat"} <= set(drawn) and "1re commande" in drawn
    assert len(fig.axes) == 4


def test_english(pw):
    en = workbook(DEMO, "en", customers=False)
    table = en.scenarios_table()
    assert list(table.columns) == ["Programme", "Sequence", "At most per month"]
    assert table.values.tolist()[0] == ["Bienvenue",
                                        "D0 e-mail → D+3 e-mail if not opened → D+10 SMS if no purchase",
                                        "2 e-mails, 1 text message"]
    assert en.scenarios_text()[0] == ("4 programmes have their detailed scenario (12 messages, 7 of them "
                                      "conditional): the marketing pressure counts each of these messages, "
                                      "conditional ones as if they were all sent (the worst case).")
    assert en.scenarios_takeaway() == ("The longest: “Dormant-customer win-back”, 3 messages over 21 days, "
                                       "2 of them conditional.")


@pytest.mark.parametrize("how", ["emptied", "deleted"])
def test_without_the_sheet_nothing_is_shown_and_the_pressure_is_todays(tmp_path, how):
    """An emptied sheet, or a workbook made before the sheet existed."""
    import shutil

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    if how == "emptied":
        blank(folder, {"scenarios": None})
    else:
        wb = load_workbook(folder / "atelier.xlsx")
        del wb[sheet("scenarios").title["fr"]]
        wb.save(folder / "atelier.xlsx")
    assert [p for p in check(folder, import_exports=False)[1] if "Scénarios" in str(p)] == []
    pw = workbook(folder)
    assert pw.scenarios == {} and pw.scenarios_table().empty and pw.scenarios_text() == []
    assert pw.scenarios_chart() is None and pw.scenario_figures() == {} and pw.scenarios_takeaway() == ""
    assert int(pw.pressure.summary["over_cap"].sum()) == 2041  # every programme at its messages per month


def test_a_scenario_outside_the_plan_is_named(tmp_path):
    import shutil

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    ws = wb[sheet("scenarios").title["fr"]]
    row = ws.max_row + 1
    for col, value in enumerate(("Programme VIP", 1, "J0", "e-mail", "Votre carte VIP", None), start=1):
        ws.cell(row, col).value = value
    wb.save(path)
    pw = workbook(folder, customers=False)
    assert plain(pw.scenarios_text()[1]) == ("« Programme VIP payant » : scénario d'un programme absent du plan ou "
                                             "arrêté, non compté dans la pression.")


def test_bad_cells_are_one_line_each_at_validation(tmp_path):
    import shutil

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    ws = wb[sheet("scenarios").title["fr"]]
    first = FIRST_DATA_ROW
    ws.cell(first + 1, 3).value = "dans 3 jours"  # Bienvenue step 2: unreadable delay
    ws.cell(first + 2, 3).value = "J+1"  # Bienvenue step 3 (SMS) now before step 2? step 2 unreadable: not compared
    ws.cell(first + 8, 3).value = "J+5"  # Réactivation step 3 (J+21 -> J+5) before step 2 (J+7)
    ws.cell(first + 9, 1).value = "Programme fantôme"  # in neither the Programmes sheet nor the catalogue
    wb.save(path)
    _, problems = check(folder, import_exports=False)
    assert [(p.where, p.message) for p in problems if "'Scénarios'" in p.where] == [
        (f"sheet 'Scénarios', row {first + 1}, column 'Délai'",
         "expected a delay after the trigger such as 'J0', 'J+3', 'H+1', 'J-7' or '10 jours', got 'dans 3 jours'"),
        (f"sheet 'Scénarios', row {first + 8}, column 'Délai'",
         "steps of 'Réactivation' out of order: expected step 3 at or after step 2 (J+7), got J+5"),
        (f"sheet 'Scénarios', row {first + 9}, column 'Programme'",
         "expected a programme of sheet 'Programmes' or a standard programme (welcome, reactivation, birthday…), "
         "got 'Programme fantôme'"),
    ]


def test_the_programmes_table_says_what_the_scenarios_send(pw):
    """The same count as the pressure: welcome's densest month is J0, J+3 e-mails and the J+10 SMS = 3
    (the sheet's 1 a month no longer applies); reactivation 3 (was 2); programmes without a scenario as typed."""
    t = pw.programmes_table().set_index("Programme")
    assert t.loc["Bienvenue", ["Canal", "Messages/mois"]].tolist() == ["e-mail, SMS", "3"]
    assert t.loc["Réactivation des clients dormants", ["Canal", "Messages/mois"]].tolist() == ["e-mail, SMS", "3"]
    assert t.loc["Campagne de Noël", ["Canal", "Messages/mois"]].tolist() == ["e-mail", "3"]
    assert t.loc["Newsletter", "Messages/mois"] == "1"
    assert pw._programmes_for_excel().set_index("Programme").loc["Bienvenue", "Messages/mois"] == 3.0


def test_the_channels_table_lists_the_programmes_whose_scenarios_send_there(pw):
    t = pw.channels_table().set_index("Canal")
    assert t.loc["SMS", "Programmes"] == ("Bienvenue, Réactivation des clients dormants, Anniversaire, "
                                          "Panier abandonné")
    assert t.loc["SMS", "Messages max / pers. / mois"] == "1" and t.loc["SMS", "Plafond"] == "2"
    assert "Bienvenue" in t.loc["e-mail", "Programmes"]
