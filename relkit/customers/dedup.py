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

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from relkit.customers import CUSTOMER_FIELDS
from relkit.customers.quality import (
    SPACE, as_text, filled_mask, map_unique, phone_numbers, valid_email,
)
from relkit.io.parsing import fold

KINDS = ("exact_email", "exact_phone", "exact_name_address", "fuzzy_name_address")
FUZZY_THRESHOLD = 90.0
JARO_THRESHOLD = 94.0  # names only, see the module docstring
# A key shared by more records than this is a placeholder ("pas-de-mail@...")
# or a switchboard number, not one person: it is not used to link records.
MAX_EXACT_GROUP = 10
# Blocks up to this size have all their pairs listed in bulk and scored in one
# call (a call per block costs ~50 µs); bigger ones are scored as matrices, by
# strips of _BLOCK_CHUNK rows against the rows after them: the upper triangle
# plus a sliver, where one strip as wide as the block scored the whole square.
# One thread per call: rapidfuzz's worker threads cost more than they bring on
# matrices this size; the blocks themselves go to a thread per core (cdist
# releases the GIL). A block is split by the digits of its addresses before
# that (two house numbers are never one place): on the 1 M-customer benchmark
# file, 297 M pairs in blocks of more than 20 records became 5.3 M pairs, mostly
# in small blocks, and the duplicate search went from 36.6 s wall / 50.5 CPU-s
# to 26.0 s / 26.5 CPU-s with the same 18 888 pairs (find_duplicates alone).
_SMALL_BLOCK = 20
_BLOCK_CHUNK = 64
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
    postal = as_text(postal_codes).str.replace(SPACE, "", regex=True).replace("", np.nan)
    return postal.fillna(cities)


def _email_key(emails: pd.Series) -> pd.Series:
    text = as_text(emails).str.strip().str.lower()
    return text.where(valid_email(emails))


def _name_address_key(folded: pd.DataFrame, zone: pd.Series) -> pd.Series:
    """Missing when the last name, address or zone is: too little to call two records one person."""
    parts = [folded["last_name"], folded["address"], zone]
    key = folded["first_name"].fillna("").str.cat(parts, sep="|")
    return key.where(pd.concat(parts, axis=1).notna().all(axis=1))


def _exact_pairs(key: pd.Series, kind: str) -> pd.DataFrame:
    """Each row of a group of equal keys paired with the group's first row."""
    frame = pd.DataFrame({"key": key.to_numpy(), "b": np.arange(len(key))}).dropna()
    size = frame.groupby("key")["b"].transform("size")
    frame = frame[(size > 1) & (size <= MAX_EXACT_GROUP)]
    frame["a"] = frame.groupby("key")["b"].transform("min")
    frame = frame[frame["b"] != frame["a"]].assign(kind=kind, score=100.0)
    return frame[_PAIR_COLUMNS]


# --- fuzzy -------------------------------------------------------------------

def _fuzzy_pairs(folded: pd.DataFrame, zone: pd.Series, threshold: float) -> pd.DataFrame:
    """Pairs sharing a block whose names and places score >= threshold, and whose
    addresses carry the same digits (house number...) when both carry some."""
    first, last, address = folded["first_name"], folded["last_name"], folded["address"]
    names = _join(first, last)
    swapped = _join(last, first)
    places = _join(address, folded["city"])
    numbers = address.str.replace("[^0-9]", "", regex=True).replace("", np.nan)
    usable = address.notna() & zone.notna() & names.ne("")
    blocks = pd.concat([(zone + "|" + initial.str[0]).where(usable) for initial in (last, first)])
    a, b = _block_candidates(names.tolist(), swapped.tolist(), blocks, numbers, threshold)
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
    return left.fillna("").str.cat(right.fillna(""), sep=" ").str.strip()


def _pairwise(left: pd.Series, right: pd.Series, a: np.ndarray, b: np.ndarray, scorer=fuzz.ratio) -> np.ndarray:
    return process.cpdist(left.to_numpy(object)[a], right.to_numpy(object)[b], scorer=scorer, workers=-1)


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

    return map_unique(addresses, lambda v: expand(v) if isinstance(v, str) else v)


