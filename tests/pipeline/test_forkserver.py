"""Kernels forked from one pre-imported process: each still a process and a namespace of its own."""
import asyncio
import os
import signal
import sys
import time

import pytest

from relkit.pipeline.kernel import KernelPool, shutdown

pytestmark = [pytest.mark.pipeline,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux only")]


def _run(km, code: str, timeout: float = 60) -> dict:
    """Execute ``code`` on the kernel; the reply content and the text of its result."""

    async def go():
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=timeout)
            msg_id = kc.execute(code)
            result = None
            while True:
                msg = await kc.get_iopub_msg(timeout=timeout)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "execute_result":
                    result = msg["content"]["data"]["text/plain"]
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
            reply = await kc.get_shell_msg(timeout=timeout)
            return {"status": reply["content"]["status"], "ename": reply["content"].get("ename"), "result": result}
        finally:
            kc.stop_channels()

    return asyncio.run(go())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its parent is gone for our purpose
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


def _wait_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def pool(tmp_path):
    p = KernelPool(tmp_path, fork=True)
    yield p
    p.close()


def test_forked_kernels_share_imports_not_names(pool, tmp_path):
    first, second = pool.take(), pool.take()
    try:
        server = pool._server.process.pid
        a = _run(first, "import os, sys; x = 41; (os.getppid(), 'relkit.workbooks.session' in sys.modules, os.getcwd())")
        ppid, imported, cwd = eval(a["result"])
        assert (ppid, imported, cwd) == (server, True, str(tmp_path))  # forked, pre-imported, in the run's folder
        assert _run(first, "x + 1")["result"] == "42"
        b = _run(second, "x")
        assert (b["status"], b["ename"]) == ("error", "NameError")  # a namespace of its own
        pid_a = eval(_run(first, "os.getpid()")["result"])
        pid_b = eval(_run(second, "import os; os.getpid()")["result"])
        assert pid_a != pid_b
    finally:
        shutdown(first)
        shutdown(second)


def test_kernels_collect_their_garbage_but_not_the_shared_imports(pool):
    """The server freezes what it imported (its pages stay shared, a kernel's full collections
    skip them); each kernel has the cycle collector on for its own objects."""
    km = pool.take()
    try:
        got = _run(km, "import gc; (gc.isenabled(), gc.get_freeze_count() > 100_000)")
        assert got["result"] == "(True, True)"
    finally:
        shutdown(km)


def _in_own_pool(tmp_path, forked: bool, code: str) -> str:
    """``code``'s result in a kernel of a pool of its own (forked or not), pool closed after."""
    p = KernelPool(tmp_path, fork=forked)
    try:
        km = p.take()
        try:
            return _run(km, code)["result"]
        finally:
            shutdown(km)
    finally:
        p.close()


@pytest.mark.parametrize("forked", [True, False])
def test_kernels_keep_no_history(tmp_path, forked):
    """A run's cells (their parameters name the client's folders) stay out of ~/.ipython."""
    assert _in_own_pool(tmp_path, forked, "get_ipython().history_manager.enabled") == "False"


@pytest.mark.parametrize("forked", [True, False])
def test_kernels_hand_freed_arrow_memory_back_at_once(tmp_path, forked, monkeypatch):
    """Arrow's allocator (mimalloc) reads its purge delay when it starts: the server's
    environment for forked kernels, the kernel's own otherwise. A value the user set wins."""
    from relkit.pipeline.kernel import kernel_environment

    monkeypatch.delenv("MIMALLOC_PURGE_DELAY", raising=False)
    assert kernel_environment()["MIMALLOC_PURGE_DELAY"] == "0"
    assert _in_own_pool(tmp_path, forked, "import os; os.environ.get('MIMALLOC_PURGE_DELAY')") == "'0'"
    monkeypatch.setenv("MIMALLOC_PURGE_DELAY", "250")
    assert kernel_environment()["MIMALLOC_PURGE_DELAY"] == "250"


def test_kernels_draw_with_agg(pool):
    km = pool.take()
    try:
        assert _run(km, "import matplotlib; matplotlib.get_backend().lower()")["result"] == "'agg'"
    finally:
        shutdown(km)


