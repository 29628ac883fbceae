"""Collection plan: completeness from the customer-file audit, GDPR flags (the register: test_register.py)."""
import math

import numpy as np
import pandas as pd
import pytest

from relkit.topics.collection_plan import (
    COMPLETENESS_COLUMNS, FLAG_COLUMNS, GAP_COLUMNS, RULES, SOURCES, gaps, gdpr_checks, measured_completeness,
)
from relkit.topics.register import retention_text

PLAN_COLUMNS = ["field", "customer_field", "data_type", "uses", "programmes", "people", "legal_basis", "retention",
                "collection_point", "mechanic", "incentive", "priority", "row"]


def make_plan(rows):
    return pd.DataFrame([dict(zip(PLAN_COLUMNS, r)) for r in rows], columns=PLAN_COLUMNS)


@pytest.fixture
def plan():
    return make_plan([
        ("E-mail", "email", "socio_demographic", "newsletter; relance panier", "Fidélité, Newsletter",
         "customers_prospects", "legitimate_interest", 36.0, "Inscription site", "form", None, "medium", 5),
        ("Téléphone", "phone", "socio_demographic", "service client", "Fidélité",
         "customers", "contract", 60.0, "Caisse magasin", "purchase", None, "high", 6),
        ("Date de naissance", "birth_date", "socio_demographic", "offre anniversaire", "Fidélité ; fidelite",
         "customers", "consent", 48.0, "Inscription site", "form", "bon d'achat", "high", 7),
        ("Centres d'intérêt", None, "declarative", None, None,
         "prospects", "consent", 24.0, "Salon", "questionnaire", None, "low", 8),
        ("Allergies alimentaires", None, "declarative", "recommandations de santé", "Newsletter",
         "customers", "consent", 12.0, None, None, None, None, 9),
        ("Factures", None, "transactional", "comptabilité", None,
         "customers", "legal_obligation", 120.0, None, "purchase", None, None, 10),
        ("Adresse courriel pro", None, "socio_demographic", "prospection", None,
         "prospects", "legitimate_interest", 60.0, "salon ", "event", None, None, 11),
        ("Consentement e-mail", "opt_in_email", "declarative", "newsletter", "Newsletter",
         "customers", "legitimate_interest", 36.0, "Inscription site", "form", None, None, 12),
        ("Code postal", "postal_code", "socio_demographic", "ciblage géographique",
         "Fidélité, Newsletter; Parrainage", "customers", "legitimate_interest", 36.0, "Appli", "account", None, "low", 13),
    ])


@pytest.fixture
def journey():
    return pd.DataFrame({
        "touchpoint": ["Inscription site", "Caisse magasin", "Caisse magasin", "Salon", "Salon", "Appli"],
        "collection_point": [True, False, True, None, False, np.True_],
        "version": ["current", "current", "target", "current", "target", "target"],
        "stage": ["discovery", "purchase", "purchase", "discovery", "discovery", "loyalty"],
        "channel": ["website", "store", "store", "event", "event", "app"],
    })


@pytest.fixture
def completeness():
    """Shape of QualityReport.completeness (index = canonical field)."""
    return pd.DataFrame({
        "filled": [80, 30, 0, 45, 100],
        "share_filled": [0.8, 0.3, 0.0, 0.45, 1.0],
        "valid": pd.array([70, 25, 0, 40, pd.NA], dtype="Int64"),
        "share_valid": [0.7, 0.25, 0.0, 0.4, np.nan],
    }, index=pd.Index(["email", "phone", "birth_date", "postal_code", "city"], name="field"))


# --- completeness ------------------------------------------------------------------

