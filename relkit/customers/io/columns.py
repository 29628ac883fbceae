"""Header matching: which column of an export holds each relkit field.

Headers are matched on a folded key (case, accents, spaces, a currency unit,
brackets); a missing required column is reported with the header most likely
to hold it and the engagement.yaml line that maps it.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from relkit.io.parsing import fold
from relkit.io.problems import Problem
from relkit.customers.io.schema import REQUIRED, ImportFailed, Kind

# Currency words a header may carry as a unit: "Montant TTC (€)", "Total HT en €", "Prix (EUR)".
CURRENCY_WORDS = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "usd": "USD", "us$": "USD",
                  "£": "GBP", "gbp": "GBP", "chf": "CHF", "cad": "CAD", "¥": "JPY", "jpy": "JPY"}
_HEADER_UNIT = re.compile(r"(?<!\w)(?:en\s+|in\s+)?(us\$|€|\$|£|¥|euros?|eur|usd|gbp|chf|cad|jpy)(?!\w)")
_HEADER_PUNCT = re.compile(r"[()\[\]_:*]")
_AMOUNT_NET = re.compile(r"(?<!\w)(?:ht|hors taxes?|net|excl\.? tax|excluding tax|before tax)(?!\w)")
_AMOUNT_GROSS = re.compile(r"(?<!\w)(?:ttc|toutes taxes comprises|incl\.? tax|including tax|gross)(?!\w)")
# Words that make a header a plausible home for a required field (for the fix in the message).
_HINTS = {
    "customer_id": {"client", "clients", "customer", "code", "id", "ref", "ref.", "tiers", "compte", "numero", "n°", "no"},
    "date": {"date", "jour", "le", "day", "created", "cree", "emission", "piece"},
    "amount": {"montant", "prix", "total", "price", "amount", "ca", "ttc", "ht", "valeur", "somme", "spend", "net",
               "brut", "chiffre", "revenue"},
}


@functools.lru_cache(maxsize=4096)
def _header_key(header: str) -> str:
    """The key a header is matched on: relkit.io.parsing.fold (case, accents,
    spaces) plus what exports add around a name: a currency unit ('(€)',
    'en €', '(EUR)'), brackets, underscores, a trailing ':' or '*'."""
    text = _HEADER_UNIT.sub(" ", fold(str(header).replace("\ufeff", "")))
    return " ".join(_HEADER_PUNCT.sub(" ", text).split())


def header_currency(header: str) -> str | None:
    """The ISO currency a header names as its unit ('Total (USD)' -> 'USD'), if any."""
    found = _HEADER_UNIT.search(fold(str(header)))
    return CURRENCY_WORDS.get(found.group(1)) if found else None


def _basis(header: str) -> str | None:
    """'HT' for a net (before VAT) amount header, 'TTC' for a gross one, None if it does not say."""
    key = _header_key(header)
    if _AMOUNT_NET.search(key):
        return "HT"
    if _AMOUNT_GROSS.search(key):
        return "TTC"
    return None


@dataclass
class Located:
    """Where each field's columns are, and what the consultant should know about it."""

    positions: dict[str, list[int]]
    notes: list[str]
    amount_basis: str | None
    unused: list[str]


