"""`relkit workshop` stops Voilà and every kernel on SIGTERM and SIGHUP, as on
Ctrl-C: nothing is left running and the port is free again."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT
from relkit.workshop.serve import free_port, port_in_use

pytestmark = pytest.mark.pipeline

LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never through a proxy


def _proc_stat(pid: int) -> list[str] | None:
    try:
        return open(f"/proc/{pid}/stat", encoding="utf-8").read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, start time) of every process below ``pid``: psutil if installed, else /proc."""
    try:
        import psutil
    except ImportError:
        children: dict[int, list[int]] = {}
        for name in os.listdir("/proc"):
            if name.isdigit() and (stat := _proc_stat(int(name))):
                children.setdefault(int(stat[1]), []).append(int(name))
        found, todo = [], [pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return [(p, (_proc_stat(p) or [""] * 20)[19]) for p in found]
    return [(p.pid, str(p.create_time())) for p in psutil.Process(pid).children(recursive=True)]


def _running(pid: int, started: str) -> bool:
    try:
        import psutil
    except ImportError:
        stat = _proc_stat(pid)
        return bool(stat) and stat[0] != "Z" and stat[19] == started
    try:
        p = psutil.Process(pid)
        return str(p.create_time()) == started and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _cmdline(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.skipif(not hasattr(signal, "SIGHUP") or not os.path.isdir("/proc"), reason="POSIX with /proc")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_relkit_workshop_stops_voila_and_its_kernels_on(signame, demo, tmp_path):
    port = free_port()
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with open(out, "wb") as o, open(err, "wb") as e:  # files: a leftover child cannot block a pipe read
        proc = subprocess.Popen([sys.executable, "-m", "relkit", "workshop", str(demo), "--port", str(port)],
                                stdout=o, stderr=e, stdin=subprocess.DEVNULL, cwd=ROOT)
    tree: list[tuple[int, str]] = []
    try:
        deadline = time.monotonic() + 180
        while f"http://127.0.0.1:{port}/" not in out.read_text(encoding="utf-8"):  # printed once Voilà answers
            assert proc.poll() is None and time.monotonic() < deadline, err.read_text(encoding="utf-8")
            time.sleep(0.2)
        assert port_in_use(port)
        with LOCAL.open(f"http://127.0.0.1:{port}/", timeout=180) as page:  # the page runs the notebook: a kernel
            assert page.status == 200
        tree = _descendants(proc.pid)
        commands = [_cmdline(pid) for pid, _ in tree]
        assert any("voila" in c for c in commands) and any("ipykernel" in c for c in commands), commands

        proc.send_signal(getattr(signal, signame))
        code = proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        left = [(pid, _cmdline(pid)) for pid, started in tree if _running(pid, started)]
        for pid, _ in left:
            os.kill(pid, signal.SIGKILL)
    assert code == 0, err.read_text(encoding="utf-8")
    assert not left, left
    assert "stopping the workshop server" in err.read_text(encoding="utf-8")
    assert not port_in_use(port)
