"""The cache of parsed brand files: brand_yml's models take about half a second to import,
so relkit.io.brand.load_brand keeps each result in the user's cache folder, keyed by the
contents of the _brand.yml, of every file it names and of the reader's own code."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from relkit.io.brand import BrandStyle, FontFace, brand_inputs
from relkit.io.problems import Problem

READER_MODULES = ("brand.py", "brand_file.py", "brand_cache.py")  # the reader's own code: a change re-parses


def cache_dir() -> Path:
    import os

    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "relkit" / "brand"


def cache_key(path: Path) -> str | None:
    import hashlib
    import json

    try:
        files = brand_inputs(path.parent, path)
        code = b"".join(Path(__file__).with_name(name).read_bytes() for name in READER_MODULES)
        parts: list = [hashlib.sha256(code).hexdigest()]  # this reader's own code
        parts += [(str(f), hashlib.sha256(f.read_bytes()).hexdigest()) for f in files]
    except OSError:
        return None
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def cache_read(key: str | None) -> tuple[BrandStyle, list[Problem]] | None:
    import json

    if key is None:
        return None
    try:
        data = json.loads((cache_dir() / f"{key}.json").read_text(encoding="utf-8"))
        values = dict(data["brand"])
        for name in ("logo", "logo_small", "source"):
            values[name] = Path(values[name]) if values[name] else None
        values["font_files"] = tuple(Path(f) for f in values["font_files"])
        values["font_faces"] = tuple(FontFace(f[0], Path(f[1]), f[2], f[3]) for f in values["font_faces"])
        return BrandStyle(**values), [Problem(*p) for p in data["problems"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def cache_write(key: str | None, brand: BrandStyle, problems: list[Problem]) -> None:
    import json
    import os
    import tempfile

    if key is None:
        return
    values = {f.name: getattr(brand, f.name) for f in fields(BrandStyle)}
    for name in ("logo", "logo_small", "source"):
        values[name] = str(values[name]) if values[name] else None
    values["font_files"] = [str(f) for f in values["font_files"]]
    values["font_faces"] = [[f.family, str(f.path), f.weight, f.style] for f in values["font_faces"]]
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"brand": values, "problems": [[p.file, p.where, p.message] for p in problems]}, f)
        os.replace(tmp, folder / f"{key}.json")
    except OSError:
        pass  # no cache: the next read parses the file again
