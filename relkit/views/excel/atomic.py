"""Writing Excel deliverables safely."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def save_atomic(wb, path: Path | str) -> Path:
    """Save an openpyxl workbook next to its target, then swap it in: a
    failure never leaves a half-written deliverable behind."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
