"""Reading engagement.yaml: the model when it is valid, else every problem in
plain words and the parts that parsed (so the other files are checked in the
same pass)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, get_args

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from relkit.io.channels import default_pressure
from relkit.io.engagement import CustomerData, Engagement, JourneyAxes, OutOfRange, deadline_problem
from relkit.io.parsing import parse_rate, percent_text, rate_form
from relkit.io.problems import Problem

ENGAGEMENT_FILE = "engagement.yaml"


_FRIENDLY = {
    "missing": "missing required key",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "int_parsing_size": "expected a whole number",
    "finite_number": "expected a number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "list_type": "expected a list (YAML lines starting with '- ', or [a, b])",
    "string_type": "expected text",
    "dict_type": "expected a group of keys (a YAML mapping)",
    "model_type": "expected a group of keys (a YAML mapping)",
    "greater_than_equal": "expected a value >= {ge}",
    "greater_than": "expected a value > {gt}",
    "less_than_equal": "expected a value <= {le}",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
}


def _model_in(annotation) -> type[BaseModel]:
    """The model inside ``Model | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel))


def _explain(err: dict, model: type[BaseModel]) -> tuple[str, str]:
    loc = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    got = err.get("input")
    if kind == "extra_forbidden":
        parent = model
        for part in err["loc"][:-1]:
            parent = _model_in(parent.model_fields[part].annotation)
        allowed = ", ".join(parent.model_fields)
        return f"key '{loc}'", f"unknown key (expected one of: {allowed})"
    if kind == "literal_error":
        return f"key '{loc}'", f"expected one of {err['ctx']['expected']}, got {got!r}"
    if kind == "string_pattern_mismatch":
        hint = "a 2-letter country code such as 'FR'" if loc.endswith("country") else "a 3-letter ISO code such as 'EUR'"
        return f"key '{loc}'", f"expected {hint}, got {got!r}"
    if kind == "value_error":
        error = err["ctx"]["error"]
        msg = str(error)
        if isinstance(error, OutOfRange):
            return f"key '{loc}'", f"{msg}, got {got!r}"
        if not loc:  # model-level rule: name the key it is about
            key = msg.split(" ", 1)[0]
            return f"key '{key}'", msg.split(" ", 1)[1]
        return f"key '{loc}'", msg
    template = _FRIENDLY.get(kind)
    if template:
        msg = template.format(**err.get("ctx", {}))
        if kind == "too_short" and err.get("ctx", {}).get("min_length", 1) > 1:
            msg = f"expected at least {err['ctx']['min_length']} items, got {len(got)}"
        elif kind in ("string_too_short", "too_short"):
            msg = "must not be empty"
        elif kind == "greater_than_equal" and err["ctx"].get("ge") == 0:
            msg = f"must not be negative, got {got!r}"
        elif kind != "missing":
            msg = f"{msg}, got {got!r}"
        return f"key '{loc}'", msg
    return f"key '{loc}'", err["msg"]


# ---------------------------------------------------------------- rates: one style
RATE_KEYS = (("value", "retention"), ("value", "margin"), ("value", "conversion_rate"),
             ("budget", "percent_of_revenue"), *(("funnel", k) for k in
                                                 ("visitor_to_lead", "lead_to_mql", "mql_to_sql", "sql_to_customer",
                                                  "lead_to_customer")))


def _rate_style_problems(raw: dict, name: str, failed: set[str]) -> list[Problem]:
    """Rates written as bare fractions (0.75) and as bare percent points (3) in the
    same engagement: a bare 0.5 could then be 50 % or 0.5 %. One line, at the first
    rate in percent points, saying how each was read and how to write it."""
    fractions, points = [], []
    for block, key in RATE_KEYS:
        node = raw.get(block)
        if not isinstance(node, dict) or key not in node or f"{block}.{key}" in failed:
            continue
        value, form = node[key], rate_form(node[key])
        if form in ("fraction", "points"):
            (fractions if form == "fraction" else points).append((f"{block}.{key}", value, parse_rate(value)))
    if not fractions or not points:
        return []
    (key, value, rate), *others = points
    read = f"got {value!r}, read as {percent_text(rate)}"
    read += "".join(f", and '{k}' ({v!r}) as {percent_text(r)}" for k, v, r in others)
    names = " and ".join(f"'{k}' ({v!r})" for k, v, _ in fractions)
    as_read = " and ".join(percent_text(r) for _, _, r in fractions)
    written = "are written as fractions" if len(fractions) > 1 else "is written as a fraction"
    examples = ", ".join(f"'{percent_text(r)}'" for _, _, r in points + fractions)
    return [Problem(name, f"key '{key}'", f"{read}, while {names} {written}, read as {as_read}; "
                                          f"write the rates with a % sign ({examples}) to be explicit")]


