"""The workbooks a run executes, in report order, with what each needs first."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .resources import NOTEBOOKS_DIR


@dataclass(frozen=True)
class WorkbookSpec:
    id: str  # "01_diagnostic": file stem, label key "workbook.<id>", figures.json section
    path: Path
    depends_on: tuple[str, ...] = ()  # ids whose outputs this one reads


def default_workbooks() -> list[WorkbookSpec]:
    return [
        WorkbookSpec("01_diagnostic", NOTEBOOKS_DIR / "01_diagnostic.ipynb"),
    ]


def from_paths(paths) -> list[WorkbookSpec]:
    """Ad-hoc workbooks (tests, custom engagements): no dependencies."""
    return [WorkbookSpec(Path(p).stem, Path(p)) for p in paths]
