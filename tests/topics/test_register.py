"""The draft GDPR register (art. 30): one row per processing purpose, complete
categories of data (a channel's contact data), the legal basis as the report's
own GDPR checks say, the art. 30(1)(a) header fields, the plan's house style."""
import datetime as dt
import shutil
import subprocess

import pandas as pd
import pytest
from hypothesis import given, strategies as st
from openpyxl import load_workbook

from conftest import DEMO
from relkit.intake.load import check
from relkit.io.labels import Labels
from relkit.io.parsing import fold
from relkit.topics.collection_plan import gdpr_checks
from relkit.topics.register import COLUMNS, HEADER_FIELDS, HEADERS, PURPOSE_NAMES, TEXTS, activities, purpose_of
from relkit.views.excel import safe_cells
from relkit.views.excel.register import FIRST_FIELD_ROW, HEADER_ROW, write_register
from relkit.workbooks.collection import CollectionWorkbook

PLAN_COLUMNS = ["field", "customer_field", "data_type", "uses", "programmes", "people", "legal_basis", "retention",
                "collection_point", "mechanic", "incentive", "priority", "row"]
PROGRAMMES = [("Fidélité", "email"), ("Newsletter", "email"), ("Parrainage", "email"), ("Relance SMS", "sms")]
TOO_LONG = " — au-delà de 3 ans : à justifier ou à réduire (CNIL)"


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
         "Fidélité, Newsletter; Parrainage", "customers", "legitimate_interest", 36.0, "Appli", "account", None, "low",
         13),
    ])


def name(code, lang="fr"):
    return PURPOSE_NAMES[code][lang]


def test_purposes_from_uses_and_programme_names():
    assert [purpose_of(t) for t in ("suivi de livraison", "relance panier par SMS", "recommandation de taille",
                                    "invitations aux marchés de créateurs", "comptabilité", "Service client",
                                    "Parrainage", "ciblage géographique", "article détaillé", "marchandises")] == [
        "customer_service", "marketing", "personalisation", "events", "accounting", "customer_service", "marketing",
        None, None, None]


def test_one_row_per_purpose(plan):
    rows = activities(plan, "fr", PROGRAMMES, "B2C")
    assert [r["activity"] for r in rows] == [name("customer_service"), name("marketing"), name("personalisation"),
                                             name("accounting"), "ciblage géographique", name("undefined")]
    service, marketing, personal, accounting, geo, undefined = rows
    assert service == {
        "activity": name("customer_service"), "purposes": "Usages : service client", "data_subjects": "clients",
        "data_categories": "Données personnelles : Téléphone", "recipients": "à compléter", "transfers": "à compléter",
        "retention": "Téléphone : 5 ans", "legal_basis": "contrat", "security": "à compléter"}
    assert marketing["purposes"] == ("Usages : newsletter ; relance panier ; offre anniversaire ; prospection\n"
                                     "Programmes : Fidélité, Newsletter, Parrainage, Relance SMS")
    assert marketing["data_subjects"] == "clients et prospects"
    # Téléphone is already a field of the purpose: the SMS programme adds no contact line
    assert marketing["data_categories"] == (
        "Données personnelles : E-mail, Téléphone, Date de naissance, Allergies alimentaires, Adresse courriel pro, "
        "Consentement e-mail, Code postal")
    assert marketing["retention"] == (
        f"E-mail : 3 ans\nTéléphone : 5 ans\nDate de naissance : 4 ans{TOO_LONG}\nAllergies alimentaires : 1 an\n"
        f"Adresse courriel pro : 5 ans{TOO_LONG}\nConsentement e-mail : 3 ans\nCode postal : 3 ans")
    t = TEXTS["fr"]
    assert marketing["legal_basis"] == "\n".join([
        "intérêt légitime : E-mail, Adresse courriel pro, Consentement e-mail, Code postal",
        "contrat : Téléphone",
        "consentement : Date de naissance, Allergies alimentaires",
        t["consent_required"].format(basis="intérêt légitime", field="E-mail"),
        t["sensitive_data"].format(field="Allergies alimentaires"),
        t["consent_required"].format(basis="intérêt légitime", field="Adresse courriel pro"),
    ])
    assert personal["purposes"] == "Usages : recommandations de santé"
    assert personal["legal_basis"] == "consentement\n" + t["sensitive_data"].format(field="Allergies alimentaires")
    assert accounting["retention"] == "Factures : 10 ans" and accounting["legal_basis"] == "obligation légale"
    assert geo["data_categories"] == "Données personnelles : Code postal"
    assert undefined["purposes"] == t["no_use"] and undefined["data_subjects"] == "prospects"
    assert undefined["data_categories"] == "Données personnelles : Centres d'intérêt"


