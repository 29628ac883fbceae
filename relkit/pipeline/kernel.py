"""Kernels that talk over Unix sockets (IPC) instead of TCP ports.

Parallel kernel starts can race for the same free TCP port (papermill#511,
jupyter_client#154). IPC has the same race in its own way: jupyter_client
numbers socket files ``<ip>-1``, ``<ip>-2``… from a shared prefix, checking
which exist. Each kernel here gets its own random prefix, so two kernels can
never pick the same socket, and nothing listens on the network (no "running
over TCP" warning either).
"""
from __future__ import annotations

import os
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager
from traitlets import CaselessStrEnum

USE_IPC = os.name == "posix"


class IPCKernelManager(AsyncKernelManager):
    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc" if USE_IPC else "tcp", config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.transport == "ipc":
            # Short path: Unix socket paths are limited to ~107 bytes.
            self.ip = os.path.join(tempfile.gettempdir(), f"rk-{uuid.uuid4().hex[:16]}")
