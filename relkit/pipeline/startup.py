"""What a run sets up in relkit's own process before it reads a notebook."""
from __future__ import annotations

import sys


def skip_iri_format_checker() -> bool:
    """Keep jsonschema from importing its optional "iri" format checker.

    nbformat validates notebooks with jsonschema, whose checker for the "iri"
    format (rfc3987_syntax) compiles a Lark grammar when jsonschema is
    imported: 1.3 s in every process that reads a notebook (``python -X
    importtime -c "import nbformat"``: 1.5 s with it, 0.15 s without).
    Notebook schemas never use that format, and jsonschema runs without the
    optional module. Effective only before jsonschema is imported: ``run``
    calls it first, and the pipeline imports nbformat only inside functions.
    Returns True when the skip is in place, False when it is too late (or
    the module was imported on purpose).
    """
    if sys.modules.get("rfc3987_syntax", 0) is None:
        return True
    if "rfc3987_syntax" in sys.modules or "jsonschema" in sys.modules:
        return False
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # jsonschema handles its absence
    return True
