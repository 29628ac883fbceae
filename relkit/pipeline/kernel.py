"""Kernels that talk over Unix sockets (IPC) instead of TCP ports.

Parallel kernel starts can race for the same free TCP port (papermill#511,
jupyter_client#154); IPC sockets are files with unique names, so they cannot
collide, and nothing listens on the network (no "running over TCP" warning).
"""
from __future__ import annotations

import os

from jupyter_client.manager import AsyncKernelManager
from traitlets import CaselessStrEnum


class IPCKernelManager(AsyncKernelManager):
    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc" if os.name == "posix" else "tcp", config=True)
