"""Every chart carries a title and a one-line takeaway computed from its data
(issue 13 §2): the SWOT matrix and the retro-planning, exact sentences."""
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from conftest import DEMO
from relkit.intake.load import check
from relkit.io.labels import Labels
from relkit.topics.action_plan import Action
from relkit.workbooks.diagnostic import Diagnostic
from relkit.workbooks.plan import PlanWorkbook
from relkit.workbooks.plan_actions import Schedule, schedule


@pytest.fixture(scope="module")
def data():
    data, problems = check(DEMO, import_exports=False)
    assert problems == []
    return data


def texts(fig) -> list[str]:
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [t.get_text() for t in ax.texts]
    plt.close(fig)
    return [t.replace("\u00a0", " ") for t in found]  # wrapped lines keep "x :" together


def test_swot_takeaway_weighs_each_side(data):
    d = Diagnostic(data, Labels("fr"))
    assert d.swot_takeaway() == ("Interne : autant de forces que de faiblesses (4) ; "
                                 "externe : autant d'opportunités que de menaces (4).")
    shown = texts(d.swot_figure())
    assert "Forces, faiblesses, opportunités et menaces" in shown
    assert d.swot_takeaway() in shown
    swot = data.sheets["swot"]
    fewer = swot.drop(swot[swot["quadrant"] == "weakness"].index[:3])
    fewer = fewer.drop(fewer[fewer["quadrant"] == "opportunity"].index[:1])
    d = Diagnostic(type(data)(folder=data.folder, engagement=data.engagement, sheets={**data.sheets, "swot": fewer}),
                   Labels("en"))
    assert d.swot_takeaway() == ("Internally, strengths outweigh weaknesses (4 to 1); "
                                 "externally, threats outweigh opportunities (4 to 3).")


def test_schedule_counts_the_busiest_month_and_the_all_year_actions():
    actions = [Action("a", "content", months=tuple(range(1, 13))), Action("b", "content", months=(3, 4)),
               Action("c", "events", months=(4, 3)), Action("d", "events")]
    assert schedule(actions) == Schedule(actions=3, busiest_month=3, busiest_count=3, all_year=1)
    assert schedule([Action("d", "events")]) == Schedule(actions=0, busiest_month=None, busiest_count=0, all_year=0)


def test_retro_planning_takeaway_on_the_demo(data):
    pw = PlanWorkbook(data, Labels("fr"), None)
    assert pw.retro_takeaway() == "15 actions planifiées ; mois le plus chargé : décembre (12 en cours) ; 6 toute l'année."
    assert pw.retro_takeaway() in texts(pw.retro_chart())
    assert PlanWorkbook(data, Labels("en"), None).retro_takeaway() == (
        "15 actions scheduled; busiest month: December (12 running); 6 all year round.")
