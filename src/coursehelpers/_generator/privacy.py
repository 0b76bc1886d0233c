"""Consentements par canal et date du dernier contact de chaque client (données personnelles).

Deux tables, tirées avec leur **propre** flux aléatoire (les cinq fichiers historiques ne
changent pas d'un octet) :

- ``consentements`` : une ligne (``consentement_id``) par client et par canal de prospection
  (courrier, e-mail, SMS, téléphone). ``coordonnee`` dit si le client a donné l'adresse ou le numéro ;
  ``statut`` vaut « consentement » (case cochée), « opposition » (case « je refuse » cochée,
  désinscription, STOP SMS, demande au service client) ou « sans choix » (coordonnée donnée
  sans rien cocher) ; ``date_statut`` et ``source`` disent quand et comment ce choix a été
  recueilli ; ``bloctel`` marque les numéros inscrits sur la liste d'opposition au
  démarchage téléphonique (lignes « téléphone » seulement).
- ``derniers_contacts`` : une ligne par client, date du dernier achat, du dernier contact
  avec le service client et la plus récente des deux (point de départ de la durée de
  conservation recommandée par la CNIL).

Cohérence avec ``clients.csv`` : un client ``optin_email = oui`` a le statut « consentement »
sur l'e-mail, et seulement lui. Parts de tirage (fictives) : voir les constantes ci-dessous.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._generator.sampling import make_ids

CHANNELS = ["courrier", "e-mail", "SMS", "téléphone"]
STATUSES = ["consentement", "opposition", "sans choix"]
SOURCES = ["formulaire web", "application", "bulletin en magasin", "caisse en magasin", "jeu-concours",
           "espace client", "lien de désinscription", "STOP SMS", "service client"]
SOURCE_INDEX = {name: i for i, name in enumerate(SOURCES)}

# Coordonnée donnée : probabilité de base et supplément pour les porteurs de carte.
HAS_EMAIL = 0.80           # (1 si opt-in e-mail ; 0,93 si recruté sur le web ou les réseaux sociaux)
HAS_PHONE = (0.50, 0.20)
MOBILE_SHARE = 0.85        # part des numéros qui sont des mobiles (SMS possible)
HAS_ADDRESS = (0.82, 0.18)
# Statuts des canaux autres que l'e-mail : (consentement, opposition à l'inscription, opposition plus tard).
SMS_STATUS = (0.28, 0.15, 0.15)
PHONE_STATUS = (0.12, 0.08, 0.05)
MAIL_STATUS = (0.00, 0.03, 0.04)
BLOCTEL_BASE, BLOCTEL_AGE = 0.04, 0.0025   # part des numéros inscrits : 0,04 + 0,0025 × (âge − 18)


def _registration_source(rng: np.random.Generator, acquisition: np.ndarray) -> np.ndarray:
    """Source du choix fait à l'inscription, selon le canal d'acquisition du client."""
    u = rng.random(acquisition.size)
    by_channel = {
        "magasin": np.where(u < 0.6, SOURCE_INDEX["caisse en magasin"], SOURCE_INDEX["bulletin en magasin"]),
        "site web": np.full(acquisition.size, SOURCE_INDEX["formulaire web"]),
        "parrainage": np.full(acquisition.size, SOURCE_INDEX["formulaire web"]),
        "réseaux sociaux": np.where(u < 0.7, SOURCE_INDEX["formulaire web"], SOURCE_INDEX["application"]),
        "salon/événement": np.full(acquisition.size, SOURCE_INDEX["jeu-concours"]),
    }
    out = np.zeros(acquisition.size, dtype=int)
    for channel, values in by_channel.items():
        out = np.where(acquisition == channel, values, out)
    return out


def _later_day(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Un jour tiré uniformément entre ``first`` et ``last`` inclus (positions de jours)."""
    span = np.maximum(last - first, 0)
    return first + np.floor(rng.random(first.size) * (span + 1)).astype(int)


def make_last_contacts(days: np.ndarray, clients: pd.DataFrame, transactions: pd.DataFrame,
                       contacts: pd.DataFrame) -> pd.DataFrame:
    """Dates du dernier achat (montant > 0), du dernier contact service client et leur maximum."""
    ids = clients["client_id"]
    sales = transactions[transactions["montant"].to_numpy() > 0]
    last_sale = pd.Series(sales["date"].to_numpy(), index=sales["client_id"].to_numpy())
    last_sale = last_sale.groupby(level=0).max()
    last_sav = pd.Series(contacts["date"].to_numpy(), index=contacts["client_id"].to_numpy())
    last_sav = last_sav.groupby(level=0).max()
    sale = pd.to_datetime(last_sale.reindex(ids).to_numpy())
    sav = pd.to_datetime(last_sav.reindex(ids).to_numpy())
    last = np.where(pd.isna(sav) | (sale >= sav), sale, sav)
    return pd.DataFrame({
        "client_id": ids.to_numpy(),
        "date_dernier_achat": sale,
        "date_dernier_contact_sav": sav,
        "date_dernier_contact": pd.to_datetime(last),
    })


