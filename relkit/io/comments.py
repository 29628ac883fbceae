"""The consultant's own words: comments for the report's sections, from the
workshop sheet "Commentaires" and from Markdown files in the engagement's
commentaires/ (or comments/) folder.

A file is named after its section, ``swot.md``; its position is the default
(after the section) unless the name ends with one (``swot.avant.md``,
``budget.remplace.md``, ``kpi.before.md``) or the file starts with a line
``position: avant`` (alone or in a front matter block between ``---`` lines,
which may also name the ``section:``, then the file name is free)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from relkit.io import sections
from relkit.io.parsing import is_blank
from relkit.io.problems import Problem

FOLDERS = ("commentaires", "comments")
_FIELD = re.compile(r"^\s*(section|position)\s*:\s*(.*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Comment:
    section: str  # a section id (relkit.io.sections)
    position: str  # before / after / replace
    text: str  # Markdown
    source: str  # where it was written, for messages


def from_sheet(frame: pd.DataFrame | None, file: str, title: str) -> list[Comment]:
    """The rows of the (already checked) Commentaires sheet, in order."""
    if frame is None or not len(frame):
        return []
    out = []
    for _, r in frame.iterrows():
        if is_blank(r["text"]):
            continue
        position = r["position"] if isinstance(r["position"], str) else sections.DEFAULT_POSITION
        out.append(Comment(r["section"], position, str(r["text"]), f"{file}: sheet '{title}', row {r['row']}"))
    return out


def _front(lines: list[str]) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """Fields of the front line(s) -> (line number, value), and the body's lines."""
    fields: dict[str, tuple[int, str]] = {}
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start < len(lines) and lines[start].strip() == "---":
        end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for i in range(start + 1, end):
                m = _FIELD.match(lines[i])
                if m:
                    fields[m.group(1).lower()] = (i + 1, m.group(2))
            return fields, lines[end + 1:]
    i = start
    while i < len(lines) and (m := _FIELD.match(lines[i])):
        fields[m.group(1).lower()] = (i + 1, m.group(2))
        i += 1
    return fields, lines[i:]


def read_file(path: Path, lang: str = "fr") -> tuple[Comment | None, list[Problem]]:
    """One Markdown comment file: its comment (None when empty) and its problems."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(name, "", "is not UTF-8 text; save it as UTF-8")]
    except OSError as exc:
        return None, [Problem(name, "", f"cannot be read ({exc.strerror or type(exc).__name__})")]
    fields, body = _front(text.splitlines())
    body_text = "\n".join(body).strip()
    parts = path.name[: -len(path.suffix)].split(".")
    problems = []
    suffix = sections.position_code(parts[-1]) if len(parts) > 1 else None
    if len(parts) > 1 and suffix is None:
        problems.append(Problem(name, "file name", sections.unknown_position(parts[-1], lang)
                                + " (name a file <section>.md or <section>.<position>.md)"))
    position = suffix
    if "position" in fields:
        line, value = fields["position"]
        code = sections.position_code(value)
        if code is None:
            problems.append(Problem(name, f"line {line}", sections.unknown_position(value, lang)))
        elif suffix is not None and code != suffix:
            problems.append(Problem(name, f"line {line}", f"position {value!r} contradicts the file name's "
                                                          f"{parts[-1]!r}; keep one"))
        position = position or code
    if "section" in fields:
        line, value = fields["section"]
        section, where = sections.section_id(value), f"line {line}"
    else:
        value = ".".join(parts[:-1]) if len(parts) > 1 else parts[0]
        section, where = sections.section_id(value), "file name"
    if section is None:
        problems.append(Problem(name, where, sections.unknown_section(value, lang)))
    if problems or not body_text:
        return None, problems
    return Comment(section, position or sections.DEFAULT_POSITION, body_text, name), []


def from_folder(folder: Path, lang: str = "fr") -> tuple[list[Comment], list[Problem]]:
    """Every comment file of the engagement's commentaires/ or comments/ folder, by name."""
    comments, problems = [], []
    for sub in FOLDERS:
        base = Path(folder) / sub
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            if not path.is_file() or path.suffix.lower() not in (".md", ".markdown", ".txt") or path.name.startswith("."):
                continue
            comment, more = read_file(path, lang)
            problems += more
            if comment is not None:
                comments.append(comment)
    return comments, problems
