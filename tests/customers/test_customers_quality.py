"""Customer-file audit and de-duplication, on small handcrafted French files
(fictional people) with exact expected counts."""
import datetime as dt

import numpy as np
import pandas as pd
import phonenumbers
import pytest

from relkit.customers import CUSTOMER_FIELDS
from relkit.customers import blocking, dedup, quality
from relkit.customers.dedup import KINDS, clusters, dedup_report, dedupe, find_duplicates
from relkit.customers.quality import (
    audit, country_regions, normalise_phones, stale_records, valid_email, valid_fr_postal_code,
)

AS_OF = dt.date(2025, 6, 15)


def customer_file(*rows: dict) -> pd.DataFrame:
    """The canonical table; fields not given are missing."""
    frame = pd.DataFrame([{field: row.get(field) for field in CUSTOMER_FIELDS} for row in rows])
    frame["customer_id"] = [str(i + 1) for i in range(len(rows))]
    for column in ("created_at", "last_contact_at"):
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    return frame


# --- e-mails -----------------------------------------------------------------

@pytest.mark.parametrize("email", [
    "jean.dupont@free.fr", " Marie.Curie@Orange.FR ", "paul+crm@mail.societe-lyon.fr", "o'brien@laposte.net",
])
def test_valid_emails(email):
    assert valid_email(pd.Series([email])).tolist() == [True]


@pytest.mark.parametrize("email", [
    "marie.dupont@gmail", "jean dupont@free.fr", "@orange.fr", "jean.dupont", "jean@@free.fr", "jean@free.fr.",
    "jean@-free.fr", "jean@free.f", "", "   ", None,
])
def test_invalid_emails(email):
    assert valid_email(pd.Series([email], dtype=object)).tolist() == [False]


def test_email_issue_counts():
    report = audit(customer_file(*[{"email": e} for e in (
        "marie.dupont@gmail", "jean dupont@free.fr", "@orange.fr", "luc.petit", "luc@@free.fr",
        "paul.martin@gmial.com", "lea.roux@orange.fe", "zoe.blanc@gmail.com", "  ", None,
    )]), None, AS_OF)
    assert report.emails_invalid == 5
    assert dict(zip(report.email_issues["issue"], report.email_issues["count"])) == {
        "space": 1, "at_sign": 2, "missing_local_part": 1, "missing_tld": 1, "other": 0, "domain_typo": 2,
    }


# --- phones ------------------------------------------------------------------

@pytest.mark.parametrize("phone", [
    "06 12 34 56 78", "0612345678", "06.12.34.56.78", "06-12-34-56-78", "+33612345678", "+33 6 12 34 56 78",
    "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78", "33612345678", "612345678",
])
def test_french_phone_forms_give_e164(phone):
    assert normalise_phones(pd.Series([phone])).tolist() == ["+33612345678"]


@pytest.mark.parametrize("phone", ["12345", "06 12", "06 12 34 56 78 90 12", "N/A", "0000000000", "", None])
def test_invalid_or_empty_phones_are_missing(phone):
    assert normalise_phones(pd.Series([phone], dtype=object)).isna().tolist() == [True]


def test_phone_region_per_row():
    phones = pd.Series(["0470 12 34 56", "0470 12 34 56", "+32 470 12 34 56"])
    regions = pd.Series(["BE", "FR", "FR"])
    assert normalise_phones(phones, regions).tolist() == ["+32470123456", "+33470123456", "+32470123456"]


def test_fast_path_agrees_with_phonenumbers():
    """The vectorised French rules must say exactly what phonenumbers says."""
    rng = np.random.default_rng(7)
    forms = ("0{}", "{}", "+33{}", "+33 0{}", "0033{}", "33{}", "00330{}", "0{}1")
    raw = pd.Series([f.format(n) for n in rng.integers(10**8, 10**9, 1_000).astype(str) for f in forms])

    def reference(text):
        number = phonenumbers.parse(text, "FR")
        if not phonenumbers.is_valid_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    expected = [reference(text) for text in raw]
    assert normalise_phones(raw).replace({np.nan: None}).tolist() == expected
    assert sum(e is None for e in expected) > 1_000  # invalid ones were exercised too


