"""`relkit run`: validate, execute the workbooks, render, bind, publish."""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import threading
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from relkit._version import __version__
from relkit.io.labels import Labels
from relkit.io.resources import TEMPLATES_DIR
from relkit.intake.load import load
from relkit.intake.translation import translation_notes
from relkit.workbooks.registry import WorkbookSpec, default_workbooks, from_paths
from relkit.intake.handover import keep as keep_engagement
from relkit.pipeline.kernel import KernelPool
from relkit.pipeline import comment_places, deck, fingerprint, startup
from relkit.pipeline import word
from relkit.pipeline.fingerprint import sha256
from relkit.pipeline.publish import staged
from relkit.pipeline.scrub import Scrubber


class RenderFailed(Exception):
    exit_code = 1


class ChecksOpen(Exception):
    """``final=True`` and contradictions are still open (not acknowledged in
    engagement.yaml): nothing is published. Exit code 2, as for bad inputs."""

    exit_code = 2

    def __init__(self, lines: list[dict]):
        self.lines = lines
        super().__init__("\n".join(
            [f"not published: {len(lines)} point(s) to check still open; fix the figures, or acknowledge them "
             "in engagement.yaml (acknowledged: [{check: <id>, reason: \"...\"}]):"]
            + [f"  [{line['check']}] {line['text']}" for line in lines]))


@dataclass
class RunResult:
    client: str
    out_dir: Path
    pdf: Path
    html: Path
    pages: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    docx: Path | None = None  # the Word report
    pptx: Path | None = None  # the PowerPoint restitution


_sha256 = sha256
input_files = fingerprint.input_files


def _warm_renderers(lang: str) -> None:
    """Import WeasyPrint and load the nbconvert templates while kernels run
    (this process is mostly waiting then); render uses the cached objects."""
    try:
        import weasyprint  # noqa: F401

        from relkit.pipeline import render

        render.warm(lang)
    except Exception:
        pass  # render will report any real problem itself


def _stderr(msg: str) -> None:
    print(f"relkit: {msg}", file=sys.stderr, flush=True)


def _execute(specs, data, folder: Path, lang: str, stage: Path, working_stage: Path, working_root: Path,
             jobs: int | None, timeout: int | None, say, on_done=None) -> list:
    """Run the notebooks on warm kernels; keep a failed notebook in the
    confidential area for diagnosis, then re-raise. ``on_done`` gets each finished one."""
    eng = data.engagement
    if data.imports:  # imported once by validation, read back by the kernels
        from relkit.intake.imports import save_imports

        save_imports(data.imports, working_stage)
    keep_engagement(data, working_stage)  # validated once, here: the kernels read it back
    # Kernels start (and import pandas, matplotlib, relkit) while this process
    # imports Papermill, nbconvert and WeasyPrint.
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(specs)))
    pool = KernelPool(stage)
    try:
        pool.prepare(jobs)
        threading.Thread(target=_warm_renderers, args=(lang,), daemon=True).start()
        from relkit.pipeline.execute import NotebookFailed, execute_all  # noqa: PLC0415 - imported while kernels warm up

        def parameters(spec: WorkbookSpec) -> dict:
            return {"engagement": str(folder), "lang": lang, "output_dir": str(stage), "working_dir": str(working_stage)}

        try:
            return execute_all(specs, stage / "notebooks", parameters, pool, timeout=timeout, jobs=jobs, progress=say,
                               prepared=jobs, on_done=on_done)
        except NotebookFailed as exc:
            failed = stage / "notebooks" / f"{exc.workbook}.ipynb"
            if failed.exists():
                keep = working_root / f"{eng.slug}.failed"
                keep.mkdir(parents=True, exist_ok=True)
                (keep / failed.name).write_bytes(failed.read_bytes())
            raise
    finally:
        pool.close()


class _Pages:
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
            self._context = _context(*self.args)
        nb = nbformat.read(e.output, as_version=4)
        (self.stage / "workbooks").mkdir(exist_ok=True)
        (self.stage / "workbooks" / f"{e.spec.id}.html").write_text(
            render.workbook_html(nb, self._context, _workbook_title(self.labels, e.spec)), encoding="utf-8")
        self.written.add(e.spec.id)

    def wait(self) -> None:
        """Let the pages under way finish; one that failed is written again by _render (and reports its error)."""
        from concurrent.futures import wait  # noqa: PLC0415

        wait(self.futures)

    def close(self) -> None:
        self.threads.shutdown(wait=True, cancel_futures=True)


def _workbook_title(labels: Labels, spec) -> str:
    return labels(f"workbook.{spec.id}") if labels.has(f"workbook.{spec.id}") else spec.id


def _context(eng, labels: Labels, brand=None, client_logo: Path | None = None, checks: list[dict] | None = None) -> dict:
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


