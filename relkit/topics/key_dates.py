"""Key dates of the year ("temps forts", seed 003 §5; seed 001's Christmas peak):
sales, Christmas, back to school, Mother's Day, trade fairs, the client's own
events, each marked as a period to plan campaigns for, to avoid, or a landmark.

The plan is read month by month (actions and programmes are scheduled by month):
a key date covers the months of the plan year it touches, and a *timed* item of
the plan (an action or campaign that runs in some months only) meets it when
they share a month. Always-on work is not timed and meets nothing: an action or
programme running all twelve months, one to stop, an automated programme
(triggered by the customer, not by the calendar). Any timed item prepares a key
date to plan for; only what speaks to customers runs into a period to avoid:
production and always-on categories of actions (content, community, website,
merchandising: NOT_CAMPAIGNS) do not.

Verdicts of a key date: ``for`` (to plan for, and timed items meet it),
``missed`` (to plan for, nothing meets it), ``against`` (to avoid, yet timed
items meet it: a contradiction), ``clear`` (to avoid, nothing meets it),
``info`` (a landmark), ``outside`` (no month in the plan year).

Pure: frames and plan objects in, frozen results out; no sentence, no chart.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from relkit.io.problems import Problem

STANCES = ("planned", "avoid", "info")
NOT_CAMPAIGNS = frozenset({"content", "community", "website_seo", "merchandising"})
ALL_YEAR = frozenset(range(1, 13))
VERDICTS = ("for", "missed", "against", "clear", "info", "outside")


@dataclass(frozen=True)
class KeyDate:
    """One row of sheet ``key_dates``; ``end`` is ``start`` for a single day."""

    event: str
    start: dt.date
    end: dt.date
    stance: str = "info"
    kind: str | None = None
    note: str | None = None
    row: int | None = None

    def months(self, year: int) -> tuple[int, ...]:
        """The months of ``year`` the period touches (none when it lies in another year)."""
        first, last = max(self.start, dt.date(year, 1, 1)), min(self.end, dt.date(year, 12, 31))
        if first > last:
            return ()
        return tuple(range(first.month, last.month + 1))

    def span(self, year: int) -> tuple[float, float] | None:
        """The period inside ``year`` in month units: 0.0 is 1 January, 12.0 is the end
        of December; a day counts whole (1–31 January is (0.0, 1.0)). None outside the year."""
        first, last = max(self.start, dt.date(year, 1, 1)), min(self.end, dt.date(year, 12, 31))
        if first > last:
            return None

        def at(day: dt.date, end: bool) -> float:
            days = calendar.monthrange(day.year, day.month)[1]
            return day.month - 1 + (day.day - (0 if end else 1)) / days

        return at(first, False), at(last, True)


@dataclass(frozen=True)
class Timed:
    """An action or programme of the plan that runs in some months only."""

    name: str
    source: str  # "actions" or "programmes" (the workshop sheet)
    months: tuple[int, ...]
    row: int | None = None
    campaign: bool = True  # speaks to customers (not production work: NOT_CAMPAIGNS)


@dataclass(frozen=True)
class Meeting:
    """A key date and the timed items of the plan that share one of its months."""

    key_date: KeyDate
    months: tuple[int, ...]  # the key date's months in the plan year
    items: tuple[Timed, ...]
    verdict: str

    def shared(self, item: Timed) -> tuple[int, ...]:
        return tuple(m for m in item.months if m in self.months)


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT or \
        (isinstance(value, str) and not value.strip())


def _day(value) -> dt.date:
    return value.date() if isinstance(value, (dt.datetime, pd.Timestamp)) else value


def key_dates_from_sheet(frame: pd.DataFrame | None) -> list[KeyDate]:
    """The sheet's rows in start order (ties: sheet order); an empty end is the start day."""
    if frame is None or not len(frame):
        return []
    out = []
    for r in frame.to_dict("records"):
        start = _day(r["start"])
        end = start if _blank(r.get("end")) else _day(r["end"])
        out.append(KeyDate(event=str(r["event"]).strip(), start=start, end=end,
                           stance=r.get("stance") if not _blank(r.get("stance")) else "info",
                           kind=None if _blank(r.get("kind")) else r["kind"],
                           note=None if _blank(r.get("note")) else str(r["note"]).strip(),
                           row=int(r["row"]) if not _blank(r.get("row")) else None))
    return sorted(out, key=lambda k: k.start)


