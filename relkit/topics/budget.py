"""Action plan, retro-planning and marketing budget (seed 001 methods, 002 §8, 003 §6).

The action plan is one table: each action has a category, objectives, KPIs, an
owner, active months and a budget per quarter. A budget cell is written the way
a consultant types it: a fixed amount ("850 €"), a share of revenue ("10 % du
CA") or internal time ("6h/semaine"), or several of these joined by '+', '&' or
'à'. Internal time is never money: it is counted in hours and, when an hourly
cost is given, valued *apart* from the budget (seed 001: "je ne compte pas ce
coût d'opportunité dans le budget marketing").

The worked example of seed 001 does not add up (Q2 stated as 3 030 € and
3 930 €, Q4 items over the stated 4 000 €): ``reconcile`` recomputes each quarter
from its items and flags every gap with numbers.

Pure functions: DataFrames and small dataclasses in, DataFrames, numbers,
sentences and figures out.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

import matplotlib.pyplot as plt
import pandas as pd
from babel.dates import get_month_names
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, _wrap, use_house_style
from relkit.io.labels import Labels
from relkit.io.budget_cells import (BUDGET_CELL_EXAMPLE, MONTHS_EXAMPLE, MONTHS_PER_QUARTER, QUARTER_MONTHS, QUARTERS,  # noqa: F401
                           WEEKS_PER_QUARTER, WORKING_DAYS_PER_WEEK, BudgetLine, parse_budget_cell, parse_months)
from relkit.io.parsing import fold, is_blank, parse_amount, parse_number

# ---------------------------------------------------------------- constants

# Same order as the workshop list ``action_category``: the plan reads by speciality (seed 001).
CATEGORIES = ("content", "merchandising", "community", "online_ads", "website_seo", "emailing_crm", "events",
              "public_relations", "partnerships", "print", "sales", "other")

# The one colour code per category (seed 001: "un code couleur pour chaque catégorie").
CATEGORY_COLOURS = {
    "content": "#1565C0",
    "merchandising": "#6A1B9A",
    "community": "#2E7D32",
    "online_ads": "#EF6C00",
    "website_seo": "#00838F",
    "emailing_crm": "#C62828",
    "events": "#AD1457",
    "public_relations": "#5D4037",
    "partnerships": "#9E9D24",
    "print": "#455A64",
    "sales": "#F9A825",
    "other": "#9E9E9E",
}


_MONEY_EPS = 0.005  # half a cent
_RATE_EPS = 1e-9


def _none(value):
    """NaN, None and blank strings all mean 'no value' (empty Excel cell)."""
    return None if is_blank(value) else value


def _exact(x: float) -> Fraction:
    """The decimal the user typed (0.4, not 0.400000000000000022…), so ceilings are exact."""
    return Fraction(repr(float(x)))


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
                total += line.percent * _forecast_for(revenue_forecast, quarter, line)
        return round(total, 2)


def _forecast_for(revenue_forecast: Mapping[str, float] | None, quarter: str, line: BudgetLine) -> float:
    forecast = (revenue_forecast or {}).get(quarter)
    if forecast is None or is_blank(forecast):
        raise ValueError(f"a revenue forecast for {quarter} is needed to value {line.text or 'a share of revenue'!r}")
    return float(forecast)


def _category_rank(code: str) -> int:
    return CATEGORIES.index(code) if code in CATEGORIES else len(CATEGORIES)


def _in_category_order(actions: Iterable[Action]) -> list[Action]:
    """Grouped by category in list order; within a category, as typed (stable sort)."""
    return sorted(actions, key=lambda a: _category_rank(a.category))


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
    ordered = _in_category_order(actions)
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


def _fit_line(text: str, chars: int) -> str:
    text = str(text)
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def retro_chart(actions: Iterable[Action], labels: Labels, title: str | None = None) -> Figure:
    """Months × actions grid, one colour per category, a header row per category;
    sized for a 7-inch page column (action names 7 pt, month names abbreviated)."""
    use_house_style()
    ordered = _in_category_order(actions)
    width = PAGE_WIDTH_IN
    left, right = 2.35, 0.08
    col_w = (width - left - right) / 12
    row_h, head_h = 0.2, 0.24
    title = title if title is not None else labels("budget.retro.title")
    title_lines = _wrap(title, 80)
    top = 0.12 + 0.22 * len(title_lines) + 0.28  # title, then month names
    rows: list[tuple[str, object]] = []
    current = None
    for action in ordered:
        if action.category != current:
            rows.append(("head", action.category))
            current = action.category
        rows.append(("action", action))
    height = top + sum(head_h if kind == "head" else row_h for kind, _ in rows) + 0.12
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    ax.text(0.08, 0.12, "\n".join(title_lines), fontsize=10, fontweight="bold", va="top", color=PALETTE["ink"])
    for m, name in enumerate(month_abbreviations(labels)):
        ax.text(left + col_w * (m + 0.5), top - 0.08, name, fontsize=6.8, ha="center", va="bottom",
                color=PALETTE["muted"])
    chars = int((left - 0.25) * 72 / (7 * 0.6))
    y = top
    for kind, item in rows:
        if kind == "head":
            colour = CATEGORY_COLOURS.get(item, CATEGORY_COLOURS["other"])
            ax.add_patch(Rectangle((0.05, y + 0.03), width - 0.05 - right, head_h - 0.05, facecolor=colour + "1F",
                                   edgecolor="none"))
            ax.text(0.1, y + head_h / 2 + 0.01, _fit_line(category_label(item, labels), 60), fontsize=7.5,
                    fontweight="bold", va="center", color=colour)
            y += head_h
            continue
        colour = CATEGORY_COLOURS.get(item.category, CATEGORY_COLOURS["other"])
        ax.text(0.22, y + row_h / 2, _fit_line(item.action, chars), fontsize=7, va="center", color=PALETTE["ink"])
        for m in range(12):
            x = left + col_w * m
            active = (m + 1) in item.months
            ax.add_patch(Rectangle((x + 0.02, y + 0.03), col_w - 0.04, row_h - 0.06,
                                   facecolor=colour if active else "#F2F3F5", edgecolor="none"))
        y += row_h
    for q in range(1, 4):  # quarter separators help read T1..T4
        x = left + col_w * 3 * q
        ax.plot([x, x], [top - 0.02, y], color=PALETTE["muted"], linewidth=0.6, alpha=0.6)
    return fig


# ---------------------------------------------------------------- budget tables
_LINE_COLUMNS = ["action", "category", "objectives", "quarter", "money", "percent", "hours", "text"]


def budget_lines(actions: Iterable[Action]) -> pd.DataFrame:
    """Tidy budget: one row per filled cell (action × quarter), in category order.
    ``hours`` is internal time over the quarter; a "0 €" cell stays (a planned, free line)."""
    rows = []
    for action in _in_category_order(actions):
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
            percent_money.append(record["percent"] * _forecast_for(revenue_forecast, record["quarter"], line))
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
    order = grouped["category"].map(_category_rank)
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


def _signed_money(amount: float, labels: Labels) -> str:
    """'−900 €' / '+999 €' with a true minus sign."""
    sign = "\u2212" if amount < 0 else "+"
    return sign + labels.money(abs(amount))


def _pct(ratio: float, labels: Labels) -> str:
    """'30 %', '3,5 %': one decimal only when the rate needs it."""
    points = round(ratio * 100, 6)
    return labels.percent(ratio, digits=0 if float(points).is_integer() else 1)


def _num(value: float, labels: Labels, digits: int = 1) -> str:
    value = round(float(value), digits)
    return labels.number(value, 0 if value.is_integer() else digits)


def quarter_label(quarter: str, labels: Labels) -> str:
    return labels(f"budget.quarter.{quarter}")


def reconciliation_text(reconciled: pd.DataFrame, labels: Labels) -> list[str]:
    """One sentence per gap, with numbers, then one for the quarters that match."""
    sentences, matching = [], []
    for record in reconciled.to_dict("records"):
        if record["status"] is None:
            continue
        q = quarter_label(record["quarter"], labels)
        if record["fixed_status"] != "ok":
            sentences.append(labels("budget.reconcile.fixed_gap", quarter=q,
                                    items=labels.money(record["items_fixed"]),
                                    envelope=labels.money(record["envelope_fixed"]),
                                    difference=_signed_money(record["fixed_difference"], labels)))
        if record["percent_status"] != "ok":
            points = record["percent_difference"] * 100
            sentences.append(labels("budget.reconcile.percent_gap", quarter=q,
                                    items=_pct(record["items_percent"], labels),
                                    envelope=_pct(record["envelope_percent"], labels),
                                    difference=("\u2212" if points < 0 else "+") + _num(abs(points), labels)))
        if record["status"] == "ok":
            matching.append(q)
    if matching:
        key = "budget.reconcile.match_one" if len(matching) == 1 else "budget.reconcile.match_many"
        sentences.append(labels(key, quarters=labels.join(matching)))
    return sentences


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
            total += envelope.percent * _forecast_for(revenue_forecast, quarter, envelope)
    return round(total, 2)


def percent_of_revenue_budget(rate: float, revenue: float) -> float:
    """The 'x % du CA' method: a budget that follows revenue."""
    if not 0 <= rate <= 1:
        raise ValueError(f"expected a share of revenue between 0 % and 100 %, got {rate!r}")
    return round(float(_exact(rate) * _exact(revenue)), 2)


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
    customers = math.ceil(_exact(revenue_to_win) / _exact(value_per_customer))
    count, stages = customers, []
    for stage, rate in steps:
        if rate is None or not 0 < rate <= 1:
            raise ValueError(f"conversion rate into {stage!r}: expected more than 0 % and at most 100 %, got {rate!r}")
        count = math.ceil(Fraction(count) / _exact(rate))
        stages.append((stage, count, float(rate)))
    budget = basis = None
    if cac is not None:
        if cac < 0:
            raise ValueError(f"expected an acquisition cost of 0 € or more, got {cac!r}")
        budget, basis = float(customers * _exact(cac)), "cac"
    elif cost_per_visitor is not None:
        if cost_per_visitor < 0:
            raise ValueError(f"expected a cost per visitor of 0 € or more, got {cost_per_visitor!r}")
        if not stages:
            raise ValueError("a cost per visitor needs at least one conversion step (e.g. visitor → customer)")
        budget, basis = float(stages[-1][1] * _exact(cost_per_visitor)), "cost_per_visitor"
    return Funnel(revenue_to_win=float(revenue_to_win), value_per_customer=float(value_per_customer),
                  customers=customers, stages=tuple(stages), cost_per_visitor=cost_per_visitor, cac=cac,
                  budget=round(budget, 2) if budget is not None else None, basis=basis)


# ---------------------------------------------------------------- ROI and LTV:CAC
class RoiSummary(NamedTuple):
    cost: float
    revenue: float | None
    roi: float | None


def roi(cost: float, revenue: float) -> float | None:
    """(revenue − cost) / cost; None when nothing was spent (no ratio to give)."""
    if not cost:
        return None
    return float((_exact(revenue) - _exact(cost)) / _exact(cost))


def action_roi(actions: Iterable[Action], revenue_forecast: Mapping[str, float] | None = None) -> pd.DataFrame:
    """ROI of each action that states a revenue effect: ``cost`` is its money over the year
    (fixed € + shares of revenue at the forecast); internal hours are not counted."""
    rows = []
    for action in _in_category_order(actions):
        if action.revenue_effect is None:
            continue
        cost = action.cost(revenue_forecast)
        rows.append({"action": action.action, "category": action.category, "cost": cost,
                     "revenue_effect": action.revenue_effect, "roi": roi(cost, action.revenue_effect)})
    return pd.DataFrame(rows, columns=["action", "category", "cost", "revenue_effect", "roi"])


def overall_roi(actions: Iterable[Action], revenue_forecast: Mapping[str, float] | None = None) -> RoiSummary:
    """Sum of the revenue effects against the whole money budget (every action, percent items
    valued at the forecast). ``revenue``/``roi`` are None when no action states an effect."""
    actions = list(actions)
    cost = round(sum(a.cost(revenue_forecast) for a in actions), 2)
    effects = [a.revenue_effect for a in actions if a.revenue_effect is not None]
    if not effects:
        return RoiSummary(cost, None, None)
    revenue = round(sum(effects), 2)
    return RoiSummary(cost, revenue, roi(cost, revenue))


LTV_CAC_READINGS = ("loses_money", "thin", "healthy", "under_invests")


def ltv_cac(ltv: float, cac: float) -> tuple[float | None, str | None]:
    """(ratio, reading): < 1 loses_money, 1 to < 3 thin, 3 to 5 healthy, > 5 under_invests
    (a very high ratio means acquisition could be pushed harder). (None, None) when CAC is 0."""
    if ltv is None or cac is None or ltv < 0 or cac < 0:
        raise ValueError(f"expected a customer value and an acquisition cost of 0 € or more, got {ltv!r} and {cac!r}")
    if cac == 0:
        return None, None
    ratio = float(_exact(ltv) / _exact(cac))
    reading = "loses_money" if ratio < 1 else "thin" if ratio < 3 else "healthy" if ratio <= 5 else "under_invests"
    return ratio, reading


# ---------------------------------------------------------------- charts
def _money_axis(ax, labels: Labels) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: labels.money(v)))


def _envelope_money(envelope: BudgetLine, forecast: float) -> float:
    share = envelope.percent * forecast if envelope.percent and not math.isnan(forecast) else 0.0
    return envelope.money + share


def budget_chart(totals: pd.DataFrame, labels: Labels, envelopes: Mapping[str, BudgetLine | None] | None = None,
                 title: str | None = None) -> Figure:
    """Stacked bars per quarter: fixed € and % of revenue (valued at the forecast), the total
    written on top, and the stated envelope as a black marker when given."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 3.3))
    x = list(range(len(totals)))
    fixed = totals["fixed"].astype(float).tolist()
    share = totals["percent_money"].astype(float).fillna(0).tolist()
    ax.bar(x, fixed, width=0.55, color=PALETTE["accent"], label=labels("budget.chart.fixed"))
    ax.bar(x, share, width=0.55, bottom=fixed, color=PALETTE["opportunity"] + "99",
           label=labels("budget.chart.percent"))
    peak = max([f + s for f, s in zip(fixed, share)] + [1.0])
    handles, names = ax.get_legend_handles_labels()
    levels = {}
    if envelopes:
        marked = False
        for i, record in enumerate(totals.to_dict("records")):
            envelope = envelopes.get(record["quarter"])
            if envelope is None:
                continue
            level = _envelope_money(envelope, float(record.get("revenue_forecast", math.nan)))
            ax.plot([i - 0.36, i + 0.36], [level, level], color=PALETTE["ink"], linewidth=2, solid_capstyle="butt")
            peak, marked, levels[i] = max(peak, level), True, level
        if marked:
            handles.append(Line2D([0], [0], color=PALETTE["ink"], linewidth=2))
            names.append(labels("budget.chart.envelope"))
    for i, (f, s) in enumerate(zip(fixed, share)):
        ax.text(i, max(f + s, levels.get(i, 0.0)) + peak * 0.025, labels.money(f + s), ha="center", va="bottom",
                fontsize=8,
                color=PALETTE["ink"])
    ax.set_ylim(0, peak * 1.15)
    ax.set_xticks(x, [quarter_label(q, labels) for q in totals["quarter"]])
    _money_axis(ax, labels)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(handles, names, loc="upper left", fontsize=7.5, frameon=False)
    ax.set_title("\n".join(_wrap(title if title is not None else labels("budget.chart.title"), 90)), fontsize=10,
                 fontweight="bold", loc="left", color=PALETTE["ink"])
    fig.tight_layout()
    return fig


