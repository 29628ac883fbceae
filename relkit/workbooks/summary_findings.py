"""The executive summary's findings: each one a figure, what it means for the
client and a recommendation, chosen from the figures the workbooks recorded
(``figures/<workbook>.json``) by rules that hold for any client.

A rule that lacks its figures gives nothing (a client with only a contact file,
a B2B client or a tiny file still gets the findings its figures support). The
findings are ranked by explicit rules:

1. by tier, the storyline's order: ``objective`` (can the plan reach the
   target?), ``blocker`` (what stops the plan or the analysis: GDPR points, a
   customer that costs more than it brings, no purchase history, a tiny file),
   ``lever`` (customers the plan can win revenue from: dormant, new, a seasonal
   peak of last purchases, the few who make the revenue), ``hygiene`` (execution: file quality, pressure, data to
   collect, journey irritants);
2. within a tier, by severity (0 to 1, each rule says how it is measured);
3. on a tie, in ``RULES`` order.

At most ``MAX_FINDINGS`` are kept. Shares of buyers are read from MIN_BUYERS buyers
on, groups from MIN_COUNT customers on. The objective is told as the consistency
checks tell it (``relkit.topics.reconcile``): the same base, basis and tolerance.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from relkit.io.labels import Labels
from relkit.topics.reconcile import TARGET_TOLERANCE, on_basis

TIERS = ("objective", "blocker", "lever", "hygiene")
MAX_FINDINGS = 5
MIN_COUNT = 10  # fewer customers than this in a group is an anecdote, not a finding
MIN_BUYERS = 30  # shares of buyers are read from this many buyers on
SMALL_FILE = 200  # a file under this many contacts cannot be segmented reliably

# Where each figure is recorded: (workbook, key).
TARGET = ("01_diagnostic", "revenue_target")
STATED_LAST_YEAR = ("01_diagnostic", "revenue_last_year")
CALENDAR_YEAR = ("02_fichier_clients", "revenue_calendar_year")  # the file's last full calendar year
CALENDAR_YEAR_NUMBER = ("02_fichier_clients", "revenue_year")
LAST_12_MONTHS = ("02_fichier_clients", "revenue_last_12m")
BASE_FORECASTS = (("02_fichier_clients", "revenue_forecast_12m"), ("02_fichier_clients", "clv_12m_total"))
AMOUNT_BASIS = ("02_fichier_clients", "amount_basis")  # HT or TTC, as detected in the file
PLAN_EXPECTED = ("05_plan_relationnel", "plan_expected_revenue")
PLAN_BY_PROGRAMME = ("05_plan_relationnel", "plan_expected_revenue_by_programme")


class LastYear(NamedTuple):
    amount: float  # on the engagement's basis (HT/TTC)
    source: str  # "calendar" (the file's last calendar year), "12m" (its last 12 months) or "stated"
    year: int | None = None

    @property
    def measured(self) -> bool:
        return self.source != "stated"


class FigureBook:
    """Read access to the recorded figures (``{workbook: {key: {value, label, display}}}``),
    and the revenue story the consistency checks also tell (``relkit.topics.reconcile``):
    amounts of the customer file read on the engagement's basis (``basis``, HT or TTC;
    the file's own when not stated), the base, what the plan reaches and the gap."""

    def __init__(self, figures: dict[str, dict], basis: str | None = None):
        self.figures = figures or {}
        self.basis = basis

    @classmethod
    def of(cls, figures: "FigureBook | dict[str, dict]", basis: str | None = None) -> "FigureBook":
        return figures if isinstance(figures, FigureBook) else cls(figures, basis)

    def get(self, where: tuple[str, str]) -> dict | None:
        workbook, key = where
        return (self.figures.get(workbook) or {}).get(key)

    def value(self, where: tuple[str, str]):
        fig = self.get(where)
        return None if fig is None else fig.get("value")

    def number(self, where: tuple[str, str]) -> float | None:
        value = self.value(where)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    def display(self, where: tuple[str, str]) -> str | None:
        fig = self.get(where)
        return None if fig is None else fig.get("display")

    def ran(self, workbook: str) -> bool:
        return workbook in self.figures

    # -- the revenue story ---------------------------------------------------------------
    def stated_basis(self, amount: float) -> float:
        """A customer-file amount on the engagement's basis."""
        file_basis = self.value(AMOUNT_BASIS)
        return on_basis(amount, file_basis, self.basis or file_basis)

    def last_year(self) -> LastYear | None:
        """Last year's revenue as measured in the customer file (its last calendar year, else
        its last 12 months), else as stated in the engagement."""
        year = self.value(CALENDAR_YEAR_NUMBER)
        for where, source in ((CALENDAR_YEAR, "calendar"), (LAST_12_MONTHS, "12m")):
            if amount := self.number(where):
                return LastYear(self.stated_basis(amount), source, year if source == "calendar" else None)
        stated = self.number(STATED_LAST_YEAR)
        return LastYear(stated, "stated") if stated else None

    def base_forecast(self) -> float | None:
        """The customer file's predicted revenue of the next 12 months from its existing customers."""
        for where in BASE_FORECASTS:
            if (amount := self.number(where)) is not None:
                return self.stated_basis(amount)
        return None

    def contributions(self) -> list[tuple[str, float]]:
        """Each programme's expected revenue, largest first (the plan's own order on ties)."""
        raw = self.value(PLAN_BY_PROGRAMME)
        if isinstance(raw, dict):
            pairs = [(str(k), float(v)) for k, v in raw.items() if isinstance(v, (int, float)) and v]
        elif isinstance(raw, list):
            pairs = [(str(r["programme"]), float(r["revenue"])) for r in raw if r.get("revenue")]
        else:
            pairs = []
        return sorted(pairs, key=lambda p: -p[1])

    def plan_expected(self) -> float | None:
        total = self.number(PLAN_EXPECTED)
        if total is not None:
            return total
        parts = self.contributions()
        return round(sum(v for _, v in parts), 2) if parts else None  # the total was not recorded

    def base(self) -> tuple[float, str] | None:
        """What the year brings without the plan: (amount, "forecast") from the customer file's
        12-month predicted value, else (last year's stated revenue, "flat") carried over."""
        forecast = self.base_forecast()
        if forecast is not None:
            return forecast, "forecast"
        stated = self.number(STATED_LAST_YEAR)
        return (stated, "flat") if stated else None

    def covered(self) -> float | None:
        """The one definition of what the plan reaches: base + the programmes' expected revenue."""
        base, plan = self.base(), self.plan_expected()
        if base is None and plan is None:
            return None
        return round((base[0] if base else 0.0) + (plan or 0.0), 2)

    def outcome(self) -> tuple[str, float] | None:
        """("gap", missing), ("even", difference) or ("covered", surplus): the target against
        what the plan reaches; within TARGET_TOLERANCE of the target either way is "even"."""
        target, covered = self.number(TARGET), self.covered()
        if not target or covered is None:
            return None
        gap = round(target - covered, 2)
        if gap > TARGET_TOLERANCE * target:
            return "gap", gap
        if -gap > TARGET_TOLERANCE * target:
            return "covered", -gap
        return "even", abs(gap)


