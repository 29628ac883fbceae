"""Workbook 05 — programmes, target rules, target sizes and marketing pressure
(relkit.topics.plan), against a hand-built file whose every count is worked out in
the comments, and against the demo's real exports."""
import math
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from relkit.customers.rfm import SEGMENTS
from relkit.io.labels import Labels, catalogue
from relkit.topics.plan.catalogue import CATALOGUE, KINDS, TOTAL, channel_name, programme_code
from relkit.topics.plan.pressure import simulate_pressure
from relkit.topics.plan.programmes import Programme, ProgrammeError, catalogue_programmes, programmes_from_sheet
from relkit.topics.plan.rules import parse_rule
from relkit.topics.plan.targets import TARGET_COLUMNS, customer_base, evaluate, field_name, reach_mask, target_sizes
from relkit.views.charts.plan import pressure_chart, targets_chart
from relkit.workbooks.plan_programmes import describe_rule, described_sizes, pressure_text, targets_text

AS_OF = pd.Timestamp("2026-11-01").date()
NBSP = "\u00a0"


# ---------------------------------------------------------------- hand-built file
def hand_customers() -> pd.DataFrame:
    """c2 appears twice (the second row brings the phone and the SMS opt-in);
    one row has no id; c7's e-mail is blank; c6, c7 never bought."""
    rows = [
        # id,  email,     phone,        opt_in_email, opt_in_sms, birth_date,   address
        ("c1", "a@x.fr", "0601020304", True, True, "1990-12-05", "1 rue A"),
        ("c2", "b@x.fr", None, False, None, "1985-11-20", None),
        ("c3", "c@x.fr", None, None, None, None, None),
        ("c4", None, "0604020304", None, False, "2000-12-31", None),
        ("c5", "e@x.fr", "0605020304", True, True, None, "5 rue E"),
        ("c6", "f@x.fr", None, True, None, "1970-06-15", None),
        ("c7", "  ", None, None, None, None, None),
        ("c8", "g@x.fr", None, True, False, None, None),
        ("c2", None, "0602020304", None, True, None, None),
        (None, "nobody@x.fr", None, True, None, None, None),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "email", "phone", "opt_in_email", "opt_in_sms", "birth_date",
                                        "address"])
    frame["opt_in_email"] = frame["opt_in_email"].astype("boolean")
    frame["opt_in_sms"] = frame["opt_in_sms"].astype("boolean")
    frame["birth_date"] = pd.to_datetime(frame["birth_date"])
    frame["source_line"] = range(2, 2 + len(frame))
    return frame


def hand_rfm() -> pd.DataFrame:
    """As of 1 Nov 2026. c9 bought but is not in the customer file."""
    rows = [
        # id, first,       last,         freq, spend, segment
        ("c1", "2024-03-01", "2026-10-15", 6, 900.0, "champions"),
        ("c2", "2025-09-01", "2025-10-01", 1, 120.0, "at_risk"),
        ("c3", "2026-09-10", "2026-09-10", 1, 60.0, "new"),
        ("c4", "2023-05-01", "2024-01-10", 3, 300.0, "hibernating"),
        ("c5", "2025-10-31", "2026-06-01", 2, 250.0, "loyal"),
        ("c8", "2025-11-01", "2026-08-01", 2, 250.0, "potential_loyalist"),
        ("c9", "2026-01-01", "2026-01-01", 1, 5000.0, "promising"),
    ]
    rfm = pd.DataFrame(rows, columns=["customer_id", "first_purchase", "last_purchase", "frequency", "monetary",
                                      "segment"]).set_index("customer_id")
    for col in ("first_purchase", "last_purchase"):
        rfm[col] = pd.to_datetime(rfm[col])
    rfm["recency"] = (pd.Timestamp(AS_OF) - rfm["last_purchase"]).dt.days
    rfm["R"] = rfm["F"] = rfm["M"] = 3
    return rfm


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    return customer_base(hand_customers(), hand_rfm(), AS_OF)


