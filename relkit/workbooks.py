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
    needs: str | None = None  # engagement.yaml key without which the workbook has nothing to show


WORKBOOKS = (
    WorkbookSpec("01_diagnostic", NOTEBOOKS_DIR / "01_diagnostic.ipynb"),
    WorkbookSpec("02_fichier_clients", NOTEBOOKS_DIR / "02_fichier_clients.ipynb", needs="customer_data"),
)


def default_workbooks(engagement=None) -> list[WorkbookSpec]:
    """The workbooks that apply to this engagement, in report order."""
    return [w for w in WORKBOOKS if engagement is None or w.needs is None or getattr(engagement, w.needs) is not None]


def from_paths(paths) -> list[WorkbookSpec]:
    """Ad-hoc workbooks (tests, custom engagements): no dependencies."""
    return [WorkbookSpec(Path(p).stem, Path(p)) for p in paths]
