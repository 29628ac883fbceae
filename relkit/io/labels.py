"""Labels and number/date formats in the engagement's language (Babel)."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent

from relkit.io.resources import PACKAGE_DIR, load_yaml

LANGUAGES = ("fr", "en")
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


LOCALES_DIR = PACKAGE_DIR / "locales"


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """All label files of ``relkit/locales`` merged (one file per workbook
    area keeps edits apart); a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.yaml")):
        for key, texts in (load_yaml(path) or {}).items():
            if key in merged:
                raise ValueError(f"label {key!r} is defined twice (second time in {path.name})")
            merged[key] = texts
    return merged


@dataclass(frozen=True)
class Labels:
    """Everything a deliverable says, in one language."""

    lang: str = "fr"
    currency: str = "EUR"

    def __post_init__(self):
        if self.lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {self.lang!r}")

    @property
    def locale(self) -> str:
        return _LOCALES[self.lang]

    def __call__(self, key: str, **values) -> str:
        try:
            text = catalogue()[key][self.lang]
        except KeyError:
            raise KeyError(f"label {key!r} missing from relkit/locales/*.yaml ({self.lang})") from None
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in catalogue()

    def money(self, amount: float, decimals: bool | None = None) -> str:
        """'1 300 €' (no cents when the amount is whole), '1 250,50 €'."""
        whole = decimals is False or (decimals is None and float(amount).is_integer())
        if whole:
            pattern = "#,##0\u00a0¤" if self.lang == "fr" else "¤#,##0"
            return format_currency(round(amount), self.currency, format=pattern, locale=self.locale, currency_digits=False)
        return format_currency(amount, self.currency, locale=self.locale)

    def percent(self, ratio: float, digits: int = 0) -> str:
        """0.75 -> '75 %' (fr) / '75%' (en)."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0%" if self.lang == "fr" else None
        if pattern is None:
            pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        return format_percent(ratio, format=pattern, locale=self.locale)

    def number(self, value: float, digits: int = 0) -> str:
        fmt = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=fmt, locale=self.locale)

    def date(self, day: dt.date, style: str = "long") -> str:
        """'23 novembre 2026' / '23 November 2026'."""
        return format_date(day, format=style, locale=self.locale)

    def join(self, items: list[str]) -> str:
        """'a, b et c' / 'a, b and c'."""
        return format_list(list(items), locale=self.locale) if items else ""
