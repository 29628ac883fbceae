"""Numbers that agree: what the engagement states against what the workbooks
measure, before a report is published.

Each check compares a *stated* figure (engagement.yaml, a number written in a
workshop sheet) with a *measured* one (a figure a workbook recorded, see
``Session.record`` and figures.json) and returns a ``Contradiction`` for every
disagreement beyond its tolerance, naming both sources and both values:

- ``revenue_last_year``: revenue.last_year against the customer file's last full
  calendar year and last 12 months (agrees when within REVENUE_TOLERANCE of either);
- ``revenue_basis``: the stated revenue agrees with the file only once VAT is added
  or removed (HT/TTC), or revenue.basis says one basis while the figures match the other;
- ``revenue_target``: revenue.target against a revenue target written in the workshop
  (an objective or a KPI "Chiffre d'affaires" with a target in euros);
- ``contacts_count`` / ``buyers_count``: a count written in a workshop sheet
  ("quelques centaines de contacts", "2 400 acheteurs") against the file's counts;
- ``target_gap``: the revenue target against the file's 12-month forecast plus the
  plan's expected revenue; the gap and what would close it;
- ``budget_envelopes``: each quarter's stated envelope against its costed actions;
- ``key_dates``: a period the workshop marks "to avoid" (sheet key_dates) against the
  campaigns the plan schedules in its months (relkit.topics.key_dates).

Pure functions: the engagement, sheets and figures in, Contradictions out.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from relkit.io.engagement import CHECK_IDS
from relkit.io.parsing import fold, parse_amount

CHECKS = CHECK_IDS  # every check of this module, in the order they are reported

# Tolerances (relative unless said): inside them, two figures agree.
REVENUE_TOLERANCE = 0.10  # a stated revenue within 10 % of the calendar year or of the last 12 months
VAT_RATE = 0.20  # France's standard rate: TTC = HT × 1.2
BASIS_TOLERANCE = 0.02  # a stated revenue within 2 % of the file's figure on the other basis
COUNT_TOLERANCE = 0.10  # "3 000 contacts" agrees with 2 700 to 3 300
TARGET_TOLERANCE = 0.01  # a shortfall under 1 % of the target is no gap
MONEY_TOLERANCE = 0.005  # half a cent, for budget envelopes
RATE_TOLERANCE = 1e-9  # shares of revenue in an envelope

# Words of a count written in a sheet; ranges of the vague ones (low, high).
VAGUE_COUNTS = {
    "quelques dizaines": (20, 99), "plusieurs dizaines": (20, 99), "des dizaines": (20, 99),
    "une centaine": (50, 199), "quelques centaines": (200, 999), "plusieurs centaines": (200, 999),
    "des centaines": (200, 999), "un millier": (500, 1999), "quelques milliers": (2000, 9999),
    "plusieurs milliers": (2000, 9999), "des milliers": (2000, 9999),
    "a few dozen": (20, 99), "dozens of": (20, 99), "about a hundred": (50, 199), "a hundred": (50, 199),
    "a few hundred": (200, 999), "several hundred": (200, 999), "hundreds of": (200, 999),
    "about a thousand": (500, 1999), "a thousand": (500, 1999), "a few thousand": (2000, 9999),
    "several thousand": (2000, 9999), "thousands of": (2000, 9999),
}
# noun -> the measured figure it is about ("clients actifs" before "clients")
COUNT_NOUNS = (("clients actifs", "buyers"), ("acheteurs", "buyers"), ("acheteur", "buyers"),
               ("active customers", "buyers"), ("buyers", "buyers"),
               ("contacts", "contacts"), ("clients", "contacts"), ("fiches", "contacts"),
               ("customers", "contacts"))
COUNT_FIGURES = {"contacts": "customers", "buyers": "buyers"}  # measured figure of each kind
COUNT_CHECKS = {"contacts": "contacts_count", "buyers": "buyers_count"}

_NOUN = "|".join(re.escape(n) for n, _ in COUNT_NOUNS)
_SPACE = "[ \u00a0\u202f]"
_NUMBER_CLAIM = re.compile(rf"(?<![\d,.])(\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+)(?:{_SPACE}*)({_NOUN})\b", re.I)
_VAGUE_CLAIM = re.compile(rf"({'|'.join(re.escape(k) for k in VAGUE_COUNTS)}){_SPACE}+(?:d[e'’]{_SPACE}*)?({_NOUN})\b",
                          re.I)


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: ``engagement`` (a key of engagement.yaml), ``sheet``
    (a workshop sheet, row and the words quoted) or ``figure`` (a workbook's recorded figure)."""

    kind: str
    key: str
    row: int | None = None
    quote: str | None = None
    workbook: str | None = None


