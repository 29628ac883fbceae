"""Workbook 05's action-plan part: the actions, the retro-planning, the levers
(what continues, stops, starts) and the progressive deployment in phases
(seeds 000, 001, 003); ``ActionSections`` gives them to ``PlanWorkbook``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from relkit.io.budget_cells import QUARTERS
from relkit.io.labels import Labels
from relkit.topics import action_plan as ap
from relkit.topics.budget import quarter_label
from relkit.topics.plan.programmes import Programme
from relkit.views.charts import retro as retro_charts
from relkit.workbooks import deployment
from relkit.workbooks.key_dates import KeyDates

QUARTER_OF_MONTH = {m: f"T{(m - 1) // 3 + 1}" for m in range(1, 13)}


@dataclass(frozen=True)
class Schedule:
    """What the retro-planning shows, in numbers: how many actions are
    scheduled, the busiest month (most actions running; ties: the earliest)
    and how many run all twelve months."""

    actions: int
    busiest_month: int | None
    busiest_count: int
    all_year: int


def schedule(actions: list[ap.Action]) -> Schedule:
    scheduled = [a for a in actions if a.months]
    load = {m: sum(1 for a in scheduled if m in a.months) for m in range(1, 13)}
    top = max(load.values(), default=0)
    busiest = min((m for m, n in load.items() if n == top), default=None) if top else None
    return Schedule(actions=len(scheduled), busiest_month=busiest, busiest_count=top,
                    all_year=sum(1 for a in scheduled if set(a.months) >= set(range(1, 13))))


class ActionSections:
    """The action plan of ``PlanWorkbook`` (mixed into it, which gives the labels,
    the actions and the programmes)."""

    L: Labels
    actions: list[ap.Action]
    programmes: list[Programme]
    months_text: object  # (months) -> 'janv.–déc.'
    label: object  # (list name, code) -> its name

    def retro_takeaway(self) -> str:
        """One line under the retro-planning's title, from the schedule itself."""
        L, sc = self.L, schedule(self.actions)
        if sc.busiest_month is None:
            return L("planwb.retro.takeaway_unscheduled", n=len(self.actions))
        month = L.date(dt.date(2000, sc.busiest_month, 1), "LLLL")
        all_year = L("planwb.retro.takeaway_all_year", all_year=sc.all_year) if sc.all_year else ""
        return L("planwb.retro.takeaway", n=sc.actions, month=month, busiest=sc.busiest_count, all_year=all_year)

    def retro_parts(self) -> tuple[list, dict] | None:
        """What the retro-planning draws: its rows (the actions, then the roadmap's phases)
        and its options (takeaway, key dates); None without actions."""
        if not self.actions:
            return None
        rows = self.actions + deployment.retro_rows(self.data)  # the roadmap's phases, drawn last
        return rows, {"takeaway": self.retro_takeaway(), "key_dates": KeyDates(self.data, self.L).chart_frame()}

    def retro_chart(self):
        parts = self.retro_parts()
        if parts is None:
            return None
        rows, options = parts
        return retro_charts.retro_chart(rows, labels=self.L, **options).figure

    def actions_table(self) -> pd.DataFrame:
        L = self.L
        return pd.DataFrame([{
            L("planwb.col.category"): ap.category_label(a.category, L),
            L("planwb.col.action"): a.action,
            L("planwb.col.objective"): a.objective or "",
            L("planwb.col.kpi"): a.kpi or "",
            L("planwb.col.owner"): a.owner or "",
            L("planwb.col.months"): self.months_text(a.months),
            L("planwb.col.priority"): self.label("priority", a.priority),
            L("planwb.col.lever"): self.label("lever", a.lever),
        } for a in ap.in_category_order(self.actions)])

    def levers_text(self) -> list[str]:
        """Seed 003's review: what continues, what stops, what starts."""
        L, out = self.L, []
        for lever in ("continue", "stop", "start"):
            names = [a.action for a in self.actions if a.lever == lever]
            names += [p.label for p in self.programmes if p.status == lever and p.label not in names]
            if names:
                out.append(L(f"planwb.lever.{lever}", n=len(names), names=L.join(names)))
        return out

    def phases(self) -> list[tuple[str, list[str]]]:
        """Progressive deployment (seed 000): what starts in each quarter."""
        phases: dict[str, list[str]] = {}
        for a in self.actions:
            if a.months:
                phases.setdefault(QUARTER_OF_MONTH[a.months[0]], []).append(a.action)
        for p in self.programmes:
            if p.months:
                phases.setdefault(QUARTER_OF_MONTH[p.months[0]], []).append(p.label)
        return [(q, phases[q]) for q in QUARTERS if q in phases]

    def phases_table(self) -> pd.DataFrame:
        L = self.L
        moments = KeyDates(self.data, L).by_quarter()  # the calendar's key dates, when the workshop lists them
        return pd.DataFrame([{
            L("planwb.col.phase"): L("planwb.phase", n=i, quarter=quarter_label(q, L)),
            L("planwb.col.starts"): ", ".join(names),
            **({L("keydates.col.quarter"): L.join(moments.get(q, [])) or "–"} if moments else {}),
        } for i, (q, names) in enumerate(self.phases(), start=1)])
