"""Reading one declared export: the declaration checked, the file opened, its
rows built into the canonical table; every problem at once (never a pandas
traceback).
"""
from __future__ import annotations

import codecs
from pathlib import Path

from relkit.io.problems import Problem
from relkit.customers.io.build import build
from relkit.customers.io.columns import Mapping
from relkit.customers.io.dates import order_of
from relkit.customers.io.presets import DEFAULT_PRESET, presets
from relkit.customers.io.read import read_csv_table, read_xlsx_table
from relkit.customers.io.schema import FIELDS, PSEUDO_FIELDS, Imported, ImportFailed, SourceSpec

OPTIONS = ("encoding", "separator", "decimal", "date_format", "sheet")


def read_source(spec: SourceSpec) -> Imported:
    """Read one declared export into its canonical table; raise ImportFailed with
    every problem found (never a pandas traceback)."""
    path, file = Path(spec.file), str(spec.file)
    problems = _spec_problems(spec, file) + _file_problems(path, file)
    if problems:
        raise ImportFailed(problems)
    preset = presets()[spec.preset or DEFAULT_PRESET[spec.kind]]
    fallback = {"customer_id": preset.id_fallback} if preset.id_fallback and "customer_id" not in spec.columns else {}
    mapping = Mapping(spec.kind, {**preset.columns, **{f: ((h,),) for f, h in spec.columns.items()}},
                      declared=frozenset(spec.columns), fallback=fallback, amount_basis=preset.amount_basis)
    reader = read_xlsx_table if path.suffix.lower() == ".xlsx" else read_csv_table
    table = reader(path, file, spec.options, mapping)
    imported = build(spec.kind, table, preset, spec.options, file, spec.currency)
    imported.detected = {"file": file, "preset": preset.name, **imported.detected}
    return imported


def _spec_problems(spec: SourceSpec, file: str) -> list[Problem]:
    """Everything wrong with the declaration itself, before the file is opened."""
    name = spec.preset or DEFAULT_PRESET[spec.kind]
    problems = []
    if name not in presets():
        known = ", ".join(sorted(presets()))
        problems.append(Problem(file, f"preset '{name}'", f"unknown preset; expected one of {known}"))
    elif (kind := presets()[name].kind) != spec.kind:
        problems.append(Problem(file, f"preset '{name}'", f"is a {kind} preset, declared for {spec.kind}"))
    known = FIELDS[spec.kind] + PSEUDO_FIELDS
    problems += [Problem(file, f"columns '{f}'", f"unknown relkit field; expected one of {', '.join(known)}")
                 for f in spec.columns if f not in known]
    return problems + _option_problems(spec.options, file)


def _option_problems(options: dict, file: str) -> list[Problem]:
    problems = [Problem(file, f"option '{k}'", f"unknown option; expected one of {', '.join(OPTIONS)}")
                for k in options if k not in OPTIONS]
    if "decimal" in options and options["decimal"] not in (",", "."):
        problems.append(Problem(file, "option 'decimal'", f"expected ',' or '.', got {options['decimal']!r}"))
    if "separator" in options and len(str(options["separator"])) != 1:
        problems.append(Problem(file, "option 'separator'", f"expected one character, got {options['separator']!r}"))
    if "encoding" in options:
        try:
            codecs.lookup(options["encoding"])
        except LookupError:
            problems.append(Problem(file, "option 'encoding'", f"unknown encoding {options['encoding']!r}"))
    if "date_format" in options and order_of(options["date_format"]) is None:
        got = options["date_format"]
        problems.append(Problem(file, "option 'date_format'", f"expected %d, %m and %Y, e.g. '%d/%m/%Y', got {got!r}"))
    return problems


def _file_problems(path: Path, file: str) -> list[Problem]:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return [Problem(file, "", "old Excel .xls files are not supported; save it as .xlsx or 'CSV UTF-8'")]
    if suffix not in (".csv", ".txt", ".xlsx"):
        return [Problem(file, "", f"expected a .csv, .txt or .xlsx file, got '{path.suffix}'")]
    if not path.is_file():
        return [Problem(file, "", "file not found")]
    return []
