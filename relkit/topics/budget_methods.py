"""The three ways to set a marketing budget (seed 001, seed 003): a fixed envelope,
a share of revenue, and the objective-based budget worked back through the
conversion funnel (revenue to win → customers → … → people to reach).

Exact decimal arithmetic (the decimals the user typed), so 1 200 / 40 % is
3 000, not 3 001. Pure functions: numbers in, numbers and a frozen ``Funnel`` out.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from relkit.io.budget_cells import BudgetLine
from relkit.io.labels import Labels
from relkit.topics.action_plan import forecast_for


def exact_decimal(x: float) -> Fraction:
    """The decimal the user typed (0.4, not 0.400000000000000022…), so ceilings are exact."""
    return Fraction(repr(float(x)))


# ---------------------------------------------------------------- budget methods
def fixed_envelope_total(envelopes: Mapping[str, BudgetLine | None],
                         revenue_forecast: Mapping[str, float] | None = None) -> float:
    """Sum of the stated fixed envelopes over the year; with a forecast, their shares of
    revenue are valued and added too."""
    total = 0.0
    for quarter, envelope in envelopes.items():
        if envelope is None:
            continue
        total += envelope.money
        if revenue_forecast is not None and envelope.percent:
            total += envelope.percent * forecast_for(revenue_forecast, quarter, envelope)
    return round(total, 2)


def percent_of_revenue_budget(rate: float, revenue: float) -> float:
    """The 'x % du CA' method: a budget that follows revenue."""
    if not 0 <= rate <= 1:
        raise ValueError(f"expected a share of revenue between 0 % and 100 %, got {rate!r}")
    return round(float(exact_decimal(rate) * exact_decimal(revenue)), 2)


def funnel_steps(visitor_to_lead: float | None = None, lead_to_mql: float | None = None,
                 mql_to_sql: float | None = None, sql_to_customer: float | None = None,
                 conversion_rate: float | None = None) -> list[tuple[str, float]]:
    """The engagement's conversion rates as backward steps (customers first), leaving out
    the steps not used; ``conversion_rate`` (visitor → customer) only when no step is given."""
    steps = [(stage, rate) for stage, rate in (("sql", sql_to_customer), ("mql", mql_to_sql),
                                               ("lead", lead_to_mql), ("visitor", visitor_to_lead))
             if rate is not None]
    if not steps and conversion_rate is not None:
        steps = [("visitor", conversion_rate)]
    return steps


@dataclass(frozen=True)
class Funnel:
    """Objective-based budget (seed 003): revenue → customers → … → top of the funnel.

    ``stages`` run backwards from customers: (stage, count, rate), where ``rate`` is the
    conversion from that stage to the one below it."""

    revenue_to_win: float
    value_per_customer: float
    customers: int
    stages: tuple[tuple[str, int, float], ...] = ()
    cost_per_visitor: float | None = None
    cac: float | None = None
    budget: float | None = None
    basis: str | None = None  # "cac" or "cost_per_visitor": how the budget was computed

    @property
    def top(self) -> tuple[str, int]:
        """The widest stage: the people to reach (visitors when the funnel goes that far)."""
        return (self.stages[-1][0], self.stages[-1][1]) if self.stages else ("customer", self.customers)

    @property
    def table(self) -> pd.DataFrame:
        """Top of the funnel first, customers last; ``rate`` = conversion to the next row."""
        rows = [{"stage": s, "count": c, "rate": r} for s, c, r in reversed(self.stages)]
        rows.append({"stage": "customer", "count": self.customers, "rate": math.nan})
        return pd.DataFrame(rows, columns=["stage", "count", "rate"])


def backward_funnel(revenue_to_win: float, value_per_customer: float, steps: list[tuple[str, float]] = (),
                    cost_per_visitor: float | None = None, cac: float | None = None) -> Funnel:
    """Customers = ceil(revenue / value per customer); each step up = ceil(count / rate)
    (you cannot win 0.3 of a customer). Budget = customers × CAC when a CAC is given,
    else top-of-funnel count × cost per visitor. Exact decimal arithmetic, so
    1 200 / 40 % is 3 000, not 3 001."""
    if revenue_to_win is None or revenue_to_win < 0:
        raise ValueError(f"expected a revenue to win of 0 € or more, got {revenue_to_win!r}")
    if value_per_customer is None or value_per_customer <= 0:
        raise ValueError(f"expected a value per customer above 0 €, got {value_per_customer!r}")
    customers = math.ceil(exact_decimal(revenue_to_win) / exact_decimal(value_per_customer))
    count, stages = customers, []
    for stage, rate in steps:
        if rate is None or not 0 < rate <= 1:
            raise ValueError(f"conversion rate into {stage!r}: expected more than 0 % and at most 100 %, got {rate!r}")
        count = math.ceil(Fraction(count) / exact_decimal(rate))
        stages.append((stage, count, float(rate)))
    budget = basis = None
    if cac is not None:
        if cac < 0:
            raise ValueError(f"expected an acquisition cost of 0 € or more, got {cac!r}")
        budget, basis = float(customers * exact_decimal(cac)), "cac"
    elif cost_per_visitor is not None:
        if cost_per_visitor < 0:
            raise ValueError(f"expected a cost per visitor of 0 € or more, got {cost_per_visitor!r}")
        if not stages:
            raise ValueError("a cost per visitor needs at least one conversion step (e.g. visitor → customer)")
        budget, basis = float(stages[-1][1] * exact_decimal(cost_per_visitor)), "cost_per_visitor"
    return Funnel(revenue_to_win=float(revenue_to_win), value_per_customer=float(value_per_customer),
                  customers=customers, stages=tuple(stages), cost_per_visitor=cost_per_visitor, cac=cac,
                  budget=round(budget, 2) if budget is not None else None, basis=basis)


def stage_label(stage: str, labels: Labels) -> str:
    key = f"budget.stage.{stage}"
    return labels(key) if labels.has(key) else stage