@dataclass(frozen=True)
class Finding:
    key: str
    tier: str
    severity: float
    figure: str
    meaning: str
    recommendation: str

    @property
    def rank(self) -> tuple[int, float]:
        return TIERS.index(self.tier), -self.severity


Rule = Callable[[FigureBook, Labels, str], "Finding | None"]


def _finding(L: Labels, key: str, tier: str, severity: float, **values) -> Finding:
    """The finding's three sentences, from ``synthesis.finding.<key>.figure/meaning/action``."""
    base = f"synthesis.finding.{key}"
    return Finding(key, tier, round(max(0.0, min(1.0, severity)), 4), L(f"{base}.figure", **values),
                   L(f"{base}.meaning", **values), L(f"{base}.action", **values))


# -- objective ----------------------------------------------------------------------------
def whole_money(L: Labels, amount: float) -> str:
    """A summary amount: whole euros, as every headline of the report prints them."""
    return L.money(round(amount), decimals=False)


def reach_text(book: FigureBook, L: Labels) -> str | None:
    """'les clients actuels (74 672 €) et les programmes (137 000 €) apportent 211 672 €'."""
    covered = book.covered()
    if covered is None:
        return None
    base, plan = book.base(), book.plan_expected()
    variant = (base[1] if base else "") + ("_plan" if plan is not None else "")
    return L(f"synthesis.reach.{variant.strip('_')}", base=whole_money(L, base[0] if base else 0),
             plan=whole_money(L, plan or 0), covered=whole_money(L, covered))


