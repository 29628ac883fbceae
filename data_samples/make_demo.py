"""Build the demo engagement (fictional) from seed 001's worked example:
Arnaud & Zoé launch a brand of evolutive children's clothing — crowdfunding
in Q1, Etsy from April, their own e-shop from July, 200 000 € revenue target.

Run `python data_samples/make_demo.py` to rebuild data_samples/arnaud-zoe/.
The .xlsx is committed too so it can be opened and edited by hand.
"""
from pathlib import Path

from relkit.workshop_file import create_workshop_file

HERE = Path(__file__).resolve().parent / "arnaud-zoe"

ENGAGEMENT = """\
# relkit engagement — client identity and targets (fictional demo, seed 001).
# Amounts may be typed as "1 250 €" or "1 250,50"; dates as dd/mm/yyyy.
client:
  name: Arnaud & Zoé
  sector: Vêtements évolutifs pour enfants (2-7 ans)
  model: B2C
  country: FR
consultant:
  name: Claire Dubois
  firm: Dubois Conseil
language: fr
currency: EUR
plan_year: 2027
revenue:
  last_year: "12 400 €"
  target: "200 000 €"
  target_deadline: 31/12/2027
workshop_file: atelier.xlsx
report_date: 23/11/2026
"""

SWOT = [
    ("strength", "Concept de vêtements évolutifs qui grandissent avec l'enfant de 2 à 7 ans", 3),
    ("strength", "Fabrication française en coton biologique", 3),
    ("strength", "Deux fondateurs complémentaires : couture (Zoé) et marketing digital (Arnaud)", 2),
    ("strength", "Tutoriels de couture déjà suivis sur YouTube", 2),
    ("weakness", "Notoriété quasi nulle au lancement", 3),
    ("weakness", "Budget marketing fixe et limité (1 250 € au premier trimestre)", 3),
    ("weakness", "Pas encore de boutique en ligne propre : dépendance à Etsy", 2),
    ("weakness", "Fichier clients réduit (quelques centaines de contacts)", 2),
    ("opportunity", "Essor de la consommation responsable et de la seconde main chez les jeunes parents", 3),
    ("opportunity", "Pic des achats de cadeaux en décembre", 3),
    ("opportunity", "Financement participatif (KissKissBankBank) pour tester le marché", 2),
    ("opportunity", "Micro-influenceurs « parentalité » sur Instagram et Pinterest", 2),
    ("threat", "Concurrent Kidikado déjà positionné sur « le vêtement évolutif, idée cadeau »", 3),
    ("threat", "Baisse du pouvoir d'achat des familles", 2),
    ("threat", "Enseignes de fast-fashion enfant à petits prix", 2),
    ("threat", "Commission Etsy de 3,5 % sur chaque vente", 1),
]

OBJECTIVES = [
    ("Récolter 5 000 € pendant la campagne de crowdfunding", "Montant collecté", "5 000 €", "31/03/2027", "Arnaud et Zoé"),
    ("Atteindre 200 000 € de chiffre d'affaires et 10 % du marché", "Chiffre d'affaires", "200 000 €", "31/12/2027", "Arnaud et Zoé"),
    ("Augmenter le CA de 30 % dans les 6 mois suivant l'ouverture de la boutique en ligne", None, None, None, "Zoé"),
    ("Porter le taux d'ouverture de la newsletter à 35 % au T4", "Taux d'ouverture", "35 %", None, "Arnaud"),
    ("Développer la notoriété", None, None, None, "Arnaud"),
    ("Fidéliser les anciens clients", None, None, None, "Zoé"),
    ("Augmenter les ventes", None, None, None, None),
]

POSITIONING = {
    "target": "les parents urbains de 28 à 40 ans, soucieux de consommer de façon responsable, qui habillent des enfants de 2 à 7 ans",
    "market": "marque de vêtements évolutifs pour enfants",
    "promise": "des vêtements qui grandissent avec l'enfant pendant trois tailles",
    "reason": "conçue avec des coutures réglables et fabriquée en France en coton biologique",
}
QUESTION_ANSWERS = ["yes", "yes", "yes", "yes", "yes", "yes", "no", "no", "no", "yes"]

MIX = [
    ("product", "Collection de 12 pièces évolutives (2-7 ans), prototypes testés par 30 familles",
     "Ajouter une gamme cadeau pour Noël et tester des kits de couture"),
    ("price", "Prix moyen de 39 €, au-dessus de la fast-fashion",
     "Justifier le prix par le coût par taille portée : « 3 tailles pour le prix d'une »"),
    ("promotion", "Blog, tutoriels YouTube, Facebook, Instagram et Pinterest animés par les fondateurs",
     "Newsletter mensuelle, publicité Facebook et Google dès juillet, publireportage sur elle.com en décembre"),
    ("place", "Marchés de créateurs et précommandes en direct",
     "Crowdfunding au T1, Etsy dès avril, boutique en ligne notreentreprise.fr à partir de juillet"),
]
READINESS = ["yes", "partly", "yes", "yes", "yes", "yes", "partly", "no", "yes", "partly", "yes", "yes", "no", "partly", "yes"]

JOURNEY = [
    ("discovery", "social", "Publication Instagram d'une famille cliente", "current", "satisfaction", 3, 1),
    ("consideration", "website", "Tutoriel de couture YouTube intégré au blog", "current", "enchantement", 4, 2),
    ("purchase", "marketplace", "Fiche produit Etsy sans guide des tailles évolutives", "current", "irritant", 4, -1),
    ("delivery_use", "mail", "Colis avec mot manuscrit des fondateurs", "current", "enchantement", 3, 2),
    ("service", "email", "Réponse aux questions de taille sous 48 h", "current", "irritant", 5, -1),
    ("loyalty", "email", "Newsletter mensuelle avec conseils d'ajustement", "target", "satisfaction", 3, 1),
]


def build(folder: Path = HERE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "engagement.yaml").write_text(ENGAGEMENT, encoding="utf-8")
    from relkit.i18n import Labels

    L = Labels("fr")
    entries = {
        "swot": [{"quadrant": q, "item": t, "importance": i} for q, t, i in SWOT],
        "objectives": [dict(zip(("objective", "kpi", "target", "deadline", "owner"), o)) for o in OBJECTIVES],
        "positioning": [{"part": p, "text": t} for p, t in POSITIONING.items()],
        "positioning_questions": [
            {"number": i, "question": L(f"positioning.q{i}"), "answer": a} for i, a in enumerate(QUESTION_ANSWERS, 1)
        ],
        "marketing_mix": [{"p": p, "today": t, "direction": d} for p, t, d in MIX],
        "readiness": [{"number": i, "practice": L(f"readiness.c{i}"), "answer": a} for i, a in enumerate(READINESS, 1)],
        "journey": [
            dict(zip(("stage", "channel", "touchpoint", "version", "qualification", "importance", "emotion"), j))
            for j in JOURNEY
        ],
    }
    # Qualification values are list codes; the demo types the French label.
    for row in entries["journey"]:
        row["qualification"] = {"enchantement": "delight"}.get(row["qualification"], row["qualification"])
    create_workshop_file(folder / "atelier.xlsx", lang="fr", entries=entries)
    return folder


if __name__ == "__main__":
    print("wrote", build())
