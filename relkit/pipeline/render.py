"""Executed notebooks → workbook HTML pages, the bound report HTML and its PDF."""
from __future__ import annotations

import copy
import functools
import html
import logging
import threading
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from relkit.io.labels import Labels
from relkit.io.resources import TEMPLATES_DIR
from relkit.pipeline.preprocessors import client_output
from relkit.workbooks.session import HEADING_META

NBCONVERT_TEMPLATES = TEMPLATES_DIR / "nbconvert"


_LOCK = threading.Lock()


def exporter(template: str, lang: str) -> HTMLExporter:
    """One configured exporter per template and language (built once, thread-safe)."""
    with _LOCK:
        return _build_exporter(template, lang)


@functools.cache
def _build_exporter(template: str, lang: str) -> HTMLExporter:
    exporter = HTMLExporter(
        template_name=template,
        extra_template_basedirs=[str(NBCONVERT_TEMPLATES)],
        extra_template_paths=[str(NBCONVERT_TEMPLATES)],  # so one template can extend another by name
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
        exclude_raw=True,
        embed_images=True,
    )
    exporter.language_code = lang
    return exporter


def warm(lang: str) -> None:
    """Compile both templates once (a first render costs ~0.2 s each)."""
    empty = nbformat.v4.new_notebook()
    context = {"client": "", "confidential": "", "page_word": "", "toc": [], "css": {}}
    for template in ("relkit", "relkit_report"):
        exporter(template, lang).from_notebook_node(empty, resources={"relkit": context})


def headings(nb: nbformat.NotebookNode) -> list[dict]:
    """Section titles recorded by relkit.workbooks.session.Session.heading, in order."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get(HEADING_META)
            if meta and "heading" in meta:
                found.append(dict(meta))
    return found


def css_string(text: str) -> str:
    """Quote text for a CSS content: string inside a <style> element."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", " ")


def _css_context(context: dict) -> dict:
    return {k: css_string(str(context[k])) for k in ("client", "confidential", "page_word")}


def workbook_html(nb: nbformat.NotebookNode, context: dict, title: str) -> str:
    """One workbook's page; ClientOutputsPreprocessor (templates' conf.json) drops stderr and errors."""
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = f"{context['client']} — {title}"
    body, _ = exporter("relkit", context["lang"]).from_notebook_node(nb, resources={"relkit": {**context, "title": title}})
    return body


APPENDIX_TAG = "appendix"  # cell tag: the cell moves to the report's appendix (workbook pages keep it in place)
APPENDIX_ANCHOR = "annexes"


def _appendix_heading(title: str) -> nbformat.NotebookNode:
    """The level-1 heading that opens the appendix, shaped like Session.heading's output."""
    cell = nbformat.v4.new_code_cell("", id="appendix")
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": f'<h1 id="{APPENDIX_ANCHOR}" class="rk-heading rk-appendix">{html.escape(title)}</h1>'},
        metadata={HEADING_META: {"heading": title, "level": 1, "anchor": APPENDIX_ANCHOR}})]
    return cell


def in_appendix(cell: nbformat.NotebookNode) -> bool:
    return APPENDIX_TAG in cell.get("metadata", {}).get("tags", [])


def report_cells(notebooks: list[nbformat.NotebookNode], appendix_title: str) -> list[nbformat.NotebookNode]:
    """The bound report's cells: every workbook's shown cells in order, then, under one
    appendix heading, the cells tagged ``appendix`` (in workbook order)."""
    body, appendix = [], []
    for i, nb in enumerate(notebooks):
        shown = [c for c in nb.cells if c.cell_type == "code" and any(client_output(o) for o in c.get("outputs", []))]
        for j, cell in enumerate(shown):
            cell = copy.deepcopy(cell)
            cell.id = f"w{i}-c{j}"  # ids must stay unique once workbooks are merged
            (appendix if in_appendix(cell) else body).append(cell)
    cells = body + ([_appendix_heading(appendix_title)] + appendix if appendix else [])
    _unique_anchors(cells)
    return cells


def _unique_anchors(cells: list[nbformat.NotebookNode]) -> None:
    """A section and its detail in the appendix may share a title (and so an anchor):
    the later one becomes ``<anchor>-2`` so that each contents entry links to its own place."""
    seen: set[str] = set()
    for cell in cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get(HEADING_META)
            if not meta or "anchor" not in meta:
                continue
            anchor = meta["anchor"]
            if anchor in seen:
                n = 2
                while f"{anchor}-{n}" in seen:
                    n += 1
                new = f"{anchor}-{n}"
                body = out["data"]["text/html"]
                body = "".join(body) if isinstance(body, list) else body
                out["data"]["text/html"] = body.replace(f'id="{anchor}"', f'id="{new}"', 1)
                meta["anchor"] = anchor = new
            seen.add(anchor)


def report_html(notebooks: list[nbformat.NotebookNode], context: dict) -> str:
    """One document: cover, contents (level 1–2 headings), every workbook, then the appendix."""
    title = context.get("appendix_title") or Labels(context["lang"])("report.appendix")
    merged = nbformat.v4.new_notebook(cells=report_cells(notebooks, title))
    toc = [h for h in headings(merged) if h["level"] <= 2]
    merged.metadata["title"] = f"{context['client']} — {context['title']}"
    merged.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    body, _ = exporter("relkit_report", context["lang"]).from_notebook_node(
        merged, resources={"relkit": {**context, "toc": toc, "css": _css_context(context)}}
    )
    return body


def write_pdf(html: str, target: Path, base_url: Path) -> int:
    """Print the report with WeasyPrint; return its page count."""
    from weasyprint import HTML  # imported late: ~0.5 s, only needed here

    for name in ("weasyprint", "fontTools", "fontTools.subset", "fontTools.ttLib"):
        logging.getLogger(name).setLevel(logging.ERROR)
    document = HTML(string=html, base_url=str(base_url)).render()
    document.write_pdf(str(target))
    return len(document.pages)
