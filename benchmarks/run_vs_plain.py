"""`relkit run` against the plain chain, side by side on the demo engagement.

relkit: the ``relkit run`` command (validation, execution, per-workbook HTML,
bound report HTML + PDF, Word, PowerPoint, figures.json, run.json, atomic
publication) into a fresh folder.

plain: the chain a user would write without relkit, as a shell script, into
another fresh folder: per notebook, the ``papermill`` CLI with the parameters
relkit gives each notebook (engagement folder, language, output and working
folders; the output folder as working directory; Matplotlib's Agg backend,
as relkit's kernels), then ``jupyter nbconvert --to html --no-input``, then
``weasyprint`` on that HTML. The notebooks run in an order that respects
their dependencies, so ``00_synthese`` runs last and summarises the figures
the other notebooks of *this* run recorded (it would otherwise fall back on
the last published figures.json). A step that fails stops the benchmark: a
failure is never timed.

Each repetition runs both routes (alternating which goes first), each in a
child that measures it: wall time of the command, and the CPU-seconds (user +
system) of its whole process tree, from the child's RUSAGE_CHILDREN. The
child is a "subreaper" (Linux), so a process the command leaves behind (a
kernel nobody waited for) is reaped, and counted, by the child instead of by
init; the child also runs the command under /usr/bin/time when there is one,
whose figure (the command's own waited-for tree) is printed beside it: equal
figures mean the command waits for everything it starts.

Prints the medians, the ratio of wall medians (target >= 4x) and of CPU
medians, relkit's CPU-seconds against the 12 CPU-s target, and the load
average at the start and the end.

Usage: python benchmarks/run_vs_plain.py [--reps 3] [--no-warmup] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_samples" / "arnaud-zoe"
BIN = Path(sys.executable).parent
TIME = Path("/usr/bin/time")
PR_SET_CHILD_SUBREAPER = 36
REAP_SECONDS = 60  # how long leftover processes may take to end after the command, before they are killed
CPU_TARGET = 12.0
RATIO_TARGET = 4.0


class RouteFailed(Exception):
    """A route did not produce its deliverables: the benchmark stops."""


# -- the measuring child -------------------------------------------------------------------------------

def _subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux)."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except Exception:  # noqa: BLE001 - other systems: orphans go to init, as without the benchmark
        return False


def _children_of(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
            found.append(int(stat.parent.name))
    return found


def _reap(deadline: float) -> tuple[int, list[int]]:
    """Wait for every orphan handed to this subreaper; (reaped, killed after the deadline)."""
    reaped, killed = 0, []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped, killed
        if pid:
            reaped += 1
            continue
        if time.monotonic() > deadline and not killed:
            killed = _children_of(os.getpid())
            for pid in killed:  # our own descendants, left running after the command ended
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        time.sleep(0.05)


def measure_child(cmd: list[str], log: Path) -> dict:
    """Run ``cmd`` (stdout and stderr to ``log``) and measure it; in the measuring child."""
    subreaper = _subreaper()
    timed = TIME.exists()
    time_out = log.with_suffix(".time")
    full = [str(TIME), "-f", "%U %S %e %M", "-o", str(time_out), *cmd] if timed else cmd
    with open(log, "wb") as fh:
        started = time.perf_counter()
        proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT)
        rc = proc.wait()
        wall = time.perf_counter() - started
    reaped, killed = _reap(time.monotonic() + REAP_SECONDS) if subreaper else (0, [])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {"rc": rc, "wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime,
              "peak_mb": usage.ru_maxrss / 1024, "subreaper": subreaper, "orphans": reaped, "killed": killed,
              "reaped_after": time.perf_counter() - started - wall}
    if timed:
        try:
            lines = time_out.read_text().strip().splitlines()
            u, s, _e, _m = lines[-1].split()
            result["time_cpu"] = float(u) + float(s)
            if len(lines) > 1:  # "Command exited with non-zero status N" comes first
                result["rc_line"] = lines[0]
        except (OSError, ValueError, IndexError):
            pass
    return result


def measure(cmd: list[str], log: Path) -> dict:
    """Run ``cmd`` in a fresh measuring child (this file with --measure): its own
    RUSAGE_CHILDREN holds that command's tree and nothing else."""
    child = [sys.executable, str(Path(__file__).resolve()), "--measure", str(log), "--", *cmd]
    out = subprocess.run(child, check=True, capture_output=True, text=True)
    m = json.loads(out.stdout.strip().splitlines()[-1])
    m["cpu"] = m["user"] + m["sys"]
    return m


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def log_tail(log: Path, lines: int = 15) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").rstrip().splitlines()
    except OSError:
        return ""
    return "\n".join("    " + ln for ln in text[-lines:])


# -- the plain chain -----------------------------------------------------------------------------------

def plain_order(specs) -> list:
    """The workbooks in an order where each runs after the ones it depends on
    (report order otherwise): 00_synthese, which summarises the others, last."""
    ordered, done, pending = [], set(), list(specs)
    while pending:
        ready = [s for s in pending if all(d in done for d in s.depends_on)]
        if not ready:
            raise ValueError(f"unsatisfiable workbook dependencies: {[s.id for s in pending]}")
        ordered.append(ready[0])
        done.add(ready[0].id)
        pending.remove(ready[0])
    return ordered


