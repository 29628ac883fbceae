"""One process that imports a kernel's libraries once and forks a kernel per notebook.

A kernel spends ~2 CPU-seconds importing ipykernel, pandas, Matplotlib and
relkit before it runs a line of a notebook; a run has six notebooks. The
fork server pays that once: it imports everything a workbook kernel needs,
then waits on a Unix socket. Each request (sent by ``kernel_stub``, the
process jupyter_client starts as "the kernel") is answered by ``fork()``:
the child starts an ordinary IPython kernel on the request's connection
file, with the stub's stdin/stdout/stderr, working directory and
environment. Every notebook still gets its own process and a fresh
namespace; only the imported modules are shared, copy-on-write.

The server is single-threaded (a ``fork()`` from a threaded process may
copy a held lock), tells each stub its kernel's pid and later its exit
code, kills a kernel whose stub went away (jupyter_client killed it), and
exits when the process that started it is gone. Linux only: kernels die
with the server (``PR_SET_PDEATHSIG``).

Usage (by ``relkit.pipeline.kernel``): ``python -m relkit.pipeline.forkserver SOCKET MODULE…``
"""
from __future__ import annotations

import ctypes
import gc
import importlib
import json
import os
import selectors
import signal
import socket
import sys

PR_SET_PDEATHSIG = 1
MAX_REQUEST = 1 << 20
# Every kernel of a run, forked or not. No IPython history: it would copy each
# cell run (the parameters name the client's folders) into the consultant's
# ~/.ipython history database, run after run.
KERNEL_ARGUMENTS = ("--HistoryManager.enabled=False",)


def die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:  # noqa: BLE001 - best effort; the stub also kills an orphan
        pass


def _write_stats() -> None:
    """For benchmarks (RELKIT_KERNEL_STATS=folder): this kernel's CPU-seconds
    so far, then every module it has loaded, one per line."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)  # a forked child starts from zero
    with open(os.path.join(os.environ["RELKIT_KERNEL_STATS"], f"{os.getpid()}.txt"), "w") as fh:
        fh.write(f"{r.ru_utime + r.ru_stime}\n" + "\n".join(sorted(sys.modules)))


def _kernel(request: dict, fds: list[int], closing: list) -> None:
    """In the forked child: become an IPython kernel; never returns."""
    code = 1
    gc.enable()  # off in the server (see serve): the kernel collects its own objects
    try:
        for item in closing:
            item.close()
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        die_with_parent()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["ipykernel_launcher", "-f", request["connection_file"], *KERNEL_ARGUMENTS]
        from ipykernel.kernelapp import IPKernelApp

        # ipykernel reads JPY_PARENT_PID when it is imported (here: in the
        # server, without it): pass it on, or the kernel thinks nobody
        # started it and prints its console banner.
        app = IPKernelApp.instance(parent_handle=int(os.environ.get("JPY_PARENT_PID") or 0))
        app.initialize(sys.argv[1:])
        if os.environ.get("RELKIT_KERNEL_STATS"):
            app.shell.events.register("post_run_cell", lambda *_: _write_stats())
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported on the stub's stderr
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(path: str, modules: list[str]) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # the debugger's import-time warning
    # The imported modules are shared with every kernel, copy-on-write: as the gc module's
    # documentation advises for a fork server, no collection while importing (no holes in
    # the shared pages), then the survivors frozen, so that a kernel's full collections
    # neither walk them nor write to their pages (which copies them).
    gc.disable()
    for name in ["ipykernel.kernelapp", *modules]:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional module: the kernel imports what it needs itself
            pass
    gc.freeze()
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path + ".tmp")
    listener.listen(16)
    os.rename(path + ".tmp", path)  # the stubs connect only once everything is imported
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(wake_r, selectors.EVENT_READ, "child")
    children: dict[int, socket.socket] = {}
    owners: dict[socket.socket, int] = {}
    try:
        while os.getppid() == parent:
            for key, _ in sel.select(timeout=1.0):
                if key.data == "accept":
                    conn, _ = listener.accept()
                    try:
                        msg, fds, _, _ = socket.recv_fds(conn, MAX_REQUEST, 3)
                        request = json.loads(msg)
                    except Exception:  # noqa: BLE001 - a broken request closes that connection only
                        conn.close()
                        continue
                    closing = [listener, conn, *owners, sel]
                    pid = os.fork()
                    if pid == 0:
                        os.close(wake_r)
                        os.close(wake_w)
                        _kernel(request, fds, closing)
                    for fd in fds:
                        os.close(fd)
                    children[pid], owners[conn] = conn, pid
                    sel.register(conn, selectors.EVENT_READ, "stub")
                    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
                elif key.data == "stub":  # the stub went away: its kernel goes too
                    conn = key.fileobj
                    if not conn.recv(1):
                        pid = owners.pop(conn)
                        sel.unregister(conn)
                        conn.close()
                        if pid in children:
                            children.pop(pid)
                            os.kill(pid, signal.SIGKILL)
                else:
                    try:
                        while os.read(wake_r, 512):
                            pass
                    except BlockingIOError:
                        pass
                    while True:
                        try:
                            pid, status = os.waitpid(-1, os.WNOHANG)
                        except ChildProcessError:
                            break
                        if pid == 0:
                            break
                        conn = children.pop(pid, None)
                        if conn is not None:
                            try:
                                conn.sendall(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
                            except OSError:
                                pass
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        while True:  # reaped here, so their CPU time counts in the run's (and no zombie outlives us)
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
            except InterruptedError:
                continue
        try:
            os.unlink(path)
        except OSError:
            pass


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
