"""Fidélisation mesurée sur les achats : clients conservés, perdus, nouveaux, et cohortes.

Un client est *actif* sur une période s'il y achète au moins une fois. En
comparant deux périodes, on compte les clients conservés, perdus et nouveaux,
d'où les taux d'attrition, de rétention, de renouvellement et de rotation ;
par cohorte, on suit la part des clients d'une même année encore actifs
les années suivantes. Taux entre 0 et 1. Fonctions réexportées par
:mod:`coursehelpers.kpis` ; les taux viennent de :mod:`coursehelpers.kpis._rates` (mêmes
définitions qu'à partir de simples nombres).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursehelpers._core.customers import purchases
from coursehelpers._core.dates import parse_day_first
from coursehelpers._core.validate import datetime_column, no_missing, require_columns, require_frame
from coursehelpers.errors import DataError, DataWarning
from coursehelpers.kpis._rates import attrition_rate, renewal_rate, retention_rate, rotation_rate

__all__ = ["CustomerFlows", "churn_by", "churn_flags", "cohort_retention", "customer_flows"]


@dataclass
class CustomerFlows:
    """Flux de clients entre deux périodes (résultat de :func:`customer_flows`).

    Attributs
    ---------
    clients_p1, clients_p2 : int
        Clients actifs sur la période 1, sur la période 2.
    retained : int
        Clients conservés (actifs sur les deux périodes) ; alias français ``conserves``.
    lost : int
        Clients perdus (actifs en 1, pas en 2) ; alias ``perdus``.
    new : int
        Nouveaux clients (actifs en 2, pas en 1) ; alias ``nouveaux``.
    customers : DataFrame
        Un client par ligne, colonnes ``actif_p1``, ``actif_p2``, ``statut``.

    Les taux (propriétés, entre 0 et 1) : ``attrition_rate``, ``retention_rate``,
    ``renewal_rate``, ``rotation_rate`` ; alias français ``taux_attrition``, ``taux_retention``,
    ``taux_renouvellement``, ``taux_rotation`` (ceux des notebooks du cours).
    """

    clients_p1: int
    clients_p2: int
    retained: int
    lost: int
    new: int
    customers: pd.DataFrame

    @property
    def attrition_rate(self) -> float:
        """perdus / clients_p1"""
        return attrition_rate(lost=self.lost, start=self.clients_p1)

    @property
    def retention_rate(self) -> float:
        """conservés / clients_p1 (= 1 − taux d'attrition)"""
        return retention_rate(retained=self.retained, start=self.clients_p1)

    @property
    def renewal_rate(self) -> float:
        """nouveaux / clients_p2"""
        return renewal_rate(new=self.new, clients_p2=self.clients_p2) if self.clients_p2 else 0.0

    @property
    def rotation_rate(self) -> float:
        """[(nouveaux + perdus) / 2] / [(clients_p1 + clients_p2) / 2]"""
        return rotation_rate(new=self.new, lost=self.lost, clients_p1=self.clients_p1,
                             clients_p2=self.clients_p2)

    # alias français (notebooks du cours) : mêmes valeurs
    conserves = property(lambda self: self.retained, doc="alias de ``retained``")
    perdus = property(lambda self: self.lost, doc="alias de ``lost``")
    nouveaux = property(lambda self: self.new, doc="alias de ``new``")
    taux_attrition = property(lambda self: self.attrition_rate, doc="alias de ``attrition_rate``")
    taux_retention = property(lambda self: self.retention_rate, doc="alias de ``retention_rate``")
    taux_renouvellement = property(lambda self: self.renewal_rate, doc="alias de ``renewal_rate``")
    taux_rotation = property(lambda self: self.rotation_rate, doc="alias de ``rotation_rate``")

    def summary(self) -> pd.Series:
        """Effectifs et taux dans une seule Series (taux entre 0 et 1, libellés en français)."""
        names = ["clients_p1", "clients_p2", "conserves", "perdus", "nouveaux", "taux_attrition",
                 "taux_retention", "taux_renouvellement", "taux_rotation"]
        return pd.Series({n: getattr(self, n) for n in names}, dtype="float64", name="valeur")


def _period(value: object, *, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if isinstance(value, str) or not hasattr(value, "__len__") or len(value) != 2:
        raise DataError(f"« {name} » doit être un couple (début, fin), "
                        "par ex. (\"2024-01-01\", \"2024-12-31\").")
    start, end = (parse_day_first(v, name=name) for v in value)
    if end < start:
        raise DataError(f"« {name} » : la fin ({end.date()}) est avant le début ({start.date()}).")
    return start, end.normalize() + pd.Timedelta(days=1)  # fin incluse : jusqu'au lendemain 0 h


def customer_flows(transactions: pd.DataFrame, *, period_1: tuple[object, object],
                   period_2: tuple[object, object], customer: str = "client_id", date: str = "date",
                   amount: str | None = "montant") -> CustomerFlows:
    """Clients conservés, perdus et nouveaux entre deux périodes.

    Un client est **actif** sur une période s'il y fait au moins un achat
    (ligne de montant ≥ 0 ; les avoirs, négatifs, ne comptent pas ; ``amount=None`` pour
    compter toutes les lignes). Bornes incluses. Puis :
    taux d'attrition = perdus / clients_p1 ; taux de rétention = conservés / clients_p1 ;
    taux de renouvellement = nouveaux / clients_p2 ;
    taux de rotation = [(nouveaux + perdus)/2] / [(clients_p1 + clients_p2)/2].

    Un avertissement signale une période qui déborde de plus d'un mois des données
    (les taux seraient faussés).

    Paramètres
    ----------
    transactions : DataFrame
        Une ligne par achat (colonnes ``customer``, ``date``, ``amount``).
    period_1, period_2 : tuple (début, fin)
        Les deux périodes, bornes incluses (texte ISO ou jj/mm/aaaa, ou dates) ; la période 2
        commence après la fin de la période 1.
    customer, date : str
        Noms des colonnes du client et de la date.
    amount : str ou None
        Colonne du montant (``None`` : toutes les lignes sont des achats).

    Renvoie
    -------
    CustomerFlows
        Effectifs (``retained``, ``lost``, ``new``...), taux et tableau par client.

    Lève
    ----
    DataError
        Période mal écrite ou à l'envers, périodes qui se chevauchent, aucun client en période 1.

    Exemples
    --------
    >>> tx = pd.DataFrame({"client_id": [1, 2, 1, 3], "montant": [10.0, 20.0, 30.0, 40.0],
    ...     "date": pd.to_datetime(["2023-01-10", "2023-05-01", "2024-02-01", "2024-12-20"])})
    >>> f = customer_flows(tx, period_1=("2023-01-01", "2023-12-31"), period_2=("2024-01-01", "2024-12-31"))
    >>> f.retained, f.lost, f.new, f.attrition_rate
    (1, 1, 1, 0.5)
    """
    data = purchases(transactions, customer, date, amount)
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
    return CustomerFlows(clients_p1=len(active_1), clients_p2=len(active_2), retained=both,
                         lost=len(active_1) - both, new=len(active_2) - both, customers=table)


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

    Paramètres
    ----------
    transactions : DataFrame
        Une ligne par achat (colonnes ``customer``, ``date``, ``amount``).
    clients : DataFrame, optionnel
        Une ligne par client avec la date d'inscription ``signup`` (cohorte = inscription).
    freq : {"Y", "Q", "M"}
        Période : année, trimestre ou mois.
    customer, date, signup : str
        Noms des colonnes.
    amount : str ou None
        Colonne du montant (``None`` : toutes les lignes sont des achats).
    how : {"active", "not_churned"}
        Définition d'un client encore là (voir plus haut).
    counts : bool
        Effectifs au lieu des parts.

    Renvoie
    -------
    DataFrame
        Une ligne par cohorte, une colonne par ancienneté n (0, 1, 2...).

    Exemples
    --------
    >>> tx = pd.DataFrame({"client_id": [1, 2, 1, 3], "montant": [10.0, 20.0, 30.0, 40.0],
    ...     "date": pd.to_datetime(["2023-03-01", "2023-05-01", "2024-02-01", "2024-06-01"])})
    >>> cohort_retention(tx).to_dict("index")
    {2023: {0: 1.0, 1: 0.5}, 2024: {0: 1.0, 1: nan}}
    """
    if how not in ("active", "not_churned"):
        raise DataError(f"« how » vaut \"active\" ou \"not_churned\" (reçu : {how!r}).")
    data = purchases(transactions, customer, date, amount)
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


def churn_flags(transactions: pd.DataFrame, *, since: object, customer: str = "client_id", date: str = "date",
                amount: str | None = "montant") -> pd.Series:
    """Client parti ou non à une date donnée (« churn »).

    Population : les clients qui ont acheté **avant** ``since``. Un client est *parti*
    (``True``) s'il n'a fait **aucun achat** (montant ≥ 0) à partir de ``since`` ; un avoir
    n'est pas un achat. Les clients arrivés après ``since`` ne font pas partie de la population.

    Renvoie une Series booléenne nommée ``parti``, indexée par client (triée).
    Sa moyenne est le taux d'attrition de la population : partis / clients.

    Paramètres
    ----------
    transactions : DataFrame
        Une ligne par achat (colonnes ``customer``, ``date``, ``amount``).
    since : str ou date
        Début de l'observation du départ (texte ISO ou jj/mm/aaaa : ``"01/03/2025"`` = 1er mars).
    customer, date : str
        Noms des colonnes.
    amount : str ou None
        Colonne du montant (``None`` : toutes les lignes sont des achats).

    Renvoie
    -------
    Series
        Booléens nommés ``parti``, indexés par client (triés).

    Lève
    ----
    DataError
        Date illisible, aucun achat avant ``since``.

    Exemples
    --------
    >>> tx = pd.DataFrame({"client_id": ["A", "A", "B", "C"],
    ...                    "date": pd.to_datetime(["2024-03-01", "2025-02-01", "2024-05-01",
    ...                                            "2025-01-15"]),
    ...                    "montant": [50.0, 20.0, 30.0, 10.0]})
    >>> churn_flags(tx, since="2025-01-01").to_dict()   # C est arrivé après : hors population
    {'A': False, 'B': True}
    """
    start = parse_day_first(since, name="since")
    data = purchases(transactions, customer, date, amount)
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

    Paramètres
    ----------
    customers : DataFrame
        Une ligne par client.
    by : str
        Colonne de regroupement.
    churned : str
        Colonne vrai/faux du départ (défaut ``"parti"``).

    Renvoie
    -------
    DataFrame
        Indexé par groupe (plus « Ensemble ») : ``clients``, ``partis``, ``taux_attrition``.

    Exemples
    --------
    >>> c = pd.DataFrame({"carte": ["oui", "oui", "non"], "parti": [False, True, True]})
    >>> churn_by(c, by="carte")["taux_attrition"].to_dict()
    {'non': 1.0, 'oui': 0.5, 'Ensemble': 0.6666666666666666}
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
