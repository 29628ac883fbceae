"""The consultant's comments in the report: placed before, after or instead of
the generated text of their section, as safe Markdown."""
import json
import re

import pandas as pd
import pytest

from conftest import ROOT
from relkit.io.comments import Comment
from relkit.workbooks import session as session_module
from relkit.workbooks.session import Session, comment_html


@pytest.fixture
def shown(monkeypatch):
    """What the Session displays, as a list of HTML strings in order."""
    out = []
    monkeypatch.setattr(session_module, "display", lambda obj, **kw: out.append(obj.data))
    return out


@pytest.fixture
def cells(monkeypatch):
    """Outputs by cell as a kernel keeps them: display ids updated in place."""
    book = [[]]

    def show(obj, display_id=None, **kw):
        book[-1].append([obj.data, display_id])

    def update(obj, display_id):
        for cell in book:
            for out in cell:
                if out[1] == display_id:
                    out[0] = obj.data

    monkeypatch.setattr(session_module, "display", show)
    monkeypatch.setattr(session_module, "update_display", update)
    return book


def _run_cell(s, book, body):
    """One notebook cell: its calls, then the kernel's end-of-cell event."""
    body()
    s._cell_done()
    book.append([])


def _session(demo, comments):
    s = Session(demo, "01_diagnostic", lang="fr")
    s.data = type(s.data)(s.data.folder, s.data.engagement, s.data.sheets, comments=tuple(Comment(*c, "test") for c in comments))
    return s


