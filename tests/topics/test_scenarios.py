"""Automation scenarios (relkit.topics.plan.scenarios) and the marketing pressure
they add up to (relkit.topics.plan.pressure), on a five-customer file whose every
count is worked out by hand in the comments."""
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from relkit.topics.plan.programmes import programmes_from_sheet
from relkit.topics.plan.pressure import simulate_pressure
from relkit.topics.plan.scenarios import (Scenario, Step, check_scenarios, delay_text, parse_delay,
                                          scenario_table, scenarios_from_sheet)
from relkit.topics.plan.targets import customer_base

AS_OF = pd.Timestamp("2026-11-01").date()
COLS = ["row", "programme", "step", "delay", "channel", "message", "condition"]
PROG_COLS = ["row", "programme", "objective", "kpi", "target", "channel", "kind", "trigger", "messages_per_month",
             "start_month", "end_month", "status", "priority"]


def steps(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLS, r)) for r in rows], columns=COLS)


def programmes(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(PROG_COLS, r)) for r in rows], columns=PROG_COLS)


# ---------------------------------------------------------------- delays
@pytest.mark.parametrize("text, days", [
    ("J0", 0), ("J+3", 3), ("j + 10", 10), ("D+3", 3), ("J-7", -7), ("+3", 3), ("3", 3), (3, 3), (2.5, 2.5),
    ("H+1", 1 / 24), ("24 h", 1), ("H+48", 2), ("10 jours", 10), ("J+2 semaines", 14), ("1 week", 7), ("J+1,5", 1.5),
    ("1 mois", 30), ("J−7", -7),
])
def test_delays_as_typed(text, days):
    assert parse_delay(text) == pytest.approx(days)


@pytest.mark.parametrize("text", ["", None, "bientôt", "J+", "J+3 lunes", "3 jours 2", "après", True])
def test_unreadable_delay_says_what_is_expected(text):
    with pytest.raises(ValueError, match=r"expected a delay after the trigger such as 'J0', 'J\+3'"):
        parse_delay(text)


@given(st.integers(-60, 365))
def test_delay_text_reads_back(days):
    assert parse_delay(delay_text(days)) == days
    assert parse_delay(delay_text(days, "en")) == days


@given(st.integers(1, 23))
def test_hour_delays_read_back(hours):
    assert parse_delay(delay_text(hours / 24)) == pytest.approx(hours / 24)


# ---------------------------------------------------------------- scenarios
WELCOME = steps(
    (2, "Bienvenue", 1, "J0", "e-mail", "Bienvenue dans la famille", None),
    (3, "Bienvenue", 2, "J+3", "E-mail", "Nos conseils de taille", "si non ouvert"),
    (4, "Bienvenue", 3, "J+10", "SMS", "-10 % sur la 2e commande", "si pas d'achat"),
    # rows typed out of step order: the step number decides
    (6, "réactivation", 2, "J+7", "email", "Relance", "not_opened"),
    (5, "réactivation", 1, "J0", "email", "Ça fait longtemps", None),
    (7, "réactivation", 3, "J+30", "sms", "Dernier rappel", "no_purchase"),
    (8, "réactivation", 4, "J+45", "email", "On vous garde une place", "no_purchase"),
)


def test_scenarios_from_the_sheet():
    sc = scenarios_from_sheet(WELCOME)
    assert list(sc) == ["welcome", "reactivation"]  # keyed by catalogue code
    w = sc["welcome"]
    assert w.programme == "Bienvenue" and [s.number for s in w.steps] == [1, 2, 3]
    assert w.steps[1] == Step(2, 3.0, "email", "Nos conseils de taille", "not_opened", 3)
    assert w.channels == ("email", "sms") and w.conditional == 2 and w.span == 10
    r = sc["reactivation"]
    assert [s.row for s in r.steps] == [5, 6, 7, 8] and r.span == 45


def test_monthly_messages_are_the_densest_month_of_a_run():
    sc = scenarios_from_sheet(WELCOME)
    # welcome: J0, J+3 e-mails and the J+10 SMS all fit in one month
    assert sc["welcome"].per_channel() == {"email": 2, "sms": 1} and sc["welcome"].monthly() == 3
    # reactivation e-mails J0, J+7, J+45: J+45 is 38 days after J+7, so 2 at most in a month;
    # all channels: J0, J+7, J+30 (within 30 days) = 3; e-mail + SMS reaching only by SMS: 1
    assert sc["reactivation"].per_channel() == {"email": 2, "sms": 1}
    assert sc["reactivation"].monthly() == 3 and sc["reactivation"].monthly(["sms"]) == 1
    assert Scenario("x", "x", (Step(1, 0, "email"), Step(2, 31, "email"))).monthly() == 1  # 31 days apart
    assert Scenario("x", "x", (Step(1, 0, "email"), Step(2, 30, "email"))).monthly() == 2
    t = scenario_table(sc).set_index("key")
    assert t.loc["welcome", ["steps", "conditional", "monthly"]].tolist() == [3, 2, 3]


