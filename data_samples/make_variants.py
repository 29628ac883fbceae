"""Generate many fictional engagements derived from the demo (batch runs, tests).

Each variant is a complete engagement folder — engagement.yaml, atelier.xlsx
and its own customer/sales exports — built like data_samples/arnaud-zoe
(seed 001's worked example) but for another client: name, sector, model
(B2C mostly, a few B2B), consultant, language (about 1 in 5 in English),
revenue and target sized on the client's own sales, budget envelopes and
revenue forecast scaled to it, pressure caps, and varied workshop entries
(SWOT picked from a pool per sector, objectives with other numbers, the
demo's journey and collection plan with rows dropped or changed, a subset of
programmes, the action plan scaled with a few actions dropped, KPI targets).

    python data_samples/make_variants.py OUT --n 20 --broken 2 [--seed 7] [--small]

writes OUT/<client-slug>/ for each variant. The last ``broken`` variants are
deliberately wrong, each in its own way, so that ``relkit validate`` reports
exactly one clear line: a budget cell "beaucoup" in the sheet Plan d'actions,
engagement.yaml pointing at a sales export that does not exist, a sales
export with an impossible date on one line. Each folder also holds
``variant.json`` (what was drawn, and for a broken one the problem expected,
relative to the folder); relkit ignores it.

Same arguments, same bytes: every draw comes from seeded generators, no date
depends on today (the .xlsx timestamps openpyxl takes from the clock are
pinned). The exports come from generate_customers.py (Shopify
customers + French billing lines, planted problems, manifest) at a size drawn
in ``customers`` (``--small``: 100-200 customers, for fast tests).

Amounts in the English variants are written "€12400" (no thousands
separator): relkit reads a comma as the decimal mark, so "€12,400" would be
12.4 €.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import importlib.util
import json
import random
import re
import shutil
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLAN_YEAR = 2027
BROKEN_KINDS = ("budget_cell", "missing_export", "bad_date")
MISSING_SALES_FILE = "exports/ventes_2026.csv"
BAD_DATE = "31/02/2026"
SMALL_CUSTOMERS = (100, 200)
VARIANT_FILE = "variant.json"
FROZEN_TIME = (2026, 11, 1, 0, 0, 0)  # xlsx timestamps


@functools.cache
def _generator():
    """data_samples/ is not a package: load generate_customers.py as a module."""
    if "generate_customers" in sys.modules:  # already loaded (tests load it the same way)
        return sys.modules["generate_customers"]
    spec = importlib.util.spec_from_file_location("generate_customers", HERE / "generate_customers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- sectors
# Each sector: names (templates with {last}/{first}), sector text, model, the
# words the shared journey/action texts are built with, a positioning, SWOT
# items of its own (fr, en) and the article names its sales export uses.
SECTORS = [
    {
        "key": "bakery", "model": "B2C",
        "names": ["Boulangerie {last}", "Le Fournil de {first}", "Maison {last}"],
        "sector": ("Boulangerie-pâtisserie artisanale", "Artisan bakery and patisserie"),
        "topic": ("les recettes du fournil", "baking recipes"),
        "event": ("marché de producteurs", "farmers' market"),
        "marketplace": "Uber Eats",
        "positioning": {
            "target": ("les familles du quartier qui veulent du bon pain tous les jours", "local families who want good bread every day"),
            "market": ("boulangerie de quartier au levain naturel", "neighbourhood sourdough bakery"),
            "promise": ("un pain qui se garde toute la semaine", "bread that keeps all week"),
            "reason": ("pétrie à la main avec des farines bio du moulin voisin", "kneaded by hand with organic flour from the nearby mill"),
        },
        "swot": {
            "strength": [("Pain au levain reconnu dans le quartier", "Sourdough bread well known in the neighbourhood"),
                         ("Farines bio d'un moulin à 20 km", "Organic flour from a mill 20 km away"),
                         ("Équipe stable et formée", "Stable, well-trained team")],
            "weakness": [("Aucune commande en ligne", "No online ordering"),
                         ("Fermeture le lundi et en août", "Closed on Mondays and in August")],
            "opportunity": [("Demande croissante pour le pain bio", "Growing demand for organic bread"),
                            ("Commandes de fêtes (bûches, galettes)", "Festive orders (Yule logs, king cakes)")],
            "threat": [("Hausse du prix de la farine et de l'énergie", "Rising flour and energy prices"),
                       ("Terminal de cuisson d'un supermarché voisin", "In-store bakery of a nearby supermarket")],
        },
        "articles": ["Pain de campagne au levain", "Baguette tradition", "Croissant pur beurre", "Tarte aux fruits de saison",
                     "Brioche feuilletée", "Galette des rois", "Coffret biscuits sablés", "Entremets chocolat",
                     "Pain aux céréales", "Atelier pâtisserie enfants"],
    },
    {
        "key": "florist", "model": "B2C",
        "names": ["Fleurs de {first}", "L'Atelier Floral {last}", "{last} Fleurs"],
        "sector": ("Fleuriste et compositions florales", "Florist and flower arrangements"),
        "topic": ("l'entretien des fleurs", "flower care"),
        "event": ("salon du mariage", "wedding fair"),
        "marketplace": "Interflora",
        "positioning": {
            "target": ("les citadins qui offrent des fleurs pour les moments importants", "city dwellers who give flowers for important moments"),
            "market": ("fleuriste de saison et de proximité", "local, seasonal florist"),
            "promise": ("des bouquets qui tiennent dix jours", "bouquets that last ten days"),
            "reason": ("composée chaque matin avec des fleurs de producteurs français", "arranged every morning with flowers from French growers"),
        },
        "swot": {
            "strength": [("Fleurs françaises de saison", "Seasonal French flowers"),
                         ("Compositions sur mesure pour les mariages", "Made-to-measure wedding arrangements")],
            "weakness": [("Ventes très concentrées sur quelques fêtes", "Sales concentrated on a few holidays"),
                         ("Pas de livraison le dimanche", "No Sunday delivery")],
            "opportunity": [("Abonnements de bouquets pour les entreprises", "Bouquet subscriptions for offices"),
                            ("Intérêt pour les fleurs locales et sans pesticides", "Interest in local, pesticide-free flowers")],
            "threat": [("Bouquets de supermarché à bas prix", "Cheap supermarket bouquets"),
                       ("Dépendance aux commissions Interflora", "Dependence on Interflora commissions")],
        },
        "articles": ["Bouquet de saison", "Bouquet rond champêtre", "Plante verte d'intérieur", "Orchidée blanche",
                     "Composition deuil", "Abonnement bouquet mensuel", "Couronne de l'Avent", "Bouquet de mariée",
                     "Atelier composition florale", "Carte cadeau fleurs"],
    },
    {
        "key": "bookshop", "model": "B2C",
        "names": ["Librairie {last}", "La Page de {first}", "Les Mots de {last}"],
        "sector": ("Librairie indépendante", "Independent bookshop"),
        "topic": ("les coups de cœur de lecture", "reading picks"),
        "event": ("salon du livre", "book fair"),
        "marketplace": "Place des Libraires",
        "positioning": {
            "target": ("les lecteurs curieux qui aiment être conseillés", "curious readers who like advice"),
            "market": ("librairie indépendante de centre-ville", "town-centre independent bookshop"),
            "promise": ("le livre qui vous correspond, choisi avec vous", "the book that suits you, chosen with you"),
            "reason": ("tenue par des libraires qui lisent tout ce qu'ils recommandent", "run by booksellers who read everything they recommend"),
        },
        "swot": {
            "strength": [("Conseil personnalisé reconnu", "Renowned personal advice"),
                         ("Rencontres d'auteurs chaque mois", "Author events every month")],
            "weakness": [("Marge faible sur le livre (prix unique)", "Thin margin on books (fixed book price)"),
                         ("Site web vitrine sans vente en ligne", "Showcase website with no online sales")],
            "opportunity": [("Clubs de lecture et ateliers jeunesse", "Book clubs and children's workshops"),
                            ("Commandes des écoles et médiathèques", "Orders from schools and libraries")],
            "threat": [("Géants de la vente en ligne", "Online retail giants"),
                       ("Baisse de la lecture chez les adolescents", "Teenagers reading less")],
        },
        "articles": ["Roman grand format", "Bande dessinée", "Album jeunesse", "Beau livre", "Guide de voyage",
                     "Livre de cuisine", "Carte cadeau librairie", "Abonnement coup de cœur", "Carnet de notes",
                     "Roman poche"],
    },
    {
        "key": "cosmetics", "model": "B2C",
        "names": ["Savonnerie {last}", "{last} Cosmétiques", "Les Essentiels de {first}"],
        "sector": ("Cosmétiques naturels et solides", "Natural and solid cosmetics"),
        "topic": ("les routines de soin naturelles", "natural skincare routines"),
        "event": ("salon bio", "organic fair"),
        "marketplace": "Amazon",
        "positioning": {
            "target": ("les femmes de 25 à 45 ans qui veulent des soins sans plastique", "women aged 25 to 45 who want plastic-free skincare"),
            "market": ("marque de cosmétiques solides fabriqués en France", "French-made solid cosmetics brand"),
            "promise": ("des soins efficaces sans emballage plastique", "effective skincare without plastic packaging"),
            "reason": ("saponifiée à froid en petites séries avec des huiles bio", "cold-processed in small batches with organic oils"),
        },
        "swot": {
            "strength": [("Formules courtes et certifiées bio", "Short, certified organic formulas"),
                         ("Fort taux de réachat sur les shampoings", "High repeat rate on shampoo bars")],
            "weakness": [("Gamme encore réduite", "Still a small range"),
                         ("Peu de présence en boutique physique", "Little presence in physical shops")],
            "opportunity": [("Essor du zéro déchet", "Zero-waste trend"),
                            ("Coffrets cadeaux de fin d'année", "Year-end gift boxes")],
            "threat": [("Grandes marques qui lancent du solide", "Big brands launching solid products"),
                       ("Réglementation cosmétique plus stricte", "Stricter cosmetics regulation")],
        },
        "articles": ["Savon surgras", "Shampoing solide", "Crème visage hydratante", "Baume à lèvres", "Déodorant solide",
                     "Huile démaquillante", "Coffret découverte", "Recharge crème visage", "Sérum éclat",
                     "Trousse de voyage"],
    },
    {
        "key": "coffee", "model": "B2B2C",
        "names": ["Torréfaction {last}", "Café {last}", "Les Cafés de {first}"],
        "sector": ("Torréfacteur de cafés de spécialité", "Specialty coffee roaster"),
        "topic": ("l'extraction et les origines du café", "brewing and coffee origins"),
        "event": ("salon du café", "coffee festival"),
        "marketplace": "Amazon",
        "positioning": {
            "target": ("les amateurs de café et les cafés indépendants de la région", "coffee lovers and the region's independent cafés"),
            "market": ("torréfacteur artisanal de cafés de spécialité", "artisan specialty coffee roaster"),
            "promise": ("un café torréfié il y a moins de dix jours", "coffee roasted less than ten days ago"),
            "reason": ("achetée en direct aux producteurs et torréfiée chaque semaine", "bought directly from growers and roasted every week")},
        "swot": {
            "strength": [("Relations directes avec les producteurs", "Direct relationships with growers"),
                         ("Clientèle de cafés et restaurants fidèle", "Loyal café and restaurant customers")],
            "weakness": [("Capacité de torréfaction limitée", "Limited roasting capacity"),
                         ("Abonnements encore peu connus", "Subscriptions still little known")],
            "opportunity": [("Développement du café de spécialité à domicile", "Specialty coffee growing at home"),
                            ("Cadeaux d'entreprise", "Corporate gifts")],
            "threat": [("Flambée du prix du café vert", "Soaring green coffee prices"),
                       ("Capsules de grandes marques", "Big-brand capsules")],
        },
        "articles": ["Café en grains Éthiopie", "Café moulu Brésil", "Assortiment découverte", "Abonnement café mensuel",
                     "Cafetière à piston", "Capsules compostables", "Thé vert Sencha", "Moulin à café manuel",
                     "Atelier dégustation", "Coffret cadeau café"],
    },
    {
        "key": "bikes", "model": "B2C",
        "names": ["Cycles {last}", "{last} Vélos", "L'Atelier Vélo de {first}"],
        "sector": ("Magasin et atelier de réparation de vélos", "Bike shop and repair workshop"),
        "topic": ("l'entretien du vélo", "bike maintenance"),
        "event": ("fête du vélo", "cycling festival"),
        "marketplace": "Leboncoin",
        "positioning": {
            "target": ("les actifs qui vont travailler à vélo", "commuters who cycle to work"),
            "market": ("atelier vélo de proximité", "local bike workshop"),
            "promise": ("un vélo réparé en 48 heures", "a bike repaired within 48 hours"),
            "reason": ("équipée d'un atelier de trois mécaniciens certifiés", "equipped with a workshop of three certified mechanics")},
        "swot": {
            "strength": [("Réparations rapides", "Fast repairs"),
                         ("Vélos reconditionnés garantis un an", "Refurbished bikes with a one-year warranty")],
            "weakness": [("Prise de rendez-vous par téléphone seulement", "Appointments by phone only"),
                         ("Stock de pièces limité", "Limited stock of parts")],
            "opportunity": [("Forfait mobilités durables des employeurs", "Employers' sustainable mobility allowance"),
                            ("Nouvelles pistes cyclables en ville", "New cycle lanes in town")],
            "threat": [("Enseignes de sport en périphérie", "Out-of-town sports chains"),
                       ("Vente en ligne de vélos à prix cassés", "Discount bikes sold online")],
        },
        "articles": ["Révision complète", "Chambre à air", "Antivol U", "Éclairage LED", "Casque urbain", "Sacoche étanche",
                     "Vélo reconditionné", "Kit de réparation", "Pneu renforcé", "Forfait entretien annuel"],
    },
    {
        "key": "wine", "model": "B2C",
        "names": ["Cave {last}", "Le Cellier de {first}", "Vins & Terroirs {last}"],
        "sector": ("Caviste indépendant", "Independent wine merchant"),
        "topic": ("les accords mets et vins", "food and wine pairing"),
        "event": ("salon des vins", "wine fair"),
        "marketplace": "Vivino",
        "positioning": {
            "target": ("les amateurs qui veulent découvrir des vignerons indépendants", "wine lovers who want to discover independent winegrowers"),
            "market": ("cave de vignerons indépendants", "independent winegrowers' cellar"),
            "promise": ("la bonne bouteille pour chaque occasion", "the right bottle for every occasion"),
            "reason": ("qui goûte chaque vin chez le vigneron avant de le référencer", "who tastes every wine at the estate before stocking it")},
        "swot": {
            "strength": [("Sélection de vignerons introuvables en grande surface", "Winegrowers not found in supermarkets"),
                         ("Dégustations du samedi appréciées", "Popular Saturday tastings")],
            "weakness": [("Clientèle vieillissante", "Ageing customer base"),
                         ("Stock immobilisé important", "Large capital tied up in stock")],
            "opportunity": [("Vins nature et sans alcool en vogue", "Natural and alcohol-free wines in vogue"),
                            ("Cadeaux d'affaires de fin d'année", "Year-end business gifts")],
            "threat": [("Foires aux vins des hypermarchés", "Hypermarket wine fairs"),
                       ("Baisse de la consommation de vin", "Falling wine consumption")],
        },
        "articles": ["Vin rouge de Loire", "Vin blanc de Bourgogne", "Champagne de vigneron", "Rosé de Provence",
                     "Coffret trois bouteilles", "Whisky tourbé", "Vin nature", "Atelier dégustation", "Bière artisanale",
                     "Carte cadeau cave"],
    },
    {
        "key": "delicatessen", "model": "B2C",
        "names": ["Épicerie {last}", "Le Garde-Manger de {first}", "Comptoir {last}"],
        "sector": ("Épicerie fine et produits du terroir", "Delicatessen and regional produce"),
        "topic": ("les produits du terroir", "regional specialities"),
        "event": ("marché de Noël", "Christmas market"),
        "marketplace": "Deliveroo",
        "positioning": {
            "target": ("les gourmets qui recherchent des produits d'artisans", "food lovers looking for artisan products"),
            "market": ("épicerie fine de produits du terroir", "delicatessen of regional produce"),
            "promise": ("des produits introuvables ailleurs", "products you will not find elsewhere"),
            "reason": ("sélectionnée directement chez plus de 60 petits producteurs", "sourced directly from over 60 small producers")},
        "swot": {
            "strength": [("Producteurs exclusifs", "Exclusive producers"),
                         ("Paniers garnis personnalisés", "Personalised gift hampers")],
            "weakness": [("Prix élevés perçus", "Prices seen as high"),
                         ("Produits frais à rotation lente", "Slow-moving fresh products")],
            "opportunity": [("Comités d'entreprise et cadeaux de fin d'année", "Works councils and year-end gifts"),
                            ("Tourisme gourmand dans la région", "Food tourism in the region")],
            "threat": [("Rayons terroir des supermarchés", "Supermarkets' regional aisles"),
                       ("Inflation alimentaire", "Food inflation")],
        },
        "articles": ["Panier garni", "Terrine de campagne", "Confiture artisanale", "Huile d'olive vierge extra",
                     "Miel de lavande", "Fromage affiné", "Chocolats fins", "Coffret apéritif", "Biscuits au beurre",
                     "Thé parfumé"],
    },
    {
        "key": "jewellery", "model": "B2C",
        "names": ["Bijoux {first}", "Atelier {last}", "{first} Créations"],
        "sector": ("Bijoux artisanaux en argent recyclé", "Handmade jewellery in recycled silver"),
        "topic": ("l'entretien des bijoux", "jewellery care"),
        "event": ("marché de créateurs", "makers' market"),
        "marketplace": "Etsy",
        "positioning": {
            "target": ("les femmes qui veulent des bijoux uniques et responsables", "women who want unique, responsible jewellery"),
            "market": ("créatrice de bijoux en argent recyclé", "recycled-silver jewellery maker"),
            "promise": ("un bijou unique, fait à la main en France", "a unique piece, handmade in France"),
            "reason": ("façonnée à la main dans un atelier lyonnais avec de l'argent recyclé", "handcrafted in a Lyon workshop from recycled silver")},
        "swot": {
            "strength": [("Pièces uniques et personnalisables", "Unique, customisable pieces"),
                         ("Communauté Instagram engagée", "Engaged Instagram community")],
            "weakness": [("Production limitée par le temps de fabrication", "Output limited by making time"),
                         ("Forte dépendance à Etsy", "Heavy dependence on Etsy")],
            "opportunity": [("Demande pour la joaillerie responsable", "Demand for responsible jewellery"),
                            ("Fête des mères et Saint-Valentin", "Mother's Day and Valentine's Day")],
            "threat": [("Bijoux fantaisie importés à bas prix", "Cheap imported costume jewellery"),
                       ("Hausse du cours de l'argent", "Rising silver prices")],
        },
        "articles": ["Bague fine en argent", "Boucles d'oreilles créoles", "Collier médaille gravée", "Bracelet jonc",
                     "Bague personnalisée", "Chaîne de cheville", "Pendentif pierre de lune", "Coffret cadeau bijou",
                     "Atelier création de bague", "Nettoyant bijoux"],
    },
    {
        "key": "pets", "model": "B2C",
        "names": ["{last} Animalerie", "Le Panier de {first}", "Croquettes & Cie {last}"],
        "sector": ("Alimentation et accessoires pour animaux", "Pet food and accessories"),
        "topic": ("le bien-être animal", "pet wellbeing"),
        "event": ("salon animalier", "pet fair"),
        "marketplace": "Amazon",
        "positioning": {
            "target": ("les maîtres de chiens et chats attentifs à l'alimentation", "dog and cat owners who care about diet"),
            "market": ("animalerie spécialisée en nutrition", "pet shop specialised in nutrition"),
            "promise": ("une alimentation adaptée à chaque animal", "food suited to each animal"),
            "reason": ("conseillée par une vendeuse formée en nutrition animale", "advised by staff trained in animal nutrition")},
        "swot": {
            "strength": [("Conseil nutritionnel personnalisé", "Personal nutrition advice"),
                         ("Livraison de croquettes à domicile", "Home delivery of pet food")],
            "weakness": [("Achats très liés au prix", "Purchases very price-driven"),
                         ("Pas de programme de fidélité", "No loyalty programme")],
            "opportunity": [("Hausse du nombre d'animaux de compagnie", "More households with pets"),
                            ("Abonnements de réapprovisionnement", "Refill subscriptions")],
            "threat": [("Sites en ligne à prix cassés", "Discount websites"),
                       ("Rayons animaux des hypermarchés", "Hypermarket pet aisles")],
        },
        "articles": ["Croquettes chien adulte", "Croquettes chat stérilisé", "Litière végétale", "Friandises naturelles",
                     "Panier douillet", "Laisse réglable", "Jouet à mâcher", "Abonnement croquettes", "Shampoing doux",
                     "Griffoir"],
    },
    {
        "key": "office", "model": "B2B",
        "names": ["{last} Bureau", "Papeterie {last} Pro", "Fournitures {last}"],
        "sector": ("Fournitures de bureau éco-responsables pour les entreprises", "Eco-friendly office supplies for businesses"),
        "topic": ("l'organisation du bureau", "office organisation"),
        "event": ("salon professionnel", "trade show"),
        "marketplace": "Amazon Business",
        "positioning": {
            "target": ("les PME de 10 à 200 salariés qui veulent réduire leur impact", "SMEs of 10 to 200 staff who want to reduce their footprint"),
            "market": ("fournisseur de bureau éco-responsable", "eco-friendly office supplier"),
            "promise": ("des fournitures livrées en 24 h avec un bilan carbone", "supplies delivered within 24 hours with a carbon report"),
            "reason": ("référencée uniquement sur des produits recyclés ou recyclables", "stocking only recycled or recyclable products")},
        "swot": {
            "strength": [("Catalogue 100 % éco-responsable", "100 % eco-friendly catalogue"),
                         ("Livraison en 24 h dans la région", "24-hour delivery in the region")],
            "weakness": [("Petite force commerciale", "Small sales force"),
                         ("Notoriété faible hors de la région", "Little known outside the region")],
            "opportunity": [("Obligations RSE des entreprises", "Companies' CSR obligations"),
                            ("Achats publics responsables", "Responsible public procurement")],
            "threat": [("Grands distributeurs en ligne", "Large online distributors"),
                       ("Dématérialisation du papier", "Paperless offices")],
        },
        "articles": ["Ramette papier recyclé", "Stylos rechargeables", "Classeurs carton", "Cahiers recyclés",
                     "Cartouches remanufacturées", "Kit bureau nouvel arrivant", "Agenda 2027", "Post-it recyclés",
                     "Corbeille de tri", "Abonnement fournitures"],
    },
    {
        "key": "printing", "model": "B2B",
        "names": ["Imprimerie {last}", "{last} Impressions", "Atelier Graphique {first}"],
        "sector": ("Imprimerie et supports de communication pour les entreprises", "Printing and marketing materials for businesses"),
        "topic": ("l'impression éco-responsable", "eco-friendly printing"),
        "event": ("salon des entrepreneurs", "business fair"),
        "marketplace": "Amazon Business",
        "positioning": {
            "target": ("les commerçants et PME qui impriment leurs supports de communication", "shops and SMEs that print their marketing materials"),
            "market": ("imprimerie de proximité", "local printing company"),
            "promise": ("des impressions de qualité livrées en 48 heures", "quality prints delivered within 48 hours"),
            "reason": ("certifiée Imprim'Vert avec un graphiste conseil dédié", "Imprim'Vert certified with a dedicated design adviser")},
        "swot": {
            "strength": [("Conseil graphique inclus", "Design advice included"),
                         ("Délais courts", "Short lead times")],
            "weakness": [("Devis envoyés à la main", "Quotes prepared by hand"),
                         ("Clientèle concentrée sur quelques gros comptes", "Revenue concentrated on a few large accounts")],
            "opportunity": [("Retour des événements d'entreprise", "Corporate events are back"),
                            ("Packaging personnalisé pour l'e-commerce", "Custom packaging for e-commerce")],
            "threat": [("Imprimeurs en ligne à bas prix", "Low-cost online printers"),
                       ("Hausse du prix du papier", "Rising paper prices")],
        },
        "articles": ["Cartes de visite", "Flyers A5", "Brochures agrafées", "Kakémono", "Papier à en-tête",
                     "Étiquettes adhésives", "Catalogue produits", "Enveloppes personnalisées", "Affiches A2",
                     "Packaging personnalisé"],
    },
]

GENERIC_SWOT = {
    "strength": [("Service client réactif et personnalisé", "Responsive, personal customer service"),
                 ("Fondateurs très présents auprès des clients", "Founders close to their customers"),
                 ("Fabrication ou sélection française", "French-made or French-sourced products"),
                 ("Bonne note moyenne des avis en ligne", "Good average online review score")],
    "weakness": [("Fichier clients peu exploité", "Customer file hardly used"),
                 ("Budget marketing limité", "Limited marketing budget"),
                 ("Newsletter irrégulière", "Irregular newsletter"),
                 ("Pas d'outil CRM", "No CRM tool")],
    "opportunity": [("Consommation responsable en hausse", "Growing responsible consumption"),
                    ("Pic d'achats en décembre", "December buying peak"),
                    ("Micro-influenceurs locaux", "Local micro-influencers"),
                    ("Achat local encouragé par la commune", "Town council promoting local shopping")],
    "threat": [("Baisse du pouvoir d'achat", "Falling purchasing power"),
               ("Concurrence des plateformes en ligne", "Competition from online platforms"),
               ("Hausse des coûts de livraison", "Rising delivery costs"),
               ("Nouveaux entrants sur le marché", "New entrants on the market")],
}

# --------------------------------------------------------------------------- journey (seed 000), from the demo
# (stage, channel, touchpoint fr/en, description fr/en, qualification, importance, emotion, owner, programme fr/en, collection)
# owner: "a" / "b" (the two founders), "ab" both. Touchpoint texts take {topic}, {event}, {mp}.
CURRENT = [
    ("discovery", "social", ("Publication Instagram d'un client", "Customer's Instagram post"),
     ("Photos de clients reprises par la marque", "Customer photos reshared by the brand"), "satisfaction", 3, 1, "a",
     ("Notoriété", "Awareness"), False),
    ("discovery", "social", ("Vidéos conseils sur YouTube", "How-to videos on YouTube"),
     ("Vidéos sur {topic}", "Videos about {topic}"), "delight", 4, 2, "ab", ("Notoriété", "Awareness"), False),
    ("discovery", "event", ("Stand au {event}", "Stand at the {event}"),
     ("Rencontre des clients et cartes de visite", "Meeting customers, business cards"), "delight", 4, 2, "b",
     ("Notoriété", "Awareness"), True),
    ("consideration", "website", ("Article de blog sur {topic}", "Blog post about {topic}"), None, "satisfaction", 3, 1,
     "a", ("Contenu", "Content"), False),
    ("consideration", "marketplace", ("Fiche produit {mp} sans avis clients", "{mp} product page without reviews"),
     ("Les clients hésitent faute d'avis", "Customers hesitate without reviews"), "irritant", 4, -1, "b", None, False),
    ("purchase", "marketplace", ("Paiement sur {mp}", "Checkout on {mp}"), None, "satisfaction", 3, 0, "b", None, False),
    ("purchase", "website", ("Commande par formulaire", "Order form"),
     ("Formulaire long, sans paiement en ligne", "Long form, no online payment"), "irritant", 3, -1, "a",
     ("Bienvenue", "Welcome"), True),
    ("delivery_use", "mail", ("Colis avec mot manuscrit", "Parcel with a handwritten note"), None, "delight", 3, 2, "b",
     None, False),
    ("delivery_use", "mail", ("Délai de livraison trop long", "Delivery takes too long"),
     ("Expédition une fois par semaine", "Shipped once a week"), "breaking_point", 5, -2, "b", None, False),
    ("service", "email", ("Réponse aux questions sous 48 h", "Answers to questions within 48 hours"), None, "irritant",
     5, -1, "b", ("Service client", "Customer service"), False),
    ("service", "phone", ("Pas de numéro joignable", "No phone number to call"), None, "breaking_point", 4, -2, "a",
     ("Service client", "Customer service"), False),
    ("loyalty", "email", ("Newsletter irrégulière", "Irregular newsletter"),
     ("Envoyée quand le temps le permet", "Sent when time allows"), "irritant", 2, -1, "a", ("Newsletter", "Newsletter"),
     True),
    ("advocacy", "social", ("Partage spontané de photos", "Customers share photos"), None, "satisfaction", 2, 1, "a",
     None, False),
]
TARGET = [
    CURRENT[0], CURRENT[1],
    ("discovery", "event", ("Stand au {event}", "Stand at the {event}"),
     ("Rencontre des clients et inscription à la newsletter", "Meeting customers, newsletter sign-up"), "delight", 4, 2,
     "b", ("Notoriété", "Awareness"), True),
    ("consideration", "website", ("Guide de choix interactif", "Interactive buying guide"),
     ("Quelques questions donnent le bon produit", "A few questions point to the right product"), "delight", 5, 2, "a",
     ("Recommandations", "Recommendations"), True),
    ("consideration", "marketplace", ("Fiche produit {mp} avec avis clients", "{mp} product page with reviews"), None,
     "satisfaction", 3, 1, "b", None, False),
    CURRENT[5],
    ("purchase", "website", ("Paiement sur la boutique en ligne", "Checkout on the online shop"),
     ("Création de compte facultative", "Optional account creation"), "satisfaction", 4, 1, "a", ("Bienvenue", "Welcome"),
     True),
    CURRENT[7],
    ("delivery_use", "mail", ("Livraison en 3 jours ouvrés", "Delivery in 3 working days"),
     ("Stock des meilleures ventes", "Best sellers kept in stock"), "satisfaction", 5, 1, "b", None, False),
    ("service", "email", ("Réponse aux questions sous 24 h", "Answers to questions within 24 hours"), None,
     "satisfaction", 5, 1, "b", ("Service client", "Customer service"), False),
    ("service", "phone", ("Permanence téléphonique le samedi", "Phone line open on Saturdays"), None, "satisfaction", 3,
     1, "a", ("Service client", "Customer service"), False),
    ("loyalty", "email", ("Newsletter mensuelle", "Monthly newsletter"), ("Conseils sur {topic}", "Tips about {topic}"),
     "satisfaction", 3, 1, "a", ("Newsletter", "Newsletter"), True),
    ("loyalty", "email", ("E-mail d'anniversaire", "Birthday e-mail"), ("Bon de réduction", "Discount voucher"),
     "delight", 4, 2, "a", ("Anniversaire", "Birthday"), False),
    ("advocacy", "social", ("Programme de parrainage", "Referral programme"),
     ("Un cadeau offert au parrain", "A gift for the referrer"), "delight", 3, 2, "a", ("Parrainage", "Referral"), True),
]
# Touchpoints the collection plan points at (never dropped): (version, index).
ORDER_FORM, STAND, GUIDE, CHECKOUT, ANSWERS = ("current", 6), ("current", 2), ("target", 3), ("target", 6), ("current", 9)
PROTECTED = {ORDER_FORM, STAND, GUIDE, CHECKOUT, ANSWERS, ("target", 2)}

# Collection plan (seed 000/001), with the demo's deliberate GDPR problems.
# (field fr/en, customer_field, data_type, uses fr/en, programmes fr/en, people, legal basis, retention (n, unit),
#  collection point, mechanic, incentive fr/en, priority)
COLLECTION = [
    (("E-mail", "E-mail"), "email", "socio_demographic",
     ("newsletter, relance panier, prospection", "newsletter, cart reminder, prospecting"),
     ("Bienvenue, Newsletter, Réactivation", "Welcome, Newsletter, Win-back"), "customers_prospects",
     "legitimate_interest", (3, "y"), ORDER_FORM, "form", ("10 % sur la première commande", "10% off the first order"),
     "high"),
    (("Date de naissance", "Date of birth"), "birth_date", "declarative",
     ("e-mail d'anniversaire", "birthday e-mail"), ("Anniversaire", "Birthday"), "customers", "consent", (3, "y"),
     GUIDE, "questionnaire", ("Guide personnalisé", "Personalised guide"), "high"),
    (("Téléphone", "Phone"), "phone", "socio_demographic", ("suivi de livraison", "delivery tracking"),
     ("Service client", "Customer service"), "customers", "contract", (3, "y"), CHECKOUT, "purchase", None, "medium"),
    (("Code postal", "Postcode"), "postal_code", "socio_demographic",
     ("invitations aux événements", "event invitations"), ("Événements", "Events"), "customers", "legitimate_interest",
     (36, "m"), STAND, "event", None, "low"),
    (("Historique d'achats", "Purchase history"), None, "transactional",
     ("recommandations, segmentation RFM", "recommendations, RFM segmentation"),
     ("Recommandations, Réactivation", "Recommendations, Win-back"), "customers", "contract", (3, "y"), CHECKOUT,
     "purchase", None, "high"),
    (("Centres d'intérêt", "Interests"), None, "declarative", None, None, "prospects", "consent", (5, "y"), STAND,
     "contest", ("Tirage au sort d'un cadeau", "Prize draw"), "low"),
    (("Données de santé (allergies)", "Health data (allergies)"), None, "declarative",
     ("conseils produits", "product advice"), ("Recommandations", "Recommendations"), "customers", "consent", (2, "y"),
     ANSWERS, "customer_service", None, "low"),
    (("Factures", "Invoices"), None, "transactional", ("comptabilité", "accounting"), None, "customers",
     "legal_obligation", (10, "y"), CHECKOUT, "purchase", None, "medium"),
    (("Consentement SMS", "SMS consent"), "opt_in_sms", "declarative", ("relance panier par SMS", "cart reminder by SMS"),
     ("Panier abandonné", "Abandoned cart"), "customers", "consent", (3, "y"), CHECKOUT, "purchase", None, "medium"),
]

# --------------------------------------------------------------------------- programmes (seeds 000, 004)
# Cells left out take the catalogue's defaults (catalogue names in French or English).


def _programmes(r: random.Random, en: bool) -> list[dict]:
    """The demo's programmes with other rules, months and frequencies; a subset is kept."""
    t = (lambda fr, e: e if en else fr)  # noqa: E731
    dormant = r.choice([6, 9, 12, 18])
    top = r.choice([5, 10, 20])
    orders = r.choice([2, 3])
    every = [
        {"programme": t("Bienvenue", "Welcome"), "start_month": r.randint(1, 7), "end_month": 12, "status": "start",
         "priority": "high"},
        {"programme": "Newsletter", "objective": t("Fidéliser les clients", "Retain customers"),
         "kpi": t("Taux d'ouverture", "Open rate"), "target": t("consentement e-mail", "email opt-in"), "channel": "email",
         "kind": "campaign", "trigger": t("mensuelle", "monthly"), "messages_per_month": r.choice([1, 1, 2]),
         "start_month": 1, "end_month": 12, "status": "continue", "priority": "high"},
        {"programme": t("Réactivation", "Win-back"),
         "target": t(f"sans achat depuis {dormant} mois", f"no purchase for {dormant} months"), "channel": "email",
         "messages_per_month": r.choice([1, 2]), "start_month": r.randint(2, 6), "end_month": 12, "status": "start",
         "priority": "high"},
        {"programme": t("Anniversaire", "Birthday"), "start_month": r.randint(6, 10), "end_month": 12, "status": "start",
         "priority": "medium"},
        {"programme": t("Recommandations", "Recommendations"),
         "target": r.choice([t(f"au moins {orders} commandes", f"at least {orders} orders"),
                             t("dernier achat depuis moins de 6 mois", "last purchase within 6 months")]),
         "messages_per_month": 1, "start_month": r.randint(4, 8), "end_month": 12, "status": "start",
         "priority": "medium"},
        {"programme": t("Panier abandonné", "Abandoned cart"), "channel": r.choice(["sms", "email"]),
         "messages_per_month": 2, "start_month": r.randint(5, 9), "end_month": 12, "status": "start", "priority": "medium"},
        {"programme": t("Coupon fidélité", "Loyalty coupon"), "start_month": r.randint(8, 11), "end_month": 12,
         "status": "start", "priority": "medium"},
        {"programme": t("Surprise grands clients", "Big spenders"),
         "target": t(f"top {top} % dépense", f"top {top}% by spend"), "channel": "mail",
         "trigger": t("colis de fin d'année", "year-end parcel"), "messages_per_month": 1, "start_month": 12,
         "end_month": 12, "status": "start", "priority": "low"},
        {"programme": t("Service client", "Customer service"), "start_month": 1, "end_month": 12, "status": "continue",
         "priority": "high"},
        {"programme": t("Campagne de Noël", "Christmas campaign"), "objective": t("Développer la notoriété", "Raise awareness"),
         "kpi": t("Chiffre d'affaires", "Revenue"),
         "target": r.choice([t("consentement e-mail", "email opt-in"), t("acheteurs et consentement e-mail", "buyers and email opt-in")]),
         "channel": "email", "kind": "campaign", "trigger": t("novembre-décembre", "November-December"),
         "messages_per_month": r.choice([2, 3, 4]), "start_month": 11, "end_month": 12, "status": "start",
         "priority": "high"},
        {"programme": t("Parrainage", "Referral"), "objective": t("Acquérir de nouveaux clients", "Win new customers"),
         "kpi": t("Nombre de filleuls", "Number of referrals"), "target": "segment champions, loyal", "channel": "email",
         "kind": "automation", "trigger": t("après le 3e achat", "after the 3rd purchase"), "messages_per_month": 1,
         "start_month": r.randint(3, 8), "end_month": 12, "status": "start", "priority": "medium"},
    ]
    keep = [0, 1] + sorted(r.sample(range(2, len(every)), r.randint(4, len(every) - 3)))
    return [every[i] for i in keep]


