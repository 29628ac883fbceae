"""Phones settled without phonenumbers' parser give what the parser gives."""
import phonenumbers
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relkit.customers import phones

# Plain regions (France's neighbours, overseas France, others) and regions with other rules.
REGIONS = ["FR", "BE", "CH", "DE", "NL", "MC", "AT", "IE", "SE", "GF", "MQ", "TR", "IN", "ZA",
           "US", "GB", "IT", "ES", "LU", "RE", "MA", "PT", "CA"]
TYPES = [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
         phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.PREMIUM_RATE]


def _examples() -> list[tuple[int, str]]:
    """(country code, national number) of phonenumbers' example numbers: valid numbers to start from."""
    out = []
    for region in REGIONS:
        for kind in TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                out.append((number.country_code, phonenumbers.national_significant_number(number)))
    return out


EXAMPLES = _examples()


@st.composite
def written_numbers(draw) -> str:
    """A number as customers write it (digits, '+' kept): an example number with some digits
    changed, in one of the forms a file holds, or plain random digits."""
    code, national = draw(st.sampled_from(EXAMPLES))
    digits = list(national)
    for _ in range(draw(st.integers(0, 3))):
        digits[draw(st.integers(0, len(digits) - 1))] = str(draw(st.integers(0, 9)))
    national = "".join(digits)[: draw(st.integers(max(1, len(digits) - 2), len(digits) + 2))]
    national += "".join(str(d) for d in draw(st.lists(st.integers(0, 9), max_size=2)))
    form = draw(st.sampled_from(["+{c}{n}", "00{c}{n}", "0{n}", "{c}{n}", "+{c}0{n}", "{n}", "000{n}", "+0{n}"]))
    written = form.format(c=code, n=national)
    return draw(st.one_of(st.just(written), st.text("0123456789+", min_size=1, max_size=16)))


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_numbers(), st.sampled_from(REGIONS))
def test_plain_rules_agree_with_the_parser(key, region):
    settled = phones._plain_e164(key, region)
    if settled is not None:
        assert settled == phones._e164(key, region)


@pytest.mark.parametrize("key, region, expected", [
    ("+32470123456", "FR", "+32470123456"),  # a Belgian mobile in a French file
    ("0470123456", "BE", "+32470123456"),
    ("0032470123456", "FR", "+32470123456"),
    ("0041791234567", "CH", "+41791234567"),
    ("0791234567", "CH", "+41791234567"),
    ("+491701234567", "FR", "+491701234567"),
    ("+320470123456", "BE", None),  # trunk 0 kept after the code: the parser decides
    ("0470123456", "US", None),  # not a plain region: the parser decides
    ("011324701234567", "US", None),
    ("+1 2015550123".replace(" ", ""), "FR", None),  # +1 is shared by 25 regions
])
def test_plain_forms(key, region, expected):
    assert phones._plain_e164(key, region) == expected


def test_plain_regions_are_the_ones_with_plain_rules():
    plain = phones._plain_regions()
    assert {"FR": 33, "BE": 32, "CH": 41, "DE": 49, "NL": 31, "GF": 594}.items() <= plain.items()
    assert not {"US", "GB", "IT", "ES", "LU", "RE", "MA"} & set(plain)  # shared codes, other trunk rules


def test_normalise_phones_gives_the_parsers_answer_for_foreign_numbers():
    raw = pd.Series(["+32 470 12 34 56", "0470 12 34 56", "079 123 45 67", "+41 79 123 45 67", "+32 (0)470 12 34 56",
                     "0470 12 34 5", None])
    regions = pd.Series(["FR", "BE", "CH", "FR", "BE", "BE", "BE"])
    assert phones.normalise_phones(raw, regions).tolist()[:5] == [
        "+32470123456", "+32470123456", "+41791234567", "+41791234567", "+32470123456"]
    assert phones.normalise_phones(raw, regions).isna().tolist()[5:] == [True, True]
