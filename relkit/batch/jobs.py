"""What a batch is made of: one ``Job`` per client, from a folder of
engagement folders or from a CSV list.

A ``Job`` is plain data (strings, numbers, lists) so it pickles for Dask and
serialises to JSON for the per-client subprocess.
"""
from __future__ import annotations

import csv
import io
import os
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

ENGAGEMENT_FILE = "engagement.yaml"
LANGUAGES = ("fr", "en")

# CSV headers, French or English, compared without case or accents.
COLUMNS = {
    "folder": "folder", "dossier": "folder", "engagement": "folder",
    "lang": "lang", "langue": "lang", "language": "lang",
    "out": "out", "sortie": "out", "output": "out",
}


class BatchError(ValueError):
    """The batch list itself is wrong (nothing was started); one line per problem."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class Job:
    """One client of a batch: the arguments of ``relkit.run`` plus batch settings.

    ``out`` is the deliverables root (the client's go to ``out/<slug>/``);
    ``jobs`` the notebooks run in parallel inside this client's run (None: the
    runner decides); ``client_timeout`` the wall-clock limit of the whole run.
    """

    folder: str
    lang: str | None = None
    out: str = "reports"
    working: str | None = None
    timeout: int | None = 600
    force: bool = False
    notebooks: list[str] | None = None
    jobs: int | None = None
    client_timeout: float | None = None
    final: bool = False  # publish only when no points to check are open (relkit run --final)

    def __post_init__(self):
        self.folder = str(Path(self.folder).resolve())
        self.out = str(Path(self.out).resolve())
        self.working = str(Path(self.working).resolve()) if self.working else None
        self.notebooks = [str(Path(p).resolve()) for p in self.notebooks] if self.notebooks else None

    def to_dict(self) -> dict:
        return asdict(self)


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKD", header.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _read_csv_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # saved by a French Excel


def _folders_of(source: Path) -> list[Path]:
    if (source / ENGAGEMENT_FILE).is_file():  # a single engagement folder
        return [source]
    found = sorted(p for p in source.iterdir()
                   if p.is_dir() and not p.name.startswith(".") and (p / ENGAGEMENT_FILE).is_file())
    if not found:
        raise BatchError([f"{source}: no engagement folder (a subfolder with {ENGAGEMENT_FILE}) found"])
    return found


def _rows_of(path: Path) -> list[tuple[Path, str | None, Path | None]]:
    """(folder, lang, out) per line of a CSV list; every bad line reported at once."""
    try:
        text = _read_csv_text(path)
    except OSError as exc:
        raise BatchError([f"{path}: cannot be read ({exc.strerror or exc})"]) from None
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise BatchError([f"{path}: empty list (expected a header line with a 'folder' column)"])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns = [COLUMNS.get(_key(h)) for h in header]
    if "folder" not in columns:
        raise BatchError([f"{path}, line 1: no 'folder' (or 'dossier') column; found {', '.join(repr(h) for h in header)}"])
    base = path.parent
    rows, problems, seen = [], [], {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        values = {col: cells[i].strip() for i, col in enumerate(columns) if col and i < len(cells)}
        where = f"{path}, line {number}"
        folder_text = values.get("folder", "")
        if not folder_text:
            problems.append(f"{where}: column 'folder' is empty")
            continue
        folder = Path(os.path.expanduser(folder_text))
        folder = (folder if folder.is_absolute() else base / folder).resolve()
        lang = values.get("lang") or None
        if lang is not None:
            lang = lang.lower()
            if lang not in LANGUAGES:
                problems.append(f"{where}: column 'lang': expected fr or en, got {values['lang']!r}")
                continue
        out_text = values.get("out") or None
        out = None
        if out_text:
            out = Path(os.path.expanduser(out_text))
            out = (out if out.is_absolute() else base / out).resolve()
        if not folder.is_dir():
            problems.append(f"{where}: folder {folder_text!r} not found ({folder})")
            continue
        if not (folder / ENGAGEMENT_FILE).is_file():
            problems.append(f"{where}: folder {folder_text!r} has no {ENGAGEMENT_FILE} (relkit new creates one)")
            continue
        if folder in seen:
            problems.append(f"{where}: folder {folder_text!r} is already listed on line {seen[folder]}")
            continue
        seen[folder] = number
        rows.append((folder, lang, out))
    if problems:
        raise BatchError(problems)
    if not rows:
        raise BatchError([f"{path}: no client listed"])
    return rows


def jobs_from(source: str | Path, out: str | Path = "reports", lang: str | None = None, *,
              working: str | Path | None = None, timeout: int | None = 600, force: bool = False,
              notebooks: list[str | Path] | None = None, client_timeout: float | None = None,
              jobs: int | None = None, final: bool = False) -> list[Job]:
    """The batch's jobs.

    ``source`` is a folder of engagement folders (every subfolder with an
    engagement.yaml, in name order) or a ``.csv`` list with a ``folder``
    column (relative to the CSV's folder, or absolute) and optional ``lang``
    and ``out`` columns overriding ``lang``/``out`` for that client (French
    headers ``dossier``, ``langue``, ``sortie`` too; ``,`` or ``;`` separated).
    Raises BatchError naming the file and line of every bad row.
    """
    source = Path(source)
    if lang is not None and lang not in LANGUAGES:
        raise BatchError([f"language must be fr or en, got {lang!r}"])
    if source.suffix.lower() == ".csv":
        if not source.is_file():
            raise BatchError([f"{source}: list not found"])
        rows = _rows_of(source)
    elif source.is_dir():
        rows = [(f.resolve(), None, None) for f in _folders_of(source)]
    else:
        raise BatchError([f"{source}: not a folder of engagement folders nor a .csv list"])
    return [Job(folder=str(folder), lang=row_lang or lang, out=str(row_out or out),
                working=str(working) if working else None, timeout=timeout, force=force,
                notebooks=[str(p) for p in notebooks] if notebooks else None, jobs=jobs,
                client_timeout=client_timeout, final=final)
            for folder, row_lang, row_out in rows]
