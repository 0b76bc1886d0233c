"""Leviers de la roue de la fidélité mesurés sur les données : qui part, selon quel levier ?

Les leviers (satisfaction, carte, vente croisée, réclamations, canal d'acquisition) sont mesurés
sur l'historique **avant** la date ``since`` ; le départ (aucun achat à partir de ``since``,
:func:`~coursehelpers.kpis.churn_flags`) est observé **après**. :func:`loyalty_frame` donne le
tableau par client (calculé une fois) ; :func:`loyalty_table` la part de partis par groupe d'un
levier (un filtre et un regroupement, assez rapide pour un curseur).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._core.customers import card_labels
from coursehelpers._core.dates import parse_day_first
from coursehelpers._core.ids import unique_ids
from coursehelpers._core.validate import datetime_column, numeric_column, require_columns, require_frame
from coursehelpers.errors import DataError
from coursehelpers.kpis._retention import churn_by, churn_flags

__all__ = ["CLAIM", "CLAIM_LABELS", "loyalty_frame", "loyalty_table"]

CLAIM = "réclamation"
CLAIM_LABELS = ["aucune réclamation", "réclamation résolue", "réclamation non résolue"]


def _day(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%d/%m/%Y")


def loyalty_frame(clients: pd.DataFrame, transactions: pd.DataFrame, contacts: pd.DataFrame | None = None, *,
                  since: object = "2025-01-01", signup_before: object | None = "2024-01-01",
                  customer: str = "client_id") -> pd.DataFrame:
    """Une ligne par client suivi : parti ou non, historique et leviers de fidélité.

    Population : clients de ``clients`` inscrits avant ``signup_before`` (colonne
    ``date_inscription`` ; ``None`` pour ne pas filtrer) ayant acheté avant ``since``.
    ``parti`` = aucun achat (montant ≥ 0) à partir de ``since`` (``kpis.churn_flags``).
    Mesurés **avant** ``since`` : ``commandes`` (lignes d'achat), ``ca`` (Σ montants, avoirs
    déduits), ``familles`` (catégories distinctes, si ``categorie`` existe), ``note`` (moyenne
    des notes de satisfaction arrondie : « 1 / 5 » … « 5 / 5 », « sans note »), ``reclamation``
    (aucune / toutes résolues / au moins une non résolue ; contacts de motif « réclamation »).
    ``carte`` (« avec carte » / « sans carte ») et ``canal_acquisition`` viennent de ``clients``.
    Les colonnes dont la source manque sont absentes (le levier correspondant aussi).

    Paramètres
    ----------
    clients : DataFrame
        Une ligne par client (colonne ``customer`` sans doublon ; ``date_inscription``,
        ``carte_fidelite``, ``canal_acquisition`` si disponibles).
    transactions : DataFrame
        Une ligne par achat (``customer``, ``date``, ``montant`` ; ``categorie`` si disponible).
    contacts : DataFrame, optionnel
        Une ligne par contact (``customer``, ``date`` ; ``satisfaction``, ``motif``, ``resolu``).
    since : str ou date
        Début de l'observation du départ (texte ISO ou jj/mm/aaaa).
    signup_before : str, date ou None
        Inscription maximale des clients suivis (``None`` : tous).
    customer : str
        Colonne de l'identifiant client.

    Renvoie
    -------
    DataFrame
        Indexé par client : ``parti``, ``commandes``, ``ca`` et les leviers disponibles.

    Lève
    ----
    DataError
        Client en double, date illisible, colonne absente, aucun client suivi.

    Exemples
    --------
    >>> cl = pd.DataFrame({"client_id": ["A", "B"], "carte_fidelite": [True, False]})
    >>> tx = pd.DataFrame({"client_id": ["A", "B", "A"], "montant": [10.0, 20.0, 5.0],
    ...                    "date": pd.to_datetime(["2024-03-01", "2024-04-01", "2025-02-01"])})
    >>> loyalty_frame(cl, tx, signup_before=None)[["parti", "commandes", "carte"]].to_dict("index")
    {'A': {'parti': False, 'commandes': 1, 'carte': 'avec carte'}, 'B': {'parti': True, 'commandes': 1, \
'carte': 'sans carte'}}
    """
    start = parse_day_first(since, name="since")
    cl = require_frame(clients, name="clients")
    ids = unique_ids(cl, customer, name="clients")
    cl = cl.set_axis(ids.to_numpy(), axis=0)
    if signup_before is not None:
        if "date_inscription" not in cl.columns:
            raise DataError("« clients » n'a pas de colonne « date_inscription » : donnez "
                            "signup_before=None pour suivre tous les clients.", column="date_inscription")
        limit = parse_day_first(signup_before, name="signup_before")
        cl = cl[(datetime_column(cl, "date_inscription", name="clients") < limit).to_numpy()]
    flags = churn_flags(transactions, since=start, customer=customer)
    frame = pd.DataFrame({"parti": flags[flags.index.isin(cl.index)]})
    if frame.empty:
        raise DataError(f"aucun client de « clients » n'a acheté avant le {_day(start)} : vérifiez les "
                        "identifiants des deux tableaux et les dates since / signup_before.")
    before = transactions[(datetime_column(transactions, "date", name="transactions") < start).to_numpy()]
    amounts = numeric_column(before, "montant", name="transactions")
    bought = before[(amounts >= 0).to_numpy()]  # 0 € est un achat, < 0 un avoir
    grouped = bought.groupby(customer)
    frame["commandes"] = grouped.size().reindex(frame.index).astype("int64")
    frame["ca"] = amounts.groupby(before[customer].to_numpy()).sum().reindex(frame.index)
    if "categorie" in transactions.columns:
        frame["familles"] = grouped["categorie"].nunique().reindex(frame.index).astype("int64")
    if "carte_fidelite" in cl.columns:
        frame["carte"] = card_labels(cl["carte_fidelite"].reindex(frame.index))
    if "canal_acquisition" in cl.columns:
        frame["canal_acquisition"] = cl["canal_acquisition"].reindex(frame.index).astype("string").fillna(
            "inconnu")
    if contacts is not None:
        _contact_levers(frame, contacts, start, customer)
    return frame


def _contact_levers(frame: pd.DataFrame, contacts: pd.DataFrame, start: pd.Timestamp, customer: str) -> None:
    ct = require_frame(contacts, name="contacts")
    require_columns(ct, [customer, "date"], name="contacts")
    ct = ct[(datetime_column(ct, "date", name="contacts") < start).to_numpy()]
    if "satisfaction" in ct.columns:
        notes = numeric_column(ct, "satisfaction", name="contacts", allow_missing=True)
        mean = notes.groupby(ct[customer].to_numpy()).mean().round().reindex(frame.index)
        labels = np.array(["sans note", *(f"{k} / 5" for k in range(1, 6))])
        frame["note"] = pd.Categorical(labels[mean.fillna(0).astype("int64").to_numpy()],
                                       categories=[*labels[1:], "sans note"], ordered=True)
    if {"motif", "resolu"} <= set(ct.columns):
        claims = ct[(ct["motif"] == CLAIM).to_numpy()]
        unresolved = (~claims["resolu"].astype(bool)).groupby(claims[customer].to_numpy()).any()
        status = unresolved.reindex(frame.index).map({False: CLAIM_LABELS[1], True: CLAIM_LABELS[2]})
        frame["reclamation"] = pd.Categorical(status.fillna(CLAIM_LABELS[0]), categories=CLAIM_LABELS,
                                              ordered=True)


def loyalty_table(frame: pd.DataFrame, *, lever: str, orders: tuple[int, int] | None = None) -> pd.DataFrame:
    """Par groupe du levier : clients, partis, ``taux_attrition`` = partis / clients, CA et commandes moyens.

    ``orders`` = (min, max) : ne garder que les clients dont le nombre de commandes (avant
    ``since``) est dans cet intervalle, bornes incluses, pour comparer des clients comparables.
    Dernière ligne « Ensemble ».

    Paramètres
    ----------
    frame : DataFrame
        Sortie de :func:`loyalty_frame`.
    lever : str
        Colonne du levier (``"carte"``, ``"note"``, ``"familles"``, ``"reclamation"``...).
    orders : tuple (min, max), optionnel
        Nombre de commandes avant ``since`` des clients gardés, bornes incluses.

    Renvoie
    -------
    DataFrame
        Indexé par groupe (plus « Ensemble ») : ``clients``, ``partis``, ``taux_attrition``,
        ``ca_moyen``, ``commandes_moyennes``.

    Exemples
    --------
    >>> f = pd.DataFrame({"parti": [True, False, False], "carte": ["sans", "avec", "avec"],
    ...                   "ca": [10.0, 50.0, 70.0], "commandes": [1, 3, 5]})
    >>> loyalty_table(f, lever="carte")["taux_attrition"].tolist()
    [0.0, 1.0, 0.3333333333333333]
    """
    require_columns(frame, [lever, "parti", "ca", "commandes"], name="clients suivis")
    if orders is not None:
        low, high = orders
        frame = frame[frame["commandes"].between(low, high).to_numpy()]
        if frame.empty:
            raise DataError(f"aucun client n'a entre {low} et {high} commandes : élargissez l'intervalle.")
    table = churn_by(frame, by=lever)
    means = frame.groupby(lever, observed=True)[["ca", "commandes"]].mean()
    means.loc["Ensemble"] = frame[["ca", "commandes"]].mean()
    table = table.join(means.rename(columns={"ca": "ca_moyen", "commandes": "commandes_moyennes"}))
    return table