# --------------------------------------------------------------------------- action plan (seed 001), from the demo
# budgets: ("eur", amount at the demo's scale) | ("pct", share %) | ("hw", hours/week) | ("hm", hours/month) | None
def _actions(r: random.Random, v: dict) -> list[dict]:
    en, b2b, mp = v["en"], v["b2b"], v["marketplace"]
    t = (lambda fr, e: e if en else fr)  # noqa: E731
    team, a, b = v["owners"]["ab"], v["owners"]["a"], v["owners"]["b"]
    hw = r.choice([4, 6, 8])
    pa, pb = r.choice([2, 3, 5]), r.choice([3, 4, 5, 8])  # % of revenue on ads (the demo, a launch, spends 30 %)
    social = ("LinkedIn", "LinkedIn") if b2b else ("Pinterest", "Pinterest")
    rows = [
        ("content", t("Vidéo de présentation", "Brand video"), t("Notoriété + Acquisition", "Awareness + Acquisition"),
         t("Vues + trafic venant de YouTube", "Views + traffic from YouTube"), t("Prestataire vidéo", "Video agency"),
         [("eur", 850), None, None, None], t("janvier-février", "January-February"), "high", "start", 5000),
        ("content", "Blogging", t("Acquisition + Fidélisation", "Acquisition + Retention"),
         t("Trafic venant du blog + nombre de partages", "Blog traffic + shares"), team, [("hw", hw)] * 4, "1-12",
         "medium", "continue", None),
        ("content", t("Vidéos conseils", "How-to videos"),
         t("Notoriété + Acquisition + Fidélisation", "Awareness + Acquisition + Retention"),
         t("Trafic venant de YouTube", "Traffic from YouTube"), team, [("hm", r.choice([8, 12, 16]))] * 4,
         t("toute l'année", "all year"), "high", "continue", None),
        ("merchandising", t("Photos des produits", "Product photos"), "Conversion",
         t("Taux de clic + taux de conversion", "Click rate + conversion rate"), t("Photographe", "Photographer"),
         [("eur", 400), None, ("eur", 400), None], "1, 8", "high", "start", None),
        ("community", t("Animation Facebook", "Facebook community"),
         t("Notoriété + Acquisition + Fidélisation", "Awareness + Acquisition + Retention"),
         t("Trafic venant de Facebook + taille d'audience", "Traffic from Facebook + audience size"), b,
         [("hw", r.choice([3, 4, 6]))] * 4, "1-12", "medium", "continue", None),
        ("community", t("Animation Instagram", "Instagram community"),
         t("Notoriété + Acquisition + Fidélisation", "Awareness + Acquisition + Retention"),
         t("Trafic venant d'Instagram + taille d'audience", "Traffic from Instagram + audience size"), a,
         [("hw", r.choice([2, 4, 5]))] * 4, "1-12", "medium", "continue", None),
        ("community", t(f"Animation {social[0]}", f"{social[1]} community"),
         t("Notoriété + Acquisition", "Awareness + Acquisition"),
         t(f"Trafic venant de {social[0]}", f"Traffic from {social[1]}"), a, [("hw", 1)] * 4, "1-12", "low", "continue",
         None),
        ("online_ads", t(f"Mise en avant sur {mp}", f"Promoted listings on {mp}"), "Acquisition",
         t("Coût d'acquisition", "Acquisition cost"), b, [None, ("eur", 500), ("eur", 750), ("eur", 750)],
         t("avril à décembre", "April to December"), "medium", "start", 9000),
        ("online_ads", "Facebook Ads", t("Notoriété + Acquisition", "Awareness + Acquisition"),
         t("Nombre d'impressions + Coût d'acquisition", "Impressions + Acquisition cost"), b,
         [None, None, ("pct", pa), ("pct", max(pa - 1, 1))], "7-12", "high", "start", 40000),
        ("online_ads", "Google Ads", t("Notoriété + Acquisition", "Awareness + Acquisition"),
         t("Nombre d'impressions + Coût d'acquisition", "Impressions + Acquisition cost"), b,
         [None, None, ("pct", pb), ("pct", pb)], "7-12", "high", "start", 70000),
        ("public_relations", t("Publireportage dans la presse locale", "Advertorial in the local press"),
         t("Notoriété", "Awareness"), t("Trafic venant du site du journal", "Traffic from the newspaper's website"),
         t("Contact au journal", "Newspaper contact"), [None, None, None, ("eur", 2000)], t("décembre", "December"),
         "medium", "start", 6000),
        ("website_seo", t("Refonte du site e-commerce", "E-commerce website redesign"),
         t("Distribution + Acquisition (SEO)", "Distribution + Acquisition (SEO)"),
         t("Nombre de visiteurs + Nombre de commandes par client + Panier moyen",
           "Visitors + Orders per customer + Average basket"), t("Agence web", "Web agency"),
         [None, ("eur", 2500), ("eur", 7500), None], "5-9", "high", "start", None),
        ("emailing_crm", "Newsletter", t("Fidélisation", "Retention"), t("Taux d'ouverture + taux de clic", "Open rate + click rate"),
         a, [("eur", 0), ("eur", 30), ("eur", 50), ("eur", 199)], "1-12", "high", "continue", 4000),
        ("emailing_crm", t("Location de base de données", "Rented e-mail list"), "Acquisition",
         t("Taux d'ouverture + taux de clic + Chiffre d'affaires", "Open rate + click rate + Revenue"), a,
         [None, None, None, ("eur", 1600)], "12", "low", "start", 3000),
        ("emailing_crm", t("Logiciel CRM", "CRM software"), t("Fidélisation", "Retention"),
         t("Chiffre d'affaires + CLV", "Revenue + CLV"), b, [None, None, None, ("eur", 450)],
         t("novembre-décembre", "November-December"), "medium", "start", None),
    ]
    if b2b:
        rows += [
            ("events", t("Salon professionnel", "Trade show"), "Acquisition", t("Nombre de contacts qualifiés", "Qualified leads"),
             team, [None, ("eur", 3000), None, None], "6", "high", "start", 15000),
            ("sales", t("Prospection téléphonique", "Phone prospecting"), "Acquisition",
             t("Rendez-vous obtenus + taux de transformation", "Meetings booked + conversion rate"), b,
             [("hw", 8)] * 4, "1-12", "high", "continue", 20000),
        ]
    else:
        rows.append(("events", t(f"Stand au {v['event'][0]}", f"Stand at the {v['event'][1]}"),
                     t("Notoriété + Acquisition", "Awareness + Acquisition"),
                     t("Inscriptions à la newsletter", "Newsletter sign-ups"), team, [None, None, None, ("eur", 600)],
                     t("décembre", "December"), "medium", "start", 3000))
    dropped = set(r.sample([i for i in range(len(rows)) if rows[i][1] != "Newsletter"], r.randint(2, 4)))
    k = v["scale"]
    out = []
    for i, (cat, name, obj, kpi, owner, budgets, months, prio, lever, effect) in enumerate(rows):
        if i in dropped:
            continue
        row = {"category": cat, "action": name, "objective": obj, "kpi": kpi, "owner": owner, "months": months,
               "priority": prio, "lever": lever}
        for q, cell in zip(("budget_q1", "budget_q2", "budget_q3", "budget_q4"), budgets):
            if cell is not None:
                kind, x = cell
                if kind == "eur":
                    x = _nice(x * k * r.uniform(0.8, 1.25)) if x else 0
                row[q] = (kind, x)
        if effect:
            row["revenue_effect"] = _nice(effect * k * r.uniform(0.7, 1.3))
        if name == "Newsletter" and any(p["programme"] == "Newsletter" for p in v["programmes"]):
            row["programme"] = "Newsletter"
        out.append(row)
    return out


