"""Indicateurs de fidélisation (KPI) : attrition, rétention, rotation, cohortes, transformation, satisfaction.

Chaque indicateur existe en deux versions :

* à partir de **nombres** (exercices) : ``attrition_rate(lost=50, start=400)`` ;
* à partir des **tableaux** du cours : ``customer_flows(transactions, ...)``.

Tous les taux sont des proportions entre 0 et 1 (0.125 = 12,5 %) ; l'affichage
en pourcentage revient à l'appelant. Le NPS, lui, est en points (de −100 à +100).
Une donnée impossible (plus de clients perdus que de clients au départ, effectif
négatif...) lève une :class:`~coursehelpers.errors.DataError`.

Clients conservés / perdus / nouveaux et cohortes (sur les transactions) sont
calculés dans :mod:`coursehelpers._retention` ; panier moyen, valeur vie client
(CLV) et coût d'acquisition dans :mod:`coursehelpers.clv`. Tous réexportés ici
(``kpis.clv(...)``, ``kpis.average_basket(...)``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursehelpers._dashboard import kpi_dashboard
from coursehelpers._retention import (
    CustomerFlows,
    _purchases,
    churn_by,
    churn_flags,
    cohort_retention,
    customer_flows,
)
from coursehelpers._validate import (
    datetime_column,
    no_missing,
    numeric_column,
    require_columns,
    require_frame,
)
from coursehelpers.clv import (
    ACQUISITION_COST_MULTIPLE,
    acquisition_vs_retention,
    as_number,
    average_basket,
    average_basket_from_totals,
    break_even_years,
    check_not_above,
    clv,
    clv_by_segment,
    clv_table,
    ratio,
    retention_uplift,
)
from coursehelpers.errors import DataError

__all__ = [
    "ACQUISITION_COST_MULTIPLE",
    "CustomerFlows",
    "acquisition_vs_retention",
    "annual_rate_from_multi_year",
    "attrition_rate",
    "average_basket",
    "average_basket_from_totals",
    "break_even_years",
    "churn_by",
    "churn_flags",
    "clv",
    "clv_by_segment",
    "clv_table",
    "cohort_retention",
    "contact_conversion",
    "conversion_rate",
    "conversion_table",
    "customer_flows",
    "kpi_dashboard",
    "multi_year_rate_from_annual",
    "nps",
    "nps_from_counts",
    "renewal_rate",
    "retention_rate",
    "retention_uplift",
    "rotation_rate",
    "satisfaction_from_counts",
    "satisfaction_index",
]


# --------------------------------------------------------------------------- à partir de nombres
def _part(part, whole, *, part_name: str, whole_name: str):
    part = as_number(part, name=part_name, minimum=0)
    whole = as_number(whole, name=whole_name, minimum=0, strict_min=True)
    check_not_above(part, whole, small_name=part_name, big_name=whole_name)
    return ratio(part, whole)


def attrition_rate(*, lost, start):
    """Taux d'attrition = clients perdus sur la période / clients au début de la période.

    Exemple
    -------
    >>> attrition_rate(lost=50, start=400)
    0.125
    """
    return _part(lost, start, part_name="lost", whole_name="start")


def retention_rate(*, retained, start):
    """Taux de fidélisation (rétention) = clients conservés / clients au début = 1 − taux d'attrition.

    Exemple
    -------
    >>> retention_rate(retained=350, start=400)
    0.875
    """
    return _part(retained, start, part_name="retained", whole_name="start")


def renewal_rate(*, new, clients_p2):
    """Taux de renouvellement = nouveaux clients de la période 2 / clients de la période 2.

    Exemple
    -------
    >>> renewal_rate(new=60, clients_p2=400)
    0.15
    """
    return _part(new, clients_p2, part_name="new", whole_name="clients_p2")


def rotation_rate(*, new, lost, clients_p1, clients_p2):
    """Taux de rotation de la clientèle entre deux périodes.

    rotation = [(nouveaux + perdus) / 2] / [(clients_p1 + clients_p2) / 2]
    (mouvement moyen rapporté à l'effectif moyen). Un taux élevé signale un
    manque de fidélisation : l'entreprise remplace beaucoup de clients.

    Exemple
    -------
    >>> rotation_rate(new=60, lost=50, clients_p1=400, clients_p2=410)   # 55 / 405
    0.13580246913580246
    """
    n = as_number(new, name="new", minimum=0)
    lo = as_number(lost, name="lost", minimum=0)
    c1 = as_number(clients_p1, name="clients_p1", minimum=0)
    c2 = as_number(clients_p2, name="clients_p2", minimum=0)
    check_not_above(lo, c1, small_name="lost", big_name="clients_p1")
    check_not_above(n, c2, small_name="new", big_name="clients_p2")
    if (np.asarray(c1) + np.asarray(c2) == 0).any():
        raise DataError("aucun client sur les deux périodes : le taux de rotation n'est pas défini.")
    return ratio((np.asarray(n) + np.asarray(lo)) / 2, (np.asarray(c1) + np.asarray(c2)) / 2)


def annual_rate_from_multi_year(*, share_lost, years):
    """Taux d'attrition annuel équivalent à une perte sur plusieurs années.

    Si une part p des clients est perdue en n années, au même rythme chaque année :
    (1 − a)^n = 1 − p, donc a = 1 − (1 − p)^(1/n).

    Exemple : « la moitié des clients perdus en 5 ans » → environ 12,9 % par an.

    >>> round(annual_rate_from_multi_year(share_lost=0.5, years=5), 4)
    0.1294
    """
    p = as_number(share_lost, name="share_lost", minimum=0, maximum=1)
    n = as_number(years, name="years", minimum=0, strict_min=True)
    out = 1 - (1 - np.asarray(p)) ** (1 / np.asarray(n))
    return float(out) if np.ndim(out) == 0 else out


def multi_year_rate_from_annual(*, annual_rate, years):
    """Part des clients perdus en n années avec un taux d'attrition annuel a : 1 − (1 − a)^n.

    >>> round(multi_year_rate_from_annual(annual_rate=0.1294, years=5), 3)
    0.5
    """
    a = as_number(annual_rate, name="annual_rate", minimum=0, maximum=1)
    n = as_number(years, name="years", minimum=0)
    out = 1 - (1 - np.asarray(a)) ** np.asarray(n)
    return float(out) if np.ndim(out) == 0 else out


def conversion_rate(*, converted, total):
    """Taux de transformation = nombre de réussites / nombre de tentatives.

    Par ex. prospects devenus clients / prospects contactés, ou commandes / contacts.

    >>> conversion_rate(converted=30, total=120)
    0.25
    """
    return _part(converted, total, part_name="converted", whole_name="total")


# --------------------------------------------------------------------------- transformation
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


def _rate_table(success: pd.Series, data: pd.DataFrame, by: str | None, *, name: str):
    """Effectif, réussites et taux, globalement ou par groupe."""
    if by is None:
        n, k = len(success), int(success.sum())
        return pd.Series({"effectif": n, "convertis": k, "taux_transformation": k / n}, dtype="float64")
    groups = success.groupby(no_missing(data, by, name=name).to_numpy(), observed=True)
    out = pd.DataFrame({"effectif": groups.size(), "convertis": groups.sum().astype("int64")})
    out["taux_transformation"] = out["convertis"] / out["effectif"]
    out.index.name = by
    return out


def conversion_table(df: pd.DataFrame, *, converted: str, by: str | None = None):
    """Taux de transformation à partir d'un tableau : une ligne par prospect (ou contact),
    la colonne ``converted`` vaut vrai/faux (ou 1/0). Avec ``by`` : une ligne par groupe.

    >>> prospects = pd.DataFrame({"source": ["salon", "salon", "web"], "client": [True, False, True]})
    >>> conversion_table(prospects, converted="client", by="source")["taux_transformation"].tolist()
    [0.5, 1.0]
    """
    require_frame(df, name="données")
    require_columns(df, [converted, by], name="données")
    return _rate_table(_flag(df, converted, name="données"), df, by, name="données")


def contact_conversion(contacts: pd.DataFrame, transactions: pd.DataFrame, *, within_days: int = 30,
                       by: str | None = None, customer: str = "client_id", date: str = "date",
                       amount: str | None = "montant"):
    """Taux de transformation contacts → commandes.

    Un contact est transformé si le même client achète (montant > 0) entre le
    jour du contact et ``within_days`` jours après (bornes incluses).
    taux = contacts transformés / contacts. Avec ``by`` (par ex. ``"canal"`` du
    contact) : une ligne par groupe.

    >>> contacts = pd.DataFrame({"client_id": [1, 2], "date": pd.to_datetime(["2024-01-01", "2024-01-01"])})
    >>> tx = pd.DataFrame({"client_id": [1], "date": pd.to_datetime(["2024-01-20"]), "montant": [50.0]})
    >>> float(contact_conversion(contacts, tx)["taux_transformation"])
    0.5
    """
    require_frame(contacts, name="contacts")
    require_columns(contacts, [customer, date, by], name="contacts")
    from coursehelpers._validate import check_positive_int
    days = check_positive_int(within_days, name="within_days", minimum=0)
    left = pd.DataFrame({"client": no_missing(contacts, customer, name="contacts"),
                         "jour": datetime_column(contacts, date, name="contacts").dt.normalize()
                         .astype("datetime64[ns]"), "pos": np.arange(len(contacts))})
    right = _purchases(transactions, customer, date, amount)
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
    return _rate_table(success, contacts, by, name="contacts")


# --------------------------------------------------------------------------- satisfaction et NPS
def _scores(data, column: str, low: int, high: int, by: str | None) -> tuple[pd.Series, object]:
    if isinstance(data, pd.Series):
        if by is not None:
            raise DataError("« by » demande un tableau (DataFrame) qui contient la colonne de groupe.")
        frame, column = data.to_frame(name=data.name or column), data.name or column
    else:
        frame = require_frame(data, name="réponses")
        require_columns(frame, [column, by], name="réponses")
    scores = numeric_column(frame, column, name="réponses", allow_missing=True)
    bad = scores.notna() & ((scores < low) | (scores > high))
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"« réponses » : note {scores.iloc[pos]:g} hors de l'échelle {low} à {high}.",
                        column=column, line=pos + 1)
    if scores.notna().sum() == 0:
        raise DataError("« réponses » : aucune note renseignée.", column=column)
    keys = None if by is None else no_missing(frame, by, name="réponses").to_numpy()
    return scores, keys


def _summarise(parts: pd.DataFrame, keys, by: str | None):
    if keys is None:
        return parts.mean().rename(None)
    out = parts.groupby(keys, observed=True).mean()
    out.index.name = by
    return out


def satisfaction_index(data, *, column: str = "satisfaction", threshold: int = 4, scale: int = 5,
                       by: str | None = None):
    """Indice de satisfaction : note moyenne et part de clients satisfaits.

    moyenne = Σ notes / nombre de répondants ;
    part_satisfaits = répondants avec une note ≥ ``threshold`` (4 sur 5 par défaut) / répondants.
    Les notes manquantes (pas de réponse) sont exclues et comptées dans ``sans_reponse``.
    ``data`` : une Series de notes, ou un tableau avec la colonne ``column`` (et ``by``).

    >>> satisfaction_index(pd.Series([5, 4, 2, None]))[["moyenne", "part_satisfaits"]].round(3).tolist()
    [3.667, 0.667]
    """
    if not 1 <= as_number(threshold, name="threshold") <= as_number(scale, name="scale", minimum=2):
        raise DataError(f"« threshold » doit être entre 1 et {scale} (reçu : {threshold!r}).")
    scores, keys = _scores(data, column, 1, scale, by)
    answered = scores.notna()
    parts = pd.DataFrame({"moyenne": scores, "part_satisfaits": (scores >= threshold).where(answered),
                          "repondants": answered.astype(float), "sans_reponse": (~answered).astype(float)})
    out = _summarise(parts.astype("float64"), keys, by)
    n = answered.groupby(keys).size() if keys is not None else len(scores)
    out["repondants"] = out["repondants"] * n
    out["sans_reponse"] = out["sans_reponse"] * n
    return out


def satisfaction_from_counts(counts, *, threshold: int = 4):
    """Indice de satisfaction à partir du nombre de réponses par note, par ex. {1: 2, 2: 3, 3: 5, 4: 6, 5: 4}.

    >>> float(satisfaction_from_counts({1: 2, 2: 3, 3: 5, 4: 6, 5: 4})["part_satisfaits"])
    0.5
    """
    counts = pd.Series(counts, dtype="float64")
    as_number(counts, name="counts", minimum=0)
    notes = pd.Series(counts.index.to_numpy(dtype="float64"), index=counts.index)
    total = counts.sum()
    if total == 0:
        raise DataError("« counts » : aucune réponse.")
    return pd.Series({"moyenne": (notes * counts).sum() / total,
                      "part_satisfaits": counts[notes >= threshold].sum() / total, "repondants": total})


def nps(data, *, column: str = "nps", by: str | None = None):
    """Net Promoter Score (NPS) à partir des réponses de 0 à 10.

    Promoteurs : 9 ou 10 ; passifs : 7 ou 8 ; détracteurs : 0 à 6.
    NPS = (% promoteurs − % détracteurs), en points, entre −100 et +100.
    Les parts (``promoteurs``, ``passifs``, ``detracteurs``) sont entre 0 et 1 ;
    les non-réponses (NaN) sont exclues.

    >>> float(nps(pd.Series([10, 9, 8, 3, None]))["nps"])
    25.0
    """
    scores, keys = _scores(data, column, 0, 10, by)
    answered = scores.notna()
    parts = pd.DataFrame({"promoteurs": scores >= 9, "passifs": (scores >= 7) & (scores < 9),
                          "detracteurs": scores <= 6}).astype("float64").where(answered)
    parts["repondants"] = answered.astype("float64")
    out = _summarise(parts, keys, by)
    n = answered.groupby(keys).size() if keys is not None else len(scores)
    out["repondants"] = out["repondants"] * n
    out["nps"] = 100 * (out["promoteurs"] - out["detracteurs"])
    return out


def nps_from_counts(*, promoters, passives, detractors) -> float:
    """NPS à partir des effectifs : 100 × (promoteurs − détracteurs) / répondants.

    >>> nps_from_counts(promoters=50, passives=30, detractors=20)
    30.0
    """
    p = as_number(promoters, name="promoters", minimum=0)
    a = as_number(passives, name="passives", minimum=0)
    d = as_number(detractors, name="detractors", minimum=0)
    total = np.asarray(p) + np.asarray(a) + np.asarray(d)
    if (total == 0).any():
        raise DataError("aucun répondant : le NPS n'est pas défini.")
    return ratio(100 * (np.asarray(p) - np.asarray(d)), total)
