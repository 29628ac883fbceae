"""One client of a batch: skip it when its deliverables are up to date, else
run it in its own process.

``run_job(job)`` runs in the batch's thread pool or on a Dask worker. It
first computes the client's run key (cheap: hashes, no pandas, no
validation) and returns ``{"status": "skipped"}`` when ``out/<slug>/`` was
made from exactly that key. Otherwise it starts

    python -m relkit.batch.worker '<job as JSON>'

which calls ``relkit.run`` — the same code path as ``relkit run``:
validation first, kernels, rendering, atomic publication, run.json — and
prints one JSON result line. The child leads its own process group; its
kernels (jupyter_client starts each in a session of its own) carry
JPY_PARENT_PID=<child pid>. A client that overruns its ``client_timeout``
gets SIGTERM (``relkit.run`` then removes its staging folder and shuts its
kernels down), then SIGKILL for the group and those kernels after a grace
period. A child that dies (signal, out of memory) fails that client only, its
leftover kernels are killed, and ``relkit.run``'s staging leaves the
client's previous deliverables intact.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from relkit.batch.jobs import ENGAGEMENT_FILE, Job

MARKER = "@@relkit-batch-result@@ "
GRACE_SECONDS = 5  # after SIGTERM, before the whole process group gets SIGKILL
POLL_SECONDS = 0.25


def one_line(text: str, limit: int = 600) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def identify(folder: str | Path) -> dict:
    """Client name, slug and language read straight from engagement.yaml.

    Deliberately not ``read_engagement``: full validation imports pandas (the
    budget rules) and costs seconds per process; the skip decision only needs
    these three values. A file too broken to read gives the folder's name;
    the run itself then reports every problem."""
    from slugify import slugify

    folder = Path(folder)
    name, lang = None, "fr"
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load((folder / ENGAGEMENT_FILE).read_text(encoding="utf-8"), Loader=loader)
        client = raw.get("client") if isinstance(raw, dict) else None
        if isinstance(client, dict) and isinstance(client.get("name"), str) and client["name"].strip():
            name = client["name"].strip()
        if isinstance(raw, dict) and raw.get("language") in ("fr", "en"):
            lang = raw["language"]
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        pass
    if name is None:
        return {"client": folder.name, "slug": slugify(folder.name) or "client", "language": lang, "identified": False}
    return {"client": name, "slug": slugify(name) or "client", "language": lang, "identified": True}


def _base(job: Job, ident: dict, lang: str, key: str | None) -> dict:
    return {
        "folder": job.folder, "client": ident["client"], "slug": ident["slug"], "lang": lang,
        "out_dir": str(Path(job.out) / ident["slug"]), "status": None, "reason": None,
        "pdf": None, "html": None, "xlsx": [], "pages": None, "figures": None, "seconds": 0.0, "key": key,
    }


def deliverables(out_dir: Path, info: dict | None = None) -> dict:
    """Paths of a published client's deliverables (from its run.json)."""
    from relkit.pipeline.fingerprint import recorded

    info = info if info is not None else recorded(out_dir) or {}
    found = {"pdf": None, "html": None, "xlsx": [], "pages": info.get("pages"), "figures": None,
             "finished_at": info.get("finished_at")}
    for kind in ("pdf", "html"):
        if info.get(kind) and (out_dir / info[kind]).is_file():
            found[kind] = str(out_dir / info[kind])
    found["xlsx"] = [str(p) for p in sorted(out_dir.glob("*.xlsx"))]
    if (out_dir / "figures.json").is_file():
        found["figures"] = str(out_dir / "figures.json")
    return found


def prepare(job: Job) -> dict:
    """The client's identity and run key; ``result`` is the skipped result when
    its deliverables are up to date (and ``job.force`` is off), else None."""
    from relkit.pipeline import fingerprint

    started = time.perf_counter()
    ident = identify(job.folder)
    lang = job.lang or ident["language"]
    key = None
    try:
        key = fingerprint.run_key(Path(job.folder), lang, job.notebooks, **({"final": True} if job.final else {}))
    except OSError:
        pass  # unreadable input: the run reports it
    base = _base(job, ident, lang, key)
    out_dir = Path(base["out_dir"])
    skipped = None
    if key and ident["identified"] and not job.force and fingerprint.up_to_date(out_dir, key):
        skipped = {**base, **deliverables(out_dir), "status": "skipped",
                   "seconds": round(time.perf_counter() - started, 4)}
    elif key and ident["identified"] and not job.force:
        # Inputs that failed validation and have not changed since fail the same way: say so
        # without starting a process (the batch still exits 1 for them).
        from relkit.batch.index import read_batch

        last = read_batch(job.out).get(ident["slug"], {})
        if last.get("status") == "failed" and last.get("invalid") and last.get("key") == key:
            skipped = {**base, **deliverables(out_dir), "status": "failed", "invalid": True,
                       "reason": last.get("reason"), "unchanged": True,
                       "seconds": round(time.perf_counter() - started, 4)}
    return {"ident": ident, "lang": lang, "key": key, "base": base, "result": skipped}


