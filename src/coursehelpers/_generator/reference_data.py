"""Tables de référence du générateur : régions, communes, PCS, NAF, catégories...

Toutes les communes, codes postaux, départements et codes NAF sont réels ; les
populations régionales (millions d'habitants, ordre de grandeur INSEE 2021)
servent de poids pour tirer le lieu de résidence. Rien ici ne dépend du hasard.
"""

from __future__ import annotations

# Régions métropolitaines (13) : nom -> population en millions (ordre de grandeur 2021).
REGIONS: dict[str, float] = {
    "Île-de-France": 12.3,
    "Auvergne-Rhône-Alpes": 8.1,
    "Nouvelle-Aquitaine": 6.1,
    "Hauts-de-France": 6.0,
    "Occitanie": 6.0,
    "Grand Est": 5.6,
    "Provence-Alpes-Côte d'Azur": 5.1,
    "Pays de la Loire": 3.9,
    "Bretagne": 3.4,
    "Normandie": 3.3,
    "Bourgogne-Franche-Comté": 2.8,
    "Centre-Val de Loire": 2.6,
    "Corse": 0.35,
}

# (région, commune, premier code postal, nb de codes consécutifs, code dép., nom dép., poids)
# Le poids est la population communale approximative (milliers) ; Paris, Lyon et
# Marseille tirent un code d'arrondissement au hasard (75001-75020, 69001-69009, 13001-13016).
COMMUNES: list[tuple[str, str, int, int, str, str, float]] = [
    ("Île-de-France", "Paris", 75001, 20, "75", "Paris", 2100),
    ("Île-de-France", "Boulogne-Billancourt", 92100, 1, "92", "Hauts-de-Seine", 120),
    ("Île-de-France", "Nanterre", 92000, 1, "92", "Hauts-de-Seine", 95),
    ("Île-de-France", "Saint-Denis", 93200, 1, "93", "Seine-Saint-Denis", 113),
    ("Île-de-France", "Montreuil", 93100, 1, "93", "Seine-Saint-Denis", 110),
    ("Île-de-France", "Argenteuil", 95100, 1, "95", "Val-d'Oise", 111),
    ("Île-de-France", "Versailles", 78000, 1, "78", "Yvelines", 84),
    ("Île-de-France", "Créteil", 94000, 1, "94", "Val-de-Marne", 92),
    ("Île-de-France", "Évry-Courcouronnes", 91000, 1, "91", "Essonne", 67),
    ("Île-de-France", "Meaux", 77100, 1, "77", "Seine-et-Marne", 56),
    ("Auvergne-Rhône-Alpes", "Lyon", 69001, 9, "69", "Rhône", 520),
    ("Auvergne-Rhône-Alpes", "Villeurbanne", 69100, 1, "69", "Rhône", 155),
    ("Auvergne-Rhône-Alpes", "Saint-Étienne", 42000, 1, "42", "Loire", 173),
    ("Auvergne-Rhône-Alpes", "Grenoble", 38000, 1, "38", "Isère", 157),
    ("Auvergne-Rhône-Alpes", "Clermont-Ferrand", 63000, 1, "63", "Puy-de-Dôme", 147),
    ("Auvergne-Rhône-Alpes", "Annecy", 74000, 1, "74", "Haute-Savoie", 131),
    ("Auvergne-Rhône-Alpes", "Chambéry", 73000, 1, "73", "Savoie", 60),
    ("Auvergne-Rhône-Alpes", "Valence", 26000, 1, "26", "Drôme", 64),
    ("Nouvelle-Aquitaine", "Bordeaux", 33000, 1, "33", "Gironde", 260),
    ("Nouvelle-Aquitaine", "Mérignac", 33700, 1, "33", "Gironde", 72),
    ("Nouvelle-Aquitaine", "Pessac", 33600, 1, "33", "Gironde", 65),
    ("Nouvelle-Aquitaine", "Limoges", 87000, 1, "87", "Haute-Vienne", 130),
    ("Nouvelle-Aquitaine", "Poitiers", 86000, 1, "86", "Vienne", 89),
    ("Nouvelle-Aquitaine", "Pau", 64000, 1, "64", "Pyrénées-Atlantiques", 76),
    ("Nouvelle-Aquitaine", "La Rochelle", 17000, 1, "17", "Charente-Maritime", 78),
    ("Nouvelle-Aquitaine", "Angoulême", 16000, 1, "16", "Charente", 42),
    ("Hauts-de-France", "Lille", 59000, 1, "59", "Nord", 236),
    ("Hauts-de-France", "Roubaix", 59100, 1, "59", "Nord", 98),
    ("Hauts-de-France", "Tourcoing", 59200, 1, "59", "Nord", 98),
    ("Hauts-de-France", "Dunkerque", 59140, 1, "59", "Nord", 87),
    ("Hauts-de-France", "Amiens", 80000, 1, "80", "Somme", 134),
    ("Hauts-de-France", "Calais", 62100, 1, "62", "Pas-de-Calais", 67),
    ("Hauts-de-France", "Beauvais", 60000, 1, "60", "Oise", 56),
    ("Hauts-de-France", "Saint-Quentin", 2100, 1, "02", "Aisne", 53),
    ("Occitanie", "Toulouse", 31000, 1, "31", "Haute-Garonne", 500),
    ("Occitanie", "Montpellier", 34000, 1, "34", "Hérault", 300),
    ("Occitanie", "Béziers", 34500, 1, "34", "Hérault", 80),
    ("Occitanie", "Nîmes", 30000, 1, "30", "Gard", 150),
    ("Occitanie", "Perpignan", 66000, 1, "66", "Pyrénées-Orientales", 120),
    ("Occitanie", "Montauban", 82000, 1, "82", "Tarn-et-Garonne", 62),
    ("Occitanie", "Narbonne", 11100, 1, "11", "Aude", 56),
    ("Occitanie", "Albi", 81000, 1, "81", "Tarn", 49),
    ("Grand Est", "Strasbourg", 67000, 1, "67", "Bas-Rhin", 290),
    ("Grand Est", "Reims", 51100, 1, "51", "Marne", 180),
    ("Grand Est", "Metz", 57000, 1, "57", "Moselle", 120),
    ("Grand Est", "Mulhouse", 68100, 1, "68", "Haut-Rhin", 106),
    ("Grand Est", "Colmar", 68000, 1, "68", "Haut-Rhin", 68),
    ("Grand Est", "Nancy", 54000, 1, "54", "Meurthe-et-Moselle", 104),
    ("Grand Est", "Troyes", 10000, 1, "10", "Aube", 62),
    ("Grand Est", "Charleville-Mézières", 8000, 1, "08", "Ardennes", 46),
    ("Provence-Alpes-Côte d'Azur", "Marseille", 13001, 16, "13", "Bouches-du-Rhône", 870),
    ("Provence-Alpes-Côte d'Azur", "Aix-en-Provence", 13100, 1, "13", "Bouches-du-Rhône", 147),
    ("Provence-Alpes-Côte d'Azur", "Nice", 6000, 1, "06", "Alpes-Maritimes", 342),
    ("Provence-Alpes-Côte d'Azur", "Antibes", 6600, 1, "06", "Alpes-Maritimes", 73),
    ("Provence-Alpes-Côte d'Azur", "Cannes", 6400, 1, "06", "Alpes-Maritimes", 74),
    ("Provence-Alpes-Côte d'Azur", "Toulon", 83000, 1, "83", "Var", 180),
    ("Provence-Alpes-Côte d'Azur", "Avignon", 84000, 1, "84", "Vaucluse", 91),
    ("Provence-Alpes-Côte d'Azur", "Gap", 5000, 1, "05", "Hautes-Alpes", 41),
    ("Pays de la Loire", "Nantes", 44000, 1, "44", "Loire-Atlantique", 320),
    ("Pays de la Loire", "Saint-Nazaire", 44600, 1, "44", "Loire-Atlantique", 72),
    ("Pays de la Loire", "Angers", 49000, 1, "49", "Maine-et-Loire", 155),
    ("Pays de la Loire", "Cholet", 49300, 1, "49", "Maine-et-Loire", 54),
    ("Pays de la Loire", "Le Mans", 72000, 1, "72", "Sarthe", 145),
    ("Pays de la Loire", "La Roche-sur-Yon", 85000, 1, "85", "Vendée", 55),
    ("Pays de la Loire", "Laval", 53000, 1, "53", "Mayenne", 50),
    ("Bretagne", "Rennes", 35000, 1, "35", "Ille-et-Vilaine", 222),
    ("Bretagne", "Saint-Malo", 35400, 1, "35", "Ille-et-Vilaine", 47),
    ("Bretagne", "Brest", 29200, 1, "29", "Finistère", 140),
    ("Bretagne", "Quimper", 29000, 1, "29", "Finistère", 63),
    ("Bretagne", "Lorient", 56100, 1, "56", "Morbihan", 57),
    ("Bretagne", "Vannes", 56000, 1, "56", "Morbihan", 54),
    ("Bretagne", "Saint-Brieuc", 22000, 1, "22", "Côtes-d'Armor", 44),
    ("Normandie", "Le Havre", 76600, 1, "76", "Seine-Maritime", 166),
    ("Normandie", "Rouen", 76000, 1, "76", "Seine-Maritime", 114),
    ("Normandie", "Dieppe", 76200, 1, "76", "Seine-Maritime", 28),
    ("Normandie", "Caen", 14000, 1, "14", "Calvados", 108),
    ("Normandie", "Cherbourg-en-Cotentin", 50100, 1, "50", "Manche", 78),
    ("Normandie", "Évreux", 27000, 1, "27", "Eure", 47),
    ("Normandie", "Alençon", 61000, 1, "61", "Orne", 25),
    ("Bourgogne-Franche-Comté", "Dijon", 21000, 1, "21", "Côte-d'Or", 159),
    ("Bourgogne-Franche-Comté", "Besançon", 25000, 1, "25", "Doubs", 119),
    ("Bourgogne-Franche-Comté", "Belfort", 90000, 1, "90", "Territoire de Belfort", 46),
    ("Bourgogne-Franche-Comté", "Chalon-sur-Saône", 71100, 1, "71", "Saône-et-Loire", 45),
    ("Bourgogne-Franche-Comté", "Mâcon", 71000, 1, "71", "Saône-et-Loire", 34),
    ("Bourgogne-Franche-Comté", "Auxerre", 89000, 1, "89", "Yonne", 35),
    ("Bourgogne-Franche-Comté", "Nevers", 58000, 1, "58", "Nièvre", 33),
    ("Centre-Val de Loire", "Tours", 37000, 1, "37", "Indre-et-Loire", 136),
    ("Centre-Val de Loire", "Orléans", 45000, 1, "45", "Loiret", 116),
    ("Centre-Val de Loire", "Bourges", 18000, 1, "18", "Cher", 64),
    ("Centre-Val de Loire", "Blois", 41000, 1, "41", "Loir-et-Cher", 46),
    ("Centre-Val de Loire", "Chartres", 28000, 1, "28", "Eure-et-Loir", 38),
    ("Centre-Val de Loire", "Châteauroux", 36000, 1, "36", "Indre", 43),
    ("Corse", "Ajaccio", 20000, 1, "2A", "Corse-du-Sud", 72),
    ("Corse", "Porto-Vecchio", 20137, 1, "2A", "Corse-du-Sud", 12),
    ("Corse", "Bastia", 20200, 1, "2B", "Haute-Corse", 48),
]

