"""The draft's "Points à vérifier" page (relkit_report template): one item per open
check, escaped, listed in the contents; none in a final report."""
from nbformat.v4 import new_code_cell, new_notebook, new_output

from relkit.pipeline import render

CONTEXT = {
    "lang": "fr", "version": "test", "client": "Client", "consultant": "C", "title": "Plan", "subtitle": "S",
    "prepared_by": "Préparé par C", "date": "23 novembre 2026", "plan_year": "Année du plan : 2027",
    "contents_title": "Sommaire", "confidential": "Document confidentiel", "page_word": "Page",
    "checks_title": "Points à vérifier", "checks_intro": "Avant d'envoyer ce rapport…",
}


def _nb():
    cell = new_code_cell("x")
    cell.outputs = [new_output("display_data", data={"text/html": "<p>Texte</p>"})]
    return new_notebook(cells=[cell])


def test_draft_ends_with_the_points_to_check():
    checks = [{"check": "budget_envelopes", "text": "Enveloppe T2 : 3 930 € <selon> engagement.yaml"},
              {"check": "revenue_last_year", "text": "CA de l'an dernier : 12 400 €"}]
    html = render.report_html([_nb()], {**CONTEXT, "checks": checks})
    assert html.count("<li data-check=") == 2
    assert '<li data-check="budget_envelopes">Enveloppe T2 : 3 930 € &lt;selon&gt; engagement.yaml</li>' in html
    assert '<a href="#points-a-verifier">Points à vérifier</a>' in html  # in the contents
    assert html.index('id="points-a-verifier"') > html.index("<p>Texte</p>")  # after the workbooks


def test_final_report_has_no_such_page():
    for context in (CONTEXT, {**CONTEXT, "checks": []}):
        html = render.report_html([_nb()], context)
        assert 'class="rk-checks"' not in html and "Points à vérifier" not in html


def test_cli_final_refusal_is_exit_2_listing_the_open_checks(monkeypatch, capsys, tmp_path):
    import relkit
    from relkit.cli import main
    from relkit.pipeline.run import ChecksOpen

    seen = {}

    def refuse(folder, **kwargs):
        seen.update(kwargs)
        raise ChecksOpen([{"check": "target_gap", "text": "Objectif de CA : il manque 11 672 €."}])

    monkeypatch.setattr(relkit, "run", refuse)
    assert main(["run", str(tmp_path), "--final"]) == 2
    err = capsys.readouterr().err
    assert seen["final"] is True
    assert "not published: 1 point(s) to check still open" in err
    assert "  [target_gap] Objectif de CA : il manque 11 672 €." in err
    assert "previous deliverables were left unchanged" in err
    monkeypatch.setattr(relkit, "run", refuse)
    main(["run", str(tmp_path)])
    assert seen["final"] is False  # a draft by default
