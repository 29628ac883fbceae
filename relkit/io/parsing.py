"""Read values the way a French consultant types them.

Every parser accepts the native Python/Excel value too (a float from an
Excel cell, a ``datetime`` from a date cell) and raises ``ValueError`` with
a message that says what was expected, so validation can report it as is.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Spaces people (and Excel, and Babel) put between thousands.
_SPACES = "\u00a0\u202f\u2009 '"
# Babel's French symbols ('$US', '£GB') first, so their letters go with them.
_CURRENCY = re.compile(r"(€|eur(os?)?|\$\s?us|us\s?\$|\$|usd|£\s?gb|£|gbp|chf|ht|ttc)", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")

AMOUNT_EXAMPLE = "a number such as '1 250 €' or '1 250,50'"
PERCENT_EXAMPLE = "a percentage such as '30 %', '30%' or '0,3'"
DATE_EXAMPLE = "a date as dd/mm/yyyy, e.g. '31/12/2027'"


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value
    )


def is_blank(value) -> bool:
    """True for None, NaN and whitespace-only strings (empty Excel cells)."""
    return _is_blank(value)


def _to_decimal(text: str) -> Decimal:
    s = text.strip()
    for ch in _SPACES:
        s = s.replace(ch, "")
    # "1.250,50" (thousands dot + decimal comma) and "1,250.50" (English).
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(".") > 1:
        s = s.replace(".", "")
    if not _NUMBER.match(s):
        raise InvalidOperation(text)
    return Decimal(s)


def parse_number(value) -> float:
    """'1 250,50' -> 1250.5; also plain ints/floats."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, (int, float)) and not _is_blank(value):
        return float(value)
    if not isinstance(value, str) or _is_blank(value):
        raise ValueError(f"expected a number, got {value!r}")
    try:
        return float(_to_decimal(value))
    except InvalidOperation:
        raise ValueError(f"expected a number, got {value!r}") from None


def parse_measure(value) -> float:
    """A KPI value as typed: '35 %' -> 0.35, '30 €' -> 30, '1 200' -> 1200."""
    if isinstance(value, str) and "%" in value:
        return parse_percent(value)
    if isinstance(value, str) and any(sym in value for sym in "€$£"):
        return parse_amount(value)
    try:
        return parse_number(value)
    except ValueError:
        raise ValueError(f"expected a number such as '1 200', '35 %' or '30 €', got {value!r}") from None


def parse_amount(value) -> float:
    """'1 250 €', '1 250,50', '€1,250.50', 1250 -> float (currency sign ignored)."""
    if isinstance(value, str):
        text = _CURRENCY.sub("", value)
        # English money puts the sign first and commas between thousands: "€1,000", "$12,500.50"
        if (re.match(r"\s*[+-]?\s*(?:US\s?)?[€$£]", value, re.IGNORECASE)
                and re.fullmatch(r"\s*[+-]?\s*\d{1,3}(,\d{3})+(\.\d+)?\s*", text)):
            text = text.replace(",", "")
        try:
            return parse_number(text)
        except ValueError:
            raise ValueError(f"expected {AMOUNT_EXAMPLE}, got {value!r}") from None
    try:
        return parse_number(value)
    except ValueError:
        raise ValueError(f"expected {AMOUNT_EXAMPLE}, got {value!r}") from None


def parse_percent(value) -> float:
    """'30 %', '30%', '30,5 %' -> 0.30 / 0.305; a bare number <= 1 is a ratio,
    a bare number > 1 is read as percent points (Excel users type both)."""
    if isinstance(value, str) and "%" in value:
        text = value.replace("%", "")
        try:
            return parse_number(text) / 100
        except ValueError:
            raise ValueError(f"expected {PERCENT_EXAMPLE}, got {value!r}") from None
    try:
        number = parse_number(value)
    except ValueError:
        raise ValueError(f"expected {PERCENT_EXAMPLE}, got {value!r}") from None
    return number if abs(number) <= 1 else number / 100


_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "ymd"),
)


