"""The process jupyter_client starts as the kernel when kernels are forked.

It asks the fork server (``forkserver``) for a kernel on the given
connection file, handing over its own stdin/stdout/stderr, working
directory and environment, then stands in for that kernel: a signal it
receives (interrupt, terminate) is passed on, and it exits with the
kernel's exit code once the kernel is gone. If the stub is killed outright,
the server sees its connection close and kills the kernel.

Started with ``python -S kernel_stub.py SOCKET CONNECTION_FILE``: standard
library only, nothing of relkit imported, so it costs milliseconds.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time


def _connect(path: str, timeout: float) -> socket.socket:
    """The server binds its socket once its imports are done: wait for it, but not
    for a run that is gone (interrupted while this kernel was starting): an orphan
    stub would hold the run's stderr open for ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    parent = int(os.environ.get("JPY_PARENT_PID") or os.getppid())  # set by jupyter_client: the run
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if time.monotonic() > deadline or os.getppid() != parent:
                raise
            time.sleep(0.02)


def main(path: str, connection_file: str, timeout: float = 180.0) -> int:
    sock = _connect(path, timeout)
    request = {"connection_file": connection_file, "cwd": os.getcwd(), "env": dict(os.environ)}
    socket.send_fds(sock, [json.dumps(request).encode()], [0, 1, 2])
    reader = sock.makefile("rb")
    pid = json.loads(reader.readline())["pid"]

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except OSError:
            pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, forward)
    line = reader.readline()
    if not line:  # the server died: so did the kernel (PR_SET_PDEATHSIG)
        return 1
    code = json.loads(line)["exit"]
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
