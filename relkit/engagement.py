"""The engagement: who the client is and what they aim for (engagement.yaml)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal, get_args

import yaml
from babel.numbers import get_currency_name
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator
from slugify import slugify

from .parsing import parse_amount, parse_date, parse_int, parse_number, parse_percent
from .problems import Problem

ENGAGEMENT_FILE = "engagement.yaml"


def _amount(value):
    return parse_amount(value)


def _date(value):
    return None if value in (None, "") else parse_date(value)


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _year(value):
    return parse_int(value) if isinstance(value, str) else value


def _percent(value):
    return parse_percent(value)


def _number(value):
    return parse_number(value)


Amount = Annotated[float, BeforeValidator(_amount), Field(ge=0)]
Percent = Annotated[float, BeforeValidator(_percent), Field(ge=0, le=1)]
PositiveNumber = Annotated[float, BeforeValidator(_number), Field(gt=0)]
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
    last_year: Amount
    target: Amount
    target_deadline: FrDate = None


class Source(_Strict):
    """One export file of the client's: where it is and how to read it."""

    file: Text  # relative to the engagement folder
    preset: OptText = None  # e.g. shopify_customers, generic_billing (README lists them)
    columns: dict[str, str] = Field(default_factory=dict)  # relkit field -> header in the file
    options: dict[str, str] = Field(default_factory=dict)  # encoding, separator, decimal, date_format


class CustomerData(_Strict):
    """The client's customer file: contacts, transactions, or both."""

    customers: Source | None = None
    transactions: Source | None = None
    reference_date: FrDate = None  # RFM "as of"; default: the day after the last transaction
    dormant_months: Annotated[int, Field(ge=1, le=120)] = 12
    new_months: Annotated[int, Field(ge=1, le=36)] = 3
    stale_years: Annotated[int, Field(ge=1, le=20)] = 3  # CNIL reference for inactive contacts

    @model_validator(mode="after")
    def _one_source(self):
        if self.customers is None and self.transactions is None:
            raise ValueError("customer_data needs customers: or transactions: (or both)")
        return self


class Value(_Strict):
    """VMC parameters (seed 001); the ones left out are measured from the data."""

    period_years: PositiveNumber = 3
    purchases_per_year: PositiveNumber | None = None
    retention: Percent | None = None
    average_transaction: Amount | None = None
    margin: Percent | None = None
    cost_to_reach: Amount | None = None
    conversion_rate: Annotated[float, BeforeValidator(_percent), Field(gt=0, le=1)] | None = None


class JourneyAxes(_Strict):
    """The engagement's own journey stages and channels (replace the defaults)."""

    stages: Annotated[list[Text], Field(min_length=2)] | None = None
    channels: Annotated[list[Text], Field(min_length=1)] | None = None


QUARTERS = ("T1", "T2", "T3", "T4")


def _budget_cell(value):
    from .budget_cells import parse_budget_cell

    line = parse_budget_cell(value)
    if line is None:
        raise ValueError("expected an amount such as '1 250 €', optionally '+ 30 % du CA'")
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
    revenue_forecast: Annotated[dict[str, Amount], BeforeValidator(_quarter_keys)] = Field(default_factory=dict)
    percent_of_revenue: Percent | None = None
    hourly_cost: Amount | None = None

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


Rate = Annotated[float, BeforeValidator(_percent), Field(gt=0, le=1)]


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


PressureCap = Annotated[float, BeforeValidator(_number), Field(ge=0, le=100)]


class Engagement(_Strict):
    """Client identity and targets; the workshop entries live in the .xlsx."""

    client: Client
    consultant: Consultant
    language: Literal["fr", "en"] = "fr"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    plan_year: Annotated[int, BeforeValidator(_year), Field(ge=2000, le=2100)]
    revenue: Revenue
    workshop_file: Text = "atelier.xlsx"
    report_date: FrDate = None
    customer_data: CustomerData | None = None
    journey: JourneyAxes = Field(default_factory=JourneyAxes)
    value: Value = Field(default_factory=Value)
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    # Marketing pressure: at most this many messages per person per month, by
    # channel code of the journey's channel list (e-mail, sms…) and "total".
    pressure: dict[str, PressureCap] = Field(default_factory=lambda: {"email": 4.0, "sms": 2.0})
    funnel: Funnel = Field(default_factory=Funnel)

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str) -> str:
        if get_currency_name(code, locale="en") == code:
            raise ValueError(f"expected an ISO 4217 currency code such as 'EUR', got {code!r}")
        return code

    @model_validator(mode="after")
    def _deadline_in_plan(self):
        deadline = self.revenue.target_deadline
        if deadline is not None and deadline.year < self.plan_year:
            raise ValueError(
                f"revenue.target_deadline {deadline:%d/%m/%Y} is before the plan year {self.plan_year}"
            )
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
        msg = str(err["ctx"]["error"])
        if not loc:  # model-level rule: name the key it is about
            key = msg.split(" ", 1)[0]
            return f"key '{key}'", msg.split(" ", 1)[1]
        if msg.startswith(loc.rsplit(".", 1)[-1] + " "):  # "customer_data needs …"
            return f"key '{loc}'", msg
        return f"key '{loc}'", msg
    template = _FRIENDLY.get(kind)
    if template:
        msg = template.format(**err.get("ctx", {}))
        if kind in ("string_too_short", "too_short"):
            msg = "must not be empty"
        elif kind == "greater_than_equal" and (loc.startswith("revenue") or loc.startswith("value")) and err["ctx"].get("ge") == 0:
            msg = f"must not be negative, got {got!r}"
        elif kind != "missing":
            msg = f"{msg}, got {got!r}"
        return f"key '{loc}'", msg
    return f"key '{loc}'", err["msg"]


def read_engagement(folder: Path) -> tuple[Engagement | None, list[Problem]]:
    """Parse engagement.yaml; return the model or every problem found."""
    path = Path(folder) / ENGAGEMENT_FILE
    name = str(path)
    if not path.is_file():
        return None, [Problem(name, "", "file not found (every engagement folder needs one; `relkit new` creates it)")]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [Problem(name, "", "not UTF-8 text; save it as UTF-8")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        return None, [Problem(name, where, f"not valid YAML ({getattr(exc, 'problem', exc)})")]
    if not isinstance(raw, dict):
        return None, [Problem(name, "", "expected a YAML mapping of keys (client:, consultant:, plan_year: …)")]
    try:
        return Engagement.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            where, msg = _explain(err, Engagement)
            problems.append(Problem(name, where, msg))
        return None, problems
