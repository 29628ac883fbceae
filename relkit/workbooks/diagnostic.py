"""Workbook 01 — diagnosis: the SWOT, SMART objectives, positioning, 4P and
readiness, each with the two or three sentences the client reads."""
from __future__ import annotations

import pandas as pd

from relkit.views.charts.diagnostic import swot_matrix
from relkit.topics import objectives
from relkit.topics import positioning
from relkit.topics import readiness
from relkit.topics import swot
from relkit.topics.competitors import COMPETITOR_QUESTIONS
from relkit.io.labels import Labels
from relkit.intake.load import EngagementData
from relkit.intake.translation import typed_language
from relkit.io.atelier import choice_label


def positioning_statement(parts: pd.DataFrame, brand: str, labels: Labels,
                          part_names: dict[str, str]) -> tuple[str, list[str]]:
    """Assemble "Pour [cible], [marque] est la [marché] qui donne [promesse]
    parce que seule [marque] est [raison de croire]." and list missing parts."""
    given, missing = positioning.statement_parts(parts)
    typed = {typed_language(v) for v in given.values()} - {None}
    if len(typed) == 1 and labels.lang not in typed:
        # the client's words fill the template of their own language, quoted as typed, never another one
        own = Labels(typed.pop(), labels.currency)
        names = {p: choice_label("positioning_part", p, own.lang) for p in positioning.PARTS}
        statement, _ = positioning_statement(parts, brand, own, names)
        return labels("positioning.as_typed", statement=statement, language=labels(f"language.{own.lang}")), missing
    filled = {
        p: given.get(p) or labels("positioning.missing_part", part=part_names[p]) for p in positioning.PARTS
    }
    text = labels("positioning.template", brand=brand, **{p: _trim(v) for p, v in filled.items()})
    return text, missing


def _trim(text: str) -> str:
    return text.strip().rstrip(".")


