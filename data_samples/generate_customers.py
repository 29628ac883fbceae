"""Generate the demo client's customer and sales exports (fictional people).

Why: workbook 02 (the customer file) needs inputs that look like what a
consultant really receives from a small French e-shop, with data-quality
defects whose exact numbers are known in advance, so that the audit can be
tested against them; and a large variant of the same files to benchmark it.

    python data_samples/generate_customers.py             # the committed demo files
    python data_samples/generate_customers.py --out DIR   # the same bytes elsewhere
    python data_samples/generate_customers.py --large OUT_DIR --customers 1000000 --lines 5000000

Each run writes three files:

- ``clients_shopify.csv``: a Shopify customers export (UTF-8, ',', every
  field quoted, Shopify's header, leading apostrophe on ids, postal codes and
  phones);
- ``ventes.csv``: a French billing export, preset "generic_billing" (cp1252,
  ';', decimal comma, dd/mm/yyyy, one line per invoice line, CRLF);
- ``manifest.json``: every generation parameter, the planted problems with
  their counts and customer ids, the rules that make them determinable from
  the two files, and the expected totals. It holds no name, e-mail or phone.

Same arguments, same bytes: every random draw comes from fixed seeds, no date
depends on today, and both files are sorted. Generation is vectorised with
numpy; Faker (fr_FR) only supplies small pools of names and streets, so a
million customers take seconds.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from faker import Faker
from faker.providers.person.fr_FR import Provider as FrenchNames

STR = np.dtypes.StringDType()
DEMO_EXPORTS = Path(__file__).resolve().parent / "arnaud-zoe" / "exports"
SHOPIFY_FILE, SALES_FILE, MANIFEST_FILE = "clients_shopify.csv", "ventes.csv", "manifest.json"

SHOPIFY_HEADER = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company",
    "Default Address Address1", "Default Address Address2", "Default Address City",
    "Default Address Province Code", "Default Address Country Code", "Default Address Zip",
    "Default Address Phone", "Phone", "Accepts SMS Marketing", "Total Spent", "Total Orders", "Note",
    "Tax Exempt", "Tags", "Created At",
]
SALES_HEADER = ["N° client", "Date", "N° facture", "Article", "Quantité", "Montant TTC"]


# --------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class Params:
    """Everything a run depends on; written to the manifest as is."""

    seed: int = 20261101
    customers: int = 3000                 # rows of clients_shopify.csv, duplicates included
    lines: int = 6000                     # rows of ventes.csv, refunds and gifts included
    start: str = "2025-01-01"             # first possible sale (crowdfunding launch quarter)
    end: str = "2026-10-31"               # last possible sale; reference date = last sale + 1 day
    newsletter_share: float = 0.15        # recent newsletter sign-ups who never bought
    stale_share: float = 0.05             # blog-newsletter contacts signed up before mid-2023, never bought
    country_shares: dict = field(default_factory=lambda: {"FR": 0.93, "BE": 0.05, "CH": 0.02})
    phone_share: float = 0.80             # customers (not newsletter-only) who left a phone
    email_marketing_share: float = 0.55   # buyers who accept e-mail marketing
    sms_marketing_share: float = 0.20     # of those with a phone
    lines_per_order: float = 1.12         # product lines per order, on average
    quantities: dict = field(default_factory=lambda: {"1": 0.93, "2": 0.06, "3": 0.01})
    discount_share: float = 0.12          # lines sold with a 10 % promo code
    refund_rate: float = 0.01             # refund lines per sales order
    gift_rate: float = 0.006              # free-gift (zero amount) lines per sales order
    no_invoice_rate: float = 0.03         # orders keyed without invoice number (market stalls)
    bulk_rate: float = 0.002              # nurseries/schools with one order line >= 1 000 EUR
    # BG/NBD-like behaviour: purchase rate ~ Gamma(r) (scaled to reach `lines`),
    # dropout probability after each purchase ~ Beta(a, b).
    gamma_shape_r: float = 1.5
    dropout_beta_a: float = 1.3
    dropout_beta_b: float = 3.0
    max_repeats: int = 60
    planted_rates: dict = field(default_factory=lambda: {
        "duplicates": {"exact_email": 0.006, "phone_format": 0.005, "fuzzy_name_address": 0.008},
        "invalid_emails": {"missing_tld": 0.002, "space": 0.002, "missing_at": 0.0017, "double_at": 0.0013},
        "invalid_phones": {"too_short": 0.0027, "letters": 0.002},
        "invalid_postal_codes": {"four_digits": 0.002, "letters": 0.0017},
        "missing": {"email": 0.008, "postal_code": 0.004},
    })


# Evolutive clothes and accessories: (article, price in cents, weight, weight in December).
CATALOGUE = [
    ("Pantalon évolutif 2-4 ans", 3900, 14, 10),
    ("Pantalon évolutif 4-7 ans", 4200, 12, 9),
    ("Robe évolutive 2-4 ans", 4500, 8, 7),
    ("Robe évolutive 3-6 ans", 4900, 9, 8),
    ("Salopette évolutive 2-5 ans", 5400, 4, 4),
    ("Sarouel évolutif 2-4 ans", 3400, 8, 5),
    ("Sarouel évolutif 4-7 ans", 3600, 6, 4),
    ("Jupe évolutive 3-6 ans", 3200, 5, 4),
    ("Short évolutif 2-5 ans", 2900, 7, 1),
    ("Gilet évolutif 3-6 ans", 4400, 4, 6),
    ("Tunique évolutive 2-5 ans", 3700, 4, 3),
    ("Combinaison évolutive 2-4 ans", 5900, 2, 3),
    ("Bandeau assorti", 900, 18, 9),
    ("Bob réversible", 1900, 10, 3),
    ("Kit couture pantalon évolutif", 2900, 5, 9),
    ("Kit couture robe évolutive", 3200, 4, 8),
    ("Patron PDF robe évolutive", 800, 7, 3),
    ("Carte cadeau 30 €", 3000, 1, 8),
    ("Coffret cadeau Noël 2 pièces", 6900, 0, 10),
]
GIFT_ARTICLE = "Cadeau offert - pochette surprise"
BULK_ARTICLE, BULK_UNIT_CENTS, BULK_QUANTITIES = "Lot collectivité pantalons évolutifs", 3510, (30, 36, 40, 48)
BULK_COMPANIES = [
    "Crèche Les Petits Loups", "Micro-crèche Les Lucioles", "École Montessori Les Colibris",
    "Association des parents d'élèves Jules Ferry", "Halte-garderie Pomme d'Api", "Relais petite enfance du Val",
]

# Real communes with their postal codes; weight ~ population in thousands.
FR_CITIES = """\
Paris|75001-75020|2100
Marseille|13001-13016|870
Lyon|69001-69009|520
Toulouse|31000,31100,31200,31300,31400,31500|500
Nice|06000,06100,06200,06300|340
Nantes|44000,44100,44200,44300|320
Montpellier|34000,34070,34080,34090|300
Strasbourg|67000,67100,67200|290
Bordeaux|33000,33100,33200,33300,33800|260
Lille|59000,59160,59260,59800|235
Rennes|35000,35200,35700|225
Reims|51100|180
Toulon|83000,83100,83200|180
Saint-Étienne|42000,42100|173
Le Havre|76600,76610,76620|166
Grenoble|38000,38100|158
Dijon|21000|160
Angers|49000,49100|157
Nîmes|30000,30900|150
Villeurbanne|69100|156
Clermont-Ferrand|63000,63100|147
Le Mans|72000,72100|145
Aix-en-Provence|13090,13100|145
Brest|29200|140
Tours|37000,37100,37200|137
Amiens|80000,80080,80090|134
Limoges|87000,87100,87280|130
Annecy|74000|130
Perpignan|66000,66100|120
Boulogne-Billancourt|92100|120
Metz|57000,57050,57070|118
Besançon|25000|117
Orléans|45000,45100|116
Saint-Denis|93200|113
Argenteuil|95100|110
Rouen|76000,76100|111
Montreuil|93100|110
Mulhouse|68100,68200|108
Caen|14000|106
Nancy|54000,54100|104
Tourcoing|59200|98
Roubaix|59100|98
Nanterre|92000|96
Vitry-sur-Seine|94400|95
Avignon|84000|91
Créteil|94000|92
Poitiers|86000|89
Aubervilliers|93300|88
Versailles|78000|85
Colombes|92700|86
Asnières-sur-Seine|92600|87
Aulnay-sous-Bois|93600|86
Rueil-Malmaison|92500|79
Pau|64000|76
La Rochelle|17000|78
Champigny-sur-Marne|94500|77
Antibes|06600|73
Saint-Maur-des-Fossés|94100,94210|75
Cannes|06400,06150|74
Calais|62100|68
Béziers|34500|79
Colmar|68000|68
Bourges|18000|64
Drancy|93700|72
Mérignac|33700|72
Ajaccio|20000|72
Issy-les-Moulineaux|92130|68
Levallois-Perret|92300|66
La Seyne-sur-Mer|83500|62
Quimper|29000|63
Noisy-le-Grand|93160|70
Villeneuve-d'Ascq|59650|62
Neuilly-sur-Seine|92200|59
Valence|26000|65
Antony|92160|63
Cergy|95000|66
Vénissieux|69200|67
Pessac|33600|66
Troyes|10000|62
Clichy|92110|63
Ivry-sur-Seine|94200|64
Chambéry|73000|60
Lorient|56100|57
Niort|79000|59
Sarcelles|95200|58
Villejuif|94800|56
Saint-Quentin|02100|53
Hyères|83400|56
Épinay-sur-Seine|93800|55
Beauvais|60000|56
Maisons-Alfort|94700|55
Cholet|49300|54
Meaux|77100|55
Chelles|77500|55
Pantin|93500|59
Évry-Courcouronnes|91000|66
Fontenay-sous-Bois|94120|53
Fréjus|83600|55
Vannes|56000|54
Bondy|93140|54
La Roche-sur-Yon|85000|55
Arles|13200|51
Clamart|92140|53
Narbonne|11100|56
Annemasse|74100|37
Sartrouville|78500|52
Grasse|06130|51
Laval|53000|50
Belfort|90000|46
Bayonne|64100|52
Évreux|27000|47
Vincennes|94300|50
Montrouge|92120|50
Albi|81000|49
Blois|41000|46
Saint-Malo|35400|47
Charleville-Mézières|08000|46
Bourg-en-Bresse|01000|42
Gap|05000|41
Digne-les-Bains|04000|16
Moulins|03000|20
Laon|02000|24
Privas|07000|8
Chartres|28000|39
Périgueux|24000|30
Agen|47000|33
Auxerre|89000|34
Nevers|58000|33
Vichy|03200|25
Montauban|82000|61
Tarbes|65000|41
Angoulême|16000|42
Saint-Brieuc|22000|44
Lannion|22300|20
Rodez|12000|25
Cahors|46000|20
Mâcon|71000|34
Chalon-sur-Saône|71100|45
Saint-Nazaire|44600|72
Douai|59500|40
Arras|62000|42
Dunkerque|59140|87
Compiègne|60200|40
Saint-Germain-en-Laye|78100|44
Lens|62300|31
Thionville|57100|41
Épinal|88000|32
Châteauroux|36000|43
Alès|30100|43
Sète|34200|44
Biarritz|64200|25
Anglet|64600|40
Mont-de-Marsan|40000|30
Dax|40100|21
Carcassonne|11000|46
Montélimar|26200|40
Vienne|38200|30
Roanne|42300|34
Saint-Priest|69800|47
Bron|69500|42
Villefranche-sur-Saône|69400|37
Lunel|34400|27
Draguignan|83300|40
Aubagne|13400|47
Martigues|13500|49
Istres|13800|44
Salon-de-Provence|13300|46
Vitrolles|13127|34
Menton|06500|30
Cagnes-sur-Mer|06800|52
Saint-Raphaël|83700|36
Bastia|20200|48
Bagnolet|93170|36
Saint-Ouen-sur-Seine|93400|51
Courbevoie|92400|82
Puteaux|92800|45
Suresnes|92150|49
Rosny-sous-Bois|93110|46
Le Blanc-Mesnil|93150|57
Sevran|93270|51
Livry-Gargan|93190|45
Massy|91300|51
Palaiseau|91120|36
Corbeil-Essonnes|91100|52
Savigny-sur-Orge|91600|37
Melun|77000|41
Pontoise|95300|32
Poissy|78300|39
Mantes-la-Jolie|78200|44
Plaisir|78370|31
Trappes|78190|32
Guyancourt|78280|29
Houilles|78800|32
Saint-Herblain|44800|48
Rezé|44400|43
Lanester|56600|23
Quimperlé|29300|12
Morlaix|29600|15
Saint-Lô|50000|19
Cherbourg-en-Cotentin|50100|78
Alençon|61000|26
Lisieux|14100|20
Dieppe|76200|29
Fécamp|76400|18
Elbeuf|76500|16
Vernon|27200|24
Dreux|28100|30
Châlons-en-Champagne|51000|44
Épernay|51200|22
Sedan|08200|16
Verdun|55100|17
Bar-le-Duc|55000|15
Lunéville|54300|18
Saint-Dié-des-Vosges|88100|20
Haguenau|67500|35
Sélestat|67600|19
Saint-Louis|68300|22
Montbéliard|25200|25
Pontarlier|25300|17
Dole|39100|23
Lons-le-Saunier|39000|17
Vesoul|70000|15
Chaumont|52000|22
Sens|89100|26
Beaune|21200|20
Le Creusot|71200|21
Aurillac|15000|25
Le Puy-en-Velay|43000|19
Mende|48000|12
Guéret|23000|13
Tulle|19000|14
Brive-la-Gaillarde|19100|46
Bergerac|24100|26
Libourne|33500|25
Arcachon|33120|11
Saintes|17100|25
Rochefort|17300|24
Royan|17200|19
Cognac|16100|18
Châtellerault|86100|31
Saumur|49400|26
Les Sables-d'Olonne|85100|45
Vierzon|18100|25
Montargis|45200|14
Foix|09000|10
Pamiers|09100|16
Auch|32000|22
Castres|81100|42
Millau|12100|22
Annonay|07100|16
Aubenas|07200|12
Thonon-les-Bains|74200|36
Aix-les-Bains|73100|31
Voiron|38500|20
Bourgoin-Jallieu|38300|29
Échirolles|38130|37
Oyonnax|01100|22
Manosque|04100|22
Orange|84100|29
Carpentras|84200|28
Cavaillon|84300|26"""
BE_CITIES = """\
Bruxelles|1000|180
Schaerbeek|1030|130
Etterbeek|1040|48
Ixelles|1050|87
Uccle|1180|83
Wavre|1300|35
Louvain-la-Neuve|1348|30
Nivelles|1400|28
Waterloo|1410|30
Liège|4000|195
Namur|5000|110
Charleroi|6000|200
Arlon|6700|30
Mons|7000|95
Tournai|7500|69"""
CH_CITIES = """\
Genève|1201,1202,1205,1207|150
Lausanne|1003,1004,1005,1006|140
Fribourg|1700|38
Neuchâtel|2000|44
Sion|1950|34
Montreux|1820|26
Vevey|1800|20
Nyon|1260|22
Yverdon-les-Bains|1400|30
Delémont|2800|12"""

EMAIL_DOMAINS = {
    "FR": {"gmail.com": 38, "orange.fr": 16, "free.fr": 10, "hotmail.fr": 10, "laposte.net": 7, "yahoo.fr": 6,
           "sfr.fr": 5, "outlook.fr": 4, "wanadoo.fr": 3, "icloud.com": 1},
    "BE": {"gmail.com": 45, "skynet.be": 20, "hotmail.com": 15, "outlook.be": 10, "proximus.be": 10},
    "CH": {"gmail.com": 40, "bluewin.ch": 35, "hotmail.ch": 15, "sunrise.ch": 10},
}
# Phone layouts by country: (calling code, {layout: share}); each N takes the
# next digit of the 9-digit national significant number.
PHONE_LAYOUTS = {
    "FR": (33, {"0N NN NN NN NN": 0.45, "0NNNNNNNNN": 0.25, "+33 N NN NN NN NN": 0.15,
                "+33NNNNNNNNN": 0.10, "0N.NN.NN.NN.NN": 0.05}),
    "BE": (32, {"0NNN NN NN NN": 0.5, "+32 NNN NN NN NN": 0.35, "+32NNNNNNNNN": 0.15}),
    "CH": (41, {"0NN NNN NN NN": 0.5, "+41 NN NNN NN NN": 0.35, "+41NNNNNNNNN": 0.15}),
}
# Common real street names, mixed with Faker's so that "rue des Lilas" exists.
REAL_STREETS = [
    "rue des Lilas", "rue Victor Hugo", "avenue Jean Jaurès", "rue de la République", "rue Pasteur",
    "rue de la Gare", "chemin du Moulin", "place de l'Église", "rue des Écoles", "allée des Tilleuls",
    "impasse des Roses", "boulevard Gambetta", "rue du Général de Gaulle", "rue Jules Ferry", "rue de la Paix",
    "rue des Acacias", "rue du Stade", "rue de la Fontaine", "avenue de la Libération", "rue Voltaire",
    "rue Émile Zola", "rue du Château", "rue des Peupliers", "allée des Mésanges", "rue Anatole France",
    "boulevard Carnot", "rue Saint-Martin", "rue des Jardins", "chemin des Vignes", "rue Jean Moulin",
]
ADDRESS2 = ["Appartement {n}", "Bâtiment {b}", "Résidence Les Tilleuls", "Escalier {k}, {n}e étage",
            "Apt {n}{b}", "Chez Mme {last}"]
BUYER_NOTES = ["Préfère la livraison en point relais", "Rencontrée au marché de Noël",
               "Taille enfant : 4 ans", "A demandé un échange de taille"]
MONTH_SEASON = [0.75, 0.80, 0.90, 0.90, 1.05, 0.85, 0.70, 0.75, 1.15, 1.00, 1.50, 1.00]


# --------------------------------------------------------------------------- calendar

def calendar(p: Params) -> pd.DatetimeIndex:
    """Every day a sale may happen on."""
    return pd.date_range(p.start, p.end, freq="D")


def purchase_season(days: pd.DatetimeIndex) -> np.ndarray:
    """Relative daily buying intensity: Christmas gifts dominate (1-22 December),
    Black Friday week and back-to-school help, summer is quiet."""
    season = np.array(MONTH_SEASON)[days.month - 1]
    dec = days.month == 12
    season = np.where(dec & (days.day <= 22), 3.8, season)
    season = np.where(dec & (days.day > 22) & (days.day <= 24), 2.0, season)
    season = np.where(dec & (days.day > 24), 0.8, season)
    for year in sorted(set(days.year)):
        nov30 = pd.Timestamp(year, 11, 30)
        black_friday = nov30 - pd.Timedelta(days=(nov30.weekday() - 4) % 7)
        week = (days >= black_friday - pd.Timedelta(days=1)) & (days <= black_friday + pd.Timedelta(days=3))
        season = np.where(week, 2.5, season)
    return season * np.where(days.day_of_week == 6, 1.15, 1.0)


def acquisition_level(days: pd.DatetimeIndex) -> np.ndarray:
    """How many new buyers the brand can reach per day: craft markets in January,
    the crowdfunding campaign, Etsy from April, the own e-shop from July, then growth."""
    t = days.to_numpy()
    level = np.full(len(days), 0.25)
    level[(t >= np.datetime64("2025-02-03")) & (t <= np.datetime64("2025-03-16"))] = 2.2
    level[(t > np.datetime64("2025-03-16")) & (t < np.datetime64("2025-04-01"))] = 0.4
    level[(t >= np.datetime64("2025-04-01")) & (t < np.datetime64("2025-07-01"))] = 0.6
    shop = t >= np.datetime64("2025-07-01")
    opened = np.datetime64("2025-07-01")
    ramp = (t[shop] - opened).astype(float) / max(1.0, float((t[-1] - opened).astype(float)))
    level[shop] = 1.0 + 0.8 * ramp
    return level


# --------------------------------------------------------------------------- accounts and purchases

ROLES = ("buyer", "newsletter", "stale", "dup_exact_email", "dup_phone_format", "dup_fuzzy_name_address")
BUYER, NEWSLETTER, STALE, DUP_EXACT, DUP_PHONE, DUP_FUZZY = range(len(ROLES))


def planted_counts(p: Params) -> dict:
    """Exact number of each planted problem: rate x customers, rounded."""
    return {group: {kind: int(round(rate * p.customers)) for kind, rate in kinds.items()}
            for group, kinds in p.planted_rates.items()}


def assign_roles(rng: np.random.Generator, p: Params, counts: dict) -> tuple[np.ndarray, np.ndarray]:
    """Give every Shopify row a role; duplicate accounts buy half of the time
    (a second account used for a later order is the usual way duplicates arise)."""
    dups = counts["duplicates"]
    sizes = {NEWSLETTER: int(round(p.newsletter_share * p.customers)), STALE: int(round(p.stale_share * p.customers)),
             DUP_EXACT: dups["exact_email"], DUP_PHONE: dups["phone_format"], DUP_FUZZY: dups["fuzzy_name_address"]}
    sizes[BUYER] = p.customers - sum(sizes.values())
    if sizes[BUYER] <= 0:
        raise ValueError("too few customers for the requested shares")
    role = np.concatenate([np.full(sizes[r], r, dtype=np.int8) for r in range(len(ROLES))])
    role = rng.permutation(role)
    buys = (role == BUYER) | ((role >= DUP_EXACT) & (rng.random(p.customers) < 0.5))
    return role, buys


@dataclass
class Purchases:
    """Simulated sales orders (one per purchase) and the BG/NBD truth per buyer."""

    account: np.ndarray        # account index of each order
    day: np.ndarray            # day index of each order
    first_day: np.ndarray      # per account, -1 for never-buyers
    dropped_out: np.ndarray    # per account: became inactive before the end of the window
    rate_scale: float          # purchases per (seasonal) day for a unit Gamma draw


def simulate_purchases(rng: np.random.Generator, p: Params, buys: np.ndarray, days: pd.DatetimeIndex,
                       target_orders: int) -> Purchases:
    """BG/NBD-like simulation, vectorised: a buyer is acquired on a day drawn from
    acquisition x season, then repeats at rate lambda (Gamma) in seasonal time
    (so December stays the peak) until a dropout coin (p ~ Beta) after a purchase
    says stop. lambda's scale is searched so the orders fit the requested lines."""
    season = purchase_season(days)
    cum = np.cumsum(season)
    n_days = len(days)
    buyers = np.flatnonzero(buys)
    nb = len(buyers)
    acq = acquisition_level(days) * season
    day0 = rng.choice(n_days, size=nb, p=acq / acq.sum())
    u0 = cum[day0] - season[day0] * rng.random(nb)
    lam = rng.gamma(p.gamma_shape_r, 1.0 / p.gamma_shape_r, nb)
    dropout = rng.beta(p.dropout_beta_a, p.dropout_beta_b, nb)
    repeats = np.minimum(rng.geometric(dropout) - 1, p.max_repeats)
    owner = np.repeat(np.arange(nb), repeats)
    gaps = rng.standard_exponential(int(repeats.sum()))
    total = np.cumsum(gaps)
    offset = np.concatenate(([0.0], total))[np.cumsum(repeats) - repeats]
    within = total - np.repeat(offset, repeats)
    owner_u0, owner_lam = u0[owner], lam[owner]

    def kept(scale: float) -> np.ndarray:
        return owner_u0 + within / (owner_lam * scale) < cum[-1]

    lo, hi = 1e-6, 0.2  # purchases per seasonal day: from never to ~ every 5 days
    if nb + kept(hi).sum() >= target_orders:
        for _ in range(60):
            mid = (lo * hi) ** 0.5
            lo, hi = (mid, hi) if nb + kept(mid).sum() < target_orders else (lo, mid)
    scale = hi
    keep = kept(scale)
    repeat_day = np.searchsorted(cum, owner_u0[keep] + within[keep] / (owner_lam[keep] * scale))
    account = np.concatenate([buyers, buyers[owner[keep]]])
    day = np.concatenate([day0, np.minimum(repeat_day, n_days - 1)])
    first_day = np.full(len(buys), -1)
    first_day[buyers] = day0
    dropped = np.zeros(len(buys), dtype=bool)
    dropped[buyers] = np.bincount(owner[keep], minlength=nb) == repeats  # all repeats used: inactive now
    return Purchases(account, day, first_day, dropped, float(scale))


