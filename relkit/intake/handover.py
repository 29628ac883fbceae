"""The validated engagement, handed from ``relkit run`` to its kernels.

Validation reads engagement.yaml, the workshop workbook (openpyxl) and the
comments, and checks them all: ~0.9 CPU-s. ``relkit run`` has done it once
before any notebook starts, so it keeps the result in the run's working
folder (next to the imported exports) and each kernel reads it back instead
of validating again: six kernels, ~5 CPU-s saved on the demo.

The kept copy is used only while the engagement's files are the ones it was
made from: a stamp of every file under the engagement folder, and of the
brand file with its folder (size and modification time), is stored with it
and compared when it is read. A notebook run on its own (Papermill, Jupyter)
has no kept copy, or a stale one, and validates as before.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

from relkit.io.brand import find_brand_file

HANDOVER_FILE = "engagement.pickle"


def stamp(folder: Path) -> tuple:
    """What identifies the engagement's inputs as they are now."""
    folder = Path(folder).resolve()
    entries = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            st = path.stat()
            entries.append((str(path.relative_to(folder)), st.st_size, st.st_mtime_ns))
    brand = find_brand_file(folder)
    if brand is not None and not brand.is_relative_to(folder):
        for path in sorted(p for p in brand.parent.iterdir() if p.is_file()):
            st = path.stat()
            entries.append((str(path), st.st_size, st.st_mtime_ns))
    return str(folder), tuple(entries)


def keep(data, directory: Path) -> Path:
    """Keep the validated engagement (without the imported exports, saved
    apart) for the kernels of this run."""
    from dataclasses import replace

    target = Path(directory) / HANDOVER_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump((stamp(data.folder), replace(data, folder=Path(data.folder).resolve(), imports={})), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, target)
    return target


def kept(folder: Path, directory: Path | None):
    """The engagement kept by ``keep`` for ``folder``, or None when there is
    none or the engagement's files changed since."""
    if directory is None:
        return None
    path = Path(directory) / HANDOVER_FILE
    try:
        with open(path, "rb") as fh:
            made_from, data = pickle.load(fh)  # noqa: S301 - written by this run, in its own working folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    try:
        return data if made_from == stamp(folder) else None
    except OSError:
        return None
