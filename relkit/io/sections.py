"""The report's sections as a consultant names them ("swot", "budget",
"plan-actions"): the one registry behind the workshop sheet "Commentaires"
(its drop-down), the Markdown files of the engagement's commentaires/ folder
(their names) and the report (which heading opens which section).

Each section is opened by the heading a notebook shows (Session.heading or a
table's heading: the label key); its French id is the code, its English id an
accepted alias. The positions of a comment: before the section's content,
after it, or in place of its first generated paragraph."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from relkit.io.parsing import fold


@dataclass(frozen=True)
class Section:
    id: str  # French id, the code (what the drop-down of a French workbook shows)
    en: str  # English id
    heading: str  # the label key of the heading that opens the section


SECTIONS: tuple[Section, ...] = (
    # 00 executive summary
    Section("synthese", "summary", "workbook.00_synthese"),
    Section("objectif-du-plan", "plan-objective", "synthesis.objective.title"),
    Section("essentiel", "highlights", "synthesis.highlights.title"),
    Section("decisions", "decisions", "synthesis.decisions.title"),
    Section("chiffres-cles", "key-figures", "synthesis.figures.title"),
    Section("guide-de-lecture", "reading-guide", "synthesis.outline.title"),
    Section("prochaines-etapes", "next-steps", "synthesis.next.title"),
    # 01 diagnosis
    Section("diagnostic", "diagnosis", "workbook.01_diagnostic"),
    Section("swot", "swot", "swot.title"),
    Section("objectifs", "objectives", "objectives.title"),
    Section("positionnement", "positioning", "positioning.title"),
    Section("questions-positionnement", "positioning-questions", "positioning.questions"),
    Section("concurrence", "competitors", "competitors.title"),
    Section("comparatif-concurrents", "competitor-comparison", "competitors.table.title"),
    Section("mix", "marketing-mix", "mix.title"),
    Section("maturite", "readiness", "readiness.title"),
    # 02 customer file
    Section("fichier-clients", "customer-file", "workbook.02_fichier_clients"),
    Section("sources", "sources", "customers.sources.title"),
    Section("qualite", "data-quality", "customers.quality.title"),
    Section("segments", "segments", "customers.segments.title"),
    Section("cibles", "targets", "customers.targets.title"),
    Section("priorites", "priorities", "customers.priorities.title"),
    Section("portraits", "personas", "customers.personas.title"),  # the workshop's personas beside the measured segments
    Section("fiches-personas", "persona-cards", "personas.cards.title"),
    Section("valeur", "value", "customers.value.title"),
    Section("valeur-par-segment", "value-by-segment", "customers.value.by_segment"),
    Section("calcul-valeur", "value-method", "customers.methods.title"),
    # 03 customer journey
    Section("parcours", "journey", "workbook.03_parcours_client"),
    Section("moments-de-verite", "moments-of-truth", "journey.moments.title"),
    Section("irritants", "pain-points", "journey.pain.title"),
    Section("parcours-cible", "target-journey", "journey.diff.title"),
    Section("parcours-par-programme", "journey-by-programme", "journey.zoom.programme"),
    Section("points-de-contact", "touchpoints", "journey.zoom.detail"),
    # 04 collection plan
    Section("collecte", "collection", "workbook.04_plan_collecte"),
    Section("donnees-a-collecter", "data-to-collect", "collection.plan.title"),
    Section("completude", "completeness", "collection.completeness.title"),
    Section("natures-de-donnees", "data-kinds", "datakinds.title"),
    Section("questions-de-la-base", "database-questions", "datakinds.questions.title"),
    Section("completude-par-nature", "completeness-by-kind", "datakinds.kinds.title"),
    Section("rgpd", "gdpr", "collection.gdpr.title"),
    Section("registre", "register", "collection.register.title"),
    # 05 relationship plan
    Section("plan-relationnel", "relationship-plan", "workbook.05_plan_relationnel"),
    Section("canaux", "channels", "planwb.channels.title"),
    Section("programmes", "programmes", "planwb.programmes.title"),
    Section("programmes-detail", "programmes-detail", "planwb.programmes.detail"),
    Section("scenarios", "scenarios", "scenarios.title"),
    Section("deroule-scenarios", "scenario-flows", "scenarios.flows.title"),
    Section("pression", "pressure", "planwb.pressure.title"),
    Section("pression-detail", "pressure-detail", "planwb.pressure.table"),
    Section("plan-actions", "action-plan", "planwb.actions.title"),
    Section("calendrier", "calendar", "planwb.phases.title"),
    Section("temps-forts", "key-dates", "keydates.title"),
    Section("temps-forts-detail", "key-dates-detail", "keydates.detail.title"),
    Section("outils-flux", "tools-data-flows", "deployment.title"),
    Section("outils-detail", "tools-detail", "deployment.detail.title"),
    Section("budget", "budget", "planwb.budget.title"),
    Section("roi", "roi", "planwb.roi.title"),
    Section("kpi", "kpis", "planwb.kpis.title"),
    Section("liens-kpi", "kpi-links", "planwb.links.title"),
    Section("calendrier-reporting", "reporting-calendar", "planwb.calendar.title"),
    Section("tableau-de-bord", "dashboard", "planwb.dashboard.title"),
    Section("plan-excel", "excel-plan", "planwb.excel.title"),
    Section("conclusion", "conclusion", "planwb.conclusion.title"),
)

# Where a comment goes in its section: code -> accepted spellings (French first).
POSITIONS: dict[str, tuple[str, ...]] = {
    "before": ("avant", "before"),
    "after": ("après", "after"),
    "replace": ("remplace", "replace", "remplacer"),
}
DEFAULT_POSITION = "after"


_SMALL_WORDS = {"d", "de", "des", "du", "l", "la", "le", "les", "et", "a", "au", "aux", "the", "of", "and"}


def key(text: str) -> str:
    """'plan_actions', 'PLAN-ACTIONS ' -> 'plan-actions'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _loose(text: str) -> str:
    """key() without the small words: "Plan d'actions" -> 'plan-actions'."""
    return "-".join(w for w in key(text).split("-") if w not in _SMALL_WORDS)