def test_legal_basis_follows_the_report_checks(plan):
    """Every e-mail prospecting flag of the report is in the marketing row's basis; a B2B client has none."""
    flags = gdpr_checks(plan, None, "B2C")
    flagged = flags.loc[flags["rule"] == "email_prospecting_without_consent", "field"].tolist()
    assert flagged == ["E-mail", "Adresse courriel pro"]
    marketing = activities(plan, "fr", PROGRAMMES, "B2C")[1]["legal_basis"]
    assert all(f"le plan indique intérêt légitime pour {f}" in marketing for f in flagged)
    b2b = activities(plan, "fr", PROGRAMMES, "B2B")[1]["legal_basis"]
    assert "à corriger" not in b2b and "consentement explicite" in b2b  # art. 9 holds for every model
    soft = plan.copy()
    soft.loc[soft["row"] == 5, "people"] = "customers"
    basis = activities(soft, "fr", PROGRAMMES, "B2C")[1]["legal_basis"]
    assert TEXTS["fr"]["soft_opt_in_to_check"].format(basis="intérêt légitime", field="E-mail") in basis


def test_a_channel_adds_the_contact_data_it_needs():
    plan = make_plan([("E-mail", "email", "socio_demographic", "newsletter", "Newsletter", "customers", "consent",
                       36.0, None, None, None, None, 3),
                      ("Consentement SMS", "opt_in_sms", "declarative", "relance panier par SMS", "Panier abandonné",
                       "customers", "consent", 36.0, None, None, None, None, 4)])
    programmes = [("Newsletter", "email"), ("Panier abandonné", "sms"), ("Colis de Noël", "mail"),
                  ("Service client", "phone")]
    rows = {r["activity"]: r for r in activities(plan, "fr", programmes)}
    assert list(rows) == [name("customer_service"), name("marketing")]
    assert rows[name("marketing")]["data_categories"] == (
        "Données personnelles : E-mail, Consentement SMS\n"
        "Coordonnées : numéro de téléphone mobile (canal SMS : Panier abandonné), "
        "adresse postale (canal courrier : Colis de Noël)")
    # a programme no plan row names still has its purpose, its contact data and its basis to complete
    service = rows[name("customer_service")]
    assert service["data_categories"] == "Coordonnées : numéro de téléphone (canal téléphone : Service client)"
    assert service["legal_basis"] == service["retention"] == service["data_subjects"] == "à compléter"
    en = activities(plan, "en", programmes)[1]["data_categories"]
    assert en.endswith("Contact details: mobile phone number (SMS channel: Panier abandonné), "
                       "postal address (post channel: Colis de Noël)")