def test_an_interrupt_reaches_the_forked_kernel(pool):
    km = pool.take()
    try:
        _run(km, "1")

        async def interrupt_later():
            await asyncio.sleep(1.0)
            await km.interrupt_kernel()

        async def both():
            kc = km.client()
            kc.start_channels()
            try:
                msg_id = kc.execute("import time; time.sleep(60)")
                asyncio.ensure_future(interrupt_later())
                while True:
                    reply = await kc.get_shell_msg(timeout=30)
                    if reply["parent_header"].get("msg_id") == msg_id:
                        return reply["content"]
            finally:
                kc.stop_channels()

        started = time.monotonic()
        content = asyncio.run(both())
        assert (content["status"], content["ename"]) == ("error", "KeyboardInterrupt")
        assert time.monotonic() - started < 20
    finally:
        shutdown(km)


def test_a_killed_stub_takes_its_kernel_with_it(pool):
    km = pool.take()
    kernel_pid = eval(_run(km, "import os; os.getpid()")["result"])
    stub_pid = km.provisioner.pid
    assert stub_pid != kernel_pid
    os.kill(stub_pid, signal.SIGKILL)
    assert _wait_gone(kernel_pid)
    shutdown(km)


def test_a_kernel_that_exits_ends_its_stub_with_its_code(pool):
    km = pool.take()
    _run(km, "1")
    stub = km.provisioner.process
    try:
        _run(km, "import os; os._exit(3)", timeout=5)
    except Exception:  # noqa: BLE001 - no reply: the kernel is gone
        pass
    assert stub.wait(timeout=10) == 3
    shutdown(km)


def test_closing_the_pool_stops_the_server_and_its_kernels(tmp_path):
    p = KernelPool(tmp_path, fork=True)
    km = p.take()
    kernel_pid = eval(_run(km, "import os; os.getpid()")["result"])
    server = p._server.process
    p.close()
    assert server.wait(timeout=10) is not None
    assert _wait_gone(kernel_pid)
    assert not os.path.exists(p._server.path)
    shutdown(km)


def test_without_a_server_kernels_start_as_usual(tmp_path):
    p = KernelPool(tmp_path, fork=True)
    try:
        p._server.process.kill()
        p._server.process.wait()
        km = p.take()
        try:
            ppid = eval(_run(km, "import os; os.getppid()")["result"])
            assert ppid == os.getpid()  # started by this process, not forked
        finally:
            shutdown(km)
    finally:
        p.close()


def test_ctrl_c_while_a_kernel_starts_leaves_it_to_close(tmp_path, monkeypatch):
    """Interrupted in take(), the kernel still starting is not lost: close() waits for it
    and shuts it down (else it outlives the run, holding its stderr open)."""
    from relkit.pipeline import kernel

    p = KernelPool(tmp_path, fork=False)
    km = object()
    monkeypatch.setattr(p, "_start", lambda modules: (time.sleep(0.6), km)[1])
    stopped = []
    monkeypatch.setattr(kernel, "shutdown", stopped.append)

    def interrupt(*_):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        p.prepare(1)
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with pytest.raises(KeyboardInterrupt):
            p.take()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert stopped == []
    p.close()
    assert stopped == [km]


def test_a_stub_whose_run_is_gone_stops_waiting_for_the_server(tmp_path):
    """A stub started just before the run was interrupted finds no server: it gives up when
    its parent is gone, not after the 180 s it would wait for a server still importing."""
    import subprocess

    from relkit.pipeline.kernel import STUB

    parent = subprocess.run(
        [sys.executable, "-c", "import os, subprocess, sys; p = subprocess.Popen([sys.executable, '-S', sys.argv[1], "
         "sys.argv[2], sys.argv[3]], stderr=subprocess.DEVNULL, env={**os.environ, 'JPY_PARENT_PID': str(os.getpid())}); "
         "print(p.pid)",
         str(STUB), str(tmp_path / "no-server"), str(tmp_path / "kernel.json")],
        capture_output=True, text=True, check=True, timeout=60)
    stub = int(parent.stdout)
    assert _wait_gone(stub, seconds=10)
