"""Prospects professionnels (fichier de type Sirene) et parcours clients omnicanaux.

Deux tables, chacune avec son propre flux aléatoire (les autres fichiers ne changent pas) :

- ``prospects_b2b`` : entreprises **non clientes** (SIREN fictif à clé de Luhn valide, tiré dans
  une plage distincte de celle des comptes : aucun prospect n'est déjà client), code NAF,
  tranche d'effectif, région, date de création, source du contact, puis le résultat de la
  campagne de prospection de 2025 (contacté, rendez-vous, devis, commande).
  Propension latente à commander (logit) :

      z = 0,9·a_NAF + 0,35·(tranche − 3) + effet_source + N(0 ; 0,8)

  où a_NAF = ln((w_ETI + w_GE + 1) / (w_TPE + w_PME + 1)) mesure à quel point le secteur
  ressemble à celui des **grands comptes** actuels (poids des tables de référence). Étapes :
  P(RDV | contacté) = σ(−1,6 + 0,8·z), P(devis | RDV) = σ(0,2 + 0,5·z),
  P(commande | devis) = σ(−1,1 + 0,6·z), σ = fonction logistique.
- ``parcours`` : parcours d'achat suivis en 2025 (clients identifiés par leur compte ou leur
  carte) : premier point de contact, suite des points de contact, panier, commande, canal
  d'achat (site web, application, magasin, click & collect), montant, retour. Échantillon à
  part : il n'est pas relié aux lignes de ``transactions.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._generator import reference_data as ref
from coursehelpers._generator.b2b import TRANCHE_CHOICES
from coursehelpers._generator.b2c import seasonal_weights
from coursehelpers._generator.sampling import (
    DAYS_PER_YEAR,
    choice_rows,
    cumulative_years,
    luhn_check_digit,
    make_ids,
    sample_days,
)

SOURCES = ["base Sirene", "fichier loué", "formulaire web", "recommandation client", "salon professionnel"]
SOURCE_SHARE = np.array([0.45, 0.15, 0.15, 0.10, 0.15])
SOURCE_EFFECT = np.array([0.0, -0.4, 0.8, 1.2, 0.6])
CONTACT_CHANNELS = ["e-mail", "non contacté", "téléphone", "visite"]
PROSPECT_CATEGORY = np.array([0.62, 0.30, 0.06, 0.02])   # TPE, PME, ETI, GE
CONTACTED = 0.70

ENTRIES = ["application", "e-mail", "magasin", "recherche en ligne", "site web"]
PURCHASE = ["aucun", "application", "click & collect", "magasin", "site web"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def make_prospects(rng: np.random.Generator, days: np.ndarray, n: int) -> pd.DataFrame:
    """Fichier de prospects B2B et résultat de la campagne de 2025."""
    n = max(int(n), 1)
    cat = choice_rows(rng, PROSPECT_CATEGORY[None, :], np.zeros(n, int))
    weights = np.array([w for _, _, w, _ in ref.NAF], dtype=float)          # (k codes, 4)
    naf = choice_rows(rng, weights.T, cat)
    affinity = np.log((weights[:, 2] + weights[:, 3] + 1) / (weights[:, 0] + weights[:, 1] + 1))
    probs = np.zeros((4, len(ref.TRANCHES_EFFECTIF)))
    for k, (idx, w) in enumerate(TRANCHE_CHOICES):
        probs[k, idx] = w
    tranche = choice_rows(rng, probs, cat)
    region_w = np.array(list(ref.REGIONS.values()))
    region = choice_rows(rng, region_w[None, :], np.zeros(n, int))
    source = choice_rows(rng, SOURCE_SHARE[None, :], np.zeros(n, int))
    years_back = rng.exponential(np.array([9.0, 15.0, 25.0, 35.0])[cat]) + rng.random(n)
    created = days[-1] - np.minimum(np.round(years_back * DAYS_PER_YEAR), 60 * 365).astype(int) - 30

    body = np.unique(rng.integers(10_000_000, 29_999_999, 3 * n + 10))   # comptes : 30 000 000 et plus
    body = rng.permutation(body)[:n]
    siren = np.char.add(body.astype(str), luhn_check_digit(body).astype(str))

    z = 0.9 * affinity[naf] + 0.35 * (tranche - 3) + SOURCE_EFFECT[source] + 0.8 * rng.standard_normal(n)
    contacted = rng.random(n) < CONTACTED
    rdv = contacted & (rng.random(n) < _sigmoid(-1.6 + 0.8 * z))
    devis = rdv & (rng.random(n) < _sigmoid(0.2 + 0.5 * z))
    commande = devis & (rng.random(n) < _sigmoid(-1.1 + 0.6 * z))
    first = np.where(rng.random(n) < 0.5, 0, np.where(rng.random(n) < 0.8, 2, 3))
    channel = np.where(contacted, first, 1)

    prefix = np.array([x[3] for x in ref.NAF])[naf]
    nom = np.array(ref.NOMS)[rng.integers(0, len(ref.NOMS), n)]
    forme = np.array(["SARL", "SAS", "SA", "SA"])[cat]
    order = np.argsort(siren, kind="stable")
    frame = pd.DataFrame({
        "siren": siren,
        "raison_sociale": np.char.add(np.char.add(np.char.add(prefix, " "), nom), np.char.add(" ", forme)),
        "code_naf": np.array([x[0] for x in ref.NAF])[naf],
        "libelle_naf": np.array([x[1] for x in ref.NAF])[naf],
        "tranche_effectif": np.array([t[0] for t in ref.TRANCHES_EFFECTIF])[tranche],
        "categorie_entreprise": np.array(ref.CATEGORIES_ENTREPRISE)[cat],
        "region": np.array(list(ref.REGIONS))[region],
        "date_creation": created,
        "source": np.array(SOURCES)[source],
        "canal_contact": np.array(CONTACT_CHANNELS)[channel],
        "contacte": contacted,
        "rdv": rdv,
        "devis": devis,
        "commande": commande,
    })
    return frame.iloc[order].reset_index(drop=True)


def make_journeys(rng: np.random.Generator, days: np.ndarray, clients: pd.DataFrame, n: int) -> pd.DataFrame:
    """Parcours d'achat de 2025 : une ligne par parcours, points de contact en texte « a > b > c »."""
    n = max(int(n), 1)
    year = days >= days[-1] - 364                     # les 365 derniers jours de la période
    first_day = int(np.flatnonzero(year)[0])
    cum = cumulative_years(seasonal_weights(days))
    day = np.sort(sample_days(rng, cum, np.full(n, first_day), np.full(n, len(days) - 1)))
    reg = (clients["date_inscription"].to_numpy().astype("datetime64[D]") - days[0]).astype(int)
    eligible = np.flatnonzero(reg <= first_day)
    if eligible.size == 0:
        eligible = np.arange(len(clients))
    owner = eligible[rng.integers(0, eligible.size, n)]
    age = clients["age"].to_numpy()[owner]
    young = np.clip((60 - age) / 40, 0, 1)
    # Premier point de contact : application, e-mail, magasin, recherche en ligne, site web.
    entry = choice_rows(rng, np.column_stack([0.06 + 0.16 * young, np.full(n, 0.08), 0.42 - 0.22 * young,
                                              np.full(n, 0.22), np.full(n, 0.22)]), np.arange(n))
    online = entry != 2
    app = entry == 0
    u = rng.random((n, 6))
    cart = online & (u[:, 0] < np.where(app, 0.40, 0.30))
    order_online = cart & (u[:, 1] < np.where(app, 0.42, 0.34))
    click_collect = cart & ~order_online & (u[:, 2] < 0.18)
    # ROPO : recherche en ligne, achat en magasin (plus fréquent après un panier abandonné).
    store_visit = online & ~order_online & ~click_collect & (u[:, 3] < np.where(cart, 0.22, 0.10))
    store_buy_after_web = store_visit & (u[:, 4] < 0.62)
    store_buy_direct = ~online & (u[:, 1] < 0.48)
    # Après une visite en magasin sans achat, quelques-uns commandent en ligne (vitrine).
    web_after_store = ~online & ~store_buy_direct & (u[:, 2] < 0.12)
    order_after_store = web_after_store & (u[:, 3] < 0.35)
    bought = order_online | click_collect | store_buy_after_web | store_buy_direct | order_after_store
    channel = np.select(
        [order_online & app, order_online | order_after_store, click_collect,
         store_buy_after_web | store_buy_direct],
        [1, 4, 2, 3], default=0)
    returned = bought & (u[:, 5] < np.where(np.isin(channel, [1, 4]), 0.08, 0.03))

    labels = {"start": np.array(["application", "e-mail", "visite en magasin", "recherche en ligne",
                                 "site web"])[entry]}
    steps = [labels["start"],
             np.where((entry == 1) | (entry == 3), "site web", ""),
             np.where(cart, "panier", ""),
             np.where(order_online, "commande en ligne", ""),
             np.where(click_collect, "commande click & collect > retrait en magasin", ""),
             np.where(store_visit, "visite en magasin", ""),
             np.where(store_buy_after_web | store_buy_direct, "achat en magasin", ""),
             np.where(web_after_store, "site web", ""),
             np.where(order_after_store, "commande en ligne", ""),
             np.where(returned, np.where(np.isin(channel, [2, 3]) | (u[:, 4] < 0.6), "retour en magasin",
                                         "retour par colis"), "")]
    text = pd.DataFrame(dict(enumerate(steps)))
    path = text.apply(lambda col: col.where(col == "", col + " > ")).sum(axis=1).str.removesuffix(" > ")
    counts = path.str.count(" > ") + 1
    amount = np.where(bought, np.round(45 * np.exp(0.7 * rng.standard_normal(n)) + 8, 2), 0.0)
    return pd.DataFrame({
        "parcours_id": make_ids("P", np.arange(1, n + 1), 5),
        "client_id": clients["client_id"].to_numpy()[owner],
        "date": days[day],
        "premier_point": np.array(ENTRIES)[np.array([0, 1, 2, 3, 4])[entry]],
        "points_de_contact": path.to_numpy(dtype=str),
        "nb_points": counts.to_numpy(dtype=int),
        "panier": cart,
        "commande": bought,
        "canal_achat": np.array(PURCHASE)[channel],
        "montant": amount,
        "retour": returned,
    })
