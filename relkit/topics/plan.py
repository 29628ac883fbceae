"""Workbook 05 — relationship plan: the programmes, who they target, and the
marketing pressure they add up to.

Seed 000: a programme is an objective, a KPI, a target, actions (automation
scenarios and campaigns), marketing-pressure rules and a timing; programmes
are deployed progressively. Seed 004 lists the standard programmes
(``CATALOGUE``, data in ``templates/plan/programmes.yaml``).

Target rules (``parse_rule``) are short French phrases — English accepted,
case, accents and spaces ignored — joined by " et ", " and " or ",":

    tous | everyone
    segment champions, loyal            RFM segment codes or their fr/en names
    sans achat depuis 12 mois           bought before, nothing for 12 months
        | no purchase for 12 months
    dernier achat depuis moins de 6 mois | last purchase within 6 months
    premier achat depuis moins de 3 mois | first purchase within 3 months
    premier achat il y a plus de 1 an   | first purchase more than 1 year ago
    au moins 2 commandes | ≥ 2 commandes | at least 2 orders
    au plus 2 commandes | exactement 2 commandes | at most / exactly 2 orders
    acheteurs | buyers                  at least one purchase
    jamais acheté | never bought        no purchase at all
    top 10 % dépense | top 10% by spend
    dépense d'au moins 500 € | spend at least €500
    anniversaire ce mois | birthday this month       needs birth_date
    consentement e-mail | email opt-in               needs opt_in_email
    consentement SMS | SMS opt-in                    needs opt_in_sms
    panier abandonné | abandoned cart                needs cart_events
    réclamation | complaint                          needs complaints

Definitions (same as workbook 02, ``relkit.customers.rfm``): a purchase is an
order with a positive amount; durations count back from the reference date
``as_of`` ("12 mois" = a calendar offset of 12 months); "top N %" takes the
ceil(N % × buyers) biggest spenders (total net spend), ties with the last one
included. The customer file is a snapshot at ``as_of``: the simulation does
not age it over the plan year, except for month-dependent clauses (birthday).

Each clause declares the fields it needs; when the file lacks one (column
absent or entirely empty) the count is None and the field is named — never a
silent 0 — so the gap goes to the data-collection plan.

Pressure (``simulate_pressure``): for each month and channel, the messages a
customer receives = sum of ``messages_per_month`` of the programmes active
that month whose target includes them and who can be reached on the
programme's channel (``REACH``). Customers are grouped by their membership
signature (segment + which programme targets hold them), so the cost is one
pass over the file plus work per distinct signature, never a
customer × month × programme cube. Every targeted person is assumed to
receive the programme's messages each active month: a worst case.
"""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from babel.dates import get_month_names
from babel.lists import format_list
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from relkit.views.charts.style import PAGE_WIDTH_IN, PALETTE, _wrap, use_house_style
from relkit.customers.rfm import SEGMENTS
from relkit.io.labels import Labels, catalogue as label_catalogue
from relkit.io.parsing import fold, is_blank, parse_amount, parse_bool, parse_int, parse_number
from relkit.io.resources import TEMPLATES_DIR, load_yaml

CATALOGUE_FILE = TEMPLATES_DIR / "plan" / "programmes.yaml"
KINDS = ("automation", "campaign")
STATUSES = ("continue", "stop", "start")
PRIORITIES = ("high", "medium", "low")
MONTHS = tuple(range(1, 13))
TOTAL = "total"

# Channel code -> base column saying the customer can be reached there.
# Channels not listed (website, app, store, social, marketplace, event, custom)
# need no address: everyone targeted counts as reachable.
REACH = {"email": "email_ok", "sms": "sms_ok", "phone": "has_phone", "mail": "has_address"}
# The customer field a channel's address comes from (named when the file lacks it).
CHANNEL_FIELD = {"email": "email", "sms": "phone", "phone": "phone", "mail": "address"}


# ------------------------------------------------------------------ catalogue
@dataclass(frozen=True)
class CatalogueProgramme:
    """A standard programme and its defaults (texts by language)."""

    code: str
    label: dict[str, str]
    description: dict[str, str]
    objective: dict[str, str]
    kpi: dict[str, str]
    target: str  # rule text, French
    channel: str
    kind: str
    trigger: dict[str, str]
    messages_per_month: float
    seed: str
    aliases: tuple[str, ...] = ()


def _load_catalogue() -> dict[str, CatalogueProgramme]:
    out = {}
    for item in load_yaml(CATALOGUE_FILE)["programmes"]:
        item = dict(item)
        item["aliases"] = tuple(item.get("aliases") or ())
        item["messages_per_month"] = float(item["messages_per_month"])
        out[item["code"]] = CatalogueProgramme(**item)
    return out


CATALOGUE: dict[str, CatalogueProgramme] = _load_catalogue()


@functools.cache
def _programme_names() -> dict[str, str]:
    """Folded code / label / alias -> code; a name claimed twice is a data error."""
    names: dict[str, str] = {}
    for code, p in CATALOGUE.items():
        for name in (code, code.replace("_", " "), *p.label.values(), *p.aliases):
            key = fold(name).replace("\u2019", "'")
            if names.get(key, code) != code:
                raise ValueError(f"programme name {name!r} is used by both {names[key]!r} and {code!r}")
            names[key] = code
    return names


def programme_code(name) -> str | None:
    """'Coupon anniversaire', 'birthday', 'Birthday coupon' -> 'birthday'; None for a custom name."""
    if is_blank(name):
        return None
    return _programme_names().get(fold(str(name)).replace("\u2019", "'"))


# ------------------------------------------------------------------ rules
@dataclass(frozen=True)
class Duration:
    amount: float
    unit: str  # year, month, week, day

    def offset(self):
        n = self.amount
        if self.unit in ("year", "month"):
            months = n * 12 if self.unit == "year" else n
            if float(months).is_integer():
                return pd.DateOffset(months=int(months))
            return pd.Timedelta(days=months * 30.4375)
        return pd.Timedelta(days=n * (7 if self.unit == "week" else 1))


