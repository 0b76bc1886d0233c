"""Fidélisation mesurée sur les achats : clients conservés, perdus, nouveaux, et cohortes.

Un client est *actif* sur une période s'il y achète au moins une fois. En
comparant deux périodes, on compte les clients conservés, perdus et nouveaux,
d'où les taux d'attrition, de rétention, de renouvellement et de rotation ;
par cohorte, on suit la part des clients d'une même année encore actifs
les années suivantes. Taux entre 0 et 1. Fonctions aussi accessibles par
:mod:`coursehelpers.kpis` (qui donne les mêmes taux à partir de simples nombres).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursehelpers._validate import (
    datetime_column,
    no_missing,
    numeric_column,
    require_columns,
    require_frame,
)
from coursehelpers.errors import DataError, DataWarning

__all__ = ["CustomerFlows", "cohort_retention", "customer_flows"]


@dataclass
class CustomerFlows:
    """Flux de clients entre deux périodes (résultat de :func:`customer_flows`).

    Effectifs : ``clients_p1``, ``clients_p2``, ``conserves`` (actifs sur les deux),
    ``perdus`` (actifs en 1, pas en 2), ``nouveaux`` (actifs en 2, pas en 1).
    ``customers`` : un client par ligne, colonnes ``actif_p1``, ``actif_p2``, ``statut``.
    """

    clients_p1: int
    clients_p2: int
    conserves: int
    perdus: int
    nouveaux: int
    customers: pd.DataFrame

    @property
    def taux_attrition(self) -> float:
        """perdus / clients_p1"""
        from coursehelpers.kpis import attrition_rate

        return attrition_rate(lost=self.perdus, start=self.clients_p1)

    @property
    def taux_retention(self) -> float:
        """conservés / clients_p1 (= 1 − taux d'attrition)"""
        from coursehelpers.kpis import retention_rate

        return retention_rate(retained=self.conserves, start=self.clients_p1)

    @property
    def taux_renouvellement(self) -> float:
        """nouveaux / clients_p2"""
        from coursehelpers.kpis import renewal_rate

        return renewal_rate(new=self.nouveaux, clients_p2=self.clients_p2) if self.clients_p2 else 0.0

    @property
    def taux_rotation(self) -> float:
        """[(nouveaux + perdus) / 2] / [(clients_p1 + clients_p2) / 2]"""
        from coursehelpers.kpis import rotation_rate

        return rotation_rate(new=self.nouveaux, lost=self.perdus, clients_p1=self.clients_p1,
                             clients_p2=self.clients_p2)

    def summary(self) -> pd.Series:
        """Effectifs et taux dans une seule Series (taux entre 0 et 1)."""
        names = ["clients_p1", "clients_p2", "conserves", "perdus", "nouveaux", "taux_attrition",
                 "taux_retention", "taux_renouvellement", "taux_rotation"]
        return pd.Series({n: getattr(self, n) for n in names}, dtype="float64", name="valeur")


def _timestamp(value: object, *, name: str) -> pd.Timestamp:
    try:
        stamp = pd.to_datetime(value, format="ISO8601")
    except (TypeError, ValueError):
        try:
            stamp = pd.to_datetime(value, format="%d/%m/%Y")
        except (TypeError, ValueError):
            raise DataError(f"« {name} » : date illisible {value!r} (écrivez 2024-12-31 ou 31/12/2024).") \
                from None
    return pd.Timestamp(stamp).tz_localize(None)


def _period(value: object, *, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if isinstance(value, str) or not hasattr(value, "__len__") or len(value) != 2:
        raise DataError(f"« {name} » doit être un couple (début, fin), "
                        "par ex. (\"2024-01-01\", \"2024-12-31\").")
    start, end = (_timestamp(v, name=name) for v in value)
    if end < start:
        raise DataError(f"« {name} » : la fin ({end.date()}) est avant le début ({start.date()}).")
    return start, end.normalize() + pd.Timedelta(days=1)  # fin incluse : jusqu'au lendemain 0 h


def _purchases(transactions: pd.DataFrame, customer: str, date: str, amount: str | None) -> pd.DataFrame:
    require_frame(transactions, name="transactions")
    require_columns(transactions, [customer, date, amount], name="transactions")
    data = pd.DataFrame({"client": no_missing(transactions, customer, name="transactions"),
                         "date": datetime_column(transactions, date, name="transactions")})
    if amount is not None:  # un avoir (montant ≤ 0) n'est pas un achat
        data = data[(numeric_column(transactions, amount, name="transactions") > 0).to_numpy()]
    return data


def customer_flows(transactions: pd.DataFrame, *, period_1, period_2, customer: str = "client_id",
                   date: str = "date", amount: str | None = "montant") -> CustomerFlows:
    """Clients conservés, perdus et nouveaux entre deux périodes.

    Un client est **actif** sur une période s'il y fait au moins un achat
    (ligne de montant > 0 ; les avoirs ne comptent pas ; ``amount=None`` pour
    compter toutes les lignes). Bornes incluses. Puis :
    taux d'attrition = perdus / clients_p1 ; taux de rétention = conservés / clients_p1 ;
    taux de renouvellement = nouveaux / clients_p2 ;
    taux de rotation = [(nouveaux + perdus)/2] / [(clients_p1 + clients_p2)/2].

    Un avertissement signale une période qui déborde de plus d'un mois des données
    (les taux seraient faussés).

    Exemple
    -------
    >>> tx = pd.DataFrame({"client_id": [1, 2, 1, 3], "montant": [10.0, 20.0, 30.0, 40.0],
    ...     "date": pd.to_datetime(["2023-01-10", "2023-05-01", "2024-02-01", "2024-12-20"])})
    >>> f = customer_flows(tx, period_1=("2023-01-01", "2023-12-31"), period_2=("2024-01-01", "2024-12-31"))
    >>> f.conserves, f.perdus, f.nouveaux, f.taux_attrition
    (1, 1, 1, 0.5)
    """
    data = _purchases(transactions, customer, date, amount)
    (s1, e1), (s2, e2) = _period(period_1, name="period_1"), _period(period_2, name="period_2")
    if s2 < e1:
        raise DataError("« period_2 » doit commencer après la fin de « period_1 ».")
    all_dates = datetime_column(transactions, date, name="transactions")
    month = pd.Timedelta(days=31)
    if s1 < all_dates.min() - month or e2 > all_dates.max() + month:
        warnings.warn(
            f"les données vont du {all_dates.min().date()} au {all_dates.max().date()} : une période "
            "en déborde de plus d'un mois, les taux sont faussés.", DataWarning, stacklevel=2)
    dates = data["date"]
    active_1 = pd.Index(data.loc[(dates >= s1) & (dates < e1), "client"].unique())
    active_2 = pd.Index(data.loc[(dates >= s2) & (dates < e2), "client"].unique())
    if len(active_1) == 0:
        raise DataError("aucun client actif sur « period_1 » : vérifiez les dates.")
    ids = active_1.union(active_2)
    table = pd.DataFrame({"actif_p1": ids.isin(active_1), "actif_p2": ids.isin(active_2)}, index=ids)
    table.index.name = customer
    table["statut"] = np.select([table["actif_p1"] & table["actif_p2"], table["actif_p1"]],
                                ["conservé", "perdu"], default="nouveau")
    both = int((table["actif_p1"] & table["actif_p2"]).sum())
    return CustomerFlows(clients_p1=len(active_1), clients_p2=len(active_2), conserves=both,
                         perdus=len(active_1) - both, nouveaux=len(active_2) - both, customers=table)


def cohort_retention(transactions: pd.DataFrame, clients: pd.DataFrame | None = None, *, freq: str = "Y",
                     customer: str = "client_id", date: str = "date", amount: str | None = "montant",
                     signup: str = "date_inscription", how: str = "active",
                     counts: bool = False) -> pd.DataFrame:
    """Rétention par cohorte : part des clients d'une cohorte encore actifs n périodes plus tard.

    Cohorte = période (``freq`` : "Y" année, "Q" trimestre, "M" mois) du premier
    achat, ou de l'inscription ``signup`` si ``clients`` est donné (les inscrits
    sans achat comptent alors dans l'effectif). Colonne n = n périodes après la
    cohorte. Valeur = clients actifs / effectif de la cohorte, avec
    ``how="active"`` : au moins un achat dans la période ;
    ``how="not_churned"`` : un achat dans cette période ou plus tard (pas encore perdu).
    Case vide (NaN) : période hors des données (avant le premier ou après le
    dernier achat). ``counts=True`` donne les effectifs au lieu des parts.
    Attention : une dernière période incomplète (année en cours) sous-estime la rétention.

    Exemple
    -------
    >>> tx = pd.DataFrame({"client_id": [1, 2, 1, 3], "montant": [10.0, 20.0, 30.0, 40.0],
    ...     "date": pd.to_datetime(["2023-03-01", "2023-05-01", "2024-02-01", "2024-06-01"])})
    >>> cohort_retention(tx).to_dict("index")
    {2023: {0: 1.0, 1: 0.5}, 2024: {0: 1.0, 1: nan}}
    """
    if how not in ("active", "not_churned"):
        raise DataError(f"« how » vaut \"active\" ou \"not_churned\" (reçu : {how!r}).")
    data = _purchases(transactions, customer, date, amount)
    try:
        periods = data["date"].dt.to_period(freq)
    except ValueError:
        raise DataError(f"« freq » : fréquence inconnue {freq!r} (\"Y\", \"Q\" ou \"M\").") from None
    data = data.assign(p=periods.array.asi8)
    all_dates = datetime_column(transactions, date, name="transactions")
    first, last = (pd.Period(all_dates.min(), freq=freq), pd.Period(all_dates.max(), freq=freq))
    if clients is None:
        cohort = data.groupby("client")["p"].min()
    else:
        require_frame(clients, name="clients")
        require_columns(clients, [customer, signup], name="clients")
        cohort = pd.Series(datetime_column(clients, signup, name="clients").dt.to_period(freq).array.asi8,
                           index=no_missing(clients, customer, name="clients"))
        unknown = ~data["client"].isin(cohort.index)
        if unknown.any():
            warnings.warn(f"{int(data.loc[unknown, 'client'].nunique())} client(s) des transactions absents "
                          "de « clients » : ignorés.", DataWarning, stacklevel=2)
            data = data[~unknown]
    data = data.assign(age=data["p"].to_numpy() - cohort.reindex(data["client"]).to_numpy())
    if (data["age"] < 0).any():
        warnings.warn(f"{int((data['age'] < 0).sum())} achat(s) avant l'inscription : ignorés.",
                      DataWarning, stacklevel=2)
        data = data[data["age"] >= 0]
    pairs = data[["client", "age"]].drop_duplicates()
    if how == "not_churned":  # actif jusqu'à sa dernière période d'achat
        horizon = pairs.groupby("client")["age"].max()
        span = np.arange(int(horizon.max()) + 1)
        ages = np.repeat(span[None, :], len(horizon), axis=0)
        keep = ages <= horizon.to_numpy()[:, None]
        pairs = pd.DataFrame({"client": np.repeat(horizon.index.to_numpy(), len(span))[keep.ravel()],
                              "age": ages[keep]})
    pairs = pairs.assign(cohorte=cohort.reindex(pairs["client"]).to_numpy())
    active = pd.crosstab(pairs["cohorte"], pairs["age"])
    size = cohort.value_counts()
    labels = size.index.union(active.index)
    n_max = int(last.ordinal - labels.min())
    active = active.reindex(index=labels, columns=range(n_max + 1), fill_value=0)
    table = active.astype("float64") if counts else active.div(size.reindex(labels), axis=0)
    when = labels.to_numpy()[:, None] + np.arange(n_max + 1)[None, :]
    table = table.mask((when > last.ordinal) | (when < first.ordinal))
    table.index = pd.PeriodIndex.from_ordinals(labels, freq=freq).astype(str)
    if freq.upper().startswith("Y"):
        table.index = table.index.astype(int)
    table.index.name, table.columns.name = "cohorte", "periode"
    return table



def churn_flags(transactions: pd.DataFrame, *, since, customer: str = "client_id", date: str = "date",
                amount: str | None = "montant") -> pd.Series:
    """Client parti ou non à une date donnée (« churn »).

    Population : les clients qui ont acheté **avant** ``since``. Un client est *parti*
    (``True``) s'il n'a fait **aucun achat** (montant > 0) à partir de ``since`` ; un avoir
    n'est pas un achat. Les clients arrivés après ``since`` ne font pas partie de la population.

    Retourne une Series booléenne nommée ``parti``, indexée par client (triée).
    Sa moyenne est le taux d'attrition de la population : partis / clients.

    Exemple
    -------
    >>> tx = pd.DataFrame({"client_id": ["A", "A", "B", "C"],
    ...                    "date": pd.to_datetime(["2024-03-01", "2025-02-01", "2024-05-01",
    ...                                            "2025-01-15"]),
    ...                    "montant": [50.0, 20.0, 30.0, 10.0]})
    >>> churn_flags(tx, since="2025-01-01").to_dict()   # C est arrivé après : hors population
    {'A': False, 'B': True}
    """
    start = _timestamp(since, name="since")
    data = _purchases(transactions, customer, date, amount)
    before = data.loc[data["date"] < start, "client"].unique()
    after = data.loc[data["date"] >= start, "client"].unique()
    if len(before) == 0:
        raise DataError(f"aucun achat avant le {start.date()} : pas de clients à suivre.", column=date)
    index = pd.Index(before, name=customer).sort_values()
    return pd.Series(~index.isin(after), index=index, name="parti")


def churn_by(customers: pd.DataFrame, *, by: str, churned: str = "parti") -> pd.DataFrame:
    """Taux d'attrition par groupe : partis / clients de chaque valeur de ``by``.

    ``customers`` a une ligne par client, une colonne booléenne ``churned`` (par ex. issue de
    :func:`churn_flags`) et la colonne de regroupement ``by`` (carte de fidélité, note
    moyenne, canal d'acquisition...). Colonnes : ``clients``, ``partis``, ``taux_attrition``
    (de 0 à 1), plus une ligne « Ensemble ».
    """
    require_frame(customers, name="clients")
    require_columns(customers, [by, churned], name="clients")
    flag = customers[churned]
    if not pd.api.types.is_bool_dtype(flag):
        raise DataError("« clients » : la colonne doit contenir vrai/faux (parti ou non).", column=churned)
    groups = flag.groupby(customers[by], observed=True, dropna=True)
    table = pd.DataFrame({"clients": groups.size(), "partis": groups.sum()})
    table.loc["Ensemble"] = [len(flag), int(flag.sum())]
    table = table.astype("int64")
    table["taux_attrition"] = table["partis"] / table["clients"]
    table.index.name = by
    return table