# --- postal codes and countries ----------------------------------------------

@pytest.mark.parametrize("code, valid", [
    ("75001", True), ("01000", True), ("97400", True), ("98000", True), (" 69 003 ", True),
    ("7500", False), ("ABCDE", False), ("00100", False), ("2A004", False), ("99000", False), ("750011", False),
])
def test_french_postal_codes(code, valid):
    assert valid_fr_postal_code(pd.Series([code])).tolist() == [valid]


def test_country_regions():
    countries = pd.Series(["France", "FR", "be", "Belgique", "Suisse", " ", None, "Bretagne"], dtype=object)
    assert country_regions(countries).replace({np.nan: None}).tolist() == [
        "FR", "FR", "BE", "BE", "CH", "FR", "FR", None,
    ]


def test_postal_codes_checked_only_in_france():
    report = audit(customer_file(
        {"postal_code": "75001", "country": "FR"},
        {"postal_code": "7500", "country": "France"},
        {"postal_code": "ABCDE"},
        {"postal_code": "00100", "country": " "},
        {"postal_code": "2A004", "country": "FR"},
        {"postal_code": "1000", "country": "BE"},
        {"postal_code": "SW1A 1AA", "country": "Royaume-Uni"},
        {"postal_code": None, "country": "FR"},
    ), None, AS_OF)
    assert report.postal_codes_checked == 5
    assert report.postal_codes_invalid == 4
    assert report.completeness.loc["postal_code", "valid"] == 3  # 75001 and the two foreign ones


# --- staleness ---------------------------------------------------------------

def test_stale_around_the_three_year_boundary():
    """as_of 2025-06-15: the last activity must be before 2022-06-15 (day arithmetic)."""
    customers = customer_file(
        {"created_at": "2022-06-14 09:00"},  # 3 years and a day: stale
        {"created_at": "2022-06-15 18:30"},  # exactly 3 years: kept
        {"created_at": "2019-01-01", "last_contact_at": "2022-06-14 23:59"},  # stale
        {"created_at": "2019-01-01", "last_contact_at": "2022-06-15 00:00"},  # kept
        {"created_at": "2019-01-01"},  # bought on 2022-06-16: kept
        {"created_at": "2019-01-01"},  # bought on 2022-06-14: stale
        {},  # no date at all: unknown, not counted
    )
    transactions = pd.DataFrame({
        "customer_id": ["5", "6", "6"],
        "date": pd.to_datetime(["2022-06-16", "2022-06-14", "2021-01-01"]),
        "amount": [10.0, 20.0, -20.0],
    })
    stale = stale_records(customers, transactions, AS_OF)
    assert stale.tolist() == [True, False, True, False, False, True, False]
    report = audit(customers, transactions, AS_OF)
    assert (report.stale, report.no_activity_date) == (3, 1)
    assert report.stale_share == pytest.approx(3 / 7)


def test_stale_on_29_february():
    customers = customer_file({"created_at": "2021-02-27"}, {"created_at": "2021-02-28"})
    assert stale_records(customers, None, dt.date(2024, 2, 29)).tolist() == [True, False]


def test_stale_years_is_a_parameter():
    customers = customer_file({"created_at": "2024-06-14"}, {"created_at": "2024-06-15"})
    assert stale_records(customers, None, AS_OF, stale_years=1).tolist() == [True, False]


# --- the whole audit ---------------------------------------------------------

