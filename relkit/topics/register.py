"""Draft record of processing activities (GDPR art. 30(1)) from the collection
plan and the programmes: one row per processing purpose, and its wording.

Purposes (``PURPOSES``, in this order): order, delivery and customer service;
prospecting and loyalty messages; personalised offers and segmentation; event
invitations; accounting and legal obligations; then any use no purpose
recognises (its own row, named by the use), and last "purpose to be defined"
for the rows with neither use nor programme (the report's ``no_use`` check).

- a plan row joins the purpose of each of its ``uses`` (keywords, ``PATTERNS``,
  on folded text) and of each of its ``programmes``;
- a programme joins the purpose its name says (Service client -> customer
  service, Recommandations -> personalisation...); a programme that sends
  messages (e-mail, SMS, post, phone) also joins prospecting and loyalty,
  unless it is customer service; a programme of the programmes sheet that no
  plan row names still joins its purposes (its contact data are needed);
- categories of data: the plan's fields grouped by kind (personal, action,
  reaction: ``relkit.topics.data_kinds``; a row without a kind takes its data
  type's, one with neither is "nature à préciser"), plus the
  contact data each programme's channel needs and no field of the purpose
  covers (SMS -> mobile phone number, post -> postal address...);
- legal basis: the plan's bases (with their fields when there are several),
  and the report's own GDPR checks (``relkit.topics.collection_plan.gdpr_checks``)
  on the rows of the purpose: e-mail prospecting without consent, special
  categories of data (explicit consent), retention beyond 3 years;
- recipients, transfers and security measures: "à compléter".

It describes categories only: no customer record goes into it. Headers and
words are here in French and English (``HEADERS``, ``TEXTS``, ``PURPOSE_NAMES``);
code labels (legal basis, data subjects) come from the workshop
lists. The .xlsx is written by ``relkit.views.excel.register``.
"""
from __future__ import annotations

import re

import pandas as pd

from relkit.io.labels import Labels
from relkit.io.parsing import fold, is_blank
from relkit.topics.collection_plan import CONSENT_FIELD, EMAIL_FIELD, gdpr_checks, split_list
from relkit.topics.data_kinds import KINDS, kind_of

COLUMNS = ("activity", "purposes", "data_subjects", "data_categories", "recipients", "transfers", "retention",
           "legal_basis", "security")
HEADERS = {
    "fr": {"activity": "Finalité du traitement", "purposes": "Usages et programmes concernés",
           "data_subjects": "Catégories de personnes concernées", "data_categories": "Catégories de données personnelles",
           "recipients": "Destinataires", "transfers": "Transferts hors UE", "retention": "Durées de conservation",
           "legal_basis": "Base légale", "security": "Mesures de sécurité techniques et organisationnelles"},
    "en": {"activity": "Purpose of the processing", "purposes": "Uses and programmes concerned",
           "data_subjects": "Categories of data subjects", "data_categories": "Categories of personal data",
           "recipients": "Recipients", "transfers": "Transfers outside the EU", "retention": "Retention periods",
           "legal_basis": "Legal basis", "security": "Technical and organisational security measures"},
}
# Art. 30(1)(a): who the register is about, to fill in (label, value or None = to complete).
HEADER_FIELDS = ("controller", "controller_contact", "joint_controller", "representative", "dpo", "prepared_by",
                 "date", "plan_year")
