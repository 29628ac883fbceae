"""Return on the plan (seed 001, seed 003): ROI per action and overall, and the
LTV:CAC ratio with its reading. Internal hours are never counted as cost.

Pure functions: Actions and numbers in, a DataFrame, numbers and a reading code out.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import pandas as pd

from relkit.topics.action_plan import Action, in_category_order
from relkit.topics.budget_methods import exact_decimal


class RoiSummary(NamedTuple):
    cost: float
    revenue: float | None
    roi: float | None
    margin: float | None = None  # the margin rate the ROI is computed on; None: on revenue
    gain: float | None = None  # what the ROI sets against the cost: revenue × margin, or the revenue


def gain(revenue: float, margin: float | None) -> float:
    """What an action brings back: its margin when the margin rate is known, else its revenue."""
    return round(revenue * margin, 2) if margin is not None else revenue


def roi(cost: float, revenue: float) -> float | None:
    """(revenue − cost) / cost; None when nothing was spent (no ratio to give)."""
    if not cost:
        return None
    return float((exact_decimal(revenue) - exact_decimal(cost)) / exact_decimal(cost))


def action_roi(actions: Iterable[Action], revenue_forecast: Mapping[str, float] | None = None,
               margin: float | None = None) -> pd.DataFrame:
    """ROI of each action that states a revenue effect: ``cost`` is its money over the year
    (fixed € + shares of revenue at the forecast); internal hours are not counted. With a
    ``margin`` rate, the ROI sets the margin on that revenue (``gain``) against the cost."""
    rows = []
    for action in in_category_order(actions):
        if action.revenue_effect is None:
            continue
        cost = action.cost(revenue_forecast)
        earned = gain(action.revenue_effect, margin)
        rows.append({"action": action.action, "category": action.category, "cost": cost,
                     "revenue_effect": action.revenue_effect, "gain": earned, "roi": roi(cost, earned)})
    return pd.DataFrame(rows, columns=["action", "category", "cost", "revenue_effect", "gain", "roi"])


def overall_roi(actions: Iterable[Action], revenue_forecast: Mapping[str, float] | None = None,
                margin: float | None = None) -> RoiSummary:
    """Sum of the revenue effects against the whole money budget (every action, percent items
    valued at the forecast); with a ``margin`` rate, the margin on that revenue against it.
    ``revenue``/``roi`` are None when no action states an effect."""
    actions = list(actions)
    cost = round(sum(a.cost(revenue_forecast) for a in actions), 2)
    effects = [a.revenue_effect for a in actions if a.revenue_effect is not None]
    if not effects:
        return RoiSummary(cost, None, None, margin)
    revenue = round(sum(effects), 2)
    earned = gain(revenue, margin)
    return RoiSummary(cost, revenue, roi(cost, earned), margin, earned)


LTV_CAC_READINGS = ("loses_money", "thin", "healthy", "under_invests")


def ltv_cac(ltv: float, cac: float) -> tuple[float | None, str | None]:
    """(ratio, reading): < 1 loses_money, 1 to < 3 thin, 3 to 5 healthy, > 5 under_invests
    (a very high ratio means acquisition could be pushed harder). (None, None) when CAC is 0."""
    if ltv is None or cac is None or ltv < 0 or cac < 0:
        raise ValueError(f"expected a customer value and an acquisition cost of 0 € or more, got {ltv!r} and {cac!r}")
    if cac == 0:
        return None, None
    ratio = float(exact_decimal(ltv) / exact_decimal(cac))
    reading = "loses_money" if ratio < 1 else "thin" if ratio < 3 else "healthy" if ratio <= 5 else "under_invests"
    return ratio, reading
