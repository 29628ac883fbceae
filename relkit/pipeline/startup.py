"""What a run sets up in relkit's own process before it reads a notebook."""
from __future__ import annotations

import contextlib
import gc
import sys
import threading

_paused = 0
_paused_lock = threading.Lock()


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


@contextlib.contextmanager
def cyclic_gc_paused():
    """Python's cycle collector off while a large, short-lived object graph is built.

    Printing the report (WeasyPrint: ~400 k boxes, styles and text runs, all
    alive until the PDF is written) triggers a thousand collections, each
    full one walking everything the run holds as well (notebooks, data
    frames): 1-2 CPU-seconds of the PDF's ~9 in a run, measured with
    ``gc.callbacks``. Without the collector the peak grows by ~25 MB; what
    the graph leaves in cycles is collected later, as usual, once the
    collector is back. Re-entrant and shared by threads (a Dask worker may
    print two reports at once): the collector comes back when the last
    one leaves, and stays off if it was off before.
    """
    global _paused, _was_enabled
    with _paused_lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


_was_enabled = True
