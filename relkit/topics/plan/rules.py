"""Target rules: who a programme is for, as a short phrase (``parse_rule``).

Rules are short French phrases — English accepted, case, accents and spaces
ignored — joined by " et ", " and " or ",":

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

Each clause declares the fields of the customer base it reads (``CLAUSE_FIELDS``);
``relkit.topics.plan.targets`` evaluates a rule on the base.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd

from relkit.customers.rfm import SEGMENTS
from relkit.io.labels import catalogue as label_catalogue
from relkit.io.parsing import fold, is_blank, parse_amount, parse_int, parse_number


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
