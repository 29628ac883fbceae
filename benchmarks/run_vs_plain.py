"""relkit run vs the plain chain, side by side on the demo engagement.

plain chain, per notebook: `papermill` CLI (same parameters) → `jupyter
nbconvert --to html --no-input` CLI; then the same PDF step (WeasyPrint) on
the HTML. relkit: `relkit run` CLI (validation, execution, per-workbook HTML,
bound report HTML + PDF, figures.json, run.json, atomic publication).

Both routes are timed as whole commands, interleaved, several repetitions;
prints the median wall time, the peak memory of the largest process, and the
ratio. Usage: python benchmarks/run_vs_plain.py [--reps 5] [--workbooks N]

--workbooks N runs the demo's workbooks N times over (copies under distinct
names) through both routes: a projection of the full five-workbook kit while
only workbook 01 exists.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_samples" / "arnaud-zoe"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def _notebooks(work: Path, copies: int) -> list[Path]:
    from relkit.workbooks.registry import default_workbooks

    sources = [w.path for w in default_workbooks()]
    if copies <= 1:
        return sources
    out = []
    for i in range(copies):
        for src in sources:
            target = work / "nb" / f"{src.stem}_{i + 1}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, target)
            out.append(target)
    return out


def route_relkit(work: Path, copies: int) -> None:
    if copies <= 1:  # the real command
        cmd = [str(BIN / "relkit"), "run", str(DEMO), "--out", str(work / "reports"), "--quiet"]
    else:  # same pipeline through the API, with the copied workbooks
        nbs = [str(p) for p in _notebooks(work, copies)]
        cmd = [sys.executable, "-c", f"import relkit; relkit.run({str(DEMO)!r}, out={str(work / 'reports')!r}, "
                                     f"notebooks={nbs!r}, progress=None)"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def route_plain(work: Path, copies: int) -> None:
    for nb in _notebooks(work, copies):
        executed = work / nb.name
        subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "--cwd", str(work), "-p", "engagement", str(DEMO),
                        "-p", "lang", "fr", "-p", "output_dir", str(work), "-p", "working_dir", str(work / "working"),
                        "--no-progress-bar"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "weasyprint"), "-q", str(executed.with_suffix(".html")), str(executed.with_suffix(".pdf"))],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


ROUTES = {"relkit": route_relkit, "plain": route_plain}


def measure(route: str, copies: int) -> dict:
    """Run one route in a child so its memory is measured on its own; the
    copies of notebooks are made before the clock starts."""
    work = Path(tempfile.mkdtemp(prefix="relkit-bench-"))
    try:
        _notebooks(work, copies)
        code = (f"import sys, time, resource, json, pathlib; sys.path.insert(0, {str(ROOT / 'benchmarks')!r});"
                f"import run_vs_plain as b; w = pathlib.Path({str(work)!r});"
                f"t = time.perf_counter(); b.ROUTES[{route!r}](w, {copies}); s = time.perf_counter() - t;"
                f"print(json.dumps({{'seconds': s, 'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))")
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=os.environ.copy())
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--workbooks", type=int, default=1, help="run the workbooks this many times over (projection)")
    args = ap.parse_args()
    results = {r: [] for r in ROUTES}
    measure("relkit", 1)  # warm the OS file cache once, not counted
    for i in range(args.reps):
        for route in ROUTES:
            results[route].append(measure(route, args.workbooks))
            print(f"rep {i + 1}/{args.reps} {route:7s} {results[route][-1]['seconds']:6.2f} s", file=sys.stderr)
    scratch = Path(tempfile.mkdtemp(prefix="relkit-bench-"))
    n = len(_notebooks(scratch, args.workbooks))
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"{n} notebook(s), {args.reps} repetitions, {os.cpu_count()} cores")
    print(f"{'route':8s} {'median s':>9s} {'min s':>7s} {'max s':>7s} {'peak MB':>8s}")
    med = {}
    for route, runs in results.items():
        secs = [r["seconds"] for r in runs]
        med[route] = statistics.median(secs)
        print(f"{route:8s} {med[route]:9.2f} {min(secs):7.2f} {max(secs):7.2f} {max(r['peak_mb'] for r in runs):8.0f}")
    print(f"ratio plain / relkit: {med['plain'] / med['relkit']:.2f}x (target >= 4x)")


if __name__ == "__main__":
    main()
