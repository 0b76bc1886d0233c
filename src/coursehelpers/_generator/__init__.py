"""Générateur à graine fixe des données fictives de « Maison Lumière » (voir datasets/README.md).

Chaque table reçoit son propre flux aléatoire (``SeedSequence.spawn``) : modifier le
modèle d'une table ne change pas les autres. Les tables ajoutées plus tard (consentements...)
prennent les flux suivants (``spawn(n)[i]`` ne dépend pas de ``n``) : les cinq premiers
fichiers restent identiques octet pour octet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._generator import b2b, b2c, journeys, privacy, reviews, service
from coursehelpers._generator.sampling import day_range
from coursehelpers._generator.schema import coerce


def generate_tables(seed: int, n_clients: int, n_accounts: int, start: str,
                    end: str) -> dict[str, pd.DataFrame]:
    """Toutes les tables typées (mêmes types que les chargeurs)."""
    days = day_range(start, end)
    # Flux 0 à 4 : les cinq tables d'origine ; 5 : consentements ; 6 : prospects ; 7 : parcours ;
    # 8 : avis.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(9)]
    clients, latent = b2c.make_clients(streams[0], days, n_clients)
    transactions, purchases = b2c.make_transactions(streams[1], days, clients, latent)
    contacts = service.make_contacts(streams[2], days, clients, latent, purchases)
    accounts = b2b.make_accounts(streams[3], days, n_accounts)
    orders = b2b.make_orders(streams[4], days, accounts)
    last_contacts = privacy.make_last_contacts(days, clients, transactions, contacts)
    consents = privacy.make_consents(streams[5], days, clients, last_contacts)
    prospects = journeys.make_prospects(streams[6], days, 3 * n_accounts)
    paths = journeys.make_journeys(streams[7], days, clients, round(1.6 * n_clients))
    opinions = reviews.make_reviews(streams[8], days, clients, contacts, round(0.48 * n_clients))
    raw = {"clients": clients, "transactions": transactions, "contacts": contacts,
           "comptes_b2b": accounts, "commandes_b2b": orders,
           "consentements": consents, "derniers_contacts": last_contacts,
           "prospects_b2b": prospects, "parcours": paths, "avis": opinions}
    return {name: coerce(name, frame) for name, frame in raw.items()}
