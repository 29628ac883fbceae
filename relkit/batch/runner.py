"""``relkit batch``: many clients' deliverables in one command.

Locally, ``workers`` threads each run one client at a time; every client
runs in its own subprocess (``relkit.batch.worker``), so a client that
crashes, hangs or is killed fails alone and the pool carries on. Each
client's run uses ``max(1, cores // workers)`` notebooks in parallel.

On Dask (``scheduler="tcp://host:8786"``, a ``distributed.Client`` or a
``LocalCluster``'s address), every client is a task ``run_job(job)``. The
engagement folders, the notebooks and the output folder must be visible to
every worker *at the same absolute path* (a shared folder: NFS, SMB, a
bind-mounted volume), with the same relkit installed.

Clients whose deliverables are up to date (same run key: inputs, notebooks,
templates, relkit, language) are skipped before anything is submitted: the
decision reads engagement.yaml and hashes files, nothing more.
"""
from __future__ import annotations

import collections
import dataclasses
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from relkit.batch.index import record_batch, write_index
from relkit.batch.jobs import BatchError, Job, jobs_from
from relkit.batch.progress import Progress
from relkit.batch.worker import run_subprocess, one_line, prepare, run_job


@dataclass
class BatchResult:
    """Outcome of a batch: one result dict per client, in the list's order."""

    results: list[dict]
    seconds: float
    index: Path | None
    out: Path
    workers: int
    scheduler: str | None = None
    indexes: list[Path] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        c = collections.Counter(r.get("status") for r in self.results)
        return {"ok": c["ok"], "failed": c["failed"], "skipped": c["skipped"]}

    @property
    def exit_code(self) -> int:
        """0 when every client succeeded or was up to date, else 1."""
        return 0 if all(r.get("status") in ("ok", "skipped") for r in self.results) else 1

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.results if r.get("status") == "failed"]

    def __getitem__(self, slug: str) -> dict:
        for r in self.results:
            if r.get("slug") == slug:
                return r
        raise KeyError(slug)


def default_workers() -> int:
    """One client per core, each running its notebooks one at a time: on 20
    demo variants and 2 cores, 2 workers × 1 kernel took 309 s against 412 s
    for 1 worker × 2 kernels (benchmarks/batch.py)."""
    return max(1, os.cpu_count() or 1)


def _failed(prepared: dict, reason: str) -> dict:
    return {**prepared["base"], "status": "failed", "reason": one_line(reason)}


def _check_slugs(jobs: list[Job], prepared: list[dict]) -> None:
    seen: dict[tuple[str, str], str] = {}
    problems = []
    for job, p in zip(jobs, prepared):
        where = (job.out, p["ident"]["slug"])
        if where in seen:
            problems.append(f"{job.folder} and {seen[where]} would both publish to "
                            f"{Path(job.out) / p['ident']['slug']} (same client name): rename one client")
        seen.setdefault(where, job.folder)
    if problems:
        raise BatchError(problems)


def _dask_client(scheduler):
    """(client, close_it): an address opens a client, a Client is used as is."""
    import distributed

    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    address = getattr(scheduler, "scheduler_address", scheduler)  # a LocalCluster too
    return distributed.Client(address, set_as_default=False), True


