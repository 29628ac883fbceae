"""Workbooks start longest first (execute_all), from the client's last run when there is one
(run.previous_seconds), and the fork server started before validation never outlives a refused run."""
import json
import threading
import time

import pytest

from relkit.pipeline import execute, run
from relkit.pipeline.execute import Executed
from relkit.workbooks.registry import WORKBOOKS, WorkbookSpec, default_workbooks


def _fake_execute_one(started, seconds):
    lock = threading.Lock()

    def execute_one(spec, output, parameters, pool, timeout, progress=None):
        with lock:
            started.append(spec.id)
        time.sleep(seconds.get(spec.id, 0.05))
        return Executed(spec, output, seconds.get(spec.id, 0.05))

    return execute_one


class _Pool:  # execute_all asks it to warm one more kernel as each notebook starts
    def prepare(self, n=1):
        pass


def _specs(tmp_path, **seconds):
    return [WorkbookSpec(name, tmp_path / f"{name}.ipynb", seconds=s) for name, s in seconds.items()]


def test_the_longest_workbooks_start_first_and_results_keep_report_order(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(execute, "execute_one", _fake_execute_one(started, {}))
    specs = _specs(tmp_path, a=1.0, b=3.0, c=0.5, d=5.0)
    done = execute.execute_all(specs, tmp_path, lambda s: {}, pool=_Pool(), jobs=2)
    assert started[:2] == ["d", "b"] and sorted(started[2:]) == ["a", "c"]
    assert [e.spec.id for e in done] == ["a", "b", "c", "d"]


def test_figures_from_the_last_run_override_the_typical_ones(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(execute, "execute_one", _fake_execute_one(started, {}))
    specs = _specs(tmp_path, a=1.0, b=3.0, c=0.5, d=5.0)
    execute.execute_all(specs, tmp_path, lambda s: {}, pool=_Pool(), jobs=2, expected={"c": 9.0, "a": 4.0})
    assert started[:2] == ["c", "d"]


def test_a_dependent_workbook_still_waits_for_what_it_reads(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(execute, "execute_one", _fake_execute_one(started, {"a": 0.2}))
    specs = [WorkbookSpec("z", tmp_path / "z.ipynb", depends_on=("a", "b"), seconds=50.0)] + _specs(tmp_path, a=1.0, b=2.0)
    execute.execute_all(specs, tmp_path, lambda s: {}, pool=_Pool(), jobs=2)
    assert started == ["b", "a", "z"]


def test_the_registry_starts_the_demo_longest_first():
    ids = [s.id for s in sorted(default_workbooks(), key=lambda s: -s.seconds)]
    assert ids[:2] == ["05_plan_relationnel", "02_fichier_clients"] and ids[-1] == "00_synthese"
    assert {s.id for s in WORKBOOKS} == set(ids)


def test_previous_seconds_leave_out_the_wait_for_a_kernel(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps({"workbooks": {
        "01_diagnostic": {"status": "ok", "seconds": 4.9, "retries": 0, "kernel_wait": 3.2},
        "02_fichier_clients": {"status": "ok", "seconds": 6.5, "retries": 0},  # before kernel_wait was recorded
        "05_plan_relationnel": {"status": "failed", "seconds": 0.4}}}), encoding="utf-8")
    assert run.previous_seconds(tmp_path) == pytest.approx({"01_diagnostic": 1.7, "02_fichier_clients": 6.5})


@pytest.mark.parametrize("content", [None, "", "{", "[]", '{"workbooks": 3}', '{"workbooks": {"a": {"status": "ok"}}}',
                                     '{"workbooks": {"a": {"status": "ok", "seconds": "x"}}}'])
def test_previous_seconds_without_a_readable_run_json(tmp_path, content):
    if content is not None:
        (tmp_path / "run.json").write_text(content, encoding="utf-8")
    assert run.previous_seconds(tmp_path) == {}


def test_a_refused_run_closes_the_fork_server_it_started(tmp_path, monkeypatch):
    """run() starts the fork server before validating (its imports overlap the checks): bad
    inputs must not leave it behind."""
    from relkit.io.problems import ValidationFailed
    from relkit.pipeline import kernel

    servers = []

    def start():
        servers.append(kernel.ForkServer(("json",)))
        return servers[-1]

    monkeypatch.setattr(run, "start_fork_server", start)
    (tmp_path / "engagement.yaml").write_text("client: [", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        run.run(tmp_path, out=tmp_path / "reports", progress=None)
    assert len(servers) == 1 and not servers[0].alive()
