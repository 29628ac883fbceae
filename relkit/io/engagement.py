"""The engagement: who the client is and what they aim for (engagement.yaml)."""
from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Annotated, Any, Literal, get_args

import yaml
from babel.numbers import get_currency_name
from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError,
                      field_validator, model_validator)
from slugify import slugify

from relkit.io.parsing import fold, parse_amount, parse_date, parse_int, parse_number, parse_rate, percent_text, rate_form
from relkit.io.problems import Problem
from relkit.io.resources import TEMPLATES_DIR, load_yaml

ENGAGEMENT_FILE = "engagement.yaml"


def _amount(value):
    return parse_amount(value)


def _date(value):
    return None if value in (None, "") else parse_date(value)


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _year(value):
    return parse_int(value) if isinstance(value, str) else value


def _rate(value):
    return parse_rate(value)


def _number(value):
    return parse_number(value)


class OutOfRange(ValueError):
    """A number outside its plausible range; the message says the range and
    ``_explain`` adds the value as written."""


def _plain(number: float) -> str:
    """10000000000 -> '10 000 000 000', 2100 -> '2100' (as a French consultant writes them)."""
    if float(number).is_integer() and abs(number) >= 10_000:
        return f"{int(number):,}".replace(",", " ")
    if float(number).is_integer():
        return str(int(number))
        return f"{int(number):,}".replace(",", " ")
    return f"{number:g}"


def between(lo: float, hi: float, unit: str = "", *, above: bool = False, rate: bool = False) -> AfterValidator:
    """The plausible range of a number of engagement.yaml: from ``lo`` (or above it,
    ``above=True``) to ``hi``; ``rate`` shows a rate's range in percent."""
    show = (lambda x: f"{_plain(x * 100)} %") if rate else _plain
    noun = "a rate" if rate else "a value"
    text = (f"expected {noun} above {show(lo)} and at most {show(hi)}" if above
            else f"expected {noun} from {show(lo)} to {show(hi)}") + (f" ({unit})" if unit else "")

    def check(value):
        if value is not None and ((value <= lo if above else value < lo) or value > hi):
            raise OutOfRange(text)
        return value

    return AfterValidator(check)


# Plausible ranges (issue 11): wide enough for any real client, narrow enough
# to catch a slipped finger (a VMC over a million years) or a wrong unit.
MAX_REVENUE = 1e10  # revenue, targets and forecasts, in the engagement's currency
MAX_TRANSACTION = 1e8  # one average purchase
MAX_COST_TO_REACH = 1e4  # reaching one prospect
MAX_HOURLY_COST = 1e3
MAX_ENVELOPE = 1e9  # one quarter's marketing budget
MAX_PRESSURE = 100  # messages per person and month

