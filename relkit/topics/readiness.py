"""Relationship-marketing readiness (seed 004's checklist) and the 4P summary."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from relkit.io.parsing import is_blank

POINTS = {"yes": 1.0, "partly": 0.5, "no": 0.0}
PRACTICES = tuple(range(1, 16))
COMMODITY_ITEM = 15  # "l'offre n'est pas une matière première banalisée"
READY, PARTIAL = 0.75, 0.5


@dataclass(frozen=True)
class Readiness:
    points: float
    answered: int
    unanswered: tuple[int, ...]
    weak: tuple[int, ...]  # practices answered no or partly
    commodity: bool

    @property
    def assessed(self) -> bool:
        """At least one practice answered (else the report says "non évalué")."""
        return self.answered > 0

    @property
    def score(self) -> float | None:
        """Points / answered practices; None when none is answered (not 0 %)."""
        return self.points / self.answered if self.answered else None

    @property
    def level(self) -> str | None:
        if self.score is None:
            return None
        return "ready" if self.score >= READY else "partial" if self.score >= PARTIAL else "low"


def assess(checklist: pd.DataFrame) -> Readiness:
    """Score = points / answered practices (yes 1, partly ½, no 0)."""
    answers = {int(r["number"]): r["answer"] for _, r in checklist.iterrows()}
    given = {n: a for n, a in answers.items() if a in POINTS}
    return Readiness(
        points=sum(POINTS[a] for a in given.values()),
        answered=len(given),
        unanswered=tuple(n for n in PRACTICES if n not in given),
        weak=tuple(n for n in PRACTICES if given.get(n) in ("no", "partly")),
        commodity=given.get(COMMODITY_ITEM) == "no",
    )


MIX_ORDER = ("product", "price", "promotion", "place")


def mix_summary(mix: pd.DataFrame) -> pd.DataFrame:
    """The 4P in fixed order, empty text as empty strings (never NaN)."""
    by_p = {r["p"]: r for _, r in mix.iterrows()}
    rows = []
    for p in MIX_ORDER:
        r = by_p.get(p)
        today = "" if r is None or is_blank(r["today"]) else str(r["today"])
        direction = "" if r is None or is_blank(r["direction"]) else str(r["direction"])
        rows.append({"p": p, "today": today, "direction": direction})
    return pd.DataFrame(rows)


def mix_assessed(summary: pd.DataFrame) -> bool:
    """At least one cell of the 4P (today or direction) written (``mix_summary``'s frame)."""
    return bool((summary["today"] != "").any() or (summary["direction"] != "").any())