@pytest.fixture
def four_customers() -> pd.DataFrame:
    return customer_file(
        {"email": "jean.dupont@free.fr", "phone": "06 12 34 56 78", "first_name": "Jean", "last_name": "Dupont",
         "postal_code": "69003", "city": "Lyon", "country": "FR", "birth_date": dt.date(1980, 5, 2),
         "created_at": "2024-01-10", "opt_in_email": True},
        {"email": "marie.dupont@gmail", "phone": "12345", "first_name": "Marie", "last_name": "Dupont",
         "postal_code": "7500", "city": "Paris", "birth_date": dt.date(2030, 1, 1), "created_at": "2020-03-01",
         "opt_in_email": False},
        {"email": " ", "phone": "+33 1 42 68 53 00", "first_name": "Paul", "last_name": "Martin",
         "city": "Lille", "created_at": "2023-09-30"},
        {"phone": "06 12", "last_name": "Roux", "postal_code": "33000", "city": "Bordeaux",
         "created_at": "2018-11-05", "last_contact_at": "2024-02-01"},
    )


def test_completeness_shares(four_customers):
    table = audit(four_customers, None, AS_OF).completeness
    assert table.loc["email"].tolist() == [2, 0.5, 1, 0.25]
    assert table.loc["phone"].tolist() == [4, 1.0, 2, 0.5]
    assert table.loc["first_name"].tolist()[:2] == [3, 0.75]
    assert table.loc["postal_code"].tolist() == [3, 0.75, 2, 0.5]
    assert table.loc["birth_date"].tolist() == [2, 0.5, 1, 0.25]
    assert table.loc["opt_in_email"].tolist()[:2] == [2, 0.5]
    assert table.loc["company", "filled"] == 0
    assert pd.isna(table.loc["city", "valid"]) and pd.isna(table.loc["city", "share_valid"])
    assert list(table.index) == list(CUSTOMER_FIELDS)


def test_audit_counts(four_customers):
    report = audit(four_customers, None, AS_OF)
    assert report.records == 4
    assert (report.phones_valid, report.phones_invalid, report.phones_empty) == (2, 2, 0)
    assert report.emails_invalid == 1
    assert (report.postal_codes_checked, report.postal_codes_invalid) == (3, 1)
    assert (report.stale, report.no_activity_date) == (1, 0)  # Marie: 2020, nothing since


def test_enrichment_gaps(four_customers):
    gaps = audit(four_customers, None, AS_OF).enrichment_gaps
    assert gaps.to_dict("records") == [
        {"field": "address", "share_filled": 0.0},
        {"field": "opt_in_sms", "share_filled": 0.0},
    ]


def test_report_holds_no_personal_data(four_customers):
    report = audit(four_customers, None, AS_OF)
    text = repr(report)
    for value in ("Dupont", "jean.dupont", "12 34 56", "69003", "Lyon"):
        assert value not in text


# --- duplicates --------------------------------------------------------------

LILAS = {"address": "12 rue des Lilas", "postal_code": "69003", "city": "Lyon", "country": "FR"}


def pairs_of(frame: pd.DataFrame) -> set[tuple[int, int, str]]:
    return {(a, b, kind) for a, b, kind in find_duplicates(frame)[["a", "b", "kind"]].itertuples(index=False)}


def test_exact_email_ignores_case_and_spaces_but_not_gmail_dots():
    frame = customer_file(
        {"email": "Jean.Dupont@Free.fr ", "first_name": "Jean"},
        {"email": " jean.dupont@free.fr", "first_name": "J."},
        {"email": "jeandupont@gmail.com"},
        {"email": "jean.dupont@gmail.com"},
        {"email": "marie.dupont@gmail"},
        {"email": "marie.dupont@gmail"},  # invalid: not a key
    )
    assert pairs_of(frame) == {(0, 1, "exact_email")}


def test_exact_phone_across_formats():
    frame = customer_file(
        {"phone": "06 12 34 56 78"}, {"phone": "+33612345678"}, {"phone": "0033 6 12 34 56 78"},
        {"phone": "06 12"}, {"phone": "06 12"},
    )
    assert pairs_of(frame) == {(0, 1, "exact_phone"), (0, 2, "exact_phone")}


