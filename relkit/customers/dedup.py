"""Duplicate detection and merging in the customer file (workbook 02).

``find_duplicates`` returns pairs of row positions: personal data, for the
run's working folder. ``dedup_report`` turns them into counts for the client
report; ``clusters`` and ``dedupe`` build the cleaned file.

Pair kinds, strongest first (a pair found several ways keeps the first):

exact_email         same address once trimmed and lowercased (gmail dots kept:
                    they are different mailboxes for every other provider)
exact_phone         same valid number in E.164 (country read from ``country``)
exact_name_address  same first name, last name, address and postal code (or
                    city when there is none), compared through ``fold`` with
                    punctuation ignored
fuzzy_name_address  names and places both similar: score = min(name score,
                    place score) >= FUZZY_THRESHOLD, with rapidfuzz
                    ``fuzz.ratio`` (edit-based, 0-100) on the folded texts.
                    The name score is the best of "first last" against
                    "first last" and "last first" (swapped columns); the
                    place is "address city". Taking the minimum rather than
                    one score over the joined text keeps a household (same
                    long address, another first name) apart; two addresses
                    whose digits differ (house number: "8 rue X" vs "80 rue
                    X") never match, so namesake neighbours stay apart.
                    Two or three typos in a short name ("Andrée Bodin" /
                    "Anddrée Bdoin") sink the edit ratio; a Jaro-Winkler
                    similarity >= JARO_THRESHOLD also counts as a name match
                    (it stays under it for "Louis"/"Lucie", "Marc"/"Marie").
                    Street types are expanded first ("bd" = "boulevard").
                    ``token_sort_ratio`` is not used: a typo in an initial
                    reorders the tokens and sinks the score.
                    Blocking, so the work grows with the file and not with
                    its square: records are only compared within the same
                    postal code (city when none) and the same initial of the
                    last OR the first name (a record sits in both blocks),
                    so swapped names and one typo in an initial are still
                    found. Records without an address are not compared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from relkit.customers import CUSTOMER_FIELDS
from relkit.customers.blocking import JARO_THRESHOLD, block_candidates
from relkit.customers.quality import (
    SPACE, as_text, filled_mask, map_unique, phone_numbers, valid_email,
)
from relkit.io.parsing import fold

KINDS = ("exact_email", "exact_phone", "exact_name_address", "fuzzy_name_address")
FUZZY_THRESHOLD = 90.0
# A key shared by more records than this is a placeholder ("pas-de-mail@...")
# or a switchboard number, not one person: it is not used to link records.
MAX_EXACT_GROUP = 10
_CONSENTS = ("opt_in_email", "opt_in_sms")
_COMPARED = ("first_name", "last_name", "address", "city")  # compared through fold
_PAIR_COLUMNS = ["a", "b", "kind", "score"]


@dataclass(frozen=True)
class DedupReport:
    """Counts only (no personal data): safe for the client report."""

    records: int
    pairs: dict[str, int]  # by kind, every kind present
    clusters: int  # groups of two or more records
    records_in_clusters: int  # records that would be merged
    records_removed: int  # records_in_clusters - clusters
    records_after: int


def find_duplicates(
    customers: pd.DataFrame, *, threshold: float = FUZZY_THRESHOLD, default_region: str = "FR",
    phones: pd.Series | None = None,
) -> pd.DataFrame:
    """Pairs of likely duplicates: columns a < b (row positions), kind, score (0-100).

    Exact groups are returned as a star around their first row (k - 1 pairs,
    same clusters as all k(k-1)/2 pairs). ``phones``: ``quality.phone_numbers``
    of these rows, when the caller already has them."""
    customers = customers.reindex(columns=CUSTOMER_FIELDS).reset_index(drop=True)
    if phones is None:
        phones = phone_numbers(customers, default_region)
    folded = pd.DataFrame({column: _normalised(customers[column]) for column in _COMPARED})
    folded["address"] = expand_street_types(folded["address"])
    zone = _zone(customers["postal_code"], folded["city"])
    keys = {
        "exact_email": _email_key(customers["email"]),
        "exact_phone": pd.Series(phones.to_numpy(), index=customers.index),
        "exact_name_address": _name_address_key(folded, zone),
    }
    found = [_exact_pairs(key, kind) for kind, key in keys.items()]
    found.append(_fuzzy_pairs(folded, zone, threshold))
    pairs = pd.concat(found, ignore_index=True)
    pairs["kind"] = pd.Categorical(pairs["kind"], categories=KINDS, ordered=True)
    pairs = pairs.sort_values(["a", "b", "kind"]).drop_duplicates(["a", "b"])
    return pairs.reset_index(drop=True)


def clusters(pairs: pd.DataFrame, n: int) -> np.ndarray:
    """Cluster id per row (connected components of the pairs), numbered by first row."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving keeps trees flat
            i = parent[i]
        return i

    for a, b in zip(pairs["a"].tolist(), pairs["b"].tolist()):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    labels = np.arange(n)
    linked = np.unique(pairs[["a", "b"]].to_numpy().ravel())
    labels[linked] = [root(i) for i in linked.tolist()]
    return np.unique(labels, return_inverse=True)[1]


