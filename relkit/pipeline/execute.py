"""Execute workbook notebooks with Papermill, independent ones in parallel."""
from __future__ import annotations

import logging
import os
import re
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from relkit.workbooks.registry import WorkbookSpec
from relkit.pipeline.kernel import KernelPool, shutdown

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookFailed(Exception):
    """A workbook failed: which one, which cell, and the error in one paragraph."""

    exit_code = 1

    def __init__(self, workbook: str, cell: int | None, summary: str, source_line: str = ""):
        self.workbook, self.cell, self.summary = workbook, cell, summary
        where = f"{workbook}.ipynb" + (f", cell {cell}" if cell is not None else "")
        if source_line:
            where += f" (`{source_line}`)"
        super().__init__(f"{where} failed: {summary}")


@dataclass
class Executed:
    spec: WorkbookSpec
    output: Path
    seconds: float
    status: str = "ok"
    retries: int = 0                  # kernels that died before one finished the notebook
    retry_reason: str | None = None   # why the last one died
    waited: float = 0.0               # of ``seconds``, waiting for a kernel (the first ones wait for its imports)

    def record(self) -> dict:
        """This workbook's entry in run.json: a retried kernel is never silent."""
        entry = {"status": self.status, "seconds": round(self.seconds, 3), "retries": self.retries,
                 "kernel_wait": round(self.waited, 3)}
        if self.retries:
            entry["retry_reason"] = self.retry_reason
        return entry

    def done_line(self) -> str:
        """The end of the progress line: time, and the retry if there was one."""
        text = f"done in {self.seconds:.1f} s"
        if self.retries:
            times = "once" if self.retries == 1 else f"{self.retries} times"
            text += f" (kernel died and was retried {times}: {self.retry_reason})"
        return text


