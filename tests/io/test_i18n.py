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
