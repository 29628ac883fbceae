"""The brand file (_brand.yml): lookup order, what is read, one line per problem."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from relkit.io.brand import DEFAULT_BRAND, HOUSE_FONT, HOUSE_PALETTE, colour_hex, find_brand, load_brand

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory, monkeypatch):
    """Each test reads its brand files for real (the cache of parsed brands is its own)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def png(path: Path, colour=(176, 0, 58)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 20), colour).save(path)
    return path


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "_brand.yml"
    path.write_text(text, encoding="utf-8")
    return path


# --- defaults: today's house style --------------------------------------------

def test_default_brand_is_the_house_style():
    from relkit.views.charts.style import FONT, PALETTE

    assert DEFAULT_BRAND.primary == PALETTE["accent"] == "#1F4E79"
    assert DEFAULT_BRAND.foreground == PALETTE["ink"] == "#1F2933"
    assert DEFAULT_BRAND.secondary == PALETTE["muted"] == "#6B7280"
    assert DEFAULT_BRAND.palette == HOUSE_PALETTE
    assert DEFAULT_BRAND.font_base == DEFAULT_BRAND.font_headings == HOUSE_FONT == FONT
    assert DEFAULT_BRAND.logo is None and DEFAULT_BRAND.firm is None and DEFAULT_BRAND.source is None


def test_the_demo_has_no_brand_file():
    assert find_brand(Path("data_samples/arnaud-zoe")) == DEFAULT_BRAND


# --- lookup order ---------------------------------------------------------------

def test_lookup_engagement_folder_then_parents_then_default(tmp_path):
    firm = tmp_path / "cabinet"
    client = firm / "clients" / "dupont"
    client.mkdir(parents=True)
    assert find_brand(client) == DEFAULT_BRAND  # no file anywhere above: relkit's default

    write(firm, 'color:\n  primary: "#112233"\n')
    assert find_brand(client).primary == "#112233"  # the consultant's one file for all clients
    assert find_brand(client).source == (firm / "_brand.yml").resolve()

    write(client, 'color:\n  primary: "#445566"\n')
    assert find_brand(client).primary == "#445566"  # the engagement's own file wins
    assert find_brand(firm / "clients").primary == "#112233"


# --- what is read -----------------------------------------------------------------

def test_a_full_brand_file(tmp_path):
    png(tmp_path / "logos" / "small.png")
    png(tmp_path / "logos" / "big.png")
    shutil.copy(DEJAVU, tmp_path / "Maison.ttf")
    path = write(tmp_path, """
meta:
  name: Cabinet Exemple
  link:
    home: https://exemple.fr
logo:
  small: logos/small.png
  medium: logos/big.png
color:
  palette:
    rouge: "#b0003a"
  primary: rouge
  secondary: "#777"
  foreground: black
  background: white
  success: rgb(0, 128, 0)
  warning: orange
  danger: "#A00"
typography:
  fonts:
    - family: Maison
      source: file
      files:
        - path: Maison.ttf
          weight: 400
  base: Maison
  headings:
    family: DejaVu Serif
""")
    brand, problems = load_brand(path)
    assert problems == []
    assert brand.firm == "Cabinet Exemple"
    assert brand.links == {"home": "https://exemple.fr/"}
    assert brand.logo == (tmp_path / "logos" / "big.png").resolve()
    assert brand.logo_small == (tmp_path / "logos" / "small.png").resolve()
    assert (brand.primary, brand.secondary, brand.foreground, brand.background) == ("#B0003A", "#777777", "#000000", "#FFFFFF")
    assert (brand.success, brand.warning, brand.danger) == ("#008000", "#FFA500", "#AA0000")
    assert brand.palette["rouge"] == "#B0003A"
    assert brand.palette["accent"] == "#B0003A" and brand.palette["ink"] == "#000000"  # the house roles follow the brand
    assert brand.palette["opportunity"] == HOUSE_PALETTE["opportunity"]  # not set: the house colour
    assert brand.font_base == "Maison" and brand.font_headings == "DejaVu Serif"
    assert brand.font_files == ((tmp_path / "Maison.ttf").resolve(),)


def test_only_one_logo_serves_both_sizes_and_missing_parts_keep_the_house_style(tmp_path):
    png(tmp_path / "logo.png")
    brand, problems = load_brand(write(tmp_path, "logo: logo.png\nmeta:\n  name: {short: ACME}\n"))
    assert problems == []
    assert brand.logo == brand.logo_small == (tmp_path / "logo.png").resolve()
    assert brand.firm == "ACME"
    assert brand.primary == DEFAULT_BRAND.primary and brand.font_base == HOUSE_FONT


