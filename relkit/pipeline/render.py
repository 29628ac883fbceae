"""Executed notebooks → workbook HTML pages, the bound report HTML and its PDF."""
from __future__ import annotations

import base64
import copy
import functools
import html
import threading
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from relkit.io.brand import DEFAULT_BRAND, BrandStyle
from relkit.io.labels import Labels
from relkit.io.resources import TEMPLATES_DIR
from relkit.pipeline import contents
from relkit.pipeline.preprocessors import client_output
from relkit.workbooks.cell_meta import HEADING_META

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


_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".ttf": "font/ttf", ".otf": "font/otf",
         ".woff": "font/woff", ".woff2": "font/woff2"}
_FONT_FORMAT = {".ttf": "truetype", ".otf": "opentype", ".woff": "woff", ".woff2": "woff2"}
FALLBACK_FONTS = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'


def data_uri(path: Path) -> str:
    """A file inlined in the page (deliverables open offline and never name a path of this machine)."""
    from PIL import Image

    mime = _MIME.get(path.suffix.lower())
    if mime is None:  # a logo named without its usual extension: its real format
        with Image.open(path) as im:
            mime = Image.MIME.get(im.format, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _family(name: str) -> str:
    return '"' + css_string(name) + '"'


def brand_css(brand: BrandStyle) -> str:
    """The brand's colours and fonts over the house style (relkit.css reads --rk-* variables);
    empty for relkit's own look, which the stylesheets already are."""
    if brand == DEFAULT_BRAND:
        return ""
    faces = "".join(
        f"@font-face {{ font-family: {_family(f.family)}; src: url({data_uri(f.path)}) "
        f"format(\"{_FONT_FORMAT.get(f.path.suffix.lower(), 'truetype')}\"); font-weight: {f.weight}; "
        f"font-style: {f.style}; }}\n" for f in brand.font_faces)
    base = f"{_family(brand.font_base)}, {FALLBACK_FONTS}"
    headings = f"{_family(brand.font_headings)}, {base}"
    return (
        f"{faces}:root {{ --rk-ink: {brand.foreground}; --rk-muted: {brand.secondary}; --rk-accent: {brand.primary}; "
        f"--jp-content-font-family: {base}; --jp-ui-font-family: {base}; }}\n"
        f"body.rk-page, body.rk-page .jp-RenderedHTMLCommon {{ font-family: {base}; }}\n"
        f"h1.rk-heading, h2.rk-heading, h3.rk-heading, h1.rk-cover-client, .rk-toc h2 {{ font-family: {headings}; }}\n"
        f"@page {{ @top-left {{ font-family: {base}; color: {brand.secondary}; }} "
        f"@top-right {{ font-family: {base}; color: {brand.secondary}; }} "
        f"@bottom-left {{ font-family: {base}; }} @bottom-right {{ font-family: {base}; color: {brand.secondary}; }} }}\n"
    )


def brand_context(brand: BrandStyle | None = None, client_logo: Path | None = None) -> dict:
    """What the templates show of the brand: its CSS, the firm's logos (cover, running
    header) and the client's logo (cover), inlined; empty values for relkit's own look."""
    brand = brand or DEFAULT_BRAND
    return {
        "css": brand_css(brand),
        "firm": brand.firm or "",
        "logo": data_uri(brand.logo) if brand.logo else "",
        "logo_small": data_uri(brand.logo_small) if brand.logo_small else "",
        "client_logo": data_uri(client_logo) if client_logo else "",
    }


def workbook_html(nb: nbformat.NotebookNode, context: dict, title: str) -> str:
    """One workbook's page; ClientOutputsPreprocessor (templates' conf.json) drops stderr and errors."""
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = f"{context['client']} — {title}"
    body, _ = exporter("relkit", context["lang"]).from_notebook_node(nb, resources={"relkit": {**context, "title": title}})
    return body


APPENDIX_TAG = "appendix"  # cell tag: the cell moves to the report's appendix (workbook pages keep it in place)
APPENDIX_ANCHOR = "annexes"
CHECKS_ANCHOR = "points-a-verifier"


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
    if context.get("checks"):  # the figures to check, last (body_footer of the template)
        toc.append({"level": 1, "heading": context["checks_title"], "anchor": CHECKS_ANCHOR})
    merged.metadata["title"] = f"{context['client']} — {context['title']}"
    merged.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    body, _ = exporter("relkit_report", context["lang"]).from_notebook_node(
        merged, resources={"relkit": {**context, "toc": toc, "toc_columns": contents.columns(toc),
                                      "css": _css_context(context)}}
    )
    return body
