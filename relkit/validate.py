"""Check a whole engagement folder before any kernel starts."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .engagement import Engagement, read_engagement
from .problems import Problem, ValidationFailed
from .parsing import fold
from .workshop_file import axis, axis_lookup, read_workshop, sheet, sheets


@dataclass(frozen=True)
class EngagementData:
    """A validated engagement: identity, the workshop sheets as DataFrames and,
    when imported, the customer exports (canonical tables, personal data)."""

    folder: Path
    engagement: Engagement
    sheets: dict[str, pd.DataFrame]
    imports: dict = field(default_factory=dict)  # kind -> relkit.customers.io.Imported

    @property
    def workshop_path(self) -> Path:
        return self.folder / self.engagement.workshop_file


def _open_lists(eng: Engagement, frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    """Columns whose list the engagement may replace (journey stages, channels):
    map each cell to its key, or report it with the list that was expected."""
    problems = []
    for s in sheets():
        frame = frames.get(s.key)
        for col in (c for c in s.columns if c.open_list):
            override = getattr(eng.journey, col.open_list.split(".", 1)[1])
            lookup = axis_lookup(col.list, override)
            shown = ", ".join(f"'{label}'" for _, label in axis(col.list, override, eng.language))
            where = f"sheet '{s.title[eng.language]}'"
            keys = []
            for _, r in (frame.iterrows() if frame is not None else []):
                key = lookup.get(fold(str(r[col.key])))
                if key is None:
                    problems.append(Problem(file, f"{where}, row {r['row']}, column '{col.header[eng.language]}'",
                                            f"expected one of {shown}, got {r[col.key]!r}"))
                keys.append(key)
            if frame is not None and len(frame):
                frame[col.key] = keys
    return problems


def _collection_points(eng: Engagement, frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    """A collection point must name a touchpoint of the Parcours sheet."""
    plan, journey = frames.get("collection_plan"), frames.get("journey")
    if plan is None or not len(plan):
        return []
    known = {fold(t) for t in journey["touchpoint"]} if journey is not None else set()
    s, j = sheet("collection_plan"), sheet("journey")
    header = s.column("collection_point").header[eng.language]
    problems = []
    for _, r in plan.iterrows():
        point = r["collection_point"]
        if point is not None and not pd.isna(point) and fold(point) not in known:
            problems.append(Problem(file, f"sheet '{s.title[eng.language]}', row {r['row']}, column '{header}'",
                                    f"expected a touchpoint of sheet '{j.title[eng.language]}', got {point!r}"))
    return problems


def _cross_checks(eng: Engagement, frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    problems = _open_lists(eng, frames, file) + _collection_points(eng, frames, file)
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


def check(folder: Path | str, import_exports: bool = True) -> tuple[EngagementData | None, list[Problem]]:
    """Every problem of the folder at once (empty list = valid). With
    ``import_exports`` the customer exports are read in full (the only way to
    find a bad date on line 40 000) and returned with the data."""
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
    imports = {}
    if import_exports and eng.customer_data is not None:
        from .customers.workbook import import_sources  # pandas/pyarrow work only when there are exports

        imports, more = import_sources(folder, eng)
        problems += more
    if problems:
        return None, problems
    return EngagementData(folder=folder, engagement=eng, sheets=frames, imports=imports), []


def load(folder: Path | str, import_exports: bool = True) -> EngagementData:
    """The validated engagement, or ValidationFailed listing every problem."""
    data, problems = check(folder, import_exports)
    if problems:
        raise ValidationFailed(problems)
    return data


validate = load
