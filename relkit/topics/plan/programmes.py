"""The programmes of the plan (seed 000): each row of the workshop's
``programmes`` sheet merged with its catalogue defaults — an objective, a KPI,
a target rule, a channel, messages per month and the months it runs."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relkit.io.parsing import fold, is_blank, parse_int, parse_number
from relkit.topics.plan.catalogue import CATALOGUE, CatalogueProgramme, channel_code, programme_code
from relkit.topics.plan.rules import Rule, parse_rule

STATUSES = ("continue", "stop", "start")
PRIORITIES = ("high", "medium", "low")
MONTHS = tuple(range(1, 13))


@dataclass(frozen=True)
class Programme:
    """A programme of the plan: a catalogue entry with the sheet's overrides, or a custom one."""

    name: str  # as typed in the sheet
    code: str | None  # catalogue code; None for a custom programme
    label: str  # display name in the engagement language
    objective: str | None
    kpi: str | None
    target: str  # rule text
    rule: Rule
    channel: str
    kind: str | None
    trigger: str | None
    messages_per_month: float
    start_month: int = 1
    end_month: int = 12
    status: str | None = None
    priority: str | None = None
    row: int | None = None

    def active(self, month: int) -> bool:
        """Sends in ``month`` of the plan year (a programme to stop sends nothing)."""
        return self.status != "stop" and self.start_month <= month <= self.end_month

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(m for m in MONTHS if self.active(m))


class ProgrammeError(ValueError):
    """A programme row that cannot be used; ``row`` (Excel row) and ``column`` say where."""

    def __init__(self, message: str, row=None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


_KIND_NAMES = {"automation": "automation", "automatisation": "automation", "scenario": "automation",
               "marketing automation": "automation", "campaign": "campaign", "campagne": "campaign"}
_STATUS_NAMES = {"continue": "continue", "continuer": "continue", "stop": "stop", "arreter": "stop",
                 "arret": "stop", "start": "start", "demarrer": "start", "lancer": "start", "commencer": "start"}
_PRIORITY_NAMES = {"high": "high", "haute": "high", "elevee": "high", "medium": "medium", "moyenne": "medium",
                   "low": "low", "basse": "low", "faible": "low"}


def _choice(value, names: dict[str, str], what: str, row, column: str) -> str | None:
    if is_blank(value):
        return None
    code = names.get(fold(str(value)))
    if code is None:
        raise ProgrammeError(f"expected {what} as one of {', '.join(dict.fromkeys(names.values()))}, got {value!r}",
                             row, column)
    return code


def _month(value, column: str, row) -> int | None:
    if is_blank(value):
        return None
    try:
        m = parse_int(value)
    except ValueError:
        m = None
    if m is None or not 1 <= m <= 12:
        raise ProgrammeError(f"expected a month number from 1 to 12, got {value!r}", row, column)
    return m


def _get(row: Mapping, key: str):
    value = row.get(key) if hasattr(row, "get") else None
    if isinstance(value, np.generic):  # numpy scalars from a DataFrame row -> plain Python
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    return None if is_blank(value) else value


def _display_name(name: str, std: CatalogueProgramme | None, lang: str) -> str:
    """The catalogue label in the deliverable's language when the sheet names the
    programme by its code or a label; the client's own word when it used an alias."""
    if std is None:
        return name
    official = {fold(n) for n in (std.code, std.code.replace("_", " "), *std.label.values())}
    return std.label[lang] if fold(name) in official else name


def programme_from_row(row: Mapping, lang: str = "fr") -> Programme:
    """One sheet row (dict or Series) merged with its catalogue defaults: a
    filled cell wins, an empty one takes the default."""
    r = _get(row, "row")
    name = _get(row, "programme")
    if name is None:
        raise ProgrammeError("expected a programme name (a standard programme or your own), got an empty cell", r,
                             "programme")
    name = str(name).strip()
    code = programme_code(name)
    std = CATALOGUE.get(code)
    if std is None:
        missing = [c for c in ("target", "channel", "messages_per_month") if _get(row, c) is None]
        if missing:
            from relkit.io.atelier import sheet  # column headers as the consultant sees them

            columns = sheet("programmes")
            names = ", ".join(f"'{columns.column(c).header[lang]}'" for c in missing)
            standard = ", ".join(p.label.get(lang, p.label["fr"]) for p in CATALOGUE.values())
            raise ProgrammeError(
                f"programme {name!r} is not a standard programme, so it needs {names}: expected them filled, got "
                f"empty cells (standard programmes: {standard})", r, missing[0])
    target = _get(row, "target") or std.target
    try:
        rule = parse_rule(target)
    except ValueError as exc:
        raise ProgrammeError(str(exc), r, "target") from None
    channel_value = _get(row, "channel")
    channel = channel_code(channel_value) if channel_value is not None else std.channel
    mpm = _get(row, "messages_per_month")
    if mpm is None:
        mpm = std.messages_per_month
    else:
        try:
            mpm = parse_number(mpm)
        except ValueError:
            raise ProgrammeError(f"expected a number of messages per person per month such as '2' or '0,5', "
                                 f"got {mpm!r}", r, "messages_per_month") from None
        if mpm < 0:
            raise ProgrammeError(f"expected messages per month of 0 or more, got {mpm!r}", r, "messages_per_month")
    start = _month(_get(row, "start_month"), "start_month", r) or 1
    end = _month(_get(row, "end_month"), "end_month", r) or 12
    if start > end:
        raise ProgrammeError(f"expected start_month ≤ end_month within the plan year, got start {start} after "
                             f"end {end}", r, "start_month")

    def text(key):
        value = _get(row, key)
        if value is not None:
            return str(value).strip()
        return getattr(std, key)[lang] if std is not None else None

    kind = _choice(_get(row, "kind"), _KIND_NAMES, "a kind", r, "kind") or (std.kind if std else None)
    return Programme(
        name=name, code=code, label=_display_name(name, std, lang),
        objective=text("objective"), kpi=text("kpi"), target=str(target).strip(), rule=rule, channel=channel,
        kind=kind, trigger=text("trigger"), messages_per_month=float(mpm), start_month=start, end_month=end,
        status=_choice(_get(row, "status"), _STATUS_NAMES, "a status", r, "status"),
        priority=_choice(_get(row, "priority"), _PRIORITY_NAMES, "a priority", r, "priority"),
        row=None if r is None else int(r),
    )


def programmes_from_sheet(frame: pd.DataFrame, lang: str = "fr") -> list[Programme]:
    """Every row of the ``programmes`` sheet as a Programme; the first bad row
    raises ProgrammeError (a ValueError carrying ``row`` and ``column``)."""
    out: list[Programme] = []
    seen: dict[str, Programme] = {}
    for _, row in frame.iterrows():
        p = programme_from_row(row, lang)
        key = p.code or fold(p.name)
        if key in seen:
            raise ProgrammeError(f"expected each programme once, got {p.name!r} again (same programme as "
                                 f"{seen[key].name!r})", p.row, "programme")
        seen[key] = p
        out.append(p)
    return out


def catalogue_programmes(lang: str = "fr", codes=None) -> list[Programme]:
    """Catalogue programmes with their defaults (all, or those of ``codes``)."""
    return [programme_from_row({"programme": c}, lang) for c in (codes or CATALOGUE)]
