"""Phone numbers in E.164, on whole columns: the common French forms and the
numbers of countries with plain dialling rules settled by vectorised rules
built from phonenumbers' metadata; phonenumbers' parser only for the others.
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import phonenumbers

from relkit.customers.cells import as_text, filled_mask, map_unique

# Forms of a French number settled without phonenumbers (on digits, "+" kept):
# 0612345678, 612345678 (Excel ate the 0), +33612345678, 0033612345678,
# 33612345678, and the "+33 (0)6..." variants with the trunk 0 kept.
_FR_FAST_PHONE = r"(?:\+33|0033|33)?0?[1-9][0-9]{8}"
_FR_NSN_LENGTH = 9
_NUMBER_TYPES = (  # phonenumbers.PhoneMetadata descriptions a valid number matches one of
    "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
    "fixed_line", "mobile",
)


def normalise_phones(phones: pd.Series, region: str | pd.Series = "FR") -> pd.Series:
    """E.164 ('+33612345678'), or missing when empty, unparseable or not a valid number.

    ``region`` (ISO code, or one per row) reads numbers written without their
    country code. Common French forms are converted and validated with
    vectorised rules built from phonenumbers' own metadata; the valid numbers
    of countries with plain dialling rules (``_plain_e164``) are checked by
    phonenumbers without its parser; the parser reads the other distinct
    (number, region) pairs.
    """
    key = _phone_key(phones)
    regions = pd.Series(region.to_numpy() if isinstance(region, pd.Series) else region, index=phones.index)
    nsn = key.str[-_FR_NSN_LENGTH:]
    fast = regions.eq("FR").to_numpy(bool) & key.str.fullmatch(_FR_FAST_PHONE).fillna(False).to_numpy(bool)
    fast_ok = fast & nsn.str.fullmatch(_fr_valid_pattern()).fillna(False).to_numpy(bool)
    out = pd.Series(np.where(fast_ok, "+33" + nsn.fillna(""), None), index=phones.index, dtype="str")
    slow = ~fast & filled_mask(key).to_numpy(bool)
    if slow.any():
        pairs = key[slow] + "|" + regions[slow]
        out[slow] = map_unique(pairs, lambda p: _plain_e164(*p.split("|")) or _e164(*p.split("|"))).astype("str")
    return out


def _phone_key(phones: pd.Series) -> pd.Series:
    """Digits only, with a leading '+' kept: '+33 (0)6 12 34 56 78' -> '+330612345678'."""
    text = as_text(phones).str.strip()
    digits = text.str.replace("[^0-9]+", "", regex=True)
    return ("+" + digits).where(text.str.startswith("+").fillna(False), digits)


@functools.cache
def _plain_regions() -> dict[str, int]:
    """{region: country code} of the regions phonenumbers reads with plain rules:
    trunk prefix "0" and nothing else stripped, "00" to call abroad, a country
    code of their own (Belgium, Switzerland, Germany, the Netherlands...)."""
    plain = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        m = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if (m.national_prefix == "0" and m.national_prefix_for_parsing in (None, "0")
                and not m.national_prefix_transform_rule and m.international_prefix == "00" and not m.leading_digits
                and len(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(m.country_code, ())) == 1):
            plain[region] = m.country_code
    return plain


@functools.cache
def _plain_codes() -> frozenset[str]:
    return frozenset(str(code) for code in _plain_regions().values())


def _plain_e164(key: str, region: str) -> str | None:
    """E.164 of a valid number of a plain region written +CC..., 00CC... (dialled
    from a plain region) or 0... (in its own region): the country code and
    the digits after it, the number's validity asked to phonenumbers (10 µs
    where parsing and validating take 40 µs; the 1 M-customer benchmark holds
    44 000 Belgian and Swiss numbers).
    None when these forms do not settle it: the parser decides."""
    plain = _plain_regions()
    if key.startswith("+"):
        international = key[1:]
    elif key.startswith("00") and region in plain:
        international = key[2:]
    elif key.startswith("0") and region in plain:
        return _valid_e164(plain[region], key[1:])
    else:
        return None
    for size in (1, 2, 3):  # country codes are prefix-free: one size at most is a code
        if international[:size] in _plain_codes():
            return _valid_e164(int(international[:size]), international[size:])
    return None


def _valid_e164(country_code: int, national: str) -> str | None:
    """'+CC' and the national number when phonenumbers calls it valid; None for a
    national number with a leading 0 (a trunk prefix kept) or too long: the parser decides."""
    if not national.isdigit() or national[0] == "0" or len(national) > 17:
        return None
    number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national))
    return f"+{country_code}{national}" if phonenumbers.is_valid_number(number) else None


@functools.lru_cache(maxsize=1 << 17)  # the audit and the dedup read the same phones: parsed once
def _e164(key: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(key, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@functools.cache
def _fr_valid_pattern() -> str:
    """A regex equivalent to ``phonenumbers.is_valid_number`` for 9-digit French
    national numbers: the union of the number-type patterns of its metadata
    (the general pattern, [1-9] + 8 digits, is already ensured by the fast path)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("FR")
    descs = [getattr(metadata, name) for name in _NUMBER_TYPES]
    patterns = [
        d.national_number_pattern for d in descs
        if d is not None and d.national_number_pattern
        and (not d.possible_length or _FR_NSN_LENGTH in d.possible_length)
    ]
    return "|".join(f"(?:{p})" for p in patterns)
