"""The public API (relkit.*): no name hidden by a subpackage, every function
callable twice after every module of relkit is imported; the pipeline's
startup and the process tree the workshop server stops."""
from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
import time

import pytest

import relkit
from conftest import ROOT
from relkit.batch.jobs import BatchError
from relkit.io.problems import ValidationFailed
from relkit.workshop import process_tree
from relkit.workshop.serve import CannotServe

FUNCTIONS = ["run", "new", "check", "validate", "workshop_app", "serve", "run_batch"]


def _import_everything() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(relkit.__path__, "relkit."):
        if info.name.rsplit(".", 1)[-1] == "__main__":  # runs the CLI
            continue
        importlib.import_module(info.name)
        names.append(info.name)
    return names


def test_no_public_name_is_a_submodule():
    assert sorted(relkit.__all__) == sorted(["__version__", *FUNCTIONS])
    submodules = {info.name for info in pkgutil.iter_modules(relkit.__path__)}
    assert {"batch", "pipeline", "intake", "workshop", "cli"} <= submodules
    assert not submodules & set(FUNCTIONS)
    _import_everything()
    for name in FUNCTIONS:
        assert inspect.isfunction(getattr(relkit, name)), name


def test_every_public_function_twice_after_importing_every_module(tmp_path, demo):
    _import_everything()
    (tmp_path / "empty-batch").mkdir()
    for i in range(2):
        folder = relkit.new(tmp_path / f"new-{i}", name="ACME", plan_year=2030)
        assert (folder / "engagement.yaml").is_file()
        assert isinstance(relkit.check(folder), list)
        assert relkit.check(demo) == []
        assert relkit.validate(demo).engagement.client.name
        with pytest.raises(ValidationFailed):  # before any kernel starts
            relkit.run(tmp_path / "nowhere", out=tmp_path / "reports", progress=None)
        with pytest.raises(BatchError, match="no engagement folder"):
            relkit.run_batch(tmp_path / "empty-batch", out=tmp_path / "reports", progress=False)
        with pytest.raises(CannotServe, match="no such engagement folder"):
            relkit.serve(tmp_path / "nowhere")
        assert relkit.workshop_app(demo) is not None


def test_serve_checks_its_arguments_before_starting_anything(tmp_path):
    with pytest.raises(CannotServe, match="no such engagement folder"):
        relkit.serve(tmp_path / "nowhere")
    with pytest.raises(CannotServe, match=r"no engagement.yaml \(relkit new creates one\)"):
        relkit.serve(tmp_path)
    (tmp_path / "engagement.yaml").write_text("client: {}\n", encoding="utf-8")
    for port in (0, 70000):
        with pytest.raises(CannotServe, match=f"--port must be between 1 and 65535, got {port}") as exc:
            relkit.serve(tmp_path, port=port)
        assert exc.value.exit_code == 2


def test_importing_the_pipeline_leaves_jsonschema_for_the_run():
    """Importing the pipeline imports neither nbformat nor jsonschema, so the
    run can still skip the slow optional "iri" checker; nbformat then works without it."""
    code = ("import sys, relkit.pipeline.run, relkit.batch.worker, relkit.cli, relkit.pipeline.execute\n"
            "assert 'jsonschema' not in sys.modules and 'nbformat' not in sys.modules\n"
            "from relkit.pipeline.startup import skip_iri_format_checker as skip\n"
            "assert skip() and skip()\n"
            "import nbformat\n"
            "nbformat.validate(nbformat.v4.new_notebook())\n"
            "assert sys.modules['rfc3987_syntax'] is None\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    late = "import jsonschema\nfrom relkit.pipeline.startup import skip_iri_format_checker as skip\nassert not skip()\n"
    subprocess.run([sys.executable, "-c", late], check=True, cwd=ROOT)


@pytest.mark.parametrize("use_psutil", [True, False])
def test_process_tree_finds_and_reaps_grandchildren(monkeypatch, use_psutil):
    if not use_psutil:
        if not os.path.isdir("/proc"):
            pytest.skip("no /proc here")
        monkeypatch.setitem(sys.modules, "psutil", None)  # the /proc path
    else:
        pytest.importorskip("psutil")
    # a child in a session of its own, as Jupyter starts kernels, with a child of its own
    parent = subprocess.Popen([sys.executable, "-c", "import subprocess, time\n"
                               "subprocess.Popen(['sleep', '60'], start_new_session=True)\ntime.sleep(60)"])
    try:
        deadline = time.monotonic() + 10
        while len(tree := process_tree.descendants(parent.pid)) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(tree) == 1 and all(process_tree.alive(h) for h in tree)
        parent.kill()
        parent.wait()
        assert all(process_tree.alive(h) for h in tree)  # orphaned, still running
        process_tree.reap(tree, timeout=0.2)
        deadline = time.monotonic() + 5
        while any(process_tree.alive(h) for h in tree) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(process_tree.alive(h) for h in tree)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
