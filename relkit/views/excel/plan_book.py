"""What the plan workbook shows (``PlanBook``, computed by workbook 05 in the
deliverable's language) and what its sheets share: rows grouped by category
and each category's colour."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from relkit.io.labels import Labels
from relkit.views.excel.cells import excel_colour, is_empty

_FALLBACK_COLOURS = ("#4472C4", "#ED7D31", "#70AD47", "#FFC000", "#5B9BD5", "#A5A5A5", "#9E480E", "#264478")


@dataclass
class PlanBook:
    """Everything the workbook shows, already computed and in the deliverable's language."""

    client: str
    plan_year: int
    lang: str                      # "fr" | "en"
    currency: str                  # "EUR"
    summary: list[tuple[str, str]]  # key figures already formatted: (label, value text)
    programmes: pd.DataFrame       # display table
    actions: pd.DataFrame          # category (label), action, objective, kpi, owner, priority, lever, months
    budget: pd.DataFrame           # category, action, q1..q4_money, q1..q4_percent (ratio), q1..q4_hours
    revenue_forecast: dict[str, float]            # "T1".."T4"
    envelopes: dict[str, tuple[float, float]] | None  # "T1".."T4" -> (money, percent ratio)
    kpis: pd.DataFrame             # display table
    journey: pd.DataFrame | None   # display table
    collection: pd.DataFrame | None
    register: pd.DataFrame | None
    category_colours: dict[str, str]  # category label -> "#RRGGBB"


def categories(frame: pd.DataFrame, L: Labels) -> list[tuple[str, pd.DataFrame]]:
    """Rows grouped by category, categories in order of first appearance."""
    names = frame["category"].map(lambda c: L("excel.no_category") if is_empty(c) else str(c))
    return [(name, frame[names == name]) for name in dict.fromkeys(names)]


def palette(book: PlanBook, names: list[str]) -> dict[str, str]:
    colours, spare = {}, 0
    for name in names:
        if name in book.category_colours:
            colours[name] = excel_colour(book.category_colours[name])
        else:
            colours[name] = excel_colour(_FALLBACK_COLOURS[spare % len(_FALLBACK_COLOURS)])
            spare += 1
    return colours