def test_customer_base_one_row_per_customer_with_reachability(base):
    assert list(base.index) == ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"]  # c9 (no file row) and no-id left out
    assert base.loc["c2", "phone"] == "0602020304" and base.loc["c2", "email"] == "b@x.fr"  # merged duplicate
    assert base["frequency"].to_dict() == {"c1": 6, "c2": 1, "c3": 1, "c4": 3, "c5": 2, "c6": 0, "c7": 0, "c8": 2}
    assert base.loc[["c6", "c7"], "segment"].isna().all() and base.loc["c6", "monetary"] == 0
    assert list(base.index[base["has_email"]]) == ["c1", "c2", "c3", "c5", "c6", "c8"]  # c7 blank, c4 none
    assert list(base.index[base["email_ok"]]) == ["c1", "c3", "c5", "c6", "c8"]  # c2 opted out; NA counts as not refused
    assert list(base.index[base["has_phone"]]) == ["c1", "c2", "c4", "c5"]
    assert list(base.index[base["sms_ok"]]) == ["c1", "c2", "c5"]  # c4 refused SMS
    assert list(base.index[base["has_address"]]) == ["c1", "c5"]


@pytest.mark.parametrize("rule, expected", [
    ("tous", ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"]),
    ("segment champions, loyal", ["c1", "c5"]),
    ("Segment : Champions ou Fidèles", ["c1", "c5"]),
    ("sans achat depuis 12 mois", ["c2", "c4"]),  # last purchase before 1 Nov 2025
    ("no purchase for 1 year", ["c2", "c4"]),
    ("premier achat depuis moins de 3 mois", ["c3"]),  # first purchase on/after 1 Aug 2026
    ("first purchase within 3 months", ["c3"]),
    ("au moins 2 commandes", ["c1", "c4", "c5", "c8"]),
    ("≥ 2 commandes", ["c1", "c4", "c5", "c8"]),
    ("at least 2 orders", ["c1", "c4", "c5", "c8"]),
    ("exactement 2 commandes", ["c5", "c8"]),
    ("au plus 1 commande", ["c2", "c3", "c6", "c7"]),
    ("premier achat il y a plus de 1 an", ["c1", "c2", "c4", "c5"]),  # before 1 Nov 2025: c8 (that very day) is not
    ("premier achat il y a plus de 1 an et au moins 2 commandes", ["c1", "c4", "c5"]),
    ("first purchase more than 1 year ago and at least 2 orders", ["c1", "c4", "c5"]),
    ("dernier achat depuis moins de 6 mois", ["c1", "c3", "c5", "c8"]),  # on/after 1 May 2026
    ("top 10 % dépense", ["c1"]),  # 6 buyers in the file: ceil(0.6) = 1
    ("top 10% by spend", ["c1"]),
    ("top 50 % dépense", ["c1", "c4", "c5", "c8"]),  # 3 biggest: 900, 300, 250 — and the tie at 250
    ("dépense d'au moins 250 €", ["c1", "c4", "c5", "c8"]),
    ("spend more than €250", ["c1", "c4"]),
    ("jamais acheté", ["c6", "c7"]),
    ("never bought", ["c6", "c7"]),
    ("acheteurs", ["c1", "c2", "c3", "c4", "c5", "c8"]),
    ("anniversaire ce mois", ["c2"]),  # November, the month of as_of
    ("consentement e-mail", ["c1", "c5", "c6", "c8"]),
    ("email opt-in", ["c1", "c5", "c6", "c8"]),
    ("consentement SMS", ["c1", "c2", "c5"]),
    ("SMS opt-in et au moins 2 commandes", ["c1", "c5"]),
])
def test_rule_sizes_on_the_hand_built_file(base, rule, expected):
    result = evaluate(rule, base, AS_OF)
    assert result.missing == ()
    assert result.count == len(expected)
    assert list(result.ids) == expected


def test_birthday_rule_follows_the_month(base):
    rule = parse_rule("birthday this month")
    assert rule.month_dependent and rule.fields == ("birth_date",)
    assert list(evaluate(rule, base, AS_OF).ids) == ["c2"]
    assert list(evaluate(rule, base, AS_OF, month=12).ids) == ["c1", "c4"]
    assert list(evaluate(rule, base, AS_OF, month=6).ids) == ["c6"]
    assert evaluate(rule, base, AS_OF, month=3).count == 0


def test_missing_fields_are_named_not_counted_as_zero(base):
    cart = evaluate("panier abandonné", base, AS_OF)
    assert (cart.count, cart.mask, cart.missing) == (None, None, ("cart_events",))
    both = evaluate("réclamation et anniversaire ce mois", base.drop(columns="birth_date"), AS_OF)
    assert both.count is None and both.missing == ("complaints", "birth_date")
    # a column entirely empty counts as lacking too
    empty = base.assign(birth_date=pd.NaT)
    assert evaluate("anniversaire ce mois", empty, AS_OF).missing == ("birth_date",)
    with_data = base.assign(complaints=[0, 0, 2, np.nan, 0, 0, 0, 1], cart_events=["", None, "oui", None, "", "", "", ""])
    assert list(evaluate("complaint", with_data, AS_OF).ids) == ["c3", "c8"]
    assert list(evaluate("abandoned cart", with_data, AS_OF).ids) == ["c3"]


def test_rule_parse_errors_list_the_accepted_forms():
    with pytest.raises(ValueError) as err:
        parse_rule("clients fidèles et au moins 2 commandes")
    message = str(err.value)
    assert message.startswith("expected a target rule: clauses joined by 'et', 'and' or ','")
    for form in ("'tous'", "'segment champions, loyal'", "'sans achat depuis 12 mois'", "'au moins 2 commandes'",
                 "'anniversaire ce mois'", "'panier abandonné'", "'no purchase for 12 months'", "'top 10% by spend'"):
        assert form in message
    assert message.endswith("got 'clients fidèles et au moins 2 commandes' (could not read 'clients fidèles')")
    assert "\n" not in message
    with pytest.raises(ValueError, match=r"expected RFM segments among champions, loyal, .* got 'segment vip'"):
        parse_rule("segment vip")
    with pytest.raises(ValueError, match="got an empty target"):
        parse_rule("  ")
    with pytest.raises(ValueError, match=r"expected a share between 0 and 100 %"):
        parse_rule("top 0 % dépense")


def test_rule_is_read_case_and_accent_insensitively_and_described_in_both_languages():
    rule = parse_rule("SANS ACHAT DEPUIS 12 MOIS Et Au Moins 2 Commandes")
    assert [c.kind for c in rule.clauses] == ["dormant", "orders"]
    assert rule.fields == ("last_purchase", "frequency")
    assert describe_rule(rule, Labels("fr")) == "sans achat depuis 12 mois et au moins 2 commandes"
    assert describe_rule(rule, Labels("en")) == "no purchase for 12 months and at least 2 orders"
    assert describe_rule(parse_rule("segment champions, loyal"), Labels("fr")) == "segment Champions ou Fidèles"
    assert describe_rule(parse_rule("top 10 % dépense"), Labels("fr")) == f"top 10{NBSP}% des dépenses"
    assert (describe_rule(parse_rule("premier achat il y a plus de 1 an"), Labels("en"))
            == "first purchase more than 1 year ago")


# ---------------------------------------------------------------- catalogue and sheet
def test_catalogue_is_complete_in_both_languages():
    expected = {"welcome", "reactivation", "newsletter", "birthday", "recommendations", "abandoned_cart", "thank_you",
                "nth_purchase", "anniversary_coupon", "members_rewards", "big_spender_surprise", "vip",
                "partner_offer", "complaint_follow_up"}
    assert set(CATALOGUE) == expected
    for code, p in CATALOGUE.items():
        for texts in (p.label, p.description, p.objective, p.kpi, p.trigger):
            assert set(texts) == {"fr", "en"} and all(t.strip() for t in texts.values()), code
        parse_rule(p.target)  # every default target is readable
        assert p.kind in KINDS and p.messages_per_month > 0 and p.seed.startswith(("000", "004")), code
        assert programme_code(code) == code
        assert programme_code(p.label["fr"].upper()) == code and programme_code(p.label["en"]) == code
    assert programme_code("Coupon anniversaire") == "birthday"
    assert programme_code("relance panier") == "abandoned_cart"
    assert programme_code("Programme de parrainage maison") is None
    assert parse_rule(CATALOGUE["anniversary_coupon"].target).fields == ("first_purchase", "frequency")


def test_plan_labels_have_both_languages_and_the_same_placeholders():
    keys = [k for k in catalogue() if k.startswith("plan.")]
    assert len(keys) > 50
    for key in keys:
        texts = catalogue()[key]
        assert set(texts) == {"fr", "en"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f} for lang in ("fr", "en")]
        assert fields[0] == fields[1], key


