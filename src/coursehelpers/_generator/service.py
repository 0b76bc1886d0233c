"""Contacts avec le service client : canal, motif, délai, résolution, satisfaction, NPS.

Un contact suit un achat (0 à quelques semaines après). Les clients mécontents
(variable latente g ~ N(0, 1) partagée avec le modèle d'attrition) contactent plus
souvent le service, attendent plus longtemps et obtiennent moins souvent une solution :
une satisfaction basse annonce donc un départ plus fréquent, comme dans la réalité.
Satisfaction latente :

    s = 3,0 + 1,4·résolu − 0,025·min(délai_h, 96) − 0,5·g + 0,2·téléphone + ε,  ε ~ N(0 ; 0,7)

arrondie et bornée à 1..5 ; NPS = arrondi(2,3·s − 1,5 + N(0 ; 1,1)) borné à 0..10.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._generator import reference_data as ref
from coursehelpers._generator.sampling import DAYS_PER_YEAR, choice_logits, choice_rows, make_ids

CONTACT_RATE = 0.19       # probabilité qu'un achat soit suivi d'un contact
MOOD_CONTACTS = 0.35      # probabilité de contact × exp(0,35·g)
# Délai de réponse médian (heures) et dispersion log-normale, par canal (FAQ = libre-service).
DELAY_MEDIAN = np.array([30.0, 0.0, 0.08, 18.0, 0.25])
DELAY_SIGMA = np.array([0.7, 0.0, 0.8, 0.8, 0.9])
RESOLVE_LOGIT = np.array([1.3, 0.3, 2.0, 1.2, 1.5])
SURVEY_SHARE = 0.30       # part des contacts interrogés pour le NPS
NO_ANSWER = np.array([0.25, 0.45, 0.20, 0.25, 0.25])  # satisfaction non renseignée, par canal


def make_contacts(rng: np.random.Generator, days: np.ndarray, clients: pd.DataFrame,
                  latent: dict, purchases: np.ndarray) -> pd.DataFrame:
    """Table des contacts à partir des achats ``purchases`` (colonnes : client, jour)."""
    n_days = len(days)
    owner, day = purchases[:, 0], purchases[:, 1]
    grumpy = latent["grumpy"][owner]
    chosen = rng.random(len(owner)) < CONTACT_RATE * np.exp(MOOD_CONTACTS * grumpy)
    owner, grumpy = owner[chosen], grumpy[chosen]
    day = np.minimum(day[chosen] + rng.geometric(1 / 6, chosen.sum()) - 1, n_days - 1)
    n = len(owner)

    t = day / DAYS_PER_YEAR
    digital = -(latent["age"][owner] - 45) / 20
    canal = choice_logits(rng, np.column_stack([
        np.zeros(n),                          # formulaire de contact
        0.1 + 0.10 * t + 0.3 * digital,       # FAQ
        0.3 - 0.12 * t - 0.4 * digital,       # téléphone
        0.4 - 0.05 * t,                       # e-mail SAV
        -1.2 + 0.40 * t + 0.6 * digital,      # chat/réseaux sociaux
    ]))
    motif = choice_rows(rng, np.array(ref.MOTIF_BY_CANAL), canal)
    delay = DELAY_MEDIAN[canal] * np.exp(DELAY_SIGMA[canal] * rng.standard_normal(n))
    delay = np.round(delay * np.exp(0.25 * grumpy), 2)
    logit = (RESOLVE_LOGIT[canal] - 1.0 * (motif == 3) - 0.6 * grumpy - 0.01 * np.minimum(delay, 200))
    resolved = rng.random(n) < 1 / (1 + np.exp(-logit))

    score = (3.0 + 1.4 * resolved - 0.025 * np.minimum(delay, 96) - 0.5 * grumpy + 0.2 * (canal == 2)
             + 0.7 * rng.standard_normal(n))
    satisfaction = np.clip(np.round(score), 1, 5).astype(int)
    answered = rng.random(n) >= NO_ANSWER[canal]
    nps = np.clip(np.round(2.3 * score - 1.5 + 1.1 * rng.standard_normal(n)), 0, 10).astype(int)
    surveyed = rng.random(n) < SURVEY_SHARE

    order = np.lexsort((owner, day))
    return pd.DataFrame({
        "contact_id": make_ids("CT", np.arange(1, n + 1), 5),
        "client_id": clients["client_id"].to_numpy()[owner[order]],
        "date": days[day[order]],
        "canal": np.array(ref.CONTACT_CANAUX)[canal[order]],
        "motif": np.array(ref.MOTIFS)[motif[order]],
        "delai_reponse_h": delay[order],
        "resolu": resolved[order],
        "satisfaction": pd.Series(satisfaction[order], dtype="Int64").where(answered[order]),
        "nps": pd.Series(nps[order], dtype="Int64").where(surveyed[order]),
    })
