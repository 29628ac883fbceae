"""The package's shape, as ARCHITECTURE.md states it: layers (import-linter
contracts in pyproject.toml), small modules, no reaching into another module's
private names, charts in seaborn's shape."""
import ast
import importlib
import inspect
import pkgutil

import pytest
from importlinter.cli import lint_imports

from conftest import ROOT

PACKAGE = ROOT / "relkit"
MAX_LINES = 400


def test_import_contracts_are_kept(capsys):
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("KEPT") == 3, out


def test_every_layer_folder_exists():
    for layer in ("io", "customers", "topics", "intake", "views", "workbooks", "pipeline", "batch", "workshop"):
        assert (PACKAGE / layer / "__init__.py").is_file(), layer
    assert (PACKAGE / "notebooks").is_dir() and (PACKAGE / "templates").is_dir()


def test_no_module_over_400_lines():
    long = {p.relative_to(ROOT).as_posix(): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long


def _private_uses(path):
    """`from relkit.x import _name`, or `alias._name` where alias is a relkit module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("relkit"):
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    found.append(f"{node.module}.{a.name}")
                full = f"{node.module}.{a.name}"
                if importlib.util.find_spec(node.module) and _is_module(full):
                    modules.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("relkit") and a.asname:
                    modules.add(a.asname)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def _is_module(dotted):
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False


def test_no_module_uses_another_modules_private_names():
    found = {p.relative_to(ROOT).as_posix(): uses for p in PACKAGE.rglob("*.py") if (uses := _private_uses(p))}
    assert not found


def _chart_functions():
    import relkit.views.charts as charts

    for info in pkgutil.iter_modules(charts.__path__):
        if info.name == "style":
            continue
        module = importlib.import_module(f"relkit.views.charts.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_") and "ax" in inspect.signature(fn).parameters:
                yield f"{info.name}.{name}", fn


def test_charts_take_ax_none_and_keyword_labels():
    charts = dict(_chart_functions())
    assert len(charts) >= 12, sorted(charts)
    updates = {name: fn for name, fn in charts.items() if name.split(".")[1].startswith("update_")}
    for name, fn in updates.items():  # moves a chart already drawn: its Axes first, the chart's own data after
        module, function = name.split(".")
        drawn = charts[f"{module}.{function.removeprefix('update_')}"]
        params = list(inspect.signature(fn).parameters.values())
        assert params[0].name == "ax" and params[0].default is inspect.Parameter.empty, name
        assert params[1].name == next(iter(inspect.signature(drawn).parameters)), name
        assert inspect.signature(fn).return_annotation in (bool, "bool"), name  # False: build the chart anew
    for name, fn in charts.items():
        if name in updates:
            continue
        params = inspect.signature(fn).parameters
        assert params["ax"].default is None and params["ax"].kind is inspect.Parameter.KEYWORD_ONLY, name
        if "labels" in params:
            assert params["labels"].kind is inspect.Parameter.KEYWORD_ONLY, name


@pytest.mark.parametrize("layer", ["topics", "customers"])
def test_pure_layers_import_no_chart_library(layer):
    """Importing a topic must not pull in matplotlib (the contract checks the code; this checks a real import)."""
    import subprocess
    import sys

    mods = [m.name for m in pkgutil.walk_packages([str(PACKAGE / layer)], prefix=f"relkit.{layer}.") if not m.ispkg]
    assert len(mods) >= 8, mods
    code = ("import sys\n" + "".join(f"import {m}\n" for m in mods)
            + "bad = [m for m in ('matplotlib', 'seaborn', 'ipywidgets', 'papermill') if m in sys.modules]\n"
            + "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