def run_job(job: Job, cancel: threading.Event | None = None) -> dict:
    """The per-client job: skipped, or run in a subprocess; never raises for a
    client's own failure (status "failed" and a one-line reason instead)."""
    from relkit.pipeline import fingerprint

    started = time.perf_counter()
    fingerprint.relkit_hash.cache_clear()  # a long-lived worker must see the relkit its run will use
    prepared = prepare(job)
    if prepared["result"] is not None:
        return prepared["result"]
    result = run_subprocess(job, prepared, cancel)
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result


def _child_env() -> dict:
    env = os.environ.copy()
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file():  # a checkout: the child imports this very relkit, whatever its cwd
        env["PYTHONPATH"] = str(root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _proc_stat(pid_dir: Path) -> tuple[str, int] | None:
    try:
        fields = (pid_dir / "stat").read_text().rsplit(")", 1)[1].split()
        return fields[0], int(fields[2])
    except (OSError, IndexError, ValueError):
        return None


def run_leftovers(run_pid: int) -> list[int]:
    """Live processes a run left behind (Linux /proc; [] elsewhere): its process
    group, and the kernels it launched — jupyter_client starts each kernel in
    its own session, marked with JPY_PARENT_PID=<the run's pid>."""
    found = []
    needle = f"JPY_PARENT_PID={run_pid}".encode()
    for pid_dir in Path("/proc").glob("[0-9]*"):
        stat = _proc_stat(pid_dir)
        if stat is None or stat[0] in ("Z", "X") or int(pid_dir.name) == os.getpid():
            continue
        if stat[1] == run_pid:
            found.append(int(pid_dir.name))
            continue
        try:
            environ = (pid_dir / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found.append(int(pid_dir.name))
    return sorted(found)


def _kernel_files(pids: list[int]) -> list[Path]:
    """Connection files and IPC sockets of the kernels among ``pids``: a
    kernel killed with SIGKILL cannot remove them itself."""
    files = []
    for pid in pids:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        conn = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "-f"), None)
        conn = conn or next((a.split("=", 1)[1] for a in argv if a.startswith("--f=")), None)
        if not conn:
            continue
        try:
            info = json.loads(Path(conn).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        files.append(Path(conn))
        if info.get("transport") == "ipc" and info.get("ip"):
            files += [Path(f"{info['ip']}-{info[k]}") for k in
                      ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port") if info.get(k)]
    return files


def _kill_group(pid: int) -> None:
    """SIGKILL whatever is left of a run: its process group and its kernels
    (each in a session of its own); then remove those kernels' connection
    files and IPC sockets, which a killed kernel cannot remove itself."""
    if os.name != "posix":
        return
    leftovers = run_leftovers(pid) if sys.platform.startswith("linux") else []
    files = _kernel_files(leftovers)
    for group in [pid, *leftovers]:
        try:
            os.killpg(group, signal.SIGKILL)  # a kernel leads its own group: its children go too
        except (ProcessLookupError, PermissionError):
            try:
                if group != pid:
                    os.kill(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    if files:
        time.sleep(0.1)
        for path in files:
            try:
                path.unlink()
            except OSError:
                pass


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the run (it cleans its staging folder and kernels), then SIGKILL
    the whole group if it is not gone after a grace period."""
    try:
        proc.terminate()
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    _kill_group(proc.pid)
    proc.wait()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _read(fh) -> str:
    fh.seek(0)
    return fh.read().decode("utf-8", errors="replace")


def run_subprocess(job: Job, prepared: dict, cancel: threading.Event | None) -> dict:
    """Run one client in its own `python -m relkit.batch.worker` process (own session), stop it
    on ``job.client_timeout`` or ``cancel``; its result dict, or a failed one with a one-line reason."""
    base = prepared["base"]
    payload = {**job.to_dict(), "lang": prepared["lang"]}
    cmd = [sys.executable, "-m", "relkit.batch.worker", json.dumps(payload, ensure_ascii=False)]
    stopped = None
    with tempfile.TemporaryFile() as out_f, tempfile.TemporaryFile() as err_f:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out_f, stderr=err_f, env=_child_env(),
                                start_new_session=os.name == "posix")
        deadline = time.monotonic() + job.client_timeout if job.client_timeout else None
        try:
            while True:
                try:
                    proc.wait(timeout=POLL_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    if deadline is not None and time.monotonic() > deadline:
                        stopped = f"stopped after the client timeout of {job.client_timeout:g} s"
                    elif cancel is not None and cancel.is_set():
                        stopped = "interrupted: the batch was stopped"
                    if stopped:
                        _stop(proc)
                        break
        except BaseException:  # Ctrl-C in this thread: never leave a run behind
            _stop(proc)
            raise
        rc = proc.returncode
        stdout, stderr = _read(out_f), _read(err_f)
    result = None
    for line in reversed(stdout.splitlines()):
        if MARKER in line:
            try:
                result = json.loads(line.split(MARKER, 1)[1])
            except ValueError:
                pass
            break
    if stopped is None and result is not None and rc == 0:
        return {**base, **result}
    # The run did not finish on its own: clean up after it.
    if os.name == "posix":
        _kill_group(proc.pid)
    _recover(job, base["slug"])
    if stopped:
        reason = stopped
    elif rc is not None and rc < 0:
        reason = f"the run process was killed (signal {-rc}, {_signal_name(-rc)})"
    else:
        tail = next((ln.strip() for ln in reversed(stderr.splitlines()) if ln.strip()), "")
        reason = f"the run process exited with code {rc} without a result" + (f": {tail}" if tail else "")
    return {**base, "status": "failed", "reason": one_line(reason), "pid": proc.pid}


def _recover(job: Job, slug: str) -> None:
    """Remove the staging folders a killed run left (the next run would too)."""
    from relkit.pipeline.publish import recover

    out = Path(job.out)
    working = Path(job.working) if job.working else out.parent / "working"
    for final in (out / slug, working / slug):
        try:
            if final.parent.exists():
                recover(final)
        except OSError:
            pass


# -- the child process -------------------------------------------------------------------

def _reason(exc: BaseException) -> str:
    from relkit.io.problems import ValidationFailed

    if isinstance(exc, ValidationFailed):
        problems = exc.problems
        if not problems:
            return one_line(str(exc))
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        return one_line(str(problems[0])) + more
    if type(exc).__name__ in ("NotebookFailed", "RenderFailed"):
        return one_line(str(exc))
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return one_line(f"{type(exc).__name__}: {exc}")


def execute(job: Job) -> dict:
    """Run one client here (in the child): ``relkit.run`` and its outcome as a dict."""
    from relkit.io.problems import ValidationFailed
    from relkit.pipeline.run import run

    started = time.perf_counter()
    try:
        res = run(job.folder, lang=job.lang, out=job.out, working=job.working, jobs=job.jobs, timeout=job.timeout,
                  notebooks=job.notebooks, progress=None, final=job.final)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - every failure becomes a one-line reason
        out = {"status": "failed", "reason": _reason(exc), "run_seconds": round(time.perf_counter() - started, 3)}
        if isinstance(exc, ValidationFailed):
            out["problems"] = [str(p) for p in exc.problems]
            out["invalid"] = True  # decided by the inputs alone: the same key fails the same way
        return out
    found = deliverables(res.out_dir)
    return {**found, "status": "ok", "reason": retried(res.out_dir), "client": res.client, "pdf": str(res.pdf),
            "html": str(res.html), "pages": res.pages, "run_seconds": round(res.seconds, 3), "timings": res.timings}


def retried(out_dir: Path) -> str | None:
    """For a run that succeeded: which workbooks needed a new kernel (run.json), so the
    batch's progress and summary say it instead of hiding it; None when none did."""
    from relkit.pipeline.fingerprint import recorded

    workbooks = (recorded(out_dir) or {}).get("workbooks") or {}
    names = [name for name, entry in workbooks.items() if isinstance(entry, dict) and entry.get("retries")]
    return one_line(f"kernel died and was retried: {', '.join(names)}") if names else None


def _terminate(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt  # relkit.run cleans its staging folder and kernels on the way out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    job = Job(**json.loads(argv[0]))
    signal.signal(signal.SIGTERM, _terminate)
    result = execute(job)
    sys.stdout.write("\n" + MARKER + json.dumps(result, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
