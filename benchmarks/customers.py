"""Workbook 02 at scale: import + audit + RFM on 1 M customers / 5 M lines.

Targets (issue 3): import + audit + RFM <= 30 s and <= 4 GB peak memory on a
2-core machine. The files come from data_samples/generate_customers.py
--large (generated once, outside the timing). Prints each phase's time and
the process's peak RSS. Usage:
    python benchmarks/customers.py [--customers 1000000] [--lines 5000000] [--dir /tmp/relkit-large]
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--lines", type=int, default=5_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/relkit-large"))
    args = ap.parse_args()
    folder = args.dir / f"{args.customers}-{args.lines}"
    if not (folder / "ventes.csv").exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "data_samples" / "generate_customers.py"), "--large", str(folder),
                        "--customers", str(args.customers), "--lines", str(args.lines)], check=True)
        print(f"generated files in {time.perf_counter() - t:.1f} s (not timed below)")

    from relkit.customers import quality, rfm
    from relkit.customers.io import derived
    from relkit.customers.io.schema import SourceSpec
    from relkit.customers.io.source import read_source

    phases = {}
    start = time.perf_counter()
    t = time.perf_counter()
    customers = read_source(SourceSpec("customers", folder / "clients_shopify.csv", "shopify_customers")).frame
    transactions = read_source(SourceSpec("transactions", folder / "ventes.csv", "generic_billing")).frame
    phases["import (2 files)"] = time.perf_counter() - t
    t = time.perf_counter()
    orders = derived.orders(transactions)
    phases["orders"] = time.perf_counter() - t
    as_of = rfm.default_reference_date(orders)
    t = time.perf_counter()
    report = quality.audit(customers, transactions, as_of)
    phases["audit"] = time.perf_counter() - t
    t = time.perf_counter()
    table = rfm.rfm_table(orders, as_of)
    profile = rfm.profiles(table)
    phases["RFM + profiles"] = time.perf_counter() - t
    total = time.perf_counter() - start

    size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
    print(f"{len(customers):,} customers, {len(transactions):,} lines, {len(orders):,} orders, {size:.0f} MB of CSV")
    for name, seconds in phases.items():
        print(f"  {name:18s} {seconds:6.1f} s")
    print(f"  {'total':18s} {total:6.1f} s   (target <= 30 s)")
    print(f"  peak memory        {peak_mb():6.0f} MB (target <= 4096 MB)")
    print(f"  as of {as_of}, {report.stale:,} stale records, {int(profile['customers'].sum()):,} buyers in segments")


if __name__ == "__main__":
    main()