def _render(specs, executed, eng, labels: Labels, stage: Path, checks: list[dict] | None = None,
            brand=None, client_logo: Path | None = None, written: set[str] = frozenset()) -> tuple[str, int]:
    """Workbook pages (but those ``written`` already), bound HTML and PDF; returns the file stem and page count."""
    import nbformat  # noqa: PLC0415 - after startup.skip_iri_format_checker

    from relkit.pipeline import render  # noqa: PLC0415

    nbs = [nbformat.read(e.output, as_version=4) for e in executed]
    try:
        context = _context(eng, labels, brand, client_logo, checks)
        (stage / "workbooks").mkdir(exist_ok=True)
        for spec, nb in zip(specs, nbs):
            if spec.id not in written:
                (stage / "workbooks" / f"{spec.id}.html").write_text(
                    render.workbook_html(nb, context, _workbook_title(labels, spec)), encoding="utf-8")
        stem = f"{labels('report.file_stem')}-{eng.slug}"
        html = render.report_html(nbs, context)
        (stage / f"{stem}.html").write_text(html, encoding="utf-8")
        return stem, render.write_pdf(html, stage / f"{stem}.pdf", base_url=stage)
    except Exception as exc:
        raise RenderFailed(f"rendering the report failed: {type(exc).__name__}: {exc}") from exc


# Pieces the notebooks write under the staging folder, merged into one file each
# (figures.json) or into run.json under a key ("models"): {workbook: piece}.
MERGED_FILES = {"figures": "figures.json"}
MERGED_RUN_KEYS = {"models": "models"}


def _pieces(folder: Path) -> dict:
    """``folder/<workbook>.json`` files as {workbook: content}, in name order."""
    if not folder.is_dir():
        return {}
    return {piece.stem: json.loads(piece.read_text(encoding="utf-8")) for piece in sorted(folder.glob("*.json"))}


def _record(stage: Path, run_info: dict, scrub: Scrubber | None = None) -> None:
    """figures.json (the workbooks' key figures, merged) and run.json (with the
    models' pieces merged under "models"); no absolute path in either."""
    clean = scrub.data if scrub else (lambda value: value)
    for folder, name in MERGED_FILES.items():
        merged = clean(_pieces(stage / folder))
        (stage / name).write_text(json.dumps(merged, ensure_ascii=False, indent=2), encoding="utf-8")
    run_info = dict(run_info)
    for folder, key in MERGED_RUN_KEYS.items():
        pieces = _pieces(stage / folder)
        if pieces:
            run_info[key] = pieces
    (stage / "run.json").write_text(json.dumps(clean(run_info), ensure_ascii=False, indent=2), encoding="utf-8")


def _scrubber(folder: Path, out: Path, working_root: Path, slug: str, stage: Path, working_stage: Path,
              specs) -> Scrubber:
    """What each absolute path of this run becomes in the deliverables: the
    engagement folder's name, and out/working names with the client's slug."""
    published, confidential = f"{out.name}/{slug}", f"{working_root.name}/{slug}"
    paths: dict[Path, str] = {folder: folder.name, out: out.name, working_root: working_root.name,
                              out / slug: published, stage: published,
                              working_root / slug: confidential, working_stage: confidential}
    for spec in specs:
        paths.setdefault(Path(spec.path).resolve().parent, Path(spec.path).resolve().parent.name)
    return Scrubber(paths)


def _scrub_outputs(scrub: Scrubber, stage: Path, executed, scrubbed: set[str] = frozenset()) -> None:
    """Executed notebooks (but those ``scrubbed`` already) and JSON pieces, before they are rendered or published."""
    for e in executed:
        if e.spec.id not in scrubbed:
            scrub.notebook(e.output, source_name=e.spec.path.name)
    for folder in (*MERGED_FILES, *MERGED_RUN_KEYS):
        for piece in sorted((stage / folder).glob("*.json")) if (stage / folder).is_dir() else []:
            scrub.json_file(piece)


def import_notes(data, folder: Path) -> list[str]:
    """What the export readers decided for the consultant to check (amounts
    read HT, an id taken from the e-mail, dates read as dd/mm …), one line
    each, naming the file relative to the engagement folder."""
    lines = []
    for imported in (data.imports or {}).values():
        detected = imported.detected
        name = Path(str(detected.get("file", ""))).resolve()
        shown = name.relative_to(folder).as_posix() if name.is_relative_to(folder) else name.name
        lines += [f"{shown}: {note}" for note in detected.get("notes") or []]
    return lines


def consistency_checks(data, stage: Path, labels: Labels) -> dict[str, list[dict]]:
    """The contradictions between the engagement and the figures the workbooks
    recorded (stage/figures/*.json), worded: {"open": [...], "acknowledged": [...]}."""
    from relkit.workbooks.checks import check_lines  # noqa: PLC0415 - pandas-heavy, after the kernels

    return check_lines(data.engagement, data.sheets, _pieces(stage / "figures"), labels)


