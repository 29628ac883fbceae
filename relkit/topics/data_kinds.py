"""The three kinds of customer data (seed 001 §IV) and the questions the
customer database must answer: pure functions on the collection plan's frame.

Kinds (``KINDS``), column ``kind`` of the collection plan:

    ``personal``  descriptive data about the person or the company (name, age,
                  address; company name, sector, headcount);
    ``action``    what the firm did towards the customer, over time (e-mails
                  and mailings sent, phone calls, meetings);
    ``reaction``  how the customer behaves in response: purchases (products,
                  amounts, quantities, dates), opens, clicks.

A row with no ``kind`` takes it from its ``data_type`` (the column every
workbook has had, ``TYPE_KIND``): socio-demographic and declarative data are
descriptive (``personal``), transactional and behavioural data are
``reaction``. Nothing maps to ``action``: it must be written. A row with
neither is ``None`` (validation reports it, see ``kind_problems``).

Questions (``QUESTIONS``, seed 001 §IV "Définition des besoins"), and the
rows that answer each (consent records answer none: they are permissions,
not knowledge of the customer). Text is matched on ``fold()``ed field name
and uses:

    ``who``          rows of kind ``personal``;
    ``expectations`` rows naming an expectation (``EXPECTATION_TERMS``:
                     attentes, besoins, préférences, centres d'intérêt, avis,
                     satisfaction...);
    ``habits``       rows of kind ``reaction``;
    ``structure``    purchase rows (``data_type`` transactional, or kind
                     reaction with ``PURCHASE_TERMS`` in the name), and
                     descriptive rows that split the base (customer_field
                     postal_code, city, country or company);
    ``big_small``    purchase rows; for a B2B client also descriptive rows on
                     the company's size (``SIZE_TERMS``: effectif, salariés,
                     chiffre d'affaires de l'entreprise...);
    ``potential``    rows of kind ``action`` (who responds to what was sent),
                     expectation rows, and rows on what a customer could buy
                     (``POTENTIAL_TERMS``; B2C: children, household; B2B:
                     ``SIZE_TERMS`` and sector). It needs ``big_small`` too
                     (the small customers must be found first): with
                     potential rows but no ``big_small`` row it is ``partial``.

Status of a question: ``answered`` (at least one row; ``potential`` also
needs ``big_small``), ``partial`` (``potential`` only) or ``unanswered``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from relkit.io.parsing import fold, is_blank
from relkit.io.problems import Problem

KINDS = ("personal", "action", "reaction")
TYPE_KIND = {"socio_demographic": "personal", "declarative": "personal",
             "transactional": "reaction", "behavioural": "reaction"}
QUESTIONS = ("who", "expectations", "habits", "structure", "big_small", "potential")
QUESTION_STATUSES = ("answered", "partial", "unanswered")
SPLIT_FIELDS = ("postal_code", "city", "country", "company")

CONSENT = re.compile(r"consent|opt-?in|optin|desinscri|unsubscri")
EXPECTATION_TERMS = re.compile(
    r"\b(attentes?|besoins?|preferences?|centres? d.?interets?|interets?|gouts?|envies?|souhaits?|avis|satisfaction"
    r"|notes?|expectations?|needs?|interests?|tastes?|wish\w*|reviews?|feedback|nps)\b")
PURCHASE_TERMS = re.compile(
    r"\b(achats?|commandes?|factures?|ventes?|chiffre d.?affaires|\bca\b|montants?|paniers?|depenses?|transactions?"
    r"|purchases?|orders?|invoices?|sales|revenue|turnover|spend\w*|amounts?|baskets?)\b")
SIZE_TERMS = re.compile(
    r"\b(effectifs?|salaries|employes|taille de l.?entreprise|chiffre d.?affaires (de l.?entreprise|annuel)"
    r"|nombre de sites|headcount|employees|company size|annual revenue|turnover)\b")
POTENTIAL_TERMS = {
    "B2C": re.compile(r"\b(enfants?|bebes?|foyers?|famille\w*|naissances?|grossesse|children|child|kids?|babies|baby"
                      r"|household\w*|family|families)\b"),
    "B2B": re.compile(r"\b(secteurs?|filieres?|metiers?|activite|sectors?|industry|industries|trade)\b"),
}
POTENTIAL_TERMS["B2B2C"] = POTENTIAL_TERMS["B2C"]

KIND_COLUMNS = ["kind", "rows", "linked", "measured", "absent", "mean_filled", "fields"]
QUESTION_COLUMNS = ["question", "status", "rows", "fields"]


def kind_of(kind, data_type) -> str | None:
    """The row's kind: its own, else its data type's (``TYPE_KIND``), else None."""
    if not is_blank(kind) and str(kind) in KINDS:
        return str(kind)
    return None if is_blank(data_type) else TYPE_KIND.get(str(data_type))


def kinds(plan: pd.DataFrame) -> pd.Series:
    """The kind of every plan row (index of ``plan``); a plan without a ``kind`` column uses ``data_type``."""
    own = plan["kind"] if "kind" in plan.columns else pd.Series([None] * len(plan), index=plan.index)
    types = plan["data_type"] if "data_type" in plan.columns else pd.Series([None] * len(plan), index=plan.index)
    return pd.Series([kind_of(k, t) for k, t in zip(own, types)], index=plan.index, dtype=object)


# A kind written beside a data type it contradicts, and customer-file fields that can only be descriptive.
CONTRADICTIONS = {("personal", "transactional"), ("action", "transactional"), ("action", "socio_demographic"),
                  ("reaction", "socio_demographic")}
DESCRIPTIVE_FIELDS = ("email", "phone", "first_name", "last_name", "company", "address", "postal_code", "city",
                      "country", "birth_date")


def _labels(list_name: str, *codes: str) -> str:
    from relkit.io.atelier import lists

    shown = {i["code"]: i["fr"] for i in lists()[list_name]}
    return ", ".join(f"'{shown.get(c, c)}'" for c in codes)


def kind_problems(plan: pd.DataFrame, file: str, lang: str = "fr") -> list[Problem]:
    """One Problem per bad cell of the collection plan, in row order: no kind
    and no type (column kind); a kind its type contradicts (``CONTRADICTIONS``,
    column kind); an action or reaction linked to a customer-file field that
    only describes the customer (``DESCRIPTIVE_FIELDS``, column customer_field)."""
    from relkit.io.atelier import sheet

    s = sheet("collection_plan")

    def where(row: int, key: str) -> str:
        return f"sheet '{s.title[lang]}', row {row}, column '{s.column(key).header[lang]}'"

    out = []
    for _, r in plan.iterrows():
        row = int(r["row"])
        own = None if "kind" not in r.index or is_blank(r["kind"]) else str(r["kind"])
        dtype = None if "data_type" not in r.index or is_blank(r["data_type"]) else str(r["data_type"])
        if kind_of(own, dtype) is None:
            out.append(Problem(file, where(row, "kind"), f"expected one of {_labels('data_kind', *KINDS)} "
                                                         "(or a type), got an empty cell"))
            continue
        if (own, dtype) in CONTRADICTIONS:
            out.append(Problem(file, where(row, "kind"), f"{_labels('data_kind', own)} contradicts the type "
                                                         f"{_labels('data_type', dtype)}: correct one of the two"))
        linked = None if is_blank(r.get("customer_field")) else str(r["customer_field"])
        if own in ("action", "reaction") and linked in DESCRIPTIVE_FIELDS:
            out.append(Problem(file, where(row, "customer_field"),
                               f"{linked!r} describes the customer (kind 'personnelle'); expected a field "
                               f"recording {_labels('data_kind', own)} data, or an empty cell"))
    return out


@dataclass(frozen=True)
class KindSummary:
    """Completeness of one kind: plan rows, rows linked to the customer file,
    rows measured there (some records filled) and absent (0 % or no column),
    mean share filled over the linked rows that were measured or absent (NaN
    when none, or when the audit was not given), the fields in plan order."""

    kind: str
    rows: int
    linked: int
    measured: int
    absent: int
    mean_filled: float
    fields: tuple[str, ...]


def completeness_by_kind(plan: pd.DataFrame, measured: pd.DataFrame) -> pd.DataFrame:
    """One row per kind of ``KINDS`` (all three, zero rows included): ``KIND_COLUMNS``.
    ``measured`` is ``collection_plan.measured_completeness(plan, ...)`` (same row order)."""
    kind = kinds(plan).to_numpy()
    records = []
    for code in KINDS:
        mine = measured[kind == code]
        assessed = mine[mine["status"].isin(["measured", "absent"])]
        mean = float(assessed["share_filled"].mean()) if len(assessed) else float("nan")
        records.append(KindSummary(code, len(mine), int(mine["customer_field"].notna().sum()),
                                   int((mine["status"] == "measured").sum()), int((mine["status"] == "absent").sum()),
                                   mean, tuple(str(f) for f in mine["field"])).__dict__)
    return pd.DataFrame(records, columns=KIND_COLUMNS).astype({"mean_filled": float})


def _text(r) -> str:
    return fold(" ".join(str(r[c]) for c in ("field", "uses") if c in r.index and not is_blank(r[c])))


def _is_consent(r) -> bool:
    linked = r.get("customer_field")
    return (not is_blank(linked) and str(linked).startswith("opt_in")) or bool(CONSENT.search(fold(str(r["field"]))))


def question_rows(plan: pd.DataFrame, model: str = "B2C") -> dict[str, list[int]]:
    """Question -> workbook rows that answer it (plan order), for every question of ``QUESTIONS``."""
    out: dict[str, list[int]] = {q: [] for q in QUESTIONS}
    potential_terms = POTENTIAL_TERMS.get(model, POTENTIAL_TERMS["B2C"])
    for (_, r), kind in zip(plan.iterrows(), kinds(plan)):
        if _is_consent(r):
            continue
        text, row = _text(r), int(r["row"])
        name = fold(str(r["field"]))
        expectation = bool(EXPECTATION_TERMS.search(text))
        purchase = r.get("data_type") == "transactional" or (kind == "reaction" and bool(PURCHASE_TERMS.search(name)))
        size = model == "B2B" and kind == "personal" and bool(SIZE_TERMS.search(name))
        hits = {
            "who": kind == "personal",
            "expectations": expectation,
            "habits": kind == "reaction",
            "structure": purchase or (kind == "personal" and r.get("customer_field") in SPLIT_FIELDS),
            "big_small": purchase or size,
            "potential": kind == "action" or expectation or size or bool(potential_terms.search(name)),
        }
        for q, hit in hits.items():
            if hit:
                out[q].append(row)
    return out


def questions(plan: pd.DataFrame, model: str = "B2C") -> pd.DataFrame:
    """One row per question of ``QUESTIONS``: ``QUESTION_COLUMNS`` (status, rows as a tuple, fields as a tuple)."""
    found = question_rows(plan, model)
    names = {int(r["row"]): str(r["field"]) for _, r in plan.iterrows()}
    records = []
    for q in QUESTIONS:
        rows = found[q]
        if not rows:
            status = "unanswered"
        elif q == "potential" and not found["big_small"]:
            status = "partial"
        else:
            status = "answered"
        records.append({"question": q, "status": status, "rows": tuple(rows), "fields": tuple(names[i] for i in rows)})
    return pd.DataFrame(records, columns=QUESTION_COLUMNS)


def unanswered(table: pd.DataFrame) -> list[str]:
    """The questions of a ``questions()`` table no row answers (in ``QUESTIONS`` order)."""
    return [q for q, s in zip(table["question"], table["status"]) if s == "unanswered"]