@dataclass(frozen=True)
class Mapping:
    """Which headers each field accepts for this source: the preset, then the engagement's overrides."""

    kind: Kind
    parts: dict[str, tuple[tuple[str, ...], ...]]
    declared: frozenset = frozenset()  # fields the engagement named a column for
    fallback: dict = field(default_factory=dict)  # field -> parts used when none of its headers is there
    amount_basis: str | None = None  # the preset's, when the amount header does not say HT or TTC

    def _accepted(self, f: str) -> list[tuple[tuple[str, ...], ...]]:
        return [self.parts[f], *([self.fallback[f]] if f in self.fallback else [])]

    def matches(self, cells: list[str]) -> bool:
        """A header row holds a column for every required field."""
        found = {_header_key(c) for c in cells}
        return all(any(_header_key(h) in found for parts in self._accepted(f) for part in parts for h in part)
                   for f in REQUIRED[self.kind])

    def locate(self, headers: list[str], file: str, where: str) -> Located:
        """Field -> positions of its columns; every missing required column and
        every ambiguous (duplicated) header is a problem."""
        position, duplicates = {}, {}
        for i, h in enumerate(headers):
            key = _header_key(h)
            if not key:
                continue
            if key in position:
                duplicates.setdefault(key, [position[key]]).append(i)
            else:
                position[key] = i
        positions, notes, missing = {}, [], []
        for f, parts in self.parts.items():
            found = [self._pick(f, part, position) for part in parts]
            if any(p is not None for p in found):
                positions[f] = [p for p in found if p is not None]
            elif f in self.fallback:
                found = [self._pick(f, part, position) for part in self.fallback[f]]
                if any(p is not None for p in found):
                    positions[f] = [p for p in found if p is not None]
                    used = " else ".join(repr(headers[p]) for p in positions[f])
                    notes.append(f"no {f} column: {used} used as the {f} (stable per customer)")
            if f not in positions and f in REQUIRED[self.kind]:
                missing.append(f)
        used = {p for ps in positions.values() for p in ps}
        problems = [self._missing(f, headers, used, file, where) for f in missing]
        for f, ps in positions.items():
            for p in ps:
                if (key := _header_key(headers[p])) in duplicates:
                    columns = " and ".join(str(i + 1) for i in duplicates[key])
                    problems.append(Problem(file, f"{where}, column '{headers[p]}'", (
                        f"columns {columns} have the same header, read as {f}: relkit cannot tell which one "
                        "to use; rename or delete the other ones in the file")))
        if problems:
            raise ImportFailed(problems)
        basis = None
        if "amount" in positions:
            chosen = headers[positions["amount"][0]]
            basis = _basis(chosen) or self.amount_basis
            accepted = [position[_header_key(h)] for part in self.parts["amount"] for h in part
                        if _header_key(h) in position]
            others = [headers[i] for i in [*accepted, *position.values()] if i not in used and _basis(headers[i]) == "TTC"]
            if basis == "HT" and others and "amount" not in self.declared:
                notes.append(f"amounts read before VAT (HT) from {chosen!r}; to read {others[0]!r} instead, add "
                             f"to engagement.yaml under customer_data.{self.kind}: columns: {{amount: \"{others[0]}\"}}")
        unused = [h for i, h in enumerate(headers) if h.strip() and i not in used]
        return Located(positions, notes, basis, unused)

    def _pick(self, f: str, part: tuple[str, ...], position: dict[str, int]) -> int | None:
        """The first accepted header present; for the amount, a net (HT) one
        before a gross (TTC) one whatever the preset order."""
        present = [position[_header_key(h)] for h in part if _header_key(h) in position]
        if not present:
            return None
        if f == "amount" and f not in self.declared:
            net = [p for p, h in zip(present, [h for h in part if _header_key(h) in position]) if _basis(h) == "HT"]
            return (net or present)[0]
        return present[0]

    def _missing(self, f: str, headers: list[str], used: set[int], file: str, where: str) -> Problem:
        """No column for a required field: what was expected, what is there, and the YAML line that fixes it."""
        names = [repr(h) for h in self.parts[f][0]]
        expected = names[0] if len(names) == 1 else f"one of {', '.join(names)}"
        columns = ", ".join(repr(h) for h in headers if h.strip()) or "none"
        free = [h for i, h in enumerate(headers) if h.strip() and i not in used]
        guess = _plausible(f, free, [h for parts in self._accepted(f) for part in parts for h in part])
        section = f"engagement.yaml under customer_data.{self.kind}"
        if guess:
            fix = f"if {guess!r} holds it, add to {section}: columns: {{{f}: \"{guess}\"}}"
        else:
            fix = f"add to {section}: columns: {{{f}: \"<header of the column holding it>\"}}"
        return Problem(file, where, f"no column for {f}: expected {expected}; columns found: {columns}; {fix}")


def _plausible(f: str, headers: list[str], accepted: list[str]) -> str | None:
    """The header most likely to hold field f: fuzzy likeness to the accepted
    names (rapidfuzz), a telling word ('prix', 'client'), or a currency unit for amounts."""
    best, best_score = None, 0.0
    for h in headers:
        key = _header_key(h)
        score = max((fuzz.token_set_ratio(key, _header_key(a)) for a in accepted), default=0.0)
        if set(key.split()) & _HINTS.get(f, set()):
            score = max(score, 90.0)
        if f == "amount" and header_currency(h):
            score = max(score, 95.0)
        if score > best_score:
            best, best_score = h, score
    return best if best_score >= 70 else None
