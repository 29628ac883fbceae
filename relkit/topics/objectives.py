"""SMART check of objectives (seed 003: "augmenter les ventes" is not SMART;
"augmenter le CA de 30 % dans les 6 mois" is).

The rule, stated in the report as well: an objective passes when it has
- a number: a figure in the text once deadline phrases are set aside, a
  "doubler/tripler" style multiplier, or a filled target column;
- a KPI: the KPI column, or a recognised indicator named in the text;
- a deadline: the deadline column, or a time phrase in the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from relkit.io.parsing import fold, is_blank

_MONTHS = ("janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
           "january|february|march|april|may|june|july|august|september|october|november|december")
_UNITS = r"(jours?|semaines?|mois|ans?|annees?|trimestres?|days?|weeks?|months?|years?|quarters?)"
_NUM_WORDS = r"(\d+|un|une|deux|trois|quatre|six|neuf|douze|dix-huit|a|one|two|three|four|six|nine|twelve|eighteen)"
# Applied to folded text (lower case, no accents).
_DEADLINE = re.compile(
    r"|".join([
        rf"\b(dans|en|sur|sous|within|in|over)\s+(les\s+|l'|the\s+|next\s+|prochains?\s+)?{_NUM_WORDS}?\s*"
        rf"(prochains?\s+|next\s+)?{_UNITS}(\s+(a venir|prochains?|suivants?))?",
        rf"\bd'ici\b[^,;.]*",
        rf"\b(avant|au plus tard|jusqu'(a|au)|by|before|until|fin|end of|au|en|in|pour|for)\s+(le\s+|la\s+|l'|the\s+|fin\s+|end\s+of\s+)?"
        rf"(\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|(19|20)\d\d|({_MONTHS})(\s+(19|20)\d\d)?|[tq][1-4](\s+(19|20)\d\d)?|"
        rf"(premier|deuxieme|second|troisieme|quatrieme|1er|2e|3e|4e|first|second|third|fourth)\s+(trimestre|semestre|quarter|half))",
        r"\b\d{1,2}/\d{1,2}/\d{4}\b",
        r"\b(cette annee|this year|l'annee prochaine|next year|a la fin de l'annee|fin d'annee|end of the year|year[- ]end)\b",
    ])
)
_MULTIPLIER = re.compile(r"\b(doubler|tripler|quadrupler|double|triple|quadruple|moitie|half|halve)\b")
_KPI_WORDS = [
    "ca", "chiffre d'affaires", "revenue", "turnover", "ventes", "sales", "taux", "rate", "panier moyen",
    "average basket", "average order", "clients", "customers", "abonnes", "subscribers", "followers",
    "visiteurs", "visitors", "visites", "visits", "trafic", "traffic", "leads", "prospects", "nps",
    "satisfaction", "marge", "margin", "notoriete", "awareness", "commandes", "orders", "cac",
    "cout d'acquisition", "acquisition cost", "clv", "ltv", "valeur vie client", "lifetime value", "roi",
    "inscrits", "sign-ups", "membres", "members", "contacts", "ouverture", "open", "clic", "click",
    "frequence d'achat", "purchase frequency", "retention", "churn", "attrition", "audience", "avis", "reviews",
    "fidelisation", "loyalty", "financement", "funding", "collecte", "impressions", "position", "ranking",
    "achats", "purchases", "reachat", "repeat", "part de marche", "market share", "yield", "rendement",
]
_KPI = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(_KPI_WORDS, key=len, reverse=True)) + r")\b")
_DIGIT = re.compile(r"\d")
_MONEY = re.compile(r"\d\s*(k?€|keur|euros?|\$|£)")  # an amount is its own indicator (money raised, revenue)

MISSING = ("number", "kpi", "deadline")


@dataclass(frozen=True)
class SmartCheck:
    has_number: bool
    has_kpi: bool
    has_deadline: bool
    missing: tuple[str, ...] = field(default=())

    @property
    def is_smart(self) -> bool:
        return not self.missing


def check_objective(text: str, kpi=None, target=None, deadline=None) -> SmartCheck:
    """Apply the SMART rule to one objective (free text plus optional columns)."""
    folded = fold(text or "")
    has_deadline = not is_blank(deadline) or bool(_DEADLINE.search(folded))
    without_deadline = _DEADLINE.sub(" ", folded)
    has_number = (not is_blank(target) and bool(_DIGIT.search(str(target)))) or bool(
        _DIGIT.search(without_deadline) or _MULTIPLIER.search(without_deadline)
    )
    has_kpi = not is_blank(kpi) or bool(_KPI.search(folded) or _MONEY.search(without_deadline))
    flags = {"number": has_number, "kpi": has_kpi, "deadline": has_deadline}
    return SmartCheck(has_number, has_kpi, has_deadline, tuple(k for k in MISSING if not flags[k]))


def smart_table(objectives: pd.DataFrame) -> pd.DataFrame:
    """One row per objective with the three tests, ``is_smart`` and ``missing``."""
    checks = [
        check_objective(r["objective"], r.get("kpi"), r.get("target"), r.get("deadline"))
        for _, r in objectives.iterrows()
    ]
    out = objectives.reset_index(drop=True).copy()
    out["has_number"] = [c.has_number for c in checks]
    out["has_kpi"] = [c.has_kpi for c in checks]
    out["has_deadline"] = [c.has_deadline for c in checks]
    out["is_smart"] = [c.is_smart for c in checks]
    out["missing"] = [list(c.missing) for c in checks]
    return out