def test_phones_read_once_give_what_each_step_reads_itself():
    """The workbook hands the audit and the dedup the same phones (index not 0..n-1)."""
    frame = customer_file(
        {"phone": "06 12 34 56 78"}, {"phone": "+33612345678", "country": "Belgique"},
        {"phone": "+32 494 21 83 40", "country": "BE"}, {"phone": "06 12"}, {"phone": ""},
    ).set_axis([10, 3, 7, 1, 99])
    phones = quality.phone_numbers(frame)
    assert phones.tolist()[:3] == ["+33612345678", "+33612345678", "+32494218340"]
    assert phones.iloc[3:].isna().all()
    pd.testing.assert_frame_equal(find_duplicates(frame, phones=phones), find_duplicates(frame))
    given, own = audit(frame, None, AS_OF, phones=phones), audit(frame, None, AS_OF)
    assert (given.phones_valid, given.phones_invalid, given.phones_empty) == (
        own.phones_valid, own.phones_invalid, own.phones_empty) == (3, 1, 1)
    pd.testing.assert_frame_equal(given.completeness, own.completeness)


def test_a_shared_placeholder_links_nobody():
    frame = customer_file(*[{"email": "pas.de.mail@societe.fr"}] * 11)
    assert find_duplicates(frame).empty


def test_exact_groups_are_stars_around_their_first_row():
    """Groups of 2..MAX_EXACT_GROUP equal keys, interleaved, with missing keys between:
    each later row paired with its group's first row; a bigger group links nobody."""
    keys = ["x", None, "y", "x", "z", "y", None, "x"] + ["w"] * (dedup.MAX_EXACT_GROUP + 1) + ["z", "v"]
    pairs = dedup._exact_pairs(pd.Series(keys, dtype="str"), "exact_email")
    assert pairs.to_dict("list") == {"a": [0, 2, 0, 4], "b": [3, 5, 7, 19], "kind": ["exact_email"] * 4,
                                     "score": [100.0] * 4}
    assert pairs["a"].dtype == pairs["b"].dtype == np.int64
    assert dedup._exact_pairs(pd.Series([None, None], dtype="str"), "exact_phone").empty


def test_exact_name_address_through_fold():
    frame = customer_file(
        {"first_name": "Hélène", "last_name": "Lefèvre", **LILAS},
        {"first_name": "HELENE", "last_name": "lefevre ", **LILAS, "address": "12, Rue des  Lilas"},
    )
    assert pairs_of(frame) == {(0, 1, "exact_name_address")}


def test_fuzzy_name_address():
    frame = customer_file(
        {"first_name": "Jean", "last_name": "Dupont", **LILAS},
        {"first_name": "Jean", "last_name": "Dupond", **LILAS, "address": "12 rue des lilas"},
        {"first_name": "Dupont", "last_name": "Jean", **LILAS},  # columns swapped
        {"first_name": "Jean", "last_name": "Dupont", **LILAS, "postal_code": "59000", "city": "Lille"},
        {"first_name": "Marie", "last_name": "Dupont", **LILAS},  # household
        {"first_name": "Jean", "last_name": "Dupont", **LILAS, "address": "14 rue des Lilas"},  # neighbour
        {"first_name": "Jean", "last_name": "Dupont", "postal_code": "69003", "city": "Lyon"},  # no address
    )
    pairs = find_duplicates(frame)
    assert set(zip(pairs["a"], pairs["b"], pairs["kind"].astype(str))) == {
        (0, 1, "fuzzy_name_address"), (0, 2, "fuzzy_name_address"), (1, 2, "fuzzy_name_address"),
    }
    assert pairs["score"].tolist() == [96.4, 100.0, 90.9]  # Jaro-Winkler 96.4 for Dupont/Dupond


def test_blocking_still_finds_a_typo_in_an_initial():
    frame = customer_file(
        {"first_name": "Sophie", "last_name": "Moreau", **LILAS},
        {"first_name": "Sophie", "last_name": "Noreau", **LILAS},
    )
    assert pairs_of(frame) == {(0, 1, "fuzzy_name_address")}