def sheet(*rows) -> pd.DataFrame:
    cols = ["row", "programme", "objective", "kpi", "target", "channel", "kind", "trigger", "messages_per_month",
            "start_month", "end_month", "status", "priority"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def test_programmes_merge_the_sheet_with_catalogue_defaults():
    programmes = programmes_from_sheet(sheet(
        (5, "Coupon anniversaire", None, None, None, None, None, None, None, None, None, "start", "high"),
        (6, "newsletter", "Garder le lien", None, "consentement e-mail", "E-mail", "campaign", "mensuel", 1, 3, 11,
         None, None),
        (7, "Box surprise", None, None, "top 10 % dépense", "courrier", None, None, 0.5, 12, 12, None, None),
    ), "fr")
    birthday, newsletter, box = programmes
    assert (birthday.code, birthday.label, birthday.channel, birthday.kind) == ("birthday", "Coupon anniversaire",
                                                                                 "email", "automation")
    assert birthday.objective == CATALOGUE["birthday"].objective["fr"] and birthday.target == "anniversaire ce mois"
    assert (birthday.start_month, birthday.end_month, birthday.messages_per_month) == (1, 12, 1.0)
    assert (birthday.status, birthday.priority, birthday.row) == ("start", "high", 5)
    assert newsletter.objective == "Garder le lien" and newsletter.kpi == "Taux d'ouverture + taux de clic"
    assert newsletter.rule.fields == ("opt_in_email",) and newsletter.trigger == "mensuel"
    assert (newsletter.messages_per_month, newsletter.months) == (1.0, tuple(range(3, 12)))
    assert (box.code, box.label, box.channel, box.kind, box.objective) == (None, "Box surprise", "mail", None, None)
    en = programmes_from_sheet(sheet((5, "birthday", *[None] * 11)), "en")[0]
    assert en.label == "Birthday coupon" and en.kpi == "Coupon redemption rate"


def test_programme_sheet_with_nullable_numbers_as_read_from_excel():
    frame = pd.DataFrame({"row": [3, 4], "programme": ["Jeu concours", "newsletter"], "target": ["tous", np.nan],
                          "channel": ["social", np.nan], "messages_per_month": pd.array([2, None], dtype="Int64"),
                          "start_month": pd.array([4, None], dtype="Int64"),
                          "end_month": pd.array([6, None], dtype="Int64")})
    game, newsletter = programmes_from_sheet(frame, "en")
    assert (game.code, game.channel, game.messages_per_month, game.months, game.row) == (None, "social", 2.0,
                                                                                          (4, 5, 6), 3)
    assert (newsletter.messages_per_month, newsletter.months, newsletter.trigger) == (2.0, tuple(range(1, 13)),
                                                                                      "every two weeks")


def test_programme_rows_that_cannot_be_used():
    with pytest.raises(ProgrammeError) as err:
        programmes_from_sheet(sheet((9, "Jeu concours", None, None, None, "social", None, None, None, None, None,
                                     None, None)), "fr")
    assert "'Jeu concours' is not a standard programme, so it needs 'Cible (règle)', 'Messages/mois'" in str(err.value)
    assert (err.value.row, err.value.column) == (9, "target")
    assert isinstance(err.value, ValueError)
    with pytest.raises(ValueError, match=r"expected start_month ≤ end_month .* got start 9 after end 3") as err:
        programmes_from_sheet(sheet((4, "newsletter", *[None] * 7, 9, 3, None, None)), "fr")
    assert err.value.row == 4
    with pytest.raises(ValueError, match="could not read 'les VIP'") as err:
        programmes_from_sheet(sheet((3, "newsletter", None, None, "les VIP", *[None] * 8)), "fr")
    assert err.value.column == "target"
    with pytest.raises(ValueError, match="expected a month number from 1 to 12, got 13"):
        programmes_from_sheet(sheet((3, "newsletter", *[None] * 8, 13, None, None)), "fr")
    with pytest.raises(ValueError, match="expected each programme once, got 'Newsletter' again"):
        programmes_from_sheet(sheet((3, "newsletter", *[None] * 11), (4, "Newsletter", *[None] * 11)), "fr")


# ---------------------------------------------------------------- target sizes
def test_target_sizes_with_reach_share_and_gaps(base):
    programmes = programmes_from_sheet(sheet(
        (2, "newsletter", *[None] * 11),
        (3, "reactivation", *[None] * 11),
        (4, "birthday", *[None] * 11),
        (5, "abandoned_cart", *[None] * 11),
        (6, "SMS fidèles", None, None, "au moins 2 commandes", "sms", None, None, 1, None, None, None, None),
        (7, "big_spender_surprise", *[None] * 11),
    ), "fr")
    assert list(target_sizes(programmes, base, AS_OF).columns) == TARGET_COLUMNS
    sizes = described_sizes(programmes, base, AS_OF, Labels("fr"))
    assert list(sizes.columns) == ["programme", "code", "target", *TARGET_COLUMNS[2:]]
    assert sizes["size"].fillna(-1).tolist() == [8, 2, 1, -1, 4, 1]
    # newsletter: e-mail OK 5; reactivation c2 (opted out), c4 (no e-mail) -> 0; birthday c2 -> 0;
    # SMS: c1, c4, c5, c8 target, SMS OK c1, c5; surprise by post: c1 has an address
    assert sizes["reachable"].fillna(-1).tolist() == [5, 0, 0, -1, 2, 1]
    assert sizes["share"].round(3).fillna(-1).tolist() == [1.0, 0.25, 0.125, -1, 0.5, 0.125]
    assert sizes["missing"].tolist() == [(), (), (), ("cart_events",), (), ()]
    assert sizes.loc[1, "target"] == "sans achat depuis 12 mois"
    text = targets_text(sizes, Labels("fr"))
    assert text[0] == f"«{NBSP}Newsletter{NBSP}» a la cible la plus large{NBSP}: 8 clients, soit 100{NBSP}% du fichier."
    assert f"«{NBSP}Réactivation des clients dormants{NBSP}»{NBSP}: seuls 0 des 2 clients ciblés sont joignables par e-mail (0{NBSP}%)." in text
    assert text[-1] == (f"«{NBSP}Relance panier abandonné{NBSP}» ne peut pas être ciblé avec le fichier actuel, faute "
                        f"de données{NBSP}: paniers abandonnés suivis sur le site (à ajouter au plan de collecte).")
    no_phone = described_sizes(programmes[4:5], base.assign(phone=None), AS_OF, Labels("en"))
    assert no_phone.loc[0, "missing"] == ("phone",) and no_phone.loc[0, "size"] == 4
    assert no_phone.loc[0, "target"] == "at least 2 orders"


# ---------------------------------------------------------------- pressure
def pressure_programmes() -> list[Programme]:
    """Three e-mail programmes of 2 a month overlap on c1 and c5 from October;
    the birthday coupon adds one in c1's month (December) and c6's (June)."""
    return programmes_from_sheet(sheet(
        (2, "newsletter", None, None, None, None, None, None, 2, None, None, None, None),
        (3, "Relance", None, None, "au moins 2 commandes", "email", None, None, 2, None, None, None, None),
        (4, "Remerciement", None, None, "segment champions, loyal", "email", None, None, 2, 10, 12, None, None),
        (5, "birthday", *[None] * 11),
        (6, "SMS promo", None, None, "tous", "sms", None, None, 3, None, None, None, None),
        (7, "abandoned_cart", *[None] * 11),  # the file has no cart events: left out, named
        (8, "Ancien jeu", None, None, "tous", "email", None, None, 5, None, None, "stop", None),  # stopped
    ), "fr")


@pytest.fixture(scope="module")
def pressure(base):
    return simulate_pressure(pressure_programmes(), base, AS_OF, 2027, {"email": 4, "sms": 2, "total": 6})


def test_pressure_over_the_cap_counted_exactly(pressure):
    s = pressure.summary.set_index(["month", "channel"])
    assert pressure.channels == ("email", "sms", "total")
    # e-mail reachable: c1, c3, c5, c6, c8. Jan: c1 4, c3 2, c5 4, c6 2, c8 4 -> at the cap, not over
    assert s.loc[(1, "email")].to_dict() == {"customers": 5, "mean": 3.2, "max": 4.0, "over_cap": 0, "cap": 4.0}
    assert s.loc[(6, "email"), "mean"] == pytest.approx(3.4)  # c6's birthday
    # Oct: the thank-you adds 2 for c1 and c5 -> 6 > 4
    assert s.loc[(10, "email")].to_dict() == {"customers": 5, "mean": 4.0, "max": 6.0, "over_cap": 2, "cap": 4.0}
    assert s.loc[(12, "email")].to_dict() == {"customers": 5, "mean": 4.2, "max": 7.0, "over_cap": 2, "cap": 4.0}
    assert s.loc[(3, "sms")].to_dict() == {"customers": 3, "mean": 3.0, "max": 3.0, "over_cap": 3, "cap": 2.0}
    # total: c1 and c5 get 4 e-mails + 3 SMS = 7 > 6
    assert s.loc[(1, "total"), "over_cap"] == 2 and s.loc[(12, "total"), "max"] == 10.0
    over = pressure.over_cap
    oct_email = over[(over["month"] == 10) & (over["channel"] == "email")]
    assert oct_email[["segment", "programmes", "messages", "customers"]].values.tolist() == [
        ["champions", ("Newsletter", "Relance", "Remerciement"), 6.0, 1],
        ["loyal", ("Newsletter", "Relance", "Remerciement"), 6.0, 1],
    ]
    dec_email = over[(over["month"] == 12) & (over["channel"] == "email")]
    assert dec_email[["segment", "programmes", "messages"]].values.tolist() == [
        ["champions", ("Newsletter", "Relance", "Remerciement", "Coupon anniversaire"), 7.0],
        ["loyal", ("Newsletter", "Relance", "Remerciement"), 6.0],
    ]
    assert over[over["channel"] == "email"]["month"].unique().tolist() == [10, 11, 12]
    assert int(over[(over["channel"] == "sms")]["customers"].sum()) == 36  # c1, c2, c5 every month
    d = pressure.distribution
    assert d[(d["month"] == 1) & (d["channel"] == "total")][["messages", "customers"]].values.tolist() == [
        [2.0, 2], [3.0, 1], [4.0, 1], [7.0, 2]]  # c3 c6 | c2 | c8 | c1 c5 (c4, c7 reached nowhere)
    assert pressure.skipped.values.tolist() == [["Relance panier abandonné", ("cart_events",)]]
    assert "Ancien jeu" not in set(p for t in over["programmes"] for p in t)


def test_pressure_matches_a_per_customer_computation_on_a_random_file():
    """The signature grouping gives the same loads as summing per customer."""
    rng = np.random.default_rng(5)
    n = 4000
    ids = [f"k{i}" for i in range(n)]
    customers = pd.DataFrame({
        "customer_id": ids, "email": np.where(rng.random(n) < 0.9, "x@y.fr", None),
        "phone": np.where(rng.random(n) < 0.5, "0600000000", None),
        "opt_in_email": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
        "opt_in_sms": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
        "birth_date": pd.to_datetime("1980-01-01") + pd.to_timedelta(rng.integers(0, 365 * 30, n), unit="D"),
    })
    buyers = rng.random(n) < 0.7
    last = pd.Timestamp("2026-10-31") - pd.to_timedelta(rng.integers(0, 900, n), unit="D")
    rfm = pd.DataFrame({
        "first_purchase": last - pd.to_timedelta(rng.integers(0, 700, n), unit="D"), "last_purchase": last,
        "frequency": rng.integers(1, 8, n), "monetary": rng.integers(10, 2000, n).astype(float),
        "segment": rng.choice(SEGMENTS, n),
    }, index=pd.Index(ids, name="customer_id"))[buyers]
    b = customer_base(customers, rfm, AS_OF)
    programmes = catalogue_programmes("fr", ["newsletter", "reactivation", "birthday", "thank_you",
                                                  "anniversary_coupon", "vip"])
    programmes.append(programmes_from_sheet(sheet((9, "SMS", None, None, "au moins 3 commandes", "sms", None, None,
                                                   1.5, 4, 9, None, None)), "fr")[0])
    caps = {"email": 3, "sms": 1, "total": 4}
    p = simulate_pressure(programmes, b, AS_OF, 2027, caps)
    assert p.signatures < 1000  # 12 segments (and never-buyers) × birthday month × a few combinations, not 4000
    for month in (2, 7, 12):  # the SMS programme runs April to September
        load = {"email": np.zeros(n), "sms": np.zeros(n)}
        for prog in programmes:
            if prog.active(month):
                hit = evaluate(prog.rule, b, AS_OF, month).mask.to_numpy() & reach_mask(b, prog.channel)
                load[prog.channel] += hit * prog.messages_per_month
        load["total"] = load["email"] + load["sms"]
        for channel, values in load.items():
            row = p.summary[(p.summary["month"] == month) & (p.summary["channel"] == channel)].iloc[0]
            got = values[values > 0]
            assert row["customers"] == len(got)
            assert row["max"] == pytest.approx(got.max() if len(got) else 0)
            assert row["mean"] == pytest.approx(got.mean() if len(got) else 0)
            assert row["over_cap"] == int((values > caps[channel]).sum())
            over = p.over_cap[(p.over_cap["month"] == month) & (p.over_cap["channel"] == channel)]
            assert over["customers"].sum() == row["over_cap"]


def test_pressure_sentences(pressure):
    fr = pressure_text(pressure, Labels("fr"))
    # the same customers (2 above the cap) and maximum (6) as the pressure table
    assert fr[0] == (f"En octobre, 2 clients reçoivent plus de 4 e-mails (jusqu'à 6 e-mails){NBSP}: Newsletter, "
                     "Relance et Remerciement se cumulent.")
    assert fr[1] == (f"E-mail{NBSP}: le plafond de 4 est dépassé 3 mois sur 12{NBSP}; au plus fort, en octobre, "
                     f"pour 2 clients, surtout parmi{NBSP}: Champions (1) et Fidèles (1).")
    assert fr[2] == f"En janvier, 3 clients reçoivent plus de 2 SMS (jusqu'à 3 SMS) de «{NBSP}SMS promo{NBSP}»."
    assert fr[-1] == (f"«{NBSP}Relance panier abandonné{NBSP}» n'est pas compté dans la simulation, faute de données "
                      f"dans le fichier{NBSP}: paniers abandonnés suivis sur le site.")
    en = pressure_text(pressure, Labels("en"))
    assert en[0] == ("In October, 2 customers receive more than 4 e-mails (up to 6 e-mails): Newsletter, Relance and "
                     "Remerciement add up.")
    under = simulate_pressure(pressure_programmes()[:2], customer_base(hand_customers(), hand_rfm(), AS_OF), AS_OF,
                              2027, {"email": 4})
    assert pressure_text(under, Labels("fr")) == [f"E-mail{NBSP}: au plus 4 e-mails par personne et par mois, "
                                                  "dans le plafond de 4."]


def test_charts_render(pressure, base, tmp_path):
    from relkit.views.charts.style import PAGE_WIDTH_IN, to_png

    fig = pressure_chart(pressure, labels=Labels("fr")).figure
    assert fig.get_size_inches()[0] == PAGE_WIDTH_IN
    assert len([ax for ax in fig.axes if ax.has_data()]) == 3  # e-mail, SMS, total
    (tmp_path / "pressure.png").write_bytes(to_png(fig))
    sizes = target_sizes(pressure_programmes(), base, AS_OF)
    fig = targets_chart(sizes, labels=Labels("en")).figure
    assert fig.get_size_inches()[0] == PAGE_WIDTH_IN
    (tmp_path / "targets.png").write_bytes(to_png(fig))


def test_charts_draw_into_a_given_axes(pressure, base):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 6))
    top = pressure_chart(pressure, labels=Labels("fr"), ax=left)
    assert top.figure is fig and left not in fig.axes and right in fig.axes
    assert len([ax for ax in fig.axes if ax.has_data()]) == 3  # the panels share the left half
    sizes = target_sizes(pressure_programmes(), base, AS_OF)
    assert targets_chart(sizes, labels=Labels("en"), ax=right) is right and right.has_data()
    plt.close(fig)


