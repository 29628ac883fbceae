"""The consultant's comments: the section registry, the Commentaires sheet and
the commentaires/*.md files, read and validated in one pass."""
import pytest
from hypothesis import given, strategies as st
from openpyxl import load_workbook

from relkit.intake.atelier_template import LISTS_SHEET, create_workshop_file
from relkit.intake.load import check
from relkit.io import sections
from relkit.io.comments import Comment, from_folder, read_file

KNOWN_FR = ", ".join(s.id for s in sections.SECTIONS)


def _comments_sheet(folder, rows, title="Commentaires", headers=("Section", "Position", "Texte")):
    """Add (or replace) the comments sheet of the engagement's workbook with ``rows``."""
    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    for old in ("Commentaires", "Comments"):
        if old in wb.sheetnames:
            del wb[old]
    ws = wb.create_sheet(title)
    ws.append(["instructions"])
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    wb.save(path)


@pytest.fixture
def bare(demo):
    """The demo without its own comment files (the sheet is replaced by each test)."""
    import shutil

    shutil.rmtree(demo / "commentaires", ignore_errors=True)
    return demo


def _write(folder, name, text, sub="commentaires"):
    (folder / sub).mkdir(exist_ok=True)
    (folder / sub / name).write_text(text, encoding="utf-8")


# -- the registry ---------------------------------------------------------------------
def test_every_section_heading_of_the_notebooks_has_one_section_id():
    """Each level-1 and level-2 heading the notebooks show opens a section a
    consultant can name (add a new heading's section to relkit/io/sections.py)."""
    import json
    import re

    from conftest import ROOT

    shown = set()
    for nb in sorted((ROOT / "relkit" / "notebooks").glob("0*.ipynb")):
        source = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"])
        for m in re.finditer(r'heading(?:\(|=)"([^"]+)"(?:, level=(\d))?', source):
            if (m.group(2) or "2") in ("1", "2"):
                shown.add(m.group(1))
    registered = {s.heading for s in sections.SECTIONS}
    assert shown - registered == set()
    ids = [s.id for s in sections.SECTIONS] + [s.en for s in sections.SECTIONS if s.en != s.id]
    assert len(ids) == len(set(ids)) and len(registered) == len(sections.SECTIONS)
    assert all(sections.key(i) == i for i in ids)  # ids are written as they are typed


@pytest.mark.parametrize("typed, expected", [
    ("swot", "swot"), ("SWOT ", "swot"), ("Maturité", "maturite"), ("readiness", "maturite"),
    ("plan_actions", "plan-actions"), ("Plan actions", "plan-actions"), ("action-plan", "plan-actions"),
    ("kpis", "kpi"), ("Fichier clients", "fichier-clients"), ("synthèse", "synthese"), ("swat", None), ("", None),
    ("Plan d’actions", "plan-actions"), ("Analyse SWOT", "swot"), ("Budget et ROI", "budget"),  # headings as printed
])
def test_section_ids_are_read_in_either_language_whatever_the_case_accents_or_separators(typed, expected):
    assert sections.section_id(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("avant", "before"), ("Before", "before"), ("après", "after"), ("apres", "after"), ("APRÈS", "after"),
    ("after", "after"), ("remplace", "replace"), ("replace", "replace"), ("remplacer", "replace"), ("pendant", None),
])
def test_positions_in_french_or_english(typed, expected):
    assert sections.position_code(typed) == expected


@given(st.text(max_size=30))
def test_any_typed_section_name_is_an_id_or_an_exact_message(text):
    sid = sections.section_id(text)
    if sid is not None:
        assert sid in {s.id for s in sections.SECTIONS}
    else:
        message = sections.unknown_section(text)
        assert message.startswith(f"unknown report section {text!r}") and message.endswith(f"known sections: {KNOWN_FR}")


def test_unknown_names_suggest_the_closest_id_in_the_engagement_language():
    assert sections.unknown_section("swott") == f"unknown report section 'swott'; did you mean 'swot'?; known sections: {KNOWN_FR}"
    assert sections.unknown_section("plan-action", "en").startswith(
        "unknown report section 'plan-action'; did you mean 'action-plan'?; known sections: summary, plan-objective,")
    assert sections.unknown_section("zzzzzzzzzz") == f"unknown report section 'zzzzzzzzzz'; known sections: {KNOWN_FR}"
    assert sections.unknown_position("avnt") == "unknown position 'avnt'; did you mean 'avant'?; expected one of: avant, après, remplace"
    assert sections.unknown_position("bfore", "en") == ("unknown position 'bfore'; did you mean 'before'?; "
                                                        "expected one of: before, after, replace")


