"""Durée de conservation, pseudonymisation par clé secrète et minimisation des colonnes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from coursehelpers._core.validate import check_positive_int, datetime_column, require_columns, require_frame
from coursehelpers.errors import DataError

#: Finalités types et colonnes (des fichiers du cours) qu'elles justifient, avec la raison.
PURPOSES: dict[str, dict[str, str]] = {
    "analyse RFM": {
        "client_id": "relier les achats d'un même client",
        "commande_id": "compter les commandes distinctes (fréquence)",
        "date": "calculer la récence",
        "montant": "calculer le montant",
    },
    "campagne e-mail": {
        "client_id": "relier le client à son consentement",
        "civilite": "formule d'appel du message",
        "optin_email": "n'écrire qu'aux clients qui l'acceptent",
        "carte_fidelite": "adapter l'offre aux porteurs de carte",
    },
    "segmentation": {
        "client_id": "relier le client à ses achats",
        "age": "critère socio-démographique utile à l'offre",
        "sexe": "critère socio-démographique utile à l'offre",
        "csp": "critère socio-démographique utile à l'offre",
        "region": "critère géographique (magasins, livraison)",
        "code_departement": "critère géographique plus fin",
        "date_inscription": "ancienneté de la relation",
        "canal_acquisition": "origine du client",
        "carte_fidelite": "critère de comportement",
    },
    "suivi du service client": {
        "contact_id": "identifier la demande",
        "client_id": "retrouver l'historique du client",
        "date": "dater la demande",
        "canal": "mesurer chaque canal",
        "motif": "classer les demandes",
        "delai_reponse_h": "mesurer le délai de réponse",
        "resolu": "mesurer la résolution",
        "satisfaction": "mesurer la satisfaction",
    },
}


def retention_status(frame: pd.DataFrame, *, as_of: str | pd.Timestamp,
                     date: str = "date_dernier_contact", customer: str = "client_id",
                     years: int = 3, notice_days: int = 90) -> pd.DataFrame:
    """Échéance de conservation des données de prospection de chaque personne, et l'action due.

    Recommandation de la CNIL (référentiel « gestion des activités commerciales »,
    délibération n° 2021-131 du 23 septembre 2021 ; la CNIL s'y référait déjà dans ses sanctions
    de 2020) : les données d'un client servent à la prospection pendant la relation puis
    **3 ans après le dernier contact venant de lui** (achat, demande au service client, clic —
    l'ouverture d'un e-mail ne compte pas). À l'échéance, on peut lui demander s'il veut
    continuer à recevoir des offres ; sans réponse positive, on **supprime** ou on **archive**
    (accès restreint, pour une obligation légale : les factures se gardent 10 ans, code de
    commerce art. L. 123-22).

    date_limite = dernier contact + ``years`` ans ;
    jours_restants = date_limite − as_of (en jours, négatif si dépassée).

    ``action`` : « conserver » si jours_restants > ``notice_days`` ; « demander le
    renouvellement » si 0 < jours_restants ≤ ``notice_days`` ; « supprimer ou archiver » si
    jours_restants ≤ 0 (échéance atteinte ; seul un accord explicite renouvelé permet de
    continuer).

    Paramètres
    ----------
    frame : DataFrame
        Une ligne par personne (comme ``datasets.load_last_contacts()``).
    as_of : date
        Date du contrôle.
    date, customer : str
        Colonnes de la date du dernier contact et de l'identifiant.
    years, notice_days : int
        Durée de conservation (3 ans) et préavis avant l'échéance (90 jours).

    Renvoie
    -------
    DataFrame indexé par ``customer`` : ``dernier_contact``, ``date_limite``,
    ``jours_restants`` (entier), ``action``.

    Exemples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"client_id": ["A", "B", "C"],
    ...                   "date_dernier_contact": ["2024-05-02", "2023-02-15", "2022-05-02"]})
    >>> r = retention_status(f, as_of="2026-01-01")
    >>> r["jours_restants"].tolist()
    [486, 45, -244]
    >>> r["action"].tolist()
    ['conserver', 'demander le renouvellement', 'supprimer ou archiver']
    """
    df = require_frame(frame, name="derniers contacts")
    require_columns(df, [date, customer], name="derniers contacts")
    years = check_positive_int(years, name="years")
    notice_days = check_positive_int(notice_days, name="notice_days", minimum=0)
    last = datetime_column(df, date, name="derniers contacts").dt.normalize()
    when = pd.Timestamp(as_of).normalize()
    future = last > when
    if future.any():
        pos = int(np.flatnonzero(future.to_numpy())[0])
        raise DataError(f"dernier contact postérieur à la date du contrôle ({when:%d/%m/%Y}).",
                        column=date, line=pos + 1)
    limit = last + pd.DateOffset(years=years)
    left = (limit - when).dt.days.astype("int64")
    action = np.select([left > notice_days, left > 0], ["conserver", "demander le renouvellement"],
                       default="supprimer ou archiver")
    out = pd.DataFrame({"dernier_contact": last.to_numpy(), "date_limite": limit.to_numpy(),
                        "jours_restants": left.to_numpy(), "action": action},
                       index=pd.Index(df[customer].to_numpy(), name=customer))
    return out


def new_key() -> str:
    """Une clé secrète aléatoire (64 caractères hexadécimaux) pour :func:`pseudonymize`.

    Gardez-la **hors** du notebook et du fichier pseudonymisé (par ex. dans un fichier à part,
    chez votre tuteur) : qui a la clé peut refaire le lien avec les vraies valeurs.

    >>> len(new_key())
    64
    """
    return secrets.token_hex(32)


def pseudonymize(frame: pd.DataFrame, columns: str | Iterable[str], *, key: str | bytes,
                 length: int = 16, normalize: bool = True) -> pd.DataFrame:
    """Remplace les valeurs des colonnes choisies par un code calculé avec une clé secrète.

    code = les ``length`` premiers caractères hexadécimaux de HMAC-SHA256(clé, valeur), où la
    valeur est d'abord écrite en texte, sans espaces autour et en minuscules
    (``normalize=True`` : « C00001 » et « c00001 » ont le même code).

    - **Stable** : même clé et même valeur → même code, dans tous les fichiers (on peut encore
      relier les achats et les contacts d'un même client).
    - **Non réversible sans la clé** : le code ne se calcule pas à l'envers, et sans la clé on
      ne peut pas non plus essayer tous les identifiants possibles (ce que permettrait un simple
      hachage SHA-256 sans clé).
    - Les données restent **personnelles** au sens du RGPD (considérant 26) : qui a la clé peut
      réidentifier. C'est une mesure de sécurité, pas une anonymisation.

    Une valeur manquante reste manquante. Le tableau d'origine n'est pas modifié.

    Paramètres
    ----------
    frame : DataFrame
    columns : str ou liste de str
        Colonnes à pseudonymiser (identifiant, nom, e-mail, téléphone...).
    key : str ou bytes
        Clé secrète d'au moins 16 caractères (voir :func:`new_key`).
    length : int
        Longueur du code (8 à 64 ; 16 caractères = 64 bits, collisions négligeables).
    normalize : bool
        Ignorer espaces autour et majuscules avant le calcul.

    Renvoie
    -------
    DataFrame : une copie, colonnes choisies remplacées par leurs codes (texte).

    Exemples
    --------
    >>> import pandas as pd
    >>> clients = pd.DataFrame({"client_id": ["C00001", "C00002"], "age": [34, 51]})
    >>> achats = pd.DataFrame({"client_id": [" c00001", "C00001"], "montant": [20.0, 35.5]})
    >>> cle = "ma-cle-secrete-de-stage-2026"
    >>> a, b = pseudonymize(clients, "client_id", key=cle), pseudonymize(achats, "client_id", key=cle)
    >>> a.loc[0, "client_id"] == b.loc[0, "client_id"] == b.loc[1, "client_id"]
    True
    >>> a.loc[0, "client_id"] != a.loc[1, "client_id"], len(a.loc[0, "client_id"])
    (True, 16)
    """
    df = require_frame(frame, name="fichier à pseudonymiser")
    cols = [columns] if isinstance(columns, str) else list(columns)
    if not cols:
        raise DataError("aucune colonne à pseudonymiser : donnez au moins un nom de colonne.")
    require_columns(df, cols, name="fichier à pseudonymiser")
    secret = key.encode("utf-8") if isinstance(key, str) else key
    if not isinstance(secret, bytes) or len(secret) < 16:
        raise DataError("la clé secrète doit faire au moins 16 caractères : créez-en une avec "
                        "personal_data.new_key() et gardez-la hors du fichier.")
    length = check_positive_int(length, name="length", minimum=8)
    if length > 64:
        raise DataError(f"« length » doit être entre 8 et 64 (reçu : {length}).")
    out = df.copy()
    for col in cols:
        values = df[col]
        missing = values.isna().to_numpy()
        text = values.astype("string").fillna("")
        if normalize:
            text = text.str.strip().str.lower()
        codes, uniques = pd.factorize(text.to_numpy(dtype=object))
        # Un calcul par valeur distincte (le hachage ne se vectorise pas), puis report par code.
        digests = np.array([hmac.new(secret, u.encode("utf-8"), hashlib.sha256).hexdigest()[:length]
                            for u in uniques], dtype=object)
        hashed = pd.Series(digests[codes], index=df.index, dtype="object")
        out[col] = hashed.mask(missing)
    return out


def unneeded_columns(data: pd.DataFrame | Iterable[str], purpose: str | Iterable[str] | Mapping[str, str]
                     ) -> list[str]:
    """Colonnes que la finalité annoncée ne justifie pas (principe de minimisation, RGPD art. 5-1-c).

    Une donnée n'est collectée et gardée que si elle est « adéquate, pertinente et limitée à ce
    qui est nécessaire » à la finalité. Donnez une finalité de :data:`PURPOSES` (« analyse RFM »,
    « campagne e-mail », « segmentation », « suivi du service client ») ou votre propre liste de
    colonnes nécessaires. Le résultat est une **base de discussion** : à vous de justifier ce
    que vous gardez.

    Paramètres
    ----------
    data : DataFrame ou liste de noms de colonnes
    purpose : str (clé de ``PURPOSES``) ou liste / dictionnaire des colonnes nécessaires

    Renvoie
    -------
    list[str] : les colonnes non nécessaires, dans l'ordre du fichier.

    Exemples
    --------
    >>> unneeded_columns(["client_id", "date", "montant", "canal", "categorie"], "analyse RFM")
    ['canal', 'categorie']
    >>> unneeded_columns(["client_id", "age", "niveau_etudes"], ["client_id", "age"])
    ['niveau_etudes']
    """
    names = [str(c) for c in (data.columns if isinstance(data, pd.DataFrame) else data)]
    if isinstance(purpose, str):
        if purpose not in PURPOSES:
            known = ", ".join(f"« {p} »" for p in PURPOSES)
            raise DataError(f"finalité inconnue « {purpose} ». Finalités prévues : {known} ; "
                            "ou donnez la liste des colonnes nécessaires.")
        needed = set(PURPOSES[purpose])
    else:
        needed = {str(c) for c in purpose}
    return [c for c in names if c not in needed]
