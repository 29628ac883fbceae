"""Build relkit/templates/docx/reference.docx: python-docx's default document with
the report's styles in relkit's house style (A4, the PDF's margins, no content).

A firm restyles the Word report with its own reference document (see the README);
this one is relkit's. Run after changing relkit/views/word/styles.py:

    .venv/bin/python tools/docx_reference.py
"""
from __future__ import annotations

import docx

from relkit.io.brand import DEFAULT_BRAND
from relkit.views.word.document import REFERENCE
from relkit.views.word.styles import apply_brand, page_setup


def main() -> None:
    doc = docx.Document()
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    apply_brand(doc, DEFAULT_BRAND)
    page_setup(doc.sections[0])
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.comments, props.keywords = "", "", "", "", ""
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(REFERENCE))
    print(f"wrote {REFERENCE}")


if __name__ == "__main__":
    main()
