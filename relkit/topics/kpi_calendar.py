"""Reporting periods and the reporting calendar of the KPIs (seed 002: targets vs
actuals reported monthly or quarterly).

- a period is a quarter ('T1'..'T4', 'Q1'..'Q4') or a month ('mars', 'Aug',
  '2027-03', '03/2027', an Excel date), in the plan year unless a year is given;
- reviews fall on the last working day of the month (Monday to Friday; public
  holidays are not taken into account): monthly KPIs every month, quarterly
  KPIs in March, June, September and December, yearly KPIs in December;
  weekly KPIs are followed every week and summed up at each monthly review.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
from babel.dates import format_date

from relkit.io.labels import Labels
from relkit.io.parsing import MONTHS, fold
from relkit.topics.kpi_catalogue import FREQUENCIES

QUARTER_END_MONTHS = (3, 6, 9, 12)


# --- periods -----------------------------------------------------------------

_YEAR = r"(?:\s+((?:19|20)\d\d))?"
_QUARTER_RE = re.compile(rf"^[tq]([1-4]){_YEAR}$")
_MONTH_NAME_RE = re.compile(rf"^([a-z]+)\.?{_YEAR}$")
_ISO_RE = re.compile(r"^((?:19|20)\d\d)-(\d{1,2})$")
_SLASH_RE = re.compile(r"^(\d{1,2})/((?:19|20)\d\d)$")
PERIOD_FORMS = ("a quarter 'T1'..'T4' or 'Q1'..'Q4', a month name or abbreviation ('mars', 'sept.', 'March', "
                "'Aug'), or a month as '2027-03' or '03/2027'")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a quarter (index 1–4) or a month (index 1–12)."""

    year: int
    start_month: int
    kind: str  # "quarter" | "month"
    index: int

    @classmethod
    def quarter(cls, year: int, n: int) -> "Period":
        return cls(year, 3 * n - 2, "quarter", n)

    @classmethod
    def month(cls, year: int, n: int) -> "Period":
        return cls(year, n, "month", n)

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(range(self.start_month, self.start_month + (3 if self.kind == "quarter" else 1)))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.start_month, 1)

    @property
    def end(self) -> dt.date:
        last = self.months[-1]
        nxt = dt.date(self.year + (last == 12), last % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def key(self) -> str:
        """'2027-Q1' or '2027-03': sorts and groups in tables."""
        return f"{self.year}-Q{self.index}" if self.kind == "quarter" else f"{self.year}-{self.index:02d}"

    @classmethod
    def from_key(cls, key: str) -> "Period":
        year, part = key.split("-")
        return cls.quarter(int(year), int(part[1:])) if part.startswith("Q") else cls.month(int(year), int(part))

    def label(self, labels: Labels) -> str:
        """'T1 2027' / 'Q1 2027', 'mars 2027' / 'March 2027'."""
        if self.kind == "quarter":
            return labels("kpi.period.quarter", n=self.index, year=self.year)
        return format_date(self.start, format="LLLL y", locale=labels.locale)


def parse_period(text, plan_year: int) -> Period:
    """'T1'..'T4', 'Q1'..'Q4', 'mars', 'sept.', 'March', 'Aug', '2027-03',
    '03/2027' (a year may follow a quarter or a month name: 'T2 2027');
    an Excel date cell gives its month. Without a year: the plan year."""
    if isinstance(text, dt.datetime):
        text = text.date()
    if isinstance(text, dt.date):
        return Period.month(text.year, text.month)
    folded = fold(text).replace("’", "'") if isinstance(text, str) else ""
    m = _QUARTER_RE.match(folded)
    if m:
        return Period.quarter(int(m.group(2) or plan_year), int(m.group(1)))
    m = _MONTH_NAME_RE.match(folded)
    if m and m.group(1) in MONTHS:
        return Period.month(int(m.group(2) or plan_year), MONTHS[m.group(1)])
    for pattern, (y, mo) in ((_ISO_RE, (1, 2)), (_SLASH_RE, (2, 1))):
        m = pattern.match(folded)
        if m and 1 <= int(m.group(mo)) <= 12:
            return Period.month(int(m.group(y)), int(m.group(mo)))
    raise ValueError(f"expected {PERIOD_FORMS}, got {text!r}")


# --- reporting calendar --------------------------------------------------------------

def last_working_day(year: int, month: int) -> dt.date:
    """Last Monday–Friday of the month (public holidays not taken into account)."""
    day = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def review_months(frequency: str) -> tuple[int, ...]:
    if frequency in ("weekly", "monthly"):
        return tuple(range(1, 13))
    if frequency == "quarterly":
        return QUARTER_END_MONTHS
    if frequency == "yearly":
        return (12,)
    raise ValueError(f"expected a frequency among {', '.join(FREQUENCIES)}, got {frequency!r}")


def reporting_calendar(kpis: pd.DataFrame, plan_year: int, lang: str = "fr") -> pd.DataFrame:
    """One row per month and KPI reviewed that month, with the review date
    (last working day, Monday–Friday, no holiday calendar); weekly KPIs appear
    every month with ``weekly`` True (followed each week, summed up monthly)."""
    L = Labels(lang)
    rows = []
    for month in range(1, 13):
        review = last_working_day(plan_year, month)
        for order, k in enumerate(kpis.to_dict("records")):
            if month not in review_months(k["frequency"]):
                continue
            rows.append({
                "month": month,
                "month_name": format_date(dt.date(plan_year, month, 1), format="LLLL", locale=L.locale),
                "review_date": review, "review_label": L.date(review), "kpi": k["name"], "code": k["code"],
                "frequency": k["frequency"], "frequency_label": L(f"kpi.frequency.{k['frequency']}"),
                "weekly": k["frequency"] == "weekly", "_order": order,
            })
    out = pd.DataFrame(rows, columns=["month", "month_name", "review_date", "review_label", "kpi", "code",
                                      "frequency", "frequency_label", "weekly", "_order"])
    out = out.sort_values(["month", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    out.attrs["plan_year"] = plan_year
    return out