def test_demo_register_purposes():
    data, problems = check(DEMO, import_exports=False)
    cw = CollectionWorkbook(data, Labels("fr"), None)
    rows = activities(cw.plan, "fr", cw.register_programmes(), data.engagement.client.model)
    assert [r["activity"] for r in rows] == [
        "Gestion des commandes, des livraisons et du service client",
        "Prospection et fidélisation (messages commerciaux)",
        "Personnalisation des offres et segmentation de la clientèle",
        "Invitations aux événements",
        "Comptabilité et obligations légales",
        "Finalité à définir",
    ]
    marketing = rows[1]
    assert "numéro de téléphone mobile (canal SMS : Panier abandonné)" in marketing["data_categories"]
    assert "adresse postale (canal courrier : Surprise grands clients)" in marketing["data_categories"]
    assert "le plan indique intérêt légitime pour E-mail" in marketing["legal_basis"]
    assert rows[0]["data_categories"] == "Données personnelles : Téléphone"  # Service client calls: phone is there
    assert "Réactivation des clients dormants" not in marketing["purposes"]  # names as typed in the sheets
    assert "(6 finalités)" in cw.register_text()


def written(path):
    return load_workbook(path).active


def test_register_file(plan, tmp_path):
    path = write_register(tmp_path / "registre.xlsx", plan, client="Arnaud & Zoé", consultant="Claire Dubois",
                          firm="Dubois Conseil", plan_year=2027, as_of=dt.date(2026, 11, 23), programmes=PROGRAMMES)
    assert [p.name for p in tmp_path.iterdir()] == ["registre.xlsx"]  # no temp file left
    ws = written(path)
    assert ws["A1"].value == "Registre des activités de traitement (RGPD art. 30)"
    fields = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(FIRST_FIELD_ROW, FIRST_FIELD_ROW + len(HEADER_FIELDS))}
    t = TEXTS["fr"]
    assert list(fields) == [t[k] for k in HEADER_FIELDS]
    assert fields[t["controller"]].value == "Arnaud & Zoé"
    assert fields[t["prepared_by"]].value == "Claire Dubois (Dubois Conseil)"
    assert fields[t["date"]].value == "23 novembre 2026" and fields[t["plan_year"]].value == 2027
    for key in ("controller_contact", "joint_controller", "representative", "dpo"):  # art. 30(1)(a), to fill in
        assert fields[t[key]].value == "à compléter" and fields[t[key]].fill.fgColor.rgb.endswith("FFF2CC")
    assert "tenir à jour" in ws.cell(HEADER_ROW - 2, 1).value
    assert [c.value for c in ws[HEADER_ROW]] == [HEADERS["fr"][k] for k in COLUMNS]
    assert ws.max_row == HEADER_ROW + 6
    assert ws.cell(HEADER_ROW + 1, 1).value == name("customer_service")
    assert ws.cell(HEADER_ROW + 1, 5).fill.fgColor.rgb.endswith("FFF2CC")  # recipients: to complete
    assert ws.freeze_panes == f"B{HEADER_ROW + 1}"
    # the plan's house style: fonts, header colours, print set-up and footer
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {"Calibri"}
    header = ws.cell(HEADER_ROW, 1)
    assert header.fill.fgColor.rgb.endswith("1F4E79") and header.font.color.rgb.endswith("FFFFFF")
    assert ws.oddFooter.center.text == "&A — &P / &N"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    props = load_workbook(path).properties
    assert (props.title, props.creator, props.subject) == (t["title"], "Dubois Conseil", "Arnaud & Zoé")


def test_register_english_and_replaces(plan, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"old")
    write_register(path, plan, client="Client", consultant="Consultant", plan_year=2027, lang="en",
                   as_of=dt.date(2026, 11, 23), programmes=PROGRAMMES)
    ws = written(path)
    assert [c.value for c in ws[HEADER_ROW]] == [HEADERS["en"][k] for k in COLUMNS]
    assert ws.cell(HEADER_ROW + 6, 1).value == "Purpose to be defined"
    assert ws.cell(HEADER_ROW + 2, 3).value == "customers and prospects"
    assert ws.cell(HEADER_ROW + 1, 5).value == "to be completed"
    assert activities(plan, "en", PROGRAMMES)[1]["retention"].startswith("E-mail: 3 years")