@dataclass(frozen=True)
class Contradiction:
    """Two figures that should agree and do not: the stated one and the measured one.
    ``stated``/``measured`` are numbers, or (low, high) for a vague count, or a basis text.
    ``detail`` holds what the check adds (quarter, gap, what would close it, the other
    measured figure …)."""

    check: str
    stated_source: Source
    stated: object
    measured_source: Source
    measured: object
    detail: dict = field(default_factory=dict)


# ---------------------------------------------------------------- measured figures
def flat_figures(figures: Mapping[str, Mapping[str, Mapping]]) -> dict[str, tuple[str, object]]:
    """figures.json ({workbook: {key: {value, label, display}}}) as {key: (workbook, value)};
    a key recorded by two workbooks keeps the first workbook's (name order)."""
    out: dict[str, tuple[str, object]] = {}
    for workbook in sorted(figures):
        for key, item in (figures[workbook] or {}).items():
            out.setdefault(key, (workbook, item.get("value") if isinstance(item, Mapping) else item))
    return out


def last_full_year(as_of: dt.date) -> int:
    """The last calendar year that ended before ``as_of``."""
    return pd.Timestamp(as_of).year - 1


def measured_revenue(orders: pd.DataFrame | None, as_of: dt.date) -> dict[str, float | int]:
    """The file's net revenue (orders, refunds deducted) over the 12 months before ``as_of``
    (``last_12m``, when the file covers them) and over the last full calendar year
    (``calendar_year`` and ``year``, when the file starts by its first of February)."""
    if orders is None or not len(orders):
        return {}
    dates = pd.to_datetime(orders["date"]).dt.normalize()
    end = pd.Timestamp(as_of).normalize()
    before = orders[dates < end]
    dates = dates[dates < end]
    if not len(before):
        return {}
    first, out = dates.min(), {}
    start = end - pd.DateOffset(months=12)
    if first <= start + pd.Timedelta(days=31):
        out["last_12m"] = round(float(before.loc[dates >= start, "amount"].sum()), 2)
    year = last_full_year(as_of)
    if first <= pd.Timestamp(year, 2, 1):
        out["calendar_year"] = round(float(before.loc[dates.dt.year == year, "amount"].sum()), 2)
        out["year"] = year
    return out


def _relative_gap(stated: float, measured: float) -> float:
    return abs(stated - measured) / measured if measured else (0.0 if not stated else math.inf)


def on_basis(amount: float, basis: str | None, target: str | None) -> float:
    """``amount`` read on ``basis`` (HT/TTC) expressed on ``target``'s; unchanged when either is unknown."""
    if basis is None or target is None or basis == target:
        return amount
    return round(amount * (1 + VAT_RATE), 2) if target == "TTC" else round(amount / (1 + VAT_RATE), 2)


