"""Property tests of the value parsers (relkit.io.parsing): what relkit itself
prints (Babel, French and English) and what a consultant types reads back to
the same value, and anything else fails with a ValueError that says what was
expected — never another exception."""
import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from relkit.io.labels import Labels
from relkit.io.parsing import parse_amount, parse_date, parse_number, parse_percent

CENTS = st.integers(min_value=-10**11, max_value=10**11)
SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(CENTS, st.sampled_from(["fr", "en"]), st.sampled_from(["EUR", "USD", "GBP"]))
def test_printed_money_reads_back(cents, lang, currency):
    amount = float(Decimal(cents) / 100)
    shown = Labels(lang, currency).money(amount)
    assert parse_amount(shown) == amount


@SETTINGS
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99),
       st.sampled_from([" ", "\u00a0", "\u202f", ""]), st.sampled_from(["", " €", "€", " EUR", " € HT", " € TTC"]))
def test_typed_french_amounts(units, cents, space, suffix):
    grouped = f"{units:,}".replace(",", space)
    assert parse_amount(f"{grouped},{cents:02d}{suffix}") == float(Decimal(f"{units}.{cents:02d}"))


@SETTINGS
@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=1), st.sampled_from(["fr", "en"]))
def test_printed_percentages_read_back(tenths, digits, lang):
    # Up to 500 %: "1,000%" is a thousand in English and one in French, and rates are <= 100 %.
    ratio = tenths / 1000 if digits else round(tenths / 1000, 2)
    shown = Labels(lang).percent(ratio, digits)
    if ratio == 0:
        assert parse_percent(shown) == 0
    else:
        assert abs(parse_percent(shown) - ratio) < 1e-12


@SETTINGS
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S"]))
def test_dates_as_typed(day, fmt):
    stamp = dt.datetime.combine(day, dt.time(14, 5))
    assert parse_date(stamp.strftime(fmt)) == day


@SETTINGS
@given(st.one_of(st.text(max_size=12), st.none(), st.booleans(), st.floats(allow_nan=True), st.lists(st.integers())))
def test_anything_else_is_a_value_error_or_a_number(value):
    for parse in (parse_number, parse_amount, parse_percent, parse_date):
        try:
            parse(value)
        except ValueError as exc:
            assert str(exc).startswith("expected")