_UNITS = {
    "an": "year", "ans": "year", "annee": "year", "annees": "year", "year": "year", "years": "year",
    "mois": "month", "month": "month", "months": "month",
    "semaine": "week", "semaines": "week", "week": "week", "weeks": "week",
    "jour": "day", "jours": "day", "day": "day", "days": "day",
}

# Clause kind -> fields of the customer base it reads.
CLAUSE_FIELDS = {
    "all": (), "segment": ("segment",), "dormant": ("last_purchase",), "recent": ("last_purchase",),
    "new": ("first_purchase",), "older": ("first_purchase",), "orders": ("frequency",), "never": ("frequency",),
    "top_spend": ("monetary",), "spend": ("monetary",), "birthday": ("birth_date",),
    "opt_in_email": ("opt_in_email",), "opt_in_sms": ("opt_in_sms",), "abandoned_cart": ("cart_events",),
    "complaint": ("complaints",),
}
MONTH_DEPENDENT = frozenset({"birthday"})


@dataclass(frozen=True)
class Clause:
    """One condition of a rule; ``value`` depends on ``kind`` (hashable)."""

    kind: str
    value: object = None

    @property
    def fields(self) -> tuple[str, ...]:
        return CLAUSE_FIELDS[self.kind]

    @property
    def month_dependent(self) -> bool:
        return self.kind in MONTH_DEPENDENT


@dataclass(frozen=True)
class Rule:
    """A parsed target rule: every clause must hold (AND)."""

    text: str
    clauses: tuple[Clause, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for c in self.clauses for f in c.fields))

    @property
    def month_dependent(self) -> bool:
        return any(c.month_dependent for c in self.clauses)

    def describe(self, labels: Labels) -> str:
        """The rule in the deliverable's language ('no purchase for 12 months and at least 2 orders')."""
        return labels.join([_describe(c, labels) for c in self.clauses])


_N = r"(\d+(?:[.,]\d+)?)"
_INT = r"(\d+)"
_DUR = r"(\d+(?:[.,]\d+)?) ?(mois|months?|ans?|annees?|years?|semaines?|weeks?|jours?|days?)"
_ORD = r"(?:commandes?|achats?|orders?|purchases?)"
_EMAIL = r"(?:e-?mails?|courriels?|mails?|newsletter)"

# (kind, pattern, how to read the groups); patterns run on the folded clause.
_CLAUSES: tuple[tuple[str, str, str], ...] = (
    ("all", r"tous|toutes|tout le monde|tous les clients|toute la base|tout le fichier|everyone|everybody|all"
            r"|all customers|the whole file", ""),
    ("never", r"jamais achete|n'a jamais achete|n'ont jamais achete|jamais commande|sans achat|aucun achat"
              r"|sans commande|aucune commande|never bought|never purchased|never ordered|no purchases?|no orders?"
              r"|non acheteurs|non-acheteurs|non-buyers|non buyers", ""),
    ("buyers", r"acheteurs|clients acheteurs|buyers|customers who bought|purchasers", ""),
    ("dormant", rf"(?:sans|aucun|pas d'|pas de) achats? depuis (?:plus de )?{_DUR}", "dur"),
    ("dormant", rf"(?:sans|aucune|pas de) commandes? depuis (?:plus de )?{_DUR}", "dur"),
    ("dormant", rf"(?:dernier achat|derniere commande) (?:il y a|depuis) plus de {_DUR}", "dur"),
    ("dormant", rf"inactifs? depuis (?:plus de )?{_DUR}", "dur"),
    ("dormant", rf"no (?:purchases?|orders?) (?:for|in|since) (?:more than |over )?(?:the last )?{_DUR}", "dur"),
    ("dormant", rf"last (?:purchase|order) (?:more than|over) {_DUR} ago", "dur"),
    ("dormant", rf"inactive (?:for )?(?:more than )?{_DUR}", "dur"),
    ("new", rf"premier achat (?:depuis moins de|il y a moins de|dans les derniers?) {_DUR}", "dur"),
    ("new", rf"premiere commande (?:depuis moins de|il y a moins de) {_DUR}", "dur"),
    ("new", rf"first (?:purchase|order) (?:within(?: the last)?|in the last|less than) {_DUR}(?: ago)?", "dur"),
    ("older", rf"premier achat (?:il y a|depuis) plus de {_DUR}", "dur"),
    ("older", rf"premiere commande (?:il y a|depuis) plus de {_DUR}", "dur"),
    ("older", rf"clients? depuis plus de {_DUR}", "dur"),
    ("older", rf"first (?:purchase|order) (?:more than|over) {_DUR} ago", "dur"),
    ("older", rf"customers? (?:for|of) more than {_DUR}", "dur"),
    ("recent", rf"(?:dernier )?achat (?:depuis moins de|il y a moins de) {_DUR}", "dur"),
    ("recent", rf"(?:derniere )?commande (?:depuis moins de|il y a moins de) {_DUR}", "dur"),
    ("recent", rf"(?:last )?(?:purchase|order) (?:within(?: the last)?|in the last|less than) {_DUR}(?: ago)?", "dur"),
    ("orders_min", rf"(?:au moins|>=|≥|minimum|at least) ?{_INT} {_ORD}", "int"),
    ("orders_min", rf"{_INT} {_ORD} (?:ou plus|or more|minimum|au moins)", "int"),
    ("orders_more", rf"(?:plus de|more than|>) ?{_INT} {_ORD}", "int"),
    ("orders_max", rf"(?:au plus|au maximum|<=|≤|at most|maximum) ?{_INT} {_ORD}", "int"),
    ("orders_less", rf"(?:moins de|fewer than|less than|<) ?{_INT} {_ORD}", "int"),
    ("orders_exact", rf"(?:exactement |exactly |= ?)?{_INT} {_ORD}", "int"),
    ("top_spend", rf"top {_N} ?%(?: (?:des clients|of customers|clients|customers))?(?: (?:en|par|de|des|du|by|in|for|on))?"
                  r"(?: (?:la|les|le|the))? (?:depenses?|ca|chiffre d'affaires|montant|spend|spending|spenders|revenue)",
     "num"),
    ("top_spend", rf"(?:les )?{_N} ?% (?:plus gros|meilleurs) (?:clients|acheteurs|depensiers)", "num"),
    ("top_spend", rf"(?:the )?top {_N} ?% (?:biggest |best )?(?:spenders|customers by spend)", "num"),
    ("spend_min", r"(?:depense|depenses|a depense|ont depense|ca|montant|montant cumule|depense cumulee)"
                  r" (?:d'au moins|au moins|>=|≥|minimum|minimale de) ?(.+)", "amount"),
    ("spend_over", r"(?:depense|depenses|a depense|ont depense|ca|montant|montant cumule|depense cumulee)"
                   r" (?:de plus de|plus de|superieure? a|>) ?(.+)", "amount"),
    ("spend_min", r"(?:spend|spent|spending|total spend|revenue)(?: of)? (?:at least|>=|≥|minimum) ?(.+)", "amount"),
    ("spend_over", r"(?:spend|spent|spending|total spend|revenue)(?: of)? (?:more than|over|above|>) ?(.+)", "amount"),
    ("birthday", r"(?:date d')?anniversaire(?: (?:ce mois(?:-ci| ci)?|du mois|dans le mois|le mois en cours))?"
                 r"|(?:birthday|birth date)(?: (?:this month|in the month|of the month|in the current month))?", ""),
    ("opt_in_email", rf"(?:consentement|consentants?|opt-?in|optin|abonnes?|inscrits?) (?:a la |aux? |a l')?{_EMAIL}"
                     rf"|{_EMAIL} (?:opt-?in|optin|consent|subscribers?|opted in)"
                     rf"|(?:opted in|subscribed|consent) (?:to |for )?(?:the )?{_EMAIL}", ""),
    ("opt_in_sms", r"(?:consentement|consentants?|opt-?in|optin|abonnes?|inscrits?) (?:aux? )?sms"
                   r"|sms (?:opt-?in|optin|consent|subscribers?|opted in)|(?:opted in|subscribed|consent) (?:to |for )?sms",
     ""),
    ("abandoned_cart", r"(?:avec )?(?:un )?paniers? abandonnes?|abandon de panier|abandons de panier"
                       r"|(?:with )?(?:an )?abandoned carts?|cart abandon(?:ment)?s?", ""),
    ("complaint", r"reclamations?|(?:a|ont) fait une reclamation|avec reclamation|plaintes?|mecontents?"
                  r"|complaints?|complained|with a complaint", ""),
)
_COMPILED = tuple((kind, re.compile(pattern), read) for kind, pattern, read in _CLAUSES)
_SEGMENT_START = re.compile(r"segments? ?:? ?(.+)")
_SPLIT = re.compile(r"\s*(?:(?<!\d),|,(?!\d)|;)\s*|\s+(?:et|and)\s+", re.IGNORECASE)
_OR = re.compile(r"\s*(?:/|\bou\b|\bor\b)\s*")

