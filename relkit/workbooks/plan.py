"""Workbook 05 — relationship plan: programmes and their real targets,
marketing pressure, the action plan in phases, the budget and its methods,
ROI, KPIs and the reporting calendar; and the Excel plan deliverable.

Everything shown is an aggregate; the customer base built from the client's
file stays in memory.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from relkit.io.budget_cells import QUARTERS
from relkit.topics import action_plan as ap
from relkit.topics.plan.catalogue import channel_code
from relkit.topics.plan.programmes import programmes_from_sheet
from relkit.topics.plan.targets import field_name
from relkit.views.excel.plan import PlanBook, write_plan
from relkit.views.excel.plan_book import SummaryLine
from relkit.io.labels import Labels
from relkit.io.parsing import fold
from relkit.topics.register import COLUMNS as REGISTER_COLUMNS, HEADERS as REGISTER_HEADERS, activities, retention_text
from relkit.intake.load import EngagementData
from relkit.io.atelier import axis, choice_label, lists as choice_lists
from relkit.topics.budget import quarter_label
from relkit.topics.kpi import kpis_from_sheet
from relkit.topics.kpi_calendar import Period, review_months
from relkit.topics.roi import ltv_cac
from relkit.views.charts import budget as budget_charts
from relkit.views.number_text import number_text
from relkit.workbooks.key_dates import months_text
from relkit.workbooks.plan_actions import ActionSections
from relkit.workbooks.plan_budget import BudgetSections
from relkit.workbooks.plan_kpi import KpiSections
from relkit.workbooks.plan_programmes import ProgrammeSections
from relkit.workbooks.plan_scenarios import ScenarioSections


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or (isinstance(value, str) and not value.strip())


# the Action and Budget sheets' columns, also when no action is planned yet
ACTION_COLUMNS = ["category", "action", "objective", "kpi", "owner", "priority", "lever", "months"]
BUDGET_COLUMNS = ["category", "action"] + [f"q{i}_{k}" for i in range(1, 5) for k in ("money", "percent", "hours")]

class PlanWorkbook(ProgrammeSections, ScenarioSections, ActionSections, BudgetSections, KpiSections):
    def __init__(self, data: EngagementData, labels: Labels, customer_file=None):
        self.data, self.L = data, labels
        self.eng = data.engagement
        self.sheets = data.sheets
        self.cf = customer_file
        lang = labels.lang
        self.programmes = programmes_from_sheet(self.sheets["programmes"], lang) if len(self.sheets["programmes"]) else []
        self.actions = ap.actions_from_sheet(self.sheets["actions"]) if len(self.sheets["actions"]) else []
        kpis = self.sheets.get("kpis")
        self.kpis = kpis_from_sheet(kpis, lang) if kpis is not None and len(kpis) else None
        self.forecast = self.eng.budget.forecast(self.eng.revenue.target)
        self.envelopes = dict(self.eng.budget.envelopes)
        self.caps = {("total" if fold(k) == "total" else channel_code(k)): v for k, v in self.eng.pressure.items()}

    # -- labels ---------------------------------------------------------------
    def label(self, list_name: str, code) -> str:
        return choice_label(list_name, code, self.L.lang) if isinstance(code, str) and code else ""

    def months_text(self, months) -> str:
        """'janv.–déc.', 'janv., août', '' — consecutive runs shown as ranges."""
        return months_text(months, self.L)

    # -- headline -------------------------------------------------------------
    def intro(self) -> str:
        return self.L("planwb.intro", brand=self.eng.brand, year=self.eng.plan_year)

    def money_total(self) -> float:
        return round(float(self.totals["total"].sum()), 2)

    def key_figures(self) -> list[tuple[str, str]]:
        L = self.L
        out = [(L("planwb.kpi.programmes"), L.number(len(self.programmes))),
               (L("planwb.kpi.actions"), L.number(len(self.actions)))]
        if self.actions:
            out.append((L("planwb.kpi.budget"), L.money(self.money_total())))
            out.append((L("planwb.kpi.hours"), L.number(round(float(self.totals["hours"].sum())))))
        if self.roi.roi is not None:
            out.append((L("planwb.kpi.roi"), L.percent(self.roi.roi)))
        return out

    # -- 6. conclusion -----------------------------------------------------------------------
    def conclusion(self) -> list[str]:
        L, out = self.L, []
        out.append(L("planwb.conclusion.objective", brand=self.eng.brand, target=L.money(self.eng.revenue.target),
                     year=self.eng.plan_year, programmes=len(self.programmes), actions=len(self.actions),
                     budget=L.money(self.money_total())))
        phases = self.phases()
        if phases:
            q, names = phases[0]
            out.append(L("planwb.conclusion.first", quarter=quarter_label(q, L), names=L.join(names[:5])))
        if self.differences():
            out.append(L("planwb.conclusion.budget", n=self.differences()))
        if self.over_cap():
            out.append(L("planwb.conclusion.pressure"))
        gaps = self.target_gaps()
        if gaps:
            out.append(L("planwb.conclusion.gaps", fields=L.join([field_name(f, L.lang) for f in gaps])))
        return out

    # -- the Excel plan -----------------------------------------------------------------------
    def plan_name(self) -> str:
        stem = "plan_relationnel" if self.L.lang == "fr" else "relationship_plan"
        return f"{stem}_{self.eng.slug}.xlsx"

    def _journey_display(self) -> pd.DataFrame | None:
        j = self.sheets.get("journey")
        if j is None or not len(j):
            return None
        L, axes = self.L, self.eng.journey
        stages = dict(axis("journey_stage", axes.stages, L.lang))
        channels = dict(axis("channel", axes.channels, L.lang))
        return pd.DataFrame({
            L("planwb.col.journey"): [self.label("journey_version", v) for v in j["version"]],
            L("planwb.col.stage"): [stages.get(v, v) for v in j["stage"]],
            L("planwb.col.channel"): [channels.get(v, v) for v in j["channel"]],
            L("planwb.col.touchpoint"): j["touchpoint"].tolist(),
            L("planwb.col.qualification"): [self.label("qualification", v) for v in j["qualification"]],
            L("planwb.col.importance"): j["importance"].tolist(),
            L("planwb.col.emotion"): j["emotion"].tolist(),
            L("planwb.col.owner"): j["owner"].fillna("").tolist(),
            L("planwb.col.programme"): j["programme"].fillna("").tolist(),
        })

    def _collection_display(self) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        p = self.sheets.get("collection_plan")
        if p is None or not len(p):
            return None, None
        L, lang = self.L, self.L.lang
        from relkit.topics.data_kinds import kinds  # personal, action, reaction (from the type when not written)

        collection = pd.DataFrame({
            L("collection.col.field"): p["field"].tolist(),
            L("datakinds.col.kind"): [self.label("data_kind", v) for v in kinds(p)],
            L("collection.col.type"): [self.label("data_type", v) for v in p["data_type"]],
            L("collection.col.uses"): p["uses"].fillna("").tolist(),
            L("collection.col.programmes"): p["programmes"].fillna("").tolist(),
            L("collection.col.basis"): [self.label("legal_basis", v) for v in p["legal_basis"]],
            L("collection.col.retention"): [retention_text(v, lang) for v in p["retention"]],
            L("collection.col.point"): p["collection_point"].fillna("").tolist(),
        })
        programmes = [(g.name, g.channel) for g in self.programmes if g.status != "stop"]
        acts = activities(p, lang, programmes, self.eng.client.model)
        register = pd.DataFrame([{REGISTER_HEADERS[lang][c]: a.get(c, "") for c in REGISTER_COLUMNS} for a in acts])
        return collection, register

    def plan_book(self) -> PlanBook:  # (a plan with programmes and no action yet still gets its workbook)
        L = self.L
        budget_rows = []
        for a in ap.in_category_order(self.actions):
            row = {"category": ap.category_label(a.category, L), "action": a.action}
            for i, q in enumerate(QUARTERS, start=1):
                line = a.budget.get(q)
                row[f"q{i}_money"] = line.money if line is not None and line.money else float("nan")
                row[f"q{i}_percent"] = line.percent if line is not None and line.percent else float("nan")
                row[f"q{i}_hours"] = line.hours_per_quarter if line is not None and line.hours_per_quarter else float("nan")
            budget_rows.append(row)
        actions = pd.DataFrame([{
            "category": ap.category_label(a.category, L), "action": a.action, "objective": a.objective or "",
            "kpi": a.kpi or "", "owner": a.owner or "", "priority": self.label("priority", a.priority),
            "lever": self.label("lever", a.lever), "months": tuple(a.months),
        } for a in ap.in_category_order(self.actions)], columns=ACTION_COLUMNS)
        collection, register = self._collection_display()
        envelopes = {q: (e.money, e.percent) for q, e in self.envelopes.items()} if self.envelopes else None
        periods, kpis = self._kpis_for_excel()
        lists = choice_lists()
        return PlanBook(
            client=self.eng.client.name, plan_year=self.eng.plan_year, lang=L.lang, currency=self.eng.currency,
            summary=self._summary_for_excel(), programmes=self._programmes_for_excel(), actions=actions,
            budget=pd.DataFrame(budget_rows, columns=BUDGET_COLUMNS), revenue_forecast=dict(self.forecast),
            envelopes=envelopes, kpis=kpis,
            journey=self._journey_display(), collection=collection, register=register,
            category_colours={ap.category_label(c, L): colour for c, colour in budget_charts.CATEGORY_COLOURS.items()},
            author=self.eng.consultant.firm or self.eng.consultant.name, kpi_periods=periods,
            choices={"priority": [c[L.lang] for c in lists["priority"]], "lever": [c[L.lang] for c in lists["lever"]],
                     "owner": [a.owner for a in self.actions if a.owner]},
            programme_choices={L("planwb.col.lever"): "lever"},
        )

    def _summary_for_excel(self) -> list[SummaryLine]:
        """The key figures as numbers; the Budget's totals as formulas on the Budget sheet (the
        values given are the report's, which the recalculated formulas equal)."""
        L = self.L
        out = [SummaryLine(L("planwb.kpi.programmes"), len(self.programmes)),
               SummaryLine(L("planwb.kpi.actions"), len(self.actions)),
               SummaryLine(L("excel.summary.target"), float(self.eng.revenue.target), "money")]
        forecast = [v for v in self.forecast.values() if v is not None and not pd.isna(v)]
        if forecast:
            out.append(SummaryLine(L("excel.budget.forecast"), round(float(sum(forecast)), 2), "money",
                                   ref="forecast_total"))
        figures = self.budget_figures()  # the same figures the report and its checks read
        if "plan_expected_revenue" in figures:
            value, label, _ = figures["plan_expected_revenue"]
            out.append(SummaryLine(label, value, "money"))
        if self.actions:
            out.append(SummaryLine(L("planwb.kpi.budget"), self.money_total(), "money", ref="budget_total"))
            if "budget_envelopes_total" in figures:
                value, label, _ = figures["budget_envelopes_total"]
                out.append(SummaryLine(label, value, "money", ref="envelope_total"))
            out.append(SummaryLine(L("planwb.kpi.hours"), round(float(self.totals["hours"].sum()), 2), "hours",
                                   ref="hours_total"))
        if self.roi.roi is not None:
            out.append(SummaryLine(L("planwb.kpi.roi"), round(self.roi.roi, 4), "percent"))
            if "roi_basis" in figures:
                _, label, display = figures["roi_basis"]
                out.append(SummaryLine(label, display, "text"))
        if self.reconciled is not None:
            out.append(SummaryLine(L("planwb.kpi.differences"), self.differences(), ref="differences"))
        out.append(SummaryLine(L("planwb.kpi.over_cap"), self.over_cap()))
        return out

    def _programmes_for_excel(self) -> pd.DataFrame:
        """The programmes table with its sizes and message counts as numbers."""
        L, table = self.L, self.programmes_table().astype(object)
        if table.empty:
            return table
        sizes = self.sizes.set_index("programme") if self.sizes is not None else None
        for i, p in enumerate(self.programmes):
            table.iat[i, table.columns.get_loc(L("planwb.col.messages"))] = self.programme_messages(p)
            if sizes is None or p.label not in sizes.index or sizes.loc[p.label]["missing"]:
                continue
            for col, key in ((L("planwb.col.size"), "size"), (L("planwb.col.reachable"), "reachable")):
                value = sizes.loc[p.label][key]
                table.iat[i, table.columns.get_loc(col)] = int(value) if pd.notna(value) else None
        return table

    def _kpis_for_excel(self) -> tuple[list[tuple[str, str]], pd.DataFrame]:
        """Reporting periods (the actuals' periods and the plan year's months) and one row per KPI:
        the periods its frequency reports and its actuals by period."""
        L, k = self.L, self.kpis
        if k is None:
            return [], pd.DataFrame()
        dash = self.dashboard
        measured = {Period.from_key(key) for key in (dash["period"] if dash is not None else [])}
        year = self.eng.plan_year
        every = sorted(measured | {Period.month(year, m) for m in range(1, 13)},
                       key=lambda p: (p.end, p.kind == "quarter"))
        periods = [(p.key, p.label(L)) for p in every]
        rows = []
        for _, r in k.iterrows():
            actuals = {}
            if dash is not None:
                mine = dash[dash["kpi"] == r["name"]]
                actuals = {key: float(v) for key, v in zip(mine["period"], mine["actual"])}
            rows.append({
                "kpi": r["name"], "definition": r["definition"] if pd.notna(r["definition"]) else "",
                "formula": r["formula"] if pd.notna(r["formula"]) else "",
                "unit": self.label("kpi_unit", r["unit"]), "unit_code": r["unit"],
                "frequency": self.label("frequency", r["frequency"]), "direction": r["direction"],
                "target": float(r["target"]) if pd.notna(r["target"]) else None,
                "review": tuple(Period.month(year, m).key for m in review_months(r["frequency"])),
                "actuals": actuals,
            })
        return periods, pd.DataFrame(rows)

    def write_plan(self, output_dir: Path | None) -> Path | None:
        """The relationship plan as an Excel workbook next to the report."""
        if output_dir is None:
            return None
        return write_plan(Path(output_dir) / self.plan_name(), self.plan_book())

    def plan_text(self) -> str:
        return self.L("planwb.excel.explain", file=self.plan_name())

    # -- figures.json -------------------------------------------------------------------------
    def figures(self) -> dict[str, tuple[object, str, str]]:
        L = self.L
        out = {
            "programmes": (len(self.programmes), L("planwb.kpi.programmes"), L.number(len(self.programmes))),
            "actions": (len(self.actions), L("planwb.kpi.actions"), L.number(len(self.actions))),
            "budget_money": (self.money_total(), L("planwb.kpi.budget"), L.money(self.money_total())),
            "internal_hours": (round(float(self.totals["hours"].sum()), 2), L("planwb.kpi.hours"),
                               L.number(round(float(self.totals["hours"].sum())))),
            "budget_differences": (self.differences(), L("planwb.kpi.differences"), L.number(self.differences())),
            "pressure_over_cap": (self.over_cap(), L("planwb.kpi.over_cap"), L.number(self.over_cap())),
            "target_gaps": (len(self.target_gaps()), L("planwb.kpi.target_gaps"), L.number(len(self.target_gaps()))),
        }
        out |= self.budget_figures()
        chans = self.channel_names()
        out["channels"] = (len(chans), L("planwb.col.channel"), L.join(chans))
        if self.roi.roi is not None:
            out["roi"] = (round(self.roi.roi, 4), L("planwb.kpi.roi"), L.percent(self.roi.roi))
        pair = self.ltv_cac()
        if pair:
            ratio, _ = ltv_cac(*pair)
            if ratio is not None:
                out["ltv_cac"] = (round(ratio, 2), "LTV:CAC", number_text(ratio, L))
        if self.sizes is not None and self.sizes["size"].notna().any():
            top = self.sizes.loc[self.sizes["size"].astype(float).idxmax()]
            out["largest_target"] = (int(top["size"]), L("planwb.kpi.largest_target", programme=top["programme"]),
                                     L.number(int(top["size"])))
        if self.kpis is not None:
            out["kpis"] = (len(self.kpis), L("planwb.kpi.kpis"), L.number(len(self.kpis)))
        phases = self.phases()
        if phases:
            q, names = phases[0]
            out["first_phase"] = (len(names), L("planwb.phase", n=1, quarter=quarter_label(q, L)),
                                  f"{quarter_label(q, L)} — {L.join(names[:4])}")
        return out
