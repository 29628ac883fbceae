"""Kernels for the pipeline: IPC sockets, started and warmed ahead of time.

IPC: parallel kernel starts can race for the same free TCP port
(papermill#511, jupyter_client#154). IPC has the same race in its own way:
jupyter_client numbers socket files ``<ip>-1``, ``<ip>-2``… from a shared
prefix, checking which exist. Each kernel here gets its own random prefix, so
two kernels can never pick the same socket, and nothing listens on the network
(no "running over TCP" warning either).

Working directory: Papermill's ``cwd=`` changes the *process* directory
(os.chdir), which is unsafe with notebooks running in threads; relkit starts
every kernel itself with its own ``cwd`` and hands it to Papermill instead.

Forked kernels: a kernel spends ~2 CPU-seconds importing ipykernel, pandas,
Matplotlib and relkit. On Linux ``KernelPool`` starts one fork server
(``forkserver``) that does those imports once, while the parent validates
inputs and imports its own libraries; each kernel is then a ``fork()`` of it
(``ForkKernelManager`` starts ``kernel_stub`` as the kernel's process).
Elsewhere, or if the server cannot start, kernels start as usual and run the
imports silently (no history, no output, no names bound) in background
threads. Either way every kernel runs exactly one notebook, in its own
process and namespace.

Matplotlib: kernels draw with Agg (MPLBACKEND), never the inline backend
ipykernel would pick, which displays every open figure at the end of a cell;
workbooks show their figures themselves.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import Future
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import CaselessStrEnum

from relkit.pipeline.forkserver import KERNEL_ARGUMENTS

USE_IPC = os.name == "posix"
USE_FORK = sys.platform.startswith("linux") and os.environ.get("RELKIT_FORK_KERNELS", "1") != "0"
WARM_MODULES = ("relkit.workbooks.session",)
FORK_MODULES = (
    # the kernel itself, its debugger and the IPython parts it loads on start
    "ipykernel.ipkernel", "ipykernel.debugger", "IPython.core.debugger", "IPython.core.completerlib",
    "IPython.extensions.storemagic", "sqlite3",
    # what the workbook notebooks import (relkit/notebooks/*.ipynb) and load while they run
    "IPython.display", "relkit.workbooks.session", "relkit.workbooks.summary", "relkit.workbooks.diagnostic",
    "relkit.workbooks.competitors", "relkit.workbooks.customers", "relkit.workbooks.personas",
    "relkit.workbooks.journey", "relkit.workbooks.collection", "relkit.workbooks.data_kinds", "relkit.workbooks.plan",
    "relkit.workbooks.key_dates", "relkit.workbooks.deployment", "relkit.intake.imports",
    "relkit.views.charts.deployment", "relkit.views.charts.scenarios", "relkit.views.charts.data_kinds",
    "seaborn", "matplotlib.backends.backend_agg", "pyarrow.feather", "pyarrow.csv", "pandas.io.formats.html",
    "pandas.io.formats.csvs", "PIL.PngImagePlugin", "PIL.JpegImagePlugin", "PIL.GifImagePlugin", "PIL.BmpImagePlugin",
    "PIL.PpmImagePlugin", "PIL.features", "openpyxl.packaging.extended", "markdown_it", "phonenumbers.data.region_FR",
)
STUB = Path(__file__).with_name("kernel_stub.py")


def _transport():
    return CaselessStrEnum(["tcp", "ipc"], default_value="ipc" if USE_IPC else "tcp", config=True)


class _IPCMixin:
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.transport == "ipc":
            # Short path: Unix socket paths are limited to ~107 bytes.
            self.ip = os.path.join(tempfile.gettempdir(), f"rk-{uuid.uuid4().hex[:16]}")


class IPCKernelManager(_IPCMixin, AsyncKernelManager):
    """The kernel manager of every pipeline kernel (asynchronous, as nbclient
    needs to notice a dead kernel while it waits for output)."""

    transport = _transport()


class ForkKernelManager(IPCKernelManager):
    """A kernel forked from the fork server listening on ``server``: jupyter_client
    starts (and signals, and kills) ``kernel_stub``, which stands in for it."""

    def __init__(self, server: str, **kwargs):
        super().__init__(**kwargs)
        self._server = server

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        return [sys.executable, "-S", str(STUB), self._server, os.path.realpath(self.connection_file)]


class ForkServer:
    """The process that imports ``modules`` once and forks a kernel per request."""

    def __init__(self, modules: tuple[str, ...]):
        self.path = os.path.join(tempfile.gettempdir(), f"rk-fork-{uuid.uuid4().hex[:16]}")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "relkit.pipeline.forkserver", self.path, *modules],
            env=kernel_environment(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)

    def alive(self) -> bool:
        return self.process.poll() is None

    def ready(self, timeout: float) -> bool:
        """Wait until the server listens (its imports done); False if it died or took too long."""
        deadline = time.monotonic() + timeout
        while not os.path.exists(self.path):
            if not self.alive() or time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def close(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for leftover in (self.path, self.path + ".tmp"):
            try:
                os.unlink(leftover)
            except OSError:
                pass


def start_fork_server(modules: tuple[str, ...] = WARM_MODULES, fork: bool | None = None) -> ForkServer | None:
    """The fork server, started now so that its imports (~3 s) overlap whatever the
    caller does next (``run`` validates the inputs); None where kernels are not forked
    (``fork`` overrides the platform's default, for tests)."""
    if not (USE_FORK if fork is None else fork):
        return None
    try:
        return ForkServer(tuple(dict.fromkeys(FORK_MODULES + modules)))
    except OSError:
        return None


# Arrow's allocator (mimalloc) hands freed memory back to the system only after a
# delay and at its next call: a kernel reading a million-customer file kept ~700 MB
# its hash tables had freed while the duplicate search ran beside it. Handed back at
# once: peak 3 037-3 086 MB -> 2 885-2 925 MB on benchmarks/customers.py at 1 M,
# time within the machine's noise. A value the user set wins.
ALLOCATOR_ENVIRONMENT = {"MIMALLOC_PURGE_DELAY": "0"}


def kernel_environment() -> dict[str, str]:
    """This process's environment, with Matplotlib's Agg backend and the allocator settings."""
    return {**ALLOCATOR_ENVIRONMENT, **os.environ, "MPLBACKEND": "Agg"}


def _start_warm(cwd: Path, modules: tuple[str, ...], timeout: float, server: str | None = None) -> IPCKernelManager:
    """Start a kernel (forked from ``server`` if given) and import ``modules`` in
    it; runs in its own thread and loop."""
    km = ForkKernelManager(server, kernel_name="python3") if server else IPCKernelManager(kernel_name="python3")

    async def warm():
        await km.start_kernel(cwd=str(cwd), env=kernel_environment(), extra_arguments=list(KERNEL_ARGUMENTS))
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=timeout)
            if modules:
                code = "; ".join(f"__import__({m!r})" for m in modules)
                msg_id = kc.execute(code, silent=True, store_history=False)
                while True:
                    reply = await kc.get_shell_msg(timeout=timeout)
                    if reply["parent_header"].get("msg_id") == msg_id:
                        break
        finally:
            kc.stop_channels()

    try:
        asyncio.run(warm())
    except BaseException:
        shutdown(km)
        raise
    return km