# Groupes socioprofessionnels de la nomenclature INSEE PCS 2020 (niveau 1).
CSP = [
    "Agriculteurs exploitants",
    "Artisans, commerçants et chefs d'entreprise",
    "Cadres et professions intellectuelles supérieures",
    "Professions intermédiaires",
    "Employés",
    "Ouvriers",
    "Retraités",
    "Autres personnes sans activité professionnelle",
]
# Probabilités de chaque groupe par tranche d'âge : <25, 25-54, 55-61, 62-66, 67+.
CSP_BY_AGE = [
    [0.00, 0.02, 0.02, 0.14, 0.26, 0.14, 0.00, 0.42],
    [0.01, 0.07, 0.21, 0.27, 0.24, 0.14, 0.00, 0.06],
    [0.02, 0.09, 0.18, 0.22, 0.19, 0.12, 0.12, 0.06],
    [0.01, 0.04, 0.06, 0.06, 0.05, 0.03, 0.72, 0.03],
    [0.00, 0.01, 0.00, 0.00, 0.00, 0.00, 0.97, 0.02],
]
AGE_BANDS = [25, 55, 62, 67]  # bornes inférieures des tranches 2 à 5

SITUATIONS = ["Célibataire", "En couple", "Marié(e) ou pacsé(e)", "Divorcé(e) ou séparé(e)", "Veuf ou veuve"]
SITUATION_BY_AGE = [  # mêmes tranches d'âge que CSP_BY_AGE
    [0.62, 0.33, 0.05, 0.00, 0.00],
    [0.25, 0.22, 0.42, 0.10, 0.01],
    [0.15, 0.13, 0.52, 0.17, 0.03],
    [0.12, 0.10, 0.53, 0.17, 0.08],
    [0.08, 0.06, 0.46, 0.12, 0.28],
]