# -- the sheet ------------------------------------------------------------------------
def test_blank_workbook_has_the_comments_sheet_with_section_and_position_dropdowns(tmp_path):
    wb = load_workbook(create_workshop_file(tmp_path / "atelier.xlsx", lang="fr"))
    ws = wb["Commentaires"]
    assert [c.value for c in ws[2]] == ["Section", "Position", "Texte"]
    assert ws["A1"].value.startswith("Vos propres mots dans le rapport")
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    lists = wb[LISTS_SHEET]
    column = {lists.cell(1, c).value: c for c in range(1, lists.max_column + 1)}
    shown = [lists.cell(r, column["report_section"]).value for r in range(2, len(sections.SECTIONS) + 2)]
    assert shown == [s.id for s in sections.SECTIONS]
    assert [lists.cell(r, column["comment_position"]).value for r in (2, 3, 4)] == ["avant", "après", "remplace"]
    assert rules["A3:A502"].type == "list" and rules["A3:A502"].showErrorMessage
    assert rules["B3:B502"].type == "list"
    en = load_workbook(create_workshop_file(tmp_path / "en.xlsx", lang="en"))
    assert [c.value for c in en["Comments"][2]] == ["Section", "Position", "Text"]


def test_sheet_comments_are_read_in_order_with_codes_and_the_default_position(bare):
    _comments_sheet(bare, [
        ("swot", "avant", "Un **SWOT** lucide."),
        ("Budget", None, "Le budget reste *prudent*."),
        ("kpis", "replace", "- suivi mensuel\n- revue trimestrielle"),
    ])
    data, problems = check(bare, import_exports=False)
    assert problems == []
    book = str(bare / "atelier.xlsx")
    assert list(data.comments) == [
        Comment("swot", "before", "Un **SWOT** lucide.", f"{book}: sheet 'Commentaires', row 3"),
        Comment("budget", "after", "Le budget reste *prudent*.", f"{book}: sheet 'Commentaires', row 4"),
        Comment("kpi", "replace", "- suivi mensuel\n- revue trimestrielle", f"{book}: sheet 'Commentaires', row 5"),
    ]


def test_sheet_problems_name_sheet_row_column_and_the_known_ids_all_at_once(bare):
    _comments_sheet(bare, [
        ("swott", "avant", "texte"),
        ("budget", "pendant", "texte"),
        ("kpi", "après", None),
        ("segmens", "aprs", "texte"),
    ])
    _, problems = check(bare, import_exports=False)
    book = str(bare / "atelier.xlsx")
    assert [str(p) for p in problems] == [
        f"{book}: sheet 'Commentaires', row 3, column 'Section': unknown report section 'swott'; did you mean 'swot'?; "
        f"known sections: {KNOWN_FR}",
        f"{book}: sheet 'Commentaires', row 4, column 'Position': unknown position 'pendant'; "
        "expected one of: avant, après, remplace",
        f"{book}: sheet 'Commentaires', row 5, column 'Texte': required, but the cell is empty",
        f"{book}: sheet 'Commentaires', row 6, column 'Section': unknown report section 'segmens'; did you mean 'segments'?; "
        f"known sections: {KNOWN_FR}",
        f"{book}: sheet 'Commentaires', row 6, column 'Position': unknown position 'aprs'; did you mean 'après'?; "
        "expected one of: avant, après, remplace",
    ]


def test_english_sheet_title_and_headers_are_read_too(bare):
    _comments_sheet(bare, [("action-plan", "before", "Start in *March*.")], title="Comments",
                    headers=("Section", "Position", "Text"))
    data, problems = check(bare, import_exports=False)
    assert problems == [] and [(c.section, c.position, c.text) for c in data.comments] == [
        ("plan-actions", "before", "Start in *March*.")]


def test_the_sheet_saves_back_with_its_labels(bare):
    from relkit.workshop.store import WorkshopStore

    _comments_sheet(bare, [("swot", "avant", "x")])
    store = WorkshopStore(bare)
    store.save("comments", [{"section": "budget", "position": "replace", "text": "Le budget **révisé**."}])
    ws = load_workbook(bare / "atelier.xlsx")["Commentaires"]
    assert [c.value for c in ws[3]] == ["budget", "remplace", "Le budget **révisé**."]
    data, problems = check(bare, import_exports=False)
    assert problems == [] and [(c.section, c.position) for c in data.comments] == [("budget", "replace")]


