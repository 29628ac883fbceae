"""Run, render and publish: engagement folder in, deliverables out."""
import sys

# nbformat validates notebooks with jsonschema, whose optional "iri" format
# checker (rfc3987_syntax) compiles a Lark grammar at import: 0.9 s in every
# process that reads a notebook. Notebook schemas never use that format, so
# relkit's own process skips the optional import (jsonschema handles its
# absence). Measured in benchmarks/run_vs_plain.py.
if "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
