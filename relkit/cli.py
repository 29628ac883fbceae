"""`relkit` command line: a thin layer over the Python API."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .problems import ValidationFailed


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
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "new":
            from .new import new_engagement

            folder = new_engagement(args.folder, args.name, sector=args.sector, model=args.model,
                                    consultant=args.consultant, language=args.lang, plan_year=args.plan_year)
            print(f"created {folder}/engagement.yaml and {folder}/atelier.xlsx")
            return 0
        if args.command == "validate":
            from .validate import load

            data = load(args.folder)
            print(f"{args.folder}: valid ({data.engagement.client.name}, plan {data.engagement.plan_year})")
            return 0
        if args.command == "run":
            from .pipeline.execute import NotebookFailed
            from .pipeline.run import RenderFailed, run

            try:
                result = run(args.folder, lang=args.lang, out=args.out, working=args.working, jobs=args.jobs,
                             timeout=args.timeout, progress=None if args.quiet else _progress)
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
            print(f"  all : {result.out_dir}/")
            return 0
    except ValidationFailed as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except FileExistsError as exc:
        print(f"relkit: error: {exc}", file=sys.stderr)
        return 1
    return 0


def _progress(msg: str) -> None:
    print(f"relkit: {msg}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
