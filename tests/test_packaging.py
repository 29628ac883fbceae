"""Project rules a quick look can check: pins agree, notebooks are clean."""
import json
import re
import tomllib

import yaml

from conftest import ROOT


def _pins(specs):
    return {re.split(r"[=<>]", s)[0].lower(): s for s in specs}


def test_environment_yml_pins_the_same_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _pins(project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert _pins(pip_section) == declared
    assert all("==" in s for s in declared.values())


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
