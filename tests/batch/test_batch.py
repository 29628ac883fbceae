"""relkit batch: many clients at once, in parallel, incremental, isolated, on Dask."""
import hashlib
import html
import io
import json
import os
import re
import shutil
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook

from conftest import DEMO, ROOT
import relkit
from relkit.batch.jobs import BatchError, Job, jobs_from
from relkit.batch.progress import Progress
from relkit.batch.worker import prepare

pytestmark = pytest.mark.pipeline

DIAG = ROOT / "relkit" / "notebooks" / "01_diagnostic.ipynb"

# One small notebook for the isolation tests: it records which kernel ran it,
# kills its own `relkit run` process for a client named victim-*, and sleeps
# for one named slow-*.
PROBE = """\
import json, os, pathlib, signal, time
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
info = {"transport": app.transport, "ip": app.ip, "connection_file": app.connection_file, "pid": os.getpid()}
pathlib.Path(output_dir, f"kernel-{os.getpid()}.json").write_text(json.dumps(info))
name = pathlib.Path(engagement).name
if name.startswith("victim"):
    os.kill(os.getppid(), signal.SIGKILL)
if name.startswith("slow"):
    pathlib.Path(engagement).with_suffix(".pid").write_text(str(os.getpid()))
    time.sleep(120)
"""


