"""Project rules a quick look can check: dependencies agree, package data
ships, notebooks are clean."""
import json
import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

EXTRAS = ("dev", "demo")
DEMO_ONLY = ("faker",)  # data_samples/ and benchmarks/ only


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> dict[str, Requirement]:
    """pyproject's requirements (runtime and the extras), by normalised name."""
    project = _project()["project"]
    specs = project["dependencies"] + [s for e in EXTRAS for s in project["optional-dependencies"][e]]
    reqs = [Requirement(s) for s in specs]
    by_name = {canonicalize_name(r.name): r for r in reqs}
    assert len(by_name) == len(reqs), "a package is declared twice"
    return by_name


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        assert sep and name and version and " " not in line, f"not an exact pin: {line!r}"
        key = canonicalize_name(name)
        assert key not in pins, f"pinned twice: {name}"
        pins[key] = version
    return pins


def test_pyproject_declares_compatible_ranges_not_pins():
    for name, req in _declared().items():
        assert req.specifier, f"{name}: no lower bound"
        assert not any(s.operator in ("==", "===", "~=") for s in req.specifier), f"{name}: pinned ({req})"
        assert any(s.operator == ">=" for s in req.specifier), f"{name}: no lower bound ({req})"


def test_constraints_pin_every_declared_package_inside_its_range():
    pins = _constraints()
    for name, req in _declared().items():
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} is outside {req}"


def test_environment_yml_pins_the_same_packages_at_the_constraints_versions():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pinned = {}
    for spec in pip_section:
        req = Requirement(spec)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"not an exact pin: {spec!r}"
        pinned[canonicalize_name(req.name)] = specs[0].version
    assert len(pinned) == len(pip_section), "a package is listed twice"
    assert set(pinned) == set(_declared())
    pins = _constraints()
    assert {name: pins[name] for name in pinned} == pinned


def test_demo_only_packages_are_an_extra_and_relkit_never_imports_them():
    project = _project()["project"]
    runtime = {canonicalize_name(Requirement(s).name) for s in project["dependencies"]}
    demo = {canonicalize_name(Requirement(s).name) for s in project["optional-dependencies"]["demo"]}
    assert set(DEMO_ONLY) <= demo and not runtime & set(DEMO_ONLY)
    pattern = re.compile(rf"^\s*(import|from)\s+({'|'.join(DEMO_ONLY)})\b", re.MULTILINE)
    for path in (ROOT / "relkit").rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path.relative_to(ROOT)


def test_package_data_names_every_file_the_package_ships():
    """Notebooks, templates, catalogues: a wheel ships only what package-data names
    (tests/test_wheel.py builds one and installs it)."""
    patterns = _project()["tool"]["setuptools"]["package-data"]["relkit"]
    package = ROOT / "relkit"
    data = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
        and ".ipynb_checkpoints" not in p.parts
    ]
    assert any(d.startswith("notebooks/") for d in data) and any(d.startswith("templates/") for d in data)
    unshipped = [d for d in data if not any(_glob_match(d, pat) for pat in patterns)]
    assert not unshipped


def _glob_match(path: str, pattern: str) -> bool:
    """setuptools' recursive glob: ``**/`` matches zero or more folders."""
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, path) is not None


def test_make_installs_with_the_constraints():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-c constraints\.txt .*-e '\.\[dev,demo\]'", makefile)
    stamp_rule = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.MULTILINE)
    assert stamp_rule and "constraints.txt" in stamp_rule.group(1) and "pyproject.toml" in stamp_rule.group(1)


def test_source_notebooks_are_clean_with_one_parameters_cell():
    notebooks = sorted((ROOT / "relkit" / "notebooks").glob("*.ipynb"))
    assert notebooks
    for nb_path in notebooks:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c["outputs"] and c["execution_count"] is None for c in code), nb_path.name
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, nb_path.name


def test_notebooks_say_nothing_to_the_client_themselves():
    """Client-facing words come from the labels catalogue, not notebook strings."""
    for nb_path in (ROOT / "relkit" / "notebooks").glob("*.ipynb"):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                src = "".join(cell["source"])
                assert "print(" not in src and "Markdown(" not in src, nb_path.name
