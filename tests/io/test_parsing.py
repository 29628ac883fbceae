import datetime as dt

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relkit.io.parsing import fold, parse_amount, parse_bool, parse_date, parse_int, parse_percent


@pytest.mark.parametrize("text, expected", [
    ("1 250 €", 1250.0),
    ("1 250,50", 1250.5),
    ("1\u202f250,50\u00a0€", 1250.5),
    ("1.250,50 €", 1250.5),
    ("€1,250.50", 1250.5),
    ("200 000 €", 200000.0),
    ("-500 €", -500.0),
    ("0 €", 0.0),
    (1250, 1250.0),
    (12.5, 12.5),
    ("850€", 850.0),
    ("12 400 EUR", 12400.0),
    ("€1,000", 1000.0),  # English money: sign first, comma between thousands
    ("$12,500", 12500.0),
    ("1,50 €", 1.5),  # French: the comma is the decimal mark
])
def test_amounts_as_typed(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("bad", ["mille euros", "12,5,3", "", None, "1 250 € HT en plus"])
def test_bad_amount_says_what_was_expected(bad):
    with pytest.raises(ValueError) as err:
        parse_amount(bad)
    assert str(err.value) == f"expected a number such as '1 250 €' or '1 250,50', got {bad!r}"


@pytest.mark.parametrize("text, expected", [
    ("30 %", 0.30), ("30%", 0.30), ("3,5 %", 0.035), ("0,3", 0.3), (0.25, 0.25), (30, 0.30), ("100 %", 1.0),
])
def test_percentages(text, expected):
    assert parse_percent(text) == pytest.approx(expected, abs=1e-12)


def test_bad_percent():
    with pytest.raises(ValueError, match=r"^expected a percentage such as '30 %', '30%' or '0,3', got 'beaucoup'$"):
        parse_percent("beaucoup")


@pytest.mark.parametrize("text, expected", [
    ("31/12/2027", dt.date(2027, 12, 31)),
    ("1/3/2027", dt.date(2027, 3, 1)),
    ("31-12-2027", dt.date(2027, 12, 31)),
    ("31.12.2027", dt.date(2027, 12, 31)),
    ("2027-12-31", dt.date(2027, 12, 31)),
    ("2027-12-31T10:00:00", dt.date(2027, 12, 31)),
    (dt.datetime(2027, 12, 31, 8, 0), dt.date(2027, 12, 31)),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("bad", ["31/02/2027", "12/31/2027", "demain", "2027"])
def test_bad_dates(bad):
    with pytest.raises(ValueError) as err:
        parse_date(bad)
    assert str(err.value) == f"expected a date as dd/mm/yyyy, e.g. '31/12/2027', got {bad!r}"


def test_ints_and_bools():
    assert parse_int("3") == 3 and parse_int(3.0) == 3 and parse_int("1 000") == 1000
    with pytest.raises(ValueError, match="whole number"):
        parse_int("2,5")
    assert parse_bool("Oui") is True and parse_bool("non") is False and parse_bool("yes") is True
    with pytest.raises(ValueError, match="expected 'oui' or 'non'"):
        parse_bool("peut-être")


def test_fold():
    assert fold("  Opportunités ") == "opportunites"
    assert fold("ÉCHÉANCE") == "echeance"


@given(st.text(max_size=40) | st.from_regex(r"[A-Za-z0-9 ,.'-]{0,30}", fullmatch=True))
def test_fold_takes_no_shortcut_that_changes_a_key(text):
    """ASCII skips the decomposition: every text still folds as decomposed and stripped of its marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    expected = " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
    assert fold(text) == expected


def test_money_as_relkit_prints_it_in_any_currency_reads_back():
    # Babel's French symbols for dollars and pounds, and English amounts with the sign before the symbol.
    assert parse_amount("1\u202f000\u00a0$US") == 1000 and parse_amount("-1\u202f250,50\u00a0£GB") == -1250.5
    assert parse_amount("US$1,000") == 1000 and parse_amount("-€1,250.50") == -1250.5
