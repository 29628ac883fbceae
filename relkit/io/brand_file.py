"""Reading one _brand.yml: brand_yml's validation, one problem per invalid key, and the
BrandStyle (relkit.io.brand) it describes, relkit's default for what is missing or invalid."""
from __future__ import annotations

import copy
from dataclasses import fields, replace
from pathlib import Path

from relkit.io.brand import (
    DEFAULT_BRAND,
    HOUSE_FONT,
    HOUSE_PALETTE,
    BrandStyle,
    FontFace,
    colour_hex,
    image_problem,
)
from relkit.io.problems import Problem

THEME_COLOURS = ("foreground", "background", "primary", "secondary", "tertiary", "success", "info", "warning",
                 "danger", "light", "dark")
COLOUR_HELP = "expected a colour ('#1F4E79', 'rgb(31, 78, 121)', a CSS name such as 'navy' or a name of color.palette)"


def _font_problem(path: Path) -> str | None:
    if not path.is_file():
        return f"font file not found: {path.name!r} (looked in {path.parent})"
    try:
        from fontTools.ttLib import TTFont

        with TTFont(str(path), lazy=True) as font:
            font["name"]  # noqa: B018 - reading the name table proves the file is a font
    except Exception:  # noqa: BLE001 - any failure: the font cannot be used
        return f"{path.name!r} cannot be read as a font (expected a .ttf, .otf, .woff or .woff2 file)"
    return None


def _key(loc) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")


def _known_keys(loc: tuple) -> str:
    from brand_yml import Brand, BrandColor, BrandLogo, BrandMeta, BrandTypography

    from brand_yml.typography import BrandTypographyBase, BrandTypographyHeadings

    models = {(): Brand, ("meta",): BrandMeta, ("logo",): BrandLogo, ("color",): BrandColor,
              ("typography",): BrandTypography, ("typography", "base"): BrandTypographyBase,
              ("typography", "headings"): BrandTypographyHeadings}
    model = models.get(tuple(loc[:-1]))
    if model is None:
        return ""
    names = [f.alias or n for n, f in model.model_fields.items() if n != "path"]
    return f" (expected one of: {', '.join(names)})"


def _drop(data: dict, loc) -> bool:
    """Remove the deepest part of ``data`` that ``loc`` names; False when nothing is left to drop."""
    node, parent, last = data, None, None
    for part in loc:
        if isinstance(node, dict) and part in node:
            parent, last, node = node, part, node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            parent, last, node = node, part, node[part]
        else:
            break
    if parent is None:
        return False
    del parent[last]
    return True


def _validated(data: dict, path: Path, name: str):
    """brand_yml's model of what is valid in ``data``, and one problem per invalid key
    (each invalid key is left out and the rest validated again, so that all are found at once)."""
    from brand_yml import Brand
    from pydantic import ValidationError

    problems: list[Problem] = []
    for _ in range(50):
        try:
            return Brand.model_validate({**data, "path": path}), problems
        except ValidationError as exc:
            dropped = False
            for err in exc.errors(include_url=False):
                loc = tuple(p for p in err["loc"] if isinstance(p, int) or p in _keys_at(data, err["loc"], p))
                key = _key(loc) or "(top level)"
                if err["type"] == "extra_forbidden":
                    msg = "unknown key" + _known_keys(loc)
                else:
                    msg = err["msg"].removeprefix("Value error, ")
                problem = Problem(name, f"key '{key}'", msg)
                if problem not in problems:
                    problems.append(problem)
                dropped = _drop(data, loc) or dropped
            if not dropped:
                return None, problems
        except (ValueError, TypeError) as exc:
            problems.append(Problem(name, "", str(exc)))
            return None, problems
    return None, problems


def _keys_at(data: dict, loc, part) -> set:
    """Every mapping key met along ``loc`` in ``data`` (pydantic adds model and tag names to a location)."""
    keys, node = set(), data
    for p in loc:
        if isinstance(node, dict):
            keys.update(node)
            node = node.get(p) if p in node else node
        elif isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
            node = node[p]
    return keys


def _local(location, folder: Path) -> Path | None:
    from brand_yml.file import FileLocationLocal

    if isinstance(location, FileLocationLocal):
        return (folder / Path(location.root)).resolve()
    return None


def _logo_paths(logo, folder: Path, name: str, problems: list[Problem]) -> dict[str, Path]:
    """{size: image} of the logos that can be used; every other one is a problem."""
    from brand_yml import BrandLogo, BrandLogoResource
    from brand_yml.file import FileLocation

    found: dict[str, Path] = {}
    if logo is None:
        return found
    entries = {"medium": logo} if not isinstance(logo, BrandLogo) else {
        size: getattr(logo, size) for size in ("small", "medium", "large") if getattr(logo, size) is not None}
    for size, entry in entries.items():
        key = f"logo.{size}" if isinstance(logo, BrandLogo) else "logo"
        resource = getattr(entry, "light", None) or entry  # a light/dark pair: the light one prints on white
        location = resource.path if isinstance(resource, BrandLogoResource) else resource
        if isinstance(location, FileLocation) and _local(location, folder) is None:
            problems.append(Problem(name, f"key '{key}'", "a logo is a file next to _brand.yml, not a web address "
                                                         "(nothing is downloaded)"))
            continue
        path = _local(location, folder)
        if path is None:
            continue
        why = image_problem(path)
        if why:
            problems.append(Problem(name, f"key '{key}'", why))
        else:
            found[size] = path
    return found


