"""The action plan (seed 001 methods, 002 §8, 003 §6): one table of actions.

Each action has a category, objectives, KPIs, an owner, active months and a
budget per quarter (a cell as typed: "850 €", "10 % du CA", "6h/semaine", parsed
by ``relkit.io.budget_cells``). This module reads the sheet into ``Action``s,
orders them by category (the plan reads by speciality) and gives the
retro-planning grid (months × actions).

Pure functions: DataFrames and small dataclasses in, DataFrames and numbers out.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from babel.dates import get_month_names

from relkit.io.budget_cells import QUARTERS, BudgetLine, parse_budget_cell, parse_months
from relkit.io.labels import Labels
from relkit.io.parsing import is_blank, parse_amount, parse_number

# Same order as the workshop list ``action_category``: the plan reads by speciality (seed 001).
CATEGORIES = ("content", "merchandising", "community", "online_ads", "website_seo", "emailing_crm", "events",
              "public_relations", "partnerships", "print", "sales", "other")


def _none(value):
    """NaN, None and blank strings all mean 'no value' (empty Excel cell)."""
    return None if is_blank(value) else value


def _split_plus(text: str | None) -> list[str]:
    """'Notoriété +Acquisition' -> ['Notoriété', 'Acquisition'] (seed 001 writes several with '+')."""
    if text is None:
        return []
    return [part.strip() for part in str(text).split("+") if part.strip()]


@dataclass
class Action:
    """One row of the action plan (sheet ``actions``); ``budget`` keyed 'T1'..'T4', empty cells left out."""

    action: str
    category: str
    objective: str | None = None
    kpi: str | None = None
    owner: str | None = None
    budget: dict[str, BudgetLine] = field(default_factory=dict)
    months: tuple[int, ...] = ()
    priority: str | None = None
    duration: float | None = None
    lever: str | None = None
    revenue_effect: float | None = None
    programme: str | None = None
    row: int | None = None

    @property
    def objectives(self) -> list[str]:
        return _split_plus(self.objective)

    @property
    def kpis(self) -> list[str]:
        return _split_plus(self.kpi)

    def cost(self, revenue_forecast: Mapping[str, float] | None = None) -> float:
        """Money over the year: fixed € plus each share of revenue × that quarter's forecast."""
        total = 0.0
        for quarter, line in self.budget.items():
            total += line.money
            if line.percent:
                total += line.percent * forecast_for(revenue_forecast, quarter, line)
        return round(total, 2)


def forecast_for(revenue_forecast: Mapping[str, float] | None, quarter: str, line: BudgetLine) -> float:
    forecast = (revenue_forecast or {}).get(quarter)
    if forecast is None or is_blank(forecast):
        raise ValueError(f"a revenue forecast for {quarter} is needed to value {line.text or 'a share of revenue'!r}")
    return float(forecast)


def category_rank(code: str) -> int:
    return CATEGORIES.index(code) if code in CATEGORIES else len(CATEGORIES)


def in_category_order(actions: Iterable[Action]) -> list[Action]:
    """Grouped by category in list order; within a category, as typed (stable sort)."""
    return sorted(actions, key=lambda a: category_rank(a.category))


def actions_from_sheet(frame: pd.DataFrame) -> list[Action]:
    """Sheet ``actions`` -> Actions, in sheet order. Budget and months cells may come already
    parsed (BudgetLine, tuple) or raw (text, Excel number): raw ones are parsed here and an
    error names the row and column."""
    actions = []
    for record in frame.to_dict("records"):
        row = _none(record.get("row"))
        row = int(row) if row is not None else None
        where = f"row {row}, " if row is not None else ""

        def cell(key, parser=None):
            value = _none(record.get(key))
            if value is None or parser is None:
                return value
            try:
                return parser(value)
            except ValueError as err:
                raise ValueError(f"{where}{key}: {err}") from None

        name, category = cell("action"), cell("category")
        if name is None:
            raise ValueError(f"{where}action: expected the name of the action, got an empty cell")
        if category is None or category not in CATEGORIES:
            raise ValueError(f"{where}category: expected one of {', '.join(CATEGORIES)}, got {category!r}")
        budget = {}
        for i, quarter in enumerate(QUARTERS, start=1):
            line = cell(f"budget_q{i}", parse_budget_cell)
            if line is not None:
                budget[quarter] = line
        revenue = cell("revenue_effect", parse_amount)
        duration = cell("duration", parse_number)
        actions.append(Action(
            action=str(name).strip(), category=category, objective=cell("objective"), kpi=cell("kpi"),
            owner=cell("owner"), budget=budget, months=cell("months", parse_months) or (),
            priority=cell("priority"), duration=float(duration) if duration is not None else None,
            lever=cell("lever"), revenue_effect=float(revenue) if revenue is not None else None,
            programme=cell("programme"), row=row,
        ))
    return actions


def retro_planning(actions: Iterable[Action]) -> pd.DataFrame:
    """The retro-planning grid (seed 001): one row per action in category order,
    ``category`` then one bool column per month 1..12."""
    ordered = in_category_order(actions)
    rows = [{"category": a.category, **{m: m in a.months for m in range(1, 13)}} for a in ordered]
    frame = pd.DataFrame(rows, columns=["category", *range(1, 13)], index=pd.Index([a.action for a in ordered],
                                                                                     name="action"))
    return frame.astype({m: bool for m in range(1, 13)})


def category_label(code: str, labels: Labels) -> str:
    key = f"budget.category.{code}"
    return labels(key) if labels.has(key) else code


def month_abbreviations(labels: Labels) -> list[str]:
    """'janv.', 'févr.' … / 'Jan', 'Feb' … from Babel, in the engagement's language."""
    names = get_month_names("abbreviated", locale=labels.locale)
    return [names[m] for m in range(1, 13)]