# -- the Markdown files ---------------------------------------------------------------
def test_markdown_files_name_their_section_and_position(tmp_path):
    _write(tmp_path, "swot.md", "Après le SWOT.\n")
    _write(tmp_path, "budget.avant.md", "Avant le budget.")
    _write(tmp_path, "kpi.replace.md", "À la place.")
    _write(tmp_path, "segments.md", "position: remplace\n\nLes **segments**.\n")
    _write(tmp_path, "note-libre.md", "---\nsection: Plan d'actions\nposition: avant\n---\nDémarrer en mars.\n")
    _write(tmp_path, "roi.md", "  \n")  # empty: a placeholder, nothing shown
    _write(tmp_path, "lisez-moi.pdf", "not a comment")
    _write(tmp_path, "pression.after.md", "Pression contenue.", sub="comments")
    comments, problems = from_folder(tmp_path)
    base = tmp_path / "commentaires"
    assert problems == []
    assert comments == [
        Comment("budget", "before", "Avant le budget.", str(base / "budget.avant.md")),
        Comment("kpi", "replace", "À la place.", str(base / "kpi.replace.md")),
        Comment("plan-actions", "before", "Démarrer en mars.", str(base / "note-libre.md")),
        Comment("segments", "replace", "Les **segments**.", str(base / "segments.md")),
        Comment("swot", "after", "Après le SWOT.", str(base / "swot.md")),
        Comment("pression", "after", "Pression contenue.", str(tmp_path / "comments" / "pression.after.md")),
    ]


def test_markdown_file_problems_name_the_file_and_where(tmp_path):
    _write(tmp_path, "swott.md", "x")
    _write(tmp_path, "budget.pendant.md", "x")
    _write(tmp_path, "kpi.md", "position: avnt\nx")
    _write(tmp_path, "roi.avant.md", "position: après\nx")
    _write(tmp_path, "libre.md", "---\nsection: segmnts\n---\nx")
    (tmp_path / "commentaires" / "latin1.md").write_bytes("Comment ça va".encode("latin-1"))
    comments, problems = from_folder(tmp_path)
    base = tmp_path / "commentaires"
    assert comments == []
    assert [str(p) for p in problems] == [
        f"{base / 'budget.pendant.md'}: file name: unknown position 'pendant'; expected one of: avant, après, remplace "
        "(name a file <section>.md or <section>.<position>.md)",
        f"{base / 'kpi.md'}: line 1: unknown position 'avnt'; did you mean 'avant'?; expected one of: avant, après, remplace",
        f"{base / 'latin1.md'}: is not UTF-8 text; save it as UTF-8",
        f"{base / 'libre.md'}: line 2: unknown report section 'segmnts'; did you mean 'segments'?; known sections: {KNOWN_FR}",
        f"{base / 'roi.avant.md'}: line 1: position 'après' contradicts the file name's 'avant'; keep one",
        f"{base / 'swott.md'}: file name: unknown report section 'swott'; did you mean 'swot'?; known sections: {KNOWN_FR}",
    ]


def test_validation_reports_sheet_and_file_problems_in_one_pass(bare):
    _comments_sheet(bare, [("swott", "avant", "texte")])
    _write(bare, "budjet.md", "x")
    _, problems = check(bare, import_exports=False)
    assert [(p.file.rsplit("/", 1)[-1], p.where) for p in problems] == [
        ("atelier.xlsx", "sheet 'Commentaires', row 3, column 'Section'"), ("budjet.md", "file name")]


def test_sheet_comments_come_before_file_comments(bare):
    _comments_sheet(bare, [("swot", "après", "de la feuille")])
    _write(bare, "swot.md", "du fichier")
    data, problems = check(bare, import_exports=False)
    assert problems == [] and [c.text for c in data.comments] == ["de la feuille", "du fichier"]


def test_a_bom_and_crlf_file_reads_like_a_plain_one(tmp_path):
    path = tmp_path / "swot.avant.md"
    path.write_bytes("\ufeffposition: avant\r\n\r\nLigne **un**\r\n".encode("utf-8"))
    assert read_file(path) == (Comment("swot", "before", "Ligne **un**", str(path)), [])


def test_demo_comments_are_the_generators(bare):
    """data_samples/make_demo.py writes the demo's comment sheet rows and files."""
    import importlib.util

    from conftest import DEMO, ROOT

    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "data_samples" / "make_demo.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert {p.name: p.read_text(encoding="utf-8") for p in (DEMO / "commentaires").iterdir()} == mod.COMMENT_FILES
    data, problems = check(DEMO, import_exports=False)
    assert problems == []
    assert [(c.section, c.position) for c in data.comments] == [
        ("synthese", "before"), ("segments", "after"), ("canaux", "replace"), ("budget", "after")]
