"""Batch generation: many clients' deliverables in one command, in parallel,
incremental (up-to-date clients are skipped), locally or on Dask::

    import relkit
    result = relkit.run_batch("clients/", out="reports", workers=2)             # a folder of engagement folders
    result = relkit.run_batch("clients.csv", scheduler="tcp://host:8786")        # a CSV list, on a Dask cluster
    result.counts, result.index, result.exit_code

On Dask, the engagement folders, notebooks and output folder must be on a
folder shared by every worker, at the same absolute path.

``jobs`` (Job, jobs_from, BatchError), ``worker`` (run_job: one client, in a
subprocess; ``python -m relkit.batch.worker``), ``runner`` (batch,
BatchResult), ``progress`` (live display and summary), ``index``
(out/index.html). This package imports none of them: the worker starts
without the runner.
"""
