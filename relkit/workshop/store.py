"""Saving what the workshop decides back into the engagement, without losing
anything: only the edited sheet's data cells are written (every other sheet,
cell, comment, format and drop-down stays as it was), the previous file is
kept as a timestamped backup, the write is atomic, and a file changed on disk
since it was loaded (edited in Excel meanwhile) is never overwritten.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from relkit.io.engagement_file import ENGAGEMENT_FILE, read_engagement
from relkit.io.parsing import is_blank
from relkit.io.problems import Problem, ValidationFailed
from relkit.io.atelier import (FIRST_DATA_ROW, HEADER_ROW, Sheet, check_rows, choice_label, find_sheet, header_positions,
                             lists, raw_rows, sheet)
from relkit.views.excel.atomic import save_atomic

BACKUP_DIR = "sauvegardes"  # inside the engagement folder


class ChangedOnDisk(Exception):
    """The file was changed by someone else since the editor loaded it."""


class InvalidEntries(Exception):
    """Entries that do not pass the workshop rules; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.where}: {p.message}" for p in problems))
        self.problems = problems


def fingerprint(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def backup(path: Path) -> Path:
    """Copy ``path`` to <engagement>/sauvegardes/<name>-<timestamp><suffix>."""
    path = Path(path)
    target_dir = path.parent / BACKUP_DIR
    target_dir.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = target_dir / f"{path.stem}-{stamp}{path.suffix}"
    shutil.copy2(path, target)
    return target


def cell_value(col, value):
    """What to write in a cell for a column: labels for codes, the text a
    consultant typed for parsed budget cells and month lists."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "text") and hasattr(value, "money"):  # a BudgetLine
        return value.text or None
    if isinstance(value, tuple):  # months
        return ", ".join(str(v) for v in value) or None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


@dataclass
class Saved:
    path: Path
    backup: Path


class WorkshopStore:
    """The engagement's workshop workbook, as the editors see and save it."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        eng, problems = read_engagement(self.folder)
        if eng is None:
            raise ValidationFailed(problems)
        self.engagement = eng
        self.lang = eng.language
        self.path = self.folder / eng.workshop_file
        self.reload()

    # -- reading ------------------------------------------------------------
    def reload(self) -> None:
        """Read the file again (after a refused save, or to see Excel's edits)."""
        self._fingerprint = fingerprint(self.path)
        data = self.path.read_bytes()
        wb = load_workbook(io.BytesIO(data), data_only=True)
        self._rows: dict[str, list[dict]] = {}
        self._headers: dict[str, dict[str, str]] = {}
        self._titles: dict[str, str] = {}
        from relkit.io.atelier import sheets

        for s in sheets():
            ws = find_sheet(wb, s)
            if ws is None:
                self._rows[s.key], self._headers[s.key], self._titles[s.key] = [], {}, s.title[self.lang]
                continue
            headers, position = header_positions(ws, s)
            self._rows[s.key] = raw_rows(ws, s, position)
            self._headers[s.key] = {k: headers[i] for k, i in position.items()}
            self._titles[s.key] = ws.title
        wb.close()

    def changed_on_disk(self) -> bool:
        return fingerprint(self.path) != self._fingerprint

    def rows(self, sheet_key: str) -> list[dict]:
        """The sheet's rows as typed in the file (raw cell values, ``row`` = Excel row)."""
        return [dict(r) for r in self._rows[sheet_key]]

    def header(self, sheet_key: str, column: str) -> str:
        s = sheet(sheet_key)
        return self._headers.get(sheet_key, {}).get(column) or s.column(column).header[self.lang]

    def title(self, sheet_key: str) -> str:
        return self._titles.get(sheet_key) or sheet(sheet_key).title[self.lang]

    def check(self, sheet_key: str, rows: list[dict]) -> tuple[pd.DataFrame, list[Problem]]:
        """Typed records and problems for rows as the editor holds them;
        rows are numbered in order from the first data row when they have no ``row``."""
        numbered = [{**r, "row": r.get("row") or FIRST_DATA_ROW + i} for i, r in enumerate(rows)]
        return check_rows(sheet(sheet_key), numbered, str(self.path), f"sheet '{self.title(sheet_key)}'",
                          lambda key: self.header(sheet_key, key))

    # -- writing ------------------------------------------------------------
    def save(self, sheet_key: str, rows: list[dict]) -> Saved:
        """Write ``rows`` (raw values or codes) as the data of one sheet.

        Refuses (ChangedOnDisk) when the file changed since it was loaded and
        (InvalidEntries) when an entry breaks the workshop rules; in both cases
        nothing is written."""
        return self.save_sheets({sheet_key: rows})

    def save_sheets(self, rows_by_sheet: dict[str, list[dict]]) -> Saved:
        """``save`` for an editor of several sheets (the KPIs and their actuals):
        every sheet checked first, one backup, one write; nothing is written when
        one of them is refused."""
        if self.changed_on_disk():
            raise ChangedOnDisk(
                f"{self.path.name} was changed on disk since it was loaded (edited in Excel meanwhile?): nothing was "
                "saved. Reload to see the new version, then make your change again.")
        ordered = {key: [{k: v for k, v in r.items() if k != "row"} for r in rows]
                   for key, rows in rows_by_sheet.items()}
        problems = [p for key, rows in ordered.items() for p in self.check(key, rows)[1]]
        if problems:
            raise InvalidEntries(problems)
        wb = load_workbook(self.path)  # formulas, formats, comments and drop-downs are kept
        for sheet_key, records in ordered.items():
            s = sheet(sheet_key)
            ws = find_sheet(wb, s)
            if ws is None:
                raise InvalidEntries([Problem(
                    str(self.path), f"sheet '{s.title[self.lang]}'",
                    "missing sheet: add it (relkit new creates a complete workbook) before saving")])
            lang = "en" if ws.title == s.title["en"] and s.title["en"] != s.title["fr"] else self.lang
            _, position = header_positions(ws, s)
            last = max([r["row"] for r in self._rows[sheet_key]] + [FIRST_DATA_ROW - 1])
            for offset, record in enumerate(records):
                self._write(ws, s, position, FIRST_DATA_ROW + offset, record, lang)
            for row in range(FIRST_DATA_ROW + len(records), last + 1):  # rows removed in the workshop
                for key, idx in position.items():
                    ws.cell(row, idx + 1).value = None
        kept = backup(self.path)
        save_atomic(wb, self.path)
        wb.close()
        self.reload()
        return Saved(self.path, kept)

    @staticmethod
    def _write(ws, s: Sheet, position: dict[str, int], row: int, record: dict, lang: str) -> None:
        for col in s.columns:
            if col.key not in position:
                continue
            value = cell_value(col, record.get(col.key))
            if isinstance(value, bool):
                value = choice_label("yes_no", "yes" if value else "no", lang)
            elif col.list and isinstance(value, str) and any(i["code"] == value for i in lists()[col.list]):
                value = choice_label(col.list, value, lang)
            cell = ws.cell(row, position[col.key] + 1)
            if cell.value != value and not (is_blank(cell.value) and value is None):
                cell.value = value


class EngagementStore:
    """engagement.yaml, edited key by key with its comments and layout kept."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.path = self.folder / ENGAGEMENT_FILE
        self._fingerprint = fingerprint(self.path)

    def changed_on_disk(self) -> bool:
        return fingerprint(self.path) != self._fingerprint

    def reload(self) -> None:
        self._fingerprint = fingerprint(self.path)

    def save(self, updates: dict[str, object]) -> Saved:
        """Set dotted keys ("value.retention": "75 %"), keep everything else,
        check the result is still a valid engagement, then swap it in."""
        from ruamel.yaml import YAML
        from ruamel.yaml.comments import CommentedMap
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        if self.changed_on_disk():
            raise ChangedOnDisk(
                f"{self.path.name} was changed on disk since it was loaded: nothing was saved. Reload, then make "
                "your change again.")
        yaml = YAML()
        yaml.preserve_quotes = True
        doc = yaml.load(self.path.read_text(encoding="utf-8"))
        for dotted, value in updates.items():
            node = doc
            parts = dotted.split(".")
            for part in parts[:-1]:
                if part not in node or node[part] is None:
                    node.insert(len(node), part, CommentedMap())
                node = node[part]
            key = parts[-1]
            if isinstance(value, str):
                value = DoubleQuotedScalarString(value)
            if value is None:
                node.pop(key, None)
            elif key in node:
                node[key] = value
            else:  # first in its block: a comment after the block's last key stays where it is
                node.insert(0, key, value)
        buffer = io.StringIO()
        yaml.dump(doc, buffer)
        text = buffer.getvalue()
        staging = self.path.with_name(f".{self.path.name}.new")
        staging.write_text(text, encoding="utf-8")
        try:
            check_dir = self.folder / f".{ENGAGEMENT_FILE}.check"
            check_dir.mkdir(exist_ok=True)
            (check_dir / ENGAGEMENT_FILE).write_text(text, encoding="utf-8")
            eng, problems = read_engagement(check_dir)
            shutil.rmtree(check_dir, ignore_errors=True)
            if eng is None:
                raise InvalidEntries(problems)
            kept = backup(self.path)
            staging.replace(self.path)
        finally:
            staging.unlink(missing_ok=True)
        self.reload()
        return Saved(self.path, kept)