def test_measured_completeness_statuses(plan, completeness):
    m = measured_completeness(plan, completeness)
    assert list(m.columns) == COMPLETENESS_COLUMNS
    assert list(m["row"]) == [5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert list(m["status"]) == ["measured", "measured", "absent", "not_linked", "not_linked", "not_linked",
                                 "not_linked", "absent", "measured"]
    by_row = m.set_index("row")
    assert by_row.loc[5, "share_filled"] == 0.8 and by_row.loc[5, "share_valid"] == 0.7
    assert by_row.loc[13, "share_filled"] == 0.45 and by_row.loc[13, "share_valid"] == 0.4
    assert by_row.loc[7, "share_filled"] == 0.0 and math.isnan(by_row.loc[7, "share_valid"])
    assert by_row.loc[12, "share_filled"] == 0.0  # opt_in_email: not in the audit table
    assert math.isnan(by_row.loc[8, "share_filled"])


def test_measured_completeness_without_customer_file(plan):
    m = measured_completeness(plan, None)
    assert list(m["status"]) == ["not_measured"] * 3 + ["not_linked"] * 4 + ["not_measured"] * 2
    assert m["share_filled"].isna().all()
    # without a customer file, only the needed fields no file could hold remain gaps
    assert gaps(plan, None)[["row", "status"]].values.tolist() == [[9, "not_linked"]]
    assert list(gaps(plan, None).columns) == GAP_COLUMNS


def test_measured_share_valid_na_where_no_rule(completeness):
    p = make_plan([("Ville", "city", "socio_demographic", "ciblage", "Fidélité", "customers", "contract", 36.0,
                    None, None, None, None, 5)])
    m = measured_completeness(p, completeness)
    assert m.loc[0, "status"] == "measured" and m.loc[0, "share_filled"] == 1.0
    assert math.isnan(m.loc[0, "share_valid"])


def test_gaps_ranking(plan, completeness):
    g = gaps(plan, completeness)
    assert list(g.columns) == GAP_COLUMNS
    # postal code: 3 programmes; then 1 programme each: high (rows 6, 7) before no priority (rows 9, 12).
    # E-mail (80 %) is not a gap; "Fidélité ; fidelite" counts once; row 9 has no column in the file.
    assert g[["row", "field", "status", "programme_count", "priority"]].values.tolist() == [
        [13, "Code postal", "measured", 3, "low"],
        [6, "Téléphone", "measured", 1, "high"],
        [7, "Date de naissance", "absent", 1, "high"],
        [9, "Allergies alimentaires", "not_linked", 1, None],
        [12, "Consentement e-mail", "absent", 1, None],
    ]
    assert g["share_filled"].tolist()[:3] == [0.45, 0.3, 0.0] and math.isnan(g["share_filled"].iloc[3])


def test_gap_threshold_is_strict(completeness):
    completeness.loc["phone", "share_filled"] = 0.5
    p = make_plan([("Téléphone", "phone", "socio_demographic", "sav", "Fidélité", "customers", "contract", 36.0,
                    None, None, None, "high", 5)])
    assert gaps(p, completeness).empty


# --- GDPR checks ---------------------------------------------------------------------

def test_gdpr_flags_exact(plan, journey):
    flags = gdpr_checks(plan, journey, "B2C")
    assert list(flags.columns) == FLAG_COLUMNS
    assert flags[["row", "rule", "field", "detail"]].values.tolist() == [
        [5, "email_prospecting_without_consent", "E-mail",
         "consent_required; people=customers_prospects; legal_basis=legitimate_interest; uses=newsletter, relance"],
        [7, "retention_too_long", "Date de naissance", "retention=48 months; people=customers; legal_basis=consent"],
        [8, "no_use", "Centres d'intérêt", "uses=; programmes="],
        [8, "collection_point_not_in_journey", "Centres d'intérêt", "touchpoint=Salon"],
        [9, "sensitive_data", "Allergies alimentaires", "terms=allergies, sante"],
        [11, "retention_too_long", "Adresse courriel pro",
         "retention=60 months; people=prospects; legal_basis=legitimate_interest"],
        [11, "email_prospecting_without_consent", "Adresse courriel pro",
         "consent_required; people=prospects; legal_basis=legitimate_interest; uses=prospection"],
        [11, "collection_point_not_in_journey", "Adresse courriel pro", "touchpoint=salon"],
    ]
    sources = dict(zip(flags["rule"], flags["source"]))
    assert sources["no_use"] == "seed 001 : collecter uniquement ce qui sert"
    assert sources["retention_too_long"] == "CNIL : 3 ans après le dernier contact"
    assert sources["email_prospecting_without_consent"].startswith("RGPD art. 6 / CPCE L.34-5")
    assert sources["sensitive_data"] == "RGPD art. 9 : données sensibles"
    assert sources["collection_point_not_in_journey"] == "parcours : point de collecte"
    assert set(flags["rule"]) <= set(RULES)


def test_non_flags(plan, journey):
    flagged = set(zip(gdpr_checks(plan, journey, "B2C")["row"], gdpr_checks(plan, journey, "B2C")["rule"]))
    assert (6, "retention_too_long") not in flagged  # customers, contract: 60 months allowed
    assert (10, "retention_too_long") not in flagged  # legal obligation (invoices, 10 years)
    assert (5, "retention_too_long") not in flagged  # exactly 36 months
    assert (6, "collection_point_not_in_journey") not in flagged  # marked in the target journey
    assert (13, "collection_point_not_in_journey") not in flagged  # numpy bool True
    assert (12, "email_prospecting_without_consent") not in flagged  # the consent record, not the address
    assert not any(row == 10 for row, _ in flagged)


def test_email_rule_by_model_people_and_basis():
    rows = [
        ("E-mail", "email", "socio_demographic", "Newsletter", None, "prospects", "consent", 36.0,
         None, None, None, None, 5),  # prospects with consent: compliant
        ("Mail client", None, "socio_demographic", "offres promotionnelles", None, "customers",
         "legitimate_interest", 36.0, None, None, None, None, 6),  # soft opt-in to check
        ("E-mail", "email", "socio_demographic", "service après-vente", "SAV", "customers", "contract", 36.0,
         None, None, None, None, 7),  # not marketing
        ("Téléphone", "phone", "socio_demographic", "prospection", None, "prospects", "legitimate_interest", 36.0,
         None, None, None, None, 8),  # not e-mail
        ("E-MAIL", None, "socio_demographic", None, "Programme Marketing", "customers_prospects", "contract", 36.0,
         None, None, None, None, 9),  # marketing via the programme name
    ]
    p = make_plan(rows)
    b2c = gdpr_checks(p, None, "B2C")
    assert b2c[["row", "detail"]].values.tolist() == [
        [6, "soft_opt_in_to_check; people=customers; legal_basis=legitimate_interest; uses=offres, promotionnelles"],
        [9, "consent_required; people=customers_prospects; legal_basis=contract; uses=marketing"],
    ]
    assert b2c["rule"].eq("email_prospecting_without_consent").all()
    assert gdpr_checks(p, None, "B2B2C")["row"].tolist() == [6, 9]
    assert gdpr_checks(p, None, "B2B").empty
    with pytest.raises(ValueError, match="model"):
        gdpr_checks(p, None, "B2X")


def test_sensitive_terms_and_criminal_source():
    p = make_plan([
        ("Casier judiciaire", None, "declarative", "recrutement", "RH", "prospects", "legal_obligation", 12.0,
         None, None, None, None, 5),
        ("Religion", None, "declarative", None, "Communauté", "customers", "consent", 12.0,
         None, None, None, None, 6),
        ("Appartenance syndicale", None, "declarative", "opinions politiques", "Communauté", "customers", "consent",
         12.0, None, None, None, None, 7),
        ("Pointure", None, "declarative", "recommandation produit", "Fidélité", "customers", "consent", 12.0,
         None, None, None, None, 8),
    ])
    flags = gdpr_checks(p, None, "B2C")
    assert flags[["row", "detail", "source"]].values.tolist() == [
        [5, "terms=casier judiciaire", SOURCES["sensitive_data_criminal"]],
        [6, "terms=religion", SOURCES["sensitive_data"]],
        [7, "terms=syndicale, opinions politiques", SOURCES["sensitive_data"]],
    ]


def test_no_journey_no_collection_point_flag(plan):
    assert "collection_point_not_in_journey" not in set(gdpr_checks(plan, None, "B2C")["rule"])
    empty = pd.DataFrame(columns=["touchpoint", "collection_point", "version"])
    assert "collection_point_not_in_journey" not in set(gdpr_checks(plan, empty, "B2C")["rule"])


def test_empty_plan():
    p = make_plan([])
    assert gdpr_checks(p, None, "B2C").empty
    assert list(gdpr_checks(p, None, "B2C").columns) == FLAG_COLUMNS
    assert measured_completeness(p, None).empty and gaps(p, None).empty


# --- register -------------------------------------------------------------------------

def test_retention_text():
    assert [retention_text(m) for m in (36, 12, 18, 10, 120, 1.5)] == [
        "3 ans", "1 an", "18 mois", "10 mois", "10 ans", "1,5 mois"]
    assert [retention_text(m, "en") for m in (24, 12, 1, 18)] == ["2 years", "1 year", "1 month", "18 months"]


