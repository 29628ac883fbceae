"""Workbook 02 — the personas of the workshop (sheet Personas) beside the
segments the customer file measures: the table and sentences of the section
"portraits", the persona cards of the appendix and the key figures.

The measures come from relkit.topics.personas; this module only words them.
Without a customer file (``customer_file`` None) the personas are shown alone.
"""
from __future__ import annotations

import pandas as pd

from relkit.io.labels import Labels
from relkit.topics import personas as topic

CARD_COLUMNS = 3  # personas side by side in one card table of the appendix
CARD_FIELDS = ("age", "situation", "goals", "frustrations", "channels", "triggers", "objections", "segment")


class PersonasSection:
    """The personas of one engagement, measured against its customer file when there is one."""

    def __init__(self, frame: pd.DataFrame | None, labels: Labels, customer_file=None):
        self.L = labels
        self.cf = customer_file
        self.personas = topic.personas_from_sheet(frame)
        scores = consent = None
        if customer_file is not None:
            scores = customer_file.rfm  # None without purchase history
            consent = customer_file.customers
        self.measured = customer_file is not None and scores is not None
        self.measures = topic.measure(self.personas, scores, consent)
        self.coverage = topic.coverage(self.measures)

    @property
    def declared(self) -> bool:
        return bool(self.personas)

    # -- wording helpers ----------------------------------------------------------
    def age(self, persona: topic.Persona) -> str:
        if persona.age is None:
            return ""
        low, high = persona.age
        if high is None:
            return self.L("personas.age.over", low=low)
        if high == low:
            return self.L("personas.age.exact", low=low)
        return self.L("personas.age.range", low=low, high=high)

    def who(self, persona: topic.Persona) -> str:
        age = self.age(persona)
        return self.L("personas.name_age", name=persona.name, age=age) if age else persona.name

    def segment_name(self, code: str | None) -> str:
        return self.L(f"segment.{code}") if code else self.L("personas.no_segment")

    # -- the section --------------------------------------------------------------
    def not_measured(self) -> str | None:
        """Why the personas stand alone (no file, no purchase), or None when they are measured."""
        if not self.declared or self.measured:
            return None
        key = "personas.no_file" if self.cf is None else "personas.no_history"
        return self.L(key, n=len(self.personas))

    def table(self) -> pd.DataFrame:
        """One row per persona: its segment and, with a customer file, the segment's
        size, value and contactability (a dash where there is nothing to measure)."""
        L = self.L
        out = {L("personas.col.persona"): [self.who(p) for p in self.personas],
               L("personas.col.segment"): [self.segment_name(p.segment) for p in self.personas]}
        if not self.measured:
            out[L("personas.col.channels")] = [p.channels or "" for p in self.personas]
            return pd.DataFrame(out)
        m = self.measures
        out |= {
            L("personas.col.customers"): [L.number(x.customers) if x.customers is not None else "—" for x in m],
            L("personas.col.revenue_share"): [L.percent(x.revenue_share) if x.revenue_share is not None else "—"
                                              for x in m],
            L("personas.col.revenue_per_customer"): [L.money(round(x.revenue_per_customer))
                                                     if x.revenue_per_customer is not None else "—" for x in m],
            L("personas.col.contactable"): [self._contactable(x) for x in m],
        }
        return pd.DataFrame(out)

    def _contactable(self, m: topic.SegmentMeasure) -> str:
        if m.status != topic.MEASURED:
            return "—"
        if m.contactable is None:
            return self.L("personas.unknown")
        return self.L("personas.contactable", n=self.L.number(m.contactable), share=self.L.percent(m.contactable_share))

    def text(self) -> list[str]:
        """What the table says: how many personas rest on a measured segment, and
        which have no segment behind them in the file (named plainly)."""
        L, c = self.L, self.coverage
        out = []
        if self.measured:
            backed = [m for m in self.measures if m.status == topic.MEASURED]
            segments = {m.segment: m for m in backed}  # a segment two personas share counts once
            if backed:
                out.append(L("personas.summary", n=c.personas, measured=c.measured,
                             customers=sum(m.customers for m in segments.values()),
                             revenue_share=L.percent(sum(m.revenue_share or 0.0 for m in segments.values()))))
            else:
                out.append(L("personas.summary_none_measured", n=c.personas))
        alone = [self._orphan(p, m) for p, m in zip(self.personas, self.measures)
                 if m.status in (topic.NO_SEGMENT_DECLARED, topic.EMPTY)]
        if alone:
            out.append(L("personas.without_segment", n=len(alone), names=L.join(alone)))
        if self.measured:  # the segments' sketches go to the appendix with the cards
            out.append(L("personas.cards_pointer"))
        elif any(getattr(p, f) for p in self.personas for f in topic.TEXT_FIELDS):
            out.append(L("personas.cards_pointer_alone"))
        return out

    def _orphan(self, persona: topic.Persona, m: topic.SegmentMeasure) -> str:
        if m.status == topic.EMPTY:
            return self.L("personas.empty_segment", name=persona.name, segment=self.segment_name(m.segment))
        if not persona.situation:
            return persona.name
        who = persona.situation.split(",")[0].split(";")[0].strip()
        if len(who) > 1 and who[1].islower():
            who = who[0].lower() + who[1:]
        return f"{persona.name} ({who})"

    # -- appendix -----------------------------------------------------------------
    def cards(self) -> list[pd.DataFrame]:
        """The persona cards: one table per ``CARD_COLUMNS`` personas, a row per field."""
        L = self.L
        out = []
        for start in range(0, len(self.personas), CARD_COLUMNS):
            group = self.personas[start:start + CARD_COLUMNS]
            frame = {"": [L(f"personas.field.{f}") for f in CARD_FIELDS]}
            for p in group:
                frame[p.name] = [self._field(p, f) for f in CARD_FIELDS]
            out.append(pd.DataFrame(frame))
        return out

    def _field(self, persona: topic.Persona, field: str) -> str:
        if field == "age":
            return self.age(persona)
        if field == "segment":
            return self.segment_name(persona.segment)
        return getattr(persona, field) or ""

    # -- key figures ----------------------------------------------------------------
    def figures(self) -> dict[str, tuple[object, str, str]]:
        """(value, label, shown) of the personas' key figures; the links to the file
        only when it measures them."""
        if not self.declared:
            return {}
        L, c = self.L, self.coverage
        out = {"personas": (c.personas, L("personas.kpi.count"), L.number(c.personas))}
        if self.measured:
            out["personas_measured"] = (c.measured, L("personas.kpi.measured"), L.number(c.measured))
            out["personas_without_segment"] = (c.without_segment, L("personas.kpi.without_segment"),
                                               L.number(c.without_segment))
        return out
