"""Serving the workshop notebook: Voilà for the room (no code, client-facing),
JupyterLab for the consultant (``lab=True``).

The server is a child process of the same Python (``python -m voila`` /
``python -m jupyterlab``), bound to 127.0.0.1. The engagement folder and
language reach the notebook through the environment (RELKIT_ENGAGEMENT,
RELKIT_LANG), which the kernels inherit.

Stopping: Ctrl-C, SIGTERM and SIGHUP (the terminal closed) all take the same
path: relkit terminates the server, which shuts its kernels down; whatever
is left of the server's process tree after ``STOP_TIMEOUT`` is killed. The
server runs in its own session, so only relkit receives those signals.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from relkit.io.resources import NOTEBOOKS_DIR
from relkit.workshop import process_tree

NOTEBOOK = NOTEBOOKS_DIR / "workshop" / "atelier.ipynb"
HOST = "127.0.0.1"
_local = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an HTTP proxy
START_TIMEOUT = 120  # seconds for the server to answer (first start compiles assets, loads kernelspecs)
STOP_TIMEOUT = 10  # seconds between terminate and kill
# Signals that stop ``serve`` as Ctrl-C does (SIGHUP: the terminal was closed).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class CannotServe(ValueError):
    """The workshop cannot be served: no such folder, no engagement.yaml, a
    port out of range. Nothing was started; the CLI prints it and exits with 2."""

    exit_code = 2


def check_request(folder: Path | str, port: int | None = None) -> None:
    """Raise CannotServe if ``folder`` is not an engagement folder or ``port`` is out of range."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CannotServe(f"{folder}: no such engagement folder")
    if not (folder / "engagement.yaml").is_file():
        raise CannotServe(f"{folder}: no engagement.yaml (relkit new creates one)")
    if port is not None and not 0 < port < 65536:
        raise CannotServe(f"--port must be between 1 and 65535, got {port}")


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    """Someone listens on ``port`` (a port left in TIME_WAIT by a stopped server does not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return True
    return False


@dataclass
class Server:
    """A started server: the child process, its URL, where it logs."""

    process: subprocess.Popen
    url: str
    probe: str  # a cheap URL that answers without running the notebook
    log: Path | None = None

    def log_tail(self, lines: int = 40) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def command(lab: bool, port: int, notebook: Path = NOTEBOOK, token: str = "") -> list[str]:
    """The server command line (same interpreter as relkit)."""
    if lab:
        root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []  # containers, CI
        return [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ip={HOST}", f"--port={port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", *root, str(notebook.parent)]
    return [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}", f"--Voila.ip={HOST}",
            "--Voila.port_retries=0", "--strip_sources=True", "--theme=light"]


def environment(folder: Path | str, lang: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["RELKIT_ENGAGEMENT"] = str(Path(folder).resolve())
    if lang:
        env["RELKIT_LANG"] = lang
    else:
        env.pop("RELKIT_LANG", None)  # an inherited value must not override the engagement's language
    env.setdefault("MPLBACKEND", "Agg")
    return env


def start(folder: Path | str, lab: bool = False, port: int | None = None, lang: str | None = None,
          log: Path | None = None, notebook: Path = NOTEBOOK) -> Server:
    """Start the server (not waiting for it). ``log``: a file for its output
    (default: inherit this process's terminal)."""
    folder = Path(folder)
    if not (folder / "engagement.yaml").is_file():
        raise FileNotFoundError(f"{folder}: not an engagement folder (no engagement.yaml)")
    if lang not in (None, "fr", "en"):
        raise ValueError(f"lang must be fr or en, got {lang!r}")
    if port and port_in_use(port):  # else the probe could take another server's answer for ours
        raise RuntimeError(f"port {port} is already in use on {HOST}: choose another with --port, or leave it out")
    port = port or free_port()
    token = secrets.token_urlsafe(24) if lab else ""
    out = open(log, "ab") if log is not None else None  # noqa: SIM115 - the child keeps its own copy
    try:
        process = subprocess.Popen(
            command(lab, port, notebook, token), cwd=notebook.parent, env=environment(folder, lang),
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT if out else None,
            start_new_session=True)  # Ctrl-C reaches relkit only; relkit then stops the server and its kernels
    finally:
        if out is not None:
            out.close()
    base = f"http://{HOST}:{port}"
    if lab:
        return Server(process, f"{base}/lab/tree/{notebook.name}?token={token}", f"{base}/api", log)
    return Server(process, f"{base}/", f"{base}/voila/static/", log)


def wait_until_ready(server: Server, timeout: float = START_TIMEOUT) -> None:
    """Return once the server answers HTTP; raise if it died or took too long."""
    deadline = time.monotonic() + timeout
    while True:
        code = server.process.poll()
        if code is not None:
            raise RuntimeError(f"the workshop server stopped before answering (exit code {code})\n{server.log_tail()}")
        try:
            with _local.open(server.probe, timeout=2):
                return
        except urllib.error.HTTPError:  # any HTTP answer means it is up
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            stop(server)
            raise TimeoutError(f"the workshop server did not answer within {timeout:.0f} s\n{server.log_tail()}")
        time.sleep(0.2)


def stop(server: Server, timeout: float = STOP_TIMEOUT) -> int:
    """Terminate the server (it shuts its kernels down), kill it and its
    process group after ``timeout``, then any process it started (its
    kernels) still running; returns its exit code (128+signal when killed by one)."""
    process = server.process
    tree = process_tree.descendants(process.pid) if process.poll() is None else []
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):  # kernels left behind, if any
        os.killpg(process.pid, signal.SIGKILL)
    process_tree.reap(tree, timeout)
    code = process.returncode
    return 128 - code if code < 0 else code


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def signals_as_ctrl_c(handler=_interrupt, signals: tuple = STOP_SIGNALS) -> Iterator[None]:
    """Within the block, ``signals`` call ``handler`` (default: raise
    KeyboardInterrupt, as Ctrl-C does); the previous handlers come back on
    exit. Signal handlers belong to the main thread: elsewhere, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    try:
        for sig in signals:
            previous[sig] = signal.signal(sig, handler)
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def serve(folder: Path | str, lab: bool = False, port: int | None = None, lang: str | None = None,
          open_browser: bool = False) -> int:
    """Serve the workshop of one engagement until Ctrl-C, SIGTERM or SIGHUP;
    returns the server's exit code.

    Voilà by default (the editors without code, for the room); ``lab=True``
    opens the workshop notebook in JupyterLab instead. Raises CannotServe
    (nothing started) for a folder without engagement.yaml or a port out of
    range, RuntimeError or TimeoutError if the server did not start."""
    check_request(folder, port)
    with signals_as_ctrl_c():
        server = start(folder, lab=lab, port=port, lang=lang)
        try:
            wait_until_ready(server)
            print(f"relkit: workshop for {Path(folder)} at {server.url}", flush=True)
            print("relkit: press Ctrl-C to stop", flush=True)
            if open_browser:
                webbrowser.open(server.url)
            server.process.wait()
        except KeyboardInterrupt:
            with contextlib.suppress(OSError):  # SIGHUP: the terminal may be gone
                print("\nrelkit: stopping the workshop server…", file=sys.stderr, flush=True)
        finally:
            # a second signal must not cut the shutdown short and leave the server behind
            with signals_as_ctrl_c(signal.SIG_IGN, (signal.SIGINT, *STOP_SIGNALS)):
                code = stop(server)
    return code


@contextlib.contextmanager
def running(folder: Path | str, lab: bool = False, port: int | None = None, lang: str | None = None,
            timeout: float = START_TIMEOUT, log: Path | None = None) -> Iterator[str]:
    """``with running(folder) as url:`` a started, answering server, stopped on exit.
    Its output goes to ``log`` (default: a temporary file, quoted in errors)."""
    owned = log is None
    if owned:
        handle, name = tempfile.mkstemp(prefix="relkit-workshop-", suffix=".log")
        os.close(handle)
        log = Path(name)
    server = start(folder, lab=lab, port=port, lang=lang, log=log)
    try:
        wait_until_ready(server, timeout)
        yield server.url
    finally:
        stop(server)
        if owned:
            log.unlink(missing_ok=True)