def _kinds(out):
    """Each output in short: 'h2:swot', 'p:text', 'c:text' (a comment's first paragraph text)."""
    short = []
    for o in out:
        if m := re.match(r'<h(\d) id="[^"]*" class="rk-heading">(.*?)</h\d>', o):
            short.append(f"h{m.group(1)}:{m.group(2)}")
        elif o.startswith('<p class="rk-'):
            short.append("p:" + re.sub(r"<[^>]+>", "", o))
        elif o.startswith('<div class="rk-comment"'):
            short.append("c:" + " | ".join(re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p>.*?</p>", o, re.S)))
        else:
            short.append(o[:30])
    return short


def test_comments_go_before_after_and_instead_of_the_first_paragraph(demo, shown):
    s = _session(demo, [
        ("swot", "after", "Après le SWOT."),
        ("swot", "before", "Avant le SWOT."),
        ("swot", "replace", "Mon analyse."),
        ("objectifs", "after", "Fin des objectifs."),
        ("diagnostic", "after", "Fin du diagnostic."),
        ("maturite", "replace", "Aucun paragraphe : montré à la fin."),
    ])
    s.heading("workbook.01_diagnostic", level=1)
    s.say("intro")
    s.heading("swot.title")
    s.say("texte généré 1")
    s.say("texte généré 2")
    s.heading("positioning.questions", level=3)  # a sub-heading does not end the section
    s.say("sous-partie")
    s.heading("objectives.title")
    s.say("objectifs générés")
    s.say("règle", kind="rule")
    s.heading("readiness.title")
    s.end()
    assert _kinds(shown) == [
        "h1:Diagnostic", "p:intro",
        "h2:Analyse SWOT", "c:Avant le SWOT.", "c:Mon analyse.", "p:texte généré 2",
        "h3:Évaluation de l&#x27;énoncé", "p:sous-partie", "c:Après le SWOT.",
        "h2:Objectifs SMART", "p:objectifs générés", "p:règle", "c:Fin des objectifs.",
        "h2:Maturité en marketing relationnel", "c:Aucun paragraphe\u202f: montré à la fin.",
        "c:Fin du diagnostic.",
    ]


def test_a_rule_paragraph_is_never_replaced_and_nested_sections_end_innermost_first(demo, shown):
    s = _session(demo, [("budget", "replace", "Budget vu par le consultant."), ("roi", "after", "Sur le ROI."),
                        ("budget", "after", "Sur le budget."), ("roi", "before", "Avant le ROI.")])
    s.heading("planwb.budget.title")
    s.say("méthode", kind="rule")
    s.say("budget généré")
    s.heading("planwb.roi.title", level=3)
    s.say("roi généré")
    s.heading("planwb.kpis.title")
    assert _kinds(shown) == [
        "h2:Budget et ROI", "p:méthode", "c:Budget vu par le consultant.",
        "h3:Retour sur investissement", "c:Avant le ROI.", "p:roi généré", "c:Sur le ROI.", "c:Sur le budget.",
        "h2:Indicateurs clés (KPI)",
    ]


def test_a_table_heading_opens_its_section_with_the_comment_between_title_and_table(demo, shown):
    s = _session(demo, [("plan-actions", "before", "Lire **ligne à ligne**."), ("plan-actions", "after", "Fin.")])
    s.table(pd.DataFrame({"Action": ["Vidéo"]}), heading="planwb.actions.title")
    s.heading("planwb.budget.title")
    block = shown[0]
    assert block.index("Plan d&#x27;actions</h2>") < block.index('<div class="rk-comment" data-section="plan-actions">'
                                                               "<p>Lire <strong>ligne à ligne</strong>.</p>") < block.index("<table")
    assert _kinds(shown[1:]) == ["c:Fin.", "h2:Budget et ROI"]


def test_no_comment_no_change(demo, shown):
    s = _session(demo, [])
    s.heading("swot.title")
    s.say("texte")
    s.end()
    assert _kinds(shown) == ["h2:Analyse SWOT", "p:texte"]


def test_markdown_is_rendered_and_html_is_escaped():
    out = comment_html("**Gras**, *italique*\n- un\n- deux\n\n[site](https://exemple.fr) <script>alert('x')</script>", "swot")
    assert out == ('<div class="rk-comment" data-section="swot"><p><strong>Gras</strong>, <em>italique</em></p>\n'
                   "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n"
                   '<p><a href="https://exemple.fr">site</a> &lt;script&gt;alert(\'x\')&lt;/script&gt;</p>\n</div>')
    assert "<script" not in comment_html("<script>x</script>\n\n<img src=x onerror=alert(1)>")
    assert "href" not in comment_html("[clic](javascript:alert(1))")
    assert comment_html("# Titre\nligne 2") == '<div class="rk-comment" data-section=""><p># Titre<br />\nligne 2</p>\n</div>'
    assert comment_html('x', 'a"b').startswith('<div class="rk-comment" data-section="a&quot;b">')


def test_french_comments_get_narrow_no_break_spaces():
    assert comment_html("Notre lecture : « taille suivante » ; oui ? non !") == (
        '<div class="rk-comment" data-section=""><p>Notre lecture\u202f: «\u202ftaille suivante\u202f»\u202f; '
        "oui\u202f? non\u202f!</p>\n</div>")
    assert comment_html("Note : [site](https://x.fr)", lang="en") == (
        '<div class="rk-comment" data-section=""><p>Note : <a href="https://x.fr">site</a></p>\n</div>')


def test_every_notebook_ends_its_sections_in_the_body():
    """The last code cell calls s.end(), so "après" comments of the workbook are
    shown, and it is not an appendix cell (they stay at the end of the workbook)."""
    for nb in sorted((ROOT / "relkit" / "notebooks").glob("0*.ipynb")):
        code = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        assert "".join(code[-1]["source"]).rstrip().endswith("s.end()"), nb.name
        assert "appendix" not in code[-1]["metadata"].get("tags", []), nb.name


def test_in_a_kernel_after_comments_stand_at_the_end_of_the_sections_last_cell(demo, cells):
    """An appendix cell after a section does not take the section's comment with it;
    the workbook's own (level 1) comment waits for end()."""
    s = _session(demo, [("prochaines-etapes", "after", "Fin des étapes."), ("synthese", "after", "Fin du résumé."),
                        ("objectif-du-plan", "after", "Objectif commenté.")])
    _run_cell(s, cells, lambda: (s.heading("workbook.00_synthese", level=1), s.heading("synthesis.objective.title")))
    _run_cell(s, cells, lambda: s.say("l'objectif"))
    _run_cell(s, cells, lambda: (s.heading("synthesis.next.title"), s.say("étape 1")))
    _run_cell(s, cells, lambda: s.table(pd.DataFrame({"a": [1]}), heading="synthesis.figures.title"))  # an appendix cell
    _run_cell(s, cells, lambda: s.record("x", 1))
    _run_cell(s, cells, s.end)
    short = [_kinds([o for o, _ in cell if o != session_module.MOVED]) for cell in cells]
    assert short == [
        ["h1:Résumé exécutif", "h2:Objectif du plan"],
        ["p:l&#x27;objectif", "c:Objectif commenté."],
        ["h2:Prochaines étapes", "p:étape 1", "c:Fin des étapes."],
        ['<div class="rk-table-block"><h'],
        [],
        ["c:Fin du résumé."],
        [],
    ]
    assert [o for o, _ in cells[0]][-1] == session_module.MOVED  # the comment first shown after cell 1 moved on
