"""relkit: Jupyter workbooks for relationship-marketing consultants.

The Python API does everything the CLI does::

    import relkit
    relkit.new("clients/acme", name="ACME")
    problems = relkit.check("clients/acme")      # [] when valid
    data = relkit.validate("clients/acme")       # the loaded engagement, or ValidationFailed
    result = relkit.run("clients/acme", lang="fr", out="reports")
    relkit.run("clients/acme", final=True)       # publish only if no figures contradict each other (ChecksOpen)
    relkit.workshop_app("clients/acme")          # the workshop editors (ipywidgets), in a notebook
    relkit.serve("clients/acme")                 # the same served by Voilà, until Ctrl-C
    relkit.run_batch("clients/", out="reports")  # every client of a folder (or a .csv list), in parallel

No public name is also the name of a subpackage or module of relkit
(``relkit.batch`` is the package, ``relkit.run_batch`` the function), so
importing any of them never hides a function. Each function imports its
layer when called: ``import relkit`` stays cheap.
"""
from relkit._version import __version__

__all__ = ["__version__", "run", "new", "check", "validate", "workshop_app", "serve", "run_batch"]


def run(folder, **kwargs):
    """Produce the deliverables of one engagement (see relkit.pipeline.run.run): a draft
    ending with the points to check, or with ``final=True`` a report published only when
    none is open (relkit.pipeline.run.ChecksOpen otherwise)."""
    from relkit.pipeline.run import run as _run

    return _run(folder, **kwargs)


def new(folder, name, **kwargs):
    """Create a new engagement folder (engagement.yaml + workshop workbook)."""
    from relkit.intake.scaffold import new_engagement

    return new_engagement(folder, name, **kwargs)


def check(folder):
    """Every problem in an engagement folder, as a list (empty = valid)."""
    from relkit.intake.load import check as _check

    return _check(folder)[1]


def validate(folder):
    """The validated engagement, or ValidationFailed listing every problem."""
    from relkit.intake.load import load

    return load(folder)


def workshop_app(folder, lang=None, **kwargs):
    """The workshop editors of one engagement as ipywidgets tabs (see relkit.workshop.app)."""
    from relkit.workshop.app import workshop_app as _workshop_app

    return _workshop_app(folder, lang=lang, **kwargs)


def serve(folder, **kwargs):
    """Serve the workshop editors with Voilà (or JupyterLab, lab=True) until Ctrl-C,
    SIGTERM or SIGHUP (see relkit.workshop.serve.serve)."""
    from relkit.workshop.serve import serve as _serve

    return _serve(folder, **kwargs)


def run_batch(source, *args, **kwargs):
    """Every client of a folder or .csv list, in parallel, skipping up-to-date ones
    (see relkit.batch.runner.batch); returns a BatchResult."""
    from relkit.batch.runner import batch as _batch

    return _batch(source, *args, **kwargs)