@functools.cache
def _ids() -> dict[str, str]:
    """Every accepted spelling (loose) -> id: the French and English ids, and the
    headings as the report prints them ("Analyse SWOT", "Budget et ROI")."""
    from relkit.io.labels import Labels

    out: dict[str, str] = {}
    for s in SECTIONS:
        out[_loose(s.id)] = s.id
        out.setdefault(_loose(s.en), s.id)
    for lang in ("fr", "en"):
        labels = Labels(lang)
        for s in SECTIONS:
            try:
                out.setdefault(_loose(labels(s.heading)), s.id)
            except Exception:  # noqa: BLE001 - a heading whose text needs values: its ids still work
                continue
    return out


@functools.cache
def _positions() -> dict[str, str]:
    return {key(label): code for code, labels in POSITIONS.items() for label in (code, *labels)}


def section_id(text: str) -> str | None:
    """The section a typed name means (French or English id), else None."""
    return _ids().get(_loose(str(text)))


def position_code(text: str) -> str | None:
    """'avant' / 'before' -> 'before'; 'après', 'apres', 'after' -> 'after'; 'remplace', 'replace' -> 'replace'."""
    return _positions().get(key(str(text)))


def by_heading(label_key: str) -> Section | None:
    return next((s for s in SECTIONS if s.heading == label_key), None)


def position_label(code: str, lang: str = "fr") -> str:
    return POSITIONS[code][0 if lang == "fr" else 1]


def choice_list() -> list[dict[str, str]]:
    """The sections as a workshop drop-down list (templates/workshop lists format)."""
    return [{"code": s.id, "fr": s.id, "en": s.en} for s in SECTIONS]


def position_list() -> list[dict[str, str]]:
    return [{"code": code, "fr": labels[0], "en": labels[1]} for code, labels in POSITIONS.items()]


def closest(text: str, choices: list[str]) -> str | None:
    """The nearest spelling among ``choices`` when it is close enough to be a typo."""
    typed = key(str(text))
    if not typed:
        return None
    found = process.extractOne(typed, {c: key(c) for c in choices}, scorer=Levenshtein.normalized_similarity,
                               score_cutoff=0.5)
    return found[2] if found else None


def unknown_section(text: str, lang: str = "fr") -> str:
    """The message for a name that is not a section: the closest id and the whole list."""
    ids = [s.id if lang == "fr" else s.en for s in SECTIONS]
    near = closest(text, [s.id for s in SECTIONS] + [s.en for s in SECTIONS])
    parts = [f"unknown report section {str(text)!r}"]
    if near:
        sid = section_id(near)
        parts.append(f"did you mean '{sid if lang == 'fr' else _english(sid)}'?")
    return "; ".join([*parts, f"known sections: {', '.join(ids)}"])


def unknown_position(text: str, lang: str = "fr") -> str:
    labels = [position_label(c, lang) for c in POSITIONS]
    near = closest(text, [label for labels in POSITIONS.values() for label in labels])
    parts = [f"unknown position {str(text)!r}"]
    if near:
        parts.append(f"did you mean '{position_label(position_code(near), lang)}'?")
    return "; ".join([*parts, f"expected one of: {', '.join(labels)}"])


def _english(sid: str) -> str:
    return next(s.en for s in SECTIONS if s.id == sid)