RULE_FORMS = (
    "tous", "segment champions, loyal", "sans achat depuis 12 mois", "dernier achat depuis moins de 6 mois",
    "premier achat depuis moins de 3 mois", "premier achat il y a plus de 1 an", "au moins 2 commandes",
    "au plus 2 commandes", "exactement 2 commandes", "acheteurs", "jamais acheté", "top 10 % dépense",
    "dépense d'au moins 500 €", "anniversaire ce mois", "consentement e-mail", "consentement SMS", "panier abandonné",
    "réclamation",
)
RULE_FORMS_EN = (
    "everyone", "segment champions, loyal", "no purchase for 12 months", "last purchase within 6 months",
    "first purchase within 3 months", "first purchase more than 1 year ago", "at least 2 orders", "at most 2 orders",
    "exactly 2 orders", "buyers", "never bought", "top 10% by spend", "spend at least €500", "birthday this month",
    "email opt-in", "SMS opt-in", "abandoned cart", "complaint",
)


def _expected() -> str:
    return ("expected a target rule: clauses joined by 'et', 'and' or ',' among "
            + " | ".join(f"'{f}'" for f in RULE_FORMS)
            + " (English too: " + " | ".join(f"'{f}'" for f in RULE_FORMS_EN) + ")")


def _norm(text: str) -> str:
    return fold(str(text)).replace("\u2019", "'").replace("`", "'").strip(" .;:\"'«»")


def _segment_key(text: str) -> str:
    """'À surveiller', 'need attention', 'need_attention', 'Can't lose them' compared alike."""
    words = re.sub(r"[_\-]", " ", _norm(text).replace("'", "")).split()
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)


@functools.cache
def _segment_names() -> dict[str, str]:
    labels = label_catalogue()
    names = {}
    for code in SEGMENTS:
        texts = labels.get(f"segment.{code}", {})
        for name in (code, *texts.values()):
            names[_segment_key(name)] = code
    return names


def _segment_codes(text: str) -> tuple[str, ...] | None:
    """Segment codes of 'champions / loyal' or None when one name is unknown."""
    parts = [p for p in _OR.split(text) if p]
    codes = [_segment_names().get(_segment_key(p)) for p in parts]
    return tuple(codes) if parts and all(codes) else None


def _read_duration(number: str, unit: str) -> Duration:
    return Duration(float(number.replace(",", ".")), _UNITS[unit])


