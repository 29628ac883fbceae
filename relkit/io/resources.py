"""Where relkit finds its notebooks, templates and catalogues: package data,
found through importlib.resources so an installed relkit works from any folder."""
from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

import yaml

# Wheels install relkit as a folder, so the package's Traversable is a real path
# (papermill, nbconvert and WeasyPrint need file paths, not streams).
PACKAGE_DIR = Path(str(files("relkit"))).resolve()
NOTEBOOKS_DIR = PACKAGE_DIR / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "templates"


# libyaml's parser reads the package's 280 KB of locales and catalogues in
# 0.06 CPU-s instead of 0.58 s, in every process that renders (the same
# documents: tests/io/test_resources.py compares both loaders on every file).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def load_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)  # noqa: S506 - a safe loader
