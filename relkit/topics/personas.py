"""Personas (seed 002 §2, seed 003 "Créer ses personas"): the typical customers
described in the workshop, each set beside the measured segment of the customer
file it stands for.

A persona is declarative (name, age, situation, goals, frustrations, channels,
buying triggers, objections); its linked segment is one of the customer file's
RFM segments (relkit.customers.rfm.SEGMENTS), typed as its code or its French or
English name. What the file says of that segment (size, value, contactability)
is measured here, once; a persona whose segment is empty, not named, or not
measurable (no customer file) says so through its ``status``.

Pure: frames in, frozen results out; no sentence, no chart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from relkit.customers.rfm import SEGMENTS
from relkit.io.atelier import lists, sheet
from relkit.io.parsing import fold, is_blank
from relkit.io.problems import Problem

SHEET = "personas"
MAX_AGE = 120
# A cell meaning "no segment" (a target that is not in the file yet): same as an empty cell.
NO_SEGMENT = frozenset({"aucun", "aucune", "none", "no", "non", "-", "—", "n/a", "na"})

# Status of a persona's link to the customer file.
MEASURED = "measured"  # its segment has customers in the file
EMPTY = "empty"  # its segment is named, but no customer of the file is in it
NO_SEGMENT_DECLARED = "none"  # no segment named: a target the file does not hold (yet)
NOT_MEASURED = "not_measured"  # a segment is named but there is no purchase history to measure it


# ---------------------------------------------------------------- parsing cells
_AGE = re.compile(r"^(\d{1,3})(?:\s*(?:-|–|à|a|to)\s*(\d{1,3}))?\s*(\+|et ?\+|et plus|and over|or more|plus)?$")


def parse_age(value) -> tuple[int, int | None] | None:
    """'34' -> (34, 34); '30-40', '30 à 40 ans' -> (30, 40); '65+', '65 ans et plus' -> (65, None);
    blank -> None. Raises ValueError for anything else (an age over 120, a range upside down)."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value) != int(value):
            raise ValueError(f"expected an age in whole years ('34', '30-40' or '65+'), got {value!r}")
        text = str(int(value))
    else:
        text = re.sub(r"\s+", " ", str(value).strip().lower())
        text = re.sub(r"\s*(ans|an|years|year|yrs|y)\s*(?=$|et|and|\+)", " ", text).strip()
        text = re.sub(r"\s*\+$", "+", text)
    m = _AGE.match(text)
    if not m:
        raise ValueError(f"expected an age ('34', '30-40' or '65+'), got {value!r}")
    low = int(m.group(1))
    high = None if m.group(3) else int(m.group(2)) if m.group(2) else low
    if m.group(2) and m.group(3):
        raise ValueError(f"expected an age ('34', '30-40' or '65+'), got {value!r}")
    if low > MAX_AGE or (high is not None and high > MAX_AGE):
        raise ValueError(f"expected an age from 0 to {MAX_AGE}, got {value!r}")
    if high is not None and high < low:
        raise ValueError(f"expected the younger age first ('30-40'), got {value!r}")
    return low, high


def _segment_lookup() -> dict[str, str]:
    items = lists()["rfm_segment"]
    return {fold(label): item["code"] for item in items for label in (item["code"], item["fr"], item["en"])}


def segment_code(value) -> str | None:
    """The RFM segment a cell names ('Fidèles', 'loyal', 'LOYAL' -> 'loyal'); None
    for a blank cell or 'aucun'/'none'. Raises ValueError naming the segments."""
    if is_blank(value) or fold(str(value)) in {fold(v) for v in NO_SEGMENT}:
        return None
    code = _segment_lookup().get(fold(str(value)))
    if code is None:
        shown = ", ".join(f"'{item['fr']}'" for item in lists()["rfm_segment"])
        raise ValueError(f"expected a segment of the customer file ({shown}) or an empty cell for a target "
                         f"not in the file yet, got {value!r}")
    return code


def problems(frame: pd.DataFrame | None, file: str, lang: str = "fr") -> list[Problem]:
    """One line per persona cell a type cannot check: a linked segment that is
    not a segment of the customer file, an age that is not one."""
    if frame is None or not len(frame):
        return []
    s = sheet(SHEET)
    out = []
    for _, r in frame.iterrows():
        for key, parse in (("age", parse_age), ("segment", segment_code)):
            try:
                parse(r[key])
            except ValueError as exc:
                where = f"sheet '{s.title[lang]}', row {r['row']}, column '{s.column(key).header[lang]}'"
                out.append(Problem(file, where, str(exc)))
    return out


