"""data_samples/make_variants.py: many engagements derived from the demo, all
valid except the last ones, which are each wrong in one way that validation
reports in one line."""
import importlib.util
import json
import sys

import pytest
import yaml

from conftest import ROOT
from relkit.intake.load import check

SMALL = (100, 200)


def load_variants():
    """data_samples/ is not a package: load the script as a module."""
    spec = importlib.util.spec_from_file_location("make_variants", ROOT / "data_samples" / "make_variants.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def mv():
    return load_variants()


@pytest.fixture(scope="module")
def variants(mv, tmp_path_factory):
    out = tmp_path_factory.mktemp("variants")
    return mv.make_variants(out, n=4, broken=1, seed=7, customers=SMALL)


def _info(folder):
    return json.loads((folder / "variant.json").read_text(encoding="utf-8"))


def test_valid_variants_pass_validation_with_their_exports(variants):
    assert len(variants) == 4
    for folder in variants[:3]:
        data, problems = check(folder)  # imports the exports too
        assert [str(p) for p in problems] == [], folder.name
        eng = data.engagement
        assert eng.slug == folder.name and eng.plan_year == 2027
        assert eng.revenue.target > eng.revenue.last_year > 0
        assert set(data.imports) == {"customers", "transactions"}
        assert SMALL[0] <= len(data.imports["customers"].frame) <= SMALL[1]
        for key in ("swot", "objectives", "journey", "collection_plan", "programmes", "actions", "kpis", "actuals"):
            assert len(data.sheets[key]), (folder.name, key)
        assert _info(folder)["broken"] is None


def test_broken_variant_gives_exactly_one_clear_problem(variants):
    folder = variants[-1]
    info = _info(folder)
    assert info["broken"] == "budget_cell"
    _, problems = check(folder)
    assert [str(p) for p in problems] == [f"{folder}/{info['expected_problem']}"]
    assert "sheet 'Plan d'actions'" in str(problems[0]) and str(problems[0]).endswith("got 'beaucoup'")


def test_variants_differ(variants):
    names = [yaml.safe_load((f / "engagement.yaml").read_text(encoding="utf-8"))["client"]["name"] for f in variants]
    assert len(set(names)) == len(names)
    assert len({f.name for f in variants}) == len(variants)
    assert len({_info(f)["sector"] for f in variants}) == len(variants)
    sizes = {_info(f)["customers"] for f in variants}
    assert len(sizes) > 1
    langs = [yaml.safe_load((f / "engagement.yaml").read_text(encoding="utf-8"))["language"] for f in variants[:3]]
    assert "en" in langs and "fr" in langs  # 3 valid variants: one in English


def test_same_seed_same_files(mv, variants, tmp_path):
    again = mv.make_variants(tmp_path, n=4, broken=1, seed=7, customers=SMALL)
    assert [f.name for f in again] == [f.name for f in variants]
    for a, b in zip(variants, again):
        for name in ("engagement.yaml", "atelier.xlsx", "exports/ventes.csv", "exports/clients_shopify.csv"):
            assert (a / name).read_bytes() == (b / name).read_bytes(), (a.name, name)


def test_plan_other_seed_languages_and_broken_kinds(mv):
    plan = mv.plan_variants(n=10, broken=3, seed=8, customers=SMALL)
    assert [v["broken"] for v in plan[-3:]] == ["budget_cell", "missing_export", "bad_date"]
    assert all(v["broken"] is None for v in plan[:-3])
    assert any(v["lang"] == "en" for v in plan[:-3])
    assert all(v["lang"] == "fr" for v in plan[-3:])
    assert len({v["slug"] for v in plan}) == 10
    assert any(v["model"] == "B2B" for v in mv.plan_variants(n=20, broken=2))
    assert [v["slug"] for v in plan] != [v["slug"] for v in mv.plan_variants(n=10, broken=3, seed=7, customers=SMALL)]
    with pytest.raises(ValueError, match="broken"):
        mv.plan_variants(n=5, broken=4)


def test_other_broken_kinds_each_give_one_line(mv, tmp_path):
    plan = mv.plan_variants(n=3, broken=3, seed=9, customers=SMALL)
    for v in plan[1:]:  # missing export, bad date (the budget cell is tested above)
        folder = mv.build_variant(tmp_path / v["slug"], v, v["broken"])
        _, problems = check(folder)
        assert [str(p) for p in problems] == [f"{folder}/{_info(folder)['expected_problem']}"]
    assert "file not found" in _info(tmp_path / plan[1]["slug"])["expected_problem"]
    assert "got '31/02/2026'" in _info(tmp_path / plan[2]["slug"])["expected_problem"]