def _fonts(typography, folder: Path, name: str, problems: list[Problem]) -> tuple[FontFace, ...]:
    from brand_yml.typography import BrandTypographyFontFiles, BrandTypographyFontSystem

    files: list[FontFace] = []
    for i, font in enumerate(getattr(typography, "fonts", None) or []):
        key = f"typography.fonts[{i}]"
        if isinstance(font, BrandTypographyFontFiles):
            for j, entry in enumerate(font.files):
                path = _local(entry.path, folder)
                if path is None:
                    problems.append(Problem(name, f"key '{key}.files[{j}].path'",
                                            "a font is a file next to _brand.yml, not a web address (nothing is downloaded)"))
                    continue
                why = _font_problem(path)
                if why:
                    problems.append(Problem(name, f"key '{key}.files[{j}].path'", why))
                else:
                    weight = str(entry.weight) if entry.weight is not None else "400"
                    files.append(FontFace(font.family, path, weight if weight != "auto" else "400", entry.style or "normal"))
        elif not isinstance(font, BrandTypographyFontSystem):
            problems.append(Problem(name, f"key '{key}'",
                                    f"font {font.family!r} has source '{font.source}', which downloads it at run time; "
                                    "ship its files (source: file, files: [path: …]) or use an installed font (source: system)"))
    return tuple(files)


def _family(node) -> str | None:
    family = getattr(node, "family", None) if node is not None and not isinstance(node, str) else node
    return family.strip() if isinstance(family, str) and family.strip() else None


def read_brand(path: Path) -> tuple[BrandStyle, list[Problem]]:
    """One _brand.yml parsed and validated (no cache: relkit.io.brand.load_brand keeps one)."""
    import yaml

    path = Path(path).resolve()
    name = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return replace(DEFAULT_BRAND, source=path), [Problem(name, "", "not UTF-8 text; save it as UTF-8")]
    except OSError as exc:
        return replace(DEFAULT_BRAND, source=path), [Problem(name, "", f"cannot be read ({exc.strerror or type(exc).__name__})")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        return replace(DEFAULT_BRAND, source=path), [Problem(name, where, f"not valid YAML ({getattr(exc, 'problem', None) or exc})")]
    if raw is None:
        return replace(DEFAULT_BRAND, source=path), []
    if not isinstance(raw, dict):
        return replace(DEFAULT_BRAND, source=path), [Problem(name, "", "expected a YAML mapping of keys (meta:, logo:, color:, typography:)")]
    data = copy.deepcopy({str(k): v for k, v in raw.items()})
    data.pop("path", None)
    model, problems = _validated(data, path, name)
    if model is None:
        return replace(DEFAULT_BRAND, source=path), problems
    folder = path.parent
    values: dict = {"source": path}
    if isinstance(raw.get("meta"), dict):  # brand.yml lets meta: hold anything; relkit reads name and link only
        problems[:0] = [Problem(name, f"key 'meta.{k}'", "unknown key (expected one of: name, link)")
                        for k in raw["meta"] if k not in ("name", "link")]
    meta = model.meta
    if meta is not None:
        if meta.name is not None:
            values["firm"] = meta.name.full or meta.name.short
        if meta.link is not None:
            values["links"] = {k: str(v) for k, v in meta.link.model_dump(exclude_none=True).items()}
    if model.color is not None:
        written = (raw.get("color") or {}) if isinstance(raw.get("color"), dict) else {}
        palette: dict[str, str] = dict(HOUSE_PALETTE)  # the house roles (accent, ink, …), then the brand's names
        for key, value in (model.color.palette or {}).items():
            hexed = colour_hex(value)
            if hexed is None:
                problems.append(Problem(name, f"key 'color.palette.{key}'", f"{COLOUR_HELP}, got {value!r}"))
            else:
                palette[key] = hexed
        resolved = model.color.to_dict(include="theme")
        for key in THEME_COLOURS:
            value = resolved.get(key)
            if value is None:
                continue
            hexed = colour_hex(value) or colour_hex(palette.get(value))
            if hexed is None:
                problems.append(Problem(name, f"key 'color.{key}'", f"{COLOUR_HELP}, got {written.get(key, value)!r}"))
            elif key in {f.name for f in fields(BrandStyle)}:
                values[key] = hexed
        values["palette"] = palette
    logos = _logo_paths(model.logo, folder, name, problems)
    roles = {"accent": "primary", "ink": "foreground", "muted": "secondary", "strength": "success",
             "weakness": "danger", "threat": "warning"}
    values["palette"] = {**values.get("palette", HOUSE_PALETTE),
                         **{role: values[key] for role, key in roles.items() if key in values}}
    values["logo"] = logos.get("large") or logos.get("medium") or logos.get("small")
    values["logo_small"] = logos.get("small") or logos.get("medium") or logos.get("large")
    typography = model.typography
    if typography is not None:
        faces = _fonts(typography, folder, name, problems)
        values["font_faces"] = faces
        values["font_files"] = tuple(face.path for face in faces)
        base = _family(typography.base)
        if base:
            values["font_base"] = base
        values["font_headings"] = _family(typography.headings) or values.get("font_base", HOUSE_FONT)
    return BrandStyle(**values), problems
