"""Workbook 02 (the customer file) at scale: the whole notebook on generated files.

Targets (issue 17): at 1 M customers / 5 M sales lines the whole workbook —
import, audit, dedup, RFM, CLV, charts, working files — in <= 30 s and <= 3 GB
peak memory on a 2-core machine, and every stage growing by <= 2.1x when the
data doubles (measured at 250 k, 500 k and 1 M customers, 5 lines each).

What runs is what ``relkit run`` runs, in this process: the exports are read
and saved for the kernel as the run's validation does (``import_sources`` +
``save_imports``), then the code cells of relkit/notebooks/02_fichier_clients.ipynb
are executed unchanged with a Session writing to a temporary folder
(output_dir and working_dir). Each stage's time is the *exclusive* time spent
inside the relkit functions of that stage (a call made from inside another
stage's function counts for the innermost one):

    import         reading the CSVs, saving/loading the kernel's Arrow copy
    orders         sales lines -> orders (and sales keyed by e-mail linked)
    audit          quality.audit (completeness, validity, stale records)
    dedup          dedup_report, and the wait for the search started ahead
    RFM            rfm.*, last_purchase.* (scores, segments, targets, peak)
    VMC            value.* (inputs measured on the orders, per segment)
    CLV            clv.* (summary, MBG/NBD + Gamma-Gamma fits, predictions)
    charts         views.charts.customers.* and Session.figure (PNG)
    working files  CustomerFile.write_working + write_models
    report         the rest: tables, sentences, personas, figures, setup

The workbook starts the duplicate search (phones, then find_duplicates) on a
second thread when it opens the file: its own wall and thread CPU times are
printed apart ("second thread"), and the stages above time the main thread
only. CPU per stage is the process's (both threads) while that stage ran;
the total CPU is the whole process's.

Each size runs in a child process (its own peak RSS). The files come from
data_samples/generate_customers.py --large, generated once into
DIR/<customers>-<lines>/ outside any timing. Usage:

    python benchmarks/customers.py                      # 250 k, 500 k, 1 M
    python benchmarks/customers.py --sizes 250000       # one size (5 lines a customer)
    python benchmarks/customers.py --profile 1000000    # cProfile of one run, top functions
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import gc
import inspect
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_samples" / "arnaud-zoe"
NOTEBOOK = ROOT / "relkit" / "notebooks" / "02_fichier_clients.ipynb"
STAGES = ("import", "orders", "audit", "dedup", "RFM", "VMC", "CLV", "charts", "working files", "report")
TARGET_SECONDS, TARGET_MB, TARGET_GROWTH = 30.0, 3072, 2.1
LINES_PER_CUSTOMER = 5


class StageClock:
    """Exclusive wall and CPU time per stage: entering a timed function
    charges the time so far to the stage on top of the stack."""

    def __init__(self, first: str = "report"):
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.gc: dict[str, float] = defaultdict(float)  # CPU-s in Python's cycle collector, within the stage
        self.stack = [first]
        self.mark = (time.perf_counter(), time.process_time())
        self._gc_started = 0.0

    def collecting(self, phase: str, info: dict) -> None:
        """gc.callbacks hook: a collection's time goes to the stage it interrupted."""
        if phase == "start":
            self._gc_started = time.process_time()
        else:
            self.gc[self.stack[-1]] += time.process_time() - self._gc_started

    def charge(self) -> None:
        now = (time.perf_counter(), time.process_time())
        self.wall[self.stack[-1]] += now[0] - self.mark[0]
        self.cpu[self.stack[-1]] += now[1] - self.mark[1]
        self.mark = now

    @contextlib.contextmanager
    def stage(self, name: str):
        self.charge()
        self.stack.append(name)
        try:
            yield
        finally:
            self.charge()
            self.stack.pop()

    def wrap(self, name: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if threading.current_thread() is not threading.main_thread():  # the search ahead: timed apart
                return fn(*args, **kwargs)
            with self.stage(name):
                return fn(*args, **kwargs)
        return timed


def _functions(module) -> list[str]:
    """The functions a module defines (not the ones it imports)."""
    return [n for n, f in vars(module).items() if inspect.isfunction(f) and f.__module__ == module.__name__]


def instrument(clock: StageClock) -> None:
    """Time every relkit function of each stage where the workbook looks it up."""
    from relkit.customers import clv, dedup, last_purchase, quality, rfm, value
    from relkit.views.charts import customers as charts
    from relkit.workbooks import customers as workbook
    from relkit.workbooks.ahead import Ahead
    from relkit.workbooks.session import Session

    def patch(owner, name: str, stage: str) -> None:
        setattr(owner, name, clock.wrap(stage, getattr(owner, name)))

    for name in ("link_by_email", "orders", "derive_customers"):
        patch(workbook, name, "orders")
    patch(quality, "audit", "audit")
    for name in ("find_duplicates", "dedup_report"):
        patch(dedup, name, "dedup")
    for module, stage in ((rfm, "RFM"), (last_purchase, "RFM"), (value, "VMC"), (clv, "CLV"), (charts, "charts")):
        for name in _functions(module):
            patch(module, name, stage)
    patch(Ahead, "result", "dedup")  # waiting for the search ahead is the dedup's cost on the critical path
    patch(Session, "customer_imports", "import")
    patch(Session, "figure", "charts")
    for name in ("write_working", "write_models"):
        patch(workbook.CustomerFile, name, "working files")


def engagement_folder(data: Path, target: Path) -> Path:
    """The demo engagement (settings, workshop workbook) with the generated exports."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("exports"))
    (target / "exports").mkdir()
    for name in ("clients_shopify.csv", "ventes.csv"):  # hard links: relkit refuses links leading out of the folder
        try:
            os.link(data / name, target / "exports" / name)
        except OSError:
            shutil.copy(data / name, target / "exports" / name)
    return target


def ensure_files(folder: Path, customers: int) -> None:
    if (folder / "ventes.csv").exists():
        return
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "data_samples" / "generate_customers.py"), "--large", str(folder),
                    "--customers", str(customers), "--lines", str(customers * LINES_PER_CUSTOMER)], check=True)
    print(f"generated {folder} in {time.perf_counter() - t:.1f} s (not timed)", file=sys.stderr)


def run_workbook(data: Path) -> dict:
    """The whole workbook once on the files in ``data``: stages' wall and CPU
    seconds, peak RSS, and a few counts to check the run did the work."""
    import nbformat

    clock = StageClock("report")
    with tempfile.TemporaryDirectory(prefix="relkit-bench-") as tmp:
        tmp = Path(tmp)
        folder = engagement_folder(data, tmp / "engagement")
        output_dir, working_dir = tmp / "out", tmp / "working"
        output_dir.mkdir()
        working_dir.mkdir()
        import matplotlib
        matplotlib.use("Agg")
        import relkit.workbooks.customers  # noqa: F401 - a run's kernels have the workbook's modules imported
        import relkit.workbooks.personas  # noqa: F401
        from relkit.intake.imports import import_sources, save_imports
        from relkit.intake.load import load
        engagement = load(folder, import_exports=False).engagement  # the run's validation, not the workbook
        instrument(clock)
        cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells
                 if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
        start = time.perf_counter(), time.process_time()
        clock.charge()  # setup above is not the workbook's
        clock.wall.clear()
        clock.cpu.clear()
        gc.callbacks.append(clock.collecting)
        with clock.stage("import"):  # the run's validation reads the exports once and hands them to the kernel
            imports, problems = import_sources(folder, engagement)
            assert not problems, problems
            save_imports(imports, working_dir)
            del imports
        namespace = {"engagement": str(folder), "lang": None, "output_dir": str(output_dir),
                     "working_dir": str(working_dir)}
        with contextlib.redirect_stdout(io.StringIO()):  # display() outside a kernel prints reprs
            for source in cells:
                exec(compile(source, str(NOTEBOOK), "exec"), namespace)
        clock.charge()
        gc.callbacks.remove(clock.collecting)
        total = time.perf_counter() - start[0], time.process_time() - start[1]
        cf = namespace["cf"]
        written = sorted(p.name for p in (working_dir / "02_fichier_clients").iterdir())
        counts = {"customers": len(cf.customers), "lines": len(cf.transactions), "orders": len(cf.orders),
                  "buyers": len(cf.rfm), "pairs": len(cf.pairs), "tables": len(list((output_dir / "tables").glob("*.csv"))),
                  "working_files": written}
        ahead = dict(cf.ahead.seconds) if cf.ahead is not None else {}
    return {"wall": dict(clock.wall), "cpu": dict(clock.cpu), "gc": dict(clock.gc), "total_gc": sum(clock.gc.values()),
            "total_wall": total[0], "total_cpu": total[1], "ahead": ahead,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "counts": counts}


def child(args) -> None:
    size = args.child
    folder = args.dir / f"{size}-{size * LINES_PER_CUSTOMER}"
    if args.profile:
        profiler = cProfile.Profile()
        result = profiler.runcall(run_workbook, folder)
        if args.pstats:
            profiler.dump_stats(args.pstats)
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
    else:
        result = run_workbook(folder)
    print(json.dumps(result))


def growth(values: list[float]) -> list[str]:
    return ["" if i == 0 or values[i - 1] <= 0 else f"{values[i] / values[i - 1]:.2f}x" for i in range(len(values))]


def report(sizes: list[int], results: list[dict]) -> None:
    width = 11
    head = f"{'stage':14s}" + "".join(f"{f'{s // 1000} k':>{width}}" for s in sizes)
    if len(sizes) > 1:
        head += "   growth per doubling"
    for measure, unit in (("wall", "s"), ("cpu", "CPU-s"), ("gc", "CPU-s in the cycle collector, part of CPU")):
        print(f"\n{measure.upper()} ({unit}), exclusive time per stage")
        print(head)
        for stage in STAGES + ("total",):
            values = [r[f"total_{measure}"] if stage == "total" else r[measure].get(stage, 0.0) for r in results]
            ratios = growth(values)[1:]
            flag = " <- above 2.1x" if any(float(g[:-1]) > TARGET_GROWTH for g in ratios if g) and stage != "report" else ""
            print(f"{stage:14s}" + "".join(f"{v:{width}.2f}" for v in values) + "   " + "  ".join(ratios) + flag)
    print("\nSECOND THREAD (started by the workbook, overlapping the stages above): wall s / thread CPU-s")
    for step, name in (("phones", "phones"), ("pairs", "duplicate search")):
        print(f"{name:18s}" + "".join(f"{r['ahead'].get(step, (0, 0))[0]:6.2f} /{r['ahead'].get(step, (0, 0))[1]:6.2f}"
                                      for r in results))
    print()
    for size, r in zip(sizes, results):
        c = r["counts"]
        print(f"{size // 1000} k: {c['customers']:,} customers, {c['lines']:,} lines, {c['orders']:,} orders, "
              f"{c['buyers']:,} buyers, {c['pairs']:,} duplicate pairs, {c['tables']} tables, working files "
              f"{', '.join(c['working_files'])}; peak {r['peak_mb']:.0f} MB")
    last = results[-1]
    print(f"\nlargest run: {last['total_wall']:.1f} s wall (target <= {TARGET_SECONDS:.0f} s), "
          f"{last['total_cpu']:.1f} CPU-s, peak {last['peak_mb']:.0f} MB (target <= {TARGET_MB} MB); "
          f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def main() -> None:
    from relkit.pipeline.kernel import kernel_environment  # the kernel's allocator settings, as a run has them

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000],
                    help="customers per run (5 sales lines each)")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/relkit-large"))
    ap.add_argument("--profile", type=int, metavar="CUSTOMERS", help="profile one run of that size (stderr)")
    ap.add_argument("--pstats", type=Path, help="with --profile: also save the statistics there")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)
    sizes = [args.profile] if args.profile else sorted(args.sizes)
    results = []
    for size in sizes:
        ensure_files(args.dir / f"{size}-{size * LINES_PER_CUSTOMER}", size)
        command = [sys.executable, __file__, "--child", str(size), "--dir", str(args.dir)]
        if args.profile:
            command += ["--profile", str(size)] + (["--pstats", str(args.pstats)] if args.pstats else [])
        out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, env=kernel_environment()).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        r = results[-1]  # each size at once, in case a later one fails
        print(f"{size // 1000} k: {r['total_wall']:.1f} s, {r['total_cpu']:.1f} CPU-s, peak {r['peak_mb']:.0f} MB; CPU-s "
              + ", ".join(f"{k} {r['cpu'].get(k, 0):.1f}" for k in STAGES), file=sys.stderr, flush=True)
    report(sizes, results)


if __name__ == "__main__":
    main()