def test_bad_cells_one_line_each():
    bad = steps(
        (2, "Bienvenue", 1, "J0", "email", None, "si non ouvert"),  # nothing sent before the first step
        (3, "Bienvenue", 2, "J+10", "email", None, None),
        (4, "Bienvenue", 3, "J+3", "sms", None, "si pas d'achat"),  # sent before step 2
        (5, "Bienvenue", 3, "J+12", "email", None, None),  # step 3 again
        (6, "Programme fantôme", 1, "J0", "email", None, None),  # in neither the sheet nor the catalogue
        (7, "Fidélité maison", 1, "bientôt", "email", None, None),  # unreadable delay
        (8, "Fidélité maison", 2, "J+5", "email", None, None),
        (9, "Anniversaire", 1, "un jour", "email", None, None),  # unreadable: the programme's order is not judged
        (10, "Anniversaire", 2, "J+3", "email", None, "si non ouvert"),  # (it would look like a first message)
    )
    prog = programmes((2, "Fidélité maison", None, None, "tous", "email", None, None, 1, None, None, None, None))
    problems = check_scenarios(bad, prog, "fr", "atelier.xlsx")
    assert [(p.where, p.message) for p in problems] == [
        ("sheet 'Scénarios', row 2, column 'Condition'",
         "step 1 is the first message of 'Bienvenue': expected no condition on an earlier message (such as "
         "'si non ouvert'), got 'si non ouvert'"),
        ("sheet 'Scénarios', row 4, column 'Délai'",
         "steps of 'Bienvenue' out of order: expected step 3 at or after step 2 (J+10), got J+3"),
        ("sheet 'Scénarios', row 5, column 'Étape'", "expected each step of 'Bienvenue' once, got step 3 again (row 4)"),
        ("sheet 'Scénarios', row 6, column 'Programme'",
         "expected a programme of sheet 'Programmes' or a standard programme (welcome, reactivation, birthday…), "
         "got 'Programme fantôme'"),
        ("sheet 'Scénarios', row 7, column 'Délai'",
         "expected a delay after the trigger such as 'J0', 'J+3', 'H+1', 'J-7' or '10 jours', got 'bientôt'"),
        ("sheet 'Scénarios', row 9, column 'Délai'",
         "expected a delay after the trigger such as 'J0', 'J+3', 'H+1', 'J-7' or '10 jours', got 'un jour'"),
    ]
    assert check_scenarios(WELCOME, None, "en", "w.xlsx") == []  # catalogue programmes need no sheet row
    assert check_scenarios(steps(), prog, "fr", "w.xlsx") == [] and check_scenarios(None, None, "fr", "w") == []


# ---------------------------------------------------------------- pressure on a small engagement
def small_base() -> pd.DataFrame:
    """As of 1 Nov 2026.
    a1: e-mail + SMS, first order 15 Sep 2026 (new: welcome)
    a2: e-mail only, first order 1 Oct 2026 (new: welcome)
    a3: e-mail + SMS, last order 10 Jan 2025 (dormant: reactivation)
    a4: SMS only (no e-mail), last order 1 Mar 2025 (dormant: reactivation)
    a5: e-mail + SMS, a regular buyer since 2024 (newsletter only)"""
    customers = pd.DataFrame({
        "customer_id": ["a1", "a2", "a3", "a4", "a5"],
        "email": ["a1@x.fr", "a2@x.fr", "a3@x.fr", None, "a5@x.fr"],
        "phone": ["0601", None, "0603", "0604", "0605"],
        "opt_in_email": pd.array([True, True, True, None, True], dtype="boolean"),
        "opt_in_sms": pd.array([True, None, True, True, True], dtype="boolean"),
    })
    customers["source_line"] = range(2, 7)
    rfm = pd.DataFrame({
        "customer_id": ["a1", "a2", "a3", "a4", "a5"],
        "first_purchase": pd.to_datetime(["2026-09-15", "2026-10-01", "2024-05-01", "2024-06-01", "2024-01-01"]),
        "last_purchase": pd.to_datetime(["2026-09-15", "2026-10-01", "2025-01-10", "2025-03-01", "2026-10-20"]),
        "frequency": [1, 1, 2, 2, 5], "monetary": [60.0, 45.0, 130.0, 90.0, 400.0],
        "segment": ["new", "new", "hibernating", "at_risk", "champions"],
    }).set_index("customer_id")
    rfm["recency"] = (pd.Timestamp(AS_OF) - rfm["last_purchase"]).dt.days
    rfm["R"] = rfm["F"] = rfm["M"] = 3
    return customer_base(customers, rfm, AS_OF)


