"""Clients particuliers et leurs achats (enseigne fictive « Maison Lumière »).

Modèle (tout est tiré avec le générateur numpy reçu, sans boucle sur les lignes) :

- chaque client a une fréquence d'achat λ (achats/an, loi log-normale : quelques très
  bons clients, beaucoup d'occasionnels) et un panier moyen (log-normal) ;
- il reste actif une durée exponentielle de taux h (attrition annuelle), plus faible pour
  les porteurs de carte et plus forte pour les clients « mécontents » (mécontentement
  latent g ~ N(0, 1), qui dégrade aussi leurs expériences au service client) ;
- ses achats suivent un processus de Poisson saisonnier (pic novembre-décembre, samedis),
  le premier le jour de l'inscription ou peu après ;
- la catégorie dépend du mois (jardin au printemps/été), le canal de l'année (montée du
  web et de l'application) et de l'âge ; quelques achats donnent lieu à un avoir.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._generator import reference_data as ref
from coursehelpers._generator.sampling import (
    DAYS_PER_YEAR,
    choice_logits,
    choice_rows,
    cumulative_years,
    make_ids,
    months,
    sample_days,
    weekdays,
)

# Paramètres calibrés (voir datasets/README.md pour les chiffres obtenus).
ATTRITION = 0.175          # taux annuel de base (client sans carte, satisfait)
CARD_HAZARD = 0.60         # multiplicateur du taux d'attrition pour les porteurs de carte
MOOD_HAZARD = 1.0          # attrition × exp(1,0·g), g ~ N(0, 1) = mécontentement latent
FREQ_MEDIAN = 2.7          # achats/an médians (hors carte)
FREQ_SIGMA = 0.95
CARD_FREQ = 1.6            # les porteurs de carte achètent plus souvent
BASKET_MEDIAN = 38.0       # € TTC, catégorie de prix 1
BASKET_SIGMA = 0.85
LINE_SIGMA = 0.45
RETURN_RATE = 0.017        # part des achats suivis d'un avoir

MONTH_WEIGHT = np.array([1.05, 0.80, 0.90, 0.95, 1.00, 0.95, 1.00, 0.85, 0.90, 0.95, 1.45, 1.85])
WEEKDAY_WEIGHT = np.array([0.85, 0.85, 0.90, 0.95, 1.10, 1.55, 0.60])


def seasonal_weights(days: np.ndarray) -> np.ndarray:
    """Intensité relative d'achat de chaque jour (mois × jour de la semaine)."""
    return MONTH_WEIGHT[months(days)] * WEEKDAY_WEIGHT[weekdays(days)]


def make_clients(rng: np.random.Generator, days: np.ndarray, n: int) -> tuple[pd.DataFrame, dict]:
    """Fiche clients + variables latentes (fréquence, panier, attrition...) pour la suite."""
    n_days = len(days)
    # Inscriptions : saisonnières, avec un stock plus important la première année.
    first_year = days < days[0] + 365
    reg_w = seasonal_weights(days) * np.where(first_year, 1.5, 1.0)
    reg_cum = cumulative_years(reg_w)
    reg = np.sort(sample_days(rng, reg_cum, np.zeros(n, int), np.full(n, n_days - 1)))
    t_reg = reg / DAYS_PER_YEAR  # années depuis le début

    female = rng.random(n) < 0.54
    age = np.clip(np.round(rng.normal(46, 15.5, n)), 18, 90).astype(int)
    band = np.searchsorted(ref.AGE_BANDS, age, side="right")
    csp = choice_rows(rng, np.array(ref.CSP_BY_AGE), band)
    situation = choice_rows(rng, np.array(ref.SITUATION_BY_AGE), band)
    niveau = choice_rows(rng, np.array(ref.NIVEAU_BY_CSP), csp)
    revenu = choice_rows(rng, np.array(ref.REVENU_BY_CSP), csp)

    reg_names = list(ref.REGIONS)
    region = choice_rows(rng, np.array([list(ref.REGIONS.values())]), np.zeros(n, int))
    communes = ref.COMMUNES
    com_region = np.array([reg_names.index(c[0]) for c in communes])
    com_weight = np.array([c[6] for c in communes])
    # Loi des communes dans chaque région (ligne = région).
    within = np.where(com_region[None, :] == np.arange(len(reg_names))[:, None], com_weight, 0.0)
    commune = choice_rows(rng, within, region)
    first_cp = np.array([c[2] for c in communes])[commune]
    n_cp = np.array([c[3] for c in communes])[commune]
    code_postal = first_cp + np.floor(rng.random(n) * n_cp).astype(int)

    acq_start = np.array([0.45, 0.28, 0.12, 0.07, 0.08])
    acq_end = np.array([0.33, 0.32, 0.12, 0.17, 0.06])
    frac = np.clip(t_reg / max(days.size / DAYS_PER_YEAR, 1e-9), 0, 1)[:, None]
    acquisition = choice_rows(rng, (1 - frac) * acq_start + frac * acq_end, np.arange(n))

    card = rng.random(n) < 0.30 + 0.20 * (acquisition == 0) + 0.12 * (age >= 50)
    optin = rng.random(n) < 0.50 + 0.18 * card - 0.004 * (age - 46)

    clients = pd.DataFrame({
        "client_id": make_ids("C", np.arange(1, n + 1), 5),
        "civilite": np.where(female, "Mme", "M."),
        "sexe": np.where(female, "F", "H"),
        "age": age,
        "situation_familiale": np.array(ref.SITUATIONS)[situation],
        "niveau_etudes": np.array(ref.NIVEAUX)[niveau],
        "csp": np.array(ref.CSP)[csp],
        "tranche_revenu": np.array(ref.REVENUS)[revenu],
        "commune": np.array([c[1] for c in communes])[commune],
        "code_postal": np.char.zfill(code_postal.astype(str), 5),
        "code_departement": np.array([c[4] for c in communes])[commune],
        "departement": np.array([c[5] for c in communes])[commune],
        "region": np.array(reg_names)[region],
        "date_inscription": days[reg],
        "canal_acquisition": np.array(ref.ACQUISITION)[acquisition],
        "carte_fidelite": card,
        "optin_email": optin,
    })
    grumpy = rng.standard_normal(n)
    latent = {
        "reg": reg,
        "age": age,
        "card": card,
        "grumpy": grumpy,
        "freq": FREQ_MEDIAN * np.exp(FREQ_SIGMA * rng.standard_normal(n)) * np.where(card, CARD_FREQ, 1.0),
        "basket": BASKET_MEDIAN * np.exp(BASKET_SIGMA * rng.standard_normal(n)) * (1 + 0.15 * revenu),
        "hazard": ATTRITION * np.where(card, CARD_HAZARD, 1.0) * np.exp(MOOD_HAZARD * grumpy),
    }
    return clients, latent


