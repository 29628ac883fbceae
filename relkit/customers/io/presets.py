"""Vendor presets: how each tool (Shopify, HubSpot, Mailchimp, Brevo, Dolibarr,
Odoo, WooCommerce, billing tools) names its columns, and its quirks.

The presets themselves are data, in ``presets.yaml`` beside this module.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from relkit.io.parsing import fold
from relkit.io.resources import load_yaml
from relkit.customers.io.schema import FIELDS, PSEUDO_FIELDS, Kind

PRESETS_FILE = Path(__file__).with_name("presets.yaml")
DEFAULT_PRESET = {"customers": "generic_customers", "transactions": "generic_billing"}


@dataclass(frozen=True)
class Preset:
    """How one tool names its columns, and its quirks (see presets.yaml)."""

    name: str
    kind: Kind
    columns: dict[str, tuple[tuple[str, ...], ...]]  # field -> parts -> accepted headers
    skip_status: dict[str, frozenset[str]] = field(default_factory=dict)  # reason -> folded statuses
    guest_ids: tuple[str, ...] = ()
    defaults: dict = field(default_factory=dict)
    order_total_repeated: bool = False
    order_fields_first_line: bool = False
    amount_basis: str | None = None
    id_fallback: tuple[tuple[str, ...], ...] = ()
    notes: str = ""


def _parts(spec) -> tuple[tuple[str, ...], ...]:
    """['A', 'B'] is one column known as A or B; [['A'], ['B']] is two columns."""
    spec = [spec] if isinstance(spec, str) else spec
    if all(isinstance(s, list) for s in spec):
        return tuple(tuple(s) for s in spec)
    return (tuple(spec),)


@functools.cache
def presets() -> dict[str, Preset]:
    """The presets of presets.yaml, checked once."""
    out = {}
    for name, raw in load_yaml(PRESETS_FILE).items():
        preset = Preset(
            name=name,
            kind=raw["kind"],
            columns={f: _parts(headers) for f, headers in raw["columns"].items()},
            skip_status={reason: frozenset(map(fold, v)) for reason, v in raw.get("skip_status", {}).items()},
            guest_ids=tuple(raw.get("guest_ids", ())),
            defaults=raw.get("defaults", {}),
            order_total_repeated=raw.get("order_total_repeated", False),
            order_fields_first_line=raw.get("order_fields_first_line", False),
            amount_basis=raw.get("amount_basis"),
            id_fallback=_parts(raw["id_fallback"]) if "id_fallback" in raw else (),
            notes=raw.get("notes", ""),
        )
        unknown = set(preset.columns) - set(FIELDS[preset.kind]) - set(PSEUDO_FIELDS)
        if unknown:
            raise ValueError(f"{PRESETS_FILE.name}: preset {name} maps unknown fields {sorted(unknown)}")
        out[name] = preset
    return out