# ---------------------------------------------------------------- the personas
@dataclass(frozen=True)
class Persona:
    """One persona as declared in the workshop (text as typed, age parsed)."""

    name: str
    age: tuple[int, int | None] | None
    situation: str | None
    goals: str | None
    frustrations: str | None
    channels: str | None
    triggers: str | None
    objections: str | None
    segment: str | None  # RFM segment code, None: no segment named
    row: int | None = None


TEXT_FIELDS = ("situation", "goals", "frustrations", "channels", "triggers", "objections")


def _text(value) -> str | None:
    return None if is_blank(value) else str(value).strip()


def personas_from_sheet(frame: pd.DataFrame | None) -> tuple[Persona, ...]:
    """The sheet's rows as Personas, in sheet order (a validated sheet: see ``problems``)."""
    if frame is None or not len(frame):
        return ()
    return tuple(
        Persona(name=str(r["name"]).strip(), age=parse_age(r["age"]), segment=segment_code(r["segment"]),
                row=int(r["row"]) if "row" in r and pd.notna(r["row"]) else None,
                **{k: _text(r[k]) for k in TEXT_FIELDS})
        for _, r in frame.iterrows())


@dataclass(frozen=True)
class SegmentMeasure:
    """A persona beside its segment as the customer file measures it."""

    persona: str
    segment: str | None
    status: str  # MEASURED, EMPTY, NO_SEGMENT_DECLARED, NOT_MEASURED
    customers: int | None = None  # buyers in the segment
    share: float | None = None  # of all buyers
    revenue: float | None = None  # net spend of the segment
    revenue_share: float | None = None  # of all buyers' spend
    revenue_per_customer: float | None = None
    contactable: int | None = None  # of the segment's customers, those who accept e-mails or SMS; None: consent not in the file
    contactable_share: float | None = None


def contactable(consent: pd.DataFrame | None) -> pd.Series | None:
    """customer_id -> True when the customer accepts e-mails or SMS (opt_in_email,
    opt_in_sms; unknown counts as no: nothing may be sent without consent); None
    when the file holds neither consent column."""
    if consent is None:
        return None
    columns = [c for c in ("opt_in_email", "opt_in_sms") if c in consent.columns]
    if not columns or "customer_id" not in consent.columns:
        return None
    people = consent.dropna(subset=["customer_id"]).drop_duplicates("customer_id").set_index("customer_id")
    if not people[columns].notna().any().any():
        return None
    return people[columns].apply(lambda col: col.fillna(False).astype(bool)).any(axis=1)


def measure(personas: tuple[Persona, ...], scores: pd.DataFrame | None, consent: pd.DataFrame | None = None
            ) -> tuple[SegmentMeasure, ...]:
    """Each persona beside its segment. ``scores``: the RFM table (index
    customer_id, columns segment and monetary; None without purchase history);
    ``consent``: the customers (customer_id, opt_in_email, opt_in_sms)."""
    reach = contactable(consent)
    total_buyers = len(scores) if scores is not None else 0
    total_revenue = float(scores["monetary"].sum()) if scores is not None else 0.0
    out = []
    for p in personas:
        if p.segment is None:
            out.append(SegmentMeasure(p.name, None, NO_SEGMENT_DECLARED))
            continue
        if scores is None or not total_buyers:
            out.append(SegmentMeasure(p.name, p.segment, NOT_MEASURED))
            continue
        members = scores[scores["segment"] == p.segment]
        n = len(members)
        if not n:
            out.append(SegmentMeasure(p.name, p.segment, EMPTY, customers=0, share=0.0, revenue=0.0, revenue_share=0.0))
            continue
        revenue = float(members["monetary"].sum())
        reached = None if reach is None else int(reach.reindex(members.index).fillna(False).astype(bool).sum())
        out.append(SegmentMeasure(
            p.name, p.segment, MEASURED, customers=n, share=n / total_buyers, revenue=revenue,
            revenue_share=revenue / total_revenue if total_revenue else None, revenue_per_customer=revenue / n,
            contactable=reached, contactable_share=None if reached is None else reached / n))
    return tuple(out)


@dataclass(frozen=True)
class Coverage:
    """How many personas the file can put a measured segment behind."""

    personas: int
    measured: int  # linked to a segment with customers
    without_segment: int  # no segment named, or a named segment with no customer in it
    segments_covered: tuple[str, ...]  # measured segments a persona stands for, in SEGMENTS order


def coverage(measures: tuple[SegmentMeasure, ...]) -> Coverage:
    measured = [m for m in measures if m.status == MEASURED]
    covered = {m.segment for m in measured}
    return Coverage(personas=len(measures), measured=len(measured),
                    without_segment=sum(m.status in (NO_SEGMENT_DECLARED, EMPTY) for m in measures),
                    segments_covered=tuple(s for s in SEGMENTS if s in covered))