def make_consents(rng: np.random.Generator, days: np.ndarray, clients: pd.DataFrame,
                  last_contacts: pd.DataFrame) -> pd.DataFrame:
    """Journal des consentements : 4 lignes par client (une par canal), aucune valeur manquante."""
    n = len(clients)
    acquisition = clients["canal_acquisition"].astype(str).to_numpy()
    card = clients["carte_fidelite"].to_numpy(dtype=bool)
    optin = clients["optin_email"].to_numpy(dtype=bool)
    age = clients["age"].to_numpy(dtype=int)
    reg = (clients["date_inscription"].to_numpy().astype("datetime64[D]") - days[0]).astype(int)
    last = (last_contacts["date_dernier_contact"].to_numpy().astype("datetime64[D]") - days[0]).astype(int)
    end = len(days) - 1
    source_reg = _registration_source(rng, acquisition)
    digital = np.isin(acquisition, ["site web", "réseaux sociaux"])

    # --- coordonnées données ---------------------------------------------------------------
    has_email = optin | (rng.random(n) < np.where(digital, 0.93, HAS_EMAIL))
    has_phone = rng.random(n) < HAS_PHONE[0] + HAS_PHONE[1] * card
    has_mobile = has_phone & (rng.random(n) < MOBILE_SHARE)
    has_address = rng.random(n) < np.minimum(HAS_ADDRESS[0] + HAS_ADDRESS[1] * card + 0.2 * digital, 1.0)

    columns = {"coordonnee": [], "statut": [], "day": [], "source": []}

    def add(coord: np.ndarray, status: np.ndarray, day: np.ndarray, source: np.ndarray) -> None:
        columns["coordonnee"].append(coord)
        columns["statut"].append(status)
        columns["day"].append(day)
        columns["source"].append(source)

    # Une opposition peut venir après le dernier achat (désinscription d'une lettre reçue) ;
    # un consentement donné plus tard vient d'un contact du client, donc au plus tard ce jour-là.
    withdraw_end = np.minimum(last + 365, end)

    def channel(coord: np.ndarray, shares: tuple[float, float, float], withdraw_source: int,
                consent_boost: np.ndarray | float = 0.0) -> None:
        consent_p, oppose_reg_p, oppose_late_p = shares
        u = rng.random(n)
        consent = coord & (u < consent_p + consent_boost)
        oppose_reg = coord & ~consent & (u < consent_p + consent_boost + oppose_reg_p)
        oppose_late = coord & ~consent & ~oppose_reg & (u < consent_p + consent_boost + oppose_reg_p
                                                        + oppose_late_p)
        status = np.where(consent, 0, np.where(oppose_reg | oppose_late, 1, 2))
        late_day = _later_day(rng, np.minimum(reg + 1, end), withdraw_end)
        day = np.where(oppose_late, late_day, reg)
        source = np.where(oppose_late, withdraw_source, source_reg)
        add(coord, status, day, source)

    # courrier (prospection postale : régime d'opposition, aucun consentement demandé)
    channel(has_address, MAIL_STATUS, SOURCE_INDEX["service client"])

    # e-mail : le consentement est celui de clients.csv (optin_email)
    u = rng.random(n)
    late_consent = optin & (u < 0.25)
    unsub = ~optin & has_email & (u < 0.40)
    oppose_reg = ~optin & has_email & ~unsub & (u < 0.65)
    status = np.where(optin, 0, np.where(unsub | oppose_reg, 1, 2))
    day = np.where(late_consent, _later_day(rng, reg, last),
                   np.where(unsub, _later_day(rng, np.minimum(reg + 1, end), withdraw_end), reg))
    late_src = np.where(rng.random(n) < 0.7, SOURCE_INDEX["espace client"], SOURCE_INDEX["jeu-concours"])
    source = np.where(late_consent, late_src, np.where(unsub, SOURCE_INDEX["lien de désinscription"],
                                                        source_reg))
    add(has_email, status, day, source)

    # SMS (mobiles seulement) et téléphone
    channel(has_mobile, SMS_STATUS, SOURCE_INDEX["STOP SMS"], consent_boost=0.10 * card)
    channel(has_phone, PHONE_STATUS, SOURCE_INDEX["service client"])
    bloctel_phone = has_phone & (rng.random(n) < BLOCTEL_BASE + BLOCTEL_AGE * (age - 18))

    k = len(CHANNELS)
    ids = clients["client_id"].to_numpy()
    owner = np.repeat(np.arange(n), k)          # ordre : client puis canal
    chan = np.tile(np.arange(k), n)
    stacked = {key: np.column_stack(parts).reshape(-1) for key, parts in columns.items()}
    bloctel = np.column_stack([np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool), bloctel_phone])
    return pd.DataFrame({
        "consentement_id": make_ids("CS", np.arange(1, n * k + 1), 6),
        "client_id": ids[owner],
        "canal": np.array(CHANNELS)[chan],
        "coordonnee": stacked["coordonnee"].astype(bool),
        "statut": np.array(STATUSES)[stacked["statut"]],
        "date_statut": days[stacked["day"]],
        "source": np.array(SOURCES)[stacked["source"]],
        "bloctel": bloctel.reshape(-1),
    })
