"""Data-collection plan (workshop sheet ``collection_plan``): completeness and GDPR checks.

Pure functions on the validated frames of the workshop workbook; they return
codes and data only (no sentence in any language): the notebook translates.

Completeness (``measured_completeness``, ``gaps``)
    A plan row is linked to the customer file through ``customer_field``
    (a canonical field of ``relkit.customers.CUSTOMER_FIELDS``). Its shares
    come from workbook 02's audit (``QualityReport.completeness``: index =
    canonical field; ``share_filled``, ``share_valid``, NA where no validity
    rule). Status of a row (``STATUSES``):

    - ``measured``: the field is in the audit table and at least one record has it;
    - ``absent``: the field is needed but is not in the audit table, or it is
      0 % filled (or the file has no record, so nothing is filled);
    - ``not_linked``: the row has no ``customer_field``, nothing to measure;
    - ``not_measured``: linked, but no audit table was given (``completeness``
      is None: workbook 02 has not been run).

    A gap is a row ``absent`` or ``measured`` with ``share_filled`` under
    ``GAP_THRESHOLD`` (50 %). For a B2B client, data about a private person
    (``consumer_only``: first name, birth date) is never a gap: a company has
    no birthday, and the plan does not ask to collect it. Gaps are ranked by the number of distinct
    programmes that need the field (most first; the ``programmes`` cell split
    on commas/semicolons, compared case/accent-insensitively), then priority
    (high, medium, low, none), then workbook row.

GDPR checks (``gdpr_checks``): one flag per (rule, row); rule ids are stable:

    ``no_use`` (seed 001: no collecting for collecting's sake)
        ``uses`` and ``programmes`` both empty.
    ``retention_too_long`` (CNIL: 3 years after the last contact)
        retention > ``MAX_RETENTION_MONTHS`` (36) months, unless the legal basis
        is ``legal_obligation`` (invoices: 10 years, never flagged), or the
        basis is ``contract`` and the people are ``customers`` only (data
        needed for the contract may be kept while it runs). So: prospects or
        customers_prospects with any basis but legal_obligation, and customers
        with consent, legitimate_interest, vital_interests or public_task.
    ``email_prospecting_without_consent`` (GDPR art. 6 / CPCE L.34-5)
        model B2C or B2B2C (B2B e-mail prospecting is opt-out and is not
        checked), AND the row is an e-mail address (``customer_field`` =
        ``email``, or the field name matches ``EMAIL_FIELD``, unless it is the
        consent record itself: customer_field ``opt_in_*`` or a name with
        "consent"/"opt-in"), AND uses or programmes mention marketing
        (``MARKETING_TERMS``: prospection, newsletter, marketing, promo...,
        relance, offre...), AND the legal basis is not ``consent``.
        Prospects with consent are compliant and not flagged. Customers only
        with another basis are flagged too (detail ``soft_opt_in_to_check``):
        the CPCE "soft opt-in" exception (analogous products, informed at
        collection, easy objection) may apply and must be checked; prospects
        get detail ``consent_required``.
    ``sensitive_data`` (GDPR art. 9 special categories; art. 10 criminal data)
        the field name or uses mention a term of ``SENSITIVE_TERMS``
        (health, religion, political opinion, union, sexual orientation,
        ethnic/racial origin, biometric, genetic...) or ``CRIMINAL_TERMS``
        (criminal record, convictions, offences). Detail: the terms found.
    ``collection_point_not_in_journey`` (journey: collection point)
        ``collection_point`` names a touchpoint of the journey (compared with
        ``relkit.io.parsing.fold``) but no row of that touchpoint, current or
        target, has ``collection_point`` = yes. Names matching no touchpoint
        are reported by validation, not here.

    Flags are sorted by workbook row, then in the order of ``RULES``. ``detail``
    holds data ("retention=60 months; people=prospects; legal_basis=consent"),
    ``source`` the French origin of the rule, as written in ``SOURCES``.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from relkit.io.parsing import fold, is_blank

STATUSES = ("measured", "absent", "not_linked", "not_measured")
GAP_THRESHOLD = 0.5
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}  # None / unknown: 3
MODELS = ("B2C", "B2B", "B2B2C")
CONSUMER_MODELS = ("B2C", "B2B2C")
MAX_RETENTION_MONTHS = 36
WITH_PROSPECTS = ("prospects", "customers_prospects")

RULES = (
    "no_use",
    "retention_too_long",
    "email_prospecting_without_consent",
    "sensitive_data",
    "collection_point_not_in_journey",
)
SOURCES = {
    "no_use": "seed 001 : collecter uniquement ce qui sert",
    "retention_too_long": "CNIL : 3 ans après le dernier contact",
    "email_prospecting_without_consent": "RGPD art. 6 / CPCE L.34-5 : prospection B2C par e-mail = consentement",
    "sensitive_data": "RGPD art. 9 : données sensibles",
    "sensitive_data_criminal": "RGPD art. 10 : condamnations pénales et infractions",
    "collection_point_not_in_journey": "parcours : point de collecte",
}

# Patterns run on fold()ed text (lower case, no accents, single spaces).
EMAIL_FIELD = re.compile(r"e-?mail|courriel|adresse (electronique|mail)|\bmail\b")
CONSENT_FIELD = re.compile(r"consent|opt-?in|optin")
MARKETING_TERMS = re.compile(
    r"\b(prospect\w*|newsletters?|marketing|e-?mailing|promo\w*|relances?|offres?|offers?|campagnes?|campaigns?"
    r"|publicit\w*|advertis\w*|soldes|bons? plans?|jeux? concours|sollicitations? commerciales?)\b"
)
SENSITIVE_TERMS = re.compile(
    r"\b(sante|health|medic\w*|maladies?|pathologie\w*|handicap\w*|disabilit\w*|allergi\w*|allergy"
    r"|grossesse|enceinte|pregnan\w*"
    r"|religio\w*|croyances?|confession|beliefs?"
    r"|opinions? politiques?|political\w*|philosophique\w*|philosophical"
    r"|syndica\w*|trade unions?"
    r"|orientation sexuelle|sexual orientation|vie sexuelle|sex life"
    r"|origines? ethniques?|origines? raciales?|ethni\w*|racial\w*"
    r"|biometri\w*|empreintes? digitales?|fingerprints?|reconnaissance faciale|facial recognition"
    r"|genetique\w*|genetic\w*|adn|dna)\b"
)
CRIMINAL_TERMS = re.compile(
    r"\b(casier judiciaire|criminal\w*|condamnations?|convictions?|infractions?|offences?|offenses?)\b"
)

# What a matched term (folded, as ``SENSITIVE_TERMS``/``CRIMINAL_TERMS`` find it)
# is about: the report names the category ("santé", "health"), never the internal
# keyword ("sante", "allergi").
TERM_CATEGORIES = (
    ("health", r"sante|health|medic|maladi|patholog|handicap|disabilit|allerg|grossesse|enceinte|pregnan"),
    ("religion", r"religio|croyance|confession|belief|philosoph"),
    ("politics", r"politi"),
    ("union", r"syndica|trade union"),
    ("sexual", r"sex"),
    ("ethnic", r"ethni|racial|origine"),
    ("biometric", r"biometri|empreinte|fingerprint|faciale|facial"),
    ("genetic", r"genet|adn|dna"),
    ("criminal", r"casier|criminal|condamnation|conviction|infraction|offen[cs]e"),
)


def term_categories(terms: list[str]) -> list[str]:
    """The categories of sensitive data the matched terms belong to, in
    ``TERM_CATEGORIES`` order, each once: ['sante', 'allergies'] -> ['health']."""
    found = {code for term in terms for code, pattern in TERM_CATEGORIES if term.strip() and re.search(pattern, term)}
    return [code for code, _ in TERM_CATEGORIES if code in found]


COMPLETENESS_COLUMNS = ["row", "field", "customer_field", "status", "share_filled", "share_valid"]
GAP_COLUMNS = ["field", "customer_field", "status", "share_filled", "programme_count", "priority", "row"]
FLAG_COLUMNS = ["rule", "row", "field", "detail", "source"]


def split_list(value) -> list[str]:
    """'Fidélité ; newsletter, fidelite' -> ['Fidélité', 'newsletter'] (distinct by fold, order kept)."""
    if is_blank(value):
        return []
    out, seen = [], set()
    for part in re.split(r"[,;\n]", str(value)):
        item = part.strip()
        if item and fold(item) not in seen:
            seen.add(fold(item))
            out.append(item)
    return out


def _text(value) -> str:
    return "" if is_blank(value) else str(value)


def _code(value) -> str | None:
    return None if is_blank(value) else str(value)


def _none_for_missing(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Code columns as objects with None (not NaN) where there is no code."""
    for col in columns:
        values = table[col].astype(object)
        table[col] = values.where(values.notna(), None)
    return table


