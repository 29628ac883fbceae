"""Binding the report: each workbook's page as its notebook finishes, then the bound
HTML and the PDF (printed by a ``Printer`` process when there is one, else here)."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Callable

from relkit._version import __version__
from relkit.io.labels import Labels
from relkit.pipeline import pdf
from relkit.pipeline.printer import Printer, PrinterGone, PrintFailed
from relkit.pipeline.scrub import Scrubber


class RenderFailed(Exception):
    """The report, the PowerPoint or the Word document could not be written; nothing is published."""

    exit_code = 1


class Pages:
    """Each workbook's page (workbooks/<id>.html), written in one background thread
    as soon as its notebook finishes (scrubbed first), while the other notebooks run:
    the parent mostly waits then. ``scrubbed`` and ``written`` name the ones done."""

    def __init__(self, scrub: Scrubber, stage: Path, labels: Labels, eng, brand=None, client_logo: Path | None = None):
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

        self.scrub, self.stage, self.labels, self.args = scrub, stage, labels, (eng, labels, brand, client_logo)
        self.threads = ThreadPoolExecutor(1, thread_name_prefix="relkit-page")
        self.futures: list = []
        self.scrubbed: set[str] = set()
        self.written: set[str] = set()
        self._context: dict | None = None

    def __call__(self, executed) -> None:
        self.futures.append(self.threads.submit(self._page, executed))

    def _page(self, e) -> None:
        import nbformat  # noqa: PLC0415

        from relkit.pipeline import render  # noqa: PLC0415

        self.scrub.notebook(e.output, source_name=e.spec.path.name)
        self.scrubbed.add(e.spec.id)
        if self._context is None:
            self._context = report_context(*self.args)
        nb = nbformat.read(e.output, as_version=4)
        (self.stage / "workbooks").mkdir(exist_ok=True)
        (self.stage / "workbooks" / f"{e.spec.id}.html").write_text(
            render.workbook_html(nb, self._context, workbook_title(self.labels, e.spec)), encoding="utf-8")
        self.written.add(e.spec.id)

    def wait(self) -> None:
        """Let the pages under way finish; one that failed is written again by render_report (and reports its error)."""
        from concurrent.futures import wait  # noqa: PLC0415

        wait(self.futures)

    def close(self) -> None:
        self.threads.shutdown(wait=True, cancel_futures=True)


def workbook_title(labels: Labels, spec) -> str:
    return labels(f"workbook.{spec.id}") if labels.has(f"workbook.{spec.id}") else spec.id


def report_context(eng, labels: Labels, brand=None, client_logo: Path | None = None, checks: list[dict] | None = None) -> dict:
    """What the templates show: cover lines, running header words, brand, a draft's checks."""
    from relkit.pipeline import render  # noqa: PLC0415

    firm_name = eng.consultant.firm or (brand.firm if brand else None)  # the brand file names the firm otherwise
    firm = f" ({firm_name})" if firm_name else ""
    context = {
        "lang": labels.lang, "version": __version__, "client": eng.client.name, "consultant": eng.consultant.name,
        "title": labels("report.title"), "subtitle": labels("report.subtitle"),
        "prepared_by": labels("report.prepared_by", consultant=eng.consultant.name + firm),
        "date": labels.date(eng.report_date or dt.date.today()), "plan_year": labels("report.plan_year", year=eng.plan_year),
        "contents_title": labels("report.contents"), "confidential": labels("report.confidential"),
        "page_word": labels("report.page"),
        # a draft ends with the open contradictions ("Points à vérifier"); a final report has none
        "checks": checks or [], "checks_title": labels("checks.title"), "checks_intro": labels("checks.intro"),
        "brand": render.brand_context(brand, client_logo),  # _brand.yml's colours, fonts, logos; client.logo
    }
    return context


def render_report(specs, executed, eng, labels: Labels, stage: Path, checks: list[dict] | None = None,
                  brand=None, client_logo: Path | None = None, written: set[str] = frozenset(),
                  printer: Printer | None = None) -> tuple[str, Callable[[], int]]:
    """Workbook pages (but those ``written`` already), bound HTML and PDF. Returns the file stem
    and a call that waits for the PDF and gives its page count: with a ``printer``, the PDF is
    printed there while this process goes on (the PowerPoint, the Word document)."""
    import nbformat  # noqa: PLC0415 - after startup.skip_iri_format_checker

    from relkit.pipeline import render  # noqa: PLC0415

    nbs = [nbformat.read(e.output, as_version=4) for e in executed]
    try:
        context = report_context(eng, labels, brand, client_logo, checks)
        (stage / "workbooks").mkdir(exist_ok=True)
        for spec, nb in zip(specs, nbs):
            if spec.id not in written:
                (stage / "workbooks" / f"{spec.id}.html").write_text(
                    render.workbook_html(nb, context, workbook_title(labels, spec)), encoding="utf-8")
        stem = f"{labels('report.file_stem')}-{eng.slug}"
        html = render.report_html(nbs, context)
        (stage / f"{stem}.html").write_text(html, encoding="utf-8")
        if printer is not None:
            try:
                printer.submit(stage / f"{stem}.html", stage / f"{stem}.pdf", stage)
                return stem, functools.partial(printed, printer, stage / f"{stem}.html", stage / f"{stem}.pdf", stage)
            except PrinterGone:
                pass  # printed here instead
        pages = pdf.write_pdf(html, stage / f"{stem}.pdf", base_url=stage)
        return stem, lambda: pages
    except Exception as exc:
        raise RenderFailed(f"rendering the report failed: {type(exc).__name__}: {exc}") from exc


def printed(printer: Printer, source: Path, target: Path, stage: Path) -> int:
    """The printer's page count; if it died without printing, the PDF printed here from
    the bound HTML ``source`` (read again: the run does not hold it meanwhile)."""
    try:
        return printer.pages()
    except PrintFailed as exc:
        raise RenderFailed(f"rendering the report failed: {exc}") from None
    except PrinterGone:
        try:
            return pdf.write_pdf(source.read_text(encoding="utf-8"), target, base_url=stage)
        except Exception as exc:
            raise RenderFailed(f"rendering the report failed: {type(exc).__name__}: {exc}") from exc
