"""The marketing budget of the action plan (seed 001 methods, 002 §8, 003 §6).

A budget cell is written the way a consultant types it: a fixed amount ("850 €"),
a share of revenue ("10 % du CA") or internal time ("6h/semaine"), or several of
these joined by '+', '&' or 'à'. Internal time is never money: it is counted in
hours and, when an hourly cost is given, valued *apart* from the budget (seed 001:
"je ne compte pas ce coût d'opportunité dans le budget marketing").

The worked example of seed 001 does not add up (Q2 stated as 3 030 € and
3 930 €, Q4 items over the stated 4 000 €): ``reconcile`` recomputes each quarter
from its items and flags every gap with numbers.

Pure functions: Actions and DataFrames in, DataFrames and numbers out.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from relkit.io.budget_cells import QUARTERS, BudgetLine
from relkit.io.labels import Labels
from relkit.io.parsing import fold, is_blank
from relkit.topics.action_plan import Action, category_rank, forecast_for, in_category_order

_MONEY_EPS = 0.005  # half a cent
_RATE_EPS = 1e-9


# ---------------------------------------------------------------- budget tables
_LINE_COLUMNS = ["action", "category", "objectives", "quarter", "money", "percent", "hours", "text"]


def budget_lines(actions: Iterable[Action]) -> pd.DataFrame:
    """Tidy budget: one row per filled cell (action × quarter), in category order.
    ``hours`` is internal time over the quarter; a "0 €" cell stays (a planned, free line)."""
    rows = []
    for action in in_category_order(actions):
        for quarter in QUARTERS:
            line = action.budget.get(quarter)
            if line is None:
                continue
            rows.append({"action": action.action, "category": action.category, "objectives": action.objectives,
                         "quarter": quarter, "money": line.money, "percent": line.percent,
                         "hours": line.hours_per_quarter, "text": line.text})
    return pd.DataFrame(rows, columns=_LINE_COLUMNS)


def quarter_totals(lines: pd.DataFrame, revenue_forecast: Mapping[str, float] | None = None,
                   hourly_cost: float | None = None) -> pd.DataFrame:
    """Per quarter T1..T4: ``fixed`` €, ``percent`` (sum of rates), ``revenue_forecast``,
    ``percent_money`` (rate × forecast; NaN when a share of revenue has no forecast),
    ``total`` € (fixed + percent money), internal ``hours`` and ``hours_value`` (hours ×
    hourly cost, NaN without one): internal time is valued apart, never added to the budget."""
    rows = []
    for quarter in QUARTERS:
        part = lines[lines["quarter"] == quarter]
        fixed = round(float(part["money"].sum()), 2)
        percent = round(float(part["percent"].sum()), 9)
        forecast = (revenue_forecast or {}).get(quarter)
        forecast = float(forecast) if forecast is not None and not is_blank(forecast) else math.nan
        percent_money = 0.0 if percent == 0 else round(percent * forecast, 2)
        hours = round(float(part["hours"].sum()), 2)
        rows.append({"quarter": quarter, "fixed": fixed, "percent": percent, "revenue_forecast": forecast,
                     "percent_money": percent_money, "total": round(fixed + percent_money, 2), "hours": hours,
                     "hours_value": round(hours * hourly_cost, 2) if hourly_cost is not None else math.nan})
    return pd.DataFrame(rows)


def _valued_lines(lines: pd.DataFrame, revenue_forecast: Mapping[str, float] | None) -> pd.DataFrame:
    valued = lines.copy()
    percent_money = []
    for record in lines.to_dict("records"):
        if record["percent"]:
            line = BudgetLine(percent=record["percent"], text=record.get("text", ""))
            percent_money.append(record["percent"] * forecast_for(revenue_forecast, record["quarter"], line))
        else:
            percent_money.append(0.0)
    valued["percent_money"] = percent_money
    valued["total"] = valued["money"] + valued["percent_money"]
    return valued


def _group_totals(valued: pd.DataFrame, key: str) -> pd.DataFrame:
    cols = ["money", "percent_money", "total", "hours"]
    grouped = valued.groupby(key, sort=False, dropna=False)[cols].sum().reset_index()
    # float noise only, not cents: equal splits (199 € / 2, 269 h / 3) must still add up to the budget
    grouped = grouped.rename(columns={"money": "fixed"}).round({"fixed": 9, "percent_money": 9, "total": 9,
                                                                "hours": 9})
    grand = grouped["total"].sum()
    grouped["share"] = grouped["total"] / grand if grand else 0.0
    return grouped


def category_totals(lines: pd.DataFrame, revenue_forecast: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Per category (list order): ``fixed``, ``percent_money``, ``total`` €, ``hours``, ``share`` of the total €."""
    if lines.empty:
        return pd.DataFrame(columns=["category", "fixed", "percent_money", "total", "hours", "share"])
    grouped = _group_totals(_valued_lines(lines, revenue_forecast), "category")
    order = grouped["category"].map(category_rank)
    return grouped.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def objective_totals(lines: pd.DataFrame, revenue_forecast: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Per objective: ``fixed``, ``percent_money``, ``total`` €, ``hours``, ``share``.

    An action serving several objectives ("Notoriété + Acquisition") has its cost and
    hours split *equally* between them, so the objective totals add up to the budget
    (no double counting). Objectives are matched ignoring case and accents; the first
    spelling met is shown. An action without objective goes under ``None``."""
    columns = ["objective", "fixed", "percent_money", "total", "hours", "share"]
    if lines.empty:
        return pd.DataFrame(columns=columns)
    valued = _valued_lines(lines, revenue_forecast)
    spelling: dict[str, str] = {}
    rows = []
    for record in valued.to_dict("records"):
        objectives = list(record["objectives"]) or [None]
        share = 1 / len(objectives)
        for objective in objectives:
            key = None if objective is None else spelling.setdefault(fold(objective), objective)
            rows.append({"objective": key, **{c: record[c] * share for c in ("money", "percent_money", "total",
                                                                               "hours")}})
    return _group_totals(pd.DataFrame(rows), "objective")[columns]


# ---------------------------------------------------------------- reconciliation
def _status(difference: float, eps: float) -> str:
    if difference > eps:
        return "over"
    if difference < -eps:
        return "under"
    return "ok"


def reconcile(totals: pd.DataFrame, envelopes: Mapping[str, BudgetLine | None]) -> pd.DataFrame:
    """Stated envelope vs the sum of the items, per quarter. Differences are items − envelope
    (positive: the items exceed what was announced). ``status`` is 'over' when either part
    is over, else 'under' when either is under, else 'ok'; None when the quarter has no envelope."""
    rows = []
    for record in totals.to_dict("records"):
        envelope = envelopes.get(record["quarter"])
        if envelope is None:
            rows.append({"quarter": record["quarter"], "envelope_fixed": math.nan, "items_fixed": record["fixed"],
                         "fixed_difference": math.nan, "envelope_percent": math.nan,
                         "items_percent": record["percent"], "percent_difference": math.nan,
                         "fixed_status": None, "percent_status": None, "status": None})
            continue
        fixed_diff = round(record["fixed"] - envelope.money, 2)
        percent_diff = round(record["percent"] - envelope.percent, 9)
        statuses = (_status(fixed_diff, _MONEY_EPS), _status(percent_diff, _RATE_EPS))
        status = "over" if "over" in statuses else "under" if "under" in statuses else "ok"
        rows.append({"quarter": record["quarter"], "envelope_fixed": envelope.money, "items_fixed": record["fixed"],
                     "fixed_difference": fixed_diff, "envelope_percent": envelope.percent,
                     "items_percent": record["percent"], "percent_difference": percent_diff,
                     "fixed_status": statuses[0], "percent_status": statuses[1], "status": status})
    frame = pd.DataFrame(rows)
    for column in ("fixed_status", "percent_status", "status"):  # keep None, not NaN, for "no envelope"
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def quarter_label(quarter: str, labels: Labels) -> str:
    return labels(f"budget.quarter.{quarter}")