NIVEAUX = ["Sans diplôme", "CAP/BEP", "Bac", "Bac+2", "Bac+3/4", "Bac+5 et plus"]
NIVEAU_BY_CSP = [  # une ligne par groupe de CSP
    [0.15, 0.40, 0.25, 0.12, 0.05, 0.03],
    [0.08, 0.35, 0.22, 0.15, 0.10, 0.10],
    [0.00, 0.01, 0.04, 0.10, 0.30, 0.55],
    [0.01, 0.07, 0.20, 0.40, 0.22, 0.10],
    [0.10, 0.33, 0.30, 0.17, 0.08, 0.02],
    [0.22, 0.48, 0.20, 0.07, 0.02, 0.01],
    [0.28, 0.32, 0.16, 0.10, 0.08, 0.06],
    [0.12, 0.10, 0.38, 0.18, 0.15, 0.07],
]

# Revenu mensuel net du foyer.
REVENUS = ["Moins de 1 500 €", "De 1 500 à 2 499 €", "De 2 500 à 3 999 €", "De 4 000 à 5 999 €",
           "6 000 € et plus"]
REVENU_BY_CSP = [
    [0.20, 0.35, 0.30, 0.10, 0.05],
    [0.10, 0.25, 0.30, 0.20, 0.15],
    [0.02, 0.06, 0.27, 0.35, 0.30],
    [0.05, 0.22, 0.40, 0.25, 0.08],
    [0.22, 0.38, 0.28, 0.10, 0.02],
    [0.22, 0.40, 0.28, 0.08, 0.02],
    [0.20, 0.33, 0.28, 0.13, 0.06],
    [0.55, 0.25, 0.13, 0.05, 0.02],
]

