"""Taux de fidélisation à partir de simples nombres (exercices) : attrition, rétention,
renouvellement, rotation, transformation, conversion entre taux annuel et pluriannuel.

Module feuille de :mod:`coursehelpers.kpis` : il n'importe aucun autre module de ``kpis``.
Tous les taux sont des proportions entre 0 et 1 (0.125 = 12,5 %). Chaque argument accepte un
nombre, un tableau numpy ou une Series (un calcul par ligne, sans boucle).
"""

from __future__ import annotations

import numpy as np

from coursehelpers._core.validate import as_number, check_not_above, ratio
from coursehelpers.errors import DataError

__all__ = [
    "annual_rate_from_multi_year",
    "attrition_rate",
    "conversion_rate",
    "multi_year_rate_from_annual",
    "renewal_rate",
    "retention_rate",
    "rotation_rate",
]


def _part(part, whole, *, part_name: str, whole_name: str):
    part = as_number(part, name=part_name, minimum=0)
    whole = as_number(whole, name=whole_name, minimum=0, strict_min=True)
    check_not_above(part, whole, small_name=part_name, big_name=whole_name)
    return ratio(part, whole)


def attrition_rate(*, lost, start):
    """Taux d'attrition = clients perdus sur la période / clients au début de la période.

    Paramètres
    ----------
    lost : nombre, tableau ou Series
        Clients perdus pendant la période (≥ 0, au plus ``start``).
    start : nombre, tableau ou Series
        Clients au début de la période (> 0).

    Renvoie
    -------
    float (ou tableau / Series)
        Proportion entre 0 et 1.

    Lève
    ----
    DataError
        Effectif négatif ou nul, plus de perdus que de clients au départ.

    Exemples
    --------
    >>> attrition_rate(lost=50, start=400)
    0.125
    """
    return _part(lost, start, part_name="lost", whole_name="start")


def retention_rate(*, retained, start):
    """Taux de fidélisation (rétention) = clients conservés / clients au début = 1 − taux d'attrition.

    Paramètres
    ----------
    retained : nombre, tableau ou Series
        Clients conservés (actifs au début et à la fin ; ≥ 0, au plus ``start``).
    start : nombre, tableau ou Series
        Clients au début de la période (> 0).

    Renvoie
    -------
    float (ou tableau / Series)
        Proportion entre 0 et 1.

    Exemples
    --------
    >>> retention_rate(retained=350, start=400)
    0.875
    """
    return _part(retained, start, part_name="retained", whole_name="start")


def renewal_rate(*, new, clients_p2):
    """Taux de renouvellement = nouveaux clients de la période 2 / clients de la période 2.

    Paramètres
    ----------
    new : nombre, tableau ou Series
        Nouveaux clients de la période 2 (≥ 0, au plus ``clients_p2``).
    clients_p2 : nombre, tableau ou Series
        Clients actifs sur la période 2 (> 0).

    Renvoie
    -------
    float (ou tableau / Series)
        Proportion entre 0 et 1.

    Exemples
    --------
    >>> renewal_rate(new=60, clients_p2=400)
    0.15
    """
    return _part(new, clients_p2, part_name="new", whole_name="clients_p2")


def rotation_rate(*, new, lost, clients_p1, clients_p2):
    """Taux de rotation de la clientèle entre deux périodes.

    rotation = [(nouveaux + perdus) / 2] / [(clients_p1 + clients_p2) / 2]
    (mouvement moyen rapporté à l'effectif moyen). Un taux élevé signale un
    manque de fidélisation : l'entreprise remplace beaucoup de clients.

    Paramètres
    ----------
    new : nombre, tableau ou Series
        Nouveaux clients de la période 2 (≥ 0, au plus ``clients_p2``).
    lost : nombre, tableau ou Series
        Clients de la période 1 perdus en période 2 (≥ 0, au plus ``clients_p1``).
    clients_p1, clients_p2 : nombre, tableau ou Series
        Clients actifs sur chaque période (≥ 0, pas tous deux nuls).

    Renvoie
    -------
    float (ou tableau / Series)
        Proportion (0 à 1 en pratique).

    Exemples
    --------
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

    Paramètres
    ----------
    share_lost : nombre ou tableau
        Part des clients perdus sur toute la durée, entre 0 et 1.
    years : nombre ou tableau
        Durée en années (> 0).

    Renvoie
    -------
    float (ou tableau)
        Taux d'attrition annuel a, entre 0 et 1.

    Exemples
    --------
    « La moitié des clients perdus en 5 ans » → environ 12,9 % par an :

    >>> round(annual_rate_from_multi_year(share_lost=0.5, years=5), 4)
    0.1294
    """
    p = as_number(share_lost, name="share_lost", minimum=0, maximum=1)
    n = as_number(years, name="years", minimum=0, strict_min=True)
    out = 1 - (1 - np.asarray(p)) ** (1 / np.asarray(n))
    return float(out) if np.ndim(out) == 0 else out


def multi_year_rate_from_annual(*, annual_rate, years):
    """Part des clients perdus en n années avec un taux d'attrition annuel a : 1 − (1 − a)^n.

    Paramètres
    ----------
    annual_rate : nombre ou tableau
        Taux d'attrition annuel a, entre 0 et 1.
    years : nombre ou tableau
        Nombre d'années n (≥ 0).

    Renvoie
    -------
    float (ou tableau)
        Part des clients perdus en n années, entre 0 et 1.

    Exemples
    --------
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

    Paramètres
    ----------
    converted : nombre, tableau ou Series
        Réussites (≥ 0, au plus ``total``).
    total : nombre, tableau ou Series
        Tentatives (> 0).

    Renvoie
    -------
    float (ou tableau / Series)
        Proportion entre 0 et 1.

    Exemples
    --------
    >>> conversion_rate(converted=30, total=120)
    0.25
    """
    return _part(converted, total, part_name="converted", whole_name="total")