TEXTS = {
    "fr": {
        "title": "Registre des activités de traitement (RGPD art. 30)", "sheet": "Registre",
        "controller": "Responsable du traitement", "controller_contact": "Coordonnées du responsable (adresse, e-mail)",
        "joint_controller": "Responsable conjoint (le cas échéant)",
        "representative": "Représentant dans l'UE (si le responsable est établi hors UE)",
        "dpo": "Délégué à la protection des données (DPO) : nom et contact",
        "prepared_by": "Établi par", "date": "Date", "plan_year": "Année du plan",
        "note": ("Projet établi à partir du plan de collecte et des programmes, une ligne par finalité : à compléter "
                 "(cellules jaunes), à valider par le responsable du traitement et à tenir à jour à chaque nouveau "
                 "traitement ou changement. Il décrit des catégories de données, aucune donnée client."),
        "to_complete": "à compléter", "uses": "Usages", "programmes": "Programmes",
        "contact": "{data} (canal {channel} : {programmes})",
        "contact_type": "Coordonnées",
        "kind_personal": "Données personnelles", "kind_action": "Données d'action",
        "kind_reaction": "Données de réaction", "kind_unknown": "Nature à préciser",
        "no_use": "Données collectées sans usage prévu : définir leur finalité ou cesser de les collecter.",
        "consent_required": ("à corriger : la prospection par e-mail de particuliers demande leur consentement "
                             "(RGPD art. 6, CPCE L.34-5) ; le plan indique {basis} pour {field}"),
        "soft_opt_in_to_check": ("{basis} pour {field} : exception « soft opt-in » à vérifier (produits analogues, "
                                 "information à la collecte, opposition simple), sinon consentement"),
        "sensitive_data": "consentement explicite requis (RGPD art. 9, données sensibles) : {field}",
        "retention_too_long": "au-delà de 3 ans : à justifier ou à réduire (CNIL)",
    },
    "en": {
        "title": "Record of processing activities (GDPR art. 30)", "sheet": "Register",
        "controller": "Controller", "controller_contact": "Controller's contact details (address, e-mail)",
        "joint_controller": "Joint controller (if any)",
        "representative": "Representative in the EU (if the controller is established outside the EU)",
        "dpo": "Data protection officer (DPO): name and contact",
        "prepared_by": "Prepared by", "date": "Date", "plan_year": "Plan year",
        "note": ("Draft made from the collection plan and the programmes, one row per purpose: to be completed "
                 "(yellow cells), approved by the controller and kept up to date with every new processing or "
                 "change. It describes categories of data, no customer data."),
        "to_complete": "to be completed", "uses": "Uses", "programmes": "Programmes",
        "contact": "{data} ({channel} channel: {programmes})",
        "contact_type": "Contact details",
        "kind_personal": "Personal data", "kind_action": "Action data",
        "kind_reaction": "Reaction data", "kind_unknown": "Kind to be specified",
        "no_use": "Data collected with no planned use: define their purpose or stop collecting them.",
        "consent_required": ("to correct: e-mail prospecting of consumers needs their consent (GDPR art. 6, "
                             "e-privacy rules); the plan states {basis} for {field}"),
        "soft_opt_in_to_check": ("{basis} for {field}: the soft opt-in exception must be checked (similar "
                                 "products, informed at collection, easy objection), otherwise consent"),
        "sensitive_data": "explicit consent required (GDPR art. 9, special categories): {field}",
        "retention_too_long": "beyond 3 years: to justify or reduce",
    },
}
PURPOSES = ("customer_service", "marketing", "personalisation", "events", "accounting")
PURPOSE_NAMES = {
    "customer_service": {"fr": "Gestion des commandes, des livraisons et du service client",
                         "en": "Orders, deliveries and customer service"},
    "marketing": {"fr": "Prospection et fidélisation (messages commerciaux)",
                  "en": "Prospecting and loyalty (marketing messages)"},
    "personalisation": {"fr": "Personnalisation des offres et segmentation de la clientèle",
                        "en": "Personalised offers and customer segmentation"},
    "events": {"fr": "Invitations aux événements", "en": "Event invitations"},
    "accounting": {"fr": "Comptabilité et obligations légales", "en": "Accounting and legal obligations"},
    "undefined": {"fr": "Finalité à définir", "en": "Purpose to be defined"},
}
# Keywords of each purpose, on fold()ed text (lower case, no accents), tried in this order.
PATTERNS = (
    ("accounting", r"comptab|factur|fiscal|obligations? legales?|accounting|invoic|\btax"),
    ("customer_service", r"livraison|commande|service client|\bsav\b|reclamation|\bretours?\b|paiement|delivery"
                         r"|\borders?\b|customer (service|care)|complaint|payment"),
    ("events", r"evenement|\bmarches?\b|salon|invitation|atelier|\bevents?\b|\bfairs?\b|workshop"),
    ("personalisation", r"recommand|segment|\brfm\b|personnalis|conseil|\btailles?\b|profil|personali[sz]|advice"
                        r"|\bsizes?\b"),
    ("marketing", r"newsletter|prospect|relance|campagne|promo|offre|fidelit|anniversaire|bienvenue|reactivation"
                  r"|parrainage|panier|coupon|noel|soldes|marketing|campaign|offer|loyalty|birthday|welcome"
                  r"|referral|\bcarts?\b|christmas"),
)
MESSAGE_CHANNELS = ("email", "sms", "mail", "phone")
MESSAGING_PURPOSES = ("customer_service", "marketing", "events")  # the purposes that send messages
# The contact data a channel needs, and how a field that already holds it is named (folded).
CONTACT_DATA = {
    "email": ({"fr": "adresse e-mail", "en": "e-mail address"}, EMAIL_FIELD),
    "sms": ({"fr": "numéro de téléphone mobile", "en": "mobile phone number"},
            re.compile(r"telephone|mobile|portable|phone|\btel\b")),
    "phone": ({"fr": "numéro de téléphone", "en": "phone number"},
              re.compile(r"telephone|mobile|portable|phone|\btel\b")),
    "mail": ({"fr": "adresse postale", "en": "postal address"},
             re.compile(r"adresse postale|postal address|^adresse$|^address$")),
}
CHANNEL_NAMES = {"email": {"fr": "e-mail", "en": "e-mail"}, "sms": {"fr": "SMS", "en": "SMS"},
                 "mail": {"fr": "courrier", "en": "post"}, "phone": {"fr": "téléphone", "en": "phone"}}


