"""Données personnelles (RGPD, CNIL) : qui contacter, combien de temps garder, comment protéger.

Quatre questions qu'un stagiaire doit se poser **avant** d'exploiter un fichier clients :

1. :func:`contact_permissions` — qui peut être prospecté sur quel canal, et sur quelle base ?
2. :func:`retention_status` — qui a dépassé la durée de conservation, et que faut-il faire ?
3. :func:`pseudonymize` — remplacer noms, e-mails, identifiants par des codes (clé secrète).
4. :func:`unneeded_columns` — quelles colonnes la finalité annoncée ne justifie pas ?

S'y ajoute :func:`phone_call_allowed` (jours et heures du démarchage téléphonique).

Les règles codées ici sont celles **en vigueur au 2 décembre 2026** (date de rédaction) ;
elles résument des textes réels, cités dans chaque fonction. Ce sont des règles prudentes pour
un exercice, pas un avis juridique : en entreprise, le délégué à la protection des données
(DPO) tranche.

>>> import pandas as pd
>>> consents = pd.DataFrame({"client_id": ["C1", "C2"], "canal": ["e-mail", "e-mail"],
...                          "coordonnee": [True, True], "statut": ["sans choix", "opposition"],
...                          "bloctel": [False, False]})
>>> contact_permissions(consents, as_of="2026-01-01")["autorise"].tolist()
[True, False]
"""

from __future__ import annotations

from coursehelpers.personal_data._channels import (
    BASES,
    CHANNELS,
    PHONE_CONSENT_FROM,
    STATUSES,
    contact_permissions,
    phone_call_allowed,
)
from coursehelpers.personal_data._counts import (
    EXPIRED,
    PERMISSION_CATEGORIES,
    permission_category,
    permission_counts,
)
from coursehelpers.personal_data._records import (
    PURPOSES,
    new_key,
    pseudonymize,
    retention_status,
    unneeded_columns,
)

__all__ = [
    "BASES",
    "CHANNELS",
    "EXPIRED",
    "PERMISSION_CATEGORIES",
    "PHONE_CONSENT_FROM",
    "PURPOSES",
    "STATUSES",
    "contact_permissions",
    "new_key",
    "permission_category",
    "permission_counts",
    "phone_call_allowed",
    "pseudonymize",
    "retention_status",
    "unneeded_columns",
]