def plain_steps(specs, engagement: Path, lang: str, out: Path, working: Path) -> list[tuple[str, list[str]]]:
    """(label, argv) of every command of the plain chain for one client, in order.
    Parameters as relkit.pipeline.run gives them: the engagement folder, the
    language, output_dir (also the kernel's working directory) and working_dir."""
    steps = []
    for spec in plain_order(specs):
        executed = out / "notebooks" / Path(spec.path).name
        steps += [
            (f"papermill {spec.id}", [str(BIN / "papermill"), str(spec.path), str(executed), "--cwd", str(out),
                                      "-r", "engagement", str(engagement), "-r", "lang", lang,
                                      "-r", "output_dir", str(out), "-r", "working_dir", str(working),
                                      "--no-progress-bar"]),
            (f"nbconvert {spec.id}", [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]),
            (f"weasyprint {spec.id}", [str(BIN / "weasyprint"), "-q", str(executed.with_suffix(".html")),
                                       str(executed.with_suffix(".pdf"))]),
        ]
    return steps


def plain_script(clients: list[tuple[str, Path, Path, list]]) -> str:
    """A bash script running the plain chain for each (name, out, working, steps):
    stops at the first failing command and says which one."""
    lines = ["#!/bin/bash", "export MPLBACKEND=Agg  # as relkit's kernels: no inline backend"]
    for name, out, working, steps in clients:
        lines.append(f"mkdir -p {shlex.quote(str(out / 'notebooks'))} {shlex.quote(str(working))}")
        for label, argv in steps:
            lines.append(f"{shlex.join(argv)} || {{ rc=$?; echo {shlex.quote(f'PLAIN ROUTE FAILED: {name}: {label}')}"
                         f" \"(exit $rc)\"; exit 3; }}")
    return "\n".join(lines) + "\n"


def demo_specs(folder: Path):
    """The workbooks relkit runs for this engagement, and its language (relkit's default)."""
    sys.path.insert(0, str(ROOT))
    from relkit.intake.load import load
    from relkit.workbooks.registry import default_workbooks

    data = load(folder)
    return default_workbooks(data), data.engagement.language


def check_plain(out: Path, specs) -> None:
    """Every notebook executed, converted to HTML and PDF; the summary saw the others' figures."""
    missing = []
    for spec in specs:
        executed = out / "notebooks" / Path(spec.path).name
        for made in (executed, executed.with_suffix(".html"), executed.with_suffix(".pdf")):
            if not made.is_file() or not made.stat().st_size:
                missing.append(made.name)
    if missing:
        raise RouteFailed(f"the plain route did not produce {', '.join(missing)}")
    pieces = {p.stem for p in (out / "figures").glob("*.json")}
    expected = {s.id for s in specs if s.id != "00_synthese"}
    if not expected <= pieces:
        raise RouteFailed(f"the plain route's figures lack {sorted(expected - pieces)}")


def check_relkit(out: Path, specs) -> Path:
    """The published folder with the bound PDF and HTML and every executed notebook."""
    folders = [p for p in out.iterdir() if (p / "run.json").is_file()] if out.is_dir() else []
    if len(folders) != 1:
        raise RouteFailed(f"relkit published {len(folders)} client folder(s) under {out}")
    run = json.loads((folders[0] / "run.json").read_text(encoding="utf-8"))
    missing = [name for name in (run.get("pdf"), run.get("html")) if not name or not (folders[0] / name).is_file()]
    missing += [s.id for s in specs if not (folders[0] / "notebooks" / Path(s.path).name).is_file()]
    if run.get("status") != "ok" or missing:
        raise RouteFailed(f"relkit's run is incomplete (status {run.get('status')}, missing {missing})")
    return folders[0]


def same_figures(plain_out: Path, published: Path) -> list[str]:
    """Figures recorded by both routes that differ (keys, values or displays)."""
    plain = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((plain_out / "figures").glob("*.json"))}
    ours = json.loads((published / "figures.json").read_text(encoding="utf-8"))
    diffs = []
    for wb in sorted(set(plain) | set(ours)):
        a, b = plain.get(wb, {}), ours.get(wb, {})
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                diffs.append(f"{wb}.{key}")
    return diffs


# -- the routes ----------------------------------------------------------------------------------------