def assign_ids(rng: np.random.Generator, created_day: np.ndarray) -> np.ndarray:
    """Shopify-like 13-digit ids, increasing with the account's creation."""
    order = np.lexsort((rng.random(len(created_day)), created_day))
    ids = np.empty(len(created_day), dtype=np.int64)
    ids[order] = 7_300_000_000_000 + np.cumsum(rng.integers(1_000, 400_000, len(created_day)))
    return ids


# --------------------------------------------------------------------------- people

@dataclass
class Pools:
    """Small Faker fr_FR pools that numpy samples from (fast at any size)."""

    first_female: list
    first_male: list
    last: list
    streets: list
    cities: pd.DataFrame  # country, city, zip, weight


def ascii_slug(text: str) -> str:
    """E-mail-safe form of a name: 'Lefèvre' -> 'lefevre', 'Le Gall' -> 'legall'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")


def build_pools(seed: int) -> Pools:
    """Names from Faker's fr_FR lists, streets from Faker plus common real ones,
    communes from the real tables above (Faker's fr_FR cities are invented)."""
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    streets = [fake.street_name() for _ in range(1200)]
    for particle in ("Le", "La", "De", "Da", "Dos"):  # 'rue de Le Goff' -> 'rue Le Goff'
        streets = [street.replace(f" de {particle} ", f" {particle} ") for street in streets]
    streets = [street for street in dict.fromkeys(streets) if street not in REAL_STREETS]
    streets = REAL_STREETS * 8 + streets  # repeated: about one address in six is on a real street name
    rows = []
    for country, table in (("FR", FR_CITIES), ("BE", BE_CITIES), ("CH", CH_CITIES)):
        for line in table.splitlines():
            city, zips, weight = line.split("|")
            if "-" in zips:
                first, last = zips.split("-")
                zips = ",".join(f"{z:05d}" for z in range(int(first), int(last) + 1))
            zip_list = zips.split(",")
            rows += [(country, city, z, float(weight) / len(zip_list)) for z in zip_list]
    return Pools(list(dict.fromkeys(FrenchNames.first_names_female)), list(dict.fromkeys(FrenchNames.first_names_male)),
                 list(dict.fromkeys(FrenchNames.last_names)), streets,
                 pd.DataFrame(rows, columns=["country", "city", "zip", "weight"]))


def weighted(rng: np.random.Generator, mapping: dict, size: int) -> np.ndarray:
    """Indices into mapping's keys drawn with its values as weights."""
    w = np.array(list(mapping.values()), dtype=float)
    return rng.choice(len(w), size=size, p=w / w.sum())


def strs(values) -> np.ndarray:
    return np.asarray(values, dtype=STR)


def unique_redraw(keys: np.ndarray, redraw) -> np.ndarray:
    """Redraw the rows whose key repeats an earlier one until all keys are unique."""
    for _ in range(100):
        dup = pd.Series(keys).duplicated().to_numpy()
        if not dup.any():
            return keys
        keys = redraw(dup, keys)
    raise RuntimeError("could not make keys unique")


def format_phones(cc: np.ndarray, nsn: np.ndarray, layout: np.ndarray) -> np.ndarray:
    """Write national significant numbers in the layout (index) given per row."""
    digits = np.strings.zfill(nsn.astype(STR), 9)
    out = np.full(len(nsn), "", dtype=STR)
    for code, layouts in PHONE_LAYOUTS.values():
        for i, pattern in enumerate(layouts):
            rows = (cc == code) & (layout == i)
            if rows.any():
                out[rows] = fill_layout(pattern, digits[rows])
    return out


def fill_layout(pattern: str, digits: np.ndarray) -> np.ndarray:
    """'+33 N NN NN NN NN' + '612345678' -> '+33 6 12 34 56 78', vectorised."""
    out, pos = np.full(len(digits), "", dtype=STR), 0
    for chunk in re.split("(N+)", pattern):
        if chunk.startswith("N"):
            out, pos = out + np.strings.slice(digits, pos, pos + len(chunk)), pos + len(chunk)
        elif chunk:
            out = out + chunk
    return out


def draw_numbers(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    """Valid national significant numbers: French mobiles (06/07), landlines and
    09 box lines; Belgian (047-049) and Swiss (075-079) mobiles."""
    n = len(country)
    rest7 = rng.integers(0, 10**7, n)
    kind = rng.random(n)
    d0 = np.where(kind < 0.60, 6, np.where(kind < 0.80, 7, np.where(kind < 0.93, rng.integers(1, 6, n), 9)))
    d1 = rng.integers(0, 10, n)
    d1 = np.where(d0 == 6, np.array([0, 1, 2, 4, 5, 6, 7, 8])[rng.integers(0, 8, n)], d1)
    d1 = np.where(d0 == 7, rng.integers(3, 9, n), d1)
    d1 = np.where(d0 == 2, np.array([0, 1, 2, 3, 4, 5, 7, 8, 9])[rng.integers(0, 9, n)], d1)
    d1 = np.where(d0 == 4, rng.integers(1, 10, n), d1)
    d1 = np.where(d0 == 5, rng.integers(0, 9, n), d1)
    fr = d0 * 10**8 + d1 * 10**7 + rest7
    be = 4 * 10**8 + rng.integers(7, 10, n) * 10**7 + rest7
    ch = 7 * 10**8 + rng.integers(5, 10, n) * 10**7 + rest7
    return np.where(country == "BE", be, np.where(country == "CH", ch, fr)).astype(np.int64)


def make_people(rng: np.random.Generator, p: Params, pools: Pools) -> dict:
    """One plausible French (Belgian, Swiss) parent per row, with unique e-mails
    and phones (and unique first+last names while the pools allow it)."""
    n = p.customers
    countries = list(p.country_shares)
    country = np.array(countries)[weighted(rng, p.country_shares, n)]
    n_f, n_m, n_l = len(pools.first_female), len(pools.first_male), len(pools.last)
    female = rng.random(n) < 0.82
    first_i = np.where(female, rng.integers(0, n_f, n), n_f + rng.integers(0, n_m, n))
    last_i = rng.integers(0, n_l, n)
    if n <= (n_f + n_m) * n_l // 20:  # small files: no accidental homonyms
        def other_last(dup, keys):
            last_i[dup] = rng.integers(0, n_l, dup.sum())
            return first_i * n_l + last_i
        unique_redraw(first_i * n_l + last_i, other_last)
    first_pool = pools.first_female + pools.first_male
    first, last = strs(first_pool)[first_i], strs(pools.last)[last_i]

    # e-mail: prenom.nom@ and its usual variants, domain by country
    fa, la = strs([ascii_slug(x) for x in first_pool])[first_i], strs([ascii_slug(x) for x in pools.last])[last_i]
    ini = strs([ascii_slug(x)[:1] for x in first_pool])[first_i]
    style = weighted(rng, {"p.n": 40, "pn": 12, "i.n": 10, "p.n00": 15, "n.p": 10, "p_n": 5, "p.nYYYY": 8}, n)
    two = rng.integers(10, 100, n).astype(STR)
    year = rng.integers(1982, 1998, n).astype(STR)
    local = np.empty(n, dtype=STR)
    for s, build in enumerate([lambda m: fa[m] + "." + la[m], lambda m: fa[m] + la[m], lambda m: ini[m] + "." + la[m],
                               lambda m: fa[m] + "." + la[m] + two[m], lambda m: la[m] + "." + fa[m],
                               lambda m: fa[m] + "_" + la[m], lambda m: fa[m] + "." + la[m] + year[m]]):
        m = style == s
        local[m] = build(m)
    domain = np.empty(n, dtype=STR)
    for c in countries:
        m = country == c
        names = list(EMAIL_DOMAINS[c])
        domain[m] = strs(names)[weighted(rng, EMAIL_DOMAINS[c], int(m.sum()))]

    def renumber(dup, keys):
        local[dup] = local[dup] + rng.integers(1, 1000, dup.sum()).astype(STR)
        return local + "@" + domain
    email = unique_redraw(local + "@" + domain, renumber)

    # phone: unique number, written in one of the country's usual layouts
    code = np.select([country == "BE", country == "CH"], [32, 41], 33)
    nsn = draw_numbers(rng, country)

    def new_number(dup, keys):
        nsn[dup] = draw_numbers(rng, country[dup])
        return code * 10**9 + nsn
    unique_redraw(code * 10**9 + nsn, new_number)
    phone_style = np.zeros(n, dtype=np.int64)
    for c in countries:
        m = country == c
        phone_style[m] = weighted(rng, PHONE_LAYOUTS[c][1], int(m.sum()))

    # address: real commune + postal code, Faker/real street
    city_i = np.empty(n, dtype=np.int64)
    for c in countries:
        m = country == c
        table = pools.cities.index[pools.cities.country == c].to_numpy()
        w = pools.cities.weight.to_numpy()[table]
        city_i[m] = table[rng.choice(len(table), size=int(m.sum()), p=w / w.sum())]
    number = np.minimum(1 + rng.geometric(0.04, n), 250).astype(STR)
    suffix = np.array(["", " bis", " ter"])[rng.choice(3, n, p=[0.97, 0.02, 0.01])]
    street = strs(pools.streets)[rng.integers(0, len(pools.streets), n)]
    address2 = np.full(n, "", dtype=STR)
    has2 = rng.random(n) < 0.15
    kinds = rng.integers(0, len(ADDRESS2), n)
    fillers = {"{n}": rng.integers(1, 60, n).astype(STR), "{b}": strs(list("ABCD"))[rng.integers(0, 4, n)],
               "{k}": rng.integers(1, 5, n).astype(STR), "{last}": strs(pools.last)[rng.integers(0, n_l, n)]}
    for k, layout in enumerate(ADDRESS2):
        m = has2 & (kinds == k)
        value = np.full(int(m.sum()), layout, dtype=STR)
        for placeholder, filler in fillers.items():
            value = np.strings.replace(value, placeholder, filler[m])
        address2[m] = value
    return {
        "country": strs(country), "first": first, "last": last, "email": email,
        "phone_cc": code, "phone_nsn": nsn, "phone_style": phone_style,
        "address1": number + suffix + " " + street, "address2": address2,
        "city": strs(pools.cities.city.to_numpy())[city_i], "zip": strs(pools.cities.zip.to_numpy())[city_i],
    }


# --------------------------------------------------------------------------- sales lines

ARTICLES = [a for a, _, _, _ in CATALOGUE] + [BULK_ARTICLE, GIFT_ARTICLE]
BULK_CODE, GIFT_CODE = len(CATALOGUE), len(CATALOGUE) + 1
NO_DOCUMENT, INVOICE, CREDIT_NOTE = 0, 1, 2


@dataclass
class Sales:
    """Invoice lines, one entry per line of ventes.csv, already sorted; text is
    only built when writing (integer codes are fast to sort and count)."""

    account: np.ndarray
    day: np.ndarray
    doc_kind: np.ndarray       # NO_DOCUMENT, INVOICE (FA-000123) or CREDIT_NOTE (AV-000012)
    doc_number: np.ndarray
    doc_width: int
    article: np.ndarray        # index into ARTICLES
    quantity: np.ndarray
    cents: np.ndarray
    order_key: np.ndarray      # distinct order: customer + document, or customer + date without document

    @property
    def is_refund(self) -> np.ndarray:
        return self.doc_kind == CREDIT_NOTE

    def documents(self) -> pa.Array:
        """'FA-000123' / 'AV-000012' / '' as Arrow text."""
        number = pc.utf8_lpad(pc.cast(pa.array(self.doc_number), pa.large_string()), self.doc_width, "0")
        prefix = pa.array(["", "FA-", "AV-"], pa.large_string()).take(pa.array(self.doc_kind))
        return pc.if_else(pa.array(self.doc_kind == NO_DOCUMENT), text(""),
                          pc.binary_join_element_wise(prefix, number, text("")))


def make_sales(rng: np.random.Generator, p: Params, buys: Purchases, ids: np.ndarray, days: pd.DatetimeIndex,
               bulk_accounts: np.ndarray) -> Sales:
    """Turn orders into invoice lines: products by season, quantities, promo codes,
    one big nursery line per bulk account, free gifts, refunds on their own credit
    notes, and a few orders keyed at a market stall with no invoice number."""
    n_orders = len(buys.account)
    n_refunds, n_gifts = int(round(p.refund_rate * n_orders)), int(round(p.gift_rate * n_orders))
    product_lines = p.lines - n_refunds - n_gifts
    if product_lines < n_orders:
        raise ValueError(f"--lines {p.lines} is too small for {n_orders} orders")
    per_order = 1 + np.bincount(rng.integers(0, n_orders, product_lines - n_orders), minlength=n_orders)
    line_order = np.repeat(np.arange(n_orders), per_order)
    n_lines = len(line_order)
    december = (days.month.to_numpy() == 12)[buys.day[line_order]]
    weights = np.array([[w, wd] for _, _, w, wd in CATALOGUE], dtype=float)
    product = np.where(december, rng.choice(len(CATALOGUE), n_lines, p=weights[:, 1] / weights[:, 1].sum()),
                       rng.choice(len(CATALOGUE), n_lines, p=weights[:, 0] / weights[:, 0].sum()))
    qty = np.array([int(q) for q in p.quantities])[weighted(rng, p.quantities, n_lines)]
    cents = np.array([c for _, c, _, _ in CATALOGUE])[product] * qty
    gift_card = np.array([a.startswith("Carte cadeau") for a, _, _, _ in CATALOGUE])[product]
    promo = (rng.random(n_lines) < p.discount_share) & ~gift_card  # promo codes don't apply to gift cards
    cents[promo] = (cents[promo] * 9 + 5) // 10

    # one large order line (>= 1 000 EUR) per nursery/school account: its first line
    first_line = np.cumsum(per_order) - per_order
    first_order = np.full(int(buys.account.max()) + 1, -1)
    first_order[buys.account[::-1]] = np.arange(n_orders)[::-1]  # earliest index wins
    bulk_line = first_line[first_order[bulk_accounts]]
    product[bulk_line] = BULK_CODE
    qty[bulk_line] = np.resize(BULK_QUANTITIES, len(bulk_line))
    cents[bulk_line] = qty[bulk_line] * BULK_UNIT_CENTS

    # orders keyed without invoice number: never two on the same customer + day
    no_invoice = rng.random(n_orders) < p.no_invoice_rate
    pair = buys.account.astype(np.int64) * 100_000 + buys.day
    clash = pd.Series(np.where(no_invoice, pair, -1 - np.arange(n_orders))).duplicated().to_numpy()
    no_invoice &= ~clash
    by_date = np.lexsort((ids[buys.account], buys.day))
    invoiced = by_date[~no_invoice[by_date]]
    doc_number = np.zeros(n_orders, dtype=np.int64)
    doc_number[invoiced] = np.arange(1, len(invoiced) + 1)

    # free gifts, mostly with Christmas orders
    xmas = np.flatnonzero(np.isin(days.month.to_numpy()[buys.day], (11, 12)))
    pool = xmas if len(xmas) >= n_gifts else np.arange(n_orders)
    gift_order = np.sort(rng.choice(pool, n_gifts, replace=False))

    # refunds: a whole line sent back 3-14 days later, on its own credit note
    last_day = len(days) - 1
    returnable = (product != BULK_CODE) & ~no_invoice[line_order] & (buys.day[line_order] <= last_day - 14)
    eligible = np.flatnonzero(returnable)
    refunded = np.sort(rng.choice(eligible, n_refunds, replace=False))
    refund_day = buys.day[line_order[refunded]] + rng.integers(3, 15, n_refunds)
    refund_account = buys.account[line_order[refunded]]
    credit_number = np.empty(n_refunds, dtype=np.int64)
    credit_number[np.lexsort((ids[refund_account], refund_day))] = np.arange(1, n_refunds + 1)

    order_kind = np.where(no_invoice, NO_DOCUMENT, INVOICE).astype(np.int8)
    account = np.concatenate([buys.account[line_order], buys.account[gift_order], refund_account])
    day = np.concatenate([buys.day[line_order], buys.day[gift_order], refund_day])
    seq = np.concatenate([np.arange(n_lines) - first_line[line_order], per_order[gift_order], np.zeros(n_refunds, int)])
    doc_kind = np.concatenate([order_kind[line_order], order_kind[gift_order],
                               np.full(n_refunds, CREDIT_NOTE, np.int8)])
    doc_number = np.concatenate([doc_number[line_order], doc_number[gift_order], credit_number])
    doc_number[doc_kind == NO_DOCUMENT] = 0
    article = np.concatenate([product, np.full(n_gifts, GIFT_CODE), product[refunded]])
    quantity = np.concatenate([qty, np.ones(n_gifts, int), -qty[refunded]])
    amount = np.concatenate([cents, np.zeros(n_gifts, np.int64), -cents[refunded]])

    # sorted by date, then no document, invoices, credit notes, then customer and line
    order = np.lexsort((seq, ids[account], doc_number, doc_kind, day))
    # distinct orders: customer + document, or customer + date when there is no document
    key = np.where(doc_kind == NO_DOCUMENT, account.astype(np.int64) * 10**5 + day,
                   -(doc_kind.astype(np.int64) * 10**13 + doc_number))
    width = max(6, len(str(max(len(invoiced), n_refunds))))
    return Sales(account[order], day[order], doc_kind[order], doc_number[order], width, article[order],
                 quantity[order], amount[order], key[order])


# --------------------------------------------------------------------------- planted problems

def typo_name(rng: np.random.Generator, name: str) -> str:
    """A realistic misspelling that survives lower-casing and accent removal:
    Dupont/Dupond, swapped letters, doubled or dropped letter."""
    swaps = {"t": "d", "d": "t", "s": "", "x": "s", "y": "i", "i": "y", "c": "k"}
    if name[-1].lower() in swaps and swaps[name[-1].lower()] and rng.random() < 0.4:
        return name[:-1] + swaps[name[-1].lower()]  # sounds the same: Dupont / Dupond
    candidates = []
    for i in range(1, len(name) - 2):
        if name[i].isalpha() and name[i + 1].isalpha() and name[i] != name[i + 1]:
            candidates.append(name[:i] + name[i + 1] + name[i] + name[i + 2:])
    for i in range(1, len(name) - 1):
        if name[i].isalpha() and name[i].lower() not in "aeiouyéèêëàâîïôûü":
            candidates.append(name[:i] + name[i] + name[i:])  # doubled consonant: Bodin / Boddin
        if name[i].isalpha() and len(name) >= 6:
            candidates.append(name[:i] + name[i + 1:])
    candidates = [c for c in dict.fromkeys(candidates) if c and ascii_slug(c) != ascii_slug(name)] or [name + "e"]
    return candidates[rng.integers(len(candidates))]


def typo_address(rng: np.random.Generator, address: str) -> str:
    """The same street keyed differently: lower-cased name, abbreviated type,
    dropped accent or swapped letters ('rue des Lilas' / 'rue des lilas')."""
    abbrev = {"avenue": "av.", "boulevard": "bd", "rue": "r.", "allée": "all.", "chemin": "ch.", "place": "pl."}
    words = address.split(" ")
    candidates = [address.lower()]
    for i, w in enumerate(words):
        if w in abbrev:
            candidates.append(" ".join(words[:i] + [abbrev[w]] + words[i + 1:]))
        if len(w) > 4 and w.isalpha():
            j = 1 + int(rng.integers(len(w) - 3))
            candidates.append(" ".join(words[:i] + [w[:j] + w[j + 1] + w[j] + w[j + 2:]] + words[i + 1:]))
    plain = unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode()
    candidates.append(plain)
    candidates = [c for c in dict.fromkeys(candidates) if c != address]
    return candidates[rng.integers(len(candidates))]


def email_case_variant(rng: np.random.Generator, email: str) -> str:
    """The same address as typed again: capitals and/or stray spaces around it."""
    local, domain = email.split("@")
    variants = [local.capitalize() + "@" + domain, email.upper(), " " + email, email + " ",
                ".".join(w.capitalize() for w in local.split(".")) + "@" + domain.capitalize()]
    variants = [v for v in variants if v != email]
    return variants[rng.integers(len(variants))]


def corrupt_email(kind: str, email: str) -> str:
    """The four typing errors we plant: no TLD, a space, no @, a double @."""
    local, domain = email.split("@")
    if kind == "missing_tld":
        return local + "@" + domain.rsplit(".", 1)[0]
    if kind == "space":
        return (local.replace(".", " ", 1) if "." in local else local[:2] + " " + local[2:]) + "@" + domain
    if kind == "missing_at":
        return local + domain
    return local + "@@" + domain


def corrupt_phone(rng: np.random.Generator, kind: str, phone: str) -> str:
    """Too short (digits lost at the end) or a letter keyed instead of a digit."""
    if kind == "too_short":
        return phone[:-int(rng.integers(1, 3))].rstrip(" .")
    digits = [i for i, c in enumerate(phone) if c.isdigit() and i >= 3]
    i = digits[rng.integers(len(digits))]
    look_alike = {"0": "O", "1": "l", "5": "S", "8": "B"}
    return phone[:i] + look_alike.get(phone[i], "A") + phone[i + 1:]


def corrupt_zip(rng: np.random.Generator, kind: str, zip_code: str) -> str:
    """French postal code broken as spreadsheets and hurried typing do."""
    if kind == "four_digits":
        return zip_code[1:] if zip_code.startswith("0") else zip_code[:4]
    look_alike = {"0": "O", "1": "I", "5": "S", "8": "B"}
    spots = [i for i, c in enumerate(zip_code) if c in look_alike] or [4]
    i = spots[rng.integers(len(spots))]
    return zip_code[:i] + look_alike.get(zip_code[i], "A") + zip_code[i + 1:]


def plant_problems(rng: np.random.Generator, counts: dict, rows: dict, role: np.ndarray, has_phone: np.ndarray,
                   bulk: np.ndarray, ids: np.ndarray) -> dict:
    """Plant every defect on distinct rows, so each count is exact and each kind is
    caught by its own test: exact e-mail, then phone, then name+address."""
    used = np.zeros(len(role), dtype=bool)
    used[bulk] = True
    clean_buyers = (role == BUYER) & ~used
    taken_emails = set(np.strings.lower(np.strings.strip(rows["email"])).tolist())
    planted: dict = {}

    def pick(mask: np.ndarray, k: int) -> np.ndarray:
        candidates = np.flatnonzero(mask & ~used)
        if len(candidates) < k:
            raise ValueError("not enough rows to plant problems on")
        chosen = np.sort(rng.choice(candidates, k, replace=False))
        used[chosen] = True
        return chosen

    def fresh_email(row: int, first: str, last: str) -> str:
        domains = list(EMAIL_DOMAINS[rows["country"][row]])
        for attempt in range(1000):
            local = [ascii_slug(first)[:1] + ascii_slug(last), ascii_slug(first) + "." + ascii_slug(last) + ".pro",
                     ascii_slug(last) + ascii_slug(first)[:1]][attempt % 3] + (str(attempt) if attempt >= 3 else "")
            email = local + "@" + domains[int(rng.integers(len(domains)))]
            if email not in taken_emails:
                taken_emails.add(email)
                return email
        raise RuntimeError("no free e-mail")

    pairs: dict = {}
    for kind, dup_role in (("exact_email", DUP_EXACT), ("phone_format", DUP_PHONE), ("fuzzy_name_address", DUP_FUZZY)):
        dups = np.flatnonzero(role == dup_role)
        used[dups] = True
        targets = pick(clean_buyers & (has_phone if kind != "fuzzy_name_address" else True), len(dups))
        for dup, src in zip(dups, targets):
            for col in ("country", "first", "last", "address1", "address2", "city", "zip", "phone_cc", "phone_nsn"):
                rows[col][dup] = rows[col][src]
            rows["phone"][dup] = rows["phone"][src]
            rows["address_phone"][dup] = rows["address_phone"][src] if kind == "exact_email" else ""
            has_phone[dup] = has_phone[src]
            if kind == "exact_email":
                rows["email"][dup] = email_case_variant(rng, rows["email"][src])
            elif kind == "phone_format":  # same number, another layout (re-written below, all at once)
                styles = len(PHONE_LAYOUTS[rows["country"][src]][1])
                rows["phone_style"][dup] = (int(rows["phone_style"][src]) + 1 + int(rng.integers(styles - 1))) % styles
                rows["email"][dup] = fresh_email(dup, rows["first"][src], rows["last"][src])
            else:
                rows["last"][dup] = typo_name(rng, rows["last"][src])
                if rng.random() < 0.15:
                    rows["first"][dup] = typo_name(rng, rows["first"][src])
                rows["address1"][dup] = typo_address(rng, rows["address1"][src])
                if rng.random() < 0.2:
                    rows["city"][dup] = rows["city"][src].upper()
                rows["email"][dup] = fresh_email(dup, rows["first"][dup], rows["last"][dup])
                has_phone[dup] = False  # a second phone would make it a phone duplicate
                rows["phone"][dup] = ""
        if kind == "phone_format":
            rows["phone"][dups] = format_phones(rows["phone_cc"][dups], rows["phone_nsn"][dups],
                                                rows["phone_style"][dups])
        pairs[kind] = {"count": len(dups), "pairs": sorted([str(ids[s]), str(ids[d])] for s, d in zip(targets, dups))}
    planted["duplicates"] = {"count": sum(v["count"] for v in pairs.values()), "by_kind": pairs}

    customers = (role == BUYER)
    planted["invalid_emails"] = {"count": sum(counts["invalid_emails"].values()), "by_kind": {}}
    for kind, k in counts["invalid_emails"].items():
        chosen = pick(customers, k)
        for r in chosen:
            rows["email"][r] = corrupt_email(kind, rows["email"][r])
        planted["invalid_emails"]["by_kind"][kind] = {"count": k, "ids": id_list(ids[chosen])}
    planted["invalid_phones"] = {"count": sum(counts["invalid_phones"].values()), "by_kind": {}}
    for kind, k in counts["invalid_phones"].items():
        chosen = pick(customers & has_phone, k)
        for r in chosen:
            rows["phone"][r] = corrupt_phone(rng, kind, rows["phone"][r])
            rows["address_phone"][r] = ""
        planted["invalid_phones"]["by_kind"][kind] = {"count": k, "ids": id_list(ids[chosen])}
    planted["invalid_postal_codes"] = {"count": sum(counts["invalid_postal_codes"].values()), "by_kind": {}}
    fr = rows["country"] == "FR"
    leading_zero = np.strings.startswith(rows["zip"], "0")
    for kind, k in counts["invalid_postal_codes"].items():
        chosen = pick(customers & fr & (leading_zero if kind == "four_digits" else True), k)
        for r in chosen:
            rows["zip"][r] = corrupt_zip(rng, kind, rows["zip"][r])
        planted["invalid_postal_codes"]["by_kind"][kind] = {"count": k, "ids": id_list(ids[chosen])}
    planted["missing_fields"] = {}  # totals are added once newsletter-only rows are blanked
    for col, kind in (("email", "email"), ("zip", "postal_code")):
        chosen = pick(customers, counts["missing"][kind])
        rows[col][chosen] = ""
        planted["missing_fields"][kind] = {"planted_on_customers": len(chosen), "ids": id_list(ids[chosen])}
    return planted


# --------------------------------------------------------------------------- writing

def text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def csv_column(values, sep: str, order: np.ndarray | None = None, quote_all: bool = False) -> pa.Array:
    """One column as Arrow text (rows taken in `order`), RFC 4180-quoted where
    needed (separator, quote or line break), or everywhere as Shopify does."""
    if isinstance(values, pa.Array):
        col = pc.cast(values, pa.large_string())
    elif np.asarray(values).dtype.kind in "iu":
        col = pc.cast(pa.array(values), pa.large_string())
    else:
        col = pa.array(np.asarray(values, dtype=STR), type=pa.large_string())
    if order is not None:
        col = col.take(pa.array(order))
    needs = pc.match_substring_regex(col, "[" + sep + '"\r\n]')
    if quote_all or pc.any(needs).as_py():
        quoted = pc.binary_join_element_wise(text('"'), pc.replace_substring(col, '"', '""'), text('"'), text(""))
        col = quoted if quote_all else pc.if_else(needs, quoted, col)
    return col


def write_csv(path: Path, header: list, columns: list, sep: str, encoding: str, newline: str,
              order: np.ndarray | None = None, quote_all: bool = False) -> None:
    """Join the columns with Arrow compute (fast for millions of rows) and
    write the file in one go, transcoded to the export's encoding."""
    lines = pc.binary_join_element_wise(*[csv_column(c, sep, order, quote_all) for c in columns], text(sep))
    lines = pc.binary_join_element_wise(lines, text(newline), text(""))
    offsets, data = lines.buffers()[1], lines.buffers()[2]
    start, end = np.frombuffer(offsets, dtype=np.int64)[[lines.offset, lines.offset + len(lines)]]
    body = data[int(start):int(end)].to_pybytes()
    head = sep.join(csv_column(strs(header), sep, quote_all=quote_all).to_pylist()) + newline
    if encoding != "utf-8":
        body = body.decode("utf-8").encode(encoding)
    path.write_bytes(head.encode(encoding) + body)


def excel_text(values: np.ndarray) -> np.ndarray:
    """Shopify's leading apostrophe on ids, postal codes and phones, which keeps
    Excel from dropping leading zeros ('06000) or reading '+33...' as a formula."""
    values = np.asarray(values, dtype=STR)
    return np.where(values != "", "'" + values, values)


def fr_amount(cents: np.ndarray, decimal: str = ",", thousands: str = " ") -> pa.Array:
    """'1 250,50' / '-39,00' / '0,00' (French billing), or '1250.50' with decimal='.',
    thousands='' (Shopify's Total Spent). Integer cents in, exact text out."""
    a = np.abs(cents)
    euros = a // 100

    def digits(values, width=0):
        out = pc.cast(pa.array(values), pa.large_string())
        return pc.utf8_lpad(out, width, "0") if width else out
    whole = digits(euros)
    if thousands:
        grouped = pc.binary_join_element_wise(digits(euros // 1000), digits(euros % 1000, 3), text(thousands))
        whole = pc.if_else(pa.array(euros >= 1000), grouped, whole)
    sign = pc.if_else(pa.array(cents < 0), text("-"), text(""))
    return pc.binary_join_element_wise(sign, whole, text(decimal), digits(a % 100, 2), text(""))


def eur(cents: int) -> str:
    """Exact euro amount for the manifest: '123456.78'."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def id_list(ids: np.ndarray) -> list[str]:
    """Customer ids for the manifest, sorted (they are not personal data)."""
    return [str(i) for i in np.sort(ids)]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- the whole run

def generate(out_dir: Path, p: Params, mode: str) -> dict:
    """Build both exports and the manifest into out_dir; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    seeds = np.random.SeedSequence(p.seed).spawn(8)
    rng_roles, rng_buy, rng_people, rng_ids, rng_sales, rng_plant, rng_dates, rng_crm = (
        np.random.default_rng(s) for s in seeds)
    days = calendar(p)
    n_days = len(days)
    counts = planted_counts(p)
    role, buys_mask = assign_roles(rng_roles, p, counts)

    target_orders = int(round(p.lines / (p.lines_per_order + p.refund_rate + p.gift_rate)))
    if buys_mask.sum() > target_orders:
        raise ValueError(f"--lines {p.lines} is too small for {int(buys_mask.sum())} buyers")
    purchases = simulate_purchases(rng_buy, p, buys_mask, days, target_orders)

    # creation date: first order; sign-up for newsletter contacts; imports at shop opening
    signup = np.full(p.customers, -1, dtype=np.int64)  # day index in the window
    signup[~buys_mask] = rng_dates.integers(0, n_days, int((~buys_mask).sum()))
    blog_start, blog_end = np.datetime64("2019-09-01"), np.datetime64("2023-06-30")  # stale sign-ups
    old_signup = blog_start + rng_dates.integers(0, int((blog_end - blog_start).astype(int)) + 1, p.customers)
    created = np.where(buys_mask, purchases.first_day, np.where(role == STALE, 0, signup))
    ids = assign_ids(rng_ids, created)

    pools = build_pools(p.seed)
    people = make_people(rng_people, p, pools)
    n_bulk = int(round(p.bulk_rate * p.customers))
    bulk = np.sort(rng_sales.choice(np.flatnonzero(role == BUYER), n_bulk, replace=False))
    sales = make_sales(rng_sales, p, purchases, ids, days, bulk)

    # Shopify columns as numpy string arrays: single cells can be planted on
    rows = {k: v.copy() for k, v in people.items()}
    rows["phone"] = format_phones(people["phone_cc"], people["phone_nsn"], people["phone_style"])
    has_phone = rng_people.random(p.customers) < p.phone_share
    rows["address_phone"] = np.where(has_phone & (rng_people.random(p.customers) < 0.4), rows["phone"], "")
    planted = plant_problems(rng_plant, counts, rows, role, has_phone, bulk, ids)
    rows["phone"] = np.where(has_phone, rows["phone"], "")
    rows["address_phone"] = np.where(has_phone, rows["address_phone"], "")

    newsletter_only = (role == NEWSLETTER) | (role == STALE)
    keep_first = rng_people.random(p.customers) < 0.6
    keep_last = keep_first & (rng_people.random(p.customers) < 0.5)
    for col in ("address1", "address2", "city", "zip", "country", "phone", "address_phone"):
        rows[col][newsletter_only] = ""
    rows["first"][newsletter_only & ~keep_first] = ""
    rows["last"][newsletter_only & ~keep_last] = ""

    spent = np.bincount(sales.account, weights=sales.cents, minlength=p.customers).round().astype(np.int64)
    first_line = ~pd.Series(sales.order_key).duplicated().to_numpy() & ~sales.is_refund
    total_orders = np.bincount(sales.account[first_line], minlength=p.customers)

    accepts_email = np.where(newsletter_only, rng_people.random(p.customers) < np.where(role == STALE, 0.7, 1.0),
                             rng_people.random(p.customers) < p.email_marketing_share)
    accepts_sms = has_phone & (rng_people.random(p.customers) < p.sms_marketing_share) & ~newsletter_only
    day_text = strs(days.strftime("%d/%m/%Y"))
    note, tags = crm_notes_and_tags(rng_crm, role, buys_mask, purchases.first_day, signup, old_signup, accepts_email,
                                    days, day_text)
    company = np.full(p.customers, "", dtype=STR)
    for k, i in enumerate(bulk):
        company[i] = BULK_COMPANIES[k % len(BULK_COMPANIES)]
        tags[i] = ", ".join(["collectivité"] + ([tags[i]] if tags[i] else []))

    order = np.argsort(ids)
    yes_no = lambda m: np.where(m, "yes", "no")  # noqa: E731
    shopify_cols = [
        excel_text(ids.astype(STR)), rows["first"], rows["last"], rows["email"], yes_no(accepts_email), company,
        rows["address1"], rows["address2"], rows["city"], np.full(p.customers, ""), rows["country"],
        excel_text(rows["zip"]), excel_text(rows["address_phone"]), excel_text(rows["phone"]), yes_no(accepts_sms),
        fr_amount(spent, ".", ""), total_orders, note, np.full(p.customers, "no"), tags,
        created_at_column(days, buys_mask, purchases.first_day, signup, old_signup, role),
    ]
    shopify_path, sales_path = out_dir / SHOPIFY_FILE, out_dir / SALES_FILE
    write_csv(shopify_path, SHOPIFY_HEADER, shopify_cols, ",", "utf-8", "\n", order=order, quote_all=True)
    dates = pa.array(day_text, pa.large_string()).take(pa.array(sales.day))
    articles = pa.array(ARTICLES, pa.large_string()).take(pa.array(sales.article))
    write_csv(sales_path, SALES_HEADER, [ids[sales.account], dates, sales.documents(), articles, sales.quantity,
                                         fr_amount(sales.cents)], ";", "cp1252", "\r\n")

    manifest = build_manifest(p, mode, planted, role, buys_mask, ids, purchases, sales, days, rows, newsletter_only,
                              bulk, shopify_path, sales_path)
    (out_dir / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def created_at_column(days, buys_mask, first_day, signup, old_signup, role) -> np.ndarray:
    """Shopify's "Created At" (as its admin exports write it): the account's first
    order for buyers, the sign-up day for newsletter contacts, the old blog
    sign-up for the stale ones; what makes staleness visible to the audit."""
    window = days.to_numpy().astype("datetime64[D]")
    created = np.where(buys_mask, window[np.clip(first_day, 0, None)], window[np.clip(signup, 0, None)])
    created = np.where(role == STALE, old_signup.astype("datetime64[D]"), created)
    return strs(pd.DatetimeIndex(created).strftime("%Y-%m-%d 09:00:00 +0100"))


def crm_notes_and_tags(rng, role, buys_mask, first_day, signup, old_signup, accepts_email, days, day_text):
    """Shopify Note and Tags as a merchant leaves them: sign-up dates of
    newsletter contacts (what makes stale records determinable), acquisition
    channel tags, a few free-text remarks."""
    n = len(role)
    note = np.full(n, "", dtype=STR)
    tags = np.full(n, "", dtype=STR)
    stale, letter = role == STALE, role == NEWSLETTER
    old = pd.DatetimeIndex(old_signup[stale]).strftime("%d/%m/%Y")
    note[stale] = "Inscription newsletter le " + strs(old)
    note[letter] = "Inscription newsletter le " + day_text[signup[letter]]
    account_only = ~buys_mask & ~stale & ~letter
    note[account_only] = "Compte créé le " + day_text[signup[account_only]]
    first = days.to_numpy()[np.maximum(first_day, 0)]
    crowd = buys_mask & (first >= np.datetime64("2025-02-03")) & (first <= np.datetime64("2025-03-16"))
    market = buys_mask & ~crowd & (first < np.datetime64("2025-04-01"))
    etsy = buys_mask & ~crowd & ~market & ((first < np.datetime64("2025-07-01")) | (rng.random(n) < 0.35))
    tags[stale], tags[crowd], tags[market], tags[etsy] = "import-blog", "crowdfunding", "marché", "etsy"
    note[crowd & (rng.random(n) < 0.5)] = "Contribution KissKissBankBank"
    remark = buys_mask & (note == "") & (rng.random(n) < 0.03)
    note[remark] = strs(BUYER_NOTES)[rng.integers(0, len(BUYER_NOTES), int(remark.sum()))]
    tagged = tags != ""
    tags[accepts_email & tagged] = tags[accepts_email & tagged] + ", newsletter"
    tags[accepts_email & ~tagged] = "newsletter"
    return note, tags


def build_manifest(p, mode, planted, role, buys_mask, ids, purchases, sales, days, rows, newsletter_only, bulk,
                   shopify_path, sales_path) -> dict:
    """Parameters, rules, planted problems and expected totals, with no personal data."""
    reference = days[int(sales.day.max())] + pd.Timedelta(days=1)
    stale_cutoff = reference - pd.DateOffset(years=3)
    month = days.strftime("%Y-%m").to_numpy()[sales.day]
    by_month = pd.Series(sales.cents).groupby(month).sum()
    year = days.year.to_numpy()[sales.day]
    by_year = pd.Series(sales.cents).groupby(year).sum()
    orders_per_buyer = np.bincount(purchases.account, minlength=len(role))[buys_mask]
    sales_orders = pd.unique(sales.order_key[~sales.is_refund])
    basket = int(sales.cents[~sales.is_refund].sum()) / len(sales_orders)
    missing = planted["missing_fields"]
    no_phone = rows["phone"] == ""
    dup_rows = role >= DUP_EXACT
    stale_ids = id_list(ids[role == STALE])
    planted["missing_fields"] = {
        "email": {"count": int((rows["email"] == "").sum())} | missing["email"],
        "phone": {"count": int(no_phone.sum()), "newsletter_only_contacts": int(newsletter_only.sum()),
                  "customers_without_phone": int((no_phone & ~newsletter_only & ~dup_rows).sum()),
                  "duplicate_accounts_without_phone": int((no_phone & dup_rows).sum())},
        "postal_code": {"count": int((rows["zip"] == "").sum()), "newsletter_only_contacts": int(newsletter_only.sum())}
        | missing["postal_code"],
    }
    planted["stale_records"] = {
        "count": len(stale_ids),
        "rule": ("Total Orders = 0, no line in ventes.csv, and the date in Note 'Inscription newsletter le dd/mm/yyyy' "
                 "is more than 3 years before the reference date (CNIL: prospects' data kept 3 years from the last "
                 "contact). They are the sewing blog's newsletter list (2019-09-01..2023-06-30) imported into Shopify, "
                 "tagged 'import-blog'. Every other never-buyer has a Note date inside the sales window, so the count "
                 "is the same for any reference date from 2026-11-01 to 2027-06-30."),
        "stale_before": stale_cutoff.strftime("%Y-%m-%d"),
        "ids": stale_ids,
    }
    return {
        "description": "Arnaud & Zoé demo exports (fictional people): Shopify customers + French billing lines, "
                       "with planted data-quality problems of known counts. No name, e-mail or phone in here.",
        "generator": {"script": "data_samples/generate_customers.py", "mode": mode,
                      "command": "python data_samples/generate_customers.py" + (
                          "" if mode == "demo" else f" --large OUT_DIR --customers {p.customers} --lines {p.lines}")},
        "parameters": asdict(p) | {
            "catalogue": [{"article": a, "price_eur": eur(c)} for a, c, _, _ in CATALOGUE],
            "bulk_article": BULK_ARTICLE, "gift_article": GIFT_ARTICLE,
            "month_season": MONTH_SEASON, "purchase_rate_scale_per_seasonal_day": round(purchases.rate_scale, 9),
        },
        "files": {
            SHOPIFY_FILE: {"format": "Shopify customers export", "encoding": "utf-8", "separator": ",",
                           "line_end": "LF", "header": SHOPIFY_HEADER, "rows": int(len(role)),
                           "quoting": "every field", "apostrophe_prefixed": ["Customer ID", "Default Address Zip",
                                                                             "Default Address Phone", "Phone"],
                           "notes": "Shopify's leading apostrophe (Excel text marker) is not part of the value. Total "
                                    "Spent = net of ventes.csv (refunds included), Total Orders = distinct sales "
                                    "orders (credit notes excluded). Shopify exports have no creation date: see "
                                    "planted.stale_records.rule.",
                           "sha256": sha256(shopify_path)},
            SALES_FILE: {"format": "generic_billing", "encoding": "cp1252", "separator": ";", "decimal": ",",
                         "thousands": " ", "date_format": "dd/mm/yyyy", "line_end": "CRLF", "header": SALES_HEADER,
                         "rows": int(len(sales.cents)), "sha256": sha256(sales_path)},
        },
        "definitions": {
            "values": "Shopify cells are read without their leading apostrophe",
            "reference_date": "the day after the last line of ventes.csv",
            "order": "same N° client + same N° facture; when N° facture is empty, same N° client + same Date",
            "refund": "a line with a negative Montant TTC, on its own credit note (AV-...)",
            "duplicate_tiers": "each planted pair is caught by the first matching key, in this order: e-mail "
                               "(strip + lower-case), phone (digits, national form), fuzzy first/last name + address "
                               "with the same postal code. Phone pairs have different e-mails; fuzzy pairs have "
                               "different e-mails and no phone on the duplicate.",
            "invalid_email": "after strip + lower-case, not local@domain.tld (exact-duplicate e-mails with stray "
                             "spaces or capitals are valid once normalised)",
            "invalid_phone": "not a valid number of the row's country (FR 0[1-9] + 8 digits, BE 04 + 8, CH 07 + 8) "
                             "in any of the layouts used",
            "invalid_postal_code": "French rows only (country FR) that are not 5 digits; BE/CH codes have 4 digits",
            "missing": "empty cell; newsletter-only contacts have no address and no phone by design "
                       "(Shopify sign-up form), phone counts use the 'Phone' column",
        },
        "reference_date": reference.strftime("%Y-%m-%d"),
        "period": {"first_sale": days[int(sales.day.min())].strftime("%Y-%m-%d"),
                   "last_sale": days[int(sales.day.max())].strftime("%Y-%m-%d")},
        "expected": {
            "customer_rows": int(len(role)),
            "buyers": int(buys_mask.sum()),
            "never_buyers": int((~buys_mask).sum()),
            "newsletter_only_contacts": int(newsletter_only.sum()),
            "one_time_buyers": int((orders_per_buyer == 1).sum()),
            "repeat_buyers": int((orders_per_buyer > 1).sum()),
            "max_orders_per_buyer": int(orders_per_buyer.max()),
            "buyers_dropped_out_by_reference_date": int(purchases.dropped_out.sum()),
            "bulk_accounts": int(len(bulk)),
            "transaction_lines": int(len(sales.cents)),
            "distinct_orders": int(len(pd.unique(sales.order_key))),
            "distinct_sales_orders": int(len(sales_orders)),
            "credit_notes": int(len(pd.unique(sales.doc_number[sales.is_refund]))),
            "refund_lines": int(sales.is_refund.sum()),
            "refund_total_cents": int(sales.cents[sales.is_refund].sum()),
            "refund_total_eur": eur(int(sales.cents[sales.is_refund].sum())),
            "zero_amount_lines": int((sales.cents == 0).sum()),
            "lines_without_invoice_number": int((sales.doc_kind == NO_DOCUMENT).sum()),
            "orders_without_invoice_number": int(len(pd.unique(sales.order_key[sales.doc_kind == NO_DOCUMENT]))),
            "lines_1000_eur_or_more": int((sales.cents >= 100_000).sum()),
            "total_net_revenue_cents": int(sales.cents.sum()),
            "total_net_revenue_eur": eur(int(sales.cents.sum())),
            "average_basket_eur": f"{basket / 100:.2f}",
            "revenue_by_year_eur": {str(y): eur(int(c)) for y, c in by_year.items()},
            "revenue_by_month_eur": {m: eur(int(c)) for m, c in by_month.items()},
            "peak_month": str(by_month.idxmax()),
        },
        "planted": planted,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: demo files by default, --large for benchmark files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEMO_EXPORTS, help="folder for the demo files")
    parser.add_argument("--large", type=Path, metavar="OUT_DIR", help="write benchmark-size files there instead")
    parser.add_argument("--customers", type=int, default=None, help="customer rows (large mode, default 1 000 000)")
    parser.add_argument("--lines", type=int, default=None, help="sales lines (large mode, default 5 000 000)")
    parser.add_argument("--seed", type=int, default=Params.seed)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.large:
        p = Params(seed=args.seed, customers=args.customers or 1_000_000, lines=args.lines or 5_000_000)
        out, mode = args.large, "large"
    else:
        if args.customers or args.lines:
            parser.error("--customers/--lines go with --large")
        p, out, mode = Params(seed=args.seed), args.out, "demo"
    try:
        manifest = generate(out, p, mode)
    except ValueError as error:  # sizes that cannot work together
        parser.error(str(error))
    e = manifest["expected"]
    print(f"{out}: {e['customer_rows']} customers, {e['transaction_lines']} lines, {e['distinct_orders']} orders, "
          f"{e['total_net_revenue_eur']} EUR in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
