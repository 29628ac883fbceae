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
    needs: str | None = None  # engagement.yaml key, or "sheet:<key>", without which there is nothing to show


WORKBOOKS = (
    WorkbookSpec("01_diagnostic", NOTEBOOKS_DIR / "01_diagnostic.ipynb"),
    WorkbookSpec("02_fichier_clients", NOTEBOOKS_DIR / "02_fichier_clients.ipynb", needs="customer_data"),
    WorkbookSpec("03_parcours_client", NOTEBOOKS_DIR / "03_parcours_client.ipynb", needs="sheet:journey"),
    WorkbookSpec("04_plan_collecte", NOTEBOOKS_DIR / "04_plan_collecte.ipynb", needs="sheet:collection_plan"),
)


def _applies(spec: WorkbookSpec, data) -> bool:
    if data is None or spec.needs is None:
        return True
    if spec.needs.startswith("sheet:"):
        frame = data.sheets.get(spec.needs.split(":", 1)[1])
        return frame is not None and len(frame) > 0
    return getattr(data.engagement, spec.needs) is not None


def default_workbooks(data=None) -> list[WorkbookSpec]:
    """The workbooks that apply to this engagement (a validated EngagementData), in report order."""
    return [w for w in WORKBOOKS if _applies(w, data)]


def from_paths(paths) -> list[WorkbookSpec]:
    """Ad-hoc workbooks (tests, custom engagements): no dependencies."""
    return [WorkbookSpec(Path(p).stem, Path(p)) for p in paths]