def test_register_cells_never_execute_and_hold_no_customer_data(plan, tmp_path):
    evil = plan.copy()
    evil.loc[0, "field"] = "=HYPERLINK(\"http://x\",\"clic\")"
    evil.loc[1, "uses"] = "@SUM(1+1)"
    path = write_register(tmp_path / "r.xlsx", evil, client="+33 6 12 34 56 78", consultant="-K", plan_year=2027,
                          programmes=PROGRAMMES)
    assert safe_cells.unsafe_cells(path) == []
    text = " ".join(str(c.value) for row in written(path).iter_rows() for c in row if c.value is not None)
    assert "=HYPERLINK" in text and "/tmp" not in text and "/work" not in text
    clean = " ".join(str(c.value) for row in written(write_register(
        tmp_path / "c.xlsx", plan, client="C", consultant="K", plan_year=2027)).iter_rows()
        for c in row if c.value is not None)
    assert "@" not in clean


@pytest.mark.libreoffice
def test_register_converts_to_pdf(plan, tmp_path):
    assert shutil.which("libreoffice"), "LibreOffice is needed (apt-get install libreoffice-calc-nogui)"
    path = write_register(tmp_path / "registre.xlsx", plan, client="Arnaud & Zoé", consultant="Claire Martin",
                          plan_year=2027, programmes=PROGRAMMES)
    subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(str(tmp_path / "registre.pdf")).pages)
    assert "Prospection et" in text and "Invitations aux" not in text and "###" not in text


def test_register_file_has_no_local_path(plan, tmp_path):
    import zipfile

    path = write_register(tmp_path / "r.xlsx", plan, client="C", consultant="K", plan_year=2027)
    with zipfile.ZipFile(path) as z:
        text = "\n".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())
    for needle in (str(tmp_path), "file:/", "/tmp/", "/home/", "/root/"):
        assert needle not in text, needle

WORDS = st.sampled_from(["relance", "panier", "Livraison", "comptabilité", "Événement", "taille", "du", "client",
                         "marché", "newsletter", "détaillé", "SMS", "conseils", "fidélité", "x"])


@given(st.lists(WORDS, min_size=1, max_size=5).map(" ".join))
def test_purpose_of_is_total_and_ignores_case_and_accents(text):
    found = purpose_of(text)
    assert found is None or found in ("customer_service", "marketing", "personalisation", "events", "accounting")
    assert purpose_of(text.upper()) == found == purpose_of(fold(text))


def test_categories_are_listed_by_kind_of_data():
    """Personal, action, reaction, in that order; a row's own kind wins over its type; neither: to specify."""
    plan = make_plan([("Historique d'achats", None, "transactional", "relance panier", None, "customers", "contract",
                       36.0, None, None, None, None, 3),
                      ("E-mail", "email", "socio_demographic", "newsletter", None, "customers", "consent", 36.0,
                       None, None, None, None, 4),
                      ("Envois", None, None, "relance panier", None, "customers", "legitimate_interest", 36.0,
                       None, None, None, None, 5),
                      ("Ouvertures", None, "behavioural", "newsletter", None, "customers", "legitimate_interest", 36.0,
                       None, None, None, None, 6)])
    plan["kind"] = [None, None, "action", None]
    marketing = activities(plan, "fr")[0]
    assert marketing["data_categories"] == ("Données personnelles : E-mail\nDonnées d'action : Envois\n"
                                            "Données de réaction : Historique d'achats, Ouvertures")
    assert activities(plan, "en")[0]["data_categories"] == ("Personal data: E-mail\nAction data: Envois\n"
                                                            "Reaction data: Historique d'achats, Ouvertures")
    old = plan.drop(columns="kind")  # a workbook without the column: Envois has neither kind nor type
    assert activities(old, "fr")[0]["data_categories"] == (
        "Données personnelles : E-mail\nDonnées de réaction : Historique d'achats, Ouvertures\n"
        "Nature à préciser : Envois")