def category_chart(categories: pd.DataFrame, labels: Labels, title: str | None = None) -> Figure:
    """Share of the money budget by category (``category_totals``), biggest first."""
    use_house_style()
    data = categories[categories["total"] > 0].sort_values("total", ascending=True, kind="stable")
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 0.32 * max(len(data), 1) + 1.0))
    names = [_fit_line(category_label(c, labels), 34) for c in data["category"]]
    colours = [CATEGORY_COLOURS.get(c, CATEGORY_COLOURS["other"]) for c in data["category"]]
    ax.barh(range(len(data)), data["total"], color=colours, height=0.6)
    peak = float(data["total"].max()) if len(data) else 1.0
    for i, (total, share) in enumerate(zip(data["total"], data["share"])):
        ax.text(total + peak * 0.01, i, f"{labels.money(total)} · {_pct(share, labels)}", va="center", fontsize=7.5,
                color=PALETTE["ink"])
    ax.set_yticks(range(len(data)), names)
    ax.set_xlim(0, peak * 1.3)
    ax.xaxis.set_visible(False)
    ax.tick_params(labelsize=7.5)
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    ax.set_title("\n".join(_wrap(title if title is not None else labels("budget.category_chart.title"), 90)),
                 fontsize=10, fontweight="bold", loc="left", color=PALETTE["ink"])
    fig.tight_layout()
    return fig


