"""Positioning: the parts of the statement (seed 001's template) and its
10-question score. The sentence itself is assembled by workbook 01's
presenter (relkit.workbooks.diagnostic.positioning_statement)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from relkit.io.parsing import is_blank

PARTS = ("target", "market", "promise", "reason")
QUESTIONS = tuple(range(1, 11))
GOOD_START = 6  # "si vous répondez par l'affirmative à la plupart de ces questions"


def statement_parts(parts: pd.DataFrame) -> tuple[dict[str, str], list[str]]:
    """(part -> text as written, for the parts filled in; the missing parts in ``PARTS`` order)."""
    given = {r["part"]: r["text"] for _, r in parts.iterrows() if not is_blank(r["text"])}
    missing = [p for p in PARTS if p not in given]
    return given, missing


def statement_drafted(parts: pd.DataFrame) -> bool:
    """At least one part of the statement is written."""
    return bool(statement_parts(parts)[0])


@dataclass(frozen=True)
class Score:
    yes: int
    no: int
    unanswered: tuple[int, ...]
    no_questions: tuple[int, ...]

    @property
    def good_start(self) -> bool:
        return self.yes >= GOOD_START

    @property
    def assessed(self) -> bool:
        """At least one question answered: a score of 0/10 on an empty sheet
        would be a verdict on nothing, so the report says "non évalué"."""
        return len(self.unanswered) < len(QUESTIONS)


def score(questions: pd.DataFrame) -> Score:
    """Count the yes answers out of the 10 questions (unanswered count as not yes)."""
    answers = {int(r["number"]): r["answer"] for _, r in questions.iterrows()}
    yes = sum(1 for q in QUESTIONS if answers.get(q) == "yes")
    no = tuple(q for q in QUESTIONS if answers.get(q) == "no")
    unanswered = tuple(q for q in QUESTIONS if answers.get(q) not in ("yes", "no"))
    return Score(yes=yes, no=len(no), unanswered=unanswered, no_questions=no)
