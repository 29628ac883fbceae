"""The decisions the executive summary asks of the client, each with an owner,
a date and a cost, and the next steps.

Rules, in this order (then sorted by date, stable):

- the target gap, when the plan does not reach the target: close it or lower the
  target — the client, by the decision date;
- the year's budget to approve — the client, by the decision date, its amount;
- the budget differences to settle, when items and envelopes disagree — the
  client with the consultant, by the decision date;
- the open consistency checks the client can answer (``CLIENT_CHECKS``: last year's
  revenue, its HT/TTC basis) — the client with the consultant, by the decision date;
- the GDPR points to settle — the client, before the first sends (the first day
  of the plan year);
- the ``MAX_ACTION_DECISIONS`` costliest actions of the action plan to commit —
  their owner (else the client), by the first day of their first month, their cost —
  fewer when the rows above leave less than that under ``MAX_DECISIONS`` (at least one),
  so the table keeps the summary on two pages.

The decision date is two weeks after the report date, and no later than the first
day of the plan year (the first of December before the plan year when the report
has no date).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from relkit.io.labels import Labels
from relkit.topics.action_plan import Action
from relkit.topics.reconcile import Contradiction
from relkit.workbooks.summary_findings import FigureBook, whole_money

MAX_ACTION_DECISIONS = 3
MAX_DECISIONS = 7
CLIENT_CHECKS = ("revenue_last_year", "revenue_basis")  # the other checks are the consultant's to fix
DECISION_DELAY = dt.timedelta(days=14)
NO_COST = "\u2014"


def decision_date(report_date: dt.date | None, plan_year: int) -> dt.date:
    start = dt.date(plan_year, 1, 1)
    if report_date is None:
        return dt.date(plan_year - 1, 12, 1)
    return min(report_date + DECISION_DELAY, start)


def decision_rows(figures: FigureBook | dict[str, dict], actions: Iterable[Action], labels: Labels, *, client: str,
                  consultant: str, decide_by: dt.date, plan_year: int,
                  revenue_forecast: Mapping[str, float] | None = None,
                  open_checks: Iterable[Contradiction] = ()) -> list[dict]:
    """[{decision, owner, date, cost}] (date a datetime.date, cost already printed)."""
    L, book = labels, FigureBook.of(figures)
    rows = []
    outcome = book.outcome()
    if outcome is not None and outcome[0] == "gap":
        rows.append({"decision": L("synthesis.decision.gap", gap=whole_money(L, outcome[1]),
                                   covered=whole_money(L, book.covered())),
                     "owner": client, "date": decide_by, "cost": NO_COST})
    together = L("synthesis.decision.together", client=client, consultant=consultant)
    budget = book.display(("05_plan_relationnel", "budget_money"))
    if budget is not None:
        rows.append({"decision": L("synthesis.decision.budget"), "owner": client, "date": decide_by, "cost": budget})
    differences = book.number(("05_plan_relationnel", "budget_differences"))
    if differences:
        n = book.display(("05_plan_relationnel", "budget_differences"))
        rows.append({"decision": L("synthesis.decision.differences", n=n),
                     "owner": together, "date": decide_by, "cost": NO_COST})
    for c in open_checks:
        if c.check == "revenue_last_year":
            rows.append({"decision": L("synthesis.decision.revenue_last_year", stated=whole_money(L, c.stated),
                                       measured=whole_money(L, c.measured)),
                         "owner": together, "date": decide_by, "cost": NO_COST})
        elif c.check == "revenue_basis":
            rows.append({"decision": L("synthesis.decision.revenue_basis", basis=c.measured), "owner": together,
                         "date": decide_by, "cost": NO_COST})
    flags = book.number(("04_plan_collecte", "gdpr_flags"))
    if flags:
        n = book.display(("04_plan_collecte", "gdpr_flags"))
        rows.append({"decision": L("synthesis.decision.gdpr", n=n), "owner": client,
                     "date": max(decide_by, dt.date(plan_year, 1, 1)), "cost": NO_COST})
    costed = []
    for a in actions:
        try:
            cost = a.cost(revenue_forecast)
        except ValueError:  # a share of revenue with no forecast to value it: not a costed decision
            continue
        if cost > 0:
            costed.append((cost, a))
    costed.sort(key=lambda pair: -pair[0])
    for cost, a in costed[:max(1, min(MAX_ACTION_DECISIONS, MAX_DECISIONS - len(rows)))]:
        start = dt.date(plan_year, min(a.months), 1) if a.months else dt.date(plan_year, 1, 1)
        rows.append({"decision": L("synthesis.decision.action", action=a.action), "owner": a.owner or client,
                     "date": max(decide_by, start), "cost": L.money(cost)})
    return sorted(rows, key=lambda r: r["date"])


def decisions_table(rows: list[dict], labels: Labels) -> pd.DataFrame:
    L = labels
    return pd.DataFrame({
        L("synthesis.col.decision"): [r["decision"] for r in rows],
        L("synthesis.col.owner"): [r["owner"] for r in rows],
        L("synthesis.col.date"): [L.date(r["date"]) for r in rows],
        L("synthesis.col.cost"): [r["cost"] for r in rows],
    }, columns=[L("synthesis.col.decision"), L("synthesis.col.owner"), L("synthesis.col.date"),
                L("synthesis.col.cost")])


def next_steps(figures: FigureBook | dict[str, dict], labels: Labels, *, decide_by: dt.date, consultant: str,
               has_decisions: bool) -> list[str]:
    """Approve the decisions, launch the first phase, review the indicators."""
    L, book, out = labels, FigureBook.of(figures), []
    if has_decisions:
        out.append(L("synthesis.next.decide", date=L.date(decide_by), consultant=consultant))
    phase = book.display(("05_plan_relationnel", "first_phase"))
    if phase:
        out.append(L("synthesis.next.phase", phase=phase))
    out.append(L("synthesis.next.review"))
    return out