def category_legend(codes: Iterable[str], labels: Labels) -> list[Patch]:
    """Legend patches in the category colours, for callers that compose their own figure."""
    return [Patch(color=CATEGORY_COLOURS.get(c, CATEGORY_COLOURS["other"]), label=category_label(c, labels))
            for c in codes]


# ---------------------------------------------------------------- sentences
def budget_summary_text(totals: pd.DataFrame, labels: Labels) -> str:
    """The year in one or two sentences: fixed €, shares of revenue valued at the forecast,
    total, and internal time kept apart."""
    fixed = round(float(totals["fixed"].sum()), 2)
    share = totals["percent_money"].astype(float)
    hours = round(float(totals["hours"].sum()), 2)
    parts = []
    if share.isna().any():
        parts.append(labels("budget.summary.fixed_only", fixed=labels.money(fixed)))
    elif share.sum() > 0:
        parts.append(labels("budget.summary.with_percent", fixed=labels.money(fixed),
                            percent=labels.money(round(float(share.sum()), 2)),
                            total=labels.money(round(fixed + float(share.sum()), 2))))
    else:
        parts.append(labels("budget.summary.fixed_only", fixed=labels.money(fixed)))
    if hours:
        values = totals["hours_value"].astype(float)
        if values.notna().all():
            parts.append(labels("budget.summary.hours_valued", hours=_num(hours, labels),
                                value=labels.money(round(float(values.sum()), 2))))
        else:
            parts.append(labels("budget.summary.hours", hours=_num(hours, labels)))
    return " ".join(parts)


