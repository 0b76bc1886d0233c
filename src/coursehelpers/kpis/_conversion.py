"""Taux de transformation (prospects → clients) et taux de réachat après un contact du service client.

Le **taux de transformation** (ou de conversion) compte des prospects devenus clients, ou des
commandes rapportées à des visites : ``conversion_table``. Un client qui rachète après avoir
contacté le service client n'est pas un prospect « transformé » : c'est un **réachat après
contact**, ``repurchase_after_contact``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from coursehelpers._core.customers import purchases
from coursehelpers._core.validate import (
    check_positive_int,
    datetime_column,
    no_missing,
    numeric_column,
    require_columns,
    require_frame,
)
from coursehelpers.errors import DataError

__all__ = ["contact_conversion", "conversion_table", "repurchase_after_contact"]


def _flag(df: pd.DataFrame, column: str, *, name: str) -> pd.Series:
    values = no_missing(df, column, name=name)
    if pd.api.types.is_bool_dtype(values):
        return values.astype(bool)
    num = numeric_column(df, column, name=name)
    bad = ~num.isin([0.0, 1.0])
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"« {name} » : valeur {values.iloc[pos]!r} au lieu de vrai/faux (ou 1/0).",
                        column=column, line=pos + 1)
    return num == 1.0


def rate_table(success: pd.Series, data: pd.DataFrame, by: str | None, *, name: str,
                hits: str = "convertis", rate: str = "taux_transformation"):
    """Effectif, réussites et taux, globalement ou par groupe."""
    if by is None:
        n, k = len(success), int(success.sum())
        return pd.Series({"effectif": n, hits: k, rate: k / n}, dtype="float64")
    groups = success.groupby(no_missing(data, by, name=name).to_numpy(), observed=True)
    out = pd.DataFrame({"effectif": groups.size(), hits: groups.sum().astype("int64")})
    out[rate] = out[hits] / out["effectif"]
    out.index.name = by
    return out


def conversion_table(df: pd.DataFrame, *, converted: str, by: str | None = None) -> pd.Series | pd.DataFrame:
    """Taux de transformation à partir d'un tableau : une ligne par prospect (ou contact).

    taux_transformation = convertis / effectif, globalement ou par groupe.

    Paramètres
    ----------
    df : DataFrame
        Une ligne par prospect (ou contact).
    converted : str
        Colonne vrai/faux (ou 1/0) : le prospect est-il devenu client ?
    by : str, optionnel
        Colonne de regroupement (source, canal...) : une ligne par groupe.

    Renvoie
    -------
    Series ou DataFrame
        ``effectif``, ``convertis`` et ``taux_transformation`` (entre 0 et 1).

    Lève
    ----
    DataError
        Colonne absente, valeur manquante ou autre que vrai/faux.

    Exemples
    --------
    >>> prospects = pd.DataFrame({"source": ["salon", "salon", "web"], "client": [True, False, True]})
    >>> conversion_table(prospects, converted="client", by="source")["taux_transformation"].tolist()
    [0.5, 1.0]
    """
    require_frame(df, name="données")
    require_columns(df, [converted, by], name="données")
    return rate_table(_flag(df, converted, name="données"), df, by, name="données")


def repurchase_after_contact(contacts: pd.DataFrame, transactions: pd.DataFrame, *, within_days: int = 30,
                             by: str | None = None, customer: str = "client_id", date: str = "date",
                             amount: str | None = "montant") -> pd.Series | pd.DataFrame:
    """Taux de réachat après contact : part des contacts du service client suivis d'un achat.

    Un contact est suivi d'un réachat si le même client achète (montant ≥ 0) entre le jour du
    contact et ``within_days`` jours après (bornes incluses) :
    taux_reachat_apres_contact = contacts suivis d'un achat / contacts.

    Ce n'est **pas** un taux de transformation : le client était déjà client. Le taux de
    transformation compte des prospects devenus clients (ou des commandes rapportées à des
    visites) : voir ``conversion_table``.

    Paramètres
    ----------
    contacts : DataFrame
        Une ligne par contact (colonnes ``customer`` et ``date``).
    transactions : DataFrame
        Une ligne par achat (colonnes ``customer``, ``date`` et ``amount``).
    within_days : int
        Fenêtre en jours après le contact (défaut 30).
    by : str, optionnel
        Colonne des contacts pour regrouper (par ex. ``"canal"``) : une ligne par groupe.
    customer, date, amount : str
        Noms des colonnes (``amount=None`` : toutes les lignes sont des achats).

    Renvoie
    -------
    Series ou DataFrame
        ``effectif``, ``rachats`` et ``taux_reachat_apres_contact`` (entre 0 et 1).

    Exemples
    --------
    >>> contacts = pd.DataFrame({"client_id": [1, 2], "date": pd.to_datetime(["2024-01-01", "2024-01-01"])})
    >>> tx = pd.DataFrame({"client_id": [1], "date": pd.to_datetime(["2024-01-20"]), "montant": [50.0]})
    >>> float(repurchase_after_contact(contacts, tx)["taux_reachat_apres_contact"])
    0.5
    """
    success = repurchased(contacts, transactions, within_days=within_days, by=by, customer=customer,
                           date=date, amount=amount)
    return rate_table(success, contacts, by, name="contacts", hits="rachats",
                       rate="taux_reachat_apres_contact")


def contact_conversion(contacts: pd.DataFrame, transactions: pd.DataFrame, *, within_days: int = 30,
                       by: str | None = None, customer: str = "client_id", date: str = "date",
                       amount: str | None = "montant") -> pd.Series | pd.DataFrame:
    """Ancien nom de :func:`repurchase_after_contact` (colonnes ``convertis``, ``taux_transformation``).

    Gardé pour les cahiers déjà distribués ; émet un ``FutureWarning`` : ce taux n'est pas un
    taux de transformation mais un taux de réachat après contact.

    Exemples
    --------
    >>> import warnings
    >>> contacts = pd.DataFrame({"client_id": [1], "date": pd.to_datetime(["2024-01-01"])})
    >>> tx = pd.DataFrame({"client_id": [1], "date": pd.to_datetime(["2024-01-02"]), "montant": [5.0]})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     float(contact_conversion(contacts, tx)["taux_transformation"])
    1.0
    """
    warnings.warn("contact_conversion est renommée repurchase_after_contact : un contact suivi d'un "
                  "achat donne un taux de réachat après contact, pas un taux de transformation.",
                  FutureWarning, stacklevel=2)
    success = repurchased(contacts, transactions, within_days=within_days, by=by, customer=customer,
                           date=date, amount=amount)
    return rate_table(success, contacts, by, name="contacts")


def repurchased(contacts: pd.DataFrame, transactions: pd.DataFrame, *, within_days: int, by: str | None,
                 customer: str, date: str, amount: str | None) -> pd.Series:
    """Vrai pour chaque contact suivi d'un achat du même client dans la fenêtre."""
    require_frame(contacts, name="contacts")
    require_columns(contacts, [customer, date, by], name="contacts")
    days = check_positive_int(within_days, name="within_days", minimum=0)
    left = pd.DataFrame({"client": no_missing(contacts, customer, name="contacts"),
                         "jour": datetime_column(contacts, date, name="contacts").dt.normalize()
                         .astype("datetime64[ns]"), "pos": np.arange(len(contacts))})
    right = purchases(transactions, customer, date, amount)
    right = pd.DataFrame({"client": right["client"], "jour": right["date"].dt.normalize()
                          .astype("datetime64[ns]"), "achat": True})
    if left["client"].dtype != right["client"].dtype:  # ex. int64 d'un côté, texte de l'autre
        both_numeric = all(pd.api.types.is_numeric_dtype(x["client"]) for x in (left, right))
        for x in (left, right):
            x["client"] = x["client"].astype("float64" if both_numeric else str)
    merged = pd.merge_asof(left.sort_values("jour"), right.sort_values("jour"), on="jour", by="client",
                           direction="forward", tolerance=pd.Timedelta(days=days))
    success = merged.sort_values("pos")["achat"].notna().astype(bool)
    success.index = contacts.index
    return success
