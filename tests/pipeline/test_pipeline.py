"""The whole pipeline on the demo: deliverables, their content, run.json."""
import json
import re
import shutil

import pytest
from pypdf import PdfReader

import relkit

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def fr_run(tmp_path_factory):
    from conftest import DEMO

    out = tmp_path_factory.mktemp("fr") / "reports"
    return relkit.run(DEMO, out=out, progress=None)


def _pdf_text(path):
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_layout_of_deliverables(fr_run):
    d = fr_run.out_dir
    assert d.name == "arnaud-zoe"
    names = {p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file()}
    assert {
        "rapport-arnaud-zoe.pdf", "rapport-arnaud-zoe.html", "workbooks/01_diagnostic.html",
        "notebooks/01_diagnostic.ipynb", "figures.json", "run.json",
        "tables/objectifs_smart.csv", "tables/positionnement_questions.csv", "tables/mix_4p.csv",
        "tables/checklist_relationnel.csv", "workbooks/02_fichier_clients.html", "notebooks/02_fichier_clients.ipynb",
        "tables/segments.csv", "tables/qualite.csv", "tables/vmc.csv", "tables/clv_segments.csv", "tables/sources.csv",
        "workbooks/03_parcours_client.html", "workbooks/04_plan_collecte.html", "tables/irritants.csv",
        "tables/controles_rgpd.csv", "registre-traitements-arnaud-zoe.xlsx", "plan_relationnel_arnaud-zoe.xlsx",
        "workbooks/00_synthese.html", "workbooks/05_plan_relationnel.html", "tables/budget_enveloppes.csv",
        "tables/programmes.csv", "tables/chiffres_cles.csv",
    } <= names
    assert not list(d.parent.glob(".arnaud-zoe.*")), "no staging leftovers"


def test_pdf_is_a_bound_french_report(fr_run):
    reader = PdfReader(fr_run.pdf)
    assert len(reader.pages) == fr_run.pages == 46
    assert reader.metadata.title == "Arnaud & Zoé — Plan marketing relationnel"
    text = _pdf_text(fr_run.pdf)
    for expected in ["Arnaud & Zoé", "PLAN MARKETING RELATIONNEL", "Claire Dubois (Dubois Conseil)", "23 novembre 2026",
                     "Sommaire", "Diagnostic", "Analyse SWOT", "Objectifs SMART", "Positionnement",
                     "Mix marketing (4P)", "Maturité en marketing relationnel", "Page 2 / 46", "Page 46 / 46",
                     "Document confidentiel", "Fichier clients", "Sources importées", "Qualité des données",
                     "Segmentation RFM", "Cibles prêtes à l'emploi", "Segments prioritaires", "Valeur d'un client",
                     "Valeur prédite à 12 mois", "Parcours client", "Moments de vérité", "Zones d'amélioration",
                     "Du parcours actuel au parcours cible", "Plan de collecte", "Contrôles RGPD",
                     "Registre des activités de traitement", "Résumé exécutif", "Constats et recommandations",
                     "Décisions attendues", "Chiffres clés par partie",
                     "Le plan et où le trouver", "Prochaines étapes", "Plan relationnel, budget et KPI",
                     "Stratégie de canal", "Programmes relationnels et cibles", "Pression marketing", "Rétro-planning",
                     "Calendrier en phases", "Budget par trimestre", "Postes budgétaires et enveloppes annoncées",
                     "Entonnoir à rebours", "Retour sur investissement", "Indicateurs clés (KPI)",
                     "Tableau de bord : cibles et réalisé", "Calendrier de reporting", "Conclusion et prochaines étapes",
                     # issue 15's sections
                     "Concurrence", "Personas et portraits des segments prioritaires", "Natures des données",
                     "Scénarios automatisés", "Temps forts de l'année", "Outils et flux de données",
                     "Comparatif des concurrents", "Déroulé des scénarios"]:
        assert expected in text, expected
    # French number formats from Babel (narrow no-break spaces may come out as spaces)
    flat = re.sub(r"[\u202f\u00a0]", " ", text)
    assert "200 000 €" in flat and "73 %" in flat and "4 objectifs sur 7 sont SMART (57 %)" in flat
    assert "Traceback" not in text and "nan" not in re.findall(r"\bnan\b", flat.lower())