# ---------------------------------------------------------------- checks
def check_revenue_last_year(last_year: float, stated_basis: str | None,
                            measured: Mapping[str, tuple[str, object]]) -> list[Contradiction]:
    """revenue.last_year against the calendar year and the last 12 months (on the stated
    basis); also ``revenue_basis`` when only the other basis makes them agree."""
    file_basis = _value(measured, "amount_basis")
    pairs = [(k, measured[k]) for k in ("revenue_calendar_year", "revenue_last_12m") if _value(measured, k) is not None]
    if not pairs:
        return []
    stated_src = Source("engagement", "revenue.last_year")
    shown = [(Source("figure", k, workbook=wb), on_basis(float(v), file_basis, stated_basis or file_basis))
             for k, (wb, v) in pairs]
    if any(_relative_gap(last_year, v) <= REVENUE_TOLERANCE for _, v in shown):
        return []
    if file_basis in ("HT", "TTC"):  # does the other basis make them agree?
        other = "TTC" if (stated_basis or file_basis) == "HT" else "HT"
        for (src, v), (k, (wb, raw)) in zip(shown, pairs):
            converted = on_basis(float(raw), file_basis, other)
            if _relative_gap(last_year, converted) <= BASIS_TOLERANCE:
                return [Contradiction("revenue_basis", Source("engagement", "revenue.basis"), stated_basis,
                                      Source("figure", "amount_basis", workbook=wb), file_basis,
                                      {"revenue": last_year, "matches": converted, "matches_basis": other,
                                       "figure": k, "year": _value(measured, "revenue_year")})]
    (src, value), *others = shown
    detail = {"year": _value(measured, "revenue_year"), "basis": stated_basis or file_basis}
    if others:
        detail["also"] = (others[0][0], others[0][1])
    return [Contradiction("revenue_last_year", stated_src, last_year, src, value, detail)]


def count_claims(text: str) -> list[tuple[str, tuple[float, float], object]]:
    """Counts written in a sentence: [(kind, (low, high), stated)], kind 'contacts' or
    'buyers', stated the number written or the vague range. '3 000 contacts' →
    ('contacts', (2700, 3300), 3000); 'quelques centaines de contacts' →
    ('contacts', (200, 999), (200, 999))."""
    if not isinstance(text, str):
        return []
    out = []
    for match in _VAGUE_CLAIM.finditer(text):
        low, high = VAGUE_COUNTS[match.group(1).lower()]
        out.append((_noun_kind(match.group(2)), (low, high), (low, high)))
    for match in _NUMBER_CLAIM.finditer(text):
        n = int(re.sub(r"\D", "", match.group(1)))
        out.append((_noun_kind(match.group(2)), (round(n * (1 - COUNT_TOLERANCE), 6), round(n * (1 + COUNT_TOLERANCE), 6)), n))
    return out


def _noun_kind(noun: str) -> str:
    noun = noun.lower()
    return next(kind for word, kind in COUNT_NOUNS if word == noun)


# the workshop sheets whose free text may state a count: sheet key -> text columns
CLAIM_COLUMNS = {"swot": ("item",), "positioning": ("text",), "marketing_mix": ("today", "direction"),
                 "objectives": ("objective",)}


def sheet_claims(sheets: Mapping[str, pd.DataFrame]) -> list[tuple[str, tuple[float, float], object, Source]]:
    """Every count written in the workshop sheets' free text, with its sheet and row."""
    out = []
    for key, columns in CLAIM_COLUMNS.items():
        frame = sheets.get(key)
        if frame is None or not len(frame):
            continue
        for record in frame.to_dict("records"):
            for column in columns:
                for kind, bounds, stated in count_claims(record.get(column)):
                    row = record.get("row")
                    out.append((kind, bounds, stated, Source("sheet", key, row=int(row) if row is not None and pd.notna(row)
                                                     else None, quote=str(record.get(column)))))
    return out


