"""relkit batch --final: every client's run is a final one (published only when no
point to check is open), and a draft is not 'up to date' for a final batch."""
import shutil

from relkit.batch.jobs import Job, jobs_from
from relkit.pipeline.fingerprint import run_key


def test_final_reaches_every_job(demo, tmp_path):
    clients = tmp_path / "clients"
    clients.mkdir()
    shutil.copytree(demo, clients / "a")
    shutil.copytree(demo, clients / "b")
    assert [j.final for j in jobs_from(clients, final=True)] == [True, True]
    assert [j.final for j in jobs_from(clients)] == [False, False]
    assert Job(folder=str(demo)).to_dict()["final"] is False


def test_a_draft_is_not_up_to_date_for_a_final_run(demo):
    assert run_key(demo, "fr", None, final=True) != run_key(demo, "fr")
    assert run_key(demo, "fr", None, final=True) == run_key(demo, "fr", None, final=True)


def test_cli_batch_passes_final(monkeypatch, tmp_path):
    import relkit
    from relkit.cli import main

    seen = {}

    def batch(source, **kwargs):
        seen.update(kwargs)
        return type("Result", (), {"exit_code": 0})()

    monkeypatch.setattr(relkit, "run_batch", batch)
    assert main(["batch", str(tmp_path), "--final"]) == 0 and seen["final"] is True
    assert main(["batch", str(tmp_path)]) == 0 and seen["final"] is False
