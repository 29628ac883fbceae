"""Duplicate detection and quality audit at scale, on synthetic French contacts.

Builds a deterministic file of French contacts (name, street and town pools
from Faker with a fixed seed, drawn with numpy: Faker per row would take
minutes) with planted duplicates of known kinds, and households (same
surname and address, another first name: NOT duplicates). Prints the time
and peak memory of ``find_duplicates``, recall per planted kind (the two
records end in the same cluster) and false positives (pairs joining two
different persons), then the time of ``audit`` on a bigger file.

Usage: python benchmarks/dedup.py [--rows 200000] [--audit-rows 1000000] [--seed 42]
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from relkit.customers.dedup import clusters, dedup_report, find_duplicates  # noqa: E402
from relkit.customers.quality import audit  # noqa: E402
from relkit.io.parsing import fold  # noqa: E402

AS_OF = dt.date(2025, 6, 30)
# Planted per 200,000 rows (scaled with --rows).
PLANTED = {"typo": 6_000, "email": 2_000, "phone": 2_000}
HOUSEHOLDS = 3_000
SURNAME_LOCALES = ("fr_FR", "fr_CA", "fr_CH", "it_IT", "es_ES", "pt_PT", "de_DE", "nl_NL", "ar_AA")
DOMAINS = np.array(["gmail.com", "orange.fr", "free.fr", "hotmail.fr", "sfr.fr", "laposte.net", "yahoo.fr"])


# --- pools -------------------------------------------------------------------

def _zipf(n: int, rng: np.random.Generator, exponent: float) -> np.ndarray:
    """Zipf-like weights in a shuffled order: a few big towns, common names."""
    weights = np.arange(1, n + 1, dtype=float) ** -exponent
    return rng.permutation(weights / weights.sum())


def pools(seed: int) -> dict:
    """Names, streets and towns; surnames of several origins, as in France."""
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    first = importlib.import_module("faker.providers.person.fr_FR").Provider
    surnames = sorted({
        name for loc in SURNAME_LOCALES
        for name in importlib.import_module(f"faker.providers.person.{loc}").Provider.last_names
    })
    towns = {}
    while len(towns) < 3_000:
        code = fake.postcode()
        if not code.startswith(("00", "20", "99")):
            towns[code] = fake.city()
    return {
        "first": np.array(sorted(set(first.first_names_male) | set(first.first_names_female)), dtype=object),
        "last": np.array(surnames, dtype=object),
        "streets": np.array(sorted({fake.street_name() for _ in range(6_000)}), dtype=object),
        "postcodes": np.array(list(towns), dtype=object),
        "cities": np.array(list(towns.values()), dtype=object),
    }


# --- people ------------------------------------------------------------------

def people(n: int, rng: np.random.Generator, pool: dict, first_id: int = 0) -> pd.DataFrame:
    """n distinct persons, each with a unique e-mail and mobile number."""
    pid = np.arange(first_id, first_id + n)
    first = pool["first"][rng.choice(len(pool["first"]), n, p=_zipf(len(pool["first"]), rng, 0.6))]
    last = pool["last"][rng.choice(len(pool["last"]), n, p=_zipf(len(pool["last"]), rng, 0.6))]
    town = rng.choice(len(pool["postcodes"]), n, p=_zipf(len(pool["postcodes"]), rng, 0.8))
    street = (town * 7 + rng.integers(0, 150, n)) % len(pool["streets"])  # each town its own streets
    frame = pd.DataFrame({
        "person_id": pid,
        "first_name": first,
        "last_name": last,
        "address": pd.Series(rng.integers(1, 120, n)).astype(str).to_numpy(object) + " " + pool["streets"][street],
        "postal_code": pool["postcodes"][town],
        "city": pool["cities"][town],
        "country": "FR",
    })
    frame["email"] = _emails(frame, pid, rng)
    frame["phone"] = _phones(pid, rng)
    return frame


def _emails(frame: pd.DataFrame, pid: np.ndarray, rng: np.random.Generator) -> pd.Series:
    local = frame["first_name"].map(fold) + "." + frame["last_name"].map(fold)
    local = local.str.replace(r"[^a-z.]", "", regex=True) + pd.Series(pid).astype(str)
    return local + "@" + DOMAINS[rng.integers(0, len(DOMAINS), len(frame))]


def _phones(pid: np.ndarray, rng: np.random.Generator) -> pd.Series:
    """Unique valid mobiles ((pid * prime) mod 10^7 is a bijection), in the usual written forms."""
    prefix = rng.choice(["060", "061", "062", "064", "065", "066", "067", "068", "073", "075", "078"], len(pid))
    digits = pd.Series(prefix) + pd.Series((pid * 15_485_863 + 1_234) % 10**7).map("{:07d}".format)
    pairs = [digits.str[i:i + 2] for i in range(0, 10, 2)]
    spaced = pairs[0].str.cat(pairs[1:], sep=" ")
    forms = [digits, spaced, spaced.str.replace(" ", "."), "+33 " + spaced.str[1:], "+33" + digits.str[1:]]
    return pd.Series(np.choose(rng.integers(0, len(forms), len(pid)), [f.to_numpy(object) for f in forms]))


# --- planted duplicates -------------------------------------------------------

def typo(text: str, rng: np.random.Generator) -> str:
    """One keyboard slip: substitution, deletion, insertion or swap of neighbours."""
    i = int(rng.integers(0, len(text) - 1))
    letter = "abcdefghijklmnopqrstuvwxyz"[int(rng.integers(0, 26))]
    op = int(rng.integers(0, 4))
    if op == 0:
        return text[:i] + letter + text[i + 1:]
    if op == 1:
        return text[:i] + text[i + 1:]
    if op == 2:
        return text[:i] + letter + text[i:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def plant(
    base: pd.DataFrame, rng: np.random.Generator, pool: dict, counts: dict[str, int], next_id: int
) -> pd.DataFrame:
    """Copies of base persons that only the kind's rule can link back."""
    chosen = rng.choice(len(base), sum(counts.values()), replace=False)
    copies, start = [], 0
    for kind, count in counts.items():
        dup = base.iloc[chosen[start:start + count]].copy()
        start += count
        dup["planted"] = kind
        blank = ["email", "phone"] if kind == "typo" else ["phone"] if kind == "email" else ["email"]
        dup[blank] = None
        if kind == "typo":
            field = rng.choice(["first_name", "last_name", "address"], count, p=[0.3, 0.3, 0.4])
            for col in ("first_name", "last_name", "address"):
                hit = field == col
                dup.loc[hit, col] = [typo(v, rng) for v in dup.loc[hit, col]]
            dup["last_name"] = dup["last_name"].where(rng.random(count) < 0.7, dup["last_name"].str.upper())
        if kind == "email":  # same mailbox typed differently; moved since
            dup["email"] = " " + dup["email"].str.upper() + " "
            moved = people(count, rng, pool, next_id)
            dup[["address", "postal_code", "city"]] = moved[["address", "postal_code", "city"]].to_numpy()
        if kind == "phone":  # same number written another way
            dup["phone"] = "+33" + dup["phone"].str.replace("[^0-9]", "", regex=True).str[-9:]
        copies.append(dup)
    return pd.concat(copies)