class Diagnostic:
    def __init__(self, data: EngagementData, labels: Labels):
        self.data = data
        self.eng = data.engagement
        self.L = labels
        self.sheets = data.sheets

    # -- what the workshop filled in -------------------------------------------
    SECTIONS = ("swot", "objectives", "statement", "positioning", "mix", "readiness")

    def assessed(self, section: str) -> bool:
        """Whether the workshop entries of ``section`` (one of ``SECTIONS``) hold
        anything: an empty section is said "non évalué", never scored 0."""
        sheets = self.sheets
        checks = {
            "swot": lambda: swot.assessed(sheets["swot"]),
            "objectives": lambda: len(sheets["objectives"]) > 0,
            "statement": lambda: positioning.statement_drafted(sheets["positioning"]),
            "positioning": lambda: self.positioning_score().assessed,
            "mix": lambda: readiness.mix_assessed(readiness.mix_summary(sheets["marketing_mix"])),
            "readiness": lambda: self.readiness().assessed,
        }
        return checks[section]()

    # -- headline -------------------------------------------------------------
    def intro(self) -> str:
        return self.L("diag.intro", brand=self.eng.brand, year=self.eng.plan_year)

    def growth(self) -> float | None:
        last = self.eng.revenue.last_year
        return (self.eng.revenue.target - last) / last if last else None

    def amount(self, value: float) -> str:
        """A stated amount; 0 (what ``relkit new`` writes) is shown "non renseigné"."""
        return self.L.money(value) if value else self.L("common.not_given")

    def key_figures(self) -> list[tuple[str, str]]:
        L, rev = self.L, self.eng.revenue
        items = [(L("diag.revenue_last_year"), self.amount(rev.last_year)), (L("diag.revenue_target"), self.amount(rev.target))]
        if self.growth() is not None:
            items.append((L("diag.revenue_growth"), ("+" if self.growth() >= 0 else "") + L.percent(self.growth())))
        if rev.target_deadline:
            items.append((L("diag.target_deadline"), L.date(rev.target_deadline)))
        return items

    # -- SWOT -----------------------------------------------------------------
    def swot_figure(self):
        """The SWOT matrix; None when no item was entered."""
        if not self.assessed("swot"):
            return None
        return swot_matrix(self.sheets["swot"], labels=self.L, title=self.L("swot.chart.title"),
                           takeaway=self.swot_takeaway()).figure

    def swot_takeaway(self) -> str:
        """Which side weighs more, inside (strengths/weaknesses) and outside (opportunities/threats)."""
        n = swot.counts(self.sheets["swot"])

        def balance(side: str, a: int, b: int) -> str:
            kind = "positive" if a > b else "negative" if b > a else "even"
            return self.L(f"swot.balance.{side}.{kind}", a=a, b=b)

        return self.L("swot.chart.takeaway", internal=balance("internal", n["strength"], n["weakness"]),
                      external=balance("external", n["opportunity"], n["threat"]))

    def swot_text(self) -> str:
        if not self.assessed("swot"):
            return self.L("swot.not_assessed")
        n = swot.counts(self.sheets["swot"])
        text = self.L("swot.explain", n_items=sum(n.values()), **{f"n_{q}": v for q, v in n.items()})
        empty = swot.empty_quadrants(self.sheets["swot"])
        if empty:
            text += " " + self.L("swot.explain_missing", quadrants=self.L.join([self.L(f"swot.{q}") for q in empty]))
        return text

    # -- objectives -------------------------------------------------------------
    def smart(self) -> pd.DataFrame:
        return objectives.smart_table(self.sheets["objectives"])

    def objectives_table(self) -> pd.DataFrame:
        L, t = self.L, self.smart()
        return pd.DataFrame({
            L("objectives.col.objective"): t["objective"],
            L("objectives.col.kpi"): t["kpi"].fillna(""),
            L("objectives.col.deadline"): [L.date(d, "short") if d is not None and not pd.isna(d) else "" for d in t["deadline"]],
            L("objectives.col.smart"): [L("objectives.smart_yes") if ok else L("objectives.smart_no") for ok in t["is_smart"]],
            L("objectives.col.reason"): [L.join([L(f"objectives.missing.{m}") for m in ms]) for ms in t["missing"]],
        })

    def objectives_text(self) -> str:
        t = self.smart()
        if t.empty:
            return self.L("objectives.not_assessed")
        failing = t[~t["is_smart"]]
        sentence = ""
        if len(failing):
            sentence = self.L("objectives.failing", items=self.L.join([f"« {o} »" if self.L.lang == "fr" else f"“{o}”" for o in failing["objective"]]))
        return self.L("objectives.explain", n_smart=int(t["is_smart"].sum()), n=len(t),
                      share=self.L.percent(t["is_smart"].mean()), failing_sentence=sentence)

    # -- positioning --------------------------------------------------------------
    def _part_names(self) -> dict[str, str]:
        return {p: choice_label("positioning_part", p, self.L.lang) for p in positioning.PARTS}

    def statement(self) -> str:
        text, _ = positioning_statement(self.sheets["positioning"], self.eng.brand, self.L, self._part_names())
        return text

    def statement_callout(self) -> str:
        """The statement for the report; "non évalué" when no part is written
        (the workshop editor shows the template with its blanks instead)."""
        return self.statement() if self.assessed("statement") else self.L("positioning.not_assessed_statement")

    def positioning_score(self) -> positioning.Score:
        return positioning.score(self.sheets["positioning_questions"])

    def questions_table(self) -> pd.DataFrame:
        L = self.L
        answers = {int(r["number"]): r["answer"] for _, r in self.sheets["positioning_questions"].iterrows()}
        return pd.DataFrame({
            "N°" if L.lang == "fr" else "No.": list(positioning.QUESTIONS),
            L("positioning.col.question"): [L(f"positioning.q{q}") + (" " + L("competitors.see") if q in COMPETITOR_QUESTIONS else "")
                                            for q in positioning.QUESTIONS],
            L("positioning.col.answer"): [L(f"answer.{answers[q]}") if answers.get(q) else L("positioning.unanswered") for q in positioning.QUESTIONS],
        })

    def positioning_text(self) -> str:
        sc, L = self.positioning_score(), self.L
        if not sc.assessed:
            return L("positioning.not_assessed")
        weak_q = list(sc.no_questions[:3])
        weak = L("positioning.weak_points", items=L.join([f"n° {q}" if L.lang == "fr" else f"no. {q}" for q in weak_q])) if weak_q else ""
        key = "positioning.explain_good" if sc.good_start else "positioning.explain_weak"
        text = L(key, score=sc.yes, weak=weak)
        if sc.unanswered:  # counted as not yes: say so, the verdict may change
            numbers = [f"n° {q}" if L.lang == "fr" else f"no. {q}" for q in sc.unanswered]
            text += " " + L("positioning.unanswered_note", n=len(sc.unanswered), items=L.join(numbers))
        return text

    # -- 4P and readiness -----------------------------------------------------------
    def mix_table(self) -> pd.DataFrame:
        L, m = self.L, readiness.mix_summary(self.sheets["marketing_mix"])
        return pd.DataFrame({
            L("mix.col.p"): [L(f"mix.{p}") for p in m["p"]],
            L("mix.col.today"): m["today"],
            L("mix.col.direction"): m["direction"],
        })

    def mix_text(self) -> str:
        L, m = self.L, readiness.mix_summary(self.sheets["marketing_mix"])
        if not readiness.mix_assessed(m):
            return L("mix.not_assessed")
        missing = [L(f"mix.{p}") for p, d in zip(m["p"], m["direction"]) if not d]
        return L("mix.explain", filled=4 - len(missing), missing=L("mix.missing", items=L.join(missing)) if missing else "")

    def readiness(self) -> readiness.Readiness:
        return readiness.assess(self.sheets["readiness"])

    def readiness_table(self) -> pd.DataFrame:
        L = self.L
        answers = {int(r["number"]): r["answer"] for _, r in self.sheets["readiness"].iterrows()}
        return pd.DataFrame({
            "N°" if L.lang == "fr" else "No.": list(readiness.PRACTICES),
            L("readiness.col.practice"): [L(f"readiness.c{n}") for n in readiness.PRACTICES],
            L("readiness.col.answer"): [L(f"answer.{answers[n]}") if answers.get(n) else L("readiness.unanswered") for n in readiness.PRACTICES],
        })

    def readiness_text(self) -> list[str]:
        r, L = self.readiness(), self.L
        if not r.assessed:
            return [L("readiness.not_assessed")]
        texts = [L(f"readiness.level.{r.level}", score=L.percent(r.score)), L("readiness.rule")]
        if r.commodity:
            texts.append(L("readiness.commodity"))
        return texts

    # -- key figures ------------------------------------------------------------------
    def figures(self) -> dict[str, tuple[object, str, str]]:
        """key -> (value, label, formatted) for figures.json; a score whose
        section is empty is recorded as None, shown "non évalué"."""
        L, t, sc, r = self.L, self.smart(), self.positioning_score(), self.readiness()
        n = swot.counts(self.sheets["swot"])
        not_assessed = L("common.not_assessed")
        out = {
            "revenue_last_year": (self.eng.revenue.last_year, L("diag.revenue_last_year"), self.amount(self.eng.revenue.last_year)),
            "revenue_target": (self.eng.revenue.target, L("diag.revenue_target"), self.amount(self.eng.revenue.target)),
            "swot_items": (sum(n.values()), L("swot.title"), str(sum(n.values()))),
            "objectives": (len(t), L("objectives.title"), str(len(t))),
            "objectives_smart": ((int(t["is_smart"].sum()), L("objectives.kpi.smart"), str(int(t["is_smart"].sum())))
                                 if len(t) else (None, L("objectives.kpi.smart"), not_assessed)),
            "positioning_score": ((sc.yes, L("positioning.questions"), f"{sc.yes}/10") if sc.assessed
                                  else (None, L("positioning.questions"), not_assessed)),
            "readiness_score": ((round(r.score, 4), L("readiness.title"), L.percent(r.score)) if r.assessed
                                else (None, L("readiness.title"), not_assessed)),
        }
        if self.growth() is not None:
            out["revenue_growth"] = (round(self.growth(), 4), L("diag.revenue_growth"), L.percent(self.growth()))
        return out