def dedupe(customers: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster, at the place and with the index of its survivor.

    The survivor is the most complete record (first one on a tie); its empty
    fields are filled from the others, most complete first. Consents take the
    most restrictive answer (one opt-out wins), created_at the earliest and
    last_contact_at the latest date.
    """
    cluster = clusters(pairs, len(customers))
    frame = customers.where(customers.apply(filled_mask))
    for column in _CONSENTS:
        if column in frame:
            frame[column] = frame[column].astype("boolean")
    together = np.bincount(cluster)[cluster] > 1  # a record alone is its own survivor, as it is
    if not together.any():
        return frame
    merged = _merged(frame[together], cluster[together])
    survivors = np.flatnonzero(together)[merged.pop("_survivor").to_numpy()]
    kept = ~together
    kept[survivors] = True
    rows = np.flatnonzero(kept)
    out = frame.iloc[rows].copy()
    at = np.searchsorted(rows, survivors)  # each cluster's merged record, in its survivor's place
    for i, column in enumerate(out.columns):
        out.iloc[at, i] = merged[column].to_numpy()
    return out


def _merged(frame: pd.DataFrame, cluster: np.ndarray) -> pd.DataFrame:
    """One row per cluster (sorted by cluster) and ``_survivor``, its position in ``frame``."""
    completeness = frame.notna().sum(axis=1).to_numpy()
    order = np.lexsort((np.arange(len(frame)), -completeness, cluster))
    groups = frame.iloc[order].groupby(cluster[order], sort=True)
    merged = groups.first()
    for column in _CONSENTS:
        if column in frame:
            merged[column] = frame[column].iloc[order].groupby(cluster[order]).min()
    if "created_at" in frame:
        merged["created_at"] = groups["created_at"].min()
    if "last_contact_at" in frame:
        merged["last_contact_at"] = groups["last_contact_at"].max()
    merged["_survivor"] = pd.Series(order).groupby(cluster[order]).first().to_numpy()
    return merged


def dedup_report(pairs: pd.DataFrame, n: int) -> DedupReport:
    """Counts for the client report."""
    by_kind = pairs["kind"].astype(str).value_counts().reindex(KINDS, fill_value=0)
    sizes = np.bincount(clusters(pairs, n)) if n else np.array([], dtype=int)
    grouped = sizes[sizes > 1]
    return DedupReport(
        records=n,
        pairs={kind: int(count) for kind, count in by_kind.items()},
        clusters=len(grouped),
        records_in_clusters=int(grouped.sum()),
        records_removed=int(grouped.sum() - len(grouped)),
        records_after=n - int(grouped.sum() - len(grouped)),
    )


# --- keys --------------------------------------------------------------------

def _normalised(values: pd.Series) -> pd.Series:
    """``fold`` with punctuation as spaces ('12, Rue des Lilas' = '12 rue des lilas'); blank -> NA."""
    text = map_unique(as_text(values), lambda v: " ".join(re.sub(r"[\W_]+", " ", fold(v)).split()))
    return text.astype("str").replace("", np.nan)


def _zone(postal_codes: pd.Series, cities: pd.Series) -> pd.Series:
    """Where a record lives, for comparisons: postal code, else (folded) city."""
    postal = as_text(postal_codes).str.replace(SPACE + "+", "", regex=True).replace("", np.nan)
    return postal.fillna(cities)


def _email_key(emails: pd.Series) -> pd.Series:
    text = as_text(emails).str.strip().str.lower()
    return text.where(valid_email(emails))


def _name_address_key(folded: pd.DataFrame, zone: pd.Series) -> pd.Series:
    """Missing when the last name, address or zone is: too little to call two records one person."""
    parts = [folded["last_name"], folded["address"], zone]
    key = _joined([folded["first_name"], *parts], "|")
    return key.where(pd.concat(parts, axis=1).notna().all(axis=1))


def _exact_pairs(key: pd.Series, kind: str) -> pd.DataFrame:
    """Each row of a group of equal keys paired with the group's first row."""
    codes = pd.factorize(key)[0]  # -1: no key
    rows = np.flatnonzero(codes >= 0)
    sizes = np.bincount(codes[rows])
    first = np.empty(len(sizes), np.int64)
    first[codes[rows[::-1]]] = rows[::-1]  # the last write wins: each group's first row
    group = codes[rows]
    rows = rows[(sizes[group] > 1) & (sizes[group] <= MAX_EXACT_GROUP) & (first[group] != rows)]
    return pd.DataFrame({"a": first[codes[rows]], "b": rows, "kind": kind, "score": 100.0})[_PAIR_COLUMNS]


# --- fuzzy -------------------------------------------------------------------

def _fuzzy_pairs(folded: pd.DataFrame, zone: pd.Series, threshold: float) -> pd.DataFrame:
    """Pairs sharing a block whose names and places score >= threshold, and whose
    addresses carry the same digits (house number...) when both carry some."""
    first, last, address = folded["first_name"], folded["last_name"], folded["address"]
    names = _join(first, last)
    swapped = _join(last, first)
    places = _join(address, folded["city"])
    numbers = address.str.replace("[^0-9]+", "", regex=True).replace("", np.nan)
    usable = address.notna() & zone.notna() & names.ne("")
    blocks = pd.concat([(zone + "|" + initial.str[0]).where(usable) for initial in (last, first)])
    a, b = block_candidates(names.tolist(), swapped.tolist(), blocks, numbers, threshold)
    # Places first: most pairs of a block live at other addresses, and a pair whose
    # place rounds below the threshold is out whatever its names (the score is the
    # minimum of the two), so the names are scored for the few left.
    place = _pairwise(places, places, a, b)
    numbers = numbers.to_numpy(object)
    other_house = pd.notna(numbers[a]) & pd.notna(numbers[b]) & (numbers[a] != numbers[b])
    near = (place.astype(float).round(1) >= threshold) & ~other_house
    a, b, place = a[near], b[near], place[near]
    name_score = np.maximum(_pairwise(names, names, a, b), _pairwise(names, swapped, a, b))
    jaro = _pairwise(names, names, a, b, scorer=JaroWinkler.normalized_similarity) * 100
    name_score = np.where(jaro >= JARO_THRESHOLD, np.maximum(name_score, jaro), name_score)
    score = np.minimum(name_score, place).astype(float).round(1)
    keep = score >= threshold
    return pd.DataFrame({"a": a[keep], "b": b[keep], "kind": "fuzzy_name_address", "score": score[keep]})


def _join(left: pd.Series, right: pd.Series) -> pd.Series:
    return _joined([left, right], " ").str.strip()


def _joined(columns: list[pd.Series], separator: str) -> pd.Series:
    """The columns' texts joined, a missing one as empty; by Arrow (1 M rows:
    0.05 s, where pandas' ``str.cat`` takes 0.8 s)."""
    arrays = [pa.chunked_array(pa.array(column.astype("str"))) for column in columns]
    kind = arrays[0].type
    joined = pc.binary_join_element_wise(*(a.cast(kind) for a in arrays), pa.scalar(separator, kind),
                                         null_handling="replace", null_replacement="")
    return pd.Series(pd.array(joined, dtype="str"), index=columns[0].index)


# Pairs scored per rapidfuzz call: it copies every string it is handed, so the
# 5.3 M candidate pairs of the 1 M-customer benchmark file in one call took
# 400 MB beside the rest of the workbook; a call per chunk costs ~1 ms.
_PAIRWISE_CHUNK = 1 << 19


def _pairwise(left: pd.Series, right: pd.Series, a: np.ndarray, b: np.ndarray, scorer=fuzz.ratio) -> np.ndarray:
    left_text = left.to_numpy(object)
    right_text = left_text if right is left else right.to_numpy(object)
    return np.concatenate([
        process.cpdist(left_text[a[i:i + _PAIRWISE_CHUNK]], right_text[b[i:i + _PAIRWISE_CHUNK]], scorer=scorer,
                       workers=-1)
        for i in range(0, max(len(a), 1), _PAIRWISE_CHUNK)])


# French street types as people abbreviate them ("bd", "av.", "r."): expanded
# before comparing so "11 bd Benard" and "11 boulevard Benard" are one place.
STREET_TYPES = {
    "bd": "boulevard", "bld": "boulevard", "blvd": "boulevard", "boul": "boulevard", "av": "avenue",
    "ave": "avenue", "r": "rue", "pl": "place", "ch": "chemin", "chem": "chemin", "imp": "impasse",
    "all": "allee", "rte": "route", "sq": "square", "fg": "faubourg", "fbg": "faubourg", "qu": "quai",
    "crs": "cours", "pas": "passage", "st": "saint", "ste": "sainte", "lot": "lotissement", "res": "residence",
    "resid": "residence", "ham": "hameau", "lieu dit": "lieu-dit", "ld": "lieu-dit",
}


def expand_street_types(addresses: pd.Series) -> pd.Series:
    """'11 bd benard' -> '11 boulevard benard' (folded text in, folded text out)."""
    def expand(text: str) -> str:
        return " ".join(STREET_TYPES.get(token, token) for token in text.split())

    return map_unique(addresses, lambda v: expand(v) if isinstance(v, str) else v).astype("str")  # Arrow text