class KernelPool:
    """Warm kernels on demand: ``prepare(n)`` starts n in the background,
    ``take()`` hands one over (or None if none could be started)."""

    def __init__(self, cwd: Path, modules: tuple[str, ...] = WARM_MODULES, timeout: float = 180,
                 fork: bool | None = None, server: ForkServer | None = None):
        """``server``: one started earlier (``start_fork_server``), closed with the pool."""
        self.cwd, self.modules, self.timeout = Path(cwd), modules, timeout
        self._futures: list[Future] = []
        self._lock = threading.Lock()
        self._server: ForkServer | None = server if server is not None else start_fork_server(modules, fork)

    def _start(self, modules: tuple[str, ...]) -> IPCKernelManager:
        """A forked kernel while the server lives (its imports are done there), else a plain one."""
        if self._server is not None and self._server.ready(self.timeout):
            try:
                return _start_warm(self.cwd, (), self.timeout, self._server.path)
            except Exception:  # noqa: BLE001 - fall back to a kernel of its own
                pass
        return _start_warm(self.cwd, modules, self.timeout)

    def prepare(self, n: int = 1) -> None:
        for _ in range(n):
            fut: Future = Future()

            def work(f=fut):
                try:
                    f.set_result(self._start(self.modules))
                except BaseException as exc:  # noqa: BLE001 - reported through the future
                    f.set_exception(exc)

            threading.Thread(target=work, name="relkit-warm-kernel", daemon=True).start()
            with self._lock:
                self._futures.append(fut)

    def take(self) -> IPCKernelManager:
        """A warm kernel if one was prepared and started, else a plain one
        started now; either way its working directory is ``cwd``."""
        with self._lock:
            fut = self._futures.pop(0) if self._futures else None
        if fut is not None:
            try:
                return fut.result(timeout=self.timeout)
            except Exception:
                pass
            except BaseException:  # Ctrl-C while it starts: close() shuts it down once it is up
                with self._lock:
                    self._futures.insert(0, fut)
                raise
        return self._start(())

    def close(self) -> None:
        """Shut down kernels nobody took (failure or interruption), then the fork server."""
        with self._lock:
            futures, self._futures = self._futures, []
        for fut in futures:
            try:
                shutdown(fut.result(timeout=self.timeout))
            except Exception:
                pass
        if self._server is not None:
            self._server.close()


def shutdown(km: AsyncKernelManager | None) -> None:
    """Stop a kernel we started and remove its connection and socket files."""
    if km is None:
        return
    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
        else:
            run_sync(km.cleanup_resources)()
    except Exception:
        pass