def parse_date(value) -> dt.date:
    """'31/12/2027', '31-12-2027', '2027-12-31', or an Excel date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip().split(" ")[0].split("T")[0]
        for pattern, order in _DATE_PATTERNS:
            m = pattern.match(text)
            if m:
                a, b, c = (int(g) for g in m.groups())
                d, mth, y = (a, b, c) if order == "dmy" else (c, b, a)
                try:
                    return dt.date(y, mth, d)
                except ValueError:
                    break
    raise ValueError(f"expected {DATE_EXAMPLE}, got {value!r}")


def parse_int(value) -> int:
    """An integer, accepting '3', 3.0 and '1 000'."""
    number = parse_number(value)
    if number != int(number):
        raise ValueError(f"expected a whole number, got {value!r}")
    return int(number)


_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_FALSE = {"non", "n", "no", "faux", "false", "0"}


def parse_bool(value) -> bool:
    """oui/non, yes/no, vrai/faux, 1/0."""
    if isinstance(value, bool):
        return value
    key = fold(str(value)) if not _is_blank(value) else ""
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"expected 'oui' or 'non', got {value!r}")


def fold(text: str) -> str:
    """Case-, accent- and space-insensitive key: 'Opportunités ' -> 'opportunites'."""
    text = str(text)
    if not text.isascii():  # ASCII has nothing to decompose (the dedup folds every name and address of a file)
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


_DURATION_UNITS = {
    "an": 12, "ans": 12, "annee": 12, "annees": 12, "year": 12, "years": 12, "yr": 12, "yrs": 12,
    "mois": 1, "month": 1, "months": 1, "semaine": 12 / 52, "semaines": 12 / 52, "week": 12 / 52, "weeks": 12 / 52,
    "jour": 12 / 365, "jours": 12 / 365, "day": 12 / 365, "days": 12 / 365,
}
_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-z]+)")
DURATION_EXAMPLE = "a duration such as '3 ans', '36 mois' or '2 years'"


def parse_duration(value) -> float:
    """'3 ans' -> 36, '36 mois' -> 36, '1 an et 6 mois' -> 18, '2 years' -> 24 (months)."""
    text = fold(str(value)) if not _is_blank(value) else ""
    parts = _DURATION_PART.findall(text)
    rest = _DURATION_PART.sub(" ", text).replace(" et ", " ").replace(" and ", " ").strip(" ,")
    if not parts or rest or any(unit not in _DURATION_UNITS for _, unit in parts):
        raise ValueError(f"expected {DURATION_EXAMPLE}, got {value!r}")
    return round(sum(float(n.replace(",", ".")) * _DURATION_UNITS[unit] for n, unit in parts), 2)


# Month names and abbreviations as people type them (folded: no accents), French and English.
MONTH_WORDS = {
    1: ("janvier", "janv", "jan", "january"),
    2: ("fevrier", "fevr", "fev", "feb", "february"),
    3: ("mars", "mar", "march"),
    4: ("avril", "avr", "apr", "april"),
    5: ("mai", "may"),
    6: ("juin", "jun", "june"),
    7: ("juillet", "juil", "jul", "july"),
    8: ("aout", "aug", "august"),
    9: ("septembre", "sept", "sep", "september"),
    10: ("octobre", "oct", "october"),
    11: ("novembre", "nov", "november"),
    12: ("decembre", "dec", "december"),
}
MONTHS = {word: number for number, words in MONTH_WORDS.items() for word in words}


# ---------------------------------------------------------------- rates (engagement.yaml)
RATE_EXAMPLE = "a rate such as '75 %' or 0.75"


def rate_form(value) -> str | None:
    """How a rate is written: 'percent' (with a % sign), 'zero', 'fraction' (a bare
    number between 0 and 1), 'one' (a bare 1: 100 % or 1 %?), 'points' (a bare number
    from 1 to 100, read as percent points), 'too_large' (a bare number above 100),
    'negative'; None when it is not a number at all."""
    if isinstance(value, str) and "%" in value:
        return "percent"
    try:
        number = parse_number(value)
    except ValueError:
        return None
    if number < 0:
        return "negative"
    if number == 0:
        return "zero"
    if number < 1:
        return "fraction"
    if number == 1:
        return "one"
    return "points" if number <= 100 else "too_large"


def parse_rate(value) -> float:
    """A rate as a fraction, stricter than ``parse_percent``: '75 %', '75%', 0.75
    and 75 (percent points) -> 0.75; a bare 1 is refused (100 % or 1 %?), and so
    is a bare number above 100, which cannot be a rate."""
    form = rate_form(value)
    if form == "one":
        raise ValueError(f"got {value!r}, which could mean 100 % or 1 %; write '100 %' or '1 %'")
    if form == "too_large":
        number = parse_number(value)
        shown = f"{number:g}" if number < 1e15 else str(number)
        raise ValueError(f"got {value!r}, which is not a rate ({shown} %); expected a rate from 0 % to 100 %, "
                         "e.g. '75 %' or 0.75")
    return parse_percent(value)


def percent_text(rate: float) -> str:
    """0.75 -> '75 %', 0.025 -> '2,5 %': a rate as a French consultant writes it."""
    return f"{round(rate * 100, 6):g}".replace(".", ",") + " %"
