"""The package's YAML (locales, catalogues, sheet definitions) reads the same with libyaml as with the pure-Python loader."""
from pathlib import Path

import pytest
import yaml

from relkit.io import resources

FILES = sorted(resources.PACKAGE_DIR.rglob("*.yaml"))


def test_the_package_has_yaml_files():
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(resources.PACKAGE_DIR)))
def test_libyaml_reads_every_package_file_like_the_python_loader(path: Path):
    resources.load_yaml.cache_clear()
    assert resources.load_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_fast_loader_is_libyaml_when_available():
    assert resources._LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)
