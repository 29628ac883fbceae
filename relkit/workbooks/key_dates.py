"""Workbook 05's key dates of the year ("temps forts", seed 003 §5): one or two
sentences under the retro-planning (what is prepared, what is missed, what falls
on a period to avoid) and the detail table for the appendix. The reading itself
is relkit.topics.key_dates; the band on the retro-planning is drawn by
relkit.views.charts.retro.retro_chart (fed by workbooks/plan_actions.py)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from relkit.io.atelier import choice_label
from relkit.io.labels import Labels
from relkit.topics import key_dates as kd
from relkit.topics.action_plan import month_abbreviations


def months_text(months, labels: Labels) -> str:
    """'juin–juil.', 'mai', 'janv., août': consecutive months as a range."""
    if not months:
        return ""
    abbr, runs = month_abbreviations(labels), []
    start = prev = months[0]
    for m in list(months[1:]) + [None]:
        if m is not None and m == prev + 1:
            prev = m
            continue
        runs.append(abbr[start - 1] if start == prev else f"{abbr[start - 1]}–{abbr[prev - 1]}")
        if m is not None:
            start = prev = m
    return ", ".join(runs)


def period_text(k: kd.KeyDate, labels: Labels, year: int | None) -> str:
    """'le 30 mai', 'du 23 juin au 20 juillet'; the year is written when it is not the plan year's."""
    def day(d: dt.date) -> str:
        return labels.date(d, "d MMMM" if d.year == year else "d MMMM y")

    if k.start == k.end:
        return labels("keydates.period.day", day=day(k.start))
    if (k.start.year, k.start.month) == (k.end.year, k.end.month):  # 'du 17 au 18 avril'
        first = labels.date(k.start, "d")
        return labels("keydates.period.range", start="1er" if first == "1" and labels.lang == "fr" else first,
                      end=day(k.end))
    return labels("keydates.period.range", start=day(k.start), end=day(k.end))


class KeyDates:
    """The key dates of an engagement read against its plan (``data``: EngagementData)."""

    def __init__(self, data, labels: Labels):
        self.L = labels
        self.year = data.engagement.plan_year
        self.dates = kd.key_dates_from_sheet(data.sheets.get("key_dates"))
        self.found = kd.plan_meetings(data.sheets, self.year, data.engagement.language)
        self.summary = kd.summary(self.found)

    @property
    def empty(self) -> bool:
        return not self.dates

    def chart_frame(self) -> pd.DataFrame | None:
        return kd.chart_frame(self.dates, self.year) if self.dates and self.year is not None else None

    def by_quarter(self) -> dict[str, list[str]]:
        """{'T1': ['Soldes d'hiver', …]}: the key dates touching each quarter of the plan year, in date order."""
        out: dict[str, list[str]] = {}
        if self.year is None:
            return out
        for k in self.dates:
            for q in dict.fromkeys(f"T{(m - 1) // 3 + 1}" for m in k.months(self.year)):
                out.setdefault(q, []).append(k.event)
        return out

    def _items(self, meeting: kd.Meeting, most: int | None = None) -> str:
        """'Pub Etsy (juin–juil.), Facebook Ads (juil.) et Google Adwords (juil.)'; past ``most``
        items, the rest are counted ('… et 3 autres')."""
        L = self.L
        shown = [L("keydates.item", name=i.name, months=months_text(meeting.shared(i), L)) for i in meeting.items]
        if most is not None and len(shown) > most + 1:
            shown = shown[:most] + [L("keydates.more", n=len(shown) - most)]
        return L.join(shown)

    def lines(self) -> list[str]:
        """The body's sentences: what is prepared (or missed), each period to avoid that the plan
        runs into, or that none is; the rule of the reading last."""
        L, s = self.L, self.summary
        if self.empty:
            return [L("keydates.empty")]
        out = []
        if s.planned:
            covered = [m.key_date.event for m in self.found if m.verdict == "for"]
            missed = [m.key_date.event for m in self.found if m.verdict == "missed"]
            if covered and missed:
                out.append(L("keydates.text.covered", covered=s.covered, planned=s.planned, names=L.join(covered)))
            elif covered:
                out.append(L("keydates.text.all_covered", n=s.covered, names=L.join(covered)))
            if missed:
                out.append(L("keydates.text.missed", names=L.join(missed)))
        for m in self.found:
            if m.verdict == "against":
                out.append(L("keydates.text.against", event=m.key_date.event,
                             period=period_text(m.key_date, L, self.year), items=self._items(m)))
        clear = [m.key_date.event for m in self.found if m.verdict == "clear"]
        if clear and not s.clashes:
            out.append(L("keydates.text.clear", n=len(clear), names=L.join(clear)))
        if not s.planned and not s.avoid:
            out.append(L("keydates.text.none_marked", n=s.key_dates))
        return out

    def rule(self) -> str:
        return self.L("keydates.rule")

    def table(self) -> pd.DataFrame:
        """The appendix: every key date, its dates, kind, stance, what the plan schedules in its months."""
        L, lang = self.L, self.L.lang
        return pd.DataFrame([{
            L("keydates.col.event"): m.key_date.event,
            L("keydates.col.dates"): period_text(m.key_date, L, self.year),
            L("keydates.col.kind"): choice_label("key_date_kind", m.key_date.kind, lang) if m.key_date.kind else "",
            L("keydates.col.stance"): choice_label("key_date_stance", m.key_date.stance, lang),
            L("keydates.col.scheduled"): self._items(m, most=4),
            L("keydates.col.verdict"): L(f"keydates.verdict.{m.verdict}"),
        } for m in self.found], columns=[L(f"keydates.col.{c}") for c in
                                          ("event", "dates", "kind", "stance", "scheduled", "verdict")])

    def figures(self) -> dict[str, tuple[object, str, str]]:
        """Recorded figures (figures.json): how many key dates, prepared, clashing."""
        L, s = self.L, self.summary
        if self.empty:
            return {}
        return {
            "key_dates": (s.key_dates, L("keydates.title"), L.number(s.key_dates)),
            "key_dates_covered": (s.covered, L("keydates.figure.covered"), f"{L.number(s.covered)} / {L.number(s.planned)}"),
            "key_dates_clashes": (s.clashes, L("keydates.figure.clashes"), L.number(s.clashes)),
        }
