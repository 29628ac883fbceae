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
from relkit.pipeline.kernel import ForkServer, KernelPool, start_fork_server
from relkit.pipeline.printer import Printer
from relkit.pipeline.bind import Pages, RenderFailed, render_report
from relkit.pipeline import comment_places, deck, fingerprint, startup
from relkit.pipeline import word
from relkit.pipeline.fingerprint import sha256
from relkit.pipeline.publish import staged
from relkit.pipeline.scrub import Scrubber


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


def _warm_renderers(lang: str, weasyprint: bool = True) -> None:
    """Import WeasyPrint (unless a printer process prints the PDF) and load the nbconvert
    templates while kernels run (this process is mostly waiting then); render uses the cached objects."""
    try:
        if weasyprint:
            import weasyprint  # noqa: F401, PLC0415

        from relkit.pipeline import render

        render.warm(lang)
    except Exception:
        pass  # render will report any real problem itself


def _stderr(msg: str) -> None:
    print(f"relkit: {msg}", file=sys.stderr, flush=True)


def previous_seconds(target: Path) -> dict[str, float]:
    """How long each workbook took in this client's last run (its run.json), for
    starting the longest first; {} when there is none or it cannot be read."""
    try:
        workbooks = (fingerprint.recorded(target) or {})["workbooks"]
        return {k: float(v["seconds"]) - float(v.get("kernel_wait", 0)) for k, v in workbooks.items()
                if v.get("status") == "ok"}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def _execute(specs, data, folder: Path, lang: str, stage: Path, working_stage: Path, working_root: Path,
             jobs: int | None, timeout: int | None, say, on_done=None, expected: dict[str, float] | None = None,
             server: ForkServer | None = None, printer: Printer | None = None) -> list:
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
    pool = KernelPool(stage, server=server)
    try:
        pool.prepare(jobs)
        threading.Thread(target=_warm_renderers, args=(lang, printer is None), daemon=True).start()
        from relkit.pipeline.execute import NotebookFailed, execute_all  # noqa: PLC0415 - imported while kernels warm up

        def parameters(spec: WorkbookSpec) -> dict:
            return {"engagement": str(folder), "lang": lang, "output_dir": str(stage), "working_dir": str(working_stage)}

        try:
            return execute_all(specs, stage / "notebooks", parameters, pool, timeout=timeout, jobs=jobs, progress=say,
                               prepared=jobs, on_done=on_done, expected=expected)
        except NotebookFailed as exc:
            failed = stage / "notebooks" / f"{exc.workbook}.ipynb"
            if failed.exists():
                keep = working_root / f"{eng.slug}.failed"
                keep.mkdir(parents=True, exist_ok=True)
                (keep / failed.name).write_bytes(failed.read_bytes())
            raise
    finally:
        pool.close()


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
    server = start_fork_server()  # the kernels' imports, on the other core while the inputs are checked
    try:
        return _run(folder, lang, out, working, jobs, timeout, notebooks, progress, final, started, server)
    finally:
        if server is not None:
            server.close()  # already closed by the kernel pool, unless the inputs were refused


@dataclass(frozen=True)
class _Plan:
    """A run whose inputs passed: what to run and where its outputs go."""

    data: object  # EngagementData
    folder: Path
    lang: str
    labels: Labels
    specs: list[WorkbookSpec]
    out: Path
    target: Path  # out/<slug>
    working_root: Path
    key: str  # fingerprint.run_key
    jobs: int | None
    timeout: int | None
    final: bool

    @property
    def eng(self):
        return self.data.engagement


def _plan(folder, lang, out, working, jobs, timeout, notebooks, final) -> _Plan:
    folder = Path(folder).resolve()
    data = load(folder)  # every input problem, before any kernel starts
    eng = data.engagement
    lang = lang or eng.language
    specs: list[WorkbookSpec] = from_paths(notebooks) if notebooks else default_workbooks(data)
    out = Path(out).resolve()
    key = fingerprint.run_key(folder, lang, [s.path for s in specs] if notebooks else None,
                              **({"final": True} if final else {}))  # a draft is not up to date for --final
    return _Plan(data, folder, lang, Labels(lang, eng.currency), specs, out, out / eng.slug,
                 Path(working).resolve() if working else out.parent / "working", key, jobs, timeout, final)


def _run(folder, lang, out, working, jobs, timeout, notebooks, progress, final, started, server) -> RunResult:
    startup.skip_iri_format_checker()  # before nbformat (execute, render, scrub) imports jsonschema
    say = progress or (lambda msg: None)
    plan = _plan(folder, lang, out, working, jobs, timeout, notebooks, final)
    say(f"{plan.eng.client.name}: {len(plan.specs)} workbook(s), language {plan.lang}")
    for line in import_notes(plan.data, plan.folder):
        say(line)
    for line in translation_notes(plan.data, plan.lang):  # the client's words shown as typed in another language
        say(line)
    printer = Printer.start()  # imports WeasyPrint while the notebooks run
    try:
        return _publish(plan, say, started, server, printer)
    finally:
        if printer is not None:
            printer.close()


def _publish(plan: _Plan, say, started, server, printer) -> RunResult:
    """Run, render and publish, from validated inputs."""
    data, eng, folder, labels, specs, final = plan.data, plan.eng, plan.folder, plan.labels, plan.specs, plan.final
    target, working_root = plan.target, plan.working_root
    with staged(target) as stage, staged(working_root / eng.slug) as working_stage:
        (stage / "notebooks").mkdir()
        scrub = _scrubber(folder, plan.out, working_root, eng.slug, stage, working_stage, specs)
        client_logo = folder / eng.client.logo if eng.client.logo else None
        early = Pages(scrub, stage, labels, eng, data.brand, client_logo)  # rendered while the others run
        try:
            executed = _execute(specs, data, folder, plan.lang, stage, working_stage, working_root, plan.jobs,
                                plan.timeout, say, on_done=early, expected=previous_seconds(target), server=server,
                                printer=printer)
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
        stem, pdf_pages = render_report(specs, executed, eng, labels, stage, None if final else checks["open"],
                                  data.brand, client_logo, early.written, printer)
        try:
            pptx = deck.write(stage, data, folder, labels)  # restitution-<slug>.pptx: native charts, brand theme
        except Exception as exc:  # one line for the consultant, nothing published
            raise RenderFailed(f"writing the PowerPoint restitution failed: {type(exc).__name__}: {exc}") from exc
        docx = word.write(executed, data, labels, stage, None if final else checks["open"])  # rapport-<slug>.docx
        pages = pdf_pages()
        _record(stage, {
            "relkit_version": __version__,
            "python": platform.python_version(),
            "client": eng.client.name,
            "slug": eng.slug,
            "finished_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            # names only: a deliverable never shows where things are on this machine
            "parameters": {"engagement": folder.name, "lang": plan.lang, "out": plan.out.name,
                           "working": working_root.name, "timeout": plan.timeout, "jobs": plan.jobs},
            "inputs": {p.relative_to(folder).as_posix(): _sha256(p) for p in input_files(folder)},
            "notebooks": {s.id: _sha256(s.path) for s in specs},
            "templates": fingerprint.tree_hash(TEMPLATES_DIR),
            "run_key": plan.key,
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
