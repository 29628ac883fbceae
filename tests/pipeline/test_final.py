"""The consistency gate end to end: an engagement inconsistent on purpose lists every
planted contradiction in a draft (run output, run.json, "Points à vérifier" page);
``relkit run --final`` refuses it (exit 2, earlier deliverables byte-identical) and
publishes once engagement.yaml acknowledges each contradiction."""
import json
import shutil

import pytest

import relkit
from relkit.cli import main
from real_clients import inconsistent

pytestmark = pytest.mark.pipeline

# what is planted, and the check that must report it
PLANTED = {
    "revenue_last_year": 'last_year: "98 800 €"',  # → 12 400 €: the file's 2025 is 98 805 €
    "contacts_count": "3 000 contacts",  # → "quelques centaines de contacts": the file has 3 000
    "buyers_count": "500 acheteurs",  # the file has 2 370 buyers
    "target_gap": 'target: "200 000 €"',  # → 400 000 €: forecast 74 672 € + plan 137 000 € fall short
    "revenue_target": "200 000 €",  # the objective and the KPI still say 200 000 €
    "budget_envelopes": "seed 001",  # the demo's own: T2 3 930 vs 3 030 €, T4 4 000 vs 4 999 €
    "key_dates": "Soldes d'été",  # the demo's own: online ads launched during the summer sales (a period to avoid)
}


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_draft_lists_every_contradiction_final_refuses_then_publishes_once_acknowledged(demo, tmp_path, capsys):
    folder = inconsistent(demo)
    out, working = tmp_path / "reports", tmp_path / "working"
    said = []
    draft = relkit.run(folder, out=out, working=working, progress=said.append)

    run = json.loads((draft.out_dir / "run.json").read_text(encoding="utf-8"))
    opened = [c["check"] for c in run["checks"]["open"]]
    assert sorted(set(opened)) == sorted(PLANTED), opened
    assert opened.count("budget_envelopes") == 2 and opened.count("revenue_target") == 2 and run["checks"]["acknowledged"] == [] and run["final"] is False
    lines = [c["text"] for c in run["checks"]["open"]]
    assert any("12\u202f400\u00a0€" in t and "98\u202f805\u00a0€" in t for t in lines)
    assert any("de 200 à 999" in t and "3\u202f000" in t and "SWOT" in t for t in lines)
    assert any("400\u202f000\u00a0€" in t and "il manque" in t for t in lines)
    for text in lines:  # each printed by the run, and on the draft's last page
        assert f"Points à vérifier: {text}" in said
    html = draft.html.read_text(encoding="utf-8")
    assert 'class="rk-checks"' in html and "Points à vérifier" in html
    assert html.count("<li data-check=") == len(lines)

    before = _tree(draft.out_dir)
    code = main(["run", str(folder), "--final", "--out", str(out), "--working", str(working)])
    err = capsys.readouterr().err
    assert code == 2
    assert "not published: 9 point(s) to check still open" in err
    for check in PLANTED:
        assert f"[{check}]" in err
    for text in set(lines):  # with progress on, each open point is listed once (in the refusal), not twice
        assert err.count(text) == lines.count(text), text
    assert _tree(draft.out_dir) == before, "a refused final run leaves the earlier deliverables byte-identical"

    path = folder / "engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "acknowledged:\n" + "".join(
        f'  - {{check: {check}, reason: "voulu pour le test"}}\n' for check in PLANTED), encoding="utf-8")
    code = main(["run", str(folder), "--final", "--quiet", "--out", str(out), "--working", str(working)])
    assert code == 0, capsys.readouterr().err
    run = json.loads((draft.out_dir / "run.json").read_text(encoding="utf-8"))
    assert run["final"] is True and run["checks"]["open"] == []
    assert sorted({c["check"] for c in run["checks"]["acknowledged"]}) == sorted(PLANTED)
    assert {c["reason"] for c in run["checks"]["acknowledged"]} == {"voulu pour le test"}
    html = draft.html.read_text(encoding="utf-8")
    assert 'class="rk-checks"' not in html and "Points à vérifier" not in html


def test_demo_flags_only_seed_001_budget_envelopes_and_its_summer_sales(tmp_path):
    """The demo agrees with its exports: only its seed's budget envelopes stay flagged, and the
    online ads its plan launches during the summer sales (a key date to avoid)."""
    from conftest import DEMO

    folder = tmp_path / "arnaud-zoe"
    shutil.copytree(DEMO, folder)
    result = relkit.run(folder, out=tmp_path / "reports", working=tmp_path / "working", progress=None)
    run = json.loads((result.out_dir / "run.json").read_text(encoding="utf-8"))
    assert [c["check"] for c in run["checks"]["open"]] == ["budget_envelopes", "budget_envelopes", "key_dates"]
    texts = [c["text"] for c in run["checks"]["open"]]
    assert "3\u202f930\u00a0€" in texts[0] and "3\u202f030\u00a0€" in texts[0]
    assert "4\u202f000\u00a0€" in texts[1] and "4\u202f999\u00a0€" in texts[1]
    assert "Soldes d'été" in texts[2] and "Pub Etsy" in texts[2]
