"""The KPI table of the relationship plan, the KPIs each action and objective
refers to, and the dashboard of targets vs actuals.

Seed 001 ties a KPI to every action; seed 002 asks for targets vs actuals
reported monthly or quarterly. This module turns the workshop ``kpis`` sheet
(prefilled from the catalogue, ``relkit.topics.kpi_catalogue``) into the KPI
table, finds which KPI each action and objective refers to and compares actuals
with targets (periods and reviews: ``relkit.topics.kpi_calendar``).

Rules stated in the report as well:
- attainment = actual ÷ target when higher is better, target ÷ actual when
  lower is better (a cost of 40 € against a 30 € target is 75 %);
- status: on track from 100 %, watch from 80 %, off track below, no target
  when the KPI has none (thresholds can be changed).
"""
from __future__ import annotations

import math
import numbers
import re

import pandas as pd
from rapidfuzz import fuzz

from relkit.io.labels import Labels
from relkit.io.parsing import fold, is_blank, parse_amount, parse_percent
from relkit.topics.kpi_calendar import parse_period
from relkit.topics.kpi_catalogue import (CATALOGUE, DEFAULT_DIRECTION, DEFAULT_FREQUENCY, DIRECTIONS, FREQUENCIES,
                                         UNITS, kpi_code, name_key)

STATUSES = ("on_track", "watch", "off_track", "no_target")
THRESHOLDS = (1.0, 0.8)  # attainment from which a KPI is on track, and watched (below: off track)
MATCH_THRESHOLD = 90  # rapidfuzz token_set_ratio, on folded names

KPI_COLUMNS = ["row", "kpi", "code", "name", "definition", "formula", "unit", "frequency", "direction", "target",
               "objective"]


class KpiRowError(ValueError):
    """A bad row of a sheet; ``row`` (the Excel row, when known) lets the
    caller add sheet and row to the one-line message."""

    def __init__(self, message: str, row=None):
        super().__init__(message)
        self.row = row


# --- KPI table ---------------------------------------------------------------------

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


def _catalogue_text(texts: dict, value: str) -> bool:
    """Is ``value`` one of the catalogue's texts (any language), as prefilled?"""
    return any(name_key(value) == name_key(t) for t in texts.values() if t)


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
            value = str(value).strip()
            # the catalogue's own words prefilled in another language: shown in the report's language
            return getattr(base, field)[lang] if base and _catalogue_text(getattr(base, field), value) else value
        return getattr(base, field)[lang] if base else None

    name = base.name[lang] if base and (name_key(text) == name_key(code) or _catalogue_text(base.name, text)) else text
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
        ident = r["code"] or name_key(r["kpi"])
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
        out.extend((i, name_key(t)) for t in texts if not is_blank(t))
    return out


def _match(text: str, candidates: list[tuple[int, str]]) -> tuple[int | None, float]:
    """Index of the KPI-table row a name refers to and its score: the best
    token_set_ratio ≥ MATCH_THRESHOLD; ties (one name contained in several
    KPI names) go to the closest spelling."""
    key = name_key(text)
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
              thresholds: tuple[float, float] = THRESHOLDS) -> pd.DataFrame:
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


def status_counts(dash: pd.DataFrame) -> dict[str, int]:
    """How many rows of the dashboard have each status."""
    return {s: int((dash["status"] == s).sum()) for s in STATUSES}