def households(base: pd.DataFrame, rng: np.random.Generator, pool: dict, n: int, next_id: int) -> pd.DataFrame:
    """Another person at the same address with the same surname: must NOT be linked."""
    at = base.iloc[rng.choice(len(base), n, replace=False)]
    mate = people(n, rng, pool, next_id)
    for col in ("last_name", "address", "postal_code", "city"):
        mate[col] = at[col].to_numpy()
    return mate.assign(planted="household")


def contact_file(rows: int, rng: np.random.Generator, pool: dict) -> pd.DataFrame:
    scale = rows / 200_000
    counts = {kind: int(count * scale) for kind, count in PLANTED.items()}
    n_households = int(HOUSEHOLDS * scale)
    n_base = rows - sum(counts.values()) - n_households
    base = people(n_base, rng, pool)
    frame = pd.concat([
        base.assign(planted="base"),
        plant(base, rng, pool, counts, next_id=10 * rows),
        households(base, rng, pool, n_households, next_id=20 * rows),
    ], ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    frame["customer_id"] = pd.RangeIndex(len(frame)).astype(str)
    return frame


# --- measures ----------------------------------------------------------------

def evaluate(frame: pd.DataFrame, pairs: pd.DataFrame) -> None:
    cluster = clusters(pairs, len(frame))
    base = frame[frame["planted"] == "base"]
    row_of_person = pd.Series(base.index, index=base["person_id"])
    print("recall (planted pair in one cluster):")
    for kind in PLANTED:
        dups = frame[frame["planted"] == kind]
        found = cluster[dups.index] == cluster[row_of_person[dups["person_id"]].to_numpy()]
        print(f"  {kind:<8} {found.sum():>6} / {len(dups):<6} {found.mean():.1%}")
    person = frame["person_id"].to_numpy()
    wrong = person[pairs["a"]] != person[pairs["b"]]
    print("pairs found, of which false positives (two different persons):")
    for kind, group in pairs.assign(wrong=wrong).groupby("kind", observed=False):
        print(f"  {kind:<20} {len(group):>6}  false: {group['wrong'].sum()}")
    print("  false positives by row type:", _counts(frame.loc[pairs["b"][wrong], "planted"]))


def _counts(values: pd.Series) -> dict[str, int]:
    return {key: int(count) for key, count in values.value_counts().items()}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_dedup(rows: int, seed: int, pool: dict) -> None:
    frame = contact_file(rows, np.random.default_rng(seed), pool)
    print(f"find_duplicates on {len(frame):,} contacts "
          f"(planted: {_counts(frame['planted'])}), peak before: {peak_mb():.0f} MB")
    start = time.perf_counter()
    pairs = find_duplicates(frame)
    elapsed = time.perf_counter() - start
    print(f"  time {elapsed:.1f} s, peak RSS {peak_mb():.0f} MB")
    evaluate(frame, pairs)
    print(" ", dedup_report(pairs, len(frame)))


def audit_file(rows: int, rng: np.random.Generator, pool: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A contact file with the usual defects, and two purchases per customer on average."""
    frame = people(rows, rng, pool)
    frame["customer_id"] = frame["person_id"].astype(str)

    def spoil(column: str, share: float, spoilt: pd.Series) -> None:
        frame[column] = frame[column].mask(rng.random(rows) < share, spoilt)

    spoil("email", 0.15, None)
    spoil("email", 0.02, frame["email"].str.replace(r"\.[a-z]+$", "", regex=True))  # no TLD
    spoil("email", 0.005, frame["email"].str.replace(".", " ", n=1, regex=False))  # a space
    spoil("email", 0.005, frame["email"].str.replace("@gmail.com", "@gmial.com", regex=False))
    spoil("phone", 0.1, None)
    spoil("phone", 0.02, frame["phone"].str[:8])  # cut short: phonenumbers must decide
    spoil("phone", 0.01, "+32 470 " + frame["phone"].str[-6:])  # Belgian
    spoil("postal_code", 0.05, frame["postal_code"].str.lstrip("0"))  # Excel ate the leading 0
    days = pd.to_timedelta(rng.integers(0, 3_650, rows), unit="D")
    frame["created_at"] = pd.Timestamp(AS_OF) - days
    frame["last_contact_at"] = (frame["created_at"] + days / 2).where(rng.random(rows) > 0.5)
    frame["birth_date"] = (pd.Timestamp("1940-01-01") + pd.to_timedelta(rng.integers(0, 25_000, rows), unit="D")
                           ).where(rng.random(rows) < 0.4)
    frame["opt_in_email"] = pd.array(rng.random(rows) < 0.6, dtype="boolean")
    buyers = rng.integers(0, rows, 2 * rows)
    transactions = pd.DataFrame({
        "customer_id": frame["customer_id"].to_numpy()[buyers],
        "date": pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 2_500, 2 * rows), unit="D"),
        "amount": rng.gamma(2, 40, 2 * rows).round(2),
    })
    return frame.drop(columns="person_id"), transactions


def bench_audit(rows: int, seed: int, pool: dict) -> None:
    customers, transactions = audit_file(rows, np.random.default_rng(seed), pool)
    start = time.perf_counter()
    report = audit(customers, transactions, AS_OF)
    elapsed = time.perf_counter() - start
    print(f"audit on {rows:,} customers and {len(transactions):,} transactions: {elapsed:.1f} s, "
          f"peak RSS {peak_mb():.0f} MB")
    issues = {issue: int(count) for issue, count in zip(report.email_issues["issue"], report.email_issues["count"])}
    print(f"  e-mails invalid {report.emails_invalid:,} {issues}")
    print(f"  phones valid/invalid/empty {report.phones_valid:,}/{report.phones_invalid:,}/{report.phones_empty:,}, "
          f"postal codes invalid {report.postal_codes_invalid:,}, stale {report.stale:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--audit-rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    pool = pools(args.seed)
    bench_dedup(args.rows, args.seed, pool)
    bench_audit(args.audit_rows, args.seed, pool)


if __name__ == "__main__":
    main()
