"""Workbook 04 — the three kinds of customer data (personal, action, reaction)
and the questions the database must answer: what the notebook shows and says."""
from __future__ import annotations

import pandas as pd

from relkit.io.labels import Labels
from relkit.topics import collection_plan as cp
from relkit.topics import data_kinds as dk


class DataKinds:
    """From the collection plan (``plan``), the customer-file audit (``completeness``,
    None when there is no customer file) and the client's model (B2C, B2B, B2B2C)."""

    def __init__(self, plan: pd.DataFrame, labels: Labels, completeness: pd.DataFrame | None, model: str = "B2C"):
        self.plan, self.L, self.model = plan, labels, model
        self.measured = completeness is not None
        self.status = cp.measured_completeness(plan, completeness)
        self.by_kind = dk.completeness_by_kind(plan, self.status)
        self.kinds = dk.kinds(plan)
        self.questions = dk.questions(plan, model)

    @property
    def empty(self) -> bool:
        return not len(self.plan)

    def _q(self, code: str) -> str:
        return self.L(f"datakinds.{'q_b2b' if self.model == 'B2B' else 'q'}.{code}")

    # --- chart -------------------------------------------------------------------
    def chart_data(self) -> pd.DataFrame:
        """Tidy: one row per (kind, status) with its number of plan rows."""
        frame = pd.DataFrame({"kind": self.kinds.to_numpy(), "status": self.status["status"].to_numpy()})
        frame = frame[frame["kind"].notna()]
        return frame.groupby(["kind", "status"], sort=False).size().rename("rows").reset_index()

    def notes(self) -> dict[str, str]:
        """Kind -> what its bar holds, status by status ('4 mesurées (85 % renseigné en moyenne), 3 hors fichier
        clients'); the colours of the bar need no legend."""
        L, out = self.L, {}
        data = self.chart_data()
        for _, k in self.by_kind.iterrows():
            counts = dict(zip(*[data.loc[data["kind"] == k["kind"], c] for c in ("status", "rows")]))
            parts = []
            for status in cp.STATUSES:
                n = int(counts.get(status, 0))
                if n:
                    parts.append(L(f"datakinds.note.{status}", n=n))
            if pd.notna(k["mean_filled"]):
                parts[0] += " " + L("datakinds.note.filled", share=L.percent(k["mean_filled"]))
            out[k["kind"]] = ", ".join(parts) if parts else L("datakinds.note.none")
        return out

    def takeaway(self) -> str:
        """No kind planned, first (a hole in the database); else, with the audit,
        actions and reactions none of which is in the customer file, or the least
        filled kind measured there; else the counts."""
        L, k = self.L, self.by_kind.set_index("kind")
        for code in dk.KINDS:
            if k.at[code, "rows"] == 0:
                return L("datakinds.takeaway.missing", kind=L(f"datakinds.kind_of.{code}"), why=L(f"datakinds.why.{code}"))
        filled = k["mean_filled"].dropna()
        outside = int(k.loc[["action", "reaction"], "rows"].sum())
        if self.measured and outside and k.loc[["action", "reaction"], "linked"].sum() == 0:
            return L("datakinds.takeaway.outside", n=outside)
        if self.measured and len(filled) > 1:
            code = filled.idxmin()
            return L("datakinds.takeaway.lowest", kind=L(f"datakinds.kind_of.{code}"), share=L.percent(filled[code]))
        return L("datakinds.takeaway.counts", n=int(k["rows"].sum()), **{c: int(k.at[c, "rows"]) for c in dk.KINDS})

    def chart(self):
        from relkit.views.charts.data_kinds import kinds_chart

        L = self.L
        hint = "datakinds.kind_hint_b2b" if self.model == "B2B" else "datakinds.kind_hint"
        names = [(c, f"{L(f'datakinds.kind.{c}')}\n({L(f'{hint}.{c}')})") for c in dk.KINDS]
        return kinds_chart(self.chart_data(), kinds=names, notes=self.notes(),
                           title=L("datakinds.chart.title"), takeaway=self.takeaway()).figure

    # --- questions -----------------------------------------------------------------
    def questions_text(self) -> str:
        L, q = self.L, self.questions
        answered = int((q["status"] == "answered").sum())
        if answered == len(q):
            return L("datakinds.questions.all")
        parts = []
        missing = dk.unanswered(q)
        if missing:
            parts.append(L("datakinds.questions.unanswered", n=len(missing),
                           questions=L.join([f"« {self._q(c)} »" if L.lang == "fr" else f"'{self._q(c)}'"
                                             for c in missing])))
        for code in q.loc[q["status"] == "partial", "question"]:
            parts.append(L("datakinds.questions.partial", question=self._q(code)))
        return L("datakinds.questions.some", answered=f"{answered}/{len(q)}", missing=" ".join(parts))

    def questions_table(self) -> pd.DataFrame:
        L, q = self.L, self.questions
        return pd.DataFrame({
            L("datakinds.col.question"): [self._q(c) for c in q["question"]],
            L("datakinds.col.answer"): [L(f"datakinds.answer.{s}") for s in q["status"]],
            L("datakinds.col.fields"): [", ".join(f) if f else L("datakinds.no_field") for f in q["fields"]],
        })

    def kinds_table(self) -> pd.DataFrame:
        L, k = self.L, self.by_kind
        return pd.DataFrame({
            L("datakinds.col.kind"): [L(f"datakinds.kind.{c}") for c in k["kind"]],
            L("datakinds.col.rows"): k["rows"].astype(int).tolist(),
            L("datakinds.col.linked"): k["linked"].astype(int).tolist(),
            L("datakinds.col.measured"): k["measured"].astype(int).tolist() if self.measured else [""] * len(k),
            L("datakinds.col.filled"): [L.percent(v) if pd.notna(v) else "" for v in k["mean_filled"]],
            L("datakinds.col.items"): [", ".join(f) for f in k["fields"]],
        })

    def figures(self) -> dict[str, tuple[object, str, str]]:
        """Key numbers for figures.json: questions covered, rows and mean fill per kind."""
        L, q = self.L, self.questions
        answered = int((q["status"] == "answered").sum())
        out = {"questions_answered": (answered, L("datakinds.kpi.questions"), f"{answered}/{len(q)}")}
        for _, k in self.by_kind.iterrows():
            out[f"kind_{k['kind']}_rows"] = (int(k["rows"]), L(f"datakinds.kpi.rows.{k['kind']}"), L.number(k["rows"]))
            mean = k["mean_filled"]
            if pd.notna(mean):
                shown = L.percent(mean)
            elif k["rows"] == 0:
                shown = L("datakinds.note.none")
            else:  # no audit, or none of the kind's rows is in the customer file
                shown = L("datakinds.kpi.outside") if self.measured else L("common.not_assessed")
            out[f"kind_{k['kind']}_filled"] = (None if pd.isna(mean) else round(float(mean), 4),
                                               L(f"datakinds.kpi.filled.{k['kind']}"), shown)
        return out