SMALL_PROGRAMMES = programmes(
    (2, "Bienvenue", *[None] * 11),  # catalogue: first purchase within 3 months, 1 e-mail a month
    (3, "Réactivation", None, None, None, None, None, None, None, 7, 12, None, None),  # dormant 12 months, July-Dec
    (4, "Newsletter", None, None, "tous", "email", None, None, 2, None, None, None, None),  # 2 e-mails a month
)
CAPS = {"email": 3, "sms": 1, "total": 4}


def test_pressure_counts_each_customers_real_messages_from_the_sequences():
    base = small_base()
    progs = programmes_from_sheet(SMALL_PROGRAMMES, "fr")
    p = simulate_pressure(progs, base, AS_OF, 2027, CAPS, scenarios_from_sheet(WELCOME))
    s = p.summary.set_index(["month", "channel"])
    assert p.channels == ("email", "sms", "total")
    # November, by hand (welcome 2 e-mails + 1 SMS; reactivation 2 e-mails + 1 SMS, all channels 3; newsletter 2):
    #   a1 e-mail 2+2 = 4, SMS 1, total 3+2 = 5
    #   a2 e-mail 2+2 = 4, SMS 0 (no phone), total 2+2 = 4
    #   a3 e-mail 2+2 = 4, SMS 1, total 3+2 = 5
    #   a4 e-mail 0 (no e-mail), SMS 1, total 1 (only the SMS reaches them)
    #   a5 e-mail 2, SMS 0 (in no sequence), total 2
    assert s.loc[(11, "email")].to_dict() == {"customers": 4, "mean": 3.5, "max": 4.0, "over_cap": 3, "cap": 3.0}
    assert s.loc[(11, "sms")].to_dict() == {"customers": 3, "mean": 1.0, "max": 1.0, "over_cap": 0, "cap": 1.0}
    assert s.loc[(11, "total")].to_dict() == {"customers": 5, "mean": 3.4, "max": 5.0, "over_cap": 2, "cap": 4.0}
    # January: no reactivation yet -> a3 gets the newsletter only, a4 nothing
    assert s.loc[(1, "email")].to_dict() == {"customers": 4, "mean": 3.0, "max": 4.0, "over_cap": 2, "cap": 3.0}
    assert s.loc[(1, "sms"), "customers"] == 1 and s.loc[(1, "total"), "over_cap"] == 1  # a1 only
    d = p.distribution
    assert d[(d["month"] == 11) & (d["channel"] == "total")][["messages", "customers"]].values.tolist() == [
        [1.0, 1], [2.0, 1], [4.0, 1], [5.0, 2]]
    over = p.over_cap[(p.over_cap["month"] == 11) & (p.over_cap["channel"] == "email")]
    assert over[["segment", "programmes", "messages", "customers"]].values.tolist() == [
        ["new", ("Bienvenue", "Newsletter"), 4.0, 2],
        ["hibernating", ("Réactivation des clients dormants", "Newsletter"), 4.0, 1],
    ]
    # per year: 6 months × 3 over the e-mail cap (July-Dec) + 6 × 2 (Jan-June) = 30 customer-months
    assert int(p.summary.loc[p.summary["channel"] == "email", "over_cap"].sum()) == 30


def test_without_scenarios_programmes_keep_their_messages_per_month():
    base = small_base()
    progs = programmes_from_sheet(SMALL_PROGRAMMES, "fr")
    p = simulate_pressure(progs, base, AS_OF, 2027, CAPS)
    s = p.summary.set_index(["month", "channel"])
    # welcome 1 e-mail, reactivation 1 e-mail (catalogue), newsletter 2: a1, a2, a3 get 3, a5 2 -> at the cap
    assert p.channels == ("email", "total")
    assert s.loc[(11, "email")].to_dict() == {"customers": 4, "mean": 2.75, "max": 3.0, "over_cap": 0, "cap": 3.0}
    # a scenario for a programme that is not in the plan changes nothing
    only_other = scenarios_from_sheet(steps((2, "Anniversaire", 1, "J0", "sms", None, None)))
    q = simulate_pressure(progs, base, AS_OF, 2027, CAPS, only_other)
    pd.testing.assert_frame_equal(p.summary, q.summary)


def test_a_stopped_programme_or_a_skipped_one_sends_nothing_from_its_scenario():
    base = small_base()
    progs = programmes_from_sheet(programmes(
        (2, "Bienvenue", None, None, None, None, None, None, None, None, None, "stop", None),
        (3, "Anniversaire", *[None] * 11),  # no birth dates in the file
    ), "fr")
    sc = scenarios_from_sheet(steps((2, "Bienvenue", 1, "J0", "email", None, None),
                                    (3, "Anniversaire", 1, "J-7", "email", None, None),
                                    (4, "Anniversaire", 2, "J0", "sms", None, None)))
    p = simulate_pressure(progs, base, AS_OF, 2027, CAPS, sc)
    assert p.channels == ("total",) and int(p.summary["customers"].sum()) == 0
    assert p.skipped.values.tolist() == [["Anniversaire", ("birth_date",)]]
