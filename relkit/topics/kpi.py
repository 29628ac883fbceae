"""KPIs of the relationship plan: catalogue, KPI table, links, dashboard, calendar.

Seed 001 lists the near-universal KPIs of a digital marketing plan and ties a
KPI to every action; seed 002 asks for targets vs actuals reported monthly or
quarterly. This module turns the workshop ``kpis`` sheet (prefilled from
``templates/plan/kpis.yaml``) into the KPI table, finds which KPI each action
and objective refers to, compares actuals with targets and plans the reviews.

Rules stated in the report as well:
- attainment = actual ÷ target when higher is better, target ÷ actual when
  lower is better (a cost of 40 € against a 30 € target is 75 %);
- status: on track from 100 %, watch from 80 %, off track below, no target
  when the KPI has none (thresholds can be changed);
- reviews fall on the last working day of the month (Monday to Friday; public
  holidays are not taken into account): monthly KPIs every month, quarterly
  KPIs in March, June, September and December, yearly KPIs in December;
  weekly KPIs are followed every week and summed up at each monthly review.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import re
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from babel.dates import format_date
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, _wrap, use_house_style
from relkit.io.labels import Labels
from relkit.io.parsing import MONTHS, fold, is_blank, parse_amount, parse_percent
from relkit.io.resources import TEMPLATES_DIR, load_yaml

CATALOGUE_PATH = TEMPLATES_DIR / "plan" / "kpis.yaml"

UNITS = ("eur", "percent", "count", "days", "minutes", "rank", "score", "ratio")
FREQUENCIES = ("weekly", "monthly", "quarterly", "yearly")
DIRECTIONS = ("higher", "lower")
STATUSES = ("on_track", "watch", "off_track", "no_target")
MATCH_THRESHOLD = 90  # rapidfuzz token_set_ratio, on folded names
QUARTER_END_MONTHS = (3, 6, 9, 12)
DEFAULT_FREQUENCY = "monthly"  # seed 002: "rapports de performance mensuels"
DEFAULT_DIRECTION = "higher"

STATUS_COLOURS = {
    "on_track": PALETTE["strength"],
    "watch": PALETTE["threat"],
    "off_track": PALETTE["weakness"],
    "no_target": PALETTE["muted"],
}

KPI_COLUMNS = ["row", "kpi", "code", "name", "definition", "formula", "unit", "frequency", "direction", "target",
               "objective"]


@dataclass(frozen=True)
class KpiDef:
    """One catalogue KPI; texts keyed by language."""

    code: str
    name: dict
    definition: dict
    formula: dict
    unit: str
    frequency: str
    direction: str
    aliases: tuple[str, ...] = ()


class KpiRowError(ValueError):
    """A bad row of a sheet; ``row`` (the Excel row, when known) lets the
    caller add sheet and row to the one-line message."""

    def __init__(self, message: str, row=None):
        super().__init__(message)
        self.row = row


def _load_catalogue() -> dict[str, KpiDef]:
    out: dict[str, KpiDef] = {}
    for item in load_yaml(CATALOGUE_PATH)["kpis"]:
        kpi = KpiDef(
            code=item["code"], name=item["name"], definition=item["definition"], formula=item["formula"],
            unit=item["unit"], frequency=item["frequency"], direction=item["direction"],
            aliases=tuple(item.get("aliases", ())),
        )
        if kpi.code in out:
            raise ValueError(f"KPI code {kpi.code!r} is defined twice in {CATALOGUE_PATH}")
        out[kpi.code] = kpi
    return out


CATALOGUE: dict[str, KpiDef] = _load_catalogue()


# --- names -------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """Matching key: folded, punctuation as spaces, trailing plural s/x dropped
    ('Coût d'acquisition' = 'cout d acquisition', 'clics' = 'clic')."""
    words = default_process(fold(str(text).translate(_APOSTROPHES))).split()
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words)


@functools.cache
def _exact_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, kpi in CATALOGUE.items():
        for text in (code, kpi.name["fr"], kpi.name["en"], *kpi.aliases):
            index.setdefault(_key(text), code)
    return index