def _clause(piece: str, text: str, typed: str) -> Clause:
    for kind, pattern, read in _COMPILED:
        m = pattern.fullmatch(piece)
        if not m:
            continue
        if read == "dur":
            value = _read_duration(*m.groups())
            if value.amount <= 0:
                raise ValueError(f"expected a duration above 0 in target rule {text!r}, got {typed!r}")
            return Clause(kind, value)
        if read == "int":
            n = parse_int(m.group(1))
            bounds = {"orders_min": (n, None), "orders_more": (n + 1, None), "orders_max": (0, n),
                      "orders_less": (0, n - 1), "orders_exact": (n, n)}[kind]
            if bounds[1] is not None and bounds[1] < 0:
                raise ValueError(f"expected a number of orders of at least 1 in target rule {text!r}, got {typed!r}")
            return Clause("orders", bounds)
        if read == "num":
            share = parse_number(m.group(1))
            if not 0 < share <= 100:
                raise ValueError(f"expected a share between 0 and 100 % in target rule {text!r}, got {typed!r}")
            return Clause("top_spend", share)
        if read == "amount":
            try:
                amount = parse_amount(m.group(1))
            except ValueError:
                continue
            return Clause("spend", (amount, kind == "spend_over"))
        if kind == "buyers":
            return Clause("orders", (1, None))
        return Clause(kind)
    raise ValueError(f"{_expected()}; got {text!r} (could not read {typed!r})")


def parse_rule(text) -> Rule:
    """Read a target rule (see module doc); ValueError lists the accepted forms."""
    if is_blank(text):
        raise ValueError(f"{_expected()}, got an empty target")
    raw = str(text).strip().rstrip(" ,;.")
    clauses: list[Clause] = []
    for typed in _SPLIT.split(raw):
        piece = _norm(typed)
        if not piece:
            raise ValueError(f"{_expected()}; got {raw!r} (an empty clause)")
        start = _SEGMENT_START.fullmatch(piece)
        if start:
            codes = _segment_codes(start.group(1))
            if codes is None:
                raise ValueError(f"expected RFM segments among {', '.join(SEGMENTS)} (or their French/English names) "
                                 f"in target rule {raw!r}, got {typed.strip()!r}")
            clauses.append(Clause("segment", codes))
            continue
        if clauses and clauses[-1].kind == "segment":
            more = _segment_codes(piece)
            if more:  # "segment champions, loyal": the list goes on
                clauses[-1] = Clause("segment", tuple(dict.fromkeys(clauses[-1].value + more)))
                continue
        clauses.append(_clause(piece, raw, typed.strip()))
    return Rule(raw, tuple(clauses))


def _describe(c: Clause, L: Labels) -> str:
    if c.kind == "segment":
        names = [L(f"segment.{s}") for s in c.value]
        return L("plan.rule.segment", segments=format_list(names, style="or", locale=L.locale))
    if isinstance(c.value, Duration):
        return L(f"plan.rule.{c.kind}", duration=_duration_text(c.value, L))
    if c.kind == "orders":
        lo, hi = c.value
        if hi is None:
            return L("plan.rule.orders_min", orders=_orders_text(lo, L))
        if lo == hi:
            return L("plan.rule.orders_exact", orders=_orders_text(lo, L))
        if lo == 0:
            return L("plan.rule.orders_max", orders=_orders_text(hi, L))
        return L("plan.rule.orders_between", low=L.number(lo), orders=_orders_text(hi, L))
    if c.kind == "top_spend":
        return L("plan.rule.top_spend", share=L.percent(c.value / 100, 0 if float(c.value).is_integer() else 1))
    if c.kind == "spend":
        amount, strict = c.value
        return L("plan.rule.spend_over" if strict else "plan.rule.spend_min", amount=L.money(amount))
    return L(f"plan.rule.{c.kind}")


def _number(x: float, L: Labels) -> str:
    return L.number(x) if float(x).is_integer() else L.number(x, 1)


def _duration_text(d: Duration, L: Labels) -> str:
    return L(f"plan.duration.{d.unit}_{'one' if d.amount == 1 else 'many'}", n=_number(d.amount, L))


def _orders_text(n: int, L: Labels) -> str:
    return L(f"plan.orders_{'one' if n == 1 else 'many'}", n=L.number(n))


# ------------------------------------------------------------------ customer base
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


# ------------------------------------------------------------------ programmes
@dataclass(frozen=True)
class Programme:
    """A programme of the plan: a catalogue entry with the sheet's overrides, or a custom one."""

    name: str  # as typed in the sheet
    code: str | None  # catalogue code; None for a custom programme
    label: str  # display name in the engagement language
    objective: str | None
    kpi: str | None
    target: str  # rule text
    rule: Rule
    channel: str
    kind: str | None
    trigger: str | None
    messages_per_month: float
    start_month: int = 1
    end_month: int = 12
    status: str | None = None
    priority: str | None = None
    row: int | None = None

    def active(self, month: int) -> bool:
        """Sends in ``month`` of the plan year (a programme to stop sends nothing)."""
        return self.status != "stop" and self.start_month <= month <= self.end_month

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(m for m in MONTHS if self.active(m))