def test_a_big_block_finds_what_a_small_one_finds():
    # two typos that only Jaro-Winkler forgives (edit ratio 88, Jaro-Winkler 96.3), alone and then among
    # 25 neighbours sharing both blocks (postal code + initial A, postal code + initial B): scored by matrix
    pair = [{"first_name": "Andrée", "last_name": "Bodin", **LILAS},
            {"first_name": "Anddrée", "last_name": "Bdoin", **LILAS}]
    lasts = ["Barre", "Benoit", "Berger", "Bertin", "Besson", "Blanc", "Blanchard", "Boucher", "Bouvier", "Boyer",
             "Brun", "Brunet", "Bailly", "Baron", "Bernard", "Bonnet", "Bourgeois", "Breton", "Briand", "Buisson",
             "Barbier", "Baudry", "Bazin", "Bigot", "Billard"]
    firsts = ["Adèle", "Agathe", "Alain", "Albert", "Alice", "Aline", "Amélie", "Anaïs", "Anatole", "Angèle", "Annie",
              "Antoine", "Armand", "Arthur", "Aurélie", "Axel", "Aude", "Augustin", "Aimé", "Achille", "Adrien",
              "Agnès", "Alexis", "Alfred", "Ambre"]
    neighbours = [{"first_name": f, "last_name": n, **LILAS}  # one house: one block, whatever the digits
                  for f, n in zip(firsts, lasts)]
    assert len(neighbours) > blocking._SMALL_BLOCK
    assert pairs_of(customer_file(*pair)) == {(0, 1, "fuzzy_name_address")}
    assert pairs_of(customer_file(*pair, *neighbours)) == {(0, 1, "fuzzy_name_address")}


def test_a_block_scored_by_strips_finds_every_pair_the_pairwise_scoring_finds(monkeypatch):
    """A block of 230 records (several strips of rows) with look-alikes planted across the
    strips' edges: the same pairs as scoring every pair of the block one by one."""
    import itertools

    firsts = ["Adèle", "Alain", "Alice", "Amélie", "Anaïs", "Annie", "Antoine", "Arthur", "Aurélie", "Axel"]
    lasts = ["Barre", "Benoit", "Berger", "Bertin", "Besson", "Blanc", "Boucher", "Bouvier", "Boyer", "Brun",
             "Brunet", "Bailly", "Baron", "Bonnet", "Breton", "Briand", "Buisson", "Barbier", "Baudry", "Bazin",
             "Bigot", "Billard", "Bodin"]
    people = [{"first_name": f, "last_name": n, **LILAS} for f, n in itertools.product(firsts, lasts)]
    for i, typo in ((0, "Barrre"), (63, "Bernoit"), (64, "Berjer"), (129, "Bessson"), (200, "Blancc")):
        people.append({**people[i], "last_name": typo})
    assert len(people) > 3 * blocking._BLOCK_CHUNK
    by_strips = pairs_of(customer_file(*people))
    monkeypatch.setattr(blocking, "_SMALL_BLOCK", 10_000)  # every pair listed and scored one by one
    assert by_strips == pairs_of(customer_file(*people))
    assert len(by_strips) >= 5


def _every_pair_of_a_block(names, swapped, blocks, numbers, threshold):
    """The candidates without any pruning: every pair of positions sharing a block."""
    import itertools
    from collections import defaultdict

    n, groups = len(names), defaultdict(set)
    for row, key in enumerate(blocks.to_numpy(object)):
        if pd.notna(key):
            groups[key].add(row % n)
    pairs = sorted({pair for members in groups.values() for pair in itertools.combinations(sorted(members), 2)})
    a, b = (np.array(side, dtype=np.int64).reshape(-1) for side in zip(*pairs)) if pairs else (np.empty(0, np.int64),) * 2
    return a, b