# ---------------------------------------------------------------- reading
@dataclass(frozen=True)
class EngagementParts:
    """What parsed of an engagement.yaml that has problems: enough to check the
    other files in the same pass. A key that did not parse is None (journey,
    plan_year, workshop_file, customer_data, pressure_written), so checks that
    need it are skipped; the rest has the value given or its default."""

    language: str = "fr"
    plan_year: int | None = None
    journey: JourneyAxes | None = None
    workshop_file: str | None = "atelier.xlsx"
    customer_data: CustomerData | None = None
    pressure_written: dict[str, float] | None = None
    currency: str | None = None

    @property
    def pressure(self) -> dict[str, float]:
        if self.pressure_written is not None:
            return self.pressure_written
        return default_pressure(self.journey.channels) if self.journey is not None else {}


@functools.cache
def _adapter(name: str) -> TypeAdapter:
    info = Engagement.model_fields[name]
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation)


def _parts(raw: dict, failed: set[str]) -> tuple[dict[str, Any], EngagementParts]:
    """Each top-level key of ``raw`` that has no problem, validated on its own
    (the values by key, and the parts the other files' checks need)."""
    values: dict[str, Any] = {}
    for name in ("language", "plan_year", "journey", "workshop_file", "customer_data", "pressure", "currency",
                 "revenue"):
        if name in failed:
            values[name] = None
            continue
        try:
            values[name] = (_adapter(name).validate_python(raw[name]) if name in raw
                            else Engagement.model_fields[name].get_default(call_default_factory=True))
        except (ValidationError, KeyError):
            values[name] = None
    return values, EngagementParts(
        language=values["language"] or "fr", plan_year=values["plan_year"], journey=values["journey"],
        workshop_file=values["workshop_file"], customer_data=values["customer_data"],
        pressure_written=values["pressure"] if "pressure" in raw else None, currency=values["currency"])


def read_engagement_parts(folder: Path) -> tuple[Engagement | None, EngagementParts | Engagement | None, list[Problem]]:
    """(engagement, parts, problems): the model when engagement.yaml is valid;
    otherwise every problem and, when the YAML could be read as a mapping, the
    parts that parsed (the engagement itself when valid; None when unreadable)."""
    path = Path(folder) / ENGAGEMENT_FILE
    name = str(path)
    if path.is_dir():
        return None, None, [Problem(name, "", "is a folder; expected the engagement file (`relkit new` creates one)")]
    if not path.is_file():
        return None, None, [Problem(name, "", "file not found (every engagement folder needs one; `relkit new` creates it)")]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, None, [Problem(name, "", "not UTF-8 text; save it as UTF-8")]
    except OSError as exc:
        return None, None, [Problem(name, "", f"cannot be read ({exc.strerror or type(exc).__name__})")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        return None, None, [Problem(name, where, f"not valid YAML ({getattr(exc, 'problem', None) or exc})")]
    if not isinstance(raw, dict):
        return None, None, [Problem(name, "", "expected a YAML mapping of keys (client:, consultant:, plan_year: …)")]
    raw = {str(k): v for k, v in raw.items()}
    try:
        eng = Engagement.model_validate(raw)
    except ValidationError as exc:
        problems, failed = [], set()
        for err in exc.errors(include_url=False):
            where, msg = _explain(err, Engagement)
            problems.append(Problem(name, where, msg))
            loc = [str(p) for p in err["loc"]]
            failed.update(".".join(loc[:i]) for i in range(1, len(loc) + 1))
        values, parts = _parts(raw, failed)
        whole_rules_ran = any(not err["loc"] for err in exc.errors())  # pydantic runs them only when all keys parse
        if not whole_rules_ran and values["revenue"] is not None and values["plan_year"] is not None:
            rule = deadline_problem(values["revenue"], values["plan_year"])
            if rule:
                problems.append(Problem(name, "key 'revenue.target_deadline'", rule.split(" ", 1)[1]))
        problems += _rate_style_problems(raw, name, failed)
        return None, parts, problems
    problems = _rate_style_problems(raw, name, set())
    return (None, eng, problems) if problems else (eng, eng, [])


def read_engagement(folder: Path) -> tuple[Engagement | None, list[Problem]]:
    """Parse engagement.yaml; return the model or every problem found."""
    eng, _, problems = read_engagement_parts(folder)
    return eng, problems