# --------------------------------------------------------------------------- formatting
def _nice(x: float) -> int:
    """Round an amount the way a consultant writes it."""
    step = 10 if x < 1000 else 50 if x < 5000 else 100 if x < 50000 else 1000
    return max(step, int(round(x / step)) * step)


def _money(x: float, en: bool, decimals: int = 0) -> str:
    if en:  # no thousands separator: relkit reads "12,400" as 12.4
        return f"€{x:.{decimals}f}"
    whole = f"{x:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return f"{whole} €"


def _pct(x: float, en: bool) -> str:
    text = f"{x:g}"
    return f"{text}%" if en else f"{text.replace('.', ',')} %"


def _count(n: int, en: bool) -> str:
    return str(n) if en else f"{n:,}".replace(",", " ")


def _budget_cell(cell, en: bool):
    kind, x = cell
    if kind == "eur":
        return x if en else _money(x, False)  # an English consultant types a plain number
    if kind == "pct":
        return f"{x}% of revenue" if en else f"{x} % du CA"
    if kind == "hw":
        return f"{x}h/week" if en else f"{x}h/semaine"
    return f"{x}h/month" if en else f"{x}h/mois"


def _retention(n: int, unit: str, en: bool) -> str:
    if unit == "m":
        return f"{n} months" if en else f"{n} mois"
    return f"{n} years" if en else f"{n} ans"