def _cell_number(output_nb: Path, index: int) -> tuple[int | None, str]:
    """1-based position of the failing cell in the *source* notebook and its
    first line. Papermill adds cells to what it saves (injected parameters, an
    error banner), so the failing cell is found by its error output."""
    import nbformat  # noqa: PLC0415 - see relkit.pipeline.startup

    try:
        nb = nbformat.read(output_nb, as_version=4)
    except Exception:
        return None, ""
    added = ("injected-parameters", "papermill-error-cell-tag")
    source_cells = [c for c in nb.cells if not any(t in c.metadata.get("tags", []) for t in added)]
    for number, cell in enumerate(source_cells, start=1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
            return number, first[:80]
    return None, ""


def _one_paragraph(ename: str, evalue: str) -> str:
    text = " ".join(_ANSI.sub("", f"{ename}: {evalue}").split())
    return text if len(text) <= 600 else text[:597] + "…"


def execute_one(spec: WorkbookSpec, output: Path, parameters: dict, pool: KernelPool, timeout: int | None,
                retries: int = 1, progress: Callable[[str], None] | None = None) -> Executed:
    """Run one notebook on a kernel from ``pool`` (shut down afterwards);
    raise NotebookFailed with a readable reason. A kernel that dies (killed,
    out of memory) is replaced and the notebook run again, ``retries`` times;
    each retry is told to ``progress`` and recorded in the result (run.json)."""
    start = time.perf_counter()
    logging.getLogger("papermill").setLevel(logging.WARNING)
    died_reason, retried, waited = None, 0, 0.0
    for attempt in range(retries + 1):
        try:
            waited += _execute_once(spec, output, parameters, pool, timeout)
            break
        except _KernelDied as died:
            if attempt == retries:
                raise NotebookFailed(spec.id, None, died.reason + (f" (tried {retries + 1} times)" if retries else "")) from None
            died_reason, retried = died.reason, attempt + 1
            if progress is not None:
                progress(f"{spec.id}: {died.reason}; retrying on a new kernel …")
            else:
                logging.getLogger("relkit").warning("%s: %s; retrying on a new kernel", spec.id, died.reason)
    return Executed(spec, output, time.perf_counter() - start, retries=retried, retry_reason=died_reason, waited=waited)


class _KernelDied(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _execute_once(spec: WorkbookSpec, output: Path, parameters: dict, pool: KernelPool, timeout: int | None) -> float:
    """Run the notebook once; returns the seconds spent waiting for the kernel."""
    # imported here: papermill imports nbformat, hence jsonschema (see relkit.pipeline.startup)
    import papermill  # noqa: PLC0415
    from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: PLC0415
    from papermill.exceptions import PapermillExecutionError  # noqa: PLC0415

    asked = time.perf_counter()
    try:
        km = pool.take()
    except Exception as exc:
        raise NotebookFailed(spec.id, None, f"the Python kernel could not start: {_one_paragraph(type(exc).__name__, str(exc))}") from None
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(spec.path), str(output), parameters=parameters, kernel_name="python3", km=km,
            progress_bar=False, log_output=False, execution_timeout=timeout, request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        number, first = _cell_number(output, exc.cell_index)
        raise NotebookFailed(spec.id, number, _one_paragraph(exc.ename, exc.evalue), first) from None
    except CellTimeoutError as exc:
        raise NotebookFailed(spec.id, None, f"a cell ran longer than the {timeout} s timeout ({exc})") from None
    except DeadKernelError:
        raise _KernelDied("the Python kernel died (killed, or out of memory) before the notebook finished") from None
    except RuntimeError as exc:
        if "Kernel died" in str(exc) or "kernel" in str(exc).lower():
            raise _KernelDied(f"the Python kernel died: {_one_paragraph('RuntimeError', str(exc))}") from None
        raise
    finally:
        shutdown(km)
    return started - asked


def execute_all(specs: list[WorkbookSpec], outdir: Path, parameters: Callable[[WorkbookSpec], dict], pool: KernelPool,
                timeout: int | None = None, jobs: int | None = None,
                progress: Callable[[str], None] = lambda msg: None, prepared: int = 0,
                on_done: Callable[[Executed], None] | None = None,
                expected: Mapping[str, float] | None = None) -> list[Executed]:
    """Run every workbook, starting each as soon as the ones it depends on are done,
    the longest first (``expected`` seconds by id, else the spec's own figure): on two
    kernels the short ones then fill in beside the long ones instead of leaving one
    long notebook running alone at the end. Results come back in ``specs`` order.
    The first failure stops scheduling new work and is raised once running ones end.
    ``pool`` already warms ``prepared`` kernels; each time a notebook starts and
    more remain than kernels warming, one more kernel is warmed. ``on_done`` is called
    with each finished notebook (the parent renders its page while the others run)."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(specs)))
    pending = list(specs)
    done: dict[str, Executed] = {}
    total = len(specs)
    warming = [prepared]
    started = [0]

    def warm_ahead():
        started[0] += 1
        warming[0] = max(0, warming[0] - 1)
        if total - started[0] > warming[0]:
            pool.prepare(1)
            warming[0] += 1

    def ready():
        runnable = [s for s in pending if all(d in done for d in s.depends_on)]
        return sorted(runnable, key=lambda s: -(expected or {}).get(s.id, s.seconds))  # stable: report order on ties

    if jobs == 1:  # no threads: Ctrl-C reaches the kernel client directly
        for spec in specs:
            progress(f"[{len(done) + 1}/{total}] {spec.id} …")
            warm_ahead()
            res = execute_one(spec, outdir / spec.path.name, parameters(spec), pool, timeout, progress=progress)
            done[spec.id] = res
            progress(f"[{len(done)}/{total}] {spec.id} {res.done_line()}")
            if on_done is not None:
                on_done(res)
        return [done[s.id] for s in specs]

    failure: NotebookFailed | None = None
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="relkit-nb") as threads:
        running = {}
        while pending or running:
            if failure is None:
                for spec in ready():
                    if len(running) >= jobs:
                        break
                    pending.remove(spec)
                    progress(f"[{len(done) + len(running) + 1}/{total}] {spec.id} …")
                    warm_ahead()
                    running[threads.submit(execute_one, spec, outdir / spec.path.name, parameters(spec), pool, timeout,
                                           progress=progress)] = spec
            else:
                pending.clear()
            if not running:
                if pending:
                    raise RuntimeError(f"unsatisfiable workbook dependencies: {[s.id for s in pending]}")
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                spec = running.pop(fut)
                try:
                    res = fut.result()
                except NotebookFailed as exc:
                    failure = failure or exc
                    continue
                done[spec.id] = res
                progress(f"[{len(done)}/{total}] {spec.id} {res.done_line()}")
                if on_done is not None:
                    on_done(res)
    if failure:
        raise failure
    return [done[s.id] for s in specs]
