"""Executive summary (seed 002 §1 and §11), a storyline on two pages: the
objective and the revenue bridge to it, 3 to 5 findings (figure → what it means
→ recommendation), the decisions asked of the client and the next steps. The key
figures of every workbook and where each part of the plan outline is in the report
go to the appendix.

Under `relkit run` it is executed last, from the ``figures/<workbook>.json``
pieces the other workbooks wrote; live, it reads the last published
``figures.json`` of the client.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from relkit.io.labels import Labels
from relkit.intake.load import EngagementData
from relkit.topics.action_plan import actions_from_sheet
from relkit.topics.reconcile import reconcile, split_acknowledged
from relkit.views.charts.summary import bridge_chart
from relkit.workbooks import summary_decisions as decisions
from relkit.workbooks.summary_bridge import bridge_data, bridge_takeaway, bridge_title
from relkit.workbooks.summary_findings import TARGET, FigureBook, LastYear, select_findings, whole_money

# The figures worth a line in the summary, per workbook, in this order.
SUMMARY_FIGURES = {
    "01_diagnostic": ("revenue_last_year", "revenue_target", "revenue_growth", "objectives_smart", "positioning_score",
                      "readiness_score"),
    "02_fichier_clients": ("customers", "buyers", "net_revenue", "revenue_calendar_year", "revenue_forecast_12m",
                           "dormant", "new", "pareto_share", "vmc_gross"),
    "03_parcours_client": ("touchpoints_current", "moments_of_truth", "pain_points"),
    "04_plan_collecte": ("fields_planned", "gaps", "gdpr_flags"),
    "05_plan_relationnel": ("programmes", "largest_target", "plan_expected_revenue", "budget_money", "internal_hours",
                            "roi", "ltv_cac", "pressure_over_cap", "budget_differences", "kpis"),
}

# Seed 002's outline of an omnichannel plan -> the workbook sections that answer it.
OUTLINE = (
    ("summary", ("00_synthese",)),
    ("market", ("01_diagnostic", "02_fichier_clients")),
    ("objectives", ("01_diagnostic", "05_plan_relationnel")),
    ("channels", ("03_parcours_client", "05_plan_relationnel")),
    ("personalisation", ("02_fichier_clients", "05_plan_relationnel")),
    ("technology", ("04_plan_collecte",)),
    ("calendar", ("05_plan_relationnel",)),
    ("budget", ("05_plan_relationnel",)),
    ("measurement", ("05_plan_relationnel",)),
    ("conclusion", ("05_plan_relationnel",)),
)


def read_figures(output_dir: Path | None, published: Path | None = None) -> dict[str, dict]:
    """The key figures of this run (output_dir/figures/*.json), else of the
    last published report (reports/<client>/figures.json), else nothing."""
    if output_dir is not None and (Path(output_dir) / "figures").is_dir():
        return {p.stem: json.loads(p.read_text(encoding="utf-8"))
                for p in sorted((Path(output_dir) / "figures").glob("*.json"))}
    if published is not None and Path(published).is_file():
        return json.loads(Path(published).read_text(encoding="utf-8"))
    return {}


class Synthesis:
    def __init__(self, data: EngagementData, labels: Labels, figures: dict[str, dict]):
        self.data, self.L, self.figures = data, labels, figures
        self.eng = data.engagement
        self.book = FigureBook(figures, basis=self.eng.revenue.basis)  # amounts on the engagement's HT/TTC basis

    def _figure(self, workbook: str, key: str) -> dict | None:
        return self.figures.get(workbook, {}).get(key)

    def intro(self) -> str:
        return self.L("synthesis.intro", brand=self.eng.brand, year=self.eng.plan_year)

    def key_figures(self) -> list[tuple[str, str]]:
        L, out = self.L, []
        for workbook, key, label in (("01_diagnostic", "revenue_target", L("synthesis.kpi.target")),
                                     ("02_fichier_clients", "customers", L("synthesis.kpi.customers")),
                                     ("05_plan_relationnel", "programmes", L("synthesis.kpi.programmes")),
                                     ("05_plan_relationnel", "budget_money", L("synthesis.kpi.budget"))):
            fig = self._figure(workbook, key)
            if fig is not None:
                out.append((label, fig["display"]))
        return out

    def objective_text(self) -> str:
        """The target, against last year's revenue (measured in the customer file when it was)."""
        L, rev, book = self.L, self.eng.revenue, self.book
        target = book.number(TARGET) or rev.target
        deadline = L.date(rev.target_deadline) if rev.target_deadline else str(self.eng.plan_year)
        last = book.last_year() or (LastYear(rev.last_year, "stated") if rev.last_year else None)
        if last is None:
            return L("synthesis.objective", brand=self.eng.brand, target=whole_money(L, target), deadline=deadline)
        growth = target / last.amount - 1
        return L(f"synthesis.objective_growth_{last.source}", brand=self.eng.brand, last=whole_money(L, last.amount),
                 year=last.year, target=whole_money(L, target), deadline=deadline,
                 growth=("+" if growth >= 0 else "\u2212") + L.percent(abs(growth)))

    # -- the bridge ---------------------------------------------------------------------
    def bridge(self) -> pd.DataFrame:
        return bridge_data(self.book, self.L, self.eng.plan_year)

    def bridge_takeaway(self) -> str | None:
        return bridge_takeaway(self.book, self.L)

    def bridge_chart(self):
        """The waterfall from last year's revenue to the target (a Figure), None without its figures."""
        data = self.bridge()
        if data.empty:
            return None
        ax = bridge_chart(data, labels=self.L, title=bridge_title(self.L, self.eng.plan_year),
                          takeaway=self.bridge_takeaway())
        return ax.figure

    # -- findings --------------------------------------------------------------------------
    def findings(self):
        return select_findings(self.book, self.L, self.eng.brand)

    def findings_table(self) -> pd.DataFrame:
        L = self.L
        cols = [L("synthesis.col.finding"), L("synthesis.col.meaning"), L("synthesis.col.recommendation")]
        return pd.DataFrame([dict(zip(cols, (f.figure, f.meaning, f.recommendation))) for f in self.findings()],
                            columns=cols)

    # -- decisions and next steps ---------------------------------------------------------------
    def decide_by(self):
        return decisions.decision_date(self.eng.report_date, self.eng.plan_year)

    def decision_rows(self) -> list[dict]:
        sheet = self.data.sheets.get("actions")
        actions = actions_from_sheet(sheet) if sheet is not None and len(sheet) else []
        return decisions.decision_rows(
            self.book, actions, self.L, client=self.eng.brand, consultant=self.eng.consultant.name,
            decide_by=self.decide_by(), plan_year=self.eng.plan_year,
            revenue_forecast=self.eng.budget.forecast(self.eng.revenue.target), open_checks=self.open_checks())

    def open_checks(self):
        """The consistency checks still open (not acknowledged in engagement.yaml)."""
        if not self.figures:
            return []
        found = reconcile(self.eng, self.data.sheets, self.figures)
        return split_acknowledged(found, self.eng.acknowledged_checks)[0]

    def decisions_table(self) -> pd.DataFrame:
        return decisions.decisions_table(self.decision_rows(), self.L)

    def next_steps(self) -> list[str]:
        return decisions.next_steps(self.book, self.L, decide_by=self.decide_by(),
                                    consultant=self.eng.consultant.name, has_decisions=bool(self.decision_rows()))

    def figures_table(self) -> pd.DataFrame:
        L, rows = self.L, []
        for workbook, keys in SUMMARY_FIGURES.items():
            if workbook not in self.figures:
                continue
            title = L(f"workbook.{workbook}")
            for key in keys:
                fig = self._figure(workbook, key)
                if fig is not None:
                    rows.append({L("synthesis.col.workbook"): title, L("synthesis.col.figure"): fig["label"],
                                 L("synthesis.col.value"): fig["display"]})
        return pd.DataFrame(rows, columns=[L("synthesis.col.workbook"), L("synthesis.col.figure"), L("synthesis.col.value")])

    def outline_table(self) -> pd.DataFrame:
        """Where each part of seed 002's plan outline is answered in this report."""
        L, rows = self.L, []
        ran = set(self.figures) | {"00_synthese"}
        for number, (part, workbooks) in enumerate(OUTLINE, start=1):
            where = [L(f"workbook.{w}") for w in workbooks if w in ran]
            rows.append({L("synthesis.col.part"): f"{number}. {L(f'synthesis.part.{part}')}",
                         L("synthesis.col.content"): L(f"synthesis.part.{part}.content"),
                         L("synthesis.col.where"): L.join(where) if where else L("synthesis.not_covered")})
        return pd.DataFrame(rows)

    def figures_out(self) -> dict[str, tuple[object, str, str]]:
        return {}