class ProgrammeError(ValueError):
    """A programme row that cannot be used; ``row`` (Excel row) and ``column`` say where."""

    def __init__(self, message: str, row=None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


@functools.cache
def _channel_names() -> dict[str, str]:
    names = {}
    for item in load_yaml(TEMPLATES_DIR / "workshop" / "lists.yaml").get("channel", []):
        for name in (item["code"], item.get("fr", ""), item.get("en", "")):
            if name:
                names[fold(name)] = item["code"]
    names.update({"courriel": "email", "emailing": "email", "e-mailing": "email", "mail": "mail", "texto": "sms",
                  "courrier postal": "mail", "post": "mail", "reseaux sociaux": "social", "telephone": "phone"})
    return names


def channel_code(value) -> str:
    """'e-mail', 'E-mail', 'email' -> 'email'; an unknown channel keeps its folded name."""
    key = fold(str(value))
    return _channel_names().get(key, key)


_KIND_NAMES = {"automation": "automation", "automatisation": "automation", "scenario": "automation",
               "marketing automation": "automation", "campaign": "campaign", "campagne": "campaign"}
_STATUS_NAMES = {"continue": "continue", "continuer": "continue", "stop": "stop", "arreter": "stop",
                 "arret": "stop", "start": "start", "demarrer": "start", "lancer": "start", "commencer": "start"}
_PRIORITY_NAMES = {"high": "high", "haute": "high", "elevee": "high", "medium": "medium", "moyenne": "medium",
                   "low": "low", "basse": "low", "faible": "low"}


def _choice(value, names: dict[str, str], what: str, row, column: str) -> str | None:
    if is_blank(value):
        return None
    code = names.get(fold(str(value)))
    if code is None:
        raise ProgrammeError(f"expected {what} as one of {', '.join(dict.fromkeys(names.values()))}, got {value!r}",
                             row, column)
    return code


def _month(value, column: str, row) -> int | None:
    if is_blank(value):
        return None
    try:
        m = parse_int(value)
    except ValueError:
        m = None
    if m is None or not 1 <= m <= 12:
        raise ProgrammeError(f"expected a month number from 1 to 12, got {value!r}", row, column)
    return m


def _get(row: Mapping, key: str):
    value = row.get(key) if hasattr(row, "get") else None
    if isinstance(value, np.generic):  # numpy scalars from a DataFrame row -> plain Python
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    return None if is_blank(value) else value


def _display_name(name: str, std: CatalogueProgramme | None, lang: str) -> str:
    """The catalogue label in the deliverable's language when the sheet names the
    programme by its code or a label; the client's own word when it used an alias."""
    if std is None:
        return name
    official = {fold(n) for n in (std.code, std.code.replace("_", " "), *std.label.values())}
    return std.label[lang] if fold(name) in official else name


def programme_from_row(row: Mapping, lang: str = "fr") -> Programme:
    """One sheet row (dict or Series) merged with its catalogue defaults: a
    filled cell wins, an empty one takes the default."""
    r = _get(row, "row")
    name = _get(row, "programme")
    if name is None:
        raise ProgrammeError("expected a programme name (a standard programme or your own), got an empty cell", r,
                             "programme")
    name = str(name).strip()
    code = programme_code(name)
    std = CATALOGUE.get(code)
    if std is None:
        missing = [c for c in ("target", "channel", "messages_per_month") if _get(row, c) is None]
        if missing:
            from relkit.io.atelier import sheet  # column headers as the consultant sees them

            columns = sheet("programmes")
            names = ", ".join(f"'{columns.column(c).header[lang]}'" for c in missing)
            standard = ", ".join(p.label.get(lang, p.label["fr"]) for p in CATALOGUE.values())
            raise ProgrammeError(
                f"programme {name!r} is not a standard programme, so it needs {names}: expected them filled, got "
                f"empty cells (standard programmes: {standard})", r, missing[0])
    target = _get(row, "target") or std.target
    try:
        rule = parse_rule(target)
    except ValueError as exc:
        raise ProgrammeError(str(exc), r, "target") from None
    channel_value = _get(row, "channel")
    channel = channel_code(channel_value) if channel_value is not None else std.channel
    mpm = _get(row, "messages_per_month")
    if mpm is None:
        mpm = std.messages_per_month
    else:
        try:
            mpm = parse_number(mpm)
        except ValueError:
            raise ProgrammeError(f"expected a number of messages per person per month such as '2' or '0,5', "
                                 f"got {mpm!r}", r, "messages_per_month") from None
        if mpm < 0:
            raise ProgrammeError(f"expected messages per month of 0 or more, got {mpm!r}", r, "messages_per_month")
    start = _month(_get(row, "start_month"), "start_month", r) or 1
    end = _month(_get(row, "end_month"), "end_month", r) or 12
    if start > end:
        raise ProgrammeError(f"expected start_month ≤ end_month within the plan year, got start {start} after "
                             f"end {end}", r, "start_month")

    def text(key):
        value = _get(row, key)
        if value is not None:
            return str(value).strip()
        return getattr(std, key)[lang] if std is not None else None

    kind = _choice(_get(row, "kind"), _KIND_NAMES, "a kind", r, "kind") or (std.kind if std else None)
    return Programme(
        name=name, code=code, label=_display_name(name, std, lang),
        objective=text("objective"), kpi=text("kpi"), target=str(target).strip(), rule=rule, channel=channel,
        kind=kind, trigger=text("trigger"), messages_per_month=float(mpm), start_month=start, end_month=end,
        status=_choice(_get(row, "status"), _STATUS_NAMES, "a status", r, "status"),
        priority=_choice(_get(row, "priority"), _PRIORITY_NAMES, "a priority", r, "priority"),
        row=None if r is None else int(r),
    )


def programmes_from_sheet(frame: pd.DataFrame, lang: str = "fr") -> list[Programme]:
    """Every row of the ``programmes`` sheet as a Programme; the first bad row
    raises ProgrammeError (a ValueError carrying ``row`` and ``column``)."""
    out: list[Programme] = []
    seen: dict[str, Programme] = {}
    for _, row in frame.iterrows():
        p = programme_from_row(row, lang)
        key = p.code or fold(p.name)
        if key in seen:
            raise ProgrammeError(f"expected each programme once, got {p.name!r} again (same programme as "
                                 f"{seen[key].name!r})", p.row, "programme")
        seen[key] = p
        out.append(p)
    return out


def catalogue_programmes(lang: str = "fr", codes=None) -> list[Programme]:
    """Catalogue programmes with their defaults (all, or those of ``codes``)."""
    return [programme_from_row({"programme": c}, lang) for c in (codes or CATALOGUE)]


# ------------------------------------------------------------------ target sizes
TARGET_COLUMNS = ["programme", "code", "target", "rule", "channel", "size", "reachable", "share", "missing", "status"]


def target_sizes(programmes: list[Programme], base: pd.DataFrame, as_of, lang: str = "fr") -> pd.DataFrame:
    """Per programme: how many customers its target holds (month of ``as_of``
    for birthday rules), how many of them its channel reaches, the share of
    the file, and the fields the file lacks (target fields, then the channel's
    address field) — the collection-plan gap. Aggregates only."""
    L = Labels(lang)
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
            "programme": p.label, "code": p.code, "target": p.rule.describe(L), "rule": p.target,
            "channel": p.channel, "size": result.count, "reachable": reachable,
            "share": (result.count / len(base)) if result.count is not None and len(base) else np.nan,
            "missing": tuple(missing), "status": p.status,
        })
    out = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    out["size"] = out["size"].astype("Int64")
    out["reachable"] = out["reachable"].astype("Int64")
    out["share"] = out["share"].astype(float)
    return out


