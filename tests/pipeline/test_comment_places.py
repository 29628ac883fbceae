"""A comment whose section the report never shows is named by the run, not dropped in silence."""
import nbformat

from relkit.io.comments import Comment
from relkit.pipeline import comment_places
from relkit.workbooks.session import comment_html


def _notebook(path, *sections):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("s.heading(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": comment_html("Un **mot**", sid)})
                    for sid in sections]
    nb.cells = [cell]
    nbformat.write(nb, path)
    return path


def test_only_comments_of_sections_absent_from_every_notebook_are_listed(tmp_path):
    folder = tmp_path / "client"
    notebooks = [_notebook(tmp_path / "01.ipynb", "swot"), _notebook(tmp_path / "05.ipynb", "budget", "canaux")]
    comments = [
        Comment("swot", "after", "vu", f"{folder}/atelier.xlsx: sheet 'Commentaires', row 3"),
        Comment("segments", "before", "pas vu", f"{folder}/atelier.xlsx: sheet 'Commentaires', row 4"),
        Comment("budget", "after", "vu", "budget.md"),
        Comment("valeur", "replace", "pas vu", "valeur.remplace.md"),
    ]
    assert comment_places.shown_sections(notebooks) == {"swot", "budget", "canaux"}
    missing = comment_places.not_shown(comments, notebooks, folder)
    assert missing == [{"section": "segments", "source": "atelier.xlsx: sheet 'Commentaires', row 4"},
                       {"section": "valeur", "source": "valeur.remplace.md"}]
    assert comment_places.line(missing[0]) == (
        "comment not shown: atelier.xlsx: sheet 'Commentaires', row 4 is for the section 'segments', which this report "
        "does not contain (no data for it, or its sheet is empty)")


def test_no_comment_no_line(tmp_path):
    assert comment_places.not_shown([], [_notebook(tmp_path / "a.ipynb")], tmp_path) == []