def method_comparison_text(labels: Labels, fixed: float | None = None, percent: float | None = None,
                           rate: float | None = None, revenue: float | None = None,
                           objective: float | None = None) -> list[str]:
    """Each budget method's figure side by side (seed 001: fixed, % of revenue, carte blanche
    / objective-based), then the spread between the lowest and the highest."""
    sentences, figures = [], []
    if fixed is not None:
        sentences.append(labels("budget.method.fixed", amount=labels.money(fixed)))
        figures.append(fixed)
    if percent is not None:
        if rate is not None and revenue is not None:
            sentences.append(labels("budget.method.percent_of", amount=labels.money(percent),
                                    rate=_pct(rate, labels), revenue=labels.money(revenue)))
        else:
            sentences.append(labels("budget.method.percent", amount=labels.money(percent)))
        figures.append(percent)
    if objective is not None:
        sentences.append(labels("budget.method.objective", amount=labels.money(objective)))
        figures.append(objective)
    if len(figures) >= 2:
        low, high = min(figures), max(figures)
        sentences.append(labels("budget.method.spread", low=labels.money(low), high=labels.money(high),
                                difference=labels.money(round(high - low, 2))))
    return sentences


def stage_label(stage: str, labels: Labels) -> str:
    key = f"budget.stage.{stage}"
    return labels(key) if labels.has(key) else stage


