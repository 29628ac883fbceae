"""A failed run leaves the previous deliverables byte-identical and says why."""
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook

import relkit
from relkit.pipeline.execute import NotebookFailed
from relkit.io.problems import ValidationFailed

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Deliverables of one successful demo run, kept as a pristine copy."""
    from conftest import DEMO

    base = tmp_path_factory.mktemp("published")
    relkit.run(DEMO, out=base / "reports", progress=None)
    return base


@pytest.fixture
def previous(published, tmp_path, demo):
    """(engagement, out, working, snapshot) with earlier deliverables in place."""
    shutil.copytree(published / "reports", tmp_path / "reports")
    shutil.copytree(published / "working", tmp_path / "working")
    return demo, tmp_path / "reports", tmp_path / "working", _snapshot(tmp_path / "reports")


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _notebook(tmp_path, name, *sources):
    nb = new_notebook(cells=[new_code_cell("engagement = None\nlang = None\noutput_dir = None\nworking_dir = None",
                                           metadata={"tags": ["parameters"]})] + [new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_bad_input_leaves_deliverables_untouched(previous):
    engagement, out, _, before = previous
    path = engagement / "engagement.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["revenue"]["target"] = "-3 €"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        relkit.run(engagement, out=out, progress=None)
    assert "key 'revenue.target': must not be negative, got '-3 €'" in str(err.value)
    assert _snapshot(out) == before


def test_failing_cell_names_notebook_and_cell(previous, tmp_path):
    engagement, out, working, before = previous
    nb = _notebook(tmp_path, "02_casse", "x = 1", "ventes = {'T1': 10}\nventes['T5']")
    with pytest.raises(NotebookFailed) as err:
        relkit.run(engagement, out=out, progress=None, notebooks=[nb])
    assert str(err.value) == "02_casse.ipynb, cell 3 (`ventes = {'T1': 10}`) failed: KeyError: 'T5'"
    assert _snapshot(out) == before
    assert (working / "arnaud-zoe.failed" / "02_casse.ipynb").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_killed_kernel(previous, tmp_path):
    engagement, out, _, before = previous
    nb = _notebook(tmp_path, "03_kill", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    with pytest.raises(NotebookFailed) as err:
        relkit.run(engagement, out=out, progress=None, notebooks=[nb])
    assert str(err.value).startswith("03_kill.ipynb failed: the Python kernel died")
    assert str(err.value).endswith("(tried 2 times)")
    assert _snapshot(out) == before


def test_a_kernel_that_dies_once_is_retried_on_a_new_one(demo, tmp_path):
    marker = tmp_path / "died-once"
    nb = _notebook(tmp_path, "04_dies_once",
                   f"import os, pathlib, signal\nm = pathlib.Path({str(marker)!r})\n"
                   "if not m.exists():\n    m.touch()\n    os.kill(os.getpid(), signal.SIGKILL)",
                   "print('second kernel finished')")
    result = relkit.run(demo, out=tmp_path / "reports", progress=None, notebooks=[nb])
    assert marker.exists() and result.pages >= 2


def test_failure_among_parallel_notebooks(previous, tmp_path):
    engagement, out, _, before = previous
    ok = _notebook(tmp_path, "a_ok", "import time\ntime.sleep(1)")
    bad = _notebook(tmp_path, "b_bad", "1/0")
    cwd = os.getcwd()
    with pytest.raises(NotebookFailed, match=r"^b_bad.ipynb, cell 2 \(`1/0`\) failed: ZeroDivisionError: division by zero$"):
        relkit.run(engagement, out=out, progress=None, notebooks=[ok, bad], jobs=2)
    assert _snapshot(out) == before
    assert os.getcwd() == cwd  # parallel notebooks never move the process directory


def test_ctrl_c_leaves_deliverables_untouched(previous, tmp_path):
    engagement, out, _, before = previous
    nb = _notebook(tmp_path, "04_slow", "import time\ntime.sleep(300)")
    script = textwrap.dedent(f"""
        import relkit
        relkit.run({str(engagement)!r}, out={str(out)!r}, notebooks=[{str(nb)!r}], progress=print)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ.copy())
    deadline = time.time() + 180
    while time.time() < deadline:  # wait until the kernel is running the slow cell
        if list(out.glob(".arnaud-zoe.staging-*/notebooks/04_slow.ipynb")) or list(out.glob(".arnaud-zoe.staging-*")):
            time.sleep(3)
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=180)
    assert proc.returncode != 0
    assert "KeyboardInterrupt" in stderr
    assert _snapshot(out) == before
    assert not list(out.glob(".arnaud-zoe.*"))


def test_cli_reports_failure_in_one_paragraph(previous, tmp_path, capsys, monkeypatch):
    from relkit import cli
    from relkit.pipeline import run as run_module

    engagement, out, _, before = previous
    nb = _notebook(tmp_path, "05_err", "raise ValueError('colonne « CA » absente\\ndu fichier')")
    real_run = run_module.run
    monkeypatch.setattr(run_module, "run", lambda folder, **kw: real_run(folder, notebooks=[nb], **kw))
    assert cli.main(["run", str(engagement), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "relkit: error: 05_err.ipynb, cell 2 (`raise ValueError('colonne « CA » absente\\ndu fichier')`) failed: "
        "ValueError: colonne « CA » absente du fichier",
        "relkit: the previous deliverables were left unchanged.",
    ]
    assert _snapshot(out) == before


def test_bad_customer_export_names_file_line_and_column(previous):
    engagement, out, _, before = previous
    sales = engagement / "exports" / "ventes.csv"
    lines = sales.read_bytes().split(b"\r\n")
    fields = lines[41].split(b";")
    fields[1] = b"31/13/2026"  # no 13th month
    lines[41] = b";".join(fields)
    sales.write_bytes(b"\r\n".join(lines))
    with pytest.raises(ValidationFailed) as err:
        relkit.run(engagement, out=out, progress=None)
    [problem] = err.value.problems
    assert str(problem).startswith(f"{sales}: line 42, column 'Date': expected a date")
    assert "'31/13/2026'" in str(problem)
    assert _snapshot(out) == before


def test_a_retried_kernel_is_reported_in_the_progress_and_run_json(demo, tmp_path):
    """A kernel that died and was retried is never silent: the progress line of
    `relkit run` and run.json say so, with the reason."""
    import json

    marker = tmp_path / "died-once"
    nb = _notebook(tmp_path, "06_dies_once",
                   f"import os, pathlib, signal\nm = pathlib.Path({str(marker)!r})\n"
                   "if not m.exists():\n    m.touch()\n    os.kill(os.getpid(), signal.SIGKILL)")
    lines = []
    result = relkit.run(demo, out=tmp_path / "reports", progress=lines.append, notebooks=[nb])
    [done] = [line for line in lines if line.startswith("[1/1] 06_dies_once done in")]
    assert done.endswith("(kernel died and was retried once: the Python kernel died (killed, or out of memory) "
                         "before the notebook finished)")
    assert any(line.startswith("06_dies_once: the Python kernel died") and "retrying on a new kernel" in line
               for line in lines)
    entry = json.loads((result.out_dir / "run.json").read_text(encoding="utf-8"))["workbooks"]["06_dies_once"]
    assert entry["status"] == "ok" and entry["retries"] == 1
    assert entry["retry_reason"].startswith("the Python kernel died")