# --------------------------------------------------------------------------- one variant
@functools.cache
def _faker():
    from faker import Faker

    return Faker("fr_FR")


def _people(r: random.Random) -> dict:
    fake = _faker()
    fake.seed_instance(r.randrange(2**31))
    return {"first": [fake.first_name() for _ in range(4)], "last": [fake.last_name() for _ in range(3)]}


def _draw(i: int, seed: int, sector: dict, en: bool, customers: tuple[int, int], taken: set[str]) -> dict:
    """Everything a variant is made of, before any file is written."""
    from slugify import slugify

    r = random.Random(f"relkit-variant:{seed}:{i}")
    for attempt in range(50):
        people = _people(r)
        first, last = people["first"], people["last"]
        template = r.choice(sector["names"])
        name = re.sub(r"\bde (?=[AEIOUYÉÈÊÂÎÔ])", "d'", template.format(first=first[0], last=last[0]))
        slug = slugify(name)
        if slug not in taken:
            break
    else:  # pragma: no cover - 50 draws of Faker names never all collide in practice
        raise RuntimeError(f"could not find a new client name for variant {i}")
    taken.add(slug)
    lang = 1 if en else 0
    a, b = first[1], first[2]
    owners = {"a": a, "b": b, "ab": f"{a} and {b}" if en else f"{a} et {b}"}
    firm = r.choice(["{l} Consulting", "{l} Partners"] if en else ["{l} Conseil", "Cabinet {l}", "{l} & Associés"])
    n_customers = r.randint(*customers)
    return {
        "index": i, "r": r, "name": name, "slug": slug, "en": en, "lang": "en" if en else "fr",
        "sector": sector, "sector_text": sector["sector"][lang], "model": sector["model"],
        "b2b": sector["model"] == "B2B", "brand": last[0] if "{last}" in template and r.random() < 0.3 else None,
        "consultant": f"{first[3]} {last[1]}", "firm": firm.format(l=last[2]), "owners": owners,
        "topic": sector["topic"][lang], "event": sector["event"], "marketplace": sector["marketplace"],
        "customers": n_customers, "lines": int(n_customers * r.uniform(1.5, 2.6)),
        "export_seed": r.randrange(1, 2**31),
    }


