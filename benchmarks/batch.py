"""`relkit batch` on N demo variants: its real defaults against other
settings and the plain chain, repeated, plus the unchanged re-run.

Settings, each run ``--reps`` times (interleaved, each time into a fresh
output folder) as the command a user types:
- ``defaults``: ``relkit batch CLIENTS --out OUT`` without options (what it
  resolves to on this machine is printed: workers × notebooks at once per client);
- ``workers=K`` for each ``--workers K`` given (default: 1);
- ``plain``: the plain chain (papermill CLI + nbconvert CLI + WeasyPrint per
  notebook, the notebooks in dependency order with relkit's parameters, one
  client after the other; see run_vs_plain.py) on the valid clients only,
  unless ``--no-plain``.
Then ``relkit batch`` again on the first defaults run's output, three times:
the unchanged re-run (every client skipped or, for the broken ones, failed
again without a process), target <= 2 s.

Each command is measured by a child (run_vs_plain.measure): wall time and
CPU-seconds of its whole process tree. Printed per setting: median wall (min,
max), median CPU-s, CPU-s per published client, core utilisation
(CPU-s / (wall × cores)), the largest process's peak memory; and the load
average at the start and the end. A valid client that fails stops the
benchmark: a failure is never timed.

The variants come from data_samples/make_variants.py (the last ``--broken``
ones deliberately wrong: they fail fast, as they should).

Usage: python benchmarks/batch.py [--n 20] [--reps 2] [--small] [--workers 1 ...] [--no-plain]
                                  [--plain-reps R] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "data_samples"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import run_vs_plain as rvp  # noqa: E402

RERUN_TARGET = 2.0
RERUNS = 3


def expected_outcomes(clients: Path) -> dict[str, str | None]:
    """slug -> the problem a broken variant was made with, None for a valid one."""
    found = {}
    for variant in sorted(clients.glob("*/variant.json")):
        info = json.loads(variant.read_text(encoding="utf-8"))
        found[info["slug"]] = info.get("broken")
    return found


def statuses(out: Path) -> dict[str, dict]:
    """slug -> this batch's attempt, from out/batch.json."""
    try:
        return json.loads((out / "batch.json").read_text(encoding="utf-8"))["clients"]
    except (OSError, ValueError, KeyError):
        return {}


def check_batch(out: Path, expected: dict[str, str | None], log: Path, rerun: bool = False) -> dict[str, int]:
    """Counts of this batch's statuses; raises RouteFailed when a valid client did
    not end as it should (published, or skipped on a re-run) or a broken one did not fail."""
    got = statuses(out)
    wrong = []
    for slug, broken in expected.items():
        attempt = got.get(slug) or {}
        want = "failed" if broken else ("skipped" if rerun else "ok")
        if attempt.get("status") != want:
            wrong.append(f"{slug}: {attempt.get('status') or 'no result'} (expected {want})"
                         + (f": {attempt.get('reason')}" if attempt.get("reason") else ""))
    if wrong:
        hint = " (did relkit's code or the clients change since the first run?)" if rerun else ""
        raise rvp.RouteFailed(f"the batch did not end as expected{hint}:\n  " + "\n  ".join(wrong)
                              + f"\nits output ends with:\n{rvp.log_tail(log)}")
    counts = {"ok": 0, "failed": 0, "skipped": 0}
    for slug in expected:
        counts[got[slug]["status"]] += 1
    return counts


def plain_clients(clients: Path, expected: dict[str, str | None]) -> list[tuple[str, Path, list, str]]:
    """(slug, engagement folder, workbooks, language) of every valid client: the
    workbooks and language relkit would use for it (validation here, before any clock)."""
    from relkit.intake.load import check
    from relkit.workbooks.registry import default_workbooks

    found = []
    for slug, broken in expected.items():
        if broken:
            continue
        data, problems = check(clients / slug)
        if problems or data is None:
            raise rvp.RouteFailed(f"{slug} is meant to be valid but does not validate: {problems[0]}")
        found.append((slug, clients / slug, default_workbooks(data), data.engagement.language))
    return found