def objective(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """The target against the base (forecast, else last year carried over) plus the
    programmes' expected revenue. Severity: 0.5 + half the gap's share of the target; 0
    when the target is reached."""
    outcome, target, covered = book.outcome(), book.number(TARGET), book.covered()
    if outcome is None:
        return None
    kind, amount = outcome
    values = dict(brand=brand, target=whole_money(L, target), covered=whole_money(L, covered),
                  reach=reach_text(book, L), share=L.percent(covered / target), amount=whole_money(L, amount))
    if kind == "gap":
        return _finding(L, "target_gap", "objective", 0.5 + 0.5 * min(1.0, amount / target), **values)
    return _finding(L, f"target_{kind}", "objective", 0.0, **values)


def economics(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """A customer who costs more than they bring (LTV:CAC under 1), or a plan that loses money
    (ROI under 0). Severity 1."""
    ratio, roi = book.number(("05_plan_relationnel", "ltv_cac")), book.number(("05_plan_relationnel", "roi"))
    if ratio is not None and ratio < 1:
        return _finding(L, "ltv_cac", "blocker", 1.0, ratio=book.display(("05_plan_relationnel", "ltv_cac")))
    if roi is not None and roi < 0:
        return _finding(L, "roi", "blocker", 1.0, roi=book.display(("05_plan_relationnel", "roi")))
    return None


def no_history(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """Contacts without any purchase history. Severity 1."""
    customers = book.display(("02_fichier_clients", "customers"))
    if customers is None or book.get(("02_fichier_clients", "buyers")) is not None:
        return None
    return _finding(L, "no_history", "blocker", 1.0, customers=customers)


def gdpr(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """GDPR points open in the collection plan. Severity: points / 5, up to 1."""
    n = book.number(("04_plan_collecte", "gdpr_flags"))
    if not n:
        return None
    return _finding(L, "gdpr", "blocker", n / 5, n=book.display(("04_plan_collecte", "gdpr_flags")),
                    brand=brand)


def small_file(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """Fewer than SMALL_FILE contacts. Severity: 1 − contacts / SMALL_FILE."""
    n = book.number(("02_fichier_clients", "customers"))
    if n is None or n >= SMALL_FILE:
        return None
    return _finding(L, "small_file", "blocker", 1 - n / SMALL_FILE,
                    customers=book.display(("02_fichier_clients", "customers")))


# -- levers ----------------------------------------------------------------------------------
def _buyers(book: FigureBook) -> float | None:
    buyers = book.number(("02_fichier_clients", "buyers"))
    return buyers if buyers and buyers >= MIN_BUYERS else None


def dormant(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """Buyers with no purchase for a year. Severity: their share of buyers, from 5 %."""
    buyers, n = _buyers(book), book.number(("02_fichier_clients", "dormant"))
    if buyers is None or n is None or n < MIN_COUNT or n / buyers < 0.05:
        return None
    return _finding(L, "dormant", "lever", n / buyers, n=book.display(("02_fichier_clients", "dormant")),
                    share=L.percent(n / buyers), brand=brand)


def new_customers(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """Recent first buyers. Severity: their share of buyers, from 5 %."""
    buyers, n = _buyers(book), book.number(("02_fichier_clients", "new"))
    if buyers is None or n is None or n < MIN_COUNT or n / buyers < 0.05:
        return None
    return _finding(L, "new_customers", "lever", n / buyers, n=book.display(("02_fichier_clients", "new")),
                    share=L.percent(n / buyers))


def _month(value) -> dt.date | None:
    """'2025-12' -> 1 December 2025; None when it is not a month."""
    try:
        return dt.date.fromisoformat(f"{value[:7]}-01") if isinstance(value, str) else None
    except ValueError:
        return None


def seasonal_peak(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """Many customers whose last purchase fell in one month (``reactivation_peak``): a ready
    target before that month comes round again. Severity: their share of buyers."""
    buyers, n = _buyers(book), book.number(("02_fichier_clients", "reactivation_peak"))
    month = _month(book.value(("02_fichier_clients", "reactivation_peak_month")))
    if buyers is None or n is None or n < MIN_COUNT or month is None:
        return None
    before = (month - dt.timedelta(days=1)).replace(day=1)
    return _finding(L, "seasonal_peak", "lever", n / buyers,
                    n=book.display(("02_fichier_clients", "reactivation_peak")),
                    month=book.display(("02_fichier_clients", "reactivation_peak_month")),
                    month_name=L.date(month, "LLLL"), previous=L.date(before, "LLLL"))


def concentration(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """At most 30 % of buyers make 80 % of revenue. Severity: (30 % − share) / 30 %, from 0.2."""
    share = book.number(("02_fichier_clients", "pareto_share"))
    if _buyers(book) is None or share is None or share > 0.3:
        return None
    return _finding(L, "concentration", "lever", max(0.2, (0.3 - share) / 0.3),
                    share=book.display(("02_fichier_clients", "pareto_share")), brand=brand)


# -- hygiene ----------------------------------------------------------------------------------
QUALITY_KEYS = ("duplicate_records", "emails_invalid", "phones_invalid", "postal_codes_invalid", "stale_records")


def data_quality(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """Duplicates, invalid addresses and stale records. Severity: 5 × their share of the file, from 2 %."""
    customers = book.number(("02_fichier_clients", "customers"))
    counts = [book.number(("02_fichier_clients", k)) or 0 for k in QUALITY_KEYS]
    total = sum(counts)
    if not customers or total < MIN_COUNT or total / customers < 0.02:
        return None
    return _finding(L, "data_quality", "hygiene", 5 * total / customers, n=L.number(total),
                    share=L.percent(total / customers))


def pressure(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """Customer-months over the pressure cap. Severity: 5 × their share of the year's
    customer-months (0.5 when the file size is unknown)."""
    over = book.number(("05_plan_relationnel", "pressure_over_cap"))
    if not over:
        return None
    customers = book.number(("02_fichier_clients", "customers"))
    severity = 5 * over / (12 * customers) if customers else 0.5
    return _finding(L, "pressure", "hygiene", severity,
                    n=book.display(("05_plan_relationnel", "pressure_over_cap")))


def collection(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """Data the programmes' targets need and the file lacks (else the collection plan's gaps).
    Severity: items / 5."""
    for where in (("05_plan_relationnel", "target_gaps"), ("04_plan_collecte", "gaps")):
        n = book.number(where)
        if n:
            return _finding(L, "collection", "hygiene", n / 5, n=book.display(where))
    return None


def journey(book: FigureBook, L: Labels, brand: str) -> Finding | None:
    """Irritants and breaking points of the customer journey. Severity: irritants / 10."""
    n = book.number(("03_parcours_client", "pain_points"))
    if not n:
        return None
    return _finding(L, "journey", "hygiene", n / 10, n=book.display(("03_parcours_client", "pain_points")))


RULES: tuple[Rule, ...] = (objective, economics, no_history, gdpr, small_file, dormant, new_customers,
                           seasonal_peak, concentration, data_quality, pressure, collection, journey)


def all_findings(figures: FigureBook | dict[str, dict], labels: Labels, brand: str) -> list[Finding]:
    """Every finding the figures support, ranked (tier, then severity, then RULES order)."""
    book = FigureBook.of(figures)
    found = [f for rule in RULES if (f := rule(book, labels, brand)) is not None]
    return sorted(found, key=lambda f: f.rank)  # stable: RULES order on ties


def select_findings(figures: FigureBook | dict[str, dict], labels: Labels, brand: str,
                    limit: int = MAX_FINDINGS) -> list[Finding]:
    return all_findings(figures, labels, brand)[:limit]