def _exports(folder: Path, v: dict) -> dict:
    """The client's customer and sales exports (generate_customers.py), with the
    sector's article names in the sales lines; returns the manifest."""
    gc = _generator()
    r = v["r"]
    p = gc.Params(seed=v["export_seed"], customers=v["customers"], lines=v["lines"],
                  newsletter_share=round(r.uniform(0.08, 0.2), 3), phone_share=round(r.uniform(0.6, 0.9), 3),
                  email_marketing_share=round(r.uniform(0.4, 0.7), 3), sms_marketing_share=round(r.uniform(0.1, 0.3), 3))
    out = folder / "exports"
    manifest = gc.generate(out, p, "variant")
    names = v["sector"]["articles"]
    rename = {a: names[k % len(names)] for k, a in enumerate(gc.ARTICLES[:len(gc.CATALOGUE)])}
    rename[gc.BULK_ARTICLE] = ("Commande entreprise" if v["b2b"] else "Commande groupée") + f" {names[0].lower()}"
    rename[gc.GIFT_ARTICLE] = "Cadeau offert"
    sales = out / gc.SALES_FILE
    lines = sales.read_bytes().decode("cp1252").split("\r\n")
    for k in range(1, len(lines)):
        cells = lines[k].split(";")
        if len(cells) > 3:
            cells[3] = rename.get(cells[3], cells[3])
            lines[k] = ";".join(cells)
    sales.write_bytes("\r\n".join(lines).encode("cp1252"))
    manifest["description"] = (f"{v['name']} variant exports (fictional people), generated from the demo's generator; "
                               "no name, e-mail or phone in here.")
    manifest["generator"] = {"script": "data_samples/make_variants.py", "mode": "variant",
                             "command": "python data_samples/make_variants.py OUT --n N --broken B --seed S"}
    manifest["parameters"]["catalogue"] = [{"article": rename[c["article"]], "price_eur": c["price_eur"]}
                                           for c in manifest["parameters"]["catalogue"]]
    manifest["parameters"]["bulk_article"] = rename[gc.BULK_ARTICLE]
    manifest["parameters"]["gift_article"] = rename[gc.GIFT_ARTICLE]
    manifest["files"][gc.SALES_FILE]["sha256"] = hashlib.sha256(sales.read_bytes()).hexdigest()
    _write_manifest(out / gc.MANIFEST_FILE, manifest)
    return manifest


