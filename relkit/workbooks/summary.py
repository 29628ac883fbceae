"""Executive summary (seed 002 §1 and §11): the plan's objectives, the key
figures every workbook recorded, where each part of the plan outline is in
the report, and the next steps.

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

# The figures worth a line in the summary, per workbook, in this order.
SUMMARY_FIGURES = {
    "01_diagnostic": ("revenue_last_year", "revenue_target", "revenue_growth", "objectives_smart", "positioning_score",
                      "readiness_score"),
    "02_fichier_clients": ("customers", "buyers", "net_revenue", "dormant", "new", "pareto_share", "vmc_gross"),
    "03_parcours_client": ("touchpoints_current", "moments_of_truth", "pain_points"),
    "04_plan_collecte": ("fields_planned", "gaps", "gdpr_flags"),
    "05_plan_relationnel": ("programmes", "largest_target", "budget_money", "internal_hours", "roi", "ltv_cac",
                            "pressure_over_cap", "budget_differences", "kpis"),
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
        L, rev = self.L, self.eng.revenue
        deadline = L.date(rev.target_deadline) if rev.target_deadline else str(self.eng.plan_year)
        if rev.last_year:
            return L("synthesis.objective_growth", brand=self.eng.brand, last=L.money(rev.last_year),
                     target=L.money(rev.target), growth=L.percent(rev.target / rev.last_year - 1), deadline=deadline)
        return L("synthesis.objective", brand=self.eng.brand, target=L.money(rev.target), deadline=deadline)

    def highlights(self) -> list[str]:
        """One sentence per workbook that ran, built from its recorded figures."""
        L, out = self.L, []
        f = lambda wb, k: (self._figure(wb, k) or {}).get("display")  # noqa: E731
        if f("01_diagnostic", "objectives_smart") is not None:
            out.append(L("synthesis.h.diagnostic", smart=f("01_diagnostic", "objectives_smart"),
                         total=f("01_diagnostic", "objectives") or "", readiness=f("01_diagnostic", "readiness_score") or ""))
        if f("02_fichier_clients", "customers") is not None and f("02_fichier_clients", "buyers") is None:
            out.append(L("synthesis.h.customers_no_history", customers=f("02_fichier_clients", "customers")))
        elif f("02_fichier_clients", "customers") is not None:
            out.append(L("synthesis.h.customers", customers=f("02_fichier_clients", "customers"),
                         buyers=f("02_fichier_clients", "buyers") or "", dormant=f("02_fichier_clients", "dormant") or "",
                         pareto=f("02_fichier_clients", "pareto_share") or ""))
        if f("03_parcours_client", "moments_of_truth") is not None:
            out.append(L("synthesis.h.journey", moments=f("03_parcours_client", "moments_of_truth"),
                         pains=f("03_parcours_client", "pain_points") or ""))
        if f("04_plan_collecte", "fields_planned") is not None:
            out.append(L("synthesis.h.collection", fields=f("04_plan_collecte", "fields_planned"),
                         gaps=f("04_plan_collecte", "gaps") or "", flags=f("04_plan_collecte", "gdpr_flags") or ""))
        if f("05_plan_relationnel", "programmes") is not None:
            out.append(L("synthesis.h.plan", programmes=f("05_plan_relationnel", "programmes"),
                         channels=f("05_plan_relationnel", "channels") or "",
                         budget=f("05_plan_relationnel", "budget_money") or "", roi=f("05_plan_relationnel", "roi") or "—"))
        return out

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

    def next_steps(self) -> list[str]:
        """What to do first, from what the workbooks found."""
        L, out = self.L, []
        f = lambda wb, k: (self._figure(wb, k) or {}).get("value")  # noqa: E731
        phase = (self._figure("05_plan_relationnel", "first_phase") or {}).get("display")
        if phase:
            out.append(L("synthesis.next.phase", phase=phase))
        if f("05_plan_relationnel", "budget_differences"):
            out.append(L("synthesis.next.budget", n=f("05_plan_relationnel", "budget_differences")))
        if f("05_plan_relationnel", "pressure_over_cap"):
            out.append(L("synthesis.next.pressure", shown=self._figure("05_plan_relationnel", "pressure_over_cap")["display"]))
        if f("04_plan_collecte", "gdpr_flags"):
            out.append(L("synthesis.next.gdpr", n=f("04_plan_collecte", "gdpr_flags")))
        if f("04_plan_collecte", "gaps") or f("05_plan_relationnel", "target_gaps"):
            out.append(L("synthesis.next.collect"))
        if f("02_fichier_clients", "duplicate_records"):
            out.append(L("synthesis.next.clean", n=self._figure("02_fichier_clients", "duplicate_records")["display"]))
        out.append(L("synthesis.next.review"))
        return out

    def figures_out(self) -> dict[str, tuple[object, str, str]]:
        return {}