Amount = Annotated[float, BeforeValidator(_amount), Field(ge=0)]
Revenue_ = Annotated[float, BeforeValidator(_amount), Field(ge=0), between(0, MAX_REVENUE)]
Percent = Annotated[float, BeforeValidator(_rate), between(0, 1, rate=True)]
Rate = Annotated[float, BeforeValidator(_rate), between(0, 1, above=True, rate=True)]
FrDate = Annotated[dt.date | None, BeforeValidator(_date)]
Text = Annotated[str, BeforeValidator(_stripped), Field(min_length=1)]
OptText = Annotated[str | None, BeforeValidator(_stripped)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Client(_Strict):
    name: Text
    brand: OptText = None
    sector: Text
    model: Literal["B2C", "B2B", "B2B2C"]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "FR"


class Consultant(_Strict):
    name: Text
    firm: OptText = None


class Revenue(_Strict):
    last_year: Revenue_
    target: Revenue_
    target_deadline: FrDate = None


INSIDE = "expected a file inside the engagement folder (a path relative to it, without '..')"


def _inside(value):
    """A path relative to the engagement folder that stays inside it (checked on
    the text; links are checked against the folder by relkit.validate)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    posix = text.replace("\\", "/")
    if (PurePosixPath(posix).is_absolute() or PureWindowsPath(text).drive
            or os.path.normpath(posix).split("/")[0] == ".."):
        raise ValueError(f"{INSIDE}, got {value!r}")
    return text


InsidePath = Annotated[str, BeforeValidator(_inside), Field(min_length=1)]


class Source(_Strict):
    """One export file of the client's: where it is and how to read it."""

    file: InsidePath  # relative to the engagement folder
    preset: OptText = None  # e.g. shopify_customers, generic_billing (README lists them)
    columns: dict[str, str] = Field(default_factory=dict)  # relkit field -> header in the file
    options: dict[str, str] = Field(default_factory=dict)  # encoding, separator, decimal, date_format


class CustomerData(_Strict):
    """The client's customer file: contacts, transactions, or both."""

    customers: Source | None = None
    transactions: Source | None = None
    reference_date: FrDate = None  # RFM "as of"; default: the day after the last transaction
    dormant_months: Annotated[int, between(1, 120, "months")] = 12
    new_months: Annotated[int, between(1, 36, "months")] = 3
    stale_years: Annotated[int, between(1, 20, "years")] = 3  # CNIL reference for inactive contacts

    @model_validator(mode="after")
    def _one_source(self):
        if self.customers is None and self.transactions is None:
            raise ValueError("customer_data needs customers: or transactions: (or both)")
        return self


class Value(_Strict):
    """VMC parameters (seed 001); the ones left out are measured from the data."""

    period_years: Annotated[float, BeforeValidator(_number), between(1, 20, "years")] = 3
    purchases_per_year: Annotated[float, BeforeValidator(_number), between(0, 365, "purchases a year", above=True)] | None = None
    retention: Percent | None = None
    average_transaction: Annotated[float, BeforeValidator(_amount), Field(ge=0), between(0, MAX_TRANSACTION)] | None = None
    margin: Percent | None = None
    cost_to_reach: Annotated[float, BeforeValidator(_amount), Field(ge=0), between(0, MAX_COST_TO_REACH)] | None = None
    conversion_rate: Rate | None = None


class JourneyAxes(_Strict):
    """The engagement's own journey stages and channels (replace the defaults)."""

    stages: Annotated[list[Text], Field(min_length=2)] | None = None
    channels: Annotated[list[Text], Field(min_length=1)] | None = None


QUARTERS = ("T1", "T2", "T3", "T4")


def _budget_cell(value):
    from relkit.io.budget_cells import parse_budget_cell

    line = parse_budget_cell(value)
    if line is None:
        raise ValueError(f"expected an amount such as '1 250 €', optionally '+ 30 % du CA', got {value!r}")
    if line.money > MAX_ENVELOPE:
        raise OutOfRange(f"expected at most {_plain(MAX_ENVELOPE)} a quarter")
    if not 0 <= line.percent <= 1:
        raise OutOfRange("expected a share of revenue from 0 % to 100 %")
    if line.hours_per_week > 168 or line.hours_per_month > 744:
        raise OutOfRange("expected at most 168 hours a week (744 a month)")
    return line


def _quarter_keys(value):
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        q = str(key).strip().upper().replace("Q", "T")
        if q not in QUARTERS:
            raise ValueError(f"quarter {key!r}: expected T1, T2, T3 or T4 (Q1…Q4 accepted)")
        out[q] = item
    return out


Envelope = Annotated[object, BeforeValidator(_budget_cell)]


class BudgetSettings(_Strict):
    """How the marketing budget is set (seeds 001, 003): a fixed envelope per
    quarter (money and/or a share of revenue), a share of revenue, or from
    the objectives; the revenue forecast turns "% du CA" items into euros."""

    method: Literal["fixed", "percent_of_revenue", "objective"] = "fixed"
    envelopes: Annotated[dict[str, Envelope], BeforeValidator(_quarter_keys)] = Field(default_factory=dict)
    revenue_forecast: Annotated[dict[str, Revenue_], BeforeValidator(_quarter_keys)] = Field(default_factory=dict)
    percent_of_revenue: Percent | None = None
    hourly_cost: Annotated[float, BeforeValidator(_amount), Field(ge=0), between(0, MAX_HOURLY_COST)] | None = None

    @model_validator(mode="after")
    def _method_needs(self):
        if self.method == "percent_of_revenue" and self.percent_of_revenue is None:
            raise ValueError("budget.percent_of_revenue is needed when budget.method is 'percent_of_revenue' (e.g. '10 %')")
        return self

    def forecast(self, revenue_target: float) -> dict[str, float]:
        """Quarterly revenue forecast; quarters left out share what the target leaves."""
        given = {q: self.revenue_forecast[q] for q in QUARTERS if q in self.revenue_forecast}
        missing = [q for q in QUARTERS if q not in given]
        rest = max(revenue_target - sum(given.values()), 0.0)
        return {q: given.get(q, rest / len(missing) if missing else 0.0) for q in QUARTERS}


class Funnel(_Strict):
    """Conversion rates of the backward funnel (seed 003), from visitor to
    customer; a step left out is not part of this client's funnel."""

    visitor_to_lead: Rate | None = None
    lead_to_mql: Rate | None = None
    mql_to_sql: Rate | None = None
    sql_to_customer: Rate | None = None
    lead_to_customer: Rate | None = None  # B2C: a lead (e.g. newsletter sign-up) buys directly
    basis: Literal["basket", "vmc"] = "basket"

    @model_validator(mode="after")
    def _one_path(self):
        if self.lead_to_customer is not None and any(
                getattr(self, k) is not None for k in ("lead_to_mql", "mql_to_sql", "sql_to_customer")):
            raise ValueError("funnel.lead_to_customer replaces lead_to_mql, mql_to_sql and sql_to_customer; give one path")
        return self

    def steps(self) -> list[tuple[str, float]]:
        """(stage, rate of going from that stage to the next), from the stage
        nearest the sale back to the visitor: [("lead", 0.2), ("visitor", 0.1)]."""
        chain = (("sql", self.sql_to_customer), ("mql", self.mql_to_sql), ("lead", self.lead_to_mql),
                 ("lead", self.lead_to_customer), ("visitor", self.visitor_to_lead))
        return [(stage, rate) for stage, rate in chain if rate is not None]


PressureCap = Annotated[float, BeforeValidator(_number), between(0, MAX_PRESSURE, "messages a month")]
# Caps that apply when engagement.yaml has no pressure: block, to the channels
# of the journey's list that are e-mail or SMS (all of them with the default list).
DEFAULT_PRESSURE = {"email": 4.0, "sms": 2.0}


@functools.cache
def _channel_codes() -> dict[str, str]:
    """fold(code, French or English label) -> code of the default channel list."""
    items = load_yaml(TEMPLATES_DIR / "workshop" / "lists.yaml")["channel"]
    return {fold(name): item["code"] for item in items for name in (item["code"], item["fr"], item["en"])}


def channel_code(name: str) -> str | None:
    """The default list's code of a channel name ('E-mail' -> 'email'), or None."""
    return _channel_codes().get(fold(name))


def default_pressure(channels: list[str] | None) -> dict[str, float]:
    """The default caps of the channels that exist: every default cap with the
    default channel list, else only those of channels the engagement's list has."""
    if channels is None:
        return dict(DEFAULT_PRESSURE)
    present = {channel_code(c) for c in channels}
    return {code: cap for code, cap in DEFAULT_PRESSURE.items() if code in present}


def deadline_problem(revenue: Revenue, plan_year: int) -> str | None:
    """The rule across revenue: and plan_year: (also checked when other keys fail)."""
    deadline = revenue.target_deadline
    if deadline is not None and deadline.year < plan_year:
        return f"revenue.target_deadline {deadline:%d/%m/%Y} is before the plan year {plan_year}"
    return None


class Engagement(_Strict):
    """Client identity and targets; the workshop entries live in the .xlsx."""

    client: Client
    consultant: Consultant
    language: Literal["fr", "en"] = "fr"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    plan_year: Annotated[int, BeforeValidator(_year), between(2000, 2100)]
    revenue: Revenue
    workshop_file: InsidePath = "atelier.xlsx"
    report_date: FrDate = None
    customer_data: CustomerData | None = None
    journey: JourneyAxes = Field(default_factory=JourneyAxes)
    value: Value = Field(default_factory=Value)
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    # Marketing pressure: at most this many messages per person per month, by
    # channel code of the journey's channel list (e-mail, sms…) and "total".
    # Left out: DEFAULT_PRESSURE for the channels that exist (see _default_caps).
    pressure: dict[str, PressureCap] = Field(default_factory=lambda: dict(DEFAULT_PRESSURE))
    funnel: Funnel = Field(default_factory=Funnel)

    @model_validator(mode="after")
    def _default_caps(self):
        """Default caps only for channels the journey has; ``pressure`` stays the
        effective caps, and ``model_fields_set`` still says whether it was written."""
        if "pressure" not in self.model_fields_set:
            self.__dict__["pressure"] = default_pressure(self.journey.channels)  # frozen model: set once, here
        return self

    @property
    def pressure_written(self) -> dict[str, float] | None:
        """The caps as engagement.yaml gives them, None when it has no pressure: block."""
        return self.pressure if "pressure" in self.model_fields_set else None

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str) -> str:
        if get_currency_name(code, locale="en") == code:
            raise ValueError(f"expected an ISO 4217 currency code such as 'EUR', got {code!r}")
        return code

    @model_validator(mode="after")
    def _deadline_in_plan(self):
        message = deadline_problem(self.revenue, self.plan_year)
        if message:
            raise ValueError(message)
        return self

    @property
    def brand(self) -> str:
        return self.client.brand or self.client.name

    @property
    def slug(self) -> str:
        return slugify(self.client.name) or "client"


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
