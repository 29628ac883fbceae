"""relkit: Jupyter workbooks for relationship-marketing consultants.

The Python API does everything the CLI does::

    import relkit
    relkit.new("clients/acme", name="ACME")
    problems = relkit.check("clients/acme")      # [] when valid
    result = relkit.run("clients/acme", lang="fr", out="reports")
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("relkit")
except PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0+local"


def run(folder, **kwargs):
    """Produce the deliverables of one engagement (see relkit.pipeline.run.run)."""
    from .pipeline.run import run as _run

    return _run(folder, **kwargs)


def new(folder, name, **kwargs):
    """Create a new engagement folder (engagement.yaml + workshop workbook)."""
    from .new import new_engagement

    return new_engagement(folder, name, **kwargs)


def check(folder):
    """Every problem in an engagement folder, as a list (empty = valid)."""
    from .validate import check as _check

    return _check(folder)[1]


def validate(folder):
    """The validated engagement, or ValidationFailed listing every problem."""
    from .validate import load

    return load(folder)
