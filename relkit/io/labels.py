"""Labels and number/date formats in the engagement's language (Babel)."""
from __future__ import annotations

import datetime as dt
import functools
import re
import string
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent

from relkit.io.resources import PACKAGE_DIR, load_yaml

LANGUAGES = ("fr", "en")
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


LOCALES_DIR = PACKAGE_DIR / "locales"

# French elision: these words lose their vowel before a word starting with a
# vowel sound ("de Arnaud" -> "d'Arnaud", "le objectif" -> "l'objectif").
_ELIDING = {"de": "d'", "le": "l'", "la": "l'", "que": "qu'", "ne": "n'", "se": "s'", "je": "j'", "me": "m'",
            "te": "t'", "jusque": "jusqu'", "lorsque": "lorsqu'", "puisque": "puisqu'", "quoique": "quoiqu'"}
_VOWELS = "aeiouàâäéèêëîïôöùûüœæ"
_ELIDABLE_END = re.compile(r"(?:^|(?<=[\s(\[«\u00a0\u202f]))(" + "|".join(_ELIDING) + r") $", re.IGNORECASE)


def vowel_sound(text: str) -> bool:
    """Does ``text`` start with a vowel sound in French? A vowel (accents
    included), or a "y" before a consonant ("Yves", not "yaourt"). "h" counts
    as aspirated (no elision): "de Hermès" is acceptable where "d'haricots"
    is wrong, so the safe choice is to keep the full word."""
    if not text:
        return False
    first = text[0].lower()
    if first in _VOWELS:
        return True
    if first == "y" and len(text) > 1:
        return text[1].lower() not in _VOWELS
    return False


def elide(word: str, following: str) -> str:
    """'de' + 'Arnaud & Zoé' -> "d'Arnaud & Zoé"; 'de' + 'Dubois' -> 'de Dubois'.
    The case of the first letter of ``word`` is kept ("De" -> "D'")."""
    short = _ELIDING.get(word.lower())
    if short is None or not vowel_sound(following):
        return f"{word} {following}"
    if word[:1].isupper():
        short = short[0].upper() + short[1:]
    return short + following


@functools.cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def _count(value) -> float | None:
    """The number a value stands for, to choose a plural form: 3, 2.5, '1 076',
    '1,5' (French decimal comma), '€1,300' (English thousands); None when the
    value is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
    if re.fullmatch(r"[^\d+-]*[-+]?\d{1,3}(,\d{3})+(\.\d+)?\D*", text):
        text = text.replace(",", "")
    match = re.match(r"[^\d+-]*([-+]?\d+(?:[.,]\d+)?)", text)
    return float(match.group(1).replace(",", ".")) if match else None


class _Formatter(string.Formatter):
    """``str.format`` with two additions for well-formed sentences:

    * ``{n:plural:# point|# points}`` chooses the singular or plural form from
      the value (CLDR rules of the language: 0 and 1 are singular in French,
      only 1 in English); ``#`` stands for the value as given.
    * in French, "de {brand}" with a brand starting with a vowel reads
      "d'Arnaud & Zoé" (also le/la/que/ne… before a vowel).
    """

    def __init__(self, labels: "Labels"):
        self.labels = labels

    def format_field(self, value, format_spec: str):
        if format_spec.startswith("plural:"):
            forms = format_spec[len("plural:"):].split("|")
            form = forms[0] if self.labels.plural(value) == "one" else forms[-1]
            shown = value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                shown = self.labels.number(value, 0 if float(value).is_integer() else 1)
            return form.replace("#", str(shown))
        return super().format_field(value, format_spec)

    def vformat(self, format_string, args, kwargs):
        out = ""
        for literal, field, spec, conversion in self.parse(format_string):
            out += literal
            if field is None:
                continue
            value, _ = self.get_field(field, args, kwargs)
            text = self.format_field(self.convert_field(value, conversion), spec or "")
            if self.labels.lang == "fr":
                match = _ELIDABLE_END.search(out)
                if match and vowel_sound(text):
                    out = out[:match.start(1)] + elide(match.group(1), text)
                    continue
            out += text
        return out


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
        return _Formatter(self).vformat(text, (), values) if values else text

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
        """'23 novembre 2026' / '23 November 2026'; the first day of a month
        is an ordinal in French: '1er novembre 2026'. ``style`` is a Babel
        style (short, medium, long, full) or a pattern ('d MMMM')."""
        text = format_date(day, format=style, locale=self.locale)
        if self.lang == "fr" and day.day == 1:
            text = re.sub(r"(?<![\d/.])1(?=[ \u00a0])", "1er", text, count=1)
        return text

    def plural(self, value) -> str:
        """'one' or 'other': the plural category of a count in this language
        (French: 0 and 1 are singular; English: only 1). A value that is not a
        number is plural."""
        n = _count(value)
        if n is None:
            return "other"
        return "one" if _locale(self.locale).plural_form(abs(n)) == "one" else "other"

    def of(self, name: str) -> str:
        """"d'Arnaud & Zoé", 'de Dubois' / 'of Dubois'."""
        return elide("de", name) if self.lang == "fr" else f"of {name}"

    def rate(self, ratio: float) -> str:
        """A rate as typed or measured ('30 %', '12,5 %', '1,4 %'): one decimal
        only when the rate needs it. Shares of a whole, results (ROI,
        attainment) and growth use ``percent`` (whole points), so one kind of
        figure always has one format."""
        points = round(float(ratio) * 100, 6)
        return self.percent(ratio, digits=0 if round(points, 1).is_integer() else 1)

    def join(self, items: list[str]) -> str:
        """'a, b et c' / 'a, b and c'."""
        return format_list(list(items), locale=self.locale) if items else ""