def _label(list_name: str, code: str, lang: str) -> str:
    """The workshop list's label of a code (the code itself if unknown)."""
    from relkit.io.atelier import choice_label

    try:
        return choice_label(list_name, code, lang)
    except (StopIteration, KeyError):
        return code


def retention_text(months: float, lang: str = "fr") -> str:
    """36 -> '3 ans', 12 -> '1 an', 18 -> '18 mois', 1.5 -> '1,5 mois' ('3 years', '18 months' in English)."""
    months = round(float(months), 2)
    labels = Labels(lang)
    if months >= 12 and months % 12 == 0:
        n = int(months // 12)
        unit = {"fr": ("an", "ans"), "en": ("year", "years")}[lang][n > 1]
        return f"{n} {unit}"
    n = labels.number(months) if months.is_integer() else labels.number(months, 2).rstrip("0").rstrip(",.")
    unit = "mois" if lang == "fr" else ("month" if months == 1 else "months")
    return f"{n} {unit}"


def purpose_of(text: str) -> str | None:
    """The purpose a use or a programme name says ('relance panier' -> 'marketing'), None if none."""
    folded = fold(text)
    for code, pattern in PATTERNS:
        if re.search(pattern, folded):
            return code
    return None


def _programme_purposes(name: str, channel: str | None) -> list[str]:
    found = purpose_of(name)
    out = [found] if found else []
    if channel in MESSAGE_CHANNELS and found != "customer_service" and "marketing" not in out:
        out.append("marketing")
    return out or ["marketing"]


def purposes(plan: pd.DataFrame, programmes: list[tuple[str, str | None]] = ()) -> dict[str, dict]:
    """Purpose code (or 'use:<text>' / 'undefined') -> {'rows': plan rows, 'uses': [...], 'programmes':
    [(name, channel)]}, in register order."""
    channels = {fold(name): (name, channel) for name, channel in programmes}
    found: dict[str, dict] = {}

    def join(code: str, row=None, use: str | None = None, programme: tuple | None = None):
        entry = found.setdefault(code, {"rows": [], "uses": [], "programmes": []})
        if row is not None and all(r["row"] != row["row"] for r in entry["rows"]):
            entry["rows"].append(row)
        if use and fold(use) not in {fold(u) for u in entry["uses"]}:
            entry["uses"].append(use)
        if programme and fold(programme[0]) not in {fold(p) for p, _ in entry["programmes"]}:
            entry["programmes"].append(programme)

    for _, r in plan.sort_values("row", kind="stable").iterrows():
        uses, names = split_list(r["uses"]), split_list(r["programmes"])
        if not uses and not names:
            join("undefined", r)
        for use in uses:
            join(purpose_of(use) or f"use:{use}", r, use=use)
        for name in names:
            programme = channels.get(fold(name), (name, None))
            for code in _programme_purposes(*programme):
                join(code, r, programme=programme)
    for programme in programmes:
        for code in _programme_purposes(*programme):
            join(code, programme=programme)
    order = [c for c in PURPOSES if c in found] + [c for c in found if c.startswith("use:")]
    order += ["undefined"] if "undefined" in found else []
    return {c: found[c] for c in order}


def activities(plan: pd.DataFrame, lang: str = "fr", programmes: list[tuple[str, str | None]] = (),
               model: str = "B2C") -> list[dict[str, str]]:
    """The register's rows: one dict per purpose, keys ``COLUMNS``, values as written in the file.
    ``programmes``: (name, channel code) of the programmes sheet; ``model``: B2C, B2B or B2B2C."""
    flags = gdpr_checks(plan, None, model) if len(plan) else pd.DataFrame(columns=["rule", "row", "detail"])
    return [_activity(code, entry, flags, lang) for code, entry in purposes(plan, programmes).items()]


def _activity(code: str, entry: dict, flags: pd.DataFrame, lang: str) -> dict[str, str]:
    t, sep = TEXTS[lang], " : " if lang == "fr" else ": "
    rows, todo = entry["rows"], t["to_complete"]
    name = code[4:] if code.startswith("use:") else PURPOSE_NAMES[code][lang]
    described = []
    if entry["uses"]:
        described.append(t["uses"] + sep + " ; ".join(entry["uses"]))
    if entry["programmes"]:
        described.append(t["programmes"] + sep + ", ".join(p for p, _ in entry["programmes"]))
    if code == "undefined":
        described.append(t["no_use"])

    people = {r["people"] for r in rows if not is_blank(r["people"])}
    if "customers_prospects" in people or {"customers", "prospects"} <= people:
        subjects = "customers_prospects"
    else:
        subjects = next(iter(people), None)

    by_kind: dict[str, list[str]] = {}
    for r in rows:
        by_kind.setdefault(kind_of(r.get("kind"), r.get("data_type")) or "unknown", []).append(str(r["field"]))
    order = [c for c in (*KINDS, "unknown") if c in by_kind]
    categories = [f"{t['kind_' + c]}{sep}{', '.join(by_kind[c])}" for c in order]
    contacts = _contacts(entry, lang) if code in MESSAGING_PURPOSES else []
    if contacts:
        categories.append(t["contact_type"] + sep + ", ".join(contacts))

    mine = flags[flags["row"].isin([int(r["row"]) for r in rows])] if len(rows) else flags.iloc[0:0]
    long_rows = set(mine.loc[mine["rule"] == "retention_too_long", "row"])
    retention = [
        f"{r['field']}{sep}" + (retention_text(r["retention"], lang) if not is_blank(r["retention"]) else todo)
        + (f" — {t['retention_too_long']}" if int(r["row"]) in long_rows else "")
        for r in rows
    ]
    return {
        "activity": name,
        "purposes": "\n".join(described) or todo,
        "data_subjects": _label("data_subjects", subjects, lang) if subjects else todo,
        "data_categories": "\n".join(categories) or todo,
        "recipients": todo,
        "transfers": todo,
        "retention": "\n".join(retention) or todo,
        "legal_basis": _basis(code, rows, mine, lang) or todo,
        "security": todo,
    }


def _contacts(entry: dict, lang: str) -> list[str]:
    """Contact data the purpose's programmes need that none of its fields holds."""
    t = TEXTS[lang]
    fields = [fold(str(r["field"])) for r in entry["rows"] if not CONSENT_FIELD.search(fold(str(r["field"])))]
    out = []
    for channel, (data, pattern) in CONTACT_DATA.items():
        names = [p for p, c in entry["programmes"] if c == channel]
        if names and not any(pattern.search(f) for f in fields):
            out.append(t["contact"].format(data=data[lang], channel=CHANNEL_NAMES[channel][lang],
                                           programmes=", ".join(names)))
    return out


def _basis(code: str, rows: list, flags: pd.DataFrame, lang: str) -> str:
    """The plan's bases, with the report's GDPR checks on the purpose's rows."""
    t, sep = TEXTS[lang], " : " if lang == "fr" else ": "
    by_basis: dict[str, list[str]] = {}
    for r in rows:
        if not is_blank(r["legal_basis"]):
            by_basis.setdefault(r["legal_basis"], []).append(str(r["field"]))
    if len(by_basis) == 1:
        lines = [_label("legal_basis", next(iter(by_basis)), lang)]
    else:
        lines = [f"{_label('legal_basis', b, lang)}{sep}{', '.join(f)}" for b, f in by_basis.items()]
    fields = {int(r["row"]): r for r in rows}
    for _, flag in flags.iterrows():
        row = fields[int(flag["row"])]
        values = {"field": row["field"], "basis": _label("legal_basis", str(row["legal_basis"]), lang)}
        if flag["rule"] == "email_prospecting_without_consent" and code == "marketing":
            why = str(flag["detail"]).split(";", 1)[0]
            lines.append(t[why].format(**values))
        elif flag["rule"] == "sensitive_data":
            lines.append(t["sensitive_data"].format(**values))
    return "\n".join(lines)
