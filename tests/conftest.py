"""Keep Jupyter, IPython and matplotlib state out of the user's home, and
give tests a disposable copy of the demo engagement."""
import os
import shutil
import tempfile
from pathlib import Path

import pytest

_STATE = Path(tempfile.mkdtemp(prefix="relkit-test-state-"))
for var, sub in {
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
}.items():
    os.environ[var] = str(_STATE / sub)
    (_STATE / sub).mkdir(parents=True, exist_ok=True)
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_samples" / "arnaud-zoe"


@pytest.fixture
def demo(tmp_path) -> Path:
    """A writable copy of the demo engagement."""
    target = tmp_path / "arnaud-zoe"
    shutil.copytree(DEMO, target)
    return target


@pytest.fixture
def decorated(demo):
    """The demo with what a consultant adds by hand in Excel: a bold note outside
    the SWOT table, a comment in Parcours, an extra column in Objectifs."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    wb["SWOT"]["H20"] = "note perso"
    wb["SWOT"]["H20"].font = Font(bold=True, color="FFC00000")
    wb["Parcours"]["B3"].comment = Comment("à revoir avec Zoé", "Claire")
    wb["Objectifs"]["G2"] = "colonne à moi"
    wb.save(path)
    return demo


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_STATE, ignore_errors=True)
