"""Budget cells and month lists as a consultant types them ("850 €", "10 % du
CA", "6h/semaine", "avril à décembre"): light on purpose (no pandas, no
matplotlib) so that engagement.yaml and the workshop sheets parse fast."""
from __future__ import annotations

import re
from dataclasses import dataclass

from relkit.io.parsing import MONTHS, fold, is_blank, parse_amount, parse_number

QUARTERS = ("T1", "T2", "T3", "T4")
QUARTER_MONTHS = {"T1": (1, 2, 3), "T2": (4, 5, 6), "T3": (7, 8, 9), "T4": (10, 11, 12)}
WEEKS_PER_QUARTER = 13  # 52 weeks / 4
MONTHS_PER_QUARTER = 3
WORKING_DAYS_PER_WEEK = 5  # "2h/jour" means working days: 10 h a week
BUDGET_CELL_EXAMPLE = ("an amount such as '850 €', a share of revenue such as '10 % du CA' or internal time "
                       "such as '6h/semaine'")
MONTHS_EXAMPLE = "months such as '1-12', '1, 8', 'janvier-mars', 'T3' or 'toute l'année'"


# ---------------------------------------------------------------- budget cells
@dataclass(frozen=True)
class BudgetLine:
    """One budget cell: fixed €, a share of revenue (ratio) and internal hours, any mix."""

    money: float = 0.0
    percent: float = 0.0  # ratio of the quarter's revenue: 0.10 = "10 % du CA"
    hours_per_week: float = 0.0
    hours_per_month: float = 0.0
    text: str = ""  # as typed, shown back in tables

    @property
    def hours_per_quarter(self) -> float:
        return self.hours_per_week * WEEKS_PER_QUARTER + self.hours_per_month * MONTHS_PER_QUARTER

    @property
    def is_empty(self) -> bool:
        """True when the cell costs nothing ("0 €"): still a planned line, just free."""
        return not (self.money or self.percent or self.hours_per_week or self.hours_per_month)


_COMBINE = re.compile(r"\s*(?:&|\+|\bet\b|\band\b|\bplus\b)\s*|\s+a\s+(?=[+-]?\d)")
_NUM = r"[+-]?\d[\d ]*(?:[.,]\d+)?"
_PERCENT = re.compile(
    rf"^(?P<n>{_NUM})\s*%\s*(?:(?:du|de|of|on)\s+)?(?:(?:le|the)\s+)?"
    r"(?:ca|c\.a\.?|chiffre d'affaires?|revenues?|turnover|sales)?$")
_HOURS = re.compile(
    rf"^(?P<n>{_NUM})\s*(?:h|hr|hrs|heures?|hours?)?\s*(?:/|par|per|an?|each|every)\s*"
    r"(?P<unit>semaines?|sem|weeks?|wk|mois|months?|jours?|j|days?|d)\.?$")
_HOUR_UNITS = {"semaine": "week", "semaines": "week", "sem": "week", "week": "week", "weeks": "week", "wk": "week",
               "mois": "month", "month": "month", "months": "month",
               "jour": "day", "jours": "day", "j": "day", "day": "day", "days": "day", "d": "day"}


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_budget_cell(value) -> BudgetLine | None:
    """'850€', '2 500 €', 850.0, '10 % du CA', '6h/semaine', '16 h/month', '2h/jour'
    (working days: ×5 a week), '8 700 € + 30 % du CA', '4 000€ à 25% du CA' -> BudgetLine;
    None for an empty cell. A bare number is money (an Excel percent cell is ambiguous: type
    '10 % du CA'). Parts of the same kind add up ('500 € + 250 €' = 750 €)."""
    if isinstance(value, BudgetLine):
        return value
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected {BUDGET_CELL_EXAMPLE}, got {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"negative amount: a budget line is a cost of 0 € or more, got {value!r}")
        return BudgetLine(money=float(value), text=_cell_text(value))
    text = str(value).strip()
    folded = fold(text.replace("’", "'").replace("\u2212", "-"))
    parts = [p.strip() for p in _COMBINE.split(folded) if p and p.strip()]
    if not parts:
        raise ValueError(f"expected {BUDGET_CELL_EXAMPLE}, got {value!r}")
    money = percent = weekly = monthly = 0.0
    for part in parts:
        if m := _PERCENT.match(part):
            rate = parse_number(m["n"]) / 100
            if rate < 0:
                raise ValueError(f"negative share of revenue: expected 0 % to 100 %, got {value!r}")
            percent += rate
        elif m := _HOURS.match(part):
            hours = parse_number(m["n"])
            if hours < 0:
                raise ValueError(f"negative internal time: expected hours such as '6h/semaine', got {value!r}")
            unit = _HOUR_UNITS[m["unit"]]
            if unit == "month":
                monthly += hours
            else:
                weekly += hours * (WORKING_DAYS_PER_WEEK if unit == "day" else 1)
        else:
            try:
                amount = parse_amount(part)
            except ValueError:
                raise ValueError(f"expected {BUDGET_CELL_EXAMPLE}, got {value!r}") from None
            if amount < 0:
                raise ValueError(f"negative amount: a budget line is a cost of 0 € or more, got {value!r}")
            money += amount
    percent = round(percent, 9)
    if percent > 1:
        raise ValueError(f"share of revenue over 100 %: expected at most '100 % du CA', got {value!r}")
    return BudgetLine(money=round(money, 2), percent=percent, hours_per_week=weekly, hours_per_month=monthly,
                      text=text)


