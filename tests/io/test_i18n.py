import datetime as dt

from relkit.io.labels import Labels, catalogue

NNBSP, NBSP = "\u202f", "\u00a0"


def test_french_formats():
    fr = Labels("fr")
    assert fr.money(1300) == f"1{NNBSP}300{NBSP}€"
    assert fr.money(1250.5) == f"1{NNBSP}250,50{NBSP}€"
    assert fr.percent(0.75) == f"75{NBSP}%"
    assert fr.percent(0.7333) == f"73{NBSP}%"
    assert fr.date(dt.date(2026, 11, 23)) == "23 novembre 2026"
    assert fr.join(["a", "b", "c"]) == "a, b et c"


def test_english_formats():
    en = Labels("en")
    assert en.money(1300) == "€1,300"
    assert en.percent(0.75) == "75%"
    assert en.date(dt.date(2026, 11, 23)) == "23 November 2026"


def test_every_label_has_both_languages_and_same_placeholders():
    import string

    for key, texts in catalogue().items():
        assert set(texts) == {"fr", "en"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f} for lang in ("fr", "en")]
        assert fields[0] == fields[1], key


# ------------------------------------------------------------ French typography
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relkit.io.labels import elide, vowel_sound


def test_elision_before_a_vowel_sound():
    fr = Labels("fr")
    assert fr.of("Arnaud & Zoé") == "d'Arnaud & Zoé"
    assert fr.of("Dubois") == "de Dubois"
    assert fr.of("Écrins Sport") == "d'Écrins Sport"
    assert fr.of("Yves Rocher") == "d'Yves Rocher"
    assert fr.of("Hermès") == "de Hermès"  # h: kept whole (aspirated h is never wrong-elided)
    assert Labels("en").of("Arnaud & Zoé") == "of Arnaud & Zoé"
    assert elide("De", "Arnaud") == "D'Arnaud"
    assert elide("la", "entreprise") == "l'entreprise"
    assert elide("que", "il") == "qu'il"
    assert elide("pour", "Arnaud") == "pour Arnaud"


def test_labels_elide_where_a_value_follows_de_le_la_que():
    fr = Labels("fr")
    intro = fr("synthesis.intro", brand="Arnaud & Zoé", year=2027)
    assert intro.startswith("Ce rapport présente le plan marketing relationnel d'Arnaud & Zoé pour 2027")
    assert fr("synthesis.intro", brand="Dubois", year=2027).startswith(
        "Ce rapport présente le plan marketing relationnel de Dubois pour 2027")
    # only whole words elide ("plafond de 4" keeps its figure; "garde" is no "de")
    assert fr("plan.pressure.under_cap", channel="E-mail", max="2 e-mails", cap="4") == \
        "E-mail\u00a0: au plus 2 e-mails par personne et par mois, dans le plafond de 4."
    # English never elides
    assert Labels("en")("synthesis.intro", brand="Arnaud & Zoé", year=2027).startswith(
        "This report sets out Arnaud & Zoé's")


@given(st.sampled_from(list("aeiouAEIOUéÉèêàâîôûœ")), st.text(alphabet="bcdfgmnrstz ", max_size=12))
def test_every_vowel_initial_name_elides_de(vowel, rest):
    name = vowel + rest
    assert Labels("fr").of(name) == "d'" + name
    assert Labels("en").of(name) == "of " + name


@given(st.sampled_from(list("bcdfgjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ0123456789«\"'")), st.text(max_size=12))
def test_a_consonant_digit_or_quote_keeps_de(first, rest):
    assert Labels("fr").of(first + rest) == "de " + first + rest


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["long", "medium", "full", "d MMMM"]))
def test_french_first_of_the_month_is_an_ordinal(day, style):
    fr = Labels("fr")
    text = fr.date(day, style)
    if day.day == 1:
        assert "1er " in text and f" {day.year}" in text or style == "d MMMM"
        assert text.count("1er") == 1
    else:
        assert "1er" not in text and str(day.day) in text
    assert str(day.year) in text or style == "d MMMM"
    assert "1er" not in Labels("en").date(day, style)