def _channels(rng: np.random.Generator, t: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Canal de chaque achat : logits selon l'année écoulée ``t`` et l'âge du client."""
    digital = -(age - 45) / 20
    logits = np.column_stack([
        np.zeros_like(t),                        # magasin
        -0.95 + 0.13 * t + 0.5 * digital,        # site web
        -2.2 - 0.10 * t - 0.4 * digital,         # téléphone
        -3.0 + 0.50 * t + 0.9 * digital,         # application
    ])
    return choice_logits(rng, logits)


def make_transactions(rng: np.random.Generator, days: np.ndarray, clients: pd.DataFrame,
                      latent: dict) -> tuple[pd.DataFrame, np.ndarray]:
    """Achats et avoirs ; renvoie aussi la position (jour) de fin d'activité de chaque client."""
    n_days, n = len(days), len(clients)
    cum = cumulative_years(seasonal_weights(days))
    reg = latent["reg"]
    # Premier achat : le jour de l'inscription (70 %) ou dans les semaines qui suivent.
    delay = np.where(rng.random(n) < 0.7, 0, rng.geometric(1 / 12, n))
    first = np.minimum(reg + delay, n_days - 1)
    lifetime = rng.exponential(1 / latent["hazard"]) * DAYS_PER_YEAR
    stop = np.minimum(first + np.floor(lifetime).astype(int), n_days - 1)
    expected = latent["freq"] * (cum[stop + 1] - cum[first + 1])
    extra = rng.poisson(np.maximum(expected, 0))

    owner = np.concatenate([np.arange(n), np.repeat(np.arange(n), extra)])
    low = np.minimum(np.repeat(first + 1, extra), np.repeat(stop, extra))
    later = sample_days(rng, cum, low, np.repeat(stop, extra))
    day = np.concatenate([first, later])

    month = months(days[day])
    category = choice_rows(rng, np.array(ref.CATEGORY_BY_MONTH), month)
    price = np.array(ref.CATEGORY_PRICE)[category]
    cents = np.round(100 * latent["basket"][owner] * price
                     * np.exp(LINE_SIGMA * rng.standard_normal(len(owner)))).astype(np.int64)
    cents = np.maximum(cents, 290)
    canal = _channels(rng, day / DAYS_PER_YEAR, latent["age"][owner])

    # Avoirs : un retour total (60 %) ou partiel, 2 à 30 jours après l'achat, même canal.
    is_ret = rng.random(len(owner)) < RETURN_RATE * np.where(canal == 1, 1.5, 1.0)
    ret_day = day[is_ret] + rng.integers(2, 31, is_ret.sum())
    keep = ret_day <= n_days - 1
    src = np.flatnonzero(is_ret)[keep]
    share = np.where(rng.random(src.size) < 0.6, 1.0, rng.uniform(0.2, 0.9, src.size))
    ret_cents = -np.maximum(np.floor(cents[src] * share), 100).astype(np.int64)
    ret_cents = np.maximum(ret_cents, -cents[src])

    frame = pd.DataFrame({
        "kind": np.concatenate([np.zeros(len(owner), int), np.ones(src.size, int)]),
        "owner": np.concatenate([owner, owner[src]]),
        "day": np.concatenate([day, ret_day[keep]]),
        "cents": np.concatenate([cents, ret_cents]),
        "canal": np.concatenate([canal, canal[src]]),
        "categorie": np.concatenate([category, category[src]]),
    }).sort_values(["day", "kind", "owner", "cents"], kind="stable", ignore_index=True)
    sale = frame["kind"].to_numpy() == 0
    number = np.where(sale, np.cumsum(sale), np.cumsum(~sale))
    ids = np.where(sale, make_ids("CMD", number, 6), make_ids("AV", number, 5))
    transactions = pd.DataFrame({
        "commande_id": ids,
        "client_id": clients["client_id"].to_numpy()[frame["owner"]],
        "date": days[frame["day"]],
        "montant": frame["cents"].to_numpy() / 100,
        "canal": np.array(ref.CANAUX)[frame["canal"]],
        "categorie": np.array(ref.CATEGORIES)[frame["categorie"]],
    })
    return transactions, frame.loc[sale, ["owner", "day"]].to_numpy()