# ---------------------------------------------------------------- months
_ALL_YEAR = {"toute l'annee", "toute l annee", "toute lannee", "tout l'annee", "toute annee", "annee complete",
             "l'annee", "all year", "all year round", "all the year", "whole year", "the whole year", "full year",
             "year round", "all-year", "tous les mois", "every month"}
_QUARTER = re.compile(r"^(?:t|q|trimestre\s*|quarter\s*)([1-4])$"
                      r"|^([1-4])(?:e|er|eme|st|nd|rd|th)?\s*(?:trimestre|quarter)$")
_ITEM_SPLIT = re.compile(r"\s*(?:,|;|&|\+|\bet\b|\band\b)\s*")
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\ba\b|\bau\b|\bto\b|\bjusqu'a\b|\buntil\b)\s*")
_LEAD = re.compile(r"^(?:de\s+|d'|du\s+|from\s+|en\s+|in\s+)")


def _month_span(token: str, original) -> tuple[int, int]:
    """One month (n, n) or one quarter (first, last month)."""
    token = token.strip().rstrip(".").strip()
    if re.fullmatch(r"\d+(?:[.,]0+)?", token):
        n = int(re.split(r"[.,]", token)[0])
        if not 1 <= n <= 12:
            raise ValueError(f"month {n}: expected 1 to 12 (or a month name)")
        return n, n
    if token in MONTHS:
        return MONTHS[token], MONTHS[token]
    if m := _QUARTER.match(token):
        months = QUARTER_MONTHS[f"T{m[1] or m[2]}"]
        return months[0], months[-1]
    raise ValueError(f"expected {MONTHS_EXAMPLE}, got {original!r}")


def parse_months(value) -> tuple[int, ...]:
    """'1-12', '1, 8', 12 (Excel), 'janvier-mars', 'janv. à mars', 'juillet, août',
    'January-March', 'T3'/'Q3' (7, 8, 9), "toute l'année" -> sorted unique months;
    () for an empty cell. A range runs forward ('9-5' is an error: write '9-12, 1-5')."""
    if is_blank(value):
        return ()
    if isinstance(value, bool):
        raise ValueError(f"expected {MONTHS_EXAMPLE}, got {value!r}")
    if isinstance(value, (int, float)):
        if value != int(value):
            raise ValueError(f"expected {MONTHS_EXAMPLE}, got {value!r}")
        return (_month_span(str(int(value)), value)[0],)
    if isinstance(value, (tuple, list, set, frozenset)):
        months = sorted({_month_span(str(int(v)), value)[0] for v in value})
        return tuple(months)
    text = fold(str(value).replace("’", "'")).strip(" .")
    if text in _ALL_YEAR:
        return tuple(range(1, 13))
    months: set[int] = set()
    for item in _ITEM_SPLIT.split(text):
        item = _LEAD.sub("", item.strip())
        if not item:
            continue
        ends = [e for e in _RANGE_SPLIT.split(item) if e.strip()]
        if len(ends) == 1:
            first, last = _month_span(ends[0], value)
        elif len(ends) == 2:
            first, _ = _month_span(ends[0], value)
            start2, last = _month_span(ends[1], value)
            if last < first or start2 < first:
                raise ValueError(f"month range {first}-{last} runs backwards: expected the first month before "
                                 f"the last, e.g. '{last}-{first}' (or two ranges such as '{first}-12, 1-{last}'), "
                                 f"got {value!r}")
        else:
            raise ValueError(f"expected {MONTHS_EXAMPLE}, got {value!r}")
        months.update(range(first, last + 1))
    if not months:
        raise ValueError(f"expected {MONTHS_EXAMPLE}, got {value!r}")
    return tuple(sorted(months))


# ---------------------------------------------------------------- writing a cell back
def cell_as_typed(value) -> str:
    """A budget cell as the consultant typed it (850.0 -> '850')."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plain_number(value: float, lang: str) -> str:
    """A number as typed in a budget cell: up to 4 decimals, no thousands separator,
    a decimal comma in French ('12,5')."""
    text = f"{round(float(value), 4):.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text