def test_executive_summary_fits_on_two_pages(fr_run):
    """The storyline (objective and bridge, findings, decisions, next steps) takes pages 3 and 4;
    the key figures and the outline are in the appendix, after the last workbook."""
    pages = [page.extract_text() for page in PdfReader(fr_run.pdf).pages]

    def first(text, after=1):  # the page a heading is on (the contents, page 2, left out)
        return next(i for i, t in enumerate(pages) if i > after and text in t)

    assert first("Objectif du plan") == 2
    assert first("Constats et recommandations") <= 3
    assert first("Décisions attendues") <= 3 and first("Prochaines étapes") <= 3
    assert first("Chiffres clés par partie") > first("Conclusion et prochaines étapes")


def test_report_is_at_most_30_pages_before_its_appendix_without_near_empty_pages(fr_run):
    """tools/pages.py on the demo: the plan itself fits 30 pages, none of them under a third used."""
    import importlib.util
    import sys

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("pages_tool", ROOT / "tools" / "pages.py")
    tool = importlib.util.module_from_spec(spec)
    sys.modules["pages_tool"] = tool  # its dataclass looks itself up there
    spec.loader.exec_module(tool)
    measured = tool.measure(fr_run.pdf)
    start = tool.appendix_start(measured)
    assert start is not None and start - 1 <= 30
    assert [n for n in tool.near_empty(measured) if n < start] == []


def test_html_has_no_code_and_no_traceback(fr_run):
    for html in [fr_run.html, fr_run.out_dir / "workbooks" / "01_diagnostic.html"]:
        text = re.sub(r"<style.*?</style>", "", html.read_text(encoding="utf-8"), flags=re.S)
        if html == fr_run.html:  # the report's one inline script (sortable tables, contents): no library, no network
            assert text.count("<script>") == 1 and "src=" not in text.split("<script>")[1].split("</script>")[0]
            text = re.sub(r"<script>.*?</script>", "", text, flags=re.S)
        assert 'class="jp-InputArea' not in text and "Session(" not in text and "import " not in text
        assert "Traceback" not in text and "<script" not in text
        assert ">NaN<" not in text and ">nan<" not in text
        assert '<html lang="fr">' in text
    page = (fr_run.out_dir / "workbooks" / "01_diagnostic.html").read_text(encoding="utf-8")
    assert "<title>Arnaud &amp; Zoé — Diagnostic</title>" in page


def test_figures_json_records_key_figures(fr_run):
    figures = json.loads((fr_run.out_dir / "figures.json").read_text(encoding="utf-8"))
    diag = figures["01_diagnostic"]
    assert diag["objectives"]["value"] == 7 and diag["objectives_smart"]["value"] == 4
    assert diag["positioning_score"]["value"] == 7 and diag["positioning_score"]["display"] == "7/10"
    assert diag["readiness_score"]["value"] == round(11 / 15, 4)
    assert diag["swot_items"]["value"] == 16
    assert diag["revenue_target"]["value"] == 200000.0


