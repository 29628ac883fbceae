"""Batch generation: many clients' deliverables in one command, in parallel,
incremental (up-to-date clients are skipped), locally or on Dask::

    from relkit.batch import batch
    result = batch("clients/", out="reports", workers=2)            # a folder of engagement folders
    result = batch("clients.csv", scheduler="tcp://host:8786")       # a CSV list, on a Dask cluster
    result.counts, result.index, result.exit_code

``relkit.batch(...)`` works too: this module is callable. On Dask, the
engagement folders, notebooks and output folder must be on a folder shared by
every worker, at the same absolute path.

``jobs`` (Job, jobs_from), ``worker`` (run_job: one client, in a subprocess),
``runner`` (batch), ``progress`` (live display and summary), ``index``
(out/index.html).
"""
import sys
import types


def batch(source, *args, **kwargs):
    """See relkit.batch.runner.batch."""
    from relkit.batch.runner import batch as _batch

    return _batch(source, *args, **kwargs)


def __getattr__(name):  # lazy: `python -m relkit.batch.worker` must not import the runner first
    if name in ("BatchResult", "default_workers"):
        from relkit.batch import runner

        return getattr(runner, name)
    if name in ("Job", "jobs_from", "BatchError"):
        from relkit.batch import jobs

        return getattr(jobs, name)
    if name in ("run_job",):
        from relkit.batch import worker

        return getattr(worker, name)
    if name in ("write_index",):
        from relkit.batch import index

        return getattr(index, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallableModule(types.ModuleType):
    """``relkit.batch`` is both this package and the function: importing a
    submodule rebinds ``relkit.batch`` to the package, which must stay callable."""

    def __call__(self, source, *args, **kwargs):
        return batch(source, *args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["batch", "BatchResult", "Job", "jobs_from", "BatchError", "run_job", "write_index"]
