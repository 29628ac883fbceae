"""What a client's deliverables were made from, as one hash: the inputs, the
notebooks, the templates, relkit itself and the run's parameters. Equal keys
mean a rebuild would produce the same deliverables, so a batch may skip it.

Cheap on purpose (no pandas, no validation): deciding to skip 20 unchanged
clients must take well under two seconds.
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from relkit._version import __version__
from relkit.io.resources import PACKAGE_DIR, TEMPLATES_DIR

RUN_FILE = "run.json"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_hash(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    digest = hashlib.sha256()
    for f in sorted(p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
                    and (suffixes is None or p.suffix in suffixes)):
        digest.update(str(f.relative_to(folder)).encode())
        digest.update(sha256(f).encode())
    return digest.hexdigest()


def input_files(folder: Path) -> list[Path]:
    """The engagement's input files (Excel lock files and hidden files excluded)."""
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith((".", "~$")) for part in p.relative_to(folder).parts))


@functools.cache
def relkit_hash() -> str:
    """The package's own code and label files: a new relkit rebuilds everything."""
    return tree_hash(PACKAGE_DIR, (".py", ".yaml"))


def inputs_hashes(folder: Path) -> dict[str, str]:
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): sha256(p) for p in input_files(folder)}


def notebook_hashes(paths) -> dict[str, str]:
    return {Path(p).stem: sha256(Path(p)) for p in paths}


def default_notebooks() -> list[Path]:
    from relkit.workbooks.registry import WORKBOOKS

    return [w.path for w in WORKBOOKS]


def run_key(folder: Path, lang: str | None, notebooks=None, **parameters) -> str:
    """One hash of everything the deliverables depend on."""
    paths = [Path(p) for p in (notebooks or default_notebooks())]
    payload = {
        "inputs": inputs_hashes(folder),
        "notebooks": notebook_hashes(paths),
        "templates": tree_hash(TEMPLATES_DIR),
        "relkit": [__version__, relkit_hash()],
        "parameters": {"lang": lang, **{k: v for k, v in sorted(parameters.items())}},
    }
    from relkit.io.brand import brand_inputs  # a _brand.yml may sit in a parent folder, with its logos and fonts

    brand = brand_inputs(folder)
    if brand:  # without one, the key stays what it always was
        payload["brand"] = {p.as_posix(): sha256(p) for p in brand}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def recorded(out_dir: Path) -> dict | None:
    path = Path(out_dir) / RUN_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def up_to_date(out_dir: Path, key: str) -> bool:
    """The published deliverables were made from exactly this key, successfully."""
    info = recorded(out_dir)
    return bool(info and info.get("status") == "ok" and info.get("run_key") == key
                and (Path(out_dir) / info.get("pdf", "")).is_file())