# --- completeness --------------------------------------------------------------

def measured_completeness(plan: pd.DataFrame, completeness: pd.DataFrame | None) -> pd.DataFrame:
    """One row per plan row: ``COMPLETENESS_COLUMNS`` (shares NaN unless measured)."""
    records = []
    for _, r in plan.iterrows():
        linked = _code(r["customer_field"])
        filled = valid = float("nan")
        if linked is None:
            status = "not_linked"
        elif completeness is None:
            status = "not_measured"
        elif linked not in completeness.index:
            status, filled = "absent", 0.0
        else:
            share = completeness.at[linked, "share_filled"]
            share = float("nan") if pd.isna(share) else float(share)
            if share != share or share == 0:
                status = "absent"
                filled = 0.0
            else:
                status = "measured"
                filled = share
                v = completeness.at[linked, "share_valid"] if "share_valid" in completeness.columns else None
                valid = float("nan") if v is None or pd.isna(v) else float(v)
        records.append({
            "row": int(r["row"]), "field": r["field"], "customer_field": linked, "status": status,
            "share_filled": filled, "share_valid": valid,
        })
    table = pd.DataFrame(records, columns=COMPLETENESS_COLUMNS).astype({"share_filled": float, "share_valid": float})
    return _none_for_missing(table, ["customer_field"])