def _dask_layout(client) -> tuple[int, int]:
    """(total worker threads, notebooks per client): cores of each worker's
    machine ÷ the threads of all workers on that machine, the smallest."""
    workers = client.scheduler_info(n_workers=-1)["workers"]
    threads = sum(w.get("nthreads", 1) for w in workers.values()) or 1
    try:
        cpus = client.run(os.cpu_count)
    except Exception:
        return threads, 1
    per_host: dict[str, int] = collections.Counter()
    for addr, w in workers.items():
        per_host[w.get("host") or addr.rsplit(":", 1)[0]] += w.get("nthreads", 1)
    shares = [max(1, (cpus.get(addr) or 1) // max(1, per_host[w.get("host") or addr.rsplit(":", 1)[0]]))
              for addr, w in workers.items()]
    return threads, min(shares) if shares else 1


def batch(source: str | Path | list[Job], out: str | Path = "reports", workers: int | None = None, scheduler=None,
          force: bool = False, lang: str | None = None, timeout: int | None = 600, client_timeout: float | None = None,
          progress: bool | TextIO | Callable[[str], None] | None = True, *, working: str | Path | None = None,
          notebooks: list[str | Path] | None = None, jobs: int | None = None, final: bool = False) -> BatchResult:
    """Produce the deliverables of every client of ``source``.

    ``source``: a folder of engagement folders, a ``.csv`` list (see
    ``jobs_from``) or a list of ``Job`` (whose own fields then replace
    ``out``, ``lang``, ``force``, ``timeout``…). ``workers``: clients run at once
    locally (default: one per core, see ``default_workers``). ``scheduler``: a Dask scheduler
    address, ``distributed.Client`` or ``LocalCluster``. ``timeout``: seconds
    per notebook cell; ``client_timeout``: wall-clock seconds per client
    (default: none). ``progress``: True (stdout), a stream, a callable taking
    each line, or False. ``notebooks``: run these instead of the default
    workbooks; ``jobs``: notebooks run at once inside each client's run
    (default: cores ÷ workers, at least 1). ``final``: publish each client only when
    none of its points to check is open (relkit run --final); a client refused so fails.

    Returns a BatchResult; ``out/batch.json`` and ``out/index.html`` are
    rewritten at the end. Raises BatchError (nothing started) when the list
    itself is wrong.
    """
    started = time.perf_counter()
    per_run = jobs
    if isinstance(source, (list, tuple)):
        jobs = [dataclasses.replace(j) for j in source]
    else:
        jobs = jobs_from(source, out, lang=lang, working=working, timeout=timeout, force=force, notebooks=notebooks,
                         client_timeout=client_timeout, jobs=per_run, final=final)
    cores = os.cpu_count() or 1

    # The skip decision: before any process, kernel or Dask task. relkit's own
    # hash is recomputed (a few ms): this process may be older than the code.
    from relkit.pipeline import fingerprint

    fingerprint.relkit_hash.cache_clear()
    prepared = [prepare(job) for job in jobs]
    _check_slugs(jobs, prepared)
    todo = [i for i, p in enumerate(prepared) if p["result"] is None]

    dask_client, close_client, address = None, False, None
    try:
        if scheduler is not None:
            dask_client, close_client = _dask_client(scheduler)
            address = str(getattr(dask_client, "scheduler", None) and dask_client.scheduler.address)
            total_threads, per_client = _dask_layout(dask_client)
            workers = total_threads
        else:
            workers = max(1, workers or default_workers())
            per_client = max(1, cores // max(1, min(workers, len(todo) or 1)))
        for i in todo:
            if jobs[i].jobs is None:
                jobs[i] = dataclasses.replace(jobs[i], jobs=per_client)

        show = Progress(len(jobs), min(workers, len(todo)) or 1, progress)
        show.start()
        results: list[dict | None] = [p["result"] for p in prepared]
        for r in results:
            if r is not None:
                show.finished(r)
        if todo:
            if dask_client is not None:
                _run_dask(dask_client, jobs, prepared, todo, results, show, workers)
            else:
                _run_local(jobs, prepared, todo, results, show, workers)
    finally:
        if close_client:
            dask_client.close()

    final: list[dict] = [r for r in results if r is not None]
    by_out: dict[str, list[dict]] = collections.defaultdict(list)
    for job, r in zip(jobs, results):
        if r is not None:
            by_out[job.out].append(r)
    index_lang = lang or collections.Counter(p["lang"] for p in prepared).most_common(1)[0][0] if prepared else "fr"
    indexes = []
    for out_dir, rs in by_out.items():
        record_batch(out_dir, rs)
        indexes.append(write_index(out_dir, index_lang))
    main_out = Path(out).resolve()
    index = next((p for p in indexes if p.parent == main_out), indexes[0] if indexes else None)
    show.close(final, footer=[f"index: {p}" for p in indexes])
    return BatchResult(final, round(time.perf_counter() - started, 3), index, main_out, workers, address, indexes)


def _run_local(jobs, prepared, todo, results, show: Progress, workers: int) -> None:
    cancel = threading.Event()

    def task(i: int) -> dict:
        show.started(prepared[i]["ident"]["slug"])
        t0 = time.perf_counter()
        try:
            r = run_subprocess(jobs[i], prepared[i], cancel)
        except Exception as exc:  # noqa: BLE001 - the pool must survive anything
            r = _failed(prepared[i], f"{type(exc).__name__}: {exc}")
        r["seconds"] = round(time.perf_counter() - t0, 3)
        show.finished(r)  # here, before this thread can start the next client
        return r

    pool = ThreadPoolExecutor(max_workers=min(workers, len(todo)), thread_name_prefix="relkit-batch")
    try:
        futures = {pool.submit(task, i): i for i in todo}
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
    except BaseException:
        cancel.set()  # running clients are stopped (SIGTERM, then SIGKILL), queued ones never start
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_dask(client, jobs, prepared, todo, results, show: Progress, workers: int) -> None:
    from distributed import as_completed as dask_completed

    futures = {}
    for i in todo:
        slug = prepared[i]["ident"]["slug"]
        fut = client.submit(run_job, jobs[i], pure=False, key=f"relkit-batch-{slug}-{uuid.uuid4().hex[:8]}")
        futures[fut] = i
    order = list(todo)
    for i in order[:workers]:  # Dask does not say when a task starts: assume submission order
        show.started(prepared[i]["ident"]["slug"])
    next_up = workers
    try:
        for fut in dask_completed(list(futures), loop=client.loop):  # not the default client: ours
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker died, the scheduler went away…
                results[i] = _failed(prepared[i], f"the Dask task failed: {type(exc).__name__}: {exc}")
            show.finished(results[i])
            if next_up < len(order):
                show.started(prepared[order[next_up]]["ident"]["slug"])
                next_up += 1
    except BaseException:
        client.cancel(list(futures))
        raise
