"""`rapport-<slug>.docx`: the bound report as a Word document the consultant edits.

Built from the same executed notebooks as the PDF and HTML, in the same order
(relkit.pipeline.render.report_cells: every workbook, then the appendix), with
the same cover, and a draft's "Points à vérifier" at the end.
"""
from __future__ import annotations

import base64
import datetime as dt
import time
from pathlib import Path

from relkit.io.labels import Labels


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def report_blocks(cells) -> list[tuple]:
    """The report's cells' outputs as the Word writer takes them, in order:
    ("html", source), ("png", bytes, alt, width_px) or ("text", plain)."""
    from relkit.pipeline.preprocessors import client_output  # nbconvert: imported when the report is written

    blocks: list[tuple] = []
    for cell in cells:
        for out in cell.get("outputs", []):
            if not client_output(out):
                continue
            if out.get("output_type") == "stream":
                blocks.append(("text", _joined(out.get("text", ""))))
                continue
            data = out.get("data", {})
            if "image/png" in data:
                meta = out.get("metadata", {}).get("image/png", {}) or {}
                png = base64.b64decode(_joined(data["image/png"]))
                blocks.append(("png", png, str(meta.get("alt", "")), meta.get("width")))
            elif "text/html" in data:
                blocks.append(("html", _joined(data["text/html"])))
            elif "text/plain" in data and out.get("output_type") == "display_data":
                blocks.append(("text", _joined(data["text/plain"])))
    return blocks


def file_name(labels: Labels, slug: str) -> str:
    return f"{labels('report.file_stem')}-{slug}.docx"


def write(executed, data, labels: Labels, stage: Path, checks: list[dict] | None = None) -> Path:
    """Write the Word report into the staged output folder; returns its path."""
    import json

    import nbformat

    from relkit.io.brand import find_brand
    from relkit.pipeline import render
    from relkit.views.word import Checks, Cover, find_reference, write_report

    started = time.perf_counter()
    eng, folder = data.engagement, Path(data.folder)
    # the executed notebooks were validated when the PDF was rendered: read as they are
    notebooks = [nbformat.from_dict(json.loads(Path(e.output).read_text(encoding="utf-8"))) for e in executed]
    cells = render.report_cells(notebooks, labels("report.appendix"))
    brand = getattr(data, "brand", None) or find_brand(folder)  # read once by intake when it can
    client_logo = getattr(eng.client, "logo", None)
    firm_name = eng.consultant.firm or brand.firm  # as on the PDF's cover: the brand file names the firm otherwise
    firm = f" ({firm_name})" if firm_name else ""
    date = eng.report_date or dt.date.today()
    cover = Cover(
        title=labels("report.title"), client=eng.client.name, subtitle=labels("report.subtitle"),
        lines=[labels("report.plan_year", year=eng.plan_year),
               labels("report.prepared_by", consultant=eng.consultant.name + firm), labels.date(date)],
        logos=[(path, alt) for path, alt in ((brand.logo, labels("word.logo", name=brand.firm or firm_name or "")),
                                             (folder / client_logo if client_logo else None,
                                              labels("word.logo", name=eng.client.name))) if path],
        contents_title=labels("report.contents"), contents_hint=labels("word.contents_hint"),
        confidential=labels("report.confidential"), page_word=labels("report.page"),
        figure_word=labels("word.figure"), author=eng.consultant.name, lang=labels.lang, date=date)
    drafted = Checks(labels("checks.title"), labels("checks.intro"), [c["text"] for c in checks]) if checks else None
    target = stage / file_name(labels, eng.slug)
    reference = find_reference(folder, brand)
    try:
        write_report(target, report_blocks(cells), cover, brand, reference, drafted)
    except Exception as exc:  # one clear line, and the previous deliverables stay as they were
        from relkit.pipeline.bind import RenderFailed  # noqa: PLC0415

        where = f" with the reference document {reference.name} ({reference.parent.name}/)" if reference else ""
        raise RenderFailed(f"writing the Word report{where} failed: {type(exc).__name__}: {exc}") from exc
    write.seconds = time.perf_counter() - started
    return target


write.seconds = 0.0