def test_an_empty_brand_file_is_the_default_look(tmp_path):
    brand, problems = load_brand(write(tmp_path, ""))
    assert problems == [] and brand.primary == DEFAULT_BRAND.primary


# --- validation: one clear line per problem, naming the file and the key ----------

def test_every_problem_at_once_one_line_each(tmp_path):
    (tmp_path / "broken.ttf").write_bytes(b"not a font")
    (tmp_path / "notes.png").write_text("not an image")
    path = write(tmp_path, """
meta:
  name: X
  nmae: typo
color:
  primary: "#12345"
  colour: "#fff"
  palette:
    brand-blue: bluish
logo:
  small: missing.png
  medium: notes.png
typography:
  fonts:
    - family: Broken
      source: file
      files: [{path: broken.ttf}]
    - family: Inter
      source: google
unknown: 1
""")
    brand, problems = load_brand(path)
    lines = sorted(str(p) for p in problems)
    name = str(path.resolve())
    assert all(line.startswith(f"{name}: key '") for line in lines)
    assert lines == sorted([
        f"{name}: key 'meta.nmae': unknown key (expected one of: name, link)",
        f"{name}: key 'color.colour': unknown key (expected one of: palette, foreground, background, primary, "
        "secondary, tertiary, success, info, warning, danger, light, dark)",
        f"{name}: key 'unknown': unknown key (expected one of: meta, logo, color, typography, defaults)",
        f"{name}: key 'color.primary': expected a colour ('#1F4E79', 'rgb(31, 78, 121)', a CSS name such as 'navy' "
        "or a name of color.palette), got '#12345'",
        f"{name}: key 'color.palette.brand-blue': expected a colour ('#1F4E79', 'rgb(31, 78, 121)', a CSS name such as "
        "'navy' or a name of color.palette), got 'bluish'",
        f"{name}: key 'logo.small': file not found: 'missing.png' (looked in {tmp_path.resolve()})",
        f"{name}: key 'logo.medium': 'notes.png' is not an image that can be read (expected a PNG or JPEG file)",
        f"{name}: key 'typography.fonts[0].files[0].path': 'broken.ttf' cannot be read as a font "
        "(expected a .ttf, .otf, .woff or .woff2 file)",
        f"{name}: key 'typography.fonts[1]': font 'Inter' has source 'google', which downloads it at run time; "
        "ship its files (source: file, files: [path: …]) or use an installed font (source: system)",
    ])
    assert brand.firm == "X" and brand.primary == DEFAULT_BRAND.primary  # what is valid still serves


def test_a_logo_on_the_web_is_refused(tmp_path):
    _, problems = load_brand(write(tmp_path, "logo:\n  medium: https://example.com/logo.png\n"))
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "key 'logo.medium': a logo is a file next to _brand.yml, not a web address (nothing is downloaded)"]


def test_an_svg_logo_is_refused(tmp_path):
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    _, problems = load_brand(write(tmp_path, "logo: logo.svg\n"))
    assert [p.where for p in problems] == ["key 'logo'"]
    assert "expected a PNG or JPEG file" in problems[0].message


@pytest.mark.parametrize("text, where, message", [
    ("color: [1, 2\n", "line 2", "not valid YAML"),
    ("- a\n- b\n", "", "expected a YAML mapping of keys (meta:, logo:, color:, typography:)"),
])
def test_an_unreadable_file_is_one_line(tmp_path, text, where, message):
    brand, problems = load_brand(write(tmp_path, text))
    assert len(problems) == 1 and problems[0].where == where and message in problems[0].message
    assert brand.primary == DEFAULT_BRAND.primary


def test_relkit_validate_lists_brand_problems(tmp_path):
    from relkit.intake.load import check

    folder = tmp_path / "arnaud-zoe"
    shutil.copytree("data_samples/arnaud-zoe", folder)
    write(tmp_path, 'color:\n  primary: "not a colour"\n')  # in a parent folder
    data, problems = check(folder, import_exports=False)
    assert data is None
    assert [str(p) for p in problems] == [
        f"{(tmp_path / '_brand.yml').resolve()}: key 'color.primary': expected a colour ('#1F4E79', "
        "'rgb(31, 78, 121)', a CSS name such as 'navy' or a name of color.palette), got 'not a colour'"]