def run_setting(setting: str, clients: Path, run_dir: Path, expected: dict, plain: list | None) -> dict:
    log = run_dir / "batch.log"
    if setting == "plain":
        todo = []
        for slug, folder, specs, lang in plain:
            out, working = run_dir / "plain" / slug, run_dir / "working" / slug
            todo.append((slug, out, working, rvp.plain_steps(specs, folder, lang, out, working)))
        script = run_dir / "plain.sh"
        script.write_text(rvp.plain_script(todo))
        m = rvp.measure(["bash", str(script)], log)
        if m["rc"] != 0:
            raise rvp.RouteFailed(f"the plain chain exited with code {m['rc']}; its output ends with:\n{rvp.log_tail(log)}")
        for slug, folder, specs, lang in plain:
            rvp.check_plain(run_dir / "plain" / slug, specs)
        m["counts"] = {"ok": len(plain), "failed": 0, "skipped": 0}
    else:
        cmd = [str(BIN / "relkit"), "batch", str(clients), "--out", str(run_dir / "reports")]
        if setting.startswith("workers="):
            cmd += ["--workers", setting.split("=", 1)[1]]
        m = rvp.measure(cmd, log)
        if m["rc"] not in (0, 1):  # 1: some client failed, checked just below
            raise rvp.RouteFailed(f"relkit batch exited with code {m['rc']}; its output ends with:\n{rvp.log_tail(log)}")
        m["counts"] = check_batch(run_dir / "reports", expected, log)
    if m["killed"]:
        raise rvp.RouteFailed(f"{setting}: processes still running {rvp.REAP_SECONDS} s after the end: {m['killed']}")
    return m


def rerun(clients: Path, run_dir: Path, expected: dict) -> dict:
    log = run_dir / "rerun.log"
    m = rvp.measure([str(BIN / "relkit"), "batch", str(clients), "--out", str(run_dir / "reports")], log)
    m["counts"] = check_batch(run_dir / "reports", expected, log, rerun=True)
    return m


