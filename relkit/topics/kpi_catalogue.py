"""The KPI catalogue (``templates/plan/kpis.yaml``): the near-universal KPIs of a
digital marketing plan (seed 001) with their fr/en names, definitions, formulas,
units, review frequency and direction, and how a KPI written by hand is
recognised (its code, its fr/en name or a known alias; accents, case and plurals
do not matter).

``catalogue_rows`` prefills the workshop ``kpis`` sheet with the KPIs that fit
the client (``fits``: its business model and the channels it uses).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from rapidfuzz.utils import default_process

from relkit.io.labels import Labels
from relkit.io.parsing import fold, is_blank
from relkit.io.resources import TEMPLATES_DIR, load_yaml

CATALOGUE_PATH = TEMPLATES_DIR / "plan" / "kpis.yaml"

UNITS = ("eur", "percent", "count", "days", "minutes", "rank", "score", "ratio")
FREQUENCIES = ("weekly", "monthly", "quarterly", "yearly")
DIRECTIONS = ("higher", "lower")
DEFAULT_FREQUENCY = "monthly"  # seed 002: "rapports de performance mensuels"
DEFAULT_DIRECTION = "higher"


@dataclass(frozen=True)
class KpiDef:
    """One catalogue KPI; texts keyed by language."""

    code: str
    name: dict
    definition: dict
    formula: dict
    unit: str
    frequency: str
    direction: str
    aliases: tuple[str, ...] = ()
    models: tuple[str, ...] = ()  # business models it is offered to; empty: every model
    channels: tuple[str, ...] = ()  # channel codes, one of which the client must use; empty: any client


def _load_catalogue() -> dict[str, KpiDef]:
    out: dict[str, KpiDef] = {}
    for item in load_yaml(CATALOGUE_PATH)["kpis"]:
        kpi = KpiDef(
            code=item["code"], name=item["name"], definition=item["definition"], formula=item["formula"],
            unit=item["unit"], frequency=item["frequency"], direction=item["direction"],
            aliases=tuple(item.get("aliases", ())), models=tuple(item.get("models", ())),
            channels=tuple(item.get("channels", ())),
        )
        if kpi.code in out:
            raise ValueError(f"KPI code {kpi.code!r} is defined twice in {CATALOGUE_PATH}")
        out[kpi.code] = kpi
    return out


CATALOGUE: dict[str, KpiDef] = _load_catalogue()


# --- names -------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@functools.lru_cache(maxsize=4096)
def name_key(text: str) -> str:
    """Matching key: folded, punctuation as spaces, trailing plural s/x dropped
    ('Coût d'acquisition' = 'cout d acquisition', 'clics' = 'clic')."""
    words = default_process(fold(str(text).translate(_APOSTROPHES))).split()
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words)


@functools.cache
def _exact_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, kpi in CATALOGUE.items():
        for text in (code, kpi.name["fr"], kpi.name["en"], *kpi.aliases):
            index.setdefault(name_key(text), code)
    return index


def kpi_code(name) -> str | None:
    """The catalogue code of a KPI written as its code, its fr/en name or a
    known alias ('CAC', 'NPS'); accents, case and plurals do not matter.
    None for a custom KPI."""
    if is_blank(name):
        return None
    return _exact_index().get(name_key(name))


def fits(kpi: KpiDef, model: str | None = None, channels=None) -> bool:
    """Whether the KPI is offered to a client of ``model`` (B2C, B2B, B2B2C; None:
    any) using ``channels`` (channel codes; None: not known, every channel)."""
    if model is not None and kpi.models and model not in kpi.models:
        return False
    return channels is None or not kpi.channels or bool(set(kpi.channels) & set(channels))


def catalogue_rows(lang: str = "fr", model: str | None = None, channels=None) -> list[dict]:
    """Rows prefilling the workshop ``kpis`` sheet (choice cells as codes): the
    catalogue KPIs that ``fit`` the client; the target is left for the workshop."""
    Labels(lang)  # checks the language
    return [
        {"kpi": k.name[lang], "definition": k.definition[lang], "formula": k.formula[lang], "unit": k.unit,
         "frequency": k.frequency, "direction": k.direction, "target": None}
        for k in CATALOGUE.values() if fits(k, model, channels)
    ]
