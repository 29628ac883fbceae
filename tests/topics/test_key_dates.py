"""Key dates of the year: months in the plan year, timed items of the plan, verdicts
(planned for / missed / against by accident / clear), sheet problems — hand-computed."""
import datetime as dt

import pandas as pd
from hypothesis import given, strategies as st

from relkit.topics.action_plan import Action
from relkit.topics.key_dates import (KeyDate, Timed, chart_frame, key_dates_from_sheet, meetings, sheet_problems,
                                     summary, timed_items)
from relkit.topics.plan.programmes import programmes_from_sheet

D = dt.date


def _frame(rows):
    return pd.DataFrame([dict(zip(("event", "start", "end", "kind", "stance", "note", "row"), r)) for r in rows])


def test_months_of_a_period_inside_and_across_the_plan_year():
    christmas = KeyDate("Noël", D(2027, 11, 15), D(2028, 1, 5), "planned")
    assert christmas.months(2027) == (11, 12)
    assert christmas.months(2028) == (1,)
    assert christmas.months(2026) == ()
    assert KeyDate("Fête des mères", D(2027, 5, 30), D(2027, 5, 30)).months(2027) == (5,)
    assert KeyDate("Été", D(2027, 6, 23), D(2027, 8, 1)).months(2027) == (6, 7, 8)


def test_span_counts_whole_days_in_month_units():
    # 23/06 → 5 + 22/30; 20/07 (whole day) → 6 + 20/31
    start, end = KeyDate("Soldes d'été", D(2027, 6, 23), D(2027, 7, 20)).span(2027)
    assert (start, end) == (5 + 22 / 30, 6 + 20 / 31)
    assert KeyDate("Janvier", D(2027, 1, 1), D(2027, 1, 31)).span(2027) == (0.0, 1.0)
    # clipped to the year: 15/11/2027–05/01/2028 → (10 + 14/30, 12.0)
    assert KeyDate("Noël", D(2027, 11, 15), D(2028, 1, 5)).span(2027) == (10 + 14 / 30, 12.0)
    assert KeyDate("Avant", D(2026, 1, 1), D(2026, 2, 1)).span(2027) is None


def test_sheet_rows_in_start_order_with_a_single_day_when_the_end_is_empty():
    frame = _frame([("Noël", D(2027, 12, 1), D(2027, 12, 24), "christmas", "planned", None, 4),
                    ("Fête des mères", dt.datetime(2027, 5, 30), None, "mothers_day", "planned", "  cadeaux ", 3),
                    ("Repère", D(2027, 3, 1), float("nan"), None, None, None, 5)])
    found = key_dates_from_sheet(frame)
    assert [k.event for k in found] == ["Repère", "Fête des mères", "Noël"]
    assert found[1] == KeyDate("Fête des mères", D(2027, 5, 30), D(2027, 5, 30), "planned", "mothers_day", "cadeaux", 3)
    assert found[0].stance == "info" and found[0].kind is None and found[0].end == D(2027, 3, 1)
    assert key_dates_from_sheet(None) == [] and key_dates_from_sheet(pd.DataFrame()) == []


def test_timed_items_leave_out_always_on_work_and_mark_production():
    actions = [
        Action("Facebook Ads", "online_ads", months=(7, 8, 9, 10, 11, 12), row=11),
        Action("Newsletter", "emailing_crm", months=tuple(range(1, 13)), row=15),  # all year
        Action("Site e-commerce", "website_seo", months=(5, 6, 7, 8, 9), row=14),  # production
        Action("Blog", "content", months=(3,), row=5),  # content
        Action("Salon", "events", months=(9,), lever="stop", row=20),  # to stop
        Action("Location de base", "emailing_crm", months=(12,), row=16),
        Action("Sans mois", "print", row=21),
    ]
    sheet = pd.DataFrame([
        {"programme": "Campagne de Noël", "kind": "campaign", "target": "consentement e-mail", "channel": "email",
         "messages_per_month": 3, "start_month": 11, "end_month": 12, "row": 12},
        {"programme": "Bienvenue", "start_month": 7, "end_month": 12, "row": 3},  # catalogue: automated
        {"programme": "Newsletter", "kind": "campaign", "start_month": 1, "end_month": 12, "row": 4},
    ])
    items = timed_items(actions, programmes_from_sheet(sheet, "fr"))
    assert items == [Timed("Facebook Ads", "actions", (7, 8, 9, 10, 11, 12), 11),
                     Timed("Site e-commerce", "actions", (5, 6, 7, 8, 9), 14, campaign=False),
                     Timed("Blog", "actions", (3,), 5, campaign=False),
                     Timed("Location de base", "actions", (12,), 16),
                     Timed("Campagne de Noël", "programmes", (11, 12), 12)]