def test_a_valid_brand_rides_with_the_engagement(tmp_path):
    from relkit.intake.load import check

    folder = tmp_path / "arnaud-zoe"
    shutil.copytree("data_samples/arnaud-zoe", folder)
    write(folder, 'color:\n  primary: "#B0003A"\n')
    data, problems = check(folder, import_exports=False)
    assert problems == [] and data.brand.primary == "#B0003A"


# --- colours ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("#1f4e79", "#1F4E79"), ("#fff", "#FFFFFF"), ("rgb(31, 78, 121)", "#1F4E79"), ("navy", "#000080"),
    (" Navy ", "#000080"), ("#12345", None), ("bluish", None), ("", None), (None, None), (12, None),
])
def test_colour_hex(text, expected):
    assert colour_hex(text) == expected


@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)))
def test_colour_hex_round_trips_any_rgb(rgb):
    text = "#{:02x}{:02x}{:02x}".format(*rgb)
    assert colour_hex(text) == text.upper()
    assert colour_hex("rgb({}, {}, {})".format(*rgb)) == text.upper()


@given(st.text(max_size=12))
def test_colour_hex_never_raises(text):
    result = colour_hex(text)
    assert result is None or (len(result) == 7 and result.startswith("#"))


# --- the client's own logo (engagement.yaml client.logo) -------------------------------

def demo_with_client_logo(tmp_path: Path, logo: str) -> Path:
    folder = tmp_path / "arnaud-zoe"
    shutil.copytree("data_samples/arnaud-zoe", folder)
    path = folder / "engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  country: FR\n", f"  country: FR\n  logo: {logo}\n", 1),
                    encoding="utf-8")
    return folder


def test_client_logo_is_read(tmp_path):
    from relkit.intake.load import check

    folder = demo_with_client_logo(tmp_path, "logos/client.png")
    png(folder / "logos" / "client.png")
    data, problems = check(folder, import_exports=False)
    assert problems == [] and data.engagement.client.logo == "logos/client.png"


@pytest.mark.parametrize("logo, make, message", [
    ("logos/client.png", None, "file not found: 'client.png' (looked in {folder}/logos)"),
    ("client.png", "text", "'client.png' is not an image that can be read (expected a PNG or JPEG file)"),
    ("client.gif", "gif", "'client.gif' is a GIF image, expected a PNG or JPEG file"),
    ("../client.png", None, "expected a file inside the engagement folder (a path relative to it, without '..'), "
                            "got '../client.png'"),
])
def test_client_logo_problems(tmp_path, logo, make, message):
    from relkit.intake.load import check

    folder = demo_with_client_logo(tmp_path, logo)
    if make == "text":
        (folder / logo).write_text("hello")
    elif make == "gif":
        Image.new("RGB", (4, 4)).save(folder / logo)
    _, problems = check(folder, import_exports=False)
    lines = [str(p) for p in problems]
    assert lines == [f"{folder / 'engagement.yaml'}: key 'client.logo': {message.format(folder=folder.resolve())}"]


# --- the cache of parsed brand files ----------------------------------------------------------

def test_a_parsed_brand_is_read_back_until_a_file_it_names_changes(tmp_path, monkeypatch):
    import relkit.io.brand as brand_module

    png(tmp_path / "logo.png")
    path = write(tmp_path, 'logo: logo.png\ncolor:\n  primary: "#123456"\n  danger: nope\n')
    first = load_brand(path)
    assert first[0].primary == "#123456" and [p.where for p in first[1]] == ["key 'color.danger'"]

    def never(_):
        raise AssertionError("parsed again")

    monkeypatch.setattr(brand_module, "_read_brand", never)
    assert load_brand(path) == first  # same files: from the cache, brand_yml not needed

    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    png(tmp_path / "logo.png", colour=(0, 0, 0))  # the logo changed: parsed again
    calls = []
    real = brand_module._read_brand
    monkeypatch.setattr(brand_module, "_read_brand", lambda p: calls.append(p) or real(p))
    assert load_brand(path) == first and len(calls) == 1
    (tmp_path / "logo.png").unlink()
    assert [p.where for p in load_brand(path)[1]] == ["key 'color.danger'", "key 'logo'"] and len(calls) == 2


def test_an_unknown_typography_key_lists_the_known_ones(tmp_path):
    _, problems = load_brand(write(tmp_path, "typography:\n  base:\n    family: DejaVu Serif\n    sise: 12pt\n"))
    assert [(p.where, p.message) for p in problems] == [
        ("key 'typography.base.sise'", "unknown key (expected one of: family, weight, size, line-height)")]
