"""Valeur client : panier moyen, valeur vie client (CLV), acquisition ou fidélisation.

Fonctions utilisables avec des nombres (exercices) ou avec les tableaux du cours.
Les fonctions « nombres » acceptent aussi des tableaux numpy ou des Series
(un calcul par client, sans boucle). Aussi accessibles par :mod:`coursehelpers.kpis`.

Chiffres des textes sources, à discuter en cours :

* conquérir un client coûterait de 5 à 10 fois plus cher que d'en garder un
  (:data:`ACQUISITION_COST_MULTIPLE`) ;
* une entreprise perdrait la moitié de ses clients en 5 ans
  (voir :func:`coursehelpers.kpis.annual_rate_from_multi_year`) ;
* garder un peu plus de clients peut faire fortement grimper le profit
  (Reichheld et Sasser, « Zero Defections », Harvard Business Review, 1990) :
  voir :func:`retention_uplift`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coursehelpers._core.dates import parse_day_first
from coursehelpers._core.validate import (
    as_number,
    check_not_above,
    datetime_column,
    no_missing,
    numeric_column,
    ratio,
    require_columns,
    require_frame,
)
from coursehelpers.errors import DataError

__all__ = [
    "ACQUISITION_COST_MULTIPLE",
    "acquisition_vs_retention",
    "average_basket",
    "average_basket_from_totals",
    "break_even_years",
    "clv",
    "clv_by_segment",
    "clv_by_year",
    "clv_table",
    "retention_uplift",
]

#: Fourchette citée par les sources : acquérir un client coûte 5 à 10 fois plus que le fidéliser.
ACQUISITION_COST_MULTIPLE: tuple[float, float] = (5.0, 10.0)


# --------------------------------------------------------------------------- panier moyen
def average_basket_from_totals(*, revenue, orders):
    """Panier moyen = chiffre d'affaires / nombre de commandes.

    Exemples
    --------
    >>> average_basket_from_totals(revenue=12_000, orders=300)
    40.0
    """
    revenue = as_number(revenue, name="revenue")
    orders = as_number(orders, name="orders", minimum=0, strict_min=True)
    return ratio(revenue, orders)


def average_basket(transactions: pd.DataFrame, *, amount: str = "montant", order: str | None = "commande_id",
                   by: str | None = None, returns: str = "net") -> pd.Series | pd.DataFrame:
    """Panier moyen (ticket moyen) à partir des transactions.

    panier moyen = CA / nombre de commandes

    Avoirs (montants négatifs) : avec ``returns="net"`` (défaut), le CA est net
    des avoirs, et une commande n'est comptée que si son total net est positif
    (un avoir seul, ou une commande entièrement remboursée, n'est pas une
    commande). Avec ``returns="ignore"``, les lignes négatives sont écartées (CA brut).
    Sans colonne de commande (``order=None``), chaque ligne positive est une commande.

    Retourne une Series (``ca``, ``commandes``, ``panier_moyen``), ou un DataFrame
    avec une ligne par groupe si ``by`` est donné (par ex. ``by="canal"``).

    Exemples
    --------
    >>> tx = pd.DataFrame({"commande_id": [1, 1, 2, 3], "montant": [30.0, 20.0, 70.0, -10.0]})
    >>> float(average_basket(tx)["panier_moyen"])    # (120 - 10) / 2 commandes
    55.0
    """
    require_frame(transactions, name="transactions")
    if returns not in ("net", "ignore"):
        raise DataError(f"« returns » vaut \"net\" ou \"ignore\" (reçu : {returns!r}).")
    require_columns(transactions, [amount, order, by], name="transactions")
    data = pd.DataFrame({"montant": numeric_column(transactions, amount, name="transactions")})
    keys = []
    if by is not None:
        data["groupe"] = no_missing(transactions, by, name="transactions")
        keys.append("groupe")
    if order is not None:
        data["commande"] = no_missing(transactions, order, name="transactions")
    else:
        data["commande"] = np.arange(len(data))
    if returns == "ignore":
        data = data[data["montant"] > 0]
    per_order = data.groupby([*keys, "commande"], observed=True)["montant"].sum()
    if keys:
        grouped = per_order.groupby(level=0, observed=True)
        out = pd.DataFrame({"ca": grouped.sum(), "commandes": (per_order > 0).groupby(level=0).sum()})
        out.index.name = by
    else:
        out = pd.Series({"ca": per_order.sum(), "commandes": int((per_order > 0).sum())}, dtype="float64")
    if (np.asarray(out["commandes"]) == 0).any():
        raise DataError("aucune commande de montant positif : le panier moyen n'est pas calculable.")
    out["panier_moyen"] = out["ca"] / out["commandes"]
    return out


# --------------------------------------------------------------------------- CLV
def clv(*, margin, retention, discount_rate, years: int | None = None, acquisition_cost=0.0):
    """Valeur vie client (Customer Lifetime Value).

    Le client rapporte la marge annuelle m au début de chaque année où il est
    encore client ; il reste d'une année sur l'autre avec la probabilité r
    (taux de rétention) ; l'argent futur est actualisé au taux d. Avec q = r / (1 + d) :

    * horizon de T années : CLV = Σ_{t=0}^{T-1} m·r^t / (1+d)^t − CA
      = m·(1 − q^T) / (1 − q) − CA ;
    * horizon infini (``years=None``) : CLV = m·(1+d) / (1+d−r) − CA
      (il faut r < 1 + d) ;

    où CA est le coût d'acquisition. Fonctionne aussi avec des tableaux ou des
    Series (une CLV par client).

    Exemples
    --------
    >>> round(clv(margin=100, retention=0.8, discount_rate=0.1, years=3), 2)   # 100 + 72,73 + 52,89
    225.62
    >>> round(clv(margin=100, retention=0.8, discount_rate=0.1), 2)  # 100 × 1.1 / 0.3
    366.67
    """
    m = as_number(margin, name="margin")
    r = as_number(retention, name="retention", minimum=0, maximum=1)
    d = as_number(discount_rate, name="discount_rate", minimum=0)
    cost = as_number(acquisition_cost, name="acquisition_cost", minimum=0)
    q = np.asarray(r) / (1 + np.asarray(d))
    if years is None:
        if (q >= 1).any():
            raise DataError(
                "horizon infini impossible avec une rétention de 100 % et un taux d'actualisation nul "
                "(la valeur serait infinie) : donnez years=... ou un taux d'actualisation positif."
            )
        factor = 1 / (1 - q)
    else:
        if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or years < 1:
            raise DataError(f"« years » doit être un entier ≥ 1 ou None (reçu : {years!r}).")
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(q == 1, float(years), (1 - q**years) / np.where(q == 1, 0.5, 1 - q))
    value = np.asarray(m) * factor - np.asarray(cost)
    return _like(value, margin, retention, discount_rate, acquisition_cost)


def _like(value: np.ndarray, *inputs: object):
    for x in inputs:
        if isinstance(x, pd.Series):
            return pd.Series(np.broadcast_to(value, len(x)), index=x.index)
    return float(value) if np.ndim(value) == 0 else value


def break_even_years(*, margin, retention, discount_rate, acquisition_cost):
    """Nombre d'années pour que la marge cumulée (espérée, actualisée) rembourse le coût d'acquisition.

    Plus petit entier T tel que m·(1 − q^T) / (1 − q) ≥ CA, avec q = r / (1 + d) ;
    soit T = ⌈ ln(1 − CA·(1 − q)/m) / ln q ⌉. Renvoie ``inf`` si le coût n'est
    jamais remboursé (m ≤ 0, ou CA ≥ m / (1 − q), la valeur à horizon infini).

    Exemples
    --------
    >>> break_even_years(margin=100, retention=0.8, discount_rate=0.1, acquisition_cost=200)
    3.0
    """
    m = np.asarray(as_number(margin, name="margin"))
    r = np.asarray(as_number(retention, name="retention", minimum=0, maximum=1))
    d = np.asarray(as_number(discount_rate, name="discount_rate", minimum=0))
    cost = np.asarray(as_number(acquisition_cost, name="acquisition_cost", minimum=0))
    q = r / (1 + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        target = 1 - cost * (1 - q) / m  # q^T ≤ target
        years = np.ceil(np.log(target) / np.log(q) - 1e-12)
        # q = 1 (ou à 1e-9 près, où ln q n'a plus de chiffres justes) : m·T ≥ CA ;
        # q = 0 : seule la première année compte (donc m ≥ CA).
        years = np.where(np.abs(1 - q) < 1e-9, np.ceil(cost / m - 1e-12), years)
        never = (m <= 0) | ((q < 1 - 1e-9) & (target <= 0))
        years = np.where(never, np.inf, years)
        years = np.where(q == 0, np.inf, years)
        years = np.where(m >= cost, 1.0, years)  # la marge de la 1re année suffit
    years = np.where(cost == 0, 0.0, np.maximum(years, 1.0))  # un coût > 0 demande au moins 1 an
    return _like(np.asarray(years, dtype="float64"), margin, retention, discount_rate, acquisition_cost)


def retention_uplift(*, margin, retention, discount_rate, uplift=0.05, years: int | None = None) -> float:
    """Gain relatif de CLV quand la rétention passe de r à r + uplift.

    gain = CLV(r + uplift) / CLV(r) − 1 (sans coût d'acquisition).

    Exemple (sans actualisation, horizon infini) : passer de 90 % à 95 % de
    rétention double la durée de vie moyenne (1/0,10 = 10 ans → 1/0,05 = 20 ans),
    donc la valeur client : gain = +100 %.

    >>> round(retention_uplift(margin=100, retention=0.90, discount_rate=0.0, uplift=0.05), 6)
    1.0
    """
    r = as_number(retention, name="retention", minimum=0, maximum=1)
    up = as_number(uplift, name="uplift", minimum=0)
    check_not_above(np.asarray(r) + np.asarray(up), 1.0, small_name="retention + uplift", big_name="1")
    base = clv(margin=margin, retention=r, discount_rate=discount_rate, years=years)
    better = clv(margin=margin, retention=np.asarray(r) + np.asarray(up), discount_rate=discount_rate,
                 years=years)
    if np.any(np.asarray(base) == 0):
        raise DataError("la CLV de départ est nulle : le gain relatif n'est pas défini.")
    out = np.asarray(better) / np.asarray(base) - 1
    return float(out) if np.ndim(out) == 0 else out


def acquisition_vs_retention(*, acquisition_cost, retention_cost) -> pd.Series:
    """Compare le coût d'acquisition d'un client et le coût pour en garder un.

    rapport = coût d'acquisition / coût de fidélisation ; surcoût = différence.
    Les sources citent un rapport de 5 à 10 (:data:`ACQUISITION_COST_MULTIPLE`).

    Exemples
    --------
    >>> float(acquisition_vs_retention(acquisition_cost=80, retention_cost=10)["rapport"])
    8.0
    """
    acq = as_number(acquisition_cost, name="acquisition_cost", minimum=0)
    ret = as_number(retention_cost, name="retention_cost", minimum=0, strict_min=True)
    low, high = ACQUISITION_COST_MULTIPLE
    out = pd.Series({"cout_acquisition": acq, "cout_fidelisation": ret, "rapport": acq / ret,
                     "surcout": acq - ret}, dtype="float64")
    out["dans_la_fourchette"] = float(low <= out["rapport"] <= high)
    return out


def clv_table(transactions: pd.DataFrame, *, margin_rate: float, retention, discount_rate: float,
              years: int | None = None, segments: pd.Series | None = None, customer: str = "client_id",
              date: str = "date", amount: str = "montant", as_of=None) -> pd.DataFrame:
    """CLV des clients **existants** à une date d'analyse, à partir de leurs achats passés.

    ca_annuel = CA net du client / ancienneté en années, avec
    ancienneté = (as_of − premier achat) / 365,25, au moins 1 an ;
    marge_annuelle m = ca_annuel × margin_rate.

    À la date d'analyse, rien n'est acquis : le client n'achètera l'an prochain que s'il reste
    client. La **première année future est donc pondérée comme les autres** par la rétention r
    et l'actualisation d (contrairement à :func:`clv`, qui valorise un client qu'on vient de
    gagner, dont la première année est acquise). Sur T années :

        CLV = Σ_{t=1}^{T} m·r^t / (1+d)^t = m·q·(1 − q^T) / (1 − q),  avec q = r / (1 + d)

    (horizon infini, ``years=None`` : CLV = m·r / (1 + d − r)). C'est la valeur d'un client
    existant de Gupta, Lehmann et Stuart (2004). Un client très peu fidèle (r proche de 0) vaut
    presque 0, quoi qu'il ait acheté par le passé.

    ``as_of`` (date d'analyse, texte ISO ou jj/mm/aaaa : ``"01/03/2024"`` = 1er mars) par défaut :
    lendemain du dernier achat des données.

    ``retention`` : un taux commun, une Series (un taux par client) ou un dict
    {segment: taux} (avec ``segments``, une Series client → segment).

    Exemples
    --------
    Client 1 : 200 € en un an, marge 30 % → m = 60 € ; r = 0,5, d = 0 → 60 × (0,5 + 0,25 + ...) = 60.

    >>> tx = pd.DataFrame({"client_id": [1, 1, 2], "montant": [100.0, 100.0, 50.0],
    ...                    "date": pd.to_datetime(["2023-01-01", "2023-06-01", "2023-12-31"])})
    >>> clv_table(tx, margin_rate=0.3, retention=0.5, discount_rate=0.0)["clv"].tolist()
    [60.0, 15.0]
    """
    require_frame(transactions, name="transactions")
    require_columns(transactions, [customer, date, amount], name="transactions")
    rate = as_number(margin_rate, name="margin_rate", minimum=0, maximum=1)
    data = pd.DataFrame({"client": no_missing(transactions, customer, name="transactions"),
                         "date": datetime_column(transactions, date, name="transactions"),
                         "montant": numeric_column(transactions, amount, name="transactions")})
    end = data["date"].max() + pd.Timedelta(days=1) if as_of is None else parse_day_first(as_of, name="as_of")
    per = data.groupby("client").agg(ca=("montant", "sum"), premier=("date", "min"))
    seniority = ((end - per["premier"]).dt.days / 365.25).clip(lower=1.0)
    table = pd.DataFrame({"ca_total": per["ca"], "anciennete_ans": seniority}, index=per.index)
    table.index.name = customer
    table["ca_annuel"] = table["ca_total"] / table["anciennete_ans"]
    table["marge_annuelle"] = table["ca_annuel"] * rate
    if segments is not None:
        seg = segments.reindex(table.index)
        if seg.isna().any():
            raise DataError(f"« segments » : pas de segment pour le client {seg.index[seg.isna()][0]!r}.")
        table["segment"] = seg
    table["retention"] = _retention_per_customer(retention, table)
    # clv() compte la 1re année comme acquise ; un client existant ne l'a pas encore :
    # Σ_{t=1}^{T} m·q^t = q × Σ_{t=0}^{T-1} m·q^t, avec q = r / (1 + d).
    d = as_number(discount_rate, name="discount_rate", minimum=0)
    first_year_weight = table["retention"] / (1 + d)
    table["clv"] = first_year_weight * clv(margin=table["marge_annuelle"], retention=table["retention"],
                                           discount_rate=discount_rate, years=years)
    return table


def _retention_per_customer(retention, table: pd.DataFrame) -> pd.Series:
    if isinstance(retention, Mapping):
        if "segment" not in table:
            raise DataError("« retention » par segment (dict) demande aussi « segments ».")
        values = table["segment"].map(retention)
        if values.isna().any():
            missing = table["segment"][values.isna()].iloc[0]
            raise DataError(f"« retention » : pas de taux pour le segment {missing!r}.")
    elif isinstance(retention, pd.Series):
        values = retention.reindex(table.index)
        if values.isna().any():
            raise DataError(f"« retention » : pas de taux pour le client {values.index[values.isna()][0]!r}.")
    else:
        values = pd.Series(as_number(retention, name="retention"), index=table.index)
    as_number(values, name="retention", minimum=0, maximum=1)
    return values.astype("float64")


def clv_by_segment(table: pd.DataFrame, *, segment: str = "segment") -> pd.DataFrame:
    """Résumé de :func:`clv_table` par segment : clients, CLV moyenne, CLV totale et part du total.

    Exemples
    --------
    >>> t = pd.DataFrame({"segment": ["A", "A", "B"], "clv": [10.0, 30.0, 60.0]})
    >>> clv_by_segment(t)["part_clv"].tolist()
    [0.4, 0.6]
    """
    require_frame(table, name="table")
    require_columns(table, [segment, "clv"], name="table")
    grouped = table.groupby(segment, observed=True)["clv"]
    out = pd.DataFrame({"clients": grouped.size(), "clv_moyenne": grouped.mean(),
                        "clv_totale": grouped.sum()})
    out["part_clv"] = out["clv_totale"] / out["clv_totale"].sum()
    return out


def clv_by_year(*, margin: float, retention: float, discount_rate: float, horizon: int) -> pd.DataFrame:
    """Marge espérée actualisée année par année et son cumul (la CLV sur t années).

    Année t = 1..horizon : le client est encore là avec la probabilité r^(t−1) et la marge
    de l'année t est actualisée de (1 + d)^(t−1) (marge de la 1re année encaissée sans attente),
    comme :func:`clv` :
    ``marge_actualisee(t) = m × r^(t−1) / (1 + d)^(t−1)``, ``CLV(T) = Σ_{t≤T} marge_actualisee(t)``.

    Paramètres
    ----------
    margin : float
        Marge annuelle par client m (€).
    retention : float
        Taux de fidélisation annuel r, entre 0 et 1.
    discount_rate : float
        Taux d'actualisation annuel d (≥ 0).
    horizon : int
        Nombre d'années T (≥ 1).

    Renvoie
    -------
    DataFrame
        Une ligne par année : ``annee``, ``survie`` = r^(t−1), ``marge_actualisee``, ``clv_cumulee``.

    Exemples
    --------
    >>> clv_by_year(margin=100, retention=0.5, discount_rate=0.0, horizon=3)["clv_cumulee"].tolist()
    [100.0, 150.0, 175.0]
    """
    years = np.arange(1, horizon + 1)
    cumulated = np.array([clv(margin=margin, retention=retention, discount_rate=discount_rate, years=int(t))
                          for t in years])  # une valeur par année (≤ 20), pas par client
    return pd.DataFrame({"annee": years, "survie": retention ** (years - 1),
                         "marge_actualisee": np.diff(cumulated, prepend=0.0), "clv_cumulee": cumulated})
