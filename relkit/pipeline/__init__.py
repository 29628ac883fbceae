"""Run, render and publish: engagement folder in, deliverables out.

``run`` (the entry point), ``execute`` (Papermill on warm kernels),
``kernel`` (the kernels), ``render`` (nbconvert + WeasyPrint), ``publish``
(atomic replacement of the deliverables), ``scrub`` (no machine path in a
deliverable), ``fingerprint`` (the run key), ``startup`` (what a run sets up
in its own process first).
"""
