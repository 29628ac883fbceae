"""What the plan workbook shows (``PlanBook``, computed by workbook 05 in the
deliverable's language) and what its sheets share: rows grouped by category
and each category's colour."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from relkit.io.labels import Labels
from relkit.views.excel.cells import excel_colour, is_empty

_FALLBACK_COLOURS = ("#4472C4", "#ED7D31", "#70AD47", "#FFC000", "#5B9BD5", "#A5A5A5", "#9E480E", "#264478")


SUMMARY_KINDS = ("number", "money", "percent", "hours", "text")
# Summary figures the workbook computes from the Budget sheet (live formulas, not copies).
BUDGET_REFS = ("forecast_total", "budget_total", "hours_total", "envelope_total", "differences")
# KPI sheet: one row per KPI (labels in the deliverable's language, codes for the formats and formulas).
KPI_COLUMNS = ("kpi", "definition", "formula", "unit", "unit_code", "frequency", "direction", "target", "review",
               "actuals")


@dataclass
class SummaryLine:
    """One key figure of the summary sheet: a number stored as a number, shown with the format of
    ``kind``; with ``ref`` (one of ``BUDGET_REFS``) the cell is a formula on the Budget sheet and
    ``value`` is only what the report printed (for the tests that compare them)."""

    label: str
    value: object
    kind: str = "number"
    ref: str | None = None

    def __post_init__(self):
        if self.kind not in SUMMARY_KINDS:
            raise ValueError(f"expected a summary kind among {', '.join(SUMMARY_KINDS)}, got {self.kind!r}")
        if self.ref is not None and self.ref not in BUDGET_REFS:
            raise ValueError(f"expected a Budget reference among {', '.join(BUDGET_REFS)}, got {self.ref!r}")


@dataclass
class PlanBook:
    """Everything the workbook shows, already computed and in the deliverable's language."""

    client: str
    plan_year: int
    lang: str                      # "fr" | "en"
    currency: str                  # "EUR"
    summary: list[SummaryLine | tuple[str, object]]  # key figures (a tuple: label, value written as it is)
    programmes: pd.DataFrame       # display table
    actions: pd.DataFrame          # category (label), action, objective, kpi, owner, priority, lever, months
    budget: pd.DataFrame           # category, action, q1..q4_money, q1..q4_percent (ratio), q1..q4_hours
    revenue_forecast: dict[str, float]            # "T1".."T4"
    envelopes: dict[str, tuple[float, float]] | None  # "T1".."T4" -> (money, percent ratio)
    kpis: pd.DataFrame             # KPI_COLUMNS: review = period keys reported, actuals = {period key: value}
    journey: pd.DataFrame | None   # display table
    collection: pd.DataFrame | None
    register: pd.DataFrame | None
    category_colours: dict[str, str]  # category label -> "#RRGGBB"
    author: str = ""               # the consultant's firm (workbook properties)
    kpi_periods: list[tuple[str, str]] = field(default_factory=list)  # (period key, column header), in order
    choices: dict[str, list[str]] = field(default_factory=dict)  # drop-down lists: priority, lever, owner
    programme_choices: dict[str, str] = field(default_factory=dict)  # programmes column header -> list name


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
