"""The engagement: who the client is and what they aim for (the model of
engagement.yaml, with the plausible range of every number). Reading the file
and explaining its problems: relkit.io.engagement_file."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Literal

from babel.numbers import get_currency_name
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from slugify import slugify

from relkit.io.channels import DEFAULT_PRESSURE, default_pressure
from relkit.io.parsing import parse_amount, parse_date, parse_int, parse_number, parse_rate



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
    logo: InsidePath | None = None  # the client's own logo (PNG or JPEG), shown on the cover beside the firm's


class Consultant(_Strict):
    name: Text
    firm: OptText = None


VAT_BASES = ("HT", "TTC")


def _basis(value):
    return value.strip().upper() if isinstance(value, str) else value


class Revenue(_Strict):
    last_year: Revenue_
    target: Revenue_
    target_deadline: FrDate = None
    # HT (before VAT) or TTC: the basis of last_year and target; left out, they are
    # read on the customer file's own basis (the consistency checks convert otherwise)
    basis: Annotated[Literal["HT", "TTC"], BeforeValidator(_basis)] | None = None


# The consistency checks run before the report is published (relkit.topics.reconcile);
# engagement.yaml may acknowledge one with a reason (acknowledged:).
CHECK_IDS = ("revenue_last_year", "revenue_basis", "revenue_target", "contacts_count", "buyers_count", "target_gap",
             "budget_envelopes", "key_dates")


def _check_id(value):
    if isinstance(value, str) and value.strip() not in CHECK_IDS:
        raise ValueError(f"unknown check {value.strip()!r} (expected one of: {', '.join(CHECK_IDS)})")
    return value.strip() if isinstance(value, str) else value


class Acknowledgement(_Strict):
    """A contradiction the consultant knows about: which check, and why it stays."""

    check: Annotated[str, BeforeValidator(_check_id)]
    reason: Text


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
    acknowledged: list[Acknowledgement] = Field(default_factory=list)

    @property
    def acknowledged_checks(self) -> dict[str, str]:
        """{check id: reason} of the acknowledged contradictions."""
        return {a.check: a.reason for a in self.acknowledged}

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