# ------------------------------------------------------------------ pressure
@dataclass
class Pressure:
    """Marketing pressure over the plan year (aggregates only).

    distribution: month, channel, messages, customers — customers receiving that many messages (> 0)
    summary: month, channel, customers (receiving ≥ 1 message), mean and max messages per such
        customer, over_cap (customers above the cap), cap (NaN when none)
    over_cap: month, channel, segment (None = never bought), programmes (tuple of names that add
        up), messages, customers — one row per combination above the cap
    skipped: programme, missing — programmes left out because the file lacks fields
    """

    distribution: pd.DataFrame
    summary: pd.DataFrame
    over_cap: pd.DataFrame
    skipped: pd.DataFrame
    caps: dict[str, float]
    plan_year: int
    channels: tuple[str, ...] = field(default=())
    signatures: int = 0  # distinct (segment, membership) groups the simulation worked on


def _channel_order(channels) -> list[str]:
    known = [item["code"] for item in load_yaml(TEMPLATES_DIR / "workshop" / "lists.yaml").get("channel", [])]
    return sorted(set(channels), key=lambda c: (known.index(c) if c in known else len(known), c))


def simulate_pressure(programmes: list[Programme], base: pd.DataFrame, as_of, plan_year: int,
                      caps: dict[str, float] | None = None) -> Pressure:
    """Messages per person, per month and channel, over the plan year (see module doc)."""
    caps = {str(k): float(v) for k, v in (caps or {}).items() if v is not None and not pd.isna(v)}
    as_of = pd.Timestamp(as_of)
    n = len(base)
    columns: list[tuple[int, int | None]] = []  # (programme index, month or None = every active month)
    bits: list[np.ndarray] = []
    skipped = []
    active = [p for p in programmes if p.months and p.messages_per_month > 0]
    for i, p in enumerate(active):
        missing = missing_fields(p.rule, base)
        if missing:
            skipped.append({"programme": p.label, "missing": missing})
            continue
        reach = reach_mask(base, p.channel)
        for month in (p.months if p.rule.month_dependent else (None,)):
            mask = evaluate(p.rule, base, as_of, month).mask.to_numpy() & reach
            if mask.any():
                bits.append(mask)
                columns.append((i, month))
    channels = _channel_order(active[i].channel for i, _ in columns)
    if TOTAL in caps:
        channels.append(TOTAL)

    # Group customers by segment + membership signature (bits packed in 64-bit words).
    seg_codes, seg_names = pd.factorize(base["segment"] if "segment" in base else pd.Series([np.nan] * n),
                                        use_na_sentinel=True)
    keys = {"segment": seg_codes}
    k = len(bits)
    for w in range((k + 63) // 64):
        word = np.zeros(n, np.uint64)
        for j in range(w * 64, min(k, (w + 1) * 64)):
            word |= bits[j].astype(np.uint64) << np.uint64(j - w * 64)
        keys[f"w{w}"] = word
    groups = pd.DataFrame(keys).groupby(list(keys), sort=True).size().reset_index(name="customers")
    member = np.zeros((len(groups), k), bool)
    for j in range(k):
        word = groups[f"w{j // 64}"].to_numpy(np.uint64)
        member[:, j] = ((word >> np.uint64(j % 64)) & np.uint64(1)).astype(bool)
    counts = groups["customers"].to_numpy()
    segments = [None if c < 0 else seg_names[c] for c in groups["segment"]]

    dist_rows, summary_rows, over_rows = [], [], []
    for month in MONTHS:
        for channel in channels:
            weight = np.array([
                active[i].messages_per_month
                if active[i].active(month) and (m is None or m == month)
                and (channel == TOTAL or active[i].channel == channel) else 0.0
                for i, m in columns
            ], float)
            messages = np.round(member @ weight, 6) if k else np.zeros(len(groups))
            got = messages > 0
            reached = int(counts[got].sum())
            cap = caps.get(channel, np.nan)
            over = got & (messages > cap + 1e-9) if not np.isnan(cap) else np.zeros(len(groups), bool)
            summary_rows.append({
                "month": month, "channel": channel, "customers": reached,
                "mean": float((messages[got] * counts[got]).sum() / reached) if reached else 0.0,
                "max": float(messages.max()) if k and reached else 0.0,
                "over_cap": int(counts[over].sum()), "cap": cap,
            })
            if reached:
                d = pd.Series(counts[got]).groupby(messages[got]).sum()
                dist_rows += [{"month": month, "channel": channel, "messages": float(v), "customers": int(c)}
                              for v, c in d.items()]
            for g in np.flatnonzero(over):
                sending = np.flatnonzero(member[g] & (weight > 0)).tolist()
                names = tuple(dict.fromkeys(active[columns[j][0]].label for j in sending))
                over_rows.append({"month": month, "channel": channel, "segment": segments[g], "programmes": names,
                                  "messages": float(messages[g]), "customers": int(counts[g])})
    distribution = pd.DataFrame(dist_rows, columns=["month", "channel", "messages", "customers"])
    summary = pd.DataFrame(summary_rows, columns=["month", "channel", "customers", "mean", "max", "over_cap", "cap"])
    over_cols = ["month", "channel", "segment", "programmes", "messages", "customers"]
    over_cap = pd.DataFrame(over_rows, columns=over_cols)
    if len(over_cap):
        over_cap = (over_cap.assign(_seg=over_cap["segment"].fillna(""))
                    .groupby(["month", "channel", "_seg", "programmes", "messages"], sort=False)["customers"].sum()
                    .reset_index())
        over_cap["segment"] = [s or None for s in over_cap["_seg"]]
        order = {c: i for i, c in enumerate(channels)}
        over_cap = over_cap.assign(_ch=over_cap["channel"].map(order)).sort_values(
            ["month", "_ch", "customers", "messages"], ascending=[True, True, False, False], kind="stable")
        over_cap = over_cap[over_cols].reset_index(drop=True)
    return Pressure(distribution, summary, over_cap,
                    pd.DataFrame(skipped, columns=["programme", "missing"]), caps, int(plan_year),
                    tuple(channels), len(groups))


# ------------------------------------------------------------------ texts
def _month_name(month: int, L: Labels, width: str = "wide") -> str:
    return get_month_names(width, locale=L.locale)[int(month)]


def channel_label(channel: str, L: Labels) -> str:
    if channel == TOTAL:
        return L("plan.channel.total")
    for item in load_yaml(TEMPLATES_DIR / "workshop" / "lists.yaml").get("channel", []):
        if item["code"] == channel:
            return item[L.lang]
    return channel


def field_label(name: str, L: Labels) -> str:
    return L(f"plan.field.{name}") if L.has(f"plan.field.{name}") else name


def _customers(n: int, L: Labels) -> str:
    return L(f"plan.customers_{'one' if n == 1 else 'many'}", n=L.number(n))


def _messages(x: float, channel: str, L: Labels) -> str:
    unit = channel if channel in ("email", "sms") else "other"
    return L(f"plan.unit.{unit}_{'one' if x == 1 else 'many'}", n=_number(x, L))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _quote(name: str, L: Labels) -> str:
    return L("plan.quote", name=name)


def pressure_text(pressure: Pressure, labels: Labels) -> list[str]:
    """Plain sentences on the pressure: per channel, the worst month above the
    cap and the programmes that add up there, or the peak under the cap;
    programmes left out for lack of data."""
    L = labels
    out = []
    s = pressure.summary
    for channel in pressure.channels:
        d = s[s["channel"] == channel]
        if not d["customers"].sum():
            continue
        name = _capital(channel_label(channel, L))
        cap = d["cap"].iloc[0]
        peak = d.sort_values(["max", "month"], ascending=[False, True], kind="stable").iloc[0]
        if pd.isna(cap):
            out.append(L("plan.pressure.no_cap", channel=name, max=_messages(peak["max"], channel, L),
                         month=_month_name(peak["month"], L)))
            continue
        over = d[d["over_cap"] > 0]
        if not len(over):
            out.append(L("plan.pressure.under_cap", channel=name, max=_messages(peak["max"], channel, L),
                         cap=_number(cap, L)))
            continue
        worst = over.sort_values(["over_cap", "month"], ascending=[False, True], kind="stable").iloc[0]
        oc = pressure.over_cap
        rows = oc[(oc["month"] == worst["month"]) & (oc["channel"] == channel)]
        combos = rows.groupby(["programmes", "messages"], sort=False)["customers"].sum().reset_index()
        top = combos.sort_values(["customers", "messages"], ascending=False, kind="stable").iloc[0]
        several = len(top["programmes"]) > 1
        n = int(top["customers"])
        out.append(L("plan.pressure.over" if several else "plan.pressure.over_single",
                     month=_month_name(worst["month"], L), receive=L(f"plan.receive_{'one' if n == 1 else 'many'}",
                                                                     n=L.number(n)),
                     messages=_messages(top["messages"], channel, L), cap=_number(cap, L),
                     programmes=L.join(list(top["programmes"])) if several else _quote(top["programmes"][0], L)))
        by_segment = rows.groupby(rows["segment"].fillna(""), sort=False)["customers"].sum().sort_values(
            ascending=False, kind="stable")
        segs = [f"{L(f'segment.{g}') if g else L('plan.no_segment')} ({L.number(c)})"
                for g, c in by_segment.head(3).items()]
        out.append(L("plan.pressure.over_months", channel=name, months=len(over), cap=_number(cap, L),
                     customers=_customers(int(worst["over_cap"]), L), month=_month_name(worst["month"], L),
                     segments=L.join(segs)))
    for _, r in pressure.skipped.iterrows():
        out.append(L("plan.pressure.skipped", programme=_quote(r["programme"], L),
                     fields=L.join([field_label(f, L) for f in r["missing"]])))
    if not out:
        out.append(L("plan.pressure.none"))
    return out


def targets_text(sizes: pd.DataFrame, labels: Labels) -> list[str]:
    """Plain sentences on target sizes: the largest target, programmes that
    reach few of their target, empty targets, and the data to collect."""
    L = labels
    out = []
    known = sizes[sizes["size"].notna()]
    if len(known):
        big = known.sort_values("size", ascending=False, kind="stable").iloc[0]
        out.append(L("plan.targets.largest", programme=_quote(big["programme"], L),
                     customers=_customers(int(big["size"]), L), share=L.percent(big["share"])))
    for _, r in known.iterrows():
        size, reach = int(r["size"]), r["reachable"]
        if size == 0:
            out.append(L("plan.targets.empty", programme=_quote(r["programme"], L)))
        elif r["channel"] in REACH and not pd.isna(reach) and reach < 0.5 * size:
            out.append(L("plan.targets.low_reach", programme=_quote(r["programme"], L), reachable=L.number(int(reach)),
                         customers=_customers(size, L), channel=channel_label(r["channel"], L),
                         share=L.percent(reach / size)))
    for _, r in sizes.iterrows():
        if r["missing"]:
            fields = L.join([field_label(f, L) for f in r["missing"]])
            key = "plan.targets.missing" if pd.isna(r["size"]) else "plan.targets.missing_channel"
            if pd.isna(r["size"]) and set(r["missing"]) <= set(RFM_COLUMNS):  # the sales export, not a collection
                key = "plan.targets.missing_history"
            out.append(L(key, programme=_quote(r["programme"], L), fields=fields))
    return out


# ------------------------------------------------------------------ charts
def pressure_chart(pressure: Pressure, labels: Labels) -> Figure:
    """Per channel (one panel each): the heaviest and the average monthly load
    per person reached, against the channel's cap."""
    L = labels
    use_house_style()
    s = pressure.summary
    channels = [c for c in pressure.channels if s.loc[s["channel"] == c, "customers"].sum()]
    panels = max(len(channels), 1)
    fig, axes = plt.subplots(panels, 1, figsize=(PAGE_WIDTH_IN, 1.25 + 1.6 * panels), sharex=True,
                             layout="constrained", squeeze=False)
    fig.suptitle(L("plan.chart.pressure_title"), x=0.0, ha="left", fontsize=11, fontweight="bold", color=PALETTE["ink"])
    over_total = int(pressure.summary["over_cap"].sum())
    takeaway = L("plan.chart.pressure_over" if over_total else "plan.chart.pressure_ok")
    axes[0, 0].set_title(takeaway, loc="left", fontsize=8.5, color=PALETTE["muted"], pad=18)
    normal, alarm = PALETTE["accent"] + "80", PALETTE["weakness"]
    for ax, channel in zip(axes[:, 0], channels):
        d = pressure.summary[pressure.summary["channel"] == channel].set_index("month").reindex(MONTHS)
        cap = d["cap"].iloc[0]
        over = (d["max"] > cap + 1e-9) if not pd.isna(cap) else pd.Series(False, index=d.index)
        ax.bar(d.index, d["max"], width=0.62, color=[alarm if o else normal for o in over], zorder=2)
        ax.plot(d.index, d["mean"], color=PALETTE["ink"], marker="o", markersize=3.2, linewidth=1.2, zorder=3)
        top = float(max(d["max"].max(), 0 if pd.isna(cap) else cap, 1))
        for m, v in d["max"].items():
            if v > 0:
                ax.text(m, v + top * 0.04, _number(v, L), ha="center", va="bottom", fontsize=7,
                        color=alarm if over[m] else PALETTE["muted"])
        if not pd.isna(cap):
            ax.axhline(cap, color=PALETTE["threat"], linestyle="--", linewidth=1.1, zorder=4)
        ax.set_ylim(0, top * 1.3)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        title = _capital(channel_label(channel, L))
        if not pd.isna(cap):
            title += " — " + L("plan.chart.cap", cap=_number(cap, L))
        ax.text(0.0, 1.02, title, transform=ax.transAxes, fontsize=8.5, fontweight="bold", color=PALETTE["ink"],
                ha="left", va="bottom")
        ax.set_ylabel(L("plan.chart.messages_axis"), fontsize=7.5, color=PALETTE["muted"])
        ax.tick_params(labelsize=7.5)
        ax.grid(axis="y", color="#E5E7EB", linewidth=0.6, zorder=0)
        sns.despine(ax=ax)
    last = axes[-1, 0]
    last.set_xticks(list(MONTHS), [_month_name(m, L, "abbreviated") for m in MONTHS])
    last.set_xlim(0.4, 12.6)
    handles = [Patch(color=normal, label=L("plan.chart.max")), Patch(color=alarm, label=L("plan.chart.max_over")),
               Line2D([], [], color=PALETTE["ink"], marker="o", markersize=3.2, label=L("plan.chart.mean")),
               Line2D([], [], color=PALETTE["threat"], linestyle="--", label=L("plan.chart.cap_line"))]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, frameon=False, fontsize=7.5)
    if not channels:
        axes[0, 0].text(0.5, 0.5, L("plan.pressure.none"), transform=axes[0, 0].transAxes, ha="center", va="center",
                        fontsize=8.5, color=PALETTE["muted"])
        axes[0, 0].set_axis_off()
    return fig


