"""Vue « une ligne par client » : la fiche du client et le résumé de ses achats (réexportée par
``segmentation`` et ``widgets``). Fonction de données : ni matplotlib ni ipywidgets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._validate import no_missing, require_columns, require_frame
from coursehelpers.errors import DataError


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

    Retourne
    --------
    DataFrame indexé par client : les colonnes de ``clients`` puis ``chiffre_affaires``,
    ``commandes``, ``recence_jours``, ``panier_moyen``.

    Exemple
    -------
    >>> clients = pd.DataFrame({"client_id": ["A", "B", "C"], "age": [30, 45, 60]})
    >>> achats = pd.DataFrame({"client_id": ["A", "A", "B"], "montant": [100.0, 50.0, 80.0],
    ...                        "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-10"])})
    >>> base = customer_frame(clients, achats)
    >>> base.loc["A", ["chiffre_affaires", "commandes", "panier_moyen", "recence_jours"]].tolist()
    [150.0, 2.0, 75.0, 1.0]
    >>> base.loc["C", ["chiffre_affaires", "commandes", "recence_jours"]].tolist()  # aucun achat
    [0.0, 0.0, 21.0]
    """
    from coursehelpers import rfm

    people = require_frame(clients, name="clients")
    require_columns(people, [customer], name="clients")
    ids = no_missing(people, customer, name="clients")
    duplicated = ids.duplicated()
    if duplicated.any():
        line = int(np.flatnonzero(duplicated.to_numpy())[0]) + 1
        raise DataError(f"clients : le client « {ids[duplicated].iloc[0]} » apparaît plusieurs fois "
                        f"(colonne « {customer} », ligne {line}) ; il faut une ligne par client.")
    require_columns(require_frame(transactions, name="transactions"), [customer], name="transactions")
    table = rfm.rfm_table(transactions, customer=customer)
    behaviour = pd.DataFrame({"chiffre_affaires": table["montant"], "commandes": table["frequence"],
                              "recence_jours": table["recence"]})
    out = people.set_index(customer).join(behaviour, how="left")
    out[["chiffre_affaires", "commandes"]] = out[["chiffre_affaires", "commandes"]].fillna(0)
    out["recence_jours"] = out["recence_jours"].fillna(out["recence_jours"].max())
    out["panier_moyen"] = out["chiffre_affaires"] / out["commandes"].replace(0, np.nan)
    return out