def _block_candidates(
    names: list[str], swapped: list[str], blocks: pd.Series, numbers: pd.Series, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Position pairs (a < b) sharing a block and able to be one address: all of
    them where few records share a block, the ones whose names score >= threshold
    where many do (scored here by matrix).

    ``blocks`` holds the positions 0..n-1 several times over (one key per
    blocking rule): a record sits in every block of its keys. ``numbers``: the
    digits of each position's address, NA when it has none. Two addresses
    whose digits differ are never one place (see ``_fuzzy_pairs``), so a block
    is split by its digits: records compared with the same digits, and records
    without digits with the whole block."""
    n = len(names)
    codes = pd.factorize(blocks)[0]  # -1: not usable
    digits = np.tile(pd.factorize(numbers)[0] + 1, len(codes) // n if n else 0)  # 0: no digits
    has = digits > 0
    same = pd.factorize(np.where(codes >= 0, codes * (digits.max(initial=0) + 1) + digits, -1))[0]
    found = _pairs_sharing(names, swapped, np.where(codes >= 0, same, -1), threshold)
    plain = (codes >= 0) & ~has  # records without digits meet the records with digits of their block
    if plain.any():
        with_plain = np.zeros(codes.max() + 1, bool)
        with_plain[codes[plain]] = True
        numbered = (codes >= 0) & has & with_plain[np.maximum(codes, 0)]
        found += _pairs_across(names, swapped, codes, np.flatnonzero(plain), np.flatnonzero(numbered), threshold)
    pairs = np.sort(np.concatenate(found) % n, axis=1) if n else np.empty((0, 2), np.int64)
    codes = np.sort(pairs[:, 0] * n + pairs[:, 1])  # one int per pair: de-duplicated by sorting
    codes = codes[np.r_[True, codes[1:] != codes[:-1]] & (codes // n != codes % n)]
    return codes // n, codes % n


def _pairs_sharing(names: list[str], swapped: list[str], codes: np.ndarray, threshold: float) -> list[np.ndarray]:
    """Pairs of rows with equal ``codes`` (>= 0): every pair of a small group, the
    name-similar ones of a big group."""
    rows = np.flatnonzero(codes >= 0)
    rows = rows[np.argsort(codes[rows], kind="stable")]
    sizes = np.bincount(codes[rows], minlength=1)[codes[rows]]
    small = sizes <= _SMALL_BLOCK
    found = [_pairs_in_runs(rows[small], codes[rows[small]])]
    big, big_codes = rows[~small], codes[rows[~small]]
    starts = np.flatnonzero(np.diff(big_codes)) + 1
    if len(big):  # rapidfuzz scores without the GIL: the big blocks share the machine's cores
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # as the run counts cores (no affinity call on macOS)
            found += pool.map(partial(_similar_within, names, swapped, threshold=threshold), np.split(big, starts))
    return found


def _pairs_across(names: list[str], swapped: list[str], codes: np.ndarray, left: np.ndarray, right: np.ndarray,
                  threshold: float) -> list[np.ndarray]:
    """Pairs of a ``left`` row and a ``right`` row with equal ``codes``: every
    pair of a block with few of them, the name-similar ones of the others."""
    left, right = left[np.argsort(codes[left], kind="stable")], right[np.argsort(codes[right], kind="stable")]
    count_left = np.bincount(codes[left], minlength=codes.max() + 1)
    count_right = np.bincount(codes[right], minlength=codes.max() + 1)
    few = count_left * count_right <= _SMALL_BLOCK * (_SMALL_BLOCK - 1) // 2  # as many pairs as a small block
    both = pd.DataFrame({"code": codes[left], "a": left})[few[codes[left]]].merge(
        pd.DataFrame({"code": codes[right], "b": right})[few[codes[right]]], on="code")
    found = [both[["a", "b"]].to_numpy(np.int64).reshape(-1, 2)]
    many = np.flatnonzero(~few & (count_left > 0) & (count_right > 0))
    if len(many):
        lefts, rights = _groups(left, codes, many), _groups(right, codes, many)
        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            found += pool.map(partial(_similar_between, names, swapped, threshold=threshold), lefts, rights)
    return found


def _pairs_in_runs(rows: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """All pairs of rows with equal codes, codes sorted: row i against row i + k,
    k = 1, 2... until no run is that long (vectorised, no per-block call)."""
    found = [np.empty((0, 2), dtype=np.int64)]
    for k in range(1, len(rows)):
        same = codes[:-k] == codes[k:]
        if not same.any():
            break
        found.append(np.column_stack((rows[:-k][same], rows[k:][same])))
    return np.concatenate(found)


def _groups(rows: np.ndarray, codes: np.ndarray, wanted: np.ndarray) -> list[np.ndarray]:
    """The rows (sorted by code) of each wanted code (ascending, each present)."""
    rows = rows[np.isin(codes[rows], wanted)]
    return np.split(rows, np.flatnonzero(np.diff(codes[rows])) + 1)


def _name_hits(names: list[str], swapped: list[str], queries: np.ndarray, choices: np.ndarray,
               threshold: float) -> np.ndarray:
    """Query x choice matrix, non-zero where the names (either order, swapped on
    either side) score >= threshold or Jaro-Winkler reaches JARO_THRESHOLD: a
    superset of the pairs ``_fuzzy_pairs`` scores high enough, whichever of
    the two comes first."""
    q, c = [names[i] for i in queries], [names[i] for i in choices]
    q_swapped, c_swapped = [swapped[i] for i in queries], [swapped[i] for i in choices]
    ratio = partial(process.cdist, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
    hits = np.maximum(np.maximum(ratio(q, c), ratio(q, c_swapped)), ratio(q_swapped, c))
    hits += process.cdist(q, c, scorer=JaroWinkler.normalized_similarity, score_cutoff=JARO_THRESHOLD / 100,
                          workers=1)
    return hits


def _similar_within(names: list[str], swapped: list[str], members: np.ndarray, threshold: float) -> np.ndarray:
    """Upper-triangle pairs of one block whose names are alike (``_name_hits``):
    the pairs a small block would keep, so what is found does not depend on
    how many records share the block."""
    positions = members % len(names)
    found = []
    for start in range(0, len(positions), _BLOCK_CHUNK):
        hits = _name_hits(names, swapped, positions[start:start + _BLOCK_CHUNK], positions[start:], threshold)
        i, j = np.nonzero(hits)
        above = j > i  # choices start at the chunk's first row: j > i is the upper triangle
        found.append(np.column_stack((members[start + i[above]], members[start + j[above]])))
    return np.concatenate(found)


def _similar_between(names: list[str], swapped: list[str], left: np.ndarray, right: np.ndarray,
                     threshold: float) -> np.ndarray:
    """Pairs of a ``left`` and a ``right`` member of one block whose names are alike."""
    found = [np.empty((0, 2), np.int64)]
    for start in range(0, len(left), _BLOCK_CHUNK):
        queries = left[start:start + _BLOCK_CHUNK]
        i, j = np.nonzero(_name_hits(names, swapped, queries % len(names), right % len(names), threshold))
        found.append(np.column_stack((queries[i], right[j])))
    return np.concatenate(found)
