"""The workbooks a run executes, in report order, with what each needs first."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from relkit.io.resources import NOTEBOOKS_DIR


@dataclass(frozen=True)
class WorkbookSpec:
    id: str  # "01_diagnostic": file stem, label key "workbook.<id>", figures.json section
    path: Path
    depends_on: tuple[str, ...] = ()  # ids whose outputs this one reads (when they run)
    # engagement.yaml key, or "sheet:<key>[|<key>…]", without which there is nothing to show; "<need> or <need>": either
    needs: str | None = None
    # seconds it typically takes (the demo's, on 2 cores): with two kernels, starting the
    # longest first ends the run sooner; a client's previous run gives its own figures
    seconds: float = 1.0


WORKBOOKS = (
    # The executive summary opens the report but is written last, from the
    # key figures every other workbook recorded (seed 002's plan outline).
    WorkbookSpec("00_synthese", NOTEBOOKS_DIR / "00_synthese.ipynb", depends_on=(
        "01_diagnostic", "02_fichier_clients", "03_parcours_client", "04_plan_collecte", "05_plan_relationnel"),
        seconds=0.9),
    WorkbookSpec("01_diagnostic", NOTEBOOKS_DIR / "01_diagnostic.ipynb", seconds=1.7),
    WorkbookSpec("02_fichier_clients", NOTEBOOKS_DIR / "02_fichier_clients.ipynb", needs="customer_data or sheet:personas",
                 seconds=3.7),
    WorkbookSpec("03_parcours_client", NOTEBOOKS_DIR / "03_parcours_client.ipynb", needs="sheet:journey", seconds=1.5),
    WorkbookSpec("04_plan_collecte", NOTEBOOKS_DIR / "04_plan_collecte.ipynb", needs="sheet:collection_plan",
                 seconds=1.0),
    WorkbookSpec("05_plan_relationnel", NOTEBOOKS_DIR / "05_plan_relationnel.ipynb", needs="sheet:actions|programmes",
                 seconds=5.4),
)


def _applies(spec: WorkbookSpec, data) -> bool:
    if data is None or spec.needs is None:
        return True
    return any(_has(need.strip(), data) for need in spec.needs.split(" or "))


def _has(need: str, data) -> bool:
    if need.startswith("sheet:"):
        frames = [data.sheets.get(key) for key in need.split(":", 1)[1].split("|")]
        return any(frame is not None and len(frame) > 0 for frame in frames)
    return getattr(data.engagement, need) is not None


def default_workbooks(data=None) -> list[WorkbookSpec]:
    """The workbooks that apply to this engagement (a validated EngagementData), in report order."""
    chosen = [w for w in WORKBOOKS if _applies(w, data)]
    ids = {w.id for w in chosen}
    return [replace(w, depends_on=tuple(d for d in w.depends_on if d in ids)) for w in chosen]


def from_paths(paths) -> list[WorkbookSpec]:
    """Ad-hoc workbooks (tests, custom engagements): no dependencies."""
    return [WorkbookSpec(Path(p).stem, Path(p)) for p in paths]