def _client(parent: Path, dirname: str, name: str, broken: bool = False) -> Path:
    """A copy of the demo under another client name (hence slug), without the
    customer exports (workbook 01 does not read them; validation is faster)."""
    target = parent / dirname
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("exports"))
    path = target / "engagement.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["client"]["name"] = name
    data.pop("customer_data", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if broken:
        from openpyxl import load_workbook

        wb = load_workbook(target / "atelier.xlsx")
        ws = wb["Plan d'actions"]
        column = [c.value for c in ws[2]].index("Budget T1") + 1
        ws.cell(row=3, column=column).value = "beaucoup"
        wb.save(target / "atelier.xlsx")
    return target


def _probe(folder: Path, name: str = "probe") -> Path:
    nb = new_notebook(cells=[new_code_cell("engagement = None\nlang = None\noutput_dir = None\nworking_dir = None",
                                           metadata={"tags": ["parameters"]}), new_code_cell(PROBE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.fixture(scope="module")
def main(tmp_path_factory):
    """Three clients (one broken, with deliverables from an earlier run) in one batch."""
    base = tmp_path_factory.mktemp("batch")
    clients = base / "clients"
    clients.mkdir()
    _client(clients, "alpha", "Boulangerie Alpha")
    _client(clients, "beta", "Fromagerie Bêta")
    _client(clients, "gamma", "Cave Gamma", broken=True)
    out = base / "reports"
    previous = out / "cave-gamma"  # what an earlier successful run left
    previous.mkdir(parents=True)
    (previous / "rapport-cave-gamma.pdf").write_bytes(b"%PDF-1.7 earlier report")
    (previous / "rapport-cave-gamma.html").write_text("<html>earlier</html>", encoding="utf-8")
    (previous / "plan_relationnel_cave-gamma.xlsx").write_bytes(b"PK earlier plan")
    (previous / "figures.json").write_text(json.dumps({"05_plan_relationnel": {
        "programmes": {"value": 3, "label": "Programmes", "display": "3"}}}), encoding="utf-8")
    (previous / "run.json").write_text(json.dumps({
        "client": "Cave Gamma", "slug": "cave-gamma", "finished_at": "2026-10-01T09:30:00+02:00", "run_key": "earlier",
        "pdf": "rapport-cave-gamma.pdf", "html": "rapport-cave-gamma.html", "pages": 12, "status": "ok"}), encoding="utf-8")
    before = _snapshot(previous)
    stream = io.StringIO()
    t0 = time.perf_counter()
    result = relkit.run_batch(clients, out=out, workers=3, notebooks=[DIAG], progress=stream)
    seconds = time.perf_counter() - t0
    print(f"\nbatch of 3 (2 published, 1 invalid): {seconds:.1f} s")
    return SimpleNamespace(base=base, clients=clients, out=out, result=result, before=before,
                           output=stream.getvalue(), seconds=seconds)


def test_valid_clients_are_published_and_the_broken_one_fails_alone(main):
    r = main.result
    assert r.exit_code == 1
    assert r.counts == {"ok": 2, "failed": 1, "skipped": 0}
    for slug in ("boulangerie-alpha", "fromagerie-beta"):
        res = r[slug]
        assert res["status"] == "ok" and res["pages"] >= 2
        assert Path(res["pdf"]) == main.out / slug / f"rapport-{slug}.pdf" and Path(res["pdf"]).is_file()
        info = json.loads((main.out / slug / "run.json").read_text(encoding="utf-8"))
        assert info["status"] == "ok" and info["run_key"] == res["key"]
    bad = r["cave-gamma"]
    assert bad["status"] == "failed" and "\n" not in bad["reason"]
    assert "atelier.xlsx: sheet 'Plan d'actions', row 3, column 'Budget T1'" in bad["reason"]
    assert bad["reason"].endswith("got 'beaucoup'")
    # its previous deliverables are untouched, and no half-built folder is left
    assert _snapshot(main.out / "cave-gamma") == main.before
    assert not [p for p in main.out.iterdir() if p.name.startswith(".")]


def test_plain_progress_prints_a_line_per_client_and_a_summary(main):
    lines = main.output.splitlines()
    assert "\r" not in main.output
    assert re.search(r"^\[\d/3\] boulangerie-alpha ok in \d+\.\d s$", main.output, re.M)
    assert re.search(r"^\[\d/3\] cave-gamma failed in \d+\.\d s: .*got 'beaucoup'$", main.output, re.M)
    header = next(i for i, ln in enumerate(lines) if ln.split() == ["client", "status", "seconds", "pages", "reason"])
    table = lines[header + 2: header + 5]
    assert [ln.split()[:2] for ln in table] == [["boulangerie-alpha", "ok"], ["fromagerie-beta", "ok"],
                                                ["cave-gamma", "failed"]]  # the list's order
    assert "2 ok, 1 failed, 0 skipped in" in main.output
    assert f"index: {main.out / 'index.html'}" in lines


def test_index_links_every_deliverable_and_shows_the_failure(main):
    page = (main.out / "index.html").read_text(encoding="utf-8")
    hrefs = [unquote(html.unescape(h)) for h in re.findall(r'href="([^"]+)"', page)]
    assert hrefs and all((main.out / h).is_file() for h in hrefs)
    for slug in ("boulangerie-alpha", "fromagerie-beta"):
        assert f"{slug}/rapport-{slug}.pdf" in hrefs and f"{slug}/rapport-{slug}.html" in hrefs
    # the failed client: this time's reason and its previous deliverables
    assert {"cave-gamma/rapport-cave-gamma.pdf", "cave-gamma/plan_relationnel_cave-gamma.xlsx"} <= set(hrefs)
    row = re.search(r'<tr id="cave-gamma">(.*?)</tr>', page, re.S).group(1)
    assert "échec : " in row and "Plan d&#x27;actions" in row and "Livrables précédents" in row
    # key figures from figures.json
    figures = json.loads((main.out / "boulangerie-alpha" / "figures.json").read_text(encoding="utf-8"))
    assert "Objectif de CA" in page and html.escape(figures["01_diagnostic"]["revenue_target"]["display"]) in page
    assert "Fromagerie Bêta" in page
    status = json.loads((main.out / "batch.json").read_text(encoding="utf-8"))["clients"]
    assert {s: v["status"] for s, v in status.items()} == {"boulangerie-alpha": "ok", "cave-gamma": "failed",
                                                          "fromagerie-beta": "ok"}


def test_second_run_skips_up_to_date_clients(main, capsys, monkeypatch):
    from relkit import cli
    from relkit.batch import runner

    jobs = jobs_from(main.clients, main.out, notebooks=[DIAG])
    t0 = time.perf_counter()
    decisions = [prepare(j) for j in jobs]
    decide = time.perf_counter() - t0
    print(f"\nskip decision for 3 clients: {decide * 1000:.0f} ms")
    # up to date: skipped; invalid inputs unchanged since they failed validation: failed again, no process
    assert [d["result"]["status"] for d in decisions] == ["skipped", "skipped", "failed"]
    assert decisions[2]["result"]["unchanged"] and "got 'beaucoup'" in decisions[2]["result"]["reason"]
    assert decide < 1.0
    pdf = main.out / "boulangerie-alpha" / "rapport-boulangerie-alpha.pdf"
    mtime = pdf.stat().st_mtime_ns
    real = runner.batch
    monkeypatch.setattr(runner, "batch", lambda source, **kw: real(source, notebooks=[DIAG], **kw))
    code = cli.main(["batch", str(main.clients), "--out", str(main.out), "--workers", "2"])
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(r"^\[\d/3\] boulangerie-alpha skipped \(up to date\)$", out, re.M)
    assert re.search(r"^\[\d/3\] fromagerie-beta skipped \(up to date\)$", out, re.M)
    assert "0 ok, 1 failed, 2 skipped" in out
    assert pdf.stat().st_mtime_ns == mtime
    status = json.loads((main.out / "batch.json").read_text(encoding="utf-8"))["clients"]
    assert status["boulangerie-alpha"]["status"] == "skipped" and status["cave-gamma"]["status"] == "failed"
    assert _snapshot(main.out / "cave-gamma") == main.before


def test_changed_input_rebuilds_only_that_client(main):
    path = main.clients / "beta" / "engagement.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["revenue"]["target"] = "250 000 €"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = relkit.run_batch(main.clients, out=main.out, workers=3, notebooks=[DIAG], progress=False)
    assert [(r["slug"], r["status"]) for r in result.results] == [
        ("boulangerie-alpha", "skipped"), ("fromagerie-beta", "ok"), ("cave-gamma", "failed")]
    figures = json.loads((main.out / "fromagerie-beta" / "figures.json").read_text(encoding="utf-8"))
    assert figures["01_diagnostic"]["revenue_target"]["value"] == 250000.0
    assert _snapshot(main.out / "cave-gamma") == main.before


def test_force_rebuilds_up_to_date_clients(main, tmp_path, monkeypatch):
    """force=True sends up-to-date clients to a run again (the runs themselves
    are stubbed: the real ones are the other tests')."""
    from relkit.batch import runner

    out = tmp_path / "reports"
    shutil.copytree(main.out, out)
    ran = []

    def fake(job, prepared, cancel):
        ran.append(prepared["ident"]["slug"])
        return {**prepared["base"], "status": "ok"}

    monkeypatch.setattr(runner, "run_subprocess", fake)
    first = relkit.run_batch(main.clients, out=out, notebooks=[DIAG], progress=False)
    assert ran == []  # up to date, or invalid and unchanged since: nothing to run
    assert first["cave-gamma"]["status"] == "failed" and first["cave-gamma"]["unchanged"]
    assert first.exit_code == 1
    result = relkit.run_batch(main.clients, out=out, notebooks=[DIAG], progress=False, force=True)
    assert sorted(ran) == ["boulangerie-alpha", "cave-gamma", "fromagerie-beta"]
    assert result.exit_code == 0


def test_client_timeout_stops_the_run_and_its_kernels(tmp_path):
    from relkit.batch.worker import run_leftovers

    clients = tmp_path / "clients"
    slow = _client(clients, "slow", "Client Lent")
    probe = _probe(tmp_path / "nb")
    out = tmp_path / "reports"
    t0 = time.perf_counter()
    result = relkit.run_batch([Job(slow, out=out, notebooks=[probe], client_timeout=10)], progress=False)
    elapsed = time.perf_counter() - t0
    [res] = result.results
    assert res["status"] == "failed" and res["reason"] == "stopped after the client timeout of 10 s"
    assert elapsed < 10 + 5 + 10  # timeout + grace + start-up
    assert run_leftovers(res["pid"]) == []  # the run and every kernel it started are gone
    pid_file = slow.with_suffix(".pid")
    print(f"\nthe kernel reached the slow cell before the timeout: {pid_file.exists()}")
    if pid_file.exists():  # the kernel had reached the slow cell (it does unless the machine is very busy)
        kernel = int(pid_file.read_text())
        assert not _alive(kernel)
    assert not out.joinpath("client-lent").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_dask_local_cluster(tmp_path):
    import distributed  # a dependency (pyproject.toml): missing, this test fails, it never skips
    clients = tmp_path / "clients"
    _client(clients, "one", "Dask Un")
    _client(clients, "two", "Dask Deux")
    probe = _probe(tmp_path / "nb")
    out = tmp_path / "reports"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True,
                                  dashboard_address=None) as cluster:
        result = relkit.run_batch(clients, out=out, scheduler=cluster.scheduler_address, notebooks=[probe], progress=False)
        assert [(r["slug"], r["status"]) for r in result.results] == [("dask-un", "ok"), ("dask-deux", "ok")]
        assert all(Path(r["pdf"]).is_file() for r in result.results)
        assert result.scheduler == cluster.scheduler_address and result.exit_code == 0
        again = relkit.run_batch(clients, out=out, scheduler=cluster.scheduler_address, notebooks=[probe], progress=False)
        assert [r["status"] for r in again.results] == ["skipped", "skipped"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Dask Un" in page and "dask-deux/rapport-dask-deux.pdf" in page


def test_parallel_clients_from_a_csv_list_kernels_apart_and_a_killed_run(tmp_path):
    """Seven clients from a CSV list, three at a time, two notebooks each run
    at once: six kernels start together, and each kernel gets its own IPC socket
    prefix. One client's run process is killed (SIGKILL): it fails alone. One
    client is in English by a per-client override."""
    clients = tmp_path / "clients"
    for n in range(6):
        _client(clients, f"c{n}", f"Client Parallèle {n}")
    _client(clients, "victim", "Victime Client")
    probes = [_probe(tmp_path / "nb", "k1"), _probe(tmp_path / "nb", "k2")]
    listing = tmp_path / "liste.csv"
    rows = ["clients/c0;en"] + [f"clients/c{n};" for n in range(1, 3)] + ["clients/victim;"] + \
        [f"{clients / f'c{n}'};" for n in range(3, 6)]
    listing.write_text("Dossier;Langue\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "reports"
    result = relkit.run_batch(listing, out=out, workers=3, jobs=2, notebooks=probes, progress=False)
    by = {r["slug"]: r for r in result.results}
    victim = by.pop("victime-client")
    assert victim["status"] == "failed" and victim["reason"] == "the run process was killed (signal 9, SIGKILL)"
    assert not (out / "victime-client").exists() and not [p for p in out.iterdir() if p.name.startswith(".")]
    assert [r["status"] for r in by.values()] == ["ok"] * 6, [r["reason"] for r in by.values()]
    assert result.exit_code == 1
    english = by["client-parallele-0"]
    assert english["lang"] == "en" and Path(english["pdf"]).name == "report-client-parallele-0.pdf"
    assert Path(by["client-parallele-1"]["pdf"]).name == "rapport-client-parallele-1.pdf"
    kernels = [json.loads(p.read_text()) for p in sorted(out.glob("*/kernel-*.json"))]
    assert len(kernels) == 12
    assert {k["transport"] for k in kernels} == {"ipc"}
    prefixes = [k["ip"] for k in kernels]
    assert len(set(prefixes)) == 12 and all(Path(p).name.startswith("rk-") for p in prefixes)
    assert len({k["connection_file"] for k in kernels}) == 12
    # up to date now: skipped without a process
    again = relkit.run_batch([Job(clients / "c1", out=out, notebooks=probes)], progress=False)
    assert again.results[0]["status"] == "skipped" and again.exit_code == 0


def test_csv_errors_name_the_line(tmp_path):
    _client(tmp_path, "ok", "Client Valide")
    listing = tmp_path / "list.csv"
    listing.write_text("folder,lang,out\nok,fr,\nmissing,,\nok,de,\n,,\n", encoding="utf-8")
    with pytest.raises(BatchError) as err:
        jobs_from(listing, tmp_path / "reports")
    lines = str(err.value).splitlines()
    assert lines == [
        f"{listing}, line 3: folder 'missing' not found ({tmp_path / 'missing'})",
        f"{listing}, line 4: column 'lang': expected fr or en, got 'de'",
    ]
    listing.write_text("Dossier;Langue;Sortie\nok;en;elsewhere\n", encoding="utf-8")
    [job] = jobs_from(listing, tmp_path / "reports")
    assert (job.folder, job.lang, job.out) == (str(tmp_path / "ok"), "en", str(tmp_path / "elsewhere"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchError, match="no engagement folder"):
        jobs_from(tmp_path / "empty", tmp_path / "reports")


def test_live_progress_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    show = Progress(4, 2, stream)
    show.started("a")
    show.finished({"slug": "a", "status": "ok", "seconds": 10.0})
    show.finished({"slug": "b", "status": "skipped", "seconds": 0.01})
    text = stream.getvalue()
    assert "\r" in text and "1 ok, 0 failed, 1 skipped, 0 running" in text
    assert "ETA 0:10" in text  # 10 s mean × 2 left ÷ 2 workers
    show.close([{"slug": "a", "status": "ok", "seconds": 10.0, "pages": 6}])
    assert stream.getvalue().splitlines()[-3].split() == ["a", "ok", "10.0", "6"]


def test_index_escapes_text(tmp_path):
    from relkit.batch.index import write_index

    folder = tmp_path / "reports" / "x"
    folder.mkdir(parents=True)
    (folder / "r.pdf").write_bytes(b"%PDF")
    (folder / "run.json").write_text(json.dumps({"client": "<script>alert(1)</script>", "status": "ok", "pdf": "r.pdf",
                                                 "finished_at": "2026-11-23T10:00:00+01:00"}), encoding="utf-8")
    page = write_index(tmp_path / "reports", "en").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page and 'href="x/r.pdf"' in page
    assert not [p for p in (tmp_path / "reports").iterdir() if p.name.startswith(".")]
