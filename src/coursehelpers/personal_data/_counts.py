"""Décompte des personnes joignables par canal : base légale ou motif de refus, conservation comprise."""

from __future__ import annotations

import pandas as pd

from coursehelpers.personal_data._channels import BASES, CHANNELS, contact_permissions
from coursehelpers.personal_data._records import retention_status

EXPIRED = "Conservation atteinte"
#: Catégories du décompte, dans l'ordre d'affichage → la prospection est-elle permise ?
PERMISSION_CATEGORIES: dict[str, bool] = {
    "Consentement": True,
    "Soft opt-in": True,
    "Intérêt légitime": True,
    EXPIRED: False,
    "Opposition": False,
    "Bloctel": False,
    "Consentement requis": False,
    "Pas de coordonnée": False,
}
_FROM_BASE = {BASES["consent"]: "Consentement", BASES["soft"]: "Soft opt-in",
              BASES["legit"]: "Intérêt légitime"}
_FROM_MOTIF = {"pas de coordonnée": "Pas de coordonnée", "opposition du client": "Opposition",
               "numéro inscrit sur Bloctel": "Bloctel"}


def permission_category(permissions: pd.DataFrame) -> pd.Series:
    """Catégorie courte de chaque ligne rendue par :func:`contact_permissions` (sans la conservation).

    Base légale (Consentement, Soft opt-in, Intérêt légitime) si la prospection est permise, sinon
    le motif (Opposition, Bloctel, Pas de coordonnée, Consentement requis).

    >>> p = pd.DataFrame({"autorise": [True, False], "base_legale": ["consentement", ""],
    ...                   "motif": ["", "numéro inscrit sur Bloctel"]})
    >>> permission_category(p).tolist()
    ['Consentement', 'Bloctel']
    """
    label = permissions["base_legale"].map(_FROM_BASE)
    refused = permissions["motif"].map(_FROM_MOTIF).fillna("Consentement requis")
    return label.where(permissions["autorise"], refused)


def permission_counts(consents: pd.DataFrame, last_contacts: pd.DataFrame, *, as_of: str | pd.Timestamp,
                      customers: bool = True, years: int = 3) -> pd.DataFrame:
    """Nombre de personnes par canal (lignes) et par catégorie de :data:`PERMISSION_CATEGORIES` (colonnes).

    Une personne autorisée sur un canal mais dont la durée de conservation est atteinte
    (``retention_status(...)["action"] == "supprimer ou archiver"``) est comptée dans
    « Conservation atteinte », pas dans sa base légale.

    >>> c = pd.DataFrame({"client_id": ["A", "B"], "canal": ["e-mail", "e-mail"],
    ...                   "coordonnee": [True, True], "statut": ["consentement", "consentement"],
    ...                   "bloctel": [False, False]})
    >>> lc = pd.DataFrame({"client_id": ["A", "B"], "date_dernier_contact": ["2025-06-01", "2022-06-01"]})
    >>> permission_counts(c, lc, as_of="2026-01-01").loc["e-mail", ["Consentement", EXPIRED]].tolist()
    [1, 1]
    """
    perms = contact_permissions(consents, as_of=as_of, customers=customers)
    status = retention_status(last_contacts, as_of=as_of, years=years)
    expired = status["action"].eq("supprimer ou archiver")
    is_expired = perms["client_id"].map(expired).fillna(False).to_numpy(dtype=bool)
    label = permission_category(perms)
    label = label.where(~(perms["autorise"].to_numpy() & is_expired), EXPIRED)
    counts = pd.crosstab(perms["canal"].astype(str), label)
    counts = counts.reindex(index=list(CHANNELS), columns=list(PERMISSION_CATEGORIES), fill_value=0)
    counts.columns.name = None
    return counts.astype("int64")