def defaults_text(n_todo: int) -> str:
    from relkit.batch.runner import default_workers

    cores = os.cpu_count() or 1
    workers = default_workers()
    per_client = max(1, cores // max(1, min(workers, n_todo or 1)))
    return f"{workers} worker(s) × {per_client} notebook(s) at once per client"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Run on a quiet machine. With the defaults (20 normal clients, 2 repetitions, "
                                        "the plain chain) this takes about an hour on 2 cores.")
    ap.add_argument("--n", type=int, default=20, help="number of clients (default 20)")
    ap.add_argument("--broken", type=int, default=2, help="how many of them are deliberately broken (default 2)")
    ap.add_argument("--small", action="store_true", help="100-200 customers per client (quicker)")
    ap.add_argument("--reps", type=int, default=2, help="repetitions of each setting (default 2)")
    ap.add_argument("--workers", type=int, action="append", metavar="K",
                    help="also run `relkit batch --workers K` (repeatable; default: 1)")
    ap.add_argument("--no-plain", action="store_true", help="skip the plain chain (the slowest part)")
    ap.add_argument("--plain-reps", type=int, help="repetitions of the plain chain (default: --reps)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (the clients are reused if there)")
    args = ap.parse_args()
    if args.reps < 2:
        print(f"note: {args.reps} repetition(s): fewer than the 2 the figures need", file=sys.stderr)

    from make_variants import make_variants

    cores = os.cpu_count() or 1
    load_start = rvp.load_average()
    print(f"load average at start: {load_start} ({cores} cores)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="relkit-batch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    clients = work / "clients"
    t0 = time.perf_counter()
    if not clients.exists():
        make_variants(clients, n=args.n, broken=args.broken, customers=(100, 200) if args.small else (300, 3000))
    expected = expected_outcomes(clients)
    n_valid = sum(1 for b in expected.values() if not b)
    print(f"{len(expected)} clients ({'small' if args.small else 'normal'}, {len(expected) - n_valid} broken) ready "
          f"in {time.perf_counter() - t0:.1f} s; relkit batch's defaults here: {defaults_text(len(expected))}")

    settings = ["defaults", *[f"workers={k}" for k in (args.workers or [1])]]
    plain = None
    plain_reps = args.plain_reps if args.plain_reps is not None else args.reps
    if not args.no_plain and plain_reps > 0:
        plain = plain_clients(clients, expected)
    results: dict[str, list[dict]] = {s: [] for s in settings + (["plain"] if plain else [])}
    reruns: list[dict] = []
    try:
        for rep in range(max(args.reps, plain_reps if plain else 0)):
            order = [s for s in settings if rep < args.reps] + (["plain"] if plain and rep < plain_reps else [])
            order = order[rep % len(order):] + order[:rep % len(order)]  # a different setting goes first each time
            for setting in order:
                run_dir = Path(tempfile.mkdtemp(prefix=f"{setting.replace('=', '')}-{rep + 1}-", dir=work))
                m = run_setting(setting, clients, run_dir, expected, plain)
                results[setting].append(m)
                print(f"rep {rep + 1} {setting:10s} {m['wall']:7.1f} s wall, {m['cpu']:7.1f} CPU-s, {m['counts']}, "
                      f"load {rvp.load_average()}", file=sys.stderr)
                if setting == "defaults" and not reruns:
                    for _ in range(RERUNS):
                        reruns.append(rerun(clients, run_dir, expected))
                    walls = ", ".join(f"{r['wall']:.2f}" for r in reruns)
                    cpus = ", ".join(f"{r['cpu']:.2f}" for r in reruns)
                    print(f"unchanged re-runs: {walls} s wall, {cpus} CPU-s, load {rvp.load_average()}", file=sys.stderr)
                if not args.keep:
                    shutil.rmtree(run_dir, ignore_errors=True)
    except rvp.RouteFailed as exc:
        print(f"\nSTOPPED: {exc}\nnothing was timed as a success; the load average is {rvp.load_average()}",
              file=sys.stderr)
        sys.exit(1)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\n{len(expected)} clients, {n_valid} valid; median of the repetitions; {cores} cores")
    head = (f"{'setting':10s} {'runs':>4s} {'wall s':>7s} {'min':>6s} {'max':>6s} {'CPU-s':>7s} {'time(1)':>8s} "
            f"{'CPU-s/client':>12s} {'cores used':>10s} {'peak MB':>8s}  result")
    print(head)
    med = {}
    for setting, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        timed = [r["time_cpu"] for r in runs if "time_cpu" in r]
        published = runs[0]["counts"]["ok"] or 1
        med[setting] = (wall, cpu)
        print(f"{setting:10s} {len(runs):4d} {wall:7.1f} {min(r['wall'] for r in runs):6.1f} "
              f"{max(r['wall'] for r in runs):6.1f} {cpu:7.1f} {statistics.median(timed) if timed else float('nan'):8.1f} "
              f"{cpu / published:12.1f} {cpu / (wall * cores):9.0%} {max(r['peak_mb'] for r in runs):8.0f}  "
              f"{runs[0]['counts']}")
    print("(CPU-s/client: CPU-s ÷ published clients, so the broken clients' fast failures count against the valid "
          "ones; cores used: CPU-s ÷ (wall × cores))")
    d_wall, d_cpu = med["defaults"]
    for setting in settings[1:]:
        print(f"defaults vs {setting}: {med[setting][0] / d_wall:.2f}x faster (wall), "
              f"{med[setting][1] / d_cpu:.2f}x less CPU")
    if plain:
        print(f"defaults vs the plain chain ({plain_reps} repetition(s)): {med['plain'][0] / d_wall:.2f}x faster (wall), "
              f"{med['plain'][1] / d_cpu:.2f}x less CPU")
    re_wall = statistics.median(r["wall"] for r in reruns)
    re_cpu = statistics.median(r["cpu"] for r in reruns)
    print(f"unchanged re-run of {len(expected)} clients: {re_wall:.2f} s wall (median of {len(reruns)}; target <= "
          f"{RERUN_TARGET:g} s: {'met' if re_wall <= RERUN_TARGET else 'NOT met'}), {re_cpu:.2f} CPU-s, "
          f"{reruns[0]['counts']}")
    print(f"load average at start: {load_start}; at end: {rvp.load_average()}")


if __name__ == "__main__":
    main()