# Data about a private person, not asked of a business client (B2B).
CONSUMER_ONLY_FIELDS = ("first_name", "birth_date")
CONSUMER_ONLY_NAME = re.compile(
    r"\b(prenoms?|first ?names?|(date (de )?)?naissance|birth ?dates?|dates? of birth|anniversaires?|birthdays?)\b")


def consumer_only(customer_field, name) -> bool:
    """A first name or a birth date (linked field, or the row's name, folded)."""
    return _code(customer_field) in CONSUMER_ONLY_FIELDS or bool(CONSUMER_ONLY_NAME.search(fold(_text(name))))


def unfit_for_model(plan: pd.DataFrame, model: str) -> list[str]:
    """The plan's fields a client of this model is not asked to collect (B2B:
    ``consumer_only`` ones), in plan order; empty for B2C and B2B2C."""
    if model != "B2B":
        return []
    return [r["field"] for _, r in plan.iterrows() if consumer_only(r["customer_field"], r["field"])]


def gaps(plan: pd.DataFrame, completeness: pd.DataFrame | None, model: str = "B2C") -> pd.DataFrame:
    """Needed fields absent or under ``GAP_THRESHOLD`` filled, ranked (see module doc): ``GAP_COLUMNS``.
    Fields with no customer-file column count when programmes need them and they
    are not transaction data; for a B2B client, ``consumer_only`` fields never count."""
    unfit = set(unfit_for_model(plan, model))
    plan = plan[~plan["field"].isin(unfit)] if unfit else plan
    measured = measured_completeness(plan, completeness)
    # A field the customer file has no column for is missing too, when programmes
    # need it and it is not transaction data (which the sales export holds).
    needed_elsewhere = (
        measured["status"].eq("not_linked")
        & plan["programmes"].map(lambda v: len(split_list(v)) > 0).to_numpy()
        & plan["data_type"].ne("transactional").to_numpy()
    )
    is_gap = measured["status"].eq("absent") | needed_elsewhere | (
        measured["status"].eq("measured") & measured["share_filled"].lt(GAP_THRESHOLD)
    )
    by_row = {int(r["row"]): r for _, r in plan.iterrows()}
    records = []
    for _, m in measured[is_gap].iterrows():
        source = by_row[int(m["row"])]
        priority = _code(source["priority"])
        records.append({
            "field": m["field"], "customer_field": m["customer_field"], "status": m["status"],
            "share_filled": m["share_filled"], "programme_count": len(split_list(source["programmes"])),
            "priority": priority, "row": int(m["row"]), "_p": PRIORITY_ORDER.get(priority, len(PRIORITY_ORDER)),
        })
    table = pd.DataFrame(records, columns=GAP_COLUMNS + ["_p"])
    table = table.sort_values(["programme_count", "_p", "row"], ascending=[False, True, True], kind="stable")
    table = table.drop(columns="_p").reset_index(drop=True).astype({"share_filled": float, "programme_count": int})
    return _none_for_missing(table, ["customer_field", "priority"])


