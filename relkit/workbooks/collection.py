"""Workbook 04 — data collection plan: what the notebook shows and says."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from relkit.topics import collection_plan as cp
from relkit.topics import data_kinds as dk
from relkit.io.labels import Labels
from relkit.topics.plan.programmes import programmes_from_sheet
from relkit.topics.register import activities, retention_text
from relkit.views.excel.register import write_register
from relkit.intake.load import EngagementData
from relkit.io.atelier import choice_label


class CollectionWorkbook:
    def __init__(self, data: EngagementData, labels: Labels, completeness: pd.DataFrame | None):
        self.data, self.L = data, labels
        self.eng = data.engagement
        self.plan = data.sheets["collection_plan"]
        self.journey = data.sheets.get("journey")
        self.completeness = completeness
        self.flags = cp.gdpr_checks(self.plan, self.journey, self.eng.client.model)
        self.gaps = cp.gaps(self.plan, completeness, self.eng.client.model)
        self.unfit = cp.unfit_for_model(self.plan, self.eng.client.model)  # B2B: no first name, no birth date

    @property
    def measured(self) -> bool:
        """Whether the customer file's audit was given: without it, completeness
        and gaps are "non évalué" (not "0 données manquantes")."""
        return self.completeness is not None

    def label(self, list_name: str, code) -> str:
        return choice_label(list_name, code, self.L.lang) if isinstance(code, str) and code else ""

    def intro(self) -> str:
        return self.L("collection.intro")

    def key_figures(self) -> list[tuple[str, str]]:
        L = self.L
        gaps = L.number(len(self.gaps)) if self.measured else L("common.not_assessed")
        return [(L("collection.kpi.fields"), L.number(len(self.plan))), (L("collection.kpi.gaps"), gaps),
                (L("collection.kpi.flags"), L.number(len(self.flags)))]

    def plan_table(self) -> pd.DataFrame:
        L, p = self.L, self.plan
        return pd.DataFrame({
            L("collection.col.field"): p["field"].tolist(),
            L("datakinds.col.kind"): [self.label("data_kind", v) for v in dk.kinds(p)],  # personal, action, reaction
            L("collection.col.uses"): p["uses"].fillna("").tolist(),
            L("collection.col.programmes"): p["programmes"].fillna("").tolist(),
            L("collection.col.basis"): [self.label("legal_basis", v) for v in p["legal_basis"]],
            L("collection.col.retention"): [retention_text(v, L.lang) for v in p["retention"]],
            L("collection.col.point"): p["collection_point"].fillna("").tolist(),
            L("collection.col.mechanic"): [self.label("collection_mechanic", v) for v in p["mechanic"]],
            L("collection.col.priority"): [self.label("priority", v) for v in p["priority"]],
        })

    def completeness_table(self) -> pd.DataFrame:
        L, m = self.L, cp.measured_completeness(self.plan, self.completeness)
        return pd.DataFrame({
            L("collection.col.field"): m["field"].tolist(),
            L("collection.col.status"): [L(f"collection.status.{s}") if L.has(f"collection.status.{s}") else s for s in m["status"]],
            L("collection.col.filled"): [L.percent(v) if pd.notna(v) else "" for v in m["share_filled"]],
            L("collection.col.valid"): [L.percent(v) if pd.notna(v) else "" for v in m["share_valid"]],
        })

    def completeness_text(self) -> str:
        if not self.measured:
            return self.L("collection.completeness.not_assessed")
        m = cp.measured_completeness(self.plan, self.completeness)
        return self.L("collection.completeness.explain", measured=int((m["status"] == "measured").sum()),
                      absent=int((m["status"] == "absent").sum()))

    def gaps_table(self) -> pd.DataFrame:
        L, g = self.L, self.gaps
        return pd.DataFrame({
            L("collection.col.field"): g["field"].tolist(),
            L("collection.col.filled"): [L.percent(v) if pd.notna(v) else "" for v in g["share_filled"]],
            L("collection.col.needed_by"): g["programme_count"].astype(int).tolist(),
            L("collection.col.priority"): [self.label("priority", v) for v in g["priority"]],
        })

    def gaps_text(self) -> str:
        if not self.measured:
            text = self.L("collection.gaps.not_assessed")
        elif self.gaps.empty:
            text = self.L("collection.gaps.none")
        else:
            text = self.L("collection.gaps.explain", first=self.gaps["field"].iloc[0])
        if self.unfit:
            text += " " + self.L("collection.gaps.b2b_unfit", fields=self.L.join(self.unfit))
        return text

    def finding(self, flag: pd.Series) -> str:
        """The flag's detail in the client's language, from the plan row it names."""
        L = self.L
        row = self.plan[self.plan["row"] == flag["row"]].iloc[0]
        detail = dict(part.split("=", 1) for part in str(flag["detail"]).split("; ") if "=" in part)
        values = {"retention": retention_text(row["retention"], L.lang), "people": self.label("data_subjects", row["people"]),
                  "basis": self.label("legal_basis", row["legal_basis"]),
                  "terms": L.join([L(f"collection.sensitive.{c}") for c in cp.term_categories(detail.get("terms", "").split(","))]),
                  "touchpoint": detail.get("touchpoint", "")}
        key = flag["rule"]
        if key == "email_prospecting_without_consent":
            key = str(flag["detail"]).split(";", 1)[0]
        return L(f"collection.finding.{key}", **values)

    @staticmethod
    def _source_key(flag: pd.Series) -> str:
        for key, text in cp.SOURCES.items():  # the rule's own source, in the client's language
            if text == flag["source"]:
                return key
        return flag["rule"]

    def gdpr_table(self) -> pd.DataFrame:
        L, f = self.L, self.flags
        return pd.DataFrame({
            L("collection.col.rule"): [L(f"collection.rule.{r}") for r in f["rule"]],
            L("collection.col.row"): f["row"].astype(int).tolist(),
            L("collection.col.field"): f["field"].tolist(),
            L("collection.col.detail"): [self.finding(r) for _, r in f.iterrows()],
            L("collection.col.source"): [L(f"collection.source.{self._source_key(r)}") for _, r in f.iterrows()],
        })

    def gdpr_text(self) -> str:
        return self.L("collection.gdpr.explain", n=len(self.flags)) if len(self.flags) else self.L("collection.gdpr.none")

    def register_name(self) -> str:
        stem = "registre-traitements" if self.L.lang == "fr" else "processing-register"
        return f"{stem}-{self.eng.slug}.xlsx"

    def write_register(self, output_dir: Path | None) -> Path | None:
        """The art. 30 register as a deliverable next to the report."""
        if output_dir is None:
            return None
        return write_register(Path(output_dir) / self.register_name(), self.plan, client=self.eng.client.name,
                              consultant=self.eng.consultant.name, plan_year=self.eng.plan_year, lang=self.L.lang,
                              as_of=self.eng.report_date, firm=self.eng.consultant.firm,
                              programmes=self.register_programmes(), model=self.eng.client.model)

    def register_programmes(self) -> list[tuple[str, str | None]]:
        """(name, channel) of the plan's programmes: the register lists the contact data they need."""
        sheet = self.data.sheets.get("programmes")
        if sheet is None or not len(sheet):
            return []
        return [(p.name, p.channel) for p in programmes_from_sheet(sheet, self.L.lang) if p.status != "stop"]

    def register_text(self) -> str:
        n = len(activities(self.plan, self.L.lang, self.register_programmes(), self.eng.client.model))  # its rows
        return self.L("collection.register.explain", file=self.register_name(), n=n)

    def figures(self) -> dict[str, tuple[object, str, str]]:
        L = self.L
        out = {"fields_planned": (len(self.plan), L("collection.kpi.fields"), str(len(self.plan))),
               "gaps": ((len(self.gaps), L("collection.kpi.gaps"), str(len(self.gaps))) if self.measured
                        else (None, L("collection.kpi.gaps"), L("common.not_assessed"))),
               "gdpr_flags": (len(self.flags), L("collection.kpi.flags"), str(len(self.flags)))}
        for rule in cp.RULES:
            n = int((self.flags["rule"] == rule).sum())
            out[f"gdpr_{rule}"] = (n, L(f"collection.rule.{rule}"), str(n))
        return out