def check_counts(claims: Iterable[tuple[str, tuple[float, float], object, Source]],
                 measured: Mapping[str, tuple[str, object]]) -> list[Contradiction]:
    """Each count claim whose range does not hold the file's count (contacts: the
    records of the customer file; buyers: the customers with a purchase)."""
    out = []
    for kind, (low, high), stated, source in claims:
        figure = COUNT_FIGURES[kind]
        value = _value(measured, figure)
        if value is None or low <= float(value) <= high:
            continue
        out.append(Contradiction(COUNT_CHECKS[kind], source, stated,
                                 Source("figure", figure, workbook=measured[figure][0]), value))
    return out


REVENUE_KPIS = {"chiffre d'affaires", "ca", "ca ht", "ca ttc", "chiffre d'affaires ht", "chiffre d'affaires ttc",
                "revenue", "turnover", "sales", "net sales"}  # a KPI that is the revenue (folded)


def revenue_targets(sheets: Mapping[str, pd.DataFrame]) -> list[tuple[float, Source]]:
    """Revenue targets written in the workshop: objectives and KPIs whose KPI is the revenue
    and whose target is an amount ("200 000 €")."""
    out = []
    for key in ("objectives", "kpis"):
        frame = sheets.get(key)
        if frame is None or not len(frame) or "kpi" not in frame or "target" not in frame:
            continue
        for record in frame.to_dict("records"):
            kpi, target = record.get("kpi"), record.get("target")
            if not isinstance(kpi, str) or fold(kpi) not in REVENUE_KPIS or target is None or \
                    (not isinstance(target, str) and pd.isna(target)) or (isinstance(target, str) and "%" in target):
                continue
            try:
                amount = float(parse_amount(target))
            except (TypeError, ValueError):
                continue
            row = record.get("row")
            text = record.get("objective") if key == "objectives" else kpi
            out.append((amount, Source("sheet", key, row=int(row) if row is not None and pd.notna(row) else None,
                                       quote=str(text))))
    return out


def check_revenue_target(target: float, written: Iterable[tuple[float, Source]]) -> list[Contradiction]:
    """revenue.target against each revenue target written in the workshop (within TARGET_TOLERANCE)."""
    return [Contradiction("revenue_target", Source("engagement", "revenue.target"), target, source, amount)
            for amount, source in written if _relative_gap(amount, target) > TARGET_TOLERANCE]


def check_target_gap(target: float, stated_basis: str | None, last_year: float,
                     measured: Mapping[str, tuple[str, object]]) -> list[Contradiction]:
    """The target against the base (the file's 12-month forecast on the target's basis, else
    last year's revenue) plus the plan's expected revenue. A shortfall beyond
    TARGET_TOLERANCE gives the gap and what would close it: the plan's expected revenue
    raised by ``uplift`` (a share), or ``purchases`` more at the file's average basket.
    Without a forecast nor an expected revenue there is nothing to check."""
    file_basis = _value(measured, "amount_basis")
    forecast = _value(measured, "revenue_forecast_12m")
    if forecast is None and _value(measured, "plan_expected_revenue") is None:
        return []  # nothing measured says how the target is reached: no figure to set against it
    if forecast is not None:
        base, base_src = on_basis(float(forecast), file_basis, stated_basis or file_basis), \
            Source("figure", "revenue_forecast_12m", workbook=measured["revenue_forecast_12m"][0])
    else:
        base, base_src = float(last_year), Source("engagement", "revenue.last_year")
    plan = _value(measured, "plan_expected_revenue")
    plan = float(plan) if plan is not None else 0.0
    reach = round(base + plan, 2)
    gap = round(target - reach, 2)
    if gap <= TARGET_TOLERANCE * target:
        return []
    detail = {"gap": gap, "base": base, "base_source": base_src, "plan": plan}
    if plan:
        detail["uplift"] = gap / plan
    revenue, orders = _value(measured, "net_revenue"), _value(measured, "orders")
    if revenue and orders:
        basket = on_basis(float(revenue) / float(orders), file_basis, stated_basis or file_basis)
        detail |= {"basket": round(basket, 2), "purchases": math.ceil(gap / basket)}
    plan_src = Source("figure", "plan_expected_revenue", workbook=measured["plan_expected_revenue"][0]) \
        if "plan_expected_revenue" in measured else base_src
    return [Contradiction("target_gap", Source("engagement", "revenue.target"), target, plan_src, reach, detail)]