def _write_manifest(path: Path, manifest: dict) -> None:
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _figures(v: dict, manifest: dict) -> None:
    """Revenue, target, forecast, scale: sized on the client's own sales."""
    r = v["r"]
    exp = manifest["expected"]
    this_year = float(exp["revenue_by_year_eur"].get("2026", exp["total_net_revenue_eur"]))
    annual = this_year * 12 / 10  # the export stops at the end of October
    v["last_year"] = _nice(annual * r.uniform(1.0, 2.0))  # the shop sells outside the exported channel too
    v["target"] = _nice(v["last_year"] * r.uniform(1.15, 1.6))
    v["scale"] = v["target"] / 200000  # the demo's action plan is sized for 200 000 €
    v["basket"] = float(exp["average_basket_eur"])
    weights = [r.uniform(0.18, 0.26) for _ in range(3)] + [r.uniform(0.28, 0.4)]
    forecast = [_nice(v["target"] * w / sum(weights)) for w in weights[:3]]
    v["forecast"] = forecast + [v["target"] - sum(forecast)]


def _envelopes(v: dict, actions: list[dict]) -> list[str]:
    """Quarterly envelopes close to what the action plan costs (a few do not match: the plan flags them)."""
    r, en = v["r"], v["en"]
    out = []
    for q in ("budget_q1", "budget_q2", "budget_q3", "budget_q4"):
        money = sum(a[q][1] for a in actions if q in a and a[q][0] == "eur")
        pct = sum(a[q][1] for a in actions if q in a and a[q][0] == "pct")
        if r.random() < 0.35:  # announced envelope off the plan's cost: the plan flags the gap
            money = _nice(max(money, 100) * r.choice([0.85, 0.9, 1.1, 1.2]))
        text = _money(money, en)
        if pct:
            text += f" + {pct}% of revenue" if en else f" + {pct} % du CA"
        out.append(text)
    return out


def _engagement_yaml(v: dict, envelopes: list[str]) -> str:
    r, en = v["r"], v["en"]
    m = (lambda x, d=0: _money(x, en, d))  # noqa: E731
    p = (lambda x: _pct(x, en))  # noqa: E731
    q = ("Q1", "Q2", "Q3", "Q4") if en else ("T1", "T2", "T3", "T4")
    cost, conv, margin = r.choice([0.5, 0.8, 1.2, 2.0]), r.choice([1, 1.5, 2, 3]), r.choice([35, 45, 55, 65])
    email_cap, sms_cap = r.choice([3, 4, 4, 6]), r.choice([1, 2, 2, 3])
    report_day = f"{r.randint(2, 30):02d}/11/2026"
    if v["b2b"]:
        funnel = (f'  visitor_to_lead: "{p(r.choice([2, 3, 5]))}"\n  lead_to_mql: "{p(r.choice([30, 40, 50]))}"\n'
                  f'  mql_to_sql: "{p(r.choice([20, 30]))}"\n  sql_to_customer: "{p(r.choice([15, 25, 30]))}"\n')
    else:
        funnel = (f'  visitor_to_lead: "{p(r.choice([5, 8, 10]))}"\n'
                  f'  lead_to_customer: "{p(r.choice([10, 15, 20, 25]))}"\n')
    lines = [
        f"# relkit engagement — {v['name']} (fictional variant of the demo, made by data_samples/make_variants.py).",
        "client:",
        f"  name: {json.dumps(v['name'], ensure_ascii=False)}",
        *( [f"  brand: {json.dumps(v['brand'], ensure_ascii=False)}"] if v["brand"] else [] ),
        f"  sector: {json.dumps(v['sector_text'], ensure_ascii=False)}",
        f"  model: {v['model']}",
        "  country: FR",
        "consultant:",
        f"  name: {json.dumps(v['consultant'], ensure_ascii=False)}",
        f"  firm: {json.dumps(v['firm'], ensure_ascii=False)}",
        f"language: {v['lang']}",
        "currency: EUR",
        f"plan_year: {PLAN_YEAR}",
        "revenue:",
        f'  last_year: "{m(v["last_year"])}"',
        f'  target: "{m(v["target"])}"',
        f"  target_deadline: {'2027-12-31' if en else '31/12/2027'}",
        "workshop_file: atelier.xlsx",
        f"report_date: {report_day}",
        "customer_data:",
        "  customers:",
        "    file: exports/clients_shopify.csv",
        "    preset: shopify_customers",
        "  transactions:",
        f"    file: {v.get('sales_file', 'exports/ventes.csv')}",
        "    preset: generic_billing",
        f"  dormant_months: {r.choice([6, 12, 12, 18])}",
        f"  new_months: {r.choice([3, 3, 6])}",
        "value:",
        "  period_years: 3",
        f'  cost_to_reach: "{m(cost, 2)}"',
        f'  conversion_rate: "{p(conv)}"',
        f'  margin: "{p(margin)}"',
        "budget:",
        "  method: fixed",
        "  envelopes:",
        *(f'    {q[k]}: "{envelopes[k]}"' for k in range(4)),
        "  revenue_forecast:",
        *(f'    {q[k]}: "{m(v["forecast"][k])}"' for k in range(4)),
        f'  hourly_cost: "{m(r.choice([20, 25, 30, 35, 45]))}"',
        "pressure:",
        f"  email: {email_cap}",
        f"  sms: {sms_cap}",
        *([f"  total: {email_cap + sms_cap + 1}"] if r.random() < 0.3 else []),
        "funnel:",
        funnel.rstrip("\n"),
    ]
    return "\n".join(lines) + "\n"


