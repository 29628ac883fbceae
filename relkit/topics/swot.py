"""SWOT: counts per quadrant and the gaps a workshop must still fill."""
from __future__ import annotations

import pandas as pd

QUADRANTS = ("strength", "weakness", "opportunity", "threat")


def counts(swot: pd.DataFrame) -> dict[str, int]:
    """Items per quadrant, every quadrant present (0 when empty)."""
    found = swot["quadrant"].value_counts()
    return {q: int(found.get(q, 0)) for q in QUADRANTS}


def empty_quadrants(swot: pd.DataFrame) -> list[str]:
    return [q for q, n in counts(swot).items() if n == 0]


def assessed(swot: pd.DataFrame) -> bool:
    """At least one item in some quadrant (an empty sheet is "non évalué", not "0 forces")."""
    return sum(counts(swot).values()) > 0
