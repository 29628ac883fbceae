"""``out/index.html``: every client's deliverables on one page.

One row per client folder under ``out`` (its run.json and figures.json) and
per client the last batch tried (``out/batch.json``): client, date of the
deliverables, status of the last batch attempt — a client that failed this
time but has older deliverables shows "failed: reason" *and* links to those —
relative links to the PDF, the HTML and every .xlsx deliverable, and a few
key figures. Plain HTML with inline CSS; rewritten atomically.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

BATCH_FILE = "batch.json"
INDEX_FILE = "index.html"
RUN_FILE = "run.json"

# (figure key in figures.json, label key): the first workbook holding it wins.
KEY_FIGURES = (
    ("revenue_target", "batch.fig.revenue_target"),
    ("customers", "batch.fig.customers"),
    ("budget_money", "batch.fig.budget"),
    ("programmes", "batch.fig.programmes"),
)

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2rem;color:#1d2733;background:#fff}
h1{font-size:1.5rem;margin:0 0 .3rem}
p.meta{color:#5b6775;margin:.2rem 0 1rem;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #dde3ea;padding:.45rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f5f8;font-weight:600}
.ok{color:#1e7b34;font-weight:600}.skipped{color:#2f5f8a;font-weight:600}.failed{color:#b3261e;font-weight:600}
.previous{color:#5b6775;font-size:.85rem}
ul{margin:0;padding-left:1.1rem}
a{color:#1f5fa8}
dl{margin:0;display:grid;grid-template-columns:auto auto;gap:.1rem .6rem}
dt{color:#5b6775}dd{margin:0}
""".strip()


def _write_atomic(path: Path, text: str) -> None:
    """Write beside the target, then replace it: readers never see half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_batch(out_dir: str | Path) -> dict:
    """slug -> last batch attempt ({client, status, reason, at, seconds, folder})."""
    clients = _read_json(Path(out_dir) / BATCH_FILE).get("clients")
    return clients if isinstance(clients, dict) else {}


def record_batch(out_dir: str | Path, results: list[dict]) -> Path:
    """Merge this batch's outcome per client into ``out/batch.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clients = read_batch(out_dir)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    for r in results:
        clients[r["slug"]] = {"client": r.get("client"), "status": r.get("status"), "reason": r.get("reason"),
                              "at": now, "seconds": r.get("seconds"), "folder": r.get("folder"),
                              "key": r.get("key"), "invalid": bool(r.get("invalid"))}
    path = out_dir / BATCH_FILE
    _write_atomic(path, json.dumps({"updated_at": now, "clients": dict(sorted(clients.items()))},
                                   ensure_ascii=False, indent=2))
    return path


def _href(*parts: str) -> str:
    return html.escape("/".join(quote(p) for p in parts), quote=True)


def _date(text: str | None, labels) -> str:
    if not text:
        return ""
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{labels.date(when.date(), 'medium')} {when:%H:%M}"


def _figures(folder: Path, labels) -> list[tuple[str, str]]:
    data = _read_json(folder / "figures.json")
    found = []
    for key, label in KEY_FIGURES:
        for workbook in data.values():
            fig = workbook.get(key) if isinstance(workbook, dict) else None
            if isinstance(fig, dict) and fig.get("display") not in (None, ""):
                found.append((labels(label), str(fig["display"])))
                break
    return found


def _rows(out_dir: Path, labels) -> list[dict]:
    attempts = read_batch(out_dir)
    slugs = {p.name for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
             and (p / RUN_FILE).is_file()} if out_dir.is_dir() else set()
    slugs |= {s for s in attempts if isinstance(s, str) and s and "/" not in s and not s.startswith(".")}
    rows = []
    for slug in slugs:
        folder = out_dir / slug
        run = _read_json(folder / RUN_FILE)
        published = run.get("status") == "ok" and bool(run.get("pdf"))
        attempt = attempts.get(slug) or {}
        links = []
        if published:
            for kind in ("pdf", "html"):
                if run.get(kind) and (folder / run[kind]).is_file():
                    links.append((labels(f"batch.link.{kind}"), _href(slug, run[kind])))
            links += [(p.name, _href(slug, p.name)) for p in sorted(folder.glob("*.xlsx"))]
        rows.append({
            "slug": slug,
            "client": run.get("client") or attempt.get("client") or slug,
            "date": _date(run.get("finished_at"), labels) if published else "",
            "status": attempt.get("status") or ("ok" if published else "failed"),
            "reason": attempt.get("reason") or "",
            "links": links,
            "figures": _figures(folder, labels) if published else [],
        })
    return sorted(rows, key=lambda r: (str(r["client"]).casefold(), r["slug"]))


def render_index(out_dir: str | Path, lang: str = "fr") -> str:
    from relkit.io.labels import Labels

    labels = Labels(lang)
    out_dir = Path(out_dir)
    rows = _rows(out_dir, labels)
    e = html.escape
    failed = sum(r["status"] == "failed" for r in rows)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    body = []
    for r in rows:
        status = r["status"] if r["status"] in ("ok", "skipped", "failed") else "ok"
        if status == "failed":
            status_html = f'<span class="failed">{e(labels("batch.status.failed", reason=r["reason"] or "?"))}</span>'
        else:
            status_html = f'<span class="{status}">{e(labels(f"batch.status.{status}"))}</span>'
        if r["links"]:
            items = "".join(f'<li><a href="{href}">{e(text)}</a></li>' for text, href in r["links"])
            links_html = f"<ul>{items}</ul>"
            if status == "failed":
                links_html = f'<div class="previous">{e(labels("batch.previous", date=r["date"]))}</div>' + links_html
        else:
            links_html = f'<span class="previous">{e(labels("batch.none"))}</span>'
        figs = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in r["figures"])
        body.append(
            f'<tr id="{e(r["slug"], quote=True)}"><td>{e(str(r["client"]))}</td><td>{e(r["date"])}</td>'
            f"<td>{status_html}</td><td>{links_html}</td><td>{f'<dl>{figs}</dl>' if figs else ''}</td></tr>"
        )
    head = "".join(f"<th>{e(labels(k))}</th>" for k in
                   ("batch.col.client", "batch.col.date", "batch.col.status", "batch.col.deliverables", "batch.col.figures"))
    table = (f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>" if rows
             else f"<p>{e(labels('batch.index.empty'))}</p>")
    title = labels("batch.index.title")
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">{e(labels("batch.index.updated", date=_date(now, labels)))} — '
        f'{e(labels("batch.index.counts", clients=len(rows), ok=len(rows) - failed, failed=failed))}</p>',
        table,
        f'<p class="meta">{e(labels("batch.index.confidential"))}</p>',
        "</body>", "</html>", "",
    ])


def write_index(out_dir: str | Path, lang: str = "fr") -> Path:
    """(Re)write ``out/index.html`` from what is under ``out``; returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / INDEX_FILE
    _write_atomic(path, render_index(out_dir, lang))
    return path