def kpi_code(name) -> str | None:
    """The catalogue code of a KPI written as its code, its fr/en name or a
    known alias ('CAC', 'NPS'); accents, case and plurals do not matter.
    None for a custom KPI."""
    if is_blank(name):
        return None
    return _exact_index().get(_key(name))


def _units(labels: Labels) -> list[str]:
    return [labels(f"kpi.unit.{u}") for u in UNITS]


def _choice(value, codes: tuple[str, ...], prefix: str, what: str, kpi: str, row, lang: str) -> str | None:
    """A choice cell arrives as a code; a label typed by hand is accepted too."""
    if is_blank(value):
        return None
    key = fold(value)
    for code in codes:
        if key == code or any(key == fold(Labels(lg)(f"{prefix}.{code}")) for lg in ("fr", "en")):
            return code
    L = Labels(lang)
    raise KpiRowError(f"KPI '{kpi}' has an unknown {what} {value!r}: expected one of "
                      f"{', '.join(L(f'{prefix}.{c}') for c in codes)}", row)


# --- catalogue and KPI table ---------------------------------------------------

def catalogue_rows(lang: str = "fr") -> list[dict]:
    """Rows prefilling the workshop ``kpis`` sheet (choice cells as codes); the
    target is left for the workshop."""
    Labels(lang)  # checks the language
    return [
        {"kpi": k.name[lang], "definition": k.definition[lang], "formula": k.formula[lang], "unit": k.unit,
         "frequency": k.frequency, "direction": k.direction, "target": None}
        for k in CATALOGUE.values()
    ]


_UNIT_WORDS = re.compile(r"\b(minutes?|min|jours?|days?|j|points?|pts?)\b\.?", re.IGNORECASE)


def _value(value, unit: str, what: str, kpi: str, row):
    """A target or an actual: numbers as they are (percent units as ratios,
    so a ROI of 150 % is 1.5); text such as '25 %', '1 250 €' or '3 jours' parsed."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise KpiRowError(f"KPI '{kpi}': expected a number as {what}, got {value!r}", row)
    if isinstance(value, numbers.Real):
        return float(value)
    text = str(value)
    try:
        if "%" in text or unit == "percent":  # repo convention: '35' typed in a % cell is 35 %
            return parse_percent(text)
        return parse_amount(_UNIT_WORDS.sub("", text))
    except ValueError:
        example = "'25 %' or 0.25" if unit == "percent" else "'1 250' or '30 €'"
        raise KpiRowError(f"KPI '{kpi}': expected a number such as {example} as {what}, got {value!r}",
                          row) from None


def kpi_from_row(record: dict, lang: str = "fr") -> dict:
    """One KPI of the sheet merged with its catalogue defaults (the row wins).
    A custom KPI must give its unit; its frequency defaults to monthly and its
    direction to higher-is-better."""
    L = Labels(lang)
    row = record.get("row")
    text = record.get("kpi")
    if is_blank(text):
        raise KpiRowError("a KPI row has no KPI name: expected a catalogue KPI or a custom name", row)
    text = str(text).strip()
    code = kpi_code(text)
    base = CATALOGUE.get(code)
    unit = _choice(record.get("unit"), UNITS, "kpi.unit", "unit", text, row, lang) or (base and base.unit)
    if not unit:
        raise KpiRowError(f"KPI '{text}' has no unit: expected one of {', '.join(_units(L))}", row)
    frequency = (_choice(record.get("frequency"), FREQUENCIES, "kpi.frequency", "frequency", text, row, lang)
                 or (base.frequency if base else DEFAULT_FREQUENCY))
    direction = (_choice(record.get("direction"), DIRECTIONS, "kpi.direction", "direction", text, row, lang)
                 or (base.direction if base else DEFAULT_DIRECTION))

    def text_or_default(field: str):
        value = record.get(field)
        if not is_blank(value):
            return str(value).strip()
        return getattr(base, field)[lang] if base else None

    name = base.name[lang] if base and _key(text) == _key(code) else text
    objective = record.get("objective")
    return {
        "row": row, "kpi": text, "code": code, "name": name,
        "definition": text_or_default("definition"), "formula": text_or_default("formula"),
        "unit": unit, "frequency": frequency, "direction": direction,
        "target": _value(record.get("target"), unit, "target", text, row),
        "objective": None if is_blank(objective) else str(objective).strip(),
    }


def kpis_from_sheet(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The KPI table: each sheet row merged with its catalogue defaults (row
    wins). Raises KpiRowError (a ValueError carrying ``row``) on the first bad
    row or on a KPI listed twice."""
    records = [kpi_from_row(r, lang) for r in frame.to_dict("records")]
    seen: dict[str, str] = {}
    for r in records:
        ident = r["code"] or _key(r["kpi"])
        if ident in seen:
            raise KpiRowError(f"KPI '{r['kpi']}' is listed twice (also as '{seen[ident]}')", r["row"])
        seen[ident] = r["kpi"]
    return pd.DataFrame(records, columns=KPI_COLUMNS)


