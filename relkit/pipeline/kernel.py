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

Warm kernels: a kernel spends most of its start importing pandas, matplotlib
and relkit. ``KernelPool`` starts kernels in background threads and runs those
imports silently (no history, no output, no names bound) while the parent
validates inputs and imports its own libraries; Papermill then executes the
notebook on that kernel. Every kernel runs exactly one notebook.

Matplotlib: kernels draw with Agg (MPLBACKEND), never the inline backend
ipykernel would pick, which displays every open figure at the end of a cell;
workbooks show their figures themselves.
"""
from __future__ import annotations

import asyncio
import os
import tempfile
import threading
import uuid
from concurrent.futures import Future
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import CaselessStrEnum

USE_IPC = os.name == "posix"
WARM_MODULES = ("relkit.workbooks.session",)


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


def kernel_environment() -> dict[str, str]:
    """This process's environment, with Matplotlib's Agg backend."""
    return {**os.environ, "MPLBACKEND": "Agg"}


def _start_warm(cwd: Path, modules: tuple[str, ...], timeout: float) -> IPCKernelManager:
    """Start a kernel and import ``modules`` in it; runs in its own thread and loop."""
    km = IPCKernelManager(kernel_name="python3")

    async def warm():
        await km.start_kernel(cwd=str(cwd), env=kernel_environment())
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

    def __init__(self, cwd: Path, modules: tuple[str, ...] = WARM_MODULES, timeout: float = 180):
        self.cwd, self.modules, self.timeout = Path(cwd), modules, timeout
        self._futures: list[Future] = []
        self._lock = threading.Lock()

    def prepare(self, n: int = 1) -> None:
        for _ in range(n):
            fut: Future = Future()

            def work(f=fut):
                try:
                    f.set_result(_start_warm(self.cwd, self.modules, self.timeout))
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
        return _start_warm(self.cwd, (), self.timeout)

    def close(self) -> None:
        """Shut down kernels nobody took (failure or interruption)."""
        with self._lock:
            futures, self._futures = self._futures, []
        for fut in futures:
            try:
                shutdown(fut.result(timeout=self.timeout))
            except Exception:
                pass


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