def check_budget_envelopes(envelopes: Mapping[str, object],
                           measured: Mapping[str, tuple[str, object]]) -> list[Contradiction]:
    """Each quarter's stated envelope (fixed € and share of revenue) against its costed
    actions (the ``budget_quarters`` figure of workbook 05: {quarter: {fixed, percent}})."""
    quarters = _value(measured, "budget_quarters")
    if not quarters or not envelopes:
        return []
    src = Source("figure", "budget_quarters", workbook=measured["budget_quarters"][0])
    out = []
    for quarter, envelope in envelopes.items():
        items = quarters.get(quarter)
        if envelope is None or items is None:
            continue
        if abs(float(items["fixed"]) - envelope.money) > MONEY_TOLERANCE:
            out.append(Contradiction("budget_envelopes", Source("engagement", f"budget.envelopes.{quarter}"),
                                     envelope.money, src, float(items["fixed"]), {"quarter": quarter, "part": "fixed"}))
        if abs(float(items["percent"]) - envelope.percent) > RATE_TOLERANCE:
            out.append(Contradiction("budget_envelopes", Source("engagement", f"budget.envelopes.{quarter}"),
                                     envelope.percent, src, float(items["percent"]),
                                     {"quarter": quarter, "part": "percent"}))
    return out


def _value(measured: Mapping[str, tuple[str, object]], key: str):
    item = measured.get(key)
    return None if item is None else item[1]


def check_key_dates(plan_year: int | None, lang: str, sheets: Mapping[str, pd.DataFrame]) -> list[Contradiction]:
    """Each key date marked "to avoid" whose months hold campaigns of the plan: the key date's
    row against the first of them (``detail``: the key date and every item, with the months shared)."""
    from relkit.topics.key_dates import plan_meetings

    out = []
    for m in plan_meetings(sheets, plan_year, lang):
        if m.verdict != "against":
            continue
        k, first = m.key_date, m.items[0]
        out.append(Contradiction("key_dates", Source("sheet", "key_dates", row=k.row, quote=k.event), (k.start, k.end),
                                 Source("sheet", first.source, row=first.row, quote=first.name), first.months,
                                 {"key_date": k, "items": tuple((i.name, i.source, m.shared(i)) for i in m.items)}))
    return out


# ---------------------------------------------------------------- all of them
def reconcile(engagement, sheets: Mapping[str, pd.DataFrame],
              figures: Mapping[str, Mapping[str, Mapping]]) -> list[Contradiction]:
    """Every contradiction between the engagement (and its workshop sheets) and the
    figures the workbooks recorded, in CHECKS order."""
    measured = flat_figures(figures)
    revenue = engagement.revenue
    found = check_revenue_last_year(revenue.last_year, revenue.basis, measured)
    found += check_revenue_target(revenue.target, revenue_targets(sheets))
    found += check_counts(sheet_claims(sheets), measured)
    found += check_target_gap(revenue.target, revenue.basis, revenue.last_year, measured)
    found += check_budget_envelopes(engagement.budget.envelopes, measured)
    if "05_plan_relationnel" in figures:  # key dates meet the plan only in a report that shows the plan
        found += check_key_dates(engagement.plan_year, engagement.language, sheets)
    return sorted(found, key=lambda c: CHECKS.index(c.check))


def split_acknowledged(found: Iterable[Contradiction], acknowledged: Mapping[str, str]
                       ) -> tuple[list[Contradiction], list[Contradiction]]:
    """(open, acknowledged): a check id listed in engagement.yaml's acknowledged: covers
    every contradiction of that check."""
    found = list(found)
    return [c for c in found if c.check not in acknowledged], [c for c in found if c.check in acknowledged]