ACQUISITION = ["magasin", "site web", "parrainage", "réseaux sociaux", "salon/événement"]

CATEGORIES = ["Décoration", "Linge de maison", "Cuisine et arts de la table", "Mobilier", "Luminaires",
              "Rangement", "Jardin et extérieur"]
# Panier médian relatif par catégorie (le mobilier coûte plus cher qu'un torchon).
CATEGORY_PRICE = [1.0, 0.9, 0.8, 3.2, 1.4, 1.1, 1.6]
# Poids de chaque catégorie par mois (janvier = ligne 0). Jardin au printemps/été.
_BASE = [0.22, 0.18, 0.20, 0.10, 0.10, 0.12, 0.08]
CATEGORY_BY_MONTH = []
_GARDEN = [0.02, 0.03, 0.10, 0.22, 0.30, 0.30, 0.26, 0.18, 0.10, 0.04, 0.02, 0.02]
for _g in _GARDEN:
    _rest = [b / (1 - _BASE[6]) * (1 - _g) for b in _BASE[:6]]
    CATEGORY_BY_MONTH.append([*_rest, _g])

CANAUX = ["magasin", "site web", "téléphone", "application"]
CONTACT_CANAUX = ["formulaire de contact", "FAQ", "téléphone", "e-mail SAV", "chat/réseaux sociaux"]
MOTIFS = ["livraison", "retour/remboursement", "information produit", "réclamation", "compte/fidélité",
          "facturation"]
MOTIF_BY_CANAL = [
    [0.25, 0.20, 0.15, 0.20, 0.10, 0.10],  # formulaire
    [0.20, 0.15, 0.35, 0.00, 0.25, 0.05],  # FAQ
    [0.25, 0.15, 0.20, 0.20, 0.10, 0.10],  # téléphone
    [0.22, 0.22, 0.10, 0.26, 0.06, 0.14],  # e-mail SAV
    [0.35, 0.15, 0.25, 0.12, 0.10, 0.03],  # chat
]

