"""Vues « une ligne par client » et « une ligne par achat », partagées par les concepts.

* :func:`purchases` : les achats (montant ≥ 0 : une ligne à 0 € en est un ; avoirs exclus) d'un
  tableau de transactions ;
* :func:`customer_values` : le chiffre d'affaires par client ;
* :func:`customer_frame` : la fiche du client et le résumé de ses achats (réexportée par
  ``segmentation`` et ``widgets``) ;
* :func:`card_labels` : « avec carte » / « sans carte » à partir de la colonne vrai/faux.

Fonctions de données : ni matplotlib ni ipywidgets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers import rfm
from coursehelpers._core.ids import unique_ids
from coursehelpers._core.validate import (
    datetime_column,
    no_missing,
    numeric_column,
    require_columns,
    require_frame,
)
from coursehelpers.errors import DataError

__all__ = ["CARD_LABELS", "card_labels", "customer_frame", "customer_values", "purchases"]

#: Libellés de la carte de fidélité (colonne vrai/faux ``carte_fidelite``) : (vrai, faux).
CARD_LABELS = ("avec carte", "sans carte")


def purchases(transactions: pd.DataFrame, customer: str, date: str, amount: str | None) -> pd.DataFrame:
    """Une ligne par achat : colonnes ``client`` et ``date`` (datetime64), avoirs exclus.

    Un avoir (montant **négatif**) n'est pas un achat ; une ligne à 0 € (article offert,
    commande à prix nul) en est un, comme dans ``rfm_table`` ; ``amount=None`` garde toutes
    les lignes.
    Colonnes et types contrôlés (DataError en français).
    """
    require_frame(transactions, name="transactions")
    require_columns(transactions, [customer, date, amount], name="transactions")
    data = pd.DataFrame({"client": no_missing(transactions, customer, name="transactions"),
                         "date": datetime_column(transactions, date, name="transactions")})
    if amount is not None:  # un avoir (montant < 0) n'est pas un achat ; 0 € en est un
        data = data[(numeric_column(transactions, amount, name="transactions") >= 0).to_numpy()]
    return data


def customer_values(transactions: pd.DataFrame, *, customer: str = "client_id",
                    amount: str = "montant") -> pd.Series:
    """Chiffre d'affaires par client (Σ des montants, avoirs déduits), la mesure de valeur par défaut.

    Exemples
    --------
    >>> tx = pd.DataFrame({"client_id": ["A", "B", "A"], "montant": [10.0, 5.0, -2.0]})
    >>> customer_values(tx).to_dict()
    {'A': 8.0, 'B': 5.0}
    """
    df = require_frame(transactions, name="transactions")
    require_columns(df, [customer, amount], name="transactions")
    values = numeric_column(df, amount, name="transactions")
    return values.groupby(df[customer].to_numpy()).sum().rename("chiffre_affaires")


def card_labels(card: pd.Series, *, name: str = "clients", column: str = "carte_fidelite") -> np.ndarray:
    """« avec carte » / « sans carte » pour une colonne vrai/faux de carte de fidélité.

    Exemples
    --------
    >>> card_labels(pd.Series([True, False])).tolist()
    ['avec carte', 'sans carte']
    """
    if not pd.api.types.is_bool_dtype(card):
        raise DataError(f"« {name} » : la colonne doit contenir vrai/faux.", column=column)
    return np.where(card, *CARD_LABELS)


def customer_frame(clients: pd.DataFrame, transactions: pd.DataFrame, *,
                   customer: str = "client_id") -> pd.DataFrame:
    """Une ligne par client : ses colonnes + son comportement d'achat (CA, commandes, panier, récence).

    Pour chaque client c de ``clients`` (calculs de ``rfm.rfm_table`` sur ``transactions``) :

    - ``chiffre_affaires`` = Σ montants des achats de c (avoirs déduits), 0 € sans achat ;
    - ``commandes`` = nombre d'achats de c, 0 sans achat ;
    - ``panier_moyen`` = chiffre_affaires / commandes (vide si aucune commande) ;
    - ``recence_jours`` = jours entre le dernier achat de c et le lendemain du dernier achat
      du fichier ; un client sans achat reçoit la plus grande récence observée.

    Les achats de clients absents de ``clients`` sont ignorés.

    Paramètres
    ----------
    clients : DataFrame, une ligne par client (colonne ``customer`` sans doublon)
    transactions : DataFrame, une ligne par achat (colonnes ``customer``, ``date``, ``montant``)
    customer : nom de la colonne identifiant du client (défaut ``"client_id"``)

    Renvoie
    -------
    DataFrame indexé par client : les colonnes de ``clients`` puis ``chiffre_affaires``,
    ``commandes``, ``recence_jours``, ``panier_moyen``.

    Exemples
    --------
    >>> clients = pd.DataFrame({"client_id": ["A", "B", "C"], "age": [30, 45, 60]})
    >>> achats = pd.DataFrame({"client_id": ["A", "A", "B"], "montant": [100.0, 50.0, 80.0],
    ...                        "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-10"])})
    >>> base = customer_frame(clients, achats)
    >>> base.loc["A", ["chiffre_affaires", "commandes", "panier_moyen", "recence_jours"]].tolist()
    [150.0, 2.0, 75.0, 1.0]
    >>> base.loc["C", ["chiffre_affaires", "commandes", "recence_jours"]].tolist()  # aucun achat
    [0.0, 0.0, 21.0]
    """
    people = require_frame(clients, name="clients")
    unique_ids(people, customer, name="clients")
    require_columns(require_frame(transactions, name="transactions"), [customer], name="transactions")
    table = rfm.rfm_table(transactions, customer=customer)
    behaviour = pd.DataFrame({"chiffre_affaires": table["montant"], "commandes": table["frequence"],
                              "recence_jours": table["recence"]})
    out = people.set_index(customer).join(behaviour, how="left")
    out[["chiffre_affaires", "commandes"]] = out[["chiffre_affaires", "commandes"]].fillna(0)
    out["recence_jours"] = out["recence_jours"].fillna(out["recence_jours"].max())
    out["panier_moyen"] = out["chiffre_affaires"] / out["commandes"].replace(0, np.nan)
    return out
