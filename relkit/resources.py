"""Where relkit finds its notebooks, templates and catalogues."""
from __future__ import annotations

import functools
import os
from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
# The kit is used from its checkout (notebooks/ and templates/ sit beside the
# package); RELKIT_HOME points elsewhere when the package is installed alone.
ROOT = Path(os.environ.get("RELKIT_HOME", PACKAGE_DIR.parent)).resolve()
NOTEBOOKS_DIR = ROOT / "notebooks"
TEMPLATES_DIR = ROOT / "templates"


@functools.cache
def load_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)
