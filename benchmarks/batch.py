"""relkit batch on N demo variants: 1 worker vs 2, the unchanged re-run, and
the plain sequential chain (papermill CLI + nbconvert CLI + WeasyPrint, one
notebook after the other, client after client).

Prints wall time, the peak memory of the largest child process and the
ratios. The variants come from data_samples/make_variants.py (two of them
deliberately broken: they fail fast in both routes, as they should).

Usage: python benchmarks/batch.py [--n 20] [--small] [--no-plain] [--keep DIR]
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "data_samples"))


def peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed_batch(clients: Path, out: Path, workers: int, jobs: int | None = None) -> tuple[float, dict]:
    import relkit

    started = time.perf_counter()
    result = relkit.run_batch(clients, out=out, workers=workers, jobs=jobs, progress=False)
    return time.perf_counter() - started, dict(result.counts)


def plain_chain(clients: Path, out: Path) -> tuple[float, int]:
    """Every valid client through the plain chain, sequentially; returns (seconds, failures)."""
    from relkit.intake.load import check
    from relkit.workbooks.registry import default_workbooks

    started, failures = time.perf_counter(), 0
    for folder in sorted(p for p in clients.iterdir() if (p / "engagement.yaml").exists()):
        data, problems = check(folder)
        if problems:  # the plain chain has no validation: count it as a failure at the first cell instead
            failures += 1
            continue
        work = out / folder.name
        work.mkdir(parents=True)
        for spec in default_workbooks(data):
            executed = work / spec.path.name
            done = subprocess.run(
                [str(BIN / "papermill"), str(spec.path), str(executed), "--cwd", str(work), "-p", "engagement", str(folder),
                 "-p", "output_dir", str(work), "-p", "working_dir", str(work / "working"), "--no-progress-bar"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if done.returncode:
                failures += 1
                break
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run([str(BIN / "weasyprint"), "-q", str(executed.with_suffix(".html")),
                            str(executed.with_suffix(".pdf"))], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    return time.perf_counter() - started, failures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--small", action="store_true", help="100-200 customers per client (quicker)")
    ap.add_argument("--no-plain", action="store_true", help="skip the plain chain (the slowest part)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()

    from make_variants import make_variants

    work = args.keep or Path(tempfile.mkdtemp(prefix="relkit-batch-bench-"))
    clients = work / "clients"
    t0 = time.perf_counter()
    if not clients.exists():
        make_variants(clients, n=args.n, broken=2, customers=(100, 200) if args.small else (300, 3000))
    print(f"{args.n} variants ({'small' if args.small else 'normal'}, 2 broken) ready in {time.perf_counter() - t0:.1f} s")

    rows = []
    one, counts1 = timed_batch(clients, work / "out-1", workers=1, jobs=1)
    rows.append(("relkit batch, 1 worker × 1 kernel", one, counts1))
    two, counts2 = timed_batch(clients, work / "out-2", workers=2, jobs=1)
    rows.append(("relkit batch, 2 workers × 1 kernel", two, counts2))
    again, counts3 = timed_batch(clients, work / "out-2", workers=2, jobs=1)
    rows.append(("re-run, nothing changed", again, counts3))
    wide, counts4 = timed_batch(clients, work / "out-w", workers=1, jobs=2)
    rows.append(("relkit batch, 1 worker × 2 kernels", wide, counts4))
    default = two  # the default: one worker per core, one kernel each
    if not args.no_plain:
        plain, failures = plain_chain(clients, work / "plain")
        rows.append(("plain chain, sequential", plain, {"failed": failures}))

    print(f"\n{'route':<44} {'seconds':>9}  result")
    for name, seconds, counts in rows:
        print(f"{name:<44} {seconds:9.1f}  {counts}")
    print(f"\n1 → 2 workers speed-up: {one / two:.2f}× (target ≥ 1.8×)")
    print(f"unchanged re-run of {args.n} clients: {again:.2f} s (target ≤ 2 s)")
    if not args.no_plain:
        print(f"relkit batch (defaults: 2 workers × 1 kernel) vs plain sequential chain: {plain / default:.2f}× faster")
    print(f"peak memory of the largest child process: {peak_child_mb():.0f} MB")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
