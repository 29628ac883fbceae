"""Regenerate the source notebooks (clean, no outputs, one `parameters` cell).

Notebooks are thin: this script keeps them uniform. Edit here, then run
`python tools/make_notebooks.py`; or edit in JupyterLab and keep outputs cleared.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

PARAMS = '''# Parameters, injected by Papermill under `relkit run`.
# engagement: the engagement folder. lang: fr or en, None for the engagement language.
# output_dir: where key figures and tables go, None in live use.
# working_dir: confidential outputs with personal data, never a deliverable.
engagement = "../data_samples/arnaud-zoe"
lang = None
output_dir = None
working_dir = None'''


def _opening(workbook: str, imports: str, setup: str, var: str) -> nbformat.NotebookNode:
    """The first code cell of every workbook: session, title, intro, key figures."""
    return new_code_cell(
        "from relkit.notebook import Session\n"
        f"{imports}\n\n"
        f"s = Session(engagement, \"{workbook}\", lang=lang, output_dir=output_dir, working_dir=working_dir)\n"
        f"{setup}\n"
        f"s.heading(\"workbook.{workbook}\", level=1)\n"
        f"s.say({var}.intro())\n"
        f"s.key_figures({var}.key_figures())"
    )


def _record(var: str) -> nbformat.NotebookNode:
    """The last code cell: key figures for figures.json, the report and the batch index."""
    return new_code_cell(f"for key, (value, label, shown) in {var}.figures().items():\n    s.record(key, value, label, shown)")


def _notebook(cells: list, workbook: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["relkit"] = {"workbook": workbook}
    return nb


def diagnostic() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# 01 — Diagnostic\n\nSWOT, objectifs SMART, positionnement, mix 4P et maturité relationnelle. "
            "The client-facing text comes from `relkit` (French or English); these notes are for the consultant "
            "and are not part of the report."
        ),
        new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        _opening("01_diagnostic", "from relkit.diagnostic import Diagnostic", "d = Diagnostic(s.data, s.labels)", "d"),
        new_markdown_cell("## SWOT\nEntries from the workshop sheet *SWOT*; importance 3 is shown in bold."),
        new_code_cell("s.heading(\"swot.title\")\ns.figure(d.swot_figure(), alt=\"SWOT\")\ns.say(d.swot_text())"),
        new_markdown_cell("## Objectives\nSMART rule in `relkit/objectives.py`."),
        new_code_cell(
            "s.heading(\"objectives.title\")\n"
            "s.table(d.objectives_table(), name=\"objectifs_smart\")\n"
            "s.say(d.objectives_text())\n"
            "s.say(s.labels(\"objectives.rule\"), kind=\"rule\")"
        ),
        new_markdown_cell("## Positioning\nStatement template and the 10 questions of seed 001."),
        new_code_cell(
            "s.heading(\"positioning.title\")\n"
            "s.callout(d.statement())\n"
            "s.heading(\"positioning.questions\", level=3)\n"
            "s.table(d.questions_table(), name=\"positionnement_questions\")\n"
            "s.say(d.positioning_text())"
        ),
        new_markdown_cell("## 4P"),
        new_code_cell("s.heading(\"mix.title\")\ns.table(d.mix_table(), name=\"mix_4p\")\ns.say(d.mix_text())"),
        new_markdown_cell("## Readiness checklist (seed 004)"),
        new_code_cell(
            "s.heading(\"readiness.title\")\n"
            "s.table(d.readiness_table(), name=\"checklist_relationnel\")\n"
            "for paragraph in d.readiness_text():\n"
            "    s.say(paragraph)"
        ),
        new_markdown_cell("Key figures for `figures.json`, the report summary and the batch index."),
        _record("d"),
    ]
    return _notebook(cells, "01_diagnostic")


def customer_file() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# 02 — Fichier clients\n\nImport of the client's exports, data-quality audit, RFM segmentation, "
            "targets, personas, VMC and predicted value. Only aggregates are displayed; per-customer files go to "
            "`working_dir` (confidential)."
        ),
        new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        _opening("02_fichier_clients", "from relkit.customers.workbook import CustomerFile",
                 "cf = CustomerFile(s.engagement, s.customer_imports(), s.labels)", "cf"),
        new_markdown_cell("## Sources\nWhat was detected while importing (encoding, separator, dates, rows skipped)."),
        new_code_cell(
            "s.heading(\"customers.sources.title\")\n"
            "s.table(cf.sources_table(), name=\"sources\")\n"
            "for paragraph in cf.sources_text():\n"
            "    s.say(paragraph)"
        ),
        new_markdown_cell("## Data quality (seed 001 §V)"),
        new_code_cell(
            "s.heading(\"customers.quality.title\")\n"
            "s.figure(cf.quality_chart(), alt=\"qualité\")\n"
            "s.table(cf.quality_table(), name=\"qualite\")\n"
            "for paragraph in cf.quality_text():\n"
            "    s.say(paragraph)"
        ),
        new_markdown_cell("## RFM segmentation\nEach section says in one sentence what the client's data cannot measure, "
                          "and the report goes on."),
        new_code_cell(
            "s.heading(\"customers.segments.title\")\n"
            "if missing := cf.not_measurable(\"segments\"):\n"
            "    s.callout(missing)\n"
            "else:\n"
            "    s.say(cf.segments_rule(), kind=\"rule\")\n"
            "    s.figure(cf.segments_chart(), alt=\"segments\")\n"
            "    s.table(cf.segments_table(), name=\"segments\")\n"
            "    s.say(cf.segments_text())\n"
            "    s.figure(cf.heatmap_chart(), alt=\"RFM\")\n"
            "    s.figure(cf.recency_chart(), alt=\"récence\")\n"
            "    s.figure(cf.pareto_chart(), alt=\"Pareto\")"
        ),
        new_markdown_cell("## Targets, priorities, personas"),
        new_code_cell(
            "s.heading(\"customers.targets.title\")\n"
            "if missing := cf.not_measurable(\"targets\"):\n"
            "    s.callout(missing)\n"
            "else:\n"
            "    s.table(cf.targets_table(), name=\"cibles\")\n"
            "    s.heading(\"customers.priorities.title\")\n"
            "    for paragraph in cf.priorities_text():\n"
            "        s.say(paragraph)\n"
            "    s.say(s.labels(\"customers.priorities.rule\"), kind=\"rule\")\n"
            "    s.heading(\"customers.personas.title\", level=3)\n"
            "    for paragraph in cf.personas():\n"
            "        s.say(paragraph)"
        ),
        new_markdown_cell("## Value: VMC (seed 001) and predicted CLV (MBG/NBD + Gamma-Gamma)"),
        new_code_cell(
            "s.heading(\"customers.value.title\")\n"
            "s.heading(\"customers.value.vmc_title\", level=3)\n"
            "if missing := cf.not_measurable(\"vmc\"):\n"
            "    s.callout(missing)\n"
            "else:\n"
            "    s.table(cf.vmc_table(), name=\"vmc\")\n"
            "    s.say(cf.vmc_text())\n"
            "s.say(s.labels(\"customers.value.formula\"), kind=\"rule\")\n"
            "s.heading(\"customers.value.by_segment\", level=3)\n"
            "if missing := cf.not_measurable(\"vmc_segments\"):\n"
            "    s.callout(missing)\n"
            "else:\n"
            "    s.table(cf.vmc_segments_table(), name=\"vmc_segments\")\n"
            "s.heading(\"customers.clv.title\", level=3)\n"
            "if missing := cf.not_measurable(\"clv\"):\n"
            "    s.callout(missing)\n"
            "else:\n"
            "    s.table(cf.clv_table(), name=\"clv_segments\")\n"
            "    for paragraph in cf.clv_text():\n"
            "        s.say(paragraph)\n"
            "    s.say(s.labels(\"customers.clv.method\"), kind=\"rule\")"
        ),
        new_markdown_cell("Confidential files for the consultant, then key figures for `figures.json`."),
        new_code_cell("written = cf.write_working(s.working_dir)  # confidential files, not shown\n"
                      "models = cf.write_models(s.output_dir, s.working_dir)  # fitted parameters, for the audit trail"),
        _record("cf"),
    ]
    return _notebook(cells, "02_fichier_clients")


def journey() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# 03 — Parcours client\n\nJourney map (channels × stages), emotion curve, moments of truth, "
                          "pain points, coverage, current → target, and the three zoom levels of seed 000."),
        new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        _opening("03_parcours_client", "from relkit.journey_workbook import JourneyWorkbook", "jw = JourneyWorkbook(s.data, s.labels)", "jw"),
        new_markdown_cell("## Maps: 1:1,000,000 (whole journey by stage)"),
        new_code_cell(
            "s.figure(jw.matrix_chart(\"current\"), alt=\"carte actuelle\")\n"
            "s.figure(jw.emotion_chart(), alt=\"émotions\")\n"
            "s.heading(\"journey.zoom.stage\", level=3)\n"
            "s.table(jw.by_stage_table(), name=\"parcours_par_etape\")"
        ),
        new_markdown_cell("## Moments of truth, pain points, improvement zones, coverage"),
        new_code_cell(
            "s.heading(\"journey.moments.title\")\n"
            "s.table(jw.moments_table(), name=\"moments_de_verite\")\n"
            "s.say(jw.moments_text())\n"
            "s.say(s.labels(\"journey.moments.rule\"), kind=\"rule\")\n"
            "s.heading(\"journey.pain.title\")\n"
            "s.table(jw.pain_table(), name=\"irritants\")\n"
            "s.say(s.labels(\"journey.pain.rule\"), kind=\"rule\")\n"
            "s.heading(\"journey.zones.title\", level=3)\n"
            "s.table(jw.zones_table(), name=\"zones_amelioration\")\n"
            "s.say(jw.zones_text())\n"
            "s.heading(\"journey.coverage.title\", level=3)\n"
            "for paragraph in jw.coverage_text():\n"
            "    s.say(paragraph)"
        ),
        new_markdown_cell("## Target journey: differences, 1:100,000 (programmes) and 1:25,000 (every touchpoint)"),
        new_code_cell(
            "s.heading(\"journey.diff.title\")\n"
            "s.figure(jw.matrix_chart(\"target\"), alt=\"carte cible\")\n"
            "s.table(jw.differences_table(), name=\"actuel_vers_cible\")\n"
            "s.say(jw.differences_text())\n"
            "s.heading(\"journey.zoom.programme\", level=3)\n"
            "s.table(jw.by_programme_table(), name=\"parcours_par_programme\")\n"
            "s.heading(\"journey.zoom.detail\", level=3)\n"
            "s.table(jw.detail_table(), name=\"points_de_contact\")"
        ),
        _record("jw"),
    ]
    return _notebook(cells, "03_parcours_client")


def collection() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# 04 — Plan de collecte\n\nWhich data, for which use, on which legal basis, for how long, "
                          "collected where; completeness measured by workbook 02's audit; GDPR checks; the art. 30 register."),
        new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        _opening("04_plan_collecte",
                 "from relkit.collection_workbook import CollectionWorkbook\nfrom relkit.customers.workbook import CustomerFile",
                 "completeness = None\n"
                 "if s.engagement.customer_data is not None:  # the same audit as workbook 02\n"
                 "    completeness = CustomerFile(s.engagement, s.customer_imports(), s.labels).quality.completeness\n"
                 "cw = CollectionWorkbook(s.data, s.labels, completeness)", "cw"),
        new_code_cell(
            "s.table(cw.plan_table(), name=\"plan_de_collecte\", heading=\"collection.plan.title\")\n"
            "s.heading(\"collection.completeness.title\")\n"
            "s.table(cw.completeness_table(), name=\"completude_mesuree\")\n"
            "s.say(cw.completeness_text())\n"
            "s.heading(\"collection.gaps.title\", level=3)\n"
            "s.table(cw.gaps_table(), name=\"donnees_manquantes\")\n"
            "s.say(cw.gaps_text())"
        ),
        new_code_cell(
            "s.heading(\"collection.gdpr.title\")\n"
            "s.table(cw.gdpr_table(), name=\"controles_rgpd\")\n"
            "s.say(cw.gdpr_text())\n"
            "s.heading(\"collection.register.title\")\n"
            "cw.write_register(output_dir)\n"
            "s.say(cw.register_text())"
        ),
        _record("cw"),
    ]
    return _notebook(cells, "04_plan_collecte")


def synthesis() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# 00 — Résumé exécutif\n\nOpens the bound report; runs last, from the key figures the other "
                          "workbooks recorded (seed 002's plan outline). Live, it shows the last published figures."),
        new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        _opening("00_synthese",
                 "from pathlib import Path\nfrom relkit.synthesis import Synthesis, read_figures",
                 "published = Path(engagement).resolve().parents[1] / \"reports\" / s.engagement.slug / \"figures.json\"\n"
                 "sy = Synthesis(s.data, s.labels, read_figures(output_dir, published))", "sy"),
        new_code_cell(
            "if not sy.figures:\n"
            "    s.say(s.labels(\"synthesis.none\"))\n"
            "s.heading(\"synthesis.objective.title\")\n"
            "s.say(sy.objective_text())\n"
            "s.heading(\"synthesis.highlights.title\")\n"
            "for line in sy.highlights():\n"
            "    s.say(line)"
        ),
        new_code_cell("s.table(sy.figures_table(), name=\"chiffres_cles\", heading=\"synthesis.figures.title\")"),
        new_code_cell(
            "s.heading(\"synthesis.outline.title\")\n"
            "s.say(s.labels(\"synthesis.outline.text\"))\n"
            "s.table(sy.outline_table(), name=\"plan_du_rapport\")"
        ),
        new_code_cell(
            "s.heading(\"synthesis.next.title\")\n"
            "for line in sy.next_steps():\n"
            "    s.say(line)"
        ),
    ]
    return _notebook(cells, "00_synthese")


def relationship_plan() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# 05 — Plan relationnel, budget et KPI\n\nProgrammes with their real target sizes, marketing "
                          "pressure, action plan and phases, budget (quarters, envelopes, methods, funnel, ROI, LTV:CAC), "
                          "KPIs, dashboard and reporting calendar; writes the Excel plan next to the report."),
        new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
        _opening("05_plan_relationnel",
                 "from relkit.plan_workbook import PlanWorkbook\nfrom relkit.customers.workbook import CustomerFile",
                 "cf = None\n"
                 "if s.engagement.customer_data is not None:  # targets are sized on the client's own file\n"
                 "    cf = CustomerFile(s.engagement, s.customer_imports(), s.labels)\n"
                 "pw = PlanWorkbook(s.data, s.labels, cf)", "pw"),
        new_markdown_cell("## Channel strategy and programmes (seeds 000, 004)"),
        new_code_cell(
            "s.heading(\"planwb.channels.title\")\n"
            "s.say(pw.channels_text())\n"
            "s.table(pw.channels_table(), name=\"canaux\")"
        ),
        new_code_cell(
            "s.table(pw.programmes_table(), name=\"programmes\", heading=\"planwb.programmes.title\")\n"
            "for line in pw.programmes_text():\n"
            "    s.say(line)\n"
            "if pw.sizes is not None:\n"
            "    s.figure(pw.targets_chart(), alt=s.labels(\"planwb.programmes.title\"))"
        ),
        new_code_cell(
            "if pw.pressure is not None:\n"
            "    s.heading(\"planwb.pressure.title\")\n"
            "    s.figure(pw.pressure_chart(), alt=s.labels(\"planwb.pressure.title\"))\n"
            "    for line in pw.pressure_text():\n"
            "        s.say(line)\n"
            "    if len(pw.pressure_table()):\n"
            "        s.heading(\"planwb.pressure.table\", level=3)\n"
            "        s.table(pw.pressure_table(), name=\"pression_au_dessus_du_plafond\")"
        ),
        new_markdown_cell("## Action plan, retro-planning, phases, levers (seeds 001, 003)"),
        new_code_cell(
            "if pw.actions:\n"
            "    s.table(pw.actions_table(), name=\"plan_actions\", heading=\"planwb.actions.title\")\n"
            "    s.heading(\"planwb.retro.title\", level=3)\n"
            "    s.figure(pw.retro_chart(), alt=s.labels(\"planwb.retro.title\"))\n"
            "s.heading(\"planwb.phases.title\")\n"
            "s.say(s.labels(\"planwb.phases.text\"))\n"
            "s.table(pw.phases_table(), name=\"phases\")\n"
            "s.heading(\"planwb.levers.title\", level=3)\n"
            "for line in pw.levers_text():\n"
            "    s.say(line)"
        ),
        new_markdown_cell("## Budget and ROI (seeds 001, 002 §8, 003 §6)"),
        new_code_cell(
            "if pw.actions:\n"
            "    s.heading(\"planwb.budget.title\")\n"
            "    s.say(pw.budget_text())\n"
            "    s.heading(\"planwb.quarters.title\", level=3)\n"
            "    s.table(pw.quarters_table(), name=\"budget_trimestres\")\n"
            "    s.figure(pw.budget_chart(), alt=s.labels(\"planwb.quarters.title\"))\n"
            "    if pw.reconciled is not None:\n"
            "        s.heading(\"planwb.reconcile.title\", level=3)\n"
            "        s.table(pw.reconciliation_table(), name=\"budget_enveloppes\")\n"
            "        for line in pw.reconciliation_text():\n"
            "            s.say(line)"
        ),
        new_code_cell(
            "if pw.actions:\n"
            "    s.heading(\"planwb.categories.title\", level=3)\n"
            "    s.table(pw.categories_table(), name=\"budget_categories\")\n"
            "    s.figure(pw.category_chart(), alt=s.labels(\"planwb.categories.title\"))\n"
            "    s.heading(\"planwb.objectives.title\", level=3)\n"
            "    s.table(pw.objectives_table(), name=\"budget_objectifs\")\n"
            "    s.say(s.labels(\"planwb.objectives.rule\"), kind=\"rule\")"
        ),
        new_code_cell(
            "s.heading(\"planwb.methods.title\", level=3)\n"
            "for line in pw.methods_text():\n"
            "    s.say(line)\n"
            "s.heading(\"planwb.funnel.title\", level=3)\n"
            "s.table(pw.funnel_table(), name=\"entonnoir\")\n"
            "s.say(pw.funnel_text())\n"
            "s.heading(\"planwb.roi.title\", level=3)\n"
            "s.table(pw.roi_table(), name=\"roi_actions\")\n"
            "s.say(pw.roi_text())\n"
            "s.say(pw.ltv_cac_text())"
        ),
        new_markdown_cell("## KPIs, dashboard, reporting calendar (seeds 001, 002 §9)"),
        new_code_cell(
            "if pw.kpis is not None:\n"
            "    s.table(pw.kpi_table(), name=\"kpi\", heading=\"planwb.kpis.title\")\n"
            "    s.heading(\"planwb.links.title\", level=3)\n"
            "    s.table(pw.links_table(), name=\"kpi_liens\")\n"
            "    for line in pw.links_text():\n"
            "        s.say(line)\n"
            "    s.heading(\"planwb.dashboard.title\")\n"
            "    if pw.dashboard is not None:\n"
            "        s.table(pw.dashboard_table(), name=\"tableau_de_bord\")\n"
            "        s.figure(pw.dashboard_chart(), alt=s.labels(\"planwb.dashboard.title\"))\n"
            "    for line in pw.dashboard_text():\n"
            "        s.say(line)\n"
            "    s.heading(\"planwb.calendar.title\", level=3)\n"
            "    s.table(pw.calendar_table(), name=\"calendrier_reporting\")\n"
            "    for line in pw.calendar_text():\n"
            "        s.say(line)"
        ),
        new_code_cell(
            "s.heading(\"planwb.excel.title\")\n"
            "plan_file = pw.write_plan(output_dir)\n"
            "s.say(pw.plan_text())"
        ),
        new_code_cell(
            "s.heading(\"planwb.conclusion.title\")\n"
            "for line in pw.conclusion():\n"
            "    s.say(line)"
        ),
        _record("pw"),
    ]
    return _notebook(cells, "05_plan_relationnel")


def workshop() -> nbformat.NotebookNode:
    """The workshop app (`relkit workshop`): served by Voilà without its code, or opened in JupyterLab."""
    cells = [
        new_code_cell(
            "# Parameters. engagement: the engagement folder; lang: fr or en, None for the engagement's language.\n"
            "# `relkit workshop <folder>` passes them through RELKIT_ENGAGEMENT and RELKIT_LANG instead.\n"
            "engagement = None\n"
            "lang = None",
            metadata={"tags": ["parameters"]},
        ),
        new_code_cell(
            "# Workshop mode: one tab per editor; each saves into the engagement folder (backups in sauvegardes/).\n"
            "# No markdown cells here: Voila shows them to the client; client-facing words come from the labels.\n"
            "import os\n\n"
            "engagement = engagement or os.environ.get(\"RELKIT_ENGAGEMENT\") or \"../../data_samples/arnaud-zoe\"\n"
            "lang = lang or os.environ.get(\"RELKIT_LANG\") or None"
        ),
        new_code_cell("from relkit.workshop.app import workshop_app\n\nworkshop_app(engagement, lang)"),
    ]
    return _notebook(cells, "atelier")


NOTEBOOKS = {"00_synthese.ipynb": synthesis, "01_diagnostic.ipynb": diagnostic, "02_fichier_clients.ipynb": customer_file,
             "03_parcours_client.ipynb": journey, "04_plan_collecte.ipynb": collection,
             "05_plan_relationnel.ipynb": relationship_plan, "workshop/atelier.ipynb": workshop}

if __name__ == "__main__":
    for name, build in NOTEBOOKS.items():
        nb = build()
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{Path(name).stem}-{i:02d}"
        nbformat.write(nb, ROOT / "notebooks" / name)
        print("wrote", ROOT / "notebooks" / name)