def test_channel_and_field_names_in_both_languages():
    assert channel_name("email", "fr") == "e-mail" and channel_name(TOTAL, "fr") == "tous canaux confondus"
    assert channel_name(TOTAL, "en") == "all channels together" and channel_name("pigeon", "en") == "pigeon"
    assert field_name("birth_date", "fr") == "date de naissance" and field_name("birth_date", "en") == "birth date"
    assert field_name("shoe_size", "fr") == "shoe_size"


# ---------------------------------------------------------------- the demo
@pytest.fixture(scope="module")
def demo_file():
    from relkit.workbooks.customers import CustomerFile
    from relkit.intake.load import load

    data = load(Path(ROOT / "data_samples" / "arnaud-zoe"))
    cf = CustomerFile(data.engagement, data.imports, Labels("fr"))
    return cf, customer_base(cf.customers, cf.rfm, cf.as_of)


def test_demo_sizes_match_a_plain_pandas_count(demo_file):
    cf, base = demo_file
    as_of = pd.Timestamp(cf.as_of)
    # Orders recomputed from the raw sales lines: one invoice = one order, a purchase when it sums above 0.
    t = cf.transactions
    key = t["order_id"].astype("string").fillna(t["date"].dt.strftime("%Y-%m-%d"))
    orders = t.assign(key=key).groupby(["customer_id", "key"]).agg(date=("date", "min"), amount=("amount", "sum"))
    orders = orders.reset_index()
    in_file = orders["customer_id"].isin(cf.customers["customer_id"])
    buys = orders[(orders["amount"] > 0) & in_file]
    per = buys.groupby("customer_id").agg(first=("date", "min"), last=("date", "max"), n=("date", "size"))
    spend = orders[in_file].groupby("customer_id")["amount"].sum().reindex(per.index)

    dormant = int((per["last"] < as_of - pd.DateOffset(months=12)).sum())
    loyal_old = int(((per["n"] >= 2) & (per["first"] < as_of - pd.DateOffset(years=1))).sum())
    k = math.ceil(len(per) * 10 / 100)
    top = int((spend >= spend.sort_values(ascending=False).iloc[k - 1]).sum())

    assert evaluate("sans achat depuis 12 mois", base, cf.as_of).count == dormant == cf.targets.dormant
    assert evaluate("au moins 2 commandes et premier achat il y a plus de 1 an", base, cf.as_of).count == loyal_old
    assert evaluate("top 10 % dépense", base, cf.as_of).count == top
    assert len(base) == cf.customers["customer_id"].nunique()
    assert int(base["email_ok"].sum()) == int((cf.customers["email"].notna()
                                               & (cf.customers["opt_in_email"] != False)).sum())  # noqa: E712
    birthday = evaluate("anniversaire ce mois", base, cf.as_of)
    assert birthday.count is None and birthday.missing == ("birth_date",)


def test_demo_catalogue_targets_and_pressure(demo_file):
    cf, base = demo_file
    programmes = catalogue_programmes("fr")
    sizes = target_sizes(programmes, base, cf.as_of)
    gaps = dict(zip(sizes["code"], sizes["missing"]))
    assert gaps["birthday"] == ("birth_date",) and gaps["abandoned_cart"] == ("cart_events",)
    assert gaps["complaint_follow_up"] == ("complaints",) and gaps["newsletter"] == ()
    assert sizes.set_index("code").loc["newsletter", "size"] == len(base)
    p = simulate_pressure(programmes, base, cf.as_of, 2027, {"email": 4, "sms": 2})
    assert set(p.skipped["programme"]) == {"Coupon anniversaire", "Relance panier abandonné", "Suivi des réclamations"}
    email = p.summary[p.summary["channel"] == "email"]
    assert (email["customers"] == int(base["email_ok"].sum())).all()  # the newsletter reaches every e-mail OK
    assert pressure_text(p, Labels("fr"))