def _swot(v: dict) -> list[dict]:
    r, lang = v["r"], 1 if v["en"] else 0
    rows = []
    for quadrant in ("strength", "weakness", "opportunity", "threat"):
        pool = v["sector"]["swot"][quadrant] + r.sample(GENERIC_SWOT[quadrant], r.randint(1, 3))
        for item in r.sample(pool, r.randint(3, len(pool))):
            rows.append({"quadrant": quadrant, "item": item[lang], "importance": r.choice([1, 2, 2, 3, 3])})
    return rows


def _objectives(v: dict, manifest: dict) -> list[dict]:
    r, en = v["r"], v["en"]
    t = (lambda fr, e: e if en else fr)  # noqa: E731
    a, b, ab = v["owners"]["a"], v["owners"]["b"], v["owners"]["ab"]
    new = max(10, int(round(manifest["expected"]["buyers"] * r.uniform(0.1, 0.3), -1)))
    open_rate, repeat, react = r.choice([25, 30, 35, 40]), r.choice([20, 25, 30, 35]), r.choice([10, 15, 20])
    basket = _nice(v["basket"] * r.uniform(1.05, 1.2))
    smart = [
        (t(f"Atteindre {_money(v['target'], en)} de chiffre d'affaires en 2027", f"Reach {_money(v['target'], en)} revenue in 2027"),
         t("Chiffre d'affaires", "Revenue"), _money(v["target"], en), "31/12/2027", ab),
        (t(f"Porter le taux d'ouverture de la newsletter à {open_rate} % au T4",
           f"Raise the newsletter open rate to {open_rate}% by Q4"),
         t("Taux d'ouverture", "Open rate"), _pct(open_rate, en), "31/12/2027", a),
        (t(f"Porter le taux de réachat à {repeat} % d'ici fin 2027", f"Bring the repeat purchase rate to {repeat}% by the end of 2027"),
         t("Taux de réachat", "Repeat purchase rate"), _pct(repeat, en), "31/12/2027", b),
        (t(f"Recruter {_count(new, en)} nouveaux clients au premier semestre", f"Win {new} new customers in the first half"),
         t("Nouveaux clients", "New customers"), _count(new, en), "30/06/2027", b),
        (t(f"Réactiver {react} % des clients dormants avant septembre", f"Win back {react}% of dormant customers by September"),
         t("Taux de réactivation", "Reactivation rate"), _pct(react, en), "30/09/2027", a),
        (t(f"Porter le panier moyen à {_money(basket, en)}", f"Raise the average basket to {_money(basket, en)}"),
         t("Panier moyen", "Average basket"), _money(basket, en), None, a),
    ]
    vague = [(t("Développer la notoriété", "Raise awareness"), None, None, None, a),
             (t("Fidéliser les clients", "Retain customers"), None, None, None, b),
             (t("Augmenter les ventes", "Increase sales"), None, None, None, None)]
    rows = [smart[0]] + r.sample(smart[1:], r.randint(2, 4)) + r.sample(vague, r.randint(1, 2))
    return [dict(zip(("objective", "kpi", "target", "deadline", "owner"), o)) for o in rows]


def _mix(v: dict) -> list[dict]:
    r, en = v["r"], v["en"]
    t = (lambda fr, e: e if en else fr)  # noqa: E731
    mp, n = v["marketplace"], r.choice([12, 20, 35, 60, 120])
    basket = _money(round(v["basket"]), en)
    return [
        {"p": "product", "today": t(f"Gamme de {n} références, best-sellers suivis à l'œil", f"A range of {n} products, best sellers tracked by eye"),
         "direction": r.choice([t("Resserrer la gamme et lancer une offre cadeau", "Narrow the range and launch a gift offer"),
                                t("Ajouter un abonnement et des coffrets", "Add a subscription and gift boxes")])},
        {"p": "price", "today": t(f"Panier moyen de {basket}", f"Average basket of {basket}"),
         "direction": r.choice([t("Justifier le prix par la qualité et le service", "Justify the price by quality and service"),
                                t("Créer un palier de livraison offerte", "Add a free-delivery threshold")])},
        {"p": "promotion", "today": t("Réseaux sociaux animés par les fondateurs, newsletter irrégulière",
                                      "Social media run by the founders, irregular newsletter"),
         "direction": t("Newsletter mensuelle, publicité en ligne au second semestre, presse locale en décembre",
                        "Monthly newsletter, online ads in the second half, local press in December")},
        {"p": "place", "today": t(f"Boutique, site vitrine et {mp}", f"Shop, showcase website and {mp}"),
         "direction": t(f"Boutique en ligne propre à partir de l'été, {mp} en complément",
                        f"Own online shop from the summer, {mp} alongside")},
    ]


def _fill(text: str | None, v: dict, lang: int) -> str | None:
    if text is None:
        return None
    return text.format(topic=v["topic"], event=v["event"][lang], mp=v["marketplace"])


def _journey(v: dict) -> tuple[list[dict], dict]:
    """The demo's journey with a few rows dropped and a few importances/owners
    changed; returns the rows and the touchpoint name of each (version, index)."""
    r, lang = v["r"], 1 if v["en"] else 0
    rows, names = [], {}
    for version, base in (("current", CURRENT), ("target", TARGET)):
        droppable = [k for k in range(len(base)) if (version, k) not in PROTECTED]
        dropped = set(r.sample(droppable, r.randint(0, 3)))
        for k, (stage, channel, tp, desc, qual, imp, emo, owner, prog, collect) in enumerate(base):
            names[(version, k)] = _fill(tp[lang], v, lang)
            if k in dropped:
                continue
            if r.random() < 0.25:
                imp = min(5, max(1, imp + r.choice([-1, 1])))
            if r.random() < 0.2:
                owner = r.choice(["a", "b", "ab"])
            rows.append({"stage": stage, "channel": channel, "touchpoint": names[(version, k)],
                         "description": _fill(desc[lang], v, lang) if desc else None, "version": version,
                         "qualification": qual, "importance": imp, "emotion": emo, "owner": v["owners"][owner],
                         "programme": prog[lang] if prog else None, "collection_point": collect})
    return rows, names


def _collection(v: dict, names: dict) -> list[dict]:
    r, en, lang = v["r"], v["en"], 1 if v["en"] else 0
    dropped = set(r.sample(range(1, len(COLLECTION)), r.randint(0, 2)))
    rows = []
    for k, (fld, cf, dtype, uses, progs, people, basis, (n, unit), point, mech, incentive, prio) in enumerate(COLLECTION):
        if k in dropped:
            continue
        rows.append({"field": fld[lang], "customer_field": cf, "data_type": dtype, "uses": uses[lang] if uses else None,
                     "programmes": progs[lang] if progs else None, "people": people, "legal_basis": basis,
                     "retention": _retention(n, unit, en), "collection_point": names[point], "mechanic": mech,
                     "incentive": incentive[lang] if incentive else None, "priority": prio})
    return rows


KPI_TARGETS = ("open_rate", "click_rate", "conversion_rate", "cac", "average_basket", "revenue", "unsubscribe_rate",
               "repeat_purchase_rate", "audience_size")


