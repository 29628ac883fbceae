"""Positioning statement (seed 001's template) and its 10-question score."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from relkit.io.labels import Labels
from relkit.io.parsing import is_blank

PARTS = ("target", "market", "promise", "reason")
QUESTIONS = tuple(range(1, 11))
GOOD_START = 6  # "si vous répondez par l'affirmative à la plupart de ces questions"


def statement(parts: pd.DataFrame, brand: str, labels: Labels, part_names: dict[str, str]) -> tuple[str, list[str]]:
    """Assemble "Pour [cible], [marque] est la [marché] qui donne [promesse]
    parce que seule [marque] est [raison de croire]." and list missing parts."""
    given = {r["part"]: r["text"] for _, r in parts.iterrows() if not is_blank(r["text"])}
    missing = [p for p in PARTS if p not in given]
    filled = {
        p: given.get(p) or labels("positioning.missing_part", part=part_names[p]) for p in PARTS
    }
    text = labels("positioning.template", brand=brand, **{p: _trim(v) for p, v in filled.items()})
    return text, missing


def _trim(text: str) -> str:
    return text.strip().rstrip(".")


@dataclass(frozen=True)
class Score:
    yes: int
    no: int
    unanswered: tuple[int, ...]
    no_questions: tuple[int, ...]

    @property
    def good_start(self) -> bool:
        return self.yes >= GOOD_START


def score(questions: pd.DataFrame) -> Score:
    """Count the yes answers out of the 10 questions (unanswered count as not yes)."""
    answers = {int(r["number"]): r["answer"] for _, r in questions.iterrows()}
    yes = sum(1 for q in QUESTIONS if answers.get(q) == "yes")
    no = tuple(q for q in QUESTIONS if answers.get(q) == "no")
    unanswered = tuple(q for q in QUESTIONS if answers.get(q) not in ("yes", "no"))
    return Score(yes=yes, no=len(no), unanswered=unanswered, no_questions=no)