def test_verdicts_planned_for_missed_against_clear_info_outside():
    items = [Timed("Facebook Ads", "actions", (7, 9, 10, 11, 12)), Timed("Pub Etsy", "actions", (4, 5)),
             Timed("Campagne de Noël", "programmes", (11, 12)),
             Timed("Vidéo", "actions", (1, 2, 3), campaign=False), Timed("Site", "actions", (6, 7), campaign=False)]
    dates = [KeyDate("Fête des mères", D(2027, 5, 30), D(2027, 5, 30), "planned"),
             KeyDate("Salon", D(2027, 3, 10), D(2027, 3, 12), "planned"),
             KeyDate("Soldes d'été", D(2027, 6, 23), D(2027, 7, 20), "avoid"),
             KeyDate("Soldes d'hiver", D(2027, 1, 13), D(2027, 2, 9), "avoid"),
             KeyDate("Mi-août", D(2027, 8, 15), D(2027, 8, 15), "planned"),
             KeyDate("Rentrée", D(2027, 9, 1), D(2027, 9, 1), "info"),
             KeyDate("Noël 2026", D(2026, 12, 1), D(2026, 12, 24), "planned")]
    found = meetings(dates, items, 2027)
    assert [(m.key_date.event, m.verdict, m.months, [i.name for i in m.items]) for m in found] == [
        ("Fête des mères", "for", (5,), ["Pub Etsy"]),
        ("Salon", "for", (3,), ["Vidéo"]),  # production work prepares a key date…
        ("Soldes d'été", "against", (6, 7), ["Facebook Ads"]),  # … but does not run into a period to avoid
        ("Soldes d'hiver", "clear", (1, 2), []),
        ("Mi-août", "missed", (8,), []),
        ("Rentrée", "info", (9,), ["Facebook Ads"]),
        ("Noël 2026", "outside", (), []),
    ]
    assert found[2].shared(items[0]) == (7,)
    s = summary(found)
    assert (s.key_dates, s.planned, s.covered, s.avoid, s.clashes, s.clashing_items) == (7, 4, 2, 2, 1, 1)


def test_summary_counts_an_item_meeting_two_periods_to_avoid_once():
    items = [Timed("Ads", "actions", (6, 7, 11)), Timed("Ads", "programmes", (11,))]
    dates = [KeyDate("Soldes d'été", D(2027, 6, 23), D(2027, 7, 20), "avoid"),
             KeyDate("Black Friday", D(2027, 11, 26), D(2027, 11, 29), "avoid")]
    s = summary(meetings(dates, items, 2027))
    assert (s.clashes, s.clashing_items) == (2, 2)  # the action and the programme named alike are two items


def test_sheet_problems_end_before_start_and_outside_the_plan_year():
    frame = _frame([("Noël", D(2027, 12, 24), D(2027, 12, 1), None, "planned", None, 3),
                    ("Salon 2026", D(2026, 3, 10), D(2026, 3, 12), None, "planned", None, 4),
                    ("Jour seul 2028", D(2028, 1, 2), None, None, "info", None, 5),
                    ("Noël à cheval", D(2026, 12, 20), D(2027, 1, 3), None, "planned", None, 6),
                    ("Fête des mères", D(2027, 5, 30), None, None, "planned", None, 7)])
    where = lambda row, col: f"row {row}, column {col}"  # noqa: E731
    problems = sheet_problems(frame, 2027, "atelier.xlsx", where)
    assert [(p.where, p.message) for p in problems] == [
        ("row 3, column end", "expected an end on or after the start 24/12/2027, got 01/12/2027"),
        ("row 4, column start", "expected a period with days in the plan year 2027, got 10/03/2026 to 12/03/2026"),
        ("row 5, column start", "expected a period with days in the plan year 2027, got 02/01/2028"),
    ]
    assert sheet_problems(frame.iloc[1:], None, "x", where) == []  # plan year unknown: no year check
    assert sheet_problems(None, 2027, "x", where) == []


def test_chart_frame_leaves_out_other_years():
    frame = chart_frame([KeyDate("Janvier", D(2027, 1, 1), D(2027, 1, 31), "avoid", "sales"),
                         KeyDate("Avant", D(2026, 1, 1), D(2026, 1, 2))], 2027)
    assert frame.to_dict("records") == [{"event": "Janvier", "stance": "avoid", "kind": "sales", "x0": 0.0, "x1": 1.0}]
    assert list(chart_frame([], 2027).columns) == ["event", "stance", "kind", "x0", "x1"]


@given(st.dates(min_value=D(2025, 1, 1), max_value=D(2029, 12, 31)), st.integers(min_value=0, max_value=500))
def test_months_and_span_agree_for_any_period(start, days):
    end = min(start + dt.timedelta(days=days), D(2029, 12, 31))
    k = KeyDate("Période", start, end)
    months, span = k.months(2027), k.span(2027)
    if months:
        assert months == tuple(range(months[0], months[-1] + 1)) and 1 <= months[0] <= months[-1] <= 12
        x0, x1 = span
        assert 0 <= x0 < x1 <= 12 and int(x0) + 1 == months[0] and int(x1 - 1e-9) + 1 == months[-1]
    else:
        assert span is None and (end.year < 2027 or start.year > 2027)