# --- GDPR checks ---------------------------------------------------------------

def _months(value: float) -> str:
    return f"{value:g}"


def _is_email_row(r) -> bool:
    linked = _code(r["customer_field"])
    if linked == "email":
        return True
    if linked is not None and linked.startswith("opt_in"):
        return False
    name = fold(_text(r["field"]))
    return bool(EMAIL_FIELD.search(name)) and not CONSENT_FIELD.search(name)


def _found(pattern: re.Pattern, text: str) -> list[str]:
    out = []
    for m in pattern.finditer(text):
        if m.group(0) not in out:
            out.append(m.group(0))
    return out


def _marked_touchpoints(journey: pd.DataFrame | None) -> tuple[set[str], set[str]]:
    """(every touchpoint, touchpoints marked as collection point in some version), folded."""
    if journey is None or not len(journey) or "touchpoint" not in journey.columns:
        return set(), set()
    known, marked = set(), set()
    flags = journey["collection_point"] if "collection_point" in journey.columns else [None] * len(journey)
    for point, flag in zip(journey["touchpoint"], flags):
        if is_blank(point):
            continue
        known.add(fold(point))
        if flag is True or (isinstance(flag, np.bool_) and bool(flag)):
            marked.add(fold(point))
    return known, marked


def gdpr_checks(plan: pd.DataFrame, journey: pd.DataFrame | None, model: str) -> pd.DataFrame:
    """Flags of the rules in ``RULES`` (see module doc): ``FLAG_COLUMNS``, one row per rule and plan row."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    known, marked = _marked_touchpoints(journey)
    flags = []

    def flag(rule: str, r, detail: str, source: str | None = None):
        flags.append({"rule": rule, "row": int(r["row"]), "field": r["field"], "detail": detail,
                      "source": source or SOURCES[rule]})

    for _, r in plan.iterrows():
        uses, programmes = _text(r["uses"]), _text(r["programmes"])
        people, basis = _code(r["people"]), _code(r["legal_basis"])
        purposes = fold(f"{uses} ; {programmes}")

        if not split_list(uses) and not split_list(programmes):
            flag("no_use", r, "uses=; programmes=")

        retention = r["retention"]
        if not is_blank(retention) and float(retention) > MAX_RETENTION_MONTHS and basis != "legal_obligation" and (
            people in WITH_PROSPECTS or basis != "contract"
        ):
            flag("retention_too_long", r,
                 f"retention={_months(float(retention))} months; people={people}; legal_basis={basis}")

        if model in CONSUMER_MODELS and basis != "consent" and _is_email_row(r):
            terms = _found(MARKETING_TERMS, purposes)
            if terms:
                why = "consent_required" if people in WITH_PROSPECTS else "soft_opt_in_to_check"
                flag("email_prospecting_without_consent", r,
                     f"{why}; people={people}; legal_basis={basis}; uses={', '.join(terms)}")

        about = fold(f"{_text(r['field'])} ; {uses}")
        sensitive, criminal = _found(SENSITIVE_TERMS, about), _found(CRIMINAL_TERMS, about)
        if sensitive or criminal:
            source = SOURCES["sensitive_data"] if sensitive else SOURCES["sensitive_data_criminal"]
            if sensitive and criminal:
                source = "RGPD art. 9 et 10 : données sensibles, condamnations et infractions"
            flag("sensitive_data", r, "terms=" + ", ".join(sensitive + criminal), source)

        point = _text(r["collection_point"]).strip()
        if point and fold(point) in known and fold(point) not in marked:
            flag("collection_point_not_in_journey", r, f"touchpoint={point}")

    table = pd.DataFrame(flags, columns=FLAG_COLUMNS)
    order = {rule: i for i, rule in enumerate(RULES)}
    table["_o"] = table["rule"].map(order)
    table = table.sort_values(["row", "_o"], kind="stable").drop(columns="_o").reset_index(drop=True)
    return table.astype({"row": int})
