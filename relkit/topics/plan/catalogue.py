"""The standard programmes (seed 004, data in ``templates/plan/programmes.yaml``)
and the channels they send on: names as typed -> codes, codes -> names."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from relkit.io.labels import catalogue as label_catalogue
from relkit.io.parsing import fold, is_blank
from relkit.io.resources import TEMPLATES_DIR, load_yaml

CATALOGUE_FILE = TEMPLATES_DIR / "plan" / "programmes.yaml"
CHANNELS_FILE = TEMPLATES_DIR / "workshop" / "lists.yaml"
KINDS = ("automation", "campaign")
TOTAL = "total"  # the pseudo-channel adding every channel up (a cap on all messages)


@dataclass(frozen=True)
class CatalogueProgramme:
    """A standard programme and its defaults (texts by language)."""

    code: str
    label: dict[str, str]
    description: dict[str, str]
    objective: dict[str, str]
    kpi: dict[str, str]
    target: str  # rule text, French
    channel: str
    kind: str
    trigger: dict[str, str]
    messages_per_month: float
    seed: str
    aliases: tuple[str, ...] = ()


def _load_catalogue() -> dict[str, CatalogueProgramme]:
    out = {}
    for item in load_yaml(CATALOGUE_FILE)["programmes"]:
        item = dict(item)
        item["aliases"] = tuple(item.get("aliases") or ())
        item["messages_per_month"] = float(item["messages_per_month"])
        out[item["code"]] = CatalogueProgramme(**item)
    return out


CATALOGUE: dict[str, CatalogueProgramme] = _load_catalogue()


@functools.cache
def _programme_names() -> dict[str, str]:
    """Folded code / label / alias -> code; a name claimed twice is a data error."""
    names: dict[str, str] = {}
    for code, p in CATALOGUE.items():
        for name in (code, code.replace("_", " "), *p.label.values(), *p.aliases):
            key = fold(name).replace("\u2019", "'")
            if names.get(key, code) != code:
                raise ValueError(f"programme name {name!r} is used by both {names[key]!r} and {code!r}")
            names[key] = code
    return names


def programme_code(name) -> str | None:
    """'Coupon anniversaire', 'birthday', 'Birthday coupon' -> 'birthday'; None for a custom name."""
    if is_blank(name):
        return None
    return _programme_names().get(fold(str(name)).replace("\u2019", "'"))


# ------------------------------------------------------------------ channels
def _channel_list() -> list[dict[str, str]]:
    return load_yaml(CHANNELS_FILE).get("channel", [])


@functools.cache
def _channel_names() -> dict[str, str]:
    names = {}
    for item in _channel_list():
        for name in (item["code"], item.get("fr", ""), item.get("en", "")):
            if name:
                names[fold(name)] = item["code"]
    names.update({"courriel": "email", "emailing": "email", "e-mailing": "email", "mail": "mail", "texto": "sms",
                  "courrier postal": "mail", "post": "mail", "reseaux sociaux": "social", "telephone": "phone"})
    return names


def channel_code(value) -> str:
    """'e-mail', 'E-mail', 'email' -> 'email'; an unknown channel keeps its folded name."""
    key = fold(str(value))
    return _channel_names().get(key, key)


def channel_name(channel: str, lang: str) -> str:
    """'email' -> 'E-mail' in ``lang``; ``TOTAL`` -> 'tous canaux confondus'; an unknown code as is."""
    if channel == TOTAL:
        return label_catalogue()["plan.channel.total"][lang]
    for item in _channel_list():
        if item["code"] == channel:
            return item[lang]
    return channel


def channel_order(channels) -> list[str]:
    """The channels once each, in the order of the channel list (unknown ones last, by name)."""
    known = [item["code"] for item in _channel_list()]
    return sorted(set(channels), key=lambda c: (known.index(c) if c in known else len(known), c))