# --- B2B -------------------------------------------------------------------------
CATEGORIES_ENTREPRISE = ["TPE", "PME", "ETI", "GE"]
# (code NAF rév. 2, libellé officiel, poids TPE, PME, ETI, GE, préfixe de raison sociale)
NAF: list[tuple[str, str, tuple[float, float, float, float], str]] = [
    ("55.10Z", "Hôtels et hébergement similaire", (8, 12, 20, 20), "Hôtel"),
    ("55.20Z", "Hébergement touristique et autre hébergement de courte durée", (8, 6, 6, 3), "Gîtes"),
    ("56.10A", "Restauration traditionnelle", (18, 10, 6, 8), "Restaurant"),
    ("56.10C", "Restauration de type rapide", (6, 5, 6, 6), "Snack"),
    ("56.30Z", "Débits de boissons", (8, 2, 0, 0), "Café"),
    ("68.20A", "Location de logements", (5, 6, 10, 12), "Résidences"),
    ("68.31Z", "Agences immobilières", (8, 5, 3, 2), "Immobilier"),
    ("87.10A", "Hébergement médicalisé pour personnes âgées", (0, 10, 16, 14), "EHPAD"),
    ("86.10Z", "Activités hospitalières", (0, 3, 10, 12), "Clinique"),
    ("86.21Z", "Activité des médecins généralistes", (6, 1, 0, 0), "Cabinet médical"),
    ("69.20Z", "Activités comptables", (5, 6, 3, 4), "Expertise comptable"),
    ("71.11Z", "Activités d'architecture", (6, 4, 1, 0), "Atelier d'architecture"),
    ("74.10Z", "Activités spécialisées de design", (6, 3, 0, 0), "Studio"),
    ("88.91A", "Accueil de jeunes enfants", (3, 6, 2, 0), "Crèche"),
    ("62.02A", "Conseil en systèmes et logiciels informatiques", (3, 8, 6, 7), "Numérique"),
    ("64.19Z", "Autres intermédiations monétaires", (0, 1, 4, 8), "Banque"),
    ("96.02A", "Coiffure", (8, 2, 0, 0), "Salon"),
    ("93.13Z", "Activités des centres de culture physique", (4, 4, 3, 2), "Fitness"),
    ("47.59A", "Commerce de détail de meubles", (5, 6, 4, 2), "Meubles"),
    ("82.30Z", "Organisation de foires, salons professionnels et congrès", (2, 4, 3, 2), "Événements"),
]
# Noms fictifs (pas de marque réelle visée) combinés au préfixe du secteur.
NOMS = ["des Tilleuls", "du Port", "Horizon", "Martin", "Bernard", "Dubois", "Lefèvre", "des Lilas",
        "Saint-Roch", "du Parc", "Belle Rive", "Mistral", "Les Érables", "du Centre", "Petit",
        "Moreau", "Laurent", "Garnier", "Le Phare", "Les Tamaris", "Boréal", "Azur", "du Lac",
        "Fontaine", "Girard", "Rousseau", "Vauban", "Les Glycines", "des Halles", "Bellevue",
        "Chevalier", "Perrin", "Marceau", "du Moulin", "Opale", "Étoile", "Arc-en-Ciel", "Caron",
        "Les Cèdres", "Beauséjour"]
FORMES = {"TPE": ["EURL", "SARL", "SAS", "SASU"], "PME": ["SARL", "SAS"], "ETI": ["SAS", "SA"],
          "GE": ["SA", "Groupe SA"]}
# Tranches d'effectif salarié de l'INSEE : (libellé, borne basse, borne haute).
TRANCHES_EFFECTIF: list[tuple[str, int, int]] = [
    ("0 salarié", 0, 0), ("1 ou 2 salariés", 1, 2), ("3 à 5 salariés", 3, 5),
    ("6 à 9 salariés", 6, 9), ("10 à 19 salariés", 10, 19), ("20 à 49 salariés", 20, 49),
    ("50 à 99 salariés", 50, 99), ("100 à 199 salariés", 100, 199), ("200 à 249 salariés", 200, 249),
    ("250 à 499 salariés", 250, 499), ("500 à 999 salariés", 500, 999),
    ("1 000 à 1 999 salariés", 1000, 1999), ("2 000 à 4 999 salariés", 2000, 4999),
    ("5 000 à 9 999 salariés", 5000, 9999), ("10 000 salariés et plus", 10000, 10**9),
]
COMMERCIAUX_GRANDS_COMPTES = ["Claire Dubreuil", "Julien Marchal"]
COMMERCIAUX_TERRAIN = ["Sophie Lenoir", "Karim Benali", "Émilie Roux", "Thomas Vidal"]
POOL_SEDENTAIRE = "Équipe sédentaire"
POOL_SERVICE = "Service clients"
