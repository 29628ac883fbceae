"""The processes a server started, found and stopped by pid.

Jupyter starts every kernel in a session of its own, so killing the server's
process group does not reach them: ``descendants`` lists the whole tree
before the server is stopped, ``reap`` waits for what is left and kills it.
psutil is used when installed (it comes with distributed); else /proc is read,
and a pid is matched with its start time so a later process reusing it is
never killed.
"""
from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path


def descendants(pid: int) -> list:
    """Every process below ``pid`` now (children, grandchildren…), as handles
    for ``alive``/``kill``: psutil's when installed, else read from /proc
    (pid, start time); [] where neither is available. Kernels run in sessions
    of their own, out of reach of the server's process group."""
    try:
        import psutil
    except ImportError:
        return [(child, _started(child)) for child in _proc_children(pid)]
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _started(pid: int) -> str | None:
    """The start time of ``pid`` from /proc (tells a process from a later one with the same pid)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _proc_children(pid: int) -> list[int]:
    if not os.path.isdir("/proc"):
        return []
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                ppid = int(Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(handle) -> bool:
    """A process from ``descendants`` still runs (a zombie does not count)."""
    if isinstance(handle, tuple):
        pid, started = handle
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state != "Z" and _started(pid) == started
    import psutil

    try:
        return handle.is_running() and handle.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def kill(handle) -> None:
    """SIGKILL a process from ``descendants`` (gone already: nothing happens)."""
    if isinstance(handle, tuple):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(handle[0], signal.SIGKILL)
        return
    import psutil

    with contextlib.suppress(psutil.Error):
        handle.kill()


def reap(handles: list, timeout: float) -> None:
    """Wait up to ``timeout`` for ``handles`` to end, then kill the survivors."""
    deadline = time.monotonic() + timeout
    while any(alive(h) for h in handles) and time.monotonic() < deadline:
        time.sleep(0.1)
    for h in handles:
        if alive(h):
            kill(h)