# --- matching names against the KPI table ------------------------------------------

def _candidates(kpis: pd.DataFrame) -> list[tuple[int, str]]:
    out = []
    for i, r in enumerate(kpis.to_dict("records")):
        texts = {r["kpi"], r["name"]}
        if r.get("code") and r["code"] in CATALOGUE:
            k = CATALOGUE[r["code"]]
            texts |= {k.code, k.name["fr"], k.name["en"], *k.aliases}
        out.extend((i, _key(t)) for t in texts if not is_blank(t))
    return out


def _match(text: str, candidates: list[tuple[int, str]]) -> tuple[int | None, float]:
    """Index of the KPI-table row a name refers to and its score: the best
    token_set_ratio ≥ MATCH_THRESHOLD; ties (one name contained in several
    KPI names) go to the closest spelling."""
    key = _key(text)
    if not key:
        return None, 0.0
    best, best_rank = None, (-1.0, -1.0)
    for i, cand in candidates:
        rank = (100.0, 100.0) if cand == key else (fuzz.token_set_ratio(key, cand), fuzz.ratio(key, cand))
        if rank > best_rank:
            best, best_rank = i, rank
    if best_rank[0] < MATCH_THRESHOLD:
        return None, best_rank[0]
    return best, best_rank[0]


def split_kpis(text) -> list[str]:
    """'Taux d'ouverture + taux de clic' -> ['Taux d'ouverture', 'taux de clic']."""
    if is_blank(text):
        return []
    return [p.strip() for p in str(text).split("+") if p.strip()]


def link_kpis(kpis: pd.DataFrame, actions_frame: pd.DataFrame | None,
              objectives_frame: pd.DataFrame | None) -> pd.DataFrame:
    """One row per KPI named by an action or an objective: the KPI-table row
    it refers to (fold + token_set_ratio ≥ 90), or ``matched`` False when the
    KPI is not in the KPI table (listed, not an error)."""
    candidates = _candidates(kpis)
    names = kpis["name"].tolist()
    codes = kpis["code"].tolist()
    rows = []
    for source, frame, item_col in (("action", actions_frame, "action"), ("objective", objectives_frame, "objective")):
        if frame is None or len(frame) == 0:
            continue
        for r in frame.to_dict("records"):
            for part in split_kpis(r.get("kpi")):
                i, score = _match(part, candidates)
                rows.append({
                    "source": source, "row": r.get("row"), "item": r.get(item_col), "kpi_text": part,
                    "kpi": names[i] if i is not None else None,
                    "code": codes[i] if i is not None else None,
                    "score": round(score, 1), "matched": i is not None,
                })
    return pd.DataFrame(rows, columns=["source", "row", "item", "kpi_text", "kpi", "code", "score", "matched"])


def unmatched_text(links: pd.DataFrame, labels: Labels) -> list[str]:
    """'« Financement » (Vidéo de présentation) : KPI absent du tableau des KPI'."""
    out = []
    for r in links[~links["matched"].astype(bool)].to_dict("records"):
        out.append(labels("kpi.link.unmatched", kpi=r["kpi_text"], item=r["item"]))
    return out


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


# --- dashboard -------------------------------------------------------------------

