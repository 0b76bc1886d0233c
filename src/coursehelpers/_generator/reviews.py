"""Avis clients en ligne (e-réputation) de 2023 à 2025, avec leur propre flux aléatoire.

Un avis vient d'un client inscrit avant sa date. Les clients **mécontents** écrivent plus
souvent : le poids d'un client est 1 + 2 × [sa satisfaction moyenne au service client est de
2 ou moins]. Note latente :

    s = 4,0 − 0,7·(3 − satisfaction moyenne, si connue) − 1,5·[crise de livraison] + N(0 ; 1,1)

arrondie et bornée à 1..5 ; « crise de livraison » : un avis sur trois entre avril et septembre
2024 porte sur une livraison ratée (changement de transporteur fictif). Le thème d'un avis
dépend de sa note ; son texte est tiré d'un petit catalogue de phrases par thème et par ton.
Réponse de l'enseigne : 30 % des avis en 2023, 45 % en 2024, 75 % en 2025 (× 1,25 pour une note
de 1 ou 2) ; délai géométrique de moyenne 7, 4 puis 2 jours. Seuls les avis du site de
l'enseigne (achat vérifié) portent le ``client_id``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._generator.sampling import cumulative_years, make_ids, sample_days

PLATFORMS = ["Facebook", "Google", "Trustpilot", "site Maison Lumière"]
PLATFORM_SHARE = np.array([0.15, 0.45, 0.10, 0.30])
VERIFIED = 3

# (thème, ton) → phrases. Les mots-clés du module reviews (livraison, colis, qualité...) y figurent.
PHRASES = {
    ("livraison", "-"): ["Livraison en retard de deux semaines, aucun suivi du colis.",
                         "Colis arrivé abîmé, le livreur ne s'est même pas excusé.",
                         "Livraison annoncée mardi, reçue le samedi suivant sans prévenir.",
                         "Trois reports de livraison, j'ai dû appeler pour avoir mon colis."],
    ("livraison", "+"): ["Livraison rapide et soignée, colis bien protégé.",
                         "Reçu en 48 heures, livraison impeccable."],
    ("qualite", "-"): ["Qualité décevante : la housse s'est décousue au premier lavage.",
                       "Produit fragile, cassé au bout d'un mois.",
                       "Couleur différente de la photo, finition moyenne."],
    ("qualite", "+"): ["Très beau produit, conforme à la photo et de bonne qualité.",
                       "Matières agréables, finition soignée, je recommande.",
                       "Superbe lampe, elle change toute la pièce."],
    ("service", "-"): ["Service client injoignable, personne ne répond au téléphone.",
                       "Réclamation envoyée il y a trois semaines, toujours pas de réponse.",
                       "Conseiller peu aimable au téléphone, problème non résolu."],
    ("service", "+"): ["Service client réactif, problème réglé en une journée.",
                       "Conseillère au téléphone très aimable et efficace."],
    ("magasin", "-"): ["Attente interminable en caisse, un seul vendeur en magasin.",
                       "Accueil froid en magasin, aucun conseil."],
    ("magasin", "+"): ["Accueil chaleureux en magasin, vendeuse de très bon conseil.",
                       "Magasin agréable, équipe souriante et disponible."],
    ("prix", "-"): ["Prix trop élevés pour la qualité proposée.",
                    "Cher, et les frais de livraison s'ajoutent au dernier moment."],
    ("prix", "+"): ["Bon rapport qualité-prix, promotions intéressantes."],
    ("retour", "-"): ["Remboursement toujours pas reçu un mois après le retour.",
                      "Retour compliqué, on m'a refusé l'échange en magasin."],
    ("retour", "+"): ["Échange fait sans discussion en magasin, merci."],
}
NEG_THEMES = ["livraison", "qualite", "service", "magasin", "prix", "retour"]
NEG_SHARE = np.array([0.26, 0.22, 0.18, 0.12, 0.12, 0.10])
POS_THEMES = ["qualite", "magasin", "livraison", "service", "prix", "retour"]
POS_SHARE = np.array([0.40, 0.25, 0.15, 0.10, 0.07, 0.03])
# Avant-dernière année − 1, avant-dernière, dernière année de la période (2023, 2024, 2025).
ANSWER_RATE = np.array([0.30, 0.45, 0.75])
ANSWER_DELAY = np.array([7.0, 4.0, 2.0])


def make_reviews(rng: np.random.Generator, days: np.ndarray, clients: pd.DataFrame, contacts: pd.DataFrame,
                 n: int) -> pd.DataFrame:
    """Table des avis (une ligne par avis), triée par date."""
    n = max(int(n), 1)
    start = int(np.searchsorted(days, max(days[0], days[-1] - 3 * 365 + 1)))
    t = np.arange(len(days), dtype=float)
    cum = cumulative_years(1.0 + 0.8 * (t - start).clip(0) / max(len(days) - start, 1))  # volume qui monte
    day = np.sort(sample_days(rng, cum, np.full(n, start), np.full(n, len(days) - 1)))
    date = days[day]
    years = date.astype("datetime64[Y]").astype(int) + 1970

    notes = pd.Series(contacts["satisfaction"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
                      index=contacts["client_id"].to_numpy())
    sat = notes.groupby(level=0).mean()
    mean_sat = sat.reindex(clients["client_id"].to_numpy()).to_numpy(dtype=float)
    weight = 1.0 + 2.0 * (np.nan_to_num(mean_sat, nan=3.0) <= 2)
    reg = (clients["date_inscription"].to_numpy().astype("datetime64[D]") - days[0]).astype(int)
    order = np.argsort(reg, kind="stable")
    cum_w = np.cumsum(weight[order])
    # Un client inscrit avant le jour de l'avis, tiré selon son poids.
    last = np.searchsorted(reg[order], day, side="right")
    last = np.maximum(last, 1)
    pick = np.searchsorted(cum_w, rng.random(n) * cum_w[last - 1], side="right")
    owner = order[np.minimum(pick, last - 1)]

    month = date.astype("datetime64[M]").astype(int) % 12
    last_year = int(days[-1].astype("datetime64[Y]").astype(int)) + 1970
    crisis = (years == last_year - 1) & (month >= 3) & (month <= 8) & (rng.random(n) < 1 / 3)
    known = ~np.isnan(mean_sat[owner])
    score = (4.0 - 0.7 * np.where(known, 3 - np.nan_to_num(mean_sat[owner], nan=3.0), 0.0)
             - 1.5 * crisis + 1.1 * rng.standard_normal(n))
    note = np.clip(np.round(score), 1, 5).astype(int)
    negative = note <= 2
    theme_neg = np.array(NEG_THEMES)[np.minimum((rng.random(n)[:, None] > np.cumsum(NEG_SHARE)).sum(1), 5)]
    theme_pos = np.array(POS_THEMES)[np.minimum((rng.random(n)[:, None] > np.cumsum(POS_SHARE)).sum(1), 5)]
    theme = np.where(crisis & negative, "livraison", np.where(note <= 3, theme_neg, theme_pos))
    tone = np.where(note <= 3, "-", "+")
    u = rng.random(n)
    texts = np.empty(n, dtype=object)
    for (th, tn), phrases in PHRASES.items():      # 12 combinaisons, pas une boucle sur les lignes
        mask = (theme == th) & (tone == tn)
        texts[mask] = np.array(phrases, dtype=object)[(u[mask] * len(phrases)).astype(int)]

    platform = np.minimum((rng.random(n)[:, None] > np.cumsum(PLATFORM_SHARE)).sum(1), 3)
    rank = np.clip(years - last_year + 2, 0, 2)
    rate = ANSWER_RATE[rank] * np.where(negative, 1.25, 1.0)
    mean_delay = ANSWER_DELAY[rank]
    delay = rng.geometric(1 / mean_delay) - 1
    answered = (rng.random(n) < rate) & (day + delay <= len(days) - 1)
    answer_day = np.where(answered, np.minimum(day + delay, len(days) - 1), 0)
    client = np.where(platform == VERIFIED, clients["client_id"].to_numpy()[owner], "")
    return pd.DataFrame({
        "avis_id": make_ids("AVIS", np.arange(1, n + 1), 5),
        "plateforme": np.array(PLATFORMS)[platform],
        "client_id": client.astype(str),
        "date": date,
        "note": note,
        "texte": texts.astype(str),
        "reponse": answered,
        "date_reponse": pd.Series(days[answer_day]).where(answered).to_numpy(),
    })
