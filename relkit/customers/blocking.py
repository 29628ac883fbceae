"""Which pairs of records the duplicate search scores: records sharing a block
(postal code, else city, and an initial), split by the digits of their
addresses, and in big blocks only the pairs whose names are alike.

Every pair it leaves out is one ``dedup``'s scores would not keep: the
candidates are a superset of the duplicates, never a sample (tested against
scoring every pair of every block).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

JARO_THRESHOLD = 94.0  # names only, see relkit.customers.dedup's docstring
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


def block_candidates(
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