def test_run_json(fr_run):
    info = json.loads((fr_run.out_dir / "run.json").read_text(encoding="utf-8"))
    assert info["relkit_version"] == relkit.__version__ and info["status"] == "ok"
    assert info["parameters"]["lang"] == "fr"
    assert set(info["inputs"]) == {"engagement.yaml", "atelier.xlsx", "commentaires/budget.md", "exports/clients_shopify.csv",
                                   "exports/ventes.csv", "exports/manifest.json"}
    assert all(len(h) == 64 for h in info["inputs"].values())
    assert set(info["notebooks"]) == {"00_synthese", "01_diagnostic", "02_fichier_clients", "03_parcours_client",
                                      "04_plan_collecte", "05_plan_relationnel"}
    assert all(w["status"] == "ok" and w["retries"] == 0 for w in info["workbooks"].values())
    assert info["pages"] == 46
    assert info["comments_not_shown"] == []  # the demo's four comments each stand in their section
    assert (info["docx"], info["pptx"]) == ("rapport-arnaud-zoe.docx", "restitution-arnaud-zoe.pptx")
    # names, never where things are on the consultant's machine
    assert {k: info["parameters"][k] for k in ("engagement", "out", "working")} == {
        "engagement": "arnaud-zoe", "out": "reports", "working": "working"}
    # the CLV fit, auditable: every parameter and the log-likelihood of each model
    models = info["models"]["02_fichier_clients"]
    assert models["purchases"]["model"].startswith("MBG/NBD") and models["spend"]["model"].startswith("Gamma-Gamma")
    assert set(models["purchases"]["parameters"]) == {"r", "alpha", "a", "b"}
    assert set(models["spend"]["parameters"]) == {"p", "q", "v"}
    assert models["purchases"]["customers"] == 2370 and models["spend"]["customers"] > 0
    assert models["purchases"]["log_likelihood"] < 0 and models["spend"]["log_likelihood"] < 0
    assert models["reference_date"] == "2026-11-01" and models["horizon_weeks"] == 52


def test_record_merges_figures_and_models_pieces(tmp_path):
    from relkit.pipeline.run import _record
    from relkit.pipeline.scrub import Scrubber

    for folder, piece in (("figures", {"customers": {"value": 3}}), ("models", {"purchases": {"r": 1.0}})):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "02_fichier_clients.json").write_text(json.dumps(piece), encoding="utf-8")
    (tmp_path / "models" / "05_plan.json").write_text(json.dumps({"path": f"{tmp_path}/x"}), encoding="utf-8")
    _record(tmp_path, {"status": "ok"}, Scrubber({tmp_path: "reports/acme"}))
    info = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert info == {"status": "ok", "models": {"02_fichier_clients": {"purchases": {"r": 1.0}},
                                               "05_plan": {"path": "reports/acme/x"}}}
    figures = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert figures == {"02_fichier_clients": {"customers": {"value": 3}}}


def test_record_without_models_adds_no_key(tmp_path):
    from relkit.pipeline.run import _record

    _record(tmp_path, {"status": "ok"})
    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8")) == {"status": "ok"}
    assert json.loads((tmp_path / "figures.json").read_text(encoding="utf-8")) == {}


