"""Workbook 03 — customer journey: what the notebook shows and says."""
from __future__ import annotations

import pandas as pd

from relkit.topics import journey as jm
from relkit.io.labels import Labels
from relkit.views.charts.journey import emotion_chart, map_table_html, matrix_chart
from relkit.intake.load import EngagementData
from relkit.io.atelier import axis, choice_label

VERSIONS = ("current", "target")


class JourneyWorkbook:
    def __init__(self, data: EngagementData, labels: Labels):
        self.data, self.L = data, labels
        self.eng = data.engagement
        self.journey = data.sheets["journey"]
        self.stages = axis("journey_stage", self.eng.journey.stages, labels.lang)
        self.channels = axis("channel", self.eng.journey.channels, labels.lang)
        self.stage_names = dict(self.stages)
        self.channel_names = dict(self.channels)

    def qualification(self, code: str) -> str:
        return choice_label("qualification", code, self.L.lang)

    def version(self, code: str) -> str:
        return choice_label("journey_version", code, self.L.lang)

    def mapped(self, version: str) -> bool:
        """Whether the workshop mapped this version of the journey (current or
        target): an unmapped version is said "non évalué", never counted 0."""
        return bool((self.journey["version"] == version).any())

    def not_mapped(self, version: str) -> str:
        return self.L(f"journey.not_assessed.{version}")

    def intro(self) -> str:
        return self.L("journey.intro")

    def key_figures(self) -> list[tuple[str, str]]:
        L = self.L
        current = self.journey[self.journey["version"] == "current"]
        target = self.journey[self.journey["version"] == "target"]
        return [(L("journey.kpi.touchpoints"), L.number(len(current))),
                (L("journey.kpi.pain"), L.number(len(jm.pain_points(self.journey)))),
                (L("journey.kpi.moments"), L.number(len(jm.moments_of_truth(self.journey)))),
                (L("journey.kpi.collection"), L.number(int(target["collection_point"].fillna(False).astype(bool).sum())))]

    # -- figures ------------------------------------------------------------------
    def matrix_chart(self, version: str):
        cells = jm.matrix(self.journey, self.stages, self.channels, version)
        rows = self.journey[self.journey["version"] == version]
        pain = int(rows["qualification"].isin(list(jm.SEVERITY)).sum())
        names = {q: self.qualification(q) for q in jm.QUALIFICATIONS}
        title = self.L("journey.matrix.title", version=self.version(version))
        takeaway = self.L("journey.matrix.takeaway", n=len(rows), pain=pain)
        return matrix_chart(cells, stages=self.stages, channels=self.channels, names_qualification=names, title=title,
                            takeaway=takeaway, collection_label=self.L("journey.matrix.collection")).figure

    def matrix_html(self, version: str) -> str:
        """The same map for the report: an HTML table whose every label is read in full at print size."""
        cells = jm.matrix(self.journey, self.stages, self.channels, version)
        rows = self.journey[self.journey["version"] == version]
        pain = int(rows["qualification"].isin(list(jm.SEVERITY)).sum())
        names = {q: self.qualification(q) for q in jm.QUALIFICATIONS}
        title = self.L("journey.matrix.title", version=self.version(version))
        return map_table_html(cells, stages=self.stages, channels=self.channels, names_qualification=names,
                              title=title[:1].upper() + title[1:],  # "current journey map" -> "Current journey map"
                              takeaway=self.L("journey.matrix.takeaway", n=len(rows), pain=pain),
                              collection_label=self.L("journey.matrix.collection"),
                              corner=self.L("journey.col.stage"))

    def emotion_chart(self):
        curve = jm.emotion_curve(self.journey, self.stages)
        current = curve[(curve["version"] == "current") & curve["mean"].notna()]
        worst = current.loc[current["mean"].idxmin()] if len(current) else None
        takeaway = (self.L("journey.emotion.takeaway", stage=worst["label"], value=self.L.number(worst["mean"], 1))
                    if worst is not None else "")
        names = {v: self.version(v) for v in jm.VERSIONS}
        return emotion_chart(curve, stages=self.stages, version_names=names, title=self.L("journey.emotion.title"),
                             takeaway=takeaway).figure

    # -- tables and text ---------------------------------------------------------------
    def _touchpoints(self, frame: pd.DataFrame, extra: dict[str, pd.Series] | None = None) -> pd.DataFrame:
        L = self.L
        out = pd.DataFrame({
            L("journey.col.stage"): [self.stage_names.get(s, s) for s in frame["stage"]],
            L("journey.col.channel"): [self.channel_names.get(c, c) for c in frame["channel"]],
            L("journey.col.touchpoint"): frame["touchpoint"].tolist(),
            L("journey.col.qualification"): [self.qualification(q) for q in frame["qualification"]],
            L("journey.col.importance"): frame["importance"].astype(int).tolist(),
        })
        for name, values in (extra or {}).items():
            out[name] = list(values)
        return out

    def moments_table(self) -> pd.DataFrame:
        m = jm.moments_of_truth(self.journey)
        return self._touchpoints(m, {self.L("journey.col.emotion"): m["emotion"].astype(int)})

    def moments_text(self) -> str:
        if not self.mapped("current"):
            return self.not_mapped("current")
        m = jm.moments_of_truth(self.journey)
        bad = int(m["qualification"].isin(list(jm.SEVERITY)).sum())
        return self.L("journey.moments.explain", n=len(m), bad=bad)

    def pain_table(self) -> pd.DataFrame:
        p = jm.pain_points(self.journey)
        table = self._touchpoints(p, {self.L("journey.col.score"): p["score"].astype(int)})
        table.insert(0, self.L("journey.col.rank"), p["rank"].astype(int).tolist())
        return table

    def zones_table(self) -> pd.DataFrame:
        L, z = self.L, jm.improvement_zones(self.journey, self.stages)
        z = z[z["touchpoints"] > 0]
        return pd.DataFrame({
            L("journey.col.rank"): z["rank"].astype(int).tolist(),
            L("journey.col.stage"): z["label"].tolist(),
            L("journey.col.count"): z["touchpoints"].astype(int).tolist(),
            L("journey.col.pain"): z["pain_points"].astype(int).tolist(),
            L("journey.col.pain_score"): z["pain_score"].astype(int).tolist(),
            L("journey.col.emotion"): [L.number(v, 1) for v in z["mean_emotion"]],
        })

    def zones_text(self) -> str:
        if not self.mapped("current"):
            return self.not_mapped("current")
        z = jm.improvement_zones(self.journey, self.stages)
        first = z[(z["pain_points"] > 0)].head(3)
        if first.empty:
            return self.L("journey.zones.none")
        return self.L("journey.zones.explain", stages=self.L.join(first["label"].tolist()))

    def coverage_text(self) -> list[str]:
        if not self.mapped("current"):
            return [self.not_mapped("current")]
        L, c = self.L, jm.coverage(self.journey, self.stages, self.channels)
        texts = []
        if c.empty_stages:
            texts.append(L("journey.coverage.stages", items=L.join([self.stage_names[s] for s in c.empty_stages])))
        if c.unused_channels:
            texts.append(L("journey.coverage.channels", items=L.join([self.channel_names[ch] for ch in c.unused_channels])))
        if c.single_stage_channels:
            items = [f"{self.channel_names[ch]} ({self.stage_names[st]})" for ch, st in c.single_stage_channels]
            texts.append(L("journey.coverage.single", items=L.join(items)))
        return texts or [L("journey.coverage.none")]

    def differences_table(self) -> pd.DataFrame:
        L, d = self.L, jm.differences(self.journey)
        rows = []
        for _, r in d.added.iterrows():
            rows.append((L("journey.diff.added"), r, "", self.qualification(r["qualification"])))
        for _, r in d.removed.iterrows():
            rows.append((L("journey.diff.removed"), r, self.qualification(r["qualification"]), ""))
        for _, r in d.requalified.iterrows():
            rows.append((L("journey.diff.requalified"), r, self.qualification(r["from"]), self.qualification(r["to"])))
        return pd.DataFrame({
            L("journey.col.change"): [c for c, _, _, _ in rows],
            L("journey.col.stage"): [self.stage_names.get(r["stage"], r["stage"]) for _, r, _, _ in rows],
            L("journey.col.channel"): [self.channel_names.get(r["channel"], r["channel"]) for _, r, _, _ in rows],
            L("journey.col.touchpoint"): [r["touchpoint"] for _, r, _, _ in rows],
            L("journey.col.from"): [f for _, _, f, _ in rows],
            L("journey.col.to"): [t for _, _, _, t in rows],
        })

    def differences_text(self) -> str:
        for version in ("target", "current"):
            if not self.mapped(version):
                return self.not_mapped(version)
        d = jm.differences(self.journey)
        return self.L("journey.diff.explain", added=len(d.added), removed=len(d.removed), requalified=len(d.requalified))

    def by_stage_table(self, version: str = "current") -> pd.DataFrame:
        L, t = self.L, jm.by_stage(self.journey, self.stages, version)
        return pd.DataFrame({
            L("journey.col.stage"): t["label"].tolist(),
            L("journey.col.count"): t["touchpoints"].astype(int).tolist(),
            L("journey.col.importance"): [L.number(v, 1) if pd.notna(v) else "" for v in t["mean_importance"]],
            L("journey.col.emotion"): [L.number(v, 1) if pd.notna(v) else "" for v in t["mean_emotion"]],
            L("journey.col.dominant"): [self.qualification(q) if isinstance(q, str) else "" for q in t["dominant_qualification"]],
            L("journey.col.pain"): t["pain_points"].astype(int).tolist(),
        })

    def by_programme_table(self, version: str = "target") -> pd.DataFrame:
        L, t = self.L, jm.by_programme(self.journey, version)
        return pd.DataFrame({
            L("journey.col.programme"): [L("journey.no_programme") if p == jm.NO_PROGRAMME else p for p in t["programme"]],
            L("journey.col.count"): t["touchpoints"].astype(int).tolist(),
            L("journey.col.stages"): t["stages"].astype(int).tolist(),
            L("journey.col.pain"): t["pain_points"].astype(int).tolist(),
            L("journey.col.collection"): t["collection_points"].astype(int).tolist(),
        })

    def detail_table(self, version: str = "target") -> pd.DataFrame:
        t = jm.detail(self.journey, self.stages, self.channels, version)
        return self._touchpoints(t, {self.L("journey.col.emotion"): t["emotion"].astype(int),
                                     self.L("journey.col.owner"): t["owner"].fillna("")})

    def figures(self) -> dict[str, tuple[object, str, str]]:
        L = self.L
        d = jm.differences(self.journey)
        n = {
            "touchpoints_current": (int((self.journey["version"] == "current").sum()), L("journey.kpi.touchpoints")),
            "pain_points": (len(jm.pain_points(self.journey)), L("journey.kpi.pain")),
            "moments_of_truth": (len(jm.moments_of_truth(self.journey)), L("journey.kpi.moments")),
            "touchpoints_added": (len(d.added), L("journey.diff.added")),
            "touchpoints_removed": (len(d.removed), L("journey.diff.removed")),
            "touchpoints_requalified": (len(d.requalified), L("journey.diff.requalified")),
        }
        out = {k: (v, label, str(v)) for k, (v, label) in n.items()}
        unmapped = [k for k, needs in (("pain_points", ("current",)), ("moments_of_truth", ("current",)),
                                       ("touchpoints_added", VERSIONS), ("touchpoints_removed", VERSIONS),
                                       ("touchpoints_requalified", VERSIONS))
                    if not all(self.mapped(v) for v in needs)]
        for key in unmapped:  # nothing mapped to count from: recorded as None, shown "non évalué"
            out[key] = (None, out[key][1], L("common.not_assessed"))
        return out
