"""No absolute local path in a deliverable.

Papermill injects the engagement, staging and working folders as parameters
(the "injected-parameters" cell and ``metadata.papermill``), records the
notebook's input and output paths, and a warning or a printed value may show
any of them. A deliverable travels to the client: it must not reveal the
consultant's machine (user name, folder layout, the confidential working
folder). ``Scrubber`` replaces every known absolute path by a short relative
name, longest first, in every string of a notebook or JSON document.
"""
from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

from relkit.io.resources import PACKAGE_DIR


def _forms(path: str) -> set[str]:
    """The ways a path shows up in text: as is, HTML-escaped, URL-quoted."""
    return {path, html.escape(path, quote=True), quote(path)}


def _binary(key) -> bool:
    return isinstance(key, str) and key.startswith(("image/", "application/pdf")) and not key.startswith("image/svg")


class Scrubber:
    """Replace absolute paths by relative names in text, notebooks and JSON data.

    ``paths`` maps an absolute path to what the deliverable shows instead
    (e.g. the staging folder -> "reports/acme"). The home folder ("~"),
    relkit's own folder and the Python installation are added, so a warning
    printed by a library does not reveal them either.
    """

    def __init__(self, paths: dict[str | Path, str]):
        mapping: dict[str, str] = {}
        extra = {sys.prefix: "<python>", Path.home(): "~"}
        if (PACKAGE_DIR.parent / "pyproject.toml").is_file():  # a source checkout, not site-packages
            extra[PACKAGE_DIR.parent] = "<relkit>"
        for path, name in list(extra.items()) + list(paths.items()):
            text = os.path.abspath(str(path)).rstrip(os.sep)
            if len(Path(text).parts) < 2:  # never "/" (HOME=/ for some service users)
                continue
            resolved = str(Path(text).resolve())
            for form in _forms(text) | _forms(resolved):
                mapping[form] = name
        self.paths = dict(sorted(mapping.items(), key=lambda kv: -len(kv[0])))
        # a path ends where a name character does not follow: /a/eng never eats /a/eng2
        self._pattern = re.compile("|".join(f"{re.escape(p)}(?![\\w-])" for p in self.paths)) if self.paths else None

    def text(self, value: str) -> str:
        if self._pattern is None or not value:
            return value
        return self._pattern.sub(lambda m: self.paths[m.group(0)], value)

    def data(self, value):
        """Every string of a JSON-like structure (dict keys included) scrubbed;
        base64 images are left alone (a path cannot hide in them, and a
        replacement would break them)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return type(value)((self.text(k) if isinstance(k, str) else k,
                                v if _binary(k) else self.data(v)) for k, v in value.items())
        if isinstance(value, list):
            return [self.data(v) for v in value]
        return value

    def notebook(self, path: Path, source_name: str | None = None) -> None:
        """Scrub an executed notebook in place: parameters, Papermill's
        metadata (input/output paths become the notebook's own names), cell
        sources and every output."""
        import nbformat  # imported when first needed: see relkit.pipeline.startup

        nb = nbformat.read(path, as_version=4)
        meta = nb.metadata.get("papermill")
        if isinstance(meta, dict):
            if meta.get("input_path"):
                meta["input_path"] = source_name or Path(str(meta["input_path"])).name
            if meta.get("output_path"):
                meta["output_path"] = f"notebooks/{Path(str(meta['output_path'])).name}"
        nbformat.write(self.data(nb), path)

    def json_file(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(self.data(data), ensure_ascii=False, indent=2), encoding="utf-8")
