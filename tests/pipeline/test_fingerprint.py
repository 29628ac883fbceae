"""The run key: equal only when a rebuild would give the same deliverables."""
import json

from relkit.pipeline.fingerprint import input_files, run_key, up_to_date


def test_key_follows_inputs_language_and_notebooks(demo, tmp_path):
    base = run_key(demo, "fr")
    assert run_key(demo, "fr") == base
    assert run_key(demo, "en") != base
    (demo / "exports" / "ventes.csv").write_bytes((demo / "exports" / "ventes.csv").read_bytes() + b"\n")
    changed = run_key(demo, "fr")
    assert changed != base
    nb = tmp_path / "x.ipynb"
    nb.write_text("{}", encoding="utf-8")
    assert run_key(demo, "fr", [nb]) != changed


def test_lock_and_hidden_files_are_not_inputs(demo):
    base = run_key(demo, "fr")
    (demo / "~$atelier.xlsx").write_bytes(b"excel lock")
    (demo / ".engagement.yaml.check").mkdir()
    (demo / ".engagement.yaml.check" / "engagement.yaml").write_text("x", encoding="utf-8")
    assert run_key(demo, "fr") == base
    assert all(not p.name.startswith(("~$", ".")) for p in input_files(demo))


def test_up_to_date_needs_a_successful_run_with_the_same_key(tmp_path):
    out = tmp_path / "client"
    out.mkdir()
    assert not up_to_date(out, "k")
    (out / "rapport.pdf").write_bytes(b"%PDF")
    (out / "run.json").write_text(json.dumps({"status": "ok", "run_key": "k", "pdf": "rapport.pdf"}), encoding="utf-8")
    assert up_to_date(out, "k") and not up_to_date(out, "other")
    (out / "rapport.pdf").unlink()
    assert not up_to_date(out, "k")
