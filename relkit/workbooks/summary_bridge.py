"""The executive summary's bridge: from last year's revenue through the base
forecast and each programme's expected revenue to the target, the gap shown.

``bridge_data`` gives the chart one row per bar (a tidy DataFrame):

- ``step``: the bar's label, in the report's language;
- ``kind``: ``total`` (a level, drawn from 0), ``increase`` / ``decrease`` (a change,
  drawn from ``start`` to ``end``) or ``gap`` (what the plan misses of the target);
- ``start``, ``end``: where the bar begins and ends (for a total, 0 and the level);
- ``amount``: the level of a total, the signed change of the others.

The amounts are the recorded figures (``FigureBook``): last year's revenue as
measured in the customer file when it was (else as stated), the customer file's
12-month predicted value (else last year carried over), the programmes' expected
revenue, the target.
"""
from __future__ import annotations

import pandas as pd

from relkit.io.labels import Labels
from relkit.workbooks.summary_findings import TARGET, FigureBook, LastYear, reach_text, whole_money

MAX_PROGRAMME_BARS = 4  # beyond, the smallest contributions share one bar
COLUMNS = ["step", "kind", "start", "end", "amount"]


def _total(step: str, level: float) -> dict:
    return {"step": step, "kind": "total", "start": 0.0, "end": level, "amount": level}


def _change(step: str, start: float, end: float, kind: str | None = None) -> dict:
    return {"step": step, "kind": kind or ("increase" if end >= start else "decrease"), "start": start, "end": end,
            "amount": round(end - start, 2)}


def bridge_data(figures: FigureBook | dict[str, dict], labels: Labels, plan_year: int) -> pd.DataFrame:
    """The bars of the bridge, in order; empty when neither a base nor a plan is recorded,
    or when there is no target. Without a forecast, the bridge starts from last year's
    stated revenue, carried over (the base the consistency checks use)."""
    L, book = labels, FigureBook.of(figures)
    target, base, outcome = book.number(TARGET), book.base(), book.outcome()
    if outcome is None:
        return pd.DataFrame(columns=COLUMNS)
    last = book.last_year() if base is not None and base[1] == "forecast" else LastYear(base[0], "stated") \
        if base is not None else None
    rows, level = [], 0.0
    if last is not None:
        level = round(last.amount, 2)
        rows.append(_total(L(f"synthesis.bridge.last_year_{last.source}", year=last.year), level))
    if base is not None and base[1] == "forecast":
        if rows:
            rows.append(_change(L("synthesis.bridge.change"), level, round(base[0], 2)))
        level = round(base[0], 2)
        rows.append(_total(L("synthesis.bridge.base"), level))
    parts = book.contributions()
    expected = book.plan_expected()
    if parts:
        shown, rest = parts[:MAX_PROGRAMME_BARS], parts[MAX_PROGRAMME_BARS:]
        if len(rest) == 1:
            shown, rest = parts, []
        for name, amount in shown:
            rows.append(_change(name, level, round(level + amount, 2)))
            level = round(level + amount, 2)
        if rest:
            amount = round(sum(a for _, a in rest), 2)
            rows.append(_change(L("synthesis.bridge.others", n=len(rest)), level, round(level + amount, 2)))
            level = round(level + amount, 2)
    elif expected:
        rows.append(_change(L("synthesis.bridge.programmes"), level, round(level + expected, 2)))
        level = round(level + expected, 2)
    if expected:
        rows.append(_total(L("synthesis.bridge.plan"), level))
    if outcome[0] == "gap":
        rows.append(_change(L("synthesis.bridge.gap"), level, round(target, 2), kind="gap"))
    rows.append(_total(L("synthesis.bridge.target", year=plan_year), round(target, 2)))
    return pd.DataFrame(rows, columns=COLUMNS)


def bridge_title(labels: Labels, plan_year: int) -> str:
    return labels("synthesis.bridge.title", year=plan_year)


def bridge_takeaway(figures: FigureBook | dict[str, dict], labels: Labels) -> str | None:
    """One line computed from the bars' figures: the gap, or the margin over the target."""
    L, book = labels, FigureBook.of(figures)
    outcome = book.outcome()
    if outcome is None:
        return None
    reach = reach_text(book, L)
    return L(f"synthesis.bridge.takeaway_{outcome[0]}", reach=reach[:1].upper() + reach[1:],
             amount=whole_money(L, outcome[1]), target=whole_money(L, book.number(TARGET)))