def run_route(route: str, work: Path, specs, lang: str) -> dict:
    """One measured run of a route in the fresh folder ``work``; checked, then measured figures."""
    log = work / f"{route}.log"
    if route == "relkit":
        cmd = [str(BIN / "relkit"), "run", str(DEMO), "--out", str(work / "reports"), "--working", str(work / "working"),
               "--quiet"]
    else:
        out, working = work / "out", work / "working"
        script = work / "plain.sh"
        script.write_text(plain_script([(DEMO.name, out, working, plain_steps(specs, DEMO, lang, out, working))]))
        cmd = ["bash", str(script)]
    m = measure(cmd, log)
    if m["rc"] != 0:
        raise RouteFailed(f"the {route} route exited with code {m['rc']}; its output ends with:\n{log_tail(log)}")
    if m["killed"]:
        raise RouteFailed(f"the {route} route left processes running {REAP_SECONDS} s after it ended: {m['killed']}")
    if route == "relkit":
        m["published"] = check_relkit(work / "reports", specs)
    else:
        check_plain(work / "out", specs)
    return m


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Run on a quiet machine: the figures are only as good as the load allows.")
    ap.add_argument("--reps", type=int, default=3, help="repetitions of each route (at least 3 for the figures; default 3)")
    ap.add_argument("--no-warmup", action="store_true", help="skip the first, uncounted relkit run (file and compile caches)")
    ap.add_argument("--keep", type=Path, help="keep every run's folder under this folder")
    args = ap.parse_args()
    if args.reps < 3:
        print(f"note: {args.reps} repetition(s): fewer than the 3 the figures need", file=sys.stderr)

    specs, lang = demo_specs(DEMO)
    cores = os.cpu_count() or 1
    load_start = load_average()
    print(f"load average at start: {load_start} ({cores} cores); {len(specs)} notebooks, language {lang}")
    base = args.keep or Path(tempfile.mkdtemp(prefix="relkit-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[dict]] = {"relkit": [], "plain": []}
    figure_diffs: list[str] = []
    try:
        if not args.no_warmup:  # the OS file cache and compiled-model caches, not counted
            run_route("relkit", Path(tempfile.mkdtemp(prefix="warmup-", dir=base)), specs, lang)
        for rep in range(args.reps):
            order = ["relkit", "plain"] if rep % 2 == 0 else ["plain", "relkit"]
            folders = {}
            for route in order:
                folders[route] = Path(tempfile.mkdtemp(prefix=f"{route}-{rep + 1}-", dir=base))  # cold each time
                m = run_route(route, folders[route], specs, lang)
                results[route].append(m)
                extra = f", /usr/bin/time {m['time_cpu']:.1f}" if "time_cpu" in m else ""
                print(f"rep {rep + 1}/{args.reps} {route:6s} {m['wall']:6.1f} s wall, {m['cpu']:6.1f} CPU-s "
                      f"(user {m['user']:.1f} + sys {m['sys']:.1f}{extra}; {m['orphans']} orphan(s) reaped), "
                      f"load {load_average()}", file=sys.stderr)
            figure_diffs = same_figures(folders["plain"] / "out", results["relkit"][-1]["published"])
            if not args.keep:
                for folder in folders.values():
                    shutil.rmtree(folder, ignore_errors=True)
    except RouteFailed as exc:
        print(f"\nSTOPPED: {exc}\nnothing was timed as a success; the load average is {load_average()}", file=sys.stderr)
        sys.exit(1)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print(f"\n{len(specs)} notebooks, {args.reps} repetition(s) interleaved, {cores} cores, fresh folders each run")
    print(f"{'route':7s} {'wall s':>7s} {'min':>6s} {'max':>6s} {'CPU-s':>7s} {'user':>6s} {'sys':>5s} {'time(1)':>8s} "
          f"{'peak MB':>8s}")
    med = {}
    for route, runs in results.items():
        wall = [r["wall"] for r in runs]
        cpu = [r["cpu"] for r in runs]
        timed = [r["time_cpu"] for r in runs if "time_cpu" in r]
        med[route] = (statistics.median(wall), statistics.median(cpu))
        print(f"{route:7s} {med[route][0]:7.1f} {min(wall):6.1f} {max(wall):6.1f} {med[route][1]:7.1f} "
              f"{statistics.median(r['user'] for r in runs):6.1f} {statistics.median(r['sys'] for r in runs):5.1f} "
              f"{statistics.median(timed) if timed else float('nan'):8.1f} {max(r['peak_mb'] for r in runs):8.0f}")
    print("(CPU-s: user + system of the whole process tree; time(1): /usr/bin/time's figure for the same command, "
          "which misses processes the command did not wait for)")
    wall_ratio = med["plain"][0] / med["relkit"][0]
    cpu_ratio = med["plain"][1] / med["relkit"][1]
    print(f"ratio plain / relkit, wall medians: {wall_ratio:.2f}x (target >= {RATIO_TARGET:g}x): "
          f"{'met' if wall_ratio >= RATIO_TARGET else 'NOT met'}")
    print(f"ratio plain / relkit, CPU-s medians: {cpu_ratio:.2f}x")
    print(f"relkit CPU-s: {med['relkit'][1]:.1f} (target <= {CPU_TARGET:g}): "
          f"{'met' if med['relkit'][1] <= CPU_TARGET else 'NOT met'}")
    if figure_diffs:
        print(f"WARNING: the routes recorded different figures: {', '.join(figure_diffs)}")
    else:
        print("figures recorded by both routes: identical")
    print(f"load average at start: {load_start}; at end: {load_average()}")


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--measure" and sys.argv[3] == "--":
        print(json.dumps(measure_child(sys.argv[4:], Path(sys.argv[2]))))
    else:
        main()