DASHBOARD_COLUMNS = ["kpi", "code", "unit", "direction", "frequency", "period", "period_start", "target", "actual",
                     "attainment", "status", "row"]


def attainment(target: float | None, actual: float, direction: str) -> float | None:
    """actual ÷ target (higher is better) or target ÷ actual (lower is better);
    None when there is no target or the ratio is undefined (zero)."""
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return None
    num, den = (actual, target) if direction == "higher" else (target, actual)
    if den == 0:
        return None
    return round(num / den, 9)


def _status(target, actual: float, ratio: float | None, direction: str, thresholds) -> str:
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return "no_target"
    if ratio is None:  # zero target or zero actual: compare the values themselves
        met = actual >= target if direction == "higher" else actual <= target
        return "on_track" if met else "off_track"
    on, watch = thresholds
    return "on_track" if ratio >= on else "watch" if ratio >= watch else "off_track"


def dashboard(kpis: pd.DataFrame, actuals: pd.DataFrame | None, plan_year: int,
              thresholds: tuple[float, float] = (1.0, 0.8)) -> pd.DataFrame:
    """Targets vs actuals, one row per KPI and period of the ``actuals`` sheet,
    in KPI-table order then by period. An actual naming a KPI that is not in
    the KPI table, a bad period or two actuals for the same KPI and period
    raise KpiRowError (a ValueError carrying ``row``)."""
    on, watch = thresholds
    if not 0 < watch <= on:
        raise ValueError(f"expected thresholds (on track, watch) with 0 < watch ≤ on track, got {thresholds!r}")
    candidates = _candidates(kpis)
    table = kpis.to_dict("records")
    rows, seen = [], {}
    for r in ([] if actuals is None else actuals.to_dict("records")):
        row = r.get("row")
        text = r.get("kpi")
        if is_blank(text):
            raise KpiRowError("an actual has no KPI: expected a KPI of the KPI table", row)
        i, _ = _match(str(text), candidates)
        if i is None:
            known = ", ".join(str(k["name"]) for k in table)
            raise KpiRowError(f"KPI '{text}' is not in the KPI table: expected one of {known}", row)
        k = table[i]
        try:
            period = parse_period(r.get("period"), plan_year)
        except ValueError as exc:
            raise KpiRowError(f"KPI '{text}': {exc}", row) from None
        if (i, period) in seen:
            raise KpiRowError(f"KPI '{text}' has two actuals for {period.key} (rows {seen[(i, period)]} and {row})",
                              row)
        seen[(i, period)] = row
        actual = _value(r.get("actual"), k["unit"], "actual", str(text), row)
        if actual is None:
            raise KpiRowError(f"KPI '{text}' has no actual for {period.key}: expected a number", row)
        target = None if is_blank(k["target"]) else float(k["target"])
        ratio = attainment(target, actual, k["direction"])
        rows.append({
            "kpi": k["name"], "code": k["code"], "unit": k["unit"], "direction": k["direction"],
            "frequency": k["frequency"], "period": period.key, "period_start": period.start,
            "target": target, "actual": actual, "attainment": ratio,
            "status": _status(target, actual, ratio, k["direction"], thresholds), "row": row,
            "_order": (i, period),
        })
    rows.sort(key=lambda x: x["_order"])
    out = pd.DataFrame([{c: x[c] for c in DASHBOARD_COLUMNS} for x in rows], columns=DASHBOARD_COLUMNS)
    for col in ("target", "actual", "attainment"):
        out[col] = out[col].astype(float)
    out.attrs["thresholds"] = tuple(thresholds)
    return out


def latest(dash: pd.DataFrame) -> pd.DataFrame:
    """The last measured period of each KPI (what the chart shows)."""
    if dash.empty:
        return dash
    idx = dash.groupby("kpi", sort=False)["period_start"].idxmax()
    return dash.loc[sorted(idx)]


# --- number display ------------------------------------------------------------------