def run(folder: str | Path, lang: str | None = None, out: str | Path = "reports", working: str | Path | None = None,
        jobs: int | None = None, timeout: int | None = 600, notebooks: list[str | Path] | None = None,
        progress: Callable[[str], None] | None = _stderr, final: bool = False) -> RunResult:
    """Produce a client's deliverables into ``out/<client-slug>/``.

    A draft (the default) ends with the figures that contradict each other
    ("Points à vérifier"); ``final=True`` publishes only when none is open (each
    fixed, or acknowledged in engagement.yaml) and the report has no such page.

    Raises ValidationFailed (bad inputs, nothing started), NotebookFailed (a cell
    failed or a kernel died), ChecksOpen (final, contradictions open) or
    RenderFailed; in every failure case the previous deliverables are left untouched.
    """
    started = time.perf_counter()
    startup.skip_iri_format_checker()  # before nbformat (execute, render, scrub) imports jsonschema
    say = progress or (lambda msg: None)
    folder = Path(folder).resolve()
    data = load(folder)  # every input problem, before any kernel starts
    eng = data.engagement
    lang = lang or eng.language
    labels = Labels(lang, eng.currency)
    specs: list[WorkbookSpec] = from_paths(notebooks) if notebooks else default_workbooks(data)
    out = Path(out).resolve()
    target = out / eng.slug
    working_root = Path(working).resolve() if working else out.parent / "working"

    key = fingerprint.run_key(folder, lang, [s.path for s in specs] if notebooks else None,
                              **({"final": True} if final else {}))  # a draft is not up to date for --final
    say(f"{eng.client.name}: {len(specs)} workbook(s), language {lang}")
    for line in import_notes(data, folder):
        say(line)
    for line in translation_notes(data, lang):  # the client's words shown as typed in another language
        say(line)
    with staged(target) as stage, staged(working_root / eng.slug) as working_stage:
        (stage / "notebooks").mkdir()
        scrub = _scrubber(folder, out, working_root, eng.slug, stage, working_stage, specs)
        client_logo = folder / eng.client.logo if eng.client.logo else None
        early = _Pages(scrub, stage, labels, eng, data.brand, client_logo)  # rendered while the others run
        try:
            executed = _execute(specs, data, folder, lang, stage, working_stage, working_root, jobs, timeout, say,
                                on_done=early)
            early.wait()
        finally:
            early.close()
        _scrub_outputs(scrub, stage, executed, early.scrubbed)
        checks = consistency_checks(data, stage, labels)
        unshown = comment_places.not_shown(data.comments, [e.output for e in executed], folder)
        for entry in unshown:
            say(comment_places.line(entry))
        for line in [] if final else checks["open"]:  # a refused --final lists them once, in its error
            say(f"{labels('checks.title')}: {line['text']}")
        if checks["acknowledged"]:
            say(f"{len(checks['acknowledged'])} point(s) to check acknowledged in engagement.yaml")
        if checks["stale"]:
            say(f"engagement.yaml acknowledges {', '.join(checks['stale'])}, which no longer find anything: "
                "the entry can go")
        if final and checks["open"]:
            raise ChecksOpen(checks["open"])
        say("rendering HTML and PDF …")
        t0 = time.perf_counter()
        stem, pages = _render(specs, executed, eng, labels, stage, None if final else checks["open"],
                              data.brand, client_logo, early.written)
        try:
            pptx = deck.write(stage, data, folder, labels)  # restitution-<slug>.pptx: native charts, brand theme
        except Exception as exc:  # one line for the consultant, nothing published
            raise RenderFailed(f"writing the PowerPoint restitution failed: {type(exc).__name__}: {exc}") from exc
        docx = word.write(executed, data, labels, stage, None if final else checks["open"])  # rapport-<slug>.docx
        _record(stage, {
            "relkit_version": __version__,
            "python": platform.python_version(),
            "client": eng.client.name,
            "slug": eng.slug,
            "finished_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            # names only: a deliverable never shows where things are on this machine
            "parameters": {"engagement": folder.name, "lang": lang, "out": out.name, "working": working_root.name,
                           "timeout": timeout, "jobs": jobs},
            "inputs": {p.relative_to(folder).as_posix(): _sha256(p) for p in input_files(folder)},
            "notebooks": {s.id: _sha256(s.path) for s in specs},
            "templates": fingerprint.tree_hash(TEMPLATES_DIR),
            "run_key": key,
            "pdf": f"{stem}.pdf", "html": f"{stem}.html", "docx": Path(docx).name, "pptx": Path(pptx).name,
            "workbooks": {e.spec.id: e.record() for e in executed},
            "render_seconds": round(time.perf_counter() - t0, 3),
            "pages": pages,
            "final": final,
            "checks": checks,
            "comments_not_shown": unshown,
            "status": "ok",
        }, scrub)
    seconds = time.perf_counter() - started
    say(f"done in {seconds:.1f} s: {target}")
    timings = {e.spec.id: round(e.seconds, 3) for e in executed}
    return RunResult(eng.client.name, target, target / f"{stem}.pdf", target / f"{stem}.html", pages, seconds, timings,
                     docx=target / Path(docx).name, pptx=target / Path(pptx).name)