def test_tables_are_aggregates_without_nan(fr_run):
    csv = (fr_run.out_dir / "tables" / "objectifs_smart.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0] == "Objectif,Indicateur,Échéance,SMART ?,À compléter"
    assert "nan" not in csv.lower()


def test_english_report(demo, tmp_path):
    result = relkit.run(demo, lang="en", out=tmp_path / "reports", progress=None)
    assert result.pdf.name == "report-arnaud-zoe.pdf"
    text = re.sub(r"[\u202f\u00a0]", " ", _pdf_text(result.pdf))
    for expected in ["RELATIONSHIP MARKETING PLAN", "Contents", "Diagnosis", "SWOT analysis", "SMART objectives",
                     "Positioning", "Marketing mix (4P)", "Relationship-marketing readiness", "€200,000",
                     "23 November 2026", "4 of 7 objectives are SMART (57%)", "Customer file", "RFM segmentation",
                     "Data quality", "Customer value", "Potential loyalists", "Executive summary",
                     "Relationship plan, budget and KPIs", "Budget by quarter", "Marketing pressure",
                     "Reporting calendar"]:
        assert expected in text, expected
    assert "Sommaire" not in text
    assert (result.out_dir / "relationship_plan_arnaud-zoe.xlsx").exists()


def test_cli_run_prints_where_deliverables_are(demo, tmp_path, capsys):
    from relkit.cli import main

    assert main(["run", str(demo), "--out", str(tmp_path / "r"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"PDF : {tmp_path / 'r' / 'arnaud-zoe' / 'rapport-arnaud-zoe.pdf'}" in out
    assert f"Word: {tmp_path / 'r' / 'arnaud-zoe' / 'rapport-arnaud-zoe.docx'}" in out
    assert f"PowerPoint: {tmp_path / 'r' / 'arnaud-zoe' / 'restitution-arnaud-zoe.pptx'}" in out


def test_a_deck_that_cannot_be_written_is_one_line_and_publishes_nothing(demo, tmp_path, capsys, monkeypatch):
    from relkit.cli import main
    from relkit.pipeline import deck

    published = tmp_path / "r" / "arnaud-zoe"
    published.mkdir(parents=True)
    (published / "rapport-arnaud-zoe.pdf").write_bytes(b"earlier report")

    def broken(*args, **kwargs):
        raise OSError("logo.png: not a picture")

    monkeypatch.setattr(deck, "write", broken)
    assert main(["run", str(demo), "--out", str(tmp_path / "r"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "relkit: error: writing the PowerPoint restitution failed: OSError: logo.png: not a picture" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in published.iterdir()) == ["rapport-arnaud-zoe.pdf"]
    assert (published / "rapport-arnaud-zoe.pdf").read_bytes() == b"earlier report"


def test_several_workbooks_run_in_parallel_and_bind_in_order(demo, tmp_path, recwarn):
    from conftest import ROOT

    second = tmp_path / "nb" / "02_copie.ipynb"
    second.parent.mkdir()
    shutil.copy(ROOT / "relkit" / "notebooks" / "01_diagnostic.ipynb", second)
    result = relkit.run(demo, out=tmp_path / "reports", progress=None, jobs=2,
                        notebooks=[ROOT / "relkit" / "notebooks" / "01_diagnostic.ipynb", second])
    info = json.loads((result.out_dir / "run.json").read_text(encoding="utf-8"))
    assert list(info["workbooks"]) == ["01_diagnostic", "02_copie"]
    assert sorted(p.name for p in (result.out_dir / "workbooks").iterdir()) == ["01_diagnostic.html", "02_copie.html"]
    html = result.html.read_text(encoding="utf-8")
    assert html.count('class="rk-toc-l1"') == 3  # the two workbooks, then their appendix
    assert result.pages == 11  # cover, contents, the two workbooks (with competitors and personas), then the appendix
    assert not [w for w in recwarn if "DuplicateCellId" in str(w.category.__name__)]


def _generated_personal_data():
    """Every e-mail, phone and full name of the demo's customer export."""
    import csv

    from conftest import DEMO

    with open(DEMO / "exports" / "clients_shopify.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    emails = {r["Email"].strip() for r in rows if "@" in r["Email"]}
    phones = {p.strip().lstrip("'") for r in rows for p in (r["Phone"], r["Default Address Phone"]) if len(p.strip()) > 6}
    names = {f"{r['First Name']} {r['Last Name']}".strip() for r in rows if r["First Name"] and r["Last Name"]}
    return emails, phones, names


def test_no_customer_personal_data_in_any_deliverable(fr_run):
    """HTML, PDF, CSV tables, figures.json, executed notebooks: aggregates only."""
    emails, phones, names = _generated_personal_data()
    assert len(emails) > 2000 and len(phones) > 1000 and len(names) > 2000
    from openpyxl import load_workbook

    texts = {}
    for path in fr_run.out_dir.rglob("*"):
        if path.suffix in (".html", ".csv", ".json", ".ipynb"):
            texts[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".xlsx":
            wb = load_workbook(path)
            texts[path.name] = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)
        elif path.suffix in (".pptx", ".docx"):  # every XML part: slides, notes, charts, document
            import zipfile

            with zipfile.ZipFile(path) as z:
                texts[path.name] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                                              if n.endswith(".xml"))
    assert any(name.endswith(".xlsx") for name in texts)
    assert any(name.endswith(".pptx") for name in texts)
    assert any(name.endswith(".docx") for name in texts)  # the Word report
    texts["pdf"] = _pdf_text(fr_run.pdf)
    digits_only = {re.sub(r"\D", "", p) for p in phones}
    for name, text in texts.items():
        flat = re.sub(r"\D", "", text)
        assert not [e for e in emails if e in text], name
        assert not [n for n in names if n in text], name
        assert not [p for p in phones if p in text], name
        assert not [d for d in digits_only if len(d) >= 9 and d in flat and name == "pdf"], name


def test_personal_data_goes_to_the_working_folder_only(fr_run):
    working = fr_run.out_dir.parent.parent / "working" / "arnaud-zoe"
    files = {p.relative_to(working).as_posix() for p in working.rglob("*") if p.is_file()}
    assert {"02_fichier_clients/scores_rfm.csv", "02_fichier_clients/doublons.csv",
            "02_fichier_clients/fichier_nettoye.csv", "02_fichier_clients/fiches_inactives.csv",
            "imported/customers.arrow", "imported/transactions.arrow"} <= files
    html = fr_run.html.read_text(encoding="utf-8")
    assert "working" not in html and "doublons.csv" not in html


@pytest.mark.libreoffice
def test_register_is_a_deliverable_that_opens(fr_run, tmp_path):
    import shutil
    import subprocess

    from openpyxl import load_workbook

    register = fr_run.out_dir / "registre-traitements-arnaud-zoe.xlsx"
    wb = load_workbook(register)
    text = " ".join(str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None)
    assert "Arnaud & Zoé" in text and "Recommandations" in text and "à compléter" in text
    if shutil.which("libreoffice") is None:
        pytest.skip("libreoffice is not installed (.ci/run installs Debian's package)")
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(register)],
                   check=True, capture_output=True, timeout=120)
    assert (tmp_path / "registre-traitements-arnaud-zoe.pdf").stat().st_size > 1000


def test_batch_says_which_workbooks_were_retried(tmp_path):
    """A batch client that succeeded after a kernel died says so in its progress line."""
    from relkit.batch.progress import Progress
    from relkit.batch.worker import retried

    (tmp_path / "run.json").write_text(json.dumps({"workbooks": {
        "01_diagnostic": {"status": "ok", "seconds": 1.0, "retries": 0},
        "02_fichier_clients": {"status": "ok", "seconds": 9.0, "retries": 1, "retry_reason": "the kernel died"}}}),
        encoding="utf-8")
    assert retried(tmp_path) == "kernel died and was retried: 02_fichier_clients"
    (tmp_path / "run.json").write_text(json.dumps({"workbooks": {"a": {"status": "ok", "retries": 0}}}), encoding="utf-8")
    assert retried(tmp_path) is None
    lines = []
    progress = Progress(1, 1, output=lines.append)
    progress.finished({"slug": "acme", "status": "ok", "seconds": 3.0, "reason": "kernel died and was retried: 02"})
    assert lines[-1] == "[1/1] acme ok in 3.0 s (kernel died and was retried: 02)"


def test_consultant_comments_stand_at_their_place_in_the_pdf(fr_run):
    """The demo's comments (sheet Commentaires and commentaires/budget.md): before,
    in place of the first paragraph, and at the end of their sections."""
    text = re.sub(r"\s+", " ", _pdf_text(fr_run.pdf))
    body = text.index("Notre lecture en une phrase")  # the first comment, right after the summary's title
    assert text.rfind("Résumé exécutif", 0, body) > text.rfind("Page", 0, body) - 40
    assert body < text.index("Ce rapport présente", body)
    segments = text.index("Les clientes à réactiver")
    assert text.rfind("Segmentation RFM", 0, segments) > text.rfind("Segments prioritaires", 0, segments)
    assert segments < text.index("Cibles prêtes à l'emploi", segments)
    channels = text.index("L'e-mail reste le canal qui vend")
    heading = text.rfind("Stratégie de canal", 0, channels)
    assert text[heading + len("Stratégie de canal"):channels].strip() == ""  # the generated paragraph gave way
    budget = text.index("Ce budget est volontairement prudent")
    assert text.rfind("Retour sur investissement", 0, budget) > text.rfind("Indicateurs clés (KPI)", 0, budget)
    assert budget < text.index("Indicateurs clés (KPI)", budget)