def format_value(value, unit: str, labels: Labels) -> str:
    """A KPI value in its unit: '1 250 €', '25 %', '3 jours', 'position 4'…;
    '–' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)

    def num(v: float, max_digits: int = 1) -> str:
        digits = 0 if float(v).is_integer() else max_digits
        return labels.number(round(v, digits), digits)

    if unit == "eur":
        whole = value.is_integer() or abs(value) >= 100
        return labels.money(round(value) if whole else value, decimals=None if whole else True)
    if unit == "percent":
        points = round(value * 100, 1)
        return labels.percent(value, 0 if points.is_integer() else 1)
    if unit == "days":
        return labels("kpi.value.days", value=num(value))
    if unit == "minutes":
        return labels("kpi.value.minutes", value=num(value))
    if unit == "rank":
        return labels("kpi.value.rank", value=num(value))
    if unit == "ratio":
        return num(value, 2)
    return num(value)  # count, score


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


def calendar_text(calendar: pd.DataFrame, labels: Labels) -> list[str]:
    """The reporting calendar in a few sentences: the rule, what is reviewed
    every month, at quarter end and at year end, and the review dates."""
    lines = [labels("kpi.calendar.rule")]
    if calendar.empty:
        return lines + [labels("kpi.calendar.empty")]

    def names(freq: str) -> list[str]:
        part = calendar[calendar["frequency"] == freq]
        return list(dict.fromkeys(part["kpi"]))

    monthly, weekly = names("monthly"), names("weekly")
    if monthly or weekly:
        text = labels("kpi.calendar.monthly", kpis=labels.join(monthly) if monthly else "–")
        if weekly:
            text += " " + labels("kpi.calendar.weekly", kpis=labels.join(weekly))
        lines.append(text)
    quarterly = names("quarterly")
    if quarterly:
        months = [format_date(dt.date(2000, m, 1), format="LLLL", locale=labels.locale) for m in QUARTER_END_MONTHS]
        lines.append(labels("kpi.calendar.quarterly", months=labels.join(months), kpis=labels.join(quarterly)))
    yearly = names("yearly")
    if yearly:
        lines.append(labels("kpi.calendar.yearly", kpis=labels.join(yearly)))
    dates = list(dict.fromkeys(calendar["review_date"]))
    lines.append(labels("kpi.calendar.dates",
                        dates=labels.join([format_date(d, format="d MMMM", locale=labels.locale) for d in dates])))
    return lines


# --- chart and text ------------------------------------------------------------------

_CAP = 1.5  # bars longer than 150 % are drawn to 150 % (the figure says the real value)


def _counts(dash: pd.DataFrame) -> dict[str, int]:
    return {s: int((dash["status"] == s).sum()) for s in STATUSES}


def dashboard_chart(dash: pd.DataFrame, labels: Labels, latest_only: bool = True) -> Figure:
    """Attainment per KPI (last measured period by default) as horizontal bars
    coloured by status, with the 100 % target line; the figure at the end of
    each bar reads 'attainment (actual / target)'."""
    use_house_style()
    data = latest(dash) if latest_only else dash
    counts = _counts(data)
    entries = []
    for r in data.to_dict("records"):
        name_lines = _wrap(str(r["kpi"]), 30)
        period = Period.from_key(r["period"]).label(labels)
        entries.append((name_lines + [period], r))
    heights = [0.17 * len(lines) + 0.16 for lines, _ in entries] or [0.4]
    title = labels("kpi.chart.title")
    takeaway = _wrap(labels("kpi.chart.takeaway", n=len(data), on_track=counts["on_track"], watch=counts["watch"],
                            off_track=counts["off_track"], no_target=counts["no_target"]), 105)
    top = 0.35 + 0.16 * len(takeaway) + 0.25
    bottom = 0.75
    height = top + sum(heights) + bottom
    fig = plt.figure(figsize=(PAGE_WIDTH_IN, height))
    left_in, right_in = 2.05, 1.95  # KPI names | bars | figures
    ax = fig.add_axes((left_in / PAGE_WIDTH_IN, bottom / height,
                       (PAGE_WIDTH_IN - left_in - right_in) / PAGE_WIDTH_IN, sum(heights) / height))
    fig.text(0.0, 1 - 0.08 / height, title, fontsize=11, fontweight="bold", color=PALETTE["ink"], va="top")
    fig.text(0.0, 1 - 0.33 / height, "\n".join(takeaway), fontsize=8.5, color=PALETTE["muted"], va="top")

    y_centres, y = [], 0.0
    for h in heights:
        y_centres.append(y + h / 2)
        y += h
    ax.set_ylim(sum(heights), 0)
    ax.set_xlim(0, _CAP * 100 + 5)
    for (lines, r), yc, h in zip(entries, y_centres, heights):
        colour = STATUS_COLOURS[r["status"]]
        ratio = r["attainment"]
        shown = None if ratio is None or math.isnan(ratio) else max(min(ratio, _CAP), 0) * 100
        if shown:
            ax.barh(yc, shown, height=min(0.24, h * 0.7), color=colour, zorder=2)
        if r["status"] == "no_target":
            text = labels("kpi.chart.no_target", actual=format_value(r["actual"], r["unit"], labels))
        else:
            text = labels("kpi.chart.value",
                          attainment=labels.percent(ratio) if shown is not None else "–",
                          actual=format_value(r["actual"], r["unit"], labels),
                          target=format_value(r["target"], r["unit"], labels))
        ax.text(1.03, yc, "\n".join(_wrap(text, 34)), transform=ax.get_yaxis_transform(), va="center", fontsize=7,
                color=colour if r["status"] != "no_target" else PALETTE["muted"], fontweight="bold",
                linespacing=1.1)
    ax.set_yticks(y_centres, ["\n".join(lines) for lines, _ in entries], fontsize=7.5)
    for tick in ax.get_yticklabels():
        tick.set_linespacing(1.1)
    ax.axvline(100, color=PALETTE["ink"], linewidth=1, linestyle="--", zorder=3)
    ax.text(100, 1.01, labels("kpi.chart.target_line"), transform=ax.get_xaxis_transform(), ha="center",
            va="bottom", fontsize=7, color=PALETTE["ink"])
    ticks = [0, 50, 80, 100, 150]
    ax.set_xticks(ticks, [labels.percent(t / 100) for t in ticks], fontsize=7)
    ax.grid(axis="x", color="#E5E7EB", linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    present = [s for s in STATUSES if counts[s]]
    handles = [Patch(color=STATUS_COLOURS[s], label=labels(f"kpi.status.{s}")) for s in present]
    if handles:
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(left_in / PAGE_WIDTH_IN, 0.02 / height),
                   ncol=len(handles), frameon=False, fontsize=7.5)
    return fig


def status_text(dash: pd.DataFrame, labels: Labels, latest_only: bool = True) -> list[str]:
    """The dashboard in sentences: the counts, then each KPI that is not on
    track (worst first), the KPIs without target, and the rule applied."""
    data = latest(dash) if latest_only else dash
    if data.empty:
        return [labels("kpi.status_text.empty")]
    counts = _counts(data)
    lines = [labels("kpi.status_text.summary", n=len(data), on_track=counts["on_track"], watch=counts["watch"],
                    off_track=counts["off_track"])]
    late = data[data["status"].isin(["off_track", "watch"])].copy()
    late["_rank"] = late["attainment"].fillna(-1.0)
    for r in late.sort_values("_rank", kind="stable").to_dict("records"):
        lines.append(labels(
            "kpi.status_text.item", kpi=r["kpi"], period=Period.from_key(r["period"]).label(labels),
            actual=format_value(r["actual"], r["unit"], labels), target=format_value(r["target"], r["unit"], labels),
            attainment=labels.percent(r["attainment"]) if not pd.isna(r["attainment"]) else "–",
            status=labels(f"kpi.status.{r['status']}"),
        ))
    no_target = list(dict.fromkeys(data.loc[data["status"] == "no_target", "kpi"]))
    if no_target:
        lines.append(labels("kpi.status_text.no_target", kpis=labels.join(no_target)))
    on, watch = dash.attrs.get("thresholds", (1.0, 0.8))
    lines.append(labels("kpi.status_text.rule", on=labels.percent(on), watch=labels.percent(watch)))
    return lines
