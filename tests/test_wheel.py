"""relkit as a user gets it: a wheel, installed with pip into a fresh venv outside
the repository, then used from another folder. Nothing here may import the
checkout: the commands run from a temporary folder, without PYTHONPATH and
without the repository's venv on PATH."""
import os
import shutil
import subprocess
import sys
import time
import venv
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import DEMO, ROOT

pytestmark = pytest.mark.pipeline

# What the wheel must carry besides the code (found through importlib.resources).
PACKAGE_DATA = [
    "relkit/notebooks/01_diagnostic.ipynb",
    "relkit/notebooks/workshop/atelier.ipynb",
    "relkit/templates/nbconvert/relkit_report/conf.json",
    "relkit/templates/nbconvert/relkit_report/index.html.j2",
    "relkit/templates/nbconvert/relkit_report/static/print.css",
    "relkit/templates/nbconvert/relkit/static/relkit.css",
    "relkit/templates/workshop/sheets.yaml",
    "relkit/templates/plan/kpis.yaml",
    "relkit/locales/labels.yaml",
]


def _clean_env(venv_dir: Path) -> dict[str, str]:
    """This process's environment, minus anything that points Python at the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and not Path(p).resolve().is_relative_to(ROOT)]
    env["PATH"] = os.pathsep.join([str(venv_dir / "bin"), *path])
    env["VIRTUAL_ENV"] = str(venv_dir)
    return env


def _run(args, *, cwd: Path, env: dict, timeout: float) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{args}\n--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    return proc


@contextmanager
def _timed(step: str):
    """Print how long a step took (pytest -s shows it), even when it fails."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        print(f"\n  {step}: {time.perf_counter() - t0:.1f} s", end="")


def _build_wheel(dest: Path) -> Path:
    """Build from a copy of the sources, so no build/ folder is left in the repository
    (and no stale module of an earlier build can slip into the wheel)."""
    src = dest / "src"
    src.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "relkit", src / "relkit",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-q", "-w", str(dest)],
                   check=True, capture_output=True, text=True, timeout=600)
    (wheel,) = dest.glob("relkit-*.whl")
    return wheel


def test_installed_wheel_works_from_anywhere(tmp_path):
    with _timed("build the wheel"):
        wheel = _build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not [n for n in PACKAGE_DATA if n not in names]
    assert len([n for n in names if n.startswith("relkit/notebooks/") and n.endswith(".ipynb")]) >= 7

    venv_dir = tmp_path / "venv"
    env = _clean_env(venv_dir)
    python = venv_dir / "bin" / "python"
    with _timed("fresh venv + pip install -c constraints.txt"):
        venv.create(venv_dir, with_pip=True)
        _run([python, "-m", "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"), str(wheel)],
             cwd=tmp_path, env=env, timeout=1200)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([python, "-c", "import relkit, sys; print(relkit.__file__); print(sys.path)"],
                 cwd=elsewhere, env=env, timeout=120).stdout.splitlines()
    installed = Path(where[0]).resolve()
    assert installed.is_relative_to(venv_dir.resolve()) and not installed.is_relative_to(ROOT), where
    assert str(ROOT) not in where[1]

    relkit = str(venv_dir / "bin" / "relkit")
    with _timed("relkit new + validate + workshop --help"):
        _run([relkit, "new", str(tmp_path / "x"), "--name", "X"], cwd=elsewhere, env=env, timeout=300)
        assert (tmp_path / "x" / "engagement.yaml").is_file() and (tmp_path / "x" / "atelier.xlsx").is_file()
        _run([relkit, "validate", str(tmp_path / "x")], cwd=elsewhere, env=env, timeout=300)
        assert "--lab" in _run([relkit, "workshop", "--help"], cwd=elsewhere, env=env, timeout=120).stdout

    engagement = shutil.copytree(DEMO, tmp_path / "arnaud-zoe")
    out = tmp_path / "out"
    with _timed("relkit run (the demo)"):
        _run([relkit, "run", str(engagement), "--out", str(out), "--quiet"], cwd=elsewhere, env=env, timeout=1200)
    client = out / "arnaud-zoe"
    pdf, html = client / "rapport-arnaud-zoe.pdf", client / "rapport-arnaud-zoe.html"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert html.is_file() and "<html" in html.read_text(encoding="utf-8")