def _look_alikes(rng: np.random.Generator, size: int) -> pd.DataFrame:
    """Few names, places and house numbers (some addresses without any), typos and swapped names:
    big blocks, records without digits among numbered ones, pairs on both sides of the thresholds."""
    firsts = ["Sophie", "Sofie", "Jean", "Jean-Marc", "Marc", "Marie", "Andrée", "Anddrée", "Louis", "Lucie", "Léa"]
    lasts = ["Moreau", "Noreau", "Bodin", "Bdoin", "Martin", "Martinn", "Dupont", "Dupond", "Leroy", "Le Roy"]
    streets = ["rue des Lilas", "bd Voltaire", "boulevard Voltaire", "avenue Foch", "Le Bourg", "lieu-dit les Pins"]
    rows = []
    for _ in range(size):
        number = rng.choice(["", "", "8", "80", "12", "12 bis", "3"])
        street = (f"{number} " if number else "") + rng.choice(streets)
        first, last = rng.choice([*firsts, None]), rng.choice([*lasts, None])
        if rng.random() < 0.1:
            first, last = last, first
        rows.append({"first_name": first, "last_name": last, "address": street if rng.random() > 0.05 else None,
                     "postal_code": rng.choice(["75011", "75011", "69001", None]), "city": rng.choice(["Paris", None])})
    return customer_file(*rows)


@pytest.mark.parametrize("seed", range(6))
def test_blocking_prunes_no_pair_the_scores_would_keep(monkeypatch, seed):
    """Splitting blocks by house number, matrices for big blocks and scoring places
    first find exactly the pairs that scoring every pair of every block finds,
    whatever the block sizes (small thresholds force every path)."""
    rng, found = np.random.default_rng(seed), 0
    for trial in range(8):
        frame = _look_alikes(rng, int(rng.integers(2, 260)))
        monkeypatch.setattr(blocking, "_SMALL_BLOCK", int(rng.choice([2, 3, 20])))
        monkeypatch.setattr(blocking, "_BLOCK_CHUNK", int(rng.choice([1, 5, 64])))
        with monkeypatch.context() as chunked:  # candidate pairs scored a few at a time
            chunked.setattr(dedup, "_PAIRWISE_CHUNK", int(rng.choice([1, 7, 1 << 19])))
            pruned = find_duplicates(frame)
        with monkeypatch.context() as every:
            every.setattr(dedup, "block_candidates", _every_pair_of_a_block)
            reference = find_duplicates(frame)
        pd.testing.assert_frame_equal(pruned, reference)
        found += (reference["kind"] == "fuzzy_name_address").sum()
    assert found > 8  # the trials had look-alikes to find


def test_an_address_without_a_number_is_compared_with_the_numbered_ones_of_its_block(monkeypatch):
    """'Le Bourg' and '3 Le Bourg' can be one place: a record without digits meets every
    record of its block, by pairs (few) and by matrix (many)."""
    village = {"postal_code": "19300", "city": "Egletons"}
    people = [{"first_name": "Marcel", "last_name": "Besse", "address": "Le Bourg", **village},
              {"first_name": "Marcel", "last_name": "Bese", "address": "3 Le Bourg", **village}]
    neighbours = [{"first_name": f, "last_name": "Bru", "address": f"{i} Le Bourg", **village}
                  for i, f in enumerate(["Alain", "Paul", "Lucien", "Yves", "Gaston", "Henri", "Roger"], start=10)]
    assert pairs_of(customer_file(*people)) == {(0, 1, "fuzzy_name_address")}
    monkeypatch.setattr(blocking, "_SMALL_BLOCK", 2)  # 1 x 8 pairs: more than a small block, scored by matrix
    assert pairs_of(customer_file(*people, *neighbours)) == {(0, 1, "fuzzy_name_address")}


def test_pair_found_twice_keeps_the_strongest_kind():
    frame = customer_file(
        {"email": "jean.dupont@free.fr", "phone": "0612345678", "first_name": "Jean", "last_name": "Dupont", **LILAS},
        {"email": "JEAN.DUPONT@FREE.FR", "phone": "+33612345678", "first_name": "Jean", "last_name": "Dupont",
         **LILAS},
    )
    assert pairs_of(frame) == {(0, 1, "exact_email")}


def test_clusters_are_connected_components():
    pairs = pd.DataFrame({"a": [0, 1, 3], "b": [1, 2, 5], "kind": "exact_email", "score": 100.0})
    assert clusters(pairs, 6).tolist() == [0, 0, 0, 1, 2, 1]


