"""Who each programme targets in the client's customer file.

``customer_base`` builds one row per customer with their RFM columns and how
they can be reached; ``evaluate`` tells who a target rule holds; ``target_sizes``
counts, per programme, the target and the people its channel reaches.

Definitions (same as workbook 02, ``relkit.customers.rfm``): a purchase is an
order with a positive amount; durations count back from the reference date
``as_of`` ("12 mois" = a calendar offset of 12 months); "top N %" takes the
ceil(N % × buyers) biggest spenders (total net spend), ties with the last one
included. The customer file is a snapshot at ``as_of``: the simulation does
not age it over the plan year, except for month-dependent clauses (birthday).

Each clause declares the fields it needs; when the file lacks one (column
absent or entirely empty) the count is None and the field is named — never a
silent 0 — so the gap goes to the data-collection plan.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relkit.io.labels import catalogue as label_catalogue
from relkit.io.parsing import fold, is_blank, parse_bool
from relkit.topics.plan.programmes import Programme
from relkit.topics.plan.rules import Clause, Duration, Rule, parse_rule

# Channel code -> base column saying the customer can be reached there.
# Channels not listed (website, app, store, social, marketplace, event, custom)
# need no address: everyone targeted counts as reachable.
REACH = {"email": "email_ok", "sms": "sms_ok", "phone": "has_phone", "mail": "has_address"}
# The customer field a channel's address comes from (named when the file lacks it).
CHANNEL_FIELD = {"email": "email", "sms": "phone", "phone": "phone", "mail": "address"}


def field_name(field: str, lang: str) -> str:
    """A customer-file field as the deliverable names it ('birth_date' -> 'date de naissance'), else as is."""
    texts = label_catalogue().get(f"plan.field.{field}")
    return texts[lang] if texts is not None else field


RFM_COLUMNS = ("first_purchase", "last_purchase", "frequency", "monetary", "recency", "R", "F", "M", "segment")


def _filled(s: pd.Series) -> pd.Series:
    """Not NA, and not an empty/space-only string."""
    mask = s.notna()
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        mask &= s.astype("string").str.strip().fillna("").ne("").astype(bool)
    return mask.astype(bool)


def _lacking(base: pd.DataFrame, name: str) -> bool:
    return name not in base.columns or not bool(_filled(base[name]).any())


def _as_bool(s: pd.Series) -> pd.Series:
    """bool|NA column (canonical), tolerating 'oui'/'non' text."""
    try:
        return s.astype("boolean")
    except (TypeError, ValueError):
        def read(v):
            if is_blank(v):
                return pd.NA
            try:
                return parse_bool(v)
            except ValueError:
                return pd.NA
        return s.map(read).astype("boolean")


def _flag(s: pd.Series) -> np.ndarray:
    """A field such as cart_events/complaints: set when filled and not 0/False/'non'."""
    filled = _filled(s).to_numpy()
    if pd.api.types.is_bool_dtype(s.dtype):
        return filled & s.fillna(False).astype(bool).to_numpy()
    if pd.api.types.is_numeric_dtype(s.dtype):
        return filled & (s.fillna(0).to_numpy() > 0)
    no = {"0", "non", "no", "faux", "false", "n"}
    return filled & ~s.map(lambda v: fold(str(v)) in no if not is_blank(v) else True).to_numpy(bool)


def customer_base(customers: pd.DataFrame, rfm: pd.DataFrame | None, as_of) -> pd.DataFrame:
    """One row per customer of the file (index customer_id) with their RFM
    columns and whether they can be reached: has_email, has_phone,
    has_address, email_ok (e-mail and opt_in_email not False), sms_ok (phone
    and opt_in_sms not False). Never-buyers: frequency 0, monetary 0,
    segment NaN. Without purchase history (``rfm`` None) the purchase
    columns stay empty, so a rule that needs them is a gap, never a 0.
    Duplicate ids keep the first non-empty value of each column.
    Personal data: for computing, never for display."""
    people = customers[_filled(customers["customer_id"])]
    people = people.drop(columns=[c for c in ("source_line",) if c in people.columns])
    if people["customer_id"].duplicated().any():
        people = people.groupby("customer_id", sort=False).first()
    else:
        people = people.set_index("customer_id")
    people.index = people.index.astype(str)
    people.index.name = "customer_id"
    base = people
    if rfm is not None:
        cols = [c for c in RFM_COLUMNS if c in rfm.columns]
        scores = rfm[cols].copy()
        scores.index = scores.index.astype(str)
        base = people.join(scores, how="left")
    for c in RFM_COLUMNS:
        if c not in base.columns:
            base[c] = pd.NaT if c.endswith("purchase") else np.nan
    if rfm is not None:
        base["frequency"] = base["frequency"].fillna(0).astype(int)
        base["monetary"] = base["monetary"].astype(float).fillna(0.0)
    for c in ("recency", "R", "F", "M"):
        base[c] = base[c].astype("Int64")
    n = len(base)

    def filled(col):
        return _filled(base[col]).to_numpy() if col in base.columns else np.zeros(n, bool)

    def not_false(col):
        if col not in base.columns:
            return np.ones(n, bool)
        return ~(_as_bool(base[col]) == False).fillna(False).to_numpy(bool)  # noqa: E712 (NA-aware)

    base["has_email"] = filled("email")
    base["has_phone"] = filled("phone")
    base["has_address"] = filled("address") | (filled("postal_code") & filled("city"))
    base["email_ok"] = base["has_email"].to_numpy() & not_false("opt_in_email")
    base["sms_ok"] = base["has_phone"].to_numpy() & not_false("opt_in_sms")
    base.attrs["as_of"] = pd.Timestamp(as_of)
    return base


# ------------------------------------------------------------------ evaluation
@dataclass(frozen=True)
class TargetResult:
    """Who a rule targets: ``mask`` (boolean Series on the base index) and
    ``count``, or — when the file lacks fields — ``count`` None and ``missing``."""

    mask: pd.Series | None
    count: int | None
    missing: tuple[str, ...] = ()

    @property
    def ids(self) -> pd.Index | None:
        return None if self.mask is None else self.mask.index[self.mask.to_numpy()]


def _since(as_of: pd.Timestamp, d: Duration) -> pd.Timestamp:
    return as_of - d.offset()


def _top_spend(base: pd.DataFrame, share: float) -> np.ndarray:
    """The ceil(share % × buyers) biggest spenders, ties with the last one included."""
    spend = base["monetary"].to_numpy(float)
    buyers = base["frequency"].to_numpy() > 0
    k = math.ceil(round(share * int(buyers.sum()) / 100, 9))
    if k == 0:
        return np.zeros(len(base), bool)
    threshold = np.sort(spend[buyers])[::-1][k - 1]
    return buyers & (spend >= threshold) & (spend > 0)


def _clause_mask(c: Clause, base: pd.DataFrame, as_of: pd.Timestamp, month: int) -> np.ndarray:
    k = c.kind
    if k == "all":
        return np.ones(len(base), bool)
    if k == "segment":
        return base["segment"].isin(c.value).to_numpy(bool)
    if k in ("dormant", "recent"):
        last = pd.to_datetime(base["last_purchase"])
        since = _since(as_of, c.value)
        return ((last < since) if k == "dormant" else (last >= since)).fillna(False).to_numpy(bool)
    if k in ("new", "older"):
        first = pd.to_datetime(base["first_purchase"])
        since = _since(as_of, c.value)
        return ((first >= since) if k == "new" else (first < since)).fillna(False).to_numpy(bool)
    if k == "orders":
        lo, hi = c.value
        freq = base["frequency"].to_numpy()
        return (freq >= lo) & (freq <= hi if hi is not None else True)
    if k == "never":
        return base["frequency"].to_numpy() == 0
    if k == "top_spend":
        return _top_spend(base, c.value)
    if k == "spend":
        amount, strict = c.value
        spend = base["monetary"].to_numpy(float)
        return (spend > amount) if strict else (spend >= amount)
    if k == "birthday":
        born = pd.to_datetime(base["birth_date"], errors="coerce")
        return (born.dt.month == month).fillna(False).to_numpy(bool)
    if k in ("opt_in_email", "opt_in_sms"):
        return (_as_bool(base[k]) == True).fillna(False).to_numpy(bool)  # noqa: E712 (NA-aware)
    if k == "abandoned_cart":
        return _flag(base["cart_events"])
    if k == "complaint":
        return _flag(base["complaints"])
    raise AssertionError(k)


def missing_fields(rule: Rule | str, base: pd.DataFrame) -> tuple[str, ...]:
    """Fields the rule needs that the file lacks (column absent or entirely empty)."""
    rule = parse_rule(rule) if isinstance(rule, str) else rule
    return tuple(f for f in rule.fields if _lacking(base, f))


def evaluate(rule: Rule | str, base: pd.DataFrame, as_of, month: int | None = None) -> TargetResult:
    """Customers of ``base`` the rule targets at ``as_of``; month-dependent
    clauses (birthday) use ``month``, else the month of ``as_of``."""
    rule = parse_rule(rule) if isinstance(rule, str) else rule
    missing = missing_fields(rule, base)
    if missing:
        return TargetResult(None, None, missing)
    as_of = pd.Timestamp(as_of)
    month = as_of.month if month is None else int(month)
    mask = np.ones(len(base), bool)
    for clause in rule.clauses:
        mask &= _clause_mask(clause, base, as_of, month)
    return TargetResult(pd.Series(mask, index=base.index, name="targeted"), int(mask.sum()), ())


def reach_mask(base: pd.DataFrame, channel: str) -> np.ndarray:
    """Who can be reached on ``channel`` (everyone for channels without an address)."""
    col = REACH.get(channel)
    if col is None:
        return np.ones(len(base), bool)
    return base[col].to_numpy(bool) if col in base.columns else np.zeros(len(base), bool)


TARGET_COLUMNS = ["programme", "code", "rule", "channel", "size", "reachable", "share", "missing", "status"]


def target_sizes(programmes: list[Programme], base: pd.DataFrame, as_of) -> pd.DataFrame:
    """Per programme: how many customers its target holds (month of ``as_of``
    for birthday rules), how many of them its channel reaches, the share of
    the file, and the fields the file lacks (target fields, then the channel's
    address field) — the collection-plan gap. Aggregates only."""
    rows = []
    for p in programmes:
        result = evaluate(p.rule, base, as_of)
        missing = list(result.missing)
        channel_field = CHANNEL_FIELD.get(p.channel)
        if channel_field and _lacking(base, channel_field) and channel_field not in missing:
            missing.append(channel_field)
        reachable = None
        if result.count is not None:
            reachable = int((result.mask.to_numpy() & reach_mask(base, p.channel)).sum())
        rows.append({
            "programme": p.label, "code": p.code, "rule": p.target,
            "channel": p.channel, "size": result.count, "reachable": reachable,
            "share": (result.count / len(base)) if result.count is not None and len(base) else np.nan,
            "missing": tuple(missing), "status": p.status,
        })
    out = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    out["size"] = out["size"].astype("Int64")
    out["reachable"] = out["reachable"].astype("Int64")
    out["share"] = out["share"].astype(float)
    return out
