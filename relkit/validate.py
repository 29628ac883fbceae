"""Check a whole engagement folder before any kernel starts."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .engagement import Engagement, read_engagement
from .problems import Problem, ValidationFailed
from .workshop_file import read_workshop, sheet


@dataclass(frozen=True)
class EngagementData:
    """A validated engagement: identity and the workshop sheets as DataFrames."""

    folder: Path
    engagement: Engagement
    sheets: dict[str, pd.DataFrame]

    @property
    def workshop_path(self) -> Path:
        return self.folder / self.engagement.workshop_file


def _cross_checks(eng: Engagement, frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    problems = []
    objectives = frames.get("objectives")
    if objectives is not None and len(objectives):
        s = sheet("objectives")
        header = s.column("deadline").header[eng.language]
        for _, r in objectives.iterrows():
            d = r["deadline"]
            if d is not None and not pd.isna(d) and d.year < eng.plan_year:
                problems.append(
                    Problem(file, f"sheet '{s.title[eng.language]}', row {r['row']}, column '{header}'",
                            f"deadline {d:%d/%m/%Y} is before the plan year {eng.plan_year}")
                )
    return problems


def check(folder: Path | str) -> tuple[EngagementData | None, list[Problem]]:
    """Every problem of the folder at once (empty list = valid)."""
    folder = Path(folder)
    if not folder.is_dir():
        return None, [Problem(str(folder), "", "engagement folder not found")]
    eng, problems = read_engagement(folder)
    if eng is None:
        # Still read the workshop file under its default name so one pass shows all.
        default = folder / "atelier.xlsx"
        if default.exists():
            _, more = read_workshop(default)
            problems += more
        return None, problems
    path = folder / eng.workshop_file
    frames, more = read_workshop(path, eng.language)
    problems += more
    problems += _cross_checks(eng, frames, str(path))
    if problems:
        return None, problems
    return EngagementData(folder=folder, engagement=eng, sheets=frames), []


def load(folder: Path | str) -> EngagementData:
    """The validated engagement, or ValidationFailed listing every problem."""
    data, problems = check(folder)
    if problems:
        raise ValidationFailed(problems)
    return data


validate = load