def test_dedupe_keeps_the_most_complete_record_and_fills_it():
    frame = customer_file(
        {"email": "jean.dupont@free.fr", "first_name": "Jean", "created_at": "2021-03-01", "opt_in_email": True},
        {"email": "jean.dupont@free.fr", "first_name": "Jean", "last_name": "Dupont", "phone": "0612345678",
         "created_at": "2022-01-01", "last_contact_at": "2024-05-01", "opt_in_email": False, "opt_in_sms": True},
        {"email": "claire.martin@orange.fr", "first_name": "Claire", "city": "Nantes"},
        {"email": "JEAN.DUPONT@FREE.FR ", "city": "Lyon", "last_contact_at": "2023-01-01"},
    )
    frame.index = ["a", "b", "c", "d"]
    cleaned = dedupe(frame, find_duplicates(frame))
    assert list(cleaned.index) == ["b", "c"]
    jean = cleaned.loc["b"]
    assert (jean["customer_id"], jean["last_name"], jean["city"]) == ("2", "Dupont", "Lyon")
    assert jean["created_at"] == pd.Timestamp("2021-03-01")
    assert jean["last_contact_at"] == pd.Timestamp("2024-05-01")
    assert not jean["opt_in_email"]  # one opt-out wins
    assert jean["opt_in_sms"]
    assert cleaned.loc["c", "city"] == "Nantes"


def test_dedup_report_counts():
    frame = customer_file(
        {"email": "jean.dupont@free.fr"}, {"email": "Jean.Dupont@free.fr"}, {"email": "JEAN.DUPONT@FREE.FR"},
        {"phone": "06 12 34 56 78"}, {"phone": "+33 6 12 34 56 78"},
        {"first_name": "Jean", "last_name": "Dupont", **LILAS},
        {"first_name": "Jean", "last_name": "Dupond", **LILAS},
        {"first_name": "Claire", "last_name": "Martin"},
    )
    report = dedup_report(find_duplicates(frame), len(frame))
    assert report.pairs == {"exact_email": 2, "exact_phone": 1, "exact_name_address": 0, "fuzzy_name_address": 1}
    assert list(report.pairs) == list(KINDS)
    assert (report.clusters, report.records_in_clusters, report.records_removed, report.records_after) == (
        3, 7, 4, 4,
    )


def test_same_audit_on_the_importer_dtypes(four_customers):
    """str / datetime64[us] / boolean columns, as the importer gives them, and a typo'd year 3020."""
    typed = four_customers.astype({
        **{c: "str" for c in ("customer_id", "email", "phone", "first_name", "last_name", "postal_code", "city")},
        "birth_date": "datetime64[us]", "opt_in_email": "boolean", "opt_in_sms": "boolean",
    })
    typed.loc[1, "birth_date"] = pd.Timestamp("3020-01-01")
    expected, report = audit(four_customers, None, AS_OF), audit(typed, None, AS_OF)
    pd.testing.assert_frame_equal(report.completeness, expected.completeness)
    pd.testing.assert_frame_equal(report.email_issues, expected.email_issues)
    assert (report.phones_valid, report.postal_codes_invalid, report.stale) == (2, 1, 1)


def test_b2b_files_are_not_asked_for_first_names():
    from relkit.customers.quality import audit

    companies = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "company": ["SARL Dupont", "SAS Martin", None],
                              "email": ["a@dupont.fr", "b@martin.fr", "c@x.fr"]})
    person = audit(companies, None, dt.date(2026, 11, 1))
    business = audit(companies, None, dt.date(2026, 11, 1), business=True)
    assert {"first_name", "last_name", "birth_date"} <= set(person.completeness.index)
    assert not {"first_name", "last_name", "birth_date"} & set(business.completeness.index)
    assert "first_name" in set(person.enrichment_gaps["field"])
    assert list(business.enrichment_gaps["field"])[:1] != ["first_name"]
    assert "first_name" not in set(business.enrichment_gaps["field"])