def funnel_text(funnel: Funnel, labels: Labels) -> str:
    """'To win 60 000 € at 400 € a customer: 150 customers, 600 SQL, … 60 000 visitors; budget 48 000 €.'"""
    counts = [f"{labels.number(funnel.customers)} {stage_label('customer', labels)}"]
    counts += [f"{labels.number(c)} {stage_label(s, labels)}" for s, c, _ in funnel.stages]
    text = labels("budget.funnel.counts", revenue=labels.money(funnel.revenue_to_win),
                  value=labels.money(funnel.value_per_customer), counts=labels.join(counts))
    if funnel.basis == "cac":
        text += " " + labels("budget.funnel.budget_cac", cac=labels.money(funnel.cac),
                             budget=labels.money(funnel.budget))
    elif funnel.basis == "cost_per_visitor":
        text += " " + labels("budget.funnel.budget_visitor", cost=labels.money(funnel.cost_per_visitor),
                             budget=labels.money(funnel.budget))
    return text


def roi_text(cost: float, revenue: float | None, labels: Labels) -> str:
    """'For 200 000 € spent the plan expects 500 000 € of revenue: a 150 % ROI.'"""
    if revenue is None:
        return labels("budget.roi.no_effect", cost=labels.money(cost))
    value = roi(cost, revenue)
    if value is None:
        return labels("budget.roi.no_cost", revenue=labels.money(revenue))
    return labels("budget.roi.sentence", cost=labels.money(cost), revenue=labels.money(revenue),
                  roi=_pct(value, labels))


def ltv_cac_text(ltv: float, cac: float, labels: Labels) -> str:
    """'A customer brings 1 400 € and costs 100 € to win: LTV:CAC of 14, under-invests in acquisition.'"""
    ratio, reading = ltv_cac(ltv, cac)
    if ratio is None:
        return labels("budget.ltv_cac.no_cac", ltv=labels.money(ltv))
    return labels("budget.ltv_cac.sentence", ltv=labels.money(ltv), cac=labels.money(cac),
                  ratio=_num(ratio, labels), reading=labels(f"budget.ltv_cac.{reading}"))