def _kpis(v: dict, manifest: dict) -> tuple[list[dict], list[dict]]:
    """KPI sheet (catalogue with this client's targets) and the actuals."""
    from relkit.topics.kpi_catalogue import CATALOGUE, catalogue_rows, fits

    r, en = v["r"], v["en"]
    audience = _nice(manifest["expected"]["customer_rows"] * r.uniform(1.5, 4))
    targets = {
        "open_rate": _pct(r.choice([25, 30, 35, 40]), en), "click_rate": _pct(r.choice([2, 3, 4, 5]), en),
        "conversion_rate": _pct(r.choice([1, 1.5, 2, 3]), en), "cac": _money(_nice(v["basket"] * r.uniform(0.5, 1.2)), en),
        "average_basket": _money(_nice(v["basket"] * r.uniform(1.05, 1.2)), en), "revenue": _money(v["target"], en),
        "unsubscribe_rate": _pct(r.choice([0.3, 0.5, 0.8, 1]), en),
        "repeat_purchase_rate": _pct(r.choice([20, 25, 30, 35]), en), "audience_size": _count(audience, en),
    }
    kept = set(r.sample(KPI_TARGETS, r.randint(5, len(KPI_TARGETS))))
    rows = catalogue_rows(v["lang"], v["model"])  # the KPIs that fit the client's business model
    names = {}
    for code, row in zip([c for c, k in CATALOGUE.items() if fits(k, v["model"])], rows):
        names[code] = row["kpi"]
        if code in kept:
            row["target"] = targets[code]
    if any(p.get("kpi") in ("Nombre de filleuls", "Number of referrals") for p in v["programmes"]):
        rows.append({"kpi": "Nombre de filleuls" if not en else "Number of referrals",
                     "definition": "Les nouveaux clients venus par un parrain." if not en else "New customers brought by a referrer.",
                     "formula": "nombre de premières commandes avec un code parrain" if not en else "first orders with a referral code",
                     "unit": "count", "frequency": "monthly", "direction": "higher",
                     "target": _count(r.choice([20, 50, 100]), en)})
    measured = {"open_rate": lambda: _pct(r.choice([18, 21, 24, 28, 31]), en),
                "click_rate": lambda: _pct(r.choice([1.8, 2.4, 3.1, 3.6]), en),
                "conversion_rate": lambda: _pct(r.choice([0.9, 1.4, 1.8, 2.2]), en),
                "cac": lambda: _money(_nice(v["basket"] * r.uniform(0.6, 1.5)), en),
                "average_basket": lambda: _money(round(v["basket"]), en),
                "unsubscribe_rate": lambda: _pct(r.choice([0.2, 0.4, 0.6, 1.1]), en),
                "audience_size": lambda: _count(_nice(audience * r.uniform(0.4, 0.8)), en)}
    actuals = []
    periods = ("Q3 2026", "October 2026") if en else ("T3 2026", "10/2026")
    for code in r.sample(list(measured), r.randint(3, len(measured))):
        for period in periods[(0 if r.random() < 0.3 else 1):]:
            actuals.append({"kpi": names[code], "period": period, "actual": measured[code]()})
    return rows, actuals


def _workshop(folder: Path, v: dict, manifest: dict, break_budget: bool) -> dict:
    """Write atelier.xlsx; returns what the broken variant needs to know."""
    from relkit.io.labels import Labels
    from relkit.intake.atelier_template import create_workshop_file

    r, en = v["r"], v["en"]
    L = Labels(v["lang"])
    lang = 1 if en else 0
    v["programmes"] = _programmes(r, en)
    actions = _actions(r, v)
    journey, names = _journey(v)
    kpis, actuals = _kpis(v, manifest)
    positioning = [{"part": part, "text": text[lang]} for part, text in v["sector"]["positioning"].items()]
    entries = {
        "swot": _swot(v),
        "objectives": _objectives(v, manifest),
        "positioning": positioning,
        "positioning_questions": [{"number": i, "question": L(f"positioning.q{i}"),
                                   "answer": "yes" if r.random() < 0.7 else "no"} for i in range(1, 11)],
        "marketing_mix": _mix(v),
        "readiness": [{"number": i, "practice": L(f"readiness.c{i}"), "answer": r.choice(["yes", "yes", "partly", "no"])}
                      for i in range(1, 16)],
        "journey": journey,
        "collection_plan": _collection(v, names),
        "actions": [{k: (_budget_cell(x, en) if k.startswith("budget_") else
                         (x if en else _money(x, False)) if k == "revenue_effect" else x) for k, x in a.items()}
                    for a in actions],
        "programmes": v["programmes"],
        "kpis": kpis,
        "actuals": actuals,
    }
    broken = {}
    if break_budget:
        k = r.randrange(len(entries["actions"]))
        entries["actions"][k]["budget_q2"] = "beaucoup"
        from relkit.io.atelier import FIRST_DATA_ROW, sheet

        s = sheet("actions")
        broken = {"expected_problem": f"atelier.xlsx: sheet '{s.title[v['lang']]}', row {FIRST_DATA_ROW + k}, column "
                                      f"'{s.column('budget_q2').header[v['lang']]}': expected an amount such as '850 €', "
                                      "a share of revenue such as '10 % du CA' or internal time such as '6h/semaine', "
                                      "got 'beaucoup'"}
    _freeze_xlsx(create_workshop_file(folder / "atelier.xlsx", lang=v["lang"], entries=entries))
    v["envelopes"] = _envelopes(v, actions)
    return broken


def _freeze_xlsx(path: Path) -> None:
    """Same seed, same bytes: openpyxl stamps the workbook and its zip entries
    with the current time; pin both to the export's reference date."""
    with zipfile.ZipFile(path) as zin:
        items = [(info.filename, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-11-01T00:00:00Z", data)
            zout.writestr(zipfile.ZipInfo(name, date_time=FROZEN_TIME), data, zipfile.ZIP_DEFLATED)


def _bad_date(folder: Path, v: dict) -> dict:
    """One sales line with an impossible date (the manifest's checksum follows)."""
    gc = _generator()
    sales = folder / "exports" / gc.SALES_FILE
    lines = sales.read_bytes().decode("cp1252").split("\r\n")
    k = v["r"].randrange(1, len([x for x in lines if x]))
    cells = lines[k].split(";")
    cells[1] = BAD_DATE
    lines[k] = ";".join(cells)
    sales.write_bytes("\r\n".join(lines).encode("cp1252"))
    path = folder / "exports" / gc.MANIFEST_FILE
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["files"][gc.SALES_FILE]["sha256"] = hashlib.sha256(sales.read_bytes()).hexdigest()
    manifest["planted"]["bad_date_line"] = {"line": k + 1, "value": BAD_DATE}
    _write_manifest(path, manifest)
    return {"expected_problem": f"exports/{gc.SALES_FILE}: line {k + 1}, column 'Date': expected a date as dd/mm/yyyy, "
                                f"got '{BAD_DATE}'"}


def build_variant(folder: Path, v: dict, broken: str | None = None) -> Path:
    """Write one engagement folder from a drawn variant."""
    if folder.exists():
        if not (folder / VARIANT_FILE).is_file():
            raise FileExistsError(f"{folder} exists and was not made by make_variants.py; not touching it")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    manifest = _exports(folder, v)
    _figures(v, manifest)
    info = _workshop(folder, v, manifest, broken == "budget_cell")
    if broken == "missing_export":
        v["sales_file"] = MISSING_SALES_FILE
        info = {"expected_problem": f"{MISSING_SALES_FILE}: file not found"}
    elif broken == "bad_date":
        info = _bad_date(folder, v)
    (folder / "engagement.yaml").write_text(_engagement_yaml(v, v["envelopes"]), encoding="utf-8")
    record = {"name": v["name"], "slug": v["slug"], "sector": v["sector"]["key"], "model": v["model"],
              "language": v["lang"], "customers": v["customers"], "lines": v["lines"], "export_seed": v["export_seed"],
              "revenue_last_year": v["last_year"], "revenue_target": v["target"],
              "programmes": [p["programme"] for p in v["programmes"]], "broken": broken, **info}
    (folder / VARIANT_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return folder


def plan_variants(n: int = 20, broken: int = 2, seed: int = 7,
                  customers: tuple[int, int] = (300, 3000)) -> list[dict]:
    """Draw the variants (client, sector, language, sizes, which are broken)
    without writing anything; ``make_variants`` builds exactly these."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0 <= broken <= min(n, len(BROKEN_KINDS)):
        raise ValueError(f"broken must be between 0 and {min(n, len(BROKEN_KINDS))}, got {broken}")
    lo, hi = customers
    if not 100 <= lo <= hi:
        raise ValueError(f"customers must be a range (low, high) with 100 <= low <= high, got {customers}")
    master = random.Random(f"relkit-variants:{seed}")
    order = master.sample(SECTORS, len(SECTORS))
    valid = n - broken
    n_en = max(1, round(valid / 5)) if valid >= 3 else 0  # about 1 in 5 in English, never a broken one
    english = set(master.sample(range(valid), n_en))
    taken: set[str] = set()
    variants = []
    for i in range(n):
        v = _draw(i, seed, order[i % len(order)], i in english, customers, taken)
        v["broken"] = BROKEN_KINDS[i - valid] if i >= valid else None
        variants.append(v)
    return variants


def make_variants(out_dir: Path, n: int = 20, broken: int = 2, seed: int = 7,
                  customers: tuple[int, int] = (300, 3000)) -> list[Path]:
    """Write ``n`` engagement folders under ``out_dir`` (named by client slug);
    the last ``broken`` are wrong in one way each (see BROKEN_KINDS). Returns
    the folders, valid ones first."""
    out_dir = Path(out_dir)
    return [build_variant(out_dir / v["slug"], v, v["broken"]) for v in plan_variants(n, broken, seed, customers)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder that receives one engagement folder per variant")
    parser.add_argument("--n", type=int, default=20, help="number of variants (default 20)")
    parser.add_argument("--broken", type=int, default=2, help=f"how many of them are broken, at most {len(BROKEN_KINDS)}")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--small", action="store_true", help=f"tiny exports ({SMALL_CUSTOMERS[0]}-{SMALL_CUSTOMERS[1]} customers)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        folders = make_variants(args.out, n=args.n, broken=args.broken, seed=args.seed,
                                customers=SMALL_CUSTOMERS if args.small else (300, 3000))
    except (ValueError, FileExistsError) as error:
        parser.error(str(error))
    for folder in folders:
        info = json.loads((folder / VARIANT_FILE).read_text(encoding="utf-8"))
        state = f"BROKEN ({info['broken']})" if info["broken"] else "valid"
        print(f"{folder}: {info['name']} — {info['model']}, {info['language']}, {info['customers']} customers, {state}")
    print(f"{len(folders)} variants in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