def test_first_of_the_month_examples():
    fr = Labels("fr")
    assert fr.date(dt.date(2026, 11, 1)) == "1er novembre 2026"
    assert fr.date(dt.date(2026, 11, 1), "d MMMM") == "1er novembre"
    assert fr.date(dt.date(2026, 11, 1), "short") == "01/11/2026"
    assert fr.date(dt.date(2021, 11, 11)) == "11 novembre 2021"
    assert fr.date(dt.date(2021, 1, 21)) == "21 janvier 2021"
    assert Labels("en").date(dt.date(2026, 11, 1)) == "1 November 2026"


@pytest.mark.parametrize("lang, value, category", [
    ("fr", 0, "one"), ("fr", 1, "one"), ("fr", 1.5, "one"), ("fr", 2, "other"), ("fr", "1\u202f076", "other"),
    ("fr", "1", "one"), ("fr", "1,5", "one"), ("fr", "—", "other"), ("en", 0, "other"), ("en", 1, "one"),
    ("en", "1,300", "other"), ("en", "€1", "one"), ("en", "1.0", "one")])
def test_plural_category(lang, value, category):
    assert Labels(lang).plural(value) == category


def test_plural_forms_in_a_label():
    from relkit.io import labels as labels_module

    labels_module.catalogue()  # loaded
    fmt = labels_module._Formatter(Labels("fr"))
    text = "{n:plural:# point RGPD à régler|# points RGPD à régler}"
    assert fmt.format(text, n=1) == "1 point RGPD à régler"
    assert fmt.format(text, n=5) == "5 points RGPD à régler"
    assert fmt.format(text, n=2041) == f"2{NNBSP}041 points RGPD à régler"
    assert fmt.format("{n:plural:est|sont}", n="1") == "est"
    assert fmt.format("{n:plural:# fois|# fois}", n=1.5) == "1,5 fois"
    en = labels_module._Formatter(Labels("en"))
    assert en.format("{n:plural:# is|# are} on track", n=0) == "0 are on track"
    assert en.format("{n:plural:# is|# are} on track", n=1) == "1 is on track"


def test_rate_and_percent_formats():
    fr = Labels("fr")
    assert fr.rate(0.125) == f"12,5{NBSP}%"
    assert fr.rate(0.3) == f"30{NBSP}%"
    assert fr.rate(0.014) == f"1,4{NBSP}%"
    assert fr.percent(0.788) == f"79{NBSP}%"
    assert Labels("en").rate(0.005) == "0.5%"


# ------------------------------------------------------------ no internal jargon
# Words that never belong in client-facing text (the report, the Excel plan, the
# register): tool and library names, preset ids, encodings, map scales.
JARGON = ("relkit", "cahier", "utf-8", "utf8", "cp1252", "latin-1", "iso-8859", "pymc", "lifetimes", "papermill",
          "notebook", "jupyter", "1:1", "1:25", "— smart", "emails_invalid", "stale_records", "duplicate_records")
CONSULTANT_ONLY = ("workshop.", "batch.", "checks.")  # the workshop app, the batch index, the draft's checks page


def jargon_in(text: str) -> list[str]:
    from relkit.customers.io.presets import presets

    low = text.lower()
    return [word for word in (*JARGON, *presets()) if word in low]


def test_no_internal_jargon_in_client_labels():
    found = {(key, lang): jargon_in(text) for key, texts in catalogue().items() if not key.startswith(CONSULTANT_ONLY)
             for lang, text in texts.items() if jargon_in(text)}
    assert found == {}


def test_the_jargon_check_finds_jargon():
    assert jargon_in("Tout ce que relkit a détecté (shopify_customers, UTF-8)") == ["relkit", "utf-8", "shopify_customers"]
    assert jargon_in("Vue d'ensemble par étape") == []


def test_one_format_per_kind_of_figure():
    from relkit.views.number_text import percent_text
    from relkit.workbooks.plan_budget import ltv_cac_text

    fr = Labels("fr")
    assert percent_text(0.3000001, fr) == f"30{NBSP}%" and percent_text(0.125, fr) == f"12,5{NBSP}%"
    assert fr.rate(0.3000001) == f"30{NBSP}%"
    # the customer value reads as in the value table: whole euros
    assert ltv_cac_text(117.11, 40, fr).startswith(f"Un client rapporte 117{NBSP}€ et coûte 40{NBSP}€")
