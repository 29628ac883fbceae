"""Build deliverables aside, then swap them in only when everything succeeded."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged(final: Path):
    """Yield an empty staging folder beside ``final``; on normal exit it replaces
    ``final`` (old version removed), on any exception (Ctrl-C included) it is
    deleted and ``final`` is left exactly as it was."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    recover(final)
    stage = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging-", dir=final.parent))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    swap(stage, final)


def swap(stage: Path, final: Path) -> None:
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    try:
        os.replace(stage, final)
    except BaseException:
        if old.exists() and not final.exists():
            os.replace(old, final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def recover(final: Path) -> None:
    """Undo a swap interrupted between its two renames (power cut, kill -9)."""
    olds = sorted(final.parent.glob(f".{final.name}.old-*"))
    if olds and not final.exists():
        os.replace(olds[-1], final)
        olds = olds[:-1]
    for leftover in olds + list(final.parent.glob(f".{final.name}.staging-*")):
        shutil.rmtree(leftover, ignore_errors=True)
