"""`relkit` command line: a thin layer over the Python API.

Each command parses its arguments, makes one call into the public API
(``relkit.new``, ``relkit.validate``, ``relkit.run``, ``relkit.run_batch``,
``relkit.serve``) and turns the outcome into messages and an exit code:
0 done, 1 a run/server failure, 2 bad input, 130 interrupted.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import relkit
from relkit._version import __version__
from relkit.io.problems import ValidationFailed


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="relkit", description="Relationship-marketing workbooks: engagement folder in, client report out.")
    p.add_argument("--version", action="version", version=f"relkit {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    n = sub.add_parser("new", help="create an engagement folder (engagement.yaml + workshop workbook)")
    n.add_argument("folder", type=Path)
    n.add_argument("--name", required=True, help="client name")
    n.add_argument("--sector", default="À préciser")
    n.add_argument("--model", choices=["B2C", "B2B", "B2B2C"], default="B2C")
    n.add_argument("--consultant", default="À préciser")
    n.add_argument("--lang", choices=["fr", "en"], default="fr")
    n.add_argument("--plan-year", type=int)
    n.add_argument("--channels", help="the channels the client uses, comma-separated (e.g. 'e-mail,téléphone'): the "
                   "journey's channel list and the KPIs offered in the workshop workbook (default: every channel)")

    v = sub.add_parser("validate", help="check every input of an engagement folder (exit 2 on problems)")
    v.add_argument("folder", type=Path)

    r = sub.add_parser("run", help="produce the deliverables of one engagement")
    r.add_argument("folder", type=Path)
    r.add_argument("--lang", choices=["fr", "en"], help="language of the deliverables (default: the engagement's)")
    r.add_argument("--out", type=Path, default=Path("reports"), help="deliverables folder (default: reports/)")
    r.add_argument("--working", type=Path, help="confidential working folder (default: working/ beside --out)")
    r.add_argument("--jobs", type=int, help="notebooks run in parallel (default: number of cores)")
    r.add_argument("--timeout", type=int, default=600, help="seconds allowed per notebook cell (default 600)")
    r.add_argument("--quiet", action="store_true", help="no progress lines")
    r.add_argument("--final", action="store_true",
                   help="publish only if no figures contradict each other (or each contradiction is acknowledged in "
                        "engagement.yaml); the report then has no 'points to check' page (exit 2 otherwise)")

    ws = sub.add_parser("workshop", help="serve the workshop editors of one engagement (Voilà, or JupyterLab with --lab)",
                        description="Serve the workshop editors: every topic of the workshop workbook as a live form "
                                    "that saves back into the engagement folder (previous versions in sauvegardes/). "
                                    "Voilà shows them without code, for the room; --lab opens the workshop notebook "
                                    "in JupyterLab. Bound to 127.0.0.1; Ctrl-C stops the server.")
    ws.add_argument("folder", type=Path, help="the engagement folder (with engagement.yaml)")
    ws.add_argument("--lab", action="store_true", help="open the workshop notebook in JupyterLab instead of Voilà")
    ws.add_argument("--port", type=int, help="port to listen on (default: a free one)")
    ws.add_argument("--lang", choices=["fr", "en"], help="language of the editors (default: the engagement's)")
    ws.add_argument("--open", action="store_true", help="open the page in the default web browser")

    b = sub.add_parser("batch", help="produce the deliverables of many engagements, in parallel, skipping up-to-date ones",
                       description="Run every client of a folder of engagement folders (or of a .csv list with a "
                                   "'folder' column and optional 'lang' and 'out' columns) in parallel, each in its own "
                                   "process; clients whose deliverables are up to date are skipped. Writes "
                                   "OUT/index.html and OUT/batch.json. Exit code 0 only if every client succeeded "
                                   "or was up to date. With --scheduler, clients run on a Dask cluster: the folders "
                                   "must be shared by every worker at the same absolute path.")
    b.add_argument("source", type=Path, help="a folder of engagement folders, or a .csv list")
    b.add_argument("--workers", type=int, help="clients run at once (default: one per core)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://host:8786")
    b.add_argument("--force", action="store_true", help="rebuild every client, even up-to-date ones")
    b.add_argument("--lang", choices=["fr", "en"], help="language of every client's deliverables (default: each engagement's)")
    b.add_argument("--out", type=Path, default=Path("reports"), help="deliverables folder (default: reports/)")
    b.add_argument("--timeout", type=int, default=600, help="seconds allowed per notebook cell (default 600)")
    b.add_argument("--client-timeout", type=float, help="wall-clock seconds allowed per client (default: none)")
    b.add_argument("--final", action="store_true",
                   help="publish each client only if none of its figures contradict each other (or each "
                        "contradiction is acknowledged in its engagement.yaml); a refused client fails")
    return p


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, make one call into the public API (``relkit.*``), print
    its outcome; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationFailed as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except FileExistsError as exc:
        print(f"relkit: error: {exc}", file=sys.stderr)
        return 1


def _new(args) -> int:
    folder = relkit.new(args.folder, args.name, sector=args.sector, model=args.model,
                        consultant=args.consultant, language=args.lang, plan_year=args.plan_year,
                        channels=[c.strip() for c in args.channels.split(",") if c.strip()] if args.channels else None)
    print(f"created {folder}/engagement.yaml and {folder}/atelier.xlsx")
    return 0


def _validate(args) -> int:
    data = relkit.validate(args.folder)
    print(f"{args.folder}: valid ({data.engagement.client.name}, plan {data.engagement.plan_year})")
    return 0


def _run(args) -> int:
    from relkit.pipeline.execute import NotebookFailed
    from relkit.pipeline.run import ChecksOpen, RenderFailed

    try:
        result = relkit.run(args.folder, lang=args.lang, out=args.out, working=args.working, jobs=args.jobs,
                            timeout=args.timeout, progress=None if args.quiet else _progress, final=args.final)
    except ChecksOpen as exc:
        print(f"relkit: {exc}", file=sys.stderr)
        print("relkit: the previous deliverables were left unchanged.", file=sys.stderr)
        return exc.exit_code
    except (NotebookFailed, RenderFailed) as exc:
        print(f"relkit: error: {exc}", file=sys.stderr)
        print("relkit: the previous deliverables were left unchanged.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nrelkit: interrupted; the previous deliverables were left unchanged.", file=sys.stderr)
        return 130
    print(f"Deliverables for {result.client} ({result.pages} PDF pages, {result.seconds:.1f} s):")
    print(f"  PDF : {result.pdf}")
    print(f"  HTML: {result.html}")
    if result.docx:
        print(f"  Word: {result.docx}")
    if result.pptx:
        print(f"  PowerPoint: {result.pptx}")
    print(f"  all : {result.out_dir}/")
    return 0


def _batch(args) -> int:
    from relkit.batch.jobs import BatchError

    if args.workers is not None and args.workers < 1:
        print("relkit: error: --workers must be at least 1", file=sys.stderr)
        return 2
    try:
        result = relkit.run_batch(args.source, out=args.out, workers=args.workers, scheduler=args.scheduler,
                                  force=args.force, lang=args.lang, timeout=args.timeout,
                                  client_timeout=args.client_timeout, progress=True, final=args.final)
    except BatchError as exc:
        print("\n".join(f"relkit: error: {line}" for line in exc.problems), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\nrelkit: interrupted; clients not finished kept their previous deliverables.", file=sys.stderr)
        return 130
    return result.exit_code


def _workshop(args) -> int:
    from relkit.workshop.serve import CannotServe

    try:
        return relkit.serve(args.folder, lab=args.lab, port=args.port, lang=args.lang, open_browser=args.open)
    except CannotServe as exc:  # not an engagement folder, port out of range: nothing started
        print(f"relkit: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except (RuntimeError, TimeoutError) as exc:  # the server did not start (port taken, …)
        print(f"relkit: error: {exc}", file=sys.stderr)
        return 1


COMMANDS = {"new": _new, "validate": _validate, "run": _run, "batch": _batch, "workshop": _workshop}


def _progress(msg: str) -> None:
    print(f"relkit: {msg}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