def targets_chart(sizes: pd.DataFrame, labels: Labels) -> Figure:
    """Per programme: customers targeted and, of them, reachable on its channel;
    programmes the file cannot target say which data are missing."""
    L = labels
    use_house_style()
    n = max(len(sizes), 1)
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 1.3 + 0.38 * n), layout="constrained")
    fig.suptitle(L("plan.chart.targets_title"), x=0.0, ha="left", fontsize=11, fontweight="bold", color=PALETTE["ink"])
    ax.set_title(L("plan.chart.targets_takeaway"), loc="left", fontsize=8.5, color=PALETTE["muted"], pad=8)
    y = np.arange(len(sizes))
    size = sizes["size"].astype("Float64").fillna(0).to_numpy(float)
    reach = sizes["reachable"].astype("Float64").fillna(0).to_numpy(float)
    ax.barh(y, size, height=0.7, color=PALETTE["muted"] + "55", zorder=2)
    ax.barh(y, reach, height=0.4, color=PALETTE["accent"], zorder=3)
    top = max(size.max() if len(size) else 0, 1)
    for i, (_, r) in enumerate(sizes.iterrows()):
        if pd.isna(r["size"]):
            ax.text(top * 0.01, i, L("plan.chart.missing", fields=L.join([field_label(f, L) for f in r["missing"]])),
                    va="center", fontsize=7.5, style="italic", color=PALETTE["weakness"])
        else:
            ax.text(size[i] + top * 0.01, i, L.number(size[i]), va="center", fontsize=7.5, color=PALETTE["ink"])
    ax.set_yticks(y, ["\n".join(_wrap(str(p), 30)) for p in sizes["programme"]])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.15)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: L.number(v)))
    ax.tick_params(labelsize=7.5)
    ax.set_xlabel(L("plan.chart.customers_axis"), fontsize=8)
    fig.legend(handles=[Patch(color=PALETTE["muted"] + "55", label=L("plan.chart.targeted")),
                        Patch(color=PALETTE["accent"], label=L("plan.chart.reachable"))],
               loc="outside lower center", ncol=2, frameon=False, fontsize=7.5)
    sns.despine(ax=ax, left=True)
    return fig

