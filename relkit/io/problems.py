"""Input problems, collected all at once and reported one per line."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what was expected."""

    file: str
    where: str  # "key 'revenue.target'", "sheet 'SWOT', row 5, column 'Quadrant'"
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class ValidationFailed(Exception):
    """Raised when an engagement folder has problems; carries all of them."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n > 1 else ''} in the engagement inputs:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))
