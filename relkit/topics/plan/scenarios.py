"""Automation scenarios (seed 000: a programme is a scenario triggered by an
event, with a sequence of messages; seed 004's standard programmes): the
workshop's ``scenarios`` sheet, one row per message — programme, step, delay
after the trigger ("J0", "J+3", "H+1", "J-7"), channel, message, condition
("si non ouvert", "si pas d'achat").

``scenarios_from_sheet`` builds the ``Scenario`` of each programme;
``check_scenarios`` lists what a cell type cannot check (a programme that
exists nowhere, an unreadable delay, steps out of order) as ``Problem`` lines;
``Scenario.monthly`` is what one person can receive in one calendar month from
the sequence, which the pressure simulation (``pressure.simulate_pressure``)
counts instead of the programme's messages per month.

Worst case, stated once: a conditional message ("if not opened", "if no
purchase") is counted as sent, and every step whose delay lies within
``WINDOW_DAYS`` of another can land in the same calendar month.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relkit.io.atelier import choice_label
from relkit.io.parsing import fold, is_blank
from relkit.io.problems import Problem
from relkit.topics.plan.catalogue import CATALOGUE, channel_code, channel_order, programme_code

WINDOW_DAYS = 30  # two sends at most 30 days apart can fall in the same calendar month (31 days)
CONDITIONS = ("always", "not_opened", "not_clicked", "no_purchase")  # lists.yaml scenario_condition
AFTER_A_MESSAGE = ("not_opened", "not_clicked")  # need a message before them
DELAY_EXAMPLE = "a delay after the trigger such as 'J0', 'J+3', 'H+1', 'J-7' or '10 jours'"

_UNITS = {
    "j": 1.0, "jour": 1.0, "jours": 1.0, "d": 1.0, "day": 1.0, "days": 1.0,
    "h": 1 / 24, "heure": 1 / 24, "heures": 1 / 24, "hour": 1 / 24, "hours": 1 / 24,
    "sem": 7.0, "semaine": 7.0, "semaines": 7.0, "w": 7.0, "week": 7.0, "weeks": 7.0,
    "mois": 30.0, "month": 30.0, "months": 30.0,
}
_DELAY = re.compile(r"^(?:(?P<prefix>[jdh])\s*)?(?:(?P<sign>[+-])\s*)?(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z]+)?$")


def parse_delay(value) -> float:
    """Days after the trigger: 'J0' -> 0, 'J+3' -> 3, 'H+1' -> 1/24, 'J-7' -> -7,
    '10 jours' -> 10, '2 semaines' -> 14, 3 (a number) -> 3."""
    if isinstance(value, bool) or is_blank(value):
        raise ValueError(f"expected {DELAY_EXAMPLE}, got {value!r}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    text = fold(str(value)).replace("\u2212", "-")
    m = _DELAY.match(text)
    if m is None or (m["unit"] and m["unit"] not in _UNITS):
        raise ValueError(f"expected {DELAY_EXAMPLE}, got {value!r}")
    n = float(m["n"].replace(",", "."))
    factor = _UNITS[m["unit"]] if m["unit"] else (_UNITS[m["prefix"]] if m["prefix"] else 1.0)
    days = n * factor
    return -days if m["sign"] == "-" and days else days


def delay_text(days: float, lang: str = "fr") -> str:
    """0 -> 'J0', 3 -> 'J+3', -7 -> 'J-7', 1/24 -> 'H+1' ('D' in English)."""
    day = "J" if lang == "fr" else "D"
    if days and abs(days) < 1:
        hours = round(abs(days) * 24)
        return f"H{'-' if days < 0 else '+'}{hours}"
    n = round(abs(days), 1)
    n_text = f"{n:g}".replace(".", "," if lang == "fr" else ".")
    return f"{day}0" if n == 0 else f"{day}{'-' if days < 0 else '+'}{n_text}"


def programme_key(name) -> str:
    """The key a programme is known by (as ``programmes_from_sheet`` dedups): its catalogue code or its folded name."""
    return programme_code(name) or fold(str(name))


@dataclass(frozen=True)
class Step:
    """One message of a scenario."""

    number: int
    delay: float  # days after the trigger (hours as fractions of a day; negative = before the event)
    channel: str  # channel code
    message: str | None = None
    condition: str = "always"  # a code of CONDITIONS
    row: int | None = None  # Excel row

    @property
    def conditional(self) -> bool:
        return self.condition != "always"


@dataclass(frozen=True)
class Scenario:
    """The sequence of one programme, steps in order."""

    programme: str  # as typed in the sheet
    key: str  # programme_key(programme)
    steps: tuple[Step, ...]

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(channel_order(s.channel for s in self.steps))

    @property
    def span(self) -> float:
        """Days from the first message to the last."""
        return max(s.delay for s in self.steps) - min(s.delay for s in self.steps) if self.steps else 0.0

    @property
    def conditional(self) -> int:
        return sum(s.conditional for s in self.steps)

    def monthly(self, channels: Iterable[str] | None = None) -> int:
        """The most messages (on ``channels``, all when None) one person can get in one
        calendar month from one run of the sequence: the densest run of steps at most
        ``WINDOW_DAYS`` apart; conditional steps count as sent (worst case)."""
        keep = None if channels is None else set(channels)
        delays = sorted(s.delay for s in self.steps if keep is None or s.channel in keep)
        best, lo = 0, 0
        for hi, d in enumerate(delays):
            while d - delays[lo] > WINDOW_DAYS + 1e-9:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    def per_channel(self) -> dict[str, int]:
        """Channel -> ``monthly`` on that channel alone."""
        return {c: self.monthly((c,)) for c in self.channels}


class ScenarioError(ValueError):
    """A scenario cell that cannot be used; ``row`` and ``column`` say where."""

    def __init__(self, message: str, row=None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


def _value(r, key):
    v = r.get(key) if hasattr(r, "get") else None
    if isinstance(v, np.generic):
        v = v.item()
    return None if v is None or v is pd.NA or is_blank(v) else v


def _condition(value) -> str:
    if value is None:
        return "always"
    text = fold(str(value))
    if text in CONDITIONS:
        return text
    from relkit.io.atelier import lists

    for item in lists()["scenario_condition"]:
        if text in (fold(item["fr"]), fold(item["en"])):
            return item["code"]
    shown = ", ".join(f"'{i['fr']}'" for i in lists()["scenario_condition"])
    raise ValueError(f"expected one of {shown}, got {value!r}")


def _steps(frame: pd.DataFrame) -> tuple[list[tuple[str, Step]], list[ScenarioError]]:
    """(programme as typed, Step) per readable row, and an error per unreadable cell."""
    steps, errors = [], []
    if frame is None or not len(frame):
        return steps, errors
    for _, r in frame.iterrows():
        row = _value(r, "row")
        name, number, channel = _value(r, "programme"), _value(r, "step"), _value(r, "channel")
        if name is None or number is None or channel is None:  # required cells: reported by the sheet's reader
            continue
        try:
            delay = parse_delay(_value(r, "delay"))
        except ValueError as exc:
            errors.append(ScenarioError(str(exc), row, "delay"))
            continue
        try:
            condition = _condition(_value(r, "condition"))
        except ValueError as exc:
            errors.append(ScenarioError(str(exc), row, "condition"))
            continue
        message = _value(r, "message")
        steps.append((str(name).strip(), Step(int(number), delay, channel_code(channel),
                                              None if message is None else str(message).strip(), condition,
                                              None if row is None else int(row))))
    return steps, errors


def _order_errors(name: str, steps: list[Step], lang: str) -> list[ScenarioError]:
    """Same step number twice, a later step sent before an earlier one, a condition on a message with none before."""
    errors = []
    by_number = sorted(steps, key=lambda s: (s.number, s.row or 0))
    for prev, s in zip(by_number, by_number[1:]):
        if s.number == prev.number:
            errors.append(ScenarioError(f"expected each step of {name!r} once, got step {s.number} again "
                                        f"(row {prev.row})", s.row, "step"))
        elif s.delay < prev.delay:
            errors.append(ScenarioError(
                f"steps of {name!r} out of order: expected step {s.number} at or after step {prev.number} "
                f"({delay_text(prev.delay, lang)}), got {delay_text(s.delay, lang)}", s.row, "delay"))
    first = by_number[0] if by_number else None
    if first is not None and first.condition in AFTER_A_MESSAGE:
        shown = choice_label("scenario_condition", first.condition, lang)  # as the drop-down writes it
        errors.append(ScenarioError(f"step {first.number} is the first message of {name!r}: expected no condition "
                                    f"on an earlier message (such as 'si non ouvert'), got {shown!r}",
                                    first.row, "condition"))
    return errors


def _group(steps: list[tuple[str, Step]]) -> dict[str, tuple[str, list[Step]]]:
    out: dict[str, tuple[str, list[Step]]] = {}
    for name, step in steps:
        out.setdefault(programme_key(name), (name, []))[1].append(step)
    return out


def scenarios_from_sheet(frame: pd.DataFrame | None, lang: str = "fr") -> dict[str, Scenario]:
    """The sheet's rows as one Scenario per programme (key: ``programme_key``), in
    the order programmes first appear; steps by number. Rows that cannot be read
    are left out (``check_scenarios`` reports them)."""
    steps, _ = _steps(frame)
    return {key: Scenario(name, key, tuple(sorted(group, key=lambda s: (s.number, s.delay))))
            for key, (name, group) in _group(steps).items()}


def check_scenarios(frame: pd.DataFrame | None, programmes: pd.DataFrame | None, lang: str, file: str) -> list[Problem]:
    """One Problem per bad cell of the ``scenarios`` sheet: a programme neither in
    the Programmes sheet nor in the catalogue, an unreadable delay or condition,
    steps out of order (a step number twice, a later step sent earlier, 'if not
    opened' on the first message)."""
    if frame is None or not len(frame):
        return []
    from relkit.io.atelier import sheet

    s = sheet("scenarios")
    title = sheet("programmes").title[lang]

    def where(row, column):
        return f"sheet '{s.title[lang]}', row {row}, column '{s.column(column).header[lang]}'"

    known = set()
    if programmes is not None and len(programmes):
        known = {programme_key(n) for n in programmes["programme"] if not is_blank(n)}
    steps, errors = _steps(frame)
    problems = [Problem(file, where(e.row, e.column), str(e)) for e in errors]
    # a programme with an unreadable row is not checked for order: its other rows would be judged without it
    bad_rows = {e.row for e in errors}
    unread = {programme_key(str(r["programme"])) for r in frame.to_dict("records")
              if r.get("row") in bad_rows and not is_blank(r.get("programme"))}
    for key, (name, group) in _group(steps).items():
        if key not in known and key not in CATALOGUE:
            for st in group:
                problems.append(Problem(file, where(st.row, "programme"),
                                        f"expected a programme of sheet '{title}' or a standard programme "
                                        f"(welcome, reactivation, birthday…), got {name!r}"))
            continue
        if key not in unread:
            problems += [Problem(file, where(e.row, e.column), str(e)) for e in _order_errors(name, group, lang)]
    return sorted(problems, key=lambda p: int(re.search(r"row (\d+)", p.where)[1]))


def scenario_for(programme, scenarios: Mapping[str, Scenario] | None) -> Scenario | None:
    """The scenario of a ``Programme`` (by catalogue code, else by its folded name)."""
    if not scenarios:
        return None
    return scenarios.get(programme.code or fold(programme.name)) or scenarios.get(fold(programme.name))


def scenario_table(scenarios: Mapping[str, Scenario]) -> pd.DataFrame:
    """One row per scenario: programme key, steps, conditional steps, span in days,
    channels, and ``per_channel`` (channel -> messages in one month at most) and
    ``monthly`` (all channels together)."""
    rows = [{"key": k, "programme": sc.programme, "steps": len(sc.steps), "conditional": sc.conditional,
             "span": sc.span, "channels": sc.channels, "per_channel": sc.per_channel(), "monthly": sc.monthly()}
            for k, sc in scenarios.items()]
    return pd.DataFrame(rows, columns=["key", "programme", "steps", "conditional", "span", "channels", "per_channel",
                                       "monthly"])