def sheet_problems(frame: pd.DataFrame | None, plan_year: int | None, file: str,
                   where: Callable[[object, str | None], str]) -> list[Problem]:
    """What a cell type cannot check: an end before its start, a period with no day in
    the plan year. ``where(row, column)`` names the cell (sheet, row, column)."""
    problems: list[Problem] = []
    if frame is None or not len(frame):
        return problems
    for r in frame.to_dict("records"):
        start, end = _day(r["start"]), None if _blank(r.get("end")) else _day(r["end"])
        if end is not None and end < start:
            problems.append(Problem(file, where(r["row"], "end"),
                                    f"expected an end on or after the start {start:%d/%m/%Y}, got {end:%d/%m/%Y}"))
            continue
        last = end or start
        if plan_year is not None and (last.year < plan_year or start.year > plan_year):
            problems.append(Problem(file, where(r["row"], "start"),
                                    f"expected a period with days in the plan year {plan_year}, got "
                                    f"{start:%d/%m/%Y}" + (f" to {end:%d/%m/%Y}" if end is not None else "")))
    return problems


def timed_items(actions: Iterable, programmes: Iterable) -> list[Timed]:
    """The plan's items that are timed to the calendar (module docstring): actions with
    ``action``/``category``/``months``/``lever``/``row``, programmes with
    ``label``/``kind``/``months``/``row`` (relkit.topics.action_plan.Action,
    relkit.topics.plan.programmes.Programme)."""
    out = []
    for a in actions:
        months = tuple(sorted(set(a.months or ())))
        if not months or set(months) >= ALL_YEAR or a.lever == "stop":
            continue
        out.append(Timed(a.action, "actions", months, a.row, a.category not in NOT_CAMPAIGNS))
    for p in programmes:
        months = tuple(p.months)
        if not months or set(months) >= ALL_YEAR or p.kind == "automation":
            continue
        out.append(Timed(p.label, "programmes", months, p.row))
    return out


def meetings(key_dates: Iterable[KeyDate], items: Iterable[Timed], year: int) -> list[Meeting]:
    """Each key date with the timed items sharing one of its months (for a period to avoid:
    the campaigns only), and its verdict."""
    items = list(items)
    out = []
    for k in key_dates:
        months = k.months(year)
        met = tuple(i for i in items if set(i.months) & set(months) and (i.campaign or k.stance != "avoid"))
        if not months:
            verdict = "outside"
        elif k.stance == "planned":
            verdict = "for" if met else "missed"
        elif k.stance == "avoid":
            verdict = "against" if met else "clear"
        else:
            verdict = "info"
        out.append(Meeting(k, months, met, verdict))
    return out


@dataclass(frozen=True)
class Summary:
    """Counts of the verdicts, for the report's sentence and the recorded figures."""

    key_dates: int
    planned: int  # key dates to plan for
    covered: int  # … that timed items meet
    avoid: int  # periods to avoid
    clashes: int  # … that timed items meet (contradictions)
    clashing_items: int  # distinct timed items meeting a period to avoid


def summary(found: Iterable[Meeting]) -> Summary:
    found = list(found)
    against = [m for m in found if m.verdict == "against"]
    return Summary(key_dates=len(found),
                   planned=sum(1 for m in found if m.key_date.stance == "planned"),
                   covered=sum(1 for m in found if m.verdict == "for"),
                   avoid=sum(1 for m in found if m.key_date.stance == "avoid"),
                   clashes=len(against),
                   clashing_items=len({(i.source, i.name) for m in against for i in m.items}))


def chart_frame(key_dates: Iterable[KeyDate], year: int) -> pd.DataFrame:
    """Tidy frame for the charts: event, stance, kind, x0, x1 (month units, 0 = 1 January,
    see KeyDate.span); key dates outside the year are left out."""
    rows = []
    for k in key_dates:
        span = k.span(year)
        if span is not None:
            rows.append({"event": k.event, "stance": k.stance, "kind": k.kind, "x0": span[0], "x1": span[1]})
    return pd.DataFrame(rows, columns=["event", "stance", "kind", "x0", "x1"])


def plan_meetings(sheets, plan_year: int | None, lang: str = "fr") -> list[Meeting]:
    """The workshop's key dates against the timed actions and programmes of its sheets
    (``actions``, ``programmes``; either may be absent). Nothing without key dates or plan year."""
    from relkit.topics.action_plan import actions_from_sheet
    from relkit.topics.plan.programmes import programmes_from_sheet

    dates = key_dates_from_sheet(sheets.get("key_dates"))
    if not dates or plan_year is None:
        return []
    actions, programmes = sheets.get("actions"), sheets.get("programmes")
    items = timed_items(actions_from_sheet(actions) if actions is not None and len(actions) else [],
                        programmes_from_sheet(programmes, lang) if programmes is not None and len(programmes) else [])
    return meetings(dates, items, plan_year)
